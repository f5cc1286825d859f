package cxfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Job runs: queued until the job delay has passed, then finished. Entries of a job
// with reviewRequired wait in "review" until the run is delivered; the others are
// "completed" at once. Every deliver call is counted (Deliveries), so a test can
// prove that a client never sent one twice.

type jobRun struct {
	id        objectID
	job       *job
	workspace int64
	started   time.Time
	params    json.RawMessage
	data      json.RawMessage
	delivered bool
}

const entriesPerRun = 3

type jobRunStart struct {
	JobRunID objectID `json:"jobRunId"`
}

type runCounts struct {
	Queued    int `json:"queued"`
	Review    int `json:"review"`
	Completed int `json:"completed"`
	Errors    int `json:"errors"`
}

type runStatus struct {
	Finished bool      `json:"finished"`
	Entries  int       `json:"entries"`
	Status   runCounts `json:"status"`
}

func (s *Server) startJobRun(w http.ResponseWriter, _ *http.Request, c *call) {
	j, ok := s.jobOr404(w, c)
	if !ok {
		return
	}
	obj, ok := bodyObject(w, c)
	if !ok {
		return
	}
	var body struct {
		Params json.RawMessage `json:"params"`
		Data   json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(obj, &body) // both fields are raw: any valid object decodes
	if isSet(body.Params) && body.Params[0] != '{' {
		writeError(w, http.StatusBadRequest, "params must be a JSON object, got %s", abbreviate(string(body.Params)))
		return
	}
	run := &jobRun{id: s.newID(), job: j, workspace: c.ws.ID, started: time.Now()}
	if isSet(body.Params) {
		run.params, _ = compactJSON(body.Params)
	}
	if isSet(body.Data) {
		run.data, _ = compactJSON(body.Data)
	}
	s.stateMu.Lock()
	s.runs[run.id.text] = run
	s.lastRun[j.ID] = run.started.UTC().Format(time.RFC3339)
	s.stateMu.Unlock()
	s.statsMu.Lock()
	s.jobRunStarts++
	s.statsMu.Unlock()
	writeJSON(w, http.StatusOK, jobRunStart{JobRunID: run.id})
}

func (s *Server) jobOr404(w http.ResponseWriter, c *call) (*job, bool) {
	j, ok := s.findJob(c.args[0])
	if !ok {
		writeError(w, http.StatusNotFound, "job %q not found in workspace %s", c.args[0], c.ws.Code)
	}
	return j, ok
}

// runOr404 resolves the job and the run, which must belong to that job and workspace.
func (s *Server) runOr404(w http.ResponseWriter, c *call) (*jobRun, bool) {
	j, ok := s.jobOr404(w, c)
	if !ok {
		return nil, false
	}
	key, isID := s.idKey(c.args[1])
	s.stateMu.Lock()
	run, found := s.runs[key]
	s.stateMu.Unlock()
	if !isID || !found || run.job.ID != j.ID || run.workspace != c.ws.ID {
		writeError(w, http.StatusNotFound, "run %q of job %q not found in workspace %s", c.args[1], c.args[0], c.ws.Code)
		return nil, false
	}
	return run, true
}

func (s *Server) finished(run *jobRun) bool {
	return !time.Now().Before(run.started.Add(s.cfg.jobDelay))
}

// finishedRunOr409 is runOr404 for the calls that need the run done: a queued
// run is answered 409 with hint, which tells the caller what to do instead.
func (s *Server) finishedRunOr409(w http.ResponseWriter, c *call, hint string) (*jobRun, bool) {
	run, ok := s.runOr404(w, c)
	if !ok {
		return nil, false
	}
	if !s.finished(run) {
		writeError(w, http.StatusConflict, "run %s is still queued: %s", run.id.text, hint)
		return nil, false
	}
	return run, true
}

func (s *Server) jobRunStatus(w http.ResponseWriter, _ *http.Request, c *call) {
	run, ok := s.runOr404(w, c)
	if !ok {
		return
	}
	st := runStatus{Entries: entriesPerRun}
	s.stateMu.Lock()
	delivered := run.delivered
	s.stateMu.Unlock()
	switch {
	case !s.finished(run):
		st.Status.Queued = entriesPerRun
	case run.job.ReviewRequired && !delivered:
		st.Finished = true
		st.Status.Review = entriesPerRun
	default:
		st.Finished = true
		st.Status.Completed = entriesPerRun
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) reviewDocument(w http.ResponseWriter, _ *http.Request, c *call) {
	run, ok := s.finishedRunOr409(w, c, "wait until its status says finished")
	if !ok {
		return
	}
	ws := c.ws
	in := &renderInput{Format: "pdf", Params: run.params}
	subject := fmt.Sprintf("Review document: job %s (id %d), run %s", run.job.Code, run.job.ID, run.id.text)
	name := fmt.Sprintf("review-%s-run-%s", run.job.Code, run.id.text)
	doc := &docRequest{heading: "Review: " + run.job.Name, subject: subject, ws: ws, in: in, data: run.data}
	id := s.addExport(ws, s.cfg.exportDelay, "", func() *document { return newDocument(name, doc) })
	writeJSON(w, http.StatusOK, exportStart{TemporaryFileID: id})
}

func (s *Server) deliver(w http.ResponseWriter, _ *http.Request, c *call) {
	run, ok := s.finishedRunOr409(w, c, "deliver it once its status says finished")
	if !ok {
		return
	}
	s.stateMu.Lock()
	run.delivered = true
	s.stateMu.Unlock()
	s.statsMu.Lock()
	s.deliveries[run.id.text]++
	s.statsMu.Unlock()
	writeJSON(w, http.StatusOK, struct{}{})
}
