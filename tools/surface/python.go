package main

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// The Python binding is hand-written and idiomatic (the official client's
// positional order and defaults), so it is checked, not generated: every table
// method is a method of ClientMethods in _methods.py that takes each argument
// and hands the call to _invoke under the table's name and kind, and aio.pyi
// declares it for the async client.

const (
	pyMethods = "bindings/python/cxreports/_methods.py"
	pyStub    = "bindings/python/cxreports/aio.pyi"
	// regenStub says how to rewrite aio.pyi (its generator imports the package,
	// which loads the library).
	regenStub = "run make generate (it rewrites aio.pyi with bindings/python/tools/gen_aio_stub.py)"
)

// pyDef is one method of a Python class: its parameter names and its body.
type pyDef struct {
	params map[string]bool
	body   string
}

var (
	pyDefLine = regexp.MustCompile(`(?m)^    (?:async )?def (\w+)\(`)
	topLevel  = regexp.MustCompile(`(?m)^[^\s#]`)
)

// pyDefs reads the methods defined at class level (four spaces in) of the
// class whose header starts with classLine.
func pyDefs(src, classLine string) map[string]pyDef {
	defs := map[string]pyDef{}
	i := strings.Index(src, classLine)
	if i < 0 {
		return defs
	}
	src = src[i:]
	if nl := strings.Index(src, "\n"); nl >= 0 {
		if j := topLevel.FindStringIndex(src[nl+1:]); j != nil {
			src = src[:nl+1+j[0]] // up to the next top-level statement
		}
	}
	locs := pyDefLine.FindAllStringSubmatchIndex(src, -1)
	for k, loc := range locs {
		end := len(src)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		name := src[loc[2]:loc[3]]
		sig, rest := balanced(src[loc[1]-1 : end])
		defs[name] = pyDef{params: pyParams(sig), body: rest}
	}
	return defs
}

// walkBrackets calls fn with each rune of s and the depth of the brackets
// (those in open and close) around it, a closing bracket at the depth it
// closes to; fn returns false to stop.
func walkBrackets(s, open, close string, fn func(i int, r rune, depth int) bool) {
	depth := 0
	for i, r := range s {
		if strings.ContainsRune(close, r) {
			depth--
		}
		if !fn(i, r, depth) {
			return
		}
		if strings.ContainsRune(open, r) {
			depth++
		}
	}
}

// balanced splits s, which starts with "(", after its matching ")": the text
// inside, and the rest.
func balanced(s string) (inside, rest string) {
	inside, rest = s, ""
	walkBrackets(s, "([{", ")]}", func(i int, r rune, depth int) bool {
		if depth == 0 && i > 0 {
			inside, rest = s[1:i], s[i+1:]
			return false
		}
		return true
	})
	return inside, rest
}

// splitTop splits s at the commas outside brackets.
func splitTop(s string) []string {
	var parts []string
	start := 0
	walkBrackets(s, "([{", ")]}", func(i int, r rune, depth int) bool {
		if r == ',' && depth == 0 {
			parts = append(parts, s[start:i])
			start = i + 1
		}
		return true
	})
	return append(parts, s[start:])
}

var pyIdent = regexp.MustCompile(`^\*{0,2}(\w+)`)

// pyParams are the parameter names of a signature, self and * left out.
func pyParams(sig string) map[string]bool {
	names := map[string]bool{}
	for _, p := range splitTop(sig) {
		if m := pyIdent.FindStringSubmatch(strings.TrimSpace(p)); m != nil && m[1] != "self" {
			names[m[1]] = true
		}
	}
	return names
}

// pyInvoke finds `self._invoke("name", args[, "kind"]...)` in a method body:
// the C method it calls and the kind ("json" when none is passed).
func pyInvoke(body string) (method, kind string, ok bool) {
	i := strings.Index(body, "self._invoke(")
	if i < 0 {
		return "", "", false
	}
	inside, _ := balanced(body[i+len("self._invoke"):])
	args := splitTop(inside)
	unquote := func(s string) string {
		s = strings.TrimSpace(s)
		if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
			return s[1 : len(s)-1]
		}
		return ""
	}
	method, kind = unquote(args[0]), "json"
	for i, a := range args {
		a = strings.TrimSpace(a)
		switch {
		case strings.HasPrefix(a, "kind="):
			kind = unquote(strings.TrimPrefix(a, "kind="))
		case i == 2 && !strings.Contains(a, "="):
			kind = unquote(a)
		}
	}
	return method, kind, method != ""
}

func checkPython(t *Table, root string) []Problem {
	var probs []Problem
	src, p := readFile(root, pyMethods)
	if p != nil {
		return []Problem{*p}
	}
	defs := pyDefs(src, "class ClientMethods")
	stubSrc, p := readFile(root, pyStub)
	if p != nil {
		return append(probs, *p)
	}
	stub := pyDefs(stubSrc, "class AsyncCxReportClientV1")
	inTable := map[string]bool{}
	for _, m := range t.Methods {
		name := m.Names.Python
		inTable[name] = true
		d, ok := defs[name]
		if !ok {
			probs = append(probs, Problem{File: pyMethods, Method: m.Name,
				Msg: "ClientMethods has no method " + name + ": write it (see docs/adding-an-endpoint.md)"})
		} else {
			called, kind, ok := pyInvoke(d.body)
			want := bindingKind("python", m.Kind)
			switch {
			case !ok || called != m.Name:
				probs = append(probs, Problem{File: pyMethods, Method: m.Name,
					Msg: name + " does not call self._invoke(\"" + m.Name + "\", ...)"})
			case kind != want:
				probs = append(probs, Problem{File: pyMethods, Method: m.Name,
					Msg: name + " passes _invoke the kind \"" + kind + "\"; the table's kind " + m.Kind + " is \"" + want + "\" in Python"})
			}
			for _, a := range exposedArgs(m) {
				if !d.params[a.Name] {
					probs = append(probs, Problem{File: pyMethods, Method: m.Name, Msg: name + " has no parameter " + a.Name})
				}
			}
		}
		s, ok := stub[name]
		if !ok {
			probs = append(probs, Problem{File: pyStub, Method: m.Name,
				Msg: "AsyncCxReportClientV1 does not declare " + name + ": " + regenStub})
			continue
		}
		for _, a := range exposedArgs(m) {
			if !s.params[a.Name] {
				probs = append(probs, Problem{File: pyStub, Method: m.Name,
					Msg: name + " has no parameter " + a.Name + ": " + regenStub})
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(defs)) {
		if !strings.HasPrefix(name, "_") && !inTable[name] {
			probs = append(probs, Problem{File: pyMethods, Method: name, Msg: "ClientMethods has " + name + ", which the table lacks"})
		}
	}
	return probs
}
