package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"sync"

	"github.com/cxclient/cxreports/core"
	"github.com/spf13/cobra"
)

func (a *app) batchCommand() *cobra.Command {
	var out, resultsPath string
	concurrency := concurrencyFlag(core.AutoConcurrency)
	var force bool
	retries := 50
	cmd := &cobra.Command{
		Use:   "batch FILE.jsonl --out DIR",
		Short: "Render many reports: one JSON object per line, FILE or - for standard input",
		Long: `Renders one report per input line, with bounded concurrency. Each line is a JSON object:
  {"report": id or code, "output": "path/under/DIR.pdf"} plus any of
  "params", "data", "format", "theme", "template", "workspace".
Outputs are written atomically; those that exist are skipped unless --force, so running the
same batch again resumes it, and removes the temporary files a killed run left beside them.
Two lines that name the same output: the later one fails, naming both lines.
--concurrency auto (the default) starts with 2 renders in flight and finds how many the server
takes: more while renders succeed and stay fast, fewer when it answers 429 or 503.
A bad line is reported with its line number and the batch goes on. --results writes one JSON
line per input line: {"line","output","status":"ok"|"skipped"|"failed","bytes","removed_temps","error"}.
Exit status: 0 when nothing failed, 1 when some items failed, 2 for usage errors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("batch needs --out DIR")
			}
			in, total, err := a.openLines(args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			var results io.Writer
			if resultsPath != "" {
				f, err := os.Create(resultsPath)
				if err != nil {
					return usagef("cannot create --results file: %v", err)
				}
				defer f.Close()
				results = f
			}
			return a.withClient(func(c *core.Client) error {
				rep := newReporter(results, newProgress(a.stderr, total))
				lines := &lineReader{in: in, dir: out, rep: rep}
				if retries < 0 {
					return usagef("--retries must be 0 or more, got %d", retries)
				}
				if retries == 0 {
					retries = -1 // none; the core's 0 means its default
				}
				for r := range c.RenderBatch(cmd.Context(), lines.read, core.BatchOptions{Concurrency: int(concurrency), Force: force, Retries: retries, Total: max(total, 0),
					ItemName: func(i int) string { return fmt.Sprintf("line %d", lines.line(i)) },
					Progress: func(p core.BatchProgress) { rep.batch(p) }}) {
					rep.record(lines.line(r.Index), r.Item.Output, r.Status, r.Bytes, r.RemovedTemps, r.Err)
				}
				rep.finish()
				if err := lines.err; err != nil {
					return err
				}
				if cmd.Context().Err() != nil {
					return cmd.Context().Err()
				}
				if rep.failed > 0 {
					a.status = exitFailed
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "directory the outputs are written under")
	f.Var(&concurrency, "concurrency", `renders in flight at once: a number, or "auto" to find the server's capacity`)
	f.StringVar(&resultsPath, "results", "", "write one JSON result per input line to this file")
	f.BoolVar(&force, "force", false, "render items whose output exists too")
	f.IntVar(&retries, "retries", retries, "429/503 answers in a row, with no render accepted in between, before the refused items fail (0 = none)")
	return cmd
}

// openLines opens the input, and counts its lines when it is a file (for the
// progress bar's total; -1 for standard input).
func (a *app) openLines(path string) (io.ReadCloser, int, error) {
	if path == "-" {
		return io.NopCloser(a.stdin), -1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, usagef("cannot open the batch file: %v", err)
	}
	total := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			total++
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, usagef("cannot read the batch file: %v", err)
	}
	return f, total, nil
}

// utf8BOM is the byte order mark some Windows tools put at the start of a UTF-8 file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// maxLine bounds one input line: params and data of one render.
const maxLine = 64 << 20

// lineReader turns input lines into batch items. Bad lines never reach the
// renderer: they are reported at once with their line number.
type lineReader struct {
	in  io.Reader
	dir string
	rep *reporter
	err error // reading the input failed

	mu    sync.Mutex
	items int     // items yielded so far
	skips []shift // where the line number stops being the item index + 1
}

