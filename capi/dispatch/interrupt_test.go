//go:build linux || windows

package dispatch

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// interrupt_fd: a readable descriptor cancels synchronous and asynchronous calls
// with "canceled" and says so; a descriptor that is not open is invalid_argument.

func TestInterruptFDCancelsCalls(t *testing.T) {
	f := newFixture(t)
	ifd := newInterruptFD(t) // interruptfd_unix_test.go, interruptfd_windows_test.go
	fd := strconv.Itoa(ifd.fd)
	slow := `{"report_id":160,"params":{"params":{"fakeDelayMs":3600000}},"interrupt_fd":` + fd + `}`

	go func() {
		waitInFlight(t, f.srv)
		ifd.fire()
	}()
	e := expectCode(t, f.lib.Call(f.h, "get_pdf", []byte(slow), true).Envelope, CodeCanceled, f.srv.Token)
	if !strings.Contains(e.Message, "interrupted: interrupt_fd "+fd+" became readable") {
		t.Fatalf("message does not say it was interrupted: %s", e.Message)
	}

	// Still readable: the next call is canceled before it gets anywhere; the same
	// goes for an asynchronous call.
	expectCode(t, f.lib.Call(f.h, "get_pdf", []byte(slow), true).Envelope, CodeCanceled, "")
	got := make(chan Result, 1)
	_, start := f.lib.CallAsync(f.h, "get_pdf", []byte(slow), func(_ uint64, res Result) { got <- res }, nil)
	start()
	expectCode(t, (<-got).Envelope, CodeCanceled, "")

	// Drained, calls with the fd run normally.
	ifd.drain()
	for range 3 {
		f.ok(t, "get_workspaces", `{"interrupt_fd":`+fd+`}`)
	}
}

func TestInterruptFDNotOpen(t *testing.T) {
	f := newFixture(t)
	// The largest number the argument takes: far above any open descriptor.
	e := f.fail(t, "get_workspaces", `{"interrupt_fd":2147483647}`, CodeInvalidArgument)
	if !strings.Contains(e.Message, `"interrupt_fd"`) || !strings.Contains(e.Message, "not an open file descriptor") {
		t.Fatalf("message: %s", e.Message)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Fatalf("a rejected call sent %d requests", n)
	}
}

func TestMethodsDocumentInterruptFD(t *testing.T) {
	var doc struct {
		Methods []struct {
			Name string
			Args []struct{ Name, Type string }
		}
	}
	if err := json.Unmarshal(Methods(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, m := range doc.Methods {
		found := false
		for _, a := range m.Args {
			found = found || (a.Name == "interrupt_fd" && a.Type == "integer")
		}
		if !found {
			t.Errorf("%s does not list interrupt_fd", m.Name)
		}
	}
}
