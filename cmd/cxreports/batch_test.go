package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

// buildCLI builds the real binary once for the tests that need a process of
// its own (signals, SIGKILL).
func buildCLI(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "cxreports-test-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "cxreports")
		build := exec.Command("go", "build", "-o", built.bin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		built.out, built.err = build.CombinedOutput()
	})
	require.NoError(t, built.err, "%s", built.out)
	return built.bin
}

// command runs bin, the binary buildCLI built, against srv in workspace 1.
func command(bin string, srv *cxfake.Server, args ...string) *exec.Cmd {
	return exec.Command(bin, append([]string{"--url", srv.URL, "--token", srv.Token, "--workspace", "1"}, args...)...)
}

// renderRequests counts the render requests srv received, refused ones included.
func renderRequests(srv *cxfake.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/pdf") {
			n++
		}
	}
	return n
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// Two lines that name one output: the later fails, naming both lines, before
// anything is sent for it, and the earlier's file is its own render. The same
// from a pipe.
func TestBatchDuplicateOutputs(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	lines := []string{
		`{"report": 160, "output": "same.pdf", "params": {"invoice": "FIRST"}}`,
		`{"report": 160, "output": "other.pdf"}`,
		``,
		`{"report": 160, "output": "./sub/../same.pdf", "params": {"invoice": "SECOND"}}`,
	}
	for _, fromPipe := range []bool{false, true} {
		srv.Reset()
		out := t.TempDir()
		results := filepath.Join(t.TempDir(), "r.jsonl")
		var code int
		var stderr string
		if fromPipe {
			code, _, stderr = cli(t, srv, strings.Join(lines, "\n")+"\n", "batch", "-", "--out", out, "--results", results)
		} else {
			code, _, stderr = cli(t, srv, "", "batch", writeLines(t, lines...), "--out", out, "--results", results)
		}
		assert.Equal(t, exitFailed, code, stderr)
		assert.Contains(t, stderr, "line 4: Invalid input: line 4 writes")
		assert.Contains(t, stderr, "the same file as line 1")
		status := map[int]string{}
		for _, r := range readResults(t, results) {
			status[r.Line] = r.Status
		}
		assert.Equal(t, map[int]string{1: "ok", 2: "ok", 4: "failed"}, status)
		pdf, err := os.ReadFile(filepath.Join(out, "same.pdf"))
		require.NoError(t, err)
		assert.Contains(t, string(pdf), "FIRST")
		assert.NotContains(t, string(pdf), "SECOND")
		assert.Len(t, srv.Requests(), 2, "nothing was sent for line 4")
	}
}

// A batch killed with SIGKILL mid-way, then run again: every output complete, no
// temporary left in --out, only the missing outputs rendered the second time,
// and nothing outside --out touched.
func TestBatchResumeAfterKill(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer()
	defer srv.Close()
	root := t.TempDir()
	out := filepath.Join(root, "out")
	// Beside --out, files that look like the batch's leftovers: not its own.
	decoys := map[string]string{filepath.Join(root, ".a00.pdf.123.part"): "decoy", filepath.Join(root, "a00.pdf"): "decoy"}
	for p, text := range decoys {
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	manifest := func(slow bool) string {
		return batchFile(t, 12, func(i int) string {
			params := fmt.Sprintf(`{"invoice": "INV-%02d", "fakeSizeBytes": 200000}`, i)
			if slow && i >= 4 {
				params = fmt.Sprintf(`{"invoice": "INV-%02d", "fakeSizeBytes": 200000, "fakeDelayMs": 60000}`, i)
			}
			return fmt.Sprintf(`{"report": 160, "output": "a%02d.pdf", "params": %s}`, i, params)
		})
	}
	cmd := command(bin, srv, "batch", manifest(true), "--out", out, "--concurrency", "6")
	require.NoError(t, cmd.Start())
	// Killed once the 4 fast ones are written and 6 slow ones are in flight.
	require.Eventually(t, func() bool {
		done, _ := filepath.Glob(filepath.Join(out, "a*.pdf"))
		return len(done) == 4 && srv.InFlight() == 6
	}, 30*time.Second, 5*time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	parts, _ := filepath.Glob(filepath.Join(out, ".*.part"))
	require.Len(t, parts, 6, "a killed batch leaves its temporaries: the case to clean up")
	srv.Reset()
	rootBefore := listDir(t, root)

	results := filepath.Join(t.TempDir(), "r.jsonl")
	rerun := command(bin, srv, "batch", manifest(false), "--out", out, "--results", results)
	msg, err := rerun.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	assert.Contains(t, string(msg), "removed 6 temporary file(s)")
	removed, rendered := 0, 0
	for _, r := range readResults(t, results) {
		removed += r.RemovedTemps
		if r.Status == "ok" {
			rendered++
		} else {
			assert.Equal(t, "skipped", r.Status, "%+v", r)
		}
	}
	assert.Equal(t, 6, removed, "the results file counts the removed temporaries")
	assert.Equal(t, 8, rendered)
	assert.Len(t, srv.Requests(), 8, "the second run renders the missing outputs only")
	for i := range 12 {
		pdf, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("a%02d.pdf", i)))
		require.NoError(t, err)
		assert.Contains(t, string(pdf), fmt.Sprintf("INV-%02d", i))
		assert.True(t, bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")), "a%02d.pdf is complete", i)
	}
	parts, _ = filepath.Glob(filepath.Join(out, ".*"))
	assert.Empty(t, parts, "no temporary left in --out")
	assert.Equal(t, rootBefore, listDir(t, root), "nothing outside --out touched")
	for p, text := range decoys {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.Equal(t, text, string(b))
	}
}

// listDir describes dir's entries (name, size, mtime), --out's own entry aside.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if e.Name() == "out" {
			continue
		}
		fi, err := e.Info()
		require.NoError(t, err)
		out = append(out, fmt.Sprintf("%s %d %v", e.Name(), fi.Size(), fi.ModTime().UnixNano()))
	}
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	return append(out, fmt.Sprintf(". %v", fi.ModTime().UnixNano()))
}

