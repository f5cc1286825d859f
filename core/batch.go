package core

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	json "github.com/goccy/go-json"
)

// BatchItem is one render of a batch: a report with its parameters and data,
// written to Output.
type BatchItem struct {
	Report    Ref    // required: the report's id or its report type's code
	Workspace Ref    // zero: the client's default workspace
	Params    any    // report parameters: a map, a struct or json.RawMessage; nil = none
	Data      any    // report data, likewise
	Format    string // "" = pdf
	Theme     string // id or code; "" = the report's own
	Template  string // id or code; "" = the report's own
	Output    string // required: the file to write; missing directories are created
}

// Outcomes of a batch item (BatchResult.Status).
const (
	BatchOK      = "ok"
	BatchSkipped = "skipped" // Output existed and BatchOptions.Force was not set
	BatchFailed  = "failed"
)

// BatchResult is the outcome of one item.
type BatchResult struct {
	Index  int // the item's position in the input, from 0
	Item   BatchItem
	Status string // BatchOK, BatchSkipped or BatchFailed
	Bytes  int64  // size of the file written (ok) or found (skipped)
	Err    error  // an *Error when Status is BatchFailed
}

// BatchOptions controls RenderBatch.
type BatchOptions struct {
	Concurrency int  // renders in flight at once; 0 = 4
	Force       bool // render items whose Output exists; by default they are skipped, so a rerun resumes
	// Retries is the number of re-sends after 429 and 503 answers, shared by the
	// whole batch: a server that keeps refusing ends the batch's patience, not
	// each item's. 0 = 50; <0 = none.
	Retries  int
	Progress func(BatchProgress) // called after each item and each 429/503, from the iterating goroutine
}

// BatchProgress counts what a batch has done so far.
type BatchProgress struct {
	OK, Failed, Skipped int           // finished items by outcome
	Throttled           int           // 429/503 answers that paused the batch
	Elapsed             time.Duration // since RenderBatch started iterating
}

const (
	defaultBatchConcurrency = 4
	defaultBatchRetries     = 50
)

// RenderBatch renders items with bounded concurrency and yields one result per
// item, in the order they finish. Each render is a post_pdf streamed to a
// temporary file beside Output and renamed into place, so an output is either
// complete or absent. When the server answers 429 or 503 the whole batch pauses:
// for the Retry-After the server asked for (capped by RetryPolicy.MaxRetryAfter),
// else for a growing, jittered back-off; then the refused render is sent again
// while the shared retry budget lasts. Canceling ctx, or breaking out of the loop,
// cancels the renders in flight; their temporary files are removed.
//
// items is read from one goroutine, lazily, as renders free up, so it may be a
// stream (a file read line by line). The Progress callback and the loop body run
// on the caller's goroutine.
func (c *Client) RenderBatch(ctx context.Context, items iter.Seq[BatchItem], o BatchOptions) iter.Seq[BatchResult] {
	return func(yield func(BatchResult) bool) {
		if ctx == nil {
			ctx = context.Background()
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		b := &batch{c: c, o: o, start: time.Now(), events: make(chan BatchResult)}
		b.budget = o.Retries
		if b.budget == 0 {
			b.budget = defaultBatchRetries
		}
		workers := o.Concurrency
		if workers <= 0 {
			workers = defaultBatchConcurrency
		}
		jobs := make(chan batchJob)
		go func() {
			defer close(jobs)
			i := 0
			for it := range items {
				select {
				case jobs <- batchJob{i, it}:
				case <-ctx.Done():
					return
				}
				i++
			}
		}()
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					b.events <- b.render(ctx, j)
				}
			}()
		}
		go func() {
			wg.Wait()
			close(b.events)
		}()
		stopped := false
		for r := range b.events {
			if stopped {
				continue // drain: the workers end once their renders see ctx canceled
			}
			if r.Index < 0 { // a throttle event, for Progress only
				b.progress.Throttled++
				b.report()
				continue
			}
			switch r.Status {
			case BatchOK:
				b.progress.OK++
			case BatchSkipped:
				b.progress.Skipped++
			default:
				b.progress.Failed++
			}
			b.report()
			if !yield(r) {
				stopped = true
				cancel()
			}
		}
	}
}

type batchJob struct {
	index int
	item  BatchItem
}

// batch is the state one RenderBatch shares between its workers.
type batch struct {
	c        *Client
	o        BatchOptions
	start    time.Time
	events   chan BatchResult // results, and throttle notices (Index -1)
	progress BatchProgress    // touched by the iterating goroutine only

	mu     sync.Mutex
	budget int       // re-sends left; <0 = none
	until  time.Time // no render starts before this
	streak int       // 429/503 answers since the last success, for the back-off
}

