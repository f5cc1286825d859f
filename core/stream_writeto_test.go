package core

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeLog records the size of every Write it gets. It has no ReadFrom, so
// io.Copy into it takes the stream's WriteTo or a plain read-write loop.
type writeLog struct {
	buf   bytes.Buffer
	sizes []int
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	return w.buf.Write(p)
}

// TestStreamWriteToGathersTLSRecords: io.Copy from a stream over TLS (a Read
// hands out one 16 KiB record) writes in large pieces, like the save, and the
// bytes are the file's.
func TestStreamWriteToGathersTLSRecords(t *testing.T) {
	srv := cxfake.NewServer(cxfake.WithToken(testToken), cxfake.WithTLS())
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.CABundlePEM = srv.CAPEM })
	q := sizedQuery(3 << 20)
	want, err := c.GetPDF(ctxT(t), ID(160), q)
	require.NoError(t, err)
	s, err := c.OpenPDF(ctxT(t), ID(160), q)
	require.NoError(t, err)
	defer s.Close()
	var w writeLog
	n, err := io.Copy(&w, s)
	require.NoError(t, err)
	assert.Equal(t, int64(len(want)), n)
	assert.Equal(t, want, w.buf.Bytes())
	// One write per TLS record would be ~190 writes of 16 KiB; a slow stretch of
	// the machine may end a piece early, not most of them.
	assert.Less(t, len(w.sizes), len(want)/(64<<10), "writes of %v bytes", w.sizes)
}

// TestStreamWriteToPassesATrickleOn: a slow server's bytes are written as they
// come, not held until a 256 KiB piece fills.
func TestStreamWriteToPassesATrickleOn(t *testing.T) {
	_, c := newFake(t, cxfake.WithBandwidth(400_000)) // 50 KB/s: 256 KiB would take 5 s
	s, err := c.OpenPDF(ctxT(t), ID(160), sizedQuery(2<<20))
	require.NoError(t, err)
	defer s.Close()
	first := make(chan int, 1)
	_, err = s.WriteTo(writerFunc(func(p []byte) (int, error) {
		first <- len(p)
		return 0, errors.New("enough")
	}))
	require.EqualError(t, err, "enough", "WriteTo returns the writer's error")
	assert.Less(t, <-first, copyBufSize)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
