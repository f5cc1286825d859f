package dispatch

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// readStream reads stream id to its end through a buffer of size n.
func readStream(t *testing.T, l *Library, id uint64, n int) ([]byte, []byte) {
	t.Helper()
	var out bytes.Buffer
	buf := make([]byte, n)
	for {
		m, env := l.ReadStream(id, buf)
		if env != nil {
			return out.Bytes(), env
		}
		if m == 0 {
			return out.Bytes(), nil
		}
		out.Write(buf[:m])
	}
}

func waitStreamsIdle(t *testing.T, f *fixture) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for f.srv.InFlight() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the fake still serves %d request(s)", f.srv.InFlight())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStreamEachBinaryMethod reads the three downloads through streams in small
// pieces and compares them with cx_call_bytes's bytes.
func TestStreamEachBinaryMethod(t *testing.T) {
	f := newFixture(t)
	d := newSizedDownload(t, f, 200<<10)
	for _, c := range d.calls() {
		want := f.lib.Call(f.h, c.method, []byte(c.args), true)
		wantBytes := bodyBytes(want)
		want.Body.Free()
		id, env := f.lib.OpenStream(f.h, c.method, []byte(c.args))
		if id == 0 {
			t.Fatalf("%s: %s", c.method, env)
		}
		e := decodeEnvelope(t, env)
		if !e.OK {
			t.Fatalf("%s: %s", c.method, env)
		}
		if got := field[int64](t, e.Data, "bytes"); got != int64(len(wantBytes)) {
			t.Errorf("%s: bytes %d, want %d", c.method, got, len(wantBytes))
		}
		if ct := field[string](t, e.Data, "content_type"); ct == "" {
			t.Errorf("%s: no content_type in %s", c.method, e.Data)
		}
		got, errEnv := readStream(t, f.lib, id, 777)
		if errEnv != nil {
			t.Fatalf("%s: %s", c.method, errEnv)
		}
		if !bytes.Equal(got, wantBytes) {
			t.Errorf("%s: the stream gave %d bytes, cx_call_bytes %d", c.method, len(got), len(wantBytes))
		}
		if n, env := f.lib.ReadStream(id, make([]byte, 8)); n != 0 || env != nil {
			t.Errorf("%s: a read after the end gives %d, %s; want 0 again", c.method, n, env)
		}
		if !f.lib.CloseStream(id) {
			t.Errorf("%s: CloseStream of an open stream says it was not open", c.method)
		}
	}
	if n := f.lib.Streams(); n != 0 {
		t.Errorf("%d streams left open", n)
	}
}

func TestStreamBadInput(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		h                  uint64
		method, args, code string
	}{
		{f.h, "get_workspaces", `{}`, CodeInvalidArgument},
		{f.h, "save_pdf", `{"report_id":160,"path":"x.pdf"}`, CodeInvalidArgument},
		{f.h, "no_such_method", `{}`, CodeUnknownMethod},
		{f.h, "get_pdf", `{"report_id":`, CodeInvalidArgument},
		{f.h, "get_pdf", `{}`, CodeInvalidArgument},
		{f.h, "get_pdf", `{"report_id":160,"interrupt_fd":-1}`, CodeInvalidArgument},
		{f.h, "get_pdf", `{"report_id":999999}`, "not_found"},
		{0, "get_pdf", `{"report_id":160}`, CodeInvalidHandle},
		{f.h + 1000, "get_pdf", `{"report_id":160}`, CodeInvalidHandle},
	}
	for _, c := range cases {
		id, env := f.lib.OpenStream(c.h, c.method, []byte(c.args))
		if id != 0 {
			t.Errorf("%s %s: opened stream %d", c.method, c.args, id)
		}
		e := expectCode(t, env, c.code, f.srv.Token)
		if c.method == "get_workspaces" && !strings.Contains(e.Message, "get_pdf, post_pdf or get_export_content") {
			t.Errorf("the message does not say which methods stream: %s", e.Message)
		}
	}
	for _, id := range []uint64{0, 12345} {
		n, env := f.lib.ReadStream(id, make([]byte, 8))
		if n != 0 {
			t.Errorf("read of stream %d gave %d bytes", id, n)
		}
		expectCode(t, env, CodeInvalidHandle, "")
		if f.lib.CloseStream(id) {
			t.Errorf("CloseStream(%d) says it was open", id)
		}
	}
	id, env := f.lib.OpenStream(f.h, "get_pdf", []byte(`{"report_id":160}`))
	if id == 0 {
		t.Fatalf("%s", env)
	}
	_, env = f.lib.ReadStream(id, nil)
	expectCode(t, env, CodeInvalidArgument, "")
	if !f.lib.CloseStream(id) || f.lib.CloseStream(id) {
		t.Error("the first CloseStream must report an open stream, the second none")
	}
	_, env = f.lib.ReadStream(id, make([]byte, 8))
	expectCode(t, env, CodeInvalidHandle, "")
	if f.lib.Streams() != 0 || f.lib.Pending() != 0 {
		t.Errorf("%d streams and %d requests left", f.lib.Streams(), f.lib.Pending())
	}
	waitStreamsIdle(t, f)
}

