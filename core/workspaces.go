package core

import "context"

// GetWorkspaces lists the workspaces the token can access (get_workspaces).
// Of the options only RawJSON applies (workspaces are not in a workspace).
func (c *Client) GetWorkspaces(ctx context.Context, opts ...CallOption) ([]Workspace, error) {
	var out []Workspace
	if err := c.getJSON(ctx, c.apiURL("workspaces"), &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetReportTypes lists the report types of a workspace (get_report_types).
func (c *Client) GetReportTypes(ctx context.Context, opts ...CallOption) ([]ReportType, error) {
	return listIn[ReportType](ctx, c, "report-types", opts)
}

// GetThemes lists the themes of a workspace (get_themes).
func (c *Client) GetThemes(ctx context.Context, opts ...CallOption) ([]Theme, error) {
	return listIn[Theme](ctx, c, "themes", opts)
}

// GetTemplates lists the report templates of a workspace (get_templates).
func (c *Client) GetTemplates(ctx context.Context, opts ...CallOption) ([]Template, error) {
	return listIn[Template](ctx, c, "templates", opts)
}

// listIn GETs a JSON array from WS/{what}.
func listIn[T any](ctx context.Context, c *Client, what string, opts []CallOption) ([]T, error) {
	u, err := c.wsURL(opts, what)
	if err != nil {
		return nil, err
	}
	var out []T
	if err := c.getJSON(ctx, u, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
