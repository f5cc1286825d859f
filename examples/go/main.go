// Command demo renders report 160 of a CxReports server to a PDF file.
//
//	CXREPORTS_URL=... CXREPORTS_TOKEN=... CXREPORTS_WORKSPACE=1 go run ./examples/go out/demo-go.pdf
//
// `make demo-go` runs it against the fake server (scripts/with-fake.sh).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/cxclient/cxreports/core"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "demo-go:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 2 {
		return errors.New("usage: demo OUTPUT.pdf (with CXREPORTS_URL, CXREPORTS_TOKEN, CXREPORTS_WORKSPACE set)")
	}
	out := os.Args[1]
	ws := core.Code(os.Getenv("CXREPORTS_WORKSPACE"))
	if n, err := strconv.ParseInt(os.Getenv("CXREPORTS_WORKSPACE"), 10, 64); err == nil {
		ws = core.ID(n)
	}
	client, err := core.New(core.Config{
		BaseURL:          os.Getenv("CXREPORTS_URL"),
		Token:            os.Getenv("CXREPORTS_TOKEN"),
		DefaultWorkspace: ws,
		UserAgentSuffix:  "demo-go",
	})
	if err != nil {
		return err
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Parameters and data travel in the JSON body (post_pdf); key order is kept.
	body := map[string]any{
		"params":   map[string]any{"title": "Demo invoice from Go"},
		"data":     map[string]any{"invoiceNumber": "GO-0001", "items": []map[string]any{{"description": "Widget", "quantity": 10}}},
		"timezone": "UTC",
	}
	d, err := client.PostPDFToFile(ctx, core.ID(160), body, out)
	if err != nil {
		var e *core.Error
		if errors.As(err, &e) && e.Code == core.CodeUnauthenticated {
			return fmt.Errorf("%w (is CXREPORTS_TOKEN right?)", err)
		}
		return err
	}
	info, _ := json.Marshal(d)
	fmt.Printf("wrote %s: %d bytes, %s\n%s\n", d.Path, d.Bytes, d.ContentType, info)
	return nil
}
