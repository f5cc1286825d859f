package core

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cxclient/cxreports/core/internal/batchlimit"
	"github.com/cxclient/cxreports/core/internal/outputset"
	"github.com/cxclient/cxreports/core/internal/partfile"
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
	Index        int // the item's position in the input, from 0
	Item         BatchItem
	Status       string // BatchOK, BatchSkipped or BatchFailed
	Bytes        int64  // size of the file written (ok) or found (skipped)
	RemovedTemps int    // stale temporaries of an earlier, killed run removed beside Output
	Err          error  // an *Error when Status is BatchFailed
}

// AutoConcurrency, as BatchOptions.Concurrency, lets the batch find how many
// renders the server takes at once (see internal/batchlimit).
const AutoConcurrency = 0

// AutoStartConcurrency is where the adaptive limit starts.
const AutoStartConcurrency = batchlimit.StartLimit

// BatchOptions controls RenderBatch.
type BatchOptions struct {
	// Concurrency is how many renders are in flight at once: AutoConcurrency (0)
	// starts at 2 and adapts to the server's 429/503 answers and render times;
	// N > 0 means exactly N.
	Concurrency int
	Force       bool // render items whose Output exists; by default they are skipped, so a rerun resumes
	// Retries is how many 429 and 503 answers in a row, with no render accepted
	// in between, the batch takes before it fails the refused items: a server
	// that keeps refusing ends the batch's patience, not each item's. 0 = 50; <0 = none.
	Retries  int
	Progress func(BatchProgress) // called after each item and each 429/503, from the iterating goroutine
	// ItemName names an item in messages, by its index: the command line says
	// "line 12". nil: "item 12".
	ItemName func(index int) string
	// Total is the number of items, when known: near the end of a batch the
	// adaptive limit stops probing for more (see internal/batchlimit). 0 = unknown.
	Total int
}

// BatchProgress counts what a batch has done so far.
type BatchProgress struct {
	OK, Failed, Skipped int           // finished items by outcome
	Throttled           int           // 429/503 answers the batch slowed down for
	Limit               int           // renders allowed in flight now (the adaptive limit moves)
	RemovedTemps        int           // stale temporaries removed so far
	Elapsed             time.Duration // since RenderBatch started iterating
}

const defaultBatchRetries = 50

