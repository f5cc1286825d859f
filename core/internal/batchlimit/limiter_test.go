package batchlimit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctxT bounds a test's waits: a limiter that never frees a slot fails the test
// instead of hanging it.
func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fill takes slots until l is at its limit, as the batch does, and returns held
// with them added.
func fill(ctx context.Context, t *testing.T, l *Limiter, held []Slot) []Slot {
	t.Helper()
	for l.inFlight < l.limit {
		s, err := l.Acquire(ctx, false)
		require.NoError(t, err)
		held = append(held, s)
	}
	return held
}

// The adaptive limit's rules, one event at a time: fill takes slots up to the
// limit; each render then finishes in turn.
func TestLimiterRules(t *testing.T) {
	ctx := ctxT(t)
	l := New(0, -1)
	require.Equal(t, StartLimit, l.Current())
	var held []Slot
	finish := func(n int, took time.Duration) { // n renders succeed, oldest first, each replaced
		for range n {
			held = fill(ctx, t, l, held)
			s := held[0]
			held = held[1:]
			l.Succeeded(s, took)
		}
		held = fill(ctx, t, l, held)
	}
	// Slow start: one more per success while the limit is in use, so it doubles
	// every round trip.
	finish(2, 100*time.Millisecond)
	assert.Equal(t, 4, l.Current())
	finish(4, 100*time.Millisecond)
	assert.Equal(t, 8, l.Current())
	finish(8, 100*time.Millisecond)
	require.Equal(t, 16, l.Current())
	require.Len(t, held, 16)

	// The server had 12 slots: of the 16 pending, 4 are refused in one burst.
	// The cut is 0.9 × the level refused (12 taken + 1), once for the episode.
	assert.False(t, l.Refused(held[15], 429, 0), "a 429 above the floor lowers the limit, it does not pause everyone")
	for _, s := range held[12:15] {
		l.Refused(s, 429, 0)
	}
	held = held[:12]
	assert.Equal(t, 11, l.Current(), "floor(0.9 × 13)")
	assert.Equal(t, 13, l.lossLevel)
	for _, s := range held {
		l.Succeeded(s, 100*time.Millisecond)
	}
	held = nil
	assert.Equal(t, 11, l.Current(), "no slow start after a refusal")

	// Additive increase: a probe every probeRounds round trips.
	require.Equal(t, probeMin, l.probeRounds)
	finish(probeMin*11-l.grown-1, 100*time.Millisecond)
	assert.Equal(t, 11, l.Current())
	finish(1, 100*time.Millisecond)
	assert.Equal(t, 12, l.Current(), "the probe")
	// The probe holds for probeMin round trips: the next comes sooner.
	l.probeRounds = 2 * probeMin
	finish(probeMin*12, 100*time.Millisecond)
	assert.False(t, l.probing)
	assert.Equal(t, probeMin, l.probeRounds)
	assert.Equal(t, 12, l.Current())
	finish(1, 100*time.Millisecond)
	assert.Equal(t, 13, l.Current())
	// This probe is refused: back below it, and the next comes later.
	s := held[len(held)-1]
	held = held[:len(held)-1]
	l.Refused(s, 429, 0)
	assert.Equal(t, 11, l.Current(), "floor(0.9 × 13)")
	assert.Equal(t, 2*probeMin, l.probeRounds)
	for _, s := range held {
		l.Release()
		_ = s
	}
	held = nil

	// Renders ten times slower than usual do not count as room to grow.
	before := l.grown
	finish(30, time.Second)
	assert.LessOrEqual(t, l.grown, before+2)

	// At the floor, a second refusal with no render accepted in between pauses
	// the whole batch; so does any 503.
	one := New(0, -1)
	one.limit, one.slowStart = 1, false
	assert.False(t, one.Refused(take1(t, one), 429, 0))
	one.Succeeded(take1(t, one), 100*time.Millisecond)
	assert.False(t, one.Refused(take1(t, one), 429, 0), "a render was accepted in between")
	assert.True(t, one.Refused(take1(t, one), 429, 0))
	two := New(0, -1)
	assert.True(t, two.Refused(take1(t, two), 503, 0))

	// A fixed limit never moves, and always pauses everyone.
	f := New(5, -1)
	assert.True(t, f.Refused(take1(t, f), 429, 0))
	for range 100 {
		f.Succeeded(take1(t, f), time.Millisecond)
	}
	assert.Equal(t, 5, f.Current())
}

// A batch that gains capacity (the other batch ended) finds it: two probes in a
// row that hold past the refused level bring slow start back.
func TestLimiterFindsNewCapacity(t *testing.T) {
	ctx := ctxT(t)
	l := New(0, -1)
	l.slowStart, l.limit, l.lossLevel, l.probeRounds = false, 2, 3, probeMax
	var held []Slot
	step := func() {
		held = fill(ctx, t, l, held)
		s := held[0]
		held = held[1:]
		l.Succeeded(s, 100*time.Millisecond)
	}
	n := 0
	for l.Current() < 16 {
		step()
		n++
		require.Less(t, n, 1000, "stuck at %d", l.Current())
	}
	assert.True(t, l.slowStart)
	t.Logf("from 2 to 16 renders in flight in %d renders", n)
	assert.Less(t, n, (probeMax+2*probeMin)*4+30, "a few round trips, not hundreds of renders")
}

func take1(t *testing.T, l *Limiter) Slot {
	s, err := l.Acquire(ctxT(t), false)
	require.NoError(t, err)
	return s
}

// A pause holds every new render back until it ends; a refused render coming
// back goes before new ones.
func TestLimiterPauseAndPriority(t *testing.T) {
	ctx := ctxT(t)
	l := New(1, -1)
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
			_, err := l.Acquire(ctx, retry)
			assert.NoError(t, err)
			order <- got{map[bool]string{false: "new", true: "retry"}[retry], time.Now()}
			l.Release()
		}()
	}
	require.Eventually(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.waiting == 1 }, 10*time.Second, time.Millisecond)
	until := time.Now().Add(50 * time.Millisecond)
	assert.True(t, l.Refused(s, 429, 50*time.Millisecond), "a fixed limit pauses everyone")
	wg.Wait()
	first, second := <-order, <-order
	assert.Equal(t, "retry", first.who)
	assert.Equal(t, "new", second.who)
	assert.False(t, first.at.Before(until), "nothing starts during the pause")
}
