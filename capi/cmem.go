package main

/*
#include <stdlib.h>
#include <string.h>
#include "cxabi.h"

// Go cannot call a C function pointer directly; these trampolines do. user_data
// travels through Go as an integer so that an arbitrary value (not a real
// pointer) can never confuse the Go garbage collector.
static inline void cx_invoke_done(cx_done_fn fn, uint64_t id, char* env, uint8_t* data, size_t len, uintptr_t ud) {
	fn(id, env, data, len, (void*)ud);
}
static inline void cx_invoke_progress(cx_progress_fn fn, uint64_t id, char* ev, uintptr_t ud) {
	fn(id, ev, (void*)ud);
}
static inline void cx_invoke_log(cx_log_fn fn, int level, char* msg, uintptr_t ud) {
	fn(level, msg, (void*)ud);
}
*/
import "C"

import (
	"unsafe"

	"github.com/cxclient/cxreports/capi/dispatch"
)

// cString copies b into C memory with a terminating NUL; the receiver frees it with
// cx_free. Go memory never reaches C.
func cString(b []byte) *C.char {
	p := C.malloc(C.size_t(len(b) + 1))
	dst := unsafe.Slice((*byte)(p), len(b)+1)
	copy(dst, b)
	dst[len(b)] = 0
	return (*C.char)(p)
}

// cBytes copies b into C memory; an empty result is NULL with length 0.
func cBytes(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	p := C.malloc(C.size_t(len(b)))
	copy(unsafe.Slice((*byte)(p), len(b)), b)
	return (*C.uint8_t)(p), C.size_t(len(b))
}

// goBytes copies a NUL-terminated C string into Go memory, so nothing keeps
// pointing at the caller's buffer after the export returns.
func goBytes(s *C.char) []byte {
	n := int(C.strlen(s))
	b := make([]byte, n)
	copy(b, unsafe.Slice((*byte)(unsafe.Pointer(s)), n))
	return b
}

// invokeDone passes the envelope and the downloaded bytes to done; the bytes are
// already in C memory (cSink) and change owner without a copy.
func invokeDone(fn C.cx_done_fn, id uint64, res dispatch.Result, ud uintptr) {
	env := cString(res.Envelope)
	p, n := takeBody(res.Body)
	C.cx_invoke_done(fn, C.uint64_t(id), env, p, n, C.uintptr_t(ud))
}

func invokeProgress(fn C.cx_progress_fn, id uint64, ev []byte, ud uintptr) {
	C.cx_invoke_progress(fn, C.uint64_t(id), cString(ev), C.uintptr_t(ud))
}

func invokeLog(fn C.cx_log_fn, level int, msg string, ud uintptr) {
	C.cx_invoke_log(fn, C.int(level), cString([]byte(msg)), C.uintptr_t(ud))
}
