package cxfake

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake/internal/pdftext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// joined is pdftotext output with the line breaks of wrapping removed.
func joined(text string) string { return strings.ReplaceAll(text, "\n", "") }

func TestGetPDFShowsParamsAndData(t *testing.T) {
	srv := newTestServer(t)
	params := `{"customer": "ACME (east) \\ co", "city": "Z\u00fcrich", "n": 1}`
	q := url.Values{}
	q.Set("params", b64(params))
	q.Set("data", `{"rows": [1, 2]}`)
	q.Set("theme", "dark")
	q.Set("template", "2")
	q.Set("lang", "de")
	q.Set("timezone", "Europe/Zurich")
	q.Set("includeAttachments", "True")
	r := do(t, srv, "GET", "/api/v1/ws/main/reports/160/pdf?"+q.Encode(), "")
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Equal(t, "application/pdf", r.Header.Get("Content-Type"))
	assert.Equal(t, fmt.Sprint(len(r.body)), r.Header.Get("Content-Length"))
	assert.Equal(t, `attachment; filename="Invoice.pdf"; filename*=UTF-8''Invoice.pdf`, r.Header.Get("Content-Disposition"))
	assert.True(t, strings.HasPrefix(string(r.body), "%PDF-1.4"))

	text := pdftext.Text(t, r.body)
	assert.Contains(t, text, "Report: Invoice (id 160)")
	assert.Contains(t, text, "Workspace: main (id 1)")
	assert.Contains(t, text, `Params: {"customer":"ACME (east) \\ co","city":"Z\u00fcrich","n":1}`)
	assert.Contains(t, text, `Data: {"rows":[1,2]}`)
	for _, want := range []string{"Theme: dark", "Template: 2", "Lang: de", "Timezone: Europe/Zurich", "Include attachments: true"} {
		assert.Contains(t, text, want)
	}
}

// Plain JSON params (as the TypeScript and .NET clients send), unpadded base64 and a
// report-type code all work.
func TestGetPDFParamForms(t *testing.T) {
	srv := newTestServer(t)
	for name, v := range map[string]string{
		"json":      `{"k":"v"}`,
		"padded":    b64(`{"k": "v"}`),
		"unpadded":  strings.TrimRight(b64(`{"k": "v"}`), "="),
		"stdBase64": "eyJrIjogInYifQ==",
	} {
		r := do(t, srv, "GET", "/api/v1/ws/1/reports/other/pdf?params="+url.QueryEscape(v), "")
		require.Equal(t, http.StatusOK, r.StatusCode, name+": "+string(r.body))
		text := pdftext.Text(t, r.body)
		assert.Contains(t, text, `Params: {"k":"v"}`, name)
		assert.Contains(t, text, "Report: Other report (id 161)", name)
	}
}

func TestPostPDF(t *testing.T) {
	srv := newTestServer(t)
	body := `{"params": {"a": [1, {"b": null}]}, "data": {"name": "\u00e9t\u00e9 \ud83d\ude00"}, "format": "pdf", "excludePages": [2, 3], "theme": 3, "template": "Default"}`
	r := do(t, srv, "POST", "/api/v1/ws/sales%20team/reports/invoice/pdf", body)
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	text := pdftext.Text(t, r.body)
	assert.Contains(t, text, `Params: {"a":[1,{"b":null}]}`)
	assert.Contains(t, text, `Data: {"name":"\u00e9t\u00e9 \ud83d\ude00"}`)
	assert.Contains(t, text, "Workspace: sales team (id 26)")
	assert.Contains(t, text, "Exclude pages: [2,3]")
	assert.Contains(t, text, "Theme: 3")

	// Raw UTF-8 in the JSON shows the same escapes as Python's escaped form.
	r = do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"data": {"name": "été 😀"}}`)
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, pdftext.Text(t, r.body), `Data: {"name":"\u00e9t\u00e9 \ud83d\ude00"}`)

	// An empty body is the empty object.
	r = do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, pdftext.Text(t, r.body), "Params: null")
}

func TestLongTextWraps(t *testing.T) {
	srv := newTestServer(t)
	long := strings.Repeat("x", 400)
	r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"data": {"long": "`+long+`"}}`)
	require.Equal(t, http.StatusOK, r.StatusCode)
	text := pdftext.Text(t, r.body)
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, len(line), 120, "a line of the page is as wide as the page at most")
	}
	assert.Contains(t, joined(text), `Data: {"long":"`+long+`"}`)
	assert.Contains(t, joined(text), "long"+long, "the data table's cell wraps too")
}

