// Package shaper makes a loopback server behave as if it stood behind a real
// network link: every accepted connection delays its data by a latency in each
// direction and, with a bandwidth, sends no faster than the link would. The
// fake CxReports server (package cxfake) serves on a shaper Listener for its
// WithLatency and WithBandwidth options; any net/http server can do the same.
//
// Shaping is a delay line per direction, not a pause per write: a long stream
// pays the latency once and then flows at full speed, and up to 4 MiB travel
// per direction at a time, as in a TCP window. TLS, HTTP/1 and HTTP/2 run on
// top of the shaped connection, so handshakes pay their round trips too.
package shaper

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// A Listener wraps a TCP listener and hands out shaped connections. With no
// latency and no bandwidth it hands out the accepted connections unchanged.
type Listener struct {
	net.Listener
	latency time.Duration
	bps     int64

	mu      sync.Mutex
	conns   map[*shapedConn]struct{} // shaped connections whose pumps still run
	aborted bool
	pumps   sync.WaitGroup
}

// NewListener shapes the connections ln accepts: latency in each direction,
// and at most bitsPerSecond per direction (0 = no cap).
func NewListener(ln net.Listener, latency time.Duration, bitsPerSecond int64) *Listener {
	return &Listener{Listener: ln, latency: latency, bps: bitsPerSecond, conns: map[*shapedConn]struct{}{}}
}

// Accept waits for the next connection and returns it shaped.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
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

// Abort closes every shaped connection at once, dropping the data still on its
// way, also those an http.Server no longer tracks (hijacked ones, those
// delivering their last data after Close), and every one accepted later. Call
// it before closing the server that uses the listener: closing the connections
// through net/http would deliver what they hold, and TLS would wait for room
// to say goodbye.
func (l *Listener) Abort() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.aborted = true
	for c := range l.conns {
		c.abort()
	}
}

// Wait returns when every connection's pumps have ended; call it after Abort
// and after the server stopped accepting.
func (l *Listener) Wait() { l.pumps.Wait() }
