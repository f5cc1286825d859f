//go:build unix

package dispatch

import (
	"syscall"
	"testing"
)

// interruptFD is a descriptor to pass as interrupt_fd, as a host's signal wakeup
// fd: the read end of a non-blocking pipe. It stays open for the life of the test
// process, as a host keeps its wakeup pipe: the library's watcher of that number
// lives as long.
type interruptFD struct {
	t     *testing.T
	fd, w int
}

func newInterruptFD(t *testing.T) *interruptFD {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		syscall.CloseOnExec(fd)
		if err := syscall.SetNonblock(fd, true); err != nil {
			t.Fatal(err)
		}
	}
	return &interruptFD{t: t, fd: fds[0], w: fds[1]}
}

// fire makes the descriptor readable.
func (i *interruptFD) fire() {
	if _, err := syscall.Write(i.w, []byte{2}); err != nil {
		i.t.Error(err)
	}
}

// drain reads what is there, never waiting for more.
func (i *interruptFD) drain() {
	buf := make([]byte, 16)
	for n, _ := syscall.Read(i.fd, buf); n > 0; n, _ = syscall.Read(i.fd, buf) {
	}
}
