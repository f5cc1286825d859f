package main

/*
#include "cxabi.h"
*/
import "C"

// cxgo_call_start is the Go half of cx_call and cx_call_bytes (sync.c, which says
// why the caller waits in C). It copies method and args into Go memory and starts
// the call on a new goroutine, which completes s exactly once; it returns NULL
// then. It returns the envelope itself, and leaves s alone, only when the call
// ends before it starts: a NULL argument, or a panic before the goroutine exists.
//
//export cxgo_call_start
func cxgo_call_start(h C.cx_handle, method, args *C.char, wantBytes, outDataNull, outLenNull C.int, s *C.cx_sync) (ret *C.char) {
	where := "cx_call"
	if wantBytes != 0 {
		where = "cx_call_bytes"
	}
	started := false
	defer func() {
		if r := recover(); r != nil {
			// Once the goroutine exists it alone completes s; an envelope returned
			// here as well would let C return while the goroutine still writes s.
			if started {
				ret = nil
			} else {
				ret = recovered(where, r)
			}
		}
	}()
	switch {
	case method == nil:
		return nullArg("method")
	case args == nil:
		return nullArg("args_json (pass \"{}\" for no arguments)")
	case outDataNull != 0:
		return nullArg("out_data")
	case outLenNull != 0:
		return nullArg("out_len")
	}
	name, a := C.GoString(method), goBytes(args)
	started = true
	go finishSync(uint64(h), name, a, wantBytes != 0, where, s)
	return nil
}

// finishSync runs a synchronous call and hands its C-allocated result to the
// waiting thread exactly once, even if something panics. The bytes of a binary
// method are already in C memory (cSink) and change owner without a copy.
func finishSync(h uint64, method string, args []byte, wantBytes bool, where string, s *C.cx_sync) {
	completed := false
	defer func() {
		if r := recover(); r != nil && !completed {
			C.cx_sync_complete(s, recovered(where, r), nil, 0)
		}
	}()
	res := lib.Call(h, method, args, wantBytes)
	env := cString(res.Envelope)
	data, n := takeBody(res.Body)
	completed = true
	C.cx_sync_complete(s, env, data, n)
}
