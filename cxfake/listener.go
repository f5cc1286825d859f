package cxfake

import (
	"net"
	"sync/atomic"

	"github.com/cxclient/cxreports/cxfake/shaper"
)

// listener counts every connection the server accepts (Connections), whatever
// protocol later runs on it, so a benchmark or a test can see how many TCP
// connections a client opened. It counts on top of the shaper, which delays the
// connections when WithLatency or WithBandwidth is on.
type listener struct {
	*shaper.Listener
	accepted atomic.Int64 // since start or the last Reset
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}