func (b *batch) report() {
	if b.o.Progress != nil {
		b.progress.Elapsed = time.Since(b.start)
		b.o.Progress(b.progress)
	}
}

// render runs one item to its outcome.
func (b *batch) render(ctx context.Context, j batchJob) BatchResult {
	r := BatchResult{Index: j.index, Item: j.item, Status: BatchFailed}
	it := j.item
	if !it.Report.IsSet() {
		r.Err = b.c.finish(inputError("batch item %d has no report", j.index))
		return r
	}
	if it.Output == "" {
		r.Err = b.c.finish(inputError("batch item %d has no output path", j.index))
		return r
	}
	if fi, err := os.Stat(it.Output); err == nil && !fi.IsDir() && !b.o.Force {
		r.Status, r.Bytes = BatchSkipped, fi.Size()
		return r
	}
	body, err := batchBody(it)
	if err != nil {
		r.Err = err
		return r
	}
	if err := os.MkdirAll(filepath.Dir(it.Output), 0o755); err != nil {
		r.Err = b.c.finish(&Error{Code: CodeIO, Err: err,
			Message: "I/O error: cannot create the directory of " + it.Output + ": " + err.Error() + ". Check the output path and its permissions."})
		return r
	}
	var opts []CallOption
	if it.Workspace.IsSet() {
		opts = append(opts, InWorkspace(it.Workspace))
	}
	for {
		if err := b.wait(ctx); err != nil {
			r.Err = b.c.finish(&Error{Code: CodeCanceled, Err: context.Canceled,
				Message: "Request canceled: the batch was canceled before item " + itoa(j.index) + " was rendered."})
			return r
		}
		d, err := b.c.PostPDFToFile(ctx, it.Report, json.RawMessage(body), it.Output, opts...)
		if err == nil {
			b.succeeded()
			r.Status, r.Bytes, r.Err = BatchOK, d.Bytes, nil
			return r
		}
		var e *Error
		if !errors.As(err, &e) || (e.Status != http.StatusTooManyRequests && e.Status != http.StatusServiceUnavailable) || !b.throttled(e) {
			r.Err = err
			return r
		}
		select {
		case b.events <- BatchResult{Index: -1}:
		case <-ctx.Done():
		}
	}
}

// batchBody is the post_pdf body of an item: params, data, format, theme and
// template, each only when set.
func batchBody(it BatchItem) ([]byte, error) {
	var out bytes.Buffer
	out.WriteByte('{')
	add := func(key string, v []byte) {
		if out.Len() > 1 {
			out.WriteString(pyStyle.itemSep)
		}
		writeString(&out, key, true)
		out.WriteString(pyStyle.keySep)
		out.Write(v)
	}
	for _, kv := range []struct {
		key string
		v   any
	}{{"params", it.Params}, {"data", it.Data}} {
		if kv.v == nil {
			continue
		}
		raw, err := rawValue("the batch item's "+kv.key, kv.v)
		if err != nil {
			return nil, err
		}
		add(kv.key, raw)
	}
	for _, kv := range [][2]string{{"format", it.Format}, {"theme", it.Theme}, {"template", it.Template}} {
		if kv[1] != "" {
			var s bytes.Buffer
			writeString(&s, kv[1], true)
			add(kv[0], s.Bytes())
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// wait holds a render back while the batch is paused.
func (b *batch) wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		d := time.Until(b.until)
		b.mu.Unlock()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// throttled pauses the whole batch after a 429 or 503 and takes one re-send from
// the shared budget; false means the budget is spent.
func (b *batch) throttled(e *Error) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.budget <= 0 {
		return false
	}
	b.budget--
	d := e.RetryAfter
	if d == 0 {
		p := b.c.policy
		ceil := p.MaxBackoff
		if b.streak < 30 {
			ceil = min(p.MinBackoff<<b.streak, p.MaxBackoff)
		}
		d = ceil/2 + time.Duration(rand.Int64N(int64(ceil/2)+1))
	}
	b.streak++
	if until := time.Now().Add(d); until.After(b.until) {
		b.until = until
	}
	b.c.logf(LevelInfo, "batch: the server answered %d; pausing every render for %v (%d re-sends left)", e.Status, d, b.budget)
	return true
}

func (b *batch) succeeded() {
	b.mu.Lock()
	b.streak = 0
	b.mu.Unlock()
}
