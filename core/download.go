package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strings"
	"time"
)

// Download describes a binary answer that was written somewhere.
type Download struct {
	Path            string `json:"path,omitempty"`
	Bytes           int64  `json:"bytes"`
	ContentType     string `json:"content_type"`
	Filename        string `json:"filename,omitempty"`         // from Content-Disposition, filename* preferred
	TemporaryFileID Ref    `json:"temporary_file_id,omitzero"` // ExportToFile only: the server's id, number or string
}

// copyBufSize is the streaming buffer: downloads never hold the body in memory.
const copyBufSize = 256 << 10

// binaryCall is a request whose answer is a file.
type binaryCall struct {
	call
	pdf      bool           // the endpoint must answer with a PDF
	progress func(Progress) // optional, from WithProgress (see progress.go)
	start    time.Time      // when the call began, for Progress.Elapsed
}

// newBinaryCall builds a binaryCall with the progress callback of opts.
func newBinaryCall(c call, pdf bool, opts []CallOption) binaryCall {
	c.bulk = true
	return binaryCall{call: c, pdf: pdf, progress: collectOptions(opts).progress}
}

// writeError marks a failure of the destination, not of the connection.
type writeError struct{ err error }

func (w *writeError) Error() string { return w.err.Error() }
func (w *writeError) Unwrap() error { return w.err }

type errWriter struct{ w io.Writer }

func (e errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		return n, &writeError{err}
	}
	return n, nil
}

// maxGrowHint bounds the preallocation a server's Content-Length can ask for.
const maxGrowHint = 2 << 30

// accept checks the headers of a binary answer before its body is read: a login
// page, or a non-PDF where a PDF is due, is an error. It returns the Download the
// headers describe and whether the body must start with the PDF signature.
func (c *Client) accept(r *response, bc binaryCall) (Download, bool, error) {
	ct := r.Header.Get("Content-Type")
	d := Download{ContentType: ct, Filename: dispositionFilename(r.Header.Get("Content-Disposition"))}
	if isHTML(r.Header) {
		return d, false, r.htmlError()
	}
	isPDF := strings.Contains(strings.ToLower(ct), "application/pdf")
	if bc.pdf && !isPDF {
		return d, false, r.invalid(fmt.Sprintf("Invalid content type, expected PDF: %s %s answered with Content-Type %q. Check the report and the format you asked for.", bc.method, c.shown(bc.url), c.scrub(ct)), nil)
	}
	return d, isPDF, nil
}

// invalid is an invalid_response error about r, or an io_error when err is a
// destination's.
func (r *response) invalid(msg string, err error) error {
	code := CodeInvalidResponse
	var we *writeError
	if errors.As(err, &we) {
		code, err = CodeIO, we.err
	}
	return r.c.finish(&Error{Code: code, Status: r.StatusCode, Method: r.cl.method, URL: r.cl.url,
		RequestID: requestID(r.Header), Message: msg, Err: err})
}

// readHead reads the first bytes of a body into buf and, when it must be a PDF,
// checks its signature. fill reads until buf is full (a Stream's head), else
// until the signature is in (5 bytes; fetch then copies the rest). It returns how
// many bytes it read, and io.EOF when the body ended within them.
func (r *response) readHead(buf []byte, isPDF bool, fill bool) (int, error) {
	least := 1
	if isPDF {
		least = 5
	}
	var n int
	var err error
	if fill {
		n, err = readFull(r.Body, buf)
	} else if n, err = io.ReadAtLeast(r.Body, buf, least); errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF // shorter than least: the signature check says what is wrong
	}
	if err != nil && err != io.EOF {
		return n, r.readError(err)
	}
	if isPDF && (n < 5 || string(buf[:5]) != "%PDF-") {
		return n, r.invalid(fmt.Sprintf("Invalid response: %s %s answered application/pdf but the body is not a PDF (it does not start with %%PDF-).", r.cl.method, r.c.shown(r.cl.url)), nil)
	}
	return n, err
}

