package main

import (
	"maps"
	"regexp"
	"slices"
)

// The Node binding's methods come from its METHODS table in lib/client.js
// (positional parameters and options chosen for JavaScript), so it is checked,
// not generated: each table method has its Node name there, mapped to the C
// method with the table's kind as result kind; each of its arguments has a
// Node name in C_ARGS (or FILTER, getReports' group); index.d.ts declares it.

const (
	nodeClient = "bindings/node/lib/client.js"
	nodeTypes  = "bindings/node/index.d.ts"
)

var (
	nodeEntry = regexp.MustCompile(`(?m)^\s*(\w+):\s*\{\s*method:\s*'(\w+)'[^}]*?\bresult:\s*'(\w+)'`)
	nodeCArg  = regexp.MustCompile(`:\s*'(\w+)'`)
	tsMethod  = regexp.MustCompile(`(?m)^\s+(\w+)\(`)
)

type nodeSpec struct{ method, result string }

func checkNode(t *Table, root string) []Problem {
	var probs []Problem
	src, p := readFile(root, nodeClient)
	if p != nil {
		return []Problem{*p}
	}
	specs := map[string]nodeSpec{}
	for _, m := range nodeEntry.FindAllStringSubmatch(braceBlock(src, "const METHODS = {"), -1) {
		specs[m[1]] = nodeSpec{method: m[2], result: m[3]}
	}
	cArgs := map[string]bool{}
	for _, block := range []string{braceBlock(src, "const C_ARGS = {"), braceBlock(src, "const FILTER = {")} {
		for _, m := range nodeCArg.FindAllStringSubmatch(block, -1) {
			cArgs[m[1]] = true
		}
	}
	types, p := readFile(root, nodeTypes)
	if p != nil {
		return append(probs, *p)
	}
	declared := map[string]bool{}
	for _, m := range tsMethod.FindAllStringSubmatch(braceBlock(types, "export declare class CxReportsClient {"), -1) {
		declared[m[1]] = true
	}
	inTable := map[string]bool{}
	for _, m := range t.Methods {
		name := m.Names.Node
		inTable[name] = true
		spec, ok := specs[name]
		want := bindingKind("node", m.Kind)
		switch {
		case !ok:
			probs = append(probs, Problem{File: nodeClient, Method: m.Name,
				Msg: "METHODS has no entry " + name + ": add { method: '" + m.Name + "', ..., result: '" + want + "' } (see docs/adding-an-endpoint.md)"})
		case spec.method != m.Name:
			probs = append(probs, Problem{File: nodeClient, Method: m.Name,
				Msg: "METHODS maps " + name + " to '" + spec.method + "', not '" + m.Name + "'"})
		case spec.result != want:
			probs = append(probs, Problem{File: nodeClient, Method: m.Name,
				Msg: "METHODS gives " + name + " the result kind '" + spec.result + "'; the table's kind " + m.Kind + " is '" + want + "' in Node"})
		}
		for _, a := range exposedArgs(m) {
			if !cArgs[a.Name] {
				probs = append(probs, Problem{File: nodeClient, Method: m.Name,
					Msg: "C_ARGS gives the argument " + a.Name + " no Node name"})
			}
		}
		if !declared[name] {
			probs = append(probs, Problem{File: nodeTypes, Method: m.Name, Msg: "class CxReportsClient does not declare " + name})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		if !inTable[name] {
			probs = append(probs, Problem{File: nodeClient, Method: specs[name].method, Msg: "METHODS has " + name + ", which the table lacks"})
		}
	}
	return probs
}
