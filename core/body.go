package core

import "bytes"

// objectBody encodes a caller's request body (nil, a map, a struct or
// json.RawMessage) the way Python's requests does for json=: json.dumps text with
// the caller's key order. nil and null become {}. defaults are appended, in order,
// for keys the caller did not set; the caller's value is never modified.
func objectBody(what string, body any, defaults ...[2]string) ([]byte, error) {
	raw, err := toRawJSON(body)
	if err != nil {
		return nil, inputError("%s cannot be encoded as JSON: %v", what, err)
	}
	switch jsonKind(raw) {
	case 'n':
		raw = []byte("{}")
	case '{':
	default:
		return nil, inputError("%s must be a JSON object, got %s", what, kindName(jsonKind(raw)))
	}
	keys, _, err := objectMembers(raw)
	if err != nil {
		return nil, inputError("%s is not valid JSON: %v", what, err)
	}
	out, err := reencode(raw, pyStyle)
	if err != nil {
		return nil, inputError("%s is not valid JSON: %v", what, err)
	}
	present := make(map[string]bool, len(keys))
	for _, k := range keys {
		present[k] = true
	}
	var extra bytes.Buffer
	for _, d := range defaults {
		if present[d[0]] || d[1] == "" {
			continue
		}
		if len(keys) > 0 || extra.Len() > 0 {
			extra.WriteString(pyStyle.itemSep)
		}
		writeString(&extra, d[0], true)
		extra.WriteString(pyStyle.keySep)
		writeString(&extra, d[1], true)
	}
	if extra.Len() == 0 {
		return out, nil
	}
	res := make([]byte, 0, len(out)+extra.Len())
	res = append(res, out[:len(out)-1]...)
	res = append(res, extra.Bytes()...)
	return append(res, '}'), nil
}

// renderBody is the body of post_pdf and start_report_export: format defaults to
// "pdf" (as in the official client), timezone to Config.DefaultTimezone.
func (c *Client) renderBody(body any) ([]byte, error) {
	return objectBody("the request body", body, [2]string{"timezone", c.tz}, [2]string{"format", "pdf"})
}

// rawValue encodes any JSON value in Python's json.dumps style.
func rawValue(what string, v any) ([]byte, error) {
	raw, err := toRawJSON(v)
	if err != nil {
		return nil, inputError("%s cannot be encoded as JSON: %v", what, err)
	}
	out, err := reencode(raw, pyStyle)
	if err != nil {
		return nil, inputError("%s is not valid JSON: %v", what, err)
	}
	return out, nil
}
