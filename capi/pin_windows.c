// Keeps the DLL loaded for the life of the process, whatever its host does.
//
// The Go runtime cannot be unloaded: its threads keep running in the DLL's code
// after a FreeLibrary, and the next instruction they fetch from the unmapped image
// is an access violation. A host may well call FreeLibrary: koffi does when the
// worker thread that loaded the library ends, and a C program may unload a plugin.
// (On Linux the Go linker marks the .so nodelete, so dlclose leaves it mapped; this
// is the same on Windows.) Pinning takes a reference that no FreeLibrary releases.

#include <windows.h>

__attribute__((constructor)) static void cx_pin_module(void) {
	HMODULE self = NULL;
	// Failure leaves the module as it was: no worse than without the pin.
	GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
	                   (LPCWSTR)(void*)&cx_pin_module, &self);
}
