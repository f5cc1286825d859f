package core

import (
	"context"
	"io"
	"strings"

	json "github.com/goccy/go-json"
)

// pdfQueryURL builds {base}/api/v1/ws/{ws}/reports/{id}/pdf?<query>. Like the
// official client it always appends '?', even to an empty query (messages do not
// show it). A URL over MaxURLLength is an invalid_input error.
func (c *Client) pdfQueryURL(report Ref, q Query, opts []CallOption) (string, error) {
	u, err := c.reportURL(report, "pdf", opts)
	if err != nil {
		return "", err
	}
	return c.withQuery(u, c.renderQuery(q), "the URL of GET")
}

// reportURL is {base}/api/v1/ws/{ws}/reports/{id}/{what}.
func (c *Client) reportURL(report Ref, what string, opts []CallOption) (string, error) {
	id, err := report.segment("report")
	if err != nil {
		return "", err
	}
	return c.wsURL(opts, "reports", id, what)
}

// renderQuery applies Config.DefaultTimezone to a render query without timezone.
func (c *Client) renderQuery(q Query) Query {
	if c.tz != "" && !q.has("timezone") {
		return q.With("timezone", c.tz)
	}
	return q
}

// PDFURL returns the GET URL of a report's PDF (the download URL builder of the
// other official clients). It does no network call and holds no token: the
// fetcher must send the Authorization header itself.
func (c *Client) PDFURL(report Ref, q Query, opts ...CallOption) (string, error) {
	u, err := c.pdfQueryURL(report, q, opts)
	if err != nil {
		return "", err
	}
	return u, nil
}

func (c *Client) getPDFCall(report Ref, q Query, opts []CallOption) (binaryCall, error) {
	u, err := c.pdfQueryURL(report, q, opts)
	if err != nil {
		return binaryCall{}, err
	}
	return newBinaryCall(call{method: "GET", url: u}, wantsPDF(q.Get("format")), opts), nil
}

// GetPDF renders a report with its parameters in the URL and returns the PDF
// (get_pdf). Theme and template overrides are the "theme"/"template" keys of q.
func (c *Client) GetPDF(ctx context.Context, report Ref, q Query, opts ...CallOption) ([]byte, error) {
	bc, err := c.getPDFCall(report, q, opts)
	if err != nil {
		return nil, err
	}
	return c.fetchBytes(ctx, bc)
}

// GetPDFTo is GetPDF streaming into w. On error w may have received part of the PDF.
func (c *Client) GetPDFTo(ctx context.Context, report Ref, q Query, w io.Writer, opts ...CallOption) (Download, error) {
	bc, err := c.getPDFCall(report, q, opts)
	if err != nil {
		return Download{}, err
	}
	return c.fetchTo(ctx, bc, w)
}

// GetPDFToFile is GetPDF streaming into the file at path, through a temporary file
// and a rename: on error no file is left behind and an existing file is untouched.
func (c *Client) GetPDFToFile(ctx context.Context, report Ref, q Query, path string, opts ...CallOption) (Download, error) {
	bc, err := c.getPDFCall(report, q, opts)
	if err != nil {
		return Download{}, err
	}
	return c.fetchToFile(ctx, bc, path)
}

// renderPost is the POST of a render body (see PostPDF) to the report's what:
// "pdf" renders it at once (post_pdf), "export" starts an export of it
// (start_report_export).
func (c *Client) renderPost(report Ref, what string, body any, opts []CallOption) (call, error) {
	u, err := c.reportURL(report, what, opts)
	if err != nil {
		return call{}, err
	}
	b, err := c.renderBody(body)
	if err != nil {
		return call{}, err
	}
	return call{method: "POST", url: u, body: b}, nil
}

func (c *Client) postPDFCall(report Ref, body any, opts []CallOption) (binaryCall, error) {
	cl, err := c.renderPost(report, "pdf", body, opts)
	if err != nil {
		return binaryCall{}, err
	}
	return newBinaryCall(cl, bodyWantsPDF(cl.body), opts), nil
}

// PostPDF renders a report with parameters and data in a JSON body (post_pdf).
// body is nil, a map, a struct or json.RawMessage holding an object (params, data,
// tempDataId, lang, timezone, format, includeAttachments, excludePages, theme,
// template); format defaults to "pdf" without changing the caller's value.
func (c *Client) PostPDF(ctx context.Context, report Ref, body any, opts ...CallOption) ([]byte, error) {
	bc, err := c.postPDFCall(report, body, opts)
	if err != nil {
		return nil, err
	}
	return c.fetchBytes(ctx, bc)
}

// PostPDFTo is PostPDF streaming into w.
func (c *Client) PostPDFTo(ctx context.Context, report Ref, body any, w io.Writer, opts ...CallOption) (Download, error) {
	bc, err := c.postPDFCall(report, body, opts)
	if err != nil {
		return Download{}, err
	}
	return c.fetchTo(ctx, bc, w)
}

// PostPDFToFile is PostPDF streaming into the file at path (see GetPDFToFile).
func (c *Client) PostPDFToFile(ctx context.Context, report Ref, body any, path string, opts ...CallOption) (Download, error) {
	bc, err := c.postPDFCall(report, body, opts)
	if err != nil {
		return Download{}, err
	}
	return c.fetchToFile(ctx, bc, path)
}

// wantsPDF reports whether a render asks for a PDF: only then is the answer checked
// to be one (format "docx" through the PDF endpoint must not be rejected).
func wantsPDF(v any, ok bool) bool {
	if !ok || v == nil {
		return true
	}
	raw, err := toRawJSON(v)
	if err != nil || jsonKind(raw) != '"' {
		return true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return true
	}
	return s == "" || strings.EqualFold(s, "pdf")
}

// bodyWantsPDF applies wantsPDF to the "format" member of an encoded body.
func bodyWantsPDF(body []byte) bool {
	keys, vals, err := objectMembers(body)
	if err != nil {
		return true
	}
	for i, k := range keys {
		if k == "format" {
			return wantsPDF(vals[i], true)
		}
	}
	return true
}
