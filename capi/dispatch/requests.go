package dispatch

import (
	"context"
	"errors"
	"strconv"
	"sync"
)

// requestRegistry tracks asynchronous calls by request id so cx_cancel can reach
// them. Ids start at 1 and are never reused, so 0 is never a valid id.
type requestRegistry struct {
	mu      sync.Mutex
	next    uint64
	cancels map[uint64]context.CancelCauseFunc
}

// reserve allocates a request id before the call's context exists, so the id can
// be returned to C right away.
func (r *requestRegistry) reserve() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	return r.next
}

func (r *requestRegistry) track(id uint64, cancel context.CancelCauseFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	put(&r.cancels, id, cancel)
}

func (r *requestRegistry) untrack(id uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.cancels, id)
}

// cancel reports whether id was in flight; its call then ends with "canceled".
func (r *requestRegistry) cancel(id uint64) bool {
	return r.cancelWith(id, errors.New("canceled by cx_cancel("+strconv.FormatUint(id, 10)+")"))
}

// cancelWith is cancel with the reason the "canceled" message gives.
func (r *requestRegistry) cancelWith(id uint64, cause error) bool {
	r.mu.Lock()
	c, ok := r.cancels[id]
	delete(r.cancels, id)
	r.mu.Unlock()
	if ok {
		c(cause)
	}
	return ok
}

func (r *requestRegistry) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.cancels)
}
