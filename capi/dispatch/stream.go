package dispatch

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/cxclient/cxreports/core"
)

// Streams (cx_stream_open / cx_stream_read / cx_stream_close): a download of a
// binary method read by the caller in pieces, at its own pace, instead of handed
// over whole. The first read starts a read-ahead (readahead.go) that keeps at
// most two read's worth of the file ahead of the reader, so memory stays flat.

// openFunc opens the stream of a binary method (method.open).
type openFunc func(ctx context.Context, c *core.Client, a *callArgs) (*core.Stream, error)

// streamInfo is the envelope data of cx_stream_open.
type streamInfo struct {
	Bytes       int64  `json:"bytes"` // Content-Length, -1 when the server sent none
	ContentType string `json:"content_type"`
	Filename    string `json:"filename"`
}

// openStream is one stream in the table. Its id is a request id (cx_cancel
// reaches it). Only its read-ahead's pump reads the core stream; readers take
// turns on the read-ahead's queue.
type openStream struct {
	s     *core.Stream
	ctx   context.Context // for explainCancel
	mu    sync.Mutex      // guards ahead
	stop  func()          // cancels ctx and releases the interrupt_fd watch
	inbox *Inbox          // the inbox that owns it (cx_inbox_stream_open), or nil
	ahead *readAhead      // set (under mu) by the first read
}

type streamTable struct {
	mu      sync.Mutex
	streams map[uint64]*openStream
}

func (t *streamTable) add(id uint64, s *openStream) {
	t.mu.Lock()
	defer t.mu.Unlock()
	put(&t.streams, id, s)
}

func (t *streamTable) get(id uint64) *openStream {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.streams[id]
}

func (t *streamTable) take(id uint64) *openStream {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.streams[id]
	delete(t.streams, id)
	return s
}

func (t *streamTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.streams)
}

// streamable reports whether cx_stream_open accepts method: exactly the methods
// whose kind is bytes.
func (m *method) streamable() bool { return m.open != nil }

// OpenStream sends method's request and returns the stream's id (never 0) with an
// envelope whose data is streamInfo, or 0 and an error envelope. The stream lives
// until CloseStream, under the handle's context (cx_client_free cancels it), the
// call's "timeout" (a deadline for the whole stream) and "interrupt_fd" (watched
// until the stream is closed); cx_cancel(id) cancels it too.
func (l *Library) OpenStream(h uint64, name string, args []byte) (id uint64, env []byte) {
	rid, ctx, cancel := l.reserveStream()
	if !l.openStream(ctx, cancel, rid, h, name, args, nil, &env) {
		return 0, env
	}
	return rid, env
}

// reserveStream allocates a stream's id, a request id, and tracks the context
// of its opening under it at once, so that a cx_cancel(id) never comes too early.
func (l *Library) reserveStream() (uint64, context.Context, context.CancelCauseFunc) {
	rid := l.requests.reserve()
	ctx, cancel := context.WithCancelCause(context.Background())
	l.requests.track(rid, cancel)
	return rid, ctx, cancel
}