// TestStreamCancel: cx_cancel, the call's interrupt_fd, and cx_client_free each
// cancel an open stream; its next read says so, and Close still frees it.
func TestStreamCancel(t *testing.T) {
	f := newFixture(t)
	args := []byte(`{"report_id":160,"params":{"params":{"fakeSizeBytes":104857600}}}`)
	open := func(args []byte) uint64 {
		id, env := f.lib.OpenStream(f.h, "get_pdf", args)
		if id == 0 {
			t.Fatalf("%s", env)
		}
		return id
	}
	id := open(args)
	if !f.lib.Cancel(id) {
		t.Fatal("cx_cancel does not know the stream")
	}
	_, env := readStream(t, f.lib, id, 64<<10)
	e := expectCode(t, env, CodeCanceled, "")
	if !strings.Contains(e.Message, "cx_cancel") {
		t.Errorf("the message does not say who canceled: %s", e.Message)
	}
	f.lib.CloseStream(id)

	ifd := newInterruptFD(t)
	id = open([]byte(`{"report_id":160,"params":{"params":{"fakeSizeBytes":104857600}},"interrupt_fd":` + strconv.Itoa(ifd.fd) + `}`))
	ifd.fire()
	_, env = readStream(t, f.lib, id, 64<<10)
	e = expectCode(t, env, CodeCanceled, "")
	if !strings.Contains(e.Message, "interrupt_fd") {
		t.Errorf("the message does not name interrupt_fd: %s", e.Message)
	}
	f.lib.CloseStream(id)

	// A read blocked on another goroutine is ended by CloseStream.
	id = open(args)
	var wg sync.WaitGroup
	wg.Add(1)
	var blockedEnv []byte
	go func() {
		defer wg.Done()
		_, blockedEnv = readStream(t, f.lib, id, 1<<10)
	}()
	time.Sleep(50 * time.Millisecond)
	f.lib.CloseStream(id)
	wg.Wait()
	if blockedEnv == nil {
		t.Fatal("the reader read 100 MB to the end although the stream was closed")
	}
	e = decodeEnvelope(t, blockedEnv).Error
	if e.Code != CodeCanceled && e.Code != CodeInvalidHandle {
		t.Errorf("a read racing with close ends with %s: %s", e.Code, e.Message)
	}

	h2, _ := f.lib.NewClient([]byte(`{"base_url":"` + f.srv.URL + `","token":"` + f.srv.Token + `","default_workspace_id":1}`))
	id, env = f.lib.OpenStream(h2, "get_pdf", args)
	if id == 0 {
		t.Fatalf("%s", env)
	}
	f.lib.FreeClient(h2)
	_, env = readStream(t, f.lib, id, 64<<10)
	e = expectCode(t, env, CodeCanceled, "")
	if !strings.Contains(e.Message, "cx_client_free") {
		t.Errorf("the message does not say the handle was freed: %s", e.Message)
	}
	f.lib.CloseStream(id)
	if f.lib.Streams() != 0 || f.lib.Pending() != 0 {
		t.Errorf("%d streams and %d requests left", f.lib.Streams(), f.lib.Pending())
	}
	waitStreamsIdle(t, f)
}
