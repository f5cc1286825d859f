package dispatch

import (
	"context"
	"errors"
	"io"

	"github.com/cxclient/cxreports/core"
	json "github.com/goccy/go-json"
)

// The method table: every core capability under the seed's Python method and
// argument names. Each entry only translates decoded arguments into one core call.
// It is the one place a method's name, arguments, kind and binding names are
// written: `make generate` writes the method lists of include/cxreports.h and
// docs/contract.md from it, and `make test` (tools/surface) checks the bindings
// and the CLI against it. docs/adding-an-endpoint.md lists what a new entry needs.

// binaryInfo is the envelope data of a byte-returning method.
type binaryInfo struct {
	Bytes       int64  `json:"bytes"`
	ContentType string `json:"content_type"`
	Filename    string `json:"filename"`
}

func wsOpt(a *callArgs) []core.CallOption {
	if a.WorkspaceID.IsSet() {
		return []core.CallOption{core.InWorkspace(a.WorkspaceID)}
	}
	return nil
}

// body turns an optional JSON object into the core's body: an absent one is a
// true nil (not a typed nil RawMessage), so the core applies its default.
func body(raw json.RawMessage) any {
	if raw == nil {
		return nil
	}
	return raw
}

// query builds the ordered query of get_pdf / get_pdf_url / get_preview_url; the
// explicit theme and template arguments win over keys of the same name, as in the
// Python client.
func query(name string, raw json.RawMessage, theme, template string) (core.Query, error) {
	var q core.Query
	if raw != nil {
		var err error
		if q, err = core.QueryFromJSON(raw); err != nil {
			var ce *core.Error
			if errors.As(err, &ce) {
				return q, err
			}
			return q, newError(CodeInvalidArgument, "argument \""+name+"\" cannot be used as a query: "+err.Error())
		}
	}
	if theme != "" {
		q.Set("theme", theme)
	}
	if template != "" {
		q.Set("template", template)
	}
	return q, nil
}

func waitOpts(a *callArgs, progress func(core.Progress)) core.WaitOptions {
	return core.WaitOptions{PollInterval: a.PollInterval, MaxInterval: a.MaxInterval, Timeout: a.Timeout, Progress: progress}
}

// download runs a core "...To(w)" call into a sink from the Library (C memory
// under capi/) and reports its metadata; the sink travels on to the caller in the
// Result. run gets the call options (the workspace, the progress function) to
// pass on. The core grows the sink to the answer's Content-Length before the
// first byte (it calls Grow on a writer that has it): a 1 GiB file then takes
// 1 GiB, not a doubling buffer's 2 GiB plus a copy. A GET whose body is cut
// starts over into it after Restart.
func download(a *callArgs, progress func(core.Progress), run func(w io.Writer, opts []core.CallOption) (core.Download, error)) (out outcome, err error) {
	newSink := a.newSink
	if newSink == nil {
		newSink = NewBufferSink
	}
	sink := newSink()
	defer func() {
		if out.body == nil { // an error, or a panic on its way up
			sink.Free()
		}
	}()
	opts := withProgress(a, progress)
	d, err := run(sink, opts)
	if err != nil {
		return outcome{}, err
	}
	return outcome{data: binaryInfo{Bytes: int64(sink.Len()), ContentType: d.ContentType, Filename: d.Filename}, body: sink}, nil
}

func result[T any](v T, err error) (outcome, error) {
	if err != nil {
		return outcome{}, err
	}
	return outcome{data: v}, nil
}

// passThrough runs a core call that honours core.RawJSON and returns the server's
// JSON answer as the envelope's data, verbatim: the same values, types, key order
// and members nobody documented, whatever the server sends (ids as numbers or
// GUID strings, floats, nulls). Decoding it into typed structs only to encode it
// again would change it, and cost most of the call's CPU time. The core still
// checks that the answer is JSON of the right kind (an object or an array); the
// waits return the last status as the server sent it.
func passThrough[T any](call func(raw core.CallOption) (T, error)) (outcome, error) {
	var raw json.RawMessage
	if _, err := call(core.RawJSON(&raw)); err != nil {
		return outcome{}, err
	}
	return outcome{raw: raw}, nil
}

// withProgress is wsOpt plus core.WithProgress when the caller listens for
// progress (cx_call_async with a progress function): the downloads then report
// "downloading" and "done" events.
func withProgress(a *callArgs, p func(core.Progress)) []core.CallOption {
	if p == nil {
		return wsOpt(a)
	}
	return append(wsOpt(a), core.WithProgress(p))
}

// withRaw is wsOpt plus the RawJSON option.
func withRaw(a *callArgs, raw core.CallOption) []core.CallOption { return append(wsOpt(a), raw) }

// listMethod is the entry of a method that lists what a workspace holds: its one
// argument is workspace_id, its data the server's array, verbatim. list is the
// core method, as a method expression: (*core.Client).GetThemes.
func listMethod[T any](name, doc string, list func(*core.Client, context.Context, ...core.CallOption) ([]T, error)) *method {
	return &method{Name: name, Kind: kindJSON, Doc: doc, Result: "array", Args: []param{opt("workspace_id")},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) ([]T, error) { return list(c, ctx, withRaw(a, raw)...) })
		}}
}

