package shaper

import (
	"math/bits"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// lineLimit bounds the bytes waiting in one direction of a shaped connection.
	// Like a TCP window it gives backpressure (a writer blocks when it is full)
	// and caps throughput at lineLimit per latency: 4 MiB per 5 ms is 800 MiB/s,
	// so only long latencies slow a fast stream down, as on a real network.
	lineLimit = 4 << 20
	// maxChunk is the largest piece of data stamped with one arrival time.
	maxChunk = 64 << 10
)

// Test hooks, counted over every line of the process: takeWaits counts the times
// a pump found the first chunk of its line not yet due and waited for it, pushes
// the chunks put into lines. Their ratio tells a line that pays its latency once
// per stream (the pump waits a few times, then finds chunk after chunk already
// due) from one that pays it per chunk (a wait for every chunk), without timing
// the stream on a machine whose speed the test does not know.
var takeWaits, pushes atomic.Int64

// A chunk is data (or the end of the stream) on its way through a delayLine.
type chunk struct {
	data []byte    // bytes not yet delivered
	buf  *[]byte   // pooled array behind data, returned once delivered
	due  time.Time // when it comes out of the line
	end  error     // non-nil marks the end of the stream instead of data
}

// A delayLine is one direction of a shaped connection: a FIFO in which every
// chunk is stamped on arrival with the time it is due at the other end, the
// arrival time plus the latency plus, with a bandwidth, the time the link needs
// to send it after everything before it. It is a delay line and not a sleep per
// write: chunks travel concurrently, so a long stream still flows at full speed
// and pays the latency once.
//
// One side pushes, the other reads (or takes). The connection's user is one of
// the two sides; the line's deadline applies to that side only, the pump on the
// other side has none.
type delayLine struct {
	latency time.Duration
	bps     int64 // bits per second; 0 = unlimited

	mu       sync.Mutex
	queue    []chunk
	queued   int       // bytes of data in queue
	linkFree time.Time // when the link has sent everything stamped so far
	finished bool      // an end was pushed: no more data
	stopped  error     // the line is torn down: every call fails with it
	deadline time.Time // of the user's side
	wake     chan struct{}
}

func newDelayLine(latency time.Duration, bps int64) *delayLine {
	return &delayLine{latency: latency, bps: bps, wake: make(chan struct{})}
}

// changedLocked wakes every goroutine waiting on the line.
func (l *delayLine) changedLocked() {
	close(l.wake)
	l.wake = make(chan struct{})
}

// waitLocked releases the lock until the line changes or until the time until
// (zero = no time limit), then takes it again.
func (l *delayLine) waitLocked(until time.Time) {
	wake := l.wake
	l.mu.Unlock()
	defer l.mu.Lock()
	if until.IsZero() {
		<-wake
		return
	}
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	select {
	case <-wake:
	case <-t.C:
	}
}

// stampLocked accounts for n bytes sent now and returns when they arrive.
func (l *delayLine) stampLocked(n int) time.Time {
	start := time.Now()
	if l.linkFree.After(start) {
		start = l.linkFree // the link is still busy with earlier chunks
	}
	if l.bps > 0 {
		start = start.Add(time.Duration(int64(n) * 8 * int64(time.Second) / l.bps))
	}
	l.linkFree = start
	return start.Add(l.latency)
}

func expired(deadline time.Time) bool {
	return !deadline.IsZero() && !time.Now().Before(deadline)
}

