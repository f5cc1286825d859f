package dispatch

import (
	"bytes"
	"testing"
	"time"

	"github.com/cxclient/cxreports/core"
	"github.com/cxclient/cxreports/cxfake"
)

// inboxOpen opens get_pdf with args as a stream through the host's inbox.
func (h *host) inboxOpen(t *testing.T, f *fixture, args string) uint64 {
	t.Helper()
	sid, start := f.lib.InboxStreamOpen(h.id, f.h, "get_pdf", []byte(args))
	start()
	e := h.doneEvent(t, sid)
	defer e.free()
	if env := decodeEnvelope(t, e.Text); !env.OK {
		t.Fatalf("open: %s", e.Text)
	}
	return sid
}

// inboxRead reads once through the inbox: the bytes, or the error envelope.
func (h *host) inboxRead(t *testing.T, sid uint64, capacity uint64) ([]byte, []byte) {
	t.Helper()
	id, start := h.lib.InboxStreamRead(h.id, sid, capacity)
	start()
	e := h.doneEvent(t, id)
	defer e.free()
	env := decodeEnvelope(t, e.Text)
	if !env.OK {
		return nil, bytes.Clone(e.Text)
	}
	n := field[int](t, env.Data, "bytes")
	if n == 0 {
		if e.Body != nil {
			t.Fatal("the end came with bytes")
		}
		return nil, nil
	}
	b := bytes.Clone(e.Body.(*BufferSink).Bytes())
	if len(b) != n || uint64(n) > capacity {
		t.Fatalf("read of cap %d says %d bytes, carries %d", capacity, n, len(b))
	}
	return b, nil
}

// aheadOf is the stream's read-ahead (nil before the first inbox read).
func aheadOf(f *fixture, sid uint64) *readAhead {
	st := f.lib.streams.get(sid)
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.ahead
}

// expectBounded waits for the pump of a 3 MB stream that nobody reads to fill
// its queue, checks that it then stops there, and returns the bytes queued.
func expectBounded(t *testing.T, ra *readAhead) (queued int) {
	t.Helper()
	waitFor(t, "the pump to fill its queue", func() bool {
		ra.mu.Lock()
		defer ra.mu.Unlock()
		return len(ra.queue) == aheadPieces
	})
	time.Sleep(100 * time.Millisecond) // an unbounded pump would read on to the end (3 MB) meanwhile
	ra.mu.Lock()
	defer ra.mu.Unlock()
	if len(ra.queue) != aheadPieces || ra.end {
		t.Fatalf("the pump read on while nobody read: %d pieces queued, end %v", len(ra.queue), ra.end)
	}
	queued = -ra.head
	for _, s := range ra.queue {
		queued += s.Len()
	}
	return queued
}

// TestReadAheadBounded: after one inbox read the pump reads ahead only
// aheadPieces pieces, however long the host takes; reads through the inbox with
// a smaller cap (copies) and cx_stream_read (copies) mixed with whole pieces give
// the same bytes as cx_call_bytes, in order.
func TestReadAheadBounded(t *testing.T) {
	f := newFixture(t)
	const args = `{"report_id":160,"params":{"params":{"fakeSizeBytes":3000000}}}`
	want := f.lib.Call(f.h, "get_pdf", []byte(args), true)
	wantBytes := bodyBytes(want)
	want.Body.Free()

	h := newHost(t, f.lib)
	sid := h.inboxOpen(t, f, args)
	defer f.lib.CloseStream(sid)
	const piece = 64 << 10
	var got bytes.Buffer
	b, env := h.inboxRead(t, sid, piece)
	if env != nil {
		t.Fatalf("first read: %s", env)
	}
	got.Write(b)
	ra := aheadOf(f, sid)
	if ra == nil {
		t.Fatal("an inbox read started no read-ahead")
	}
	expectBounded(t, ra)

	buf := make([]byte, 1000)
	for i := 0; ; i++ {
		var b []byte
		switch i % 3 {
		case 0:
			b, env = h.inboxRead(t, sid, piece)
		case 1:
			b, env = h.inboxRead(t, sid, 10000) // smaller than a piece: a copy of its start
		default:
			n, e := f.lib.ReadStream(sid, buf)
			b, env = buf[:n], e
		}
		if env != nil {
			t.Fatalf("read %d: %s", i, env)
		}
		if len(b) == 0 {
			break
		}
		got.Write(b)
	}
	if !bytes.Equal(got.Bytes(), wantBytes) {
		t.Fatalf("read %d bytes, want the %d of cx_call_bytes", got.Len(), len(wantBytes))
	}
	// The end stays the end, for either kind of read.
	if b, env := h.inboxRead(t, sid, piece); b != nil || env != nil {
		t.Fatalf("a read after the end: %d bytes, %s", len(b), env)
	}
	if n, env := f.lib.ReadStream(sid, buf); n != 0 || env != nil {
		t.Fatalf("cx_stream_read after the end: %d bytes, %s", n, env)
	}
}

