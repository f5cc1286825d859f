package main

/*
#include "cxabi.h"

// cx_sync_post hands a synchronous call's result to the C thread waiting in
// sync.c. After the post the waiter may return and its stack frame (and s)
// vanish; glibc's sem_post does not touch the semaphore after waking the waiter.
static inline void cx_sync_post(cx_sync* s, char* env, uint8_t* data, size_t len) {
	s->env = env;
	s->data = data;
	s->len = len;
	sem_post(&s->sem);
}
*/
import "C"

import (
	"strconv"

	"github.com/cxclient/cxreports/capi/dispatch"
)

// The Go half of cx_call and cx_call_bytes; sync.c holds the exported C functions
// and says why they wait in C.

// cxgo_call_start checks a synchronous call on the caller's thread. It returns the
// envelope when the call is already complete (bad input, or a method that needs
// no network), with any bytes stored in s; otherwise it returns NULL after
// starting the call on a worker goroutine, which posts s exactly once.
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
			// Once the goroutine is started it alone completes the call; returning
			// an envelope as well would let C free s while the goroutine posts it.
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
	job, res := lib.StartSync(uint64(h), C.GoString(method), goBytes(args), wantBytes != 0)
	if job == nil {
		s.data, s.len = cBytes(res.Bytes)
		return cString(res.Envelope)
	}
	started = true
	runOnWorker(func() { finishSync(job, where, s) })
	return nil
}

// finishSync runs a started synchronous call and posts its C-allocated result to
// the waiting C thread exactly once, even if something panics.
func finishSync(job *dispatch.Job, where string, s *C.cx_sync) {
	posted := false
	defer func() {
		if r := recover(); r != nil && !posted {
			C.cx_sync_post(s, recovered(where, r), nil, 0)
		}
	}()
	res := job.Run()
	data, n := cBytes(res.Bytes)
	env := cString(res.Envelope)
	posted = true
	C.cx_sync_post(s, env, data, n)
}

// cxgo_sync_failure reports that the semaphore of a synchronous call could not be
// created (sem_init failed with errno).
//
//export cxgo_sync_failure
func cxgo_sync_failure(code C.int) (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			ret = recovered("cx_call", r)
		}
	}()
	return cString(dispatch.ErrorEnvelope(dispatch.CodeInternal,
		"cannot create the semaphore a synchronous call waits on (sem_init errno "+strconv.Itoa(int(code))+"); use cx_call_async instead"))
}
