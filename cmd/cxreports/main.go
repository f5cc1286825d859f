// Command cxreports is the CxReports client as a static program, for shell
// scripts, cron jobs and systems with no Go, Python or Node: the API's calls as
// subcommands, and batch rendering of many reports with bounded concurrency.
//
//	export CXREPORTS_URL=https://tenant.cx-reports.app CXREPORTS_TOKEN=... CXREPORTS_WORKSPACE=main
//	cxreports reports
//	cxreports pdf invoice -o invoice.pdf --param month=2026-11
//	cxreports batch invoices.jsonl --out out/ --results results.jsonl
//
// Exit status: 0 when everything worked, 1 when a call or some batch items failed,
// 2 for usage or configuration errors, 130 when interrupted (Ctrl-C).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := app.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return app.status
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "cxreports: interrupted")
		return exitInterrupted
	}
	var ue *usageError
	if errors.As(err, &ue) || !app.ran {
		fmt.Fprintln(stderr, "cxreports:", err)
		return exitUsage
	}
	fmt.Fprintln(stderr, "cxreports:", err)
	return exitFailed
}

// usageError is a mistake in the command line or the configuration: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }
