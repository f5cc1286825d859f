package dispatch

import (
	"context"
	"errors"

	"github.com/cxclient/cxreports/core"
	json "github.com/goccy/go-json"
)

// errorBody is the "error" member of a failed envelope. Every field is always
// present so that bindings can read it without checking for absence.
type errorBody struct {
	Code          string `json:"code"`
	Message       string `json:"message"`
	Status        int    `json:"status"`
	Retryable     bool   `json:"retryable"`
	ServerMessage string `json:"server_message"`
	RequestID     string `json:"request_id"`
	Method        string `json:"method"`
	URL           string `json:"url"`
}

type errorEnvelope struct {
	OK    bool      `json:"ok"`
	Error errorBody `json:"error"`
}

var okPrefix = []byte(`{"ok":true,"data":`)

// okEnvelope wraps already-encoded JSON data.
func okEnvelope(data []byte) []byte {
	out := make([]byte, 0, len(okPrefix)+len(data)+1)
	out = append(out, okPrefix...)
	out = append(out, data...)
	return append(out, '}')
}

// encodeOK marshals v and wraps it; a value that cannot be encoded becomes an
// "internal" error envelope rather than a half-written one.
func encodeOK(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		return ErrorEnvelope(CodeInternal, "cannot encode the result as JSON: "+err.Error())
	}
	return okEnvelope(data)
}

// ErrorEnvelope builds a failed envelope from a code and a message.
func ErrorEnvelope(code, msg string) []byte {
	return encodeError(errorBody{Code: code, Message: msg})
}

func encodeError(b errorBody) []byte {
	out, err := json.Marshal(errorEnvelope{Error: b})
	if err != nil {
		// Only strings and numbers are encoded; this cannot fail, but never return junk.
		return []byte(`{"ok":false,"error":{"code":"internal","message":"cannot encode an error envelope","status":0,"retryable":false,"server_message":"","request_id":"","method":"","url":""}}`)
	}
	return out
}

// errorFor converts any error into the envelope's error body: the core's *Error keeps
// every field, the dispatcher's own *Error keeps its code, bare context errors get the
// contract's timeout/canceled codes, and anything else is "internal".
func errorFor(err error) errorBody {
	var ce *core.Error
	if errors.As(err, &ce) {
		return errorBody{
			Code: ce.Code, Message: ce.Message, Status: ce.Status, Retryable: ce.Retryable,
			ServerMessage: ce.ServerMessage, RequestID: ce.RequestID, Method: ce.Method, URL: ce.URL,
		}
	}
	var de *Error
	if errors.As(err, &de) {
		return errorBody{Code: de.Code, Message: de.Message}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return errorBody{Code: CodeTimeout, Message: "Timeout occurred: " + err.Error()}
	case errors.Is(err, context.Canceled):
		return errorBody{Code: CodeCanceled, Message: "the call was canceled: " + err.Error()}
	}
	return errorBody{Code: CodeInternal, Message: err.Error()}
}
