package cxfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// writeJSON answers with v as JSON and an exact Content-Length, so the fault
// wrappers always know how long a body is.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // error texts quote <placeholders>; keep them readable
	err := enc.Encode(v)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		// Only the server's own types are marshalled; failing here is a bug in cxfake.
		b = []byte(`{"error":"cxfake: cannot encode response: ` + strings.ReplaceAll(err.Error(), `"`, `'`) + `"}`)
		status = http.StatusInternalServerError
	}
	writeBytes(w, status, "application/json; charset=utf-8", b)
}

// writeError answers with the {"error": "..."} body CxReports uses.
func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// bodyObject reads a handler's request body as one JSON object (empty means {})
// and answers a body that is not one itself; false means the handler is done.
func bodyObject(w http.ResponseWriter, c *call) ([]byte, bool) {
	obj, err := jsonObject(c.body, "request body")
	if err != nil {
		writeInputError(w, err)
		return nil, false
	}
	return obj, true
}

func writeBytes(w http.ResponseWriter, status int, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// contentDisposition builds an attachment header with both the plain filename
// (ASCII, quotes escaped) and the RFC 5987 UTF-8 form.
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\':
			ascii.WriteByte('_')
		case r < 0x20 || r > 0x7e:
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii.String(), rfc5987(name))
}

// rfc5987 percent-encodes every byte that is not an attr-char of RFC 5987.
func rfc5987(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
