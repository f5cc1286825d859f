/*
 * cxreports.h - C interface of libcxreports, the CxReports API client.
 *
 * One Go implementation of the CxReports v1 client exported as a C library
 * (build/libcxreports.so, build/libcxreports.a, pkg-config name "cxreports").
 * Every call takes JSON text in and returns JSON text (an "envelope") out, so the
 * interface stays small and stable while methods grow.
 *
 * ABI VERSION
 *   cx_abi_version() returns CX_ABI_VERSION of the library that was loaded. It is
 *   bumped on every breaking change; bindings compare it at load time.
 *
 * OWNERSHIP
 *   Every char* and uint8_t* the library returns, stores through an out pointer or
 *   passes to a callback belongs to the receiver, who must release it with cx_free()
 *   exactly once, also inside callbacks (it stays valid after the callback returns).
 *   Never release it with the platform free(): another C runtime may own the heap.
 *   cx_free(NULL) does nothing. Strings you pass in are only read during the call;
 *   the library keeps no pointer to them (cx_call_async copies its arguments before
 *   returning).
 *
 * THREADS
 *   Every function may be called from any thread at any time. One handle may be
 *   shared by many threads and used concurrently. cx_client_free() while calls are
 *   in flight on that handle is safe: those calls end with the "canceled" code (or
 *   finish first) and nothing crashes or hangs. Callbacks run on library threads,
 *   possibly several at once, so they must be thread-safe; they may call back into
 *   the library (including cx_client_free and cx_cancel). A host that must not be
 *   called from foreign threads (e.g. a Node.js worker_thread, which may end while a
 *   callback is on its way) uses an inbox instead (see INBOXES below): the library
 *   then never calls into it.
 *
 * PROCESS RULES (facts about Go shared libraries)
 *   Load at most one Go-built shared library per process; never dlclose() it; do not
 *   use the library in a child created by fork() after the library was used (start
 *   child processes with exec or "spawn"); glibc is required (musl cannot dlopen it).
 *   The library writes nothing to stdout/stderr and installs no signal handlers of
 *   its own (the Go runtime's own handlers are installed with SA_ONSTACK and chain to
 *   the host's). Its Go runtime runs with GOMAXPROCS = 2 x CPUs (at least 4) unless
 *   the GOMAXPROCS environment variable is set: a thread waiting in cx_call() keeps
 *   a Go processor reserved until the runtime reclaims it, and the calls themselves
 *   run on the runtime's own threads.
 *
 * ENVELOPE
 *   Success: {"ok":true,"data":<result>}
 *   Failure: {"ok":false,"error":{"code":"...","message":"...","status":404,
 *            "retryable":false,"server_message":"...","request_id":"...",
 *            "method":"GET","url":"https://..."}}
 *   Every error member is always present ("" / 0 / false when unknown). "status" is
 *   the HTTP status, 0 when the failure was not an HTTP answer. The message is a full
 *   sentence saying what went wrong and what to do; it never contains the token: the
 *   library never writes it anywhere but the Authorization header, and in text that
 *   came from outside (the server's words, headers and ids, lower layers' errors,
 *   URLs built from your values) every occurrence of a token of 16 bytes or more, as
 *   is or URL-escaped, is replaced by [REDACTED] (shorter tokens are not looked for,
 *   so that they never cut words out of a message; the library's own words are never
 *   scanned). Settings are named by their config keys, or by the names passed in the
 *   "names" config key. A rejected base_url is shown without its user info and never
 *   when it holds the token.
 *
 * ERROR CODES (stable; switch on "code", never on "message")
 *   unauthenticated   HTTP 401/403, or a login page where JSON or a file was expected
 *   not_found         HTTP 404
 *   http_error        any other non-2xx answer
 *   timeout           per-attempt timeout, wait deadline, or the call's "timeout"
 *   canceled          cx_cancel(), or cx_client_free() while the call was in flight
 *   connection        cannot connect, connection reset, body cut short
 *   invalid_input     a value the server cannot be sent (e.g. a query value), or a
 *                     URL over 64 KiB (use post_pdf or push_temporary_data)
 *   invalid_response  undecodable JSON, wrong content type, short body
 *   invalid_config    cx_client_new() rejected the config (junk JSON, unknown key,
 *                     wrong type, missing base_url or token, bad CA bundle, ...)
 *   export_failed     an export or job run ended as Failed (server_message = why)
 *   io_error          the local file could not be written
 *   invalid_argument  NULL pointer, junk or truncated JSON, wrong argument type,
 *                     missing required argument, unknown argument name, text that
 *                     is not UTF-8 or a \u escape of half a surrogate pair (in
 *                     args_json or the method name; nothing is sent)
 *   unknown_method    no method of that name (cx_methods() lists them); the message
 *                     quotes at most 64 bytes of it
 *   invalid_handle    handle 0, never issued, or already freed
 *   binary_result     a byte-returning method called through cx_call()
 *   internal          a bug inside the library (a recovered panic); please report
 *
 * TRANSPORT
 *   Every call, synchronous or not, goes through Go's net/http: keep-alive, TLS
 *   session resumption, proxies from HTTPS_PROXY/NO_PROXY, HTTP/2 for API calls when
 *   the server offers it over TLS, HTTP/1.1 connections of their own for the
 *   downloads (Go's HTTP/2 client moves at most 4 MiB of one answer per round trip).
 *   A GET is retried on connection errors and 408/429/502/503/504, and starts over
 *   when its body is cut after the headers and nothing was handed out yet (save_*
 *   into a fresh temporary file). A POST is sent again only when the connection
 *   could not be made: one the server may have read is never repeated, and the call
 *   ends with "connection". max_retries bounds both kinds of retry.
 *
 * METHODS (cx_call / cx_call_bytes / cx_call_async; arguments are one JSON object)
 *   Names are those of the official Python client. Ids ("id") are JSON numbers or
 *   strings (codes; "160" as a string is sent as written): pass an id exactly as an
 *   answer gave it (a number, or a string such as a GUID) and it reaches the URL
 *   path unchanged. Methods whose result is the server's JSON (arrays, objects, the
 *   last status of the waits) return it as the server sent it: same values, types,
 *   key order and unknown members. Durations are seconds.
 *   JSON null counts as an absent argument. Unknown argument names are rejected.
 *   Every method also takes "timeout" (seconds) bounding the whole call, and
 *   "interrupt_fd" (see below). The keys inside params, request_body, query_params
 *   and data are forwarded untouched, in the caller's order.
 *
 *   interrupt_fd (integer, Linux): an open file descriptor the library watches
 *   while the call runs. When it is, or becomes, readable the call is canceled
 *   wherever it is (network I/O, retry back-off, the polls of the waits) and ends
 *   with "canceled", its message saying "interrupted: interrupt_fd N became
 *   readable". The library never reads, writes or closes it: drain it before the
 *   next call (a call made while it is readable is canceled at once), and keep it
 *   open while it may be passed. Meant for hosts whose signal handling writes to a
 *   pipe, e.g. Python's signal.set_wakeup_fd(): Ctrl-C then interrupts a blocking
 *   cx_call(). One library thread per distinct fd waits in poll(2); calls add
 *   nothing to that. Negative, non-integer or not-open values are
 *   "invalid_argument"; a fd that hangs up (POLLHUP) no longer interrupts.
 *
 *   BEGIN GENERATED (generated by make generate from capi/dispatch/methods.go; do not edit)
 *   get_workspaces           -                                          -> array
 *   get_report_types         workspace_id?                              -> array
 *   get_themes               workspace_id?                              -> array
 *   get_templates            workspace_id?                              -> array
 *   get_jobs                 workspace_id?                              -> array
 *   get_reports              type?, workspace_id?, offset?, limit?      -> array
 *   get_report_pages         report_id, workspace_id?                   -> array
 *   get_pdf                  report_id, params?, workspace_id?, theme?, template? -> bytes
 *   post_pdf                 report_id, request_body?, workspace_id?    -> bytes
 *   start_report_export      report_id, request_body?, workspace_id?    -> {temporaryFileId}
 *   get_export_status        temp_file_id, workspace_id?                -> object
 *   get_export_content       temp_file_id, workspace_id?                -> bytes
 *   push_temporary_data      data, workspace_id?, expiry_date?          -> {tempDataId, expiryDate}
 *   create_auth_token        -                                          -> {nonce}
 *   get_preview_url          report_id, query_params?, workspace_id?, data? -> string
 *   start_job_run            job_id, request_body?, workspace_id?       -> {jobRunId}
 *   get_job_run_status       job_id, run_id, workspace_id?              -> object
 *   get_run_review_document  job_id, run_id, workspace_id?              -> {temporaryFileId}
 *   deliver_job_run_entries  job_id, run_id, workspace_id?              -> null
 *   get_pdf_url              report_id, params?, workspace_id?, theme?, template? -> string
 *   save_pdf                 report_id, path, params?, workspace_id?, theme?, template? -> Download
 *   save_post_pdf            report_id, path, request_body?, workspace_id? -> Download
 *   save_export_content      temp_file_id, path, workspace_id?          -> Download
 *   wait_for_export          temp_file_id, workspace_id?, timeout?, poll_interval?, max_interval? -> export status
 *   export_to_file           report_id, path, request_body?, workspace_id?, timeout?, poll_interval?, max_interval? -> Download
 *   wait_for_job_run         job_id, run_id, workspace_id?, timeout?, poll_interval?, max_interval? -> run status
 *   render_batch             items, out_dir?, concurrency?, force?, retries? -> {ok, failed, skipped, throttled, limit, removed_temps, total, elapsed, results}
 *
 *   progress events (cx_call_async): get_pdf, post_pdf, get_export_content, save_pdf,
 *     save_post_pdf, save_export_content, wait_for_export, export_to_file,
 *     wait_for_job_run, render_batch
 *   END GENERATED
 *
 *   render_batch renders many reports (post_pdf to files). items is a JSON array of
 *   {"report", "output"} plus any of params, data, format, theme, template,
 *   workspace; with out_dir, outputs are relative to it and must stay under it.
 *   Files are written atomically; existing ones are skipped unless force is true,
 *   so a rerun resumes, and the temporaries a killed earlier run left beside an
 *   output are removed first (never one a live process is writing). An item whose
 *   output is the same file as an earlier item's (after cleaning the path; ignoring
 *   case where the filesystem does) fails before anything is sent, naming both
 *   items. concurrency is "auto" (the default: starts at 2 renders in flight, more
 *   while renders succeed and stay fast, fewer after a 429 or 503) or a number N
 *   (exactly N). A refused render waits for the server's Retry-After (else a
 *   back-off) and is sent again; with a number, or for a 503, the whole batch
 *   pauses. retries is how many 429/503 answers in a row, with no render accepted
 *   in between, the batch takes (default 50, 0 = none). A bad item fails alone.
 *   Through cx_call_async each finished item is a progress event
 *   {"stage":"item","index","output","status":"ok"|"skipped"|"failed","bytes",
 *   "removed_temps","error":null|{code,message,...}}, followed by
 *   {"stage":"batch","ok","failed","skipped","throttled","limit","removed_temps",
 *   "total","elapsed"}; cx_cancel stops the batch (renders in flight are abandoned,
 *   no partial file is left) and done reports "canceled".
 *   The envelope's results hold every item in input order.
 *
 *   Methods whose result is bytes return the file through cx_call_bytes() / the done
 *   callback and {"bytes":N,"content_type":"application/pdf","filename":"..."} as envelope data.
 *   Download is {"path","bytes","content_type","filename"[, "temporary_file_id"]}
 *   (temporary_file_id as the server sent it, number or string); files are written
 *   to a temporary file beside path, then renamed into place (not fsynced). That
 *   temporary file is created before the request is sent (export_to_file: before the
 *   export starts), so a destination that cannot be written is io_error at no cost
 *   to the server.
 *   A request URL (get_pdf, save_pdf, get_pdf_url, get_preview_url: the query) longer
 *   than 64 KiB is invalid_input before anything is sent: common servers refuse 8-16
 *   KiB. Send large parameters with post_pdf, or data with push_temporary_data.
 *   cx_methods() returns this table as JSON, with argument types and docs, each
 *   method's "kind" (json, bytes, file: written to path, string, none: null,
 *   stream: results as progress events) and its "names" in the bindings
 *   ({"python","node"}). The list above is generated from the same table.
 *
 *   Progress: the methods listed under "progress events" above (the waits, the
 *   downloads and render_batch) report to the progress function of cx_call_async()
 *   ("progress":true in cx_methods()); cx_call() and cx_call_bytes() report none.
 *   A download sends "downloading" with bytes_done 0 and bytes_total (the
 *   Content-Length, -1 when unknown) when the answer starts, more "downloading"
 *   events at most one per 64 KiB and per 100 ms, and after success one "done"
 *   with bytes_done == bytes_total == the bytes delivered (save_*: once the file is
 *   in place). bytes_done never decreases, also when a cut download starts over. A
 *   failed call sends no "done".
 *
 * CONFIG (cx_client_new; unknown keys are an invalid_config error)
 *   base_url (string, required), token (string, required),
 *   default_workspace_id (id), timeout (seconds per HTTP attempt; 0 = 60, <0 = none),
 *   max_retries (integer; 0 or <0 = never, default 3), retry_wait_min, retry_wait_max,
 *   max_retry_after (seconds), ca_bundle_file (path), ca_bundle_pem (PEM text),
 *   user_agent_suffix, default_timezone (strings), names (object: your own names for
 *   the config keys, workspace_id, post_pdf and push_temporary_data, used in messages,
 *   e.g. {"base_url":"baseUrl"}). config_json that is not UTF-8, or holds a \u
 *   escape of half a surrogate pair, is invalid_config.
 */
