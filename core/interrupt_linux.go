//go:build linux

package core

import (
	"errors"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// pollfd is struct pollfd of poll(2).
type pollfd struct {
	fd      int32
	events  int16
	revents int16
}

// pollIn is POLLIN. POLLHUP, POLLERR and POLLNVAL are reported whether asked for
// or not; without POLLIN they mean the fd can no longer interrupt anything.
const pollIn = 0x1

// checkInterruptFD fails when fd is not an open file descriptor (fcntl F_GETFD).
func checkInterruptFD(fd int) error {
	if int64(fd) > int64(^uint32(0)>>1) {
		return errors.New("interrupt fd " + strconv.Itoa(fd) + " is out of range")
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0); e != 0 {
		return errors.New("interrupt fd " + strconv.Itoa(fd) + " is not an open file descriptor: " + os.NewSyscallError("fcntl", e).Error())
	}
	return nil
}

// pollInterruptFD blocks in ppoll(2) until fd has an event and reports whether it
// is readable (POLLIN). A hang-up, an error, or a closed descriptor report false.
// syscall.Syscall6 (not RawSyscall) tells the scheduler that this thread blocks.
func pollInterruptFD(fd int) bool {
	p := pollfd{fd: int32(fd), events: pollIn}
	for {
		p.revents = 0
		n, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1, 0, 0, 0, 0)
		switch {
		case e == syscall.EINTR || (e == 0 && n == 0):
			continue // a signal (the Go runtime preempts with SIGURG), or nothing yet
		case e != 0:
			return false
		}
		return p.revents&pollIn != 0
	}
}
