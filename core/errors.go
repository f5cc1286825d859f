package core

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	json "github.com/goccy/go-json"
)

// Error codes, stable across releases and shared with the C ABI.
const (
	CodeUnauthenticated = "unauthenticated"
	CodeNotFound        = "not_found"
	CodeHTTP            = "http_error"
	CodeTimeout         = "timeout"
	CodeCanceled        = "canceled"
	CodeConnection      = "connection"
	CodeInvalidInput    = "invalid_input"
	CodeInvalidResponse = "invalid_response"
	CodeInvalidConfig   = "invalid_config"
	CodeExportFailed    = "export_failed"
	CodeIO              = "io_error"
)

// Sentinels for errors.Is: every *Error matches the sentinel of its Code.
var (
	ErrUnauthenticated = errors.New("cxreports: unauthenticated")
	ErrNotFound        = errors.New("cxreports: not found")
	ErrHTTP            = errors.New("cxreports: http error")
	ErrTimeout         = errors.New("cxreports: timeout")
	ErrCanceled        = errors.New("cxreports: canceled")
	ErrConnection      = errors.New("cxreports: connection error")
	ErrInvalidInput    = errors.New("cxreports: invalid input")
	ErrInvalidResponse = errors.New("cxreports: invalid response")
	ErrInvalidConfig   = errors.New("cxreports: invalid config")
	ErrExportFailed    = errors.New("cxreports: export failed")
	ErrIO              = errors.New("cxreports: i/o error")
)

var sentinelOf = map[string]error{
	CodeUnauthenticated: ErrUnauthenticated,
	CodeNotFound:        ErrNotFound,
	CodeHTTP:            ErrHTTP,
	CodeTimeout:         ErrTimeout,
	CodeCanceled:        ErrCanceled,
	CodeConnection:      ErrConnection,
	CodeInvalidInput:    ErrInvalidInput,
	CodeInvalidResponse: ErrInvalidResponse,
	CodeInvalidConfig:   ErrInvalidConfig,
	CodeExportFailed:    ErrExportFailed,
	CodeIO:              ErrIO,
}

// Error is the only error type the client returns. Use errors.Is with the Err*
// sentinels, or errors.As to read the HTTP status, the server's own message and the
// request id. No field ever contains the API token.
type Error struct {
	Code          string        // stable code, see the Code* constants
	Message       string        // full human text: what failed, the server's words, what to do
	Status        int           // HTTP status, 0 when there was no response
	ServerMessage string        // from {"error": ...}, problem details (detail, else title), or a short text body
	RequestID     string        // X-Request-Id / Request-Id / X-Correlation-Id response header
	Method, URL   string        // the request, URL without credentials
	Retryable     bool          // a later identical call may succeed
	RetryAfter    time.Duration // the server's Retry-After on a 429/503 answer (capped by MaxRetryAfter), 0 when absent
	Err           error         // cause (context.Canceled, *url.Error, ...), may be nil

	cut bool // the connection failed while reading a body: a GET may start over
	// retryAfterSent: the answer had a Retry-After, so RetryAfter 0 means "now",
	// not "no advice".
	retryAfterSent bool
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause, so errors.Is(err, context.Canceled) works too.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) and friends match by Code.
func (e *Error) Is(target error) bool {
	s, ok := sentinelOf[e.Code]
	return ok && s == target
}

func inputError(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidInput, Message: "Invalid input: " + fmt.Sprintf(format, args...)}
}

func configError(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidConfig, Message: "Invalid config: " + fmt.Sprintf(format, args...)}
}

// How the token is kept out of every message, field and log line:
//
//  1. By construction. The library writes the token into the Authorization header
//     and nowhere else. Its own words (the fixed text of every message and log line)
//     never hold it, and the values it echoes cannot either: New refuses a base URL
//     holding the token (or user info) and then never shows the rejected value
//     (config.go), and a message names a setting instead of quoting its value.
//  2. As a backstop, only for text that came from outside: what the server sent (its
//     message, status text, headers, Content-Type, ids, the errorMessage of an
//     export), the error text of lower layers (net/http, the file system), and the
//     URLs and paths built from the caller's values. There, every occurrence of the
//     token, as is or URL-escaped, becomes [REDACTED] (redact). The library's own
//     words are never scanned: each outside piece is scrubbed where it is put into
//     a message (Client.scrub, Client.shown, Client.causeText), and finish scrubs
//     the fields that hold outside text (ServerMessage, RequestID, URL), never
//     Message as a whole.
//
// Tokens shorter than minRedactLen (16) bytes are not looked for at all: a token
// "e", "x" or "error" would be cut out of ordinary words ("Conn[REDACTED]ction"),
// and a secret that short protects nothing (personal access tokens are far
// longer). Sixteen bytes or more cannot be part of an ordinary word, so no word
// boundary is required around an occurrence: a token glued to other characters by
// the server ("req-<token>", "Bearer:<token>x") is still the secret.

