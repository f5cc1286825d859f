package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cxclient/cxreports/capi/capitest"
	"github.com/cxclient/cxreports/capi/dispatch"
	"github.com/cxclient/cxreports/cxfake"
)

// These tests call the real exported C functions (through capitest's C code), so
// they cover the type conversions and guards of exports.go. make test-capi runs
// them with GOEXPERIMENT=cgocheck2, which fails loudly if a Go pointer reaches C.

// TestMain checks that no test leaves a handle or an async request behind.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		deadline := time.Now().Add(5 * time.Second)
		for (lib.Handles() != 0 || lib.Pending() != 0 || lib.Inboxes() != 0 || lib.Streams() != 0) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if lib.Handles() != 0 || lib.Pending() != 0 || lib.Inboxes() != 0 || lib.Streams() != 0 {
			fmt.Fprintf(os.Stderr, "FAIL: %d handles, %d async requests, %d inboxes and %d streams left in the tables\n", lib.Handles(), lib.Pending(), lib.Inboxes(), lib.Streams())
			code = 1
		}
	}
	os.Exit(code)
}

type env struct {
	OK    bool            `json:"ok"`
	Data  json.RawMessage `json:"data"`
	Error *struct {
		Code, Message string
		Status        int
	} `json:"error"`
}

func parse(t *testing.T, s string) env {
	t.Helper()
	var e env
	if err := json.Unmarshal([]byte(s), &e); err != nil {
		t.Fatalf("not an envelope: %v: %q", err, s)
	}
	return e
}

func wantOK(t *testing.T, s string) json.RawMessage {
	t.Helper()
	e := parse(t, s)
	if !e.OK {
		t.Fatalf("want ok, got %s", s)
	}
	return e.Data
}

func wantCode(t *testing.T, s, code string) {
	t.Helper()
	e := parse(t, s)
	if e.OK || e.Error.Code != code {
		t.Fatalf("want %s, got %s", code, s)
	}
}

func client(t *testing.T) (uint64, *cxfake.Server) {
	t.Helper()
	srv := cxfake.NewServer(cxfake.WithExportDelay(30*time.Millisecond), cxfake.WithJobDelay(30*time.Millisecond))
	t.Cleanup(srv.Close)
	h, errEnv := capitest.ClientNew(capitest.Str(`{"base_url":"`+srv.URL+`","token":"`+srv.Token+`","default_workspace_id":1}`), false)
	if h == 0 || errEnv != "" {
		t.Fatalf("cx_client_new: %d %s", h, errEnv)
	}
	t.Cleanup(func() { capitest.Free(h) })
	return h, srv
}

var s = capitest.Str

func TestStaticFunctions(t *testing.T) {
	if capitest.ABIVersion() != 1 {
		t.Fatal("abi")
	}
	if v := capitest.Version(); !strings.Contains(v, `"abi":1`) {
		t.Fatalf("version %s", v)
	}
	var m struct {
		Methods []struct{ Name string } `json:"methods"`
	}
	// The exported function hands out the dispatcher's table, all of it.
	var table struct {
		Methods []struct{ Name string } `json:"methods"`
	}
	if err := json.Unmarshal(dispatch.Methods(), &table); err != nil || len(table.Methods) == 0 {
		t.Fatalf("dispatch.Methods: %v", err)
	}
	if err := json.Unmarshal([]byte(capitest.Methods()), &m); err != nil || len(m.Methods) != len(table.Methods) {
		t.Fatalf("cx_methods: %v, %d methods, the table has %d", err, len(m.Methods), len(table.Methods))
	}
	capitest.FreeNull()
}

func TestClientNewErrors(t *testing.T) {
	h, e := capitest.ClientNew(nil, false)
	if h != 0 {
		t.Fatal("NULL config gave a handle")
	}
	wantCode(t, e, "invalid_argument")
	for _, cfg := range []string{"", "{", `{"base_url":"http://x","token":"t","x":1}`, `{"base_url":"http://x"}`} {
		h, e := capitest.ClientNew(s(cfg), false)
		if h != 0 {
			t.Fatalf("%s gave a handle", cfg)
		}
		wantCode(t, e, "invalid_config")
	}
	if h, _ := capitest.ClientNew(s("{"), true); h != 0 {
		t.Fatal("NULL error_json: got a handle")
	}
	if h, _ := capitest.ClientNew(nil, true); h != 0 {
		t.Fatal("NULL config and NULL error_json: got a handle")
	}
}

