/* check.c - the envelope readers of check.h. */
#include "check.h"

#include <pthread.h>
#include <string.h>

int failures;

int has(const char* s, const char* sub) { return s != NULL && strstr(s, sub) != NULL; }

int is_ok(const char* env) { return env != NULL && strncmp(env, "{\"ok\":true", 10) == 0; }

int has_code(const char* env, const char* code) {
	char want[96];
	snprintf(want, sizeof want, "\"code\":\"%s\"", code);
	return env != NULL && strncmp(env, "{\"ok\":false", 11) == 0 && strstr(env, want) != NULL;
}

void field(const char* env, const char* key, char* out, size_t n) {
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char* p = env ? strstr(env, pat) : NULL;
	out[0] = 0;
	if (p == NULL) return;
	p += strlen(pat);
	size_t i = 0;
	if (*p == '"') {
		out[i++] = *p++;
		while (*p && *p != '"' && i < n - 2) out[i++] = *p++;
		out[i++] = '"';
	} else {
		while (*p && *p != ',' && *p != '}' && i < n - 1) out[i++] = *p++;
	}
	out[i] = 0;
}

struct done {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	char* env;
};

static void on_done(uint64_t id, char* env, uint8_t* data, size_t len, void* ud) {
	(void)id;
	(void)len;
	struct done* d = ud;
	cx_free(data);
	pthread_mutex_lock(&d->mu);
	d->env = env;
	d->done = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

char* call_async_wait(cx_handle h, const char* method, const char* args) {
	struct done d = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL};
	if (cx_call_async(h, method, args, on_done, NULL, &d) == 0) return NULL;
	pthread_mutex_lock(&d.mu);
	while (!d.done) pthread_cond_wait(&d.cv, &d.mu);
	pthread_mutex_unlock(&d.mu);
	return d.env;
}
