package dispatch

import (
	"bytes"
	"io"
)

// Sink receives the bytes of a binary method (get_pdf, post_pdf,
// get_export_content) as they arrive, so that a large file is held once, where
// its receiver wants it, instead of in a Go buffer that is then copied: capi/
// installs a sink in C memory whose block is handed to the C caller as it is.
//
// A Sink is used by one goroutine at a time. Whoever holds the Result that
// carries it owns it: on success the caller takes its bytes, on every failure the
// dispatcher calls Free.
type Sink interface {
	io.Writer
	// Grow makes room for n more bytes. It is a hint (the Content-Length of the
	// answer): a sink may ignore it, and a failure to reserve is not an error.
	Grow(n int)
	// Restart forgets what was written, keeping the room already reserved. The
	// core calls it when it retries a GET whose body was cut, so the retried body
	// starts from byte 0.
	Restart()
	// Len is the number of bytes written since the last Restart.
	Len() int
	// Free releases the memory; the sink is not used afterwards.
	Free()
}

// SinkFunc makes the sink of one download (Library.NewSink).
type SinkFunc func() Sink

// BufferSink is the default Sink, in Go memory: tests and Go callers read it with
// Bytes.
type BufferSink struct{ buf bytes.Buffer }

// NewBufferSink is the SinkFunc used when Library.NewSink is nil.
func NewBufferSink() Sink { return &BufferSink{} }

// maxGoGrow caps what a Content-Length may reserve in Go memory up front: Go
// cannot fail an allocation softly, so a server announcing a huge length must not
// be able to crash the host before it has sent anything. Beyond the cap the
// buffer grows as the bytes arrive (as core.GetPDF does).
const maxGoGrow = 256 << 20

func (s *BufferSink) Write(p []byte) (int, error) { return s.buf.Write(p) }

// Grow reserves up to maxGoGrow bytes.
func (s *BufferSink) Grow(n int) {
	if n > 0 && n <= maxGoGrow {
		s.buf.Grow(n)
	}
}

func (s *BufferSink) Restart()      { s.buf.Reset() }
func (s *BufferSink) Len() int      { return s.buf.Len() }
func (s *BufferSink) Free()         { s.buf = bytes.Buffer{} }
func (s *BufferSink) Bytes() []byte { return s.buf.Bytes() }

// Lender is a Sink that lends its own memory for the next bytes: a stream read
// through an inbox (InboxStreamRead) reads the network straight into it, so a
// piece reaches its receiver (C memory, under capi) with no Go buffer between.
type Lender interface {
	Sink
	// Lend returns room for up to n more bytes, in the sink's memory, valid until
	// the next call on the sink; nil when that much cannot be had.
	Lend(n int) []byte
	// Commit counts the first n bytes of the room Lend returned as written.
	Commit(n int)
	// View is the bytes written, valid until the next call on the sink.
	View() []byte
}

// Lend grows the buffer and returns its unused room.
func (s *BufferSink) Lend(n int) []byte {
	s.buf.Grow(n)
	return s.buf.AvailableBuffer()[:n]
}

// Commit appends what was read into the lent room; Write copies a slice onto
// itself, which costs a memmove of n bytes in tests only (capi's sink is a cSink).
func (s *BufferSink) Commit(n int) { s.buf.Write(s.buf.AvailableBuffer()[:n]) }

func (s *BufferSink) View() []byte { return s.buf.Bytes() }

// newSink is the sink factory in effect: the Library's, else Go memory.
func (l *Library) newSink() SinkFunc {
	if l.NewSink != nil {
		return l.NewSink
	}
	return NewBufferSink
}
