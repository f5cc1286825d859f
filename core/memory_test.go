package core

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heapWatch samples HeapAlloc while a download runs and reports the peak growth
// over the heap before it started.
type heapWatch struct {
	base uint64
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func watchHeap() *heapWatch {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h := &heapWatch{base: ms.HeapAlloc, stop: make(chan struct{})}
	h.peak.Store(ms.HeapAlloc)
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > h.peak.Load() {
					h.peak.Store(ms.HeapAlloc)
				}
			}
		}
	}()
	return h
}

// growthMB stops sampling and returns the peak growth in MiB.
func (h *heapWatch) growthMB() float64 {
	close(h.stop)
	h.wg.Wait()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	peak := max(h.peak.Load(), ms.HeapAlloc)
	if peak < h.base {
		return 0
	}
	return float64(peak-h.base) / (1 << 20)
}

// TestDownloadToFileDoesNotHoldTheBody streams a 64 MiB PDF to disk and checks the
// heap (client and in-process fake server together) grows far less than that, with
// progress reporting on (its events are throttled, not one per read).
func TestDownloadToFileDoesNotHoldTheBody(t *testing.T) {
	_, c := newFake(t)
	var q Query
	q.Set("params", map[string]any{"fakeSizeBytes": 64 << 20})
	path := filepath.Join(t.TempDir(), "big.pdf")
	var events int
	var last Progress
	h := watchHeap()
	d, err := c.GetPDFToFile(ctxT(t), ID(160), q, path, WithProgress(func(p Progress) { events++; last = p }))
	growth := h.growthMB()
	require.NoError(t, err)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, d.Bytes, fi.Size())
	assert.GreaterOrEqual(t, d.Bytes, int64(64<<20))
	assert.Less(t, growth, 32.0, "heap grew %.1f MiB while streaming 64 MiB", growth)
	assert.Equal(t, Progress{Stage: "done", BytesDone: d.Bytes, BytesTotal: d.Bytes, Elapsed: last.Elapsed}, last)
	assert.LessOrEqual(t, int64(events), d.Bytes/progressBytes+2)
	t.Logf("heap growth while streaming %d bytes: %.1f MiB", d.Bytes, growth)
}
