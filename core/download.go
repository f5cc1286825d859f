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
	"path/filepath"
	"strings"
	"time"
)

// Download describes a binary answer that was written somewhere.
type Download struct {
	Path            string `json:"path,omitempty"`
	Bytes           int64  `json:"bytes"`
	ContentType     string `json:"content_type"`
	Filename        string `json:"filename,omitempty"`          // from Content-Disposition, filename* preferred
	TemporaryFileID string `json:"temporary_file_id,omitempty"` // ExportToFile only
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

// fetch performs bc and streams the body into w. It checks the content type, the
// PDF signature and the length against Content-Length.
func (c *Client) fetch(r *response, bc binaryCall, w io.Writer) (Download, error) {
	ct := r.Header.Get("Content-Type")
	d := Download{ContentType: ct, Filename: dispositionFilename(r.Header.Get("Content-Disposition"))}
	fail := func(code, msg string, err error) (Download, error) {
		return d, c.finish(&Error{Code: code, Status: r.StatusCode, Method: bc.method, URL: bc.url,
			RequestID: requestID(r.Header), Message: msg, Err: err})
	}
	if isHTML(r.Header) {
		return d, r.htmlError()
	}
	isPDF := strings.Contains(strings.ToLower(ct), "application/pdf")
	if bc.pdf && !isPDF {
		return fail(CodeInvalidResponse, fmt.Sprintf("Invalid content type, expected PDF: %s %s answered with Content-Type %q. Check the report and the format you asked for.", bc.method, bc.url, ct), nil)
	}
	total := r.ContentLength
	body := io.Reader(r.Body)
	if isPDF {
		head := make([]byte, 5)
		n, err := io.ReadFull(r.Body, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return d, r.readError(err)
		}
		if n < 5 || string(head) != "%PDF-" {
			return fail(CodeInvalidResponse, fmt.Sprintf("Invalid response: %s %s answered application/pdf but the body is not a PDF (it does not start with %%PDF-).", bc.method, bc.url), nil)
		}
		body = io.MultiReader(bytes.NewReader(head), r.Body)
	}
	dst := io.Writer(errWriter{w})
	if bc.progress != nil {
		dst = progressWriter{w: dst, p: newDownloadProgress(bc.progress, bc.start, total)}
	}
	buf := make([]byte, copyBufSize)
	n, err := io.CopyBuffer(dst, body, buf)
	d.Bytes = n
	if err != nil {
		var we *writeError
		if errors.As(err, &we) {
			return fail(CodeIO, fmt.Sprintf("I/O error: writing the answer of %s %s failed after %d bytes: %v.", bc.method, bc.url, n, we.err), we.err)
		}
		return d, r.readError(err)
	}
	if total >= 0 && n != total {
		return fail(CodeInvalidResponse, fmt.Sprintf("Invalid response: %s %s announced %d bytes (Content-Length) but sent %d. Retry the call.", bc.method, bc.url, total, n), nil)
	}
	return d, nil
}

// fetchBytes returns the whole body.
func (c *Client) fetchBytes(ctx context.Context, bc binaryCall) ([]byte, error) {
	bc.start = time.Now()
	r, err := c.send(ctx, bc.call)
	if err != nil {
		return nil, err
	}
	defer r.close()
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength < 256<<20 {
		buf.Grow(int(r.ContentLength))
	}
	if _, err := c.fetch(r, bc, &buf); err != nil {
		return nil, err
	}
	reportDone(bc.progress, bc.start, int64(buf.Len()))
	return buf.Bytes(), nil
}

// fetchTo streams the body into w.
func (c *Client) fetchTo(ctx context.Context, bc binaryCall, w io.Writer) (Download, error) {
	if w == nil {
		return Download{}, c.finish(inputError("the destination io.Writer is nil"))
	}
	bc.start = time.Now()
	r, err := c.send(ctx, bc.call)
	if err != nil {
		return Download{}, err
	}
	defer r.close()
	d, err := c.fetch(r, bc, w)
	if err != nil {
		return d, err
	}
	reportDone(bc.progress, bc.start, d.Bytes)
	return d, nil
}

// fetchToFile streams the body into a temporary file beside target, syncs it and
// renames it over target. On any failure the temporary file is removed and target
// is left as it was.
func (c *Client) fetchToFile(ctx context.Context, bc binaryCall, target string) (d Download, err error) {
	if strings.TrimSpace(target) == "" {
		return d, c.finish(inputError("the destination path is empty"))
	}
	if fi, statErr := os.Stat(target); statErr == nil && fi.IsDir() {
		return d, c.finish(inputError("the destination %q is a directory; give a file path", target))
	}
	bc.start = time.Now()
	r, err := c.send(ctx, bc.call)
	if err != nil {
		return d, err
	}
	defer r.close()
	ioFail := func(what string, err error) error {
		return c.finish(&Error{Code: CodeIO, Method: bc.method, URL: bc.url, Err: err,
			Message: fmt.Sprintf("I/O error: %s: %v. Check that the directory exists and is writable.", what, err)})
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.part")
	if err != nil {
		return d, ioFail("cannot create a temporary file beside "+target, err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	d, err = c.fetch(r, bc, tmp)
	if err != nil {
		return Download{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Download{}, ioFail("cannot flush "+tmp.Name(), err)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		return Download{}, ioFail("cannot set the mode of "+tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return Download{}, ioFail("cannot close "+tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return Download{}, ioFail("cannot move the download to "+target, err)
	}
	committed = true
	if dh, err := os.Open(dir); err == nil {
		dh.Sync() // make the rename durable; failure here loses nothing written
		dh.Close()
	}
	d.Path = target
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
