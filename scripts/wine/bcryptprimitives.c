/*
 * Test-setup shim, never shipped: Go's Windows runtime (1.24+) draws its random bytes
 * from bcryptprimitives.dll's ProcessPrng, which every Windows 8.1+ has but Wine 8 lacks,
 * so a Go DLL or .exe panics at load under Wine without it. This DLL exports ProcessPrng
 * and fills the buffer from RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * scripts/wine/setup.sh builds it with zig and copies it into the test prefix's system32.
 */
#include <windows.h>

/* RtlGenRandom's real name; declared here so the shim needs no ntsecapi.h macros. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng never fails on Windows (the documentation says it always returns TRUE);
 * RtlGenRandom can, so a failure is passed on rather than hidden. RtlGenRandom takes a
 * ULONG length, so large requests are served in chunks. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
