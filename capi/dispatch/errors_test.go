package dispatch

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/core"
	"github.com/cxclient/cxreports/cxfake"
)

// Every error code an envelope can carry, each produced for real.

func TestCoreErrorCodes(t *testing.T) {
	f := newFixture(t)
	ws := "/api/v1/workspaces"
	cases := []struct {
		name, method, args, code string
		status                   int
		fault                    *cxfake.Fault
	}{
		{"unauthenticated", "get_workspaces", `{}`, "unauthenticated", 401, &cxfake.Fault{Status: 401}},
		{"html login", "get_workspaces", `{}`, "unauthenticated", 0, &cxfake.Fault{HTMLLogin: true}},
		{"not_found", "get_report_pages", `{"report_id":999999}`, "not_found", 404, nil},
		{"http_error", "get_workspaces", `{}`, "http_error", 400, &cxfake.Fault{Status: 400, Body: `{"error":"bad things"}`}},
		{"invalid_response", "get_workspaces", `{}`, "invalid_response", 0, &cxfake.Fault{MalformedJSON: true}},
		{"connection", "get_workspaces", `{}`, "connection", 0, &cxfake.Fault{DropMidBody: true}},
		{"timeout", "get_workspaces", `{"timeout":0.05}`, "timeout", 0, &cxfake.Fault{Latency: 2 * time.Second}},
		{"export_failed", "export_to_file", `{"report_id":160,"path":` + strconv.Quote(filepath.Join(t.TempDir(), "x.pdf")) +
			`,"request_body":{"params":{"fakeFail":"no ink"}},"poll_interval":0.01}`, "export_failed", 0, nil},
		{"io_error", "save_pdf", `{"report_id":160,"path":` + strconv.Quote(filepath.Join(t.TempDir(), "missing", "x.pdf")) + `}`, "io_error", 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.srv.Reset()
			if c.fault != nil {
				// Enough faults for every retry the client may make.
				f.srv.Inject(http.MethodGet, ws, *c.fault, *c.fault, *c.fault)
			}
			e := f.fail(t, c.method, c.args, c.code)
			if c.status != 0 && e.Status != c.status {
				t.Fatalf("status %d, want %d (%s)", e.Status, c.status, e.Message)
			}
			if c.code == "http_error" && e.ServerMessage != "bad things" {
				t.Fatalf("server message %q", e.ServerMessage)
			}
			if c.code == "export_failed" && !strings.Contains(e.ServerMessage+e.Message, "no ink") {
				t.Fatalf("export_failed lost the server's reason: %+v", e)
			}
			if c.status != 0 && (e.Method == "" || e.URL == "") {
				t.Fatalf("HTTP error without method/url: %+v", e)
			}
		})
	}
}

func TestInvalidInputFromCore(t *testing.T) {
	f := newFixture(t)
	// A query value the Python rules cannot encode is the core's invalid_input.
	f.fail(t, "get_pdf_url", `{"report_id":160,"params":{"lang":{"nested":true}}}`, "invalid_input")
}

func TestCanceledAndFreedHandle(t *testing.T) {
	f := newFixture(t)
	got := make(chan Result, 1)
	id, start := f.lib.CallAsync(f.h, "get_pdf", []byte(`{"report_id":160,"params":{"params":{"fakeDelayMs":20000}}}`),
		func(_ uint64, r Result) { got <- r }, nil)
	start()
	waitInFlight(t, f.srv)
	if !f.lib.Cancel(id) {
		t.Fatal("Cancel: not in flight")
	}
	e := expectCode(t, (<-got).Envelope, CodeCanceled, "")
	if !strings.Contains(e.Message, "cx_cancel") {
		t.Fatalf("cancel message does not say why: %s", e.Message)
	}
	if f.lib.Cancel(id) {
		t.Fatal("Cancel after done reported in flight")
	}

	waitIdle(t, f.srv)
	// Freeing the handle cancels a synchronous call in flight on another goroutine.
	sync := make(chan Result, 1)
	go func() {
		sync <- f.lib.Call(f.h, "get_pdf", []byte(`{"report_id":160,"params":{"params":{"fakeDelayMs":20000}}}`), true)
	}()
	waitInFlight(t, f.srv)
	if env := decodeEnvelope(t, f.lib.FreeClient(f.h)); !env.OK {
		t.Fatalf("free: %+v", env.Error)
	}
	e = expectCode(t, (<-sync).Envelope, CodeCanceled, "")
	if !strings.Contains(e.Message, "cx_client_free") {
		t.Fatalf("free message does not say why: %s", e.Message)
	}
}

