package dispatch

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the inbox's socket pair is a loopback TCP connection: Windows has no
// socketpair(2) (AF_UNIX sockets exist since Windows 10 1803, but Wine and older
// systems lack them, and libuv cannot poll them), and a SOCKET is the one handle
// every host here can wait on from its event loop: libuv adopts it as a TCP
// handle (uv_tcp_open; Node's binding through tcp_wrap) or polls it
// (uv_poll_init_socket), C waits with select/WSAPoll, Python with selectors or
// asyncio's SelectorEventLoop. The host's end is a plain SOCKET in blocking mode, not inheritable,
// handed out as the int notify_fd (SOCKET values fit in 32 bits: they are kernel
// handles, which Windows keeps below 2^32 so 32-bit processes can share them);
// the host recv()s and discards what it can read, and closesocket()s it once.
//
// The library's end is a net.TCPConn: its hang-up watch is an overlapped read on
// the runtime's I/O completion port, so it holds no thread, and Go sets
// TCP_NODELAY on it, so a wake-up is never held back by Nagle's algorithm waiting
// for the ACK of the previous one. The listener lives
// only while the pair is made, and the accepted connection must come from the
// host end's own address, so no other local process can take the host's place.
type inboxEnd struct {
	conn *net.TCPConn

	mu     sync.Mutex // serialises wakes with close (the handle must stay valid)
	closed bool
}

var (
	ws2           = syscall.NewLazyDLL("ws2_32.dll")
	procIoctlsock = ws2.NewProc("ioctlsocket")
	procSend      = ws2.NewProc("send")
)

// fionbio is ioctlsocket's FIONBIO: a nonzero argument makes the socket's
// send and recv return WSAEWOULDBLOCK instead of blocking.
const fionbio = 0x8004667e

func newInboxEnd() (*inboxEnd, int, error) {
	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, -1, fmt.Errorf("cannot create the inbox's socket pair: %w", err)
	}
	defer ln.Close()
	host, err := dialHostEnd(ln.Addr().(*net.TCPAddr))
	if err != nil {
		return nil, -1, fmt.Errorf("cannot create the inbox's socket pair: %w", err)
	}
	sa, err := syscall.Getsockname(host)
	if err != nil {
		syscall.Closesocket(host)
		return nil, -1, fmt.Errorf("cannot create the inbox's socket pair: %w", err)
	}
	hostPort := sa.(*syscall.SockaddrInet4).Port
	// Another local process may connect between Listen and the host end's
	// connect; such connections are dropped. The host end connected before the
	// accept, so its connection is in the backlog and a few tries suffice.
	for range 8 {
		c, err := ln.AcceptTCP()
		if err != nil {
			break
		}
		if a := c.RemoteAddr().(*net.TCPAddr); a.Port == hostPort && a.IP.IsLoopback() {
			if int64(host) > int64(^uint32(0)>>1) {
				c.Close()
				syscall.Closesocket(host)
				return nil, -1, errors.New("cannot create the inbox's socket pair: the SOCKET does not fit in an int")
			}
			if err := setNonblocking(c); err != nil {
				c.Close()
				syscall.Closesocket(host)
				return nil, -1, fmt.Errorf("cannot set up the inbox's socket: %w", err)
			}
			return &inboxEnd{conn: c}, int(host), nil
		}
		c.Close()
	}
	syscall.Closesocket(host)
	return nil, -1, errors.New("cannot create the inbox's socket pair: the loopback connection was not accepted")
}

// dialHostEnd makes the host's end: a raw SOCKET, not owned by the runtime's
// poller (the host closes it), overlapped-capable as socket() makes them (libuv's
// uv_tcp_open puts it in Node's completion port), not inherited by child
// processes (a child holding a copy would keep the inbox open after the host
// closed it). WSA_FLAG_NO_HANDLE_INHERIT needs Windows 7 SP1; without it the
// inheritance is cleared after the fact.
func dialHostEnd(to *net.TCPAddr) (syscall.Handle, error) {
	const af, typ, proto = windows.AF_INET, windows.SOCK_STREAM, windows.IPPROTO_TCP
	s, err := windows.WSASocket(af, typ, proto, nil, 0, windows.WSA_FLAG_OVERLAPPED|windows.WSA_FLAG_NO_HANDLE_INHERIT)
	if err != nil {
		if s, err = windows.WSASocket(af, typ, proto, nil, 0, windows.WSA_FLAG_OVERLAPPED); err != nil {
			return syscall.InvalidHandle, err
		}
		if err := windows.SetHandleInformation(s, windows.HANDLE_FLAG_INHERIT, 0); err != nil {
			windows.Closesocket(s)
			return syscall.InvalidHandle, err
		}
	}
	sa := &syscall.SockaddrInet4{Port: to.Port}
	copy(sa.Addr[:], to.IP.To4())
	if err := syscall.Connect(syscall.Handle(s), sa); err != nil {
		windows.Closesocket(s)
		return syscall.InvalidHandle, err
	}
	return syscall.Handle(s), nil
}

// waitHangUp returns once the host's end is closed (end of file, a reset), or
// this end was closed.
func (e *inboxEnd) waitHangUp() {
	var buf [64]byte
	for {
		if _, err := e.conn.Read(buf[:]); err != nil {
			return // bytes the host wrote mean nothing; only the end counts
		}
	}
}

// wake sends one byte without blocking. The runtime's sockets are in blocking
// mode and the runtime offers no way to wait for writability on Windows, so the
// send is made on the handle in non-blocking mode (FIONBIO only changes what a
// plain send does; the runtime's overlapped read is not affected). A full socket
// (wake-ups already unread) or a closed one (the host is gone) is fine.
func (e *inboxEnd) wake() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	raw, err := e.conn.SyscallConn()
	if err != nil {
		return
	}
	_ = raw.Control(func(fd uintptr) {
		one := byte(1)
		procSend.Call(fd, uintptr(unsafe.Pointer(&one)), 1, 0)
	})
}

func (e *inboxEnd) close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	_ = e.conn.Close()
}

// setNonblocking puts the library's end in non-blocking mode, for wake.
func setNonblocking(c *net.TCPConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		on := uint32(1)
		r, _, e := procIoctlsock.Call(fd, fionbio, uintptr(unsafe.Pointer(&on)))
		if r != 0 {
			serr = e
		}
	}); err != nil {
		return err
	}
	return serr
}
