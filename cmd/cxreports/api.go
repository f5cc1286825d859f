package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cxclient/cxreports/core"
	"github.com/spf13/cobra"
)

// listCommands are the catalogue reads: the server's JSON, as it sent it.
func (a *app) listCommands() []*cobra.Command {
	list := func(use, short string, call func(ctx context.Context, c *core.Client, raw core.CallOption) error) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: cobra.NoArgs, RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withClient(func(c *core.Client) error {
				return a.printRaw(func(raw core.CallOption) error { return call(cmd.Context(), c, raw) })
			})
		}}
	}
	var reportType string
	reports := list("reports", "List the reports of the workspace (JSON)", func(ctx context.Context, c *core.Client, raw core.CallOption) error {
		_, err := c.GetReports(ctx, core.ReportsFilter{Type: reportType}, raw)
		return err
	})
	reports.Flags().StringVar(&reportType, "type", "", "only reports of this report type (code)")
	return []*cobra.Command{
		list("workspaces", "List the workspaces the token can see (JSON)", func(ctx context.Context, c *core.Client, raw core.CallOption) error {
			_, err := c.GetWorkspaces(ctx, raw)
			return err
		}),
		reports,
		list("themes", "List the themes of the workspace (JSON)", func(ctx context.Context, c *core.Client, raw core.CallOption) error {
			_, err := c.GetThemes(ctx, raw)
			return err
		}),
		list("templates", "List the report templates of the workspace (JSON)", func(ctx context.Context, c *core.Client, raw core.CallOption) error {
			_, err := c.GetTemplates(ctx, raw)
			return err
		}),
		list("jobs", "List the jobs of the workspace (JSON)", func(ctx context.Context, c *core.Client, raw core.CallOption) error {
			_, err := c.GetJobs(ctx, raw)
			return err
		}),
	}
}

