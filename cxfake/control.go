package cxfake

import (
	"encoding/json"
	"net"
	"net/http"
	"time"
)

// The HTTP control API under /_fake/, for tests in other languages that run
// cmd/cxfake as a process. It needs no token but answers loopback clients only.

// faultJSON is Fault with snake_case keys and the latency in milliseconds.
type faultJSON struct {
	Status        int    `json:"status"`
	RetryAfter    string `json:"retry_after"`
	LatencyMs     int64  `json:"latency_ms"`
	DropMidBody   bool   `json:"drop_mid_body"`
	Truncate      bool   `json:"truncate"`
	HTMLLogin     bool   `json:"html_login"`
	MalformedJSON bool   `json:"malformed_json"`
	ContentType   string `json:"content_type"`
	Body          string `json:"body"`
	Hangup        bool   `json:"hangup"`
}

type requestJSON struct {
	Method   string              `json:"method"`
	Path     string              `json:"path"`
	RawQuery string              `json:"raw_query"`
	Header   map[string][]string `json:"header"`
	Body     string              `json:"body"`
	Time     string              `json:"time"`
	Status   int                 `json:"status"`
}

type statsJSON struct {
	PeakConcurrency int            `json:"peak_concurrency"`
	InFlight        int            `json:"in_flight"`
	Requests        int            `json:"requests"`
	Deliveries      map[string]int `json:"deliveries"`
	JobRunStarts    int            `json:"job_run_starts"`
	Connections     int            `json:"connections"`
	RenderSlots     int            `json:"render_slots"` // WithRenderSlots; 0 = unlimited
	RendersInFlight int            `json:"renders_in_flight"`
	PeakRenders     int            `json:"peak_renders"`
	RenderRefusals  int            `json:"render_refusals"`
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		writeError(w, http.StatusForbidden, "the /_fake/ control API answers loopback clients only")
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "POST /_fake/faults":
		s.controlInject(w, r)
	case "DELETE /_fake/faults":
		s.ClearFaults()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	case "GET /_fake/requests":
		reqs := s.Requests()
		out := make([]requestJSON, len(reqs))
		for i, q := range reqs {
			out[i] = requestJSON{Method: q.Method, Path: q.Path, RawQuery: q.RawQuery, Header: q.Header,
				Body: string(q.Body), Time: q.Time.UTC().Format(time.RFC3339Nano), Status: q.Status}
		}
		writeJSON(w, http.StatusOK, out)
	case "GET /_fake/stats":
		s.statsMu.Lock()
		st := statsJSON{PeakConcurrency: s.peak, InFlight: s.inFlight, Requests: len(s.requests),
			Deliveries: map[string]int{}, JobRunStarts: s.jobRunStarts, Connections: s.Connections(),
			RenderSlots: s.cfg.renderSlots, RendersInFlight: s.renders, PeakRenders: s.peakRenders, RenderRefusals: s.renderRefusals}
		for id, n := range s.deliveries {
			st.Deliveries[id] = n
		}
		s.statsMu.Unlock()
		writeJSON(w, http.StatusOK, st)
	case "POST /_fake/reset":
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	default:
		writeError(w, http.StatusNotFound, "unknown control endpoint %s %s (POST/DELETE /_fake/faults, GET /_fake/requests, GET /_fake/stats, POST /_fake/reset)", r.Method, r.URL.Path)
	}
}

func (s *Server) controlInject(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Method string      `json:"method"`
		Path   string      `json:"path"`
		Faults []faultJSON `json:"faults"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad fault request (keys: method, path, faults[{status, retry_after, latency_ms, drop_mid_body, truncate, html_login, malformed_json, content_type, body, hangup}]): %v", err)
		return
	}
	if req.Path == "" || req.Path[0] != '/' {
		writeError(w, http.StatusBadRequest, "path must be an absolute request path such as /api/v1/workspaces, got %q", req.Path)
		return
	}
	faults := make([]Fault, len(req.Faults))
	for i, f := range req.Faults {
		if f.LatencyMs < 0 || f.Status != 0 && (f.Status < 100 || f.Status > 999) {
			writeError(w, http.StatusBadRequest, "fault %d: latency_ms must be >= 0 and status a valid HTTP status", i)
			return
		}
		faults[i] = Fault{Status: f.Status, RetryAfter: f.RetryAfter, Latency: time.Duration(f.LatencyMs) * time.Millisecond,
			DropMidBody: f.DropMidBody, Truncate: f.Truncate, HTMLLogin: f.HTMLLogin, MalformedJSON: f.MalformedJSON,
			ContentType: f.ContentType, Body: f.Body, Hangup: f.Hangup}
	}
	s.Inject(req.Method, req.Path, faults...)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "queued": len(faults)})
}
