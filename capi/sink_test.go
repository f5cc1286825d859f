package main

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/cxclient/cxreports/capi/capitest"
	"github.com/cxclient/cxreports/core"
	"github.com/cxclient/cxreports/cxfake"
)

// The C sink: downloads are written straight into C memory, which cx_call_bytes
// and the done callback hand over as they are.

// cSinkBytes takes the sink's block, copies it into Go and frees it.
func cSinkBytes(t *testing.T, s *cSink) []byte {
	t.Helper()
	p, n := s.take()
	if s.p != nil || s.n != 0 || s.cap != 0 {
		t.Fatal("take left the block in the sink")
	}
	if p == nil {
		if n != 0 {
			t.Fatalf("NULL with length %d", n)
		}
		return nil
	}
	b := bytes.Clone(unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)))
	capitest.FreeC(unsafe.Pointer(p))
	return b
}

func TestCSink(t *testing.T) {
	// Without a Content-Length: grows as it goes; the block handed over is exact.
	s := newCSink().(*cSink)
	var want []byte
	for i := 0; i < 300; i++ {
		chunk := bytes.Repeat([]byte{byte(i)}, 1000+i)
		if n, err := s.Write(chunk); n != len(chunk) || err != nil {
			t.Fatalf("write: %d, %v", n, err)
		}
		want = append(want, chunk...)
	}
	if s.Len() != len(want) || s.cap < s.Len() {
		t.Fatalf("len %d cap %d, want len %d", s.Len(), s.cap, len(want))
	}
	if got := cSinkBytes(t, s); !bytes.Equal(got, want) {
		t.Fatal("bytes differ")
	}

	// Grow reserves the final size once; writes then fit without a realloc.
	s = newCSink().(*cSink)
	s.Grow(1 << 20)
	p := s.p
	if s.cap != 1<<20 || p == nil {
		t.Fatalf("Grow: cap %d", s.cap)
	}
	s.Grow(1 << 20) // the same hint again (a retried download): nothing changes
	for i := 0; i < 16; i++ {
		s.Write(make([]byte, 64<<10))
	}
	if s.p != p || s.cap != 1<<20 || s.Len() != 1<<20 {
		t.Fatalf("the reserved block was moved or grown: cap %d len %d", s.cap, s.Len())
	}

	// Restart forgets the bytes, keeps the block.
	s.Restart()
	s.Write([]byte("%PDF-again"))
	if s.p != p || s.Len() != 10 {
		t.Fatalf("Restart: len %d", s.Len())
	}
	if got := cSinkBytes(t, s); string(got) != "%PDF-again" {
		t.Fatalf("after Restart: %q", got)
	}

	// Empty: NULL and 0, nothing left allocated; Free of an unused sink is fine.
	s = newCSink().(*cSink)
	s.Grow(4096)
	if got := cSinkBytes(t, s); got != nil {
		t.Fatal("an empty download gave bytes")
	}
	s = newCSink().(*cSink)
	s.Write([]byte("x"))
	s.Free()
	s.Free()
	newCSink().Free()

	// An absurd hint fails softly: the sink still works.
	s = newCSink().(*cSink)
	s.Grow(1 << 62)
	s.Write([]byte("ok"))
	if got := cSinkBytes(t, s); string(got) != "ok" {
		t.Fatalf("after a failed Grow: %q", got)
	}
}

// cx_call_bytes returns the very bytes the server sent, through the C sink, and
// everything it allocated goes back to the C heap once the caller frees the
// result (CallBytes frees both with cx_free): nothing is left behind on success
// or on failure.
func TestCallBytesThroughCSink(t *testing.T) {
	h, srv := client(t)
	const size = 12 << 20
	args := `{"report_id":160,"params":{"lang":"en","params":{"fakeSizeBytes":` + strconv.Itoa(size) + `}}}`

	c, err := core.New(core.Config{BaseURL: srv.URL, Token: srv.Token, DefaultWorkspace: core.ID(1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	q, _ := core.QueryFromJSON([]byte(`{"lang":"en","params":{"fakeSizeBytes":` + strconv.Itoa(size) + `}}`))
	want, err := c.GetPDF(context.Background(), core.ID(160), q)
	if err != nil || len(want) < size {
		t.Fatalf("core GetPDF: %d bytes, %v", len(want), err)
	}

	e, got := capitest.CallBytes(h, s("get_pdf"), s(args), false) // warms the connection and the C heap
	if d := wantOK(t, e); !bytes.Equal(got, want) || !bytes.Contains(d, []byte(`"bytes":`+strconv.Itoa(len(want)))) {
		t.Fatalf("get_pdf through cx_call_bytes: %d bytes (want %d), %s", len(got), len(want), d)
	}

	settle := func() int {
		// The C heap also serves the Go runtime's threads; let them go quiet.
		time.Sleep(20 * time.Millisecond)
		return capitest.CHeapInUse()
	}
	const slack = 256 << 10 // per-thread bookkeeping of the Go runtime, not a download
	before := settle()
	for i := 0; i < 3; i++ {
		e, got = capitest.CallBytes(h, s("get_pdf"), s(args), false)
		if wantOK(t, e); !bytes.Equal(got, want) {
			t.Fatalf("round %d: bytes differ", i)
		}
	}
	if after := settle(); after > before+slack {
		t.Fatalf("C heap grew by %d bytes over three %d-byte downloads: the sink or its result leaks", after-before, len(want))
	}

	// A download cut short fails, and its sink is freed.
	srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", cxfake.Fault{DropMidBody: true}, cxfake.Fault{DropMidBody: true},
		cxfake.Fault{DropMidBody: true}, cxfake.Fault{DropMidBody: true}, cxfake.Fault{DropMidBody: true})
	e, got = capitest.CallBytes(h, s("get_pdf"), s(`{"report_id":160,"params":{"params":{"fakeSizeBytes":`+strconv.Itoa(size)+`}},"timeout":20}`), false)
	wantCode(t, e, "connection")
	if got != nil {
		t.Fatal("a failed download returned bytes")
	}
	srv.ClearFaults()
	if after := settle(); after > before+slack {
		t.Fatalf("C heap grew by %d bytes after a failed download: its sink leaks", after-before)
	}

	// The asynchronous path hands over the same block.
	a := capitest.CallAsync(h, s("post_pdf"), s(`{"report_id":160,"request_body":{"params":{"fakeSizeBytes":3000000}}}`), false)
	r, err := a.Wait(30)
	if err != nil || !bytes.HasPrefix(r.Data, []byte("%PDF-")) || len(r.Data) < 3000000 {
		t.Fatalf("post_pdf async: %v, %d bytes, %s", err, len(r.Data), r.Envelope)
	}
}
