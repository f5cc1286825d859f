package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"

	json "github.com/goccy/go-json"
)

// maxJSONBody bounds a JSON answer held in memory; lists of reports are far smaller.
const maxJSONBody = 64 << 20

// doJSON performs cl and decodes the JSON answer into out (nil = ignore the body),
// or with cl.raw (RawJSON) stores it there after checking it could decode into out.
// A GET whose answer is cut while it is read starts over (cutRetryable): nothing was
// handed to the caller yet (waitCut).
func (c *Client) doJSON(ctx context.Context, cl call, out any) error {
	for retried := 0; ; retried++ {
		err := c.doJSONOnce(ctx, cl, out)
		if err == nil || !c.cutRetryable(cl, err, retried) {
			return err
		}
		c.waitCut(ctx, cl, retried)
	}
}

func (c *Client) doJSONOnce(ctx context.Context, cl call, out any) error {
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
			Message: "Invalid response: the JSON answer to " + cl.method + " " + c.shown(cl.url) + " is larger than 64 MiB."})
	}
	if cl.raw != nil {
		err = checkRaw(data, out, cl.raw)
	} else {
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		e := &Error{Code: CodeInvalidResponse, Status: r.StatusCode, Method: cl.method, URL: cl.url,
			RequestID: requestID(r.Header), Err: err}
		e.Message = "Invalid response: the answer to " + cl.method + " " + c.shown(cl.url) +
			" is not the expected JSON (" + c.scrub(err.Error()) + "). Check that the base URL (" + c.names.BaseURL + ") points at a CxReports server."
		return c.finish(e)
	}
	return nil
}

// getJSON GETs url into out; opts may ask for the raw answer (RawJSON).
func (c *Client) getJSON(ctx context.Context, url string, out any, opts []CallOption) error {
	return c.doJSON(ctx, call{method: "GET", url: url, raw: collectOptions(opts).raw}, out)
}

// checkRaw stores a JSON answer verbatim in *dst after checking that it is valid
// JSON of the kind out (a pointer to a slice or a struct) decodes: an array, an
// object, or null. Typed decoding would reject anything else too.
func checkRaw(data []byte, out any, dst *json.RawMessage) error {
	want, kind := byte('{'), "an object"
	if reflect.TypeOf(out).Elem().Kind() == reflect.Slice {
		want, kind = '[', "an array"
	}
	trimmed := bytes.TrimSpace(data)
	if !json.Valid(trimmed) {
		return errors.New("the answer is not valid JSON")
	}
	if trimmed[0] != want && string(trimmed) != "null" {
		return fmt.Errorf("expected %s, got %.20s", kind, trimmed)
	}
	*dst = trimmed // data was read for this call alone: no copy needed
	return nil
}
