package dispatch

import (
	"math"
	"strconv"
	"time"

	"github.com/cxclient/cxreports/core"
	json "github.com/goccy/go-json"
)

// Decoders for single JSON values taken from an argument or config object. Each
// returns a message fragment on failure ("must be ..."), which the caller prefixes
// with the argument's name, so every type error names the argument and the
// expected type.

// jsonKind names the JSON type of a raw value by its first byte.
func jsonKind(raw []byte) string {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return "object"
		case '[':
			return "array"
		case '"':
			return "string"
		case 't', 'f':
			return "boolean"
		case 'n':
			return "null"
		default:
			return "number"
		}
	}
	return "nothing"
}

func isNull(raw []byte) bool { return jsonKind(raw) == "null" }

func decodeString(raw []byte) (string, string) {
	if k := jsonKind(raw); k != "string" {
		return "", "must be a string, got " + k
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", "must be a string: " + err.Error()
	}
	return s, ""
}

// decodeInt accepts an integral JSON number (160, -3, 160.0) that fits in int64.
func decodeInt(raw []byte) (int64, string) {
	if k := jsonKind(raw); k != "number" {
		return 0, "must be an integer, got " + k
	}
	text := string(trimSpace(raw))
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, ""
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, "must be an integer, got " + text
	}
	return int64(f), ""
}

// decodeRef reads an id: a JSON number becomes core.ID, a JSON string core.Code
// (so "160" as a string keeps its text and is sent as written).
func decodeRef(raw []byte) (core.Ref, string) {
	switch jsonKind(raw) {
	case "number":
		n, msg := decodeInt(raw)
		if msg != "" {
			return core.Ref{}, "must be an integer id or a string code, got " + string(trimSpace(raw))
		}
		return core.ID(n), ""
	case "string":
		s, msg := decodeString(raw)
		if msg != "" {
			return core.Ref{}, msg
		}
		if s == "" {
			return core.Ref{}, "must be an integer id or a non-empty string code, got \"\""
		}
		return core.Code(s), ""
	default:
		return core.Ref{}, "must be an integer id or a string code, got " + jsonKind(raw)
	}
}

// decodeIDText reads an id as text, for values the wire carries as strings
// (theme and template in the query string).
func decodeIDText(raw []byte) (string, string) {
	r, msg := decodeRef(raw)
	if msg != "" {
		return "", msg
	}
	return r.String(), ""
}

// maxSeconds keeps a duration inside time.Duration's range (about 292 years).
const maxSeconds = float64(math.MaxInt64/int64(time.Second)) - 1

// decodeSeconds reads a non-negative number of seconds.
func decodeSeconds(raw []byte) (time.Duration, string) {
	if k := jsonKind(raw); k != "number" {
		return 0, "must be a number of seconds, got " + k
	}
	f, err := strconv.ParseFloat(string(trimSpace(raw)), 64)
	if err != nil || f < 0 || f > maxSeconds {
		return 0, "must be a non-negative number of seconds, got " + string(trimSpace(raw))
	}
	return time.Duration(f * float64(time.Second)), ""
}

// decodeObject checks that a value is a JSON object and keeps its text, so the
// caller's key order reaches the core untouched.
func decodeObject(raw []byte) (json.RawMessage, string) {
	if k := jsonKind(raw); k != "object" {
		return nil, "must be a JSON object, got " + k
	}
	return json.RawMessage(trimSpace(raw)), ""
}

// decodeContainer accepts an object or an array (temporary data content).
func decodeContainer(raw []byte) (json.RawMessage, string) {
	if k := jsonKind(raw); k != "object" && k != "array" {
		return nil, "must be a JSON object or array, got " + k
	}
	return json.RawMessage(trimSpace(raw)), ""
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// parseObject validates text as one JSON object and splits it into its members.
// what names the text in messages ("args_json", "config_json").
func parseObject(text []byte, what string) (map[string]json.RawMessage, string) {
	if len(trimSpace(text)) == 0 {
		return nil, what + " is empty; pass a JSON object such as {}"
	}
	if !json.Valid(text) {
		return nil, what + " is not valid JSON (junk or truncated text); pass a JSON object such as {}"
	}
	if k := jsonKind(text); k != "object" {
		return nil, what + " must be a JSON object, got " + k
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(text, &m); err != nil {
		return nil, what + " is not a valid JSON object: " + err.Error()
	}
	return m, ""
}
