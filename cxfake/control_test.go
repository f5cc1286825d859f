package cxfake

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctl calls the control API without a token, as a test in another language would.
func ctl(t *testing.T, srv *Server, method, path, body string) (int, []byte) {
	t.Helper()
	r := doToken(t, srv, method, path, body, "")
	return r.StatusCode, r.body
}

func TestControlAPI(t *testing.T) {
	srv := newTestServer(t)
	code, b := ctl(t, srv, "POST", "/_fake/faults", `{"method":"GET","path":"/api/v1/workspaces","faults":[
		{"status":503,"retry_after":"2"},
		{"latency_ms":1,"content_type":"text/plain"},
		{"html_login":true},{"malformed_json":true},{"truncate":true},{"drop_mid_body":true},{"body":"{}","status":500}]}`)
	require.Equal(t, http.StatusOK, code, string(b))
	assert.JSONEq(t, `{"ok":true,"queued":7}`, string(b))

	r := do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 503, r.StatusCode)
	assert.Equal(t, "2", r.Header.Get("Retry-After"))
	r = do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, "text/plain", r.Header.Get("Content-Type"))
	r = do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Contains(t, string(r.body), "Sign in")
	r = do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.False(t, json.Valid(r.body))
	_, err := io.ReadAll(send(t, srv, "GET", "/api/v1/workspaces", "").Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = io.ReadAll(send(t, srv, "GET", "/api/v1/workspaces", "").Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	r = do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 500, r.StatusCode)
	assert.Equal(t, "{}", string(r.body))

	// DELETE drops what is still queued.
	ctl(t, srv, "POST", "/_fake/faults", `{"path":"/api/v1/workspaces","faults":[{"status":500}]}`)
	code, _ = ctl(t, srv, "DELETE", "/_fake/faults", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, 200, do(t, srv, "GET", "/api/v1/workspaces", "").StatusCode)

	// Faults that close connections let the client see the end of a body before the
	// handler has returned (truncate and drop_mid_body close the socket, then the
	// handler ends), so a request can still be in flight here. Wait for the fake to
	// say none is, then start the statistics afresh for exact numbers: a handler
	// still running at the reset would count in the new peak and in_flight.
	waitIdle(t, srv)
	code, _ = ctl(t, srv, "POST", "/_fake/reset", "")
	assert.Equal(t, http.StatusOK, code)
	run := startRun(t, srv, "1", "43", "")
	do(t, srv, "POST", "/api/v1/ws/1/jobs/43/runs/"+itoa(run)+"/deliver", "")

	code, b = ctl(t, srv, "GET", "/_fake/requests", "")
	require.Equal(t, http.StatusOK, code)
	var reqs []requestJSON
	require.NoError(t, json.Unmarshal(b, &reqs))
	require.Len(t, reqs, 2)
	last := reqs[len(reqs)-1]
	assert.Equal(t, "POST", last.Method)
	assert.Equal(t, "/api/v1/ws/1/jobs/43/runs/"+itoa(run)+"/deliver", last.Path)
	assert.Equal(t, 200, last.Status)
	assert.Equal(t, []string{"Bearer " + srv.Token}, last.Header["Authorization"])

	code, b = ctl(t, srv, "GET", "/_fake/stats", "")
	require.Equal(t, http.StatusOK, code)
	var st map[string]any
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, float64(1), st["peak_concurrency"])
	assert.Equal(t, float64(0), st["in_flight"])
	assert.Equal(t, float64(2), st["requests"])
	assert.Equal(t, float64(1), st["job_run_starts"])
	assert.Equal(t, map[string]any{itoa(run): float64(1)}, st["deliveries"])

	code, _ = ctl(t, srv, "POST", "/_fake/reset", "")
	assert.Equal(t, http.StatusOK, code)
	_, b = ctl(t, srv, "GET", "/_fake/stats", "")
	assert.JSONEq(t, `{"peak_concurrency":0,"in_flight":0,"requests":0,"deliveries":{},"job_run_starts":0,"connections":0,
		"render_slots":0,"renders_in_flight":0,"peak_renders":0,"render_refusals":0}`, string(b))
}

// waitIdle waits, through the control API as a test in another language would,
// until the fake has no request in flight. The timeout only ends a hung test.
func waitIdle(t *testing.T, srv *Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, b := ctl(t, srv, "GET", "/_fake/stats", "")
		require.Equal(t, http.StatusOK, code)
		var st struct {
			InFlight int `json:"in_flight"`
		}
		require.NoError(t, json.Unmarshal(b, &st))
		if st.InFlight == 0 {
			return
		}
		require.False(t, time.Now().After(deadline), "%d requests still in flight after 10 s", st.InFlight)
		time.Sleep(time.Millisecond)
	}
}

func TestControlAPIBadInput(t *testing.T) {
	srv := newTestServer(t)
	for _, body := range []string{
		`{"path":"/api/v1/workspaces","faults":[{"statuss":503}]}`,
		`{"path":"api/v1/workspaces","faults":[]}`,
		`{"path":"/x","faults":[{"status":42}]}`,
		`{"path":"/x","faults":[{"latency_ms":-1}]}`,
		`not json`,
	} {
		code, b := ctl(t, srv, "POST", "/_fake/faults", body)
		assert.Equal(t, http.StatusBadRequest, code, body)
		assert.Contains(t, string(b), `"error"`)
	}
	code, _ := ctl(t, srv, "GET", "/_fake/nothing", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Empty(t, srv.Requests(), "control calls are not recorded")
}