#ifndef CXREPORTS_H
#define CXREPORTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes; compare with cx_abi_version(). */
#define CX_ABI_VERSION 1

/* Log levels of cx_set_log_callback(). */
#define CX_LOG_DEBUG 0
#define CX_LOG_INFO 1
#define CX_LOG_WARN 2
#define CX_LOG_ERROR 3

/* An opaque client handle. 0 is never a valid handle. Handles are never reused, so
 * using a freed handle is an "invalid_handle" error, never another client. */
typedef uint64_t cx_handle;

/* Completion of cx_call_async(): called exactly once per request, from a library
 * thread, never before cx_call_async() has returned (but possibly right after, so
 * keep per-request state in user_data, not in a table keyed by the id you have
 * not stored yet). envelope is the JSON envelope; data/len are the bytes of a
 * binary method (NULL/0 otherwise). The receiver frees envelope and data with
 * cx_free(). */
typedef void (*cx_done_fn)(uint64_t request_id, char* envelope, uint8_t* data, size_t len, void* user_data);

/* Progress of cx_call_async(): zero or more calls, all before done, from a library
 * thread. event_json is {"stage":"waiting"|"downloading"|"done","status":"...",
 * "polls":N,"bytes_done":N,"bytes_total":N (-1 unknown),"elapsed":seconds}.
 * The receiver frees event_json with cx_free(). */
