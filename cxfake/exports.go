package cxfake

import (
	"net/http"
	"time"
)

// Asynchronous exports: InProgress until the export delay has passed, then
// Completed, or Failed when params.fakeFail was given. The state is a function of
// the clock, so no goroutine has to move it along.

type export struct {
	id        objectID
	workspace int64
	readyAt   time.Time
	fail      string
	render    func() *document // rebuilt on demand: a document is cheap, a 1 GB body is not kept
}

type exportStart struct {
	TemporaryFileID objectID `json:"temporaryFileId"`
}

type exportStatus struct {
	ID           objectID `json:"id"`
	Status       string   `json:"status"`
	IsReady      bool     `json:"isReady"`
	ErrorMessage *string  `json:"errorMessage"`
	ExpiryTime   string   `json:"expiryTime"`
	Name         string   `json:"name"`
	ContentSize  *int64   `json:"contentSize"`
	ContentType  string   `json:"contentType"`
}

const exportLifetime = time.Hour

func (s *Server) startExport(w http.ResponseWriter, _ *http.Request, c *call) {
	in, err := parseBodyInput(c.body, s.cfg.ids)
	rep, data, ok := s.renderSource(w, c, in, err)
	if !ok {
		return
	}
	ws := c.ws
	// params.fakeDelayMs lengthens the time the export stays InProgress.
	id := s.addExport(ws, s.cfg.exportDelay+in.delay, in.fail, func() *document { return reportDocument(rep, ws, in, data) })
	writeJSON(w, http.StatusAccepted, exportStart{TemporaryFileID: id})
}

func (s *Server) addExport(ws *workspace, delay time.Duration, fail string, render func() *document) objectID {
	id := s.newID()
	now := time.Now()
	s.stateMu.Lock()
	s.exports[id.text] = &export{id: id, workspace: ws.ID, readyAt: now.Add(delay), fail: fail, render: render}
	s.stateMu.Unlock()
	return id
}

func (s *Server) findExport(w http.ResponseWriter, ws *workspace, ref string) (*export, bool) {
	key, isID := s.idKey(ref)
	s.stateMu.Lock()
	e, ok := s.exports[key]
	s.stateMu.Unlock()
	if !isID || !ok || e.workspace != ws.ID {
		writeError(w, http.StatusNotFound, "export %q not found in workspace %s", ref, ws.Code)
		return nil, false
	}
	return e, true
}

func (e *export) status(now time.Time) string {
	switch {
	case now.Before(e.readyAt):
		return "InProgress"
	case e.fail != "":
		return "Failed"
	}
	return "Completed"
}

func (s *Server) exportStatus(w http.ResponseWriter, _ *http.Request, c *call) {
	e, ok := s.findExport(w, c.ws, c.args[0])
	if !ok {
		return
	}
	doc := e.render()
	st := exportStatus{
		ID:          e.id,
		Status:      e.status(time.Now()),
		ExpiryTime:  e.readyAt.Add(exportLifetime).UTC().Format(time.RFC3339),
		Name:        doc.filename,
		ContentType: doc.contentType,
	}
	switch st.Status {
	case "Completed":
		st.IsReady = true
		size := doc.size()
		st.ContentSize = &size
	case "Failed":
		msg := e.fail
		st.ErrorMessage = &msg
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) exportContent(w http.ResponseWriter, _ *http.Request, c *call) {
	e, ok := s.findExport(w, c.ws, c.args[0])
	if !ok {
		return
	}
	switch e.status(time.Now()) {
	case "InProgress":
		writeError(w, http.StatusConflict, "export %s is not ready yet (status InProgress): poll its status until Completed", e.id.text)
	case "Failed":
		writeError(w, http.StatusConflict, "export %s failed: %s", e.id.text, e.fail)
	default:
		e.render().serve(w)
	}
}
