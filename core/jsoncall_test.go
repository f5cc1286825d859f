package core

import (
	"net/http"
	"testing"

	json "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RawJSON hands back the server's bytes untouched (member order, unknown members,
// spacing inside) and skips the typed result, for every method that honours it.
func TestRawJSONKeepsTheAnswerVerbatim(t *testing.T) {
	answers := map[string]string{
		"/api/v1/workspaces":           ` [{"zeta":1,"id":7,"name":"A" ,"extra":{"b":2,"a":1}}] `,
		"/api/v1/ws/1/report-types":    `[{"code":"x"}]`,
		"/api/v1/ws/1/themes":          `[]`,
		"/api/v1/ws/1/templates":       `null`,
		"/api/v1/ws/1/jobs":            `[{"id":1}]`,
		"/api/v1/ws/1/reports":         `[{"id":2,"isDefault":true}]`,
		"/api/v1/ws/1/reports/5/pages": `[{"id":3,"type":"page"}]`,
		"/api/v1/nonce-tokens":         `{"nonce":"n1","more":[1,2]}`,
	}
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answers[r.URL.Path]))
	})
	c, _ := newTestClient(t, rec.URL)
	ctx := ctxT(t)
	var raw json.RawMessage
	check := func(path string, typedZero bool, err error) {
		t.Helper()
		require.NoError(t, err, path)
		assert.True(t, typedZero, "%s: typed result must stay zero", path)
		assert.Equal(t, string(bytesTrim(answers[path])), string(raw), path)
		raw = nil
	}
	ws, err := c.GetWorkspaces(ctx, RawJSON(&raw))
	check("/api/v1/workspaces", ws == nil, err)
	rt, err := c.GetReportTypes(ctx, RawJSON(&raw))
	check("/api/v1/ws/1/report-types", rt == nil, err)
	th, err := c.GetThemes(ctx, RawJSON(&raw))
	check("/api/v1/ws/1/themes", th == nil, err)
	tp, err := c.GetTemplates(ctx, RawJSON(&raw))
	check("/api/v1/ws/1/templates", tp == nil, err)
	jb, err := c.GetJobs(ctx, RawJSON(&raw))
	check("/api/v1/ws/1/jobs", jb == nil, err)
	rp, err := c.GetReports(ctx, ReportsFilter{}, RawJSON(&raw))
	check("/api/v1/ws/1/reports", rp == nil, err)
	pg, err := c.GetReportPages(ctx, ID(5), RawJSON(&raw))
	check("/api/v1/ws/1/reports/5/pages", pg == nil, err)
	n, err := c.CreateAuthToken(ctx, RawJSON(&raw))
	check("/api/v1/nonce-tokens", n.Nonce == "", err)
}

func bytesTrim(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// A raw answer is still checked: junk, a truncated document or the wrong kind is
// an invalid_response error, as with typed decoding, and dst is left alone.
func TestRawJSONStillRejectsWrongAnswers(t *testing.T) {
	for _, body := range []string{`not json`, `[{"id":1}`, `{"id":1}`, `"text"`, ``, `[1] [2]`} {
		t.Run(body, func(t *testing.T) {
			rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			})
			c, _ := newTestClient(t, rec.URL)
			var raw json.RawMessage
			_, err := c.GetWorkspaces(ctxT(t), RawJSON(&raw))
			e := requireCode(t, err, CodeInvalidResponse)
			assert.Equal(t, 200, e.Status)
			assert.Contains(t, e.Message, "is not the expected JSON")
			assert.Nil(t, raw)
		})
	}
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[]`))
	})
	c, _ := newTestClient(t, rec.URL)
	var raw json.RawMessage
	_, err := c.CreateAuthToken(ctxT(t), RawJSON(&raw))
	e := requireCode(t, err, CodeInvalidResponse)
	assert.Contains(t, e.Message, "expected an object")
}
