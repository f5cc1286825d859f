package core

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// progressLog collects the events of one call.
type progressLog struct{ events []Progress }

func (l *progressLog) opt() CallOption {
	return WithProgress(func(p Progress) { l.events = append(l.events, p) })
}

// check asserts the contract of WithProgress for a download of n bytes announced
// as total (-1 unknown): a first "downloading" event at 0, byte counts that never
// decrease, one final "done" event with BytesDone == BytesTotal == n, and no more
// events than the 64 KiB step allows.
func (l *progressLog) check(t *testing.T, n, total int64) {
	t.Helper()
	ev := l.events
	require.GreaterOrEqual(t, len(ev), 2, "events %+v", ev)
	assert.Equal(t, Progress{Stage: "downloading", BytesTotal: total, Elapsed: ev[0].Elapsed}, ev[0])
	for i, p := range ev[:len(ev)-1] {
		assert.Equal(t, "downloading", p.Stage, "event %d", i)
		assert.Equal(t, total, p.BytesTotal, "event %d", i)
		if i > 0 {
			assert.GreaterOrEqual(t, p.BytesDone, ev[i-1].BytesDone+progressBytes, "event %d comes too soon", i)
			assert.GreaterOrEqual(t, p.Elapsed, ev[i-1].Elapsed, "event %d", i)
		}
	}
	last := ev[len(ev)-1]
	assert.Equal(t, "done", last.Stage)
	assert.Equal(t, n, last.BytesDone)
	assert.Equal(t, n, last.BytesTotal)
	assert.LessOrEqual(t, int64(len(ev)), n/progressBytes+2)
}

// TestDownloadProgress runs every download variant with WithProgress.
func TestDownloadProgress(t *testing.T) {
	srv, c := newFake(t, cxfake.WithExportDelay(time.Millisecond))
	ctx := ctxT(t)
	const size = 3 << 20
	big := map[string]any{"fakeSizeBytes": size}
	var q Query
	q.Set("params", big)
	dir := t.TempDir()

	start, err := c.StartReportExport(ctx, ID(160), map[string]any{"params": big})
	require.NoError(t, err)
	_, err = c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: 5 * time.Millisecond})
	require.NoError(t, err)
	tf := start.TemporaryFileID

	bytesCalls := map[string]func(CallOption) ([]byte, error){
		"GetPDF":           func(o CallOption) ([]byte, error) { return c.GetPDF(ctx, ID(160), q, o) },
		"PostPDF":          func(o CallOption) ([]byte, error) { return c.PostPDF(ctx, ID(160), map[string]any{"params": big}, o) },
		"GetExportContent": func(o CallOption) ([]byte, error) { return c.GetExportContent(ctx, tf, o) },
	}
	for name, call := range bytesCalls {
		t.Run(name, func(t *testing.T) {
			var l progressLog
			b, err := call(l.opt())
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(b), size)
			l.check(t, int64(len(b)), int64(len(b)))
		})
	}
	toCalls := map[string]func(io.Writer, CallOption) (Download, error){
		"GetPDFTo": func(w io.Writer, o CallOption) (Download, error) { return c.GetPDFTo(ctx, ID(160), q, w, o) },
		"PostPDFTo": func(w io.Writer, o CallOption) (Download, error) {
			return c.PostPDFTo(ctx, ID(160), map[string]any{"params": big}, w, o)
		},
		"GetExportContentTo": func(w io.Writer, o CallOption) (Download, error) { return c.GetExportContentTo(ctx, tf, w, o) },
	}
	for name, call := range toCalls {
		t.Run(name, func(t *testing.T) {
			var l progressLog
			var buf bytes.Buffer
			d, err := call(&buf, l.opt())
			require.NoError(t, err)
			assert.Equal(t, int64(buf.Len()), d.Bytes)
			l.check(t, d.Bytes, d.Bytes)
		})
	}
	fileCalls := map[string]func(string, CallOption) (Download, error){
		"GetPDFToFile": func(p string, o CallOption) (Download, error) { return c.GetPDFToFile(ctx, ID(160), q, p, o) },
		"PostPDFToFile": func(p string, o CallOption) (Download, error) {
			return c.PostPDFToFile(ctx, ID(160), map[string]any{"params": big}, p, o)
		},
		"GetExportContentToFile": func(p string, o CallOption) (Download, error) { return c.GetExportContentToFile(ctx, tf, p, o) },
	}
	for name, call := range fileCalls {
		t.Run(name, func(t *testing.T) {
			var l progressLog
			path := filepath.Join(dir, name+".pdf")
			// The "done" event comes once the file is in place.
			doneSawFile := false
			d, err := call(path, WithProgress(func(p Progress) {
				if p.Stage == "done" {
					fi, err := os.Stat(path)
					doneSawFile = err == nil && fi.Size() == p.BytesDone
				}
				l.events = append(l.events, p)
			}))
			require.NoError(t, err)
			assert.True(t, doneSawFile, "the done event came before the file was complete")
			l.check(t, d.Bytes, d.Bytes)
		})
	}
	t.Run("failed download has no done event", func(t *testing.T) {
		var l progressLog
		srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", everyTry(cxfake.Fault{Truncate: true})...)
		_, err := c.GetPDFToFile(ctx, ID(160), q, filepath.Join(dir, "truncated.pdf"), l.opt())
		requireCode(t, err, CodeConnection)
		require.NotEmpty(t, l.events, "the download started")
		for _, p := range l.events {
			assert.NotEqual(t, "done", p.Stage)
		}
	})
	t.Run("no option, no events", func(t *testing.T) {
		_, err := c.GetPDFTo(ctx, ID(160), q, io.Discard, WithProgress(nil))
		require.NoError(t, err)
	})
}

