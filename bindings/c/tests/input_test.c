/*
 * input_test.c - inputs the library must refuse before anything is sent, through
 * every C entry point: text that is not UTF-8 (or JSON escapes of half a surrogate
 * pair, which a decoder would turn into U+FFFD and so into another id), a method
 * name of a megabyte (bounded work, a short message), a destination directory that
 * does not exist (save_*, export_to_file: no render or export is started) and a
 * query too long for a URL.
 * The client points at a listening socket of this test that never accepts: after
 * the calls, no connection may be waiting on it. Linked into capi_test (see
 * test_inputs there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* expect_all runs method through cx_call_bytes, cx_call (unless binary) and
 * cx_call_async and checks each envelope has code and mentions want. */
static void expect_all(cx_handle h, const char* method, const char* args, int binary, const char* code,
                       const char* want, int line) {
	char* envs[3] = {NULL, NULL, NULL};
	uint8_t* data = NULL;
	size_t len = 0;
	envs[0] = cx_call_bytes(h, method, args, &data, &len);
	cx_free(data);
	if (!binary) envs[1] = cx_call(h, method, args);
	envs[2] = call_async_wait(h, method, args);
	for (int i = 0; i < 3; i++) {
		if (i == 1 && binary) continue;
		if (!has_code(envs[i], code) || (want != NULL && strstr(envs[i], want) == NULL)) {
			failures++;
			fprintf(stderr, "FAIL input_test.c:%d (entry %d): want %s mentioning %s, got %.300s\n", line, i, code,
			        want ? want : "-", envs[i] ? envs[i] : "(null)");
		}
		cx_free(envs[i]);
	}
}
#define EXPECT_ALL(h, m, a, bin, code, want) expect_all(h, m, a, bin, code, want, __LINE__)

void test_inputs(const char* token, const char* dir) {
	int port = 0;
	long long srv = sock_listen_loopback(&port);
	CHECK(srv >= 0, "cannot listen on loopback");
	if (srv < 0) return;
	char config[512];
	snprintf(config, sizeof config,
	         "{\"base_url\":\"http://127.0.0.1:%d\",\"token\":\"%s\",\"default_workspace_id\":1,\"max_retries\":-1,\"timeout\":2}",
	         port, token);

	/* Config text that is not UTF-8, or holds half a surrogate pair. */
	const char* bad_configs[] = {"{\"base_url\":\"http://127.0.0.1:1\",\"token\":\"t\xff\"}",
	                             "{\"base_url\":\"http://127.0.0.1:1\",\"token\":\"\\ud800\"}",
	                             "{\"base_url\":\"http://127.0.0.1:1\",\"token\":\"t\",\"default_workspace_id\":\"\\udc00\"}"};
	for (size_t i = 0; i < sizeof bad_configs / sizeof bad_configs[0]; i++) {
		char* err = NULL;
		cx_handle bad = cx_client_new(bad_configs[i], &err);
		CHECK(bad == 0 && has_code(err, "invalid_config") && strstr(err, "config_json") != NULL,
		       "config %zu: %s", i, err ? err : "(null)");
		cx_free(err);
		if (bad) cx_free(cx_client_free(bad));
	}

	char* err = NULL;
	cx_handle h = cx_client_new(config, &err);
	CHECK(h != 0, "cx_client_new: %s", err ? err : "(null)");
	cx_free(err);
	if (h == 0) {
		sock_close(srv);
		return;
	}

	/* Invalid UTF-8 and lone surrogate escapes: invalid_argument, on every path. */
	EXPECT_ALL(h, "get_report_pages\xff", "{\"report_id\":160}", 0, "invalid_argument", "not valid UTF-8");
	EXPECT_ALL(h, "get_report_pages", "{\"report_id\":\"ab\xff\"}", 0, "invalid_argument", "not valid UTF-8");
	EXPECT_ALL(h, "get_report_pages", "{\"report_id\":\"\\ud800\"}", 0, "invalid_argument", "surrogate");
	EXPECT_ALL(h, "get_pdf", "{\"report_id\":160,\"params\":{\"lang\":\"\\udfff\"}}", 1, "invalid_argument", "surrogate");
	char bad_path[1200];
	snprintf(bad_path, sizeof bad_path, "{\"report_id\":160,\"path\":\"%s/\xc3(.pdf\"}", dir);
	EXPECT_ALL(h, "save_pdf", bad_path, 0, "invalid_argument", "not valid UTF-8");

	/* A method name of a megabyte: unknown_method, a short message, no suggestion. */
	size_t n = 1 << 20;
	char* name = calloc(n + 64, 1); /* zeroed: the Go runtime scans for the NUL in wide reads */
	for (size_t i = 0; i < n; i++) name[i] = "get_pdf"[i % 7];
	name[n] = 0;
	char* env = cx_call(h, name, "{}");
	CHECK(has_code(env, "unknown_method") && strlen(env) < 500 && strstr(env, "did you mean") == NULL,
	       "1 MB method name: %.300s", env ? env : "(null)");
	cx_free(env);
	free(name);

	/* A destination in a directory that does not exist: io_error, nothing sent. */
	char args[1024];
	const char* save[][2] = {{"save_pdf", "\"report_id\":160"},
	                         {"save_post_pdf", "\"report_id\":160"},
	                         {"save_export_content", "\"temp_file_id\":1"},
	                         {"export_to_file", "\"report_id\":160"}};
	for (size_t i = 0; i < sizeof save / sizeof save[0]; i++) {
		snprintf(args, sizeof args, "{%s,\"path\":\"%s/no-such-dir/out.pdf\"}", save[i][1], dir);
		EXPECT_ALL(h, save[i][0], args, 0, "io_error", "Check that the directory exists");
	}

	/* A query too long for a URL: invalid_input naming the limit. */
	size_t big = 70000;
	char* q = calloc(big + 128, 1);
	int off = snprintf(q, 128, "{\"report_id\":160,\"params\":{\"lang\":\"");
	memset(q + off, 'x', big);
	strcpy(q + off + big, "\"}}");
	EXPECT_ALL(h, "get_pdf", q, 1, "invalid_input", "65536 bytes");
	EXPECT_ALL(h, "get_pdf_url", q, 0, "invalid_input", "post_pdf");
	free(q);

	cx_free(cx_client_free(h));

	/* Nothing above may have connected to the server: no connection is waiting to be
	 * accepted (a listening socket with one is readable). */
	CHECK(!sock_wait_readable(srv, 0), "a rejected call connected to the server");
	sock_close(srv);
}
