package core

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangupServer answers GETs normally and, for every POST, reads the whole request
// and closes the connection without a word: the case where a client on a reused
// keep-alive connection cannot tell whether the server acted. Over HTTP/2 the
// stream is reset instead. It counts the POSTs that arrived, per path.
type hangupServer struct {
	*httptest.Server
	mu     sync.Mutex
	posts  map[string]int
	protos map[int]bool // HTTP major versions seen
}

func newHangupServer(t *testing.T, tls bool) *hangupServer {
	h := &hangupServer{posts: map[string]int{}, protos: map[int]bool{}}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.protos[r.ProtoMajor] = true
		h.mu.Unlock()
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/pdf") {
			w.Header().Set("Content-Type", "application/pdf")
			io.WriteString(w, "%PDF-1.7")
			return
		}
		if r.Method == http.MethodGet {
			io.WriteString(w, `[]`)
			return
		}
		io.Copy(io.Discard, r.Body)
		h.mu.Lock()
		h.posts[r.URL.Path]++
		h.mu.Unlock()
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // HTTP/2: reset the stream
	})
	h.Server = httptest.NewUnstartedServer(handler)
	if tls {
		h.EnableHTTP2 = true
		h.StartTLS()
	} else {
		h.Start()
	}
	t.Cleanup(h.Close)
	return h
}

func (h *hangupServer) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.posts[path]
}

// Every POST of the API reaches the server exactly once when the server reads it on
// a reused connection and hangs up, and the caller gets "connection"; over HTTP/1.1
// and over HTTP/2.
func TestPostIsNeverSentTwice(t *testing.T) {
	posts := []struct {
		name, path string
		call       func(ctx context.Context, c *Client) error
	}{
		{"start_job_run", "/api/v1/ws/1/jobs/42/runs", func(ctx context.Context, c *Client) error {
			_, err := c.StartJobRun(ctx, ID(42), nil)
			return err
		}},
		{"deliver_job_run_entries", "/api/v1/ws/1/jobs/42/runs/7/deliver", func(ctx context.Context, c *Client) error {
			return c.DeliverJobRunEntries(ctx, ID(42), ID(7))
		}},
		{"start_report_export", "/api/v1/ws/1/reports/160/export", func(ctx context.Context, c *Client) error {
			_, err := c.StartReportExport(ctx, ID(160), nil)
			return err
		}},
		{"push_temporary_data", "/api/v1/ws/1/temporary-data", func(ctx context.Context, c *Client) error {
			_, err := c.PushTemporaryData(ctx, TemporaryDataRequest{Content: map[string]any{"a": 1}})
			return err
		}},
		{"create_auth_token", "/api/v1/nonce-tokens", func(ctx context.Context, c *Client) error {
			_, err := c.CreateAuthToken(ctx)
			return err
		}},
		{"post_pdf", "/api/v1/ws/1/reports/160/pdf", func(ctx context.Context, c *Client) error {
			_, err := c.PostPDF(ctx, ID(160), nil)
			return err
		}},
		{"save_post_pdf", "/api/v1/ws/1/reports/161/pdf", func(ctx context.Context, c *Client) error {
			_, err := c.PostPDFToFile(ctx, ID(161), nil, filepath.Join(t.TempDir(), "x.pdf"))
			return err
		}},
		{"get_run_review_document", "/api/v1/ws/1/jobs/42/runs/7/generate-review-document", func(ctx context.Context, c *Client) error {
			_, err := c.GetRunReviewDocument(ctx, ID(42), ID(7))
			return err
		}},
	}
	for _, proto := range []string{"http1", "http2"} {
		t.Run(proto, func(t *testing.T) {
			srv := newHangupServer(t, proto == "http2")
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) {
				if proto == "http2" {
					cfg.CABundlePEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
				}
			})
			for _, p := range posts {
				ctx := ctxT(t)
				// Leave a keep-alive connection to reuse: downloads have their own.
				var err error
				if strings.Contains(p.name, "pdf") {
					_, err = c.GetPDF(ctx, ID(160), Query{})
				} else {
					_, err = c.GetWorkspaces(ctx)
				}
				require.NoError(t, err)
				err = p.call(ctx, c)
				e := requireCode(t, err, CodeConnection)
				requireNoToken(t, e)
				assert.Equal(t, 1, srv.count(p.path), "%s reached the server %d times", p.name, srv.count(p.path))
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			want := map[int]bool{1: true} // downloads are HTTP/1.1 (see newTransport)
			if proto == "http2" {
				want[2] = true
			}
			assert.Equal(t, want, srv.protos)
		})
	}
}

