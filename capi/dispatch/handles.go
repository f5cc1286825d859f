package dispatch

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/cxclient/cxreports/core"
)

// errHandleFreed is the cancellation cause of calls still running when their
// handle is freed.
var errHandleFreed = errors.New("the client handle was freed with cx_client_free while this call was in flight")

// clientEntry is one live handle. ctx is canceled when the handle is freed, which
// cancels every call made through it; inflight lets the core client be closed only
// after those calls have returned.
type clientEntry struct {
	client   *core.Client
	ctx      context.Context
	cancel   context.CancelCauseFunc
	inflight sync.WaitGroup
}

// handleTable maps opaque integer handles to clients. Handles are never reused, so
// a stale handle is always "unknown", never someone else's client.
type handleTable struct {
	mu      sync.Mutex
	next    uint64
	clients map[uint64]*clientEntry
}

func (t *handleTable) add(c *core.Client) uint64 {
	ctx, cancel := context.WithCancelCause(context.Background())
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next++
	put(&t.clients, t.next, &clientEntry{client: c, ctx: ctx, cancel: cancel})
	return t.next
}

// acquire returns the entry for h with one more call counted in flight; the
// caller must call release. Counting under the table lock means remove cannot
// miss a call that acquired the entry before it was removed.
func (t *handleTable) acquire(h uint64) (*clientEntry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.clients[h]
	if !ok {
		return nil, invalidHandle(h)
	}
	e.inflight.Add(1)
	return e, nil
}

func (e *clientEntry) release() { e.inflight.Done() }

// remove frees h: in-flight calls are canceled, and the core client is closed once
// they have returned. It does not wait for them, so freeing from inside a done or
// progress callback cannot deadlock.
func (t *handleTable) remove(h uint64) error {
	t.mu.Lock()
	e, ok := t.clients[h]
	delete(t.clients, h)
	t.mu.Unlock()
	if !ok {
		return invalidHandle(h)
	}
	e.cancel(errHandleFreed)
	go func() {
		defer func() { _ = recover() }() // a panic in Close must not kill the host
		e.inflight.Wait()
		e.client.Close()
	}()
	return nil
}

func (t *handleTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.clients)
}

func invalidHandle(h uint64) error {
	if h == 0 {
		return newError(CodeInvalidHandle, "handle 0 is not a client: cx_client_new returned 0 because it failed (see its error_json)")
	}
	return newError(CodeInvalidHandle, "handle "+strconv.FormatUint(h, 10)+" is unknown or already freed; create a client with cx_client_new")
}
