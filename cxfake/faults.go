package cxfake

import (
	"net/http"
	"strings"
	"time"
)

// Fault is one misbehaviour of the server for one request. Faults injected for a
// path are used in order, one per request, then the server behaves normally again.
// Fields combine: Latency is served first, RetryAfter is added to whatever answer
// follows. The zero Fault is a normal answer, useful inside a sequence.
//
// Hangup reads the whole request (it is recorded, with Status 0, like any other)
// and then closes the TCP connection without sending a byte of answer, as a server
// that drops a kept-alive connection just as the client reuses it: a test can
// prove that a client does not send a POST twice. Over HTTP/2 the connection
// carries other streams and cannot be taken over, so the server resets the
// stream instead (the handler panics with http.ErrAbortHandler). Hangup ignores
// the other fields but Latency.
type Fault struct {
	Status        int           // answer this status (with Body, else {"error": "..."}) instead of handling the request
	RetryAfter    string        // Retry-After header value, sent as given: seconds or an HTTP-date
	Latency       time.Duration // wait before answering; ends early when the client goes away
	DropMidBody   bool          // send the headers and half the body, then close the connection
	Truncate      bool          // send the whole body under a larger Content-Length, then close
	HTMLLogin     bool          // answer 200 text/html with a login page, as an expired session does
	MalformedJSON bool          // answer 200 application/json with a body that is not JSON
	ContentType   string        // replace the Content-Type of the answer
	Body          string        // body for Status (or a 200 when Status is 0)
	Hangup        bool          // read the request, then close the connection without any answer
}

type faultKey struct{ method, path string }

// Inject queues faults for requests with this method ("" = any method) and exact
// path, e.g. "/api/v1/workspaces" or "/api/v1/ws/sales team/reports" (compared with
// the percent-decoded path, and with the raw path as sent). Calling Inject again for
// the same method and path appends to the queue.
func (s *Server) Inject(method, path string, faults ...Fault) {
	k := faultKey{strings.ToUpper(method), path}
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.faults[k] = append(s.faults[k], faults...)
}

// ClearFaults drops every pending fault.
func (s *Server) ClearFaults() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.faults = map[faultKey][]Fault{}
}

// takeFault pops the next fault for a request: the method-specific queue first,
// then the any-method one.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	paths := []string{r.URL.Path}
	if raw := r.URL.EscapedPath(); raw != r.URL.Path {
		paths = append(paths, raw)
	}
	for _, m := range []string{r.Method, ""} {
		for _, p := range paths {
			k := faultKey{m, p}
			if q := s.faults[k]; len(q) > 0 {
				if len(q) == 1 {
					delete(s.faults, k)
				} else {
					s.faults[k] = q[1:]
				}
				return q[0], true
			}
		}
	}
	return Fault{}, false
}

const loginPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sign in - CxReports</title></head>
<body><h1>Sign in</h1>
<form method="post" action="/account/login">
<label>Email <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form></body></html>
`

// serveFault answers a request under a fault. It returns true when the fault
// answered by itself; false means the normal handler must run (through w, which
// already carries the fault's body-level effects).
func serveFault(w *respWriter, r *http.Request, f Fault) (handled bool) {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true // the client left: there is nobody to answer
		}
	}
	if f.Hangup {
		w.hangup()
		return true
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	status := f.Status
	if status != 0 && (status < 100 || status > 999) {
		writeError(w, http.StatusInternalServerError, "cxfake: the injected fault has status %d, which is not an HTTP status (100-999)", status)
		return true
	}
	switch {
	case f.HTMLLogin:
		writeBytes(w, orDefault(status, http.StatusOK), "text/html; charset=utf-8", []byte(loginPage))
	case f.MalformedJSON:
		writeBytes(w, orDefault(status, http.StatusOK), "application/json; charset=utf-8", []byte(`{"id": 1, "name": "cut here`))
	case f.Body != "":
		ct := "text/plain; charset=utf-8"
		if t := strings.TrimSpace(f.Body); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			ct = "application/json; charset=utf-8"
		}
		writeBytes(w, orDefault(status, http.StatusOK), ct, []byte(f.Body))
	case status != 0:
		writeError(w, status, "cxfake injected fault: %d %s", status, http.StatusText(status))
	default:
		return false
	}
	return true
}

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}
