package dispatch

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

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
	if i := invalidUTF8(text); i >= 0 {
		return nil, what + " is not valid UTF-8 (byte " + strconv.Itoa(i) + "); nothing was sent. Pass UTF-8 text"
	}
	if !json.Valid(text) {
		return nil, what + " is not valid JSON (junk or truncated text); pass a JSON object such as {}"
	}
	if i := loneSurrogate(text); i >= 0 {
		return nil, what + " holds a \\u escape of half a UTF-16 surrogate pair (byte " + strconv.Itoa(i) +
			"), which is no character; nothing was sent. Pass valid Unicode text"
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

// The JSON decoder turns bytes that are not UTF-8, and \u escapes of half a
// surrogate pair, into U+FFFD without a word: an id or code holding one would
// silently name another report, a value would be sent changed. The C strings
// (config_json, args_json) are therefore checked before anything is decoded.

// invalidUTF8 returns the offset of the first byte of text that is not part of a
// valid UTF-8 sequence, or -1.
func invalidUTF8(text []byte) int {
	if utf8.Valid(text) {
		return -1
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// loneSurrogate returns the offset of the first \u escape in the strings of
// valid JSON text that is half a surrogate pair (a high one not followed by a low
// one, or a low one alone), or -1.
func loneSurrogate(text []byte) int {
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !inString {
			inString = c == '"'
			continue
		}
		switch {
		case c == '"':
			inString = false
		case c == '\\' && i+1 < len(text) && text[i+1] != 'u':
			i++ // a one-character escape
		case c == '\\':
			r := hex4(text, i+2)
			switch {
			case r >= 0xD800 && r < 0xDC00:
				if i+7 < len(text) && text[i+6] == '\\' && text[i+7] == 'u' {
					if lo := hex4(text, i+8); lo >= 0xDC00 && lo < 0xE000 {
						i += 11 // the pair
						continue
					}
				}
				return i
			case r >= 0xDC00 && r < 0xE000:
				return i
			}
			i += 5
		}
	}
	return -1
}

// hex4 reads the four hex digits at text[i:], or returns -1.
func hex4(text []byte, i int) int {
	if i+4 > len(text) {
		return -1
	}
	n := 0
	for _, c := range text[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | int(c-'A'+10)
		default:
			return -1
		}
	}
	return n
}