// Two batches into one folder at once: the second's clean-up never removes a
// temporary the first is still writing, and both finish with complete files.
func TestBatchesShareAFolder(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer()
	defer srv.Close()
	out := t.TempDir()
	slow := batchFile(t, 4, func(i int) string {
		return fmt.Sprintf(`{"report": 160, "output": "s%d.pdf", "params": {"invoice": "SLOW-%d", "fakeDelayMs": 3000}}`, i, i)
	})
	resultsA := filepath.Join(t.TempDir(), "a.jsonl")
	first := command(bin, srv, "batch", slow, "--out", out, "--concurrency", "4", "--results", resultsA)
	require.NoError(t, first.Start())
	require.Eventually(t, func() bool { return srv.InFlight() == 4 }, 30*time.Second, 5*time.Millisecond)
	live, _ := filepath.Glob(filepath.Join(out, ".s*.pdf.*.part"))
	require.Len(t, live, 4)

	// The second batch writes the same names, and others: it looks at the first's
	// temporaries and must leave them alone.
	second := []string{`{"report": 160, "output": "s0.pdf", "params": {"invoice": "FAST-0"}}`,
		`{"report": 160, "output": "t.pdf"}`}
	resultsB := filepath.Join(t.TempDir(), "b.jsonl")
	code, _, stderr := cli(t, srv, "", "batch", writeLines(t, second...), "--out", out, "--results", resultsB)
	require.Equal(t, exitOK, code, stderr)
	for _, r := range readResults(t, resultsB) {
		assert.Equal(t, 0, r.RemovedTemps, "%+v", r)
	}
	for _, p := range live {
		if srv.InFlight() > 0 {
			_, err := os.Stat(p)
			assert.NoError(t, err, "a live batch's temporary stays")
		}
	}
	require.NoError(t, first.Wait())
	for _, r := range readResults(t, resultsA) {
		assert.Equal(t, "ok", r.Status, "%+v", r)
	}
	for i := range 4 {
		pdf, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("s%d.pdf", i)))
		require.NoError(t, err)
		assert.True(t, bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")))
	}
	parts, _ := filepath.Glob(filepath.Join(out, ".*.part"))
	assert.Empty(t, parts)
}

// renderLines runs `cxreports batch` on n renders of 100 ms against srv with
// the given --concurrency (absent: the default) and returns the wall time and
// the share of render requests the server refused.
func renderLines(t *testing.T, srv *cxfake.Server, n int, concurrency string) (time.Duration, float64) {
	t.Helper()
	in := batchFile(t, n, func(i int) string {
		return fmt.Sprintf(`{"report": 160, "output": "%03d.pdf", "params": {"fakeDelayMs": 100, "i": %d}}`, i, i)
	})
	args := []string{"batch", in, "--out", t.TempDir()}
	if concurrency != "" {
		args = append(args, "--concurrency", concurrency)
	}
	srv.Reset()
	start := time.Now()
	code, _, stderr := cli(t, srv, "", args...)
	took := time.Since(start)
	require.Equal(t, exitOK, code, stderr)
	return took, float64(srv.RenderRefusals()) / float64(renderRequests(srv))
}

// The default, --concurrency auto, against a server of K render slots it is not
// told of: within 1.3 × the ideal time plus 0.5 s, at most 10% of render requests
// refused. The ideal is n × 100 ms / K, or what --concurrency K took in this run
// if that is longer (a loaded machine slows both alike).
func TestBatchAutoConcurrency(t *testing.T) {
	for _, tc := range []struct{ k, n int }{{2, 60}, {24, 240}} {
		t.Run(fmt.Sprintf("K=%d", tc.k), func(t *testing.T) {
			srv := cxfake.NewServer(cxfake.WithRenderSlots(tc.k))
			defer srv.Close()
			told, share := renderLines(t, srv, tc.n, fmt.Sprint(tc.k))
			require.Zero(t, share)
			ideal := max(time.Duration(tc.n)*100*time.Millisecond/time.Duration(tc.k), told)
			took, share := renderLines(t, srv, tc.n, "")
			t.Logf("K=%d: --concurrency %d %v, auto %v (%.2f × ideal), %.1f%% refused", tc.k, tc.k, told, took, float64(took)/float64(ideal), 100*share)
			assert.LessOrEqual(t, took, time.Duration(1.3*float64(ideal))+500*time.Millisecond)
			assert.LessOrEqual(t, share, 0.10)
			assert.LessOrEqual(t, srv.PeakRenders(), tc.k)
		})
	}
}

