package dispatch

import (
	"net"
	"syscall"
	"testing"
)

// newInterruptFD gives a descriptor to pass as interrupt_fd and a function that
// makes it readable. On Windows interrupt_fd is a SOCKET (core/interrupt_windows.go):
// one end of a loopback TCP connection, as Python's socket.socketpair() makes, the
// other end writing. The writing end is closed first when the test ends, so a
// watcher polling the SOCKET sees the hang-up before the handle is freed.
func newInterruptFD(t *testing.T) (fd int, fire func()) {
	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	w, err := net.DialTCP("tcp4", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ln.AcceptTCP()
	if err != nil {
		w.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); r.Close() })
	raw, err := r.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var s syscall.Handle
	if err := raw.Control(func(h uintptr) { s = syscall.Handle(h) }); err != nil {
		t.Fatal(err)
	}
	return int(s), func() {
		if _, err := w.Write([]byte{1}); err != nil {
			t.Error(err)
		}
	}
}
