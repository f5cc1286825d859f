/* Windows only (run-windows.sh): loads cxreports.dll at run time with LoadLibrary, as
 * koffi and ctypes do, makes a call, then FreeLibrary's it, as koffi does when the
 * worker thread that loaded it ends, and calls again through the same pointers:
 *   loadlibrary_test DLL URL TOKEN
 * The library pins itself (capi/pin_windows.c), so it stays mapped under its running
 * Go threads; without the pin the module is gone after FreeLibrary (checked below)
 * and the second call would crash. Prints "loadlibrary_test: pinned, N workspaces". */
#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t (*client_new_fn)(const char*, char**);
typedef char* (*call_fn)(uint64_t, const char*, const char*);
typedef char* (*client_free_fn)(uint64_t);
typedef void (*free_fn)(void*);

static int workspaces(call_fn call, free_fn cx_free, uint64_t h) {
	char* env = call(h, "get_workspaces", "{}");
	int ok = env && strncmp(env, "{\"ok\":true,\"data\":[", 19) == 0;
	int n = 0;
	for (const char* p = env; ok && (p = strstr(p, "\"id\"")) != NULL; p++) n++;
	if (!ok) fprintf(stderr, "loadlibrary_test: get_workspaces: %s\n", env ? env : "(null)");
	cx_free(env);
	return ok ? n : -1;
}

int main(int argc, char** argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: %s DLL URL TOKEN\n", argv[0]);
		return 2;
	}
	HMODULE lib = LoadLibraryA(argv[1]);
	if (!lib) {
		fprintf(stderr, "loadlibrary_test: LoadLibrary(%s): error %lu\n", argv[1], GetLastError());
		return 1;
	}
	client_new_fn client_new = (client_new_fn)(void*)GetProcAddress(lib, "cx_client_new");
	call_fn call = (call_fn)(void*)GetProcAddress(lib, "cx_call");
	client_free_fn client_free = (client_free_fn)(void*)GetProcAddress(lib, "cx_client_free");
	free_fn cx_free = (free_fn)(void*)GetProcAddress(lib, "cx_free");
	if (!client_new || !call || !client_free || !cx_free) {
		fprintf(stderr, "loadlibrary_test: a cx_* export is missing\n");
		return 1;
	}
	char config[1024];
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"default_workspace_id\":1}", argv[2],
	         argv[3]);
	char* err = NULL;
	uint64_t h = client_new(config, &err);
	if (h == 0) {
		fprintf(stderr, "loadlibrary_test: cx_client_new: %s\n", err ? err : "(null)");
		cx_free(err);
		return 1;
	}
	if (workspaces(call, cx_free, h) < 0) return 1;
	if (!FreeLibrary(lib)) {
		fprintf(stderr, "loadlibrary_test: FreeLibrary: error %lu\n", GetLastError());
		return 1;
	}
	HMODULE still = NULL;
	if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
	                        (LPCWSTR)(void*)call, &still) ||
	    still != lib) {
		fprintf(stderr, "loadlibrary_test: FreeLibrary unloaded the library under its running Go runtime\n");
		return 1;
	}
	Sleep(200); /* the runtime's threads run on meanwhile */
	int n = workspaces(call, cx_free, h);
	cx_free(client_free(h));
	if (n < 0) return 1;
	printf("loadlibrary_test: pinned, %d workspaces\n", n);
	return 0;
}
