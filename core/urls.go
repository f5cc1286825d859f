package core

import "net/url"

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
