/*
 * stream_test.c - cx_stream_open / cx_stream_read / cx_stream_close: a large PDF
 * read in small pieces (its signature and its size), the same by POST, an early
 * close that ends the request at the fake, cx_cancel of a stream, and bad input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* read_all reads stream id to its end in chunks of cap bytes; it returns the
 * bytes read (-1 on an error, reported), and copies the first 5 into head. */
static long long read_all(uint64_t id, size_t cap, char head[6]) {
	uint8_t* buf = malloc(cap);
	long long total = 0;
	memset(head, 0, 6);
	for (;;) {
		char* err = NULL;
		int64_t n = cx_stream_read(id, buf, cap, &err);
		if (n < 0) {
			CHECK(0, "cx_stream_read after %lld bytes: %s", total, err);
			cx_free(err);
			total = -1;
			break;
		}
		CHECK(err == NULL, "cx_stream_read returned %lld and an error_json", (long long)n);
		if (n == 0) break;
		CHECK((size_t)n <= cap, "cx_stream_read returned %lld for a buffer of %zu", (long long)n, cap);
		for (int64_t i = 0; i < n && total + i < 5; i++) head[total + i] = (char)buf[i];
		total += n;
	}
	free(buf);
	return total;
}

/* open_ok opens a stream and returns its id, with the "bytes" of its result. */
static uint64_t open_ok(cx_handle h, const char* method, const char* args, long long* bytes) {
	char* res = NULL;
	uint64_t id = cx_stream_open(h, method, args, &res);
	CHECK(id != 0 && is_ok(res), "cx_stream_open %s %s: %s", method, args, res);
	CHECK(has(res, "\"content_type\":\"application/pdf\""), "cx_stream_open %s: %s", method, res);
	char n[32] = "";
	field(res, "bytes", n, sizeof n);
	*bytes = atoll(n);
	cx_free(res);
	return id;
}

static void expect_read_error(uint64_t id, uint8_t* buf, size_t cap, const char* code, const char* what) {
	char* err = NULL;
	int64_t n = cx_stream_read(id, buf, cap, &err);
	CHECK(n == -1 && has_code(err, code), "%s: cx_stream_read = %lld, %s (want %s)", what, (long long)n, err, code);
	cx_free(err);
}

static void expect_open_error(cx_handle h, const char* method, const char* args, const char* code) {
	char* res = NULL;
	uint64_t id = cx_stream_open(h, method, args, &res);
	CHECK(id == 0 && has_code(res, code), "cx_stream_open(%s, %s) = %llu, %s (want %s)", method ? method : "NULL",
	      args ? args : "NULL", (unsigned long long)id, res, code);
	cx_free(res);
}

/* expect_bad_open is expect_open_error for each_bad_input (ud points to the handle). */
static void expect_bad_open(void* ud, const char* method, const char* args, const char* code) {
	expect_open_error(*(cx_handle*)ud, method, args, code);
}

