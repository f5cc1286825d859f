package cxfake

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The declared size is the written size, the file reaches the requested size (to
// the byte unless a digit carry forces a byte or two more), and the xref points at
// every object. Padding needs room for the filler object, so sizes from 100 bytes
// over the unpadded file are exact.
func TestPDFSizesAndXref(t *testing.T) {
	page := [][]byte{[]byte(`BT /F1 12 Tf 50 700 Td (hello \(world\) back\\slash) Tj ET`)}
	base := newPDF(pageA4, `hello (world) back\slash`, page, 0).size()
	for _, want := range []int64{0, 1, 500, base, base + 100, base + 123, 4096, 99999, 100000, 1 << 20, 3<<20 + 7} {
		d := newPDF(pageA4, `hello (world) back\slash`, page, want)
		var b bytes.Buffer
		n, err := d.WriteTo(&b)
		require.NoError(t, err)
		require.Equal(t, d.size(), n, "size %d", want)
		require.Equal(t, int64(b.Len()), n)
		if want >= base+100 {
			assert.GreaterOrEqual(t, n, want)
			assert.LessOrEqual(t, n, want+2, "padding to %d overshoots", want)
		}
		checkXref(t, b.Bytes())
	}
}

// checkXref verifies that every in-use xref entry points at "N 0 obj" and that
// startxref points at the xref table.
func checkXref(t *testing.T, pdf []byte) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	require.NotNil(t, m, "no startxref trailer")
	at, _ := strconv.Atoi(string(m[1]))
	require.True(t, bytes.HasPrefix(pdf[at:], []byte("xref\n0 ")), "startxref %d does not point at the xref", at)
	entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(pdf[at:], -1)
	require.NotEmpty(t, entries)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		want := fmt.Sprintf("%d 0 obj\n", i+1)
		require.True(t, bytes.HasPrefix(pdf[off:], []byte(want)), "object %d not at offset %d", i+1, off)
	}
}

func TestPaddedPDFIsReadable(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	r := do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf?params="+b64(`{"fakeSizeBytes": 2000000}`), "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Len(t, r.body, 2000000)
	assert.Equal(t, "2000000", r.Header.Get("Content-Length"))
	assert.Contains(t, pdfText(t, r.body), `Params: {"fakeSizeBytes":2000000}`)
	checkXref(t, r.body)
}

// streamBig downloads a padded PDF of size bytes to io.Discard and returns how many
// bytes the whole process allocated meanwhile (server and client share it).
func streamBig(tb testing.TB, srv *Server, size int64) (got int64, allocated uint64) {
	tb.Helper()
	req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/ws/1/reports/160/pdf?params=%s", srv.URL, b64(fmt.Sprintf(`{"fakeSizeBytes": %d}`, size))), nil)
	require.NoError(tb, err)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
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
	srv := NewServer()
	defer srv.Close()
	got, allocated := streamBig(t, srv, size)
	t.Logf("served %d bytes, process allocated %d bytes meanwhile", got, allocated)
	assert.Equal(t, size, got)
	assert.Less(t, allocated, uint64(16<<20), "serving %d bytes allocated %d bytes: the body is being held in memory", size, allocated)
}

// BenchmarkStreamPDF200MB reports the throughput and the allocations of serving a
// 200 MB padded PDF; allocated-bytes/op stays in kilobytes.
func BenchmarkStreamPDF200MB(b *testing.B) {
	const size = 200 << 20
	srv := NewServer()
	defer srv.Close()
	b.SetBytes(size)
	b.ReportAllocs()
	var total uint64
	for i := 0; i < b.N; i++ {
		_, allocated := streamBig(b, srv, size)
		total += allocated
	}
	b.ReportMetric(float64(total)/float64(b.N), "process-alloc-B/op")
}
