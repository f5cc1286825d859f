package core

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// renderAgainst renders n items of 100 ms each against srv with the given
// concurrency and returns the wall time and the share of render requests refused.
func renderAgainst(t *testing.T, srv *cxfake.Server, n, concurrency int) (time.Duration, float64) {
	t.Helper()
	c, err := New(Config{BaseURL: srv.URL, Token: srv.Token, DefaultWorkspace: ID(1)})
	require.NoError(t, err)
	defer c.Close()
	dir := t.TempDir()
	items := make([]BatchItem, n)
	for i := range items {
		items[i] = BatchItem{Report: ID(160), Params: map[string]any{"fakeDelayMs": 100, "i": i}, Output: filepath.Join(dir, fmt.Sprintf("%d.pdf", i))}
	}
	start := time.Now()
	for r := range c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{Concurrency: concurrency, Total: n}) {
		require.Equal(t, BatchOK, r.Status, "%v", r.Err)
	}
	return time.Since(start), refusedShare(srv)
}

func refusedShare(srv *cxfake.Server) float64 {
	renders := len(requestsTo(srv, "POST", batchPDF))
	if renders == 0 {
		return 0
	}
	return float64(srv.RenderRefusals()) / float64(renders)
}

// "auto", not told K, against a server of K render slots: within 1.3 × the ideal
// time plus 0.5 s of ramp-up, with at most 10% of render requests refused. The
// ideal is n × 100 ms / K, or what a batch told K took on this machine in this
// run if that is longer (a loaded machine slows both alike).
func TestAutoConcurrencyFindsTheServersCapacity(t *testing.T) {
	for _, tc := range []struct{ k, n int }{{2, 60}, {24, 240}} {
		t.Run(fmt.Sprintf("K=%d", tc.k), func(t *testing.T) {
			srv := cxfake.NewServer(cxfake.WithRenderSlots(tc.k))
			defer srv.Close()
			told, share := renderAgainst(t, srv, tc.n, tc.k)
			require.Zero(t, share, "a batch told K is never refused")
			srv.Reset()
			ideal := max(time.Duration(tc.n)*100*time.Millisecond/time.Duration(tc.k), told)
			took, share := renderAgainst(t, srv, tc.n, AutoConcurrency)
			t.Logf("K=%d: told K %v, auto %v (%.2f × ideal), %.1f%% refused", tc.k, told, took, float64(took)/float64(ideal), 100*share)
			assert.LessOrEqual(t, took, time.Duration(1.3*float64(ideal))+500*time.Millisecond)
			assert.LessOrEqual(t, share, 0.10)
			assert.LessOrEqual(t, srv.PeakRenders(), tc.k)
		})
	}
}

// Two independent "auto" batches of 240 against one server of 6 slots share it
// with no coordinator: both finish within 1.4 × the ideal of all 480 renders,
// with at most 15% of render requests refused. The ideal is 480 × 100 ms / 6, or
// 8 × what a batch of 60 told K took on this machine in this run if longer.
func TestAutoConcurrencyBatchesShareAServer(t *testing.T) {
	srv := cxfake.NewServer(cxfake.WithRenderSlots(6))
	defer srv.Close()
	const n = 240
	told, _ := renderAgainst(t, srv, 60, 6)
	srv.Reset()
	ideal := max(2*n*100*time.Millisecond/6, 8*told)
	var wg sync.WaitGroup
	took := make([]time.Duration, 2)
	start := time.Now()
	for i := range took {
		wg.Add(1)
		go func() {
			defer wg.Done()
			renderAgainst(t, srv, n, AutoConcurrency)
			took[i] = time.Since(start)
		}()
	}
	wg.Wait()
	share := refusedShare(srv)
	t.Logf("two batches of %d: %v and %v, ideal %v, %.1f%% refused", n, took[0], took[1], ideal, 100*share)
	for _, d := range took {
		assert.LessOrEqual(t, d, time.Duration(1.4*float64(ideal)))
	}
	assert.LessOrEqual(t, share, 0.15)
	assert.LessOrEqual(t, srv.PeakRenders(), 6)
}
