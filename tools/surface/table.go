package main

import (
	"fmt"

	"github.com/cxclient/cxreports/capi/dispatch"
	json "github.com/goccy/go-json"
)

// Table is the method surface as cx_methods() describes it: the dispatcher's
// method table (capi/dispatch/methods.go), the one place it is written.
type Table struct {
	Methods []Method `json:"methods"`
}

// Method is one entry of cx_methods().
type Method struct {
	Name     string `json:"name"`
	Doc      string `json:"doc"`
	Kind     string `json:"kind"`
	Result   string `json:"result"`
	Progress bool   `json:"progress"`
	Args     []Arg  `json:"args"`
	Names    struct {
		Python string `json:"python"`
		Node   string `json:"node"`
	} `json:"names"`
}

// Arg is one argument of a method.
type Arg struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
}

// LoadTable reads the table through dispatch.Methods(), the same JSON the C
// ABI's cx_methods() returns; capi/dispatch is pure Go, so no library is built.
func LoadTable() (*Table, error) {
	var t Table
	if err := json.Unmarshal(dispatch.Methods(), &t); err != nil {
		return nil, fmt.Errorf("cx_methods JSON: %w", err)
	}
	if len(t.Methods) == 0 {
		return nil, fmt.Errorf("cx_methods lists no method")
	}
	return &t, nil
}

// ownArgs are the arguments a method lists itself. cx_methods() gives them,
// then the arguments every method takes (timeout, interrupt_fd) unless the
// method placed one among its own (the waits put timeout, their deadline,
// before the poll intervals): so the trailing run of common arguments is left
// out and a common argument placed earlier is kept.
func (t *Table) ownArgs(m Method) []Arg {
	common := t.commonArgs()
	n := len(m.Args)
	for n > 0 && common[m.Args[n-1].Name] {
		n--
	}
	return m.Args[:n]
}

// commonArgs are the argument names every method of the table takes.
func (t *Table) commonArgs() map[string]bool {
	count := map[string]int{}
	for _, m := range t.Methods {
		for _, a := range m.Args {
			count[a.Name]++
		}
	}
	common := map[string]bool{}
	for name, n := range count {
		if n == len(t.Methods) {
			common[name] = true
		}
	}
	return common
}

// bindingKind is what a binding's wrapper makes of a kind: Python's _invoke
// kinds and Node's METHODS result kinds. A string and a Download are JSON data
// to Python; Node turns a Download into its own object ('download').
func bindingKind(binding, kind string) string {
	switch kind {
	case "string":
		return "json"
	case "file":
		if binding == "node" {
			return "download"
		}
		return "json"
	}
	return kind
}
