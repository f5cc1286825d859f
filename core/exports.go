package core

import (
	"context"
	"io"
)

// StartReportExport starts an asynchronous render (start_report_export); poll it
// with GetExportStatus or WaitForExport. body is as in PostPDF (format defaults to pdf).
func (c *Client) StartReportExport(ctx context.Context, report Ref, body any, opts ...CallOption) (ExportStart, error) {
	var out ExportStart
	cl, err := c.renderPost(report, "export", body, opts)
	if err != nil {
		return out, err
	}
	cl.raw = collectOptions(opts).raw
	err = c.doJSON(ctx, cl, &out)
	return out, err
}

func (c *Client) exportURL(tempFile Ref, what string, opts []CallOption) (string, error) {
	id, err := tempFile.segment("temporary file")
	if err != nil {
		return "", err
	}
	return c.wsURL(opts, "exports", id, what)
}

// GetExportStatus reads the state of an export (get_export_status).
func (c *Client) GetExportStatus(ctx context.Context, tempFile Ref, opts ...CallOption) (ExportStatus, error) {
	var out ExportStatus
	u, err := c.exportURL(tempFile, "status", opts)
	if err != nil {
		return out, err
	}
	err = c.getJSON(ctx, u, &out, opts)
	return out, err
}

func (c *Client) contentCall(tempFile Ref, opts []CallOption) (binaryCall, error) {
	u, err := c.exportURL(tempFile, "content", opts)
	if err != nil {
		return binaryCall{}, err
	}
	return newBinaryCall(call{method: "GET", url: u}, false, opts), nil
}

// GetExportContent downloads a finished export (get_export_content). Any content
// type is accepted (docx, xlsx, ...); one that says PDF must be a PDF.
func (c *Client) GetExportContent(ctx context.Context, tempFile Ref, opts ...CallOption) ([]byte, error) {
	bc, err := c.contentCall(tempFile, opts)
	if err != nil {
		return nil, err
	}
	return c.fetchBytes(ctx, bc)
}

// GetExportContentTo is GetExportContent streaming into w.
func (c *Client) GetExportContentTo(ctx context.Context, tempFile Ref, w io.Writer, opts ...CallOption) (Download, error) {
	bc, err := c.contentCall(tempFile, opts)
	if err != nil {
		return Download{}, err
	}
	return c.fetchTo(ctx, bc, w)
}

// GetExportContentToFile is GetExportContent streaming into the file at path
// (temporary file and rename; nothing is left behind on error).
func (c *Client) GetExportContentToFile(ctx context.Context, tempFile Ref, path string, opts ...CallOption) (Download, error) {
	bc, err := c.contentCall(tempFile, opts)
	if err != nil {
		return Download{}, err
	}
	return c.fetchToFile(ctx, bc, path)
}
