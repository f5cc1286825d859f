package main

import (
	"bytes"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/cxclient/cxreports/capi/capitest"
)

// TestStreamExports drives cx_stream_open / cx_stream_read / cx_stream_close
// through C: a PDF read in small pieces into C buffers equals cx_call_bytes's,
// an early close ends the request at the fake, and bad input is an error.
func TestStreamExports(t *testing.T) {
	h, srv := client(t)
	args := `{"report_id":160,"params":{"params":{"fakeSizeBytes":3000000}}}`
	env, want := capitest.CallBytes(h, s("get_pdf"), s(args), false)
	wantOK(t, env)

	id, res := capitest.StreamOpen(h, s("get_pdf"), s(args), false)
	if id == 0 {
		t.Fatalf("cx_stream_open: %s", res)
	}
	var info struct {
		Bytes       int64  `json:"bytes"`
		ContentType string `json:"content_type"`
	}
	if err := json.Unmarshal(wantOK(t, res), &info); err != nil || info.Bytes != int64(len(want)) || info.ContentType != "application/pdf" {
		t.Fatalf("cx_stream_open result %s (%v), want %d bytes of application/pdf", res, err, len(want))
	}
	var got bytes.Buffer
	for {
		n, data, e := capitest.StreamRead(id, 4093)
		if n < 0 {
			t.Fatalf("cx_stream_read: %s", e)
		}
		if n == 0 {
			break
		}
		if e != "" || int(n) != len(data) {
			t.Fatalf("cx_stream_read returned %d with error_json %q", n, e)
		}
		got.Write(data)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("the stream gave %d bytes, cx_call_bytes %d", got.Len(), len(want))
	}
	if capitest.StreamClose(id) != 1 || capitest.StreamClose(id) != 0 {
		t.Fatal("cx_stream_close must say 1, then 0")
	}

	// Early close: the fake stops serving at once.
	id, _ = capitest.StreamOpen(h, s("get_pdf"), s(`{"report_id":160,"params":{"params":{"fakeSizeBytes":200000000}}}`), true)
	if id == 0 {
		t.Fatal("cx_stream_open with a NULL result_json failed")
	}
	if n, _, e := capitest.StreamRead(id, 1<<16); n <= 0 {
		t.Fatalf("cx_stream_read: %d %s", n, e)
	}
	start := time.Now()
	capitest.StreamClose(id)
	waitInFlight(t, srv, 0)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the request ended %v after cx_stream_close", d)
	}

	// Bad input.
	for _, c := range []struct {
		method, args *string
		code         string
	}{
		{nil, s("{}"), "invalid_argument"},
		{s("get_pdf"), nil, "invalid_argument"},
		{s("get_pdf"), s("junk"), "invalid_argument"},
		{s("get_workspaces"), s("{}"), "invalid_argument"},
		{s("nope"), s("{}"), "unknown_method"},
	} {
		id, res := capitest.StreamOpen(h, c.method, c.args, false)
		if id != 0 {
			t.Fatalf("cx_stream_open opened %d", id)
		}
		wantCode(t, res, c.code)
	}
	if id, res := capitest.StreamOpen(0, s("get_pdf"), s(args), false); id != 0 {
		t.Fatal("handle 0 opened a stream")
	} else {
		wantCode(t, res, "invalid_handle")
	}
	for _, c := range []struct {
		id   uint64
		n    int
		code string
	}{{0, 10, "invalid_handle"}, {id, 10, "invalid_handle"}, {987654, 10, "invalid_handle"}, {id, -1, "invalid_argument"}} {
		n, _, e := capitest.StreamRead(c.id, c.n)
		if n != -1 {
			t.Fatalf("cx_stream_read(%d, cap %d) = %d", c.id, c.n, n)
		}
		wantCode(t, e, c.code)
	}
	id, _ = capitest.StreamOpen(h, s("get_pdf"), s(args), true)
	if n, _, e := capitest.StreamRead(id, 0); n != -1 {
		t.Fatalf("cap 0 read %d", n)
	} else {
		wantCode(t, e, "invalid_argument")
	}
	capitest.StreamClose(id)
	if capitest.StreamClose(0) != 0 {
		t.Fatal("cx_stream_close(0) says 1")
	}
	if lib.Streams() != 0 {
		t.Fatalf("%d streams left", lib.Streams())
	}
}

// TestInboxStreamExports: cx_inbox_stream_open / cx_inbox_stream_read through C,
// their events taken with cx_inbox_next.
func TestInboxStreamExports(t *testing.T) {
	h, _ := client(t)
	q, fd, e := capitest.InboxNew(false)
	if q == 0 {
		t.Fatalf("cx_inbox_new: %s", e)
	}
	defer syscall.Close(fd)
	defer capitest.InboxClose(q)
	done := func(id uint64) capitest.Event {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if ev, ok := capitest.InboxNext(q); ok && ev.ID == id && ev.Kind == 1 {
				return ev
			}
		}
		t.Fatalf("no done event for %d", id)
		return capitest.Event{}
	}
	args := `{"report_id":160,"params":{"params":{"fakeSizeBytes":500000}}}`
	_, want := capitest.CallBytes(h, s("get_pdf"), s(args), false)
	sid := capitest.InboxStreamOpen(q, h, s("get_pdf"), s(args))
	if sid == 0 {
		t.Fatal("cx_inbox_stream_open returned 0")
	}
	wantOK(t, done(sid).Text)
	var got bytes.Buffer
	for {
		ev := done(capitest.InboxStreamRead(q, sid, 65536))
		wantOK(t, ev.Text)
		if len(ev.Data) == 0 {
			break
		}
		got.Write(ev.Data)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("the inbox stream gave %d bytes, cx_call_bytes %d", got.Len(), len(want))
	}
	if capitest.StreamClose(sid) != 1 {
		t.Fatal("cx_stream_close of an inbox stream")
	}
	wantCode(t, done(capitest.InboxStreamOpen(q, h, nil, s("{}"))).Text, "invalid_argument")
	wantCode(t, done(capitest.InboxStreamRead(q, sid, 100)).Text, "invalid_handle")
	if capitest.InboxStreamOpen(987654, h, s("get_pdf"), s(args)) != 0 || capitest.InboxStreamRead(987654, sid, 10) != 0 {
		t.Fatal("an unknown inbox started something")
	}
}
