package shaper

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"time"
)

// A shapedConn is an accepted TCP connection seen through two delay lines, one
// per direction, so that the server behaves as if it stood behind a link with
// latency and a bandwidth (NewListener). A read pump moves what
// the client sends into the incoming line, Read takes it out once due; Write
// puts data into the outgoing line and returns, a write pump sends it once due.
// Everything above (TLS, HTTP/1, HTTP/2) runs on top, so handshakes pay the
// round trips too.
type shapedConn struct {
	raw     net.Conn
	in, out *delayLine
	closed  atomic.Bool
}

// Markers the outgoing line carries to its pump after the data.
var (
	errShutWrite = errors.New("shaper: close write")
	errCloseConn = errors.New("shaper: close")
)

func newShapedConn(raw net.Conn, latency time.Duration, bps int64) *shapedConn {
	return &shapedConn{raw: raw, in: newDelayLine(latency, bps), out: newDelayLine(latency, bps)}
}

// opError wraps the connection's own errors (an expired deadline, a closed
// connection) as a *net.TCPConn would, so that callers looking for a net.Error
// that times out, or for net.ErrClosed, find them. Errors of the real
// connection, io.EOF included, pass unchanged.
func (c *shapedConn) opError(op string, err error) error {
	if err != os.ErrDeadlineExceeded && err != net.ErrClosed {
		return err
	}
	return &net.OpError{Op: op, Net: "tcp", Source: c.raw.LocalAddr(), Addr: c.raw.RemoteAddr(), Err: err}
}

func (c *shapedConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := c.in.read(p)
	return n, c.opError("read", err)
}

func (c *shapedConn) Write(p []byte) (int, error) {
	n, err := c.out.push(p, true)
	return n, c.opError("write", err)
}

// Close returns at once, as close(2) does, but like the kernel the connection
// still delivers what was written, each chunk when due, and then closes. What
// the client sends from now on is dropped.
func (c *shapedConn) Close() error {
	if c.closed.Swap(true) {
		return c.opError("close", net.ErrClosed)
	}
	c.in.stop(net.ErrClosed)
	c.out.finish(errCloseConn)
	return nil
}

// CloseWrite sends a FIN after the data written so far; net/http uses it before
// closing a connection on which it answered "Connection: close".
func (c *shapedConn) CloseWrite() error {
	if c.closed.Load() {
		return c.opError("close", net.ErrClosed)
	}
	c.out.finish(errShutWrite)
	return nil
}

// abort closes at once, dropping what is still on its way (Server.Close).
func (c *shapedConn) abort() {
	c.closed.Store(true)
	c.in.stop(net.ErrClosed)
	c.out.stop(net.ErrClosed)
	_ = c.raw.Close()
}

func (c *shapedConn) LocalAddr() net.Addr  { return c.raw.LocalAddr() }
func (c *shapedConn) RemoteAddr() net.Addr { return c.raw.RemoteAddr() }

func (c *shapedConn) SetDeadline(t time.Time) error {
	c.in.setDeadline(t)
	c.out.setDeadline(t)
	return nil
}

func (c *shapedConn) SetReadDeadline(t time.Time) error {
	c.in.setDeadline(t)
	return nil
}

// SetWriteDeadline bounds how long Write may wait for room in the outgoing line;
// data already in it is delivered regardless, as from a socket's send buffer.
func (c *shapedConn) SetWriteDeadline(t time.Time) error {
	c.out.setDeadline(t)
	return nil
}

// readBuf is the read pump's buffer, held as long as the connection lives, so
// a benchmark's thousand idle connections stay cheap: a TLS record fits.
const readBuf = 16 << 10

// readPump moves what the client sends into the incoming line until the client
// ends the stream or the connection closes; the end travels the line too.
func (c *shapedConn) readPump() {
	buf := make([]byte, readBuf)
	for {
		n, err := c.raw.Read(buf)
		if n > 0 {
			if _, perr := c.in.push(buf[:n], false); perr != nil {
				return // closed: nobody reads any more
			}
		}
		if err != nil {
			c.in.finish(err)
			return
		}
	}
}

// writePump sends the outgoing line to the client, each chunk when due, and
// carries out the close and the FIN in their turn.
func (c *shapedConn) writePump() {
	for {
		ck, err := c.out.take()
		if err != nil {
			return // aborted
		}
		switch ck.end {
		case nil:
			_, err = c.raw.Write(ck.data)
			putBuf(ck.buf)
			if err != nil {
				// The client is gone. Later Writes fail with this error, and
				// closing the socket ends the read pump too.
				c.out.stop(err)
				_ = c.raw.Close()
				return
			}
		case errShutWrite:
			if cw, ok := c.raw.(interface{ CloseWrite() error }); ok {
				_ = cw.CloseWrite()
			}
		default:
			_ = c.raw.Close()
			return
		}
	}
}
