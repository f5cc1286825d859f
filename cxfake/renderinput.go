package cxfake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// renderInput is what a render call (get_pdf, post_pdf, an export, the preview page)
// asked for, from the query string or from the JSON body.
type renderInput struct {
	Params             json.RawMessage // compact JSON object as sent, nil when absent
	Data               json.RawMessage // compact JSON as sent, nil when absent
	TempDataID         string          // as the client gave it (an int server writes the number it read)
	HasTempData        bool
	Lang               string
	Timezone           string
	Theme              string
	Template           string
	Format             string
	IncludeAttachments *bool
	ExcludePages       []int64
	Nonce              string

	// Render controls read from inside params.
	sizeBytes int64
	delay     time.Duration
	fail      string
}

// inputError is a client mistake: the handler answers it with its status and text.
type inputError struct {
	status int
	msg    string
}

func (e *inputError) Error() string { return e.msg }

func badInput(format string, args ...any) error {
	return &inputError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// formats maps the accepted format values to their content type and file extension.
var formats = map[string]struct{ contentType, ext string }{
	"pdf":  {"application/pdf", "pdf"},
	"docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
	"xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
	"pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
	"html": {"text/html; charset=utf-8", "html"},
}

// parseQueryInput reads the get_pdf / preview query: params as base64url JSON
// (padded or not) or plain JSON text, data as JSON text, booleans as Python's
// True/False or JSON's true/false; ids is the server's id style, for tempDataId.
func parseQueryInput(rawQuery string, ids IDStyle) (*renderInput, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, badInput("malformed query string: %v", err)
	}
	in := &renderInput{}
	if v, ok := first(q, "params"); ok {
		p, err := decodeParamsText(v)
		if err != nil {
			return nil, err
		}
		in.Params = p
	}
	if v, ok := first(q, "data"); ok {
		d, err := compactJSON([]byte(v))
		if err != nil {
			return nil, badInput("query parameter data is not JSON text: %v", err)
		}
		in.Data = d
	}
	if v, ok := first(q, "tempDataId"); ok {
		if in.TempDataID, err = tempDataRef(v, ids); err != nil {
			return nil, err
		}
		in.HasTempData = true
	}
	in.Lang, _ = first(q, "lang")
	in.Timezone, _ = first(q, "timezone")
	in.Theme, _ = first(q, "theme")
	in.Template, _ = first(q, "template")
	in.Nonce, _ = first(q, "nonce")
	in.Format, _ = first(q, "format")
	if v, ok := first(q, "includeAttachments"); ok {
		b, err := parseBool(v)
		if err != nil {
			return nil, err
		}
		in.IncludeAttachments = &b
	}
	for _, v := range q["excludePages"] {
		pages, err := parsePages(v)
		if err != nil {
			return nil, err
		}
		in.ExcludePages = append(in.ExcludePages, pages...)
	}
	return in, in.finish()
}

// bodyInput is the JSON body of post_pdf and start_report_export. Fields are raw so
// that a wrong type gets a precise message instead of a generic decode error.
type bodyInput struct {
	Params             json.RawMessage `json:"params"`
	Data               json.RawMessage `json:"data"`
	TempDataID         json.RawMessage `json:"tempDataId"`
	Lang               *string         `json:"lang"`
	Timezone           *string         `json:"timezone"`
	Format             *string         `json:"format"`
	IncludeAttachments *bool           `json:"includeAttachments"`
	ExcludePages       []int64         `json:"excludePages"`
	Theme              json.RawMessage `json:"theme"`
	Template           json.RawMessage `json:"template"`
}

// parseBodyInput reads a render body; an empty body is the empty object. ids is
// the server's id style, for tempDataId.
func parseBodyInput(body []byte, ids IDStyle) (*renderInput, error) {
	obj, err := jsonObject(body, "request body")
	if err != nil {
		return nil, err
	}
	var b bodyInput
	if err := json.Unmarshal(obj, &b); err != nil {
		return nil, badInput("request body has a field of the wrong type: %v", err)
	}
	in := &renderInput{IncludeAttachments: b.IncludeAttachments, ExcludePages: b.ExcludePages}
	if isSet(b.Params) {
		if b.Params[0] == '"' {
			// Some clients send params as text (JSON or base64url), as in the query.
			var text string
			_ = json.Unmarshal(b.Params, &text)
			if in.Params, err = decodeParamsText(text); err != nil {
				return nil, err
			}
		} else if b.Params[0] != '{' {
			return nil, badInput("params must be a JSON object, got %s", abbreviate(string(b.Params)))
		} else {
			in.Params, _ = compactJSON(b.Params)
		}
	}
	if isSet(b.Data) {
		in.Data, _ = compactJSON(b.Data)
	}
	if isSet(b.TempDataID) {
		if in.TempDataID, err = bodyTempDataRef(b.TempDataID, ids); err != nil {
			return nil, err
		}
		in.HasTempData = true
	}
	in.Lang, in.Timezone, in.Format = deref(b.Lang), deref(b.Timezone), deref(b.Format)
	if in.Theme, err = idOrCode(b.Theme, "theme"); err != nil {
		return nil, err
	}
	if in.Template, err = idOrCode(b.Template, "template"); err != nil {
		return nil, err
	}
	return in, in.finish()
}

