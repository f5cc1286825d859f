/*
 * batch_test.c - render_batch through cx_call_async: an "item" progress event per
 * finished item (and a "batch" counts event after it), the files written under
 * out_dir, a bad item failing alone, and the envelope's counts. Linked into
 * capi_test (see test_batch).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

struct batch_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done, items, counts;
	char* env;
};

static void on_batch_done(uint64_t id, char* env, uint8_t* data, size_t len, void* ud) {
	(void)id;
	(void)len;
	struct batch_wait* w = ud;
	cx_free(data);
	pthread_mutex_lock(&w->mu);
	w->env = env;
	w->done = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void on_batch_event(uint64_t id, char* ev, void* ud) {
	(void)id;
	struct batch_wait* w = ud;
	pthread_mutex_lock(&w->mu);
	if (has(ev, "\"stage\":\"item\"")) w->items++;
	if (has(ev, "\"stage\":\"batch\"")) w->counts++;
	pthread_mutex_unlock(&w->mu);
	cx_free(ev);
}

void test_batch(cx_handle h, const char* dir) {
	char args[1024];
	snprintf(args, sizeof args,
	         "{\"items\":[{\"report\":160,\"output\":\"b/1.pdf\",\"params\":{\"n\":1}},"
	         "{\"report\":\"invoice\",\"output\":\"b/2.pdf\"},{\"report\":160,\"output\":\"../escape.pdf\"}],"
	         "\"out_dir\":\"%s\",\"concurrency\":2,\"force\":true}",
	         dir);
	struct batch_wait w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL};
	CHECK(cx_call_async(h, "render_batch", args, on_batch_done, on_batch_event, &w) != 0, "render_batch did not start");
	pthread_mutex_lock(&w.mu);
	while (!w.done) pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
	CHECK(is_ok(w.env) && has(w.env, "\"ok\":2") && has(w.env, "\"failed\":1") && has(w.env, "\"total\":3"),
	      "render_batch envelope: %s", w.env);
	CHECK(w.items == 3 && w.counts == 3, "render_batch events: %d items, %d counts", w.items, w.counts);
	char path[512];
	snprintf(path, sizeof path, "%s/b/1.pdf", dir);
	CHECK(access(path, F_OK) == 0, "render_batch did not write %s", path);
	cx_free(w.env);
}
