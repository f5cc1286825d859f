package cxfake

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Eight slow renders held open together give a peak of eight; the control API
// does not count.
func TestPeakConcurrency(t *testing.T) {
	srv := newTestServer(t)
	const n = 8
	ctx, release := context.WithCancel(context.Background())
	defer release()
	// Each request waits on a long latency fault until the test has seen all of
	// them in flight; cancelling the clients then ends them.
	for i := 0; i < n; i++ {
		srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", Fault{Latency: time.Hour})
	}
	var held []<-chan error
	for i := 0; i < n; i++ {
		held = append(held, sendInBackground(ctx, srv, "GET", "/api/v1/ws/1/reports/160/pdf", ""))
	}
	require.Eventually(t, func() bool { return srv.InFlight() == n }, 10*time.Second, 5*time.Millisecond)
	code, _ := ctl(t, srv, "GET", "/_fake/stats", "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, n, srv.PeakConcurrency())
	release()
	for _, done := range held {
		<-done
	}
	require.Eventually(t, func() bool { return srv.InFlight() == 0 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, n, srv.PeakConcurrency())

	// Sequential requests do not raise it.
	srv.Reset()
	for i := 0; i < 3; i++ {
		do(t, srv, "GET", "/api/v1/workspaces", "")
	}
	assert.Equal(t, 1, srv.PeakConcurrency())
}

// Many clients hitting every kind of state at once: the race detector checks the
// locking.
func TestConcurrentUseIsRaceFree(t *testing.T) {
	srv := newTestServer(t)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				srv.Inject("GET", "/api/v1/ws/1/themes", Fault{Status: 503}, Fault{})
				do(t, srv, "GET", "/api/v1/ws/1/themes", "")
				td := pushData(t, srv, "1", `{"content": 1}`)
				id := startExportOK(t, srv, "1", "160", `{"tempDataId": `+itoa(td.TempDataID)+`}`)
				exportStatusOf(t, srv, "1", id)
				run := startRun(t, srv, "1", "43", "")
				do(t, srv, "POST", "/api/v1/ws/1/jobs/43/runs/"+itoa(run)+"/deliver", "")
				newNonce(t, srv)
				_ = srv.Requests()
				_ = srv.PeakConcurrency()
				_ = srv.Deliveries(run)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 30, srv.JobRunStarts())
}
