package main

import (
	"io"
	"os"
	"strings"

	"github.com/cxclient/cxreports/core"
	"github.com/spf13/cobra"
)

// app holds one run's settings and streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	url, token, ws string
	caBundle       string
	timeout        float64
	status         int  // exit status of a command that ran (batch: 1 when items failed)
	ran            bool // a command started its work: errors from here on are failures, not usage
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "cxreports",
		Short:         "The CxReports API from the command line, and batch rendering",
		Long:          "cxreports calls the CxReports v1 API. Configure it with CXREPORTS_URL, CXREPORTS_TOKEN and\nCXREPORTS_WORKSPACE (an id or a code), or the flags --url, --token and --workspace.\nExit status: 0 ok, 1 failures, 2 usage or configuration errors, 130 interrupted.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usagef("%v (see %s --help)", err, c.CommandPath()) })
	f := root.PersistentFlags()
	f.StringVar(&a.url, "url", os.Getenv("CXREPORTS_URL"), "tenant URL (env CXREPORTS_URL)")
	f.StringVar(&a.token, "token", os.Getenv("CXREPORTS_TOKEN"), "personal access token (env CXREPORTS_TOKEN)")
	f.StringVar(&a.ws, "workspace", os.Getenv("CXREPORTS_WORKSPACE"), "workspace id or code (env CXREPORTS_WORKSPACE)")
	f.Float64Var(&a.timeout, "timeout", 60, "seconds each HTTP attempt may stay silent")
	f.StringVar(&a.caBundle, "ca-bundle", os.Getenv("CXREPORTS_CA_BUNDLE"), "PEM file of extra trusted CAs, for a tenant behind a private CA (env CXREPORTS_CA_BUNDLE)")
	root.AddCommand(a.listCommands()...)
	root.AddCommand(a.pdfCommand(), a.exportCommand(), a.jobRunCommand(), a.previewCommand(), a.tempDataCommand(), a.batchCommand())
	return root
}

// client makes the API client from the flags and the environment.
// withClient runs a command's work with a client for the flags' tenant, closed
// when the work is done.
func (a *app) withClient(run func(c *core.Client) error) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	defer c.Close()
	return run(c)
}

func (a *app) client() (*core.Client, error) {
	if strings.TrimSpace(a.url) == "" {
		return nil, usagef("no tenant URL: set CXREPORTS_URL or pass --url")
	}
	if strings.TrimSpace(a.token) == "" {
		return nil, usagef("no token: set CXREPORTS_TOKEN or pass --token")
	}
	if strings.TrimSpace(a.ws) == "" {
		return nil, usagef("no workspace: set CXREPORTS_WORKSPACE or pass --workspace (an id or a code)")
	}
	c, err := core.New(core.Config{BaseURL: a.url, Token: a.token, DefaultWorkspace: ref(a.ws),
		Timeout: seconds(a.timeout), CABundleFile: a.caBundle, UserAgentSuffix: "cxreports-cli", Names: cliNames})
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	a.ran = true
	return c, nil
}
