package core

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const streamPDFPath = "/api/v1/ws/1/reports/160/pdf"

// sizedQuery asks the fake for a PDF of at least n bytes.
func sizedQuery(n int) Query {
	var q Query
	q.Set("params", map[string]any{"fakeSizeBytes": n})
	return q
}

// readInChunks reads s to its end through a buffer of size n.
func readInChunks(s io.Reader, n int) ([]byte, error) {
	var out bytes.Buffer
	buf := make([]byte, n)
	for {
		m, err := s.Read(buf)
		out.Write(buf[:m])
		if err == io.EOF {
			return out.Bytes(), nil
		}
		if err != nil {
			return out.Bytes(), err
		}
	}
}

// pdfRequests counts the requests the fake received for path.
func pdfRequests(srv *cxfake.Server, method, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// waitNoneInFlight waits until the fake serves no request, for at most d.
func waitNoneInFlight(t *testing.T, srv *cxfake.Server, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for srv.InFlight() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the fake still has %d request(s) in flight after %v", srv.InFlight(), d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStreamGivesTheSameBytesAsGetPDFWithItsHeaders(t *testing.T) {
	_, c := newFake(t)
	q := sizedQuery(300 << 10)
	want, err := c.GetPDF(ctxT(t), ID(160), q)
	require.NoError(t, err)
	s, err := c.OpenPDF(ctxT(t), ID(160), q)
	require.NoError(t, err)
	defer s.Close()
	assert.Contains(t, s.ContentType, "application/pdf")
	assert.Equal(t, int64(len(want)), s.Length)
	assert.NotEmpty(t, s.Filename)
	got, err := readInChunks(s, 1000)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, int64(len(want)), s.Download().Bytes)
	n, err := s.Read(make([]byte, 10))
	assert.Equal(t, 0, n)
	assert.Equal(t, io.EOF, err, "a stream read to its end keeps saying io.EOF")
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "a second Close is harmless")
}

func TestStreamPostAndExportContent(t *testing.T) {
	_, c := newFake(t)
	ctx := ctxT(t)
	want, err := c.PostPDF(ctx, ID(160), map[string]any{"params": map[string]any{"fakeSizeBytes": 100 << 10}})
	require.NoError(t, err)
	s, err := c.OpenPostPDF(ctx, ID(160), map[string]any{"params": map[string]any{"fakeSizeBytes": 100 << 10}})
	require.NoError(t, err)
	got, err := readInChunks(s, 4096)
	require.NoError(t, err)
	s.Close()
	assert.Equal(t, len(want), len(got))
	assert.True(t, bytes.HasPrefix(got, []byte("%PDF-")))

	st, err := c.StartReportExport(ctx, ID(160), map[string]any{"format": "docx"})
	require.NoError(t, err)
	_, err = c.WaitForExport(ctx, st.TemporaryFileID, WaitOptions{PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	want, err = c.GetExportContent(ctx, st.TemporaryFileID)
	require.NoError(t, err)
	s, err = c.OpenExportContent(ctx, st.TemporaryFileID)
	require.NoError(t, err)
	defer s.Close()
	got, err = io.ReadAll(s)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, int64(len(want)), s.Length)
}

// TestStream200MBWithFlatMemory reads a 200 MB PDF through the stream: the heap
// (client and in-process fake together) grows by a few buffers, not by the file.
func TestStream200MBWithFlatMemory(t *testing.T) {
	_, c := newFake(t)
	h := watchHeap()
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	s, err := c.OpenPDF(ctxT(t), ID(160), sizedQuery(200<<20))
	require.NoError(t, err)
	defer s.Close()
	head := make([]byte, 5)
	_, err = io.ReadFull(s, head)
	require.NoError(t, err)
	assert.Equal(t, "%PDF-", string(head))
	n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{s}, make([]byte, 64<<10))
	require.NoError(t, err)
	growth := h.growthMB()
	var ms1 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	assert.Equal(t, s.Length, n+5)
	assert.GreaterOrEqual(t, n+5, int64(200<<20))
	assert.Less(t, growth, 16.0, "heap grew %.1f MiB while streaming 200 MiB", growth)
	t.Logf("streamed %d bytes: peak heap growth %.1f MiB, %.1f MiB allocated in all", n+5, growth, float64(ms1.TotalAlloc-ms0.TotalAlloc)/(1<<20))
}

// TestStreamSlowConsumerIsNotAStall: the client's timeout bounds a read that
// waits for the server, not the time the consumer spends between reads.
func TestStreamSlowConsumerIsNotAStall(t *testing.T) {
	srv := cxfake.NewServer(cxfake.WithToken(testToken))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond })
	s, err := c.OpenPDF(ctxT(t), ID(160), sizedQuery(4<<20))
	require.NoError(t, err)
	defer s.Close()
	buf := make([]byte, 1<<20)
	var n int64
	for i := 0; ; i++ {
		m, err := io.ReadFull(s, buf)
		n += int64(m)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		require.NoError(t, err)
		time.Sleep(250 * time.Millisecond)
	}
	assert.Equal(t, s.Length, n)
}

