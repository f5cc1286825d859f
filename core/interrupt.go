package core

import (
	"context"
	"errors"
	"strconv"
	"sync"
)

// ErrInterrupted is the cause (context.Cause) of a context canceled by
// WithInterruptFD because its file descriptor became readable. Calls fail with
// code "canceled".
var ErrInterrupted = errors.New("interrupted")

// WithInterruptFD returns a copy of ctx that is canceled, with a cause matching
// ErrInterrupted, as soon as fd is (or becomes) readable, and a release function
// the caller must call when the work under the context is over.
//
// It lets a host that cannot cancel a blocking call from another thread interrupt
// it anyway: Python, for one, writes a byte to its signal "wakeup fd" when Ctrl-C
// arrives, while the interrupted thread sits inside the call. Everything that
// honours the context stops: network I/O, retry back-off sleeps, the polls of the
// waiting helpers.
//
// The descriptor is only watched: never read, written or closed. It stays readable
// until the host drains it, so the host drains it before each call; a call made
// while it is readable is canceled at once. One goroutine per distinct fd waits in
// poll(2) for the whole process; a call only adds itself to that watcher's set and
// removes itself on release, so the common path starts no goroutine and wakes no
// thread. After the fd became readable (or hung up, or was closed) the watcher
// waits for the next call before polling again, so a host that does not drain it
// costs one poll per call, never a busy loop. When the fd reports a hang-up or an
// error, calls under it simply run to the end. A fd that is not open when
// WithInterruptFD is called is an error. The host keeps the fd open for as long as
// it may pass it (Python's wakeup pipe lives as long as the process): closed while
// the watcher polls it, the watcher keeps waiting on the file it had until that
// file hangs up, and only then watches a new descriptor with the same number.
//
// Linux and Windows implement it; elsewhere it returns an error. On Windows fd is
// a SOCKET (Python's signal.set_wakeup_fd takes only sockets there), watched
// with WSAPoll (interrupt_windows.go).
func WithInterruptFD(ctx context.Context, fd int) (context.Context, func(), error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if fd < 0 {
		return nil, nil, errors.New("interrupt fd " + strconv.Itoa(fd) + " is negative")
	}
	if err := checkInterruptFD(fd); err != nil {
		return nil, nil, err
	}
	cctx, cancel := context.WithCancelCause(ctx)
	w := watcherFor(fd)
	reg := &registration{cancel: cancel}
	w.add(reg)
	return cctx, func() {
		w.remove(reg)
		cancel(nil)
	}, nil
}

// interruptedError is the cancellation cause: it names the fd and matches
// ErrInterrupted.
type interruptedError struct{ fd int }

func (e interruptedError) Error() string {
	return "interrupted: interrupt_fd " + strconv.Itoa(e.fd) + " became readable"
}

func (e interruptedError) Is(target error) bool { return target == ErrInterrupted }

// registration is one call under a watcher (a pointer, so equal cancel funcs of
// different calls never collide).
type registration struct{ cancel context.CancelCauseFunc }

// fdWatcher is the process-wide watcher of one fd.
type fdWatcher struct {
	fd   int
	mu   sync.Mutex
	regs map[*registration]struct{}
	// idle: the goroutine stopped polling after an event and waits on wake for
	// the next call to register.
	idle  bool
	wake  chan struct{}
	polls int // poll(2) calls made, for tests
}

var (
	watchersMu sync.Mutex
	watchers   = map[int]*fdWatcher{}
)

// watcherFor returns fd's watcher, starting its goroutine on first use.
func watcherFor(fd int) *fdWatcher {
	watchersMu.Lock()
	defer watchersMu.Unlock()
	w := watchers[fd]
	if w == nil {
		w = &fdWatcher{fd: fd, regs: map[*registration]struct{}{}, wake: make(chan struct{}, 1)}
		watchers[fd] = w
		go w.run()
	}
	return w
}

func (w *fdWatcher) add(r *registration) {
	w.mu.Lock()
	w.regs[r] = struct{}{}
	wake := w.idle
	w.idle = false
	w.mu.Unlock()
	if wake {
		w.wake <- struct{}{} // capacity 1, and only the call that clears idle sends
	}
}

func (w *fdWatcher) remove(r *registration) {
	w.mu.Lock()
	delete(w.regs, r)
	w.mu.Unlock()
}

// run polls the fd for as long as the process lives. A readable fd cancels every
// registered call; any event then parks the goroutine until a call registers.
func (w *fdWatcher) run() {
	cause := interruptedError{w.fd}
	for {
		readable := pollInterruptFD(w.fd)
		w.mu.Lock()
		w.polls++
		var fire []*registration
		if readable {
			for r := range w.regs {
				fire = append(fire, r)
			}
			clear(w.regs)
		}
		w.idle = true
		w.mu.Unlock()
		for _, r := range fire {
			r.cancel(cause)
		}
		<-w.wake
	}
}
