package core

import (
	"errors"
	"strconv"
	"syscall"
	"unsafe"
)

// On Windows the interrupt "fd" is a SOCKET: Windows has no poll(2) for pipes,
// and Python's signal.set_wakeup_fd takes only a socket there (its Ctrl-C
// handler, which Windows runs on a thread of its own for the console control
// event, sends a byte to it). A host makes a socket pair (socket.socketpair()
// in Python), gives one end to set_wakeup_fd and passes the other as
// interrupt_fd. The watcher waits in WSAPoll.

var (
	ws2            = syscall.NewLazyDLL("ws2_32.dll")
	procWSAPoll    = ws2.NewProc("WSAPoll")
	procGetsockopt = ws2.NewProc("getsockopt")
)

// wsaPollFD is WSAPOLLFD.
type wsaPollFD struct {
	fd      uintptr
	events  int16
	revents int16
}

// pollRdNorm is POLLRDNORM, the readability WSAPoll reports for a socket with
// data (or at its end, which comes with POLLHUP).
const (
	pollRdNorm = 0x0100
	pollHup    = 0x0002
	solSocket  = 0xffff
	soType     = 0x1008
)

// checkInterruptFD fails when fd is not a socket (getsockopt SO_TYPE).
func checkInterruptFD(fd int) error {
	if int64(fd) > int64(^uint32(0)>>1) {
		return errors.New("interrupt fd " + strconv.Itoa(fd) + " is out of range")
	}
	var typ int32
	n := int32(unsafe.Sizeof(typ))
	r, _, e := procGetsockopt.Call(uintptr(fd), solSocket, soType, uintptr(unsafe.Pointer(&typ)), uintptr(unsafe.Pointer(&n)))
	if int32(r) != 0 {
		return errors.New("interrupt fd " + strconv.Itoa(fd) + " is not an open file descriptor (on Windows, a SOCKET): " + e.Error())
	}
	return nil
}

// pollInterruptFD blocks in WSAPoll until fd has an event and reports whether it
// is readable with data. A hang-up, an error or a closed socket report false.
func pollInterruptFD(fd int) bool {
	p := wsaPollFD{fd: uintptr(fd), events: pollRdNorm}
	for {
		p.revents = 0
		r, _, _ := procWSAPoll.Call(uintptr(unsafe.Pointer(&p)), 1, ^uintptr(0)) // timeout -1: no limit
		switch {
		case int32(r) == 0:
			continue
		case int32(r) < 0:
			return false
		}
		return p.revents&pollRdNorm != 0 && p.revents&pollHup == 0 // as on Linux, a hang-up no longer interrupts
	}
}
