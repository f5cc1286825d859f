package core

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// WaitOptions controls the waiting helpers.
type WaitOptions struct {
	PollInterval time.Duration  // first poll delay, 0 = 500ms; grows x1.5 with jitter
	MaxInterval  time.Duration  // 0 = 5s
	Timeout      time.Duration  // overall deadline, 0 = none (ctx only)
	Progress     func(Progress) // optional; called from the waiting goroutine; nil = the call's WithProgress
}

// Progress is reported while waiting and downloading.
type Progress struct {
	Stage      string // "waiting" | "downloading" | "done"
	Status     string // server status while waiting (InProgress, ...)
	Polls      int
	BytesDone  int64
	BytesTotal int64 // -1 when unknown
	Elapsed    time.Duration
}

const (
	defaultPollInterval = 500 * time.Millisecond
	defaultMaxInterval  = 5 * time.Second
)

// poller paces polls: exponential growth x1.5 up to MaxInterval, +-20% jitter so
// many waiting clients do not poll in step.
type poller struct {
	opts     WaitOptions
	next     time.Duration
	start    time.Time
	polls    int
	deadline context.Context
	cancel   context.CancelFunc
}

var errWaitDeadline = errors.New("wait deadline passed")

func newPoller(ctx context.Context, o WaitOptions, opts []CallOption) (*poller, error) {
	if o.Progress == nil {
		o.Progress = collectOptions(opts).progress
	}
	if o.PollInterval < 0 || o.MaxInterval < 0 || o.Timeout < 0 {
		return nil, inputError("WaitOptions durations cannot be negative")
	}
	growingRange(&o.PollInterval, &o.MaxInterval, defaultPollInterval, defaultMaxInterval)
	p := &poller{opts: o, next: o.PollInterval, start: time.Now()}
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Timeout > 0 {
		p.deadline, p.cancel = context.WithTimeoutCause(ctx, o.Timeout, errWaitDeadline)
	} else {
		p.deadline, p.cancel = context.WithCancel(ctx)
	}
	return p, nil
}

func (p *poller) report(pr Progress) {
	if p.opts.Progress == nil {
		return
	}
	pr.Polls = p.polls
	pr.Elapsed = time.Since(p.start)
	p.opts.Progress(pr)
}

// sleep waits for the next poll; it returns the context's error if it ends first.
func (p *poller) sleep() error {
	d := p.next
	d += time.Duration((rand.Float64()*0.4 - 0.2) * float64(d))
	p.next = min(time.Duration(float64(p.next)*1.5), p.opts.MaxInterval)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.deadline.Done():
		return p.deadline.Err()
	case <-t.C:
		return nil
	}
}

// stopped turns the end of the wait into an *Error: the wait's own deadline and a
// caller's deadline are timeouts, a cancellation is "canceled". A call that failed
// because the wait ended is reported the same way.
func (c *Client) stopped(p *poller, parent context.Context, what, last string, callErr error) error {
	if p.deadline.Err() == nil {
		return callErr
	}
	e := &Error{}
	what, last = c.scrub(what), c.scrub(last) // ids and statuses the server sent
	switch {
	case errors.Is(context.Cause(p.deadline), errWaitDeadline):
		e.Code, e.Err, e.Retryable = CodeTimeout, context.DeadlineExceeded, true
		e.Message = fmt.Sprintf("Timeout occurred: %s was not finished after %v (%d polls, last status %q). Raise %s or check the server.", what, p.opts.Timeout, p.polls, last, c.names.WaitTimeout)
	case errors.Is(parent.Err(), context.DeadlineExceeded):
		e.Code, e.Err, e.Retryable = CodeTimeout, context.DeadlineExceeded, true
		e.Message = fmt.Sprintf("Timeout occurred: the caller's deadline passed while waiting for %s (%d polls, last status %q).", what, p.polls, last)
	default:
		e.Code, e.Err = CodeCanceled, context.Canceled
		e.Message = fmt.Sprintf("Request canceled: waiting for %s was canceled (%d polls, last status %q).", what, p.polls, last)
	}
	return c.finish(e)
}

// WaitForExport polls an export until it is ready. A Failed export is an *Error
// with Code "export_failed" whose ServerMessage is the server's errorMessage.
func (c *Client) WaitForExport(ctx context.Context, tempFile Ref, o WaitOptions, opts ...CallOption) (ExportStatus, error) {
	if _, err := tempFile.segment("temporary file"); err != nil {
		return ExportStatus{}, err
	}
	p, err := newPoller(ctx, o, opts)
	if err != nil {
		return ExportStatus{}, err
	}
	defer p.cancel()
	return c.waitExport(ctx, p, tempFile, opts)
}

func (c *Client) waitExport(parent context.Context, p *poller, tempFile Ref, opts []CallOption) (ExportStatus, error) {
	what := "export " + tempFile.String()
	last := ""
	for {
		st, err := c.pollExport(p.deadline, tempFile, opts)
		if err != nil {
			return st, c.stopped(p, parent, what, last, err)
		}
		p.polls++
		last = st.Status
		p.report(Progress{Stage: "waiting", Status: st.Status, BytesTotal: -1})
		switch {
		case strings.EqualFold(st.Status, "Failed"):
			e := &Error{Code: CodeExportFailed, ServerMessage: st.ErrorMessage, Method: "GET"}
			e.URL, _ = c.exportURL(tempFile, "status", opts)
			msg := st.ErrorMessage
			if msg == "" {
				msg = "no error message"
			}
			e.Message = fmt.Sprintf("Export failed: %s ended as Failed: %s. Check the report's parameters and data.", c.scrub(what), c.scrub(msg))
			return st, c.finish(e)
		case st.IsReady || strings.EqualFold(st.Status, "Completed"):
			return st, nil
		}
		if err := p.sleep(); err != nil {
			return st, c.stopped(p, parent, what, last, err)
		}
	}
}

