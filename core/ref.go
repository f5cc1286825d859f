package core

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	json "github.com/goccy/go-json"
)

// Ref identifies a workspace, report, report type, job, export or run either by its
// numeric id or by its code. The zero Ref means "absent": ID(0) is a real id.
//
// The ids in results are Refs too, because a server may send any id as a number
// or as a string (a .NET server sends GUIDs): pass one back as an argument as it
// is, and it reaches the URL path unchanged. Encoded as JSON it is what the server
// sent: a number, or a string (a string of digits stays a string).
type Ref struct {
	set  bool
	isID bool
	id   int64
	code string
	raw  string // the server's spelling of a number id when it is not canonical ("1.0")
}

// ID returns a Ref for a numeric id (0 is a valid id).
func ID(n int64) Ref { return Ref{set: true, isID: true, id: n} }

// Code returns a Ref for a code such as a workspace code or a report-type code.
func Code(s string) Ref { return Ref{set: true, code: s} }

// String returns the id in decimal or the code, unescaped. The zero Ref gives "".
func (r Ref) String() string {
	if r.isID {
		return strconv.FormatInt(r.id, 10)
	}
	return r.code
}

// IsSet reports whether r names something (it is not the zero Ref).
func (r Ref) IsSet() bool { return r.set }

// IsID reports whether r is a numeric id, and returns it.
func (r Ref) IsID() (int64, bool) { return r.id, r.isID }

// MarshalJSON writes an id as a JSON number, a code as a JSON string and the zero
// Ref as null.
func (r Ref) MarshalJSON() ([]byte, error) {
	switch {
	case !r.set:
		return []byte("null"), nil
	case r.raw != "":
		return []byte(r.raw), nil
	case r.isID:
		return []byte(strconv.FormatInt(r.id, 10)), nil
	default:
		return json.Marshal(r.code)
	}
}

// UnmarshalJSON accepts a JSON number with an integral value (an id; 7, 7.0 and
// 7e0 alike), a string (a code, or an id the server writes as text) or null
// (absent).
func (r *Ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*r = Ref{}
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = Code(s)
		return nil
	default:
		if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			*r = ID(n)
			return nil
		}
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return fmt.Errorf("an id must be an integral number or a string, got %.40s", b)
		}
		*r = ID(int64(f))
		r.raw = string(b)
		return nil
	}
}

// segment returns r as an escaped URL path segment, or an invalid_input error naming
// what (e.g. "report") when r is absent or cannot be a path segment.
func (r Ref) segment(what string) (string, error) {
	if !r.set {
		return "", inputError("missing %s id: pass core.ID(n) or core.Code(\"code\")", what)
	}
	s := r.String()
	switch s {
	case "":
		return "", inputError("empty %s code: pass a non-empty code or a numeric id", what)
	case ".", "..":
		// Escaping leaves dots alone, and a dot segment would walk up the path.
		return "", inputError("bad %s code %q: a code cannot be %q", what, s, s)
	}
	return pathEscape(s), nil
}

// CallOption adjusts a single call, e.g. InWorkspace.
type CallOption func(*callOptions)

type callOptions struct {
	ws       Ref
	raw      *json.RawMessage
	progress func(Progress)
}

func collectOptions(opts []CallOption) callOptions {
	var o callOptions
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// RawJSON makes a call store the server's JSON answer verbatim in *dst and skip
// typed decoding; the call's typed result is then the zero value. The answer is
// still checked to be valid JSON of the documented kind (an array for the list
// methods, an object otherwise, or null), so a wrong answer remains an
// invalid_response error. It is for callers that pass the JSON on (bindings,
// proxies) and would otherwise decode and re-encode it. Every method that returns
// the server's JSON honours it: the lists, GetExportStatus, StartReportExport,
// PushTemporaryData, CreateAuthToken, StartJobRun, GetJobRunStatus and
// GetRunReviewDocument; WaitForExport and WaitForJobRun store the last status
// there and still return it typed too. RawJSON(nil) switches it off again.
func RawJSON(dst *json.RawMessage) CallOption {
	return func(o *callOptions) { o.raw = dst }
}

// typed returns opts with RawJSON switched off, for calls whose typed result the
// client needs itself.
func typed(opts []CallOption) []CallOption {
	return append(opts[:len(opts):len(opts)], RawJSON(nil))
}

// InWorkspace makes a call target workspace ws instead of Config.DefaultWorkspace.
// InWorkspace(ID(0)) targets workspace 0; InWorkspace(Ref{}) keeps the default.
func InWorkspace(ws Ref) CallOption {
	return func(o *callOptions) {
		if ws.IsSet() {
			o.ws = ws
		}
	}
}
