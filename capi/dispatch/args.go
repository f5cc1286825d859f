package dispatch

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cxclient/cxreports/core"
	json "github.com/goccy/go-json"
)

// callArgs holds every argument any method takes, decoded and type-checked. A
// fixed struct (not a map or reflection) keeps decoding cheap on every call.
type callArgs struct {
	ReportID, TempFileID, JobID, RunID, WorkspaceID core.Ref

	Params, RequestBody, QueryParams, Data json.RawMessage

	Theme, Template, Type, Path, ExpiryDate string

	Offset, Limit *int

	Timeout, PollInterval, MaxInterval          time.Duration
	HasTimeout, HasPollInterval, HasMaxInterval bool

	InterruptFD    int
	HasInterruptFD bool

	Items       json.RawMessage // render_batch: a JSON array of items
	OutDir      string
	Concurrency *int // 0 = "auto"
	Retries     *int
	Force       bool

	// emit is not an argument either: execute sets it to the call's progress
	// function (nil when nobody listens), for events other than core.Progress.
	emit func([]byte)

	// newSink is not an argument: prepare sets it from the Library, and the
	// binary methods download into the sink it makes.
	newSink SinkFunc
}

// argType is the documented JSON type of an argument (also shown by cx_methods).
type argType string

const (
	typeID        argType = "id"      // integer id or string code
	typeIDText    argType = "id"      // same on input; kept as text for the query string
	typeString    argType = "string"  // JSON string
	typeInteger   argType = "integer" // non-negative integer
	typeSeconds   argType = "seconds" // non-negative number of seconds
	typeObject    argType = "object"  // JSON object, forwarded with its key order
	typeContainer argType = "object|array"
	typeArray     argType = "array"            // JSON array
	typeBoolean   argType = "boolean"          // true or false
	typeAutoInt   argType = "integer|\"auto\"" // a positive integer, or the string "auto"
)

// argDef is one argument name: its type, its documentation and how it is stored.
type argDef struct {
	Type argType
	Doc  string
	set  func(a *callArgs, raw []byte) string // "" or a "must be ..." fragment
}

func refArg(doc string, field func(*callArgs) *core.Ref) argDef {
	return argDef{Type: typeID, Doc: doc, set: func(a *callArgs, raw []byte) string {
		r, msg := decodeRef(raw)
		*field(a) = r
		return msg
	}}
}

func stringArg(doc string, nonEmpty bool, field func(*callArgs) *string) argDef {
	return argDef{Type: typeString, Doc: doc, set: func(a *callArgs, raw []byte) string {
		s, msg := decodeString(raw)
		if msg == "" && nonEmpty && s == "" {
			msg = "must be a non-empty string"
		}
		*field(a) = s
		return msg
	}}
}

func idTextArg(doc string, field func(*callArgs) *string) argDef {
	return argDef{Type: typeIDText, Doc: doc, set: func(a *callArgs, raw []byte) string {
		s, msg := decodeIDText(raw)
		*field(a) = s
		return msg
	}}
}

func intArg(doc string, field func(*callArgs) **int) argDef {
	return argDef{Type: typeInteger, Doc: doc, set: func(a *callArgs, raw []byte) string {
		n, msg := decodeInt(raw)
		if msg != "" {
			return msg
		}
		if n < 0 || n > int64(^uint32(0)>>1) {
			return "must be an integer from 0 to 2147483647"
		}
		v := int(n)
		*field(a) = &v
		return ""
	}}
}

func secondsArg(doc string, field func(*callArgs) (*time.Duration, *bool)) argDef {
	return argDef{Type: typeSeconds, Doc: doc, set: func(a *callArgs, raw []byte) string {
		d, msg := decodeSeconds(raw)
		p, has := field(a)
		*p, *has = d, msg == ""
		return msg
	}}
}

func objectArg(doc string, container bool, field func(*callArgs) *json.RawMessage) argDef {
	t, dec := typeObject, decodeObject
	if container {
		t, dec = typeContainer, decodeContainer
	}
	return argDef{Type: t, Doc: doc, set: func(a *callArgs, raw []byte) string {
		v, msg := dec(raw)
		*field(a) = v
		return msg
	}}
}