// waitInFlight waits until the fake server is handling a request.
func waitInFlight(t *testing.T, srv *cxfake.Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if srv.InFlight() > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no request reached the fake server")
}

func TestCLayerErrorCodes(t *testing.T) {
	f := newFixture(t)
	tok := f.srv.Token
	cases := []struct{ method, args, code, mention string }{
		{"get_workspaces", ``, CodeInvalidArgument, "empty"},
		{"get_workspaces", `{`, CodeInvalidArgument, "not valid JSON"},
		{"get_report_pages", `{"report_id":160`, CodeInvalidArgument, "truncated"},
		{"get_workspaces", `[]`, CodeInvalidArgument, "array"},
		{"get_workspaces", `"x"`, CodeInvalidArgument, "string"},
		{"get_workspaces", `{} {}`, CodeInvalidArgument, "not valid JSON"},
		{"get_report_pages", `{}`, CodeInvalidArgument, `missing required argument "report_id"`},
		{"get_report_pages", `{"report_id":null}`, CodeInvalidArgument, `missing required argument "report_id"`},
		{"get_report_pages", `{"report_id":true}`, CodeInvalidArgument, `"report_id" must be an integer id or a string code, got boolean`},
		{"get_report_pages", `{"report_id":1.5}`, CodeInvalidArgument, `"report_id"`},
		{"get_report_pages", `{"report_id":""}`, CodeInvalidArgument, `non-empty`},
		{"get_report_pages", `{"report_id":1e400}`, CodeInvalidArgument, `"report_id"`},
		{"get_report_pages", `{"report_id":160,"reportid":1}`, CodeInvalidArgument, `unknown argument "reportid"`},
		{"get_workspaces", `{"workspace_id":1}`, CodeInvalidArgument, `it accepts interrupt_fd, timeout`},
		{"get_pdf", `{"report_id":160,"params":"a=b"}`, CodeInvalidArgument, `"params" must be a JSON object, got string`},
		{"post_pdf", `{"report_id":160,"request_body":[]}`, CodeInvalidArgument, `"request_body" must be a JSON object, got array`},
		{"get_preview_url", `{"report_id":160,"query_params":1}`, CodeInvalidArgument, `"query_params"`},
		{"push_temporary_data", `{"data":"text"}`, CodeInvalidArgument, `"data" must be a JSON object or array`},
		{"push_temporary_data", `{}`, CodeInvalidArgument, `missing required argument "data"`},
		{"get_reports", `{"limit":"5"}`, CodeInvalidArgument, `"limit" must be an integer, got string`},
		{"get_reports", `{"offset":-1}`, CodeInvalidArgument, `"offset"`},
		{"get_reports", `{"type":5}`, CodeInvalidArgument, `"type" must be a string, got number`},
		{"save_pdf", `{"report_id":160,"path":""}`, CodeInvalidArgument, `"path" must be a non-empty string`},
		{"get_pdf", `{"report_id":160,"theme":true}`, CodeInvalidArgument, `"theme"`},
		{"get_workspaces", `{"timeout":-1}`, CodeInvalidArgument, `"timeout" must be a non-negative number of seconds`},
		{"get_workspaces", `{"timeout":"1"}`, CodeInvalidArgument, `"timeout" must be a number of seconds, got string`},
		{"wait_for_export", `{"temp_file_id":1,"poll_interval":[]}`, CodeInvalidArgument, `"poll_interval"`},
		{"get_workspaces", `{"interrupt_fd":-1}`, CodeInvalidArgument, `"interrupt_fd" must be a file descriptor number (an integer from 0 to 2147483647), got -1`},
		{"get_workspaces", `{"interrupt_fd":"3"}`, CodeInvalidArgument, `"interrupt_fd" must be a file descriptor number (an integer from 0 to 2147483647), got string`},
		{"get_pdf", `{"report_id":160,"interrupt_fd":1.5}`, CodeInvalidArgument, `"interrupt_fd" must be a file descriptor number`},
		{"wait_for_export", `{"temp_file_id":1,"interrupt_fd":2147483648}`, CodeInvalidArgument, `got 2147483648`},
		{"get_workspaces", `{"interrupt_fd":true}`, CodeInvalidArgument, `got boolean`},
		{"get_workspaces", `{"interrupt_fd":{}}`, CodeInvalidArgument, `got object`},
		{"get_workspacez", `{}`, CodeUnknownMethod, "did you mean get_workspaces"},
		{"", `{}`, CodeUnknownMethod, "cx_methods"},
		{"get_pdf", `{"report_id":160}`, CodeBinaryResult, "cx_call_bytes"},
	}
	for _, c := range cases {
		res := f.lib.Call(f.h, c.method, []byte(c.args), c.code != CodeBinaryResult)
		e := expectCode(t, res.Envelope, c.code, tok)
		if !strings.Contains(e.Message, c.mention) {
			t.Errorf("%s %s: message %q lacks %q", c.method, c.args, e.Message, c.mention)
		}
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Fatalf("rejected calls still sent %d requests", n)
	}
}

