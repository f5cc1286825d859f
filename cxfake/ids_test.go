package cxfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guidRe is a lowercase version 4 GUID of the RFC 4122 variant.
var guidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// guidMember reads member key of a JSON object answer and requires a GUID
// string there: a JSON number would fail, which is the point.
func guidMember(t *testing.T, r resp, key string) string {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	s, ok := m[key].(string)
	require.True(t, ok, "%s must be a JSON string, got %#v in %s", key, m[key], r.body)
	require.Regexp(t, guidRe, s)
	return s
}

func guidExport(t *testing.T, srv *Server, ws, report, body string) string {
	t.Helper()
	r := do(t, srv, "POST", "/api/v1/ws/"+ws+"/reports/"+report+"/export", body)
	require.Equal(t, http.StatusAccepted, r.StatusCode, string(r.body))
	return guidMember(t, r, "temporaryFileId")
}

func guidRun(t *testing.T, srv *Server, ws, job string) string {
	t.Helper()
	r := do(t, srv, "POST", "/api/v1/ws/"+ws+"/jobs/"+job+"/runs", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	return guidMember(t, r, "jobRunId")
}

func guidPush(t *testing.T, srv *Server, ws, body string) string {
	t.Helper()
	r := do(t, srv, "POST", "/api/v1/ws/"+ws+"/temporary-data", body)
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	var td struct{ ExpiryDate string }
	r.json(t, &td)
	assert.NotEmpty(t, td.ExpiryDate)
	return guidMember(t, r, "tempDataId")
}

func TestGUIDExportFlow(t *testing.T) {
	srv := newTestServer(t, WithIDs(GUIDIDs))
	id := guidExport(t, srv, "main", "160", `{"format": "html", "params": {"p": 1}}`)

	r := do(t, srv, "GET", "/api/v1/ws/main/exports/"+id+"/status", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Equal(t, id, guidMember(t, r, "id"), "the status names the export by the id it was given")
	var st struct {
		Status      string
		IsReady     bool
		ContentSize int64
	}
	r.json(t, &st)
	assert.Equal(t, "Completed", st.Status)
	assert.True(t, st.IsReady)

	r = do(t, srv, "GET", "/api/v1/ws/1/exports/"+id+"/content", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Equal(t, st.ContentSize, int64(len(r.body)))
	assert.Contains(t, string(r.body), `Params: {"p":1}`)

	// .NET parses GUIDs without regard to case.
	r = do(t, srv, "GET", "/api/v1/ws/1/exports/"+strings.ToUpper(id)+"/status", "")
	assert.Equal(t, http.StatusOK, r.StatusCode, string(r.body))

	// Another workspace does not see it.
	r = do(t, srv, "GET", "/api/v1/ws/26/exports/"+id+"/status", "")
	assert.Equal(t, http.StatusNotFound, r.StatusCode)

	// The 409 of an export in progress names it by its GUID.
	slow := guidExport(t, srv, "1", "160", `{"params": {"fakeDelayMs": 3600000}}`)
	r = do(t, srv, "GET", "/api/v1/ws/1/exports/"+slow+"/content", "")
	r.isError(t, http.StatusConflict, "export "+slow+" is not ready")
}

func TestGUIDJobRunReviewAndDelivery(t *testing.T) {
	srv := newTestServer(t, WithIDs(GUIDIDs))
	run := guidRun(t, srv, "main", "monthly")
	st := runStatusOf(t, srv, "1", "42", run)
	assert.Equal(t, runStatus{Finished: true, Entries: 3, Status: runCounts{Review: 3}}, st)

	r := do(t, srv, "POST", "/api/v1/ws/1/jobs/42/runs/"+run+"/generate-review-document", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	doc := guidMember(t, r, "temporaryFileId")
	assert.NotEqual(t, run, doc)
	r = do(t, srv, "GET", "/api/v1/ws/1/exports/"+doc+"/status", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Equal(t, doc, guidMember(t, r, "id"))
	r = do(t, srv, "GET", "/api/v1/ws/1/exports/"+doc+"/content", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Contains(t, r.Header.Get("Content-Disposition"), `filename="review-monthly-run-`+run+`.pdf"`)
	// The PDF's text is uncompressed and a GUID needs no escaping in a PDF string
	// (the parentheses around "id 42" do), so the raw bytes show the title line.
	assert.True(t, bytes.Contains(r.body, []byte(`Review document: job monthly \(id 42\), run `+run+`) Tj`)), "the review document names the run")

	deliver := "/api/v1/ws/1/jobs/42/runs/" + run + "/deliver"
	r = do(t, srv, "POST", deliver, "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Equal(t, 1, srv.DeliveriesOf(run))
	do(t, srv, "POST", deliver, "")
	assert.Equal(t, 2, srv.DeliveriesOf(run))
	assert.Equal(t, 2, srv.DeliveriesOf(strings.ToUpper(run)))
	assert.Equal(t, runCounts{Completed: 3}, runStatusOf(t, srv, "1", "42", run).Status)

	code, b := ctl(t, srv, "GET", "/_fake/stats", "")
	require.Equal(t, http.StatusOK, code)
	var stats statsJSON
	require.NoError(t, json.Unmarshal(b, &stats))
	assert.Equal(t, map[string]int{run: 2}, stats.Deliveries)

	// The run belongs to its job.
	r = do(t, srv, "GET", "/api/v1/ws/1/jobs/43/runs/"+run+"/status", "")
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
}

// A GUID tempDataId reaches every render, and the render shows it as the client
// sent it.
func TestGUIDTempDataFeedsRenders(t *testing.T) {
	srv := newTestServer(t, WithIDs(GUIDIDs))
	td := guidPush(t, srv, "main", `{"content": {"rows": [1, 2]}}`)
	const want = `Data: {"rows":[1,2]}`

	r := do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf?format=html&tempDataId="+td, "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Contains(t, string(r.body), want)
	assert.Contains(t, string(r.body), "Temp data id: "+td)

	upper := strings.ToUpper(td)
	r = do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf?format=html&tempDataId="+upper, "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Contains(t, string(r.body), "Temp data id: "+upper)

	r = do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", fmt.Sprintf(`{"tempDataId": %q, "format": "html"}`, td))
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Contains(t, string(r.body), want)

	id := guidExport(t, srv, "1", "160", fmt.Sprintf(`{"tempDataId": %q, "format": "html"}`, td))
	r = do(t, srv, "GET", "/api/v1/ws/1/exports/"+id+"/content", "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Contains(t, string(r.body), want)

	page := srv.URL + "/ws/1/reports/160/preview?tempDataId=" + url.QueryEscape(td) + "&nonce=" + newNonce(t, srv)
	pr := browserGet(t, http.DefaultClient, page)
	require.Equal(t, http.StatusOK, pr.StatusCode, string(pr.body))
	assert.Contains(t, string(pr.body), want)
	assert.Contains(t, string(pr.body), "Temp data id: "+td)

	// Another workspace does not see it.
	r = do(t, srv, "GET", "/api/v1/ws/26/reports/160/pdf?tempDataId="+td, "")
	r.isError(t, http.StatusNotFound, "temporary data "+td+" not found")
}

// Ids of one style mean nothing to a server of the other: they are unknown (404),
// even where an object of that number or GUID would exist on the other server.
func TestIDsOfTheOtherStyleAreUnknown(t *testing.T) {
	guid := newTestServer(t, WithIDs(GUIDIDs))
	ints := newTestServer(t)
	// The int server hands out 1001, 1002, 1003 in this order; so does nothing on
	// the guid server, which made the same objects.
	intData := pushData(t, ints, "1", `{"content": 1}`).TempDataID
	intExport := startExportOK(t, ints, "1", "160", "")
	intRun := startRun(t, ints, "1", "42", "")
	gData := guidPush(t, guid, "1", `{"content": 1}`)
	gExport := guidExport(t, guid, "1", "160", "")
	gRun := guidRun(t, guid, "1", "42")

	for _, c := range []struct {
		srv          *Server
		method, path string
	}{
		{guid, "GET", fmt.Sprintf("/api/v1/ws/1/exports/%d/status", intExport)},
		{guid, "GET", fmt.Sprintf("/api/v1/ws/1/exports/%d/content", intExport)},
		{guid, "GET", fmt.Sprintf("/api/v1/ws/1/jobs/42/runs/%d/status", intRun)},
		{guid, "POST", fmt.Sprintf("/api/v1/ws/1/jobs/42/runs/%d/deliver", intRun)},
		{guid, "POST", fmt.Sprintf("/api/v1/ws/1/jobs/42/runs/%d/generate-review-document", intRun)},
		{ints, "GET", "/api/v1/ws/1/exports/" + gExport + "/status"},
		{ints, "GET", "/api/v1/ws/1/exports/" + gExport + "/content"},
		{ints, "GET", "/api/v1/ws/1/jobs/42/runs/" + gRun + "/status"},
		{ints, "POST", "/api/v1/ws/1/jobs/42/runs/" + gRun + "/deliver"},
		{ints, "POST", "/api/v1/ws/1/jobs/42/runs/" + gRun + "/generate-review-document"},
	} {
		r := do(t, c.srv, c.method, c.path, "")
		r.isError(t, http.StatusNotFound, "not found", c.path)
	}
	assert.Equal(t, 0, guid.DeliveriesOf(itoa(intRun)))
	assert.Equal(t, 0, guid.Deliveries(intRun))
	assert.Equal(t, 0, ints.DeliveriesOf(gRun))

	// A numeric tempDataId, in the query or in a body as a number or a string.
	r := do(t, guid, "GET", fmt.Sprintf("/api/v1/ws/1/reports/160/pdf?tempDataId=%d", intData), "")
	r.isError(t, http.StatusNotFound, fmt.Sprintf("temporary data %d not found", intData))
	for _, body := range []string{fmt.Sprintf(`{"tempDataId": %d}`, intData), fmt.Sprintf(`{"tempDataId": "%d"}`, intData)} {
		for _, ep := range []string{"pdf", "export"} {
			r := do(t, guid, "POST", "/api/v1/ws/1/reports/160/"+ep, body)
			r.isError(t, http.StatusNotFound, "temporary data", body+" "+ep)
		}
	}
	// A tempDataId that is no id at all is still bad input.
	r = do(t, guid, "POST", "/api/v1/ws/1/reports/160/pdf", `{"tempDataId": true}`)
	r.isError(t, http.StatusBadRequest, "tempDataId must be a GUID string")
	// An int server keeps reading tempDataId as an integer, as it always did.
	r = do(t, ints, "GET", "/api/v1/ws/1/reports/160/pdf?tempDataId="+gData, "")
	r.isError(t, http.StatusBadRequest, "tempDataId must be an integer")
}

// Exports, review documents, runs and temporary data share one id space: every
// id is new, and an id of one kind names nothing of another kind. Made from
// several goroutines, so the race detector watches newID too.
func TestGUIDIDsAreUniqueAcrossKinds(t *testing.T) {
	srv := newTestServer(t, WithIDs(GUIDIDs))
	type made struct{ export, doc, run, data string }
	var (
		mu  sync.Mutex
		all []made
		wg  sync.WaitGroup
	)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				m := made{export: guidExport(t, srv, "1", "160", ""), run: guidRun(t, srv, "1", "43"), data: guidPush(t, srv, "1", `{"content": 1}`)}
				r := do(t, srv, "POST", "/api/v1/ws/1/jobs/43/runs/"+m.run+"/generate-review-document", "")
				require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
				m.doc = guidMember(t, r, "temporaryFileId")
				mu.Lock()
				all = append(all, m)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, m := range all {
		for _, id := range []string{m.export, m.doc, m.run, m.data} {
			assert.False(t, seen[id], "id %s handed out twice", id)
			seen[id] = true
		}
	}
	assert.Len(t, seen, 4*4*5)

	m := all[0]
	for _, path := range []string{
		"/api/v1/ws/1/exports/" + m.run + "/status",
		"/api/v1/ws/1/exports/" + m.data + "/status",
		"/api/v1/ws/1/jobs/43/runs/" + m.export + "/status",
		"/api/v1/ws/1/jobs/43/runs/" + m.doc + "/status",
		"/api/v1/ws/1/reports/160/pdf?tempDataId=" + m.export,
	} {
		assert.Equal(t, http.StatusNotFound, do(t, srv, "GET", path, "").StatusCode, path)
	}
}

func TestIDStyleNames(t *testing.T) {
	for _, st := range []IDStyle{IntIDs, GUIDIDs} {
		text, err := st.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, st.String(), string(text))
		var back IDStyle = 99
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, st, back)
	}
	assert.Equal(t, "int", IntIDs.String())
	assert.Equal(t, "guid", GUIDIDs.String())
	var st IDStyle
	for _, bad := range []string{"", "GUID", "uuid", "number"} {
		err := st.UnmarshalText([]byte(bad))
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "use int or guid", bad)
	}
	_, err := IDStyle(7).MarshalText()
	assert.Error(t, err)

	srv, err := Start(WithIDs(IDStyle(7)))
	assert.Nil(t, srv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "id style")
}

func TestNewGUIDForm(t *testing.T) {
	for i := 0; i < 100; i++ {
		assert.Regexp(t, guidRe, newGUID())
	}
	assert.NotEqual(t, newGUID(), newGUID())
}
