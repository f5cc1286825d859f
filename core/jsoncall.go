package core

import (
	"context"
	"io"

	json "github.com/goccy/go-json"
)

// maxJSONBody bounds a JSON answer held in memory; lists of reports are far smaller.
const maxJSONBody = 64 << 20

// doJSON performs cl and decodes the JSON answer into out (nil = ignore the body).
func (c *Client) doJSON(ctx context.Context, cl call, out any) error {
	r, err := c.send(ctx, cl)
	if err != nil {
		return err
	}
	defer r.close()
	if isHTML(r.Header) {
		return r.htmlError()
	}
	if out == nil {
		_, err := io.Copy(io.Discard, io.LimitReader(r.Body, maxJSONBody))
		if err != nil {
			return r.readError(err)
		}
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody+1))
	if err != nil {
		return r.readError(err)
	}
	if len(data) > maxJSONBody {
		return c.finish(&Error{Code: CodeInvalidResponse, Status: r.StatusCode, Method: cl.method, URL: cl.url,
			Message: "Invalid response: the JSON answer to " + cl.method + " " + cl.url + " is larger than 64 MiB."})
	}
	if err := json.Unmarshal(data, out); err != nil {
		e := &Error{Code: CodeInvalidResponse, Status: r.StatusCode, Method: cl.method, URL: cl.url,
			RequestID: requestID(r.Header), Err: err}
		e.Message = "Invalid response: the answer to " + cl.method + " " + cl.url +
			" is not the expected JSON (" + err.Error() + "). Check that BaseURL points at a CxReports server."
		return c.finish(e)
	}
	return nil
}

func (c *Client) getJSON(ctx context.Context, url string, out any) error {
	return c.doJSON(ctx, call{method: "GET", url: url}, out)
}