// redacted replaces an occurrence of the token.
const redacted = "[REDACTED]"

// minRedactLen is the shortest token the backstop looks for (see above).
const minRedactLen = 16

// redact replaces the occurrences of token in s, and of its URL-escaped forms,
// with [REDACTED] (the backstop above). s must be outside text, never a message
// of the library's own.
func redact(s, token string) string {
	if len(token) < minRedactLen {
		return s
	}
	for _, form := range []string{token, url.QueryEscape(token), url.PathEscape(token)} {
		if strings.Contains(s, form) {
			s = strings.ReplaceAll(s, form, redacted)
		}
	}
	return s
}

// Redact applies the library's redaction rule to s (see above): every occurrence
// of a token of at least 16 bytes, as is or URL-escaped, becomes [REDACTED]; a
// shorter token is left alone. The C ABI's log sink uses it as its own second
// line of defense.
func Redact(s, token string) string { return redact(s, token) }

// scrub applies the backstop to one piece of outside text put into a message.
func (c *Client) scrub(s string) string { return redact(s, c.token) }

// shown is a request URL as messages and Error.URL show it: without the '?' the
// PDF URLs always carry (like the official client's) when their query is empty,
// scrubbed, and clipped when very long (a URL of tens of kilobytes would drown
// the message; Error.URL keeps it whole).
func (c *Client) shown(u string) string {
	return clipURL(c.scrub(strings.TrimSuffix(u, "?")))
}

// maxShownURL bounds the URL quoted in a message.
const maxShownURL = 1024

func clipURL(u string) string {
	if len(u) <= maxShownURL {
		return u
	}
	cut := maxShownURL
	for cut > 0 && !utf8.RuneStart(u[cut]) {
		cut--
	}
	return u[:cut] + "... (" + itoa(len(u)) + " bytes)"
}

// causeText is the text of a lower layer's error for a message, scrubbed. A
// *url.Error repeats the method and the whole URL (with the stray '?'), which the
// message already names: only its cause is kept.
func (c *Client) causeText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	return c.scrub(err.Error())
}

// finish fills the parts every client error shares and applies the backstop to the
// fields that hold outside text. Message is left alone: its outside pieces were
// scrubbed as they were put in, and the library's own words must not be touched.
func (c *Client) finish(e *Error) *Error {
	e.ServerMessage = c.scrub(e.ServerMessage)
	e.RequestID = c.scrub(e.RequestID)
	e.URL = c.scrub(strings.TrimSuffix(e.URL, "?"))
	return e
}

// describe appends the server's message and the request id to a message.
func describe(msg string, e *Error) string {
	var b strings.Builder
	b.WriteString(msg)
	if e.ServerMessage != "" {
		fmt.Fprintf(&b, " Server said: %q.", e.ServerMessage)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " Request id: %s.", e.RequestID)
	}
	return b.String()
}

// serverMessage extracts the server's own words from an error body: {"error": ...},
// RFC 7807 problem details (detail, else title), {"message": ...}, or a short text.
func serverMessage(contentType string, body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var m map[string]json.RawMessage
		if json.Unmarshal(body, &m) == nil {
			for _, k := range []string{"error", "detail", "title", "message", "Message"} {
				if s := jsonText(m[k]); s != "" {
					return clip(s)
				}
			}
			return ""
		}
	}
	ct := strings.ToLower(contentType)
	if strings.HasPrefix(ct, "text/html") || !utf8.Valid(body) {
		return ""
	}
	return clip(string(body))
}

// jsonText returns a JSON string's text, or the "message" of a nested error object.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		for _, k := range []string{"message", "detail", "title"} {
			if s := jsonText(m[k]); s != "" {
				return s
			}
		}
	}
	return ""
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	const max = 500
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func itoa(n int) string { return strconv.Itoa(n) }
