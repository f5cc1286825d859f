package core

import (
	"bytes"

	json "github.com/goccy/go-json"
)

// scanObject splits a JSON object that is already known to be valid into its
// members, in order, in one pass over the bytes. It is the fast path of
// objectMembers, which runs for every response object the client decodes; a
// token-by-token json.Decoder costs several times more (BenchmarkObjectMembers
// against BenchmarkObjectMembersTokenDecoder). The values are
// sub-slices of one private copy of raw, so they never alias the caller's buffer.
// ok is false if raw is not an object (the caller then reports the error).
func scanObject(raw []byte) (keys []string, vals []json.RawMessage, ok bool) {
	buf := append([]byte(nil), raw...)
	i := skipSpace(buf, 0)
	if i >= len(buf) || buf[i] != '{' {
		return nil, nil, false
	}
	i = skipSpace(buf, i+1)
	for i < len(buf) && buf[i] != '}' {
		if buf[i] == ',' {
			i = skipSpace(buf, i+1)
		}
		end := skipString(buf, i)
		key, ok := decodeKey(buf[i:end])
		if !ok {
			return nil, nil, false
		}
		i = skipSpace(buf, end)
		if i >= len(buf) || buf[i] != ':' {
			return nil, nil, false
		}
		i = skipSpace(buf, i+1)
		vEnd := skipValue(buf, i)
		keys = append(keys, key)
		vals = append(vals, json.RawMessage(buf[i:vEnd:vEnd]))
		i = skipSpace(buf, vEnd)
	}
	if i >= len(buf) || skipSpace(buf, i+1) != len(buf) {
		return nil, nil, false
	}
	return keys, vals, true
}

// decodeKey unquotes a member name; only names with escapes need the decoder.
func decodeKey(q []byte) (string, bool) {
	if len(q) < 2 || q[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(q, '\\') < 0 {
		return string(q[1 : len(q)-1]), true
	}
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return "", false
	}
	return s, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index just past the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for ; i < len(b); i++ { // number, true, false, null
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}
