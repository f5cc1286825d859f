package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the program writes to the second, the
// test reads what a terminal would show from the first.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err, "a pseudo-terminal (/dev/ptmx)")
	require.NoError(t, unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0))
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	require.NoError(t, err)
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err)
	return m, s
}

// On a terminal the batch draws a progress bar (redrawn in place, with the
// counts and the limit in flight), not the lines it writes to a log.
func TestBatchProgressBarOnATerminal(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer()
	defer srv.Close()
	in := batchFile(t, 30, func(i int) string {
		return fmt.Sprintf(`{"report": 160, "output": "%02d.pdf", "params": {"fakeDelayMs": 20}}`, i)
	})
	master, slave := openPTY(t)
	defer master.Close()
	cmd := command(bin, srv, "batch", in, "--out", t.TempDir())
	cmd.Stderr = slave
	require.NoError(t, cmd.Start())
	slave.Close() // the child has its own copy; the master sees EOF (EIO) when it exits
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&screen, master) // ends with EIO once the child closed the terminal
		close(done)
	}()
	require.NoError(t, cmd.Wait())
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the terminal did not close after the program ended")
	}
	out := screen.String()
	assert.Contains(t, out, "\r", "a bar is redrawn in place")
	assert.Contains(t, out, "ok 30, failed 0, skipped 0")
	assert.Contains(t, out, "in flight allowed")
	assert.Contains(t, out, "30/30")
	assert.NotContains(t, out, "cxreports: 30/30 done", "the log lines are for pipes, not terminals")
	t.Logf("%q", out[max(0, len(out)-300):])
}