func TestBadCalls(t *testing.T) {
	h, _ := client(t)
	wantCode(t, capitest.Call(h, nil, s("{}")), "invalid_argument")
	wantCode(t, capitest.Call(h, s("get_workspaces"), nil), "invalid_argument")
	wantCode(t, capitest.Call(h, s("get_workspaces"), s("{")), "invalid_argument")
	wantCode(t, capitest.Call(h, s("get_report_pages"), s(`{"report_id":[]}`)), "invalid_argument")
	wantCode(t, capitest.Call(h, s("get_report_pages"), s(`{"report":160}`)), "invalid_argument")
	wantCode(t, capitest.Call(h, s("nope"), s("{}")), "unknown_method")
	wantCode(t, capitest.Call(h, s("get_pdf"), s(`{"report_id":160}`)), "binary_result")
	wantCode(t, capitest.Call(0, s("get_workspaces"), s("{}")), "invalid_handle")
	wantCode(t, capitest.Call(h+1000, s("get_workspaces"), s("{}")), "invalid_handle")
	e, _ := capitest.CallBytes(h, s("get_pdf"), s(`{"report_id":160}`), true)
	wantCode(t, e, "invalid_argument")
	e, _ = capitest.CallBytes(h, nil, s(`{}`), false)
	wantCode(t, e, "invalid_argument")
	e, _ = capitest.CallBytes(h, s("get_pdf"), nil, false)
	wantCode(t, e, "invalid_argument")
	if capitest.CallAsyncNullDone(h) != 0 {
		t.Fatal("NULL done must return 0")
	}
	if capitest.Cancel(0) != 0 || capitest.Cancel(1<<62) != 0 {
		t.Fatal("cancel of unknown ids")
	}
	for _, c := range []struct {
		method, args *string
		code         string
	}{{nil, s("{}"), "invalid_argument"}, {s("get_workspaces"), nil, "invalid_argument"}, {s("x"), s("{}"), "unknown_method"}} {
		a := capitest.CallAsync(h, c.method, c.args, true)
		r, err := a.Wait(30)
		if err != nil || a.ID == 0 || r.DoneID != a.ID || r.DoneCalls != 1 {
			t.Fatalf("async bad call: %v %+v", err, r)
		}
		wantCode(t, r.Envelope, c.code)
	}
}

func TestCallsThroughC(t *testing.T) {
	h, srv := client(t)
	if d := wantOK(t, capitest.Call(h, s("get_workspaces"), s("{}"))); !bytes.Contains(d, []byte(`"main"`)) {
		t.Fatalf("workspaces %s", d)
	}
	e, pdf := capitest.CallBytes(h, s("get_pdf"), s(`{"report_id":160,"params":{"lang":"en"}}`), false)
	if d := wantOK(t, e); !bytes.HasPrefix(pdf, []byte("%PDF")) || !bytes.Contains(d, []byte(`"bytes":`+strconv.Itoa(len(pdf)))) {
		t.Fatalf("get_pdf: %s (%d bytes)", e, len(pdf))
	}
	e, none := capitest.CallBytes(h, s("get_themes"), s(`{}`), false)
	if wantOK(t, e); none != nil {
		t.Fatal("a JSON method returned bytes")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	wantOK(t, capitest.Call(h, s("save_pdf"), s(`{"report_id":160,"path":`+strconv.Quote(path)+`}`)))
	if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("save_pdf: %v", err)
	}
	wantCode(t, capitest.Call(h, s("get_report_pages"), s(`{"report_id":424242}`)), "not_found")
	if strings.Contains(capitest.Call(h, s("get_workspaces"), s(`{}`)), srv.Token) {
		t.Fatal("token in an envelope")
	}
}

func TestAsyncThroughC(t *testing.T) {
	h, srv := client(t)
	path := filepath.Join(t.TempDir(), "e.pdf")
	a := capitest.CallAsync(h, s("export_to_file"), s(`{"report_id":160,"path":`+strconv.Quote(path)+`,"poll_interval":0.01}`), true)
	r, err := a.Wait(30)
	if err != nil || r.DoneCalls != 1 || r.DoneID != a.ID || r.ProgressCalls == 0 || r.ProgressAfterDone != 0 {
		t.Fatalf("export_to_file async: %v %+v", err, r)
	}
	wantOK(t, r.Envelope)

	a = capitest.CallAsync(h, s("post_pdf"), s(`{"report_id":160}`), false)
	if r, err = a.Wait(30); err != nil || !bytes.HasPrefix(r.Data, []byte("%PDF")) {
		t.Fatalf("post_pdf async: %v %+v", err, r.Envelope)
	}

	// Cancel once the fake is serving the request (it sleeps 20 s in it), so the
	// cancel ends a request on the wire, not one still being sent. The post_pdf
	// handler may still be ending after its body arrived: wait for it first.
	waitInFlight(t, srv, 0)
	a = capitest.CallAsync(h, s("get_pdf"), s(`{"report_id":160,"params":{"params":{"fakeDelayMs":20000}}}`), false)
	waitInFlight(t, srv, 1)
	if capitest.Cancel(a.ID) != 1 {
		t.Fatal("cx_cancel: not in flight")
	}
	if r, err = a.Wait(30); err != nil {
		t.Fatal(err)
	}
	wantCode(t, r.Envelope, "canceled")
	if capitest.Cancel(a.ID) != 0 {
		t.Fatal("cx_cancel after done")
	}
}

