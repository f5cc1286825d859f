// Command cxfake runs the fake CxReports server (package core/cxfake) on
// 127.0.0.1 for tests and demos in any language.
//
//	cxfake -port 0 -export-delay 300ms
//
// It prints exactly one JSON line on stdout,
// {"url":"http://127.0.0.1:PORT","token":"...","workspace_id":1,"workspace_code":"main","pid":N},
// and nothing else there; it serves until SIGINT or SIGTERM. Diagnostics go to
// stderr. The /_fake/ control API (see the package documentation) injects faults
// and reads statistics.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/cxclient/cxreports/core/cxfake"
)

type banner struct {
	URL           string `json:"url"`
	Token         string `json:"token"`
	WorkspaceID   int64  `json:"workspace_id"`
	WorkspaceCode string `json:"workspace_code"`
	PID           int    `json:"pid"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cxfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.Int("port", 0, "TCP port on 127.0.0.1 (0 = a free port)")
	exportDelay := fs.Duration("export-delay", 300*time.Millisecond, "time an export stays InProgress")
	jobDelay := fs.Duration("job-delay", 300*time.Millisecond, "time a job run stays queued")
	token := fs.String("token", "", "bearer token to accept (default: a random one, printed in the JSON line)")
	ttl := fs.Duration("temp-data-ttl", time.Hour, "lifetime of temporary data without an expiryDate")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cxfake: unexpected arguments %q; see cxfake -h\n", fs.Args())
		return 2
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(stderr, "cxfake: -port must be 0..65535, got %d\n", *port)
		return 2
	}
	srv, err := cxfake.Start(
		cxfake.WithAddr("127.0.0.1:"+strconv.Itoa(*port)),
		cxfake.WithExportDelay(*exportDelay),
		cxfake.WithJobDelay(*jobDelay),
		cxfake.WithToken(*token),
		cxfake.WithTempDataTTL(*ttl),
	)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	defer srv.Close()

	// Subscribe before announcing, so a signal sent right after the line is read is not lost.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	line, _ := json.Marshal(banner{URL: srv.URL, Token: srv.Token, WorkspaceID: srv.WorkspaceID, WorkspaceCode: srv.WorkspaceCode, PID: os.Getpid()})
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		fmt.Fprintf(stderr, "cxfake: cannot write to stdout: %v\n", err)
		return 1
	}
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync() // a pipe rejects Sync harmlessly; a file gets the line on disk
	}
	s := <-sig
	fmt.Fprintf(stderr, "cxfake: %v, stopping\n", s)
	return 0
}
