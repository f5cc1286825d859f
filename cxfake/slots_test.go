package cxfake

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// holdSize makes a render that keeps its slot until the test lets it go: the
// server streams a 256 MiB PDF, far more than the socket buffers take, so its
// handler blocks writing the body until the client closes it. That is the
// barrier the slot tests use instead of a clock: what is in flight is decided by
// the test, not by how fast a loaded machine runs.
const holdSize = `"fakeSizeBytes": 268435456`

func pdfWith(params string) string { return "/api/v1/ws/1/reports/160/pdf?params=" + b64(params) }

func stats(t *testing.T, srv *Server) statsJSON {
	t.Helper()
	code, b := ctl(t, srv, "GET", "/_fake/stats", "")
	require.Equal(t, http.StatusOK, code, string(b))
	var st statsJSON
	require.NoError(t, json.Unmarshal(b, &st))
	return st
}

// statusCount counts the recorded requests to path answered with status.
func statusCount(t *testing.T, srv *Server, path string, status int) int {
	t.Helper()
	code, b := ctl(t, srv, "GET", "/_fake/requests", "")
	require.Equal(t, http.StatusOK, code, string(b))
	var reqs []requestJSON
	require.NoError(t, json.Unmarshal(b, &reqs))
	n := 0
	for _, q := range reqs {
		if q.Path == path && q.Status == status {
			n++
		}
	}
	return n
}

func assertRefused(t *testing.T, r resp, slots string) {
	t.Helper()
	assert.Equal(t, http.StatusTooManyRequests, r.StatusCode, string(r.body))
	assert.Equal(t, "1", r.Header.Get("Retry-After"))
	assert.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	msg := r.errorText(t)
	assert.Contains(t, msg, "render capacity is full")
	assert.Contains(t, msg, "all "+slots+" render slots")
}

