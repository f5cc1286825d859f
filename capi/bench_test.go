package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/cxclient/cxreports/capi/capitest"
	"github.com/cxclient/cxreports/core"
	"github.com/cxclient/cxreports/cxfake"
)

// BenchmarkCallOverhead measures get_workspaces on loopback, interleaved in blocks
// within one run so every variant sees the same machine state:
//   - core:  the Go client called directly (typed result);
//   - cabi:  cx_call + cx_free through the real exported functions, called from a
//     C thread the Go runtime did not create, like a C, Python or Node host.
//
// The headline pair runs against build/cxfake started as a separate process
// (CXFAKE names the binary; make bench-capi sets it), which is what a loopback
// call is for every host: metrics core-ns/call, cabi-ns/call and cabi/core (the
// target: at most 1.3; cx_call's thread waits on a condition variable while a
// goroutine makes the call, see sync_unix.c, sync_windows.c). The same pair also runs against an in-process
// fake (the inproc-* metrics), where the direct Go call never needs an OS thread
// wake-up because client and server goroutines share the scheduler, but a call
// from a C thread always needs at least two; wake-rtt-ns is that
// machine-dependent floor, measured with a plain C condition-variable ping-pong.
func BenchmarkCallOverhead(b *testing.B) {
	bin := os.Getenv("CXFAKE")
	if bin == "" {
		b.Fatal("set CXFAKE to the path of build/cxfake (make bench-capi does); a benchmark without its server fails rather than skip")
	}
	url, token := startFake(b, bin)
	srv := cxfake.NewServer()
	defer srv.Close()

	type pair struct {
		c *core.Client
		h uint64
	}
	open := func(url, token string) pair {
		c, err := core.New(core.Config{BaseURL: url, Token: token, DefaultWorkspace: core.ID(1)})
		if err != nil {
			b.Fatal(err)
		}
		h, e := capitest.ClientNew(capitest.Str(`{"base_url":"`+url+`","token":"`+token+`","default_workspace_id":1}`), false)
		if h == 0 {
			b.Fatal(e)
		}
		return pair{c, h}
	}
	ext, in := open(url, token), open(srv.URL, srv.Token)
	for _, p := range []pair{ext, in} {
		defer p.c.Close()
		defer capitest.Free(p.h)
	}
	ctx := context.Background()
	direct := func(p pair, n int) time.Duration {
		t0 := time.Now()
		for i := 0; i < n; i++ {
			if _, err := p.c.GetWorkspaces(ctx); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(t0)
	}
	viaC := func(p pair, n int) time.Duration {
		d, bad := capitest.CallLoop(p.h, "get_workspaces", "{}", n)
		if bad != 0 {
			b.Fatalf("%d cx_call failed", bad)
		}
		return d
	}
	for _, p := range []pair{ext, in} { // warm connections and code paths
		direct(p, 50)
		viaC(p, 50)
	}

	const block = 25
	var tCore, tC, tInCore, tInC time.Duration
	b.ResetTimer()
	for done := 0; done < b.N; done += block {
		n := min(block, b.N-done)
		tCore += direct(ext, n)
		tC += viaC(ext, n)
		tInCore += direct(in, n)
		tInC += viaC(in, n)
	}
	b.StopTimer()
	wake := capitest.WakeRoundTrip(500)
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) }
	b.ReportMetric(per(tCore), "core-ns/call")
	b.ReportMetric(per(tC), "cabi-ns/call")
	b.ReportMetric(float64(tC)/float64(tCore), "cabi/core")
	b.ReportMetric(per(tInCore), "inproc-core-ns/call")
	b.ReportMetric(per(tInC), "inproc-cabi-ns/call")
	b.ReportMetric(float64(tInC)/float64(tInCore), "inproc-cabi/core")
	b.ReportMetric(float64(wake.Nanoseconds()), "wake-rtt-ns")
}

// startFake runs the cxfake binary on a free loopback port until the benchmark
// ends and returns its URL and token from the JSON line it prints.
func startFake(b *testing.B, bin string) (url, token string) {
	cmd := exec.Command(bin, "-port", "0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("cannot start %s: %v", bin, err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("%s printed no banner: %v", bin, err)
	}
	var banner struct{ URL, Token string }
	if err := json.Unmarshal([]byte(line), &banner); err != nil || banner.URL == "" {
		b.Fatalf("%s printed %q, not its JSON banner: %v", bin, line, err)
	}
	return banner.URL, banner.Token
}