typedef void (*cx_progress_fn)(uint64_t request_id, char* event_json, void* user_data);

/* A log line (level 0 debug .. 3 error). Called from library threads, possibly
 * concurrently. message never contains the token; free it with cx_free(). */
typedef void (*cx_log_fn)(int level, char* message, void* user_data);

/* The ABI version of the loaded library (CX_ABI_VERSION when they match). */
int cx_abi_version(void);

/* {"version":"0.1.0","abi":1,"go":"go1.26..."}. Free with cx_free(). */
char* cx_version(void);

/* JSON description of every method, argument, config key and error code:
 * {"abi":1,"methods":[{"name","doc","binary","progress","result","args":[{"name",
 * "type","required","doc"}]}],"config":[...],"error_codes":[...],"types":[...]}.
 * Free with cx_free(). */
char* cx_methods(void);

/* Creates a client from config_json (see CONFIG). Returns a nonzero handle, or 0 on
 * error with *error_json set to an error envelope (free it with cx_free()). On
 * success *error_json is set to NULL. error_json may be NULL if you do not want the
 * error. A NULL config_json is "invalid_argument". */
cx_handle cx_client_new(const char* config_json, char** error_json);

/* Frees a handle. Returns an envelope: {"ok":true,"data":null}, or "invalid_handle"
 * for 0, unknown or already freed handles (a double free is an error, not a crash).
 * Calls in flight on the handle end with "canceled"; this function does not wait for
 * them, so it may be called from inside a callback. Free the result with cx_free(). */
