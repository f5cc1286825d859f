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

// intExportStart is the start of an export or a review document as an int server
// (IntIDs) answers it.
type intExportStart struct {
	TemporaryFileID int64 `json:"temporaryFileId"`
}

func startExportOK(t *testing.T, srv *Server, ws, report, body string) int64 {
	t.Helper()
	r := do(t, srv, "POST", "/api/v1/ws/"+ws+"/reports/"+report+"/export", body)
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(r.body))
	var st intExportStart // an int server answers a JSON number: decoding proves it
	r.json(t, &st)
	require.NotZero(t, st.TemporaryFileID)
	return st.TemporaryFileID
}

func exportStatusOf(t *testing.T, srv *Server, ws string, id int64) map[string]any {
	t.Helper()
	r := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/%s/exports/%d/status", ws, id), "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	var st map[string]any
	r.json(t, &st)
	return st
}

func TestExportInProgressThenCompleted(t *testing.T) {
	srv := newTestServer(t, WithExportDelay(time.Hour))
	id := startExportOK(t, srv, "main", "160", `{"params": {"p": 1}}`)
	st := exportStatusOf(t, srv, "1", id)
	assert.Equal(t, "InProgress", st["status"])
	assert.Equal(t, false, st["isReady"])
	assert.Nil(t, st["errorMessage"])
	assert.Nil(t, st["contentSize"])
	assert.Equal(t, "Invoice.pdf", st["name"])
	assert.Equal(t, "application/pdf", st["contentType"])
	assert.Equal(t, float64(id), st["id"])
	assert.NotEmpty(t, st["expiryTime"])

	r := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/1/exports/%d/content", id), "")
	r.isError(t, http.StatusConflict, "not ready")

	fast := newTestServer(t)
	id = startExportOK(t, fast, "main", "invoice", `{"params": {"p": 1}, "data": {"d": 2}}`)
	st = exportStatusOf(t, fast, "main", id)
	assert.Equal(t, "Completed", st["status"])
	assert.Equal(t, true, st["isReady"])
	r = do(t, fast, "GET", fmt.Sprintf("/api/v1/ws/main/exports/%d/content", id), "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, float64(len(r.body)), st["contentSize"])
	assert.Equal(t, "application/pdf", r.Header.Get("Content-Type"))
	assert.Contains(t, r.Header.Get("Content-Disposition"), `filename="Invoice.pdf"`)
	text := pdftext.Text(t, r.body)
	assert.Contains(t, text, `Params: {"p":1}`)
	assert.Contains(t, text, `Data: {"d":2}`)
}

// The state follows the clock: a short delay ends in Completed without any poll
// driving it.
func TestExportCompletesAfterDelay(t *testing.T) {
	srv := newTestServer(t, WithExportDelay(30*time.Millisecond))
	id := startExportOK(t, srv, "1", "160", "")
	require.Eventually(t, func() bool { return exportStatusOf(t, srv, "1", id)["status"] == "Completed" }, 10*time.Second, 10*time.Millisecond)
}

func TestExportFailed(t *testing.T) {
	srv := newTestServer(t)
	id := startExportOK(t, srv, "1", "160", `{"params": {"fakeFail": "out of paper"}}`)
	st := exportStatusOf(t, srv, "1", id)
	assert.Equal(t, "Failed", st["status"])
	assert.Equal(t, false, st["isReady"])
	assert.Equal(t, "out of paper", st["errorMessage"])
	r := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/1/exports/%d/content", id), "")
	r.isError(t, http.StatusConflict, "out of paper")
}

// fakeDelayMs lengthens the time an export stays InProgress.
func TestExportDelayFromParams(t *testing.T) {
	srv := newTestServer(t)
	id := startExportOK(t, srv, "1", "160", `{"params": {"fakeDelayMs": 3600000}}`)
	assert.Equal(t, "InProgress", exportStatusOf(t, srv, "1", id)["status"])
}

func TestExportOtherFormatAndWorkspaceScope(t *testing.T) {
	srv := newTestServer(t)
	id := startExportOK(t, srv, "sales%20team", "160", `{"format": "xlsx"}`)
	st := exportStatusOf(t, srv, "26", id)
	assert.Equal(t, "Invoice.xlsx", st["name"])
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", st["contentType"])
	r := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/sales%%20team/exports/%d/content", id), "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, st["contentType"], r.Header.Get("Content-Type"))

	// Another workspace does not see it.
	r = do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/1/exports/%d/status", id), "")
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
}

func TestExportOfPaddedPDFReportsItsSize(t *testing.T) {
	srv := newTestServer(t)
	id := startExportOK(t, srv, "1", "160", `{"params": {"fakeSizeBytes": 300000}}`)
	assert.Equal(t, float64(300000), exportStatusOf(t, srv, "1", id)["contentSize"])
	r := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/1/exports/%d/content", id), "")
	assert.Len(t, r.body, 300000)
}
