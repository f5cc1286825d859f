package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// The CLI's subcommands are written for a shell, not one per method, so they
// are checked, not generated: cmd/cxreports/surface.go declares which methods
// each subcommand does the work of (commandMethods) and which have none
// (notCommands, with reasons); every table method must be in exactly one.

const cliTable = "cmd/cxreports/surface.go"

// cliTables reads the two tables from the Go source: the method names in the
// values of commandMethods, and the keys of notCommands.
func cliTables(src string) (commands map[string][]string, not map[string]bool, err error) {
	f, err := parser.ParseFile(token.NewFileSet(), cliTable, src, 0)
	if err != nil {
		return nil, nil, err
	}
	commands, not = map[string][]string{}, map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			return true
		}
		lit, ok := vs.Values[0].(*ast.CompositeLit)
		if !ok {
			return true
		}
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key := stringLit(kv.Key)
			switch vs.Names[0].Name {
			case "commandMethods":
				if list, ok := kv.Value.(*ast.CompositeLit); ok {
					for _, m := range list.Elts {
						commands[stringLit(m)] = append(commands[stringLit(m)], key)
					}
				}
			case "notCommands":
				not[key] = true
			}
		}
		return true
	})
	return commands, not, nil
}

func stringLit(e ast.Expr) string {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		if s, err := strconv.Unquote(b.Value); err == nil {
			return s
		}
	}
	return ""
}

func checkCLI(t *Table, root string) []Problem {
	src, p := readFile(root, cliTable)
	if p != nil {
		return []Problem{*p}
	}
	commands, not, err := cliTables(src)
	if err != nil {
		return []Problem{{File: cliTable, Msg: err.Error()}}
	}
	var probs []Problem
	inTable := map[string]bool{}
	for _, m := range t.Methods {
		inTable[m.Name] = true
		cmds, isCmd := commands[m.Name]
		switch {
		case !isCmd && !not[m.Name]:
			probs = append(probs, Problem{File: cliTable, Method: m.Name,
				Msg: "no subcommand in commandMethods does its work, and notCommands does not list it (with the reason)"})
		case isCmd && not[m.Name]:
			probs = append(probs, Problem{File: cliTable, Method: m.Name,
				Msg: "in commandMethods (" + strings.Join(cmds, ", ") + ") and in notCommands: keep one"})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		if !inTable[name] {
			probs = append(probs, Problem{File: cliTable, Method: name, Msg: "commandMethods names a method the table lacks"})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(not)) {
		if !inTable[name] {
			probs = append(probs, Problem{File: cliTable, Method: name, Msg: "notCommands names a method the table lacks"})
		}
	}
	return probs
}