// push copies p into the line, waiting for room while it is full. user says the
// caller is the connection's user (Write), so the deadline applies.
func (l *delayLine) push(p []byte, user bool) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for len(p) > 0 {
		piece := p[:min(len(p), maxChunk)]
		for {
			if l.stopped != nil {
				return n, l.stopped
			}
			if l.finished {
				return n, net.ErrClosed
			}
			if user && expired(l.deadline) {
				return n, os.ErrDeadlineExceeded
			}
			if l.queued == 0 || l.queued+len(piece) <= lineLimit {
				break
			}
			var until time.Time
			if user {
				until = l.deadline
			}
			l.waitLocked(until)
		}
		buf := getBuf(len(piece))
		data := (*buf)[:len(piece)]
		copy(data, piece)
		l.queue = append(l.queue, chunk{data: data, buf: buf, due: l.stampLocked(len(piece))})
		l.queued += len(piece)
		pushes.Add(1)
		l.changedLocked()
		n += len(piece)
		p = p[len(piece):]
	}
	return n, nil
}

// finish pushes the end of the stream: it arrives after the data before it,
// as a FIN does. Later pushes fail.
func (l *delayLine) finish(end error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped != nil {
		return
	}
	l.finished = true
	l.queue = append(l.queue, chunk{end: end, due: l.stampLocked(0)})
	l.changedLocked()
}

// stop tears the line down: waiting calls return err, queued data is dropped.
func (l *delayLine) stop(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped != nil {
		return
	}
	l.stopped = err
	for _, c := range l.queue {
		putBuf(c.buf)
	}
	l.queue, l.queued = nil, 0
	l.changedLocked()
}

func (l *delayLine) setDeadline(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.deadline = t
	l.changedLocked()
}

// read is the user's Read: it copies due data into p, waiting until some is
// due, the end of the stream is due (its error is returned, then and on every
// later call), the deadline passes or the line stops. An expired deadline wins
// over data, as on a real connection (net/http relies on that to end a read).
func (l *delayLine) read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if l.stopped != nil {
			return 0, l.stopped
		}
		if expired(l.deadline) {
			return 0, os.ErrDeadlineExceeded
		}
		n := 0
		now := time.Now()
		for n < len(p) && len(l.queue) > 0 && !now.Before(l.queue[0].due) && l.queue[0].end == nil {
			h := &l.queue[0]
			k := copy(p[n:], h.data)
			n += k
			h.data = h.data[k:]
			l.queued -= k
			if len(h.data) == 0 {
				putBuf(h.buf)
				l.popLocked()
			}
		}
		if n > 0 {
			l.changedLocked() // there is room for the pump again
			return n, nil
		}
		until := l.deadline
		if len(l.queue) > 0 {
			h := l.queue[0]
			if !now.Before(h.due) {
				return 0, h.end // due, and not data: the end of the stream
			}
			if until.IsZero() || h.due.Before(until) {
				until = h.due
			}
		}
		l.waitLocked(until)
	}
}

// take is the pump's side of an outgoing line: it waits until the first chunk
// is due and removes it. The caller returns c.buf with putBuf once written.
func (l *delayLine) take() (chunk, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if l.stopped != nil {
			return chunk{}, l.stopped
		}
		var until time.Time
		if len(l.queue) > 0 {
			h := l.queue[0]
			if !time.Now().Before(h.due) {
				l.popLocked()
				l.queued -= len(h.data)
				l.changedLocked()
				return h, nil
			}
			until = h.due
			takeWaits.Add(1)
		}
		l.waitLocked(until)
	}
}

func (l *delayLine) popLocked() {
	l.queue[0] = chunk{} // drop the references for the collector
	l.queue = l.queue[1:]
}

// bufPools recycle chunk arrays in power-of-two sizes from 512 bytes to
// maxChunk, so a long stream reuses a few arrays instead of allocating its size
// in garbage, and a small chunk does not pin a large array.
var bufPools [8]sync.Pool

func poolIndex(size int) int {
	i := 0
	for 512<<i < size {
		i++
	}
	return i
}

func getBuf(n int) *[]byte {
	i := poolIndex(n)
	if b, ok := bufPools[i].Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 512<<i)
	return &b
}

func putBuf(b *[]byte) {
	if b == nil {
		return
	}
	bufPools[bits.Len(uint(cap(*b)>>9))-1].Put(b)
}
