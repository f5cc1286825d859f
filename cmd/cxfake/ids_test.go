package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With -ids guid the line says "ids":"guid" and the runtime ids are GUID strings
// that the paths take back; the catalogue keeps its integers.
func TestCommandGUIDIDs(t *testing.T) {
	b, line := startCommand(t, "-ids", "guid", "-export-delay", "0s", "-job-delay", "0s")
	assert.Contains(t, line, `"ids":"guid"`)
	assert.Equal(t, "guid", b.IDs)
	assert.Equal(t, int64(1), b.WorkspaceID)

	call := func(method, path string) (int, map[string]any) {
		t.Helper()
		res, body := exchange(t, http.DefaultClient, b, method, path)
		var m map[string]any
		_ = json.Unmarshal(body, &m) // content is not JSON; its status is what counts
		return res.StatusCode, m
	}
	guid := `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`

	code, m := call("POST", "/api/v1/ws/main/reports/160/export")
	require.Equal(t, http.StatusAccepted, code, "%v", m)
	id, ok := m["temporaryFileId"].(string)
	require.True(t, ok, "temporaryFileId must be a string: %v", m)
	assert.Regexp(t, guid, id)
	code, m = call("GET", "/api/v1/ws/main/exports/"+id+"/status")
	require.Equal(t, http.StatusOK, code, "%v", m)
	assert.Equal(t, id, m["id"])
	code, _ = call("GET", "/api/v1/ws/main/exports/"+id+"/content")
	assert.Equal(t, http.StatusOK, code)

	code, m = call("POST", "/api/v1/ws/main/jobs/daily/runs")
	require.Equal(t, http.StatusOK, code, "%v", m)
	run, ok := m["jobRunId"].(string)
	require.True(t, ok, "jobRunId must be a string: %v", m)
	assert.Regexp(t, guid, run)
	code, _ = call("POST", "/api/v1/ws/main/jobs/daily/runs/"+run+"/deliver")
	assert.Equal(t, http.StatusOK, code)
	code, _ = call("GET", "/api/v1/ws/main/jobs/daily/runs/1001/status")
	assert.Equal(t, http.StatusNotFound, code, "a number names nothing on a guid server")

	var stats struct{ Deliveries map[string]int }
	fakeStats(t, b, &stats)
	assert.Equal(t, map[string]int{run: 1}, stats.Deliveries)

	// The catalogue keeps its integer ids.
	res, body := exchange(t, http.DefaultClient, b, "GET", "/api/v1/ws/main/jobs")
	require.Equal(t, http.StatusOK, res.StatusCode)
	var jobs []map[string]any
	require.NoError(t, json.Unmarshal(body, &jobs))
	require.NotEmpty(t, jobs)
	assert.Equal(t, float64(42), jobs[0]["id"])

}

// A bad -ids names the flag, the value and the accepted styles on the first line.
func TestRunExplainsBadIDs(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"-ids", "uuid"}, &stdout, &stderr))
	assert.Empty(t, stdout.String())
	first, _, _ := strings.Cut(stderr.String(), "\n")
	assert.Contains(t, first, `-ids`)
	assert.Contains(t, first, `"uuid"`)
	assert.Contains(t, first, "use int or guid")
}
