package core

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	require.NoError(t, os.WriteFile(junk, []byte("not a certificate"), 0o600))
	cases := map[string]Config{
		"empty url":   {Token: testToken},
		"no scheme":   {BaseURL: "tenant.example", Token: testToken},
		"ftp":         {BaseURL: "ftp://tenant.example", Token: testToken},
		"no host":     {BaseURL: "https://", Token: testToken},
		"user info":   {BaseURL: "https://u:p@tenant.example", Token: testToken},
		"query":       {BaseURL: "https://tenant.example/?a=1", Token: testToken},
		"no token":    {BaseURL: "https://tenant.example"},
		"blank token": {BaseURL: "https://tenant.example", Token: "  "},
		"newline":     {BaseURL: "https://tenant.example", Token: testToken + "\n"},
		"ca missing":  {BaseURL: "https://tenant.example", Token: testToken, CABundleFile: filepath.Join(dir, "nope.pem")},
		"ca junk":     {BaseURL: "https://tenant.example", Token: testToken, CABundleFile: junk},
		"pem junk":    {BaseURL: "https://tenant.example", Token: testToken, CABundlePEM: []byte("junk")},
		"neg backoff": {BaseURL: "https://tenant.example", Token: testToken, Retry: RetryPolicy{MinBackoff: -1}},
	}
	for name, cfg := range cases {
		c, err := New(cfg)
		assert.Nil(t, c, name)
		e := requireCode(t, err, CodeInvalidConfig)
		assert.True(t, strings.HasPrefix(e.Message, "Invalid config: "), name)
	}
	c, err := New(Config{BaseURL: "  https://tenant.example/cx/  ", Token: testToken})
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "https://tenant.example/cx", c.base)
}

