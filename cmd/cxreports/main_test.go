package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cli runs one command line in-process against srv and returns its exit status,
// stdout and stderr.
func cli(t *testing.T, srv *cxfake.Server, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	full := append([]string{"--url", srv.URL, "--token", srv.Token, "--workspace", "main"}, args...)
	code := run(context.Background(), full, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeLines(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "batch.jsonl")
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	return p
}

// batchFile writes a batch of n lines, line i being line(i), and returns its path.
func batchFile(t *testing.T, n int, line func(i int) string) string {
	t.Helper()
	lines := make([]string, n)
	for i := range lines {
		lines[i] = line(i)
	}
	return writeLines(t, lines...)
}

func readResults(t *testing.T, path string) []resultLine {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []resultLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r resultLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), sc.Text())
		out = append(out, r)
	}
	return out
}

// 40 renders at concurrency 8 land through a burst of 429s, each file with its own
// params, never more than 8 at the server at once; running it again renders nothing.
func TestBatchThroughThrottling(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	burst := make([]cxfake.Fault, 15)
	for i := range burst {
		burst[i] = cxfake.Fault{Status: 429, RetryAfter: "0"}
	}
	srv.Inject("POST", "/api/v1/ws/main/reports/160/pdf", burst...)
	in := batchFile(t, 40, func(i int) string {
		return fmt.Sprintf(`{"report": 160, "output": "inv/%02d.pdf", "params": {"invoice": "INV-%04d"}}`, i, i)
	})
	out := t.TempDir()
	results := filepath.Join(t.TempDir(), "results.jsonl")
	code, stdout, stderr := cli(t, srv, "", "batch", in, "--out", out, "--concurrency", "8", "--results", results)
	require.Equal(t, exitOK, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "40/40 done: 40 ok, 0 failed, 0 skipped")
	assert.Contains(t, stderr, "server asked to slow down 15 times")
	assert.LessOrEqual(t, srv.PeakConcurrency(), 8)
	res := readResults(t, results)
	require.Len(t, res, 40)
	for _, r := range res {
		require.Equal(t, "ok", r.Status, "%+v", r)
		pdf, err := os.ReadFile(r.Output)
		require.NoError(t, err)
		assert.Equal(t, int64(len(pdf)), r.Bytes)
		assert.Contains(t, string(pdf), fmt.Sprintf("INV-%04d", r.Line-1), "line %d's file carries its own params", r.Line)
	}

	srv.Reset()
	code, _, stderr = cli(t, srv, "", "batch", in, "--out", out, "--concurrency", "8", "--results", results)
	require.Equal(t, exitOK, code, stderr)
	assert.Empty(t, srv.Requests(), "a rerun renders nothing")
	again := readResults(t, results)
	require.Len(t, again, 40, "the rerun reports every line")
	for _, r := range again {
		assert.Equal(t, "skipped", r.Status)
	}
}

// A bad line is reported with its number and the others still render; the exit
// status says some items failed.
func TestBatchBadLines(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	in := writeLines(t,
		`{"report": 160, "output": "a.pdf"}`,
		`not json`,
		`{"report": "invoice", "output": "../outside.pdf"}`,
		``,
		`{"output": "no-report.pdf"}`,
		`{"report": 160, "output": "b.pdf", "colour": "typo"}`,
		`{"report": 999999, "output": "missing.pdf"}`,
		`{"report": "invoice", "output": "c.pdf", "theme": 3, "data": [{"a": 1}]}`)
	out := t.TempDir()
	results := filepath.Join(t.TempDir(), "r.jsonl")
	code, _, stderr := cli(t, srv, "", "batch", in, "--out", out, "--results", results)
	assert.Equal(t, exitFailed, code)
	for _, n := range []int{2, 3, 5, 6} {
		assert.Contains(t, stderr, fmt.Sprintf("line %d: Invalid input", n))
	}
	status := map[int]string{}
	for _, r := range readResults(t, results) {
		status[r.Line] = r.Status
		if r.Status == "failed" {
			assert.NotEmpty(t, r.Error.Code)
		}
	}
	assert.Equal(t, map[int]string{1: "ok", 2: "failed", 3: "failed", 5: "failed", 6: "failed", 7: "failed", 8: "ok"}, status)
	assert.FileExists(t, filepath.Join(out, "a.pdf"))
	assert.FileExists(t, filepath.Join(out, "c.pdf"))
	assert.NoFileExists(t, filepath.Join(filepath.Dir(out), "outside.pdf"))
}