char* cx_client_free(cx_handle h);

/* Runs a method synchronously and returns its envelope (free with cx_free()).
 * args_json is a JSON object ("{}" for none); NULL method or args_json is
 * "invalid_argument". Byte-returning methods give "binary_result": use
 * cx_call_bytes(), cx_call_async() or a save_* method instead.
 * Which thread does the work: the calling thread only copies the arguments and
 * starts the call on a library thread (the same HTTP path as cx_call_async()),
 * then sleeps on a condition variable, outside the Go runtime, until that thread
 * hands it the result. Callbacks (the log function) therefore run on library
 * threads, never on the calling thread. pthread cancellation of the calling
 * thread is deferred until the call returns. A signal handled on the thread does
 * not end the call; cx_client_free() from another thread does, and so does the
 * "interrupt_fd" argument becoming readable (see METHODS). */
char* cx_call(cx_handle h, const char* method, const char* args_json);

/* Like cx_call(), for any method including the byte-returning ones: the bytes are
 * stored in *out_data / *out_len (free *out_data with cx_free()); methods without
 * bytes, errors and empty files leave *out_data = NULL and *out_len = 0. out_data
 * and out_len must not be NULL ("invalid_argument"). Returns the envelope.
 * The file is downloaded straight into the block *out_data points to (allocated
 * at the answer's Content-Length when the server sends one), so a file of N
 * bytes takes N bytes of memory in the library, not more; the same holds for the
 * data of cx_call_async()'s done callback. */
