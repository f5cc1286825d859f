package cxfake

import (
	"net/http"
	"strconv"
)

// Handlers of the read-only catalogue: workspaces, report types, reports and their
// pages, themes, templates and jobs.

func (s *Server) getWorkspaces(w http.ResponseWriter, _ *http.Request, _ *call) {
	writeJSON(w, http.StatusOK, s.workspaces)
}

func (s *Server) getReportTypes(w http.ResponseWriter, _ *http.Request, _ *call) {
	writeJSON(w, http.StatusOK, s.reportTypes)
}

func (s *Server) getThemes(w http.ResponseWriter, _ *http.Request, _ *call) {
	writeJSON(w, http.StatusOK, s.themes)
}

func (s *Server) getTemplates(w http.ResponseWriter, _ *http.Request, _ *call) {
	writeJSON(w, http.StatusOK, s.templates)
}

// getReports filters by report-type code (or id) and pages with offset/limit.
func (s *Server) getReports(w http.ResponseWriter, r *http.Request, _ *call) {
	q := r.URL.Query()
	offset, ok := nonNegative(w, q, "offset", 0)
	if !ok {
		return
	}
	limit, ok := nonNegative(w, q, "limit", -1)
	if !ok {
		return
	}
	out := []report{}
	typ := q.Get("type")
	for _, rep := range s.reports {
		if typ != "" && typ != rep.typeCode && typ != strconv.FormatInt(rep.ReportTypeID, 10) {
			continue
		}
		out = append(out, rep)
	}
	out = out[min(offset, len(out)):]
	if limit >= 0 {
		out = out[:min(limit, len(out))]
	}
	writeJSON(w, http.StatusOK, out)
}

func nonNegative(w http.ResponseWriter, q map[string][]string, key string, def int) (int, bool) {
	vals := q[key]
	if len(vals) == 0 {
		return def, true
	}
	n, err := strconv.Atoi(vals[0])
	if err != nil || n < 0 {
		writeError(w, http.StatusBadRequest, "%s must be a non-negative integer, got %q", key, vals[0])
		return 0, false
	}
	return n, true
}

func (s *Server) getReportPages(w http.ResponseWriter, _ *http.Request, c *call) {
	rep, ok := s.reportOr404(w, c.args[0])
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, rep.pages)
}

func (s *Server) getJobs(w http.ResponseWriter, _ *http.Request, _ *call) {
	s.stateMu.Lock()
	out := make([]job, len(s.jobs))
	copy(out, s.jobs)
	for i := range out {
		if t, ok := s.lastRun[out[i].ID]; ok {
			out[i].LastRunTime = &t
		}
	}
	s.stateMu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// findReport resolves a report id, or a report-type code (then that type's default
// report).
func (s *Server) findReport(ref string) (*report, bool) {
	id, isID := parseID(ref)
	if !isID {
		for _, t := range s.reportTypes {
			if t.Code == ref {
				id, isID = t.DefaultReportID, true
				break
			}
		}
	}
	if !isID {
		return nil, false
	}
	for i := range s.reports {
		if s.reports[i].ID == id {
			return &s.reports[i], true
		}
	}
	return nil, false
}

func (s *Server) reportOr404(w http.ResponseWriter, ref string) (*report, bool) {
	rep, ok := s.findReport(ref)
	if !ok {
		writeError(w, http.StatusNotFound, "report %q not found (give a report id or a report-type code)", ref)
	}
	return rep, ok
}

func (s *Server) findJob(ref string) (*job, bool) {
	id, isID := parseID(ref)
	for i := range s.jobs {
		if (isID && s.jobs[i].ID == id) || (!isID && s.jobs[i].Code == ref) {
			return &s.jobs[i], true
		}
	}
	return nil, false
}