// Two cxreports processes, each with --concurrency auto, against one server of 6
// render slots: both finish within 1.4 × the ideal of all 480 renders, with at
// most 15% of render requests refused, and no coordinator.
func TestBatchAutoConcurrencyTwoProcesses(t *testing.T) {
	bin := buildCLI(t)
	srv := cxfake.NewServer(cxfake.WithRenderSlots(6))
	defer srv.Close()
	told, _ := renderLines(t, srv, 60, "6")
	ideal := max(480*100*time.Millisecond/6, 8*told)
	srv.Reset()
	var cmds []*exec.Cmd
	for b := range 2 {
		in := batchFile(t, 240, func(i int) string {
			return fmt.Sprintf(`{"report": 160, "output": "b%d/%03d.pdf", "params": {"fakeDelayMs": 100}}`, b, i)
		})
		cmds = append(cmds, command(bin, srv, "batch", in, "--out", t.TempDir()))
	}
	start := time.Now()
	for _, c := range cmds {
		require.NoError(t, c.Start())
	}
	for i, c := range cmds {
		require.NoError(t, c.Wait(), "batch %d", i)
		took := time.Since(start)
		t.Logf("batch %d done after %v (ideal %v)", i, took, ideal)
		assert.LessOrEqual(t, took, time.Duration(1.4*float64(ideal)))
	}
	renders := renderRequests(srv)
	assert.Equal(t, 480, renders-srv.RenderRefusals())
	assert.LessOrEqual(t, float64(srv.RenderRefusals())/float64(renders), 0.15)
	assert.LessOrEqual(t, srv.PeakRenders(), 6)
}

// --retries bounds the refusals in a row: with none allowed, a 429 fails the item.
func TestBatchRetriesFlag(t *testing.T) {
	srv := cxfake.NewServer()
	defer srv.Close()
	srv.Inject("POST", "/api/v1/ws/main/reports/160/pdf", cxfake.Fault{Status: 429, RetryAfter: "0"})
	in := writeLines(t, `{"report": 160, "output": "a.pdf"}`)
	results := filepath.Join(t.TempDir(), "r.jsonl")
	code, _, stderr := cli(t, srv, "", "batch", in, "--out", t.TempDir(), "--retries", "0", "--results", results)
	assert.Equal(t, exitFailed, code, stderr)
	res := readResults(t, results)
	require.Len(t, res, 1)
	assert.Contains(t, res[0].Error.Message, "429")
	code, _, _ = cli(t, srv, "", "batch", in, "--out", t.TempDir(), "--retries", "-1")
	assert.Equal(t, exitUsage, code)
	code, _, stderr = cli(t, srv, "", "batch", in, "--out", t.TempDir(), "--concurrency", "fast")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, `"auto"`)
}

// Item indices map back to line numbers through blank and bad lines.
func TestLineNumbers(t *testing.T) {
	in := "\n" + `{"report": 160, "output": "a.pdf"}` + "\n\nbad\n" + `{"report": 160, "output": "b.pdf"}` + "\n" +
		`{"report": 160, "output": "c.pdf"}` + "\n\n\n" + `{"report": 160, "output": "d.pdf"}` + "\n"
	l := &lineReader{in: strings.NewReader(in), rep: newReporter(nil, &lineProgress{w: io.Discard})}
	var outputs []string
	for it := range l.read {
		outputs = append(outputs, it.Output)
	}
	assert.Equal(t, []string{"a.pdf", "b.pdf", "c.pdf", "d.pdf"}, outputs)
	for i, want := range []int{2, 5, 6, 9} {
		assert.Equal(t, want, l.line(i), "item %d", i)
	}
}

// A batch file written on Windows: a UTF-8 byte order mark, CRLF line ends, a
// blank CRLF line, no line end after the last line.
func TestWindowsBatchFile(t *testing.T) {
	in := "\xEF\xBB\xBF" + `{"report": 160, "output": "a.pdf"}` + "\r\n\r\n" +
		`{"report": 160, "output": "b.pdf"}` + "\r\n" + `{"report": 160, "output": "c.pdf"}`
	l := &lineReader{in: strings.NewReader(in), rep: newReporter(nil, &lineProgress{w: io.Discard})}
	var outputs []string
	for it := range l.read {
		outputs = append(outputs, it.Output)
	}
	assert.Equal(t, []string{"a.pdf", "b.pdf", "c.pdf"}, outputs)
	assert.Equal(t, 0, l.rep.failed, "no line may be reported bad")
	assert.Equal(t, []int{1, 3, 4}, []int{l.line(0), l.line(1), l.line(2)})
}
