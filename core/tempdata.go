package core

import (
	"bytes"
	"context"
)

// TemporaryDataRequest is the input of PushTemporaryData.
type TemporaryDataRequest struct {
	Content    any    // the data: a map, struct, slice or json.RawMessage
	ExpiryDate string // optional ISO 8601 expiry, as in the other official clients
}

// PushTemporaryData stores data on the server once, to be referenced by tempDataId
// from later renders (push_temporary_data). The body is {"content": data}.
func (c *Client) PushTemporaryData(ctx context.Context, req TemporaryDataRequest, opts ...CallOption) (TemporaryData, error) {
	var out TemporaryData
	u, err := c.wsURL(opts, "temporary-data")
	if err != nil {
		return out, err
	}
	if req.Content == nil {
		return out, inputError("TemporaryDataRequest.Content is nil: pass the data to store")
	}
	content, err := rawValue("the temporary data", req.Content)
	if err != nil {
		return out, err
	}
	var b bytes.Buffer
	b.WriteString(`{"content": `)
	b.Write(content)
	if req.ExpiryDate != "" {
		b.WriteString(`, "expiryDate": `)
		writeString(&b, req.ExpiryDate, true)
	}
	b.WriteByte('}')
	err = c.doJSON(ctx, call{method: "POST", url: u, body: b.Bytes(), raw: collectOptions(opts).raw}, &out)
	return out, err
}
