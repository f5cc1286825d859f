/*
 * transport_test.c - the transport's two promises through the C ABI, on both the
 * synchronous (cx_call, cx_call_bytes) and the asynchronous (cx_call_async) path:
 *   - a POST that the server read on a reused keep-alive connection before hanging
 *     up without an answer is never sent again: exactly one arrives at the fake and
 *     the call ends with "connection";
 *   - a GET whose body is cut after the headers starts over: the call succeeds.
 * Faults are injected, and arrivals counted, through the fake's /_fake/ control API
 * over a plain socket. Linked into capi_test (see test_transport there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static void inject(const char* method, const char* path, const char* faults) {
	char body[1024];
	snprintf(body, sizeof body, "{\"method\":\"%s\",\"path\":\"%s\",\"faults\":%s}", method, path, faults);
	char* r = fake_control("POST", "/_fake/faults", body);
	CHECK(r != NULL, "cannot inject %s into %s %s", faults, method, path);
	free(r);
}

static void reset(void) { CHECK(fake_reset(NULL), "cannot reset the fake"); }

static int arrivals(const char* method, const char* path) { return fake_arrivals(NULL, method, path); }

/* settled_arrivals counts arrivals once the fake serves nothing: a handler whose
 * answer was cut can still be running after the client has seen the cut, and under
 * valgrind that lasts a while. The claim checked is "sent again" (2 or more): a slow
 * run may add an attempt of its own, which is no resend of a POST. */
static int settled_arrivals(const char* method, const char* path) {
	for (int i = 0; i < 3000 && fake_in_flight() != 0; i++) usleep(10000);
	return arrivals(method, path);
}

/* call runs method synchronously (bytes through cx_call_bytes) or asynchronously
 * and returns the envelope (caller frees). */
static char* call(cx_handle h, const char* method, const char* args, int async, int binary) {
	if (!async) {
		if (!binary) return cx_call(h, method, args);
		uint8_t* data = NULL;
		size_t len = 0;
		char* env = cx_call_bytes(h, method, args, &data, &len);
		cx_free(data);
		return env;
	}
	return call_async_wait(h, method, args);
}

static const struct {
	const char* method;
	const char* args;
	const char* path;
	int binary;
} posts[] = {
    {"start_job_run", "{\"job_id\":42}", "/api/v1/ws/1/jobs/42/runs", 0},
    {"deliver_job_run_entries", "{\"job_id\":42,\"run_id\":7}", "/api/v1/ws/1/jobs/42/runs/7/deliver", 0},
    {"start_report_export", "{\"report_id\":160}", "/api/v1/ws/1/reports/160/export", 0},
    {"push_temporary_data", "{\"data\":{\"a\":1}}", "/api/v1/ws/1/temporary-data", 0},
    {"create_auth_token", "{}", "/api/v1/nonce-tokens", 0},
    {"post_pdf", "{\"report_id\":160}", "/api/v1/ws/1/reports/160/pdf", 1},
    {"get_run_review_document", "{\"job_id\":42,\"run_id\":7}", "/api/v1/ws/1/jobs/42/runs/7/generate-review-document", 0},
};

void test_transport(cx_handle h, const char* url) {
	(void)url; /* the fake's control API: fake_init in main */
	for (int async = 0; async <= 1; async++) {
		for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
			reset();
			char* env = call(h, "get_workspaces", "{}", async, 0); /* a connection to reuse */
			CHECK(is_ok(env), "get_workspaces: %s", env);
			cx_free(env);
			inject("POST", posts[i].path, "[{\"hangup\":true}]");
			env = call(h, posts[i].method, posts[i].args, async, posts[i].binary);
			CHECK(has_code(env, "connection"), "%s (async %d) after a hang-up: %s", posts[i].method, async, env);
			cx_free(env);
			int n = arrivals("POST", posts[i].path);
			CHECK(n == 1, "%s (async %d) reached the server %d times", posts[i].method, async, n);
		}
		reset();
		inject("GET", "/api/v1/workspaces", "[{\"drop_mid_body\":true}]");
		char* env = call(h, "get_workspaces", "{}", async, 0);
		CHECK(is_ok(env), "get_workspaces after a cut (async %d): %s", async, env);
		cx_free(env);
		int n = settled_arrivals("GET", "/api/v1/workspaces");
		CHECK(n >= 2, "a cut get_workspaces was not sent again (%d arrivals)", n);
		inject("GET", "/api/v1/ws/1/reports/160/pdf", "[{\"truncate\":true}]");
		env = call(h, "get_pdf", "{\"report_id\":160}", async, 1);
		CHECK(is_ok(env), "get_pdf after a cut (async %d): %s", async, env);
		cx_free(env);
		n = settled_arrivals("GET", "/api/v1/ws/1/reports/160/pdf");
		CHECK(n >= 2, "a cut get_pdf was not sent again (%d arrivals)", n);
	}
	reset();
}
