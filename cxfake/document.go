package cxfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cxclient/cxreports/cxfake/pdf"
)

// A document is one rendered file: a PDF, or a small placeholder for the other
// formats. It is cheap to rebuild, so exports keep the inputs and render on download.
type document struct {
	filename    string
	contentType string
	pdf         *pdf.Doc // for format pdf
	other       []byte   // for the other formats
}

// documentText is the visible text of a render: what a test looks for to prove
// that its report, params and data reached the server. JSON is shown compact, as
// sent (key order kept), with non-ASCII characters as \uXXXX.
func documentText(title string, ws *workspace, in *renderInput, data json.RawMessage) []string {
	lines := []string{
		"CxReports fake render",
		title,
		fmt.Sprintf("Workspace: %s (id %d)", ws.Code, ws.ID),
		"Format: " + in.Format,
	}
	add := func(label, v string) {
		if v != "" {
			lines = append(lines, label+": "+v)
		}
	}
	add("Lang", in.Lang)
	add("Timezone", in.Timezone)
	add("Theme", in.Theme)
	add("Template", in.Template)
	if in.IncludeAttachments != nil {
		add("Include attachments", strconv.FormatBool(*in.IncludeAttachments))
	}
	if len(in.ExcludePages) > 0 {
		b, _ := json.Marshal(in.ExcludePages)
		add("Exclude pages", string(b))
	}
	if in.HasTempData {
		add("Temp data id", in.TempDataID)
	}
	lines = append(lines, "Params: "+orNull(in.Params), "Data: "+orNull(data))
	return lines
}

func orNull(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "null"
	}
	return string(raw)
}

// newDocument renders a request in the requested format: a PDF laid out as a
// report, else the request's text in a small placeholder.
func newDocument(baseName string, r *docRequest) *document {
	in := r.in
	f := formats[in.Format]
	d := &document{filename: baseName + "." + f.ext, contentType: f.contentType}
	if in.Format == "pdf" {
		d.pdf = renderPDF(r, in.sizeBytes)
		return d
	}
	text := r.text()
	var b bytes.Buffer
	if in.Format == "html" {
		b.WriteString("<!DOCTYPE html>\n<html><body><pre>\n")
		for _, l := range text {
			b.WriteString(htmlEscape(pdf.ASCII(l)) + "\n")
		}
		b.WriteString("</pre></body></html>\n")
	} else {
		fmt.Fprintf(&b, "cxfake placeholder %s file (not a real office document)\n", in.Format)
		for _, l := range text {
			b.WriteString(pdf.ASCII(l) + "\n")
		}
	}
	d.other = b.Bytes()
	return d
}

func (d *document) size() int64 {
	if d.pdf != nil {
		return d.pdf.Size()
	}
	return int64(len(d.other))
}

func (d *document) writeTo(w io.Writer) error {
	if d.pdf != nil {
		_, err := d.pdf.WriteTo(w)
		return err
	}
	_, err := w.Write(d.other)
	return err
}

// serve sends the document as a download with exact length and a filename.
func (d *document) serve(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Length", strconv.FormatInt(d.size(), 10))
	h.Set("Content-Disposition", contentDisposition(d.filename))
	w.WriteHeader(http.StatusOK)
	_ = d.writeTo(w) // a write error means the client left; nothing to tell it
}

// htmlEscape escapes text content. Quotes stay as they are (they need no escaping
// outside attributes), so a test can search a page for JSON such as "key":1.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
