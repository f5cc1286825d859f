package main

/*
#include <stdlib.h>
#include <stdint.h>
*/
import "C"

import (
	"errors"
	"unsafe"

	"github.com/cxclient/cxreports/capi/dispatch"
)

// cSink is the dispatcher's download sink in C memory (dispatch.Library.NewSink):
// the bytes of get_pdf, post_pdf and get_export_content are written straight into
// a malloc'd block, which is then handed to the C caller as it is (take), so a
// file is held once instead of in a Go buffer plus a C copy.
//
// The block is allocated at its final size when the core knows the
// Content-Length (Grow); otherwise it grows geometrically with realloc. Large
// blocks live in their own mmap'd chunks, which glibc's realloc resizes with
// mremap: neither way copies or briefly doubles a large file, and pages reserved
// but never written are never resident.
//
// Only the C pointer is kept, in a Go struct (allowed by cgo's rules); Go memory
// never reaches C, and Write copies from the Go buffer the core reads into.
type cSink struct {
	p   unsafe.Pointer // malloc'd block, nil until the first byte or Grow
	n   int            // bytes written
	cap int            // size of the block
}

func newCSink() dispatch.Sink { return &cSink{} }

// minSinkBlock is the first block of a download without Content-Length.
const minSinkBlock = 64 << 10

var errSinkNoMemory = errors.New("cannot allocate memory for the download (malloc failed)")

// resize makes the block size bytes; false when realloc fails (the block is then
// unchanged).
func (s *cSink) resize(size int) bool {
	q := C.realloc(s.p, C.size_t(size))
	if q == nil {
		return false
	}
	s.p, s.cap = q, size
	return true
}

func (s *cSink) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	need := s.n + len(b)
	if need < s.n {
		return 0, errSinkNoMemory
	}
	if need > s.cap {
		// Doubling keeps the number of reallocs logarithmic; if that much cannot
		// be had, the exact size may still fit.
		want := max(need, 2*s.cap, minSinkBlock)
		if !s.resize(want) && !s.resize(need) {
			return 0, errSinkNoMemory
		}
	}
	copy(unsafe.Slice((*byte)(s.p), s.cap)[s.n:need], b)
	s.n = need
	return len(b), nil
}

// Grow reserves room for n more bytes. Failing to reserve is not an error: a
// lying Content-Length must not fail the call, and Write still grows on demand.
func (s *cSink) Grow(n int) {
	if n <= 0 || s.n+n <= s.cap || s.n+n < s.n {
		return
	}
	s.resize(s.n + n)
}

// Lend makes the block hold n more bytes and returns that room, C memory seen as
// a Go slice (Go may write into C memory; only the reverse is restricted).
func (s *cSink) Lend(n int) []byte {
	need := s.n + n
	if n <= 0 || need < s.n {
		return nil
	}
	if need > s.cap && !s.resize(need) {
		return nil
	}
	return unsafe.Slice((*byte)(s.p), s.cap)[s.n:need:need]
}

func (s *cSink) Commit(n int) { s.n += n }

func (s *cSink) View() []byte {
	if s.n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(s.p), s.n)
}

// Restart keeps the block: a retried download needs the same room again.
func (s *cSink) Restart() { s.n = 0 }

func (s *cSink) Len() int { return s.n }

func (s *cSink) Free() {
	C.free(s.p)
	s.p, s.n, s.cap = nil, 0, 0
}

// take hands the bytes to C: the receiver frees them with cx_free. Room reserved
// but not written is given back first (for a large block mremap just drops the
// tail pages; a small one is shrunk in place), so the caller owns exactly n
// bytes. An empty download is NULL with length 0, as the ABI says.
func (s *cSink) take() (*C.uint8_t, C.size_t) {
	if s.n == 0 {
		s.Free()
		return nil, 0
	}
	if s.n < s.cap {
		s.resize(s.n) // on failure the larger block is still valid
	}
	p, n := s.p, s.n
	s.p, s.n, s.cap = nil, 0, 0
	return (*C.uint8_t)(p), C.size_t(n)
}

// takeBody hands a result's body to C: a cSink (every body, since init sets
// lib.NewSink) without a copy; a Go sink, which only a change of NewSink could
// produce, as a C copy.
func takeBody(b dispatch.Sink) (*C.uint8_t, C.size_t) {
	switch s := b.(type) {
	case nil:
		return nil, 0
	case *cSink:
		return s.take()
	case *dispatch.BufferSink:
		p, n := cBytes(s.Bytes())
		s.Free()
		return p, n
	default:
		b.Free()
		return nil, 0
	}
}

func init() { lib.NewSink = newCSink }
