package cxfake

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"testing"

	"github.com/cxclient/cxreports/cxfake/internal/pdftext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPaddedPDFIsReadable(t *testing.T) {
	srv := newTestServer(t)
	r := do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf?params="+b64(`{"fakeSizeBytes": 2000000}`), "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Len(t, r.body, 2000000)
	assert.Equal(t, "2000000", r.Header.Get("Content-Length"))
	assert.Contains(t, pdftext.Text(t, r.body), `Params: {"fakeSizeBytes":2000000}`)
}

// streamBig downloads a padded PDF of size bytes to io.Discard and returns how many
// bytes the whole process allocated meanwhile (server and client share it).
func streamBig(tb testing.TB, srv *Server, size int64) (got int64, allocated uint64) {
	tb.Helper()
	req, err := newRequest(context.Background(), srv, "GET", pdfPath(size), "", srv.Token)
	require.NoError(tb, err)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	defer res.Body.Close()
	require.Equal(tb, http.StatusOK, res.StatusCode)
	require.Equal(tb, size, res.ContentLength)
	got, err = io.Copy(io.Discard, res.Body)
	require.NoError(tb, err)
	runtime.ReadMemStats(&after)
	return got, after.TotalAlloc - before.TotalAlloc
}

// A 200 MB body is generated as a stream: the bytes allocated while serving it stay
// a small fraction of its size (they do not grow with it).
func TestHugePDFStreamsWithBoundedMemory(t *testing.T) {
	size := int64(200 << 20)
	if testing.Short() {
		size = 32 << 20
	}
	srv := newTestServer(t)
	got, allocated := streamBig(t, srv, size)
	t.Logf("served %d bytes, process allocated %d bytes meanwhile", got, allocated)
	assert.Equal(t, size, got)
	assert.Less(t, allocated, uint64(16<<20), "serving %d bytes allocated %d bytes: the body is being held in memory", size, allocated)
}

// BenchmarkStreamPDF200MB reports the throughput and the allocations of serving a
// 200 MB padded PDF; allocated-bytes/op stays in kilobytes.
func BenchmarkStreamPDF200MB(b *testing.B) {
	const size = 200 << 20
	srv := newTestServer(b)
	b.SetBytes(size)
	b.ReportAllocs()
	var total uint64
	for i := 0; i < b.N; i++ {
		_, allocated := streamBig(b, srv, size)
		total += allocated
	}
	b.ReportMetric(float64(total)/float64(b.N), "process-alloc-B/op")
}
