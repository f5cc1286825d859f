package core

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// pipeEnds is testPipe's pipe: a non-blocking pipe, its read end the interrupt fd.
type pipeEnds struct{ r, w int }

func openPipeEnds(t *testing.T) (int, pipeEnds) {
	var fds [2]int
	require.NoError(t, syscall.Pipe2(fds[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK))
	return fds[0], pipeEnds{r: fds[0], w: fds[1]}
}

func (e pipeEnds) write(b []byte) error {
	_, err := syscall.Write(e.w, b)
	return err
}

// drain reads until the pipe is empty (EAGAIN: it is non-blocking).
func (e pipeEnds) drain() {
	buf := make([]byte, 64)
	for {
		if n, _ := syscall.Read(e.r, buf); n <= 0 {
			return
		}
	}
}

func (e pipeEnds) closeWrite() { syscall.Close(e.w) }
func (e pipeEnds) closeRead()  { syscall.Close(e.r) }
