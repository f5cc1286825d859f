package core

import (
	"bytes"
	"fmt"
	"path/filepath"

	json "github.com/goccy/go-json"
)

// ParseBatchItem reads one batch item in the JSON form every layer shares (a line
// of `cxreports batch`, an element of the C ABI's render_batch items):
//
//	{"report": id or code, "output": "path", "params": {...}, "data": ...,
//	 "format": "pdf", "theme": id or code, "template": id or code, "workspace": id or code}
//
// report and output are required; unknown members are an error, so a typo does not
// silently render the wrong thing. With dir set, output must be a relative path
// that stays under dir, and the item's Output is joined to it. Errors are
// invalid_input *Errors that say what is wrong with the item.
func ParseBatchItem(raw []byte, dir string) (BatchItem, error) {
	var in struct {
		Report    Ref             `json:"report"`
		Output    *string         `json:"output"`
		Params    json.RawMessage `json:"params"`
		Data      json.RawMessage `json:"data"`
		Format    *string         `json:"format"`
		Theme     Ref             `json:"theme"`
		Template  Ref             `json:"template"`
		Workspace Ref             `json:"workspace"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return BatchItem{}, inputError("not a batch item (a JSON object with report, output and optional params, data, format, theme, template, workspace): %v", err)
	}
	if !in.Report.IsSet() {
		return BatchItem{}, inputError(`"report" is missing: give a report id or a report-type code`)
	}
	if in.Output == nil || *in.Output == "" {
		return BatchItem{}, inputError(`"output" is missing: give the path of the file to write`)
	}
	it := BatchItem{Report: in.Report, Workspace: in.Workspace, Output: *in.Output,
		Theme: in.Theme.String(), Template: in.Template.String()}
	if dir != "" {
		if !filepath.IsLocal(it.Output) {
			return BatchItem{}, inputError(`"output" must be a relative path that stays under %s, got %q`, dir, it.Output)
		}
		it.Output = filepath.Join(dir, it.Output)
	}
	if in.Format != nil {
		it.Format = *in.Format
	}
	for _, m := range []struct {
		raw json.RawMessage
		dst *any
	}{{in.Params, &it.Params}, {in.Data, &it.Data}} {
		if len(m.raw) > 0 && string(m.raw) != "null" {
			*m.dst = m.raw
		}
	}
	if it.Params != nil && !bytes.HasPrefix(bytes.TrimSpace(in.Params), []byte("{")) {
		return BatchItem{}, inputError(`"params" must be a JSON object, got %s`, fmt.Sprintf("%.20s", in.Params))
	}
	return it, nil
}
