package main

import (
	"fmt"
	"regexp"
	"strings"
)

// The bindings declare the C functions they call by hand (ctypes in _lib.py,
// koffi in lib/native.js). Each declaration is checked against the prototype
// in include/cxreports.h: the function exists, with as many arguments, and
// every argument and the result have the same ABI class. Classes, not spelled
// types: a char* the library hands out is rightly a c_void_p to ctypes (it must
// go back to cx_free), and all data pointers travel alike.

const (
	header    = "include/cxreports.h"
	pyLib     = "bindings/python/cxreports/_lib.py"
	nodeNativ = "bindings/node/lib/native.js"
)

// cType is the ABI class of a C type: void, int32, uint64, size, pointer, or
// callback (a function pointer typedef, whose signature is compared too).
type cType struct {
	class    string
	callback string // the typedef's name, for class "callback" in the header
	sig      *proto // a binding's callback type: its signature
	spelled  string // as written, for messages
}

// proto is a C function's result and arguments.
type proto struct {
	ret  cType
	args []cType
}

// cHeader is what the header declares: functions, and the typedefs they use.
type cHeader struct {
	funcs     map[string]proto
	callbacks map[string]proto  // function pointer typedefs
	aliases   map[string]string // typedef uint64_t cx_handle -> "uint64_t"
	structs   map[string]bool
}

var scalarClass = map[string]string{
	"void": "void", "int": "int32", "int32_t": "int32", "int32": "int32",
	"uint64_t": "uint64", "uint64": "uint64", "size_t": "size",
	"char": "char", "uint8_t": "uint8", "str": "pointer", // koffi's str is a char*
	"int64_t": "int64", "int64": "int64", // cx_stream_read's count
	// Types the header does not use: a binding declaring one has drifted.
	"uint32_t": "uint32", "uint32": "uint32", "bool": "bool",
	"double": "double", "float": "float",
}

var cQualifiers = map[string]bool{"const": true, "volatile": true, "struct": true, "_Out_": true, "_In_": true, "_Inout_": true}

// parseCType reads a declaration such as "const char* method" or "uint64_t";
// named says whether its last word is a parameter name to drop.
func (h *cHeader) parseCType(decl string, named bool) (cType, error) {
	spelled := strings.Join(strings.Fields(decl), " ")
	words := strings.Fields(strings.ReplaceAll(decl, "*", " * "))
	stars := 0
	var idents []string
	for _, w := range words {
		switch {
		case w == "*":
			stars++
		case !cQualifiers[w]:
			idents = append(idents, w)
		}
	}
	if named && len(idents) > 1 {
		idents = idents[:len(idents)-1]
	}
	if len(idents) != 1 {
		return cType{}, fmt.Errorf("cannot read the C type %q", spelled)
	}
	base := idents[0]
	for i := 0; i < 4; i++ { // typedef chains are short
		if a, ok := h.aliases[base]; ok {
			base = a
		}
	}
	switch {
	case stars > 0:
		return cType{class: "pointer", spelled: spelled}, nil
	case h.isCallback(base):
		return cType{class: "callback", callback: base, spelled: spelled}, nil
	case scalarClass[base] != "" && scalarClass[base] != "char" && scalarClass[base] != "uint8":
		return cType{class: scalarClass[base], spelled: spelled}, nil
	case h.structs[base]:
		return cType{class: "struct " + base, spelled: spelled}, nil
	}
	return cType{}, fmt.Errorf("unknown C type %q", spelled)
}

func (h *cHeader) isCallback(name string) bool {
	_, ok := h.callbacks[name]
	return ok
}

