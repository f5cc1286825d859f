package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sizeParams writes a --params-json file that asks the fake for a PDF of n bytes.
func sizeParams(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "size.json")
	require.NoError(t, os.WriteFile(p, []byte(`{"fakeSizeBytes": `+strconv.Itoa(n)+`}`), 0o644))
	return p
}

// runToPipe runs cmd with its standard output read through a pipe, as a shell
// pipeline would, and returns what came out and the standard error; the
// command must succeed.
func runToPipe(t *testing.T, cmd *exec.Cmd) (stdout []byte, stderr string) {
	t.Helper()
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	got, err := io.ReadAll(out)
	require.NoError(t, err)
	require.NoError(t, cmd.Wait(), errBuf.String())
	return got, errBuf.String()
}

// pdf -o - writes the PDF into a pipe as it arrives; the request is the one the
// file form sends.
func TestPDFToStdoutPipe(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer()
	defer srv.Close()
	size := 20 << 20
	cmd := command(bin, srv, "pdf", "160", "-o", "-", "--params-json", sizeParams(t, size), "--theme", "dark")
	got, stderr := runToPipe(t, cmd)
	assert.True(t, bytes.HasPrefix(got, []byte("%PDF-")))
	assert.True(t, bytes.HasSuffix(bytes.TrimRight(got, "\n"), []byte("%%EOF")), "the whole PDF")
	assert.GreaterOrEqual(t, len(got), size)
	assert.Contains(t, stderr, "wrote "+strconv.Itoa(len(got))+" bytes (application/pdf) to standard output")
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.JSONEq(t, `{"params": {"fakeSizeBytes": `+strconv.Itoa(size)+`}, "theme": "dark", "format": "pdf"}`, string(reqs[0].Body))
}

// A reader that stops early (head -c) ends the download: the CLI dies of the
// closed pipe and the fake has no request left in flight.
func TestPDFToStdoutReaderGoesAway(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer()
	defer srv.Close()
	cmd := command(bin, srv, "pdf", "160", "-o", "-", "--params-json", sizeParams(t, 500<<20))
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	head := make([]byte, 1<<20)
	_, err = io.ReadFull(out, head)
	require.NoError(t, err)
	assert.Equal(t, "%PDF-", string(head[:5]))
	require.Equal(t, 1, srv.InFlight(), "the download is still going, paced by the pipe")
	require.NoError(t, out.Close())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.Error(t, err, "a write into a closed pipe fails the command")
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the CLI kept running after its reader went away")
	}
	assert.Eventually(t, func() bool { return srv.InFlight() == 0 }, 2*time.Second, 5*time.Millisecond)
}

func TestExportToStdout(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer(cxfake.WithExportDelay(10 * time.Millisecond))
	defer srv.Close()
	cmd := command(bin, srv, "export", "160", "-o", "-", "--format", "pdf", "--params-json", sizeParams(t, 3<<20))
	got, _ := runToPipe(t, cmd)
	assert.True(t, bytes.HasPrefix(got, []byte("%PDF-")))
	assert.GreaterOrEqual(t, len(got), 3<<20)

	// In-process: a failed export writes nothing to stdout and says why.
	code, stdout, errText := cli(t, srv, "", "export", "999999", "-o", "-", "--format", "docx")
	assert.Equal(t, exitFailed, code)
	assert.Empty(t, stdout)
	assert.Contains(t, errText, "404")
}
