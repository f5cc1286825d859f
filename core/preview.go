package core

import "context"

// CreateAuthToken creates a single-use nonce for the preview page (create_auth_token).
// Of the options only RawJSON applies.
func (c *Client) CreateAuthToken(ctx context.Context, opts ...CallOption) (Nonce, error) {
	var out Nonce
	err := c.doJSON(ctx, call{method: "POST", url: c.apiURL("nonce-tokens"), raw: collectOptions(opts).raw}, &out)
	return out, err
}

// GetPreviewURL returns {base}/ws/{ws}/reports/{id}/preview?<query> for an iframe,
// with a fresh single-use nonce, so the API token never reaches the browser
// (get_preview_url). q is encoded as for GetPDF; q itself is not changed.
func (c *Client) GetPreviewURL(ctx context.Context, report Ref, q Query, opts ...CallOption) (string, error) {
	page, err := c.previewPage(report, opts)
	if err != nil {
		return "", err
	}
	q = c.renderQuery(q)
	// Check the query, and its length, before spending a nonce on it.
	if _, err := c.withQuery(page, q.With("nonce", ""), "the preview URL"); err != nil {
		return "", err
	}
	nonce, err := c.CreateAuthToken(ctx)
	if err != nil {
		return "", err
	}
	if nonce.Nonce == "" {
		return "", c.finish(&Error{Code: CodeInvalidResponse, Method: "POST", URL: c.apiURL("nonce-tokens"),
			Message: "Invalid response: the server created an empty nonce token."})
	}
	return c.withQuery(page, q.With("nonce", nonce.Nonce), "the preview URL")
}

// GetPreviewURLWithData pushes data as temporary data, then returns the preview URL
// with its tempDataId set.
func (c *Client) GetPreviewURLWithData(ctx context.Context, report Ref, data any, q Query, opts ...CallOption) (string, error) {
	page, err := c.previewPage(report, opts)
	if err != nil {
		return "", err
	}
	// Check the query before storing data for a URL that could not be used. The
	// server's id is not known yet: a GUID's length stands for it.
	const anID = "00000000-0000-0000-0000-000000000000"
	if _, err := c.withQuery(page, c.renderQuery(q).With("tempDataId", anID).With("nonce", ""), "the preview URL"); err != nil {
		return "", err
	}
	td, err := c.PushTemporaryData(ctx, TemporaryDataRequest{Content: data}, typed(opts)...)
	if err != nil {
		return "", err
	}
	if !td.TempDataID.IsSet() {
		return "", c.finish(&Error{Code: CodeInvalidResponse, Method: "POST", URL: c.base,
			Message: "Invalid response: the answer to push_temporary_data has no tempDataId, so the preview cannot use the data."})
	}
	return c.GetPreviewURL(ctx, report, q.With("tempDataId", td.TempDataID), opts...)
}

// previewPage is {base}/ws/{ws}/reports/{id}/preview.
func (c *Client) previewPage(report Ref, opts []CallOption) (string, error) {
	id, err := report.segment("report")
	if err != nil {
		return "", err
	}
	ws, err := c.workspace(opts)
	if err != nil {
		return "", err
	}
	return c.base + "/ws/" + ws + "/reports/" + id + "/preview", nil
}