func TestFreeWhileInFlightAndDoubleFree(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	h, _ := capitest.ClientNew(s(`{"base_url":"`+srv.URL+`","token":"`+srv.Token+`","default_workspace_id":1}`), false)
	var calls []*capitest.Async
	for i := 0; i < 4; i++ {
		calls = append(calls, capitest.CallAsync(h, s("get_pdf"), s(`{"report_id":160,"params":{"params":{"fakeDelayMs":20000}}}`), false))
	}
	// Free once the fake is serving all four (each sleeps 20 s in it): the free
	// then has four requests on the wire to cancel, not calls still starting.
	waitInFlight(t, srv, len(calls))
	wantOK(t, capitest.Free(h))
	for _, a := range calls {
		r, err := a.Wait(30)
		if err != nil {
			t.Fatal("a call hung after cx_client_free")
		}
		wantCode(t, r.Envelope, "canceled")
	}
	wantCode(t, capitest.Free(h), "invalid_handle")
	wantCode(t, capitest.Free(0), "invalid_handle")
	wantCode(t, capitest.Call(h, s("get_workspaces"), s("{}")), "invalid_handle")
}

// waitInFlight waits until the fake is serving n requests at once, as the C
// tests' fake_in_flight does; the 10 s limit only ends a test that would hang.
func waitInFlight(t *testing.T, srv *cxfake.Server, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); srv.InFlight() != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the fake serves %d requests, want %d", srv.InFlight(), n)
		}
	}
}

// A synchronous call's thread waits in C (sync_unix.c, sync_windows.c) while a goroutine runs the
// call; cx_client_free from another thread ends that call with "canceled" and
// wakes the thread with the result.
func TestFreeCancelsSynchronousCall(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	h, _ := capitest.ClientNew(s(`{"base_url":"`+srv.URL+`","token":"`+srv.Token+`","default_workspace_id":1}`), false)
	wantOK(t, capitest.Call(h, s("get_workspaces"), s("{}")))
	done := make(chan string, 1)
	go func() {
		e, _ := capitest.CallBytes(h, s("get_pdf"), s(`{"report_id":160,"params":{"params":{"fakeDelayMs":20000}}}`), false)
		done <- e
	}()
	for srv.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	wantOK(t, capitest.Free(h))
	select {
	case e := <-done:
		wantCode(t, e, "canceled")
	case <-time.After(30 * time.Second):
		t.Fatal("a synchronous call hung after cx_client_free")
	}
}

