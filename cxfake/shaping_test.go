package cxfake

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake/shaper"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdfPath asks for report 160 padded to size bytes.
func pdfPath(size int64) string { return pdfWith(fmt.Sprintf(`{"fakeSizeBytes": %d}`, size)) }

// download fetches path through client and returns the body length and the time.
func download(t *testing.T, client *http.Client, srv *Server, path string) (int64, time.Duration) {
	t.Helper()
	start := time.Now()
	res, err := open(context.Background(), client, srv, "GET", path, "")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	n, err := io.Copy(io.Discard, res.Body)
	require.NoError(t, err)
	return n, time.Since(start)
}

// A request and its answer cross the latency twice, on a new connection and on
// a kept-alive one alike.
func TestLatencyRoundTrip(t *testing.T) {
	const lat = 50 * time.Millisecond
	srv := newTestServer(t, WithLatency(lat))
	client := &http.Client{Transport: newTransport(t)}
	for i := range 3 {
		start := time.Now()
		res, _ := get(t, client, srv, "/api/v1/workspaces")
		took := time.Since(start)
		require.Equal(t, http.StatusOK, res.StatusCode)
		assert.GreaterOrEqual(t, took, 2*lat, "round trip %d", i)
	}
	assert.Equal(t, 1, srv.Connections(), "keep-alive works through the delayed connection")
}

// 2 MB down at 16 Mbit/s needs a second of link time; 1 MB up half of one.
func TestBandwidthCapsEachDirection(t *testing.T) {
	srv := newTestServer(t, WithBandwidth(16_000_000))
	client := &http.Client{Transport: newTransport(t)}

	n, downTook := download(t, client, srv, pdfPath(2_000_000))
	assert.Equal(t, int64(2_000_000), n)
	assert.GreaterOrEqual(t, downTook, 800*time.Millisecond, "download")

	body := `{"content":"` + strings.Repeat("x", 1_000_000) + `"}`
	start := time.Now()
	res, err := open(context.Background(), client, srv, "POST", "/api/v1/ws/1/temporary-data", body)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	took := time.Since(start)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	t.Logf("download %v, upload %v", downTook, took)
	assert.GreaterOrEqual(t, took, 400*time.Millisecond, "upload")
}

// Close ends every shaped connection, idle, busy or stalled, with TLS or
// without, and leaves no goroutine behind.
func TestCloseWithLatencyLeaksNothing(t *testing.T) {
	for _, tlsOn := range []bool{false, true} {
		t.Run(map[bool]string{false: "http", true: "https"}[tlsOn], func(t *testing.T) {
			waitGoroutines(t, runtime.NumGoroutine()) // let earlier tests' goroutines settle
			base := runtime.NumGoroutine()
			opts := []Option{WithLatency(2 * time.Millisecond), WithBandwidth(1e9)}
			if tlsOn {
				opts = append(opts, WithTLS())
			}
			srv := NewServer(opts...)
			client := srv.Client()
			get(t, client, srv, "/api/v1/workspaces") // an idle kept-alive connection

			// A download the client stops reading, on a connection of its own:
			// the server's line fills and its handler blocks in Write.
			stalled := client.Transport.(*http.Transport).Clone()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res, err := open(ctx, &http.Client{Transport: stalled}, srv, "GET", pdfPath(1<<30), "")
			require.NoError(t, err)
			defer res.Body.Close()
			_, err = io.ReadFull(res.Body, make([]byte, 1<<20))
			require.NoError(t, err)
			// A hung-up request too.
			srv.Inject("POST", "/api/v1/workspaces", Fault{Hangup: true})
			_, err = client.Post(srv.URL+"/api/v1/workspaces", "application/json", strings.NewReader("{}"))
			require.Error(t, err)

			// The pumps are there to be counted: a stack pattern that matches
			// nothing would let the check after Close pass on its own.
			require.NotZero(t, goroutinesIn(shaperPkg, "(*shapedConn).readPump"), "no shaped connection pump found before Close")

			done := make(chan struct{})
			go func() { srv.Close(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Close hangs")
			}
			// The stalled client still holds its connection open and reads
			// nothing, so only Close can have ended the server's side of it.
			assert.Zero(t, goroutinesIn(shaperPkg, "(*shapedConn).readPump")+goroutinesIn(shaperPkg, "(*shapedConn).writePump"),
				"Close returned before the pumps ended")
			require.Eventually(t, func() bool { return goroutinesIn(reflect.TypeFor[Server]().PkgPath(), "(*Server).ServeHTTP") == 0 }, 10*time.Second, 10*time.Millisecond,
				"handlers still running after Close")
			cancel()
			res.Body.Close()
			stalled.CloseIdleConnections()
			waitGoroutines(t, base)
		})
	}
}

// shaperPkg is the import path of the package that runs the pumps, taken from a
// type so that it follows a move.
var shaperPkg = reflect.TypeFor[shaper.Listener]().PkgPath()

// goroutinesIn counts the goroutines whose stack holds a function of package
// pkg (an import path) whose name contains fn.
func goroutinesIn(pkg, fn string) int {
	pkg += "."
	buf := make([]byte, 4<<20)
	n := 0
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, pkg+fn) {
			n++
		}
	}
	return n
}

// waitGoroutines waits for the number of goroutines to come back to at most
// want; goroutines end asynchronously, so it polls with a generous timeout.
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want at most %d:\n%s", runtime.NumGoroutine(), want, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
