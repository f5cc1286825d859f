// Package batchlimit is the concurrency limit of core.RenderBatch: how many
// renders may be at the server at once, fixed or found by AIMD.
package batchlimit

import (
	"context"
	"math"
	"sync"
	"time"
)

// The batch's concurrency limit: how many renders may be at the server at once.
//
// A fixed limit (BatchOptions.Concurrency > 0) is exactly that number. The
// adaptive limit (Concurrency 0, "auto") is AIMD, the rule TCP uses to share a
// link, in the form Netflix's concurrency-limits calls AIMDLimit, with a slow
// start and a latency guard:
//
//   - Slow start: from 2 renders, the limit grows by one per success while the
//     limit is in use, so it doubles every round trip until the server first
//     refuses (429 or 503).
//   - Multiplicative decrease: a refusal sets the limit to 0.9 times the level
//     the server refused, once per episode. Renders sent in one burst reach the
//     server in any order, and its 429 comes back at once, so the level is not
//     the renders in flight when the refused one was sent: it is one more than
//     the renders the server took, which are those pending when the first 429
//     arrived less those refused in the same burst. Each refusal of a render sent
//     before the episode began refines that count and may lower the limit
//     further; none compounds the cut. 0.9 rather than TCP's 0.5 keeps a lone
//     batch close to the server's capacity, and any factor below 1 still makes
//     independent batches converge to equal shares, with no coordinator.
//   - Additive increase: past the first refusal the limit grows by one after
//     probeRounds × limit successes, that is every probeRounds round trips,
//     whatever the limit. A probe that is not refused within 4 round trips has
//     held. probeRounds starts at 4, doubles with each probe the server refuses
//     (up to 8) and halves with each that holds. TCP probes every round trip; a
//     refused render here waits out its Retry-After, and one refused near the
//     end of a batch makes the batch that much longer, so probes are rarer. A
//     batch alone at a server of K slots thus sees one refused probe per 8·K
//     renders in the long run. Counting in round trips, not renders, keeps a
//     batch pushed down to one or two renders by another from starving: it
//     still probes every few round trips. Once two probes in a row hold and the
//     limit is past the level that was refused, the server has gained capacity
//     (another batch ended) and slow start resumes.
//   - Latency guard: the limit grows only while the recent render time (an EWMA
//     over ~3 renders) stays within twice the long-run one (~50 renders). A
//     server that queues instead of refusing shows it in latency, not in 429s.
//
// Why not a gradient (Vegas-style) Limiter alone: report renders differ in size
// by orders of magnitude, so latency is a poor sole signal of queueing, while the
// server's 429/503 is an exact one. Latency only holds growth back.
type Limiter struct {
	mu       sync.Mutex
	auto     bool
	limit    int
	inFlight int
	waiting  int       // refused renders ready to go again; they go before new ones
	until    time.Time // shared pause: no render starts before this
	changed  chan struct{}

	// adaptive state
	slowStart     bool
	episodeLimit  int    // the limit when the last episode began
	accepted      int    // renders pending when it began, less those refused since: what the server took
	lossLevel     int    // the level refused: accepted + 1
	sent          uint64 // Slots handed out so far: a Slot's seq is its place in this count
	cutSeq        uint64 // sent when the last cut was made: renders with seq ≤ cutSeq belong to its episode
	grown         int    // successes since the limit last changed, while it was in use
	probeRounds   int
	probing       bool // the last change was a probe (+1) that has not yet held for probeMin round trips
	held          int  // probes in a row that held
	floorRefusals int  // refusals at a limit of one since the last success
	left          int  // items not read yet, when the batch's size is known; else -1
	short         ewma // render time, recent
	long          ewma // render time, long run
}

// StartLimit is where the adaptive limit starts.
const StartLimit = 2

const (
	autoMaxLimit = 64
	autoBeta     = 0.9
	probeMin     = 4 // round trips between probes
	probeMax     = 8
	latencySlack = 2.0
)

// A Slot is one render's claim on the Limiter.
//
// Which render was sent before which event is told by a count, not by the clock:
// on Windows time.Now advances once per timer tick (Go reads the interrupt time,
// every 15.6 ms unless a program asked for a finer timer), so a render sent a few
// milliseconds before a refusal came back would read the same instant, and count
// as sent after it.
type Slot struct {
	seq      uint64 // 1 for the first Slot handed out, and so on
	inFlight int    // renders in flight when this one was sent, itself included
}

// Seq is the Slot's place among those handed out (Sent): a render with a seq no
// greater than Sent at some event was sent before it. A refusal of a render sent
// before the limit was last cut belongs to that cut's episode.
func (s Slot) Seq() uint64 { return s.seq }

// Sent is the number of Slots handed out so far: the seq of the last one.
func (l *Limiter) Sent() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent
}

// New makes the limit of a batch: fixed > 0 renders, else adaptive;
// total is the number of items when known, else -1.
func New(fixed, total int) *Limiter {
	l := &Limiter{limit: fixed, changed: make(chan struct{}), left: total}
	if fixed <= 0 {
		l.auto, l.limit, l.slowStart, l.probeRounds = true, StartLimit, true, probeMin
		l.short.alpha, l.long.alpha = 0.3, 0.02
	}
	return l
}