char* cx_call_bytes(cx_handle h, const char* method, const char* args_json,
                    uint8_t** out_data, size_t* out_len);

/* Starts a method on a library thread and returns its request id (nonzero). done is
 * called exactly once with the outcome (every error, including a bad handle or bad
 * arguments, arrives through done); progress (may be NULL) is called zero or more
 * times before done. user_data is passed back untouched. Returns 0 only if done is
 * NULL (nothing is started then). */
uint64_t cx_call_async(cx_handle h, const char* method, const char* args_json,
                       cx_done_fn done, cx_progress_fn progress, void* user_data);

/* Cancels an asynchronous call: returns 1 if it was in flight (its done callback
 * then reports "canceled", unless the call finished first), 0 if the id is unknown
 * or already finished. */
int cx_cancel(uint64_t request_id);

/* Sets the process-wide log callback used by every client not adopted by an inbox,
 * with the lowest level delivered; fn NULL turns logging off. A message being delivered while the
 * callback is changed may still reach the previous callback, so keep its user_data
 * valid (bindings keep callbacks for the life of the process). */
void cx_set_log_callback(cx_log_fn fn, int min_level, void* user_data);

/* Releases a char* or uint8_t* the library handed out. NULL is ignored. Freeing a
 * pointer twice, or one the library did not allocate, is undefined like free(). */
