package main

/*
#include "cxabi.h"
*/
import "C"

// cxgo_call is the Go half of cx_call and cx_call_bytes (sync.c holds the exported
// C functions, whose prototypes must carry const). The call runs right here, on
// the goroutine locked to the caller's OS thread: its HTTP exchange uses blocking
// system calls on that thread (dispatch.Library.Call, core.OnCallerThread), so the
// thread sleeps in the kernel instead of being woken through Go's scheduler for
// every hand-off. The bytes of a binary method are stored in *data and *n.
//
//export cxgo_call
func cxgo_call(h C.cx_handle, method, args *C.char, wantBytes, outDataNull, outLenNull C.int, data **C.uint8_t, n *C.size_t) (ret *C.char) {
	where := "cx_call"
	if wantBytes != 0 {
		where = "cx_call_bytes"
	}
	*data, *n = nil, 0
	defer func() {
		if r := recover(); r != nil {
			ret = recovered(where, r)
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
	res := lib.Call(uint64(h), C.GoString(method), goBytes(args), wantBytes != 0)
	env := cString(res.Envelope)
	*data, *n = cBytes(res.Bytes)
	return env
}
