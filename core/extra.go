package core

import (
	"bytes"
	"reflect"
	"sort"
	"strings"
	"sync"

	json "github.com/goccy/go-json"
)

// Response structs keep every field the server sent: the documented ones in typed
// fields, the rest in Extra. These helpers implement that for any struct type.

var knownNames sync.Map // reflect.Type -> map[string]bool

// jsonNames returns the JSON member names a struct type declares.
func jsonNames(t reflect.Type) map[string]bool {
	if v, ok := knownNames.Load(t); ok {
		return v.(map[string]bool)
	}
	names := map[string]bool{}
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
		names[name] = true
	}
	knownNames.Store(t, names)
	return names
}

// decodeWithExtra decodes data into known (a pointer to a method-less struct) and
// stores the members it does not name in *extra.
func decodeWithExtra(data []byte, known any, extra *map[string]json.RawMessage) error {
	if err := json.Unmarshal(data, known); err != nil {
		return err
	}
	*extra = nil
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	names := jsonNames(reflect.TypeOf(known).Elem())
	for k := range all {
		if names[k] {
			delete(all, k)
		}
	}
	if len(all) > 0 {
		*extra = all
	}
	return nil
}

// encodeWithExtra encodes known (a method-less struct) and appends the extra
// members, sorted by name so the output is stable.
func encodeWithExtra(known any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(known)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	names := jsonNames(reflect.TypeOf(known))
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !names[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out bytes.Buffer
	out.Write(b[:len(b)-1])
	for i, k := range keys {
		v := extra[k]
		if len(bytes.TrimSpace(v)) == 0 {
			v = json.RawMessage("null")
		}
		if i > 0 || len(b) > 2 {
			out.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		out.Write(kb)
		out.WriteByte(':')
		out.Write(v)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}
