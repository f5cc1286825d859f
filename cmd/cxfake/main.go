// Command cxfake runs the fake CxReports server (package cxfake) on
// 127.0.0.1 for tests and demos in any language.
//
//	cxfake -port 0 -export-delay 300ms
//	cxfake -tls -ca-file /tmp/cxfake-ca.pem -latency 20ms -bandwidth 100mbit
//	cxfake -ids guid
//	cxfake -render-slots 2
//
// It prints exactly one JSON line on stdout,
// {"url":"http://127.0.0.1:PORT","token":"...","workspace_id":1,"workspace_code":"main","pid":N,"ids":"int"},
// and nothing else there; it serves until SIGINT or SIGTERM. Diagnostics go to
// stderr. The /_fake/ control API (see the package documentation) injects faults
// and reads statistics.
//
// The server can look like one across the internet. -tls serves HTTPS (HTTP/2 and
// HTTP/1.1) with a certificate signed by a CA made up at start; the line then
// has "url":"https://..." and "ca": the CA certificate as PEM text, the one
// certificate a client must trust, and -ca-file writes it to a file first (for
// curl --cacert, REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS). -latency delays data
// in each direction of every connection (a round trip costs twice as much, a TLS
// handshake pays its round trips, a long download still streams at full speed);
// -bandwidth caps each direction of every connection.
//
// -ids guid makes the ids of exports, review documents, job runs and temporary
// data GUID strings instead of JSON numbers, as a CxReports server on .NET may
// send them ("ids" in the line says which); catalogue ids stay integers.
//
// -render-slots K serves at most K renders at once (get_pdf, post_pdf, starting
// an export, downloading export content), as a server with a bounded render pool:
// a render beyond them, its fakeDelayMs wait and body counted, is answered at
// once with 429, "Retry-After: 1" and an {"error": "..."} body, and counted in
// the stats ("render_refusals", with "render_slots", "renders_in_flight" and
// "peak_renders"). 0, the default, is unlimited.
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

	"github.com/cxclient/cxreports/cxfake"
)

type banner struct {
	URL           string `json:"url"`
	Token         string `json:"token"`
	WorkspaceID   int64  `json:"workspace_id"`
	WorkspaceCode string `json:"workspace_code"`
	PID           int    `json:"pid"`
	IDs           string `json:"ids"`          // "int" or "guid", as -ids chose
	CA            string `json:"ca,omitempty"` // PEM of the CA certificate, with -tls only
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
	useTLS := fs.Bool("tls", false, "serve HTTPS (HTTP/2 and HTTP/1.1) with a CA made up at start; the JSON line gains \"ca\", its PEM")
	caFile := fs.String("ca-file", "", "with -tls: write the CA certificate (PEM) to this file before printing the JSON line")
	latency := fs.Duration("latency", 0, "delay data by this much in each direction of every connection, e.g. 20ms")
	ids := cxfake.IntIDs
	fs.TextVar(&ids, "ids", cxfake.IntIDs, "`style` of the ids of exports, review documents, job runs and temporary data: int (JSON numbers) or guid (GUID strings)")
	renderSlots := fs.Int("render-slots", 0, "serve at most this many renders (PDFs, export starts and downloads) at once; one more is answered 429 with Retry-After: 1 (0 = unlimited)")
	readHeaderTimeout := fs.Duration("read-header-timeout", 30*time.Second, "close a connection whose request headers do not arrive within this time (0 = wait forever)")
	var bandwidth bandwidthFlag
	fs.Var(&bandwidth, "bandwidth", "cap each direction of every connection at this `rate` in bits per second: 100mbit, 1gbit, 500kbit, 2000000 (0 = no cap)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: cxfake [flags]

Runs the fake CxReports server on 127.0.0.1 and prints one JSON line on stdout,
{"url","token","workspace_id","workspace_code","pid","ids"} (and "ca" with -tls),
then serves until SIGINT or SIGTERM. The control API lives under /_fake/.

Flags:
`)
		fs.PrintDefaults()
	}
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
	if *latency < 0 {
		fmt.Fprintf(stderr, "cxfake: -latency must not be negative, got %v\n", *latency)
		return 2
	}
	if *renderSlots < 0 {
		fmt.Fprintf(stderr, "cxfake: -render-slots must not be negative (0 = unlimited), got %d\n", *renderSlots)
		return 2
	}
	if *readHeaderTimeout < 0 {
		fmt.Fprintf(stderr, "cxfake: -read-header-timeout must not be negative (0 = wait forever), got %v\n", *readHeaderTimeout)
		return 2
	}
	if *caFile != "" && !*useTLS {
		fmt.Fprintf(stderr, "cxfake: -ca-file needs -tls: without it there is no CA\n")
		return 2
	}
	opts := []cxfake.Option{
		cxfake.WithAddr("127.0.0.1:" + strconv.Itoa(*port)),
		cxfake.WithExportDelay(*exportDelay),
		cxfake.WithJobDelay(*jobDelay),
		cxfake.WithToken(*token),
		cxfake.WithTempDataTTL(*ttl),
		cxfake.WithLatency(*latency),
		cxfake.WithBandwidth(int64(bandwidth)),
		cxfake.WithIDs(ids),
		cxfake.WithRenderSlots(*renderSlots),
		cxfake.WithReadHeaderTimeout(*readHeaderTimeout),
	}
	if *useTLS {
		opts = append(opts, cxfake.WithTLS())
	}
	srv, err := cxfake.Start(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	defer srv.Close()
	// The file is complete before the line announces the server, so a client
	// may read it as soon as it has the line.
	if *caFile != "" {
		if err := os.WriteFile(*caFile, srv.CAPEM, 0o644); err != nil {
			fmt.Fprintf(stderr, "cxfake: cannot write -ca-file: %v\n", err)
			return 1
		}
	}

	// Subscribe before announcing, so a signal sent right after the line is read is not lost.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	line, _ := json.Marshal(banner{URL: srv.URL, Token: srv.Token, WorkspaceID: srv.WorkspaceID, WorkspaceCode: srv.WorkspaceCode,
		PID: os.Getpid(), IDs: ids.String(), CA: string(srv.CAPEM)})
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