void cx_free(void* p);

/* INBOXES: calls without callbacks, owned by one host thread.
 *
 * The callbacks above run on library threads. A host that cannot safely be called
 * from a foreign thread at any moment - a JavaScript isolate, such as a Node.js
 * worker_thread, which may end while a callback is on its way, or any thread whose
 * state goes away before the library's calls finish - uses an inbox instead:
 *
 *   - cx_inbox_new() creates one and gives the host a file descriptor to watch from
 *     its own event loop (poll/epoll/libuv). It becomes readable when events are
 *     waiting; the host reads and discards the bytes it can read, then calls
 *     cx_inbox_next() until it returns 0. Wake-ups are coalesced: one per batch.
 *   - cx_inbox_call() starts a method like cx_call_async(); its outcome arrives as
 *     exactly one CX_EVENT_DONE event, after its CX_EVENT_PROGRESS events.
 *   - cx_inbox_adopt() makes the inbox own a client handle; cx_inbox_set_log()
 *     makes the log lines of the inbox's clients arrive as CX_EVENT_LOG events.
 *
 * The library never calls into the host for an inbox: the host takes every event on
 * the thread of its choice. The inbox ends when the host closes its descriptor (or
 * the system closes it because the thread's runtime or the process went away), or
 * with cx_inbox_close(). Then, at once: its calls in flight are canceled (a save_*
 * removes its temporary file), its adopted clients are freed as by cx_client_free,
 * its log lines stop, and every event still queued, or completed later, is freed by
 * the library without being delivered. The library's own end of the socket is
 * closed, so the host's descriptor reads end-of-file. Later calls with its id are
 * ignored (cx_inbox_call returns 0, cx_inbox_next 0, cx_inbox_adopt 0). Inbox ids
 * are never reused; 0 is never an inbox. All functions are thread-safe. cx_cancel()
 * and cx_client_free() work on inbox calls as on cx_call_async() calls.
 *
 * These functions were added without changing CX_ABI_VERSION (1): nothing existing
 * changed. A binding that needs them finds out whether the loaded library has them
 * by looking the symbols up. */

/* Kinds of cx_event. */
#define CX_EVENT_DONE 1     /* a call ended: text = envelope, data/len = bytes of a binary method */
#define CX_EVENT_PROGRESS 2 /* a progress event of a call: text = its JSON (see cx_progress_fn) */
#define CX_EVENT_LOG 3      /* a log line of an adopted client: level, text = the message */

/* One event, filled in by cx_inbox_next(). text (never NULL) and data (NULL unless a
 * binary method's bytes) belong to the receiver: free both with cx_free(). */
typedef struct cx_event {
	int kind;            /* CX_EVENT_* */
	int level;           /* CX_EVENT_LOG: CX_LOG_DEBUG..CX_LOG_ERROR; else 0 */
	uint64_t request_id; /* CX_EVENT_DONE / CX_EVENT_PROGRESS: the call's id; else 0 */
	char* text;
	uint8_t* data;
	size_t len;
} cx_event;

/* Creates an inbox. Returns its id, and stores in *notify_fd the descriptor the host
 * watches (close-on-exec; the host owns it and closes it exactly once, which ends the
 * inbox). Returns 0 on failure with *notify_fd = -1 and *error_json set to an error
 * envelope (free it with cx_free()); on success *error_json is set to NULL.
 * error_json may be NULL. A NULL notify_fd is "invalid_argument". */
uint64_t cx_inbox_new(int* notify_fd, char** error_json);

