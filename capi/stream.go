package main

/*
#include <stdint.h>
#include <stddef.h>
*/
import "C"

import (
	"unsafe"

	"github.com/cxclient/cxreports/capi/dispatch"
)

// The stream exports (include/cxreports.h, "STREAMS"): a download read by the
// caller in pieces. dispatch/stream.go has the logic; this file converts types
// and recovers panics.

// maxStreamRead bounds one read: a cap larger than this is allowed and simply
// filled up to it (the result fits an int64 and a Go slice either way).
const maxStreamRead = 1 << 30

//export cx_stream_open
func cx_stream_open(h C.uint64_t, method, args *C.char, resultJSON **C.char) C.uint64_t {
	return C.uint64_t(construct("cx_stream_open", resultJSON, false, "", func() (uint64, []byte) {
		switch {
		case method == nil:
			return 0, nullArgEnvelope("method")
		case args == nil:
			return 0, nullArgEnvelope("args_json (pass \"{}\" for no arguments)")
		}
		id, env := lib.OpenStream(uint64(h), C.GoString(method), goBytes(args))
		if id != 0 {
			// construct sets the out pointer only on failure; a stream's
			// envelope describes the file on success too.
			setError(resultJSON, env)
		}
		return id, env
	}))
}

//export cx_stream_read
func cx_stream_read(stream C.uint64_t, buf *C.uint8_t, capacity C.size_t, errorJSON **C.char) (ret C.int64_t) {
	defer func() {
		if r := recover(); r != nil {
			ret = -1
			setError(errorJSON, dispatch.PanicEnvelope("cx_stream_read", r))
		}
	}()
	setError(errorJSON, nil)
	if buf == nil {
		setError(errorJSON, nullArgEnvelope("buf"))
		return -1
	}
	n := min(uint64(capacity), maxStreamRead)
	// The core reads straight into the caller's C buffer: no Go copy of the bytes,
	// and no Go pointer ever reaches C.
	p := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	got, env := lib.ReadStream(uint64(stream), p)
	if env != nil {
		setError(errorJSON, env)
		return -1
	}
	return C.int64_t(got)
}

//export cx_stream_close
func cx_stream_close(stream C.uint64_t) C.int {
	return answer(func() bool { return lib.CloseStream(uint64(stream)) })
}

//export cx_inbox_stream_open
func cx_inbox_stream_open(inbox C.uint64_t, h C.uint64_t, method, args *C.char) C.uint64_t {
	return startByMethod(method, args, failInInbox(inbox), func(method string, args []byte) (uint64, func()) {
		return lib.InboxStreamOpen(uint64(inbox), uint64(h), method, args)
	})
}

//export cx_inbox_stream_read
func cx_inbox_stream_read(inbox C.uint64_t, stream C.uint64_t, capacity C.size_t) (ret C.uint64_t) {
	var start func()
	defer startOrFail(&start, &ret)
	var id uint64
	id, start = lib.InboxStreamRead(uint64(inbox), uint64(stream), uint64(capacity))
	return C.uint64_t(id)
}
