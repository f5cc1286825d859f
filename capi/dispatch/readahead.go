package dispatch

import (
	"fmt"
	"sync"
	"time"
)

// Read-ahead of a stream. A single network read returns what one TLS record or
// one TCP segment holds, often 16 KiB, so reading on demand handed the host
// ~16 KiB per call over TLS, with the network idle while the host wrote them:
// Node's openPdf, one inbox round trip per read, ran at 58 MB/s where savePdf
// wrote 445 MB/s (200 MB, TLS, 5 ms latency); Python's open_pdf copied with
// shutil.copyfileobj reached 0.85 of save_pdf's speed.
//
// So the first read of a stream starts a pump: a goroutine that reads the
// network into pieces, in sink memory (C memory under capi), and queues them,
// while the host handles what it got. An inbox read (cx_inbox_stream_read)
// takes the oldest piece whole, without a copy, so its pieces are that read's
// size; cx_stream_read copies every queued byte that fits into the caller's
// buffer, so its pieces are between minCopyPiece and maxCopyPiece. The pump stops while
// aheadPieces pieces wait unread, so the network is still read at the host's
// pace and memory stays bounded (aheadPieces+1 pieces at most, 3 MiB for Node's
// 1 MiB reads).
//
// A reader that waits gets a partly filled piece once it has waited
// handOverAfter, so a slow server's bytes are not held back until a piece
// fills. Not at once: a reader that only copies is faster than the pump that
// decrypts, so it always waits, and handing it each network read (16 KiB over
// TLS) costs a wake-up of its thread each time. Python's open_pdf, read
// without copying it anywhere, fell from 583 to 223 MB/s that way (TLS, 5 ms).

// aheadPieces is how many read pieces may wait for the host.
const aheadPieces = 2

// The piece of a stream first read by cx_stream_read is that read's size within
// these bounds: a caller that reads a few bytes at a time still gets the
// network read in large pieces, copied out bit by bit, and one that reads
// 100 MB at a time does not make the library hold three 100 MB pieces (a read
// copies from as many pieces as are queued).
const (
	minCopyPiece = 256 << 10
	maxCopyPiece = 1 << 20
)

// handOverAfter is how long a waiting reader lets the pump go on filling the
// piece it will get: a fast network fills a 256 KiB piece in well under it.
const handOverAfter = time.Millisecond

// readAhead is the pump's queue of one stream (openStream.ahead).
type readAhead struct {
	mu      sync.Mutex
	changed sync.Cond // queue, waiting, end or closed changed
	piece   int       // bytes per piece: the first read's capacity (within min/maxCopyPiece for cx_stream_read)
	queue   []Sink    // filled pieces, oldest first; each is a Lender
	head    int       // bytes of queue[0] already read by ReadStream's copies
	waiting int       // readers waiting for a piece
	since   time.Time // when the first of them began to wait
	end     bool      // the pump is done: end of file, or failed with errEnv
	errEnv  []byte    // the stream's failure, reported after the queued bytes
	closed  bool      // CloseStream ran: queued pieces are freed, reads fail
}

// startAhead returns the stream's read-ahead, starting its pump on the first
// read with pieces of piece bytes.
func (l *Library) startAhead(st *openStream, piece int) *readAhead {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ahead == nil {
		ra := &readAhead{piece: piece}
		ra.changed.L = &ra.mu
		st.ahead = ra
		go ra.pump(st, l.newSink())
	}
	return st.ahead
}

// pump reads st into pieces until the end of the file, a failure, or close.
func (ra *readAhead) pump(st *openStream, newSink SinkFunc) {
	var cur Lender // the piece being filled, nil between pieces
	var room []byte
	filled := 0
	defer func() {
		if r := recover(); r != nil {
			ra.finish(PanicEnvelope("stream read-ahead", r))
		}
		if cur != nil {
			cur.Free()
		}
	}()
	for {
		if cur == nil {
			l, r, errEnv := lend(newSink, ra.piece)
			if errEnv != nil {
				ra.finish(errEnv)
				return
			}
			cur, room, filled = l, r, 0
		}
		// Outside the lock: nobody else touches cur until it is queued.
		n, errEnv := st.read(room[filled:])
		filled += n
		ra.mu.Lock()
		if ra.closed {
			ra.mu.Unlock()
			return
		}
		// A reader woken for a queued piece that has not taken it yet needs no other.
		handOver := ra.waiting > 0 && len(ra.queue) == 0 && time.Since(ra.since) >= handOverAfter
		if filled > 0 && (n == 0 || filled == len(room) || handOver) {
			cur.Commit(filled)
			ra.queue = append(ra.queue, cur)
			cur, room = nil, nil
			ra.changed.Broadcast()
		}
		if n == 0 { // end of file (errEnv nil) or failure
			ra.end, ra.errEnv = true, errEnv
			ra.changed.Broadcast()
			ra.mu.Unlock()
			return
		}
		for len(ra.queue) >= aheadPieces && !ra.closed {
			ra.changed.Wait()
		}
		closed := ra.closed
		ra.mu.Unlock()
		if closed {
			return
		}
	}
}