// ExportToFile starts an export, waits for it and streams it into the file at path
// (temporary file and rename). WaitOptions.Timeout bounds the start and the wait;
// the download is bounded by ctx and the per-attempt stall timeout, so a large file
// is not cut off by the wait's deadline. Progress reports "waiting", then
// "downloading" with byte counts (throttled as described at WithProgress), then
// "done"; Polls and Elapsed count from the start of the whole call.
//
// The destination is checked before the export starts: the temporary file beside
// path is created first (and kept for the download), so a missing or unwritable
// directory fails with io_error without costing the server an export.
func (c *Client) ExportToFile(ctx context.Context, report Ref, body any, path string, o WaitOptions, opts ...CallOption) (Download, error) {
	if err := c.checkTarget(path); err != nil {
		return Download{}, err
	}
	f := &fileDest{c: c, target: path}
	if err := f.prepare(); err != nil {
		return Download{}, err
	}
	defer f.discard() // a no-op after the rename
	tf, bc, err := c.exportContent(ctx, report, body, o, opts)
	if err != nil {
		return Download{}, err
	}
	f.bc = bc
	d, err := c.fetchIntoFile(ctx, f)
	if err != nil {
		return Download{}, err
	}
	d.TemporaryFileID = tf
	return d, nil
}

// OpenExport is ExportToFile as a Stream: it starts an export, waits for it (o
// bounds the start and the wait, not the reading) and opens its file for the
// caller to read (see OpenPDF). Progress reports "waiting", then "downloading"
// and "done" as the caller reads.
func (c *Client) OpenExport(ctx context.Context, report Ref, body any, o WaitOptions, opts ...CallOption) (*Stream, error) {
	_, bc, err := c.exportContent(ctx, report, body, o, opts)
	if err != nil {
		return nil, err
	}
	return c.openStream(ctx, bc)
}

// exportContent starts an export of report and waits for it; it returns the
// export's id and the download of its file, whose progress events continue the
// wait's (status "Completed", polls and elapsed time of the whole call).
func (c *Client) exportContent(ctx context.Context, report Ref, body any, o WaitOptions, opts []CallOption) (Ref, binaryCall, error) {
	opts = typed(opts) // the answer is a Download; the client reads the JSON itself
	p, err := newPoller(ctx, o, opts)
	if err != nil {
		return Ref{}, binaryCall{}, err
	}
	defer p.cancel() // the deadline of the start and the wait; report works on after it
	start, err := c.StartReportExport(p.deadline, report, body, opts...)
	if err != nil {
		return Ref{}, binaryCall{}, c.stopped(p, ctx, "the export of report "+report.String(), "", err)
	}
	tf := start.TemporaryFileID
	if !tf.IsSet() {
		u, _ := c.wsURL(opts, "reports", report.String(), "export")
		return Ref{}, binaryCall{}, c.finish(&Error{Code: CodeInvalidResponse, Method: "POST", URL: u,
			Message: "Invalid response: the answer to starting the export of report " + c.scrub(report.String()) + " has no temporaryFileId to poll. Check that the base URL (" + c.names.BaseURL + ") points at a CxReports server."})
	}
	if _, err := c.waitExport(ctx, p, tf, opts); err != nil {
		return Ref{}, binaryCall{}, err
	}
	bc, err := c.contentCall(tf, opts)
	if err != nil {
		return Ref{}, binaryCall{}, err
	}
	bc.progress = nil
	if p.opts.Progress != nil {
		bc.progress = func(pr Progress) {
			pr.Status = "Completed"
			p.report(pr)
		}
	}
	return tf, bc, nil
}

// WaitForJobRun polls a job run until it is finished.
func (c *Client) WaitForJobRun(ctx context.Context, job, run Ref, o WaitOptions, opts ...CallOption) (JobRunStatus, error) {
	if _, err := c.runURL(job, run, "status", opts); err != nil {
		return JobRunStatus{}, err
	}
	p, err := newPoller(ctx, o, opts)
	if err != nil {
		return JobRunStatus{}, err
	}
	defer p.cancel()
	what := "job " + job.String() + " run " + run.String()
	last := ""
	for {
		st, err := c.pollJobRun(p.deadline, job, run, opts)
		if err != nil {
			return st, c.stopped(p, ctx, what, last, err)
		}
		p.polls++
		last = fmt.Sprintf("queued %d, review %d, completed %d, errors %d", st.Status.Queued, st.Status.Review, st.Status.Completed, st.Status.Errors)
		state := "Running"
		if st.Finished {
			state = "Finished"
		}
		p.report(Progress{Stage: "waiting", Status: state, BytesTotal: -1})
		if st.Finished {
			return st, nil
		}
		if err := p.sleep(); err != nil {
			return st, c.stopped(p, ctx, what, last, err)
		}
	}
}
