package cxfake

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Request is one request the server received on the API or the preview page, as
// recorded for assertions. Requests to the /_fake/ control API are not recorded.
type Request struct {
	Method   string
	Path     string // percent-decoded path
	RawQuery string
	Header   http.Header
	Body     []byte
	Time     time.Time
	Status   int // status the server answered with; 0 while in flight or when the connection was cut
}

// counted reports whether a path counts towards in-flight and peak concurrency.
func counted(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/ws/")
}

// begin records a request and counts it in flight; the returned func ends it.
func (s *Server) begin(r *http.Request, body []byte) (rec *Request, end func(status int)) {
	rec = &Request{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
		Time:     time.Now(),
	}
	s.statsMu.Lock()
	s.requests = append(s.requests, rec)
	isCounted := counted(r.URL.Path)
	if isCounted {
		s.inFlight++
		s.peak = max(s.peak, s.inFlight)
	}
	s.statsMu.Unlock()
	return rec, func(status int) {
		s.statsMu.Lock()
		rec.Status = status
		if isCounted {
			s.inFlight--
		}
		s.statsMu.Unlock()
	}
}

// Requests returns a copy of every request received since the start or the last
// Reset, oldest first.
func (s *Server) Requests() []Request {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Body = append([]byte(nil), r.Body...)
	}
	return out
}

// PeakConcurrency is the largest number of API and preview requests that were in
// flight at the same moment since the start or the last Reset.
func (s *Server) PeakConcurrency() int {
	return s.stat(&s.peak)
}

// InFlight is the number of API and preview requests being served right now.
func (s *Server) InFlight() int {
	return s.stat(&s.inFlight)
}

// Deliveries counts the deliver calls that reached the handler for a job run: a
// client that re-sends a deliver shows up here as 2. It takes the integer ids of
// IntIDs; with GUIDIDs use DeliveriesOf, as it always finds 0 here.
func (s *Server) Deliveries(runID int64) int {
	return s.DeliveriesOf(strconv.FormatInt(runID, 10))
}

// DeliveriesOf is Deliveries for the run id in its text form, as a path carries
// it: "1001" with IntIDs, the GUID with GUIDIDs. An id the server never handed
// out has 0.
func (s *Server) DeliveriesOf(runID string) int {
	key, ok := s.idKey(runID)
	if !ok {
		return 0
	}
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.deliveries[key]
}

// JobRunStarts counts the start_job_run calls that created a run.
func (s *Server) JobRunStarts() int {
	return s.stat(&s.jobRunStarts)
}

// stat reads one counter under statsMu, the lock every counter is written under.
func (s *Server) stat(counter *int) int {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return *counter
}

// Connections counts the TCP connections the server accepted since the start or
// the last Reset, those of the /_fake/ control API included. A client that reuses
// keep-alive connections opens few; one that does not opens one per request.
func (s *Server) Connections() int {
	return int(s.listener.accepted.Load())
}

// Reset clears the statistics, the recorded requests, the connection count and
// every pending fault. The API state (exports, runs, temporary data, nonces) is
// kept, so ids stay unique. The peaks restart from the requests and renders in
// flight now; connections already open are not counted again. Renders in flight
// keep their slots.
func (s *Server) Reset() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.listener.accepted.Store(0)
	s.requests = nil
	s.peak = s.inFlight
	s.deliveries = map[string]int{}
	s.jobRunStarts = 0
	s.peakRenders = s.renders
	s.renderRefusals = 0
	s.faults = map[faultKey][]Fault{}
}