func TestInvalidHandle(t *testing.T) {
	lib := &Library{}
	for _, h := range []uint64{0, 1, 1 << 60} {
		expectCode(t, lib.Call(h, "get_workspaces", []byte(`{}`), false).Envelope, CodeInvalidHandle, "")
		expectCode(t, lib.FreeClient(h), CodeInvalidHandle, "")
	}
	f := newFixture(t)
	h, errEnv := f.lib.NewClient([]byte(`{"base_url":"` + f.srv.URL + `","token":"t"}`))
	if h == 0 || h == f.h {
		t.Fatalf("second handle %d (%s)", h, errEnv)
	}
	if !decodeEnvelope(t, f.lib.FreeClient(h)).OK {
		t.Fatal("free failed")
	}
	e := expectCode(t, f.lib.FreeClient(h), CodeInvalidHandle, "")
	if !strings.Contains(e.Message, "already freed") {
		t.Fatalf("double free message: %s", e.Message)
	}
	expectCode(t, f.lib.Call(h, "get_workspaces", []byte(`{}`), false).Envelope, CodeInvalidHandle, "")
}

// A panic anywhere in a call becomes an "internal" envelope, sync and async.
func TestPanicIsInternal(t *testing.T) {
	register(&method{Name: "test_panic", Kind: kindJSON, call: func(context.Context, *core.Client, *callArgs, func(core.Progress)) (outcome, error) {
		panic("boom")
	}})
	t.Cleanup(func() {
		delete(methodTable, "test_panic")
		methodOrder = methodOrder[:len(methodOrder)-1]
	})
	f := newFixture(t)
	e := expectCode(t, f.lib.Call(f.h, "test_panic", []byte(`{}`), false).Envelope, CodeInternal, "")
	if !strings.Contains(e.Message, "boom") {
		t.Fatalf("panic message lost: %s", e.Message)
	}
	got := make(chan Result, 2)
	_, start := f.lib.CallAsync(f.h, "test_panic", []byte(`{}`), func(_ uint64, r Result) { got <- r }, nil)
	start()
	expectCode(t, (<-got).Envelope, CodeInternal, "")
	// A panicking done callback is not called a second time.
	calls := make(chan struct{}, 2)
	_, start = f.lib.CallAsync(f.h, "get_workspaces", []byte(`{}`), func(uint64, Result) { calls <- struct{}{}; panic("in done") }, nil)
	start()
	<-calls
	time.Sleep(50 * time.Millisecond)
	if len(calls) != 0 {
		t.Fatal("done was called twice after it panicked")
	}
}

func waitIdle(t *testing.T, srv *cxfake.Server) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if srv.InFlight() == 0 {
			return
		}
	}
	t.Fatal("the fake server still has requests in flight")
}
