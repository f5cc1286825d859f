package main

/*
#include "cxabi.h"
*/
import "C"

import (
	"unsafe"

	"github.com/cxclient/cxreports/capi/dispatch"
)

// lib is the process-wide state behind the C ABI.
var lib dispatch.Library

// Every export recovers panics: one that crossed the cgo boundary would abort the
// host process. Pointers handed to C are always C.malloc'd copies.

func recovered(where string, r any) *C.char { return cString(dispatch.PanicEnvelope(where, r)) }

func nullArg(name string) *C.char {
	return cString(nullArgEnvelope(name))
}

func nullArgEnvelope(name string) []byte {
	return dispatch.ErrorEnvelope(dispatch.CodeInvalidArgument, name+" is NULL")
}

// setError stores an error envelope (nil: none) through a constructor's optional
// errorJSON out pointer; with no pointer, nothing is allocated that nobody frees.
func setError(out **C.char, env []byte) {
	if out == nil {
		return
	}
	*out = nil
	if env != nil {
		*out = cString(env)
	}
}

//export cx_abi_version
func cx_abi_version() (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			ret = 0
		}
	}()
	return C.int(dispatch.ABIVersion)
}

//export cx_version
func cx_version() (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			ret = recovered("cx_version", r)
		}
	}()
	return cString(dispatch.Version())
}

//export cx_methods
func cx_methods() (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			ret = recovered("cx_methods", r)
		}
	}()
	return cString(dispatch.Methods())
}

//export cx_client_new
func cx_client_new(config *C.char, errorJSON **C.char) C.cx_handle {
	return C.cx_handle(construct("cx_client_new", errorJSON, config == nil, "config_json", func() (uint64, []byte) {
		return lib.NewClient(goBytes(config))
	}))
}

// construct runs the body of an export that makes a handle (cx_client_new,
// cx_inbox_new): the optional errorJSON is cleared, a NULL argument is refused,
// and a failure or a panic leaves 0 and its error envelope there.
func construct(where string, errorJSON **C.char, argIsNull bool, argName string, make func() (uint64, []byte)) (id uint64) {
	defer func() {
		if r := recover(); r != nil {
			id = 0
			setError(errorJSON, dispatch.PanicEnvelope(where, r))
		}
	}()
	setError(errorJSON, nil)
	if argIsNull {
		setError(errorJSON, nullArgEnvelope(argName))
		return 0
	}
	id, env := make()
	if id == 0 {
		setError(errorJSON, env)
	}
	return id
}

//export cx_client_free
func cx_client_free(h C.cx_handle) (ret *C.char) {
	defer func() {
		if r := recover(); r != nil {
			ret = recovered("cx_client_free", r)
		}
	}()
	return cString(lib.FreeClient(uint64(h)))
}

//export cx_call_async
func cx_call_async(h C.cx_handle, method, args *C.char, done C.cx_done_fn, progress C.cx_progress_fn, userData unsafe.Pointer) C.uint64_t {
	if done == nil {
		return 0
	}
	ud := uintptr(userData)
	onDone := func(id uint64, r dispatch.Result) { invokeDone(done, id, r, ud) }
	var onProgress func(uint64, []byte)
	if progress != nil {
		onProgress = func(id uint64, ev []byte) { invokeProgress(progress, id, ev, ud) }
	}
	return startByMethod(method, args, func(msg string) (uint64, func()) {
		return lib.FailAsync(dispatch.CodeInvalidArgument, msg, onDone)
	}, func(method string, args []byte) (uint64, func()) {
		return lib.CallAsync(uint64(h), method, args, onDone, onProgress)
	})
}

// startByMethod is the body of the entry points that start a call on a method
// and its arguments: a NULL one fails the call (fail starts a request whose
// done event carries the error), otherwise run starts it.
func startByMethod(method, args *C.char, fail func(msg string) (uint64, func()), run func(method string, args []byte) (uint64, func())) (ret C.uint64_t) {
	var start func()
	defer startOrFail(&start, &ret)
	var id uint64
	switch {
	case method == nil:
		id, start = fail("method is NULL")
	case args == nil:
		id, start = fail("args_json is NULL (pass \"{}\" for no arguments)")
	default:
		id, start = run(C.GoString(method), goBytes(args))
	}
	return C.uint64_t(id)
}

// startOrFail is deferred by the entry points that start a call (startByMethod,
// cx_inbox_stream_read). A panic there is a bug; once the request exists it still runs,
// so its done event arrives exactly once; before that, the caller gets 0.
func startOrFail(start *func(), ret *C.uint64_t) {
	if r := recover(); r != nil && *start == nil {
		*ret = 0
	}
	if *start != nil {
		(*start)()
	}
}

// answer is the body of the entry points that answer 1 (done) or 0 (nothing to
// do: an unknown or finished id); a panic there is a bug and answers 0.
func answer(ok func() bool) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			ret = 0
		}
	}()
	if ok() {
		return 1
	}
	return 0
}

//export cx_cancel
func cx_cancel(id C.uint64_t) C.int {
	return answer(func() bool { return lib.Cancel(uint64(id)) })
}

//export cx_set_log_callback
func cx_set_log_callback(fn C.cx_log_fn, minLevel C.int, userData unsafe.Pointer) {
	defer func() { _ = recover() }()
	if fn == nil {
		lib.SetLog(nil, 0)
		return
	}
	ud := uintptr(userData)
	lib.SetLog(func(level int, msg string) { invokeLog(fn, level, msg, ud) }, int(minLevel))
}
