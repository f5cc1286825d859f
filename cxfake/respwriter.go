package cxfake

import (
	"errors"
	"net/http"
	"strconv"
)

// errCut is what a handler's Write sees once a fault has closed the connection.
var errCut = errors.New("cxfake: connection closed by an injected fault")

// respWriter records the status of every answer and carries out the body-level
// faults (wrong content type, a connection dropped mid-body, a truncated body) for
// whatever handler writes through it, streaming or not.
type respWriter struct {
	http.ResponseWriter
	status  int
	fault   Fault
	limit   int64 // bytes of body still allowed before the cut; -1 = no limit
	written int64
	cut     bool
}

func newRespWriter(w http.ResponseWriter) *respWriter {
	return &respWriter{ResponseWriter: w, limit: -1}
}

func (w *respWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *respWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	h := w.Header()
	if w.fault.ContentType != "" {
		h.Set("Content-Type", w.fault.ContentType)
	}
	cl, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	known := err == nil && cl >= 0
	if w.fault.DropMidBody {
		w.limit = 0
		if known {
			w.limit = cl / 2
		}
	}
	if w.fault.Truncate {
		if !known {
			cl = 0
		}
		// Promise more than will ever come, then close after the real body.
		h.Set("Content-Length", strconv.FormatInt(cl+cl/2+64, 10))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *respWriter) Write(p []byte) (int, error) {
	if w.cut {
		return 0, errCut
	}
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.limit >= 0 && w.written+int64(len(p)) > w.limit {
		n, _ := w.ResponseWriter.Write(p[:w.limit-w.written])
		w.written += int64(n)
		w.closeConn()
		return n, errCut
	}
	n, err := w.ResponseWriter.Write(p)
	w.written += int64(n)
	return n, err
}

func (w *respWriter) Flush() {
	if !w.cut {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

// finish runs after the handler: faults that end in a closed connection close it
// now if the body did not already trigger the cut.
func (w *respWriter) finish() {
	if w.cut || !(w.fault.DropMidBody || w.fault.Truncate) {
		return
	}
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.closeConn()
}

// closeConn sends what was written so far and closes the TCP connection, so the
// client sees the headers and a short body, then EOF.
func (w *respWriter) closeConn() {
	w.cut = true
	rc := http.NewResponseController(w.ResponseWriter)
	_ = rc.Flush()
	conn, buf, err := rc.Hijack()
	if err != nil {
		return
	}
	_ = buf.Flush()
	_ = conn.Close()
}

// hangup closes the connection without an answer (the Hangup fault). HTTP/2 cannot
// hand over its connection, which other streams share; there the panic makes
// net/http reset this stream, quietly, which is the nearest HTTP/2 equivalent.
func (w *respWriter) hangup() {
	w.cut = true
	conn, _, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
