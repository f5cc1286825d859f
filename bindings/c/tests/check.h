/*
 * check.h - what the C test files share: the failure count, CHECK, and small
 * readers of envelopes (check.c). capi_test.c holds main; transport_test.c and
 * flows_test.c add their checks to the same count.
 */
#ifndef CXREPORTS_TESTS_CHECK_H
#define CXREPORTS_TESTS_CHECK_H
#include <stddef.h>
#include <stdio.h>

#include "cxreports.h"

extern int failures;

#define CHECK(cond, ...)                                                                 \
	do {                                                                                 \
		if (!(cond)) {                                                                   \
			failures++;                                                                  \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                         \
			fprintf(stderr, __VA_ARGS__);                                                \
			fputc('\n', stderr);                                                         \
		}                                                                                \
	} while (0)

/* has reports whether s contains sub (false for NULL). */
int has(const char* s, const char* sub);
/* is_ok reports whether env is a success envelope. */
int is_ok(const char* env);
/* has_code checks the stable code of an error envelope. */
int has_code(const char* env, const char* code);
/* field copies the JSON value after "key": (a number or a quoted string, quotes
 * kept) into out, so it can be pasted into the next call's arguments. */
void field(const char* env, const char* key, char* out, size_t n);

/* call_async_wait runs method through cx_call_async and waits for its envelope
 * (caller frees; NULL if the call did not start). */
char* call_async_wait(cx_handle h, const char* method, const char* args);
/* call_async_wait_events is call_async_wait that also hands each progress event to
 * event(ev, ud), one call at a time (ev is freed after it returns). */
char* call_async_wait_events(cx_handle h, const char* method, const char* args,
                             void (*event)(const char* ev, void* ud), void* ud);

/* fake_init takes the fake server's URL for fake_control, which sends one request
 * to its /_fake/ control API and returns the answer's body (malloc'd, caller frees)
 * or NULL; fake_in_flight reads how many API requests it is serving. The _at and
 * url forms talk to another fake (run.sh starts more, e.g. with -render-slots);
 * a NULL url means fake_init's. */
void fake_init(const char* url);
char* fake_control(const char* method, const char* path, const char* body);
char* fake_control_at(const char* url, const char* method, const char* path, const char* body);
int fake_in_flight(void);
/* fake_stat reads one integer of /_fake/stats ("renders_in_flight", "peak_renders",
 * "render_refusals", ...), -1 when it cannot. */
int fake_stat(const char* url, const char* key);
/* fake_arrivals counts the recorded requests with this method and path (-1 when
 * the list cannot be read); fake_reset clears them and the stats (0 on failure). */
int fake_arrivals(const char* url, const char* method, const char* path);
int fake_reset(const char* url);

/* count counts the non-overlapping occurrences of sub in s. */
int count(const char* s, const char* sub);
/* batch_result copies the result of item index out of a render_batch envelope
 * (from its {"stage":"item","index":N, to the next item's) into out; 0 if absent. */
int batch_result(const char* env, int index, char* out, size_t n);
/* read_file reads a whole file (malloc'd, NUL-terminated, caller frees; NULL if it
 * cannot); pdf_intact says whether a file starts with %PDF- and ends with %%EOF
 * (a final newline allowed): a complete PDF, not a cut one. */
char* read_file(const char* path, size_t* len);
int pdf_intact(const char* path);
/* each_bad_input hands expect(ud, method, args, code) each input that every entry
 * point taking a method and its arguments (cx_call, cx_call_async, cx_stream_open)
 * refuses with that stable code: NULL pointers, arguments that are not a JSON
 * object, unknown methods, a bad or missing report_id for report_method (a method
 * that takes one), and report 999999, which the fake does not have. */
void each_bad_input(const char* report_method,
                    void (*expect)(void* ud, const char* method, const char* args, const char* code), void* ud);
/* Sockets alike on Linux and Windows (Winsock), where the inbox's descriptor is a
 * SOCKET (docs/contract.md): sock_init starts Winsock (fake_init calls it),
 * sock_wait_readable waits up to ms for readability (poll / WSAPoll), sock_drain
 * reads and drops what is there without blocking, sock_close closes it. */
void sock_init(void);
int sock_wait_readable(long long fd, int ms);
void sock_drain(long long fd);
void sock_close(long long fd);
/* sock_pair makes two connected sockets (0 on failure); sock_send_byte writes one
 * byte (0 on failure). */
int sock_pair(long long fds[2]);
int sock_send_byte(long long fd);
/* mono_now is a monotonic clock in seconds. */
double mono_now(void);

/* The path of render_batch's PDF requests against the fake (workspace 1, report 160). */
#define BATCH_PDF_PATH "/api/v1/ws/1/reports/160/pdf"

/* The test groups in other files. */
void test_transport(cx_handle h, const char* url);          /* transport_test.c */
void test_flows(cx_handle h, const char* dir, int guid_ids); /* flows_test.c */
void test_batch(cx_handle h, const char* dir);               /* batch_test.c */
void test_batch_kill(cx_handle h, const char* url, const char* token, const char* dir); /* batch_kill_test.c */
int batch_kill_child(const char* url, const char* token, const char* out_dir);          /* batch_kill_test.c */
void test_batch_auto(const char* token, const char* dir);                               /* batch_auto_test.c */
void test_inputs(const char* token, const char* dir);        /* input_test.c */
void test_stream(cx_handle h, int quick);                    /* stream_test.c */
void test_inbox_stream(cx_handle h, int quick);              /* inbox_stream_test.c */
void test_inbox(const char* config);                         /* inbox_test.c */

#endif
