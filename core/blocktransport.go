package core

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"
)

// blockingTransport is the RoundTripper behind OnCallerThread: HTTP/1.1 over
// fdConn, run entirely by the calling goroutine. It keeps its own keep-alive pool;
// a connection goes back to it only when its answer was read to the end and
// neither side asked to close.
type blockingTransport struct {
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
	tls     *tls.Config
	timeout time.Duration // Config.Timeout per read or write; 0 = none

	mu     sync.Mutex
	idle   map[string][]*blockConn
	closed bool
}

const (
	blockIdlePerHost = 64               // as MaxIdleConnsPerHost of the standard transport
	blockIdleTimeout = 90 * time.Second // as IdleConnTimeout
)

// blockConn is one connection: the socket, TLS over it for https, and buffers.
type blockConn struct {
	key   string
	fd    *fdConn
	conn  net.Conn // fd, or a *tls.Conn over it
	br    *bufio.Reader
	bw    *bufio.Writer
	since time.Time // when it became idle
}

func (pc *blockConn) close() {
	pc.fd.shutdown()
	pc.fd.Close()
}

// target returns the pool key, the address to dial and the TLS server name.
func target(u *url.URL) (key, addr, host string, err error) {
	port := u.Port()
	switch u.Scheme {
	case "http":
		if port == "" {
			port = "80"
		}
	case "https":
		if port == "" {
			port = "443"
		}
	default:
		return "", "", "", errors.New("unsupported protocol scheme \"" + u.Scheme + "\"")
	}
	host = u.Hostname()
	addr = net.JoinHostPort(host, port)
	return u.Scheme + "://" + addr, addr, host, nil
}

func (t *blockingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	key, addr, host, err := target(req.URL)
	if err != nil {
		closeRequestBody(req)
		return nil, err
	}
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			closeRequestBody(req)
			return nil, err
		}
		pc := t.get(key)
		reused := pc != nil
		if pc == nil {
			if pc, err = t.connect(ctx, key, addr, host, req.URL.Scheme == "https"); err != nil {
				closeRequestBody(req)
				return nil, err
			}
		}
		resp, err, stale := t.exchange(ctx, pc, req)
		if err == nil {
			return resp, nil
		}
		// A kept-alive connection the server closed while it sat in the pool: the
		// request did not reach the server; send it again once on a new connection,
		// as the standard transport does.
		if !(first && reused && stale) {
			return nil, err
		}
		if req, err = rewind(req); err != nil {
			return nil, err
		}
	}
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// rewind returns req with a fresh body for a second send.
func rewind(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody == nil {
		return nil, errors.New("the connection was closed by the server and the request body cannot be sent again")
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r := *req
	r.Body = body
	return &r, nil
}

// connect dials a new connection with the standard transport's dialer (and its
// connect timeout) and, for https, completes the TLS handshake on the calling
// thread with the client's TLS configuration.
func (t *blockingTransport) connect(ctx context.Context, key, addr, host string, https bool) (*blockConn, error) {
	c, err := t.dial(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	fc, err := newFDConn(c, t.timeout)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: err}
	}
	pc := &blockConn{key: key, fd: fc, conn: fc}
	if https {
		cfg := t.tls.Clone()
		cfg.ServerName = host
		cfg.NextProtos = []string{"http/1.1"}
		tc := tls.Client(fc, cfg)
		stop := context.AfterFunc(ctx, fc.shutdown)
		err := tc.Handshake()
		if !stop() {
			err = ctx.Err()
		}
		if err != nil {
			pc.close()
			return nil, err
		}
		pc.conn = tc
	}
	pc.br = bufio.NewReaderSize(pc.conn, 32<<10)
	pc.bw = bufio.NewWriterSize(pc.conn, 4<<10)
	return pc, nil
}

