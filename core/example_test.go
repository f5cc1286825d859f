package core_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cxclient/cxreports/core"
	"github.com/cxclient/cxreports/cxfake"
)

func Example() {
	srv := cxfake.NewServer() // a stand-in for https://tenant.cx-reports.app
	defer srv.Close()

	client, err := core.New(core.Config{
		BaseURL:          srv.URL,
		DefaultWorkspace: core.ID(srv.WorkspaceID),
		Token:            srv.Token,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	ctx := context.Background()

	var q core.Query
	q.Set("params", map[string]any{"title": "First page title"})
	q.Set("timezone", "UTC")
	dir, _ := os.MkdirTemp("", "cxreports-example")
	defer os.RemoveAll(dir)
	d, err := client.GetPDFToFile(ctx, core.ID(160), q, filepath.Join(dir, "report.pdf"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.ContentType, d.Filename)

	_, err = client.GetReportPages(ctx, core.ID(999))
	fmt.Println(errors.Is(err, core.ErrNotFound))
	// Output:
	// application/pdf Invoice.pdf
	// true
}

func ExampleClient_ExportToFile() {
	srv := cxfake.NewServer(cxfake.WithExportDelay(20 * time.Millisecond))
	defer srv.Close()
	client, _ := core.New(core.Config{BaseURL: srv.URL, DefaultWorkspace: core.Code("main"), Token: srv.Token})
	defer client.Close()

	dir, _ := os.MkdirTemp("", "cxreports-example")
	defer os.RemoveAll(dir)
	body := map[string]any{"data": map[string]any{"title": "Quarterly portfolio report"}}
	_, err := client.ExportToFile(context.Background(), core.Code("invoice"), body, filepath.Join(dir, "q.pdf"),
		core.WaitOptions{PollInterval: 10 * time.Millisecond, Timeout: time.Minute,
			Progress: func(p core.Progress) {
				if p.Stage == "done" {
					fmt.Println("done")
				}
			}})
	fmt.Println(err)
	// Output:
	// done
	// <nil>
}

func ExampleWithProgress() {
	srv := cxfake.NewServer()
	defer srv.Close()
	client, _ := core.New(core.Config{BaseURL: srv.URL, DefaultWorkspace: core.ID(srv.WorkspaceID), Token: srv.Token})
	defer client.Close()

	dir, _ := os.MkdirTemp("", "cxreports-example")
	defer os.RemoveAll(dir)
	var q core.Query
	q.Set("params", map[string]any{"fakeSizeBytes": 1 << 20})
	d, err := client.GetPDFToFile(context.Background(), core.ID(160), q, filepath.Join(dir, "big.pdf"),
		core.WithProgress(func(p core.Progress) {
			if p.Stage == "done" { // "downloading" events come before, throttled
				fmt.Println("done", p.BytesDone == p.BytesTotal)
			}
		}))
	fmt.Println(err, d.Bytes >= 1<<20)
	// Output:
	// done true
	// <nil> true
}
