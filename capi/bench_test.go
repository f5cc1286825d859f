package main

import (
	"context"
	"testing"
	"time"

	"github.com/cxclient/cxreports/capi/capitest"
	"github.com/cxclient/cxreports/core"
	"github.com/cxclient/cxreports/core/cxfake"
	json "github.com/goccy/go-json"
)

// BenchmarkCallOverhead measures get_workspaces against the fake server on
// loopback three ways, interleaved in blocks within one run so all see the same
// machine state:
//   - core:      the Go client directly (typed result);
//   - core+json: the same plus encoding the result as JSON, which is what a
//     JSON-speaking caller needs anyway;
//   - cabi:      cx_call + cx_free through the real exported functions, called
//     from a C thread the Go runtime did not create, like a C, Python or Node host.
//
// It reports the per-call times and the ratios cabi/core and cabi/core+json. A C
// thread that waits for Go to do network I/O costs at least two OS thread
// wake-ups per call (one to start the Go side, one to wake the caller); the
// benchmark also reports that machine-dependent floor, measured with a plain C
// condition-variable ping-pong, as wake-rtt-ns.
func BenchmarkCallOverhead(b *testing.B) {
	srv := cxfake.NewServer()
	defer srv.Close()
	c, err := core.New(core.Config{BaseURL: srv.URL, Token: srv.Token, DefaultWorkspace: core.ID(1)})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	h, e := capitest.ClientNew(capitest.Str(`{"base_url":"`+srv.URL+`","token":"`+srv.Token+`","default_workspace_id":1}`), false)
	if h == 0 {
		b.Fatal(e)
	}
	defer capitest.Free(h)
	ctx := context.Background()
	direct := func(n int, encode bool) time.Duration {
		t0 := time.Now()
		for i := 0; i < n; i++ {
			ws, err := c.GetWorkspaces(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if encode {
				if _, err := json.Marshal(ws); err != nil {
					b.Fatal(err)
				}
			}
		}
		return time.Since(t0)
	}
	viaC := func(n int) time.Duration {
		d, bad := capitest.CallLoop(h, "get_workspaces", "{}", n)
		if bad != 0 {
			b.Fatalf("%d cx_call failed", bad)
		}
		return d
	}
	direct(50, true) // warm connections and encoders
	viaC(50)

	const block = 25
	var tCore, tJSON, tC time.Duration
	b.ResetTimer()
	for done := 0; done < b.N; done += block {
		n := min(block, b.N-done)
		tCore += direct(n, false)
		tJSON += direct(n, true)
		tC += viaC(n)
	}
	b.StopTimer()
	wake := capitest.WakeRoundTrip(500)
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) }
	b.ReportMetric(per(tCore), "core-ns/call")
	b.ReportMetric(per(tJSON), "core+json-ns/call")
	b.ReportMetric(per(tC), "cabi-ns/call")
	b.ReportMetric(float64(tC)/float64(tCore), "cabi/core")
	b.ReportMetric(float64(tC)/float64(tJSON), "cabi/core+json")
	b.ReportMetric(float64(wake.Nanoseconds()), "wake-rtt-ns")
}
