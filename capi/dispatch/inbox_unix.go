//go:build linux || darwin

package dispatch

import (
	"fmt"
	"os"
	"syscall"
)

// inboxEnd is the library's end of an inbox's AF_UNIX socket pair, in the
// runtime's poller.
type inboxEnd struct {
	file *os.File
	conn syscall.RawConn // file's, for the wake-ups and the hang-up watch
}

// newInboxEnd creates the socket pair and returns the library's end and the
// host's descriptor (close-on-exec, blocking, the host's to close).
func newInboxEnd() (*inboxEnd, int, error) {
	fds, err := socketPair()
	if err != nil {
		return nil, -1, fmt.Errorf("cannot create the inbox's socket pair: %w", err)
	}
	// The library's end is non-blocking, so os.File puts it in the runtime's
	// poller: waiting for the host to hang up holds no thread.
	if err := syscall.SetNonblock(fds[0], true); err != nil {
		syscall.Close(fds[0])
		syscall.Close(fds[1])
		return nil, -1, fmt.Errorf("cannot set up the inbox's socket: %w", err)
	}
	f := os.NewFile(uintptr(fds[0]), "cxreports-inbox")
	conn, err := f.SyscallConn()
	if err != nil {
		f.Close()
		syscall.Close(fds[1])
		return nil, -1, fmt.Errorf("cannot set up the inbox's socket: %w", err)
	}
	return &inboxEnd{file: f, conn: conn}, fds[1], nil
}

// waitHangUp returns once the host's end is closed (end of file, or an error),
// or this end was closed.
func (e *inboxEnd) waitHangUp() {
	var buf [64]byte
	for {
		hungUp := false
		err := e.conn.Read(func(fd uintptr) bool {
			n, err := syscall.Read(int(fd), buf[:])
			switch {
			case err == syscall.EAGAIN || err == syscall.EINTR:
				return false // wait for readability
			case err != nil || n == 0:
				hungUp = true
			}
			return true // bytes the host wrote, which mean nothing, or the end
		})
		if err != nil || hungUp {
			return
		}
	}
}

// wake writes one byte without blocking; a full socket (a wake-up is unread
// already) or a closed one (the host is gone) is fine.
func (e *inboxEnd) wake() {
	_ = e.conn.Write(func(fd uintptr) bool {
		_ = syscall.Sendto(int(fd), []byte{1}, wakeFlags, nil)
		return true
	})
}

func (e *inboxEnd) close() { _ = e.file.Close() }
