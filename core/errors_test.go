package core

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The backstop's rule: every occurrence of a token of minRedactLen bytes or more,
// as is or URL-escaped; never a short token.
func TestRedactRule(t *testing.T) {
	long := "tok-4f1b2c9d8e7a6b5c+/="
	cases := []struct{ token, in, want string }{
		{long, "token " + long + " is not valid", "token [REDACTED] is not valid"},
		{long, long, "[REDACTED]"},
		{long, "(" + long + ").", "([REDACTED])."},
		{long, "req-" + long + "x", "req-[REDACTED]x"}, // glued to other text: still the secret
		{long, long + " " + long, "[REDACTED] [REDACTED]"},
		{long, "?t=" + url.QueryEscape(long) + "&a", "?t=[REDACTED]&a"},
		{long, "/r/" + url.PathEscape(long) + "/pdf", "/r/[REDACTED]/pdf"},
		{long, "tok-4f1b2c9d8e7a6b5c", "tok-4f1b2c9d8e7a6b5c"}, // a part of the token is not the token
		{"e", "Connection error occurred", "Connection error occurred"},
		{"x", "proxy settings", "proxy settings"},
		{"error", "Connection error", "Connection error"},
		{"short-token-15c", "short-token-15c", "short-token-15c"}, // under minRedactLen
		{"", "anything", "anything"},
		{"ünïcödé-tökén-0123", "wörd ünïcödé-tökén-0123.", "wörd [REDACTED]."},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, redact(c.in, c.token), "token %q in %q", c.token, c.in)
	}
	assert.Equal(t, redact("a "+long, long), Redact("a "+long, long))
}

// A short token (one letter, an ordinary word) never changes a message: the
// library's own words are never scanned, and short tokens are never looked for.
func TestShortTokensNeverMangleMessages(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	messages := map[string]string{}
	for _, token := range []string{testToken, "e", "x", "error", "proxy", "Connection", "occurred", "http", "127.0.0.1"} {
		c, _ := newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.Token = token; cfg.Retry.MaxRetries = -1 })
		_, err := c.GetPDF(ctxT(t), ID(160), Query{})
		e := requireCode(t, err, CodeConnection)
		assert.NotContains(t, e.Message, "REDACTED", "token %q", token)
		messages[token] = e.Message
	}
	for token, msg := range messages {
		assert.Equal(t, messages[testToken], msg, "token %q changed the message", token)
	}
	assert.Contains(t, messages["e"], "Connection error occurred: GET http://"+addr+"/api/v1/ws/1/reports/160/pdf: ")
	assert.Contains(t, messages["x"], "proxy settings")
}

// What the server sends back is scrubbed wherever it lands: its message, its status
// text, its request id, a Content-Type, an export's errorMessage.
func TestServerEchoOfTheTokenIsRedacted(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+testToken)
		switch {
		case strings.HasSuffix(r.URL.Path, "/themes"):
			w.WriteHeader(401)
			w.Write([]byte(`{"error": "token ` + testToken + ` is not valid"}`))
		case strings.HasSuffix(r.URL.Path, "/templates"):
			// A status without a standard text: the server's own words are shown.
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(599)
			w.Write([]byte("bad " + testToken))
		case strings.HasSuffix(r.URL.Path, "/pdf"):
			w.Header().Set("Content-Type", "text/"+testToken)
			w.Write([]byte("not a pdf"))
		case strings.Contains(r.URL.Path, "/exports/") && strings.HasSuffix(r.URL.Path, "/status"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"status": "Failed", "errorMessage": "no access for ` + testToken + `"}`))
		case strings.HasSuffix(r.URL.Path, "/jobs"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"not": "a list", "t": "` + testToken + `"}`))
		}
	})
	c, sink := newTestClient(t, rec.URL)
	ctx := ctxT(t)
	_, err := c.GetThemes(ctx)
	e := requireCode(t, err, CodeUnauthenticated)
	assert.Equal(t, "token [REDACTED] is not valid", e.ServerMessage)
	assert.Equal(t, "req-[REDACTED]", e.RequestID)
	assert.Contains(t, e.Message, "Request id: req-[REDACTED].")
	_, err = c.GetTemplates(ctx)
	e = requireCode(t, err, CodeHTTP)
	assert.Contains(t, e.ServerMessage, "bad [REDACTED]")
	_, err = c.GetPDF(ctx, ID(160), Query{})
	e = requireCode(t, err, CodeInvalidResponse)
	assert.Contains(t, e.Message, "text/[REDACTED]")
	_, err = c.WaitForExport(ctx, Code(testToken), WaitOptions{PollInterval: 1})
	e = requireCode(t, err, CodeExportFailed)
	assert.Equal(t, "no access for [REDACTED]", e.ServerMessage)
	assert.Contains(t, e.Message, "export [REDACTED] ended as Failed")
	_, err = c.GetJobs(ctx)
	requireCode(t, err, CodeInvalidResponse)
	assert.NotContains(t, sink.text(), testToken)
}

// A PDF URL with an empty query carries a '?' on the wire (like the official
// client's), never in a message or Error.URL.
func TestNoStrayQuestionMark(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) })
	c, _ := newTestClient(t, rec.URL)
	_, err := c.GetPDF(ctxT(t), ID(160), Query{})
	e := requireCode(t, err, CodeNotFound)
	assert.Contains(t, e.Message, "/reports/160/pdf.")
	assert.NotContains(t, e.Message, "?")
	assert.Equal(t, rec.URL+"/api/v1/ws/1/reports/160/pdf", e.URL)
	r, _ := rec.req(0)
	assert.Equal(t, "/api/v1/ws/1/reports/160/pdf?", r.RequestURI, "the wire keeps the official client's '?'")

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	c, _ = newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.Retry.MaxRetries = -1 })
	_, err = c.GetPDF(ctxT(t), ID(160), Query{})
	e = requireCode(t, err, CodeConnection)
	assert.NotContains(t, e.Message, "?")
}