func TestOtherFormats(t *testing.T) {
	srv := newTestServer(t)
	for format, ct := range map[string]string{
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"html": "text/html; charset=utf-8",
		"PDF":  "application/pdf",
	} {
		r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"format": "`+format+`", "data": {"k": "<v>"}}`)
		require.Equal(t, http.StatusOK, r.StatusCode, format)
		assert.Equal(t, ct, r.Header.Get("Content-Type"), format)
		assert.Contains(t, r.Header.Get("Content-Disposition"), "Invoice."+strings.ToLower(format))
		if format != "PDF" {
			assert.Contains(t, string(r.body), "Data: ", format)
		}
	}
}

func TestRenderBadInput(t *testing.T) {
	srv := newTestServer(t)
	for _, c := range []struct{ name, query, want string }{
		{"bad escape", "params=%%%", "malformed query"},
		{"bad base64", "params=@@@", "neither JSON nor base64url"},
		{"base64 of junk", "params=" + b64("not json"), "JSON object"},
		{"params array", "params=" + b64("[1]"), "JSON object"},
		{"broken json", "params=" + url.QueryEscape(`{"a":`), "not valid JSON"},
		{"bad data", "data=" + url.QueryEscape("{nope"), "data is not JSON"},
		{"bad tempDataId", "tempDataId=x", "tempDataId"},
		{"bad bool", "includeAttachments=maybe", "includeAttachments"},
		{"bad format", "format=exe", "unknown format"},
		{"bad pages", "excludePages=a,b", "excludePages"},
		{"unknown theme", "theme=light", "theme"},
		{"unknown template", "template=99", "template"},
		{"bad size", "params=" + b64(`{"fakeSizeBytes": -5}`), "fakeSizeBytes"},
		{"size not number", "params=" + b64(`{"fakeSizeBytes": "big"}`), "fakeSizeBytes"},
		{"bad delay", "params=" + b64(`{"fakeDelayMs": 1.5}`), "fakeDelayMs"},
		{"bad fail", "params=" + b64(`{"fakeFail": 3}`), "fakeFail"},
	} {
		r := do(t, srv, "GET", "/api/v1/ws/1/reports/160/pdf?"+c.query, "")
		r.isError(t, http.StatusBadRequest, c.want, c.name)
	}
	for _, c := range []struct{ name, body, want string }{
		{"array body", `[1,2]`, "must be a JSON object"},
		{"string body", `"x"`, "must be a JSON object"},
		{"junk", `{"params":`, "not valid JSON"},
		{"params number", `{"params": 5}`, "params must be a JSON object"},
		{"format number", `{"format": 5}`, "wrong type"},
		{"format unknown", `{"format": "exe"}`, "unknown format"},
		{"tempDataId bool", `{"tempDataId": true}`, "tempDataId"},
		{"theme object", `{"theme": {}}`, "theme"},
		{"excludePages strings", `{"excludePages": ["a"]}`, "wrong type"},
	} {
		for _, ep := range []string{"pdf", "export"} {
			r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/"+ep, c.body)
			r.isError(t, http.StatusBadRequest, c.want, c.name+" "+ep)
		}
	}
}

func TestRenderFail(t *testing.T) {
	srv := newTestServer(t)
	r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"params": {"fakeFail": "printer on fire"}}`)
	r.isError(t, http.StatusInternalServerError, "printer on fire")
}

// fakeDelayMs holds the answer, and the handler stops when the client leaves.
func TestRenderDelayIsCancellable(t *testing.T) {
	srv := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := sendInBackground(ctx, srv, "GET", "/api/v1/ws/1/reports/160/pdf?params="+b64(`{"fakeDelayMs": 3600000}`), "")
	require.Eventually(t, func() bool { return srv.InFlight() == 1 }, 5*time.Second, 5*time.Millisecond)
	cancel()
	require.Error(t, <-done)
	require.Eventually(t, func() bool { return srv.InFlight() == 0 }, 5*time.Second, 5*time.Millisecond,
		"the delayed handler must end when its client goes away")
}
