package dispatch

import (
	"bytes"
	"sync"
	"testing"

	"github.com/cxclient/cxreports/cxfake"
)

// recordingSink is a BufferSink that records how the dispatcher and the core
// used it.
type recordingSink struct {
	BufferSink
	mu       sync.Mutex
	grows    []int
	writes   int
	restarts int
	freed    bool
}

func (s *recordingSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.writes++
	s.mu.Unlock()
	return s.BufferSink.Write(p)
}

func (s *recordingSink) Grow(n int) {
	s.mu.Lock()
	// The first write must come after the reservation for it to be of any use.
	if s.writes == 0 {
		s.grows = append(s.grows, n)
	} else {
		s.grows = append(s.grows, -n)
	}
	s.mu.Unlock()
	s.BufferSink.Grow(n)
}

func (s *recordingSink) Restart() {
	s.mu.Lock()
	s.restarts++
	s.mu.Unlock()
	s.BufferSink.Restart()
}

func (s *recordingSink) Free() {
	s.mu.Lock()
	s.freed = true
	s.mu.Unlock()
	s.BufferSink.Free()
}

// sinkFixture is a fixture whose Library makes recordingSinks.
func sinkFixture(t *testing.T, opts ...cxfake.Option) (*fixture, func() []*recordingSink) {
	f := newFixture(t, opts...)
	var mu sync.Mutex
	var made []*recordingSink
	f.lib.NewSink = func() Sink {
		s := &recordingSink{}
		mu.Lock()
		made = append(made, s)
		mu.Unlock()
		return s
	}
	return f, func() []*recordingSink {
		mu.Lock()
		defer mu.Unlock()
		return append([]*recordingSink(nil), made...)
	}
}

// Every download writes into the Library's sink, which reserves the
// Content-Length before the first byte, and the sink itself is the Result's Body
// (no copy on the way out).
func TestDownloadGoesThroughTheSink(t *testing.T) {
	const size = 3_000_000
	f, sinks := sinkFixture(t)
	d := newSizedDownload(t, f, size)
	for _, c := range d.calls() {
		before := len(sinks())
		res := f.lib.Call(f.h, c.method, []byte(c.args), true)
		e := decodeEnvelope(t, res.Envelope)
		all := sinks()
		if !e.OK || len(all) != before+1 {
			t.Fatalf("%s: %s, %d sinks made", c.method, res.Envelope, len(all)-before)
		}
		s := all[len(all)-1]
		if res.Body != Sink(s) {
			t.Fatalf("%s: the result's body is not the sink the download wrote into", c.method)
		}
		got := s.Bytes()
		if len(got) < size || !bytes.HasPrefix(got, []byte("%PDF-")) || field[int](t, e.Data, "bytes") != len(got) {
			t.Fatalf("%s: %d bytes in the sink, envelope %s", c.method, len(got), e.Data)
		}
		if len(s.grows) == 0 || s.grows[0] != len(got) {
			t.Fatalf("%s: Grow calls %v, want the Content-Length %d before any write", c.method, s.grows, len(got))
		}
		for _, g := range s.grows {
			if g != len(got) {
				t.Fatalf("%s: Grow calls %v: all must be the Content-Length %d, before any write", c.method, s.grows, len(got))
			}
		}
		if s.freed || s.restarts != 0 || s.writes == 0 {
			t.Fatalf("%s: freed %v, restarts %d, writes %d", c.method, s.freed, s.restarts, s.writes)
		}
	}

	// The caller's own progress function still sees the events of a download
	// whose sink grew on the first of them.
	got := make(chan Result, 1)
	var events int
	_, startAsync := f.lib.CallAsync(f.h, "get_pdf", []byte(`{"report_id":160,`+d.query+`}`),
		func(_ uint64, r Result) { got <- r }, func(uint64, []byte) { events++ })
	startAsync()
	r := <-got
	if !decodeEnvelope(t, r.Envelope).OK || r.Body == nil || r.Body.Len() < size || events < 2 {
		t.Fatalf("async get_pdf: %s, %d progress events", r.Envelope, events)
	}
}

// A failed download frees its sink and returns no body; JSON methods make none.
func TestFailedDownloadFreesTheSink(t *testing.T) {
	f, sinks := sinkFixture(t)
	f.srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", cxfake.Fault{DropMidBody: true}, cxfake.Fault{DropMidBody: true},
		cxfake.Fault{DropMidBody: true}, cxfake.Fault{DropMidBody: true})
	res := f.lib.Call(f.h, "get_pdf", []byte(`{"report_id":160,"params":{"params":{"fakeSizeBytes":1000000}}}`), true)
	expectCode(t, res.Envelope, "connection", "")
	if res.Body != nil {
		t.Fatal("a failed download returned a body")
	}
	all := sinks()
	if len(all) == 0 {
		t.Fatal("no sink was made")
	}
	for i, s := range all {
		if !s.freed {
			t.Fatalf("sink %d of the failed download was not freed", i)
		}
	}
	n := len(all)
	f.ok(t, "get_workspaces", `{}`)
	if res := f.lib.Call(f.h, "get_themes", []byte(`{}`), true); res.Body != nil || len(sinks()) != n {
		t.Fatal("a JSON method made a sink or returned a body")
	}
}
