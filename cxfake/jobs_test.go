package cxfake

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake/internal/pdftext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func startRun(t *testing.T, srv *Server, ws, jobRef, body string) int64 {
	t.Helper()
	r := do(t, srv, "POST", "/api/v1/ws/"+ws+"/jobs/"+jobRef+"/runs", body)
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	var st struct {
		JobRunID int64 `json:"jobRunId"` // a JSON number from an int server
	}
	r.json(t, &st)
	require.NotZero(t, st.JobRunID)
	return st.JobRunID
}

// runStatusOf reads the status of run, in the text form a path carries: the
// integer with IntIDs, the GUID with GUIDIDs.
func runStatusOf(t *testing.T, srv *Server, ws, jobRef, run string) runStatus {
	t.Helper()
	r := do(t, srv, "GET", "/api/v1/ws/"+ws+"/jobs/"+jobRef+"/runs/"+run+"/status", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	var st runStatus
	r.json(t, &st)
	return st
}

func TestJobRunQueuedBeforeDelay(t *testing.T) {
	srv := newTestServer(t, WithJobDelay(time.Hour))
	run := startRun(t, srv, "1", "42", "")
	st := runStatusOf(t, srv, "1", "monthly", itoa(run))
	assert.Equal(t, runStatus{Finished: false, Entries: 3, Status: runCounts{Queued: 3}}, st)
	for _, ep := range []string{"deliver", "generate-review-document"} {
		r := do(t, srv, "POST", fmt.Sprintf("/api/v1/ws/1/jobs/42/runs/%d/%s", run, ep), "")
		r.isError(t, http.StatusConflict, "queued", ep)
	}
	assert.Equal(t, 0, srv.Deliveries(run))
	assert.Equal(t, 1, srv.JobRunStarts())
}

func TestJobRunReviewAndDelivery(t *testing.T) {
	srv := newTestServer(t, WithJobDelay(20*time.Millisecond))
	run := startRun(t, srv, "main", "monthly", `{"params": {"month": "2024-05"}, "data": {"customers": ["a"]}}`)
	require.Eventually(t, func() bool { return runStatusOf(t, srv, "main", "42", itoa(run)).Finished }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, runCounts{Review: 3}, runStatusOf(t, srv, "main", "42", itoa(run)).Status)

	// The review document is an export whose text shows the run's params and data.
	r := do(t, srv, "POST", fmt.Sprintf("/api/v1/ws/main/jobs/monthly/runs/%d/generate-review-document", run), "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	var doc intExportStart
	r.json(t, &doc)
	assert.Equal(t, "Completed", exportStatusOf(t, srv, "main", doc.TemporaryFileID)["status"])
	content := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/main/exports/%d/content", doc.TemporaryFileID), "")
	require.Equal(t, http.StatusOK, content.StatusCode)
	text := pdftext.Text(t, content.body)
	assert.Contains(t, text, fmt.Sprintf("Review document: job monthly (id 42), run %d", run))
	assert.Contains(t, text, `Params: {"month":"2024-05"}`)
	assert.Contains(t, text, `Data: {"customers":["a"]}`)

	r = do(t, srv, "POST", fmt.Sprintf("/api/v1/ws/1/jobs/42/runs/%d/deliver", run), "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, 1, srv.Deliveries(run))
	assert.Equal(t, runStatus{Finished: true, Entries: 3, Status: runCounts{Completed: 3}}, runStatusOf(t, srv, "1", "42", itoa(run)))

	// A second deliver is counted: that is what lets a test catch a client retrying it.
	do(t, srv, "POST", fmt.Sprintf("/api/v1/ws/1/jobs/42/runs/%d/deliver", run), "")
	assert.Equal(t, 2, srv.Deliveries(run))
}

func TestJobRunWithoutReview(t *testing.T) {
	srv := newTestServer(t)
	run := startRun(t, srv, "zero", "daily", `{}`)
	assert.Equal(t, runStatus{Finished: true, Entries: 3, Status: runCounts{Completed: 3}}, runStatusOf(t, srv, "0", "43", itoa(run)))

	var jobs []job
	do(t, srv, "GET", "/api/v1/ws/0/jobs", "").json(t, &jobs)
	require.NotNil(t, jobs[1].LastRunTime, "a run sets the job's lastRunTime")
	assert.Nil(t, jobs[0].LastRunTime)
}

func TestJobRunScopeAndBadInput(t *testing.T) {
	srv := newTestServer(t)
	run := startRun(t, srv, "1", "42", "")
	for _, path := range []string{
		fmt.Sprintf("/api/v1/ws/1/jobs/43/runs/%d/status", run), // another job
		fmt.Sprintf("/api/v1/ws/0/jobs/42/runs/%d/status", run), // another workspace
		"/api/v1/ws/1/jobs/42/runs/x/status",
	} {
		r := do(t, srv, "GET", path, "")
		r.isError(t, http.StatusNotFound, "not found", path)
	}
	for _, body := range []string{`[]`, `"x"`, `{"params": 1}`, `{`} {
		r := do(t, srv, "POST", "/api/v1/ws/1/jobs/42/runs", body)
		assert.Equal(t, http.StatusBadRequest, r.StatusCode, body)
		assert.NotEmpty(t, r.errorText(t))
	}
	assert.Equal(t, 1, srv.JobRunStarts(), "rejected starts are not counted")
}
