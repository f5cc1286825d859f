//go:build linux

package core

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// blockingSupported says whether OnCallerThread has an effect on this system.
const blockingSupported = true

// fdConn is a TCP connection whose socket is in blocking mode and is read and
// written with plain system calls, so the calling OS thread itself waits in the
// kernel. Config.Timeout bounds every single read and write (SO_RCVTIMEO,
// SO_SNDTIMEO); cancellation shuts the socket down, which wakes a blocked call.
type fdConn struct {
	mu            sync.Mutex // orders shutdown against close, so a reused fd number is never shut down
	fd            int
	closed        bool
	nread         int64 // bytes received so far
	local, remote net.Addr
}

// newFDConn takes over the socket of c (a dialed *net.TCPConn): it keeps a
// duplicate of the descriptor, closes c (which only drops Go's poller
// registration and the original descriptor), and puts the socket into blocking
// mode. Socket options set by the dialer (keep-alive, no delay) stay in effect.
func newFDConn(c net.Conn, timeout time.Duration) (*fdConn, error) {
	defer c.Close()
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil, errors.New("the dialer returned a connection without a file descriptor")
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var dupErr error
	if err := raw.Control(func(s uintptr) {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, s, syscall.F_DUPFD_CLOEXEC, 0)
		if e != 0 {
			dupErr = os.NewSyscallError("fcntl", e)
			return
		}
		fd = int(r)
	}); err != nil {
		return nil, err
	}
	if dupErr != nil {
		return nil, dupErr
	}
	fc := &fdConn{fd: fd, local: c.LocalAddr(), remote: c.RemoteAddr()}
	c.Close()
	if err := syscall.SetNonblock(fd, false); err != nil {
		fc.Close()
		return nil, os.NewSyscallError("fcntl", err)
	}
	if timeout > 0 {
		tv := syscall.NsecToTimeval(int64(timeout))
		for _, opt := range []int{syscall.SO_RCVTIMEO, syscall.SO_SNDTIMEO} {
			if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, opt, &tv); err != nil {
				fc.Close()
				return nil, os.NewSyscallError("setsockopt", err)
			}
		}
	}
	return fc, nil
}

func (c *fdConn) opError(op string, err error) error {
	if err == syscall.EAGAIN {
		// SO_RCVTIMEO/SO_SNDTIMEO expired: os.ErrDeadlineExceeded is a net.Error
		// whose Timeout() is true, as for the standard transport's deadlines.
		err = os.ErrDeadlineExceeded
	} else {
		err = os.NewSyscallError(op, err)
	}
	return &net.OpError{Op: op, Net: "tcp", Source: c.local, Addr: c.remote, Err: err}
}

func (c *fdConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(c.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, c.opError("read", err)
		case n == 0:
			return 0, io.EOF
		}
		c.nread += int64(n)
		return n, nil
	}
}

// Write sends all of p. MSG_NOSIGNAL: a peer that went away yields EPIPE, never
// a SIGPIPE that would kill a host process without a handler.
func (c *fdConn) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		r, _, e := syscall.Syscall6(syscall.SYS_SENDTO, uintptr(c.fd), uintptr(unsafe.Pointer(&p[done])),
			uintptr(len(p)-done), syscall.MSG_NOSIGNAL, 0, 0)
		switch {
		case e == syscall.EINTR:
			continue
		case e != 0:
			return done, c.opError("write", e)
		}
		done += int(r)
	}
	return done, nil
}

// shutdown wakes any read or write blocked on the socket (they see EOF or EPIPE).
// It may run on another goroutine (context.AfterFunc) at any time.
func (c *fdConn) shutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		syscall.Shutdown(c.fd, syscall.SHUT_RDWR)
	}
}

func (c *fdConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return syscall.Close(c.fd)
}

// idleAlive reports whether an idle pooled connection is still usable: the peer
// has neither closed it nor sent anything unasked.
func (c *fdConn) idleAlive() bool {
	var b [1]byte
	_, _, err := syscall.Recvfrom(c.fd, b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	return err == syscall.EAGAIN
}

func (c *fdConn) LocalAddr() net.Addr  { return c.local }
func (c *fdConn) RemoteAddr() net.Addr { return c.remote }

// Deadlines are not supported: Config.Timeout is applied as socket options, and
// cancellation shuts the socket down. crypto/tls only sets a write deadline for
// its close_notify alert, which this package never sends.
func (c *fdConn) SetDeadline(time.Time) error      { return nil }
func (c *fdConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fdConn) SetWriteDeadline(time.Time) error { return nil }