// openStream opens stream rid (see OpenStream) under ctx, whose cancel it owns;
// in, when set, is the inbox that owns the stream. It reports success, and sets
// *env to the envelope either way.
func (l *Library) openStream(ctx context.Context, cancel context.CancelCauseFunc, rid, h uint64, name string, args []byte, in *Inbox, env *[]byte) (ok bool) {
	stops := []func(){func() { l.requests.untrack(rid) }, func() { cancel(nil) }}
	var once sync.Once // a failed adoption closes the stream, and then the failure path runs
	stop := func() {
		once.Do(func() {
			for i := len(stops) - 1; i >= 0; i-- {
				stops[i]()
			}
		})
	}
	defer func() {
		if r := recover(); r != nil {
			ok, *env = false, PanicEnvelope("cx_stream_open", r)
		}
		if !ok {
			stop()
		}
	}()
	j, res := l.prepare(h, name, args, true)
	if j == nil {
		*env = res.Envelope
		return false
	}
	defer j.e.release() // the stream outlives the call; cx_client_free cancels it through ctx
	if !j.m.streamable() {
		*env = ErrorEnvelope(CodeInvalidArgument, name+" does not return bytes, so it cannot be opened as a stream: cx_stream_open takes "+streamableNames()+"; call it with cx_call")
		return false
	}
	// Its "timeout" is a deadline for the whole stream, from open to close (a bytes
	// method has no wait of its own).
	ctx, stopCall, errEnv := j.context(ctx)
	if errEnv != nil {
		*env = errEnv
		return false
	}
	stops = append(stops, stopCall)
	s, err := j.m.open(ctx, j.e.client, j.a)
	if err != nil {
		*env = encodeError(explainCancel(ctx, errorFor(err)))
		return false
	}
	// In the table before its inbox adopts it: an inbox that closes in between finds
	// it there and closes it.
	l.streams.add(rid, &openStream{s: s, ctx: ctx, stop: stop, inbox: in})
	if in != nil && !in.adoptStream(rid) {
		l.CloseStream(rid)
		*env = ErrorEnvelope(CodeCanceled, "the stream was opened after its inbox closed")
		return false
	}
	*env = encodeOK(streamInfo{Bytes: s.Length, ContentType: s.ContentType, Filename: s.Filename})
	return true
}

// ReadStream reads the next bytes of stream id into p: n > 0 bytes, or n == 0 at
// the end of the file, or an error envelope (n == 0). A stream that failed keeps
// failing the same way; the caller still closes it.
func (l *Library) ReadStream(id uint64, p []byte) (n int, errEnv []byte) {
	defer func() {
		if r := recover(); r != nil {
			n, errEnv = 0, PanicEnvelope("cx_stream_read", r)
		}
	}()
	st := l.streams.get(id)
	if st == nil {
		return 0, encodeError(errorFor(unknownStream(id)))
	}
	if errEnv := checkCap("cx_stream_read", len(p)); errEnv != nil {
		return 0, errEnv
	}
	return l.startAhead(st, min(max(len(p), minCopyPiece), maxCopyPiece)).read(p)
}

// checkCap refuses a read of no bytes, which could never make progress.
func checkCap(fn string, capacity int) []byte {
	if capacity <= 0 {
		return ErrorEnvelope(CodeInvalidArgument, fn+": cap is 0; pass room for at least one byte")
	}
	return nil
}

// read reads the core stream once into p (see ReadStream): the caller is the
// stream's read-ahead pump, its only reader.
func (st *openStream) read(p []byte) (n int, errEnv []byte) {
	for {
		n, err := st.s.Read(p)
		switch {
		case n > 0:
			return n, nil
		case err == nil: // io.Reader allows 0, nil: ask again
			continue
		case errors.Is(err, io.EOF):
			return 0, nil
		}
		return 0, encodeError(explainCancel(st.ctx, errorFor(err)))
	}
}

// CloseStream cancels the stream's request if it is still running and forgets
// the stream; a read waiting on another thread returns "canceled" first. It
// reports whether id was an open stream.
func (l *Library) CloseStream(id uint64) (was bool) {
	defer func() {
		if r := recover(); r != nil {
			was = false
		}
	}()
	st := l.streams.take(id)
	if st == nil {
		return false
	}
	st.s.Close()
	st.stop()
	st.mu.Lock()
	ra := st.ahead
	st.mu.Unlock()
	if ra != nil {
		ra.close()
	}
	if st.inbox != nil {
		st.inbox.forgetStream(id)
	}
	return true
}

// Streams is the number of open streams (tests check it returns to 0).
func (l *Library) Streams() int { return l.streams.len() }

func unknownStream(id uint64) error {
	if id == 0 {
		return newError(CodeInvalidHandle, "stream 0 is not a stream: cx_stream_open returned 0 because it failed (see its result_json)")
	}
	return newError(CodeInvalidHandle, "stream "+strconv.FormatUint(id, 10)+" is unknown or already closed; open one with cx_stream_open")
}

// streamableNames lists the methods cx_stream_open takes, in table order.
func streamableNames() string {
	var names []string
	for _, m := range methodOrder {
		if m.streamable() {
			names = append(names, m.Name)
		}
	}
	return joinNames(names)
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += " or "
		default:
			out += ", "
		}
		out += n
	}
	return out
}
