/*
 * inbox_stream_test.c - cx_inbox_stream_open / cx_inbox_stream_read, driven the way
 * an event loop drives them: nothing blocks but poll(2) (WSAPoll on Windows) on the inbox's descriptor,
 * and every opening and read completes as one CX_EVENT_DONE event. A PDF read in
 * pieces is byte for byte what cx_call_bytes returns; an early close and the end of
 * the inbox end the request at the fake; cx_cancel ends an opening; bad input
 * arrives as error events (or 0 for an unknown inbox), never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* wait_done polls the inbox's descriptor until the CX_EVENT_DONE event of request
 * id arrives and moves it into *ev (the caller frees text and data); 0 after
 * seconds without it. There is one request in flight at a time here, so any other
 * event is a failure (freed and reported). */
static int wait_done(uint64_t inbox, int fd, uint64_t id, cx_event* ev, double seconds) {
	double deadline = mono_now() + seconds;
	for (;;) {
		cx_event e;
		while (cx_inbox_next(inbox, &e)) {
			if (e.kind == CX_EVENT_DONE && e.request_id == id) {
				*ev = e;
				return 1;
			}
			CHECK(0, "inbox: unexpected event kind %d for request %llu (waiting for %llu): %s", e.kind,
			      (unsigned long long)e.request_id, (unsigned long long)id, e.text);
			cx_free(e.text);
			cx_free(e.data);
		}
		double left = deadline - mono_now();
		if (left <= 0) return 0;
		int ms = (int)(left * 1000) + 1;
		if (sock_wait_readable(fd, ms)) {
			/* The wake-up bytes carry nothing: drain them, then take the events. */
			sock_drain(fd);
		}
	}
}

/* done_text starts request id (0 = it was not started: a failure) and returns the
 * text of its done event (caller frees), with its bytes in *data and *len when wanted. */
static char* done_text(uint64_t inbox, int fd, uint64_t id, uint8_t** data, size_t* len, const char* what) {
	CHECK(id != 0, "%s: returned 0 on a live inbox", what);
	if (id == 0) return NULL;
	cx_event ev;
	if (!wait_done(inbox, fd, id, &ev, 60)) {
		CHECK(0, "%s: no done event within 60 s", what);
		return NULL;
	}
	if (data) {
		*data = ev.data;
		*len = ev.len;
	} else {
		CHECK(ev.data == NULL && ev.len == 0, "%s: a done event with %zu bytes: %s", what, ev.len, ev.text);
		cx_free(ev.data);
	}
	return ev.text;
}

static void expect_done_error(uint64_t inbox, int fd, uint64_t id, const char* code, const char* what) {
	char* text = done_text(inbox, fd, id, NULL, NULL, what);
	CHECK(has_code(text, code), "%s: %s (want %s)", what, text, code);
	cx_free(text);
}

/* open_inbox opens a stream through the inbox and returns its id (0 on failure,
 * reported), with the announced size in *bytes. */
static uint64_t open_inbox(uint64_t inbox, int fd, cx_handle h, const char* method, const char* args,
                           long long* bytes) {
	uint64_t id = cx_inbox_stream_open(inbox, h, method, args);
	char* text = done_text(inbox, fd, id, NULL, NULL, "cx_inbox_stream_open");
	int ok = is_ok(text) && has(text, "\"content_type\":\"application/pdf\"");
	CHECK(ok, "cx_inbox_stream_open %s %s: %s", method, args, text);
	char n[32] = "";
	field(text, "bytes", n, sizeof n);
	*bytes = atoll(n);
	cx_free(text);
	return ok ? id : 0;
}

/* read_piece reads the next piece of stream id (at most cap bytes) through the inbox:
 * its length (0 at the end, -1 on an error, reported), its bytes in *data. */
static long long read_piece(uint64_t inbox, int fd, uint64_t id, size_t cap, uint8_t** data) {
	size_t len = 0;
	*data = NULL;
	char* text = done_text(inbox, fd, cx_inbox_stream_read(inbox, id, cap), data, &len, "cx_inbox_stream_read");
	if (!is_ok(text)) {
		CHECK(0, "cx_inbox_stream_read: %s", text);
		cx_free(text);
		cx_free(*data);
		*data = NULL;
		return -1;
	}
	char n[32] = "";
	field(text, "bytes", n, sizeof n);
	long long got = atoll(n);
	CHECK(got >= 0 && (size_t)got == len && len <= cap, "read event says %s bytes, carries %zu (cap %zu)", n, len,
	      cap);
	CHECK((len == 0) == (*data == NULL), "read event of %zu bytes with data %p", len, (void*)*data);
	cx_free(text);
	return (long long)len;
}

/* wait_idle waits until the fake serves no request; the seconds it took (or more
 * than limit when it still does). */
