/* Windows only (run-windows.sh): loads cxreports.dll at run time with LoadLibrary, as
 * koffi and ctypes do, makes a call, then FreeLibrary's it, as koffi does when the
 * worker thread that loaded it ends, and calls again through the same pointers:
 *   loadlibrary_test DLL URL TOKEN
 * The library pins itself (capi/pin_windows.c), so it stays mapped under its running
 * Go threads; without the pin the module is gone after FreeLibrary (checked below)
 * and the second call would crash. Prints "loadlibrary_test: pinned, N workspaces". */
#include <windows.h>

#include "loaded_api.h"

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
	loaded_api api = {"loadlibrary_test", (uint64_t(*)(const char*, char**))(void*)GetProcAddress(lib, "cx_client_new"),
	                  (char* (*)(uint64_t, const char*, const char*))(void*)GetProcAddress(lib, "cx_call"),
	                  (char* (*)(uint64_t))(void*)GetProcAddress(lib, "cx_client_free"),
	                  (void (*)(void*))(void*)GetProcAddress(lib, "cx_free")};
	if (!loaded_api_complete(&api)) return 1;
	uint64_t h = loaded_client(&api, argv[2], argv[3]);
	if (h == 0) return 1;
	if (loaded_workspaces(&api, h) < 0) return 1;
	if (!FreeLibrary(lib)) {
		fprintf(stderr, "loadlibrary_test: FreeLibrary: error %lu\n", GetLastError());
		return 1;
	}
	HMODULE still = NULL;
	if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
	                        (LPCWSTR)(void*)api.call, &still) ||
	    still != lib) {
		fprintf(stderr, "loadlibrary_test: FreeLibrary unloaded the library under its running Go runtime\n");
		return 1;
	}
	Sleep(200); /* the runtime's threads run on meanwhile */
	int n = loaded_workspaces(&api, h);
	api.cx_free(api.client_free(h));
	if (n < 0) return 1;
	printf("loadlibrary_test: pinned, %d workspaces\n", n);
	return 0;
}
