package core

import (
	"bytes"
	"context"

	json "github.com/goccy/go-json"
)

// The waits read only what they need from a status answer (status or isReady of
// an export, finished of a job run), whatever else the server sends or however it
// types it, and fail with invalid_response only when that value is really absent.
// A caller's RawJSON receives each status as the server sent it.

// pollExport reads an export's status for waitExport.
func (c *Client) pollExport(ctx context.Context, tempFile Ref, opts []CallOption) (ExportStatus, error) {
	var st ExportStatus
	raw, err := c.pollRaw(opts, &st, func(o []CallOption) error {
		_, err := c.GetExportStatus(ctx, tempFile, o...)
		return err
	})
	if err == nil && st.Status == "" && !st.wire.readable("isReady") {
		u, _ := c.exportURL(tempFile, "status", opts)
		err = c.missing("GET", u, "the status of export "+tempFile.String(), "neither a status nor an isReady member", raw)
	}
	return st, err
}

// pollJobRun reads a job run's status for WaitForJobRun.
func (c *Client) pollJobRun(ctx context.Context, job, run Ref, opts []CallOption) (JobRunStatus, error) {
	var st JobRunStatus
	raw, err := c.pollRaw(opts, &st, func(o []CallOption) error {
		_, err := c.GetJobRunStatus(ctx, job, run, o...)
		return err
	})
	if err == nil && !st.wire.readable("finished") {
		u, _ := c.runURL(job, run, "status", opts)
		err = c.missing("GET", u, "the status of job "+job.String()+" run "+run.String(), "no boolean finished member", raw)
	}
	return st, err
}

// pollRaw makes one status call through get with RawJSON, decodes the answer into
// out (leniently, see decodeWithExtra) and hands it to the caller's RawJSON too.
func (c *Client) pollRaw(opts []CallOption, out any, get func([]CallOption) error) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := get(append(typed(opts), RawJSON(&raw))); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return raw, c.finish(&Error{Code: CodeInvalidResponse, Err: err,
			Message: "Invalid response: a status answer is not a JSON object (" + c.scrub(err.Error()) + ")."})
	}
	if dst := collectOptions(opts).raw; dst != nil {
		*dst = raw
	}
	return raw, nil
}

// missing is the invalid_response error of an answer without a value the client
// needs.
func (c *Client) missing(method, url, what, lacks string, raw json.RawMessage) error {
	return c.finish(&Error{Code: CodeInvalidResponse, Method: method, URL: url,
		Message: "Invalid response: " + c.scrub(what) + " has " + lacks + ": " + c.scrub(excerpt(raw)) +
			". Check that the base URL (" + c.names.BaseURL + ") points at a CxReports server."})
}

// excerpt shortens an answer for a message.
func excerpt(raw []byte) string {
	const limit = 200
	if len(raw) > limit {
		return string(raw[:limit]) + "..."
	}
	return string(raw)
}

// readable reports whether the server sent member k with a value of the
// documented type (not null, not another type).
func (w *wireInfo) readable(k string) bool {
	if w == nil {
		return false
	}
	raw, ok := w.known[k]
	return ok && !w.undecoded[k] && string(bytes.TrimSpace(raw)) != "null"
}
