//go:build !race

package shaper

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// This file is built without the race detector only: under it sync.Pool drops a
// quarter of what is put back, on purpose, so the allocations below would measure
// the detector, not the line. make test-go runs go test -race and then this test
// again without -race, and fails if it did not run.

// The delay line recycles its buffers: a 50 MB download at 5 ms latency does not
// allocate its body again on its way (the process allocates a few MB meanwhile,
// server and client together; without the pools it would be 50 MB and more).
func TestDelayLineRecyclesBuffers(t *testing.T) {
	const size = 50 << 20
	n, allocated := streamThrough(t, 5*time.Millisecond, size)
	t.Logf("%d bytes, process allocated %d bytes meanwhile", n, allocated)
	assert.Equal(t, int64(size), n)
	assert.Less(t, allocated, uint64(size/4), "the delay line allocates per chunk")
}
