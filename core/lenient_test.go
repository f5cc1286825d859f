package core

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const guid = "3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f"

// Typed results take the server's answer as it comes: ids as numbers or strings,
// integral numbers written as floats, members of another type than documented.
func TestResponseObjectsTakeWhatTheServerSends(t *testing.T) {
	in := `{"id":"` + guid + `","status":"InProgress","isReady":"no","name":5,"contentSize":12.0,"expiryTime":null,"more":[1]}`
	var st ExportStatus
	require.NoError(t, json.Unmarshal([]byte(in), &st))
	assert.Equal(t, Code(guid), st.ID)
	assert.Equal(t, guid, st.ID.String())
	assert.Equal(t, "InProgress", st.Status)
	assert.False(t, st.IsReady)
	assert.Equal(t, int64(12), st.ContentSize)
	assert.Equal(t, "", st.Name)
	out, err := json.Marshal(st)
	require.NoError(t, err)
	// Members that did not fit their field come back as sent; an integral float is
	// read as its integer.
	assert.Equal(t, strings.Replace(in, "12.0", "12", 1), string(out))

	var start JobRunStart
	require.NoError(t, json.Unmarshal([]byte(`{"jobRunId":7.0}`), &start))
	n, isID := start.JobRunID.IsID()
	assert.True(t, isID)
	assert.Equal(t, int64(7), n)
	assert.Equal(t, "7", start.JobRunID.String(), "the path form of an integral id")
	out, err = json.Marshal(start)
	require.NoError(t, err)
	assert.Equal(t, `{"jobRunId":7.0}`, string(out), "an id goes back as the server wrote it")

	var digits TemporaryData
	require.NoError(t, json.Unmarshal([]byte(`{"tempDataId":"0042"}`), &digits))
	assert.Equal(t, Code("0042"), digits.TempDataID, "a string of digits stays a string")

	var bad Workspace
	assert.Error(t, json.Unmarshal([]byte(`[1,2]`), &bad), "only an answer that is not an object fails")
}

// guidServer answers the export and job-run flow with GUID ids, as a .NET server
// may, and records the paths it was asked for.
func guidServer(t *testing.T, status string) *recorder {
	return newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch p := r.URL.Path; {
		case strings.HasSuffix(p, "/export") || strings.HasSuffix(p, "/generate-review-document"):
			io.WriteString(w, `{"temporaryFileId":"`+guid+`","extra":null}`)
		case strings.HasSuffix(p, "/exports/"+guid+"/status"):
			io.WriteString(w, status)
		case strings.HasSuffix(p, "/exports/"+guid+"/content"):
			w.Header().Set("Content-Type", "application/pdf")
			io.WriteString(w, "%PDF-1.7 guid export")
		case strings.HasSuffix(p, "/runs"):
			io.WriteString(w, `{"jobRunId":"`+guid+`"}`)
		case strings.HasSuffix(p, "/runs/"+guid+"/status"):
			io.WriteString(w, `{"finished":true,"entries":1.0,"status":{"queued":"0"}}`)
		default:
			http.NotFound(w, r)
		}
	})
}

func TestGUIDIdsRoundTrip(t *testing.T) {
	rec := guidServer(t, `{"id":"`+guid+`","status":"Completed","isReady":true,"contentSize":"20"}`)
	c, _ := newTestClient(t, rec.URL)
	ctx := ctxT(t)

	start, err := c.StartReportExport(ctx, ID(160), nil)
	require.NoError(t, err)
	st, err := c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, Code(guid), st.ID)
	var raw json.RawMessage
	_, err = c.WaitForExport(ctx, start.TemporaryFileID, WaitOptions{PollInterval: time.Millisecond}, RawJSON(&raw))
	require.NoError(t, err)
	assert.Equal(t, `{"id":"`+guid+`","status":"Completed","isReady":true,"contentSize":"20"}`, string(raw))

	d, err := c.ExportToFile(ctx, ID(160), nil, filepath.Join(t.TempDir(), "e.pdf"), WaitOptions{PollInterval: time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, Code(guid), d.TemporaryFileID)
	out, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"temporary_file_id":"`+guid+`"`)

	run, err := c.StartJobRun(ctx, ID(42), nil)
	require.NoError(t, err)
	rs, err := c.WaitForJobRun(ctx, ID(42), run.JobRunID, WaitOptions{PollInterval: time.Millisecond})
	require.NoError(t, err)
	assert.True(t, rs.Finished)
	assert.Equal(t, int64(1), rs.Entries)
	review, err := c.GetRunReviewDocument(ctx, ID(42), run.JobRunID)
	require.NoError(t, err)
	assert.Equal(t, Code(guid), review.TemporaryFileID)

	for i := range rec.count() {
		r, _ := rec.req(i)
		assert.NotContains(t, r.URL.Path, "%", "the GUID reached the path unchanged")
	}
}

// The waits fail only when the value they need is really absent.
func TestWaitsNeedOnlyTheirValue(t *testing.T) {
	for _, tc := range []struct{ status, want string }{
		{`{"isReady":true}`, ""},
		{`{"status":"Completed","isReady":null}`, ""},
		{`{"id":1}`, CodeInvalidResponse},
		{`{"status":null,"isReady":"true"}`, CodeInvalidResponse},
	} {
		rec := guidServer(t, tc.status)
		c, _ := newTestClient(t, rec.URL)
		_, err := c.WaitForExport(ctxT(t), Code(guid), WaitOptions{PollInterval: time.Millisecond, Timeout: 5 * time.Second})
		if tc.want == "" {
			assert.NoError(t, err, tc.status)
			continue
		}
		e := requireCode(t, err, tc.want)
		assert.Contains(t, e.Message, "neither a status nor an isReady member", tc.status)
	}
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"entries":3}`)
	})
	c, _ := newTestClient(t, rec.URL)
	_, err := c.WaitForJobRun(ctxT(t), ID(42), ID(7), WaitOptions{PollInterval: time.Millisecond})
	e := requireCode(t, err, CodeInvalidResponse)
	assert.Contains(t, e.Message, "no boolean finished member")

	noID := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"temporaryFileId":null}`)
	})
	c, _ = newTestClient(t, noID.URL)
	_, err = c.ExportToFile(ctxT(t), ID(160), nil, filepath.Join(t.TempDir(), "x.pdf"), WaitOptions{})
	e = requireCode(t, err, CodeInvalidResponse)
	assert.Contains(t, e.Message, "has no temporaryFileId")
}
