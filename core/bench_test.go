package core

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
)

func benchClient(b *testing.B, opts ...cxfake.Option) (*cxfake.Server, *Client) {
	srv := cxfake.NewServer(append([]cxfake.Option{cxfake.WithToken(testToken)}, opts...)...)
	b.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken, DefaultWorkspace: ID(1), CABundlePEM: srv.CAPEM})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	return srv, c
}

// BenchmarkGetWorkspaces is the cost of a small JSON call on loopback, with the
// pooled keep-alive connection (the fake server runs in the same process).
func BenchmarkGetWorkspaces(b *testing.B) {
	_, c := benchClient(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetWorkspaces(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetWorkspacesParallel is the same call from many goroutines at once.
func BenchmarkGetWorkspacesParallel(b *testing.B) {
	_, c := benchClient(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.GetWorkspaces(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// bigPDFSize is the PDF of the streaming benchmarks: large enough that a body
// held in memory shows in the heap.
const bigPDFSize = 200 << 20

// bigPDF sets up a streaming benchmark: a client of an in-process fake, the query
// that asks it for a bigPDFSize PDF, and a path in a temporary directory for it.
func bigPDF(b *testing.B, opts ...cxfake.Option) (*Client, Query, string) {
	_, c := benchClient(b, opts...)
	var q Query
	q.Set("params", map[string]any{"fakeSizeBytes": bigPDFSize})
	return c, q, filepath.Join(b.TempDir(), "big.pdf")
}

// benchBigPDFToFile puts the big PDF into a file with toFile once per iteration
// and reports the peak heap growth during the download (client and fake server
// together); it must stay under 32 MB because neither side holds the body.
func benchBigPDFToFile(b *testing.B, toFile func(ctx context.Context, c *Client, q Query, path string) error) {
	c, q, path := bigPDF(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(bigPDFSize)
	worst := 0.0
	for b.Loop() {
		h := watchHeap()
		err := toFile(ctx, c, q, path)
		g := h.growthMB()
		if err != nil {
			b.Fatal(err)
		}
		worst = max(worst, g)
	}
	b.ReportMetric(worst, "peak-heap-MB")
	if worst >= 32 {
		b.Errorf("heap grew %.1f MB while streaming 200 MB: the body is being held in memory", worst)
	}
}

// BenchmarkStreamPDF200MBToFile streams a 200 MB PDF to a file (GetPDFToFile)
// within benchBigPDFToFile's heap limit.
func BenchmarkStreamPDF200MBToFile(b *testing.B) {
	benchBigPDFToFile(b, func(ctx context.Context, c *Client, q Query, path string) error {
		_, err := c.GetPDFToFile(ctx, ID(160), q, path)
		return err
	})
}

// BenchmarkOpenPDF200MBToFile is BenchmarkStreamPDF200MBToFile through OpenPDF:
// the same 200 MB into a file, copied by the caller from the Stream with io.Copy,
// so its MB/s sits beside the save's (the bar: at most 10% slower), with
// the same peak heap limit.
func BenchmarkOpenPDF200MBToFile(b *testing.B) {
	benchBigPDFToFile(b, openPDFToFile)
}

// openPDFToFile is what a caller of OpenPDF does to put the PDF in a file:
// io.Copy, which takes the Stream's WriteTo.
func openPDFToFile(ctx context.Context, c *Client, q Query, path string) error {
	s, err := c.OpenPDF(ctx, ID(160), q)
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, s)
	return err
}

// BenchmarkOpenVsSavePDF200MB measures the bar in one run: each iteration
// saves the 200 MB PDF (GetPDFToFile) and copies it from OpenPDF into a file, in
// alternating order so that a slow stretch of a shared machine hits both, and
// reports the median of the iterations' stream/save throughput ratios (target:
// at least 0.90, a stream at most 10% slower). A miss is logged, not failed:
// single iterations on a shared VM swing by more than the margin (see bench-go in
// mk/go.mk). The target is judged over TLS with 5 ms of latency, the way users
// reach CxReports; plain loopback is shown beside it.
func BenchmarkOpenVsSavePDF200MB(b *testing.B) {
	b.Run("tls-5ms", func(b *testing.B) {
		openVsSave(b, cxfake.WithTLS(), cxfake.WithLatency(5*time.Millisecond))
	})
	b.Run("plain", func(b *testing.B) { openVsSave(b) })
}

func openVsSave(b *testing.B, opts ...cxfake.Option) {
	c, q, path := bigPDF(b, opts...)
	ctx := context.Background()
	timed := func(f func() error) float64 {
		t0 := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		return bigPDFSize / 1e6 / time.Since(t0).Seconds()
	}
	save := func() error { _, err := c.GetPDFToFile(ctx, ID(160), q, path); return err }
	stream := func() error { return openPDFToFile(ctx, c, q, path) }
	var saves, streams, ratios []float64
	i := 0
	for b.Loop() {
		var sv, st float64
		if i%2 == 0 {
			sv, st = timed(save), timed(stream)
		} else {
			st, sv = timed(stream), timed(save)
		}
		i++
		saves, streams, ratios = append(saves, sv), append(streams, st), append(ratios, st/sv)
	}
	ratio := median(ratios)
	b.ReportMetric(median(saves), "save-MB/s")
	b.ReportMetric(median(streams), "stream-MB/s")
	b.ReportMetric(ratio, "stream/save")
	if len(ratios) > 1 && ratio < 0.9 {
		b.Logf("MISSED: the median stream/save ratio is %.2f over %d iterations (target >= 0.90)", ratio, len(ratios))
	}
}

// median is the middle value of xs (the mean of the two middle ones), 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
