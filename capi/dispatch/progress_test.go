package dispatch

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// asyncWithProgress runs one asynchronous call with a progress function and
// returns its result and the progress events that came before done.
func asyncWithProgress(t *testing.T, f *fixture, method, args string) (Result, []progressEvent) {
	t.Helper()
	var mu sync.Mutex
	var events []progressEvent
	doneSeen := false
	got := make(chan Result, 1)
	_, start := f.lib.CallAsync(f.h, method, []byte(args),
		func(_ uint64, r Result) {
			mu.Lock()
			doneSeen = true
			mu.Unlock()
			got <- r
		},
		func(_ uint64, ev []byte) {
			var p progressEvent
			if err := json.Unmarshal(ev, &p); err != nil {
				t.Errorf("%s: progress event is not JSON: %s", method, ev)
			}
			mu.Lock()
			defer mu.Unlock()
			if doneSeen {
				t.Errorf("%s: progress after done: %s", method, ev)
			}
			events = append(events, p)
		})
	start()
	select {
	case r := <-got:
		mu.Lock()
		defer mu.Unlock()
		return r, append([]progressEvent(nil), events...)
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not finish", method)
		return Result{}, nil
	}
}

// The downloads report "downloading" from 0 with the announced size, byte counts
// that never decrease, and a final "done" with the delivered size; the bytes and
// save_* forms alike.
func TestDownloadsReportProgress(t *testing.T) {
	f := newFixture(t)
	const size = 1 << 20
	d := newSizedDownload(t, f, size)
	dir := t.TempDir()
	path := func(name string) string { return strconv.Quote(filepath.Join(dir, name)) }
	for _, c := range append(d.calls(),
		methodArgs{"save_pdf", `{"report_id":160,"path":` + path("a.pdf") + `,` + d.query + `}`},
		methodArgs{"save_post_pdf", `{"report_id":160,"path":` + path("b.pdf") + `,` + d.body + `}`},
		methodArgs{"save_export_content", `{"temp_file_id":` + d.tempID + `,"path":` + path("c.pdf") + `}`},
	) {
		t.Run(c.method, func(t *testing.T) {
			r, ev := asyncWithProgress(t, f, c.method, c.args)
			e := decodeEnvelope(t, r.Envelope)
			if !e.OK {
				t.Fatalf("%s: %s", c.method, r.Envelope)
			}
			n := field[int64](t, e.Data, "bytes")
			if n < size {
				t.Fatalf("%d bytes, want at least %d", n, size)
			}
			if len(ev) < 2 {
				t.Fatalf("events %+v: want downloading and done", ev)
			}
			if ev[0].Stage != "downloading" || ev[0].BytesDone != 0 || ev[0].BytesTotal != n {
				t.Errorf("first event %+v: want downloading 0 of %d", ev[0], n)
			}
			for i := 1; i < len(ev)-1; i++ {
				if ev[i].Stage != "downloading" || ev[i].BytesDone < ev[i-1].BytesDone || ev[i].BytesTotal != n {
					t.Errorf("event %d %+v after %+v", i, ev[i], ev[i-1])
				}
			}
			last := ev[len(ev)-1]
			if last.Stage != "done" || last.BytesDone != n || last.BytesTotal != n {
				t.Errorf("last event %+v: want done %d of %d", last, n, n)
			}
		})
	}
}

// Methods that do not report progress send none even when a function is given,
// and cx_methods marks exactly the waits, the downloads and render_batch as reporting it.
func TestProgressMethodsAreDescribed(t *testing.T) {
	f := newFixture(t)
	if _, ev := asyncWithProgress(t, f, "get_workspaces", `{}`); len(ev) != 0 {
		t.Fatalf("get_workspaces reported progress: %+v", ev)
	}
	var doc struct {
		Methods []struct {
			Name     string `json:"name"`
			Progress bool   `json:"progress"`
		} `json:"methods"`
	}
	if err := json.Unmarshal(Methods(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"get_pdf": true, "post_pdf": true, "get_export_content": true, "save_pdf": true,
		"save_post_pdf": true, "save_export_content": true, "wait_for_export": true, "export_to_file": true, "wait_for_job_run": true,
		"render_batch": true}
	for _, m := range doc.Methods {
		if m.Progress != want[m.Name] {
			t.Errorf("%s: progress %v in cx_methods, want %v", m.Name, m.Progress, want[m.Name])
		}
	}
}