// argDefs is every argument name the ABI knows, with the seed's Python names.
var argDefs = map[string]argDef{
	"report_id":    refArg("report id, or a report type code (its default report)", func(a *callArgs) *core.Ref { return &a.ReportID }),
	"temp_file_id": refArg("temporary file id returned by start_report_export", func(a *callArgs) *core.Ref { return &a.TempFileID }),
	"job_id":       refArg("job id or code", func(a *callArgs) *core.Ref { return &a.JobID }),
	"run_id":       refArg("job run id returned by start_job_run", func(a *callArgs) *core.Ref { return &a.RunID }),
	"workspace_id": refArg("workspace id or code; absent means the client's default (0 is a valid id)", func(a *callArgs) *core.Ref { return &a.WorkspaceID }),
	"params": objectArg("query values of the PDF request (params, data, tempDataId, timezone, lang, format, ...), in this key order",
		false, func(a *callArgs) *json.RawMessage { return &a.Params }),
	"request_body": objectArg("JSON body sent as written (params, data, tempDataId, lang, timezone, format, ...); format defaults to \"pdf\"",
		false, func(a *callArgs) *json.RawMessage { return &a.RequestBody }),
	"query_params": objectArg("query values of the preview URL, in this key order", false, func(a *callArgs) *json.RawMessage { return &a.QueryParams }),
	"data":         objectArg("JSON content of the temporary data", true, func(a *callArgs) *json.RawMessage { return &a.Data }),
	"theme":        idTextArg("theme id or code", func(a *callArgs) *string { return &a.Theme }),
	"template":     idTextArg("template id or code", func(a *callArgs) *string { return &a.Template }),
	"type":         stringArg("report type code to filter by", false, func(a *callArgs) *string { return &a.Type }),
	"path":         stringArg("file to write (written to a temporary file, then renamed)", true, func(a *callArgs) *string { return &a.Path }),
	"expiry_date":  stringArg("ISO 8601 expiry of the temporary data", false, func(a *callArgs) *string { return &a.ExpiryDate }),
	"offset":       intArg("number of reports to skip", func(a *callArgs) **int { return &a.Offset }),
	"limit":        intArg("maximum number of reports", func(a *callArgs) **int { return &a.Limit }),
	"timeout": secondsArg("bound on the whole call, in seconds",
		func(a *callArgs) (*time.Duration, *bool) { return &a.Timeout, &a.HasTimeout }),
	"poll_interval": secondsArg("first delay between status polls, in seconds (default 0.5)",
		func(a *callArgs) (*time.Duration, *bool) { return &a.PollInterval, &a.HasPollInterval }),
	"max_interval": secondsArg("longest delay between status polls, in seconds (default 5)",
		func(a *callArgs) (*time.Duration, *bool) { return &a.MaxInterval, &a.HasMaxInterval }),
	"items": {Type: typeArray, Doc: "the renders, each {report, output, params?, data?, format?, theme?, template?, workspace?}",
		set: func(a *callArgs, raw []byte) string {
			if k := jsonKind(raw); k != "array" {
				return "must be a JSON array of items, got " + k
			}
			a.Items = json.RawMessage(trimSpace(raw))
			return ""
		}},
	"out_dir": stringArg("directory the items' outputs are relative to (they must stay under it)", false, func(a *callArgs) *string { return &a.OutDir }),
	"concurrency": {Type: typeAutoInt, Doc: "renders in flight at once: \"auto\" (the default) starts at 2 and adapts to the server's " +
		"429/503 answers and render times; a number N means exactly N",
		set: func(a *callArgs, raw []byte) string {
			const want = "must be \"auto\" or an integer from 1 to 2147483647, got "
			if s, msg := decodeString(raw); msg == "" {
				if s != "auto" {
					return want + strconv.Quote(s)
				}
				a.Concurrency = new(int)
				return ""
			}
			n, msg := decodeInt(raw)
			if msg != "" || n < 1 || n > int64(^uint32(0)>>1) {
				return want + string(trimSpace(raw))
			}
			v := int(n)
			a.Concurrency = &v
			return ""
		}},
	"retries": intArg("429/503 answers in a row, with no render accepted in between, the batch re-sends before it fails the refused items (default 50; 0 = none)",
		func(a *callArgs) **int { return &a.Retries }),
	"force": {Type: typeBoolean, Doc: "render items whose output exists too (default: skip them, so a rerun resumes)",
		set: func(a *callArgs, raw []byte) string {
			switch string(trimSpace(raw)) {
			case "true":
				a.Force = true
			case "false":
				a.Force = false
			default:
				return "must be true or false, got " + jsonKind(raw)
			}
			return ""
		}},
	"interrupt_fd": {Type: typeInteger, Doc: interruptFDDoc, set: func(a *callArgs, raw []byte) string {
		const want = "must be a file descriptor number (an integer from 0 to 2147483647), got "
		if k := jsonKind(raw); k != "number" {
			return want + k
		}
		n, msg := decodeInt(raw)
		if msg != "" || n < 0 || n > int64(^uint32(0)>>1) {
			return want + string(trimSpace(raw))
		}
		a.InterruptFD, a.HasInterruptFD = int(n), true
		return ""
	}},
}

// interruptFDDoc documents the interrupt_fd argument every method takes.
const interruptFDDoc = "open file descriptor the library watches while the call runs (Linux): when it is or becomes " +
	"readable the call is canceled (code canceled, \"interrupted\" in the message); never read, written or closed"

// decodeArgs parses args_json for method m: it rejects junk, unknown names, wrong
// types and missing required arguments, each with a message naming the argument.
// A JSON null counts as absent, like a Python None default.
func decodeArgs(m *method, text []byte) (*callArgs, error) {
	a := &callArgs{}
	members, msg := parseObject(text, "args_json")
	if msg != "" {
		return nil, newError(CodeInvalidArgument, m.Name+": "+msg)
	}
	var unknown []string
	for name := range members {
		if !m.accepts(name) {
			unknown = append(unknown, strconv.Quote(name))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, newError(CodeInvalidArgument, m.Name+": unknown argument "+strings.Join(unknown, ", ")+"; it accepts "+m.argList())
	}
	// Decode in the method's documented order, so the first error reported is
	// the same on every run.
	for _, p := range m.params {
		raw, ok := members[p.Name]
		if !ok || isNull(raw) {
			if p.Required {
				return nil, newError(CodeInvalidArgument, m.Name+": missing required argument \""+p.Name+"\" ("+string(argDefs[p.Name].Type)+")")
			}
			continue
		}
		if msg := argDefs[p.Name].set(a, raw); msg != "" {
			return nil, newError(CodeInvalidArgument, m.Name+": argument \""+p.Name+"\" "+msg)
		}
	}
	return a, nil
}

// argList renders the accepted names for an "unknown argument" message.
func (m *method) argList() string {
	names := make([]string, 0, len(m.params))
	for _, p := range m.params {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
