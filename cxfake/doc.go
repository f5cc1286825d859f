// Package cxfake is a fake CxReports server for tests, in the manner of
// net/http/httptest: it speaks the CxReports v1 API (every endpoint the official
// clients use), holds fixed seed data, renders real PDFs, and lets a test inject
// faults and inspect what it received.
//
// Use it in a Go test:
//
//	srv := cxfake.NewServer(cxfake.WithExportDelay(200 * time.Millisecond))
//	defer srv.Close()
//	// point the client at srv.URL with srv.Token; workspace srv.WorkspaceID (1) is "main"
//	srv.Inject("GET", "/api/v1/workspaces", cxfake.Fault{Status: 503, RetryAfter: "1"}, cxfake.Fault{Status: 503})
//	// ... call the client: two 503s, then the normal answer ...
//	require.Len(t, srv.Requests(), 3)
//
// From other languages, run the command cmd/cxfake (build/cxfake): it prints one
// JSON line {"url","token","workspace_id","workspace_code","pid","ids"} (plus "ca"
// with -tls) and serves until SIGINT or SIGTERM. The control API under /_fake/ (no
// token, loopback only) does what the Go methods do: POST /_fake/faults
// {"method":"GET","path":"/api/v1/workspaces","faults":[{"status":503,"retry_after":"1"}]}
// (fault keys: status, retry_after, latency_ms, drop_mid_body, truncate,
// html_login, malformed_json, content_type, body, hangup), DELETE /_fake/faults,
// GET /_fake/requests, GET /_fake/stats ({"peak_concurrency","in_flight",
// "requests","deliveries","job_run_starts","connections","render_slots",
// "renders_in_flight","peak_renders","render_refusals"}), POST /_fake/reset.
//
// The package holds the API fake. Its PDF renderer is package cxfake/pdf and
// its network shaper (WithLatency, WithBandwidth) package cxfake/shaper; neither
// knows the API, and none of the three imports the client (package core).
//
// # Looking like the internet
//
// WithTLS (-tls) serves HTTPS with HTTP/2 and HTTP/1.1 (ALPN "h2", "http/1.1"),
// under a certificate for 127.0.0.1, ::1 and localhost signed by a CA made up at
// start. A client must trust that CA, Server.CAPEM (the command's "ca", or the
// file -ca-file writes), and fails verification without it; Server.Client
// already trusts it. The control API is served over TLS too.
//
// WithLatency (-latency) delays data in each direction of every TCP connection
// on the server's side: a request and its answer cost at least two latencies, a
// TLS handshake its round trips on top. It is a delay line, not a pause per
// write, so a long download pays the latency once and streams at full speed;
// up to 4 MiB travel per direction at a time, as in a TCP window.
// WithBandwidth (-bandwidth 100mbit) caps each direction of every connection.
//
// Connections (stats "connections") counts the TCP connections accepted since
// the start or the last Reset, so a test or a benchmark can see whether a client
// reuses kept-alive connections. The Hangup fault reads a whole request, records
// it, and closes the connection without an answer (over HTTP/2 it resets the
// stream): a test can prove that a client does not send a POST twice when a
// server drops a reused connection.
//
// # Render capacity
//
// WithRenderSlots(k) (-render-slots k) lets the server serve at most k renders
// at once, as a CxReports server with a bounded render pool does; 0, the
// default, is unlimited. Renders are get_pdf, post_pdf, starting an export and
// downloading export content, in any format. A render holds its slot from the
// moment it passes the token and workspace checks until its handler has written
// the whole body, so a fakeDelayMs wait keeps the slot busy (with WithLatency or
// WithBandwidth the last few MiB may still be on their way when it frees). A
// render that finds every slot busy does not wait for one: it is answered at
// once with 429, "Retry-After: 1" and {"error": "...render capacity is
// full..."}, recorded with that status in Requests, and counted in
// RenderRefusals (stats "render_refusals"). RendersInFlight
// ("renders_in_flight") and PeakRenders ("peak_renders") count renders with or
// without a limit; stats "render_slots" is k. An injected fault for a render
// path is applied before the slot check, as for any request, so it fires even
// when the server is full and takes no slot when it answers by itself. Export
// status, the preview page and every other endpoint are never refused.
//
// # Ids
//
// Exports, review documents, job runs and temporary data get ids from one space,
// so an id of one kind never names an object of another kind. By default
// (IntIDs) they are JSON numbers counted up from 1001. WithIDs(GUIDIDs) (the
// command's -ids guid; its line says "ids":"guid") makes them JSON strings
// holding random lowercase GUIDs, as a CxReports server on .NET may send:
// temporaryFileId, the export status's id, jobRunId and tempDataId. The export
// and job run paths and tempDataId (query, JSON body, preview page) take them
// back, GUIDs in any case; an id of the other style is unknown (404), except that
// an int server still answers a tempDataId that is no integer with 400. The
// catalogue (workspaces, reports, jobs, ...) keeps integer ids. Deliveries takes
// an integer run id; DeliveriesOf takes a run id in its text form, either style.
//
// # Rules it enforces
//
// Every /api/v1 request needs "Authorization: Bearer <Token>", else 401 with
// {"error": "..."}. Workspaces are addressed by id or code, reports by id or by
// report-type code (the type's default report), jobs by id or code; path segments
// are percent-decoded, so "sales%20team" names the workspace "sales team".
// Unknown ids are 404, bad input (params that are neither base64url JSON nor JSON,
// a body that is not a JSON object, an unknown format, an unknown theme or
// template) is 400, an unknown or expired tempDataId is 404; every error has a
// {"error": "..."} body, and every answer an X-Request-Id header.
//
// # Seed data
//
// Workspaces {1 "main"}, {0 "zero"}, {26 "sales team"} (workspaces also carry
// "createdAt", a field the wire spec does not name, so a client test can check that
// unknown fields survive); report types "invoice" (default report 160) and "other"
// (default report 161); reports 160 "Invoice" (three pages) and 161 "Other report";
// theme {3 "dark"}; template {2 "Default"}; jobs {42 "monthly", reviewRequired}
// and {43 "daily"}. Every workspace holds the same catalogue.
//
// # Rendered documents
//
// get_pdf, post_pdf, export content, review documents and the preview page show
// the request as lines of text: the report ("Report: Invoice (id 160)"), the
// workspace ("Workspace: main (id 1)"), the format and the other render options
// given ("Theme: dark", "Lang: de", ...), then "Params: " and "Data: " with their
// JSON (the data given, else the content of the temporary data named by
// tempDataId). JSON is shown compact with the key order kept and non-ASCII
// characters written as \uXXXX. Formats other than pdf give these lines in a small
// placeholder file with the right content type; the preview page shows them in a
// <pre>.
//
// A PDF is laid out as a report, in the standard Helvetica and Courier fonts,
// on A4 (Letter when lang names the United States, Canada or Mexico, as
// "en-US"): a running header; the report's name as the title (a review
// document's is "Review: " and the job's name), with the report and the
// workspace (name, code and id); a table of the render options (all of them,
// "(not set)" when not given); the params as key/value rows; the data, an array
// of objects as rows under the union of their keys (in the order first seen;
// with more than 8 keys, one key/value table per object), another array as
// numbered values, an object as key/value rows, a scalar as a line. A cell
// shows a string as its text and any other value as compact JSON, under the
// same \uXXXX rule, and wraps within its column; tables break across pages and
// repeat their header row; every page ends with "Page N of M". A table shows at
// most 1000 rows, the tables of one document about 8000 lines, a cell 4000
// characters; a note says what was left out. The last section, "Request",
// repeats the lines of text verbatim in Courier, wrapped at 100 characters (at
// most 4000 lines): a test that searches pdftotext output for a long value
// should remove line breaks first, and for a value that runs over a page break
// also the running header and footer (the first two and the last two lines of
// pdftotext's page).
//
// Keys inside params control the render, from any language:
// fakeSizeBytes pads the PDF to at least that many bytes (streamed: the server
// never holds the body, so gigabytes are fine); fakeDelayMs delays the answer
// (cancelled when the client leaves; for exports it lengthens InProgress);
// fakeFail makes an export end Failed with that errorMessage (a synchronous render
// answers 500 with it).
//
// # State
//
// Exports stay InProgress for the export delay, then turn Completed or Failed;
// their content is 409 until Completed. Job runs stay queued for the job delay,
// then finish: entries of a reviewRequired job wait in "review" until delivered,
// the others are "completed". Every deliver is counted (Deliveries). Nonces are
// single use: the preview page accepts a fresh one once and sets the
// SessionCookie; a reused nonce is 401. Temporary data expires after the TTL or
// at the expiryDate the client gave.
package cxfake
