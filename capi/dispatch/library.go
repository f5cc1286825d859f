package dispatch

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cxclient/cxreports/core"
)

// Library is the state behind the C ABI: the handle table, the in-flight
// asynchronous requests and the log callback. capi/ holds one for the process;
// tests make their own.
type Library struct {
	handles  handleTable
	requests requestRegistry
	log      logSwitch
	inboxes  inboxTable
	streams  streamTable

	// NewSink makes the sink each download of a binary method writes into; nil
	// means Go memory (NewBufferSink). capi/ sets one that writes into C memory,
	// so the bytes reach the C caller without a copy. Set it before the first
	// call.
	NewSink SinkFunc
}

// Result is what a call returns to C: the JSON envelope, and for binary methods the
// sink holding the bytes (nil otherwise; an empty file is a sink of length 0).
// The receiver owns Body: it takes the bytes or calls Free.
type Result struct {
	Envelope []byte
	Body     Sink
}

// NewClient creates a client from config_json and returns its handle, or 0 and an
// error envelope.
func (l *Library) NewClient(config []byte) (h uint64, errEnv []byte) {
	defer func() {
		if r := recover(); r != nil {
			h, errEnv = 0, PanicEnvelope("cx_client_new", r)
		}
	}()
	cfg, err := decodeConfig(config)
	if err != nil {
		return 0, encodeError(errorFor(err))
	}
	route := new(logRoute)
	cfg.Logger = l.log.loggerFor(cfg.Token, route)
	c, err := core.New(cfg)
	if err != nil {
		return 0, encodeError(errorFor(err))
	}
	h = l.handles.add(c)
	l.inboxes.setRoute(h, route)
	return h, nil
}

// FreeClient frees h; calls still in flight on it end with "canceled".
func (l *Library) FreeClient(h uint64) []byte {
	if err := l.handles.remove(h); err != nil {
		return encodeError(errorFor(err))
	}
	l.inboxes.forget(h)
	return okEnvelope([]byte("null"))
}

// Call runs method synchronously on the calling goroutine, through the core's
// ordinary HTTP path. wantBytes is false for cx_call, which rejects binary methods
// with binary_result. The call runs under the handle's context, so freeing the
// handle cancels it ("canceled"), as does a readable interrupt_fd. capi/ runs it
// on a goroutine of its own while the C caller waits outside Go (sync_unix.c, sync_windows.c).
func (l *Library) Call(h uint64, method string, args []byte, wantBytes bool) Result {
	return l.run(context.Background(), h, method, args, wantBytes, nil)
}

// CallAsync starts method on a new goroutine and returns its request id (never 0).
// done is called exactly once with the result, and progress (may be nil) zero or
// more times before it, all from that goroutine, and only after start has been
// called: the C shim calls start as the very last thing before returning, so no
// callback runs before cx_call_async has returned.
func (l *Library) CallAsync(h uint64, method string, args []byte, done func(uint64, Result), progress func(uint64, []byte)) (id uint64, start func()) {
	id = l.requests.reserve()
	ctx, cancel := context.WithCancelCause(context.Background())
	l.requests.track(id, cancel)
	gate := make(chan struct{})
	go l.finishAsync(id, gate, cancel, done, func() Result {
		var onProgress func([]byte)
		if progress != nil {
			onProgress = func(ev []byte) { progress(id, ev) }
		}
		return l.run(ctx, h, method, args, true, onProgress)
	})
	var once sync.Once
	return id, func() { once.Do(func() { close(gate) }) }
}

// FailAsync reports an error through done like CallAsync, for requests the C shim
// rejects before dispatching (a NULL method name, ...).
func (l *Library) FailAsync(code, msg string, done func(uint64, Result)) (id uint64, start func()) {
	id = l.requests.reserve()
	gate := make(chan struct{})
	env := ErrorEnvelope(code, msg)
	go l.finishAsync(id, gate, func(error) {}, done, func() Result { return Result{Envelope: env} })
	var once sync.Once
	return id, func() { once.Do(func() { close(gate) }) }
}

// finishAsync waits for the gate, runs the call, and delivers done exactly once,
// even if the call or the callback panics.
func (l *Library) finishAsync(id uint64, gate chan struct{}, cancel context.CancelCauseFunc, done func(uint64, Result), run func() Result) {
	delivered := false
	defer func() {
		if r := recover(); r != nil && !delivered {
			delivered = true
			func() {
				defer func() { _ = recover() }()
				done(id, Result{Envelope: PanicEnvelope("the asynchronous call", r)})
			}()
		}
	}()
	<-gate
	res := run()
	l.requests.untrack(id)
	cancel(nil)
	delivered = true
	done(id, res)
}

// Cancel cancels an asynchronous call; it reports whether it was in flight.
func (l *Library) Cancel(id uint64) bool { return l.requests.cancel(id) }

// SetLog sets (or with nil clears) the log callback of every client.
func (l *Library) SetLog(fn LogFunc, min int) { l.log.set(fn, min) }

// Handles is the number of live client handles (tests check it returns to 0).
func (l *Library) Handles() int { return l.handles.len() }

// Pending is the number of asynchronous calls still in flight.
func (l *Library) Pending() int { return l.requests.len() }

// run is the one path every call takes: handle, method, argument checks, then the
// core call under the right context, then the envelope.
func (l *Library) run(ctx context.Context, h uint64, name string, args []byte, wantBytes bool, progress func([]byte)) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Envelope: PanicEnvelope(name, r)}
		}
	}()
	j, res := l.prepare(h, name, args, wantBytes)
	if j == nil {
		return res
	}
	return j.execute(ctx, progress)
}

