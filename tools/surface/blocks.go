package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// find returns the text's lines (each with its newline) and the indexes of
// the block's BEGIN and END marker lines.
func (b block) find(text string) (lines []string, begin, end int, err error) {
	lines = strings.SplitAfter(text, "\n")
	begin, end = -1, -1
	for i, l := range lines {
		l = strings.TrimRight(l, "\n")
		switch {
		case l == b.Begin && begin < 0:
			begin = i
		case l == b.End && begin >= 0 && end < 0:
			end = i
		}
	}
	if begin < 0 || end < 0 {
		return nil, 0, 0, fmt.Errorf("no generated block: the marker lines %q and %q must be in it (see docs/adding-an-endpoint.md)",
			b.Begin, b.End)
	}
	return lines, begin, end, nil
}

// splice returns text with the lines between the block's markers replaced by
// body (which ends in a newline, or is empty).
func (b block) splice(text, body string) (string, error) {
	lines, begin, end, err := b.find(text)
	if err != nil {
		return "", err
	}
	return strings.Join(lines[:begin+1], "") + body + strings.Join(lines[end:], ""), nil
}

// generate rewrites every generated block under root; it reports the files it
// changed, so a second run reports none.
func generate(t *Table, root string) (changed []string, err error) {
	for _, b := range blocks() {
		path := filepath.Join(root, b.File)
		old, err := os.ReadFile(path)
		if err != nil {
			return changed, err
		}
		text, err := b.splice(string(old), b.render(t))
		if err != nil {
			return changed, fmt.Errorf("%s: %w", b.File, err)
		}
		if text == string(old) {
			continue
		}
		if err := writeFileAtomic(path, []byte(text)); err != nil {
			return changed, err
		}
		changed = append(changed, b.File)
	}
	return changed, nil
}

// writeFileAtomic replaces path by way of a temporary file beside it, keeping
// its mode, so an interrupted run leaves the old file whole.
func writeFileAtomic(path string, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// checkBlocks reports each generated block that differs from what generate
// would write.
func checkBlocks(t *Table, root string) []Problem {
	var probs []Problem
	for _, b := range blocks() {
		old, err := os.ReadFile(filepath.Join(root, b.File))
		if err != nil {
			probs = append(probs, Problem{File: b.File, Msg: err.Error()})
			continue
		}
		text, err := b.splice(string(old), b.render(t))
		if err != nil {
			probs = append(probs, Problem{File: b.File, Msg: err.Error()})
			continue
		}
		if text != string(old) {
			probs = append(probs, staleBlock(t, b, string(old)))
		}
	}
	return probs
}

// staleBlock names what differs in a stale block: the methods whose line is
// missing or different, so the message says which method drifted.
func staleBlock(t *Table, b block, old string) Problem {
	have := map[string]bool{}
	if lines, begin, end, err := b.find(old); err == nil {
		for _, l := range lines[begin+1 : end] {
			have[l] = true
		}
	}
	var methods []string
	for _, l := range strings.SplitAfter(b.render(t), "\n") {
		if l != "" && !have[l] {
			if m := methodOfLine(t, l); m != "" {
				methods = append(methods, m)
			}
		}
	}
	msg := "the generated block is stale"
	if len(methods) > 0 {
		msg += " (" + strings.Join(methods, ", ") + ")"
	}
	return Problem{File: b.File, Method: strings.Join(methods, ", "), Msg: msg + ": run `make generate`"}
}

// methodOfLine is the table method a rendered line describes, if any.
func methodOfLine(t *Table, line string) string {
	for _, m := range t.Methods {
		if strings.HasPrefix(line, " *   "+m.Name+" ") || strings.HasPrefix(line, "| "+m.Name+" |") {
			return m.Name
		}
	}
	return ""
}
