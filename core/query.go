package core

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"

	json "github.com/goccy/go-json"
)

// Query is the parameter set of GetPDF, PDFURL and the preview URL (the official
// client's `params` dict): an ordered list of key/values. Values are Go values
// (string, bool, numbers, maps, slices, structs) or json.RawMessage.
//
// Encoding follows the official Python client 0.0.5: the known keys tempDataId,
// params, nonce, data, timezone, lang, type, includeAttachments, theme, template in
// that order, then every other key (format, excludePages, ...) in the caller's order.
// `params` is sent as base64url of Python's json.dumps text, booleans as True/False,
// and everything is form-encoded like urllib.parse.urlencode. A value that cannot be
// encoded is an invalid_input error, never silently dropped.
//
// The zero Query is empty and ready to use. Set never changes another copy of a Query.
type Query struct {
	keys []string
	vals []any
}

// knownQueryKeys is the order the official client emits its keys in.
var knownQueryKeys = []string{"tempDataId", "params", "nonce", "data", "timezone", "lang", "type", "includeAttachments", "theme", "template"}

func isKnownQueryKey(k string) bool {
	for _, n := range knownQueryKeys {
		if n == k {
			return true
		}
	}
	return false
}

// Set sets key to value, replacing an earlier value (keeping its place) or
// appending. Setting nil records the key as absent.
func (q *Query) Set(key string, value any) {
	keys := append([]string(nil), q.keys...)
	vals := append([]any(nil), q.vals...)
	for i, k := range keys {
		if k == key {
			vals[i] = value
			q.keys, q.vals = keys, vals
			return
		}
	}
	q.keys, q.vals = append(keys, key), append(vals, value)
}

// With returns a copy of q with key set to value; q itself is unchanged.
func (q Query) With(key string, value any) Query {
	q.Set(key, value)
	return q
}

// Get returns the value of key.
func (q Query) Get(key string) (any, bool) {
	for i, k := range q.keys {
		if k == key {
			return q.vals[i], true
		}
	}
	return nil, false
}

// Del removes key.
func (q *Query) Del(key string) {
	var keys []string
	var vals []any
	for i, k := range q.keys {
		if k != key {
			keys = append(keys, k)
			vals = append(vals, q.vals[i])
		}
	}
	q.keys, q.vals = keys, vals
}

// Keys returns the keys in the caller's order.
func (q Query) Keys() []string { return append([]string(nil), q.keys...) }

// Len returns the number of keys.
func (q Query) Len() int { return len(q.keys) }

// has reports whether key is present with a non-null value.
func (q Query) has(key string) bool {
	v, ok := q.Get(key)
	if !ok || v == nil {
		return false
	}
	if raw, isRaw := v.(json.RawMessage); isRaw {
		return jsonKind(raw) != 'n'
	}
	return true
}

// QueryFromJSON reads a JSON object into a Query, keeping the key order; values stay
// json.RawMessage. Empty input and null give an empty Query.
func QueryFromJSON(b []byte) (Query, error) {
	var q Query
	if jsonKind(b) == 'n' {
		if t := bytes.TrimSpace(b); len(t) == 0 || string(t) == "null" {
			return q, nil
		}
	}
	keys, vals, err := objectMembers(b)
	if err != nil {
		return q, inputError("query parameters must be a JSON object: %v", err)
	}
	for i, k := range keys {
		q.Set(k, vals[i])
	}
	return q, nil
}

// MarshalJSON writes the Query as a JSON object in its key order.
func (q Query) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range q.keys {
		raw, err := toRawJSON(q.vals[i])
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, k, false)
		b.WriteByte(':')
		b.Write(raw)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Encode returns the form-encoded query string (without '?').
func (q Query) Encode() (string, error) { return q.encode(0) }

// errQueryTooLong is encode's answer when the query outgrows its limit.
var errQueryTooLong = errors.New("query too long")

