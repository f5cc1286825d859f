package core

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// ReportsFilter narrows GetReports. The zero value lists every report.
type ReportsFilter struct {
	Type   string // report-type code; empty = all types
	Offset *int   // paging, as in the other official clients
	Limit  *int
}

// GetReports lists the reports of a workspace (get_reports), optionally of one type.
func (c *Client) GetReports(ctx context.Context, f ReportsFilter, opts ...CallOption) ([]Report, error) {
	u, err := c.wsURL(opts, "reports")
	if err != nil {
		return nil, err
	}
	var q []string
	if f.Type != "" {
		q = append(q, "type="+url.QueryEscape(f.Type))
	}
	if f.Offset != nil {
		if *f.Offset < 0 {
			return nil, inputError("ReportsFilter.Offset cannot be negative (%d)", *f.Offset)
		}
		q = append(q, "offset="+strconv.Itoa(*f.Offset))
	}
	if f.Limit != nil {
		if *f.Limit < 0 {
			return nil, inputError("ReportsFilter.Limit cannot be negative (%d)", *f.Limit)
		}
		q = append(q, "limit="+strconv.Itoa(*f.Limit))
	}
	if len(q) > 0 {
		u += "?" + strings.Join(q, "&")
	}
	var out []Report
	if err := c.getJSON(ctx, u, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetReportPages lists the pages of a report (get_report_pages).
func (c *Client) GetReportPages(ctx context.Context, report Ref, opts ...CallOption) ([]ReportPage, error) {
	id, err := report.segment("report")
	if err != nil {
		return nil, err
	}
	return listIn[ReportPage](ctx, c, "reports/"+id+"/pages", opts)
}