// Three renders at once on two slots: one is refused at once with 429, and the
// stats and the request log say so. While the slots are full the other renders
// are refused too, everything else is served, and a fault still comes first.
// Once the slots free up, renders succeed again.
func TestRenderSlotsRefuseWhatDoesNotFit(t *testing.T) {
	srv := newTestServer(t, WithRenderSlots(2))
	exportID := startExportOK(t, srv, "1", "160", "") // for the download and status below

	path := pdfWith(`{"fakeDelayMs": 300, ` + holdSize + `}`)
	type result struct {
		res *http.Response
		err error
	}
	results := make(chan result, 3)
	for i := 0; i < 3; i++ {
		go func() {
			res, err := open(context.Background(), http.DefaultClient, srv, "GET", path, "")
			results <- result{res, err}
		}()
	}
	// The two renders that got a slot answer 200 and then stay in their body;
	// the third must be answered without waiting for them, or this blocks.
	var held []*http.Response
	var refused *http.Response
	for i := 0; i < 3; i++ {
		r := <-results
		require.NoError(t, r.err)
		if r.res.StatusCode == http.StatusOK {
			held = append(held, r.res)
			t.Cleanup(func() { r.res.Body.Close() })
			continue
		}
		require.Nil(t, refused, "a second render was refused: %d", r.res.StatusCode)
		refused = r.res
	}
	require.Len(t, held, 2)
	require.NotNil(t, refused)
	body, err := readAll(refused)
	refused.Body.Close()
	require.NoError(t, err)
	assertRefused(t, resp{refused, body}, "2")

	assert.Equal(t, 2, srv.RendersInFlight())
	assert.Equal(t, 2, srv.PeakRenders())
	assert.Equal(t, 1, srv.RenderRefusals())
	st := stats(t, srv)
	assert.Equal(t, 2, st.RenderSlots)
	assert.Equal(t, 2, st.RendersInFlight)
	assert.Equal(t, 2, st.PeakRenders)
	assert.Equal(t, 1, st.RenderRefusals)
	assert.Equal(t, 1, statusCount(t, srv, "/api/v1/ws/1/reports/160/pdf", http.StatusTooManyRequests),
		"the refusal is recorded with its status")

	// Every kind of render is refused while the slots are full...
	assertRefused(t, do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"params": {"fakeDelayMs": 300}}`), "2")
	assertRefused(t, do(t, srv, "POST", "/api/v1/ws/main/reports/invoice/export", `{"format": "xlsx"}`), "2")
	assertRefused(t, do(t, srv, "GET", "/api/v1/ws/1/exports/"+itoa(exportID)+"/content", ""), "2")
	assert.Equal(t, 4, srv.RenderRefusals())
	// ...and nothing else is.
	for _, p := range []string{"/api/v1/workspaces", "/api/v1/ws/1/reports", "/api/v1/ws/1/report-types",
		"/api/v1/ws/1/exports/" + itoa(exportID) + "/status"} {
		r := do(t, srv, "GET", p, "")
		assert.Equal(t, http.StatusOK, r.StatusCode, "%s: %s", p, r.body)
	}
	// A fault is applied before the slot check: it answers, and is no refusal.
	srv.Inject("GET", "/api/v1/ws/1/reports/160/pdf", Fault{Status: 503, RetryAfter: "7"})
	r := do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf", "")
	assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
	assert.Equal(t, "7", r.Header.Get("Retry-After"))
	assert.Equal(t, 4, srv.RenderRefusals())

	// Reset clears the refusals; the peak restarts from the renders in flight,
	// which keep their slots.
	code, _ := ctl(t, srv, "POST", "/_fake/reset", "")
	require.Equal(t, http.StatusOK, code)
	st = stats(t, srv)
	assert.Equal(t, 2, st.RenderSlots)
	assert.Equal(t, 2, st.RendersInFlight)
	assert.Equal(t, 2, st.PeakRenders)
	assert.Equal(t, 0, st.RenderRefusals)
	assertRefused(t, do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf", ""), "2")
	assert.Equal(t, 1, srv.RenderRefusals())

	// Closing the held bodies ends their handlers and frees the slots.
	for _, h := range held {
		h.Body.Close()
	}
	require.Eventually(t, func() bool { return srv.RendersInFlight() == 0 }, 10*time.Second, 5*time.Millisecond)
	r = do(t, srv, "GET", pdfWith(`{"fakeDelayMs": 300}`), "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Equal(t, "application/pdf", r.Header.Get("Content-Type"))
	assert.Equal(t, http.StatusOK, do(t, srv, "GET", "/api/v1/ws/1/exports/"+itoa(exportID)+"/content", "").StatusCode)
	assert.Equal(t, 1, srv.RenderRefusals())
	assert.Equal(t, 2, srv.PeakRenders())
}

// The fakeDelayMs wait holds the slot: a render asleep in it keeps a second one
// out until it ends (here because its client leaves).
func TestRenderSlotHeldThroughDelay(t *testing.T) {
	srv := newTestServer(t, WithRenderSlots(1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := sendInBackground(ctx, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"params": {"fakeDelayMs": 3600000}}`)
	require.Eventually(t, func() bool { return srv.RendersInFlight() == 1 }, 10*time.Second, 5*time.Millisecond)
	assertRefused(t, do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf", ""), "1")
	cancel()
	require.Error(t, <-done)
	require.Eventually(t, func() bool { return srv.RendersInFlight() == 0 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, http.StatusOK, do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf", "").StatusCode)
	assert.Equal(t, 1, srv.RenderRefusals())
	assert.Equal(t, 1, srv.PeakRenders())
}

// Without WithRenderSlots (or with 0, or a negative count) nothing is refused,
// however many renders are in flight; they are still counted.
func TestRenderSlotsUnlimited(t *testing.T) {
	for name, opts := range map[string][]Option{"default": nil, "zero": {WithRenderSlots(0)}, "negative": {WithRenderSlots(-3)}} {
		t.Run(name, func(t *testing.T) {
			srv := newTestServer(t, opts...)
			const n = 5
			for i := 0; i < n; i++ {
				res := send(t, srv, "GET", pdfWith(`{`+holdSize+`}`), "")
				require.Equal(t, http.StatusOK, res.StatusCode)
			}
			assert.Equal(t, n, srv.RendersInFlight())
			r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/export", "")
			assert.Equal(t, http.StatusAccepted, r.StatusCode, string(r.body))
			st := stats(t, srv)
			assert.Equal(t, 0, st.RenderSlots)
			assert.Equal(t, 0, st.RenderRefusals)
			assert.Equal(t, n, st.RendersInFlight)
			assert.Equal(t, n+1, st.PeakRenders, "the export start was a render too")
			assert.Zero(t, statusCount(t, srv, "/api/v1/ws/1/reports/160/pdf", http.StatusTooManyRequests))
		})
	}
}