// Job is a call whose handle, method and arguments have been checked and that
// still has to run. It holds its handle (a cx_client_free meanwhile cancels it)
// until execute returns.
type Job struct {
	e *clientEntry
	m *method
	a *callArgs
}

// prepare acquires the handle, finds the method and decodes the arguments. A nil
// job means res is the (error) result.
func (l *Library) prepare(h uint64, name string, args []byte, wantBytes bool) (job *Job, res Result) {
	e, err := l.handles.acquire(h)
	if err != nil {
		return nil, Result{Envelope: encodeError(errorFor(err))}
	}
	defer func() {
		if job == nil { // failed checks, or a panic on its way up: the job never runs
			e.release()
		}
	}()
	m, ok := methodTable[name]
	if !ok {
		return nil, Result{Envelope: encodeError(errorFor(methodNotFound(name)))}
	}
	if m.binary() && !wantBytes {
		return nil, Result{Envelope: ErrorEnvelope(CodeBinaryResult, name+" returns bytes, which cx_call cannot return: use cx_call_bytes, cx_call_async, or the save_* method that writes to a path")}
	}
	a, err := decodeArgs(m, args)
	if err != nil {
		return nil, Result{Envelope: encodeError(errorFor(err))}
	}
	a.newSink = l.newSink()
	return &Job{e: e, m: m, a: a}, Result{}
}

// execute runs the core call under the right context and builds the envelope.
func (j *Job) execute(ctx context.Context, progress func([]byte)) (res Result) {
	defer j.e.release()
	m, a := j.m, j.a
	ctx, stop, errEnv := j.context(ctx)
	if errEnv != nil {
		return Result{Envelope: errEnv}
	}
	defer stop()
	emit, closeProgress := progressSink(progress)
	var onProgress func(core.Progress)
	if emit != nil {
		onProgress = func(p core.Progress) { emit(encodeProgress(p)) }
	}
	a.emit = emit
	out, err := m.call(ctx, j.e.client, a, onProgress)
	closeProgress()
	if err != nil {
		return Result{Envelope: encodeError(explainCancel(ctx, errorFor(err)))}
	}
	if out.body != nil {
		// A panic while encoding the envelope must not leak the downloaded bytes
		// (C memory under capi/): run recovers it with an envelope and no body.
		defer func() {
			if res.Body == nil {
				out.body.Free()
			}
		}()
	}
	if out.raw != nil {
		return Result{Envelope: okEnvelope(out.raw)}
	}
	if out.data == nil && !m.binary() {
		return Result{Envelope: okEnvelope([]byte("null"))}
	}
	return Result{Envelope: encodeOK(out.data), Body: out.body}
}

// context is what a call of j runs under: ctx (the call's own, for cx_cancel)
// joined with the handle's (cx_client_free), then the "interrupt_fd" and the
// "timeout" arguments (unless the timeout is the wait's own). stop releases them
// all; a bad interrupt_fd gives the error envelope instead, with nothing to stop.
func (j *Job) context(ctx context.Context) (_ context.Context, stop func(), errEnv []byte) {
	m, a := j.m, j.a
	ctx, stopHandle := callContext(ctx, j.e.ctx)
	stops := []func(){stopHandle}
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if a.HasInterruptFD {
		ictx, release, err := core.WithInterruptFD(ctx, a.InterruptFD)
		if err != nil {
			stop()
			return nil, nil, ErrorEnvelope(CodeInvalidArgument, m.Name+": argument \"interrupt_fd\": "+err.Error()+"; pass "+interruptFDHint)
		}
		stops = append(stops, release)
		ctx = ictx
	}
	if a.HasTimeout && !m.WaitTimeout {
		tctx, cancel := context.WithTimeout(ctx, a.Timeout)
		stops = append(stops, cancel)
		ctx = tctx
	}
	return ctx, stop, nil
}

// callContext combines the call's own context (cx_cancel) with the handle's
// (cx_client_free). A synchronous call has no context of its own and uses the
// handle's directly.
func callContext(call, handle context.Context) (context.Context, func()) {
	if call == context.Background() {
		return handle, func() {}
	}
	ctx, cancel := context.WithCancelCause(call)
	stop := context.AfterFunc(handle, func() { cancel(context.Cause(handle)) })
	return ctx, func() { stop(); cancel(nil) }
}

// explainCancel adds why a canceled call was canceled (cx_cancel, cx_client_free,
// interrupt_fd).
func explainCancel(ctx context.Context, b errorBody) errorBody {
	if b.Code != CodeCanceled {
		return b
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		b.Message += " (" + cause.Error() + ")"
	}
	return b
}

// progressSink passes progress events (the contract's JSON) on until closeFn:
// after it no event gets through, so progress never follows done even if the core
// reported from another goroutine.
func progressSink(progress func([]byte)) (emit func([]byte), closeFn func()) {
	if progress == nil {
		return nil, func() {}
	}
	var mu sync.Mutex
	closed := false
	emit = func(ev []byte) {
		mu.Lock()
		defer mu.Unlock()
		if !closed {
			progress(ev)
		}
	}
	return emit, func() {
		mu.Lock()
		closed = true
		mu.Unlock()
	}
}

// PanicEnvelope is the "internal" envelope of a recovered panic.
func PanicEnvelope(where string, r any) []byte {
	return ErrorEnvelope(CodeInternal, fmt.Sprintf("internal error in %s: %v; this is a bug in libcxreports, please report it", where, r))
}
