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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

static int port;

/* control sends one request to the fake's control API and returns the body of its
 * answer (malloc'd, caller frees), or NULL. */
static char* control(const char* method, const char* path, const char* body) {
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return NULL;
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr*)&a, sizeof a) != 0) {
		close(fd);
		return NULL;
	}
	char head[512];
	size_t blen = body ? strlen(body) : 0;
	int n = snprintf(head, sizeof head,
	                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
	                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	                 method, path, blen);
	if (write(fd, head, (size_t)n) != n || (blen && write(fd, body, blen) != (ssize_t)blen)) {
		close(fd);
		return NULL;
	}
	size_t cap = 1 << 16, len = 0;
	char* buf = malloc(cap);
	for (;;) {
		if (len + 4096 > cap) buf = realloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r <= 0) break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = 0;
	char* start = strstr(buf, "\r\n\r\n");
	if (start == NULL || strncmp(buf, "HTTP/1.1 200", 12) != 0) {
		free(buf);
		return NULL;
	}
	memmove(buf, start + 4, strlen(start + 4) + 1);
	return buf;
}

static void inject(const char* method, const char* path, const char* faults) {
	char body[1024];
	snprintf(body, sizeof body, "{\"method\":\"%s\",\"path\":\"%s\",\"faults\":%s}", method, path, faults);
	char* r = control("POST", "/_fake/faults", body);
	CHECK(r != NULL, "cannot inject %s into %s %s", faults, method, path);
	free(r);
}

static void reset(void) { free(control("POST", "/_fake/reset", NULL)); }

/* arrivals counts the recorded requests with this method and path (the control
 * API lists them as {"method":"...","path":"...",...}). */
static int arrivals(const char* method, const char* path) {
	char* all = control("GET", "/_fake/requests", NULL);
	char pat[512];
	snprintf(pat, sizeof pat, "\"method\":\"%s\",\"path\":\"%s\"", method, path);
	int n = 0;
	for (const char* p = all; p && (p = strstr(p, pat)) != NULL; p += strlen(pat)) n++;
	free(all);
	return n;
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
	const char* colon = strrchr(url, ':');
	port = colon ? atoi(colon + 1) : 0;
	CHECK(port > 0, "no port in %s", url);
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
		CHECK(arrivals("GET", "/api/v1/workspaces") == 2, "a cut get_workspaces was not sent again");
		inject("GET", "/api/v1/ws/1/reports/160/pdf", "[{\"truncate\":true}]");
		env = call(h, "get_pdf", "{\"report_id\":160}", async, 1);
		CHECK(is_ok(env), "get_pdf after a cut (async %d): %s", async, env);
		cx_free(env);
		CHECK(arrivals("GET", "/api/v1/ws/1/reports/160/pdf") == 2, "a cut get_pdf was not sent again");
	}
	reset();
}