// TestDownloadProgressSlowAndUnknownLength: a body without Content-Length, sent in
// 64 KiB pieces with pauses, reports BytesTotal -1 until "done" and reports the
// bytes while they arrive, not only at the end.
func TestDownloadProgressSlowAndUnknownLength(t *testing.T) {
	const pieces = 16
	piece := bytes.Repeat([]byte("x"), progressBytes)
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-"))
		for range pieces {
			w.Write(piece)
			w.(http.Flusher).Flush()
			time.Sleep(30 * time.Millisecond)
		}
	})
	c, _ := newTestClient(t, rec.URL)
	var l progressLog
	d, err := c.GetPDFTo(ctxT(t), ID(1), Query{}, io.Discard, l.opt())
	require.NoError(t, err)
	n := int64(5 + pieces*progressBytes)
	assert.Equal(t, n, d.Bytes)
	l.check(t, n, -1)
	assert.Greater(t, len(l.events), 2, "no event while the body arrived: %+v", l.events)
}

// TestDownloadProgressThrottle drives the throttle with a fake clock: 10 MiB in
// 4 KiB writes, 1 ms apart (2.56 s). The clock is read every 64 KiB (16 writes,
// 16 ms), so an event comes every 7th reading, 112 ms: 22 events, each at least
// 64 KiB and 100 ms after the previous one.
func TestDownloadProgressThrottle(t *testing.T) {
	clock := time.Unix(1000, 0)
	var ev []Progress
	p := &downloadProgress{fn: func(pr Progress) { ev = append(ev, pr) }, start: clock, total: 10 << 20, nextAt: progressBytes, lastTime: clock}
	p.now = func() time.Time { return clock }
	w := progressWriter{w: io.Discard, p: p}
	chunk := make([]byte, 4<<10)
	for range (10 << 20) / len(chunk) {
		clock = clock.Add(time.Millisecond)
		n, err := w.Write(chunk)
		require.NoError(t, err)
		require.Equal(t, len(chunk), n)
	}
	require.Len(t, ev, 22)
	for i, e := range ev {
		assert.Equal(t, "downloading", e.Stage)
		if i > 0 {
			assert.GreaterOrEqual(t, e.Elapsed-ev[i-1].Elapsed, progressInterval)
			assert.GreaterOrEqual(t, e.BytesDone-ev[i-1].BytesDone, int64(progressBytes))
		}
	}
	assert.Equal(t, int64(10<<20), p.done)

	// Large writes on a slow clock: the byte step alone does not produce events.
	ev = nil
	p2 := &downloadProgress{fn: func(pr Progress) { ev = append(ev, pr) }, start: clock, total: -1, nextAt: progressBytes, lastTime: clock, now: func() time.Time { return clock }}
	for range 100 {
		clock = clock.Add(10 * time.Millisecond)
		progressWriter{w: io.Discard, p: p2}.Write(make([]byte, 256<<10))
	}
	assert.Len(t, ev, 10)
}

