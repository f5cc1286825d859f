package dispatch

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cxclient/cxreports/cxfake"
)

// Every JSON-returning method answers the server's JSON exactly as sent: values,
// types, key order, nulls, floats, string ids and members nobody documented.
func TestJSONMethodsPassTheAnswerThrough(t *testing.T) {
	const g = "3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f"
	answers := map[string]string{
		"/api/v1/ws/1/reports/160/export":                              `{"temporaryFileId":"` + g + `","queuedAt":null,"weight":1.0}`,
		"/api/v1/ws/1/exports/" + g + "/status":                        `{"status":"Completed","isReady":true,"id":"` + g + `","contentSize":12.5,"errorMessage":null,"new":{"a":[1,"2"]}}`,
		"/api/v1/ws/1/temporary-data":                                  `{"expiryDate":"2030-01-01T00:00:00Z","tempDataId":"` + g + `"}`,
		"/api/v1/ws/1/jobs/42/runs":                                    `{"jobRunId":"` + g + `","x":1e3}`,
		"/api/v1/ws/1/jobs/42/runs/" + g + "/status":                   `{"finished":true,"entries":"3","status":{"queued":0.0,"later":true}}`,
		"/api/v1/ws/1/jobs/42/runs/" + g + "/generate-review-document": `{"temporaryFileId":7.0}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		a, ok := answers[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, a)
	}))
	defer srv.Close()
	lib := &Library{}
	h, errEnv := lib.NewClient([]byte(`{"base_url":"` + srv.URL + `","token":"t0k3n","default_workspace_id":1}`))
	if h == 0 {
		t.Fatalf("NewClient: %s", errEnv)
	}
	defer lib.FreeClient(h)
	for _, c := range []struct{ method, args, path string }{
		{"start_report_export", `{"report_id":160}`, "/api/v1/ws/1/reports/160/export"},
		{"get_export_status", `{"temp_file_id":"` + g + `"}`, "/api/v1/ws/1/exports/" + g + "/status"},
		{"wait_for_export", `{"temp_file_id":"` + g + `"}`, "/api/v1/ws/1/exports/" + g + "/status"},
		{"push_temporary_data", `{"data":{"a":1}}`, "/api/v1/ws/1/temporary-data"},
		{"start_job_run", `{"job_id":42}`, "/api/v1/ws/1/jobs/42/runs"},
		{"get_job_run_status", `{"job_id":42,"run_id":"` + g + `"}`, "/api/v1/ws/1/jobs/42/runs/" + g + "/status"},
		{"wait_for_job_run", `{"job_id":42,"run_id":"` + g + `"}`, "/api/v1/ws/1/jobs/42/runs/" + g + "/status"},
		{"get_run_review_document", `{"job_id":42,"run_id":"` + g + `"}`, "/api/v1/ws/1/jobs/42/runs/" + g + "/generate-review-document"},
	} {
		env := lib.Call(h, c.method, []byte(c.args), false).Envelope
		want := `{"ok":true,"data":` + answers[c.path] + `}`
		if string(env) != want {
			t.Errorf("%s:\n got %s\nwant %s", c.method, env, want)
		}
	}
}

// The export, temporary-data, preview and job flows through the dispatcher with
// the fake sending GUID ids: each id goes back as a string, exactly as received.
func TestFlowsWithGUIDIds(t *testing.T) {
	f := newFixture(t, cxfake.WithIDs(cxfake.GUIDIDs))
	start := f.ok(t, "start_report_export", `{"report_id":160}`)
	tf := field[string](t, start, "temporaryFileId")
	if len(tf) != 36 {
		t.Fatalf("temporaryFileId %q is not a GUID", tf)
	}
	st := f.ok(t, "wait_for_export", `{"temp_file_id":"`+tf+`","poll_interval":0.01}`)
	if field[string](t, st, "id") != tf {
		t.Fatalf("status id: %s", st)
	}
	if res := f.lib.Call(f.h, "get_export_content", []byte(`{"temp_file_id":"`+tf+`"}`), true); !strings.HasPrefix(string(bodyBytes(res)), "%PDF") {
		t.Fatalf("content: %s", res.Envelope)
	}
	d := f.ok(t, "export_to_file", `{"report_id":160,"path":`+strconv.Quote(filepath.Join(t.TempDir(), "e.pdf"))+`,"poll_interval":0.01}`)
	if id := field[string](t, d, "temporary_file_id"); len(id) != 36 {
		t.Fatalf("export_to_file temporary_file_id: %s", d)
	}
	td := field[string](t, f.ok(t, "push_temporary_data", `{"data":{"rows":[1]}}`), "tempDataId")
	if res := f.lib.Call(f.h, "get_pdf", []byte(`{"report_id":160,"params":{"tempDataId":"`+td+`"}}`), true); !strings.HasPrefix(string(bodyBytes(res)), "%PDF") {
		t.Fatalf("get_pdf with tempDataId: %s", res.Envelope)
	}
	if u := f.ok(t, "get_preview_url", `{"report_id":160,"data":{"x":1}}`); !strings.Contains(string(u), "tempDataId=") {
		t.Fatalf("preview url: %s", u)
	}
	run := field[string](t, f.ok(t, "start_job_run", `{"job_id":"monthly"}`), "jobRunId")
	f.ok(t, "wait_for_job_run", `{"job_id":"monthly","run_id":"`+run+`","poll_interval":0.01}`)
	review := field[string](t, f.ok(t, "get_run_review_document", `{"job_id":"monthly","run_id":"`+run+`"}`), "temporaryFileId")
	f.ok(t, "wait_for_export", `{"temp_file_id":"`+review+`","poll_interval":0.01}`)
	f.ok(t, "deliver_job_run_entries", `{"job_id":"monthly","run_id":"`+run+`"}`)
	if n := f.srv.DeliveriesOf(run); n != 1 {
		t.Fatalf("deliveries of %s: %d", run, n)
	}
}