// RenderBatch renders items and yields one result per item, in the order they
// finish. Each render is a post_pdf streamed to a temporary file beside Output
// and renamed into place, so an output is either complete or absent.
//
// Before anything is sent for an item, the batch checks that no earlier item
// writes the same file (after cleaning the path, and ignoring case where the
// filesystem does); such an item fails with both items named. It removes the
// temporaries a killed earlier run left beside Output (never one a live process
// is writing), and skips the item when Output exists, unless Force.
//
// When the server answers 429 or 503, the refused render waits for the
// Retry-After the server asked for (capped by RetryPolicy.MaxRetryAfter), else
// for a growing, jittered back-off, and is sent again while the batch's patience
// lasts (Retries). With a fixed Concurrency the whole batch pauses; with
// AutoConcurrency the limit drops instead, and the whole batch pauses only for a
// 503 or when the limit is down to one. Canceling ctx, or breaking out of the
// loop, cancels the renders in flight; their temporary files are removed.
//
// items is read from one goroutine, lazily, as renders free up, so it may be a
// stream (a file read line by line); the batch keeps 16 to 32 bytes per item,
// not the items. The Progress callback and the loop body run on the caller's goroutine.
func (c *Client) RenderBatch(ctx context.Context, items iter.Seq[BatchItem], o BatchOptions) iter.Seq[BatchResult] {
	return func(yield func(BatchResult) bool) {
		if ctx == nil {
			ctx = context.Background()
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		b := &batch{c: c, o: o, start: time.Now(), events: make(chan BatchResult),
			lim: batchlimit.New(o.Concurrency, cmp.Or(o.Total, -1)), outputs: outputset.New(), stale: partfile.NewSweeper()}
		b.patience = o.Retries
		if b.patience == 0 {
			b.patience = defaultBatchRetries
		}
		if b.o.ItemName == nil {
			b.o.ItemName = func(i int) string { return "item " + itoa(i) }
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.feed(ctx, items, &wg)
		}()
		go func() {
			wg.Wait()
			close(b.events)
		}()
		stopped := false
		for r := range b.events {
			if stopped {
				continue // drain: the renders end once they see ctx canceled
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
			b.progress.RemovedTemps += r.RemovedTemps
			b.report()
			if !yield(r) {
				stopped = true
				cancel()
			}
		}
	}
}

// batch is the state one RenderBatch shares between its goroutines.
type batch struct {
	c        *Client
	o        BatchOptions
	start    time.Time
	events   chan BatchResult // results, and throttle notices (Index -1)
	progress BatchProgress    // touched by the iterating goroutine only
	lim      *batchlimit.Limiter
	outputs  *outputset.Set    // the feeding goroutine's only
	stale    *partfile.Sweeper // likewise

	mu          sync.Mutex
	patience    int    // refusals in a row allowed; <0 = none
	streak      int    // 429/503 answers since the last accepted render
	rounds      int    // rounds of refusals since then, for the back-off
	lastRefusal uint64 // lim.Sent() when the last refusal came back (a count, not the clock: batchlimit.Slot)
}

func (b *batch) report() {
	if b.o.Progress != nil {
		b.progress.Elapsed = time.Since(b.start)
		b.progress.Limit = b.lim.Current()
		b.o.Progress(b.progress)
	}
}

// feed reads the items, settles those that need no render (bad, duplicate,
// skipped) at once, and starts a render for each other one as the limit allows.
func (b *batch) feed(ctx context.Context, items iter.Seq[BatchItem], wg *sync.WaitGroup) {
	i := 0
	for it := range items {
		if ctx.Err() != nil {
			return
		}
		b.lim.Read()
		r, body, ready := b.prepare(i, it)
		i++
		if !ready {
			b.events <- r
			continue
		}
		s, err := b.lim.Acquire(ctx, false)
		if err != nil {
			b.events <- b.canceled(r)
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.events <- b.render(ctx, r, body, s)
		}()
	}
}

// prepare checks an item and does what comes before its render; ready is false
// when r is already its outcome.
func (b *batch) prepare(index int, it BatchItem) (r BatchResult, body []byte, ready bool) {
	r = BatchResult{Index: index, Item: it, Status: BatchFailed}
	name := b.o.ItemName(index)
	if !it.Report.IsSet() {
		r.Err = b.c.finish(inputError("%s has no report", name))
		return r, nil, false
	}
	if it.Output == "" {
		r.Err = b.c.finish(inputError("%s has no output path", name))
		return r, nil, false
	}
	// Written where it was checked: the cleaned path. "x/../a.pdf" is a.pdf even
	// when x does not exist, which the OS would not resolve.
	it.Output = filepath.Clean(it.Output)
	r.Item = it
	if prev, dup := b.outputs.Claim(it.Output, index); dup {
		r.Err = b.c.finish(inputError("%s writes %s, the same file as %s: a batch writes each file once, so %s was not rendered. Give each item its own output.",
			name, it.Output, b.o.ItemName(prev), name))
		return r, nil, false
	}
	r.RemovedTemps = b.stale.Clean(it.Output)
	if fi, err := os.Stat(it.Output); err == nil && !fi.IsDir() && !b.o.Force {
		r.Status, r.Bytes = BatchSkipped, fi.Size()
		return r, nil, false
	}
	body, err := batchBody(it)
	if err != nil {
		r.Err = err
		return r, nil, false
	}
	if err := os.MkdirAll(filepath.Dir(it.Output), 0o755); err != nil {
		r.Err = b.c.finish(&Error{Code: CodeIO, Err: err,
			Message: "I/O error: cannot create the directory of " + it.Output + ": " + err.Error() + ". Check the output path and its permissions."})
		return r, nil, false
	}
	return r, body, true
}

func (b *batch) canceled(r BatchResult) BatchResult {
	r.Status = BatchFailed
	r.Err = b.c.finish(&Error{Code: CodeCanceled, Err: context.Canceled,
		Message: "Request canceled: the batch was canceled before " + b.o.ItemName(r.Index) + " was rendered."})
	return r
}

// render runs one item, holding slot s, to its outcome.
func (b *batch) render(ctx context.Context, r BatchResult, body []byte, s batchlimit.Slot) BatchResult {
	var opts []CallOption
	if r.Item.Workspace.IsSet() {
		opts = append(opts, InWorkspace(r.Item.Workspace))
	}
	for {
		sent := time.Now()
		d, err := b.c.PostPDFToFile(ctx, r.Item.Report, json.RawMessage(body), r.Item.Output, opts...)
		if err == nil {
			b.lim.Succeeded(s, time.Since(sent))
			b.accepted()
			r.Status, r.Bytes, r.Err = BatchOK, d.Bytes, nil
			return r
		}
		var e *Error
		if !errors.As(err, &e) || (e.Status != http.StatusTooManyRequests && e.Status != http.StatusServiceUnavailable) {
			b.lim.Release()
			r.Err = err
			return r
		}
		wait, again := b.throttled(e, s.Seq())
		// Frees the slot, and pauses everyone if it must, in one step: no render
		// may start between the two and be refused into a round of its own.
		b.lim.Refused(s, e.Status, wait)
		if !again {
			r.Err = err
			return r
		}
		b.events <- BatchResult{Index: -1}
		if !sleepCtx(ctx, wait) {
			return b.canceled(r)
		}
		if s, err = b.lim.Acquire(ctx, true); err != nil {
			return b.canceled(r)
		}
	}
}

// sleepCtx waits d, or until ctx ends (false).
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
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

// throttled counts a 429 or 503 against the batch's patience and says how long
// the refused render (its Slot's Seq is sent) waits before it goes again; false:
// patience is spent. Without a Retry-After the wait is a jittered back-off that
// doubles with each round of refusals: renders refused in one burst (sent before
// the last refusal came back) are one round, not one doubling each.
func (b *batch) throttled(e *Error, sent uint64) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.streak >= b.patience {
		return 0, false
	}
	if sent > b.lastRefusal {
		b.rounds++
	}
	b.lastRefusal = b.lim.Sent()
	d := e.RetryAfter
	if !e.retryAfterSent {
		p := b.c.policy
		ceil := p.MaxBackoff
		if b.rounds <= 30 {
			ceil = min(p.MinBackoff<<(b.rounds-1), p.MaxBackoff)
		}
		d = ceil/2 + time.Duration(rand.Int64N(int64(ceil/2)+1))
	}
	b.streak++
	b.c.logf(LevelInfo, "batch: the server answered %d; the render waits %v, %d renders allowed in flight (%d more refusals in a row allowed)",
		e.Status, d, b.lim.Current(), b.patience-b.streak)
	return d, true
}

func (b *batch) accepted() {
	b.mu.Lock()
	b.streak, b.rounds = 0, 0
	b.mu.Unlock()
}
