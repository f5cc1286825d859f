// The blocking wait of a synchronous call (sync.c) on Windows: an event per call.
//
// Why an event, not an SRW lock and a condition variable: the slot lives on the
// waiter's stack and vanishes as soon as the waiter sees it complete, so the
// completing thread must not touch it after that. SetEvent works on a handle the
// kernel holds a reference to for the length of the call, so the waiter may wake,
// close the handle and return while SetEvent is still finishing; nothing is said
// about what ReleaseSRWLockExclusive touches after another thread got the lock.
// The event costs two system calls per call, far below one HTTP exchange.
//
// The wait is not alertable and holds no lock: Ctrl-C reaches a Windows console
// process on a thread of its own (the console control handler), so the waiting
// thread is not needed for it; a host that wants Ctrl-C to end the call passes
// "interrupt_fd" (a SOCKET on Windows: core/interrupt_windows.go).

#include <windows.h>
#include "_cgo_export.h"

void cx_sync_init(cx_sync* s) {
	s->done = 0;
	s->env = NULL;
	s->data = NULL;
	s->len = 0;
	// Manual reset, not signalled, unnamed. Without an event (out of handles)
	// the waiter polls done instead: slower, never wrong.
	s->ev = CreateEventW(NULL, TRUE, FALSE, NULL);
}

// The fields are written before the event is set (or done is stored, last, with
// release semantics), and nothing is read from s after that.
void cx_sync_complete(cx_sync* s, char* env, uint8_t* data, size_t len) {
	HANDLE ev = (HANDLE)s->ev;
	s->env = env;
	s->data = data;
	s->len = len;
	if (ev != NULL) {
		SetEvent(ev);
	} else {
		InterlockedExchange(&s->done, 1);
	}
}

void cx_sync_wait(cx_sync* s) {
	if (s->ev != NULL) {
		WaitForSingleObject((HANDLE)s->ev, INFINITE);
		return;
	}
	while (InterlockedCompareExchange(&s->done, 0, 0) == 0) {
		Sleep(1);
	}
}

void cx_sync_destroy(cx_sync* s) {
	if (s->ev != NULL) {
		CloseHandle((HANDLE)s->ev);
	}
}
