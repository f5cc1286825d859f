/* What dlopen_test.c (Linux, dlsym) and loadlibrary_test.c (Windows, GetProcAddress)
 * share: the cx_* functions a host that loads the library at run time looks up, as the
 * Python and Node bindings do, and the calls they make through them. Each program
 * fills a loaded_api its own way. */
#ifndef CX_TESTS_LOADED_API_H
#define CX_TESTS_LOADED_API_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	const char* prog; /* the program's name, for its messages */
	uint64_t (*client_new)(const char*, char**);
	char* (*call)(uint64_t, const char*, const char*);
	char* (*client_free)(uint64_t);
	void (*cx_free)(void*);
} loaded_api;

/* 1 when every function was found, else 0 with a message. */
static int loaded_api_complete(const loaded_api* api) {
	if (api->client_new && api->call && api->client_free && api->cx_free) return 1;
	fprintf(stderr, "%s: a cx_* function is missing from the library\n", api->prog);
	return 0;
}

/* A client of the fake at url with token, or 0 with a message. */
static uint64_t loaded_client(const loaded_api* api, const char* url, const char* token) {
	char config[1024];
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"default_workspace_id\":1}", url, token);
	char* err = NULL;
	uint64_t h = api->client_new(config, &err);
	if (h == 0) fprintf(stderr, "%s: cx_client_new: %s\n", api->prog, err ? err : "(null)");
	api->cx_free(err);
	return h;
}

/* The number of workspaces get_workspaces lists, or -1 with a message. */
static int loaded_workspaces(const loaded_api* api, uint64_t h) {
	char* env = api->call(h, "get_workspaces", "{}");
	int ok = env && strncmp(env, "{\"ok\":true,\"data\":[", 19) == 0;
	int n = 0;
	for (const char* p = env; ok && (p = strstr(p, "\"id\"")) != NULL; p++) n++;
	if (!ok) fprintf(stderr, "%s: get_workspaces: %s\n", api->prog, env ? env : "(null)");
	api->cx_free(env);
	return ok ? n : -1;
}

#endif