// exchange writes req on pc and reads the answer's header. While the exchange
// (and later the body) is under way, canceling ctx shuts the socket down. stale
// reports a failure that shows the server had closed the connection before the
// request reached it.
func (t *blockingTransport) exchange(ctx context.Context, pc *blockConn, req *http.Request) (_ *http.Response, _ error, stale bool) {
	stop := context.AfterFunc(ctx, pc.fd.shutdown)
	fail := func(err error, stale bool) (*http.Response, error, bool) {
		stop()
		pc.close()
		if ctx.Err() != nil {
			return nil, ctx.Err(), false
		}
		return nil, err, stale
	}
	err := req.Write(pc.bw)
	if err == nil {
		err = pc.bw.Flush()
	}
	if err != nil {
		return fail(err, peerClosed(err))
	}
	start := pc.fd.nread
	var resp *http.Response
	for {
		resp, err = http.ReadResponse(pc.br, req)
		if err != nil {
			return fail(err, pc.fd.nread == start && peerClosed(err))
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		// An interim 1xx answer: the real one follows.
	}
	reuse := !resp.Close && !req.Close
	if resp.Body == http.NoBody {
		t.release(pc, stop, reuse)
		return resp, nil, false
	}
	resp.Body = &blockBody{rc: resp.Body, ctx: ctx, done: func(ok bool) bool { return t.release(pc, stop, reuse && ok) }}
	return resp, nil, false
}

// peerClosed reports errors that mean the server had closed the connection.
func peerClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// release ends the cancellation watch of an exchange and pools or closes its
// connection. It reports false when cancellation had already shut the socket down.
func (t *blockingTransport) release(pc *blockConn, stop func() bool, reuse bool) bool {
	if !stop() {
		pc.close()
		return false
	}
	if !reuse {
		pc.close()
		return true
	}
	t.mu.Lock()
	if t.closed || len(t.idle[pc.key]) >= blockIdlePerHost {
		t.mu.Unlock()
		pc.close()
		return true
	}
	pc.since = time.Now()
	if t.idle == nil {
		t.idle = map[string][]*blockConn{}
	}
	t.idle[pc.key] = append(t.idle[pc.key], pc)
	t.mu.Unlock()
	return true
}

// get takes the most recently used idle connection for key that is still alive.
func (t *blockingTransport) get(key string) *blockConn {
	for {
		t.mu.Lock()
		list := t.idle[key]
		if len(list) == 0 {
			t.mu.Unlock()
			return nil
		}
		pc := list[len(list)-1]
		list[len(list)-1] = nil
		t.idle[key] = list[:len(list)-1]
		t.mu.Unlock()
		if time.Since(pc.since) < blockIdleTimeout && pc.br.Buffered() == 0 && pc.fd.idleAlive() {
			return pc
		}
		pc.close()
	}
}

// closeAll closes the idle connections and stops pooling (Client.Close).
func (t *blockingTransport) closeAll() {
	t.mu.Lock()
	idle := t.idle
	t.idle, t.closed = nil, true
	t.mu.Unlock()
	for _, list := range idle {
		for _, pc := range list {
			pc.close()
		}
	}
}

// blockBody is the body of a blocking exchange. At EOF it hands the connection
// back; closed early, it closes the connection (never draining the rest, which
// may be a large file).
type blockBody struct {
	rc       io.ReadCloser
	ctx      context.Context
	done     func(ok bool) bool
	finished bool
	closed   bool
}

var errBodyClosed = errors.New("read on a closed response body")

func (b *blockBody) Read(p []byte) (int, error) {
	if b.closed {
		return 0, errBodyClosed
	}
	if b.finished {
		return 0, io.EOF
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.finished = true
		if !b.done(true) {
			// Shutting the socket down may look like the end of a body that is
			// delimited by the connection closing: it was a cancellation.
			return n, b.ctx.Err()
		}
	} else if err != nil {
		b.finished = true
		b.done(false)
		if b.ctx.Err() != nil {
			err = b.ctx.Err()
		}
	}
	return n, err
}

func (b *blockBody) Close() error {
	if !b.finished {
		b.finished = true
		b.done(false)
	}
	b.closed = true
	return nil
}