func (a *app) pdfCommand() *cobra.Command {
	var out, dataFile, theme, template string
	var pf paramFlags
	cmd := &cobra.Command{
		Use:   "pdf REPORT -o FILE|-",
		Short: "Render a report (id or report-type code) to a PDF file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("pdf needs -o FILE")
			}
			params, err := a.params(pf)
			if err != nil {
				return err
			}
			item := core.BatchItem{Report: ref(args[0]), Params: params, Theme: theme, Template: template, Output: out}
			if dataFile != "" {
				if item.Data, err = a.readJSON("--data-json", dataFile); err != nil {
					return err
				}
			}
			if out == "-" {
				return a.withClient(func(c *core.Client) error {
					s, err := c.OpenPostPDF(cmd.Context(), item.Report, renderBody(item))
					if err != nil {
						return err
					}
					return a.toStdout(s)
				})
			}
			return a.withClient(func(c *core.Client) error {
				// One item, always written: the batch renderer is the one render path.
				for r := range c.RenderBatch(cmd.Context(), one(item), core.BatchOptions{Force: true, Concurrency: 1}) {
					if r.Err != nil {
						return r.Err
					}
					fmt.Fprintf(a.stderr, "wrote %s (%d bytes)\n", out, r.Bytes)
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "the PDF file to write, or - for standard output")
	pf.register(f)
	f.StringVar(&dataFile, "data-json", "", "report data: JSON in FILE, or - for standard input")
	f.StringVar(&theme, "theme", "", "theme id or code")
	f.StringVar(&template, "template", "", "template id or code")
	return cmd
}

func one(it core.BatchItem) func(func(core.BatchItem) bool) {
	return func(yield func(core.BatchItem) bool) { yield(it) }
}

func (a *app) exportCommand() *cobra.Command {
	var out, format, dataFile string
	var pf paramFlags
	var wait float64
	cmd := &cobra.Command{
		Use:   "export REPORT -o FILE|- --format F",
		Short: "Export a report asynchronously (pdf, docx, xlsx, pptx, html), wait, and save the file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" || format == "" {
				return usagef("export needs -o FILE and --format F")
			}
			params, err := a.params(pf)
			if err != nil {
				return err
			}
			body := map[string]any{"format": format}
			if len(params) > 0 {
				body["params"] = params
			}
			if dataFile != "" {
				if body["data"], err = a.readJSON("--data-json", dataFile); err != nil {
					return err
				}
			}
			if out == "-" {
				return a.withClient(func(c *core.Client) error {
					s, err := c.OpenExport(cmd.Context(), ref(args[0]), body, core.WaitOptions{Timeout: seconds(wait)})
					if err != nil {
						return err
					}
					return a.toStdout(s)
				})
			}
			return a.withClient(func(c *core.Client) error {
				d, err := c.ExportToFile(cmd.Context(), ref(args[0]), body, out, core.WaitOptions{Timeout: seconds(wait)})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "wrote %s (%d bytes, %s)\n", out, d.Bytes, d.ContentType)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "the file to write, or - for standard output")
	f.StringVar(&format, "format", "", "pdf, docx, xlsx, pptx or html")
	pf.register(f)
	f.StringVar(&dataFile, "data-json", "", "report data: JSON in FILE, or -")
	f.Float64Var(&wait, "wait-timeout", 0, "seconds to wait for the export at most (0 = no limit)")
	return cmd
}

func (a *app) jobRunCommand() *cobra.Command {
	var wait, deliver bool
	cmd := &cobra.Command{
		Use:   "job-run JOB",
		Short: "Start a run of a job (id or code); print its status as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if deliver && !wait {
				return usagef("--deliver needs --wait: entries are delivered once the run is finished")
			}
			return a.withClient(func(c *core.Client) error {
				ctx, job := cmd.Context(), ref(args[0])
				var raw json.RawMessage
				start, err := c.StartJobRun(ctx, job, nil)
				if err != nil {
					return err
				}
				if !wait {
					out, _ := json.Marshal(start)
					a.printJSON(out)
					return nil
				}
				if _, err := c.WaitForJobRun(ctx, job, start.JobRunID, core.WaitOptions{PollInterval: time.Second}, core.RawJSON(&raw)); err != nil {
					return err
				}
				if deliver {
					if err := c.DeliverJobRunEntries(ctx, job, start.JobRunID); err != nil {
						return err
					}
				}
				a.printJSON(raw)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the run is finished, then print its status")
	cmd.Flags().BoolVar(&deliver, "deliver", false, "after --wait, deliver the run's entries")
	return cmd
}

func (a *app) previewCommand() *cobra.Command {
	var pf paramFlags
	cmd := &cobra.Command{
		Use:   "preview-url REPORT",
		Short: "Print an iframe preview URL with a fresh single-use nonce",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			params, err := a.params(pf)
			if err != nil {
				return err
			}
			var q core.Query
			if len(params) > 0 {
				q.Set("params", params)
			}
			return a.withClient(func(c *core.Client) error {
				u, err := c.GetPreviewURL(cmd.Context(), ref(args[0]), q)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, u)
				return nil
			})
		},
	}
	pf.register(cmd.Flags())
	return cmd
}

func (a *app) tempDataCommand() *cobra.Command {
	var expiry string
	push := &cobra.Command{
		Use:   "push FILE",
		Short: "Store JSON data (FILE, or - for standard input) for later renders; print {tempDataId, expiryDate}",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := a.readJSON("the data", args[0])
			if err != nil {
				return err
			}
			return a.withClient(func(c *core.Client) error {
				return a.printRaw(func(raw core.CallOption) error {
					_, err := c.PushTemporaryData(cmd.Context(), core.TemporaryDataRequest{Content: data, ExpiryDate: expiry}, raw)
					return err
				})
			})
		},
	}
	push.Flags().StringVar(&expiry, "expiry", "", "ISO 8601 expiry date")
	cmd := &cobra.Command{Use: "temp-data", Short: "Temporary data for renders (push)"}
	cmd.AddCommand(push)
	return cmd
}