// parseArgs reads a parameter list ("void" or empty is none).
func (h *cHeader) parseArgs(list string) ([]cType, error) {
	list = strings.TrimSpace(list)
	if list == "" || list == "void" {
		return []cType{}, nil
	}
	var out []cType
	for _, p := range strings.Split(list, ",") {
		t, err := h.parseCType(p, true)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

var (
	cComment    = regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`)
	cPreproc    = regexp.MustCompile(`(?m)^\s*#.*$`)
	cCallbackTD = regexp.MustCompile(`^typedef (.+?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)$`)
	cStructTD   = regexp.MustCompile(`^typedef struct (?:\w+ )?\{.*\} (\w+)$`)
	cAliasTD    = regexp.MustCompile(`^typedef (\w+) (\w+)$`)
	cFunc       = regexp.MustCompile(`^(.+?)\b(cx_\w+)\s*\((.*)\)$`)
)

// parseHeader reads the exported prototypes (cx_*) and typedefs of a C header.
func parseHeader(src string) (*cHeader, error) {
	src = cComment.ReplaceAllString(src, " ")
	src = cPreproc.ReplaceAllString(src, " ")
	src = strings.ReplaceAll(src, `extern "C" {`, " ")
	h := &cHeader{funcs: map[string]proto{}, callbacks: map[string]proto{}, aliases: map[string]string{}, structs: map[string]bool{}}
	var stmts []string
	depth, start := 0, 0
	for i, r := range src {
		switch {
		case r == '{':
			depth++
		case r == '}' && depth > 0:
			depth--
		case r == '}': // the close of extern "C": ends nothing
			start = i + 1
		case r == ';' && depth == 0:
			stmts = append(stmts, strings.Join(strings.Fields(src[start:i]), " "))
			start = i + 1
		}
	}
	// Typedefs first: the prototypes use them.
	for _, s := range stmts {
		if m := cStructTD.FindStringSubmatch(s); m != nil {
			h.structs[m[1]] = true
		} else if m := cAliasTD.FindStringSubmatch(s); m != nil {
			h.aliases[m[2]] = m[1]
		}
	}
	for _, s := range stmts {
		if m := cCallbackTD.FindStringSubmatch(s); m != nil {
			h.callbacks[m[2]] = proto{} // its name is a type before its signature is read
		}
	}
	for _, s := range stmts {
		var name, ret, args string
		if m := cCallbackTD.FindStringSubmatch(s); m != nil {
			name, ret, args = m[2], m[1], m[3]
		} else if m := cFunc.FindStringSubmatch(s); m != nil && !strings.HasPrefix(s, "typedef") {
			name, ret, args = m[2], m[1], m[3]
		} else {
			continue
		}
		rt, err := h.parseCType(ret, false)
		if err != nil {
			return nil, fmt.Errorf("%s: result: %w", name, err)
		}
		at, err := h.parseArgs(args)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if strings.HasPrefix(s, "typedef") {
			h.callbacks[name] = proto{ret: rt, args: at}
		} else {
			h.funcs[name] = proto{ret: rt, args: at}
		}
	}
	if len(h.funcs) == 0 {
		return nil, fmt.Errorf("no cx_ function prototype found")
	}
	return h, nil
}

// compareProto reports how a binding's declaration of fn differs from the
// header's prototype (callbacks by name, their signatures separately).
func compareProto(h *cHeader, fn string, got proto) []string {
	want, ok := h.funcs[fn]
	if !ok {
		// koffi.proto('void cx_done_fn(...)') declares a callback type by its typedef's name.
		if want, ok = h.callbacks[fn]; !ok {
			return []string{"declared, but include/cxreports.h has no such function"}
		}
	}
	var diffs []string
	if len(got.args) != len(want.args) {
		diffs = append(diffs, fmt.Sprintf("%d arguments; include/cxreports.h has %d", len(got.args), len(want.args)))
	} else {
		for i := range want.args {
			if !h.sameClass(got.args[i], want.args[i]) {
				diffs = append(diffs, fmt.Sprintf("argument %d is %s (%s); include/cxreports.h has %s (%s)",
					i+1, got.args[i].spelled, got.args[i].describe(), want.args[i].spelled, want.args[i].describe()))
			}
		}
	}
	if !h.sameClass(got.ret, want.ret) {
		diffs = append(diffs, fmt.Sprintf("result is %s (%s); include/cxreports.h has %s (%s)",
			got.ret.spelled, got.ret.describe(), want.ret.spelled, want.ret.describe()))
	}
	return diffs
}

// sameClass: the same ABI class. A binding's callback type matches the
// header's typedef when its signature does; koffi passes callbacks as plain
// pointers, which match any.
func (h *cHeader) sameClass(got, want cType) bool {
	if want.class != "callback" {
		return got.class == want.class
	}
	if got.class == "pointer" {
		return true
	}
	if got.class != "callback" || got.sig == nil {
		return false
	}
	td := h.callbacks[want.callback]
	if len(got.sig.args) != len(td.args) || !h.sameClass(got.sig.ret, td.ret) {
		return false
	}
	for i := range td.args {
		if !h.sameClass(got.sig.args[i], td.args[i]) {
			return false
		}
	}
	return true
}

func (t cType) describe() string {
	if t.class == "callback" && t.callback != "" {
		return "callback " + t.callback
	}
	return t.class
}

func checkFFI(root string) []Problem {
	src, p := readFile(root, header)
	if p != nil {
		return []Problem{*p}
	}
	h, err := parseHeader(src)
	if err != nil {
		return []Problem{{File: header, Msg: "cannot read the prototypes: " + err.Error()}}
	}
	var probs []Problem
	probs = append(probs, checkCtypes(h, root)...)
	probs = append(probs, checkKoffi(h, root)...)
	probs = append(probs, checkJNA(h, root)...)
	return probs
}
