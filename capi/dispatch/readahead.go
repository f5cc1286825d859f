package dispatch

import (
	"fmt"
	"sync"
)

// Read-ahead of a stream read through an inbox. A host with an event loop asks
// for each piece with a round trip (cx_inbox_stream_read, a done event, the next
// request), and a single network read returns what one TLS record or one TCP
// segment holds, often 16 KiB. Reading on demand thus handed Node ~16 KiB per
// round trip over TLS: 58 MB/s where savePdf wrote 445 MB/s (200 MB, TLS, 5 ms).
//
// So the first inbox read of a stream starts a pump: a goroutine that reads the
// network into pieces of the read's size, in sink memory (C memory under capi),
// and queues them; a read takes the oldest piece whole, without a copy. The pump
// hands over a partly filled piece as soon as a reader waits, so a slow server's
// bytes are not held back, and stops while aheadPieces pieces wait unread, so
// the network is still read at the host's pace and memory stays bounded
// (aheadPieces+1 pieces at most, 3 MiB for Node's 1 MiB reads).

// aheadPieces is how many read pieces may wait for the host.
const aheadPieces = 2

// readAhead is the pump's queue of one stream (openStream.ahead).
type readAhead struct {
	mu      sync.Mutex
	changed sync.Cond // queue, waiting, end or closed changed
	piece   int       // bytes per piece: the first read's capacity
	queue   []Sink    // filled pieces, oldest first; each is a Lender
	head    int       // bytes of queue[0] already read by ReadStream's copies
	waiting int       // readers waiting for a piece
	end     bool      // the pump is done: end of file, or failed with errEnv
	errEnv  []byte    // the stream's failure, reported after the queued bytes
	closed  bool      // CloseStream ran: queued pieces are freed, reads fail
}

// startAhead returns the stream's read-ahead, starting its pump on first use
// with pieces of piece bytes.
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
			ra.finish(PanicEnvelope("cx_inbox_stream_read", r))
		}
		if cur != nil {
			cur.Free()
		}
	}()
	for {
		if cur == nil {
			s := newSink()
			l, ok := s.(Lender)
			if ok {
				room = l.Lend(ra.piece)
			}
			if room == nil {
				s.Free()
				ra.finish(ErrorEnvelope(CodeInternal, fmt.Sprintf("cx_inbox_stream_read: cannot allocate %d bytes for a read (malloc failed); ask for less", ra.piece)))
				return
			}
			cur, filled = l, 0
		}
		// Outside the lock: nobody else touches cur until it is queued.
		n, errEnv := st.read(room[filled:])
		filled += n
		ra.mu.Lock()
		if ra.closed {
			ra.mu.Unlock()
			return
		}
		if filled > 0 && (n == 0 || filled == len(room) || ra.waiting > 0) {
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
	s := newSink()
	n := min(capacity, first.Len()-ra.head)
	if l, ok := s.(Lender); ok {
		if room := l.Lend(n); room != nil {
			ra.copyOut(room)
			l.Commit(n)
			return s, nil
		}
	}
	s.Free()
	return nil, ErrorEnvelope(CodeInternal, fmt.Sprintf("cx_inbox_stream_read: cannot allocate %d bytes for a read (malloc failed); ask for less", n))
}

// read copies the next bytes into p: cx_stream_read on a stream that an inbox
// read has started a pump for.
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

// copyOut copies the oldest queued bytes into p, dropping used-up pieces; the
// caller holds mu and the queue is not empty.
func (ra *readAhead) copyOut(p []byte) int {
	first := ra.queue[0].(Lender)
	n := copy(p, first.View()[ra.head:])
	ra.head += n
	if ra.head == first.Len() {
		ra.pop()
		first.Free()
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
