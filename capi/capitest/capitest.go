// Package capitest drives the real exported C functions of libcxreports from Go
// tests. A _test.go file cannot use cgo, so the C-calling helpers live here, in a
// package only capi's tests import (libtailscale's pattern): the symbols resolve
// against the //export functions linked into capi's test binary. It includes the
// hand-written public header, so the tests also prove that its prototypes match
// the library.
package capitest

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cxreports.h"

// async_result collects what the callbacks of one cx_call_async deliver.
typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done_calls;
	int progress_calls;
	int progress_after_done;
	uint64_t done_id;
	char* env;
	uint8_t* data;
	size_t len;
} async_result;

static async_result* async_new(void) {
	async_result* r = calloc(1, sizeof *r);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	return r;
}

static void async_done(uint64_t id, char* env, uint8_t* data, size_t len, void* ud) {
	async_result* r = ud;
	pthread_mutex_lock(&r->mu);
	r->done_calls++;
	if (r->env == NULL) {
		r->done_id = id;
		r->env = env;
		r->data = data;
		r->len = len;
	} else {
		cx_free(env);
		cx_free(data);
	}
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

static void async_progress(uint64_t id, char* ev, void* ud) {
	async_result* r = ud;
	(void)id;
	pthread_mutex_lock(&r->mu);
	r->progress_calls++;
	if (r->done_calls) r->progress_after_done++;
	pthread_mutex_unlock(&r->mu);
	cx_free(ev);
}

static uint64_t async_start(cx_handle h, const char* m, const char* a, async_result* r, int with_progress) {
	return cx_call_async(h, m, a, async_done, with_progress ? async_progress : NULL, r);
}

// async_wait waits up to secs for done; returns the number of done calls so far.
static int async_wait(async_result* r, int secs) {
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += secs;
	pthread_mutex_lock(&r->mu);
	int rc = 0;
	while (r->done_calls == 0 && rc == 0) rc = pthread_cond_timedwait(&r->cv, &r->mu, &ts);
	int n = r->done_calls;
	pthread_mutex_unlock(&r->mu);
	return n;
}

static void async_free(async_result* r) {
	cx_free(r->env);
	cx_free(r->data);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
}

// The log sink keeps the last lines in C memory.
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int log_count;
static char log_last[4096];
static int log_bad_level;

static void log_sink(int level, char* msg, void* ud) {
	(void)ud;
	pthread_mutex_lock(&log_mu);
	log_count++;
	if (level < 0 || level > 3) log_bad_level++;
	strncpy(log_last, msg, sizeof log_last - 1);
	pthread_mutex_unlock(&log_mu);
	cx_free(msg);
}

// call_loop runs n cx_call + cx_free on a new pthread - a thread the Go runtime
// did not create, as in a C host - and returns the elapsed nanoseconds.
typedef struct { cx_handle h; const char* m; const char* a; int n; int bad; } loop_args;

static void* loop_main(void* p) {
	loop_args* la = p;
	if (la->m == NULL) {
		for (int i = 0; i < la->n; i++) la->bad += cx_abi_version() != 1;
		return NULL;
	}
	for (int i = 0; i < la->n; i++) {
		char* env = cx_call(la->h, la->m, la->a);
		if (env == NULL || strncmp(env, "{\"ok\":true", 10) != 0) la->bad++;
		cx_free(env);
	}
	return NULL;
}

static long long call_loop(cx_handle h, const char* m, const char* a, int n, int* bad) {
	loop_args la = {h, m, a, n, 0};
	struct timespec t0, t1;
	pthread_t t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&t, NULL, loop_main, &la);
	pthread_join(t, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*bad = la.bad;
	return (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
}

// wake_round_trip measures n round trips between two C threads through a
// condition variable: two OS thread wake-ups each, the floor under any call that
// waits for another thread. Returns nanoseconds per round trip.
static pthread_mutex_t pp_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cv = PTHREAD_COND_INITIALIZER;
static int pp_turn;
static int pp_n;

static void* pp_other(void* p) {
	(void)p;
	for (int i = 0; i < pp_n; i++) {
		pthread_mutex_lock(&pp_mu);
		while (pp_turn != 1) pthread_cond_wait(&pp_cv, &pp_mu);
		pp_turn = 0;
		pthread_cond_broadcast(&pp_cv);
		pthread_mutex_unlock(&pp_mu);
	}
	return NULL;
}

static long long wake_round_trip(int n) {
	pthread_t t;
	struct timespec t0, t1;
	pp_n = n;
	pp_turn = 0;
	pthread_create(&t, NULL, pp_other, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		pthread_mutex_lock(&pp_mu);
		pp_turn = 1;
		pthread_cond_broadcast(&pp_cv);
		while (pp_turn != 0) pthread_cond_wait(&pp_cv, &pp_mu);
		pthread_mutex_unlock(&pp_mu);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(t, NULL);
	return ((long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec)) / n;
}

// c_heap_in_use is what the C heap has handed out and not taken back: small
// blocks in the arenas plus blocks mapped on their own (large downloads).
static size_t c_heap_in_use(void) {
	struct mallinfo2 m = mallinfo2();
	return m.uordblks + m.hblkhd;
}

static void log_on(int min) { cx_set_log_callback(log_sink, min, NULL); }
static void log_off(void) { cx_set_log_callback(NULL, 0, NULL); }
static int log_read(char* out, size_t n, int* bad) {
	pthread_mutex_lock(&log_mu);
	int c = log_count;
	strncpy(out, log_last, n - 1);
	out[n - 1] = 0;
	*bad = log_bad_level;
	pthread_mutex_unlock(&log_mu);
	return c;
}
*/
import "C"

import (
	"errors"
	"time"
	"unsafe"
)

// take copies a library string into Go and frees it with cx_free.
func take(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.cx_free(unsafe.Pointer(p))
	return s
}

// cstr returns a C copy of s, or NULL for nil; free with the returned func.
func cstr(s *string) (*C.char, func()) {
	if s == nil {
		return nil, func() {}
	}
	p := C.CString(*s)
	return p, func() { C.free(unsafe.Pointer(p)) }
}

// Str makes a *string for the helpers; nil stands for a NULL pointer.
func Str(s string) *string { return &s }

func ABIVersion() int      { return int(C.cx_abi_version()) }
func Version() string      { return take(C.cx_version()) }
func Methods() string      { return take(C.cx_methods()) }
func Free(h uint64) string { return take(C.cx_client_free(C.cx_handle(h))) }
func Cancel(id uint64) int { return int(C.cx_cancel(C.uint64_t(id))) }
func FreeNull()            { C.cx_free(nil) }

// FreeC releases a pointer the library handed out (cx_free).
func FreeC(p unsafe.Pointer) { C.cx_free(p) }

// ClientNew calls cx_client_new; config nil passes NULL; noErr passes a NULL
// error_json pointer.
func ClientNew(config *string, noErr bool) (uint64, string) {
	c, done := cstr(config)
	defer done()
	if noErr {
		return uint64(C.cx_client_new(c, nil)), ""
	}
	var e *C.char
	h := C.cx_client_new(c, &e)
	return uint64(h), take(e)
}

// Call calls cx_call; nil strings pass NULL.
func Call(h uint64, method, args *string) string {
	m, dm := cstr(method)
	defer dm()
	a, da := cstr(args)
	defer da()
	return take(C.cx_call(C.cx_handle(h), m, a))
}

// CallBytes calls cx_call_bytes; nullOut passes NULL out pointers.
func CallBytes(h uint64, method, args *string, nullOut bool) (string, []byte) {
	m, dm := cstr(method)
	defer dm()
	a, da := cstr(args)
	defer da()
	if nullOut {
		return take(C.cx_call_bytes(C.cx_handle(h), m, a, nil, nil)), nil
	}
	var data *C.uint8_t
	var n C.size_t
	env := take(C.cx_call_bytes(C.cx_handle(h), m, a, &data, &n))
	var b []byte
	if data != nil {
		b = C.GoBytes(unsafe.Pointer(data), C.int(n))
		C.cx_free(unsafe.Pointer(data))
	}
	return env, b
}

// Async is one cx_call_async in flight.
type Async struct {
	ID uint64
	r  *C.async_result
}

// AsyncResult is what its callbacks delivered.
type AsyncResult struct {
	DoneCalls, ProgressCalls, ProgressAfterDone int
	DoneID                                      uint64
	Envelope                                    string
	Data                                        []byte
}

// CallAsync starts cx_call_async with C callbacks.
func CallAsync(h uint64, method, args *string, withProgress bool) *Async {
	m, dm := cstr(method)
	defer dm()
	a, da := cstr(args)
	defer da()
	r := C.async_new()
	p := C.int(0)
	if withProgress {
		p = 1
	}
	return &Async{ID: uint64(C.async_start(C.cx_handle(h), m, a, r, p)), r: r}
}

// CallAsyncNullDone passes a NULL done callback; the result is the request id.
func CallAsyncNullDone(h uint64) uint64 {
	m, a := C.CString("get_workspaces"), C.CString("{}")
	defer C.free(unsafe.Pointer(m))
	defer C.free(unsafe.Pointer(a))
	return uint64(C.cx_call_async(C.cx_handle(h), m, a, nil, nil, nil))
}

// ErrNoDone is returned by Wait when done did not arrive in time.
var ErrNoDone = errors.New("done callback did not arrive")

// Wait waits for done (up to secs), then a little longer to catch a second done,
// and releases the C state.
func (a *Async) Wait(secs int) (AsyncResult, error) {
	if C.async_wait(a.r, C.int(secs)) == 0 {
		return AsyncResult{}, ErrNoDone
	}
	time.Sleep(20 * time.Millisecond) // a wrong second done would show up now
	r := a.r
	res := AsyncResult{DoneCalls: int(r.done_calls), ProgressCalls: int(r.progress_calls),
		ProgressAfterDone: int(r.progress_after_done), DoneID: uint64(r.done_id), Envelope: C.GoString(r.env)}
	if r.data != nil {
		res.Data = C.GoBytes(unsafe.Pointer(r.data), C.int(r.len))
	}
	C.async_free(r)
	a.r = nil
	return res, nil
}

// CallLoop times n cx_call of method/args from a C thread; bad counts failed calls.
func CallLoop(h uint64, method, args string, n int) (elapsed time.Duration, bad int) {
	m, a := C.CString(method), C.CString(args)
	if method == "" {
		m = nil
	}
	defer C.free(unsafe.Pointer(m))
	defer C.free(unsafe.Pointer(a))
	var b C.int
	ns := C.call_loop(C.cx_handle(h), m, a, C.int(n), &b)
	return time.Duration(ns), int(b)
}

// CHeapInUse is the number of bytes malloc has handed out and not yet had back
// (glibc's mallinfo2: arena blocks in use plus mmap'd blocks).
func CHeapInUse() int { return int(C.c_heap_in_use()) }

// WakeRoundTrip is the cost of two OS thread wake-ups on this machine (see the C).
func WakeRoundTrip(n int) time.Duration { return time.Duration(C.wake_round_trip(C.int(n))) }

// LogOn / LogOff set and clear a C log callback; LogState reads what it got.
func LogOn(min int) { C.log_on(C.int(min)) }
func LogOff()       { C.log_off() }
func LogState() (count int, last string, badLevels int) {
	buf := make([]byte, 4096)
	var bad C.int
	n := C.log_read((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &bad)
	return int(n), C.GoString((*C.char)(unsafe.Pointer(&buf[0]))), int(bad)
}

// InboxNew calls cx_inbox_new; nullFD passes a NULL notify_fd.
func InboxNew(nullFD bool) (id uint64, fd int, errEnv string) {
	var e *C.char
	if nullFD {
		return uint64(C.cx_inbox_new(nil, &e)), -1, take(e)
	}
	var f C.int
	q := C.cx_inbox_new(&f, &e)
	return uint64(q), int(f), take(e)
}

// InboxCall calls cx_inbox_call; nil strings pass NULL.
func InboxCall(q, h uint64, method, args *string, progress bool) uint64 {
	m, dm := cstr(method)
	defer dm()
	a, da := cstr(args)
	defer da()
	p := C.int(0)
	if progress {
		p = 1
	}
	return uint64(C.cx_inbox_call(C.uint64_t(q), C.cx_handle(h), m, a, p))
}

// Event is a cx_event copied into Go (its text and data freed with cx_free).
type Event struct {
	Kind, Level int
	ID          uint64
	Text        string
	Data        []byte
}

// InboxNext calls cx_inbox_next; false when it returned 0.
func InboxNext(q uint64) (Event, bool) {
	var e C.cx_event
	if C.cx_inbox_next(C.uint64_t(q), &e) == 0 {
		return Event{}, false
	}
	ev := Event{Kind: int(e.kind), Level: int(e.level), ID: uint64(e.request_id), Text: take(e.text)}
	if e.data != nil {
		ev.Data = C.GoBytes(unsafe.Pointer(e.data), C.int(e.len))
		C.cx_free(unsafe.Pointer(e.data))
	}
	return ev, true
}

// InboxNextNull calls cx_inbox_next with a NULL out pointer.
func InboxNextNull(q uint64) int { return int(C.cx_inbox_next(C.uint64_t(q), nil)) }

func InboxAdopt(q, h uint64) int    { return int(C.cx_inbox_adopt(C.uint64_t(q), C.cx_handle(h))) }
func InboxSetLog(q uint64, min int) { C.cx_inbox_set_log(C.uint64_t(q), C.int(min)) }
func InboxClose(q uint64)           { C.cx_inbox_close(C.uint64_t(q)) }

// StreamOpen calls cx_stream_open; nil strings pass NULL, noResult a NULL
// result_json pointer.
func StreamOpen(h uint64, method, args *string, noResult bool) (uint64, string) {
	m, dm := cstr(method)
	defer dm()
	a, da := cstr(args)
	defer da()
	if noResult {
		return uint64(C.cx_stream_open(C.cx_handle(h), m, a, nil)), ""
	}
	var r *C.char
	id := C.cx_stream_open(C.cx_handle(h), m, a, &r)
	return uint64(id), take(r)
}

// StreamRead calls cx_stream_read with a C buffer of size n (NULL when n < 0)
// and returns its result, the bytes read and the error envelope.
func StreamRead(id uint64, n int) (int64, []byte, string) {
	var buf *C.uint8_t
	if n >= 0 {
		buf = (*C.uint8_t)(C.malloc(C.size_t(max(n, 1))))
		defer C.free(unsafe.Pointer(buf))
	}
	var e *C.char
	got := int64(C.cx_stream_read(C.uint64_t(id), buf, C.size_t(max(n, 0)), &e))
	var data []byte
	if got > 0 {
		data = C.GoBytes(unsafe.Pointer(buf), C.int(got))
	}
	return got, data, take(e)
}

// StreamClose calls cx_stream_close.
func StreamClose(id uint64) int { return int(C.cx_stream_close(C.uint64_t(id))) }

// InboxStreamOpen calls cx_inbox_stream_open; nil strings pass NULL.
func InboxStreamOpen(q, h uint64, method, args *string) uint64 {
	m, dm := cstr(method)
	defer dm()
	a, da := cstr(args)
	defer da()
	return uint64(C.cx_inbox_stream_open(C.uint64_t(q), C.cx_handle(h), m, a))
}

// InboxStreamRead calls cx_inbox_stream_read.
func InboxStreamRead(q, stream uint64, capacity int) uint64 {
	return uint64(C.cx_inbox_stream_read(C.uint64_t(q), C.uint64_t(stream), C.size_t(capacity)))
}