// bodyTempDataRef reads the tempDataId of a JSON body: a number or a string. A
// guid server takes a number as the text it spells, an id it never handed out.
func bodyTempDataRef(raw json.RawMessage, ids IDStyle) (string, error) {
	var n int64
	var text string
	var num json.Number
	switch {
	case json.Unmarshal(raw, &text) == nil:
		return tempDataRef(text, ids)
	case ids == IntIDs && json.Unmarshal(raw, &n) == nil:
		return strconv.FormatInt(n, 10), nil
	case ids == GUIDIDs && json.Unmarshal(raw, &num) == nil:
		return num.String(), nil
	case ids == GUIDIDs:
		return "", badInput("tempDataId must be a GUID string, got %s", abbreviate(string(raw)))
	}
	return "", badInput("tempDataId must be an integer, got %s", abbreviate(string(raw)))
}

// finish validates the format and reads the render controls out of params.
func (in *renderInput) finish() error {
	in.Format = strings.ToLower(strings.TrimSpace(in.Format))
	if in.Format == "" {
		in.Format = "pdf"
	}
	if _, ok := formats[in.Format]; !ok {
		return badInput("unknown format %q (use pdf, docx, xlsx, pptx or html)", in.Format)
	}
	if in.Params == nil {
		return nil
	}
	var controls struct {
		Size  *json.Number     `json:"fakeSizeBytes"`
		Delay *json.Number     `json:"fakeDelayMs"`
		Fail  *json.RawMessage `json:"fakeFail"`
	}
	dec := json.NewDecoder(bytes.NewReader(in.Params))
	dec.UseNumber()
	if err := dec.Decode(&controls); err != nil {
		return badInput("params.fakeSizeBytes and params.fakeDelayMs must be numbers, params.fakeFail a string: %v", err)
	}
	if controls.Size != nil {
		n, err := wholeNumber(*controls.Size, 1<<40)
		if err != nil {
			return badInput("params.fakeSizeBytes: %v", err)
		}
		in.sizeBytes = n
	}
	if controls.Delay != nil {
		n, err := wholeNumber(*controls.Delay, int64(time.Hour/time.Millisecond))
		if err != nil {
			return badInput("params.fakeDelayMs: %v", err)
		}
		in.delay = time.Duration(n) * time.Millisecond
	}
	if controls.Fail != nil && string(*controls.Fail) != "null" {
		if err := json.Unmarshal(*controls.Fail, &in.fail); err != nil {
			return badInput("params.fakeFail must be a string (the export's errorMessage)")
		}
	}
	return nil
}

func wholeNumber(n json.Number, limit int64) (int64, error) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f > float64(limit) {
		return 0, fmt.Errorf("must be a whole number from 0 to %d, got %s", limit, n)
	}
	return int64(f), nil
}

// decodeParamsText accepts plain JSON text or base64url (padded or not; standard
// base64 too) of a JSON object.
func decodeParamsText(v string) (json.RawMessage, error) {
	t := strings.TrimSpace(v)
	raw := []byte(t)
	if !strings.HasPrefix(t, "{") {
		var err error
		raw, err = decodeBase64(t)
		if err != nil {
			return nil, badInput("params is neither JSON nor base64url of JSON: %v", err)
		}
	}
	if p := bytes.TrimSpace(raw); len(p) == 0 || p[0] != '{' {
		return nil, badInput("params must be a JSON object, got %s", abbreviate(string(raw)))
	}
	p, err := compactJSON(raw)
	if err != nil {
		return nil, badInput("params is not valid JSON: %v", err)
	}
	return p, nil
}

func decodeBase64(t string) ([]byte, error) {
	var firstErr error
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		b, err := enc.DecodeString(t)
		if err == nil {
			return b, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// jsonObject checks that a body is one JSON object (empty means {}).
func jsonObject(body []byte, what string) ([]byte, error) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return []byte("{}"), nil
	}
	if !json.Valid(t) {
		var v any
		err := json.Unmarshal(t, &v)
		return nil, badInput("%s is not valid JSON: %v", what, err)
	}
	if t[0] != '{' {
		return nil, badInput("%s must be a JSON object, got %s", what, abbreviate(string(t)))
	}
	return t, nil
}

func compactJSON(b []byte) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, bytes.TrimSpace(b)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func idOrCode(raw json.RawMessage, what string) (string, error) {
	if !isSet(raw) {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		return strconv.FormatInt(n, 10), nil
	}
	return "", badInput("%s must be an id or a code, got %s", what, abbreviate(string(raw)))
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, badInput("includeAttachments must be True or False, got %q", v)
}

// parsePages reads "1,2" or "[1,2]".
func parsePages(v string) ([]int64, error) {
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "["), "]")
	var out []int64
	for _, part := range strings.Split(t, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, badInput("excludePages must be page numbers, got %q", v)
		}
		out = append(out, n)
	}
	return out, nil
}

func first(q url.Values, key string) (string, bool) {
	v := q[key]
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func isSet(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && string(t) != "null"
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
