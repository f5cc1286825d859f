package dispatch

import (
	"cmp"
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/cxclient/cxreports/core"
	json "github.com/goccy/go-json"
)

// render_batch: core.RenderBatch behind the C ABI. Items arrive as one JSON array
// (each element as core.ParseBatchItem reads it); a bad element fails alone. Each
// finished item is a progress event, so a caller of cx_call_async sees results as
// they come; the envelope holds them all, in input order.

// batchItemEvent is the progress event, and the result entry, of one item.
type batchItemEvent struct {
	Stage        string     `json:"stage"` // "item"
	Index        int        `json:"index"` // position in items
	Output       string     `json:"output"`
	Status       string     `json:"status"` // ok | skipped | failed
	Bytes        int64      `json:"bytes"`
	RemovedTemps int        `json:"removed_temps"` // stale temporaries of a killed run removed beside output
	Error        *errorBody `json:"error"`         // null unless failed
}

// batchCounts is the progress event that follows each item, and the envelope's data.
type batchCounts struct {
	Stage        string           `json:"stage,omitempty"` // "batch" in events
	OK           int              `json:"ok"`
	Failed       int              `json:"failed"`
	Skipped      int              `json:"skipped"`
	Throttled    int              `json:"throttled"`     // 429/503 answers the batch slowed down for
	Limit        int              `json:"limit"`         // renders allowed in flight now
	RemovedTemps int              `json:"removed_temps"` // stale temporaries removed
	Total        int              `json:"total"`
	Elapsed      float64          `json:"elapsed"`
	Results      []batchItemEvent `json:"results,omitempty"` // envelope only
}

func registerBatch() {
	register(&method{Name: "render_batch", Kind: kindStream, Result: "{ok, failed, skipped, throttled, limit, removed_temps, total, elapsed, results}", Progress: true,
		Doc: "Render many reports (post_pdf to files, written atomically; existing outputs skipped unless force; a later item " +
			"with the same output as an earlier one fails, naming both; stale temporaries of a killed run removed beside each " +
			"output); concurrency \"auto\" adapts to the server's 429/503. Progress events: {stage:item, index, output, status, " +
			"bytes, removed_temps, error} per finished item, then {stage:batch, ok, failed, skipped, throttled, limit, " +
			"removed_temps, total, elapsed}.",
		Args: []param{req("items"), opt("out_dir"), opt("concurrency"), opt("force"), opt("retries")},
		call: renderBatch})
}

func renderBatch(ctx context.Context, c *core.Client, a *callArgs, _ func(core.Progress)) (outcome, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(a.Items, &elems); err != nil {
		return outcome{}, newError(CodeInvalidArgument, "render_batch: argument \"items\" is not a JSON array: "+err.Error())
	}
	opts := core.BatchOptions{Force: a.Force, Total: len(elems)}
	if a.Concurrency != nil {
		opts.Concurrency = *a.Concurrency
	}
	if a.Retries != nil {
		opts.Retries = *a.Retries
		if opts.Retries == 0 {
			opts.Retries = -1 // 0 here means none; core's 0 means its default
		}
	}
	// The limit in force before the core's first report (an item that fails
	// while it is read comes first).
	limit := cmp.Or(opts.Concurrency, core.AutoStartConcurrency)
	b := &batchRun{start: time.Now(), emit: a.emit, sum: batchCounts{Total: len(elems), Limit: limit}, results: make([]batchItemEvent, len(elems))}
	items := func(yield func(core.BatchItem) bool) {
		for i, raw := range elems {
			it, err := core.ParseBatchItem(raw, a.OutDir)
			if err != nil {
				b.record(batchItemEvent{Index: i, Status: core.BatchFailed, Error: ptr(errorFor(err))})
				continue
			}
			b.mu.Lock()
			b.indexOf = append(b.indexOf, i)
			b.mu.Unlock()
			if !yield(it) {
				return
			}
		}
	}
	opts.Progress = func(p core.BatchProgress) {
		b.mu.Lock()
		b.sum.Throttled, b.sum.Limit = p.Throttled, p.Limit
		b.mu.Unlock()
	}
	opts.ItemName = func(i int) string {
		b.mu.Lock()
		defer b.mu.Unlock()
		return "item " + strconv.Itoa(b.indexOf[i])
	}
	for r := range c.RenderBatch(ctx, items, opts) {
		ev := batchItemEvent{Output: r.Item.Output, Status: r.Status, Bytes: r.Bytes, RemovedTemps: r.RemovedTemps}
		if r.Err != nil {
			ev.Error = ptr(errorFor(r.Err))
		}
		b.mu.Lock()
		ev.Index = b.indexOf[r.Index]
		b.mu.Unlock()
		b.record(ev)
	}
	if err := ctx.Err(); err != nil {
		return outcome{}, err
	}
	b.sum.Elapsed = time.Since(b.start).Seconds()
	b.sum.Results = b.results
	return outcome{data: b.sum}, nil
}

func ptr[T any](v T) *T { return &v }

// batchRun collects one render_batch's results; the item reader and the results
// loop both record into it.
type batchRun struct {
	start   time.Time
	emit    func([]byte)
	mu      sync.Mutex
	indexOf []int // item number given to the core -> index in items
	sum     batchCounts
	results []batchItemEvent
}

func (b *batchRun) record(ev batchItemEvent) {
	ev.Stage = "item"
	b.mu.Lock()
	switch ev.Status {
	case core.BatchOK:
		b.sum.OK++
	case core.BatchSkipped:
		b.sum.Skipped++
	default:
		b.sum.Failed++
	}
	b.sum.RemovedTemps += ev.RemovedTemps
	b.results[ev.Index] = ev
	counts := b.sum
	b.mu.Unlock()
	if b.emit == nil {
		return
	}
	counts.Stage, counts.Elapsed = "batch", time.Since(b.start).Seconds()
	for _, v := range []any{ev, counts} {
		if data, err := json.Marshal(v); err == nil {
			b.emit(data)
		}
	}
}
