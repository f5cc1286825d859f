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
	in, err := parseQueryInput(r.URL.RawQuery)
	s.renderNow(w, r, c, in, err)
}

func (s *Server) postPDF(w http.ResponseWriter, r *http.Request, c *call) {
	in, err := parseBodyInput(c.body)
	s.renderNow(w, r, c, in, err)
}

func (s *Server) renderNow(w http.ResponseWriter, r *http.Request, c *call, in *renderInput, err error) {
	rep, ok := s.reportOr404(w, c.args[0])
	if !ok {
		return
	}
	if err != nil {
		writeInputError(w, err)
		return
	}
	data, err := s.resolveInput(c.ws, in)
	if err != nil {
		writeInputError(w, err)
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
	title := fmt.Sprintf("Report: %s (id %d)", rep.Name, rep.ID)
	return newDocument(rep.Name, in, documentText(title, ws, in, data))
}

// resolveInput checks theme and template and fetches temporary data. It returns
// the data to show: the data given, else the temporary data's content.
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
