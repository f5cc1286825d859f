package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// The Java binding's methods are written by hand in CxReportsClient.java (overloads
// for long and String ids, per-call CallOptions), so they are checked, not
// generated: Methods.java maps each table method's Java name (the table's "node"
// name) to the C method, its kind and whether it reports progress; C_ARGS gives
// every argument a Java name; CxReportsClient declares the method and its Async
// form, and every argument is a parameter of one of its overloads or an option of
// CallOptions (BatchOptions for renderBatch). NativeLib.java's JNA declarations
// are held to the header's prototypes.

const (
	javaDir     = "bindings/java/src/main/java/com/cxreports/"
	javaMethods = javaDir + "Methods.java"
	javaClient  = javaDir + "CxReportsClient.java"
	javaOptions = javaDir + "CallOptions.java"
	javaBatch   = javaDir + "BatchOptions.java"
	javaNative  = javaDir + "NativeLib.java"
)

var (
	javaEntry  = regexp.MustCompile(`(?m)^\s*m\("(\w+)",\s*"(\w+)",\s*"(\w+)",\s*(true|false)\);`)
	javaCArg   = regexp.MustCompile(`(?m)^\s*a\("(\w+)",\s*"(\w+)"\);`)
	javaPublic = regexp.MustCompile(`(?m)^\s*public\s+(?:static\s+)?[\w<>\[\], ?]+?\s+(\w+)\(([^)]*)\)\s*\{`)
	javaDecl   = regexp.MustCompile(`(?m)^\s*([\w.]+)\s+(cx_\w+)\(([^)]*)\);`)
)

type javaSpec struct {
	method, kind string
	progress     bool
}

// javaParams maps each public method name of src to the parameter names of all its overloads.
func javaParams(src string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, m := range javaPublic.FindAllStringSubmatch(src, -1) {
		if out[m[1]] == nil {
			out[m[1]] = map[string]bool{}
		}
		for _, p := range strings.Split(m[2], ",") {
			if f := strings.Fields(p); len(f) > 0 {
				out[m[1]][f[len(f)-1]] = true
			}
		}
	}
	return out
}

