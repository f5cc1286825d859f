package dispatch

import (
	"bytes"
	"testing"
	"time"
)

// doneEvent waits for the done event of request id in the host's inbox.
func (h *host) doneEvent(t *testing.T, id uint64) Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range h.take() {
			if e.Kind == EventDone && e.ID == id {
				return e
			}
			e.free()
		}
		h.wait(t, 100*time.Millisecond)
	}
	t.Fatalf("no done event for request %d", id)
	return Event{}
}

// TestInboxStream opens and reads a stream through an inbox: the same bytes as
// cx_call_bytes; closing the inbox closes the streams it opened.
func TestInboxStream(t *testing.T) {
	f := newFixture(t)
	args := []byte(`{"report_id":160,"params":{"params":{"fakeSizeBytes":300000}}}`)
	want := f.lib.Call(f.h, "get_pdf", args, true)
	wantBytes := bodyBytes(want)
	want.Body.Free()

	h := newHost(t, f.lib)
	sid, start := f.lib.InboxStreamOpen(h.id, f.h, "get_pdf", args)
	if sid == 0 {
		t.Fatal("InboxStreamOpen returned 0")
	}
	start()
	e := h.doneEvent(t, sid)
	env := decodeEnvelope(t, e.Text)
	if !env.OK || field[int64](t, env.Data, "bytes") != int64(len(wantBytes)) {
		t.Fatalf("open: %s", e.Text)
	}
	var got bytes.Buffer
	for {
		id, start := f.lib.InboxStreamRead(h.id, sid, 50000)
		start()
		e := h.doneEvent(t, id)
		env := decodeEnvelope(t, e.Text)
		if !env.OK {
			t.Fatalf("read: %s", e.Text)
		}
		n := field[int](t, env.Data, "bytes")
		if n == 0 {
			if e.Body != nil {
				t.Fatal("the end came with bytes")
			}
			break
		}
		b := e.Body.(*BufferSink).Bytes()
		if len(b) != n || n > 50000 {
			t.Fatalf("read says %d bytes, carries %d", n, len(b))
		}
		got.Write(b)
		e.free()
	}
	if !bytes.Equal(got.Bytes(), wantBytes) {
		t.Fatalf("the inbox stream gave %d bytes, cx_call_bytes %d", got.Len(), len(wantBytes))
	}
	if !f.lib.CloseStream(sid) {
		t.Fatal("CloseStream of the inbox's stream")
	}

	// Errors arrive as done events too.
	id, start := f.lib.InboxStreamRead(h.id, sid, 10)
	start()
	expectCode(t, h.doneEvent(t, id).Text, CodeInvalidHandle, "")
	id, start = f.lib.InboxStreamOpen(h.id, f.h, "get_workspaces", []byte(`{}`))
	start()
	expectCode(t, h.doneEvent(t, id).Text, CodeInvalidArgument, "")

	// Closing the inbox closes its open streams, and the download ends.
	sid, start = f.lib.InboxStreamOpen(h.id, f.h, "get_pdf", []byte(`{"report_id":160,"params":{"params":{"fakeSizeBytes":200000000}}}`))
	start()
	if env := decodeEnvelope(t, h.doneEvent(t, sid).Text); !env.OK {
		t.Fatalf("open: %+v", env.Error)
	}
	if f.lib.Streams() != 1 {
		t.Fatalf("%d streams open, want 1", f.lib.Streams())
	}
	f.lib.CloseInbox(h.id)
	if f.lib.Streams() != 0 || f.lib.Pending() != 0 {
		t.Fatalf("after the inbox closed: %d streams, %d requests", f.lib.Streams(), f.lib.Pending())
	}
	waitStreamsIdle(t, f)
	if id, _ := f.lib.InboxStreamOpen(h.id, f.h, "get_pdf", args); id != 0 {
		t.Fatal("a closed inbox opened a stream")
	}
	if id, _ := f.lib.InboxStreamRead(h.id, sid, 10); id != 0 {
		t.Fatal("a closed inbox started a read")
	}
}