// TestReadAheadHandsOverEarly: a slow server's bytes reach a waiting host as
// they come, not once a whole piece has filled.
func TestReadAheadHandsOverEarly(t *testing.T) {
	f := newFixture(t, cxfake.WithBandwidth(400_000)) // 50 KB/s: a 1 MiB piece would take 20 s
	h := newHost(t, f.lib)
	sid := h.inboxOpen(t, f, `{"report_id":160,"params":{"params":{"fakeSizeBytes":2000000}}}`)
	b, env := h.inboxRead(t, sid, 1<<20)
	if env != nil || len(b) == 0 || len(b) >= 1<<20 {
		t.Fatalf("first read of a trickle: %d bytes, %s", len(b), env)
	}
	// A read waiting for the trickle ends when the stream is closed.
	id, start := f.lib.InboxStreamRead(h.id, sid, 1<<20)
	start()
	time.Sleep(50 * time.Millisecond) // let it wait on the trickle (a close before it waits is fine too)
	if !f.lib.CloseStream(sid) {
		t.Fatal("CloseStream")
	}
	e := h.doneEvent(t, id)
	defer e.free()
	if env := decodeEnvelope(t, e.Text); env.OK && e.Body == nil {
		t.Fatalf("a read that waited through the close reported the end of the file: %s", e.Text)
	}
	waitStreamsIdle(t, f)
}

// TestReadAheadFailsAfterBytes: a connection cut after bytes were read ahead
// hands out those bytes first, then the connection error, and keeps failing the
// same way; nothing restarts.
func TestReadAheadFailsAfterBytes(t *testing.T) {
	f := newFixture(t)
	const size = 2000000
	f.srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", cxfake.Fault{DropMidBody: true})
	h := newHost(t, f.lib)
	sid := h.inboxOpen(t, f, `{"report_id":160,"params":{"params":{"fakeSizeBytes":2000000}}}`)
	defer f.lib.CloseStream(sid)
	total := 0
	var failure []byte
	for failure == nil {
		b, env := h.inboxRead(t, sid, 100000)
		if env == nil && len(b) == 0 {
			t.Fatalf("a cut download ended as if complete after %d bytes", total)
		}
		total += len(b)
		failure = env
	}
	if total == 0 || total >= size {
		t.Fatalf("%d bytes before the failure, want some and fewer than %d", total, size)
	}
	expectCode(t, failure, core.CodeConnection, f.srv.Token)
	_, again := h.inboxRead(t, sid, 100000)
	expectCode(t, again, core.CodeConnection, f.srv.Token)
	n, env := f.lib.ReadStream(sid, make([]byte, 10))
	if n != 0 {
		t.Fatalf("cx_stream_read after the failure: %d bytes", n)
	}
	expectCode(t, env, core.CodeConnection, f.srv.Token)
	if got := len(f.srv.Requests()); got != 1 {
		t.Fatalf("the fake saw %d requests, want 1 (a stream that handed out bytes never restarts)", got)
	}
}

// TestReadAheadSync: cx_stream_read starts the read-ahead too, in pieces of at
// least minCopyPiece however small the read, stays aheadPieces ahead while the
// caller reads nothing, and a read copies every queued byte that fits, across
// pieces (over TLS one network read is a 16 KiB record: a read that got one
// network read's worth made a 256 KiB read a 16 KiB one).
func TestReadAheadSync(t *testing.T) {
	f := newFixture(t)
	const args = `{"report_id":160,"params":{"params":{"fakeSizeBytes":3000000}}}`
	want := f.lib.Call(f.h, "get_pdf", []byte(args), true)
	wantBytes := bodyBytes(want)
	want.Body.Free()

	id, env := f.lib.OpenStream(f.h, "get_pdf", []byte(args))
	if id == 0 {
		t.Fatalf("open: %s", env)
	}
	defer f.lib.CloseStream(id)
	var got bytes.Buffer
	small := make([]byte, 100)
	n, env := f.lib.ReadStream(id, small)
	if env != nil || n == 0 {
		t.Fatalf("first read: %d, %s", n, env)
	}
	got.Write(small[:n])
	ra := aheadOf(f, id)
	if ra == nil {
		t.Fatal("cx_stream_read started no read-ahead")
	}
	if ra.piece != minCopyPiece {
		t.Fatalf("a 100-byte first read made pieces of %d bytes, want %d", ra.piece, minCopyPiece)
	}
	queued := expectBounded(t, ra)

	big := make([]byte, 4<<20)
	n, env = f.lib.ReadStream(id, big)
	if env != nil || n != queued || n <= minCopyPiece {
		t.Fatalf("a 4 MiB read with %d bytes queued got %d, %s; want them all", queued, n, env)
	}
	got.Write(big[:n])
	for i := 0; ; i++ {
		buf := big[:[]int{4 << 20, 1, 70000}[i%3]]
		n, env := f.lib.ReadStream(id, buf)
		if env != nil {
			t.Fatalf("read %d: %s", i, env)
		}
		if n == 0 {
			break
		}
		got.Write(buf[:n])
	}
	if !bytes.Equal(got.Bytes(), wantBytes) {
		t.Fatalf("read %d bytes, want the %d of cx_call_bytes", got.Len(), len(wantBytes))
	}

	// A huge first read does not make huge pieces.
	id2, env := f.lib.OpenStream(f.h, "get_pdf", []byte(args))
	if id2 == 0 {
		t.Fatalf("open: %s", env)
	}
	defer f.lib.CloseStream(id2)
	if n, env := f.lib.ReadStream(id2, big); n == 0 || env != nil {
		t.Fatalf("first read: %d, %s", n, env)
	}
	if p := aheadOf(f, id2).piece; p != maxCopyPiece {
		t.Fatalf("a 4 MiB first read made pieces of %d bytes, want %d", p, maxCopyPiece)
	}
}

// TestReadAheadSyncTrickle: cx_stream_read of a slow server returns what came,
// not once its buffer or a piece has filled, and cx_stream_close ends a read
// that waits.
func TestReadAheadSyncTrickle(t *testing.T) {
	f := newFixture(t, cxfake.WithBandwidth(400_000)) // 50 KB/s: 1 MiB would take 20 s
	id, env := f.lib.OpenStream(f.h, "get_pdf", []byte(`{"report_id":160,"params":{"params":{"fakeSizeBytes":2000000}}}`))
	if id == 0 {
		t.Fatalf("open: %s", env)
	}
	buf := make([]byte, 1<<20)
	n, env := f.lib.ReadStream(id, buf)
	if env != nil || n == 0 || n >= len(buf) {
		t.Fatalf("first read of a trickle: %d bytes, %s", n, env)
	}
	done := make(chan []byte)
	go func() {
		for {
			n, env := f.lib.ReadStream(id, buf)
			if n == 0 {
				done <- env
				return
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	if !f.lib.CloseStream(id) {
		t.Fatal("CloseStream")
	}
	select {
	case env := <-done:
		if env == nil {
			t.Fatal("a read that waited through the close reported the end of the file")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a read waiting on a trickle did not end when the stream was closed")
	}
	waitStreamsIdle(t, f)
}
