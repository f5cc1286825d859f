package core

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	json "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newFake(t *testing.T, opts ...cxfake.Option) (*cxfake.Server, *Client) {
	t.Helper()
	srv := cxfake.NewServer(append([]cxfake.Option{cxfake.WithToken(testToken)}, opts...)...)
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv.URL)
	return srv, c
}

// everyTry repeats a fault for the first call and each re-send the test client's
// default retry policy allows: a GET cut after its headers starts over.
func everyTry(f cxfake.Fault) []cxfake.Fault {
	out := make([]cxfake.Fault, 1+defaultMaxRetries)
	for i := range out {
		out[i] = f
	}
	return out
}

// requestsTo returns the recorded requests with this method and decoded path.
func requestsTo(srv *cxfake.Server, method, path string) []cxfake.Request {
	var out []cxfake.Request
	for _, r := range srv.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// refusedBeforeSending runs each call against srv, reset first: each must fail with
// code and no request may reach the server. It returns the errors by call name for
// the checks of their messages.
func refusedBeforeSending(t *testing.T, srv *cxfake.Server, code string, calls map[string]func() error) map[string]*Error {
	t.Helper()
	srv.Reset()
	errs := map[string]*Error{}
	for name, call := range calls {
		errs[name] = requireCode(t, call(), code)
	}
	assert.Empty(t, srv.Requests(), "requests were sent")
	return errs
}

func TestFakeCatalogue(t *testing.T) {
	srv, c := newFake(t)
	ctx := ctxT(t)
	ws, err := c.GetWorkspaces(ctx)
	require.NoError(t, err)
	require.Len(t, ws, 3)
	codes := map[Ref]string{}
	for _, w := range ws {
		codes[w.ID] = w.Code
	}
	assert.Equal(t, map[Ref]string{ID(1): "main", ID(0): "zero", ID(26): "sales team"}, codes)
	// A field the wire spec does not name survives decoding and re-encoding.
	require.Contains(t, ws[0].Extra, "createdAt")
	b, err := json.Marshal(ws[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"createdAt"`)
	var back Workspace
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, ws[0], back)

	for _, in := range []CallOption{InWorkspace(ID(0)), InWorkspace(Code("sales team")), nil} {
		types, err := c.GetReportTypes(ctx, in)
		require.NoError(t, err)
		require.Len(t, types, 2)
		assert.Equal(t, "invoice", types[0].Code)
		assert.Equal(t, ID(160), types[0].DefaultReportID)
	}
	assert.Len(t, requestsTo(srv, "GET", "/api/v1/ws/sales team/report-types"), 1)

	themes, err := c.GetThemes(ctx)
	require.NoError(t, err)
	assert.Equal(t, "dark", themes[0].Code)
	tpls, err := c.GetTemplates(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Default", tpls[0].Code)
	all, err := c.GetReports(ctx, ReportsFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 2)
	other, err := c.GetReports(ctx, ReportsFilter{Type: "other"})
	require.NoError(t, err)
	require.Len(t, other, 1)
	assert.Equal(t, ID(161), other[0].ID)
	pages, err := c.GetReportPages(ctx, ID(160))
	require.NoError(t, err)
	assert.Len(t, pages, 3)
	pages2, err := c.GetReportPages(ctx, Code("invoice"))
	require.NoError(t, err)
	assert.Equal(t, pages, pages2)
	jobs, err := c.GetJobs(ctx)
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	assert.True(t, jobs[0].ReviewRequired)

	_, err = c.GetReportPages(ctx, ID(999))
	requireCode(t, err, CodeNotFound)
	_, err = c.GetThemes(ctx, InWorkspace(Code("nope")))
	requireCode(t, err, CodeNotFound)
	bad, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Token = "tok-SECRET-wrong" })
	_, err = bad.GetWorkspaces(ctx)
	requireCode(t, err, CodeUnauthenticated)
}

func TestFakeRenders(t *testing.T) {
	srv, c := newFake(t)
	ctx := ctxT(t)
	var q Query
	q.Set("params", map[string]any{"title": "Grüße"})
	q.Set("data", map[string]any{"invoiceNumber": "12345"})
	q.Set("theme", "dark")
	q.Set("template", "Default")
	pdf, err := c.GetPDF(ctx, ID(160), q)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
	got := requestsTo(srv, "GET", "/api/v1/ws/1/reports/160/pdf")
	require.Len(t, got, 1)
	want, _ := q.Encode()
	assert.Equal(t, want, got[0].RawQuery)

	dir := t.TempDir()
	d, err := c.GetPDFToFile(ctx, Code("invoice"), q, filepath.Join(dir, "a.pdf"))
	require.NoError(t, err)
	onDisk, err := os.ReadFile(filepath.Join(dir, "a.pdf"))
	require.NoError(t, err)
	assert.Equal(t, int64(len(onDisk)), d.Bytes)
	assert.Contains(t, d.ContentType, "application/pdf")
	assert.NotEmpty(t, d.Filename)
	assert.Equal(t, filepath.Join(dir, "a.pdf"), d.Path)

	body := map[string]any{"data": map[string]any{"items": []string{"Widget"}}, "params": map[string]any{"title": "Q1"}}
	pdf, err = c.PostPDF(ctx, ID(160), body)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
	_, hasFormat := body["format"]
	assert.False(t, hasFormat, "the caller's map is not mutated")
	var buf bytes.Buffer
	d, err = c.PostPDFTo(ctx, ID(160), body, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(buf.Len()), d.Bytes)
	_, err = c.PostPDFToFile(ctx, ID(160), body, filepath.Join(dir, "b.pdf"))
	require.NoError(t, err)
	d, err = c.GetPDFTo(ctx, ID(160), Query{}, &buf)
	require.NoError(t, err)

	// Temporary data, then a render that names it.
	td, err := c.PushTemporaryData(ctx, TemporaryDataRequest{Content: map[string]any{"invoice": "T-1"}})
	require.NoError(t, err)
	assert.NotZero(t, td.TempDataID)
	_, err = c.GetPDF(ctx, ID(160), Query{}.With("tempDataId", td.TempDataID))
	require.NoError(t, err)
	_, err = c.GetPDF(ctx, ID(160), Query{}.With("tempDataId", 987654))
	requireCode(t, err, CodeNotFound)

	// A server-side render failure keeps the server's words.
	_, err = c.PostPDF(ctx, ID(160), map[string]any{"params": map[string]any{"fakeFail": "boom"}})
	e := requireCode(t, err, CodeHTTP)
	assert.Equal(t, 500, e.Status)
	assert.Contains(t, e.ServerMessage, "boom")
	assert.NotEmpty(t, e.RequestID)
	_, err = c.PostPDF(ctx, ID(160), map[string]any{"theme": "no-such-theme"})
	e = requireCode(t, err, CodeHTTP)
	assert.Equal(t, 400, e.Status)
	assert.NotEmpty(t, e.ServerMessage)
}

func TestFakeExports(t *testing.T) {
	_, c := newFake(t, cxfake.WithExportDelay(50*time.Millisecond))
	ctx := ctxT(t)
	start, err := c.StartReportExport(ctx, ID(160), map[string]any{"params": map[string]any{"a": 1}})
	require.NoError(t, err)
	st, err := c.GetExportStatus(ctx, start.TemporaryFileID)
	require.NoError(t, err)
	assert.Equal(t, "InProgress", st.Status)
	_, err = c.GetExportContent(ctx, start.TemporaryFileID)
	requireCode(t, err, CodeHTTP) // 409 until completed
	var polls []Progress
	st, err = c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: 10 * time.Millisecond, Progress: func(p Progress) { polls = append(polls, p) }})
	require.NoError(t, err)
	assert.True(t, st.IsReady)
	require.NotEmpty(t, polls)
	assert.Equal(t, "waiting", polls[0].Stage)
	content, err := c.GetExportContent(ctx, start.TemporaryFileID)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(content, []byte("%PDF-")))
	var buf bytes.Buffer
	_, err = c.GetExportContentTo(ctx, start.TemporaryFileID, &buf)
	require.NoError(t, err)
	assert.Equal(t, content, buf.Bytes())
	path := filepath.Join(t.TempDir(), "e.pdf")
	_, err = c.GetExportContentToFile(ctx, start.TemporaryFileID, path)
	require.NoError(t, err)

	// Other formats come back with their own content type.
	start, err = c.StartReportExport(ctx, ID(160), map[string]any{"format": "docx"})
	require.NoError(t, err)
	_, err = c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	d, err := c.GetExportContentTo(ctx, start.TemporaryFileID, &buf)
	require.NoError(t, err)
	assert.NotContains(t, d.ContentType, "pdf")

	// A failed export carries the server's errorMessage.
	start, err = c.StartReportExport(ctx, ID(160), map[string]any{"params": map[string]any{"fakeFail": "no data for Q3"}})
	require.NoError(t, err)
	_, err = c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: 10 * time.Millisecond})
	e := requireCode(t, err, CodeExportFailed)
	assert.Equal(t, "no data for Q3", e.ServerMessage)
	assert.Contains(t, e.Message, "no data for Q3")
}

func TestFakeExportToFileWithProgress(t *testing.T) {
	_, c := newFake(t, cxfake.WithExportDelay(30*time.Millisecond))
	path := filepath.Join(t.TempDir(), "big.pdf")
	var stages []string
	var last Progress
	d, err := c.ExportToFile(ctxT(t), ID(160), map[string]any{"params": map[string]any{"fakeSizeBytes": 3 << 20}}, path,
		WaitOptions{PollInterval: 5 * time.Millisecond, Progress: func(p Progress) {
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
			last = p
		}})
	require.NoError(t, err)
	assert.Equal(t, []string{"waiting", "downloading", "done"}, stages)
	assert.Equal(t, d.Bytes, last.BytesDone)
	assert.GreaterOrEqual(t, d.Bytes, int64(3<<20))
	assert.NotEmpty(t, d.TemporaryFileID)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, d.Bytes, fi.Size())
}

func TestFakeWaitDeadlineAndCancel(t *testing.T) {
	_, c := newFake(t, cxfake.WithExportDelay(time.Hour))
	ctx := ctxT(t)
	start, err := c.StartReportExport(ctx, ID(160), nil)
	require.NoError(t, err)
	_, err = c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: 5 * time.Millisecond, Timeout: 60 * time.Millisecond})
	e := requireCode(t, err, CodeTimeout)
	assert.Contains(t, e.Message, "InProgress")

	cctx, cancel := context.WithCancel(ctx)
	polls := 0
	_, err = c.WaitForExport(cctx, start.TemporaryFileID, WaitOptions{PollInterval: 5 * time.Millisecond, Progress: func(Progress) {
		if polls++; polls == 3 {
			cancel()
		}
	}})
	requireCode(t, err, CodeCanceled)
	assert.ErrorIs(t, err, context.Canceled)

	path := filepath.Join(t.TempDir(), "x.pdf")
	_, err = c.ExportToFile(ctx, ID(160), nil, path, WaitOptions{PollInterval: 5 * time.Millisecond, Timeout: 40 * time.Millisecond})
	requireCode(t, err, CodeTimeout)
	_, statErr := os.Stat(path)
	assert.True(t, os.IsNotExist(statErr))
}

func TestFakeJobsAndDeliverOnce(t *testing.T) {
	srv, c := newFake(t, cxfake.WithJobDelay(20*time.Millisecond))
	ctx := ctxT(t)
	run, err := c.StartJobRun(ctx, Code("monthly"), map[string]any{"params": map[string]any{}, "data": map[string]any{}})
	require.NoError(t, err)
	st, err := c.WaitForJobRun(ctx, Code("monthly"), run.JobRunID, WaitOptions{PollInterval: 5 * time.Millisecond})
	require.NoError(t, err)
	assert.True(t, st.Finished)
	review, err := c.GetRunReviewDocument(ctx, ID(42), run.JobRunID)
	require.NoError(t, err)
	_, err = c.WaitForExport(ctx, review.TemporaryFileID, WaitOptions{PollInterval: 5 * time.Millisecond})
	require.NoError(t, err)
	doc, err := c.GetExportContent(ctx, review.TemporaryFileID)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(doc, []byte("%PDF-")))
	require.NoError(t, c.DeliverJobRunEntries(ctx, ID(42), run.JobRunID))
	assert.Equal(t, 1, srv.DeliveriesOf(run.JobRunID.String()))

	// A deliver that fails with 503 or a dropped answer is sent exactly once.
	deliver := "/api/v1/ws/1/jobs/42/runs/" + run.JobRunID.String() + "/deliver"
	srv.Inject("POST", deliver, cxfake.Fault{Status: 503, RetryAfter: "0"})
	err = c.DeliverJobRunEntries(ctx, ID(42), run.JobRunID)
	requireCode(t, err, CodeHTTP)
	assert.Len(t, requestsTo(srv, "POST", deliver), 2)
	srv.Inject("POST", deliver, cxfake.Fault{DropMidBody: true})
	err = c.DeliverJobRunEntries(ctx, ID(42), run.JobRunID)
	require.Error(t, err)
	requireNoToken(t, err.(*Error))
	assert.Len(t, requestsTo(srv, "POST", deliver), 3)
	assert.Equal(t, 2, srv.DeliveriesOf(run.JobRunID.String()), "the dropped one reached the handler once")

	starts := srv.JobRunStarts()
	srv.Inject("POST", "/api/v1/ws/1/jobs/43/runs", cxfake.Fault{Status: 502})
	_, err = c.StartJobRun(ctx, ID(43), nil)
	requireCode(t, err, CodeHTTP)
	assert.Len(t, requestsTo(srv, "POST", "/api/v1/ws/1/jobs/43/runs"), 1)
	srv.Inject("POST", "/api/v1/ws/1/jobs/43/runs", cxfake.Fault{Latency: 200 * time.Millisecond})
	short, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = 40 * time.Millisecond })
	_, err = short.StartJobRun(ctx, ID(43), nil)
	requireCode(t, err, CodeTimeout)
	assert.Len(t, requestsTo(srv, "POST", "/api/v1/ws/1/jobs/43/runs"), 2, "a timed-out start is not re-sent")
	assert.Equal(t, starts, srv.JobRunStarts())
}

func TestFakePreview(t *testing.T) {
	_, c := newFake(t)
	ctx := ctxT(t)
	var q Query
	q.Set("params", map[string]any{"title": "x"})
	u1, err := c.GetPreviewURL(ctx, ID(160), q)
	require.NoError(t, err)
	u2, err := c.GetPreviewURL(ctx, ID(160), q)
	require.NoError(t, err)
	assert.NotEqual(t, u1, u2, "a fresh nonce per URL")
	assert.True(t, strings.HasPrefix(u1, c.base+"/ws/1/reports/160/preview?params="), u1)
	assert.NotContains(t, u1, testToken)
	assert.Equal(t, 1, q.Len(), "the caller's query is unchanged")

	resp, err := http.Get(u1)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, cxfake.SessionCookie, resp.Cookies()[0].Name)
	resp, err = http.Get(u1)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode, "the nonce is single use")

	u3, err := c.GetPreviewURLWithData(ctx, Code("invoice"), map[string]any{"k": "v"}, Query{}, InWorkspace(ID(26)))
	require.NoError(t, err)
	assert.Contains(t, u3, "/ws/26/reports/invoice/preview?tempDataId=")
	resp, err = http.Get(u3)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	_, err = c.GetPreviewURL(ctx, ID(160), Query{}.With("params", "x"))
	requireCode(t, err, CodeInvalidInput)
}

func TestFakeFaults(t *testing.T) {
	srv, c := newFake(t)
	ctx := ctxT(t)
	pdfPath := "/api/v1/ws/1/reports/160/pdf"
	dir := t.TempDir()
	target := filepath.Join(dir, "keep.pdf")
	require.NoError(t, os.WriteFile(target, []byte("old content"), 0o644))

	// Statuses then success: retried.
	srv.Inject("GET", "/api/v1/workspaces", cxfake.Fault{Status: 503, RetryAfter: "0"}, cxfake.Fault{Status: 429, RetryAfter: time.Now().UTC().Format(http.TimeFormat)}, cxfake.Fault{Status: 502})
	_, err := c.GetWorkspaces(ctx)
	require.NoError(t, err)
	assert.Len(t, requestsTo(srv, "GET", "/api/v1/workspaces"), 4)

	failures := []struct {
		name  string
		fault cxfake.Fault
		code  string
	}{
		{"drop mid body", cxfake.Fault{DropMidBody: true}, CodeConnection},
		{"truncate", cxfake.Fault{Truncate: true}, CodeConnection},
		{"html login", cxfake.Fault{HTMLLogin: true}, CodeUnauthenticated},
		{"wrong content type", cxfake.Fault{ContentType: "text/plain"}, CodeInvalidResponse},
		{"not a pdf", cxfake.Fault{Body: "hello", ContentType: "application/pdf"}, CodeInvalidResponse},
		{"error body", cxfake.Fault{Status: 400, Body: `{"error": "bad theme"}`}, CodeHTTP},
		{"forbidden", cxfake.Fault{Status: 403}, CodeUnauthenticated},
	}
	for _, f := range failures {
		if f.code == CodeConnection {
			srv.Inject("GET", pdfPath, everyTry(f.fault)...)
		} else {
			srv.Inject("GET", pdfPath, f.fault)
		}
		_, err := c.GetPDFToFile(ctx, ID(160), Query{}, target)
		e := requireCode(t, err, f.code)
		if f.fault.Status == 400 {
			assert.Equal(t, "bad theme", e.ServerMessage)
		}
		if f.name == "wrong content type" {
			assert.True(t, strings.HasPrefix(e.Message, "Invalid content type, expected PDF"), e.Message)
		}
		old, err := os.ReadFile(target)
		require.NoError(t, err)
		assert.Equal(t, "old content", string(old), f.name)
		entries, _ := os.ReadDir(dir)
		assert.Len(t, entries, 1, "%s left a temporary file", f.name)
	}
	// The same faults against the bytes and writer forms.
	srv.Inject("GET", pdfPath, everyTry(cxfake.Fault{DropMidBody: true})...)
	_, err = c.GetPDF(ctx, ID(160), Query{})
	requireCode(t, err, CodeConnection)
	srv.Inject("GET", "/api/v1/ws/1/themes", cxfake.Fault{MalformedJSON: true})
	_, err = c.GetThemes(ctx)
	requireCode(t, err, CodeInvalidResponse)
	srv.Inject("GET", "/api/v1/ws/1/themes", cxfake.Fault{HTMLLogin: true})
	_, err = c.GetThemes(ctx)
	requireCode(t, err, CodeUnauthenticated)
	srv.Inject("GET", "/api/v1/ws/1/themes", cxfake.Fault{Latency: 300 * time.Millisecond})
	short, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = 30 * time.Millisecond; cfg.Retry.MaxRetries = -1 })
	_, err = short.GetThemes(ctx)
	requireCode(t, err, CodeTimeout)

	// Success replaces the old file.
	_, err = c.GetPDFToFile(ctx, ID(160), Query{}, target)
	require.NoError(t, err)
	now, _ := os.ReadFile(target)
	assert.True(t, bytes.HasPrefix(now, []byte("%PDF-")))

	// Cancelling during a large download leaves nothing behind.
	fresh := filepath.Join(dir, "fresh.pdf")
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for cctx.Err() == nil {
			parts, _ := filepath.Glob(filepath.Join(dir, ".fresh.pdf.*.part"))
			if len(parts) > 0 {
				if fi, err := os.Stat(parts[0]); err == nil && fi.Size() > 1<<20 {
					cancel()
					return
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	_, err = c.PostPDFToFile(cctx, ID(160), map[string]any{"params": map[string]any{"fakeSizeBytes": int64(8) << 30}}, fresh)
	requireCode(t, err, CodeCanceled)
	entries, _ := os.ReadDir(dir)
	require.Len(t, entries, 1)
	assert.Equal(t, "keep.pdf", entries[0].Name())
}
