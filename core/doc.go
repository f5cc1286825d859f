// Package core is the pure-Go CxReports v1 API client. It speaks the same wire
// protocol as the official Python client 0.0.5 (same methods, paths, query encoding
// and JSON bodies) and adds what production code needs: retries with backoff,
// typed errors that keep the server's message, streaming downloads to disk, waiting
// helpers, and kept-alive connections shared by all of a Client's calls. The C ABI
// and the Python, Node and C bindings are built on it.
//
// A Client sends everything through one http.Client whose RoundTripper picks one
// of two net/http Transports, each with its own connection pool, sharing the TLS
// settings and session cache: API calls go over HTTP/2 when the server offers it
// (else HTTP/1.1), calls whose answer is a file (PDFs, exports, review documents)
// over HTTP/1.1 only, which moves a large body about twice as fast as Go's HTTP/2
// client (measured in transport.go). Close cancels the calls in flight and closes
// the idle connections of both.
//
// Usage:
//
//	c, err := core.New(core.Config{
//		BaseURL:          "https://tenant.cx-reports.app",
//		DefaultWorkspace: core.ID(1),
//		Token:            os.Getenv("CXREPORTS_TOKEN"),
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer c.Close()
//
//	var q core.Query
//	q.Set("params", map[string]any{"title": "First page title"})
//	q.Set("timezone", "UTC")
//	d, err := c.GetPDFToFile(ctx, core.ID(160), q, "report.pdf")
//	if errors.Is(err, core.ErrNotFound) {
//		// the report or workspace does not exist
//	}
//
// Every workspace-scoped call takes core.InWorkspace(ref) to override the default
// workspace; workspaces, reports and jobs are addressed by core.ID(n) or
// core.Code("code"). All errors are *core.Error; errors.Is matches the Err*
// sentinels, and no error text ever contains the token.
package core