// A GET whose body is cut after the headers starts over, as long as nothing was
// handed to the caller: JSON answers, in-memory downloads, files (into a fresh
// temporary file), and writers that received nothing or can restart.
func TestCutGetStartsOver(t *testing.T) {
	srv, c := newFake(t)
	ctx := ctxT(t)
	pdf := "/api/v1/ws/1/reports/160/pdf"
	q := Query{}.With("params", map[string]any{"fakeSizeBytes": 1 << 20})
	want, err := c.GetPDF(ctx, ID(160), q)
	require.NoError(t, err)
	count := func(path string) int { return len(requestsTo(srv, "GET", path)) }

	for _, f := range []cxfake.Fault{{DropMidBody: true}, {Truncate: true}} {
		srv.Reset()
		srv.Inject("GET", "/api/v1/workspaces", f)
		ws, err := c.GetWorkspaces(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, ws)
		assert.Equal(t, 2, count("/api/v1/workspaces"))

		srv.Inject("GET", pdf, f, f)
		got, err := c.GetPDF(ctx, ID(160), q)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.Equal(t, 3, count(pdf))

		dir := t.TempDir()
		path := filepath.Join(dir, "r.pdf")
		srv.Inject("GET", pdf, f)
		d, err := c.GetPDFToFile(ctx, ID(160), q, path)
		require.NoError(t, err)
		assert.Equal(t, int64(len(want)), d.Bytes)
		onDisk, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, want, onDisk)
		entries, _ := os.ReadDir(dir)
		assert.Len(t, entries, 1, "a temporary file was left behind")

		var rb restartBuffer
		srv.Inject("GET", pdf, f)
		_, err = c.GetPDFTo(ctx, ID(160), q, &rb)
		require.NoError(t, err)
		assert.Equal(t, want, rb.Bytes())
		assert.Equal(t, 1, rb.restarts)
	}

	// A plain writer that already received part of the body is not written twice.
	srv.Reset()
	var plain bytes.Buffer
	srv.Inject("GET", pdf, cxfake.Fault{DropMidBody: true})
	_, err = c.GetPDFTo(ctx, ID(160), q, &plain)
	requireCode(t, err, CodeConnection)
	assert.Equal(t, 1, count(pdf))
	assert.Positive(t, plain.Len())

	// The retry policy bounds the re-sends; MaxRetries < 0 means none.
	srv.Reset()
	srv.Inject("GET", "/api/v1/workspaces", everyTry(cxfake.Fault{DropMidBody: true})...)
	_, err = c.GetWorkspaces(ctx)
	requireCode(t, err, CodeConnection)
	assert.Equal(t, 1+defaultMaxRetries, count("/api/v1/workspaces"))
	never, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxRetries = -1 })
	srv.Reset()
	srv.Inject("GET", "/api/v1/workspaces", cxfake.Fault{DropMidBody: true})
	_, err = never.GetWorkspaces(ctx)
	requireCode(t, err, CodeConnection)
	assert.Equal(t, 1, count("/api/v1/workspaces"))

	// A POST cut after its headers is not sent again.
	srv.Reset()
	srv.Inject("POST", pdf, cxfake.Fault{DropMidBody: true})
	_, err = c.PostPDF(ctx, ID(160), nil)
	requireCode(t, err, CodeConnection)
	assert.Len(t, requestsTo(srv, "POST", pdf), 1)
}

// restartBuffer is a Restarter: a cut download starts over into it.
type restartBuffer struct {
	bytes.Buffer
	restarts int
}

func (b *restartBuffer) Restart() { b.Reset(); b.restarts++ }