static double wait_idle(double limit) {
	double start = mono_now();
	while (fake_in_flight() != 0 && mono_now() - start < limit) usleep(5000);
	double took = mono_now() - start;
	return fake_in_flight() == 0 ? took : limit + 1;
}

void test_inbox_stream(cx_handle h, int quick) {
	int fd = -1;
	char* err = NULL;
	uint64_t inbox = cx_inbox_new(&fd, &err);
	CHECK(inbox != 0 && fd >= 0 && err == NULL, "cx_inbox_new: %s", err);
	cx_free(err);
	if (inbox == 0) return;
	/* Under valgrind (quick) every byte costs: a smaller file, same pieces. */
	long long size = quick ? (1LL << 20) : (8LL << 20);
	/* Natively the fake must be idle within 2 s of a close. Under valgrind (quick) the
	 * bound only catches a close that never ends the request: this process itself
	 * stalls there, once for 37 s between two polls of the fake. */
	double idle_limit = quick ? 120 : 2;
	char args[256];
	snprintf(args, sizeof args, "{\"report_id\":160,\"params\":{\"params\":{\"fakeSizeBytes\":%lld}}}", size);

	/* The whole file in pieces, compared with the same PDF returned whole. */
	uint8_t* want = NULL;
	size_t want_len = 0;
	char* env = cx_call_bytes(h, "get_pdf", args, &want, &want_len);
	CHECK(is_ok(env) && want_len >= (size_t)size, "cx_call_bytes get_pdf: %s (%zu bytes)", env, want_len);
	cx_free(env);
	long long bytes = 0;
	uint64_t id = open_inbox(inbox, fd, h, "get_pdf", args, &bytes);
	CHECK(bytes == (long long)want_len, "the inbox stream announces %lld bytes, get_pdf returned %zu", bytes, want_len);
	long long total = 0;
	int pieces = 0, same = 1;
	while (id) {
		uint8_t* data;
		long long n = read_piece(inbox, fd, id, 64 << 10, &data);
		if (n <= 0) break;
		if (total + n > (long long)want_len || memcmp(data, want + total, (size_t)n) != 0) same = 0;
		total += n;
		pieces++;
		cx_free(data);
	}
	CHECK(total == (long long)want_len && same, "inbox stream: %lld bytes in %d pieces, %s get_pdf's %zu", total,
	      pieces, same ? "the same bytes as" : "differing from", want_len);
	CHECK(want_len > 5 && memcmp(want, "%PDF-", 5) == 0, "the PDF starts with %%PDF-");
	CHECK(pieces >= (int)(want_len / (64 << 10)), "%d pieces of at most 64 KiB for %zu bytes", pieces, want_len);
	cx_free(want);
	if (id) {
		uint8_t* data;
		CHECK(read_piece(inbox, fd, id, 10, &data) == 0, "a read after the end is 0 again");
		CHECK(cx_stream_close(id) == 1, "cx_stream_close of an inbox stream read to its end");
		expect_done_error(inbox, fd, cx_inbox_stream_read(inbox, id, 10), "invalid_handle", "read after close");
	}

	/* Close after the first piece of 200 MB: the fake stops serving at once. */
	const char* big = "{\"report_id\":160,\"params\":{\"params\":{\"fakeSizeBytes\":200000000}}}";
	id = open_inbox(inbox, fd, h, "get_pdf", big, &bytes);
	if (id) {
		uint8_t* data;
		CHECK(read_piece(inbox, fd, id, 4096, &data) > 0 && memcmp(data, "%PDF-", 5) == 0,
		      "first piece of the 200 MB stream is its start");
		cx_free(data);
		CHECK(fake_in_flight() == 1, "the 200 MB stream is in flight at the fake (%d)", fake_in_flight());
		CHECK(cx_stream_close(id) == 1, "early cx_stream_close");
		double took = wait_idle(idle_limit);
		CHECK(took <= idle_limit, "the fake still served the stream %.2f s after cx_stream_close", took);
	}

	/* A read waiting on the network when the stream is closed still completes, once,
	 * as an event (its bytes so far, or canceled / invalid_handle). */
	id = open_inbox(inbox, fd, h, "get_pdf", big, &bytes);
	if (id) {
		uint64_t rid = cx_inbox_stream_read(inbox, id, 16 << 20);
		CHECK(cx_stream_close(id) == 1, "cx_stream_close with a read pending");
		uint8_t* data = NULL;
		size_t len = 0;
		char* text = done_text(inbox, fd, rid, &data, &len, "the read pending at close");
		CHECK(is_ok(text) || has_code(text, "canceled") || has_code(text, "invalid_handle"),
		      "the read pending at close ended with %s", text);
		cx_free(text);
		cx_free(data);
		double took = wait_idle(idle_limit);
		CHECK(took <= idle_limit, "the fake still served the stream %.2f s after a close with a read pending", took);
	}

	/* cx_cancel of the opening (the server holds the answer back): canceled. */
	id = cx_inbox_stream_open(inbox, h, "get_pdf", "{\"report_id\":160,\"params\":{\"params\":{\"fakeDelayMs\":30000}}}");
	CHECK(id != 0, "cx_inbox_stream_open of a slow PDF");
	if (id) {
		usleep(100000);
		CHECK(cx_cancel(id) == 1, "cx_cancel of an opening");
		double start = mono_now();
		expect_done_error(inbox, fd, id, "canceled", "opening after cx_cancel");
		CHECK(mono_now() - start < idle_limit, "the canceled opening took %.2f s to end", mono_now() - start);
		CHECK(cx_stream_close(id) == 0, "a stream that never opened is not closed");
		double took = wait_idle(idle_limit);
		CHECK(took <= idle_limit, "the fake still served the canceled opening %.2f s later", took);
	}

	/* Bad input: an error event for a live inbox, 0 for an unknown one. */
	expect_done_error(inbox, fd, cx_inbox_stream_open(inbox, h, NULL, "{}"), "invalid_argument", "NULL method");
	expect_done_error(inbox, fd, cx_inbox_stream_open(inbox, h, "get_pdf", NULL), "invalid_argument", "NULL args");
	expect_done_error(inbox, fd, cx_inbox_stream_open(inbox, h, "get_pdf", "{\"report_id\":"), "invalid_argument",
	                  "junk args");
	expect_done_error(inbox, fd, cx_inbox_stream_open(inbox, h, "get_pdf", "{}"), "invalid_argument",
	                  "no report_id");
	expect_done_error(inbox, fd, cx_inbox_stream_open(inbox, h, "get_workspaces", "{}"), "invalid_argument",
	                  "a method without bytes");
	expect_done_error(inbox, fd, cx_inbox_stream_open(inbox, h, "no_such_method", "{}"), "unknown_method",
	                  "unknown method");
	expect_done_error(inbox, fd, cx_inbox_stream_open(inbox, 0, "get_pdf", "{\"report_id\":160}"), "invalid_handle",
	                  "handle 0");
	id = cx_inbox_stream_open(inbox, h, "get_pdf", "{\"report_id\":999999}");
	expect_done_error(inbox, fd, id, "not_found", "an unknown report");
	CHECK(cx_stream_close(id) == 0, "the id of a failed opening is no stream");
	expect_done_error(inbox, fd, cx_inbox_stream_read(inbox, 0, 10), "invalid_handle", "read of stream 0");
	expect_done_error(inbox, fd, cx_inbox_stream_read(inbox, UINT64_MAX, 10), "invalid_handle",
	                  "read of a stream never opened");
	id = open_inbox(inbox, fd, h, "get_pdf", "{\"report_id\":160}", &bytes);
	if (id) {
		expect_done_error(inbox, fd, cx_inbox_stream_read(inbox, id, 0), "invalid_argument", "cap 0");
		CHECK(cx_stream_close(id) == 1, "close after a bad read");
	}
	CHECK(cx_inbox_stream_open(0, h, "get_pdf", "{\"report_id\":160}") == 0, "cx_inbox_stream_open of inbox 0");
	CHECK(cx_inbox_stream_open(UINT64_MAX, h, "get_pdf", "{\"report_id\":160}") == 0,
	      "cx_inbox_stream_open of an inbox never made");
	CHECK(cx_inbox_stream_open(UINT64_MAX, h, NULL, NULL) == 0, "cx_inbox_stream_open(unknown inbox, NULL, NULL)");
	CHECK(cx_inbox_stream_read(0, 1, 10) == 0 && cx_inbox_stream_read(UINT64_MAX, 1, 10) == 0,
	      "cx_inbox_stream_read of an unknown inbox");

	/* The inbox owns its streams: ending it closes an open one, whose request ends. */
	id = open_inbox(inbox, fd, h, "get_pdf", big, &bytes);
	if (id) {
		uint8_t* data;
		CHECK(read_piece(inbox, fd, id, 4096, &data) > 0, "first piece before the inbox ends");
		cx_free(data);
	}
	cx_inbox_close(inbox);
	sock_close(fd);
	double took = wait_idle(idle_limit);
	CHECK(took <= idle_limit, "the fake still served the stream %.2f s after its inbox ended", took);
	CHECK(cx_stream_close(id) == 0, "the inbox closed its stream when it ended");
	CHECK(cx_inbox_stream_open(inbox, h, "get_pdf", "{\"report_id\":160}") == 0 &&
	          cx_inbox_stream_read(inbox, id, 10) == 0,
	      "an ended inbox starts nothing");
}