// The batch reads standard input with "-".
func TestBatchFromStdin(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	out := t.TempDir()
	code, _, stderr := cli(t, srv, `{"report": 160, "output": "s.pdf"}`+"\n", "batch", "-", "--out", out)
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(out, "s.pdf"))
	assert.Contains(t, stderr, "1 done: 1 ok")
	assert.Equal(t, 1, strings.Count(stderr, "1 done"), "the last progress line is printed once:\n%s", stderr)
}

// Usage and configuration errors exit 2 and say what to do.
func TestUsageErrors(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	for _, args := range [][]string{{"batch"}, {"batch", "x.jsonl"}, {"batch", "/no/such.jsonl", "--out", "d"},
		{"pdf", "160"}, {"nonsense"}, {"pdf", "160", "-o", "x.pdf", "--param", "novalue"}, {"themes", "--bogus"}} {
		code, _, stderr := cli(t, srv, "", args...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, stderr)
		assert.NotEmpty(t, stderr)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--url", "", "--token", "", "themes"}, strings.NewReader(""), &out, &errOut)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut.String(), "CXREPORTS_URL")
}

// The API's calls as subcommands, with the server's JSON on stdout.
func TestSubcommands(t *testing.T) {
	srv := cxfake.NewServer(cxfake.WithExportDelay(10*time.Millisecond), cxfake.WithJobDelay(10*time.Millisecond))
	defer srv.Close()
	for cmd, want := range map[string]string{"workspaces": `"code":"main"`, "reports": `"Invoice"`, "themes": `"dark"`,
		"templates": `"Default"`, "jobs": `"monthly"`} {
		code, stdout, stderr := cli(t, srv, "", cmd)
		require.Equal(t, exitOK, code, stderr)
		assert.Contains(t, stdout, want, cmd)
		assert.True(t, json.Valid([]byte(stdout)), cmd)
	}
	dir := t.TempDir()
	params := filepath.Join(dir, "p.json")
	require.NoError(t, os.WriteFile(params, []byte(`{"title": "from file", "month": "10"}`), 0o644))
	code, _, stderr := cli(t, srv, `[{"row": 1}]`, "pdf", "invoice", "-o", filepath.Join(dir, "a.pdf"),
		"--params-json", params, "--param", "month=11", "--data-json", "-", "--theme", "dark")
	require.Equal(t, exitOK, code, stderr)
	reqs := srv.Requests()
	assert.JSONEq(t, `{"params": {"title": "from file", "month": "11"}, "data": [{"row": 1}], "theme": "dark", "format": "pdf"}`,
		string(reqs[len(reqs)-1].Body))
	code, _, stderr = cli(t, srv, "", "export", "160", "-o", filepath.Join(dir, "e.docx"), "--format", "docx")
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(dir, "e.docx"))
	code, stdout, stderr := cli(t, srv, "", "job-run", "monthly", "--wait", "--deliver")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"finished":true`)
	code, stdout, _ = cli(t, srv, "", "preview-url", "160")
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "/ws/main/reports/160/preview?nonce=")
	code, stdout, _ = cli(t, srv, `{"rows": [1, 2]}`, "temp-data", "push", "-")
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "tempDataId")
	code, _, stderr = cli(t, srv, "", "pdf", "999999", "-o", filepath.Join(dir, "x.pdf"))
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, "404")
}

// Ctrl-C stops a batch cleanly: exit 130, the renders in flight abandoned, no
// partial or temporary file left. Runs the real binary, since signals are the point.
func TestBatchInterrupt(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer()
	defer srv.Close()
	in := batchFile(t, 20, func(i int) string {
		return fmt.Sprintf(`{"report": 160, "output": "r/%d.pdf", "params": {"fakeDelayMs": 60000, "fakeSizeBytes": 1000000}}`, i)
	})
	dir := t.TempDir()
	cmd := command(bin, srv, "batch", in, "--out", dir, "--concurrency", "4")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	require.Eventually(t, func() bool { return srv.InFlight() == 4 }, 20*time.Second, 5*time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	var exit *exec.ExitError
	require.ErrorAs(t, cmd.Wait(), &exit, stderr.String())
	assert.Equal(t, exitInterrupted, exit.ExitCode(), stderr.String())
	assert.Contains(t, stderr.String(), "interrupted")
	// Every output and temporary file would be in r/ (Glob's * matches dot files).
	left, err := filepath.Glob(filepath.Join(dir, "r", "*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no partial files")
	assert.Eventually(t, func() bool { return srv.InFlight() == 0 }, 10*time.Second, 10*time.Millisecond)
}
