package cxfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Handlers that render synchronously: get_pdf and post_pdf.

func (s *Server) getPDF(w http.ResponseWriter, r *http.Request, c *call) {
	in, err := parseQueryInput(r.URL.RawQuery, s.cfg.ids)
	s.renderNow(w, r, c, in, err)
}

func (s *Server) postPDF(w http.ResponseWriter, r *http.Request, c *call) {
	in, err := parseBodyInput(c.body, s.cfg.ids)
	s.renderNow(w, r, c, in, err)
}

func (s *Server) renderNow(w http.ResponseWriter, r *http.Request, c *call, in *renderInput, err error) {
	rep, data, ok := s.renderSource(w, c, in, err)
	if !ok {
		return
	}
	if !sleepCtx(r, in.delay) {
		return
	}
	if in.fail != "" {
		writeError(w, http.StatusInternalServerError, "report rendering failed: %s", in.fail)
		return
	}
	reportDocument(rep, c.ws, in, data).serve(w)
}

func reportDocument(rep *report, ws *workspace, in *renderInput, data json.RawMessage) *document {
	subject := fmt.Sprintf("Report: %s (id %d)", rep.Name, rep.ID)
	return newDocument(rep.Name, &docRequest{heading: rep.Name, subject: subject, ws: ws, in: in, data: data})
}

// resolveInput checks theme and template and fetches temporary data. It returns
// the data to show: the data given, else the temporary data's content.
// renderSource is what every render starts with: the report of the path (404 when
// unknown), the caller's input as parsed (400 when parseErr is set) and the data it
// names, resolved from temporary data (400/404 when that fails). ok is false when
// an error was written.
func (s *Server) renderSource(w http.ResponseWriter, c *call, in *renderInput, parseErr error) (*report, json.RawMessage, bool) {
	rep, ok := s.reportOr404(w, c.args[0])
	if !ok {
		return nil, nil, false
	}
	if parseErr != nil {
		writeInputError(w, parseErr)
		return nil, nil, false
	}
	data, err := s.resolveInput(c.ws, in)
	if err != nil {
		writeInputError(w, err)
		return nil, nil, false
	}
	return rep, data, true
}

func (s *Server) resolveInput(ws *workspace, in *renderInput) (json.RawMessage, error) {
	if in.Theme != "" {
		if _, ok := findNamed(s.themes, in.Theme); !ok {
			return nil, badInput("theme %q not found in workspace %s (seeded: id 3, code \"dark\")", in.Theme, ws.Code)
		}
	}
	if in.Template != "" {
		if _, ok := findNamed(s.templates, in.Template); !ok {
			return nil, badInput("template %q not found in workspace %s (seeded: id 2, code \"Default\")", in.Template, ws.Code)
		}
	}
	data := in.Data
	if in.HasTempData {
		td, err := s.lookupTempData(ws, in.TempDataID)
		if err != nil {
			return nil, err
		}
		if data == nil {
			data = td
		}
	}
	return data, nil
}

func writeInputError(w http.ResponseWriter, err error) {
	var ie *inputError
	if errors.As(err, &ie) {
		writeError(w, ie.status, "%s", ie.msg)
		return
	}
	writeError(w, http.StatusInternalServerError, "%v", err)
}

// sleepCtx waits d unless the client goes away first; false means it went away.
func sleepCtx(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
