package dispatch

import (
	"errors"
	"sync"
	"sync/atomic"
)

// Inboxes (cx_inbox_*) let a host that cannot take calls from foreign threads
// safely, such as a JavaScript isolate that may end at any moment (a Node.js
// worker_thread), use the library without callbacks. The results, progress
// events and log lines of its calls are queued in the inbox, and the host is
// woken through a socket it watches from its own event loop, then takes them
// with Next on its own thread. Nothing of the library ever calls into the host.
//
// The inbox is also the owner of what the host started: when the host's end of
// the socket is closed (the host closed it, or its thread or process went away
// and the system closed it), the inbox closes itself: its calls are canceled,
// the clients it adopted are freed, its log lines stop, and every event queued
// or completed later is dropped, its memory freed.

// Kinds of inbox events (cx_event.kind).
const (
	EventDone     = 1 // a call's result: Text is the envelope, Body the bytes of a binary method
	EventProgress = 2 // a progress event of a call: Text is its JSON
	EventLog      = 3 // a log line of an adopted client: Level, Text is the message
)

// Event is one entry of an inbox. Whoever takes it owns Body (take or Free).
type Event struct {
	Kind  int
	Level int
	ID    uint64
	Text  []byte
	Body  Sink
}

func (e *Event) free() {
	if e.Body != nil {
		e.Body.Free()
		e.Body = nil
	}
}

// errInboxClosed is the cancellation cause of calls whose inbox closed.
var errInboxClosed = errors.New("the inbox this call reports to was closed: the thread that started it has ended")

// Inbox is the event queue and owner of one host thread.
type Inbox struct {
	id     uint64
	logMin atomic.Int32 // lowest log level queued; -1: none

	mu       sync.Mutex
	queue    []Event
	notified bool // a wake-up was sent and the host has not yet found the queue empty
	closed   bool
	calls    map[uint64]struct{} // calls in flight
	clients  map[uint64]struct{} // adopted handles
	streams  map[uint64]struct{} // streams opened through it (inbox_stream.go)

	end *inboxEnd // the library's end of the socket pair (inbox_unix.go, inbox_windows.go)
}

// logRoute sends the log lines of one client to the inbox that adopted it, or,
// while it has none, to the process-wide callback (cx_set_log_callback).
type logRoute struct{ inbox atomic.Pointer[Inbox] }

// inboxTable holds the open inboxes and the log route of every live handle.
type inboxTable struct {
	mu      sync.Mutex
	next    uint64
	inboxes map[uint64]*Inbox
	routes  map[uint64]*logRoute
}

func (t *inboxTable) get(id uint64) *Inbox {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.inboxes[id]
}

func (t *inboxTable) setRoute(h uint64, r *logRoute) {
	t.mu.Lock()
	defer t.mu.Unlock()
	put(&t.routes, h, r)
}

// forget drops a freed handle: its route, and its place among its inbox's clients.
func (t *inboxTable) forget(h uint64) {
	t.mu.Lock()
	r := t.routes[h]
	delete(t.routes, h)
	t.mu.Unlock()
	if r == nil {
		return
	}
	if in := r.inbox.Load(); in != nil {
		in.mu.Lock()
		delete(in.clients, h)
		in.mu.Unlock()
	}
}

// NewInbox creates an inbox and returns its id (never 0) and the descriptor the
// host watches: it becomes readable when events are waiting. The host reads and
// discards what it can read, then calls InboxNext until it reports nothing. The
// descriptor is the host's: closing it closes the inbox. On Unix it is one end of
// a socket pair; on Windows it is a SOCKET, one end of a loopback TCP connection
// (inbox_windows.go says why).
func (l *Library) NewInbox() (id uint64, hostFD int, err error) {
	end, hostFD, err := newInboxEnd()
	if err != nil {
		return 0, -1, err
	}
	in := &Inbox{end: end}
	in.logMin.Store(-1)
	t := &l.inboxes
	t.mu.Lock()
	t.next++
	in.id = t.next
	put(&t.inboxes, in.id, in)
	t.mu.Unlock()
	go l.watchInbox(in)
	return in.id, hostFD, nil
}

// watchInbox waits until the host's end of the socket is closed (the host writes
// nothing, so readability means end of file), then closes the inbox. It returns
// when the inbox is closed by CloseInbox.
func (l *Library) watchInbox(in *Inbox) {
	defer func() { _ = recover() }()
	in.end.waitHangUp()
	l.closeInbox(in)
}

// wake tells the host that events are waiting. A full socket means a wake-up
// is already unread, and a closed one that the host is gone: both are fine.
func (in *Inbox) wake() { in.end.wake() }

// push queues e, or frees it when the inbox is closed; done also ends the
// call's membership of the inbox.
func (in *Inbox) push(e Event, done bool) {
	in.mu.Lock()
	if done {
		delete(in.calls, e.ID)
	}
	if in.closed {
		in.mu.Unlock()
		e.free()
		return
	}
	in.queue = append(in.queue, e)
	wake := !in.notified
	in.notified = true
	in.mu.Unlock()
	if wake {
		in.wake()
	}
}

