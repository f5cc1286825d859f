package core

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const batchPDF = "/api/v1/ws/1/reports/160/pdf"

func batchItems(dir string, n int) []BatchItem {
	items := make([]BatchItem, n)
	for i := range items {
		items[i] = BatchItem{Report: ID(160), Params: map[string]any{"invoice": fmt.Sprintf("INV-%04d", i)},
			Output: filepath.Join(dir, "sub", fmt.Sprintf("inv-%d.pdf", i))}
	}
	return items
}

func collect(seq func(func(BatchResult) bool)) []BatchResult {
	var out []BatchResult
	for r := range seq {
		out = append(out, r)
	}
	return out
}

// 40 renders at concurrency 8 all land through a burst of 429s, each file with its
// own params, never more than 8 at the server at once; a rerun renders nothing.
func TestRenderBatchThroughThrottling(t *testing.T) {
	srv, c := newFake(t)
	dir := t.TempDir()
	burst := make([]cxfake.Fault, 12)
	for i := range burst {
		burst[i] = cxfake.Fault{Status: 429, RetryAfter: "0"}
	}
	srv.Inject("POST", batchPDF, burst...)
	items := batchItems(dir, 40)
	var last BatchProgress
	results := collect(c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{Concurrency: 8,
		Progress: func(p BatchProgress) { last = p }}))
	require.Len(t, results, 40)
	seen := map[int]bool{}
	for _, r := range results {
		require.Equal(t, BatchOK, r.Status, "item %d: %v", r.Index, r.Err)
		seen[r.Index] = true
		pdf, err := os.ReadFile(items[r.Index].Output)
		require.NoError(t, err)
		assert.Equal(t, int64(len(pdf)), r.Bytes)
		assert.Contains(t, string(pdf), fmt.Sprintf("INV-%04d", r.Index), "the file carries its own params")
	}
	assert.Len(t, seen, 40)
	assert.LessOrEqual(t, srv.PeakConcurrency(), 8)
	assert.Len(t, requestsTo(srv, "POST", batchPDF), 52, "every 429 was sent again once")
	assert.Equal(t, BatchProgress{OK: 40, Throttled: 12, Limit: 8, Elapsed: last.Elapsed}, last)

	srv.Reset()
	again := collect(c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{Concurrency: 8}))
	require.Len(t, again, 40)
	for _, r := range again {
		assert.Equal(t, BatchSkipped, r.Status)
		assert.Positive(t, r.Bytes)
	}
	assert.Empty(t, srv.Requests(), "a rerun renders nothing")
	forced := collect(c.RenderBatch(ctxT(t), slices.Values(items[:2]), BatchOptions{Force: true}))
	assert.Equal(t, BatchOK, forced[0].Status)
	assert.Len(t, srv.Requests(), 2)
}

// With a fixed concurrency, a Retry-After pauses every render, not only the one
// that was refused: after the 503, the only renders the server sees within the
// second it asked for are the ones already sent before the 503 came back (at most
// 3 of the 4). A lower bound on the client's own clock, so a slow machine cannot
// break it; without the shared pause the other 8 would arrive at once.
func TestRenderBatchHonoursRetryAfterAcrossWorkers(t *testing.T) {
	srv, c := newFake(t)
	srv.Inject("POST", batchPDF, cxfake.Fault{Status: 503, RetryAfter: "1"})
	items := batchItems(t.TempDir(), 12)
	for i := range items {
		// Renders that outlast the client's handling of the 503 by far: no render
		// ends, and frees a worker, before the client knows of the pause.
		items[i].Params = map[string]any{"fakeDelayMs": 300, "i": i}
	}
	results := collect(c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{Concurrency: 4}))
	for _, r := range results {
		require.Equal(t, BatchOK, r.Status, "%v", r.Err)
	}
	reqs := requestsTo(srv, "POST", batchPDF)
	require.Len(t, reqs, 13, "12 renders and the one refused")
	var refused time.Time
	for _, r := range reqs {
		if r.Status == 503 {
			refused = r.Time
		}
	}
	require.False(t, refused.IsZero())
	during := 0
	for _, r := range reqs {
		if gap := r.Time.Sub(refused); gap > 0 && gap < time.Second {
			during++
		}
	}
	assert.LessOrEqual(t, during, 3, "renders that started during the pause the 503 asked for")
}

