package dispatch

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cxclient/cxreports/cxfake"
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
	args := `{"items": [` + strings.Join(items, ",") + `], "out_dir": ` + strconv.Quote(dir) + `, "concurrency": 3}`

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

// Two items with one output: the later fails, naming both by their index in
// items; "auto" is the default concurrency and is accepted by name; stale
// temporaries are counted.
func TestRenderBatchDuplicatesAutoAndStale(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".a.pdf.123.part"), []byte("left by a killed run"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := `{"items": [{"report": 160, "output": "a.pdf"}, {"report": 160, "output": "b.pdf"},
		{"report": 160, "output": "./x/../a.pdf"}], "out_dir": ` + strconv.Quote(dir) + `, "concurrency": "auto"}`
	data := f.ok(t, "render_batch", args)
	var sum struct {
		Results []struct {
			Status       string
			RemovedTemps int `json:"removed_temps"`
			Error        *errorBody
		}
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if field[int](t, data, "ok") != 2 || field[int](t, data, "failed") != 1 || field[int](t, data, "removed_temps") != 1 ||
		field[int](t, data, "limit") < 1 {
		t.Fatalf("summary: %s", data)
	}
	dup := sum.Results[2]
	if dup.Status != "failed" || dup.Error == nil || dup.Error.Code != "invalid_input" ||
		!strings.Contains(dup.Error.Message, "item 2") || !strings.Contains(dup.Error.Message, "item 0") {
		t.Fatalf("duplicate: %+v", dup)
	}
	if sum.Results[0].RemovedTemps != 1 {
		t.Fatalf("item 0 removed %d temporaries", sum.Results[0].RemovedTemps)
	}
	if n := len(f.srv.Requests()); n != 2 {
		t.Fatalf("%d requests; nothing is sent for a duplicate", n)
	}
	for _, bad := range []string{`"fast"`, `0`, `-1`, `1.5`, `true`} {
		e := f.fail(t, "render_batch", `{"items": [], "concurrency": `+bad+`}`, CodeInvalidArgument)
		if !strings.Contains(e.Message, `"auto"`) {
			t.Fatalf("concurrency %s: %s", bad, e.Message)
		}
	}
}
