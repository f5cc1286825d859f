//go:build unix

package dispatch

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// hostEnd is the host's descriptor of an inbox, non-blocking in the runtime's poller
// so reads can have a deadline.
type hostEnd struct{ f *os.File }

func openHostEnd(t *testing.T, fd int) *hostEnd {
	t.Helper()
	if err := syscall.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	return &hostEnd{os.NewFile(uintptr(fd), "host")}
}

// read reads what the library wrote, waiting at most d: n > 0, or an error (end of
// file when the library's end closed, a deadline error when nothing came).
func (e *hostEnd) read(d time.Duration, b []byte) (int, error) {
	_ = e.f.SetReadDeadline(time.Now().Add(d))
	return e.f.Read(b)
}

func (e *hostEnd) close() error { return e.f.Close() }

// closeHostFD closes the host's descriptor as a host going away does.
func closeHostFD(fd int) { syscall.Close(fd) }
