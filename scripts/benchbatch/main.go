// Command benchbatch measures `cxreports batch` against the fake server's render
// capacity (cxfake -render-slots K): how close --concurrency auto comes to the
// ideal time without being told K, against fixed concurrencies, alone and as two
// batches sharing one server. It also measures the peak RSS of a batch of a
// million lines. `make bench-batch` runs it and writes build/bench-batch.md.
//
//	go run ./scripts/benchbatch -cli build/cxreports [-n 240] [-delay 100ms] [-out FILE]
//	go run ./scripts/benchbatch -cli build/cxreports -million 1000000
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cxclient/cxreports/cxfake"
)

func main() {
	cli := flag.String("cli", "build/cxreports", "the cxreports binary")
	n := flag.Int("n", 240, "renders per batch")
	delay := flag.Duration("delay", 100*time.Millisecond, "time each render takes at the server (fakeDelayMs)")
	out := flag.String("out", "", "also write the table (markdown) to this file")
	slots := flag.String("slots", "2,6,24", "render slots K to run against")
	modes := flag.String("modes", "auto,4,8,32", "--concurrency values to compare")
	conds := flag.String("conditions", "plain,tls25", "plain (HTTP, no latency) and/or tls25 (HTTPS, 25 ms each way)")
	limit := flag.Duration("timeout", 90*time.Second, "stop a run after this long")
	million := flag.Int("million", 0, "instead: run one batch of this many small renders from a pipe and report the CLI's peak RSS")
	flag.Parse()
	bin, err := filepath.Abs(*cli)
	if err != nil {
		fail(err)
	}
	if *million > 0 {
		runMillion(bin, *million)
		return
	}
	var table bytes.Buffer
	fmt.Fprintf(&table, "`make bench-batch`, %s: %d renders of %v each against `cxfake -render-slots K`; ideal = %d × %v / K. "+
		"Targets for auto: time ≤ 1.3 × ideal + 0.5 s, refused ≤ 10%% of render requests (two batches: ≤ 1.4 × ideal for both, ≤ 15%%).\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), *n, *delay, *n, *delay)
	fmt.Fprintln(&table, "| condition | K | concurrency | time | ideal | time / ideal | refused | target |")
	fmt.Fprintln(&table, "|---|---|---|---|---|---|---|---|")
	fmt.Print(table.String())
	var rows []string
	for _, cond := range split(*conds) {
		for _, k := range atois(split(*slots)) {
			for _, mode := range split(*modes) {
				r := runOne(bin, cond, k, []string{mode}, *n, *delay, *limit)
				rows = append(rows, r.row(cond, k, mode, *n, *delay))
				fmt.Println(rows[len(rows)-1])
			}
		}
		r := runOne(bin, cond, 6, []string{"auto", "auto"}, *n, *delay, *limit)
		rows = append(rows, r.row(cond, 6, "2 × auto", 2**n, *delay))
		fmt.Println(rows[len(rows)-1])
	}
	for _, r := range rows {
		fmt.Fprintln(&table, r)
	}
	if *out != "" {
		if err := os.WriteFile(*out, table.Bytes(), 0o644); err != nil {
			fail(err)
		}
	}
}

type result struct {
	wall     time.Duration // until the last batch finished
	renders  int           // render requests the server saw
	refused  int
	timedOut bool
	failed   string
}

func (r result) row(cond string, k int, mode string, n int, delay time.Duration) string {
	ideal := time.Duration(n) * delay / time.Duration(k)
	ratio := float64(r.wall) / float64(ideal)
	share := 0.0
	if r.renders > 0 {
		share = float64(r.refused) / float64(r.renders)
	}
	target := ""
	switch {
	case mode == "auto":
		target = verdict(r.wall <= time.Duration(1.3*float64(ideal))+500*time.Millisecond && share <= 0.10)
	case strings.HasPrefix(mode, "2 ×"):
		target = verdict(r.wall <= time.Duration(1.4*float64(ideal)) && share <= 0.15)
	}
	wall, times := fmt.Sprintf("%.2f s", r.wall.Seconds()), fmt.Sprintf("%.2f", ratio)
	if r.timedOut {
		wall, times = "> "+wall+" (stopped)", "> "+times
	}
	if r.failed != "" {
		target = "failed: " + r.failed
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %.2f s | %s | %d of %d (%.0f%%) | %s |",
		cond, k, mode, wall, ideal.Seconds(), times, r.refused, r.renders, 100*share, target)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

// runOne runs one cxreports batch per entry of modes, all at once, against a
// fresh fake with k render slots, and waits for all of them.
func runOne(bin, cond string, k int, modes []string, n int, delay time.Duration, limit time.Duration) result {
	opts := []cxfake.Option{cxfake.WithRenderSlots(k)}
	if cond == "tls25" {
		opts = append(opts, cxfake.WithTLS(), cxfake.WithLatency(25*time.Millisecond))
	}
	srv := cxfake.NewServer(opts...)
	defer srv.Close()
	tmp, err := os.MkdirTemp("", "bench-batch-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	env := os.Environ()
	if len(srv.CAPEM) > 0 {
		ca := filepath.Join(tmp, "ca.pem")
		if err := os.WriteFile(ca, srv.CAPEM, 0o644); err != nil {
			fail(err)
		}
		env = append(env, "SSL_CERT_FILE="+ca) // Go's TLS on Linux trusts exactly this file
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for b, mode := range modes {
		var lines bytes.Buffer
		for i := range n {
			fmt.Fprintf(&lines, `{"report": 160, "output": "b%d/%05d.pdf", "params": {"fakeDelayMs": %d, "i": %d}}`+"\n",
				b, i, delay.Milliseconds(), i)
		}
		in := filepath.Join(tmp, fmt.Sprintf("batch%d.jsonl", b))
		if err := os.WriteFile(in, lines.Bytes(), 0o644); err != nil {
			fail(err)
		}
		cmd := exec.CommandContext(ctx, bin, "--url", srv.URL, "--token", srv.Token, "--workspace", "1",
			"batch", in, "--out", filepath.Join(tmp, "out"), "--concurrency", mode)
		cmd.Env = env
		var o bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &o
		cmds, outs = append(cmds, cmd), append(outs, &o)
	}
	start := time.Now()
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			fail(err)
		}
	}
	var r result
	for i, c := range cmds {
		if err := c.Wait(); err != nil && r.failed == "" {
			r.failed = fmt.Sprintf("%v: %s", err, lastLine(outs[i].String()))
		}
	}
	r.wall = time.Since(start)
	if ctx.Err() != nil {
		r.timedOut, r.failed = true, ""
	}
	for _, q := range srv.Requests() {
		if strings.HasSuffix(q.Path, "/pdf") {
			r.renders++
		}
	}
	r.refused = srv.RenderRefusals()
	return r
}

// runMillion renders count small reports from a pipe and reports the CLI's peak
// resident memory.
func runMillion(bin string, count int) {
	srv := cxfake.NewServer()
	defer srv.Close()
	tmp, err := os.MkdirTemp("", "bench-batch-million-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(bin, "--url", srv.URL, "--token", srv.Token, "--workspace", "1",
		"batch", "-", "--out", filepath.Join(tmp, "out"), "--concurrency", "auto", "--results", filepath.Join(tmp, "results.jsonl"))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		fail(err)
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	go func() {
		w := bufio.NewWriterSize(stdin, 1<<20)
		for i := range count {
			// 1000 files a folder: a filesystem's directories stay small.
			fmt.Fprintf(w, `{"report": 160, "output": "d%04d/%07d.pdf", "params": {"i": %d}}`+"\n", i/1000, i, i)
		}
		w.Flush()
		stdin.Close()
	}()
	err = cmd.Wait()
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Printf("%d lines from a pipe: exit %v in %.0f s (%.0f renders/s); peak RSS of cxreports %.1f MB\n%s\n",
		count, err, wall.Seconds(), float64(count)/wall.Seconds(), float64(ru.Maxrss)/1024, lastLine(errOut.String()))
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func atois(ss []string) []int {
	var out []int
	for _, s := range ss {
		var k int
		if _, err := fmt.Sscan(s, &k); err != nil {
			fail(err)
		}
		out = append(out, k)
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchbatch:", err)
	os.Exit(1)
}
