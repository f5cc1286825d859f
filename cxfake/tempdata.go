package cxfake

import (
	"encoding/json"
	"net/http"
	"time"
)

// Temporary data: JSON pushed once and referenced by tempDataId from renders and
// the preview page until it expires.

type tempData struct {
	workspace int64
	content   json.RawMessage
	expires   time.Time
}

type tempDataResponse struct {
	TempDataID objectID `json:"tempDataId"`
	ExpiryDate string   `json:"expiryDate"`
}

func (s *Server) pushTempData(w http.ResponseWriter, _ *http.Request, c *call) {
	obj, ok := bodyObject(w, c)
	if !ok {
		return
	}
	var req struct {
		Content    json.RawMessage `json:"content"`
		ExpiryDate *string         `json:"expiryDate"`
	}
	if err := json.Unmarshal(obj, &req); err != nil {
		writeError(w, http.StatusBadRequest, "expiryDate must be an ISO 8601 date-time string: %v", err)
		return
	}
	if req.Content == nil {
		writeError(w, http.StatusBadRequest, `request body needs a "content" field with the data`)
		return
	}
	now := time.Now()
	expires := now.Add(s.cfg.tempDataTTL)
	if req.ExpiryDate != nil && *req.ExpiryDate != "" {
		t, ok := parseISO(*req.ExpiryDate)
		if !ok {
			writeError(w, http.StatusBadRequest, "expiryDate %q is not an ISO 8601 date-time (e.g. 2030-01-02T15:04:05Z)", *req.ExpiryDate)
			return
		}
		if !t.After(now) {
			writeError(w, http.StatusBadRequest, "expiryDate %q is in the past", *req.ExpiryDate)
			return
		}
		expires = t
	}
	content, _ := compactJSON(req.Content)
	id := s.newID()
	s.stateMu.Lock()
	s.tempData[id.text] = &tempData{workspace: c.ws.ID, content: content, expires: expires}
	s.stateMu.Unlock()
	writeJSON(w, http.StatusOK, tempDataResponse{TempDataID: id, ExpiryDate: expires.UTC().Format(time.RFC3339Nano)})
}

// lookupTempData returns the content of live temporary data of this workspace;
// ref is the tempDataId as the client gave it, and the errors quote it so.
func (s *Server) lookupTempData(ws *workspace, ref string) (json.RawMessage, error) {
	key, isID := s.idKey(ref)
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	td, ok := s.tempData[key]
	if !isID || !ok || td.workspace != ws.ID {
		return nil, &inputError{http.StatusNotFound, "temporary data " + ref + " not found in workspace " + ws.Code}
	}
	if !time.Now().Before(td.expires) {
		delete(s.tempData, key)
		return nil, &inputError{http.StatusNotFound, "temporary data " + ref + " expired at " + td.expires.UTC().Format(time.RFC3339)}
	}
	return td.content, nil
}

// parseISO reads the ISO 8601 forms clients send; a time without a zone is UTC.
func parseISO(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
