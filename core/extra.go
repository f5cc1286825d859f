package core

import (
	"bytes"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	json "github.com/goccy/go-json"
)

// Response structs keep every field the server sent: the documented ones in typed
// fields, the rest in Extra. These helpers implement that for any struct type.

var knownFields sync.Map // reflect.Type -> map[string]int

// jsonFields returns the JSON member names a struct type declares, with the index
// of each one's field.
func jsonFields(t reflect.Type) map[string]int {
	if v, ok := knownFields.Load(t); ok {
		return v.(map[string]int)
	}
	fields := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		fields[name] = i
	}
	knownFields.Store(t, fields)
	return fields
}

// wireInfo remembers how the server sent an object: its member order and the raw
// documented members, so that MarshalJSON can omit what the server did not send and
// keep its nulls.
type wireInfo struct {
	order     []string
	known     map[string]json.RawMessage
	undecoded map[string]bool // documented members whose value had another type
}

var zeroMembers sync.Map // reflect.Type -> map[string]json.RawMessage

// zeroOf returns the encoded members of the zero value of a struct type.
func zeroOf(t reflect.Type) map[string]json.RawMessage {
	if v, ok := zeroMembers.Load(t); ok {
		return v.(map[string]json.RawMessage)
	}
	m := map[string]json.RawMessage{}
	if b, err := json.Marshal(reflect.Zero(t).Interface()); err == nil {
		if keys, vals, err := objectMembers(b); err == nil {
			for i, k := range keys {
				m[k] = vals[i]
			}
		}
	}
	zeroMembers.Store(t, m)
	return m
}

// decodeWithExtra decodes data into known (a pointer to a method-less struct),
// stores the members it does not name in *extra and how the object was sent in *wire.
//
// It takes the server's answer as it comes: a documented member whose value has
// another type than the field (a string where a number was documented, a number
// written 7.0) does not fail the decoding. An integral number is still read into
// an integer field; anything else leaves the field zero, and MarshalJSON writes the
// server's value back. Only an answer that is not a JSON object (or null) fails.
func decodeWithExtra(data []byte, known any, extra *map[string]json.RawMessage, wire **wireInfo) error {
	strictErr := json.Unmarshal(data, known)
	*extra, *wire = nil, nil
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	keys, vals, err := objectMembers(data)
	if err != nil {
		return err
	}
	v := reflect.ValueOf(known).Elem()
	if strictErr != nil {
		v.SetZero() // a failed decoding may have filled some fields
	}
	fields := jsonFields(v.Type())
	w := &wireInfo{known: map[string]json.RawMessage{}}
	all := map[string]json.RawMessage{}
	for i, k := range keys {
		if _, dup := all[k]; !dup {
			if _, dup := w.known[k]; !dup {
				w.order = append(w.order, k)
			}
		}
		idx, isKnown := fields[k]
		if !isKnown {
			all[k] = vals[i]
			continue
		}
		w.known[k] = vals[i]
		if strictErr != nil && !decodeField(v.Field(idx), vals[i]) {
			if w.undecoded == nil {
				w.undecoded = map[string]bool{}
			}
			w.undecoded[k] = true
		}
	}
	if len(all) > 0 {
		*extra = all
	}
	*wire = w
	return nil
}

// decodeField decodes one member into its field, reading an integral number such
// as 7.0 or 7e0 into an integer field. It reports false, leaving the field zero,
// when the value does not fit the field's type.
func decodeField(f reflect.Value, raw json.RawMessage) bool {
	if err := json.Unmarshal(raw, f.Addr().Interface()); err == nil {
		return true
	}
	f.SetZero()
	if f.Kind() == reflect.Int64 || f.Kind() == reflect.Int {
		n, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
		if err == nil && n == math.Trunc(n) && n >= math.MinInt64 && n < math.MaxInt64 {
			f.SetInt(int64(n))
			return true
		}
	}
	return false
}

// encodeWithExtra encodes known (a method-less struct) with the extra members. An
// object that came from the server is written in its order with its members; one
// built by the caller gets every documented field, then the extras sorted by name.
func encodeWithExtra(known any, extra map[string]json.RawMessage, wire *wireInfo) ([]byte, error) {
	b, err := json.Marshal(known)
	if err != nil {
		return nil, err
	}
	if wire == nil && len(extra) == 0 {
		return b, nil
	}
	keys, vals, err := objectMembers(b)
	if err != nil {
		return nil, err
	}
	typed := make(map[string]json.RawMessage, len(keys))
	for i, k := range keys {
		typed[k] = vals[i]
	}
	var out bytes.Buffer
	out.WriteByte('{')
	written := map[string]bool{}
	put := func(k string, v json.RawMessage) {
		if written[k] {
			return
		}
		written[k] = true
		if len(bytes.TrimSpace(v)) == 0 {
			v = json.RawMessage("null")
		}
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		out.Write(kb)
		out.WriteByte(':')
		out.Write(v)
	}
	if wire == nil {
		for i, k := range keys {
			put(k, vals[i])
		}
	} else {
		zero := zeroOf(reflect.TypeOf(known))
		for _, k := range wire.order {
			if v, ok := typed[k]; ok {
				// Still zero where the server sent null or a value of another
				// type: write what the server sent.
				if raw := bytes.TrimSpace(wire.known[k]); (string(raw) == "null" || wire.undecoded[k]) && bytes.Equal(v, zero[k]) {
					v = json.RawMessage(raw)
				}
				put(k, v)
			} else if v, ok := extra[k]; ok {
				put(k, v)
			}
		}
	}
	rest := make([]string, 0, len(extra))
	for k := range extra {
		if _, isKnown := typed[k]; !isKnown && !written[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		put(k, extra[k])
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}
