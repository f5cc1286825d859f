package cxfake

import (
	"net"
	"sync/atomic"
)

// listener wraps the server's TCP listener so that every accepted connection is
// counted (Connections), whatever protocol later runs on it: a benchmark or a
// test can then see how many TCP connections a client opened.
type listener struct {
	net.Listener
	accepted atomic.Int64 // since start or the last Reset
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	return c, nil
}
