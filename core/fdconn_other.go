//go:build !linux

package core

import (
	"errors"
	"net"
	"time"
)

// blockingSupported says whether OnCallerThread has an effect on this system:
// elsewhere marked requests use the standard transport.
const blockingSupported = false

type fdConn struct {
	net.Conn
	nread int64
}

func newFDConn(net.Conn, time.Duration) (*fdConn, error) {
	return nil, errors.New("blocking connections are only implemented on Linux")
}

func (c *fdConn) shutdown()       {}
func (c *fdConn) idleAlive() bool { return false }