// Bad items fail on their own; refusals in a row are bounded (Retries); the
// others still render.
func TestRenderBatchFailuresStayPerItem(t *testing.T) {
	srv, c := newFake(t)
	dir := t.TempDir()
	items := batchItems(dir, 3)
	items = append(items, BatchItem{Report: ID(160)}, BatchItem{Output: filepath.Join(dir, "x.pdf")},
		BatchItem{Report: ID(999999), Output: filepath.Join(dir, "missing.pdf")})
	results := collect(c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{Concurrency: 2}))
	require.Len(t, results, 6)
	codes := map[int]string{}
	for _, r := range results {
		if r.Status == BatchFailed {
			var e *Error
			require.ErrorAs(t, r.Err, &e)
			codes[r.Index] = e.Code
		} else {
			assert.Equal(t, BatchOK, r.Status)
		}
	}
	assert.Equal(t, map[int]string{3: CodeInvalidInput, 4: CodeInvalidInput, 5: CodeNotFound}, codes)

	srv.Inject("POST", batchPDF, cxfake.Fault{Status: 429, RetryAfter: "0"}, cxfake.Fault{Status: 429, RetryAfter: "0"})
	one := collect(c.RenderBatch(ctxT(t), slices.Values(batchItems(t.TempDir(), 1)), BatchOptions{Retries: 1}))
	require.Len(t, one, 1)
	assert.Equal(t, BatchFailed, one[0].Status)
	requireCode(t, one[0].Err, CodeHTTP)
}

// Canceling stops the batch: the renders in flight end, and no partial or
// temporary file is left behind.
func TestRenderBatchCancel(t *testing.T) {
	srv, c := newFake(t)
	dir := t.TempDir()
	items := batchItems(dir, 20)
	for i := range items {
		items[i].Params = map[string]any{"fakeDelayMs": 60000, "i": i}
	}
	ctx, cancel := context.WithCancel(ctxT(t))
	go func() {
		for srv.InFlight() < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	results := collect(c.RenderBatch(ctx, slices.Values(items), BatchOptions{Concurrency: 3}))
	assert.NotEmpty(t, results)
	for _, r := range results {
		assert.Equal(t, BatchFailed, r.Status)
		requireCode(t, r.Err, CodeCanceled)
	}
	var left []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	assert.Empty(t, left, "no partial files")

	// Breaking out of the loop cancels the renders still in flight the same way.
	dir2 := t.TempDir()
	items = batchItems(dir2, 10)
	for i := range items[1:] {
		items[i+1].Params = map[string]any{"fakeDelayMs": 60000}
	}
	ctx2, cancel2 := context.WithCancel(ctxT(t))
	defer cancel2()
	for r := range c.RenderBatch(ctx2, slices.Values(items), BatchOptions{Concurrency: 3}) {
		assert.Equal(t, 0, r.Index, "the fast render finishes first")
		break
	}
	assert.NoError(t, ctx2.Err(), "the loop ended without the caller canceling anything")
	parts, _ := filepath.Glob(filepath.Join(dir2, "sub", ".*.part"))
	assert.Empty(t, parts)
	assert.Eventually(t, func() bool { return srv.InFlight() == 0 }, 10*time.Second, 10*time.Millisecond,
		"the slow renders were abandoned at the server")
}

// The waits after refusals: "Retry-After: 0" means now, not "no advice"; without
// a Retry-After, renders refused in one burst wait one round of back-off, not one
// doubling each.
func TestRenderBatchBackoffRounds(t *testing.T) {
	waits := func(sink *logSink) []time.Duration {
		var out []time.Duration
		for _, m := range regexp.MustCompile(`the render waits ([^,]+),`).FindAllStringSubmatch(sink.text(), -1) {
			d, err := time.ParseDuration(m[1])
			require.NoError(t, err)
			out = append(out, d)
		}
		return out
	}
	slow := func(cfg *Config) { cfg.Retry.MinBackoff, cfg.Retry.MaxBackoff = 100*time.Millisecond, 20*time.Second }
	for _, tc := range []struct {
		name  string
		fault cxfake.Fault
		most  time.Duration
	}{
		// The refusals come late enough that all 8 renders are sent before the
		// first comes back: one burst.
		{"Retry-After: 0", cxfake.Fault{Status: 429, RetryAfter: "0", Latency: 300 * time.Millisecond}, 0},
		{"no Retry-After", cxfake.Fault{Status: 429, Latency: 300 * time.Millisecond}, 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := cxfake.NewServer(cxfake.WithToken(testToken))
			defer srv.Close()
			c, sink := newTestClient(t, srv.URL, slow)
			burst := make([]cxfake.Fault, 8)
			for i := range burst {
				burst[i] = tc.fault
			}
			srv.Inject("POST", batchPDF, burst...)
			items := batchItems(t.TempDir(), 8)
			for r := range c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{Concurrency: 8}) {
				require.Equal(t, BatchOK, r.Status, "%v", r.Err)
			}
			got := waits(sink)
			require.Len(t, got, 8)
			for _, d := range got {
				assert.LessOrEqual(t, d, tc.most)
			}
		})
	}
}
