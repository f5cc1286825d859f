/*
 * batch_auto_test.c - render_batch's concurrency "auto" finds a server's render
 * capacity through the C ABI. Against build/cxfake -render-slots K (run.sh starts
 * one with K=2 and one with K=24, with capi_test's token, and passes their URLs in
 * CAPI_TEST_SLOTS2_URL and CAPI_TEST_SLOTS24_URL), n renders of 100 ms each (n=60
 * for K=2, n=240 for K=24):
 *   - a batch told concurrency K is never refused, and takes the "ideal" time;
 *   - "auto", not told K, finishes within 1.3 x ideal + 0.5 s (ramp-up), with at
 *     most 10% of its render requests refused (429), never over K at once.
 * ideal = max(n x 0.1 s / K, what the batch told K took): a loaded machine slows
 * both alike. The bound on the wall time is the feature under test here.
 *
 * Only the native run does this (capi_test's default mode): under valgrind
 * (quick) and qemu-user (emulated) the client is 10-50x slower than the fake, so
 * the time would measure the emulator, not the batch's adaptation.
 * The timings go to $CAPI_TEST_TMP/auto-timing.txt, which run.sh prints (the
 * program itself must print nothing but its result line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

struct outcome {
	double took;
	int refusals, posts, peak;
};

/* render runs n items of 100 ms against the fake at url with the given concurrency
 * (a JSON value) into a new folder under dir, and reads the fake's counts after. */
static int render(const char* url, const char* token, int n, const char* concurrency, const char* dir, struct outcome* o) {
	char config[1024], out[512];
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"default_workspace_id\":1}", url, token);
	snprintf(out, sizeof out, "%s/auto.XXXXXX", dir);
	CHECK(mkdtemp(out) != NULL, "cannot create %s", out);
	char* err = NULL;
	cx_handle h = cx_client_new(config, &err);
	CHECK(h != 0, "client for %s: %s", url, err);
	cx_free(err);
	if (h == 0) return 0;
	size_t cap = (size_t)n * 96 + 1024, at = 0;
	char* args = malloc(cap);
	at += (size_t)snprintf(args + at, cap - at, "{\"items\":[");
	for (int i = 0; i < n; i++)
		at += (size_t)snprintf(args + at, cap - at,
		                       "%s{\"report\":160,\"output\":\"%d.pdf\",\"params\":{\"fakeDelayMs\":100,\"i\":%d}}",
		                       i ? "," : "", i, i);
	snprintf(args + at, cap - at, "],\"out_dir\":\"%s\",\"concurrency\":%s}", out, concurrency);
	double start = mono_now();
	char* env = cx_call(h, "render_batch", args);
	o->took = mono_now() - start;
	char want[32];
	snprintf(want, sizeof want, "\"ok\":%d,", n);
	int ok = is_ok(env) && has(env, want) && has(env, "\"failed\":0,");
	CHECK(ok, "render_batch of %d, concurrency %s, against %s: %.300s", n, concurrency, url, env);
	cx_free(env);
	free(args);
	cx_free(cx_client_free(h));
	o->refusals = fake_stat(url, "render_refusals");
	o->posts = fake_arrivals(url, "POST", BATCH_PDF_PATH);
	o->peak = fake_stat(url, "peak_renders");
	return ok;
}

static void against(const char* env_name, int k, int n, const char* token, const char* dir, FILE* report) {
	const char* url = getenv(env_name);
	CHECK(url != NULL && *url, "%s is not set: run.sh starts cxfake -render-slots %d for this test", env_name, k);
	if (url == NULL || !*url) return;
	CHECK(fake_stat(url, "render_slots") == k, "the fake at %s does not have %d render slots", url, k);

	struct outcome told, aut;
	char kjson[16];
	snprintf(kjson, sizeof kjson, "%d", k);
	CHECK(fake_reset(url), "cannot reset the fake at %s", url);
	if (!render(url, token, n, kjson, dir, &told)) return;
	CHECK(told.refusals == 0, "K=%d: the batch told %d was refused %d times", k, k, told.refusals);
	CHECK(told.peak <= k && told.posts == n, "K=%d told K: peak %d renders, %d POSTs", k, told.peak, told.posts);

	CHECK(fake_reset(url), "cannot reset the fake at %s", url);
	if (!render(url, token, n, "\"auto\"", dir, &aut)) return;
	double ideal = (double)n * 0.1 / k;
	if (told.took > ideal) ideal = told.took;
	double bound = 1.3 * ideal + 0.5;
	double share = aut.posts > 0 ? (double)aut.refusals / aut.posts : 1;
	if (report)
		fprintf(report,
		        "auto K=%d n=%d: told K %.2f s, auto %.2f s (%.2f x ideal %.2f s, bound %.2f s), "
		        "%d of %d renders refused (%.1f%%), peak %d\n",
		        k, n, told.took, aut.took, aut.took / ideal, ideal, bound, aut.refusals, aut.posts, 100 * share, aut.peak);
	CHECK(aut.took <= bound, "K=%d: auto took %.2f s, over 1.3 x ideal %.2f s + 0.5 s", k, aut.took, ideal);
	CHECK(share <= 0.10, "K=%d: auto had %d of %d render requests refused (%.1f%%, over 10%%)", k, aut.refusals, aut.posts,
	      100 * share);
	CHECK(aut.peak >= 1 && aut.peak <= k, "K=%d: auto peaked at %d renders", k, aut.peak);
}

void test_batch_auto(const char* token, const char* dir) {
	char path[512];
	snprintf(path, sizeof path, "%s/auto-timing.txt", dir);
	FILE* report = fopen(path, "w");
	CHECK(report != NULL, "cannot write %s", path);
	against("CAPI_TEST_SLOTS2_URL", 2, 60, token, dir, report);
	against("CAPI_TEST_SLOTS24_URL", 24, 240, token, dir, report);
	if (report) fclose(report);
}