// wake tells every waiter to look again; called with mu held.
func (l *Limiter) wake() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// Acquire waits for a free Slot outside any pause. A refused render coming back
// (retry) goes before new renders, so the batch's tail is not one refused render
// waiting behind a queue.
func (l *Limiter) Acquire(ctx context.Context, retry bool) (Slot, error) {
	if retry {
		l.mu.Lock()
		l.waiting++
		l.mu.Unlock()
		defer func() {
			l.mu.Lock()
			l.waiting--
			l.wake()
			l.mu.Unlock()
		}()
	}
	for {
		if err := ctx.Err(); err != nil {
			return Slot{}, err
		}
		l.mu.Lock()
		now := time.Now()
		pause := l.until.Sub(now)
		if pause <= 0 && l.inFlight < l.limit && (retry || l.waiting == 0) {
			l.inFlight++
			l.sent++
			s := Slot{seq: l.sent, inFlight: l.inFlight}
			l.mu.Unlock()
			return s, nil
		}
		ch := l.changed
		l.mu.Unlock()
		var t *time.Timer
		var timer <-chan time.Time
		if pause > 0 {
			t = time.NewTimer(pause)
			timer = t.C
		}
		select {
		case <-ch:
		case <-timer:
		case <-ctx.Done():
		}
		if t != nil {
			t.Stop() // each turn of the loop has its own timer: stop it now, not at return
		}
	}
}

// Release frees s without a verdict (the render failed for another reason, or
// was canceled).
func (l *Limiter) Release() {
	l.mu.Lock()
	l.inFlight--
	l.wake()
	l.mu.Unlock()
}

// Succeeded frees s after a render the server accepted, and grows the limit.
func (l *Limiter) Succeeded(s Slot, took time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	defer l.wake()
	if !l.auto {
		return
	}
	l.floorRefusals = 0
	l.short.add(took.Seconds())
	l.long.add(took.Seconds())
	if (l.inFlight+1)*2 < l.limit {
		return // the limit is not what holds renders back (slow input): no evidence it can grow
	}
	if l.long.n >= 3 && l.short.v > latencySlack*l.long.v {
		return // renders slow down: the server queues; hold
	}
	l.grown++
	switch {
	case l.slowStart:
		l.setLimit(l.limit + 1)
	case l.probing && l.grown >= probeMin*l.limit:
		// The probe held for probeMin round trips: the server took it. Probe
		// sooner; after two in a row past the refused level, slow start again.
		l.probing, l.held = false, l.held+1
		l.probeRounds = max(probeMin, l.probeRounds/2)
		if l.held >= 2 && l.limit >= l.lossLevel {
			l.slowStart = true
		}
	case !l.probing && l.grown >= l.probeRounds*l.limit && l.worthProbing():
		l.setLimit(l.limit + 1)
		l.probing = true
	}
}

// Refused frees s after a 429 or 503 and cuts the limit, once per episode. It
// pauses the whole batch for wait, and says so: always for a fixed limit; for
// the adaptive one after a 503 (unavailable, not merely full), and when a second
// render is refused at a limit of one with none accepted in between. Not at the
// first: a batch that another pushed down to one render would otherwise stop
// for a whole Retry-After each time the other probes, and starve.
func (l *Limiter) Refused(s Slot, status int, wait time.Duration) (pauseAll bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	defer l.wake()
	defer func() {
		if until := time.Now().Add(wait); pauseAll && until.After(l.until) {
			l.until = until
		}
	}()
	if !l.auto {
		return true
	}
	if l.limit <= 1 {
		l.floorRefusals++
	}
	if s.seq > l.cutSeq { // sent after the last cut: a new episode
		if l.probing {
			l.probeRounds = min(probeMax, l.probeRounds*2)
		}
		l.slowStart, l.probing, l.held = false, false, 0
		l.episodeLimit, l.accepted, l.cutSeq = l.limit, l.inFlight, l.sent
	} else {
		l.accepted-- // one of the renders pending when the episode began was refused too
	}
	l.lossLevel = l.accepted + 1
	cut := max(1, int(math.Floor(float64(min(l.episodeLimit, l.lossLevel))*autoBeta)))
	if cut < l.limit {
		l.setLimit(cut)
	}
	return l.floorRefusals >= 2 || status == 503
}

// worthProbing: a probe pays off only if enough renders are left to use the
// extra Slot for a while, and one the server refuses waits out its Retry-After
// (a second, say) while the rest of the batch runs on. Near the end of a batch
// of known size that wait would be the batch's last second, for one Slot more
// over a few renders: so in the last 2·probeRounds round trips it does not
// probe. A batch of unknown size (a stream) always may.
func (l *Limiter) worthProbing() bool {
	return l.left < 0 || l.left >= 2*l.probeRounds*l.limit
}

// Read tells the Limiter one more item was read; called by the feeding goroutine.
func (l *Limiter) Read() {
	l.mu.Lock()
	if l.left > 0 {
		l.left--
	}
	l.mu.Unlock()
}

// setLimit changes the limit and starts counting anew; called with mu held.
func (l *Limiter) setLimit(n int) {
	l.limit = min(max(n, 1), autoMaxLimit)
	l.grown = 0
}

// Current is the limit in force, for progress reports.
func (l *Limiter) Current() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}

// ewma is an exponentially weighted moving average.
type ewma struct {
	alpha, v float64
	n        int
}

func (e *ewma) add(x float64) {
	if e.n == 0 {
		e.v = x
	} else {
		e.v += e.alpha * (x - e.v)
	}
	e.n++
}
