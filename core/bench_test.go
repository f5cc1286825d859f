package core

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/cxclient/cxreports/cxfake"
)

func benchClient(b *testing.B) (*cxfake.Server, *Client) {
	srv := cxfake.NewServer(cxfake.WithToken(testToken))
	b.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, Token: testToken, DefaultWorkspace: ID(1)})
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

// BenchmarkStreamPDF200MBToFile streams a 200 MB PDF to a file and reports the
// peak heap growth during the download (client and fake server together); it
// must stay under 32 MB because neither side holds the body.
func BenchmarkStreamPDF200MBToFile(b *testing.B) {
	_, c := benchClient(b)
	var q Query
	q.Set("params", map[string]any{"fakeSizeBytes": 200 << 20})
	path := filepath.Join(b.TempDir(), "big.pdf")
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(200 << 20)
	worst := 0.0
	for b.Loop() {
		h := watchHeap()
		_, err := c.GetPDFToFile(ctx, ID(160), q, path)
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

// BenchmarkOpenPDF200MBToFile is BenchmarkStreamPDF200MBToFile through OpenPDF:
// the same 200 MB into a file, read by the caller from the Stream with io.CopyBuffer,
// so its MB/s sits beside the save's (the bar: at most 10% slower), with
// the same peak heap limit.
func BenchmarkOpenPDF200MBToFile(b *testing.B) {
	_, c := benchClient(b)
	var q Query
	q.Set("params", map[string]any{"fakeSizeBytes": 200 << 20})
	path := filepath.Join(b.TempDir(), "big.pdf")
	ctx := context.Background()
	buf := make([]byte, copyBufSize)
	b.ReportAllocs()
	b.SetBytes(200 << 20)
	worst := 0.0
	for b.Loop() {
		h := watchHeap()
		err := func() error {
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
			_, err = io.CopyBuffer(struct{ io.Writer }{f}, struct{ io.Reader }{s}, buf)
			return err
		}()
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