// track counts a call as the inbox's; false when the inbox closed meanwhile.
func (in *Inbox) track(id uint64) bool { return in.own(&in.calls, id) }

// own adds id to one of the inbox's sets (calls, streams) under its lock;
// false when the inbox has closed, so nothing is added that its close misses.
func (in *Inbox) own(set *map[uint64]struct{}, id uint64) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return false
	}
	put(set, id, struct{}{})
	return true
}

func (in *Inbox) wantsLog(level int) bool {
	m := in.logMin.Load()
	return m >= 0 && int32(level) >= m
}

func (in *Inbox) log(level int, msg string) {
	in.push(Event{Kind: EventLog, Level: level, Text: []byte(msg)}, false)
}

// InboxCall starts method like CallAsync, with its result (and, if progress is
// set, its progress events) queued in the inbox instead of passed to callbacks.
// It returns 0, and starts nothing, when the inbox is unknown or closed. As with
// CallAsync, nothing is queued before start has been called.
func (l *Library) InboxCall(inbox, h uint64, method string, args []byte, progress bool) (id uint64, start func()) {
	in := l.inboxes.get(inbox)
	if in == nil {
		return 0, func() {}
	}
	done := func(id uint64, r Result) {
		in.push(Event{Kind: EventDone, ID: id, Text: r.Envelope, Body: r.Body}, true)
	}
	var onProgress func(uint64, []byte)
	if progress {
		onProgress = func(id uint64, ev []byte) { in.push(Event{Kind: EventProgress, ID: id, Text: ev}, false) }
	}
	id, start = l.CallAsync(h, method, args, done, onProgress)
	if !in.track(id) {
		l.requests.cancelWith(id, errInboxClosed)
	}
	return id, start
}

// InboxFail queues an error result like FailAsync, for calls the C shim rejects
// before dispatching. It returns 0 when the inbox is unknown or closed.
func (l *Library) InboxFail(inbox uint64, code, msg string) (id uint64, start func()) {
	in := l.inboxes.get(inbox)
	if in == nil {
		return 0, func() {}
	}
	return l.FailAsync(code, msg, func(id uint64, r Result) {
		in.push(Event{Kind: EventDone, ID: id, Text: r.Envelope, Body: r.Body}, true)
	})
}

// InboxNext takes the oldest event; false when there is none, or the inbox is
// unknown or closed.
func (l *Library) InboxNext(inbox uint64) (Event, bool) {
	in := l.inboxes.get(inbox)
	if in == nil {
		return Event{}, false
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.queue) == 0 {
		in.notified = false // the next event wakes the host again
		in.queue = nil
		return Event{}, false
	}
	e := in.queue[0]
	in.queue[0] = Event{}
	in.queue = in.queue[1:]
	return e, true
}

// InboxAdopt makes the inbox the owner of client h: h is freed when the inbox
// closes, and its log lines go to the inbox (see InboxSetLog). A handle has at
// most one owner; adopting it again moves it. False when the inbox or the handle
// is unknown, or the inbox is closed.
func (l *Library) InboxAdopt(inbox, h uint64) bool {
	t := &l.inboxes
	t.mu.Lock()
	in, r := t.inboxes[inbox], t.routes[h]
	t.mu.Unlock()
	if in == nil || r == nil {
		return false
	}
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return false
	}
	put(&in.clients, h, struct{}{})
	prev := r.inbox.Swap(in)
	in.mu.Unlock()
	// A handle has one owner: adopting it again moves it.
	if prev != nil && prev != in {
		prev.mu.Lock()
		delete(prev.clients, h)
		prev.mu.Unlock()
	}
	return true
}

// InboxSetLog queues the log lines of the inbox's clients at min and above as
// EventLog events; a negative min turns them off (the default).
func (l *Library) InboxSetLog(inbox uint64, min int) {
	if in := l.inboxes.get(inbox); in != nil {
		in.logMin.Store(int32(max(min, -1)))
	}
}

// CloseInbox closes an inbox as if the host had hung up. Once it returns no
// event of the inbox is queued any more. Unknown ids are ignored.
func (l *Library) CloseInbox(inbox uint64) {
	if in := l.inboxes.get(inbox); in != nil {
		l.closeInbox(in)
	}
}

func (l *Library) closeInbox(in *Inbox) {
	t := &l.inboxes
	t.mu.Lock()
	delete(t.inboxes, in.id)
	t.mu.Unlock()

	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return
	}
	in.closed = true
	in.logMin.Store(-1)
	queue, calls, clients, streams := in.queue, in.calls, in.clients, in.streams
	in.queue, in.calls, in.clients, in.streams = nil, nil, nil, nil
	in.mu.Unlock()

	for i := range queue {
		queue[i].free()
	}
	for id := range calls {
		l.requests.cancelWith(id, errInboxClosed)
	}
	for id := range streams {
		l.CloseStream(id)
	}
	for h := range clients {
		l.FreeClient(h)
	}
	in.end.close()
}

// Inboxes is the number of open inboxes (tests check it returns to 0).
func (l *Library) Inboxes() int {
	t := &l.inboxes
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.inboxes)
}
