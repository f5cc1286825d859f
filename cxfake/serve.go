package cxfake

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxBody bounds request bodies: render data and temporary data are JSON documents,
// not files.
const maxBody = 64 << 20

// ServeHTTP records the request, applies a pending fault, checks the token and
// dispatches to the endpoint.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		s.serveControl(rw, r)
		return
	}
	s.statsMu.Lock()
	s.requestSeq++
	seq := s.requestSeq
	s.statsMu.Unlock()
	rw.Header().Set("X-Request-Id", fmt.Sprintf("cxfake-%d", seq))

	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxBody))
	w := newRespWriter(rw)
	_, end := s.begin(r, body)
	defer func() { end(w.status) }()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "request body is larger than %d bytes", int64(maxBody))
		} else {
			writeError(w, http.StatusBadRequest, "cannot read the request body: %v", err)
		}
		return
	}

	if f, ok := s.takeFault(r); ok {
		w.fault = f
		if serveFault(w, r, f) {
			w.finish()
			return
		}
		defer w.finish()
	}
	s.dispatch(w, r, body)
}

type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request, c *call)

// call carries what the router resolved for one request.
type call struct {
	args []string // wildcard segments, percent-decoded, in order
	ws   *workspace
	body []byte
}

type route struct {
	method  string
	pattern []string // "*" marks a wildcard segment
	handle  handlerFunc
	// wsArg says the first wildcard is the workspace and must exist.
	wsArg bool
}

var routes = []route{
	{"GET", split("/api/v1/workspaces"), (*Server).getWorkspaces, false},
	{"POST", split("/api/v1/nonce-tokens"), (*Server).createNonce, false},
	{"GET", split("/api/v1/ws/*/report-types"), (*Server).getReportTypes, true},
	{"GET", split("/api/v1/ws/*/themes"), (*Server).getThemes, true},
	{"GET", split("/api/v1/ws/*/templates"), (*Server).getTemplates, true},
	{"GET", split("/api/v1/ws/*/reports"), (*Server).getReports, true},
	{"GET", split("/api/v1/ws/*/reports/*/pages"), (*Server).getReportPages, true},
	{"GET", split("/api/v1/ws/*/reports/*/pdf"), rendering((*Server).getPDF), true},
	{"POST", split("/api/v1/ws/*/reports/*/pdf"), rendering((*Server).postPDF), true},
	{"POST", split("/api/v1/ws/*/reports/*/export"), rendering((*Server).startExport), true},
	{"GET", split("/api/v1/ws/*/exports/*/status"), (*Server).exportStatus, true},
	{"GET", split("/api/v1/ws/*/exports/*/content"), rendering((*Server).exportContent), true},
	{"POST", split("/api/v1/ws/*/temporary-data"), (*Server).pushTempData, true},
	{"GET", split("/api/v1/ws/*/jobs"), (*Server).getJobs, true},
	{"POST", split("/api/v1/ws/*/jobs/*/runs"), (*Server).startJobRun, true},
	{"GET", split("/api/v1/ws/*/jobs/*/runs/*/status"), (*Server).jobRunStatus, true},
	{"POST", split("/api/v1/ws/*/jobs/*/runs/*/generate-review-document"), (*Server).reviewDocument, true},
	{"POST", split("/api/v1/ws/*/jobs/*/runs/*/deliver"), (*Server).deliver, true},
	{"GET", split("/ws/*/reports/*/preview"), (*Server).preview, true},
}

func split(p string) []string { return strings.Split(strings.TrimPrefix(p, "/"), "/") }

// dispatch authenticates and routes. Path segments are split on the raw path and
// percent-decoded one by one, so a code holding "/" as %2F stays one segment.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, body []byte) {
	isPreview := strings.HasPrefix(r.URL.Path, "/ws/")
	if !isPreview && !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="cxreports"`)
		if r.Header.Get("Authorization") == "" {
			writeError(w, http.StatusUnauthorized, "Unauthenticated: send the header 'Authorization: Bearer <personal access token>'")
		} else {
			writeError(w, http.StatusUnauthorized, "Unauthenticated: the bearer token is not valid")
		}
		return
	}
	raw := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	segs := make([]string, len(raw))
	for i, seg := range raw {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad path segment %q: %v", seg, err)
			return
		}
		segs[i] = dec
	}
	var allowed []string
	for _, rt := range routes {
		args, ok := match(rt.pattern, segs)
		if !ok {
			continue
		}
		if rt.method != r.Method {
			allowed = append(allowed, rt.method)
			continue
		}
		c := &call{args: args, body: body}
		if rt.wsArg {
			ws, ok := s.findWorkspace(args[0])
			if !ok {
				writeError(w, http.StatusNotFound, "workspace %q not found", args[0])
				return
			}
			c.ws = ws
			c.args = args[1:]
		}
		rt.handle(s, w, r, c)
		return
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, "method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allowed, ", "))
		return
	}
	writeError(w, http.StatusNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path)
}

func match(pattern, segs []string) ([]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var args []string
	for i, p := range pattern {
		if p == "*" {
			args = append(args, segs[i])
		} else if p != segs[i] {
			return nil, false
		}
	}
	return args, true
}

// authorized checks the bearer token; the scheme name is case-insensitive.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	return ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(tok) == s.Token
}

func (s *Server) findWorkspace(ref string) (*workspace, bool) {
	id, isID := parseID(ref)
	for i := range s.workspaces {
		ws := &s.workspaces[i]
		if (isID && ws.ID == id) || (!isID && ws.Code == ref) {
			return ws, true
		}
	}
	return nil, false
}
