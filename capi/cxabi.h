/* Private to capi/: the types the //export functions use, kept identical to the
 * public include/cxreports.h. The public header is not included here because cgo
 * writes its own prototypes (without const) for the exported functions, and the
 * two sets of prototypes would conflict inside the generated code. */
#ifndef CXREPORTS_CAPI_ABI_H
#define CXREPORTS_CAPI_ABI_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

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
 * the C thread inside cx_call / cx_call_bytes, which waits on cv until done is
 * set. The goroutine that runs the call fills it through cx_sync_complete exactly
 * once and never touches it afterwards: the waiter may return, and the slot
 * vanish, as soon as the mutex is released. */
typedef struct cx_sync {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	char* env;
	uint8_t* data;
	size_t len;
} cx_sync;

/* Stores a synchronous call's result (C memory, owned by the caller from here on)
 * in s and wakes the waiting thread. Defined in sync.c. */
void cx_sync_complete(cx_sync* s, char* env, uint8_t* data, size_t len);

#endif
