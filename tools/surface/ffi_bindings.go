package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Reading the bindings' declarations: ctypes assignments in _lib.py, koffi
// prototype strings in lib/native.js.

var (
	pyArgtypes  = regexp.MustCompile(`lib\.(cx_\w+)\.argtypes\s*=\s*\[`)
	pyRestype   = regexp.MustCompile(`lib\.(cx_\w+)\.restype\s*=\s*([\w.]+(?:\([^)]*\))?)`)
	pyCFunc     = regexp.MustCompile(`(?m)^(\w+)\s*=\s*(?:ctypes\.)?CFUNCTYPE\(`)
	pyClass     = regexp.MustCompile(`(?m)^class (\w+)\((?:ctypes\.)?(\w+)\)`)
	pyPointer   = regexp.MustCompile(`^(?:ctypes\.)?POINTER\(.*\)$`)
	koffiDecl   = regexp.MustCompile(`'([^'\n]*\bcx_\w+\s*\([^'\n]*\))'`)
	pyAlias     = regexp.MustCompile(`(?m)^(\w+)\s*=\s*((?:ctypes\.)?(?:POINTER\(.*\)|c_\w+))\s*$`)
	ctypesClass = map[string]string{
		"None": "void", "c_int": "int32", "c_int32": "int32", "c_uint64": "uint64", "c_size_t": "size",
		"c_void_p": "pointer", "c_char_p": "pointer",
		// Classes the header has no type of: declaring one is a drift to report.
		"c_uint": "uint32", "c_uint32": "uint32", "c_long": "int64", "c_int64": "int64", "c_longlong": "int64",
		"c_ulong": "uint64", "c_ssize_t": "ssize", "c_bool": "bool", "c_uint8": "uint8", "c_ubyte": "uint8",
		"c_char": "char", "c_double": "double", "c_float": "float",
	}
)

// pyTypes are the ctypes names _lib.py defines itself: CFUNCTYPE callback
// types (with their signatures) and classes derived from ctypes types.
type pyTypes struct {
	callbacks map[string]*proto
	classes   map[string]string // name -> ABI class
}

// ctype reads one ctypes expression (c_int, POINTER(c_void_p), DONE_FN, ...).
func (pt *pyTypes) ctype(expr string) (cType, error) {
	expr = strings.TrimSpace(expr)
	name := strings.TrimPrefix(expr, "ctypes.")
	switch {
	case pyPointer.MatchString(expr):
		return cType{class: "pointer", spelled: expr}, nil
	case ctypesClass[name] != "":
		return cType{class: ctypesClass[name], spelled: expr}, nil
	case pt.callbacks[name] != nil:
		return cType{class: "callback", sig: pt.callbacks[name], spelled: expr}, nil
	case pt.classes[name] != "":
		return cType{class: pt.classes[name], spelled: expr}, nil
	}
	return cType{}, fmt.Errorf("unknown ctypes type %s", expr)
}

func (pt *pyTypes) ctypeList(list string) ([]cType, error) {
	out := []cType{}
	for _, e := range splitTop(list) {
		if strings.TrimSpace(e) == "" {
			continue
		}
		t, err := pt.ctype(e)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func readPyTypes(src string) (*pyTypes, error) {
	pt := &pyTypes{callbacks: map[string]*proto{}, classes: map[string]string{}}
	for _, m := range pyClass.FindAllStringSubmatch(src, -1) {
		switch {
		case ctypesClass[m[2]] != "":
			pt.classes[m[1]] = ctypesClass[m[2]]
		case m[2] == "Structure":
			pt.classes[m[1]] = "struct " + m[1]
		}
	}
	for _, m := range pyAlias.FindAllStringSubmatch(src, -1) {
		if t, err := pt.ctype(m[2]); err == nil {
			pt.classes[m[1]] = t.class // EVENT_P = POINTER(CxEvent)
		}
	}
	for _, loc := range pyCFunc.FindAllStringSubmatchIndex(src, -1) {
		inside, _ := balanced(src[loc[1]-1:])
		types, err := pt.ctypeList(inside)
		if err != nil || len(types) == 0 {
			return nil, fmt.Errorf("callback type %s: %v", src[loc[2]:loc[3]], err)
		}
		pt.callbacks[src[loc[2]:loc[3]]] = &proto{ret: types[0], args: types[1:]}
	}
	return pt, nil
}

func checkCtypes(h *cHeader, root string) []Problem {
	src, p := readFile(root, pyLib)
	if p != nil {
		return []Problem{*p}
	}
	pt, err := readPyTypes(src)
	if err != nil {
		return []Problem{{File: pyLib, Msg: err.Error()}}
	}
	args := map[string][]cType{}
	rets := map[string]cType{}
	var probs []Problem
	for _, loc := range pyArgtypes.FindAllStringSubmatchIndex(src, -1) {
		fn := src[loc[2]:loc[3]]
		inside, _ := balanced(src[loc[1]-1:])
		types, err := pt.ctypeList(inside)
		if err != nil {
			probs = append(probs, Problem{File: pyLib, Method: fn, Msg: "argtypes: " + err.Error()})
			continue
		}
		args[fn] = types
	}
	for _, m := range pyRestype.FindAllStringSubmatch(src, -1) {
		t, err := pt.ctype(m[2])
		if err != nil {
			probs = append(probs, Problem{File: pyLib, Method: m[1], Msg: "restype: " + err.Error()})
			continue
		}
		rets[m[1]] = t
	}
	if len(args)+len(rets) == 0 {
		return append(probs, Problem{File: pyLib, Msg: "no ctypes declaration (lib.cx_NAME.argtypes / .restype) found to check"})
	}
	for _, fn := range slices.Sorted(maps.Keys(mergeKeys(args, rets))) {
		a, hasArgs := args[fn]
		r, hasRet := rets[fn]
		switch {
		case !hasArgs:
			probs = append(probs, Problem{File: pyLib, Method: fn, Msg: "restype without argtypes: ctypes would pass the arguments unchecked"})
			continue
		case !hasRet:
			r = cType{class: "int32", spelled: "(no restype: ctypes assumes c_int)"}
		}
		for _, d := range compareProto(h, fn, proto{ret: r, args: a}) {
			probs = append(probs, Problem{File: pyLib, Method: fn, Msg: d})
		}
	}
	return probs
}

func mergeKeys[A, B any](a map[string]A, b map[string]B) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func checkKoffi(h *cHeader, root string) []Problem {
	src, p := readFile(root, nodeNativ)
	if p != nil {
		return []Problem{*p}
	}
	var probs []Problem
	seen := 0
	for _, m := range koffiDecl.FindAllStringSubmatch(src, -1) {
		f := cFunc.FindStringSubmatch(strings.Join(strings.Fields(m[1]), " "))
		if f == nil {
			continue
		}
		seen++
		fn := f[2]
		ret, err := h.parseCType(f[1], false)
		if err != nil {
			probs = append(probs, Problem{File: nodeNativ, Method: fn, Msg: "result: " + err.Error()})
			continue
		}
		args, err := h.parseArgs(f[3])
		if err != nil {
			probs = append(probs, Problem{File: nodeNativ, Method: fn, Msg: err.Error()})
			continue
		}
		for _, d := range compareProto(h, fn, proto{ret: ret, args: args}) {
			probs = append(probs, Problem{File: nodeNativ, Method: fn, Msg: d})
		}
	}
	if seen == 0 {
		probs = append(probs, Problem{File: nodeNativ, Msg: "no koffi prototype ('... cx_NAME(...)') found to check"})
	}
	return probs
}
