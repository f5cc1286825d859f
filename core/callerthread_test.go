package core

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/cxclient/cxreports/core/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSuiteOnCallerThread runs the client's tests again with every call's context
// marked OnCallerThread: JSON calls, retries, timeouts, cancellation, TLS with a
// CA bundle, redirects, faults (dropped and truncated bodies), downloads to files
// with a bounded heap. newTestClient fails a test whose marked request reached the
// standard transport.
func TestSuiteOnCallerThread(t *testing.T) {
	if !blockingSupported {
		t.Skip("OnCallerThread uses the standard transport on this system")
	}
	callerThreadMode = true
	defer func() { callerThreadMode = false }()
	for name, test := range map[string]func(*testing.T){
		"WireHeadersPathsAndBodies":                  TestWireHeadersPathsAndBodies,
		"DefaultTimezoneAndEmptyQuery":               TestDefaultTimezoneAndEmptyQuery,
		"RetriesStatusesAndRetryAfterForms":          TestRetriesStatusesAndRetryAfterForms,
		"RetriesExhaustedKeepStatusAndServerMessage": TestRetriesExhaustedKeepStatusAndServerMessage,
		"ErrorStatusesAndBodies":                     TestErrorStatusesAndBodies,
		"ConnectionErrorsAreRetriedThenReported":     TestConnectionErrorsAreRetriedThenReported,
		"JobStartAndDeliverAreNeverResent":           TestJobStartAndDeliverAreNeverResent,
		"CancelDuringRetrySleep":                     TestCancelDuringRetrySleep,
		"CloseCancelsInFlightCalls":                  TestCloseCancelsInFlightCalls,
		"PerAttemptTimeout":                          TestPerAttemptTimeout,
		"StalledBodyTimesOut":                        TestStalledBodyTimesOut,
		"RedirectToAnotherHostDropsAuthorization":    TestRedirectToAnotherHostDropsAuthorization,
		"FakeCatalogue":                              TestFakeCatalogue,
		"FakeRenders":                                TestFakeRenders,
		"FakeExports":                                TestFakeExports,
		"FakeExportToFileWithProgress":               TestFakeExportToFileWithProgress,
		"FakeWaitDeadlineAndCancel":                  TestFakeWaitDeadlineAndCancel,
		"FakeJobsAndDeliverOnce":                     TestFakeJobsAndDeliverOnce,
		"FakePreview":                                TestFakePreview,
		"FakeFaults":                                 TestFakeFaults,
		"CABundle":                                   TestCABundle,
		"ConcurrentCallsShareThePool":                TestConcurrentCallsShareThePool,
		"DownloadToFileDoesNotHoldTheBody":           TestDownloadToFileDoesNotHoldTheBody,
		"RawJSONKeepsTheAnswerVerbatim":              TestRawJSONKeepsTheAnswerVerbatim,
		"RawJSONStillRejectsWrongAnswers":            TestRawJSONStillRejectsWrongAnswers,
	} {
		t.Run(name, test)
	}
}

// onLockedThread runs fn on a goroutine locked to its OS thread, as a call that
// entered Go from C runs.
func onLockedThread(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		fn()
	}()
	<-done
}

func TestCallerThreadKeepsConnectionsAlive(t *testing.T) {
	if !blockingSupported {
		t.Skip("OnCallerThread uses the standard transport on this system")
	}
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 3 {
			w.Header().Set("Connection", "close")
		}
		io.WriteString(w, `[{"id": 1}]`)
	})
	c, _ := newTestClient(t, rec.URL)
	ctx := OnCallerThread(ctxT(t))
	onLockedThread(func() {
		for range 4 {
			ws, err := c.GetWorkspaces(ctx)
			require.NoError(t, err)
			require.Len(t, ws, 1)
		}
	})
	r0, _ := rec.req(0)
	for i := 1; i < 3; i++ {
		r, _ := rec.req(i)
		assert.Equal(t, r0.RemoteAddr, r.RemoteAddr, "call %d did not reuse the connection", i+1)
	}
	r3, _ := rec.req(3)
	assert.NotEqual(t, r0.RemoteAddr, r3.RemoteAddr, "a connection the server closed was reused")
	c.blocking.mu.Lock()
	idle := 0
	for _, l := range c.blocking.idle {
		idle += len(l)
	}
	c.blocking.mu.Unlock()
	assert.Equal(t, 1, idle, "the blocking pool keeps the connection")
}

// A connection the server closed while it sat idle in the pool is not used again:
// the next call succeeds on a new one, even a call that is never re-sent.
func TestCallerThreadServerClosedIdleConnection(t *testing.T) {
	if !blockingSupported {
		t.Skip("OnCallerThread uses the standard transport on this system")
	}
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `[]`)
	})
	c, _ := newTestClient(t, rec.URL)
	ctx := OnCallerThread(ctxT(t))
	_, err := c.GetWorkspaces(ctx)
	require.NoError(t, err)
	rec.CloseClientConnections()
	require.NoError(t, c.DeliverJobRunEntries(ctx, ID(42), ID(7)))
	_, err = c.GetWorkspaces(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, rec.count(), "each call reached the server once")
}

// Canceling the context interrupts a call blocked in the kernel waiting for a slow
// render, and the fake server sees the client leave.
func TestCallerThreadCancelDuringSlowRender(t *testing.T) {
	if !blockingSupported {
		t.Skip("OnCallerThread uses the standard transport on this system")
	}
	srv, c := newFake(t)
	ctx, cancel := context.WithCancel(OnCallerThread(ctxT(t)))
	defer cancel()
	go func() {
		for len(requestsTo(srv, "POST", "/api/v1/ws/1/reports/160/pdf")) == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	var err error
	onLockedThread(func() {
		_, err = c.PostPDF(ctx, ID(160), map[string]any{"params": map[string]any{"fakeDelayMs": 3600000}})
	})
	requireCode(t, err, CodeCanceled)
	assert.ErrorIs(t, err, context.Canceled)
	// The client works on afterwards.
	_, err = c.GetWorkspaces(OnCallerThread(ctxT(t)))
	require.NoError(t, err)
}

// A body cut short and a deadline while reading the answer map to the same codes
// as on the standard transport.
func TestCallerThreadFaultsMatchTheStandardTransport(t *testing.T) {
	if !blockingSupported {
		t.Skip("OnCallerThread uses the standard transport on this system")
	}
	srv, c := newFake(t)
	pdf := "/api/v1/ws/1/reports/160/pdf"
	for _, f := range []cxfake.Fault{{DropMidBody: true}, {Truncate: true}, {Status: 500, DropMidBody: true}} {
		var codes [2]string
		for i, ctx := range []context.Context{ctxT(t), OnCallerThread(ctxT(t))} {
			srv.Inject("GET", pdf, f)
			_, err := c.GetPDF(ctx, ID(160), Query{})
			var e *Error
			require.ErrorAs(t, err, &e)
			requireNoToken(t, e)
			codes[i] = e.Code
		}
		assert.Equal(t, codes[0], codes[1], "fault %+v", f)
	}
	srv.Inject("GET", "/api/v1/ws/1/themes", cxfake.Fault{Latency: time.Hour})
	short, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = 30 * time.Millisecond; cfg.Retry.MaxRetries = -1 })
	dctx, dcancel := context.WithTimeout(OnCallerThread(ctxT(t)), 20*time.Millisecond)
	defer dcancel()
	_, err := short.GetThemes(dctx)
	requireCode(t, err, CodeTimeout)
}
