package core

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	json "github.com/goccy/go-json"
)

// jsonStyle selects how reencode writes JSON text.
type jsonStyle struct {
	itemSep, keySep string
	ensureASCII     bool
}

// pyStyle is Python's json.dumps default: ", " and ": " separators, non-ASCII as
// \uXXXX escapes. The official client sends params (base64) and request bodies in it.
var pyStyle = jsonStyle{itemSep: ", ", keySep: ": ", ensureASCII: true}

// compactStyle is plain compact JSON, used for values forwarded as query text.
var compactStyle = jsonStyle{itemSep: ",", keySep: ":"}

// toRawJSON turns a caller's value into JSON text. json.RawMessage is taken as is
// (and validated by reencode); anything else goes through json.Marshal.
func toRawJSON(v any) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return []byte("null"), nil
	case json.RawMessage:
		if len(bytes.TrimSpace(t)) == 0 {
			return []byte("null"), nil
		}
		return t, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// reencode rewrites JSON text in the given style, keeping object key order and
// numbers exactly as written (json.loads + json.dumps would keep key order too).
func reencode(raw []byte, st jsonStyle) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out bytes.Buffer
	out.Grow(len(raw) + len(raw)/8)
	if err := writeValue(dec, &out, st); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return out.Bytes(), nil
}

func writeValue(dec *json.Decoder, out *bytes.Buffer, st jsonStyle) error {
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("unexpected end of JSON")
		}
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		return writeContainer(dec, out, st, t)
	case string:
		writeString(out, t, st.ensureASCII)
	case json.Number:
		out.WriteString(t.String())
	case bool:
		if t {
			out.WriteString("true")
		} else {
			out.WriteString("false")
		}
	case nil:
		out.WriteString("null")
	}
	return nil
}

// writeContainer writes the object or array that open ('{' or '[') began: its
// members or items in order, each object member's key before its value.
func writeContainer(dec *json.Decoder, out *bytes.Buffer, st jsonStyle, open json.Delim) error {
	var closing byte
	switch open {
	case '{':
		closing = '}'
	case '[':
		closing = ']'
	default:
		return fmt.Errorf("unexpected %q", rune(open))
	}
	out.WriteByte(byte(open))
	for first := true; dec.More(); first = false {
		if !first {
			out.WriteString(st.itemSep)
		}
		if open == '{' {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			writeString(out, k.(string), st.ensureASCII)
			out.WriteString(st.keySep)
		}
		if err := writeValue(dec, out, st); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	out.WriteByte(closing)
	return nil
}

const hexDigits = "0123456789abcdef"

func writeU(out *bytes.Buffer, r rune) {
	out.WriteString(`\u`)
	out.WriteByte(hexDigits[r>>12&0xf])
	out.WriteByte(hexDigits[r>>8&0xf])
	out.WriteByte(hexDigits[r>>4&0xf])
	out.WriteByte(hexDigits[r&0xf])
}

// writeString writes s as a JSON string. With ensureASCII it follows Python's
// encoder exactly: everything outside ' '..'~' becomes \uXXXX (lowercase hex),
// characters beyond the BMP become a surrogate pair.
func writeString(out *bytes.Buffer, s string, ensureASCII bool) {
	out.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			out.WriteString(`\"`)
		case '\\':
			out.WriteString(`\\`)
		case '\n':
			out.WriteString(`\n`)
		case '\r':
			out.WriteString(`\r`)
		case '\t':
			out.WriteString(`\t`)
		case '\b':
			out.WriteString(`\b`)
		case '\f':
			out.WriteString(`\f`)
		default:
			switch {
			case r < 0x20:
				writeU(out, r)
			case !ensureASCII || (r >= 0x20 && r <= 0x7e):
				out.WriteRune(r)
			case r > 0xffff:
				r -= 0x10000
				writeU(out, 0xd800|(r>>10)&0x3ff)
				writeU(out, 0xdc00|r&0x3ff)
			default:
				writeU(out, r)
			}
		}
	}
	out.WriteByte('"')
}

// jsonKind is the type of a JSON value, read from its first byte.
func jsonKind(raw []byte) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 'n'
	}
	switch c := raw[0]; c {
	case '{', '[', '"', 't', 'f', 'n':
		return c
	}
	return '0'
}

// objectMembers splits a JSON object into its members, in order. Valid JSON takes
// the one-pass scanner; anything else the token decoder, whose error says what is
// wrong.
func objectMembers(raw []byte) ([]string, []json.RawMessage, error) {
	if json.Valid(raw) {
		if keys, vals, ok := scanObject(raw); ok {
			return keys, vals, nil
		}
	}
	return objectMembersSlow(raw)
}

func objectMembersSlow(raw []byte) ([]string, []json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, errors.New("not a JSON object")
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k.(string))
		vals = append(vals, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, errors.New("unexpected data after the JSON object")
	}
	return keys, vals, nil
}
