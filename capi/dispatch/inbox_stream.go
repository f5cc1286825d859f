package dispatch

import (
	"sync"

	json "github.com/goccy/go-json"
)

// Streams through an inbox (cx_inbox_stream_open / cx_inbox_stream_read): the
// opening and each read run on a goroutine and complete as a done event, so a
// host with an event loop (Node.js) reads a stream without blocking its thread
// or holding one of a thread pool's few threads while the network is slow. The
// inbox owns the streams it opened: when it closes, they are closed.

// maxInboxRead bounds the buffer of one read through an inbox (Go memory, then
// handed over as the event's bytes).
const maxInboxRead = 16 << 20

// streamRead is the envelope data of a read through an inbox: the bytes are the
// event's data (none at the end of the file).
type streamRead struct {
	Bytes int `json:"bytes"`
}

// InboxStreamOpen opens a stream like OpenStream, on a goroutine: its done event,
// whose id is the returned stream id, carries OpenStream's envelope. It returns
// 0, and starts nothing, when the inbox is unknown or closed. As with InboxCall,
// nothing is queued before start has been called; cx_cancel(id) cancels the
// opening (and later the stream).
func (l *Library) InboxStreamOpen(inbox, h uint64, method string, args []byte) (id uint64, start func()) {
	in := l.inboxes.get(inbox)
	if in == nil {
		return 0, func() {}
	}
	rid, ctx, cancel := l.reserveStream()
	if !in.track(rid) {
		l.requests.untrack(rid)
		cancel(nil)
		return 0, func() {}
	}
	gate := make(chan struct{})
	go func() {
		var env []byte
		defer func() {
			if r := recover(); r != nil {
				env = PanicEnvelope("cx_inbox_stream_open", r)
			}
			in.push(Event{Kind: EventDone, ID: rid, Text: env}, true)
		}()
		<-gate
		l.openStream(ctx, cancel, rid, h, method, args, in, &env)
	}()
	var once sync.Once
	return rid, func() { once.Do(func() { close(gate) }) }
}

// InboxStreamRead reads the next bytes of stream, at most capacity, on a
// goroutine; its done event carries {"bytes":n} and the bytes (n == 0 at the end
// of the file, with no bytes), or ReadStream's error. It returns 0 when the inbox
// is unknown or closed. A read is not canceled by itself: close the stream.
func (l *Library) InboxStreamRead(inbox, stream uint64, capacity uint64) (id uint64, start func()) {
	in := l.inboxes.get(inbox)
	if in == nil {
		return 0, func() {}
	}
	id = l.requests.reserve()
	if !in.track(id) {
		return 0, func() {}
	}
	gate := make(chan struct{})
	go func() {
		ev := Event{Kind: EventDone, ID: id}
		defer func() {
			if r := recover(); r != nil {
				ev.Text, ev.Body = PanicEnvelope("cx_inbox_stream_read", r), nil
			}
			in.push(ev, true)
		}()
		<-gate
		n, body, errEnv := l.inboxRead(stream, int(min(capacity, maxInboxRead)))
		if errEnv != nil {
			ev.Text = errEnv
			return
		}
		data, _ := json.Marshal(streamRead{Bytes: n})
		ev.Text, ev.Body = okEnvelope(data), body
	}()
	var once sync.Once
	return id, func() { once.Do(func() { close(gate) }) }
}

// inboxRead takes the next piece of stream from its read-ahead (readahead.go),
// which the first inbox read starts: n bytes in body, none at the end.
func (l *Library) inboxRead(stream uint64, capacity int) (n int, body Sink, errEnv []byte) {
	st := l.streams.get(stream)
	if st == nil {
		return 0, nil, encodeError(errorFor(unknownStream(stream)))
	}
	if errEnv := checkCap("cx_inbox_stream_read", capacity); errEnv != nil {
		return 0, nil, errEnv
	}
	body, errEnv = l.startAhead(st, capacity).next(l.newSink(), capacity)
	if body != nil {
		n = body.Len()
	}
	return n, body, errEnv
}

// adoptStream makes the inbox the owner of stream id; false when it has closed.
func (in *Inbox) adoptStream(id uint64) bool { return in.own(&in.streams, id) }

// forgetStream drops a closed stream from the inbox's.
func (in *Inbox) forgetStream(id uint64) {
	in.mu.Lock()
	delete(in.streams, id)
	in.mu.Unlock()
}
