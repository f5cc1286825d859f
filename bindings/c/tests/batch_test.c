/*
 * batch_test.c - render_batch through cx_call_async: an "item" progress event per
 * finished item (and a "batch" counts event after it), the files written under
 * out_dir, a bad item failing alone, and the envelope's counts; through cx_call:
 * two items that write one file (the later fails before anything is sent for it,
 * naming both by index), and which concurrency values are accepted. Linked into
 * capi_test (see test_batch).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

struct batch_events {
	int items, counts;
};

static void on_batch_event(const char* ev, void* ud) {
	struct batch_events* e = ud;
	if (has(ev, "\"stage\":\"item\"")) e->items++;
	if (has(ev, "\"stage\":\"batch\"")) e->counts++;
}

static void test_batch_async(cx_handle h, const char* dir) {
	char args[1024];
	snprintf(args, sizeof args,
	         "{\"items\":[{\"report\":160,\"output\":\"b/1.pdf\",\"params\":{\"n\":1}},"
	         "{\"report\":\"invoice\",\"output\":\"b/2.pdf\"},{\"report\":160,\"output\":\"../escape.pdf\"}],"
	         "\"out_dir\":\"%s\",\"concurrency\":2,\"force\":true}",
	         dir);
	struct batch_events e = {0, 0};
	char* env = call_async_wait_events(h, "render_batch", args, on_batch_event, &e);
	CHECK(env != NULL, "render_batch did not start");
	CHECK(is_ok(env) && has(env, "\"ok\":2") && has(env, "\"failed\":1") && has(env, "\"total\":3"),
	      "render_batch envelope: %s", env);
	CHECK(e.items == 3 && e.counts == 3, "render_batch events: %d items, %d counts", e.items, e.counts);
	char path[512];
	snprintf(path, sizeof path, "%s/b/1.pdf", dir);
	CHECK(access(path, F_OK) == 0, "render_batch did not write %s", path);
	cx_free(env);
}

/* Two items, one output: dup/a.pdf and dup/./x/../a.pdf (x does not even exist)
 * are the same file once the path is cleaned. Item 0 renders; item 1 fails with
 * invalid_input naming "item 1" and "item 0", and is never sent: one POST reaches
 * the fake for the pair, and item 0's file is whole and item 0's own render. */
static void test_batch_duplicate(cx_handle h, const char* dir) {
	char args[2048], first[512], second[512], res[2048];
	snprintf(first, sizeof first, "%s/dup/a.pdf", dir);
	snprintf(second, sizeof second, "%s/dup/./x/../a.pdf", dir);
	unlink(first);
	snprintf(args, sizeof args,
	         "{\"items\":[{\"report\":160,\"output\":\"%s\",\"params\":{\"invoice\":\"FIRST\"}},"
	         "{\"report\":160,\"output\":\"%s\",\"params\":{\"invoice\":\"SECOND\"}}]}",
	         first, second);
	CHECK(fake_reset(NULL), "cannot reset the fake");
	char* env = cx_call(h, "render_batch", args);
	CHECK(is_ok(env) && has(env, "\"ok\":1,") && has(env, "\"failed\":1,") && has(env, "\"total\":2,"),
	      "duplicate batch envelope: %s", env);
	CHECK(batch_result(env, 0, res, sizeof res) && has(res, "\"status\":\"ok\""), "item 0: %s", res);
	CHECK(batch_result(env, 1, res, sizeof res) && has(res, "\"status\":\"failed\"") &&
	          has(res, "\"code\":\"invalid_input\"") && has(res, "item 1") && has(res, "item 0"),
	      "item 1 must fail with invalid_input naming item 1 and item 0: %s", res);
	int posts = fake_arrivals(NULL, "POST", BATCH_PDF_PATH);
	CHECK(posts == 1, "%d POST pdf requests for the pair, want 1 (nothing sent for the duplicate)", posts);
	CHECK(pdf_intact(first), "%s is not a whole PDF", first);
	size_t len;
	char* pdf = read_file(first, &len);
	CHECK(has(pdf, "FIRST") && !has(pdf, "SECOND"), "%s is not item 0's render", first);
	free(pdf);
	cx_free(env);
}

/* concurrency is "auto" (by name, as when absent) or a positive integer; anything
 * else is invalid_argument before an item is looked at. */
static void test_batch_concurrency_arg(cx_handle h, const char* dir) {
	char args[1024];
	snprintf(args, sizeof args,
	         "{\"items\":[{\"report\":160,\"output\":\"auto.pdf\"}],\"out_dir\":\"%s/conc\","
	         "\"concurrency\":\"auto\",\"force\":true}",
	         dir);
	char* env = cx_call(h, "render_batch", args);
	CHECK(is_ok(env) && has(env, "\"ok\":1,") && has(env, "\"failed\":0,"), "concurrency \"auto\": %s", env);
	cx_free(env);
	const char* bad[] = {"\"fast\"", "0", "-1", "true", "\"AUTO\"", "1.5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(args, sizeof args, "{\"items\":[{\"report\":160,\"output\":\"%s/conc/bad.pdf\"}],\"concurrency\":%s}", dir,
		         bad[i]);
		env = cx_call(h, "render_batch", args);
		CHECK(has_code(env, "invalid_argument") && has(env, "concurrency"), "concurrency %s: %s", bad[i], env);
		cx_free(env);
	}
}

void test_batch(cx_handle h, const char* dir) {
	test_batch_async(h, dir);
	test_batch_duplicate(h, dir);
	test_batch_concurrency_arg(h, dir);
}
