package cxfake

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerFields(t *testing.T) {
	srv := newTestServer(t, WithToken("secret"))
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, srv.URL)
	assert.Equal(t, "secret", srv.Token)
	assert.Equal(t, int64(1), srv.WorkspaceID)
	assert.Equal(t, "main", srv.WorkspaceCode)

	other := newTestServer(t)
	assert.NotEmpty(t, other.Token)
	assert.NotEqual(t, srv.URL, other.URL)
}

func TestStartReportsListenError(t *testing.T) {
	srv := newTestServer(t)
	_, err := Start(WithAddr(srv.URL[len("http://"):]))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot listen")
	assert.Panics(t, func() { NewServer(WithAddr("256.0.0.1:0")) })
}

func TestWorkspaces(t *testing.T) {
	srv := newTestServer(t)
	r := do(t, srv, "GET", "/api/v1/workspaces", "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	assert.NotEmpty(t, r.Header.Get("X-Request-Id"))
	var ws []map[string]any
	r.json(t, &ws)
	require.Len(t, ws, 3)
	codes := map[float64]string{}
	for _, w := range ws {
		codes[w["id"].(float64)] = w["code"].(string)
		for _, k := range []string{"name", "description", "createdAt"} {
			assert.Contains(t, w, k)
		}
	}
	assert.Equal(t, map[float64]string{1: "main", 0: "zero", 26: "sales team"}, codes)
}

func TestAuth(t *testing.T) {
	srv := newTestServer(t)
	for _, path := range []string{"/api/v1/workspaces", "/api/v1/ws/1/reports", "/api/v1/ws/nope/reports", "/api/v1/unknown"} {
		r := doToken(t, srv, "GET", path, "", "")
		r.isError(t, http.StatusUnauthorized, "Unauthenticated", path)
		assert.NotEmpty(t, r.Header.Get("X-Request-Id"))

		r = doToken(t, srv, "GET", path, "", "wrong")
		r.isError(t, http.StatusUnauthorized, "not valid", path)
	}
	r := doToken(t, srv, "POST", "/api/v1/nonce-tokens", "", "")
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
}

// Every workspace-scoped list endpoint, in every workspace, by id and by code.
func TestCatalogueByIDAndCode(t *testing.T) {
	srv := newTestServer(t)
	for _, ws := range []string{"1", "main", "0", "zero", "26", "sales%20team"} {
		var types []reportType
		do(t, srv, "GET", "/api/v1/ws/"+ws+"/report-types", "").json(t, &types)
		require.Len(t, types, 2, ws)
		assert.Equal(t, "invoice", types[0].Code)
		assert.Equal(t, int64(160), types[0].DefaultReportID)
		assert.Equal(t, "other", types[1].Code)

		var themes, templates []namedItem
		do(t, srv, "GET", "/api/v1/ws/"+ws+"/themes", "").json(t, &themes)
		assert.Equal(t, []namedItem{{ID: 3, Code: "dark", Name: "Dark"}}, themes)
		do(t, srv, "GET", "/api/v1/ws/"+ws+"/templates", "").json(t, &templates)
		assert.Equal(t, []namedItem{{ID: 2, Code: "Default", Name: "Default"}}, templates)

		var reports []map[string]any
		do(t, srv, "GET", "/api/v1/ws/"+ws+"/reports", "").json(t, &reports)
		require.Len(t, reports, 2)
		assert.Equal(t, "Invoice", reports[0]["name"])
		assert.Equal(t, "Other report", reports[1]["name"])
		for _, k := range []string{"id", "reportTypeId", "reportTypeName", "reportTemplateName", "previewImage", "themeName", "isDefault"} {
			assert.Contains(t, reports[1], k)
		}

		var jobs []job
		do(t, srv, "GET", "/api/v1/ws/"+ws+"/jobs", "").json(t, &jobs)
		require.Len(t, jobs, 2)
		assert.Equal(t, "monthly", jobs[0].Code)
		assert.True(t, jobs[0].ReviewRequired)
		assert.Equal(t, int64(43), jobs[1].ID)
		assert.False(t, jobs[1].ReviewRequired)
	}
	// A space may also arrive unescaped-looking as %20 only; "+" is a literal plus in a path.
	r := do(t, srv, "GET", "/api/v1/ws/sales+team/reports", "")
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
}

func TestReportsFilterAndPaging(t *testing.T) {
	srv := newTestServer(t)
	ids := func(path string) []int64 {
		var reps []report
		do(t, srv, "GET", path, "").json(t, &reps)
		out := []int64{}
		for _, r := range reps {
			out = append(out, r.ID)
		}
		return out
	}
	assert.Equal(t, []int64{160}, ids("/api/v1/ws/1/reports?type=invoice"))
	assert.Equal(t, []int64{161}, ids("/api/v1/ws/1/reports?type=other"))
	assert.Equal(t, []int64{}, ids("/api/v1/ws/1/reports?type=nope"))
	assert.Equal(t, []int64{161}, ids("/api/v1/ws/1/reports?offset=1"))
	assert.Equal(t, []int64{160}, ids("/api/v1/ws/1/reports?limit=1"))
	assert.Equal(t, []int64{}, ids("/api/v1/ws/1/reports?offset=5&limit=1"))
	for _, q := range []string{"offset=-1", "limit=x"} {
		r := do(t, srv, "GET", "/api/v1/ws/1/reports?"+q, "")
		assert.Equal(t, http.StatusBadRequest, r.StatusCode, q)
		assert.NotEmpty(t, r.errorText(t))
	}
}

func TestReportPages(t *testing.T) {
	srv := newTestServer(t)
	var pages []reportPage
	do(t, srv, "GET", "/api/v1/ws/main/reports/160/pages", "").json(t, &pages)
	require.Len(t, pages, 3)
	assert.Equal(t, []string{"page", "subreport", "document-merge"}, []string{pages[0].Type, pages[1].Type, pages[2].Type})
	var viaType []reportPage
	do(t, srv, "GET", "/api/v1/ws/main/reports/invoice/pages", "").json(t, &viaType)
	assert.Equal(t, pages, viaType)
	do(t, srv, "GET", "/api/v1/ws/main/reports/other/pages", "").json(t, &viaType)
	assert.Len(t, viaType, 1)
}

func TestNotFound(t *testing.T) {
	srv := newTestServer(t)
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/api/v1/ws/99/reports", "workspace"},
		{"GET", "/api/v1/ws/nope/themes", "workspace"},
		{"GET", "/api/v1/ws/1/reports/999/pages", "report"},
		{"GET", "/api/v1/ws/1/reports/nosuchtype/pdf", "report"},
		{"POST", "/api/v1/ws/1/reports/999/pdf", "report"},
		{"POST", "/api/v1/ws/1/reports/999/export", "report"},
		{"GET", "/api/v1/ws/1/exports/999/status", "export"},
		{"GET", "/api/v1/ws/1/exports/abc/content", "export"},
		{"POST", "/api/v1/ws/1/jobs/999/runs", "job"},
		{"GET", "/api/v1/ws/1/jobs/42/runs/999/status", "run"},
		{"POST", "/api/v1/ws/1/jobs/nope/runs/1/deliver", "job"},
		{"POST", "/api/v1/ws/1/jobs/42/runs/999/generate-review-document", "run"},
		{"GET", "/api/v1/nothing", "no such endpoint"},
		{"GET", "/api/v1/workspaces/", "no such endpoint"},
	} {
		r := do(t, srv, c.method, c.path, "")
		r.isError(t, http.StatusNotFound, c.want, c.path)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	srv := newTestServer(t)
	r := do(t, srv, "DELETE", "/api/v1/workspaces", "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.StatusCode)
	assert.Equal(t, "GET", r.Header.Get("Allow"))
	assert.Contains(t, r.errorText(t), "not allowed")
}
