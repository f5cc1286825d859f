package dispatch

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Text that is not UTF-8, or \u escapes of half a surrogate pair, would reach the
// core as U+FFFD and name another report: such a call is invalid_argument (the
// config invalid_config) and sends nothing.
func TestInvalidUTF8IsRejectedBeforeSending(t *testing.T) {
	f := newFixture(t)
	path := strconv.Quote(filepath.Join(t.TempDir(), "x.pdf"))
	cases := []struct{ method, args, mention string }{
		{"get_report_pages\xff", `{"report_id":160}`, "method name is not valid UTF-8 (byte 16)"},
		{"\xc3", `{}`, "method name is not valid UTF-8 (byte 0)"},
		{"get_report_pages", "{\"report_id\":\"ab\xff\"}", "args_json is not valid UTF-8 (byte 16)"},
		{"get_report_pages", "{\"report_id\":\"\xed\xa0\x80\"}", "not valid UTF-8"}, // a surrogate in UTF-8 form
		{"get_report_pages", `{"report_id":"\ud800"}`, "half a UTF-16 surrogate pair (byte 14)"},
		{"get_report_pages", `{"report_id":"\udc00x"}`, "surrogate"},
		{"get_report_pages", `{"report_id":"\ud800\u0041"}`, "surrogate"},
		{"get_pdf", `{"report_id":160,"params":{"lang":"\uD83D"}}`, "surrogate"},
		{"post_pdf", `{"report_id":160,"request_body":{"params":{"\udfff":1}}}`, "surrogate"},
		{"save_pdf", "{\"report_id\":160,\"path\":\"/tmp/\xfe.pdf\"}", "not valid UTF-8"},
		{"export_to_file", `{"report_id":160,"path":` + path + `,"request_body":{"data":["\ud801"]}}`, "surrogate"},
	}
	for _, c := range cases {
		e := f.fail(t, c.method, c.args, CodeInvalidArgument)
		if !strings.Contains(e.Message, c.mention) || !strings.Contains(e.Message, "nothing was sent") {
			t.Errorf("%q %q: message %q lacks %q", c.method, c.args, e.Message, c.mention)
		}
		got := make(chan Result, 1)
		_, start := f.lib.CallAsync(f.h, c.method, []byte(c.args), func(_ uint64, r Result) { got <- r }, nil)
		start()
		expectCode(t, (<-got).Envelope, CodeInvalidArgument, f.srv.Token)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Fatalf("rejected calls still sent %d requests", n)
	}

	// Escapes that are characters pass: a pair, and a backslash before "ud800".
	for _, lang := range []string{`"\ud83d\ude00"`, `"\\ud800"`, `"\u00e9\uFFFD"`} {
		data := f.ok(t, "get_pdf_url", `{"report_id":160,"params":{"lang":`+lang+`}}`)
		var u string
		if err := json.Unmarshal(data, &u); err != nil || !strings.Contains(u, "lang=") {
			t.Fatalf("get_pdf_url with %s: %s", lang, data)
		}
	}

	lib := &Library{}
	for _, cfg := range []string{
		"{\"base_url\":\"" + f.srv.URL + "\",\"token\":\"t\xff\"}",
		`{"base_url":"` + f.srv.URL + `","token":"\udfff"}`,
		`{"base_url":"` + f.srv.URL + `","token":"t","default_workspace_id":"\ud800"}`,
	} {
		h, env := lib.NewClient([]byte(cfg))
		if h != 0 {
			t.Fatalf("%q: got a handle", cfg)
		}
		e := expectCode(t, env, CodeInvalidConfig, "")
		if !strings.Contains(e.Message, "config_json") {
			t.Errorf("%q: message %q", cfg, e.Message)
		}
	}
}

// An unknown name of a megabyte costs bounded work and gets a short message
// without a suggestion; typos of real names still get one.
func TestUnknownMethodNameIsBounded(t *testing.T) {
	huge := strings.Repeat("get_pdf", 150_000) // ~1 MB, containing a method's name
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	msg := unknownMethodMessage(huge)
	runtime.ReadMemStats(&after)
	// The old typo search allocated two rows of the name's length per method
	// (over 400 MB here); the bounded one allocates next to nothing.
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Fatalf("the message for a 1 MB name allocated %d bytes", n)
	}
	if len(msg) > 300 || strings.Contains(msg, "did you mean") || !strings.Contains(msg, "(1050000 bytes)") {
		t.Fatalf("message for a 1 MB name: %q", msg)
	}

	f := newFixture(t)
	res := f.lib.Call(f.h, huge, []byte(`{}`), true)
	if len(res.Envelope) > 500 {
		t.Fatalf("envelope of %d bytes", len(res.Envelope))
	}
	expectCode(t, res.Envelope, CodeUnknownMethod, "")

	for name, want := range map[string]string{
		"get_workspacez":                    "did you mean get_workspaces?",
		"xx_get_run_review_document_v2":     "did you mean get_run_review_document?", // longest + 6 bytes
		"get_run_review_document_version_2": "cx_methods() lists",                    // past the bound: no search
		"pdf":                               "get_pdf or get_pdf_url or post_pdf",
	} {
		if m := unknownMethodMessage(name); !strings.Contains(m, want) {
			t.Errorf("%q: %q lacks %q", name, m, want)
		}
	}
	if m := unknownMethodMessage("get_run_review_document_version_2"); strings.Contains(m, "did you mean") {
		t.Errorf("a name past the bound got a suggestion: %q", m)
	}
}

// A query too long for a URL is invalid_input before anything is sent, naming the
// limit and the C ABI's methods to use instead.
func TestLongQueryThroughTheABI(t *testing.T) {
	f := newFixture(t)
	big := strconv.Quote(strings.Repeat("x", 70_000))
	path := strconv.Quote(filepath.Join(t.TempDir(), "x.pdf"))
	for _, c := range []struct{ method, args string }{
		{"get_pdf", `{"report_id":160,"params":{"params":{"title":` + big + `}}}`},
		{"save_pdf", `{"report_id":160,"path":` + path + `,"params":{"lang":` + big + `}}`},
		{"get_pdf_url", `{"report_id":160,"params":{"lang":` + big + `}}`},
		{"get_preview_url", `{"report_id":160,"query_params":{"lang":` + big + `}}`},
		{"get_preview_url", `{"report_id":160,"query_params":{"lang":` + big + `},"data":{"a":1}}`},
	} {
		e := f.fail(t, c.method, c.args, "invalid_input")
		for _, want := range []string{"65536 bytes", "post_pdf", "push_temporary_data", "nothing was sent"} {
			if !strings.Contains(e.Message, want) {
				t.Errorf("%s: message %q lacks %q", c.method, e.Message, want)
			}
		}
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}
