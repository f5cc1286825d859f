package shaper

import (
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamThrough serves a body of size bytes from an http.Server on a Listener
// with the given latency, downloads it to io.Discard and returns how many bytes
// came and how many bytes the process allocated meanwhile. The handler writes
// one reused buffer over and over, so what is allocated is the shaping's and
// net/http's own.
func streamThrough(t *testing.T, latency time.Duration, size int64) (got int64, allocated uint64) {
	t.Helper()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := NewListener(tcp, latency, 0)
	piece := make([]byte, 32<<10)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		for left := size; left > 0; {
			n, err := w.Write(piece[:min(left, int64(len(piece)))])
			if err != nil {
				return
			}
			left -= int64(n)
		}
	})}
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(ln) }()
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		ln.Abort()
		_ = srv.Close()
		<-served
		ln.Wait()
	})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := (&http.Client{Transport: tr}).Get("http://" + tcp.Addr().String() + "/")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	got, err = io.Copy(io.Discard, res.Body)
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	return got, after.TotalAlloc - before.TotalAlloc
}

// A 50 MB download at 5 ms latency pays the latency once, not once per chunk.
// Written chunk by chunk with a pause each, its 1,600 pieces would take 8 s;
// through the delay line they travel together. The test counts instead of
// timing (a loaded machine may take any time): the server's pump waits for a
// chunk to come due only when it has caught up with the stream (0 to about 200
// times in 1,600 chunks, with or without -race, on a loaded machine too), where
// a line that paid the latency per chunk makes it wait for every one (2,200
// waits when checked against such a line).
func TestLatencyKeepsThroughput(t *testing.T) {
	const size = 50 << 20
	waits0, pushes0 := takeWaits.Load(), pushes.Load()
	n, _ := streamThrough(t, 5*time.Millisecond, size)
	waits, chunks := takeWaits.Load()-waits0, pushes.Load()-pushes0
	t.Logf("%d bytes in %d chunks; the pump waited for a chunk to come due %d times", n, chunks, waits)
	assert.Equal(t, int64(size), n)
	require.GreaterOrEqual(t, chunks, int64(size/maxChunk), "the body went through the delay line")
	assert.Less(t, waits, chunks/2, "the pump waited for most chunks: the latency is paid per chunk, not once")
}
