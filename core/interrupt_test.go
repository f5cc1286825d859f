//go:build linux || windows

package core

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPipe is an interrupt fd and its other end, the way Python's signal wakeup
// fd is: on Linux a non-blocking pipe, on Windows one end of a loopback TCP
// connection (a SOCKET, as interrupt_fd is there) (interrupt_pipe_linux_test.go,
// interrupt_pipe_windows_test.go). r is the number to watch; interrupt makes it
// readable, drain reads what is there, closeWrite hangs its other end up.
type testPipe struct {
	r              int
	t              *testing.T
	end            pipeEnds
	closeOnce      sync.Once
	closeWriteOnce sync.Once
}

func newTestPipe(t *testing.T) *testPipe {
	p := &testPipe{t: t}
	p.r, p.end = openPipeEnds(t)
	t.Cleanup(func() {
		// A descriptor must not be closed while its watcher polls it (the watcher
		// would keep waiting on the old file while the number is reused): the
		// hang-up of the write end parks the watcher first.
		p.closeWrite()
		watchersMu.Lock()
		w := watchers[p.r]
		watchersMu.Unlock()
		if w != nil {
			waitFor(t, func() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.idle })
		}
		p.closeOnce.Do(p.end.closeRead)
	})
	return p
}

func (p *testPipe) interrupt() {
	assert.NoError(p.t, p.end.write([]byte{2})) // not require: called from other goroutines too
}

func (p *testPipe) drain() { p.end.drain() }

func (p *testPipe) closeWrite() { p.closeWriteOnce.Do(p.end.closeWrite) }

// interruptible runs fn under WithInterruptFD(p.r), as a C caller's synchronous
// call runs, and returns its error and the cancellation cause.
func interruptible(t *testing.T, p *testPipe, fn func(ctx context.Context) error) (error, error) {
	ctx, release, err := WithInterruptFD(ctxT(t), p.r)
	require.NoError(t, err)
	defer release()
	callErr := fn(ctx)
	return callErr, context.Cause(ctx)
}

func requireInterrupted(t *testing.T, err, cause error) {
	t.Helper()
	requireCode(t, err, CodeCanceled)
	require.ErrorIs(t, cause, ErrInterrupted)
	assert.Contains(t, cause.Error(), "interrupted: interrupt_fd")
}

// waitFor polls cond; the generous limit only stops a broken test from hanging.
// It reports with Errorf, so it may run on any goroutine.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Errorf("condition never became true")
			return
		}
	}
}

func slowRender(c *Client) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := c.PostPDF(ctx, ID(160), map[string]any{"params": map[string]any{"fakeDelayMs": 3600000}})
		return err
	}
}

func TestInterruptFDRejectsBadDescriptors(t *testing.T) {
	_, _, err := WithInterruptFD(context.Background(), -1)
	assert.ErrorContains(t, err, "negative")
	p := newTestPipe(t)
	_, _, err = WithInterruptFD(context.Background(), 1<<31-1) // far above any open descriptor
	assert.ErrorContains(t, err, "not an open file descriptor")
	_, _, err = WithInterruptFD(context.Background(), 1<<40)
	assert.Error(t, err)
	ctx, release, err := WithInterruptFD(context.Background(), p.r)
	require.NoError(t, err)
	release()
	assert.ErrorIs(t, ctx.Err(), context.Canceled, "release ends the context")
	assert.NotErrorIs(t, context.Cause(ctx), ErrInterrupted, "a released context was not interrupted")
}

func TestInterruptFDCancelsABlockingRead(t *testing.T) {
	srv, c := newFake(t)
	p := newTestPipe(t)
	go func() {
		waitFor(t, func() bool { return srv.InFlight() == 1 })
		p.interrupt()
	}()
	err, cause := interruptible(t, p, slowRender(c))
	requireInterrupted(t, err, cause)
	waitFor(t, func() bool { return srv.InFlight() == 0 })

	// Drained, the same fd lets the next calls run to the end.
	p.drain()
	for range 3 {
		err, cause = interruptible(t, p, func(ctx context.Context) error { _, err := c.GetWorkspaces(ctx); return err })
		require.NoError(t, err)
		require.NoError(t, cause)
	}
}

