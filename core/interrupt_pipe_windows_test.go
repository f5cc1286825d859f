package core

import (
	"net"
	"syscall"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// pipeEnds is testPipe's pipe on Windows, where interrupt_fd is a SOCKET
// (interrupt_windows.go): a loopback TCP connection, as Python's
// socket.socketpair() makes; the accepted end's SOCKET is the interrupt fd.
type pipeEnds struct{ r, w *net.TCPConn }

var procIoctlsocket = ws2.NewProc("ioctlsocket")

// fionread is ioctlsocket's FIONREAD: how many bytes a recv would return now.
const fionread = 0x4004667f

func openPipeEnds(t *testing.T) (int, pipeEnds) {
	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	defer ln.Close()
	w, err := net.DialTCP("tcp4", nil, ln.Addr().(*net.TCPAddr))
	require.NoError(t, err)
	r, err := ln.AcceptTCP()
	if err != nil {
		w.Close()
		require.NoError(t, err)
	}
	e := pipeEnds{r: r, w: w}
	return int(e.socket()), e
}

func (e pipeEnds) socket() syscall.Handle {
	var s syscall.Handle
	raw, err := e.r.SyscallConn()
	if err == nil {
		raw.Control(func(h uintptr) { s = syscall.Handle(h) })
	}
	return s
}

func (e pipeEnds) write(b []byte) error {
	_, err := e.w.Write(b)
	return err
}

// drain reads what has arrived (FIONREAD), never waiting for more.
func (e pipeEnds) drain() {
	for {
		var n uint32
		r, _, _ := procIoctlsocket.Call(uintptr(e.socket()), fionread, uintptr(unsafe.Pointer(&n)))
		if int32(r) != 0 || n == 0 {
			return
		}
		if _, err := e.r.Read(make([]byte, n)); err != nil {
			return
		}
	}
}

func (e pipeEnds) closeWrite() { e.w.Close() }
func (e pipeEnds) closeRead()  { e.r.Close() }
