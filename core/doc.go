// Package core is the pure-Go CxReports v1 API client. It speaks the same wire
// protocol as the official Python client 0.0.5 (same methods, paths, query encoding
// and JSON bodies) and adds what production code needs: retries with backoff,
// typed errors that keep the server's message, streaming downloads to disk, waiting
// helpers, and one shared connection pool. The C ABI and the Python, Node and C
// bindings are built on it.
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
