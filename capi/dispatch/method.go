package dispatch

import (
	"context"
	"strings"

	"github.com/cxclient/cxreports/core"
)

// param is one argument a method takes.
type param struct {
	Name     string
	Required bool
}

func req(name string) param { return param{Name: name, Required: true} }
func opt(name string) param { return param{Name: name} }

// outcome is what a method produced: JSON-encodable data, or raw (the server's
// JSON answer passed through verbatim, which wins over data), plus the sink
// holding the file's bytes for the binary methods.
type outcome struct {
	data any
	raw  []byte
	body Sink
}

// callFunc runs one method against the core. progress is nil when nobody listens.
type callFunc func(ctx context.Context, c *core.Client, a *callArgs, progress func(core.Progress)) (outcome, error)

// kind is what a method hands back, and so what a binding's wrapper returns. It
// is written once here, in the table; the bindings and the docs follow it
// (tools/surface generates the docs and checks the bindings against it).
type kind string

const (
	kindJSON   kind = "json"   // the envelope's data: JSON (mostly the server's, verbatim)
	kindBytes  kind = "bytes"  // a file's bytes: cx_call_bytes / async only; data describes them
	kindFile   kind = "file"   // streams a file to a path; data is a Download
	kindString kind = "string" // data is a JSON string (a URL)
	kindNone   kind = "none"   // data is null
	kindStream kind = "stream" // results come as progress events; bindings iterate over them
)

// method is one entry of the method table.
type method struct {
	Name   string
	Doc    string
	Args   []param
	Kind   kind
	Result string // documented shape of "data"
	// NodeName is the Node binding's name when it is not the camelCase of Name
	// (Python's name is always Name). Empty for every method so far.
	NodeName string
	// Progress: the method reports progress events (cx_call_async's progress
	// function): the waits and the downloads.
	Progress bool
	// WaitTimeout: "timeout" goes to WaitOptions.Timeout (the core's wait
	// deadline) instead of a context deadline.
	WaitTimeout bool
	// Local: the method never touches the network (get_pdf_url). Synchronous
	// calls still run it on a goroutine like any other (capi/sync.go): one path
	// for every method costs a thread hop on a call that is rare and cheap.
	Local    bool
	call     callFunc
	open     openFunc // kind bytes only: the same download as a stream (cx_stream_open)
	accepted map[string]bool
	params   []param // Args plus the optional arguments every method takes (commonArgs)
}

func (m *method) accepts(name string) bool { return m.accepted[name] }

// binary: the method returns bytes, so cx_call refuses it.
func (m *method) binary() bool { return m.Kind == kindBytes }

// nodeName is the method's name in the Node binding: NodeName, or the camelCase
// of Name (get_pdf_url -> getPdfUrl).
func (m *method) nodeName() string {
	if m.NodeName != "" {
		return m.NodeName
	}
	return camelCase(m.Name)
}

func camelCase(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// methodTable is filled by methods.go; lookups are by exact name.
var methodTable = map[string]*method{}

// methodOrder keeps cx_methods() in the contract's order.
var methodOrder []*method

// commonArgs are the optional arguments every method takes, after its own. A
// method may list one of them among its own Args to place it (the waits put
// "timeout", their deadline, before the poll intervals).
var commonArgs = []param{opt("timeout"), opt("interrupt_fd")}

func register(m *method) {
	switch m.Kind {
	case kindJSON, kindBytes, kindFile, kindString, kindNone, kindStream:
	default:
		panic("dispatch: method " + m.Name + " has no valid Kind: " + string(m.Kind))
	}
	if (m.Kind == kindBytes) != (m.open != nil) {
		panic("dispatch: method " + m.Name + ": a method has an open function (cx_stream_open) exactly when its kind is bytes")
	}
	m.accepted = map[string]bool{}
	m.params = append([]param(nil), m.Args...)
	for _, p := range m.params {
		if m.accepted[p.Name] {
			panic("dispatch: method " + m.Name + " lists argument " + p.Name + " twice")
		}
		m.accepted[p.Name] = true
	}
	for _, p := range commonArgs {
		if !m.accepted[p.Name] {
			m.params = append(m.params, p)
		}
	}
	for _, p := range m.params {
		if _, ok := argDefs[p.Name]; !ok {
			panic("dispatch: method " + m.Name + " uses undefined argument " + p.Name)
		}
		m.accepted[p.Name] = true
	}
	methodTable[m.Name] = m
	methodOrder = append(methodOrder, m)
}
