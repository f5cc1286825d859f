//go:build unix

package dispatch

import (
	"os"
	"testing"
)

// newInterruptFD gives a descriptor to pass as interrupt_fd and a function that
// makes it readable: the read end of a pipe, as a host's signal wakeup pipe. The
// write end is closed first when the test ends, so a watcher polling the read end
// sees the hang-up before the number is freed.
func newInterruptFD(t *testing.T) (fd int, fire func()) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); r.Close() })
	return int(r.Fd()), func() {
		if _, err := w.Write([]byte{1}); err != nil {
			t.Error(err)
		}
	}
}
