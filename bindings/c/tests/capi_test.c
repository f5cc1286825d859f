/*
 * capi_test.c - drives every entry point and every method of libcxreports against
 * a running fake server, plus every kind of bad input. run.sh builds it, starts
 * build/cxfake and runs it directly and under valgrind memcheck.
 *
 * Usage: capi_test URL TOKEN [quick|emulated|guid]
 *   quick: skip the slow parts (threads, waits, the timing of concurrency "auto")
 *   - used under valgrind, which still reaches every exported function.
 *   emulated: all but the timing of concurrency "auto" - used under qemu-user.
 *   guid: only the id flows (flows_test.c), against a fake that sends GUID ids.
 *   The default mode (the native run) needs the fakes with render slots that
 *   run.sh starts (batch_auto_test.c).
 * capi_test URL TOKEN batch-kill-child OUT_DIR is the run batch_kill_test.c
 * starts and kills.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char* token;
static char tmpdir[256];

/* ok_call runs cx_call, checks success and a substring, and returns the envelope
 * (caller frees) or NULL after freeing it when keep is 0. */
static char* ok_call(cx_handle h, const char* method, const char* args, const char* want, int keep, int line) {
	char* env = cx_call(h, method, args);
	if (!is_ok(env) || (want != NULL && !has(env, want))) {
		failures++;
		fprintf(stderr, "FAIL line %d: %s %s: want ok containing %s, got %s\n", line, method, args,
		        want ? want : "-", env ? env : "(null)");
	}
	if (token != NULL && has(env, token)) {
		failures++;
		fprintf(stderr, "FAIL line %d: %s leaked the token\n", line, method);
	}
	if (!keep) {
		cx_free(env);
		return NULL;
	}
	return env;
}
#define OK(h, m, a, want) ok_call(h, m, a, want, 0, __LINE__)

