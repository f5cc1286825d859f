package dispatch

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every method of the table, called through Library.Call against the fake server.

func TestListMethods(t *testing.T) {
	f := newFixture(t)
	cases := []struct{ method, args, want string }{
		{"get_workspaces", `{}`, `"code":"main"`},
		{"get_report_types", `{}`, `invoice`},
		{"get_report_types", `{"workspace_id":0}`, `invoice`},
		{"get_themes", `{"workspace_id":"sales team"}`, `dark`},
		{"get_templates", `{"workspace_id":26}`, `Default`},
		{"get_jobs", `{}`, `monthly`},
		{"get_reports", `{"type":"invoice","offset":0,"limit":1}`, `Invoice`},
		{"get_reports", `{"type":null}`, `Other report`},
		{"get_report_pages", `{"report_id":160}`, `[`},
		{"get_report_pages", `{"report_id":"invoice"}`, `[`},
		{"create_auth_token", `{}`, `nonce`},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			if got := f.ok(t, c.method, c.args); !strings.Contains(string(got), c.want) {
				t.Fatalf("%s %s: %s lacks %s", c.method, c.args, got, c.want)
			}
		})
	}
	// workspace_id 0 must reach the server as 0, not as "absent".
	f.srv.Reset()
	f.ok(t, "get_themes", `{"workspace_id":0}`)
	if reqs := f.srv.Requests(); len(reqs) != 1 || reqs[0].Path != "/api/v1/ws/0/themes" {
		t.Fatalf("workspace 0 went to %+v", reqs)
	}
}

func TestBinaryMethods(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ method, args string }{
		{"get_pdf", `{"report_id":160,"params":{"b":1,"a":2},"theme":"dark","template":2}`},
		{"post_pdf", `{"report_id":160,"request_body":{"params":{"x":1}}}`},
	} {
		expectCode(t, f.lib.Call(f.h, c.method, []byte(c.args), false).Envelope, CodeBinaryResult, "")
		res := f.lib.Call(f.h, c.method, []byte(c.args), true)
		e := decodeEnvelope(t, res.Envelope)
		if !e.OK || !bytes.HasPrefix(bodyBytes(res), []byte("%PDF")) {
			t.Fatalf("%s: %s, %d bytes", c.method, res.Envelope, len(bodyBytes(res)))
		}
		if n := field[int](t, e.Data, "bytes"); n != len(bodyBytes(res)) {
			t.Fatalf("%s: data.bytes %d, got %d", c.method, n, len(bodyBytes(res)))
		}
		if ct := field[string](t, e.Data, "content_type"); ct != "application/pdf" {
			t.Fatalf("%s: content_type %q", c.method, ct)
		}
		field[string](t, e.Data, "filename")
	}
	// A JSON method through the bytes path has no bytes.
	if res := f.lib.Call(f.h, "get_workspaces", []byte(`{}`), true); res.Body != nil {
		t.Fatalf("get_workspaces returned bytes")
	}
}

func TestExportFlow(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	start := f.ok(t, "start_report_export", `{"report_id":160,"request_body":{"format":"pdf"}}`)
	id := string(field[json.RawMessage](t, start, "temporaryFileId"))
	status := f.ok(t, "get_export_status", `{"temp_file_id":`+id+`}`)
	field[string](t, status, "status")
	done := f.ok(t, "wait_for_export", `{"temp_file_id":`+id+`,"poll_interval":0.01,"max_interval":0.05,"timeout":10}`)
	if s := field[string](t, done, "status"); s != "Completed" {
		t.Fatalf("wait_for_export: %s", done)
	}
	res := f.lib.Call(f.h, "get_export_content", []byte(`{"temp_file_id":`+id+`}`), true)
	if !decodeEnvelope(t, res.Envelope).OK || !bytes.HasPrefix(bodyBytes(res), []byte("%PDF")) {
		t.Fatalf("get_export_content: %s", res.Envelope)
	}
	path := filepath.Join(dir, "content.pdf")
	d := f.ok(t, "save_export_content", `{"temp_file_id":`+id+`,"path":`+strconv.Quote(path)+`}`)
	checkFile(t, path, d)

	path = filepath.Join(dir, "export.pdf")
	d = f.ok(t, "export_to_file", `{"report_id":160,"path":`+strconv.Quote(path)+`,"poll_interval":0.01}`)
	checkFile(t, path, d)
}

func TestFileMethods(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "get.pdf")
	checkFile(t, path, f.ok(t, "save_pdf", `{"report_id":160,"path":`+strconv.Quote(path)+`,"params":{"lang":"en"},"theme":3}`))
	path = filepath.Join(dir, "post.pdf")
	checkFile(t, path, f.ok(t, "save_post_pdf", `{"report_id":"invoice","path":`+strconv.Quote(path)+`,"request_body":{}}`))
}