func TestWireHeadersPathsAndBodies(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"temporaryFileId": 5, "jobRunId": 9, "tempDataId": 4, "expiryDate": "x"}`)
	})
	c, _ := newTestClient(t, rec.URL+"/", func(cfg *Config) { cfg.UserAgentSuffix = "python-binding/1.0" })
	ctx := ctxT(t)

	body := json.RawMessage(`{"params": {"b": "ü", "a": 1}, "data": {"z": [1, 2]}}`)
	orig := string(body)
	_, err := c.StartReportExport(ctx, Code("sales team#1?"), body, InWorkspace(Code("a b")))
	require.NoError(t, err)
	assert.Equal(t, orig, string(body), "the caller's body must not change")
	r, b := rec.req(0)
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, "/api/v1/ws/a%20b/reports/sales%20team%231%3F/export", r.URL.EscapedPath())
	// Python: requests.post(json={"params": {"b": "ü", "a": 1}, "data": {"z": [1, 2]}, "format": "pdf"})
	assert.Equal(t, `{"params": {"b": "\u00fc", "a": 1}, "data": {"z": [1, 2]}, "format": "pdf"}`, b)
	assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "cxreports-go/"+Version+" python-binding/1.0", r.Header.Get("User-Agent"))

	m := map[string]any{"format": "docx"}
	_, err = c.StartReportExport(ctx, ID(0), m, InWorkspace(ID(0)))
	require.NoError(t, err)
	_, b = rec.req(1)
	assert.Equal(t, `{"format": "docx"}`, b)
	assert.Equal(t, map[string]any{"format": "docx"}, m)

	_, err = c.StartJobRun(ctx, ID(42), nil)
	require.NoError(t, err)
	r, b = rec.req(2)
	assert.Equal(t, "/api/v1/ws/1/jobs/42/runs", r.URL.Path)
	assert.Equal(t, `{}`, b)

	_, err = c.PushTemporaryData(ctx, TemporaryDataRequest{Content: json.RawMessage(`{"k": "v"}`), ExpiryDate: "2030-01-01T00:00:00Z"})
	require.NoError(t, err)
	r, b = rec.req(3)
	assert.Equal(t, "/api/v1/ws/1/temporary-data", r.URL.Path)
	assert.Equal(t, `{"content": {"k": "v"}, "expiryDate": "2030-01-01T00:00:00Z"}`, b)

	_, err = c.CreateAuthToken(ctx)
	require.NoError(t, err)
	r, b = rec.req(4)
	assert.Equal(t, "/api/v1/nonce-tokens", r.URL.Path)
	assert.Equal(t, "", b)
	assert.Equal(t, "", r.Header.Get("Content-Type"))

	require.NoError(t, c.DeliverJobRunEntries(ctx, Code("monthly"), ID(7)))
	r, _ = rec.req(5)
	assert.Equal(t, "/api/v1/ws/1/jobs/monthly/runs/7/deliver", r.URL.Path)

	off, lim := 0, 10
	_, err = c.GetReports(ctx, ReportsFilter{Type: "in voice", Offset: &off, Limit: &lim})
	require.Error(t, err) // the recorder answers an object, not a list
	r, _ = rec.req(6)
	assert.Equal(t, "type=in+voice&offset=0&limit=10", r.URL.RawQuery)
}

func TestDefaultTimezoneAndEmptyQuery(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.4 fake")
	})
	c, _ := newTestClient(t, rec.URL)
	ctx := ctxT(t)
	_, err := c.GetPDF(ctx, ID(160), Query{})
	require.NoError(t, err)
	r, _ := rec.req(0)
	assert.Equal(t, "/api/v1/ws/1/reports/160/pdf?", r.RequestURI, "like the official client, '?' is always sent")

	tz, _ := newTestClient(t, rec.URL, func(cfg *Config) { cfg.DefaultTimezone = "Europe/Paris" })
	_, err = tz.GetPDF(ctx, ID(160), Query{})
	require.NoError(t, err)
	r, _ = rec.req(1)
	assert.Equal(t, "timezone=Europe%2FParis", r.URL.RawQuery)
	_, err = tz.PostPDF(ctx, ID(160), map[string]any{"timezone": "UTC"})
	require.NoError(t, err)
	_, b := rec.req(2)
	assert.Equal(t, `{"timezone": "UTC", "format": "pdf"}`, b)
	_, err = tz.PostPDF(ctx, ID(160), nil)
	require.NoError(t, err)
	_, b = rec.req(3)
	assert.Equal(t, `{"timezone": "Europe/Paris", "format": "pdf"}`, b)
}

func TestRetriesStatusesAndRetryAfterForms(t *testing.T) {
	date := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(503)
		case 2:
			w.Header().Set("Retry-After", date)
			w.WriteHeader(429)
		case 3:
			w.WriteHeader(502)
		case 4:
			w.WriteHeader(408)
		case 5:
			w.WriteHeader(504)
		default:
			io.WriteString(w, `[{"id": 1, "code": "main"}]`)
		}
	})
	c, sink := newTestClient(t, rec.URL, func(cfg *Config) {
		cfg.Retry.MaxRetries = 5
		cfg.Retry.MaxRetryAfter = 70 * time.Millisecond
	})
	ws, err := c.GetWorkspaces(ctxT(t))
	require.NoError(t, err)
	require.Len(t, ws, 1)
	assert.Equal(t, 6, rec.count())
	logs := sink.text()
	// retryablehttp logs the wait it chose: 0s from "Retry-After: 0", and the
	// HTTP-date an hour ahead capped by MaxRetryAfter.
	assert.Contains(t, logs, "(status: 503) timeout=0s")
	assert.Contains(t, logs, "(status: 429) timeout=70ms")
	assert.Contains(t, logs, "-> 503 Service Unavailable (attempt 1)")
	assert.Contains(t, logs, "attempt 6")
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	d, ok := parseRetryAfter("7", now)
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, d)
	d, ok = parseRetryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now)
	assert.True(t, ok)
	assert.Equal(t, 90*time.Second, d)
	d, ok = parseRetryAfter(now.Add(-time.Hour).Format(http.TimeFormat), now)
	assert.True(t, ok)
	assert.Equal(t, time.Duration(0), d)
	for _, bad := range []string{"", "soon", "-3"} {
		_, ok = parseRetryAfter(bad, now)
		assert.False(t, ok, bad)
	}
	b := backoff(2 * time.Second)
	h := http.Header{"Retry-After": []string{"3600"}}
	assert.Equal(t, 2*time.Second, b(time.Millisecond, time.Second, 0, &http.Response{Header: h}), "capped by MaxRetryAfter")
	for i := 0; i < 50; i++ {
		assert.LessOrEqual(t, b(10*time.Millisecond, 40*time.Millisecond, 10, nil), 40*time.Millisecond)
		assert.LessOrEqual(t, b(10*time.Millisecond, 40*time.Millisecond, 0, nil), 10*time.Millisecond)
	}
}

func TestRetriesExhaustedKeepStatusAndServerMessage(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("X-Request-Id", "req-77")
		w.WriteHeader(503)
		io.WriteString(w, `{"type": "about:blank", "title": "Unavailable", "status": 503, "detail": "maintenance until 5"}`)
	})
	c, _ := newTestClient(t, rec.URL, func(cfg *Config) { cfg.Retry.MaxRetries = 2 })
	_, err := c.GetThemes(ctxT(t))
	e := requireCode(t, err, CodeHTTP)
	assert.Equal(t, 3, rec.count())
	assert.Equal(t, 503, e.Status)
	assert.Equal(t, "maintenance until 5", e.ServerMessage)
	assert.Equal(t, "req-77", e.RequestID)
	assert.True(t, e.Retryable)
	assert.True(t, strings.HasPrefix(e.Message, "HTTP error occurred: 503 Server Error: Service Unavailable for url: "+rec.URL+"/api/v1/ws/1/themes"), e.Message)
	assert.Contains(t, e.Message, "after 3 attempts")
	assert.Contains(t, e.Message, "req-77")

	never, _ := newTestClient(t, rec.URL, func(cfg *Config) { cfg.Retry.MaxRetries = -1 })
	_, err = never.GetThemes(ctxT(t))
	requireCode(t, err, CodeHTTP)
	assert.Equal(t, 4, rec.count())
}

func TestErrorStatusesAndBodies(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/ws/1/themes":
			w.WriteHeader(401)
			io.WriteString(w, `{"error": "token `+testToken+` is not valid"}`)
		case "/api/v1/ws/1/templates":
			w.WriteHeader(404)
			io.WriteString(w, `{"error": "workspace not found"}`)
		case "/api/v1/ws/1/jobs":
			w.WriteHeader(400)
			io.WriteString(w, "plain words")
		case "/api/v1/ws/1/report-types":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>login</html>")
		default:
			io.WriteString(w, `[{"id": 1,`)
		}
	})
	c, _ := newTestClient(t, rec.URL)
	ctx := ctxT(t)
	_, err := c.GetThemes(ctx)
	e := requireCode(t, err, CodeUnauthenticated)
	assert.True(t, strings.HasPrefix(e.Message, "Unauthenticated."))
	assert.Contains(t, e.ServerMessage, "[REDACTED]")
	_, err = c.GetTemplates(ctx)
	e = requireCode(t, err, CodeNotFound)
	assert.True(t, strings.HasPrefix(e.Message, "HTTP error occurred: 404 Client Error: Not Found for url: "+rec.URL+"/api/v1/ws/1/templates"))
	assert.Equal(t, "workspace not found", e.ServerMessage)
	_, err = c.GetJobs(ctx)
	e = requireCode(t, err, CodeHTTP)
	assert.Equal(t, 400, e.Status)
	assert.Equal(t, "plain words", e.ServerMessage)
	assert.False(t, e.Retryable)
	_, err = c.GetReportTypes(ctx)
	requireCode(t, err, CodeUnauthenticated)
	_, err = c.GetWorkspaces(ctx)
	e = requireCode(t, err, CodeInvalidResponse)
	assert.Equal(t, 200, e.Status)
}

func TestConnectionErrorsAreRetriedThenReported(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c, sink := newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.Retry.MaxRetries = 2 })
	_, err = c.GetWorkspaces(ctxT(t))
	e := requireCode(t, err, CodeConnection)
	assert.True(t, strings.HasPrefix(e.Message, "Connection error occurred: "), e.Message)
	assert.Contains(t, e.Message, "after 3 attempts")
	assert.Contains(t, sink.text(), "attempt 3")

	// A job start may be retried only when the dial failed: nothing was sent.
	_, err = c.StartJobRun(ctxT(t), ID(42), nil)
	requireCode(t, err, CodeConnection)
}

func TestJobStartAndDeliverAreNeverResent(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
	})
	c, _ := newTestClient(t, rec.URL)
	_, err := c.StartJobRun(ctxT(t), ID(42), nil)
	requireCode(t, err, CodeHTTP)
	assert.Equal(t, 1, rec.count())
	err = c.DeliverJobRunEntries(ctxT(t), ID(42), ID(1))
	requireCode(t, err, CodeHTTP)
	assert.Equal(t, 2, rec.count())

	// A connection cut after the request was sent is not retried either.
	cut := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	c2, _ := newTestClient(t, cut.URL)
	err = c2.DeliverJobRunEntries(ctxT(t), ID(42), ID(1))
	requireCode(t, err, CodeConnection)
	assert.Equal(t, 1, cut.count())
	_, err = c2.GetWorkspaces(ctxT(t))
	requireCode(t, err, CodeConnection)
	assert.Equal(t, 5, cut.count(), "an idempotent call is retried")
}

func TestCancelDuringRetrySleep(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(503)
	})
	c, _ := newTestClient(t, rec.URL)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for rec.count() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	_, err := c.GetWorkspaces(ctx)
	requireCode(t, err, CodeCanceled)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, rec.count())

	dctx, dcancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer dcancel()
	_, err = c.GetWorkspaces(dctx)
	requireCode(t, err, CodeTimeout)
}

func TestCloseCancelsInFlightCalls(t *testing.T) {
	rec := newSilentRecorder(t)
	c, _ := newTestClient(t, rec.URL)
	done := make(chan error, 1)
	go func() { _, err := c.GetWorkspaces(context.Background()); done <- err }()
	for rec.count() == 0 {
		time.Sleep(time.Millisecond)
	}
	c.Close()
	requireCode(t, <-done, CodeCanceled)
	_, err := c.GetWorkspaces(context.Background())
	requireCode(t, err, CodeCanceled)
}

func TestPerAttemptTimeout(t *testing.T) {
	rec := newSilentRecorder(t)
	c, _ := newTestClient(t, rec.URL, func(cfg *Config) {
		cfg.Timeout = 30 * time.Millisecond
		cfg.Retry.MaxRetries = 1
	})
	_, err := c.GetWorkspaces(ctxT(t))
	e := requireCode(t, err, CodeTimeout)
	assert.True(t, strings.HasPrefix(e.Message, "Timeout occurred: "), e.Message)
	assert.Equal(t, 2, rec.count())
}

func TestStalledBodyTimesOut(t *testing.T) {
	release := make(chan struct{})
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "%PDF-1.4 ")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c, _ := newTestClient(t, rec.URL, func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond })
	path := filepath.Join(t.TempDir(), "r.pdf")
	_, err := c.GetPDFToFile(ctxT(t), ID(160), Query{}, path)
	requireCode(t, err, CodeTimeout)
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Empty(t, entries)
}

func TestRedirectToAnotherHostDropsAuthorization(t *testing.T) {
	other := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `[]`)
	})
	same := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/workspaces" {
			http.Redirect(w, r, other.URL+"/elsewhere", http.StatusFound)
			return
		}
		if r.URL.Path == "/api/v1/ws/1/themes" {
			http.Redirect(w, r, "/moved/themes", http.StatusFound)
			return
		}
		io.WriteString(w, `[]`)
	})
	c, _ := newTestClient(t, same.URL)
	_, err := c.GetWorkspaces(ctxT(t))
	require.NoError(t, err)
	r, _ := other.req(0)
	assert.Equal(t, "", r.Header.Get("Authorization"))
	_, err = c.GetThemes(ctxT(t))
	require.NoError(t, err)
	r, _ = same.req(2)
	assert.Equal(t, "/moved/themes", r.URL.Path)
	assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"), "same host keeps it")
}

func TestInvalidInputNeverReachesTheServer(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {})
	c, _ := newTestClient(t, rec.URL)
	ctx := ctxT(t)
	_, err := c.GetPDF(ctx, Ref{}, Query{})
	requireCode(t, err, CodeInvalidInput)
	_, err = c.GetPDF(ctx, Code(""), Query{})
	requireCode(t, err, CodeInvalidInput)
	_, err = c.GetReportPages(ctx, Code(".."))
	requireCode(t, err, CodeInvalidInput)
	_, err = c.PostPDF(ctx, ID(1), []int{1})
	requireCode(t, err, CodeInvalidInput)
	_, err = c.PostPDF(ctx, ID(1), json.RawMessage(`{"a":`))
	requireCode(t, err, CodeInvalidInput)
	_, err = c.StartJobRun(ctx, ID(1), "x")
	requireCode(t, err, CodeInvalidInput)
	_, err = c.PushTemporaryData(ctx, TemporaryDataRequest{})
	requireCode(t, err, CodeInvalidInput)
	_, err = c.GetPDFToFile(ctx, ID(1), Query{}, "")
	requireCode(t, err, CodeInvalidInput)
	_, err = c.GetPDFTo(ctx, ID(1), Query{}, nil)
	requireCode(t, err, CodeInvalidInput)
	_, err = c.WaitForExport(ctx, ID(1), WaitOptions{Timeout: -1})
	requireCode(t, err, CodeInvalidInput)
	noWS, _ := newTestClient(t, rec.URL, func(cfg *Config) { cfg.DefaultWorkspace = Ref{} })
	_, err = noWS.GetThemes(ctx)
	requireCode(t, err, CodeInvalidInput)
	_, err = noWS.GetThemes(ctx, InWorkspace(Ref{}))
	requireCode(t, err, CodeInvalidInput)
	assert.Equal(t, 0, rec.count())
}

func TestPDFURL(t *testing.T) {
	c, _ := newTestClient(t, "https://tenant.example/")
	var q Query
	q.Set("params", map[string]any{"a": 1})
	q.Set("theme", "dark")
	u, err := c.PDFURL(Code("in voice"), q, InWorkspace(ID(0)))
	require.NoError(t, err)
	assert.Equal(t, "https://tenant.example/api/v1/ws/0/reports/in%20voice/pdf?params=eyJhIjogMX0%3D&theme=dark", u)
	assert.NotContains(t, u, testToken)
}
