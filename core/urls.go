package core

import (
	"errors"
	"net/url"
)

// MaxURLLength bounds the URL of every request, and the URLs PDFURL and
// GetPreviewURL return: 64 KiB. Common servers refuse far shorter request lines
// with 414 URI Too Long (Kestrel, which CxReports runs on, 8 KiB by default; nginx
// 8 KiB; Apache 8190 bytes; IIS and CDNs 4-32 KiB), an answer that says what
// happened. Beyond that no server is expected to cope: Go's (the fake's) drops
// the connection past 1 MiB, which surfaced as a puzzling connection error, and a
// 100 MB parameter was sent in full before anything complained. Past the limit a
// call therefore fails with invalid_input before sending, naming the limit and
// the way out: a POST body (PostPDF) or temporary data (PushTemporaryData).
const MaxURLLength = 64 << 10

// longQueryHint says what to do instead of a long query, in the caller's names.
func (c *Client) longQueryHint() string {
	return "send large parameters in a POST body with " + c.names.PostPDF +
		", or store large data with " + c.names.PushTemporaryData + " and pass its tempDataId."
}

// withQuery appends the encoding of q to u after '?' (always, like the official
// client), failing with invalid_input when the result would pass MaxURLLength.
// what names the URL in the message ("the URL of GET", "the preview URL").
func (c *Client) withQuery(u string, q Query, what string) (string, error) {
	room := MaxURLLength - len(u) - 1
	if room < 0 {
		room = 0
	}
	qs, err := q.encode(room + 1)
	if errors.Is(err, errQueryTooLong) || (err == nil && len(qs) > room) {
		return "", c.finish(inputError("%s %s would be longer than the limit of %d bytes for a URL (common servers refuse 8-16 KiB); nothing was sent. Instead, %s",
			what, c.shown(u), MaxURLLength, c.longQueryHint()))
	}
	if err != nil {
		return "", err
	}
	return u + "?" + qs, nil
}

// pathEscape escapes one path segment, so that a code holding a space, '#', '?' or
// '/' cannot break the URL (the official Python client does not escape).
func pathEscape(s string) string { return url.PathEscape(s) }

// workspace returns the escaped workspace segment for a call.
func (c *Client) workspace(opts []CallOption) (string, error) {
	ws := collectOptions(opts).ws
	if !ws.IsSet() {
		ws = c.ws
	}
	if !ws.IsSet() {
		return "", inputError("no workspace: set %s or pass %s", c.names.DefaultWorkspace, c.names.Workspace)
	}
	return ws.segment("workspace")
}

// wsURL builds {base}/api/v1/ws/{ws}/{path...}; path parts are already escaped.
func (c *Client) wsURL(opts []CallOption, parts ...string) (string, error) {
	ws, err := c.workspace(opts)
	if err != nil {
		return "", err
	}
	u := c.base + "/api/v1/ws/" + ws
	for _, p := range parts {
		u += "/" + p
	}
	return u, nil
}

// apiURL builds {base}/api/v1/{path}.
func (c *Client) apiURL(path string) string { return c.base + "/api/v1/" + path }