void test_stream(cx_handle h, int quick) {
	/* Under valgrind (quick) every byte costs: a smaller file, same pieces. */
	long long size = quick ? (4LL << 20) : (100LL << 20);
	char args[256];
	snprintf(args, sizeof args, "{\"report_id\":160,\"params\":{\"params\":{\"fakeSizeBytes\":%lld}}}", size);
	long long bytes = 0;
	char head[6];
	uint64_t id = open_ok(h, "get_pdf", args, &bytes);
	CHECK(bytes >= size, "get_pdf stream announces %lld bytes, asked for %lld", bytes, size);
	long long got = read_all(id, 16 << 10, head);
	CHECK(got == bytes, "get_pdf stream: read %lld bytes, announced %lld", got, bytes);
	CHECK(strcmp(head, "%PDF-") == 0, "get_pdf stream starts with %s", head);
	uint8_t one[1];
	char* err = NULL;
	CHECK(cx_stream_read(id, one, 1, &err) == 0 && err == NULL, "a read after the end is 0 again: %s", err);
	CHECK(cx_stream_close(id) == 1, "cx_stream_close of an open stream");
	CHECK(cx_stream_close(id) == 0, "cx_stream_close twice");
	expect_read_error(id, one, 1, "invalid_handle", "read after close");

	snprintf(args, sizeof args, "{\"report_id\":160,\"request_body\":{\"params\":{\"fakeSizeBytes\":%d}}}", 1 << 20);
	id = open_ok(h, "post_pdf", args, &bytes);
	got = read_all(id, 1000, head);
	CHECK(got == bytes && bytes >= (1 << 20), "post_pdf stream: read %lld bytes, announced %lld", got, bytes);
	CHECK(strcmp(head, "%PDF-") == 0, "post_pdf stream starts with %s", head);
	cx_stream_close(id);

	/* Close after the first piece of 200 MB: the fake stops serving at once. */
	id = open_ok(h, "get_pdf", "{\"report_id\":160,\"params\":{\"params\":{\"fakeSizeBytes\":200000000}}}", &bytes);
	uint8_t buf[4096];
	CHECK(cx_stream_read(id, buf, sizeof buf, NULL) > 0, "first read of the 200 MB stream");
	double start = mono_now();
	CHECK(cx_stream_close(id) == 1, "early cx_stream_close");
	while (fake_in_flight() != 0 && mono_now() - start < 10) usleep(5000);
	CHECK(fake_in_flight() == 0 && mono_now() - start < (quick ? 10 : 2),
	      "the fake still served the stream %.2f s after cx_stream_close", mono_now() - start);

	/* cx_cancel reaches a stream: its next read says canceled; close still frees it. */
	id = open_ok(h, "get_pdf", "{\"report_id\":160,\"params\":{\"params\":{\"fakeSizeBytes\":200000000}}}", &bytes);
	CHECK(cx_cancel(id) == 1, "cx_cancel of an open stream");
	/* What was read before the cancel may still come, and the cancel reaches the
	 * connection from another thread: under qemu-user that took more than 100 reads
	 * of 4 KiB. So the bound is time; a cancel that never arrives still fails, with
	 * the file's end (0) or bytes past the deadline instead of "canceled". */
	start = mono_now();
	long long after = 0;
	for (;;) {
		err = NULL;
		int64_t n = cx_stream_read(id, buf, sizeof buf, &err);
		if (n <= 0) {
			CHECK(n == -1 && has_code(err, "canceled") && has(err, "cx_cancel"), "read after cx_cancel: %lld %s", (long long)n, err);
			cx_free(err);
			break;
		}
		after += n;
		if (mono_now() - start > 10) {
			CHECK(0, "reads after cx_cancel go on: %lld bytes in 10 s", after);
			break;
		}
	}
	CHECK(cx_stream_close(id) == 1, "cx_stream_close of a canceled stream");

	/* Bad input: errors, never a crash. */
	each_bad_input("get_pdf", expect_bad_open, &h);
	expect_open_error(h, "get_pdf", "{\"report_id\":", "invalid_argument");
	expect_open_error(h, "get_workspaces", "{}", "invalid_argument");
	expect_open_error(h, "save_pdf", "{\"report_id\":160,\"path\":\"x.pdf\"}", "invalid_argument");
	expect_open_error(0, "get_pdf", "{\"report_id\":160}", "invalid_handle");
	CHECK(cx_stream_open(0, "get_pdf", "{}", NULL) == 0, "cx_stream_open with a NULL result_json");
	expect_read_error(0, buf, sizeof buf, "invalid_handle", "stream 0");
	expect_read_error(UINT64_MAX, buf, sizeof buf, "invalid_handle", "a stream never opened");
	CHECK(cx_stream_read(0, buf, sizeof buf, NULL) == -1, "a failed read with a NULL error_json");
	id = open_ok(h, "get_pdf", "{\"report_id\":160}", &bytes);
	expect_read_error(id, NULL, 10, "invalid_argument", "NULL buf");
	expect_read_error(id, buf, 0, "invalid_argument", "cap 0");
	CHECK(cx_stream_close(id) == 1, "close after bad reads");
	CHECK(cx_stream_close(0) == 0 && cx_stream_close(UINT64_MAX) == 0, "cx_stream_close of ids never opened");
}