/* ok_callf is OK with the arguments formatted from fmt (an id or a path pasted in). */
static __attribute__((format(printf, 5, 6))) void ok_callf(int line, cx_handle h, const char* method, const char* want,
                                                           const char* fmt, ...) {
	char args[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	ok_call(h, method, args, want, 0, line);
}
#define OKF(h, m, want, ...) ok_callf(__LINE__, h, m, want, __VA_ARGS__)

/* ok_id is OK for a call that starts something (an export, a job run): it copies the
 * member key of the answer, the new id, into id for the calls that follow. */
static void ok_id(cx_handle h, const char* method, const char* args, const char* key, char* id, size_t n, int line) {
	char* env = ok_call(h, method, args, key, 1, line);
	field(env, key, id, n);
	cx_free(env);
}
#define OK_ID(h, m, a, key, id) ok_id(h, m, a, key, id, sizeof id, __LINE__)

static void err_call(cx_handle h, const char* method, const char* args, const char* code, int line) {
	char* env = cx_call(h, method, args);
	if (!has_code(env, code)) {
		failures++;
		fprintf(stderr, "FAIL line %d: %s %s: want error %s, got %s\n", line, method ? method : "(NULL)",
		        args ? args : "(NULL)", code, env ? env : "(null)");
	}
	cx_free(env);
}
#define ERR(h, m, a, code) err_call(h, m, a, code, __LINE__)

static int file_starts_with_pdf(const char* path) {
	FILE* f = fopen(path, "rb");
	if (f == NULL) return 0;
	char buf[5] = {0};
	size_t n = fread(buf, 1, 4, f);
	fclose(f);
	return n == 4 && memcmp(buf, "%PDF", 4) == 0;
}

/* ---- asynchronous calls ---- */

struct pending {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done_calls;
	int progress_calls;
	int progress_after_done;
	uint64_t id;
	char* env;
	uint8_t* data;
	size_t len;
};

static void pending_init(struct pending* p) {
	memset(p, 0, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
}

static void on_done(uint64_t id, char* env, uint8_t* data, size_t len, void* ud) {
	struct pending* p = ud;
	pthread_mutex_lock(&p->mu);
	p->done_calls++;
	p->id = id;
	if (p->env == NULL) {
		p->env = env;
		p->data = data;
		p->len = len;
	} else { /* a second done is a failure reported by wait_done; do not leak */
		cx_free(env);
		cx_free(data);
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void on_progress(uint64_t id, char* ev, void* ud) {
	struct pending* p = ud;
	(void)id;
	pthread_mutex_lock(&p->mu);
	p->progress_calls++;
	if (p->done_calls) p->progress_after_done++;
	pthread_mutex_unlock(&p->mu);
	if (!has(ev, "\"stage\"")) {
		fprintf(stderr, "FAIL: progress event without stage: %s\n", ev);
		failures++;
	}
	cx_free(ev);
}

/* wait_done waits up to 60 s for done; returns 0 on timeout. */
static int wait_done(struct pending* p) {
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 60;
	pthread_mutex_lock(&p->mu);
	int rc = 0;
	while (p->done_calls == 0 && rc == 0) rc = pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	int got = p->done_calls;
	pthread_mutex_unlock(&p->mu);
	return got;
}

static void pending_free(struct pending* p) {
	usleep(20000); /* give a (wrong) second done call a chance to show up */
	CHECK(p->done_calls == 1, "done called %d times", p->done_calls);
	CHECK(p->progress_after_done == 0, "progress after done");
	cx_free(p->env);
	cx_free(p->data);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

/* ---- log callback ---- */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int log_lines;
static int log_leaks;

static void on_log(int level, char* msg, void* ud) {
	(void)ud;
	pthread_mutex_lock(&log_mu);
	log_lines++;
	if (has(msg, token) || level < 0 || level > 3) log_leaks++;
	pthread_mutex_unlock(&log_mu);
	cx_free(msg);
}

/* ---- threads sharing one handle ---- */

struct worker {
	cx_handle h;
	int failures;
};

static void* worker_main(void* arg) {
	struct worker* w = arg;
	for (int i = 0; i < 20; i++) {
		char* env = cx_call(w->h, "get_workspaces", "{}");
		if (!is_ok(env) || !has(env, "\"main\"")) w->failures++;
		cx_free(env);
	}
	return NULL;
}

static void test_static(void) {
	CHECK(cx_abi_version() == CX_ABI_VERSION, "abi %d", cx_abi_version());
	char* v = cx_version();
	CHECK(has(v, "\"abi\":1") && has(v, "\"version\":") && has(v, "\"go\":"), "version %s", v);
	cx_free(v);
	char* m = cx_methods();
	CHECK(has(m, "\"methods\":[{\"name\":\"") && has(m, "\"error_codes\":"), "cx_methods %.200s", m);
	cx_free(m);
	cx_free(NULL);
}

/* Every method cx_methods() lists is one the dispatcher runs: each, called with an
 * argument no method takes, is refused by name ("unknown argument"), not as an
 * unknown method. The names come from cx_methods() itself, so this test has no list
 * to keep up to date: a method added to the table is covered as it is. */
static void test_every_method(cx_handle h) {
	char* m = cx_methods();
	int seen = 0;
	/* Methods are the objects {"name":...,"doc":...}; arguments and config keys have
	 * "type" after their name. */
	for (const char* p = strstr(m, "{\"name\":\""); p != NULL; p = strstr(p + 1, "{\"name\":\"")) {
		const char* name = p + strlen("{\"name\":\"");
		const char* end = strchr(name, '"');
		if (end == NULL || strncmp(end, "\",\"doc\":", 8) != 0) continue;
		char method[64];
		CHECK((size_t)(end - name) < sizeof method, "method name too long: %.80s", name);
		if ((size_t)(end - name) >= sizeof method) continue;
		memcpy(method, name, (size_t)(end - name));
		method[end - name] = 0;
		seen++;
		uint8_t* data = NULL;
		size_t len = 0;
		char* env = cx_call_bytes(h, method, "{\"no_such_argument\":1}", &data, &len);
		CHECK(has_code(env, "invalid_argument") && has(env, "unknown argument") && has(env, method) && data == NULL,
		      "%s with an unknown argument: %s", method, env);
		cx_free(env);
	}
	CHECK(seen > 0 && seen == count(m, "\"kind\":\""), "cx_methods: read %d methods, it lists %d kinds", seen,
	      count(m, "\"kind\":\""));
	cx_free(m);
}

static void test_bad_configs(const char* url) {
	char* err = (char*)1;
	CHECK(cx_client_new(NULL, &err) == 0 && has_code(err, "invalid_argument"), "NULL config: %s", err);
	cx_free(err);
	const char* bad[] = {"", "{", "[1]", "null", "{\"base_url\":1}", "{\"base_url\":\"http://x\",\"tokn\":\"t\"}",
	                     "{\"base_url\":\"http://x\"}", "{\"token\":\"t\"}", "{\"base_url\":\"ftp://x\",\"token\":\"t\"}",
	                     "{\"base_url\":\"http://x\",\"token\":\"t\",\"timeout\":\"10\"}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		cx_handle h = cx_client_new(bad[i], &err);
		CHECK(h == 0 && has_code(err, "invalid_config"), "config %s: %s", bad[i], err);
		cx_free(err);
	}
	CHECK(cx_client_new("{", NULL) == 0, "NULL error_json still fails cleanly");
	(void)url;
}

/* expect_call_error and expect_async_error are each_bad_input's checks for cx_call
 * and cx_call_async (ud points to the handle). */
static void expect_call_error(void* ud, const char* method, const char* args, const char* code) {
	err_call(*(cx_handle*)ud, method, args, code, __LINE__);
}

static void expect_async_error(void* ud, const char* method, const char* args, const char* code) {
	struct pending p;
	pending_init(&p);
	uint64_t id = cx_call_async(*(cx_handle*)ud, method, args, on_done, on_progress, &p);
	CHECK(id != 0 && wait_done(&p) && has_code(p.env, code) && p.id == id, "async %s %s: %s (want %s)",
	      method ? method : "(NULL)", args ? args : "(NULL)", p.env, code);
	pending_free(&p);
}

static void test_bad_calls(cx_handle h) {
	each_bad_input("get_report_pages", expect_call_error, &h);
	/* What only cx_call refuses, or only some methods: {method, args, code}. */
	static const char* const bad[][3] = {
	    {"get_workspaces", NULL, "invalid_argument"},
	    {"get_workspaces", "[]", "invalid_argument"},
	    {"get_workspacez", "{}", "unknown_method"},
	    {"get_report_pages", "{\"report_id\":1.5}", "invalid_argument"},
	    {"get_report_pages", "{\"report_id\":160,\"workspace\":1}", "invalid_argument"},
	    {"get_pdf_url", "{\"report_id\":160,\"params\":[1]}", "invalid_argument"},
	    {"get_reports", "{\"limit\":\"5\"}", "invalid_argument"},
	    {"get_workspaces", "{\"timeout\":-1}", "invalid_argument"},
	    {"get_pdf", "{\"report_id\":160}", "binary_result"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_call_error(&h, bad[i][0], bad[i][1], bad[i][2]);
	ERR(0, "get_workspaces", "{}", "invalid_handle");
	ERR(987654321, "get_workspaces", "{}", "invalid_handle");

	uint8_t* data = (uint8_t*)1;
	size_t len = 7;
	char* env = cx_call_bytes(h, "get_pdf", "{\"report_id\":160}", NULL, &len);
	CHECK(has_code(env, "invalid_argument") && len == 0, "NULL out_data: %s", env);
	cx_free(env);
	env = cx_call_bytes(h, "get_pdf", "{\"report_id\":160}", &data, NULL);
	CHECK(has_code(env, "invalid_argument") && data == NULL, "NULL out_len: %s", env);
	cx_free(env);
	env = cx_call_bytes(h, NULL, "{}", &data, &len);
	CHECK(has_code(env, "invalid_argument"), "NULL method: %s", env);
	cx_free(env);
	env = cx_call_bytes(0, "get_pdf", "{\"report_id\":160}", &data, &len);
	CHECK(has_code(env, "invalid_handle") && data == NULL && len == 0, "bytes on handle 0: %s", env);
	cx_free(env);

	CHECK(cx_call_async(h, "get_workspaces", "{}", NULL, NULL, NULL) == 0, "NULL done must give 0");
	CHECK(cx_cancel(0) == 0 && cx_cancel(123456789) == 0, "cancel of unknown ids");

	each_bad_input("get_report_pages", expect_async_error, &h);
	struct pending p;
	pending_init(&p);
	uint64_t id = cx_call_async(0, "get_workspaces", "{}", on_done, NULL, &p);
	CHECK(id != 0 && wait_done(&p) && has_code(p.env, "invalid_handle"), "async on handle 0: %s", p.env);
	pending_free(&p);
}

static void test_methods(cx_handle h, int quick) {
	char path[512], id[64], run[64], args[1024];
	OK(h, "get_workspaces", "{}", "\"code\":\"main\"");
	OK(h, "get_report_types", "{}", "invoice");
	OK(h, "get_report_types", "{\"workspace_id\":0}", "invoice");
	OK(h, "get_themes", "{\"workspace_id\":\"main\"}", "dark");
	OK(h, "get_templates", "{}", "Default");
	OK(h, "get_jobs", "{}", "monthly");
	OK(h, "get_reports", "{\"type\":\"invoice\",\"offset\":0,\"limit\":5}", "Invoice");
	OK(h, "get_report_pages", "{\"report_id\":160}", "\"data\":[");
	OK(h, "get_report_pages", "{\"report_id\":\"invoice\",\"workspace_id\":null}", "\"data\":[");

	uint8_t* data = NULL;
	size_t len = 0;
	char* env = cx_call_bytes(h, "get_pdf", "{\"report_id\":160,\"params\":{\"b\":1,\"a\":2},\"theme\":\"dark\",\"template\":2}", &data, &len);
	CHECK(is_ok(env) && has(env, "\"content_type\":\"application/pdf\"") && len > 4 && memcmp(data, "%PDF", 4) == 0,
	      "get_pdf bytes: %s len %zu", env, len);
	cx_free(env);
	cx_free(data);
	env = cx_call_bytes(h, "post_pdf", "{\"report_id\":160,\"request_body\":{\"params\":{\"x\":1}}}", &data, &len);
	CHECK(is_ok(env) && len > 4 && memcmp(data, "%PDF", 4) == 0, "post_pdf bytes: %s", env);
	cx_free(env);
	cx_free(data);
	env = cx_call_bytes(h, "get_workspaces", "{}", &data, &len);
	CHECK(is_ok(env) && data == NULL && len == 0, "cx_call_bytes on a JSON method: %s", env);
	cx_free(env);

	OK_ID(h, "start_report_export", "{\"report_id\":160,\"request_body\":{\"format\":\"pdf\"}}", "temporaryFileId", id);
	OKF(h, "get_export_status", "status", "{\"temp_file_id\":%s}", id);
	OKF(h, "wait_for_export", "Completed", "{\"temp_file_id\":%s,\"poll_interval\":0.05,\"timeout\":30}", id);
	snprintf(args, sizeof args, "{\"temp_file_id\":%s}", id);
	env = cx_call_bytes(h, "get_export_content", args, &data, &len);
	CHECK(is_ok(env) && len > 4 && memcmp(data, "%PDF", 4) == 0, "get_export_content: %s", env);
	cx_free(env);
	cx_free(data);
	snprintf(path, sizeof path, "%s/export.pdf", tmpdir);
	OKF(h, "save_export_content", "\"bytes\":", "{\"temp_file_id\":%s,\"path\":\"%s\"}", id, path);
	CHECK(file_starts_with_pdf(path), "save_export_content wrote no PDF");

	OK(h, "push_temporary_data", "{\"data\":{\"z\":1,\"a\":[1,2]},\"expiry_date\":\"2099-01-01T00:00:00Z\"}", "tempDataId");
	OK(h, "create_auth_token", "{}", "nonce");
	OK(h, "get_preview_url", "{\"report_id\":160,\"query_params\":{\"lang\":\"en\"}}", "preview");
	OK(h, "get_preview_url", "{\"report_id\":160,\"data\":{\"k\":\"v\"}}", "tempDataId");
	OK(h, "get_pdf_url", "{\"report_id\":160,\"theme\":\"dark\"}", "pdf");

	OK_ID(h, "start_job_run", "{\"job_id\":42,\"request_body\":{\"params\":{}}}", "jobRunId", run);
	snprintf(args, sizeof args, "{\"job_id\":42,\"run_id\":%s}", run);
	OK(h, "get_job_run_status", args, "\"data\":{");
	OKF(h, "wait_for_job_run", "\"data\":{", "{\"job_id\":\"monthly\",\"run_id\":%s,\"poll_interval\":0.05,\"timeout\":30}", run);
	OK(h, "get_run_review_document", args, "temporaryFileId");
	OK(h, "deliver_job_run_entries", args, "\"data\":null");

	snprintf(path, sizeof path, "%s/get.pdf", tmpdir);
	OKF(h, "save_pdf", "\"content_type\":\"application/pdf\"", "{\"report_id\":160,\"path\":\"%s\",\"params\":{\"lang\":\"en\"}}", path);
	CHECK(file_starts_with_pdf(path), "save_pdf wrote no PDF");
	snprintf(path, sizeof path, "%s/post.pdf", tmpdir);
	OKF(h, "save_post_pdf", "\"bytes\":", "{\"report_id\":160,\"path\":\"%s\",\"request_body\":{}}", path);
	CHECK(file_starts_with_pdf(path), "save_post_pdf wrote no PDF");
	snprintf(path, sizeof path, "%s/nodir/x.pdf", tmpdir);
	snprintf(args, sizeof args, "{\"report_id\":160,\"path\":\"%s\"}", path);
	ERR(h, "save_pdf", args, "io_error");

	/* async with progress: export_to_file waits, so progress events arrive first */
	struct pending p;
	pending_init(&p);
	snprintf(path, sizeof path, "%s/async-export.pdf", tmpdir);
	snprintf(args, sizeof args, "{\"report_id\":160,\"path\":\"%s\",\"poll_interval\":0.05}", path);
	uint64_t rid = cx_call_async(h, "export_to_file", args, on_done, on_progress, &p);
	CHECK(rid != 0 && wait_done(&p) && is_ok(p.env) && p.id == rid, "async export_to_file: %s", p.env);
	CHECK(p.progress_calls > 0, "no progress events");
	CHECK(file_starts_with_pdf(path), "export_to_file wrote no PDF");
	pending_free(&p);

	/* async binary result */
	pending_init(&p);
	rid = cx_call_async(h, "get_pdf", "{\"report_id\":160}", on_done, NULL, &p);
	CHECK(wait_done(&p) && is_ok(p.env) && p.len > 4 && memcmp(p.data, "%PDF", 4) == 0, "async get_pdf: %s", p.env);
	pending_free(&p);

	/* cancel a slow render */
	pending_init(&p);
	rid = cx_call_async(h, "get_pdf", "{\"report_id\":160,\"params\":{\"params\":{\"fakeDelayMs\":20000}}}", on_done, NULL, &p);
	usleep(100000);
	CHECK(cx_cancel(rid) == 1, "cancel of an in-flight call");
	CHECK(wait_done(&p) && has_code(p.env, "canceled"), "canceled call: %s", p.env);
	CHECK(cx_cancel(rid) == 0, "cancel after done");
	pending_free(&p);

	/* the per-call timeout */
	ERR(h, "get_pdf_url", "{\"report_id\":160,\"timeout\":\"x\"}", "invalid_argument");
	uint8_t* d2 = NULL;
	size_t l2 = 0;
	env = cx_call_bytes(h, "get_pdf", "{\"report_id\":160,\"params\":{\"params\":{\"fakeDelayMs\":20000}},\"timeout\":0.2}", &d2, &l2);
	CHECK(has_code(env, "timeout"), "timeout: %s", env);
	cx_free(env);
	cx_free(d2);

	if (!quick) {
		struct worker w[8];
		pthread_t t[8];
		for (int i = 0; i < 8; i++) {
			w[i].h = h;
			w[i].failures = 0;
			pthread_create(&t[i], NULL, worker_main, &w[i]);
		}
		for (int i = 0; i < 8; i++) {
			pthread_join(t[i], NULL);
			CHECK(w[i].failures == 0, "thread %d: %d failed calls", i, w[i].failures);
		}
	}
}

static void test_log(cx_handle h) {
	cx_set_log_callback(on_log, CX_LOG_DEBUG, NULL);
	OK(h, "get_workspaces", "{}", NULL);
	cx_set_log_callback(NULL, 0, NULL);
	pthread_mutex_lock(&log_mu);
	CHECK(log_lines > 0, "no log lines at debug level");
	CHECK(log_leaks == 0, "%d log lines leaked the token or had a bad level", log_leaks);
	int before = log_lines;
	pthread_mutex_unlock(&log_mu);
	OK(h, "get_workspaces", "{}", NULL);
	pthread_mutex_lock(&log_mu);
	CHECK(log_lines == before, "log callback still called after it was cleared");
	pthread_mutex_unlock(&log_mu);
}

#ifdef _WIN32
/* test_windows_paths: save_pdf and render_batch take Windows paths as Windows
 * programs write them: a drive letter and backslashes (JSON-escaped here). tmpdir is
 * Z:/... under Wine (run-windows.sh); its slashes are turned around. */
static void test_windows_paths(cx_handle h) {
	char dir[300], jdir[600], args[1400], path[400];
	size_t j = 0;
	for (size_t i = 0; tmpdir[i] && i < sizeof dir - 1; i++) dir[i] = tmpdir[i] == '/' ? '\\' : tmpdir[i], dir[i + 1] = 0;
	CHECK(dir[1] == ':', "tmpdir %s has no drive letter", tmpdir);
	for (size_t i = 0; dir[i] && j < sizeof jdir - 3; i++) {
		if (dir[i] == '\\') jdir[j++] = '\\';
		jdir[j++] = dir[i];
	}
	jdir[j] = 0;
	snprintf(args, sizeof args, "{\"report_id\":160,\"path\":\"%s\\\\back slash.pdf\"}", jdir);
	OK(h, "save_pdf", args, NULL);
	snprintf(path, sizeof path, "%s\\back slash.pdf", dir);
	CHECK(pdf_intact(path), "save_pdf to %s: no intact PDF there", path);
	snprintf(args, sizeof args,
	         "{\"out_dir\":\"%s\\\\win batch\",\"items\":[{\"report\":160,\"output\":\"sub\\\\one.pdf\"}]}",
	         jdir);
	OK(h, "render_batch", args, NULL);
	snprintf(path, sizeof path, "%s\\win batch\\sub\\one.pdf", dir);
	CHECK(pdf_intact(path), "render_batch to %s: no intact PDF there", path);

	/* ca_bundle_file: run-windows.sh starts a TLS fake that writes its CA to
	 * "tls ca\\ca.pem" in tmpdir; the client trusts it through a backslash path. */
	const char* tls_url = getenv("CAPI_TEST_TLS_URL");
	CHECK(tls_url && *tls_url, "CAPI_TEST_TLS_URL is not set (run-windows.sh sets it)");
	if (!tls_url || !*tls_url) return;
	char config[1400], *err = NULL;
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"ca_bundle_file\":\"%s\\\\tls ca\\\\ca.pem\"}",
	         tls_url, token, jdir);
	cx_handle t = cx_client_new(config, &err);
	CHECK(t != 0, "a client with ca_bundle_file %s\\tls ca\\ca.pem: %s", dir, err);
	cx_free(err);
	if (t != 0) {
		OK(t, "get_workspaces", "{}", NULL);
		cx_free(cx_client_free(t));
	}
	err = NULL;
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"ca_bundle_file\":\"%s\\\\tls ca\\\\none.pem\"}",
	         tls_url, token, jdir);
	t = cx_client_new(config, &err);
	CHECK(t == 0 && has(err, "none.pem"), "a client with a missing ca_bundle_file: %s", err);
	cx_free(err);
	if (t != 0) cx_free(cx_client_free(t));
}
#endif

static void test_free(const char* config) {
	char* err = NULL;
	cx_handle h = cx_client_new(config, &err);
	CHECK(h != 0 && err == NULL, "client: %s", err);
	struct pending p;
	pending_init(&p);
	uint64_t id = cx_call_async(h, "get_pdf", "{\"report_id\":160,\"params\":{\"params\":{\"fakeDelayMs\":20000}}}", on_done, NULL, &p);
	/* Free the handle once the call really is in flight at the server. */
	for (int i = 0; i < 2000 && fake_in_flight() < 1; i++) usleep(5000);
	char* env = cx_client_free(h);
	CHECK(is_ok(env), "free: %s", env);
	cx_free(env);
	CHECK(id != 0 && wait_done(&p) && has_code(p.env, "canceled"), "in-flight call after free: %s", p.env);
	pending_free(&p);
	ERR(h, "get_workspaces", "{}", "invalid_handle");
	env = cx_client_free(h);
	CHECK(has_code(env, "invalid_handle"), "double free: %s", env);
	cx_free(env);
	env = cx_client_free(0);
	CHECK(has_code(env, "invalid_handle"), "free of 0: %s", env);
	cx_free(env);
}

int main(int argc, char** argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: %s URL TOKEN [quick|emulated|guid]\n", argv[0]);
		return 2;
	}
	const char* url = argv[1];
	token = argv[2];
	const char* mode = argc > 3 ? argv[3] : "";
#ifndef _WIN32
	if (strcmp(mode, "batch-kill-child") == 0 && argc > 4) return batch_kill_child(url, token, argv[4]);
#endif
	fake_init(url);
	int quick = strcmp(mode, "quick") == 0;
	int guid = strcmp(mode, "guid") == 0;
	int emulated = strcmp(mode, "emulated") == 0;
	if (!quick && !guid && !emulated && *mode) {
		fprintf(stderr, "capi_test: unknown mode %s\n", mode);
		return 2;
	}
	/* run.sh gives a fresh directory of its own (mktemp -d, so under $TMPDIR) */
	const char* tmp = getenv("CAPI_TEST_TMP");
	if (!tmp || !*tmp) {
		fprintf(stderr, "capi_test: set CAPI_TEST_TMP to an empty directory for the files it writes (run.sh does)\n");
		return 2;
	}
	snprintf(tmpdir, sizeof tmpdir, "%s", tmp);

	/* The call timeout is there to end a hang, not to time anything: quick is the
	 * valgrind mode, where the library runs tens of times slower and its threads one at
	 * a time, and a render of the batch test once took longer than 30 s there. */
	char config[1024];
	snprintf(config, sizeof config,
	         "{\"base_url\":\"%s\",\"token\":\"%s\",\"default_workspace_id\":1,\"timeout\":%d,"
	         "\"max_retries\":1,\"retry_wait_min\":0.01,\"retry_wait_max\":0.05,\"user_agent_suffix\":\"capi-test\"}",
	         url, token, quick ? 300 : 30);

	test_static();
	test_bad_configs(url);
	char* err = NULL;
	cx_handle h = cx_client_new(config, &err);
	CHECK(h != 0 && err == NULL, "cx_client_new: %s", err);
	if (h == 0) {
		cx_free(err);
		return 1;
	}
	if (guid) {
		test_flows(h, tmpdir, 1);
		cx_free(cx_client_free(h));
		if (failures) {
			fprintf(stderr, "capi_test: %d failure(s)\n", failures);
			return 1;
		}
		printf("capi_test: all checks passed (guid ids)\n");
		return 0;
	}
	test_bad_calls(h);
	test_every_method(h);
	test_methods(h, quick);
	test_stream(h, quick);
	test_inbox_stream(h, quick);
	test_inbox(config);
	if (!quick) test_flows(h, tmpdir, 0);
	test_batch(h, tmpdir);
	if (!quick && !emulated) test_batch_auto(token, tmpdir);
	test_log(h);
#ifdef _WIN32
	test_windows_paths(h);
#else
	/* Left out on Windows (run-windows.sh): test_batch_kill kills a child process
	 * made with fork() mid-batch and SIGKILL; test_inputs and test_transport run raw
	 * test servers on POSIX sockets (fcntl O_NONBLOCK, errno EAGAIN on accept). */
	test_inputs(token, tmpdir);
	test_batch_kill(h, url, token, tmpdir);
	test_transport(h, url);
#endif
	char* env = cx_client_free(h);
	CHECK(is_ok(env), "free: %s", env);
	cx_free(env);
	test_free(config);

	if (failures) {
		fprintf(stderr, "capi_test: %d failure(s)\n", failures);
		return 1;
	}
	printf("capi_test: all checks passed%s\n", quick ? " (quick)" : emulated ? " (emulated)" : "");
	return 0;
}