// readFull reads into buf until it is full or the body ends: io.EOF then, with
// the bytes read so far.
func readFull(src io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := src.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// lengthError is the error of a body that ended after n bytes where the
// Content-Length announced another length; nil when they agree or none was sent.
func (r *response) lengthError(n int64) error {
	if total := r.ContentLength; total >= 0 && n != total {
		return r.invalid(fmt.Sprintf("Invalid response: %s %s announced %d bytes (Content-Length) but sent %d. Retry the call.", r.cl.method, r.c.shown(r.cl.url), total, n), nil)
	}
	return nil
}

// fetch streams the body of r into w. It checks the content type, the PDF
// signature and the length against Content-Length. A w with a Grow(int) method
// (bytes.Buffer, the C ABI's buffer) is first grown to the announced length, so an
// in-memory download is allocated once.
func (c *Client) fetch(r *response, bc binaryCall, w io.Writer) (Download, error) {
	d, isPDF, err := c.accept(r, bc)
	if err != nil {
		return d, err
	}
	total := r.ContentLength
	buf := make([]byte, copyBufSize)
	have := 0
	if isPDF {
		n, err := r.readHead(buf, true, false)
		if err != nil && err != io.EOF {
			return d, err
		}
		have = n
	}
	if g, ok := w.(interface{ Grow(int) }); ok && total > 0 && total <= maxGrowHint {
		g.Grow(int(total))
	}
	dst := io.Writer(errWriter{w})
	if bc.progress != nil {
		dst = progressWriter{w: dst, p: newDownloadProgress(bc.progress, bc.start, total)}
	}
	n, err := copyFull(dst, r.Body, buf, have)
	d.Bytes = n
	if err != nil {
		var we *writeError
		if errors.As(err, &we) {
			return d, r.invalid(fmt.Sprintf("I/O error: writing the answer of %s %s failed after %d bytes: %s.", bc.method, c.shown(bc.url), n, c.scrub(we.err.Error())), we)
		}
		return d, r.readError(err)
	}
	return d, r.lengthError(n)
}

// copyFull copies src to dst through buf, whose first have bytes are already
// read, and fills buf before each write: a TLS connection hands out one record
// (16 KiB at most) per read, and a write per read would cost a system call each.
func copyFull(dst io.Writer, src io.Reader, buf []byte, have int) (written int64, err error) {
	for {
		n := have
		var rerr error
		for n < len(buf) && rerr == nil {
			var m int
			m, rerr = src.Read(buf[n:])
			n += m
		}
		have = 0
		if n > 0 {
			m, werr := dst.Write(buf[:n])
			written += int64(m)
			if werr != nil {
				return written, werr
			}
		}
		if rerr == io.EOF {
			return written, nil
		}
		if rerr != nil {
			return written, rerr
		}
	}
}

// A Restarter is an io.Writer that can discard everything it was given. A
// download into one (GetPDFTo, PostPDFTo, GetExportContentTo) whose GET answer is
// cut starts over into it after Restart; a download into any other writer starts
// over only if the writer received nothing yet.
type Restarter interface {
	io.Writer
	Restart()
}

// destination is where one download goes, attempt after attempt.
type destination interface {
	// writer returns the writer for the next attempt.
	writer() (io.Writer, error)
	// restart discards the attempt that failed; false means it cannot start over.
	restart() bool
}

// download performs bc and streams its body into dst, starting over when a GET's
// answer was cut and dst can. It reports no "done" progress: the caller does, once
// the result is where it belongs.
func (c *Client) download(ctx context.Context, bc binaryCall, dst destination) (Download, error) {
	bc.start = time.Now()
	bc.progress = neverBack(bc.progress)
	for retried := 0; ; retried++ {
		w, err := dst.writer()
		if err != nil {
			return Download{}, err
		}
		d, err := c.fetchOnce(ctx, bc, w)
		if err == nil {
			return d, nil
		}
		if !c.cutRetryable(bc.call, err, retried) || !dst.restart() {
			return d, err
		}
		c.waitCut(ctx, bc.call, retried)
	}
}

// fetchOnce is one attempt of download.
func (c *Client) fetchOnce(ctx context.Context, bc binaryCall, w io.Writer) (Download, error) {
	r, err := c.send(ctx, bc.call)
	if err != nil {
		return Download{}, err
	}
	defer r.close()
	return c.fetch(r, bc, w)
}

// memoryDest collects a download in memory.
type memoryDest struct{ buf bytes.Buffer }

func (m *memoryDest) writer() (io.Writer, error) { return &m.buf, nil }
func (m *memoryDest) restart() bool              { m.buf.Reset(); return true }

// writerDest streams a download into a caller's writer and counts what it got.
type writerDest struct {
	w io.Writer
	n int64
}

func (d *writerDest) writer() (io.Writer, error) { return d, nil }

func (d *writerDest) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	d.n += int64(n)
	return n, err
}