// shift says that from item index on, line = index + 1 + by. Blank and bad lines
// are what move it, and they are rare: a million good lines cost nothing here,
// where a slice of line numbers would cost 8 MB.
type shift struct{ index, by int }

func (l *lineReader) line(index int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	i := sort.Search(len(l.skips), func(i int) bool { return l.skips[i].index > index }) - 1
	if i < 0 {
		return index + 1
	}
	return index + 1 + l.skips[i].by
}

// shiftNow is the shift in force for the next item; called with mu held.
func (l *lineReader) shiftNow() int {
	if len(l.skips) == 0 {
		return 0
	}
	return l.skips[len(l.skips)-1].by
}

func (l *lineReader) read(yield func(core.BatchItem) bool) {
	sc := bufio.NewScanner(l.in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for n := 1; sc.Scan(); n++ {
		text := sc.Bytes()
		if n == 1 {
			// A file saved by Windows Notepad (before Windows 10 1903) or with
			// PowerShell 5's Out-File -Encoding utf8 starts with a UTF-8 byte
			// order mark; CRLF line ends need nothing: ScanLines drops the CR,
			// TrimSpace any other.
			text = bytes.TrimPrefix(text, utf8BOM)
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		it, err := core.ParseBatchItem(text, l.dir)
		if err != nil {
			l.rep.record(n, "", core.BatchFailed, 0, 0, err)
			continue
		}
		l.mu.Lock()
		if by := n - l.items - 1; by != l.shiftNow() {
			l.skips = append(l.skips, shift{l.items, by})
		}
		l.items++
		l.mu.Unlock()
		if !yield(it) {
			return
		}
	}
	if err := sc.Err(); err != nil {
		l.err = fmt.Errorf("reading the batch input: %w", err)
	}
}

// reporter writes the results file and feeds the progress display; the renders'
// loop and the line reader both report to it.
type reporter struct {
	mu                  sync.Mutex
	results             *json.Encoder
	prog                progress
	ok, failed, skipped int
	removed             int
}

func newReporter(results io.Writer, p progress) *reporter {
	r := &reporter{prog: p}
	if results != nil {
		r.results = json.NewEncoder(results)
	}
	return r
}

type resultLine struct {
	Line         int        `json:"line"`
	Output       string     `json:"output"`
	Status       string     `json:"status"`
	Bytes        int64      `json:"bytes"`
	RemovedTemps int        `json:"removed_temps"` // leftovers of a killed run removed beside output
	Error        *errorLine `json:"error,omitempty"`
}

type errorLine struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (r *reporter) record(line int, output, status string, n int64, removed int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := resultLine{Line: line, Output: output, Status: status, Bytes: n, RemovedTemps: removed}
	r.removed += removed
	switch status {
	case core.BatchOK:
		r.ok++
	case core.BatchSkipped:
		r.skipped++
	default:
		r.failed++
		res.Error = &errorLine{Code: "internal", Message: fmt.Sprint(err)}
		var e *core.Error
		if errors.As(err, &e) {
			res.Error.Code, res.Error.Message = e.Code, e.Message
		}
		r.prog.failure(line, res.Error.Message)
	}
	if r.results != nil {
		_ = r.results.Encode(res)
	}
	r.prog.update(r.ok, r.failed, r.skipped)
}

// batch passes on what only the batch knows: the 429/503 count and the limit.
func (r *reporter) batch(p core.BatchProgress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prog.batch(p.Throttled, p.Limit)
}

func (r *reporter) finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prog.finish(r.ok, r.failed, r.skipped, r.removed)
}

// concurrencyFlag is --concurrency: "auto" (core.AutoConcurrency) or N >= 1.
type concurrencyFlag int

func (c *concurrencyFlag) String() string {
	if *c == core.AutoConcurrency {
		return "auto"
	}
	return strconv.Itoa(int(*c))
}

func (c *concurrencyFlag) Set(s string) error {
	if s == "auto" {
		*c = core.AutoConcurrency
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fmt.Errorf(`give "auto" or a number of renders of at least 1, got %q`, s)
	}
	*c = concurrencyFlag(n)
	return nil
}

func (c *concurrencyFlag) Type() string { return "auto|N" }
