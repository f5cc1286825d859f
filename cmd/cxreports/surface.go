package main

// The command line's part of the method surface (docs/adding-an-endpoint.md):
// which C ABI methods (the names of cx_methods(), capi/dispatch/methods.go)
// each subcommand does the work of, and which methods have no subcommand and
// why. tools/surface checks that every method of the table is in exactly one of
// the two; surface_test.go checks commandMethods against the real commands.

// commandMethods maps each subcommand (its path below cxreports) to the methods
// whose work it does.
var commandMethods = map[string][]string{
	"workspaces":     {"get_workspaces"},
	"reports":        {"get_reports"},
	"themes":         {"get_themes"},
	"templates":      {"get_templates"},
	"jobs":           {"get_jobs"},
	"pdf":            {"render_batch", "save_post_pdf"},
	"export":         {"export_to_file"},
	"job-run":        {"start_job_run", "wait_for_job_run", "deliver_job_run_entries"},
	"preview-url":    {"get_preview_url", "create_auth_token"},
	"temp-data push": {"push_temporary_data"},
	"batch":          {"render_batch"},
}

// notCommands are the methods no subcommand stands for, each with the reason.
var notCommands = map[string]string{
	"get_report_types":        "a catalogue for programs choosing a report type; reports --type takes the code",
	"get_report_pages":        "page metadata for programs that lay out previews",
	"get_pdf":                 "bytes in memory; pdf writes the file (-o), as save_post_pdf does",
	"post_pdf":                "bytes in memory; pdf writes the file (-o)",
	"save_pdf":                "the GET form of pdf; pdf renders with a POST body, which carries any size of data",
	"get_pdf_url":             "a URL for a browser or another HTTP client; the CLI downloads itself (pdf)",
	"start_report_export":     "a step of export, which starts, waits and saves in one command",
	"get_export_status":       "a step of export",
	"wait_for_export":         "a step of export",
	"get_export_content":      "a step of export (bytes in memory)",
	"save_export_content":     "a step of export",
	"get_job_run_status":      "a step of job-run --wait, which polls until the run is finished",
	"get_run_review_document": "an export of a run's review document; run it from a program",
}
