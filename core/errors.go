package core

import (
	"bytes"
	"errors"
	"fmt"
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

// redact removes the token from text that may have come from elsewhere (a server
// echoing a header, an error from a lower layer).
func redact(s, token string) string {
	if token == "" || !strings.Contains(s, token) {
		return s
	}
	return strings.ReplaceAll(s, token, "[REDACTED]")
}

// finish fills the parts every client error shares and scrubs the token.
func (c *Client) finish(e *Error) *Error {
	e.Message = redact(e.Message, c.token)
	e.ServerMessage = redact(e.ServerMessage, c.token)
	e.URL = redact(e.URL, c.token)
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