// Grow passes the length hint on to a caller's writer that takes one.
func (d *writerDest) Grow(n int) {
	if g, ok := d.w.(interface{ Grow(int) }); ok {
		g.Grow(n)
	}
}

func (d *writerDest) restart() bool {
	if d.n == 0 {
		return true
	}
	if r, ok := d.w.(Restarter); ok {
		r.Restart()
		d.n = 0
		return true
	}
	return false
}

// fetchBytes returns the whole body.
func (c *Client) fetchBytes(ctx context.Context, bc binaryCall) ([]byte, error) {
	var m memoryDest
	if _, err := c.download(ctx, bc, &m); err != nil {
		return nil, err
	}
	reportDone(bc.progress, bc.start, int64(m.buf.Len()))
	return m.buf.Bytes(), nil
}

// fetchTo streams the body into w.
func (c *Client) fetchTo(ctx context.Context, bc binaryCall, w io.Writer) (Download, error) {
	if w == nil {
		return Download{}, c.finish(inputError("the destination io.Writer is nil"))
	}
	d, err := c.download(ctx, bc, &writerDest{w: w})
	if err != nil {
		return d, err
	}
	reportDone(bc.progress, bc.start, d.Bytes)
	return d, nil
}

// fetchToFile streams the body into a temporary file beside target and renames it
// over target. On any failure the temporary file is removed and target is left as
// it was.
//
// The first temporary file is created before the request is sent (download asks
// for the writer first), so an unwritable destination costs the server nothing.
func (c *Client) fetchToFile(ctx context.Context, bc binaryCall, target string) (Download, error) {
	if err := c.checkTarget(target); err != nil {
		return Download{}, err
	}
	f := &fileDest{c: c, bc: bc, target: target}
	defer f.discard() // also when a progress callback panics; a no-op after commit
	return c.fetchIntoFile(ctx, f)
}

// checkTarget rejects a destination path that cannot name a file.
func (c *Client) checkTarget(target string) error {
	if strings.TrimSpace(target) == "" {
		return c.finish(inputError("the destination path is empty"))
	}
	if fi, statErr := os.Stat(target); statErr == nil && fi.IsDir() {
		return c.finish(inputError("the destination %q is a directory; give a file path", c.scrub(target)))
	}
	return nil
}

// fetchIntoFile downloads f.bc into f and renames the result into place. The
// caller discards f.
func (c *Client) fetchIntoFile(ctx context.Context, f *fileDest) (Download, error) {
	bc := f.bc
	d, err := c.download(ctx, bc, f)
	if err != nil {
		return Download{}, err
	}
	if err := f.commit(); err != nil {
		return Download{}, err
	}
	d.Path = f.target
	reportDone(bc.progress, bc.start, d.Bytes)
	return d, nil
}

// dispositionFilename reads the file name from Content-Disposition (mime decodes
// filename*=UTF-8”... and prefers it over filename) and strips any directory part.
func dispositionFilename(v string) string {
	if v == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(v)
	if err != nil {
		return ""
	}
	name := strings.ReplaceAll(params["filename"], "\\", "/")
	if name == "" {
		return ""
	}
	name = path.Base(name)
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	return name
}
