/* Loads libcxreports.so the way the Python and Node bindings do, with dlopen at run
 * time rather than as a DT_NEEDED of the program, and makes one call through it:
 *   dlopen_test LIBRARY URL TOKEN
 * prints "dlopen_test: abi 1, N workspaces" and exits 0. run-arm64.sh runs it under
 * qemu-user, since a dlopen'd Go library needs its static TLS block at load time. */
#include <dlfcn.h>

#include "loaded_api.h"

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
	int (*abi)(void) = (int (*)(void))dlsym(lib, "cx_abi_version");
	loaded_api api = {"dlopen_test", (uint64_t(*)(const char*, char**))dlsym(lib, "cx_client_new"),
	                  (char* (*)(uint64_t, const char*, const char*))dlsym(lib, "cx_call"),
	                  (char* (*)(uint64_t))dlsym(lib, "cx_client_free"), (void (*)(void*))dlsym(lib, "cx_free")};
	if (!abi || !loaded_api_complete(&api)) return 1;
	uint64_t h = loaded_client(&api, argv[2], argv[3]);
	if (h == 0) return 1;
	int n = loaded_workspaces(&api, h);
	api.cx_free(api.client_free(h));
	if (n < 0) return 1;
	printf("dlopen_test: abi %d, %d workspaces\n", abi(), n);
	return 0;
}
