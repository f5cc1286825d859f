package cxfake

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// listener wraps the server's TCP listener. It counts every accepted connection
// (Connections), whatever protocol later runs on it, so a benchmark or a test can
// see how many TCP connections a client opened; and with a latency or a bandwidth
// it hands out shaped connections, under TLS when that is on.
type listener struct {
	net.Listener
	latency  time.Duration
	bps      int64
	accepted atomic.Int64 // since start or the last Reset

	mu      sync.Mutex
	conns   map[*shapedConn]struct{} // shaped connections whose pumps still run
	aborted bool
	pumps   sync.WaitGroup
}

func newListener(ln net.Listener, latency time.Duration, bps int64) *listener {
	return &listener{Listener: ln, latency: latency, bps: bps, conns: map[*shapedConn]struct{}{}}
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	if l.latency == 0 && l.bps == 0 {
		return c, nil
	}
	sc := newShapedConn(c, l.latency, l.bps)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.aborted {
		sc.abort()
	}
	l.conns[sc] = struct{}{}
	var running atomic.Int32
	running.Store(2)
	end := func() {
		if running.Add(-1) == 0 {
			l.mu.Lock()
			delete(l.conns, sc)
			l.mu.Unlock()
		}
		l.pumps.Done()
	}
	l.pumps.Add(2)
	go func() { defer end(); sc.readPump() }()
	go func() { defer end(); sc.writePump() }()
	return sc, nil
}

// abort closes every shaped connection at once, also those net/http no longer
// tracks (hijacked ones, those delivering their last data after Close), and
// every one accepted later.
func (l *listener) abort() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.aborted = true
	for c := range l.conns {
		c.abort()
	}
}

// wait returns when every pump has ended; call it after abort and after the
// server stopped accepting.
func (l *listener) wait() { l.pumps.Wait() }