func TestStreamEarlyCloseEndsTheRequest(t *testing.T) {
	srv, c := newFake(t)
	s, err := c.OpenPDF(ctxT(t), ID(160), sizedQuery(200<<20))
	require.NoError(t, err)
	_, err = io.ReadFull(s, make([]byte, 1<<20))
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, s.Close())
	assert.Less(t, time.Since(start), 2*time.Second)
	waitNoneInFlight(t, srv, 2*time.Second)
	_, err = s.Read(make([]byte, 10))
	requireCode(t, err, CodeCanceled)
	assert.Contains(t, err.Error(), "closed")
}

// TestStreamCloseWakesABlockedRead: Close from another goroutine ends a Read that
// waits for a server that sends nothing more.
func TestStreamCloseWakesABlockedRead(t *testing.T) {
	left := make(chan struct{})
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", "1000000")
		io.WriteString(w, "%PDF-1.7 "+strings.Repeat("x", streamHead))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		close(left)
	})
	c, _ := newTestClient(t, rec.URL)
	s, err := c.OpenPDF(ctxT(t), ID(160), Query{})
	require.NoError(t, err)
	_, err = io.ReadFull(s, make([]byte, streamHead))
	require.NoError(t, err)
	errc := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(s)
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond)
	s.Close()
	select {
	case err := <-errc:
		requireCode(t, err, CodeCanceled)
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not end the blocked Read")
	}
	select {
	case <-left:
	case <-time.After(2 * time.Second):
		t.Fatal("the server still serves the request after Close")
	}
}

func TestStreamCutAfterBytesIsAConnectionError(t *testing.T) {
	srv, c := newFake(t)
	srv.Inject("GET", streamPDFPath, everyTry(cxfake.Fault{DropMidBody: true})...)
	s, err := c.OpenPDF(ctxT(t), ID(160), sizedQuery(4<<20))
	require.NoError(t, err)
	defer s.Close()
	got, err := readInChunks(s, 64<<10)
	requireCode(t, err, CodeConnection)
	assert.Greater(t, len(got), streamHead, "bytes were handed out before the cut")
	assert.Less(t, int64(len(got)), s.Length)
	assert.Equal(t, 1, pdfRequests(srv, "GET", streamPDFPath), "a stream that handed out bytes never starts over")
	_, again := s.Read(make([]byte, 10))
	assert.Equal(t, err, again, "the failure sticks")
}

func TestStreamCutBeforeAnyByteStartsOver(t *testing.T) {
	srv, c := newFake(t)
	want, err := c.GetPDF(ctxT(t), ID(160), sizedQuery(16<<10))
	require.NoError(t, err)
	srv.Reset()
	srv.Inject("GET", streamPDFPath, cxfake.Fault{DropMidBody: true})
	s, err := c.OpenPDF(ctxT(t), ID(160), sizedQuery(16<<10))
	require.NoError(t, err)
	defer s.Close()
	got, err := io.ReadAll(s)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 2, pdfRequests(srv, "GET", streamPDFPath))
}

func TestStreamPostIsNeverSentTwice(t *testing.T) {
	srv, c := newFake(t)
	srv.Inject("POST", streamPDFPath, cxfake.Fault{DropMidBody: true})
	_, err := c.OpenPostPDF(ctxT(t), ID(160), nil)
	requireCode(t, err, CodeConnection)
	assert.Equal(t, 1, pdfRequests(srv, "POST", streamPDFPath))
}

func TestStreamRefusesWhatGetPDFRefuses(t *testing.T) {
	srv, c := newFake(t)
	srv.Inject("GET", streamPDFPath, cxfake.Fault{HTMLLogin: true})
	_, err := c.OpenPDF(ctxT(t), ID(160), Query{})
	requireCode(t, err, CodeUnauthenticated)
	srv.Inject("GET", streamPDFPath, cxfake.Fault{ContentType: "application/pdf", Body: "not a pdf"})
	_, err = c.OpenPDF(ctxT(t), ID(160), Query{})
	requireCode(t, err, CodeInvalidResponse)
	_, err = c.OpenPDF(ctxT(t), ID(999999), Query{})
	requireCode(t, err, CodeNotFound)
	waitNoneInFlight(t, srv, 2*time.Second)
}

func TestStreamReportsProgress(t *testing.T) {
	_, c := newFake(t)
	var events []Progress
	s, err := c.OpenPDF(ctxT(t), ID(160), sizedQuery(1<<20), WithProgress(func(p Progress) { events = append(events, p) }))
	require.NoError(t, err)
	defer s.Close()
	// Reads of a small piece: the body's last read brings no bytes, only io.EOF.
	got, err := readInChunks(s, 1000)
	require.NoError(t, err)
	n := int64(len(got))
	require.NotEmpty(t, events)
	assert.Equal(t, "downloading", events[0].Stage)
	last := events[len(events)-1]
	assert.Equal(t, Progress{Stage: "done", BytesDone: n, BytesTotal: n, Elapsed: last.Elapsed}, last)
}
