package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildDir  string
)

// buildCommand builds the command once per test run into a directory removed by
// TestMain.
func buildCommand(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		var out []byte
		builtBin = filepath.Join(buildDir, "cxfake")
		out, buildErr = exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if buildErr != nil {
			buildErr = fmt.Errorf("go build: %v: %s", buildErr, out)
		}
	})
	require.NoError(t, buildErr)
	return builtBin
}

// startCommand runs the built binary with args and returns its first stdout line,
// decoded strictly. The process is killed when the test ends.
func startCommand(t *testing.T, args ...string) (banner, string) {
	t.Helper()
	cmd := exec.Command(buildCommand(t), args...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	return decodeBanner(t, line), line
}

// decodeBanner decodes the command's first line strictly: a field the bindings
// do not know about fails the test.
func decodeBanner(t *testing.T, line string) banner {
	t.Helper()
	var b banner
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&b), "line: %q", line)
	return b
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cxfake-cmd-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestCommand builds the real binary, runs it as the bindings' tests do, and checks
// the one JSON line, that the server answers with the announced token, that stdout
// carries nothing else, and that SIGTERM stops it cleanly.
func TestCommand(t *testing.T) {
	bin := buildCommand(t)
	cmd := exec.Command(bin, "-port", "0", "-export-delay", "10ms", "-job-delay", "10ms", "-token", "tok-123")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	// stderr goes to a file: the child writes it while the test runs.
	errPath := filepath.Join(t.TempDir(), "stderr")
	errFile, err := os.Create(errPath)
	require.NoError(t, err)
	defer errFile.Close()
	cmd.Stderr = errFile
	stderr := func() string { b, _ := os.ReadFile(errPath); return string(b) }
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }() // only if an assertion below failed first

	rd := bufio.NewReader(stdout)
	line, err := rd.ReadString('\n')
	require.NoError(t, err, "stderr: %s", stderr())
	assert.NotContains(t, line, `"ca"`, "no CA without -tls")
	b := decodeBanner(t, line)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, b.URL)
	assert.Equal(t, "tok-123", b.Token)
	assert.Equal(t, int64(1), b.WorkspaceID)
	assert.Equal(t, "main", b.WorkspaceCode)
	assert.Equal(t, cmd.Process.Pid, b.PID)
	assert.Equal(t, "int", b.IDs, "ids are integers unless -ids says otherwise")

	res, body := exchange(t, http.DefaultClient, b, "GET", "/api/v1/ws/main/reports")
	assert.Equal(t, http.StatusOK, res.StatusCode, string(body))

	var st struct {
		RenderSlots *int `json:"render_slots"`
	}
	fakeStats(t, b, &st)
	require.NotNil(t, st.RenderSlots)
	assert.Equal(t, 0, *st.RenderSlots, "renders are unlimited unless -render-slots says otherwise")

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	rest, err := io.ReadAll(rd)
	require.NoError(t, err)
	assert.Empty(t, string(rest), "stdout must hold only the JSON line")
	require.NoError(t, cmd.Wait(), "stderr: %s", stderr())
	assert.Contains(t, stderr(), "stopping")
}

func TestRandomTokenAndBindsLoopbackOnly(t *testing.T) {
	b, _ := startCommand(t)
	assert.NotEmpty(t, b.Token)
	host, _, err := net.SplitHostPort(strings.TrimPrefix(b.URL, "http://"))
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-port", "70000"}, {"-port", "x"}, {"extra"}, {"-nope"},
		{"-bandwidth", "fast"}, {"-bandwidth", "100mbps"}, {"-bandwidth", "-1mbit"},
		{"-latency", "-5ms"}, {"-latency", "soon"}, {"-ca-file", "ca.pem"},
		{"-ids", "uuid"}, {"-ids", "GUID"}, {"-ids", ""}, {"-ids"},
		{"-render-slots", "-1"}, {"-render-slots", "two"},
		{"-read-header-timeout", "-1s"}, {"-read-header-timeout", "long"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(args, &stdout, &stderr), "%v", args)
		assert.Empty(t, stdout.String(), "%v", args)
		assert.NotEmpty(t, stderr.String(), "%v", args)
	}
}

func TestRunReportsBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 1, run([]string{"-port", itoa(port)}, &stdout, &stderr))
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "cannot listen")
}

func itoa(n int) string { return strconv.Itoa(n) }

// A bad -bandwidth names the accepted forms.
func TestRunExplainsBadBandwidth(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"-bandwidth", "fast"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "100mbit")
	assert.Empty(t, stdout.String())
}

func TestRunReportsUnwritableCAFile(t *testing.T) {
	var stdout, stderr bytes.Buffer
	path := filepath.Join(t.TempDir(), "no such dir", "ca.pem")
	assert.Equal(t, 1, run([]string{"-tls", "-ca-file", path}, &stdout, &stderr))
	assert.Empty(t, stdout.String(), "no line for a server that is not announced")
	assert.Contains(t, stderr.String(), "-ca-file")
}
