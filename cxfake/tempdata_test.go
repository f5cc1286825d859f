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

// intTempData is the answer of push temporary data from an int server (IntIDs).
type intTempData struct {
	TempDataID int64  `json:"tempDataId"`
	ExpiryDate string `json:"expiryDate"`
}

func pushData(t *testing.T, srv *Server, ws, body string) intTempData {
	t.Helper()
	r := do(t, srv, "POST", "/api/v1/ws/"+ws+"/temporary-data", body)
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	var td intTempData
	r.json(t, &td)
	require.NotZero(t, td.TempDataID)
	return td
}

// Data pushed as temporary data shows in every render that names it.
func TestTempDataFeedsRenders(t *testing.T) {
	srv := newTestServer(t)
	td := pushData(t, srv, "main", `{"content": {"rows": [{"x": "(1)"}]}}`)
	exp, err := time.Parse(time.RFC3339Nano, td.ExpiryDate)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(time.Hour), exp, time.Minute)
	want := `Data: {"rows":[{"x":"(1)"}]}`

	r := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/1/reports/160/pdf?tempDataId=%d", td.TempDataID), "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	text := pdftext.Text(t, r.body)
	assert.Contains(t, text, want)
	assert.Contains(t, text, fmt.Sprintf("Temp data id: %d", td.TempDataID))

	r = do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", fmt.Sprintf(`{"tempDataId": %d}`, td.TempDataID))
	assert.Contains(t, pdftext.Text(t, r.body), want)
	r = do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", fmt.Sprintf(`{"tempDataId": "%d"}`, td.TempDataID))
	assert.Contains(t, pdftext.Text(t, r.body), want)

	id := startExportOK(t, srv, "1", "160", fmt.Sprintf(`{"tempDataId": %d}`, td.TempDataID))
	r = do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/1/exports/%d/content", id), "")
	assert.Contains(t, pdftext.Text(t, r.body), want)

	page := fmt.Sprintf("%s/ws/1/reports/160/preview?tempDataId=%d&nonce=%s", srv.URL, td.TempDataID, newNonce(t, srv))
	pr := browserGet(t, http.DefaultClient, page)
	assert.Contains(t, string(pr.body), want)

	// Data given explicitly wins over the temporary data.
	r = do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", fmt.Sprintf(`{"tempDataId": %d, "data": 7}`, td.TempDataID))
	assert.Contains(t, pdftext.Text(t, r.body), "Data: 7")
}

func TestTempDataUnknownOrOtherWorkspace(t *testing.T) {
	srv := newTestServer(t)
	td := pushData(t, srv, "26", `{"content": 1}`)
	for _, path := range []string{
		"/api/v1/ws/1/reports/160/pdf?tempDataId=" + fmt.Sprint(td.TempDataID),
		"/api/v1/ws/1/reports/160/pdf?tempDataId=424242",
	} {
		r := do(t, srv, "GET", path, "")
		r.isError(t, http.StatusNotFound, "temporary data", path)
	}
}

func TestTempDataExpires(t *testing.T) {
	srv := newTestServer(t, WithTempDataTTL(20*time.Millisecond))
	td := pushData(t, srv, "1", `{"content": {"a": 1}}`)
	path := fmt.Sprintf("/api/v1/ws/1/reports/160/pdf?tempDataId=%d", td.TempDataID)
	require.Eventually(t, func() bool { return do(t, srv, "GET", path, "").StatusCode == http.StatusNotFound }, 10*time.Second, 5*time.Millisecond)
	assert.Contains(t, do(t, srv, "GET", path, "").errorText(t), "not found")
}

// The client's expiryDate wins over the TTL: far in the future keeps the data past
// a tiny TTL, a near one ends it.
func TestTempDataHonoursExpiryDate(t *testing.T) {
	srv := newTestServer(t, WithTempDataTTL(time.Nanosecond))
	far := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	td := pushData(t, srv, "1", fmt.Sprintf(`{"content": 1, "expiryDate": %q}`, far.Format(time.RFC3339)))
	got, err := time.Parse(time.RFC3339Nano, td.ExpiryDate)
	require.NoError(t, err)
	assert.True(t, far.Equal(got), "expiryDate %s, want %s", td.ExpiryDate, far)
	r := do(t, srv, "GET", fmt.Sprintf("/api/v1/ws/1/reports/160/pdf?tempDataId=%d", td.TempDataID), "")
	assert.Equal(t, http.StatusOK, r.StatusCode)

	near := time.Now().Add(30 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	td = pushData(t, srv, "1", fmt.Sprintf(`{"content": 1, "expiryDate": %q}`, near))
	path := fmt.Sprintf("/api/v1/ws/1/reports/160/pdf?tempDataId=%d", td.TempDataID)
	require.Eventually(t, func() bool { return do(t, srv, "GET", path, "").StatusCode == http.StatusNotFound }, 10*time.Second, 5*time.Millisecond)
}

func TestTempDataBadInput(t *testing.T) {
	srv := newTestServer(t)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for _, c := range []struct{ body, want string }{
		{``, "content"},
		{`{}`, "content"},
		{`[1]`, "JSON object"},
		{`{"content":`, "not valid JSON"},
		{`{"content": 1, "expiryDate": "tomorrow"}`, "ISO 8601"},
		{`{"content": 1, "expiryDate": 5}`, "expiryDate"},
		{`{"content": 1, "expiryDate": "` + past + `"}`, "in the past"},
	} {
		r := do(t, srv, "POST", "/api/v1/ws/1/temporary-data", c.body)
		r.isError(t, http.StatusBadRequest, c.want, c.body)
	}
}
