package cxfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultSequenceThenNormal(t *testing.T) {
	srv := newTestServer(t)
	date := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	srv.Inject("GET", "/api/v1/workspaces",
		Fault{Status: 503, RetryAfter: "1"},
		Fault{Status: 429, RetryAfter: date},
		Fault{}, // a normal answer inside the sequence
		Fault{Status: 502})

	r := do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 503, r.StatusCode)
	assert.Equal(t, "1", r.Header.Get("Retry-After"))
	assert.Contains(t, r.errorText(t), "503")
	assert.NotEmpty(t, r.Header.Get("X-Request-Id"))

	r = do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 429, r.StatusCode)
	assert.Equal(t, date, r.Header.Get("Retry-After"))

	assert.Equal(t, 200, do(t, srv, "GET", "/api/v1/workspaces", "").StatusCode)
	assert.Equal(t, 502, do(t, srv, "GET", "/api/v1/workspaces", "").StatusCode)
	assert.Equal(t, 200, do(t, srv, "GET", "/api/v1/workspaces", "").StatusCode)

	var statuses []int
	for _, q := range srv.Requests() {
		statuses = append(statuses, q.Status)
	}
	assert.Equal(t, []int{503, 429, 200, 502, 200}, statuses)
}

func TestFaultMatching(t *testing.T) {
	srv := newTestServer(t)
	srv.Inject("", "/api/v1/ws/sales team/reports/160/pdf", Fault{Status: 500}, Fault{Status: 501})
	srv.Inject("post", "/api/v1/ws/1/reports/160/pdf", Fault{Status: 418})
	// Other paths and methods are untouched.
	assert.Equal(t, 200, do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf", "").StatusCode)
	assert.Equal(t, 418, do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", "").StatusCode)
	// Method "" matches any method; the decoded path matches the escaped request.
	assert.Equal(t, 500, do(t, srv, "GET", "/api/v1/ws/sales%20team/reports/160/pdf", "").StatusCode)
	assert.Equal(t, 501, do(t, srv, "POST", "/api/v1/ws/sales%20team/reports/160/pdf", "").StatusCode)
	// The raw form matches too.
	srv.Inject("GET", "/api/v1/ws/sales%20team/themes", Fault{Status: 500})
	assert.Equal(t, 500, do(t, srv, "GET", "/api/v1/ws/sales%20team/themes", "").StatusCode)
}

// A status fault answers instead of the endpoint: the job is not started.
func TestStatusFaultSkipsHandler(t *testing.T) {
	srv := newTestServer(t)
	srv.Inject("POST", "/api/v1/ws/1/jobs/42/runs", Fault{Status: 503, Body: `{"title": "Service Unavailable", "detail": "maintenance"}`})
	r := do(t, srv, "POST", "/api/v1/ws/1/jobs/42/runs", "{}")
	assert.Equal(t, 503, r.StatusCode)
	assert.Equal(t, `{"title": "Service Unavailable", "detail": "maintenance"}`, string(r.body))
	assert.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	assert.Equal(t, 0, srv.JobRunStarts())

	srv.Inject("GET", "/api/v1/workspaces", Fault{Body: "plain words"})
	r = do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, "plain words", string(r.body))
	assert.Equal(t, "text/plain; charset=utf-8", r.Header.Get("Content-Type"))
}

func TestFaultWithInvalidStatus(t *testing.T) {
	srv := newTestServer(t)
	srv.Inject("GET", "/api/v1/workspaces", Fault{Status: 42})
	r := do(t, srv, "GET", "/api/v1/workspaces", "")
	r.isError(t, 500, "not an HTTP status")
}

func TestFaultHTMLLoginAndMalformedJSON(t *testing.T) {
	srv := newTestServer(t)
	srv.Inject("GET", "/api/v1/workspaces", Fault{HTMLLogin: true}, Fault{MalformedJSON: true})
	r := do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
	assert.Contains(t, string(r.body), "Sign in")

	r = do(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	assert.False(t, json.Valid(r.body))
}

func TestFaultWrongContentType(t *testing.T) {
	srv := newTestServer(t)
	srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", Fault{ContentType: "application/octet-stream"})
	r := do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf", "")
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, "application/octet-stream", r.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(string(r.body), "%PDF"))
}

// DropMidBody sends the headers and half the body, then closes the connection.
func TestFaultDropMidBody(t *testing.T) {
	srv := newTestServer(t)
	srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", Fault{DropMidBody: true})
	res := send(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf?params="+b64(`{"fakeSizeBytes": 1000000}`), "")
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, int64(1000000), res.ContentLength)
	got, err := io.Copy(io.Discard, res.Body)
	require.Error(t, err)
	assert.True(t, errors.Is(err, io.ErrUnexpectedEOF), "got %v", err)
	assert.Equal(t, int64(500000), got)

	// The endpoint did run: the delivery happened although its answer was lost.
	run := startRun(t, srv, "1", "43", "")
	srv.Inject("POST", fmt.Sprintf("/api/v1/ws/1/jobs/43/runs/%d/deliver", run), Fault{DropMidBody: true})
	res = send(t, srv, "POST", fmt.Sprintf("/api/v1/ws/1/jobs/43/runs/%d/deliver", run), "")
	_, err = io.ReadAll(res.Body)
	assert.Error(t, err)
	assert.Equal(t, 1, srv.Deliveries(run))

	// With a status fault the cut happens inside the error body.
	srv.Inject("GET", "/api/v1/workspaces", Fault{Status: 500, DropMidBody: true})
	res = send(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 500, res.StatusCode)
	_, err = io.ReadAll(res.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

// Truncate sends the whole body under a larger Content-Length.
func TestFaultTruncate(t *testing.T) {
	srv := newTestServer(t)
	full := do(t, srv, "GET", "/api/v1/workspaces", "")
	srv.Inject("GET", "/api/v1/workspaces", Fault{Truncate: true})
	res := send(t, srv, "GET", "/api/v1/workspaces", "")
	assert.Equal(t, 200, res.StatusCode)
	assert.Greater(t, res.ContentLength, int64(len(full.body)))
	b, err := io.ReadAll(res.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, full.body, b)
	// The server recovers: the next request is normal.
	assert.Equal(t, 200, do(t, srv, "GET", "/api/v1/workspaces", "").StatusCode)
}

func TestFaultLatency(t *testing.T) {
	srv := newTestServer(t)
	srv.Inject("GET", "/api/v1/workspaces", Fault{Latency: time.Millisecond, Status: 504})
	assert.Equal(t, 504, do(t, srv, "GET", "/api/v1/workspaces", "").StatusCode)

	// A client that gives up ends the wait on the server too.
	srv.Inject("GET", "/api/v1/workspaces", Fault{Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	errc := sendInBackground(ctx, srv, "GET", "/api/v1/workspaces", "")
	require.Eventually(t, func() bool { return srv.InFlight() == 1 }, 5*time.Second, 2*time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
	require.Eventually(t, func() bool { return srv.InFlight() == 0 }, 5*time.Second, 2*time.Millisecond)
	reqs := srv.Requests()
	assert.Equal(t, 0, reqs[len(reqs)-1].Status, "nobody was answered")
}

func TestRequestsRecordedAndReset(t *testing.T) {
	srv := newTestServer(t)
	doToken(t, srv, "POST", "/api/v1/ws/sales%20team/reports/160/pdf?x=1&y=%20", `{"data": 1}`, srv.Token)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	q := reqs[0]
	assert.Equal(t, "POST", q.Method)
	assert.Equal(t, "/api/v1/ws/sales team/reports/160/pdf", q.Path)
	assert.Equal(t, "x=1&y=%20", q.RawQuery)
	assert.Equal(t, "Bearer "+srv.Token, q.Header.Get("Authorization"))
	assert.Equal(t, `{"data": 1}`, string(q.Body))
	assert.Equal(t, 200, q.Status)
	assert.WithinDuration(t, time.Now(), q.Time, time.Minute)

	// The copy is the caller's own.
	reqs[0].Body[0] = 'X'
	assert.Equal(t, byte('{'), srv.Requests()[0].Body[0])

	srv.Inject("GET", "/api/v1/workspaces", Fault{Status: 500})
	srv.Reset()
	assert.Empty(t, srv.Requests())
	assert.Equal(t, 0, srv.PeakConcurrency())
	assert.Equal(t, 200, do(t, srv, "GET", "/api/v1/workspaces", "").StatusCode, "Reset drops pending faults")
	assert.Equal(t, 1, srv.PeakConcurrency())
}

// A POST on a reused keep-alive connection that the server reads and then hangs
// up on: the request is recorded once, the client gets an error and no answer,
// and a Go client does not send the POST again (one connection was ever opened).
func TestHangupAfterReadingTheRequest(t *testing.T) {
	srv := newTestServer(t)
	client := &http.Client{Transport: newTransport(t)}
	res, _ := get(t, client, srv, "/api/v1/workspaces") // opens the connection to reuse
	require.Equal(t, http.StatusOK, res.StatusCode)

	// Through the control API, on the same connection, as another language would.
	r := exchange(t, client, srv, "POST", "/_fake/faults",
		`{"method":"POST","path":"/api/v1/ws/1/temporary-data","faults":[{"hangup":true}]}`, "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	srv.Inject("POST", "/api/v1/ws/1/temporary-data", Fault{Hangup: true})
	require.Equal(t, 1, srv.Connections())

	res, err := open(context.Background(), client, srv, "POST", "/api/v1/ws/1/temporary-data", `{"content":{"a":1}}`)
	if err == nil {
		res.Body.Close()
		t.Fatalf("got an answer (%s) instead of a closed connection", res.Status)
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 2, "the GET, then the POST exactly once")
	assert.Equal(t, `{"content":{"a":1}}`, string(reqs[1].Body), "the whole body was read")
	assert.Equal(t, 0, reqs[1].Status, "no answer was sent")
	assert.Equal(t, 1, srv.Connections(), "the client opened no new connection to retry")

	// The second queued hangup (from Inject) hits the next POST, on a fresh
	// connection this time.
	_, err = open(context.Background(), client, srv, "POST", "/api/v1/ws/1/temporary-data", `{"content":2}`)
	require.Error(t, err)
	assert.Equal(t, 2, srv.Connections())
	assert.Len(t, srv.Requests(), 3)

	// Then the server answers normally again.
	assert.Equal(t, http.StatusOK, do(t, srv, "POST", "/api/v1/ws/1/temporary-data", `{"content":3}`).StatusCode)
}
