package cxfake

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/cxclient/cxreports/cxfake/pdf"
)

// Nonce tokens and the iframe preview page. A nonce is single use: the first
// navigation to the preview page trades it for a session cookie, so the API token
// never reaches the browser. A reused, unknown or stale nonce is a 401.

// SessionCookie is the name of the cookie the preview page sets.
const SessionCookie = "cxreports_session"

const nonceLifetime = 5 * time.Minute

type nonceState struct {
	created time.Time
	used    bool
}

type sessionInfo struct{}

func (s *Server) createNonce(w http.ResponseWriter, _ *http.Request, _ *call) {
	n := randomHex(16)
	s.stateMu.Lock()
	s.nonces[n] = nonceState{created: time.Now()}
	s.stateMu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"nonce": n})
}

// previewAuth admits a fresh nonce (and returns the session to set), a known
// session cookie, or the API token.
func (s *Server) previewAuth(r *http.Request) (session string, err error) {
	if n := r.URL.Query().Get("nonce"); n != "" {
		s.stateMu.Lock()
		defer s.stateMu.Unlock()
		st, ok := s.nonces[n]
		switch {
		case !ok:
			return "", fmt.Errorf("Unauthenticated: unknown nonce; create one with POST /api/v1/nonce-tokens")
		case st.used:
			return "", fmt.Errorf("Unauthenticated: this nonce was already used; nonces are single use, create a new one for every preview URL")
		case time.Since(st.created) > nonceLifetime:
			return "", fmt.Errorf("Unauthenticated: this nonce expired (nonces live %s)", nonceLifetime)
		}
		st.used = true
		s.nonces[n] = st
		session = randomHex(16)
		s.sessions[session] = sessionInfo{}
		return session, nil
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.stateMu.Lock()
		_, ok := s.sessions[c.Value]
		s.stateMu.Unlock()
		if ok {
			return "", nil
		}
	}
	if s.authorized(r) {
		return "", nil
	}
	return "", fmt.Errorf("Unauthenticated: open the preview with a fresh ?nonce= from POST /api/v1/nonce-tokens")
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request, c *call) {
	session, err := s.previewAuth(r)
	if err != nil {
		writeError(w, http.StatusUnauthorized, "%v", err)
		return
	}
	in, err := parseQueryInput(r.URL.RawQuery, s.cfg.ids)
	rep, data, ok := s.renderSource(w, c, in, err)
	if !ok {
		return
	}
	if !sleepCtx(r, in.delay) {
		return
	}
	if session != "" {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	title := fmt.Sprintf("Report: %s (id %d)", rep.Name, rep.ID)
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s - CxReports preview</title></head>\n<body><pre id=\"cxfake-preview\">\n", htmlEscape(rep.Name))
	for _, l := range documentText(title, c.ws, in, data) {
		b.WriteString(htmlEscape(pdf.ASCII(l)) + "\n")
	}
	b.WriteString("</pre></body></html>\n")
	writeBytes(w, http.StatusOK, "text/html; charset=utf-8", b.Bytes())
}