func checkJava(t *Table, root string) []Problem {
	var probs []Problem
	src, p := readFile(root, javaMethods)
	if p != nil {
		return []Problem{*p}
	}
	specs := map[string]javaSpec{}
	for _, m := range javaEntry.FindAllStringSubmatch(src, -1) {
		specs[m[1]] = javaSpec{method: m[2], kind: m[3], progress: m[4] == "true"}
	}
	cArgs := map[string]string{} // C name -> Java name
	for _, m := range javaCArg.FindAllStringSubmatch(src, -1) {
		cArgs[m[2]] = m[1]
	}
	client, p := readFile(root, javaClient)
	if p != nil {
		return append(probs, *p)
	}
	declared := javaParams(client)
	options := map[string]map[string]bool{}
	for _, f := range []string{javaOptions, javaBatch} {
		s, p := readFile(root, f)
		if p != nil {
			return append(probs, *p)
		}
		options[f] = map[string]bool{}
		for name := range javaParams(s) {
			options[f][name] = true
		}
	}
	inTable := map[string]bool{}
	for _, m := range t.Methods {
		name := m.Names.Node
		inTable[name] = true
		spec, ok := specs[name]
		switch {
		case !ok:
			probs = append(probs, Problem{File: javaMethods, Method: m.Name,
				Msg: fmt.Sprintf("has no entry m(%q, %q, %q, %v) (see docs/adding-an-endpoint.md)", name, m.Name, m.Kind, m.Progress)})
		case spec.method != m.Name:
			probs = append(probs, Problem{File: javaMethods, Method: m.Name,
				Msg: "maps " + name + " to \"" + spec.method + "\", not \"" + m.Name + "\""})
		case spec.kind != m.Kind:
			probs = append(probs, Problem{File: javaMethods, Method: m.Name,
				Msg: "gives " + name + " the kind \"" + spec.kind + "\"; the table's is \"" + m.Kind + "\""})
		case spec.progress != m.Progress:
			probs = append(probs, Problem{File: javaMethods, Method: m.Name,
				Msg: fmt.Sprintf("says %s reports progress: %v; the table says %v", name, spec.progress, m.Progress)})
		}
		opts := options[javaOptions]
		if m.Kind == "stream" {
			opts = options[javaBatch]
		}
		for _, a := range exposedArgs(m) {
			java, ok := cArgs[a.Name]
			if !ok {
				probs = append(probs, Problem{File: javaMethods, Method: m.Name, Msg: "C_ARGS gives the argument " + a.Name + " no Java name"})
				continue
			}
			if _, isMethod := declared[name]; isMethod && !declared[name][java] && !declared[name+"Async"][java] && !opts[java] {
				probs = append(probs, Problem{File: javaClient, Method: m.Name,
					Msg: "no overload of " + name + " has a parameter " + java + " (" + a.Name + ") and no options class has " + java + "()"})
			}
		}
		for _, want := range []string{name, name + "Async"} {
			if _, ok := declared[want]; !ok {
				probs = append(probs, Problem{File: javaClient, Method: m.Name, Msg: "class CxReportsClient does not declare " + want})
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		if !inTable[name] {
			probs = append(probs, Problem{File: javaMethods, Method: specs[name].method, Msg: "has " + name + ", which the table lacks"})
		}
	}
	return probs
}

// jnaClass is the ABI class of a JNA parameter or result type. Java's long is 64
// bits, the width of uint64_t, int64_t and (on the 64-bit Linux targets) size_t
// alike, so it matches any of them; every reference type travels as a pointer.
func jnaClass(t string) string {
	switch t {
	case "void":
		return "void"
	case "int":
		return "int32"
	case "long":
		return "any64"
	case "byte", "short", "boolean", "float", "double", "char":
		return t // types the header does not use: a declaration with one has drifted
	}
	return "pointer"
}

func jnaMatches(got string, want cType) bool {
	if got == "any64" {
		return want.class == "uint64" || want.class == "int64" || want.class == "size"
	}
	return got == want.class
}

// checkJNA holds the functions of NativeLib's interface Cx to the header.
func checkJNA(h *cHeader, root string) []Problem {
	src, p := readFile(root, javaNative)
	if p != nil {
		return []Problem{*p}
	}
	block := braceBlock(src, "interface Cx extends Library {")
	if block == "" {
		return []Problem{{File: javaNative, Msg: "has no interface Cx extends Library { ... }"}}
	}
	var probs []Problem
	for _, m := range javaDecl.FindAllStringSubmatch(block, -1) {
		ret, fn := m[1], m[2]
		want, ok := h.funcs[fn]
		if !ok {
			probs = append(probs, Problem{File: javaNative, Method: fn, Msg: "declared, but include/cxreports.h has no such function"})
			continue
		}
		var args []string
		for _, a := range strings.Split(m[3], ",") {
			if f := strings.Fields(a); len(f) > 0 {
				args = append(args, f[0])
			}
		}
		if len(args) != len(want.args) {
			probs = append(probs, Problem{File: javaNative, Method: fn,
				Msg: fmt.Sprintf("%d arguments; include/cxreports.h has %d", len(args), len(want.args))})
			continue
		}
		for i, a := range args {
			if c := jnaClass(a); !jnaMatches(c, want.args[i]) {
				probs = append(probs, Problem{File: javaNative, Method: fn,
					Msg: fmt.Sprintf("argument %d is %s (%s); include/cxreports.h has %s (%s)", i+1, a, c, want.args[i].spelled, want.args[i].describe())})
			}
		}
		if c := jnaClass(ret); !jnaMatches(c, want.ret) {
			probs = append(probs, Problem{File: javaNative, Method: fn,
				Msg: fmt.Sprintf("result is %s (%s); include/cxreports.h has %s (%s)", ret, c, want.ret.spelled, want.ret.describe())})
		}
	}
	return probs
}
