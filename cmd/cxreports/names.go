package main

import "github.com/cxclient/cxreports/core"

// cliNames are the names the core's messages give settings and methods when it
// runs under this program: its own flags and environment variables, never a Go
// field (Config.BaseURL) a shell user has never seen. Settings the command line
// does not expose (back-off bounds, the User-Agent suffix) keep names that cannot
// come up: their defaults always pass the core's checks.
var cliNames = core.Names{
	BaseURL:           "--url / CXREPORTS_URL",
	Token:             "--token / CXREPORTS_TOKEN",
	Timeout:           "--timeout",
	CABundleFile:      "--ca-bundle",
	CABundlePEM:       "CXREPORTS_CA_BUNDLE",
	DefaultWorkspace:  "--workspace / CXREPORTS_WORKSPACE",
	Workspace:         `a batch line's "workspace"`,
	WaitTimeout:       "--wait-timeout",
	PostPDF:           "cxreports pdf (parameters go in a POST body)",
	PushTemporaryData: "cxreports temp-data push",
}
