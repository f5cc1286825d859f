/* check.c - the envelope readers of check.h. */
#include "check.h"

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