func checkFile(t *testing.T, path string, data json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("%s: not a PDF (%v)", path, err)
	}
	if n := field[int64](t, data, "bytes"); n != int64(len(b)) {
		t.Fatalf("Download.bytes %d, file has %d", n, len(b))
	}
}

func TestTemporaryDataAndPreview(t *testing.T) {
	f := newFixture(t)
	td := f.ok(t, "push_temporary_data", `{"data":{"z":1,"a":[1,2]},"expiry_date":"2099-01-01T00:00:00Z"}`)
	field[json.RawMessage](t, td, "tempDataId")
	f.ok(t, "push_temporary_data", `{"data":[1,2,3]}`)

	var url string
	json.Unmarshal(f.ok(t, "get_preview_url", `{"report_id":160,"query_params":{"lang":"en"}}`), &url)
	if !strings.Contains(url, "/reports/160/preview?") || !strings.Contains(url, "nonce=") || !strings.Contains(url, "lang=en") {
		t.Fatalf("preview url %s", url)
	}
	json.Unmarshal(f.ok(t, "get_preview_url", `{"report_id":160,"data":{"k":"v"},"workspace_id":"main"}`), &url)
	if !strings.Contains(url, "tempDataId=") {
		t.Fatalf("preview url with data lacks tempDataId: %s", url)
	}
	json.Unmarshal(f.ok(t, "get_pdf_url", `{"report_id":160,"theme":"dark","params":{"lang":"de"}}`), &url)
	if !strings.Contains(url, "/reports/160/pdf") || !strings.Contains(url, "theme=dark") || strings.Contains(url, f.srv.Token) {
		t.Fatalf("pdf url %s", url)
	}
}

func TestJobMethods(t *testing.T) {
	f := newFixture(t)
	start := f.ok(t, "start_job_run", `{"job_id":42,"request_body":{"params":{}}}`)
	run := string(field[json.RawMessage](t, start, "jobRunId"))
	args := `{"job_id":42,"run_id":` + run + `}`
	f.ok(t, "get_job_run_status", args)
	f.ok(t, "wait_for_job_run", `{"job_id":"monthly","run_id":`+run+`,"poll_interval":0.01,"timeout":10}`)
	field[json.RawMessage](t, f.ok(t, "get_run_review_document", args), "temporaryFileId")
	if got := string(f.ok(t, "deliver_job_run_entries", args)); got != "null" {
		t.Fatalf("deliver: %s", got)
	}
	runID, _ := strconv.ParseInt(run, 10, 64)
	if f.srv.Deliveries(runID) != 1 {
		t.Fatalf("deliveries %d", f.srv.Deliveries(runID))
	}
	f.ok(t, "start_job_run", `{"job_id":"daily"}`)
}

// The caller's key order inside params / request_body must reach the server.
func TestKeyOrderIsForwarded(t *testing.T) {
	f := newFixture(t)
	f.srv.Reset()
	f.lib.Call(f.h, "post_pdf", []byte(`{"report_id":160,"request_body":{"zeta":1,"alpha":{"y":1,"b":2},"format":"pdf"}}`), true)
	reqs := f.srv.Requests()
	if len(reqs) != 1 || !inOrder(string(reqs[0].Body), `"zeta"`, `"alpha"`, `"y"`, `"b"`, `"format"`) {
		t.Fatalf("body order lost: %q", reqs[0].Body)
	}
	f.srv.Reset()
	f.lib.Call(f.h, "get_pdf", []byte(`{"report_id":160,"params":{"format":"pdf","excludePages":"2","zz":"1","aa":"2"}}`), true)
	reqs = f.srv.Requests()
	if q := reqs[0].RawQuery; !inOrder(q, "format=", "excludePages=", "zz=", "aa=") {
		t.Fatalf("query order lost: %s", q)
	}
}

// A string id keeps its text; a numeric one is a number.
func TestIDsAsStringsAndNumbers(t *testing.T) {
	f := newFixture(t)
	f.srv.Reset()
	f.ok(t, "get_report_pages", `{"report_id":"160"}`)
	f.ok(t, "get_report_pages", `{"report_id":160.0}`)
	for _, r := range f.srv.Requests() {
		if r.Path != "/api/v1/ws/1/reports/160/pages" {
			t.Fatalf("path %s", r.Path)
		}
	}
}

// inOrder reports whether every part occurs in s, each after the previous one.
func inOrder(s string, parts ...string) bool {
	at := 0
	for _, p := range parts {
		i := strings.Index(s[at:], p)
		if i < 0 {
			return false
		}
		at += i + len(p)
	}
	return true
}