func TestThreadsShareAHandle(t *testing.T) {
	h, _ := client(t)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				if e := capitest.Call(h, s("get_templates"), s(`{}`)); !strings.HasPrefix(e, `{"ok":true`) {
					errs <- e
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestLogCallbackThroughC(t *testing.T) {
	h, srv := client(t)
	capitest.LogOn(0)
	wantOK(t, capitest.Call(h, s("get_workspaces"), s("{}")))
	capitest.LogOff()
	n, last, bad := capitest.LogState()
	if n == 0 || bad != 0 {
		t.Fatalf("log lines %d, bad levels %d", n, bad)
	}
	if strings.Contains(last, srv.Token) {
		t.Fatalf("log leaks the token: %s", last)
	}
	wantOK(t, capitest.Call(h, s("get_workspaces"), s("{}")))
	if n2, _, _ := capitest.LogState(); n2 != n {
		t.Fatal("log callback called after it was cleared")
	}
}

// The inbox exports: events instead of callbacks, a wake-up on the descriptor, and
// the end of everything the inbox owns when the host closes its descriptor.
func TestInboxThroughC(t *testing.T) {
	if q, fd, e := capitest.InboxNew(true); q != 0 || fd != -1 {
		t.Fatalf("NULL notify_fd: %d %d", q, fd)
	} else {
		wantCode(t, e, "invalid_argument")
	}
	q, fd, e := capitest.InboxNew(false)
	if q == 0 || fd < 0 || e != "" {
		t.Fatalf("cx_inbox_new: %d %d %s", q, fd, e)
	}
	srv := cxfake.NewServer()
	defer srv.Close()
	h, _ := capitest.ClientNew(s(`{"base_url":"`+srv.URL+`","token":"`+srv.Token+`","default_workspace_id":1,"max_retries":1,"retry_wait_min":0.01,"retry_wait_max":0.02}`), false)
	if capitest.InboxAdopt(q, h) != 1 || capitest.InboxAdopt(q, 987654) != 0 || capitest.InboxAdopt(987654, h) != 0 {
		t.Fatal("cx_inbox_adopt")
	}
	capitest.InboxSetLog(q, 0)
	srv.Inject("GET", "/api/v1/workspaces", cxfake.Fault{Status: 503})
	ids := map[uint64]string{
		capitest.InboxCall(q, h, s("get_workspaces"), s("{}"), false):        "get_workspaces",
		capitest.InboxCall(q, h, s("get_pdf"), s(`{"report_id":160}`), true): "get_pdf",
		capitest.InboxCall(q, h, nil, s("{}"), false):                        "NULL method",
		capitest.InboxCall(q, 0, s("get_workspaces"), s("{}"), false):        "handle 0",
	}
	if _, ok := ids[0]; ok || len(ids) != 4 {
		t.Fatalf("request ids %v", ids)
	}
	// The descriptor is readable once events are waiting.
	done := map[string]capitest.Event{}
	logs, progress := 0, 0
	deadline := time.Now().Add(10 * time.Second)
	for len(done) < 4 && time.Now().Before(deadline) {
		waitReadable(t, fd)
		drain(fd)
		for {
			ev, ok := capitest.InboxNext(q)
			if !ok {
				break
			}
			switch ev.Kind {
			case 1:
				done[ids[ev.ID]] = ev
			case 2:
				progress++
			case 3:
				logs++
			}
		}
	}
	wantOK(t, done["get_workspaces"].Text)
	if wantOK(t, done["get_pdf"].Text); !bytes.HasPrefix(done["get_pdf"].Data, []byte("%PDF")) {
		t.Fatal("get_pdf: no bytes")
	}
	wantCode(t, done["NULL method"].Text, "invalid_argument")
	wantCode(t, done["handle 0"].Text, "invalid_handle")
	if progress == 0 || logs == 0 {
		t.Fatalf("%d progress events, %d log events", progress, logs)
	}
	if capitest.InboxNextNull(q) != 0 || capitest.InboxCall(987654, h, s("get_workspaces"), s("{}"), false) != 0 {
		t.Fatal("unknown inbox or NULL out")
	}

	// Closing the descriptor cancels the inbox's calls and frees its client.
	capitest.InboxCall(q, h, s("get_pdf"), s(`{"report_id":160,"params":{"params":{"fakeDelayMs":20000}}}`), true)
	for srv.InFlight() != 1 {
		time.Sleep(5 * time.Millisecond)
	}
	syscall.Close(fd)
	for srv.InFlight() != 0 || lib.Inboxes() != 0 {
		time.Sleep(5 * time.Millisecond)
	}
	wantCode(t, capitest.Free(h), "invalid_handle") // the inbox freed it
	if _, ok := capitest.InboxNext(q); ok {
		t.Fatal("an event from an ended inbox")
	}
	capitest.InboxClose(q) // ignored now

	// cx_inbox_close ends an inbox too; the host's descriptor then reads end-of-file.
	q2, fd2, _ := capitest.InboxNew(false)
	capitest.InboxClose(q2)
	waitReadable(t, fd2)
	var b [4]byte
	if n, err := syscall.Read(fd2, b[:]); n != 0 || err != nil {
		t.Fatalf("read after cx_inbox_close: %d %v", n, err)
	}
	syscall.Close(fd2)
}

func waitReadable(t *testing.T, fd int) {
	t.Helper()
	var set syscall.FdSet
	set.Bits[fd/64] |= 1 << (uint(fd) % 64)
	tv := syscall.Timeval{Sec: 10}
	if n, err := syscall.Select(fd+1, &set, nil, nil, &tv); n != 1 || err != nil {
		t.Fatalf("descriptor %d not readable: %d %v", fd, n, err)
	}
}

// drain reads what the library wrote to fd (wake-up bytes) without blocking.
func drain(fd int) {
	var b [64]byte
	_ = syscall.SetNonblock(fd, true)
	for {
		if n, err := syscall.Read(fd, b[:]); n <= 0 || err != nil {
			break
		}
	}
	_ = syscall.SetNonblock(fd, false)
}