// finish ends the pump with a failure.
func (ra *readAhead) finish(errEnv []byte) {
	ra.mu.Lock()
	ra.end, ra.errEnv = true, errEnv
	ra.changed.Broadcast()
	ra.mu.Unlock()
}

// wait blocks until a piece is queued, the pump is done, or the stream closed;
// the caller holds mu.
func (ra *readAhead) wait() {
	for len(ra.queue) == 0 && !ra.end && !ra.closed {
		if ra.waiting == 0 {
			ra.since = time.Now()
		}
		ra.waiting++
		ra.changed.Broadcast() // a pump holding a partly filled piece hands it over
		ra.changed.Wait()
		ra.waiting--
	}
}

// errClosedWhileReading is a read's answer once CloseStream has run.
var errClosedWhileReading = ErrorEnvelope(CodeCanceled, "the stream was closed (cx_stream_close) while this read waited")

// next takes the next bytes for an inbox read of at most capacity bytes: a whole
// piece when it fits and ReadStream took none of it, else a copy. A nil sink
// with a nil envelope is the end of the file.
func (ra *readAhead) next(newSink SinkFunc, capacity int) (Sink, []byte) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.wait()
	switch {
	case ra.closed:
		return nil, errClosedWhileReading
	case len(ra.queue) == 0:
		return nil, ra.errEnv
	}
	first := ra.queue[0].(Lender)
	if ra.head == 0 && first.Len() <= capacity {
		ra.pop()
		return first, nil
	}
	l, room, errEnv := lend(newSink, min(capacity, first.Len()-ra.head))
	if errEnv != nil {
		return nil, errEnv
	}
	l.Commit(ra.copyOut(room))
	return l, nil
}

// lend returns a new sink's memory of n bytes, or the envelope of a failed
// allocation (the sink freed).
func lend(newSink SinkFunc, n int) (Lender, []byte, []byte) {
	s := newSink()
	if l, ok := s.(Lender); ok {
		if room := l.Lend(n); room != nil {
			return l, room, nil
		}
	}
	s.Free()
	return nil, nil, ErrorEnvelope(CodeInternal, fmt.Sprintf("cannot allocate %d bytes for a stream read (malloc failed); read with a smaller buffer", n))
}

// read copies the next bytes into p (cx_stream_read): every queued byte that
// fits, after waiting for the first.
func (ra *readAhead) read(p []byte) (int, []byte) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.wait()
	switch {
	case ra.closed:
		return 0, errClosedWhileReading
	case len(ra.queue) == 0:
		return 0, ra.errEnv
	}
	return ra.copyOut(p), nil
}

// copyOut copies the oldest queued bytes into p, as many as fit, dropping
// used-up pieces; the caller holds mu and the queue is not empty.
func (ra *readAhead) copyOut(p []byte) int {
	n := 0
	for n < len(p) && len(ra.queue) > 0 {
		first := ra.queue[0].(Lender)
		c := copy(p[n:], first.View()[ra.head:])
		n += c
		ra.head += c
		if ra.head == first.Len() {
			ra.pop()
			first.Free()
		}
	}
	return n
}

// pop removes the oldest piece from the queue (without freeing it) and lets the
// pump go on.
func (ra *readAhead) pop() {
	ra.queue[0] = nil
	ra.queue = ra.queue[1:]
	ra.head = 0
	ra.changed.Broadcast()
}

// close frees the queued pieces and wakes the pump and every waiting reader;
// CloseStream calls it after canceling the stream's request, which ends a pump
// blocked in a network read.
func (ra *readAhead) close() {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.closed = true
	for _, s := range ra.queue {
		s.Free()
	}
	ra.queue = nil
	ra.changed.Broadcast()
}
