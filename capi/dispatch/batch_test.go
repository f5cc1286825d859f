package dispatch

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cxclient/cxreports/core/cxfake"
)

// render_batch through cx_call_async's path: an event per finished item and the
// counts after it; the envelope has every result in input order; bad items fail
// alone; 429s pause and are sent again; a rerun skips.
func TestRenderBatch(t *testing.T) {
	f := newFixture(t)
	f.srv.Inject("POST", "/api/v1/ws/1/reports/160/pdf", cxfake.Fault{Status: 429, RetryAfter: "0"}, cxfake.Fault{Status: 429, RetryAfter: "0"})
	dir := t.TempDir()
	var items []string
	for i := range 10 {
		items = append(items, fmt.Sprintf(`{"report": 160, "output": "r/%d.pdf", "params": {"n": "N-%03d"}}`, i, i))
	}
	items = append(items, `{"report": 160, "output": "../out.pdf"}`, `{"output": "x.pdf"}`)
	args := `{"items": [` + strings.Join(items, ",") + `], "out_dir": "` + dir + `", "concurrency": 3}`

	var mu sync.Mutex
	var events []map[string]any
	done := make(chan Result, 1)
	_, start := f.lib.CallAsync(f.h, "render_batch", []byte(args), func(_ uint64, r Result) { done <- r },
		func(_ uint64, ev []byte) {
			var m map[string]any
			if err := json.Unmarshal(ev, &m); err != nil {
				t.Errorf("event is not JSON: %s", ev)
			}
			mu.Lock()
			events = append(events, m)
			mu.Unlock()
		})
	start()
	res := <-done
	e := decodeEnvelope(t, res.Envelope)
	if !e.OK {
		t.Fatalf("render_batch: %s", res.Envelope)
	}
	var sum struct {
		OK, Failed, Skipped, Throttled, Total int
		Results                               []struct {
			Index  int
			Output string
			Status string
			Bytes  int64
			Error  *errorBody
		}
	}
	if err := json.Unmarshal(e.Data, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.OK != 10 || sum.Failed != 2 || sum.Total != 12 || sum.Throttled != 2 || len(sum.Results) != 12 {
		t.Fatalf("summary: %s", e.Data)
	}
	for i, r := range sum.Results {
		if r.Index != i {
			t.Fatalf("result %d has index %d", i, r.Index)
		}
		if i < 10 {
			pdf, err := os.ReadFile(filepath.Join(dir, "r", fmt.Sprintf("%d.pdf", i)))
			if err != nil || r.Status != "ok" || r.Bytes != int64(len(pdf)) || !strings.Contains(string(pdf), fmt.Sprintf("N-%03d", i)) {
				t.Fatalf("item %d: %+v (%v)", i, r, err)
			}
		} else if r.Status != "failed" || r.Error == nil || r.Error.Code != "invalid_input" {
			t.Fatalf("bad item %d: %+v", i, r)
		}
	}
	mu.Lock()
	nItems, counts := 0, 0
	for _, ev := range events {
		switch ev["stage"] {
		case "item":
			nItems++
		case "batch":
			counts++
		}
	}
	last := events[len(events)-1]
	mu.Unlock()
	if nItems != 12 || counts != 12 || last["ok"] != float64(10) {
		t.Fatalf("events: %d items, %d counts, last %v", nItems, counts, last)
	}

	f.srv.Reset()
	again := f.ok(t, "render_batch", args)
	if field[int](t, again, "skipped") != 10 || len(f.srv.Requests()) != 0 {
		t.Fatalf("rerun: %s, %d requests", again, len(f.srv.Requests()))
	}
	f.fail(t, "render_batch", `{"items": {}}`, CodeInvalidArgument)
	f.fail(t, "render_batch", `{"items": [], "concurrency": 0}`, CodeInvalidArgument)
	f.fail(t, "render_batch", `{"items": [], "force": 1}`, CodeInvalidArgument)
}
