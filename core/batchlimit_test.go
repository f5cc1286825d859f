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

// The adaptive limit's rules, one event at a time. fill takes slots up to the
// limit, as the batch does; each render then finishes in turn.
func TestLimiterRules(t *testing.T) {
	ctx := ctxT(t)
	l := newLimiter(AutoConcurrency, -1)
	require.Equal(t, autoStartLimit, l.current())
	var held []slot
	fill := func() {
		for l.inFlight < l.limit {
			s, err := l.acquire(ctx, false)
			require.NoError(t, err)
			held = append(held, s)
		}
	}
	finish := func(n int, took time.Duration) { // n renders succeed, oldest first, each replaced
		for range n {
			fill()
			s := held[0]
			held = held[1:]
			l.succeeded(s, took)
		}
		fill()
	}
	// Slow start: one more per success while the limit is in use, so it doubles
	// every round trip.
	finish(2, 100*time.Millisecond)
	assert.Equal(t, 4, l.current())
	finish(4, 100*time.Millisecond)
	assert.Equal(t, 8, l.current())
	finish(8, 100*time.Millisecond)
	require.Equal(t, 16, l.current())
	require.Len(t, held, 16)

	// The server had 12 slots: of the 16 pending, 4 are refused in one burst.
	// The cut is 0.9 × the level refused (12 taken + 1), once for the episode.
	assert.False(t, l.refused(held[15], 429, 0), "a 429 above the floor lowers the limit, it does not pause everyone")
	for _, s := range held[12:15] {
		l.refused(s, 429, 0)
	}
	held = held[:12]
	assert.Equal(t, 11, l.current(), "floor(0.9 × 13)")
	assert.Equal(t, 13, l.lossLevel)
	for _, s := range held {
		l.succeeded(s, 100*time.Millisecond)
	}
	held = nil
	assert.Equal(t, 11, l.current(), "no slow start after a refusal")

	// Additive increase: a probe every probeRounds round trips.
	require.Equal(t, probeMin, l.probeRounds)
	finish(probeMin*11-l.grown-1, 100*time.Millisecond)
	assert.Equal(t, 11, l.current())
	finish(1, 100*time.Millisecond)
	assert.Equal(t, 12, l.current(), "the probe")
	// The probe holds for probeMin round trips: the next comes sooner.
	l.probeRounds = 2 * probeMin
	finish(probeMin*12, 100*time.Millisecond)
	assert.False(t, l.probing)
	assert.Equal(t, probeMin, l.probeRounds)
	assert.Equal(t, 12, l.current())
	finish(1, 100*time.Millisecond)
	assert.Equal(t, 13, l.current())
	// This probe is refused: back below it, and the next comes later.
	s := held[len(held)-1]
	held = held[:len(held)-1]
	l.refused(s, 429, 0)
	assert.Equal(t, 11, l.current(), "floor(0.9 × 13)")
	assert.Equal(t, 2*probeMin, l.probeRounds)
	for _, s := range held {
		l.release()
		_ = s
	}
	held = nil

	// Renders ten times slower than usual do not count as room to grow.
	before := l.grown
	finish(30, time.Second)
	assert.LessOrEqual(t, l.grown, before+2)

	// At the floor, a second refusal with no render accepted in between pauses
	// the whole batch; so does any 503.
	one := newLimiter(AutoConcurrency, -1)
	one.limit, one.slowStart = 1, false
	assert.False(t, one.refused(take1(t, one), 429, 0))
	one.succeeded(take1(t, one), 100*time.Millisecond)
	assert.False(t, one.refused(take1(t, one), 429, 0), "a render was accepted in between")
	assert.True(t, one.refused(take1(t, one), 429, 0))
	two := newLimiter(AutoConcurrency, -1)
	assert.True(t, two.refused(take1(t, two), 503, 0))

	// A fixed limit never moves, and always pauses everyone.
	f := newLimiter(5, -1)
	assert.True(t, f.refused(take1(t, f), 429, 0))
	for range 100 {
		f.succeeded(take1(t, f), time.Millisecond)
	}
	assert.Equal(t, 5, f.current())
}

// A batch that gains capacity (the other batch ended) finds it: two probes in a
// row that hold past the refused level bring slow start back.
func TestLimiterFindsNewCapacity(t *testing.T) {
	ctx := ctxT(t)
	l := newLimiter(AutoConcurrency, -1)
	l.slowStart, l.limit, l.lossLevel, l.probeRounds = false, 2, 3, probeMax
	var held []slot
	step := func() {
		for l.inFlight < l.limit {
			s, err := l.acquire(ctx, false)
			require.NoError(t, err)
			held = append(held, s)
		}
		s := held[0]
		held = held[1:]
		l.succeeded(s, 100*time.Millisecond)
	}
	n := 0
	for l.current() < 16 {
		step()
		n++
		require.Less(t, n, 1000, "stuck at %d", l.current())
	}
	assert.True(t, l.slowStart)
	t.Logf("from 2 to 16 renders in flight in %d renders", n)
	assert.Less(t, n, (probeMax+2*probeMin)*4+30, "a few round trips, not hundreds of renders")
}

func take1(t *testing.T, l *limiter) slot {
	s, err := l.acquire(ctxT(t), false)
	require.NoError(t, err)
	return s
}

// A pause holds every new render back until it ends; a refused render coming
// back goes before new ones.
func TestLimiterPauseAndPriority(t *testing.T) {
	ctx := ctxT(t)
	l := newLimiter(1, -1)
	s := take1(t, l)
	type got struct {
		who string
		at  time.Time
	}
	order := make(chan got, 2)
	var wg sync.WaitGroup
	for _, retry := range []bool{false, true} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.acquire(ctx, retry)
			assert.NoError(t, err)
			order <- got{map[bool]string{false: "new", true: "retry"}[retry], time.Now()}
			l.release()
		}()
	}
	require.Eventually(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.waiting == 1 }, 10*time.Second, time.Millisecond)
	until := time.Now().Add(50 * time.Millisecond)
	assert.True(t, l.refused(s, 429, 50*time.Millisecond), "a fixed limit pauses everyone")
	wg.Wait()
	first, second := <-order, <-order
	assert.Equal(t, "retry", first.who)
	assert.Equal(t, "new", second.who)
	assert.False(t, first.at.Before(until), "nothing starts during the pause")
}

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
