package core

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Stream is a download opened for reading at the reader's own pace (OpenPDF,
// OpenPostPDF, OpenExportContent). The body is read from the network only when
// Read asks for more, so a file of any size takes the same memory: the first
// streamHead bytes, then nothing beyond the caller's buffer.
//
// The headers are known before the first Read: ContentType, Filename and Length.
// A GET whose answer is cut while the stream is being opened starts over (the
// caller has seen nothing yet); once Open has returned, a cut fails the next Read
// with code "connection" and the stream never starts over by itself. A POST is
// never sent twice.
//
// Read is for one goroutine at a time; Close may be called from any goroutine,
// also while a Read waits: it cancels the request, and that Read (and every later
// one) fails with code "canceled".
type Stream struct {
	ContentType string // the answer's Content-Type
	Filename    string // from Content-Disposition, "" when the server sent none
	Length      int64  // Content-Length; -1 when the server did not send one

	c      *Client
	bc     binaryCall
	r      *response
	closed atomic.Bool

	mu      sync.Mutex // guards what follows: Read against Close's release
	head    []byte     // the bytes read while opening, not handed out yet
	n       int64      // bytes of the body read from the network
	err     error      // sticky end: io.EOF or the failure
	prog    *downloadProgress
	release func() // ends the response; nil once done
}

// streamHead is how much Open reads before it returns: the PDF signature is
// checked in it, and a cut within it starts over. It is small, so a stream
// starts without waiting for much of the file.
const streamHead = 32 << 10

var errStreamClosed = errors.New("the stream was closed")

// OpenPDF is GetPDF as a Stream: the caller reads the PDF and must Close the
// stream. ctx governs the whole stream, not only the opening: canceling it fails
// the Read in progress and the following ones.
func (c *Client) OpenPDF(ctx context.Context, report Ref, q Query, opts ...CallOption) (*Stream, error) {
	bc, err := c.getPDFCall(report, q, opts)
	if err != nil {
		return nil, err
	}
	return c.openStream(ctx, bc)
}

// OpenPostPDF is PostPDF as a Stream (see OpenPDF). The POST is sent once: a
// cut answer is a "connection" error, as for PostPDF.
func (c *Client) OpenPostPDF(ctx context.Context, report Ref, body any, opts ...CallOption) (*Stream, error) {
	bc, err := c.postPDFCall(report, body, opts)
	if err != nil {
		return nil, err
	}
	return c.openStream(ctx, bc)
}

// OpenExportContent is GetExportContent as a Stream (see OpenPDF). A job run's
// review document is an export too (GetRunReviewDocument gives its id).
func (c *Client) OpenExportContent(ctx context.Context, tempFile Ref, opts ...CallOption) (*Stream, error) {
	bc, err := c.contentCall(tempFile, opts)
	if err != nil {
		return nil, err
	}
	return c.openStream(ctx, bc)
}

// openStream sends bc and reads the head of its answer, starting over while a GET
// is cut before its head is complete.
func (c *Client) openStream(ctx context.Context, bc binaryCall) (*Stream, error) {
	bc.start = time.Now()
	bc.progress = neverBack(bc.progress)
	for retried := 0; ; retried++ {
		s, err := c.openOnce(ctx, bc)
		if err == nil {
			return s, nil
		}
		if !c.cutRetryable(bc.call, err, retried) {
			return nil, err
		}
		c.waitCut(ctx, bc.call, retried)
	}
}

func (c *Client) openOnce(ctx context.Context, bc binaryCall) (*Stream, error) {
	r, err := c.send(ctx, bc.call)
	if err != nil {
		return nil, err
	}
	d, isPDF, err := c.accept(r, bc)
	if err != nil {
		r.close()
		return nil, err
	}
	head := make([]byte, streamHead)
	n, err := r.readHead(head, isPDF, true)
	if err != nil && err != io.EOF {
		r.close()
		return nil, err
	}
	s := &Stream{ContentType: d.ContentType, Filename: d.Filename, Length: r.ContentLength,
		c: c, bc: bc, r: r, head: head[:n], n: int64(n), release: r.close}
	if err == io.EOF {
		s.end(io.EOF)
	}
	if bc.progress != nil {
		s.prog = newDownloadProgress(bc.progress, bc.start, r.ContentLength)
	}
	return s, nil
}

// end records how the body ended: at io.EOF the length is checked against
// Content-Length. The response is released at once, so the connection goes back
// to the pool (or away, on failure) without waiting for Close.
func (s *Stream) end(err error) {
	if err == io.EOF {
		if lerr := s.r.lengthError(s.n); lerr != nil {
			err = lerr
		}
	}
	s.err = err
	if s.release != nil {
		s.release()
		s.release = nil
	}
}

// Read reads the next bytes of the file into p. It returns io.EOF after the last
// byte, or an *Error: "connection" when the answer was cut, "invalid_response"
// when it was shorter or longer than its Content-Length, "canceled" after Close
// or when ctx was canceled, "timeout" when the server stayed silent for the
// client's timeout while Read waited.
func (s *Stream) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return 0, s.closedError()
	}
	if len(s.head) > 0 {
		n := copy(p, s.head)
		s.head = s.head[n:]
		if len(s.head) == 0 {
			s.head = nil // the head's memory goes as soon as it is handed out
		}
		s.handed(n)
		return n, nil
	}
	if s.err != nil {
		return 0, s.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if err := s.r.ctx.Err(); err != nil {
		// Canceled (the caller's context, cx_cancel, the client's Close): fail now
		// instead of handing out what the connection still holds buffered, so that
		// reads end at the cancel however the threads are scheduled.
		s.end(s.r.readError(err))
		return 0, s.err
	}
	n, err := s.r.Body.Read(p)
	s.n += int64(n)
	if err != nil {
		if s.closed.Load() {
			return 0, s.closedError() // Close canceled this very read
		}
		if err != io.EOF {
			err = s.r.readError(err)
		}
		s.end(err)
	}
	if n > 0 || s.err == io.EOF {
		s.handed(n) // at the end also when the last read brought nothing: "done"
	}
	if n > 0 {
		return n, nil
	}
	return 0, s.err
}

// handed counts n bytes given to the reader, for progress; once the body has
// ended and the head is handed out it reports "done".
func (s *Stream) handed(n int) {
	if s.prog == nil {
		return
	}
	if n > 0 {
		s.prog.add(n)
	}
	if s.err == io.EOF && len(s.head) == 0 {
		reportDone(s.bc.progress, s.bc.start, s.prog.done)
		s.prog = nil
	}
}

func (s *Stream) closedError() error {
	return s.c.finish(&Error{Code: CodeCanceled, Method: s.bc.method, URL: s.bc.url, Err: context.Canceled,
		Message: "Request canceled: the stream of " + s.bc.method + " " + s.c.shown(s.bc.url) + " was closed; open it again to read it."})
}

// Close cancels the request if the body was not read to its end and releases the
// stream. It may be called from any goroutine, more than once; it always
// returns nil.
func (s *Stream) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.r.cancel(errStreamClosed) // wakes a Read that waits for the network
	s.mu.Lock()
	defer s.mu.Unlock()
	s.head = nil
	if s.release != nil {
		s.release()
		s.release = nil
	}
	return nil
}

// Download describes what the stream has handed out so far: the headers and,
// once Read has returned io.EOF, the size of the whole file.
func (s *Stream) Download() Download {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Download{ContentType: s.ContentType, Filename: s.Filename, Bytes: s.n - int64(len(s.head))}
}
