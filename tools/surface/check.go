package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Problem is one place that does not follow the table.
type Problem struct {
	File   string // relative to the repository root
	Method string // the table method or the C function concerned, or "" (the whole file)
	Msg    string
}

func (p Problem) String() string {
	if p.Method == "" {
		return p.File + ": " + p.Msg
	}
	return p.File + ": " + p.Method + ": " + p.Msg
}

// Check compares everything written from or against the table with it: the
// generated blocks, each binding's hand-written methods, the CLI's table, and
// the FFI declarations of the bindings against the header's prototypes. It
// returns every problem found, in a stable order; none means in sync.
func Check(t *Table, root string) []Problem {
	var probs []Problem
	probs = append(probs, checkBlocks(t, root)...)
	probs = append(probs, checkPython(t, root)...)
	probs = append(probs, checkNode(t, root)...)
	probs = append(probs, checkJava(t, root)...)
	probs = append(probs, checkCLI(t, root)...)
	probs = append(probs, checkFFI(root)...)
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].File < probs[j].File })
	return probs
}

// readFile reads a file under root, turning a failure into a Problem.
func readFile(root, rel string) (string, *Problem) {
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		return "", &Problem{File: rel, Msg: err.Error()}
	}
	return string(b), nil
}

// exposedArgs are a method's arguments that a binding gives its callers: all
// but interrupt_fd, which the bindings set themselves (Python: its Ctrl-C pipe;
// Node cancels through cx_cancel instead).
func exposedArgs(m Method) []Arg {
	var out []Arg
	for _, a := range m.Args {
		if a.Name != "interrupt_fd" {
			out = append(out, a)
		}
	}
	return out
}

// braceBlock is the text inside the braces that open at the end of the first
// occurrence of start, or "" when start is absent. Only braces count: comments
// in the blocks read this way may hold a lone parenthesis.
func braceBlock(s, start string) string {
	i := strings.Index(s, start)
	if i < 0 || !strings.HasSuffix(start, "{") {
		return ""
	}
	s = s[i+len(start)-1:]
	inside := s
	walkBrackets(s, "{", "}", func(j int, r rune, depth int) bool {
		if depth == 0 && j > 0 {
			inside = s[1:j]
			return false
		}
		return true
	})
	return inside
}
