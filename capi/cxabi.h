/* Private to capi/: the types the //export functions use, kept identical to the
 * public include/cxreports.h. The public header is not included here because cgo
 * writes its own prototypes (without const) for the exported functions, and the
 * two sets of prototypes would conflict inside the generated code. */
#ifndef CXREPORTS_CAPI_ABI_H
#define CXREPORTS_CAPI_ABI_H
#include <stddef.h>
#include <stdint.h>

/* Marks the functions written in C that the library exports (cgo marks the
 * //export ones itself). */
#ifdef _WIN32
#define CX_EXPORT __declspec(dllexport)
#else
#define CX_EXPORT __attribute__((visibility("default")))
#endif

typedef uint64_t cx_handle;
typedef void (*cx_done_fn)(uint64_t request_id, char* envelope, uint8_t* data, size_t len, void* user_data);
typedef void (*cx_progress_fn)(uint64_t request_id, char* event_json, void* user_data);
typedef void (*cx_log_fn)(int level, char* message, void* user_data);

/* One event of an inbox, filled by cx_inbox_next. */
typedef struct cx_event {
	int kind;
	int level;
	uint64_t request_id;
	char* text;
	uint8_t* data;
	size_t len;
} cx_event;

/* The completion slot of one synchronous call (sync.c). It lives on the stack of
 * the C thread inside cx_call / cx_call_bytes, which waits until it is complete.
 * The goroutine that runs the call fills it through cx_sync_complete exactly once
 * and never touches it afterwards: the waiter may return, and the slot vanish, as
 * soon as it is complete. How the thread waits is the platform's: a condition
 * variable (sync_unix.c) or an event (sync_windows.c). */
#ifdef _WIN32
typedef struct cx_sync {
	void* ev;            /* an event HANDLE; NULL: the waiter polls done instead */
	volatile long done;  /* set last, with a release store, when ev is NULL */
	char* env;
	uint8_t* data;
	size_t len;
} cx_sync;
#else
#include <pthread.h>
typedef struct cx_sync {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	char* env;
	uint8_t* data;
	size_t len;
} cx_sync;
#endif

/* Stores a synchronous call's result (C memory, owned by the caller from here on)
 * in s and wakes the waiting thread. */
void cx_sync_complete(cx_sync* s, char* env, uint8_t* data, size_t len);

/* The platform half of a synchronous call (sync_unix.c, sync_windows.c), used by
 * sync.c: cx_sync_init prepares an empty slot, cx_sync_wait returns once
 * cx_sync_complete has filled it, cx_sync_destroy releases what init took (after
 * the wait, or at once when the call never started). */
void cx_sync_init(cx_sync* s);
void cx_sync_wait(cx_sync* s);
void cx_sync_destroy(cx_sync* s);

#endif