/* Starts a method like cx_call_async() and returns its request id (nonzero): exactly
 * one CX_EVENT_DONE event follows (every error, including a bad handle or bad
 * arguments, arrives that way), and, when want_progress is nonzero, CX_EVENT_PROGRESS
 * events before it. Returns 0, and starts nothing, when the inbox is unknown or
 * ended. */
uint64_t cx_inbox_call(uint64_t inbox, cx_handle h, const char* method, const char* args_json,
                       int want_progress);

/* Takes the oldest event of the inbox into *out and returns 1, or returns 0 when there
 * is none (or the inbox is unknown or ended, or out is NULL), leaving *out alone. */
int cx_inbox_next(uint64_t inbox, cx_event* out);

/* Makes the inbox the owner of handle h: h is freed when the inbox ends, and its log
 * lines go to the inbox (CX_EVENT_LOG, see cx_inbox_set_log()) instead of to
 * cx_set_log_callback(). A handle has at most one owner: adopting it into another
 * inbox moves it. Returns 1, or 0 when the inbox or the handle is unknown (or the
 * inbox ended). Freeing h yourself with cx_client_free() stays allowed. */
int cx_inbox_adopt(uint64_t inbox, cx_handle h);

/* Queues the log lines of the inbox's adopted clients at min_level and above as
 * CX_EVENT_LOG events; a negative min_level turns them off (the default). */
void cx_inbox_set_log(uint64_t inbox, int min_level);

/* Ends the inbox as described above; when it returns, no event of the inbox is queued
 * or delivered any more. The host still closes its descriptor. Unknown ids are
 * ignored. */
void cx_inbox_close(uint64_t inbox);

/* STREAMS: a download read in pieces, at the reader's pace.
 *
 * get_pdf, post_pdf and get_export_content (the methods whose kind is "bytes"; a
 * job run's review document is an export, downloaded with get_export_content)
 * can be opened as a stream instead of returned whole: cx_stream_open() sends the
 * request and returns once the answer's headers and its first bytes (up to
 * 32 KiB) are in; each cx_stream_read() then copies the next bytes into the
 * caller's buffer. The library reads from the network at most two pieces (of
 * 256 KiB to 1 MiB, see cx_stream_read()) ahead of the reader, so a file of any
 * size takes the same memory in the library (at most three pieces): a slow
 * reader slows the server down through TCP instead of filling memory.
 *
 * A GET whose answer is cut before cx_stream_open() has returned starts over,
 * like every GET. After that the stream never starts over by itself: a cut makes
 * cx_stream_read() fail with "connection" (the caller has bytes of the first
 * answer, and a second answer might differ). A POST is never sent twice. The
 * per-attempt timeout ("timeout" of CONFIG) bounds each wait for the server
 * inside cx_stream_read(), never the time the caller spends between reads.
 *
 * Stream ids are request ids: nonzero, never reused, and cx_cancel(id) cancels
 * the stream (its reads then fail with "canceled"). So do cx_client_free() of
 * the handle it was opened with, the method's "interrupt_fd" argument (watched
 * until the stream is closed) and its "timeout" argument (a deadline for the
 * whole stream, from open to close). Whatever ends it, the caller still calls
 * cx_stream_close() exactly once for every stream opened.
 *
 * THREADS: any function may be called from any thread. Reads of one stream are
 * taken in turn (a second thread's read waits for the first). cx_stream_close()
 * from another thread while a read waits ends that read with "canceled" (or, if
 * the close came first, "invalid_handle"), then frees the stream. A read runs on
 * the calling thread, which blocks in the library until bytes arrive; hosts
 * that must not block (an event loop) call it from a worker thread. */

