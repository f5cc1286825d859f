/* Loads libcxreports.so the way the Python and Node bindings do, with dlopen at run
 * time rather than as a DT_NEEDED of the program, and makes one call through it:
 *   dlopen_test LIBRARY URL TOKEN
 * prints "dlopen_test: abi 1, N workspaces" and exits 0. run-arm64.sh runs it under
 * qemu-user, since a dlopen'd Go library needs its static TLS block at load time. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef int (*abi_fn)(void);
typedef uint64_t (*client_new_fn)(const char*, char**);
typedef char* (*call_fn)(uint64_t, const char*, const char*);
typedef char* (*client_free_fn)(uint64_t);
typedef void (*free_fn)(void*);

int main(int argc, char** argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: %s LIBRARY URL TOKEN\n", argv[0]);
		return 2;
	}
	void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fprintf(stderr, "dlopen_test: dlopen: %s\n", dlerror());
		return 1;
	}
	abi_fn abi = (abi_fn)dlsym(lib, "cx_abi_version");
	client_new_fn client_new = (client_new_fn)dlsym(lib, "cx_client_new");
	call_fn call = (call_fn)dlsym(lib, "cx_call");
	client_free_fn client_free = (client_free_fn)dlsym(lib, "cx_client_free");
	free_fn cx_free = (free_fn)dlsym(lib, "cx_free");
	if (!abi || !client_new || !call || !client_free || !cx_free) {
		fprintf(stderr, "dlopen_test: a cx_* symbol is missing\n");
		return 1;
	}
	char config[1024];
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"default_workspace_id\":1}", argv[2],
	         argv[3]);
	char* err = NULL;
	uint64_t h = client_new(config, &err);
	if (h == 0) {
		fprintf(stderr, "dlopen_test: cx_client_new: %s\n", err ? err : "(null)");
		cx_free(err);
		return 1;
	}
	char* env = call(h, "get_workspaces", "{}");
	int ok = env && strncmp(env, "{\"ok\":true,\"data\":[", 19) == 0;
	int n = 0;
	for (const char* p = env; ok && (p = strstr(p, "\"id\"")) != NULL; p++) n++;
	if (!ok) fprintf(stderr, "dlopen_test: get_workspaces: %s\n", env ? env : "(null)");
	cx_free(env);
	cx_free(client_free(h));
	if (!ok) return 1;
	printf("dlopen_test: abi %d, %d workspaces\n", abi(), n);
	return 0;
}
