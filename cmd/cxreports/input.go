package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cxclient/cxreports/core"
	"github.com/spf13/pflag"
)

// ref reads an id or a code: digits are an id, anything else a code.
func ref(s string) core.Ref {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(n, 10) == s {
		return core.ID(n)
	}
	return core.Code(s)
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// readJSON reads a JSON document from a file, or standard input for "-".
func (a *app) readJSON(what, path string) (json.RawMessage, error) {
	var (
		b   []byte
		err error
	)
	if path == "-" {
		b, err = io.ReadAll(a.stdin)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, usagef("cannot read %s: %v", what, err)
	}
	b = bytes.TrimSpace(b)
	if !json.Valid(b) {
		return nil, usagef("%s (%s) is not valid JSON", what, path)
	}
	return b, nil
}

// paramFlags are a render command's report parameters: --param key=value pairs
// over a --params-json object.
type paramFlags struct {
	file  string
	pairs []string
}

func (p *paramFlags) register(f *pflag.FlagSet) {
	f.StringArrayVar(&p.pairs, "param", nil, "a report parameter key=value (repeatable)")
	f.StringVar(&p.file, "params-json", "", "report parameters: a JSON object in FILE, or - for standard input")
}

// params merges --params-json and --param k=v (which wins) into one object.
func (a *app) params(p paramFlags) (map[string]any, error) {
	file, pairs := p.file, p.pairs
	params := map[string]any{}
	if file != "" {
		raw, err := a.readJSON("--params-json", file)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &params); err != nil || params == nil {
			return nil, usagef("--params-json must hold a JSON object")
		}
	}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef("--param %q: use --param key=value", kv)
		}
		params[k] = v
	}
	return params, nil
}

// printJSON writes a JSON answer on its own line.
func (a *app) printJSON(raw []byte) {
	a.stdout.Write(bytes.TrimSpace(raw))
	io.WriteString(a.stdout, "\n")
}

// printRaw runs a call that honours core.RawJSON and prints the server's answer
// as it sent it (ids, floats and members nobody documented kept).
func (a *app) printRaw(call func(raw core.CallOption) error) error {
	var raw json.RawMessage
	if err := call(core.RawJSON(&raw)); err != nil {
		return err
	}
	a.printJSON(raw)
	return nil
}