func init() {
	wsArg := opt("workspace_id")
	waitArgs := []param{opt("timeout"), opt("poll_interval"), opt("max_interval")} // timeout: the wait's deadline

	register(&method{Name: "get_workspaces", Kind: kindJSON, Doc: "List the workspaces the token can see.", Result: "array",
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) ([]core.Workspace, error) { return c.GetWorkspaces(ctx, raw) })
		}})
	register(listMethod("get_report_types", "List the report types of a workspace.", (*core.Client).GetReportTypes))
	register(listMethod("get_themes", "List the themes of a workspace.", (*core.Client).GetThemes))
	register(listMethod("get_templates", "List the report templates of a workspace.", (*core.Client).GetTemplates))
	register(listMethod("get_jobs", "List the jobs of a workspace.", (*core.Client).GetJobs))
	register(&method{Name: "get_reports", Kind: kindJSON, Doc: "List the reports of a workspace, optionally of one type.", Result: "array",
		Args: []param{opt("type"), wsArg, opt("offset"), opt("limit")},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			f := core.ReportsFilter{Type: a.Type, Offset: a.Offset, Limit: a.Limit}
			return passThrough(func(raw core.CallOption) ([]core.Report, error) { return c.GetReports(ctx, f, withRaw(a, raw)...) })
		}})
	register(&method{Name: "get_report_pages", Kind: kindJSON, Doc: "List the pages of a report.", Result: "array",
		Args: []param{req("report_id"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) ([]core.ReportPage, error) {
				return c.GetReportPages(ctx, a.ReportID, withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "get_pdf", Kind: kindBytes, Doc: "Render a report to PDF with a GET request.", Result: "bytes", Progress: true,
		Args: []param{req("report_id"), opt("params"), wsArg, opt("theme"), opt("template")},
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			q, err := query("params", a.Params, a.Theme, a.Template)
			if err != nil {
				return outcome{}, err
			}
			return download(a, p, func(w io.Writer, opts []core.CallOption) (core.Download, error) {
				return c.GetPDFTo(ctx, a.ReportID, q, w, opts...)
			})
		},
		open: func(ctx context.Context, c *core.Client, a *callArgs) (*core.Stream, error) {
			q, err := query("params", a.Params, a.Theme, a.Template)
			if err != nil {
				return nil, err
			}
			return c.OpenPDF(ctx, a.ReportID, q, wsOpt(a)...)
		}})
	register(&method{Name: "post_pdf", Kind: kindBytes, Doc: "Render a report to PDF (or another format) with a JSON body.", Result: "bytes", Progress: true,
		Args: []param{req("report_id"), opt("request_body"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			return download(a, p, func(w io.Writer, opts []core.CallOption) (core.Download, error) {
				return c.PostPDFTo(ctx, a.ReportID, body(a.RequestBody), w, opts...)
			})
		},
		open: func(ctx context.Context, c *core.Client, a *callArgs) (*core.Stream, error) {
			return c.OpenPostPDF(ctx, a.ReportID, body(a.RequestBody), wsOpt(a)...)
		}})
	register(&method{Name: "start_report_export", Kind: kindJSON, Doc: "Start an asynchronous export; poll it with get_export_status or wait_for_export.",
		Result: "{temporaryFileId}", Args: []param{req("report_id"), opt("request_body"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.ExportStart, error) {
				return c.StartReportExport(ctx, a.ReportID, body(a.RequestBody), withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "get_export_status", Kind: kindJSON, Doc: "Read the status of an export.", Result: "object",
		Args: []param{req("temp_file_id"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.ExportStatus, error) {
				return c.GetExportStatus(ctx, a.TempFileID, withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "get_export_content", Kind: kindBytes, Doc: "Download the file of a finished export.", Result: "bytes", Progress: true,
		Args: []param{req("temp_file_id"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			return download(a, p, func(w io.Writer, opts []core.CallOption) (core.Download, error) {
				return c.GetExportContentTo(ctx, a.TempFileID, w, opts...)
			})
		},
		open: func(ctx context.Context, c *core.Client, a *callArgs) (*core.Stream, error) {
			return c.OpenExportContent(ctx, a.TempFileID, wsOpt(a)...)
		}})
	register(&method{Name: "push_temporary_data", Kind: kindJSON, Doc: "Store JSON data on the server for a later render (tempDataId).",
		Result: "{tempDataId, expiryDate}", Args: []param{req("data"), wsArg, opt("expiry_date")},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.TemporaryData, error) {
				return c.PushTemporaryData(ctx, core.TemporaryDataRequest{Content: a.Data, ExpiryDate: a.ExpiryDate}, withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "create_auth_token", Kind: kindJSON, Doc: "Create a single-use nonce token for an iframe preview.", Result: "{nonce}",
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.Nonce, error) { return c.CreateAuthToken(ctx, raw) })
		}})
	register(&method{Name: "get_preview_url", Kind: kindString, Doc: "Build a report preview URL with a fresh nonce; with data, push it first and set tempDataId.",
		Result: "string", Args: []param{req("report_id"), opt("query_params"), wsArg, opt("data")},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			q, err := query("query_params", a.QueryParams, "", "")
			if err != nil {
				return outcome{}, err
			}
			if a.Data != nil {
				return result(c.GetPreviewURLWithData(ctx, a.ReportID, a.Data, q, wsOpt(a)...))
			}
			return result(c.GetPreviewURL(ctx, a.ReportID, q, wsOpt(a)...))
		}})
	register(&method{Name: "start_job_run", Kind: kindJSON, Doc: "Start a run of a job.", Result: "{jobRunId}",
		Args: []param{req("job_id"), opt("request_body"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.JobRunStart, error) {
				return c.StartJobRun(ctx, a.JobID, body(a.RequestBody), withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "get_job_run_status", Kind: kindJSON, Doc: "Read the status of a job run.", Result: "object",
		Args: []param{req("job_id"), req("run_id"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.JobRunStatus, error) {
				return c.GetJobRunStatus(ctx, a.JobID, a.RunID, withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "get_run_review_document", Kind: kindJSON, Doc: "Generate the review document of a job run (an export to poll).",
		Result: "{temporaryFileId}", Args: []param{req("job_id"), req("run_id"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.ExportStart, error) {
				return c.GetRunReviewDocument(ctx, a.JobID, a.RunID, withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "deliver_job_run_entries", Kind: kindNone, Doc: "Deliver the entries of a reviewed job run.", Result: "null",
		Args: []param{req("job_id"), req("run_id"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			return outcome{}, c.DeliverJobRunEntries(ctx, a.JobID, a.RunID, wsOpt(a)...)
		}})
	register(&method{Name: "get_pdf_url", Kind: kindString, Doc: "Build the PDF download URL (no network call, no token in it).", Result: "string", Local: true,
		Args: []param{req("report_id"), opt("params"), wsArg, opt("theme"), opt("template")},
		call: func(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
			q, err := query("params", a.Params, a.Theme, a.Template)
			if err != nil {
				return outcome{}, err
			}
			return result(c.PDFURL(a.ReportID, q, wsOpt(a)...))
		}})
	register(&method{Name: "save_pdf", Kind: kindFile, Doc: "Render a report to PDF with GET, streamed to a file.", Result: "Download", Progress: true,
		Args: []param{req("report_id"), req("path"), opt("params"), wsArg, opt("theme"), opt("template")},
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			q, err := query("params", a.Params, a.Theme, a.Template)
			if err != nil {
				return outcome{}, err
			}
			return result(c.GetPDFToFile(ctx, a.ReportID, q, a.Path, withProgress(a, p)...))
		}})
	register(&method{Name: "save_post_pdf", Kind: kindFile, Doc: "Render a report with a JSON body, streamed to a file.", Result: "Download", Progress: true,
		Args: []param{req("report_id"), req("path"), opt("request_body"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			return result(c.PostPDFToFile(ctx, a.ReportID, body(a.RequestBody), a.Path, withProgress(a, p)...))
		}})
	register(&method{Name: "save_export_content", Kind: kindFile, Doc: "Download the file of a finished export to a path.", Result: "Download", Progress: true,
		Args: []param{req("temp_file_id"), req("path"), wsArg},
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			return result(c.GetExportContentToFile(ctx, a.TempFileID, a.Path, withProgress(a, p)...))
		}})
	register(&method{Name: "wait_for_export", Kind: kindJSON, Doc: "Poll an export until it completes; Failed is an export_failed error.", Result: "export status",
		Args: append([]param{req("temp_file_id"), wsArg}, waitArgs...), WaitTimeout: true, Progress: true,
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.ExportStatus, error) {
				return c.WaitForExport(ctx, a.TempFileID, waitOpts(a, p), withRaw(a, raw)...)
			})
		}})
	register(&method{Name: "export_to_file", Kind: kindFile, Doc: "Start an export, wait for it and stream its file to a path.", Result: "Download",
		Args: append([]param{req("report_id"), req("path"), opt("request_body"), wsArg}, waitArgs...), WaitTimeout: true, Progress: true,
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			return result(c.ExportToFile(ctx, a.ReportID, body(a.RequestBody), a.Path, waitOpts(a, p), wsOpt(a)...))
		}})
	register(&method{Name: "wait_for_job_run", Kind: kindJSON, Doc: "Poll a job run until it is finished.", Result: "run status",
		Args: append([]param{req("job_id"), req("run_id"), wsArg}, waitArgs...), WaitTimeout: true, Progress: true,
		call: func(ctx context.Context, c *core.Client, a *callArgs, p func(core.Progress)) (outcome, error) {
			return passThrough(func(raw core.CallOption) (core.JobRunStatus, error) {
				return c.WaitForJobRun(ctx, a.JobID, a.RunID, waitOpts(a, p), withRaw(a, raw)...)
			})
		}})
	registerBatch()
}
