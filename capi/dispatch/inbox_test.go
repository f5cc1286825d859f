package dispatch

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// host is the host's side of an inbox: its end of the socket, read with a deadline
// (hostEnd: inbox_host_unix_test.go, inbox_host_windows_test.go).
type host struct {
	lib *Library
	id  uint64
	f   *hostEnd
}

func newHost(t *testing.T, lib *Library) *host {
	t.Helper()
	id, fd, err := lib.NewInbox()
	if err != nil || id == 0 || fd < 0 {
		t.Fatalf("NewInbox: %d %d %v", id, fd, err)
	}
	h := &host{lib: lib, id: id, f: openHostEnd(t, fd)}
	t.Cleanup(func() {
		h.f.close()
		waitFor(t, "the inbox to close", func() bool { return lib.Inboxes() == 0 })
	})
	return h
}

// wait blocks until the library wakes the host (or fails after d).
func (h *host) wait(t *testing.T, d time.Duration) bool {
	t.Helper()
	var b [16]byte
	n, err := h.f.read(d, b[:])
	return err == nil && n > 0
}

// take drains the inbox.
func (h *host) take() []Event {
	var out []Event
	for {
		e, ok := h.lib.InboxNext(h.id)
		if !ok {
			return out
		}
		out = append(out, e)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Results and progress arrive as events after a wake-up, in order, each call's done
// exactly once; a drained inbox wakes the host again for the next event.
func TestInboxEvents(t *testing.T) {
	f := newFixture(t)
	h := newHost(t, f.lib)
	if !f.lib.InboxAdopt(h.id, f.h) {
		t.Fatal("InboxAdopt refused a live handle")
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	ids := map[uint64]string{}
	for _, c := range []struct{ method, args string }{
		{"get_workspaces", `{}`},
		{"get_pdf", `{"report_id":160,"params":{"params":{"fakeSizeBytes":300000}}}`},
		{"save_pdf", `{"report_id":160,"path":` + strconv.Quote(path) + `}`},
	} {
		id, start := f.lib.InboxCall(h.id, f.h, c.method, []byte(c.args), true)
		if id == 0 {
			t.Fatalf("%s: id 0", c.method)
		}
		ids[id] = c.method
		start()
	}
	var events []Event
	done := map[uint64]int{}
	for len(done) < len(ids) {
		if !h.wait(t, 10*time.Second) {
			t.Fatalf("no wake-up; done so far %v", done)
		}
		for _, e := range h.take() {
			events = append(events, e)
			switch e.Kind {
			case EventDone:
				done[e.ID]++
				if !decodeEnvelope(t, e.Text).OK {
					t.Errorf("%s: %s", ids[e.ID], e.Text)
				}
				if ids[e.ID] == "get_pdf" && (e.Body == nil || e.Body.Len() < 300000) {
					t.Errorf("get_pdf: body %v", e.Body)
				}
				if e.Body != nil {
					e.Body.Free()
				}
			case EventProgress:
				if done[e.ID] != 0 {
					t.Errorf("%s: progress after done", ids[e.ID])
				}
			default:
				t.Errorf("unexpected event kind %d", e.Kind)
			}
		}
	}
	for id, n := range done {
		if n != 1 {
			t.Errorf("%s: %d done events", ids[id], n)
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
	// Drained: the next event wakes the host again.
	id, start := f.lib.InboxCall(h.id, f.h, "get_workspaces", []byte(`{}`), false)
	start()
	if !h.wait(t, 10*time.Second) {
		t.Fatal("no wake-up for an event after the inbox was drained")
	}
	waitFor(t, "the result", func() bool {
		for _, e := range h.take() {
			if e.Kind == EventDone && e.ID == id {
				return true
			}
		}
		return false
	})
	if f.lib.Pending() != 0 {
		t.Errorf("%d calls pending", f.lib.Pending())
	}
}

// When the host's end of the socket closes (its thread ended), the inbox cancels its
// calls at once (a save removes its temporary file), frees its clients and is gone.
func TestInboxHostHangsUp(t *testing.T) {
	f := newFixture(t)
	lib := f.lib
	id, fd, err := lib.NewInbox()
	if err != nil {
		t.Fatal(err)
	}
	if !lib.InboxAdopt(id, f.h) {
		t.Fatal("InboxAdopt")
	}
	dir := t.TempDir()
	for i := 0; i < 4; i++ {
		_, start := lib.InboxCall(id, f.h, "get_pdf", []byte(`{"report_id":160,"params":{"params":{"fakeDelayMs":20000}}}`), true)
		start()
	}
	_, start := lib.InboxCall(id, f.h, "save_pdf", []byte(`{"report_id":160,"path":`+strconv.Quote(filepath.Join(dir, "x.pdf"))+`,"params":{"params":{"fakeDelayMs":20000}}}`), false)
	start()
	waitFor(t, "5 calls in flight", func() bool { return f.srv.InFlight() == 5 })
	t0 := time.Now()
	closeHostFD(fd)
	waitFor(t, "the calls to be canceled", func() bool { return f.srv.InFlight() == 0 && lib.Pending() == 0 })
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("canceling took %v", d)
	}
	waitFor(t, "the inbox to close and free its client", func() bool { return lib.Inboxes() == 0 && lib.Handles() == 0 })
	if e, ok := lib.InboxNext(id); ok {
		t.Errorf("event from a closed inbox: %+v", e)
	}
	if n, _ := lib.InboxCall(id, f.h, "get_workspaces", []byte(`{}`), false); n != 0 {
		t.Error("a call on a closed inbox started")
	}
	if lib.InboxAdopt(id, f.h) {
		t.Error("a closed inbox adopted a handle")
	}
	waitFor(t, "no file left", func() bool {
		left, _ := os.ReadDir(dir)
		return len(left) == 0
	})
}

// Events queued and never taken, and results that complete after the inbox closed,
// are freed, never delivered.
func TestInboxCloseFreesEvents(t *testing.T) {
	f, made := sinkFixture(t)
	lib := f.lib
	h := newHost(t, lib)
	id, start := lib.InboxCall(h.id, f.h, "get_pdf", []byte(`{"report_id":160}`), false)
	start()
	if !h.wait(t, 10*time.Second) {
		t.Fatal("no wake-up")
	}
	lib.CloseInbox(h.id) // the result is queued, untaken
	lib.CloseInbox(h.id) // twice is fine
	sinks := made()
	if len(sinks) != 1 {
		t.Fatalf("%d sinks", len(sinks))
	}
	sinks[0].mu.Lock()
	freed := sinks[0].freed
	sinks[0].mu.Unlock()
	if !freed {
		t.Error("the queued result's bytes were not freed")
	}
	if _, ok := lib.InboxNext(h.id); ok {
		t.Error("an event came out of a closed inbox")
	}
	_ = id
	// The host sees the library's end close.
	var b [4]byte
	if n, err := h.f.read(5*time.Second, b[:]); n != 0 || err == nil {
		t.Errorf("host read %d, %v after close; want end of file", n, err)
	}
}

// An adopted client logs to its inbox (when the inbox asks for lines), not to the
// process-wide callback; other clients still log to the callback. A closed inbox
// takes no more lines.
func TestInboxLogRouting(t *testing.T) {
	f := newFixture(t)
	lib := f.lib
	other, env := lib.NewClient([]byte(`{"base_url":"` + f.srv.URL + `","token":"` + f.srv.Token + `","default_workspace_id":1,"max_retries":2,"retry_wait_min":0.01,"retry_wait_max":0.02}`))
	if other == 0 {
		t.Fatal(string(env))
	}
	defer lib.FreeClient(other)
	var mu sync.Mutex
	var global []string
	lib.SetLog(func(_ int, m string) {
		mu.Lock()
		global = append(global, m)
		mu.Unlock()
	}, 0)
	defer lib.SetLog(nil, 0)
	h := newHost(t, lib)
	lib.InboxAdopt(h.id, f.h)
	lib.InboxSetLog(h.id, 0)
	inject503 := func() { f.srv.Inject("GET", "/api/v1/workspaces", cxfakeFault503()) }

	inject503()
	f.ok(t, "get_workspaces", `{}`) // adopted: retried, logs to the inbox
	logs := 0
	for _, e := range h.take() {
		if e.Kind == EventLog {
			logs++
			if e.Level < 0 || e.Level > 3 || len(e.Text) == 0 {
				t.Errorf("log event %+v", e)
			}
		}
	}
	mu.Lock()
	n := len(global)
	mu.Unlock()
	if logs == 0 || n != 0 {
		t.Fatalf("adopted client: %d inbox lines, %d process-wide lines", logs, n)
	}

	lib.InboxSetLog(h.id, -1) // off
	inject503()
	f.ok(t, "get_workspaces", `{}`)
	if ev := h.take(); len(ev) != 0 {
		t.Errorf("%d events with logging off", len(ev))
	}

	inject503()
	if r := lib.Call(other, "get_workspaces", []byte(`{}`), false); !decodeEnvelope(t, r.Envelope).OK {
		t.Fatal(string(r.Envelope))
	}
	mu.Lock()
	n = len(global)
	mu.Unlock()
	if n == 0 {
		t.Error("a client of no inbox did not log to the process-wide callback")
	}
}

// A handle has one owner: adopted again, it leaves the first inbox, whose end no
// longer frees it.
func TestInboxAdoptMoves(t *testing.T) {
	f := newFixture(t)
	a, b := newHost(t, f.lib), newHost(t, f.lib)
	if !f.lib.InboxAdopt(a.id, f.h) || !f.lib.InboxAdopt(b.id, f.h) {
		t.Fatal("InboxAdopt")
	}
	f.lib.CloseInbox(a.id)
	f.ok(t, "get_workspaces", `{}`) // still alive
	f.lib.CloseInbox(b.id)
	waitFor(t, "the owner to free the handle", func() bool { return f.lib.Handles() == 0 })
}
