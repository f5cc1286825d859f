// The synchronous exports, cx_call and cx_call_bytes.
//
// The calling thread waits here, in C, outside the Go runtime: cxgo_call_start
// (sync.go) copies the arguments into Go memory, starts the call on an ordinary
// goroutine and returns at once; this thread then sleeps on a completion slot on
// its own stack (a condition variable in sync_unix.c, an event in
// sync_windows.c), which the goroutine fills with the C-allocated result and
// signals (cx_sync_complete). The call itself takes the core's normal net/http
// path on the runtime's own threads.
//
// Why not simply run the call on the goroutine cgo gives the C thread: that
// goroutine is locked to the thread, so each of the many hand-offs inside an
// HTTP exchange (the connection's read and write loops, the poller) has to hand
// the processor over and wake the locked thread through the scheduler; here the
// C thread is woken exactly once per call, by the signal. (They are also in C
// because the public prototypes take const pointers, which cgo's //export cannot
// declare.)

#include "_cgo_export.h"

// run_sync returns the envelope of one synchronous call; *data / *len receive the
// bytes of a binary method (NULL / 0 otherwise).
static char* run_sync(cx_handle h, const char* method, const char* args, int want_bytes, int out_data_null,
                      int out_len_null, uint8_t** data, size_t* len) {
	cx_sync s;
	cx_sync_init(&s);
	// NULL: the goroutine completes s; otherwise the call ended right here (a NULL
	// argument, or a failure to start it) and nothing else refers to s.
	char* env = cxgo_call_start(h, (char*)method, (char*)args, want_bytes, out_data_null, out_len_null, &s);
	if (env == NULL) {
		cx_sync_wait(&s);
		env = s.env;
	}
	cx_sync_destroy(&s);
	*data = s.data;
	*len = s.len;
	return env;
}

CX_EXPORT char* cx_call(cx_handle h, const char* method, const char* args_json) {
	uint8_t* data;
	size_t len;
	return run_sync(h, method, args_json, 0, 0, 0, &data, &len);
}

CX_EXPORT char* cx_call_bytes(cx_handle h, const char* method, const char* args_json, uint8_t** out_data,
                              size_t* out_len) {
	uint8_t* data;
	size_t len;
	char* env = run_sync(h, method, args_json, 1, out_data == NULL, out_len == NULL, &data, &len);
	if (out_data != NULL) {
		*out_data = data;
	}
	if (out_len != NULL) {
		*out_len = len;
	}
	return env;
}