/* Opens a stream of method (get_pdf, post_pdf or get_export_content) with
 * args_json as cx_call_bytes() takes them. Returns the stream id (nonzero) and
 * stores in *result_json the envelope {"ok":true,"data":{"bytes":N,
 * "content_type":"application/pdf","filename":"..."}} (bytes: the Content-Length,
 * -1 when the server sent none; filename "" when it sent none). On failure it
 * returns 0 and *result_json is the error envelope: the server's error (HTTP
 * status, connection, ...), or "invalid_argument" for a NULL method or
 * args_json, a method that does not return bytes, or bad arguments, or
 * "invalid_handle", "unknown_method". Free *result_json with cx_free().
 * result_json may be NULL if you want neither the description nor the error. */
uint64_t cx_stream_open(cx_handle h, const char* method, const char* args_json, char** result_json);

/* Reads the next bytes of the stream into buf, at most cap of them (at most 1 GiB
 * per call), waiting until at least one byte is there. The first read starts the
 * stream's read-ahead (as cx_inbox_stream_read() describes, with pieces of cap
 * bytes, at least 256 KiB and at most 1 MiB): a read copies every byte read
 * ahead that fits in buf, so a cap of 256 KiB or more gets that much per call
 * while the network keeps up. Returns the number of
 * bytes read (> 0); 0 at the end of the file, and again on every later read;
 * -1 on error, with *error_json set to the error envelope (free it with
 * cx_free()). On success *error_json is set to NULL. error_json may be NULL.
 * Errors: "connection" (the answer was cut), "invalid_response" (the body was
 * shorter or longer than its Content-Length), "timeout", "canceled" (see
 * above); "invalid_handle" for 0, an unknown or a closed stream;
 * "invalid_argument" for a NULL buf or a cap of 0. A stream that failed fails
 * the same way on every later read. */
int64_t cx_stream_read(uint64_t stream, uint8_t* buf, size_t cap, char** error_json);

/* The same through an inbox (see INBOXES), for a host that must not block its
 * thread (an event loop): the opening and each read run on library threads and
 * complete as one CX_EVENT_DONE event each. The inbox owns the streams it opened:
 * when it ends, they are closed (their reads end, their requests are canceled).
 *
 * cx_inbox_stream_open() opens a stream like cx_stream_open() and returns its id
 * (nonzero), which is also the request_id of the CX_EVENT_DONE event that follows,
 * whose text is cx_stream_open()'s envelope (on failure, the stream id is never
 * valid). cx_cancel(id) cancels the opening, and the stream once open. Returns 0,
 * and starts nothing, when the inbox is unknown or ended.
 *
 * cx_inbox_stream_read() reads the next bytes of stream, at most cap (at most
 * 16 MiB), and returns a request id (nonzero): its CX_EVENT_DONE event's text is
 * {"ok":true,"data":{"bytes":N}} with the N bytes as the event's data/len (N is 0,
 * and data NULL, at the end of the file), or an error envelope as cx_stream_read()
 * gives. A read is ended by cx_stream_close(), not by cx_cancel(). Returns 0 when
 * the inbox is unknown or ended.
 * The first read starts the stream's read-ahead: the library reads the network
 * into pieces of that read's cap while the host handles the last one, and stops
 * while two pieces wait unread (so at most three pieces are held, and the network
 * is still read at the host's pace). A read takes the oldest piece; a read that
 * has waited 1 ms gets the piece being filled as it is, so a slow server's bytes
 * are not held back until a piece fills. Bytes read before a failure come first,
 * then the failure. Keep the cap the same from read to read: a smaller one is
 * served by a copy. cx_stream_read() on the same stream copies from the same
 * pieces. */
uint64_t cx_inbox_stream_open(uint64_t inbox, cx_handle h, const char* method, const char* args_json);
uint64_t cx_inbox_stream_read(uint64_t inbox, uint64_t stream, size_t cap);

/* Closes the stream: cancels its request if the file was not read to its end
 * (the connection is dropped, the server stops sending) and frees it. Returns 1,
 * or 0 when the id is 0, unknown or already closed (closing twice is harmless). */
int cx_stream_close(uint64_t stream);

#ifdef __cplusplus
}
#endif

#endif /* CXREPORTS_H */
