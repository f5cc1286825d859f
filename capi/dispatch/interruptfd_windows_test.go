package dispatch

import (
	"net"
	"syscall"
	"testing"
	"unsafe"
)

// interruptFD is a descriptor to pass as interrupt_fd. On Windows interrupt_fd is
// a SOCKET (core/interrupt_windows.go): one end of a loopback TCP connection, as
// Python's socket.socketpair() makes, the other end writing. It stays open for the
// life of the test process, as a host keeps its wakeup socket: the library's
// watcher of that number lives as long.
type interruptFD struct {
	t    *testing.T
	fd   int
	r, w *net.TCPConn
}

// fionread is ioctlsocket's FIONREAD (procIoctlsock: inbox_windows.go): how many
// bytes a recv would return now.
const fionread = 0x4004667f

func newInterruptFD(t *testing.T) *interruptFD {
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
		t.Fatal(err)
	}
	raw, err := r.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var s syscall.Handle
	if err := raw.Control(func(h uintptr) { s = syscall.Handle(h) }); err != nil {
		t.Fatal(err)
	}
	i := &interruptFD{t: t, fd: int(s), r: r, w: w}
	openInterruptFDs = append(openInterruptFDs, i)
	return i
}

// openInterruptFDs keeps every interruptFD's connections reachable: a net.TCPConn
// the collector frees closes its SOCKET (a finalizer), and a test that passes
// only the number on would find it closed.
var openInterruptFDs []*interruptFD

// fire makes the SOCKET readable.
func (i *interruptFD) fire() {
	if _, err := i.w.Write([]byte{2}); err != nil {
		i.t.Error(err)
	}
}

// drain reads what has arrived (FIONREAD), never waiting for more.
func (i *interruptFD) drain() {
	for {
		var n uint32
		r, _, _ := procIoctlsock.Call(uintptr(i.fd), fionread, uintptr(unsafe.Pointer(&n)))
		if int32(r) != 0 || n == 0 {
			return
		}
		if _, err := i.r.Read(make([]byte, n)); err != nil {
			return
		}
	}
}
