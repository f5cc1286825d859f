package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/cxclient/cxreports/core"
)

// stdoutBuf is the piece size of -o -: large enough that a pipe takes few
// system calls, small enough that the download never runs ahead of the reader
// by more than this.
const stdoutBuf = 256 << 10

// toStdout copies a download to standard output as it arrives (-o -): the
// server is read only as fast as the reader of the pipe takes the bytes.
func (a *app) toStdout(s *core.Stream) error {
	defer s.Close()
	n, err := io.CopyBuffer(onlyWriter{a.stdout}, onlyReader{s}, make([]byte, stdoutBuf))
	if err != nil {
		var ce *core.Error
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("writing to standard output failed after %d bytes: %w", n, err)
	}
	fmt.Fprintf(a.stderr, "wrote %d bytes (%s) to standard output\n", n, s.ContentType)
	return nil
}

// onlyReader and onlyWriter hide ReadFrom/WriteTo, so io.CopyBuffer uses the
// buffer it is given instead of the file's own small one.
type onlyReader struct{ io.Reader }
type onlyWriter struct{ io.Writer }

// renderBody is the post_pdf body of a one-item render: the same members the
// batch renderer sends for it (params always, data, theme and template when set).
func renderBody(it core.BatchItem) map[string]any {
	b := map[string]any{"params": it.Params}
	if it.Data != nil {
		b["data"] = it.Data
	}
	if it.Theme != "" {
		b["theme"] = it.Theme
	}
	if it.Template != "" {
		b["template"] = it.Template
	}
	return b
}