func TestInterruptFDCancelsAWaitSleep(t *testing.T) {
	_, c := newFake(t, cxfake.WithExportDelay(time.Hour))
	start, err := c.StartReportExport(ctxT(t), ID(160), nil)
	require.NoError(t, err)
	p := newTestPipe(t)
	err, cause := interruptible(t, p, func(ctx context.Context) error {
		// The first poll answers InProgress; the next one is an hour away.
		_, err := c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: time.Hour, Progress: func(pr Progress) {
			go p.interrupt()
		}})
		return err
	})
	requireInterrupted(t, err, cause)
	assert.Contains(t, err.Error(), "1 polls")
}

func TestInterruptFDCancelsARetryBackoff(t *testing.T) {
	srv, _ := newFake(t)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxRetryAfter = time.Hour })
	srv.Inject("GET", "/api/v1/workspaces", cxfake.Fault{Status: 503, RetryAfter: "3600"})
	p := newTestPipe(t)
	go func() {
		waitFor(t, func() bool { return len(requestsTo(srv, "GET", "/api/v1/workspaces")) == 1 })
		p.interrupt()
	}()
	err, cause := interruptible(t, p, func(ctx context.Context) error { _, err := c.GetWorkspaces(ctx); return err })
	requireInterrupted(t, err, cause)
	assert.Len(t, requestsTo(srv, "GET", "/api/v1/workspaces"), 1, "canceled during the back-off, before a second attempt")
}

func TestInterruptFDAlreadyReadable(t *testing.T) {
	_, c := newFake(t)
	p := newTestPipe(t)
	p.interrupt()
	err, cause := interruptible(t, p, slowRender(c))
	requireInterrupted(t, err, cause)
	// Still not drained: the next call is canceled too.
	ctx, release, err := WithInterruptFD(ctxT(t), p.r)
	require.NoError(t, err)
	defer release()
	<-ctx.Done()
	require.ErrorIs(t, context.Cause(ctx), ErrInterrupted)
}

func TestInterruptFDSharedByConcurrentCalls(t *testing.T) {
	srv, c := newFake(t)
	p := newTestPipe(t)
	const n = 4
	errs := make(chan [2]error, n)
	for range n {
		go func() {
			err, cause := interruptible(t, p, slowRender(c))
			errs <- [2]error{err, cause}
		}()
	}
	waitFor(t, func() bool { return srv.InFlight() == n })
	p.interrupt()
	for range n {
		e := <-errs
		requireInterrupted(t, e[0], e[1])
	}
	p.drain()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err, cause := interruptible(t, p, func(ctx context.Context) error { _, err := c.GetThemes(ctx); return err })
			assert.NoError(t, err)
			assert.NoError(t, cause)
		})
	}
	wg.Wait()
}

// Calls registering and releasing while the fd is made readable and drained over
// and over: run under -race, and every context ends (none is left behind).
func TestInterruptFDRegistrationRace(t *testing.T) {
	p := newTestPipe(t)
	stop := make(chan struct{})
	var flipper sync.WaitGroup
	flipper.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			p.interrupt()
			time.Sleep(50 * time.Microsecond)
			p.drain()
		}
	})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 300 {
				ctx, release, err := WithInterruptFD(context.Background(), p.r)
				if !assert.NoError(t, err) {
					return
				}
				if cause := context.Cause(ctx); cause != nil {
					assert.ErrorIs(t, cause, ErrInterrupted)
				}
				release()
				assert.Error(t, ctx.Err())
			}
		})
	}
	wg.Wait()
	close(stop)
	flipper.Wait()
	w := watcherFor(p.r)
	w.mu.Lock()
	defer w.mu.Unlock()
	assert.Empty(t, w.regs, "every released call left the watcher's set")
}

// A fd whose other end the host closed reports a hang-up: calls run to the end
// uninterrupted, and the watcher polls at most once per call instead of spinning.
func TestInterruptFDHangUpStopsWatching(t *testing.T) {
	_, c := newFake(t)
	p := newTestPipe(t)
	w := watcherFor(p.r)
	p.closeWrite()
	polls := func() int {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.polls
	}
	waitFor(t, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.idle
	})
	before := polls()
	const calls = 5
	for range calls {
		err, cause := interruptible(t, p, func(ctx context.Context) error { _, err := c.GetWorkspaces(ctx); return err })
		require.NoError(t, err)
		require.NoError(t, cause)
	}
	waitFor(t, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.idle
	})
	after := polls()
	assert.LessOrEqual(t, after-before, calls, "at most one poll per call")
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, after, polls(), "no polling without calls")
}
