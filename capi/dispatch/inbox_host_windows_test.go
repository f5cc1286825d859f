package dispatch

import (
	"io"
	"os"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// hostEnd is the host's SOCKET of an inbox, waited on with WSAPoll and read with
// recv, as a C host does (inbox_windows.go).
type hostEnd struct{ s syscall.Handle }

var (
	procWSAPoll = ws2.NewProc("WSAPoll")
	procRecv    = ws2.NewProc("recv")
)

func openHostEnd(t *testing.T, fd int) *hostEnd { return &hostEnd{syscall.Handle(fd)} }

// read reads what the library wrote, waiting at most d: n > 0, or an error (end of
// file when the library's end closed, a deadline error when nothing came).
func (e *hostEnd) read(d time.Duration, b []byte) (int, error) {
	p := struct {
		fd      uintptr
		events  int16
		revents int16
	}{fd: uintptr(e.s), events: 0x0100} // POLLRDNORM
	r, _, err := procWSAPoll.Call(uintptr(unsafe.Pointer(&p)), 1, uintptr(d.Milliseconds()))
	switch {
	case int32(r) < 0:
		return 0, err
	case r == 0:
		return 0, os.ErrDeadlineExceeded
	}
	r, _, err = procRecv.Call(uintptr(e.s), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0)
	switch {
	case int32(r) < 0:
		return 0, err
	case r == 0:
		return 0, io.EOF
	}
	return int(r), nil
}

func (e *hostEnd) close() error { return syscall.Closesocket(e.s) }

// closeHostFD closes the host's SOCKET as a host going away does.
func closeHostFD(fd int) { syscall.Closesocket(syscall.Handle(fd)) }