// TestDownloadProgressPanicIsTheCallers: a panic in the callback propagates, and a
// ToFile download then leaves no file behind.
func TestDownloadProgressPanicIsTheCallers(t *testing.T) {
	_, c := newFake(t)
	var q Query
	q.Set("params", map[string]any{"fakeSizeBytes": 1 << 20})
	dir := t.TempDir()
	path := filepath.Join(dir, "p.pdf")
	func() {
		defer func() { assert.Equal(t, "boom", recover()) }()
		c.GetPDFToFile(ctxT(t), ID(160), q, path, WithProgress(func(Progress) { panic("boom") }))
		t.Error("the panic did not propagate")
	}()
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, left)
	// The client still works afterwards.
	_, err = c.GetPDFToFile(ctxT(t), ID(160), q, path)
	require.NoError(t, err)
}

// TestWaitsUseWithProgress: without WaitOptions.Progress, the waits report to the
// call's WithProgress; ExportToFile's download stage is throttled like any download.
func TestWaitsUseWithProgress(t *testing.T) {
	_, c := newFake(t, cxfake.WithExportDelay(20*time.Millisecond))
	var l progressLog
	path := filepath.Join(t.TempDir(), "e.pdf")
	d, err := c.ExportToFile(ctxT(t), ID(160), map[string]any{"params": map[string]any{"fakeSizeBytes": 2 << 20}}, path,
		WaitOptions{PollInterval: 5 * time.Millisecond}, l.opt())
	require.NoError(t, err)
	require.NotEmpty(t, l.events)
	assert.Equal(t, "waiting", l.events[0].Stage)
	var dl progressLog
	for i, p := range l.events {
		if p.Stage != "waiting" {
			dl.events = append(dl.events, Progress{Stage: p.Stage, BytesDone: p.BytesDone, BytesTotal: p.BytesTotal, Elapsed: p.Elapsed})
			assert.Equal(t, "Completed", p.Status, "event %d", i)
		}
		if i > 0 {
			assert.GreaterOrEqual(t, p.Polls, l.events[i-1].Polls)
		}
	}
	dl.check(t, d.Bytes, d.Bytes)
	assert.Equal(t, strconv.FormatInt(d.Bytes, 10), strconv.FormatInt(l.events[len(l.events)-1].BytesDone, 10))
}

// A download that starts over after a cut never reports fewer bytes than before.
func TestDownloadProgressNeverGoesBack(t *testing.T) {
	// Slow enough that the cut attempt reports progress past 0 (one event per 100 ms).
	srv, c := newFake(t, cxfake.WithBandwidth(64_000_000))
	var q Query
	q.Set("params", map[string]any{"fakeSizeBytes": 4 << 20})
	srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", cxfake.Fault{DropMidBody: true})
	var l progressLog
	_, err := c.GetPDF(ctxT(t), ID(160), q, l.opt())
	require.NoError(t, err)
	require.Len(t, requestsTo(srv, "GET", "/api/v1/ws/1/reports/160/pdf"), 2, "the cut download started over")
	var last int64
	for _, p := range l.events {
		assert.GreaterOrEqual(t, p.BytesDone, last, "%+v", l.events)
		last = p.BytesDone
	}
	assert.Equal(t, "done", l.events[len(l.events)-1].Stage)
}