// encode is Encode, giving up with errQueryTooLong as soon as the text passes
// limit bytes (0 = no limit), so a huge value costs no more than encoding it once.
func (q Query) encode(limit int) (string, error) {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	emit := func(key string) error {
		v, ok := q.Get(key)
		if !ok || v == nil {
			return nil
		}
		raw, err := toRawJSON(v)
		if err != nil {
			return inputError("query parameter %q cannot be encoded as JSON: %v", key, err)
		}
		kind := jsonKind(raw)
		if kind == 'n' {
			return nil
		}
		if limit > 0 && minEncodedLen(raw) > limit {
			return errQueryTooLong // known without decoding a value of megabytes
		}
		vals, err := encodeQueryValue(key, raw, kind)
		if err != nil {
			return err
		}
		for _, s := range vals {
			add(key, s)
		}
		if limit > 0 && b.Len() > limit {
			return errQueryTooLong
		}
		return nil
	}
	for _, k := range knownQueryKeys {
		if err := emit(k); err != nil {
			return "", err
		}
	}
	for _, k := range q.keys {
		if !isKnownQueryKey(k) {
			if k == "" {
				return "", inputError("query parameter with an empty name")
			}
			if err := emit(k); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

// minEncodedLen is a lower bound of the query text a JSON value becomes, however
// it is encoded: every byte of its text but whitespace ends up as at least one
// byte of output, except escapes, which shrink at most six to one ("\u0041" to
// "A"); form encoding and base64 only grow it.
func minEncodedLen(raw []byte) int {
	n := 0
	for _, c := range raw {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			n++
		}
	}
	return n / 6
}

// encodeQueryValue renders one value as query text (several for a list of scalars).
func encodeQueryValue(key string, raw []byte, kind byte) ([]string, error) {
	text := func() (string, error) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", inputError("query parameter %q: %v", key, err)
		}
		return s, nil
	}
	scalar := func() (string, error) {
		switch kind {
		case '"':
			return text()
		case 't':
			return "True", nil
		case 'f':
			return "False", nil
		case '0':
			return numberText(key, raw)
		}
		out, err := reencode(raw, compactStyle)
		if err != nil {
			return "", inputError("query parameter %q is not valid JSON: %v", key, err)
		}
		return string(out), nil
	}
	one := func(s string, err error) ([]string, error) {
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	switch key {
	case "params":
		if kind != '{' {
			return nil, inputError("query parameter \"params\" must be an object of report parameters, got %s", kindName(kind))
		}
		py, err := reencode(raw, pyStyle)
		if err != nil {
			return nil, inputError("query parameter \"params\" is not valid JSON: %v", err)
		}
		return []string{base64.URLEncoding.EncodeToString(py)}, nil
	case "tempDataId":
		if kind == '0' {
			n, err := numberText(key, raw)
			if err == nil && strings.ContainsAny(n, ".eE") {
				err = inputError("query parameter \"tempDataId\" must be an integer id, got %s", n)
			}
			return one(n, err)
		}
		if kind == '"' {
			return one(text())
		}
	case "nonce", "timezone", "lang", "type":
		if kind == '"' {
			return one(text())
		}
	case "includeAttachments":
		if kind == 't' || kind == 'f' {
			return one(scalar())
		}
	case "theme", "template":
		if kind == '"' || kind == '0' {
			return one(scalar())
		}
	case "data":
		// The official client only forwards a string; an object is sent as JSON text
		// rather than dropped.
		return one(scalar())
	default:
		if kind == '[' {
			return listValues(key, raw)
		}
		return one(scalar())
	}
	return nil, inputError("query parameter %q cannot be %s", key, kindName(kind))
}

// listValues sends a list of scalars as repeated keys (excludePages=1&excludePages=3),
// the form ASP.NET binds to an array; a list holding objects is sent as JSON text.
func listValues(key string, raw []byte) ([]string, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, inputError("query parameter %q is not valid JSON: %v", key, err)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		kind := jsonKind(it)
		if kind == '{' || kind == '[' || kind == 'n' {
			b, err := reencode(raw, compactStyle)
			if err != nil {
				return nil, inputError("query parameter %q is not valid JSON: %v", key, err)
			}
			return []string{string(b)}, nil
		}
		s, err := encodeQueryValue(key+"[]", it, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

func numberText(key string, raw []byte) (string, error) {
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&n); err != nil {
		return "", inputError("query parameter %q is not a number: %v", key, err)
	}
	return n.String(), nil
}

func kindName(kind byte) string {
	switch kind {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
