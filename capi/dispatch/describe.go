package dispatch

import (
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cxclient/cxreports/core"
	json "github.com/goccy/go-json"
)

// ABIVersion is bumped on every breaking change of the C ABI.
const ABIVersion = 1

// Version is the JSON of cx_version().
func Version() []byte {
	b, _ := json.Marshal(struct {
		Version string `json:"version"`
		ABI     int    `json:"abi"`
		Go      string `json:"go"`
	}{core.Version, ABIVersion, runtime.Version()})
	return b
}

type argDoc struct {
	Name     string  `json:"name"`
	Type     argType `json:"type"`
	Required bool    `json:"required"`
	Doc      string  `json:"doc"`
}

type methodDoc struct {
	Name     string   `json:"name"`
	Doc      string   `json:"doc"`
	Binary   bool     `json:"binary"`
	Progress bool     `json:"progress"` // reports progress events to cx_call_async
	Result   string   `json:"result"`
	Args     []argDoc `json:"args"`
	// Added after ABI 1 shipped, so after the first fields: what the method
	// hands back (json, bytes, file, string, none, stream), and its name in
	// each binding, for bindings and tools that build on this table.
	Kind  kind         `json:"kind"`
	Names bindingNames `json:"names"`
}

// bindingNames is a method's name in each binding.
type bindingNames struct {
	Python string `json:"python"`
	Node   string `json:"node"`
}

type configDoc struct {
	Name string  `json:"name"`
	Type argType `json:"type"`
	Doc  string  `json:"doc"`
}

// Methods is the JSON of cx_methods(): every method with its arguments, the
// config keys, the error codes and the argument types.
func Methods() []byte {
	doc := struct {
		ABI     int         `json:"abi"`
		Methods []methodDoc `json:"methods"`
		Config  []configDoc `json:"config"`
		Codes   []string    `json:"error_codes"`
		Types   []string    `json:"types"`
	}{ABI: ABIVersion, Codes: ErrorCodes(), Types: []string{
		"id: integer id or string code", "string", "integer: 0 to 2147483647",
		"seconds: non-negative number", "object: JSON object, forwarded with its key order",
		"object|array: JSON object or array",
	}}
	for _, m := range methodOrder {
		md := methodDoc{Name: m.Name, Doc: m.Doc, Binary: m.binary(), Progress: m.Progress, Result: m.Result,
			Kind: m.Kind, Names: bindingNames{Python: m.Name, Node: m.nodeName()}}
		for _, p := range m.params {
			d := argDoc{Name: p.Name, Type: argDefs[p.Name].Type, Required: p.Required, Doc: argDefs[p.Name].Doc}
			if p.Name == "timeout" && m.WaitTimeout {
				d.Doc = "overall deadline of the wait, in seconds"
			}
			md.Args = append(md.Args, d)
		}
		doc.Methods = append(doc.Methods, md)
	}
	for _, name := range configKeyOrder {
		k := configKeys[name]
		doc.Config = append(doc.Config, configDoc{Name: name, Type: k.Type, Doc: k.Doc})
	}
	b, _ := json.Marshal(doc)
	return b
}

// ErrorCodes lists every code an envelope can carry: the core's and the C layer's.
func ErrorCodes() []string {
	codes := []string{"unauthenticated", "not_found", "http_error", CodeTimeout, CodeCanceled, "connection",
		"invalid_input", "invalid_response", CodeInvalidConfig, "export_failed", "io_error",
		CodeInvalidArgument, CodeUnknownMethod, CodeInvalidHandle, CodeBinaryResult, CodeInternal}
	return codes
}

// methodNotFound is the error for a name that is not in the method table: a name
// that is not UTF-8 is invalid_argument (no method has one, and a decoder would
// have turned it into another name), anything else unknown_method.
func methodNotFound(name string) error {
	if i := invalidUTF8([]byte(name)); i >= 0 {
		return newError(CodeInvalidArgument, "the method name is not valid UTF-8 (byte "+strconv.Itoa(i)+
			"); nothing was sent. cx_methods() lists every method")
	}
	return newError(CodeUnknownMethod, unknownMethodMessage(name))
}

// longestMethodName is the length of the longest method name (methods.go fills
// the table in init, after package variables are set, hence a function).
func longestMethodName() int {
	n := 0
	for _, m := range methodOrder {
		n = max(n, len(m.Name))
	}
	return n
}

// suggestSlack is how much longer than the longest method a name may be and still
// get a suggestion. Past it, a caller's name is junk, not a typo: looking for near
// names would cost time in proportion to its length (1.5 s for a megabyte).
const suggestSlack = 8

// maxQuotedName bounds the part of an unknown name a message quotes.
const maxQuotedName = 64

// unknownMethodMessage names the method and suggests close names, since the usual
// cause is a typo. Its work and its length are bounded whatever the name's size.
func unknownMethodMessage(name string) string {
	var near []string
	if name != "" && len(name) <= longestMethodName()+suggestSlack {
		for n := range methodTable {
			d := len(n) - len(name)
			if strings.Contains(n, name) || strings.Contains(name, n) || (d >= -2 && d <= 2 && editDistance(n, name) <= 2) {
				near = append(near, n)
			}
		}
	}
	sort.Strings(near)
	msg := "unknown method " + quoteClipped(name)
	if len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return msg + " cx_methods() lists every method"
}

// quoteClipped quotes at most maxQuotedName bytes of s, saying how long it was.
func quoteClipped(s string) string {
	if len(s) <= maxQuotedName {
		return strconv.Quote(s)
	}
	cut := maxQuotedName
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}

// editDistance is the Levenshtein distance, for typo suggestions on short names
// (unknownMethodMessage bounds both lengths).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
