package dispatch

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Done exactly once, never before start (the C function's return), progress only
// before done.
func TestAsyncOrdering(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	var events []string
	doneCh := make(chan struct{}, 2)
	path := filepath.Join(t.TempDir(), "x.pdf")
	id, start := f.lib.CallAsync(f.h, "export_to_file", []byte(`{"report_id":160,"path":`+strconv.Quote(path)+`,"poll_interval":0.01}`),
		func(got uint64, r Result) {
			mu.Lock()
			events = append(events, "done")
			mu.Unlock()
			if !decodeEnvelope(t, r.Envelope).OK {
				t.Errorf("export_to_file: %s", r.Envelope)
			}
			doneCh <- struct{}{}
		},
		func(got uint64, ev []byte) {
			var p progressEvent
			if err := json.Unmarshal(ev, &p); err != nil || p.Stage == "" {
				t.Errorf("progress event %s", ev)
			}
			mu.Lock()
			events = append(events, "progress:"+p.Stage)
			mu.Unlock()
		})
	if id == 0 {
		t.Fatal("request id 0")
	}
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	early := len(events)
	mu.Unlock()
	if early != 0 {
		t.Fatalf("callbacks ran before start: %v", events)
	}
	start()
	start() // idempotent
	<-doneCh
	time.Sleep(20 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(events) < 2 || events[len(events)-1] != "done" {
		t.Fatalf("events %v: want progress first and done last", events)
	}
	for _, e := range events[:len(events)-1] {
		if e == "done" {
			t.Fatalf("done more than once: %v", events)
		}
	}
	if f.lib.Pending() != 0 {
		t.Fatal("request left in the registry")
	}
}

// Many goroutines share one handle, mixing calls; then the handle is freed while
// more are in flight: nothing hangs, every call ends ok or canceled/invalid_handle.
func TestConcurrentCallsAndFree(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	var bad atomic.Int32
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				if !decodeEnvelope(t, f.lib.Call(f.h, "get_workspaces", []byte(`{}`), false).Envelope).OK {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if bad.Load() != 0 {
		t.Fatalf("%d concurrent calls failed", bad.Load())
	}

	results := make(chan Result, 32)
	for i := 0; i < 16; i++ {
		_, start := f.lib.CallAsync(f.h, "get_pdf", []byte(`{"report_id":160,"params":{"params":{"fakeDelayMs":300}}}`),
			func(_ uint64, r Result) { results <- r }, nil)
		start()
	}
	time.Sleep(50 * time.Millisecond)
	f.lib.FreeClient(f.h)
	for i := 0; i < 16; i++ {
		select {
		case r := <-results:
			e := decodeEnvelope(t, r.Envelope)
			if !e.OK && e.Error.Code != CodeCanceled && e.Error.Code != CodeInvalidHandle {
				t.Fatalf("call after free: %+v", e.Error)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a call hung after its handle was freed")
		}
	}
	if f.lib.Pending() != 0 {
		t.Fatal("requests left in the registry")
	}
}

func TestFailAsync(t *testing.T) {
	lib := &Library{}
	got := make(chan Result, 1)
	id, start := lib.FailAsync(CodeInvalidArgument, "method is NULL", func(_ uint64, r Result) { got <- r })
	if id == 0 {
		t.Fatal("id 0")
	}
	start()
	expectCode(t, (<-got).Envelope, CodeInvalidArgument, "")
}

func TestLogCallback(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	var lines []string
	f.lib.SetLog(func(level int, msg string) {
		mu.Lock()
		defer mu.Unlock()
		if level < 0 || level > 3 {
			t.Errorf("level %d", level)
		}
		lines = append(lines, msg)
	}, 0)
	f.ok(t, "get_workspaces", `{}`)
	f.srv.Inject("GET", "/api/v1/workspaces", cxfakeFault503())
	f.ok(t, "get_workspaces", `{}`) // retried: logs a warning
	f.lib.SetLog(nil, 0)
	mu.Lock()
	n := len(lines)
	for _, l := range lines {
		if containsToken(l, f.srv.Token) {
			t.Fatalf("log line leaks the token: %s", l)
		}
	}
	mu.Unlock()
	if n == 0 {
		t.Fatal("no log lines at debug level")
	}
	f.ok(t, "get_workspaces", `{}`)
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != n {
		t.Fatal("log callback called after it was cleared")
	}
}

// The log switch redacts a token even if a message carried it, by the core's rule:
// whole occurrences of a token long enough to be a secret, never parts of words.
func TestLogRedaction(t *testing.T) {
	var s logSwitch
	var got string
	s.set(func(_ int, m string) { got = m }, 2)
	log := s.loggerFor("tok-123-4f1b2c9d8e7a", new(logRoute))
	log(0, "debug is below the minimum")
	if got != "" {
		t.Fatalf("level filter: %q", got)
	}
	log(3, "Authorization: Bearer tok-123-4f1b2c9d8e7a")
	if got != "Authorization: Bearer [REDACTED]" {
		t.Fatalf("redaction: %q", got)
	}
	for _, short := range []string{"e", "x", "error", "proxy"} {
		line := "Connection error occurred: check the proxy settings"
		s.loggerFor(short, new(logRoute))(3, line)
		if got != line {
			t.Fatalf("token %q mangled a log line: %q", short, got)
		}
	}
}
