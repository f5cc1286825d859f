package dispatch

import (
	"context"

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

// method is one entry of the method table.
type method struct {
	Name   string
	Doc    string
	Args   []param
	Result string // documented shape of "data"
	Binary bool   // returns bytes: cx_call_bytes / async only
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
	accepted map[string]bool
	params   []param // Args plus the optional arguments every method takes (commonArgs)
}

func (m *method) accepts(name string) bool { return m.accepted[name] }

// methodTable is filled by methods.go; lookups are by exact name.
var methodTable = map[string]*method{}

// methodOrder keeps cx_methods() in the contract's order.
var methodOrder []*method

// commonArgs are the optional arguments every method takes, after its own.
var commonArgs = []param{opt("timeout"), opt("interrupt_fd")}

func register(m *method) {
	m.accepted = map[string]bool{}
	m.params = append(append([]param(nil), m.Args...), commonArgs...)
	for _, p := range m.params {
		if _, ok := argDefs[p.Name]; !ok {
			panic("dispatch: method " + m.Name + " uses undefined argument " + p.Name)
		}
		m.accepted[p.Name] = true
	}
	methodTable[m.Name] = m
	methodOrder = append(methodOrder, m)
}
