package core

import (
	"io"
	"time"
)

// Download progress is throttled so that a large file does not turn into one
// callback per socket read: an event needs both progressBytes more bytes and
// progressInterval more time than the previous one. The byte test comes first,
// so the clock is read at most once per progressBytes.
const (
	progressBytes    = 64 << 10
	progressInterval = 100 * time.Millisecond
)

// WithProgress makes a download report its progress to fn: GetPDF, PostPDF,
// GetExportContent and their To/ToFile variants. fn receives Stage "downloading"
// with BytesDone 0 and BytesTotal (Content-Length, -1 when the server sent none)
// once the answer is accepted, then further "downloading" events at most every
// 64 KiB and 100 ms, and after success one Stage "done" event with BytesDone ==
// BytesTotal == the bytes delivered (for ToFile, once the file is in place).
// BytesDone never decreases; Elapsed counts from the start of the call. A failed
// call has no "done" event.
//
// fn runs on the calling goroutine between two writes of the body, so it sees the
// events in order and should return quickly: the download waits for it. It cannot
// alter or stop the stream; a panic in it is the caller's own and propagates out of
// the call (a ToFile download then leaves no file behind, as on any error).
//
// The waiting helpers (WaitForExport, ExportToFile, WaitForJobRun) use fn as their
// WaitOptions.Progress when that is nil. WithProgress(nil) reports nothing.
func WithProgress(fn func(Progress)) CallOption {
	return func(o *callOptions) { o.progress = fn }
}

// downloadProgress counts the bytes of one download and reports them, throttled.
type downloadProgress struct {
	fn       func(Progress)
	start    time.Time
	total    int64 // Content-Length, -1 when unknown
	done     int64
	nextAt   int64     // bytes at which the clock is checked again
	lastTime time.Time // time of the previous event
	now      func() time.Time
}

func newDownloadProgress(fn func(Progress), start time.Time, total int64) *downloadProgress {
	p := &downloadProgress{fn: fn, start: start, total: total, now: time.Now}
	p.lastTime = p.now()
	p.nextAt = progressBytes
	p.emit("downloading", p.lastTime)
	return p
}

// add records n more bytes and reports them if the throttle allows.
func (p *downloadProgress) add(n int) {
	p.done += int64(n)
	if p.done < p.nextAt {
		return
	}
	p.nextAt = p.done + progressBytes
	t := p.now()
	if t.Sub(p.lastTime) < progressInterval {
		return
	}
	p.lastTime = t
	p.emit("downloading", t)
}

func (p *downloadProgress) emit(stage string, t time.Time) {
	p.fn(Progress{Stage: stage, BytesDone: p.done, BytesTotal: p.total, Elapsed: t.Sub(p.start)})
}

// progressWriter feeds a downloadProgress with what reached the destination.
type progressWriter struct {
	w io.Writer
	p *downloadProgress
}

func (pw progressWriter) Write(b []byte) (int, error) {
	n, err := pw.w.Write(b)
	pw.p.add(n)
	return n, err
}

// neverBack passes on "downloading" events only while BytesDone does not go back:
// when a cut GET starts over, its new events are held back until they pass what
// the caller already saw.
func neverBack(fn func(Progress)) func(Progress) {
	if fn == nil {
		return nil
	}
	var seen int64
	return func(p Progress) {
		if p.Stage == "downloading" {
			if p.BytesDone < seen {
				return
			}
			seen = p.BytesDone
		}
		fn(p)
	}
}

// reportDone sends the final event of a successful download of n bytes.
func reportDone(fn func(Progress), start time.Time, n int64) {
	if fn != nil {
		fn(Progress{Stage: "done", BytesDone: n, BytesTotal: n, Elapsed: time.Since(start)})
	}
}
