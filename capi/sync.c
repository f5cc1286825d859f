// The synchronous exports, cx_call and cx_call_bytes.
//
// The calling thread waits here, in C, outside the Go runtime: cxgo_call_start
// (sync.go) copies the arguments into Go memory, starts the call on an ordinary
// goroutine and returns at once; this thread then sleeps on the condition
// variable of a completion slot on its own stack, which the goroutine fills with
// the C-allocated result and signals (cx_sync_complete). The call itself takes
// the core's normal net/http path on the runtime's own threads.
//
// Why not simply run the call on the goroutine cgo gives the C thread: that
// goroutine is locked to the thread, so each of the many hand-offs inside an
// HTTP exchange (the connection's read and write loops, the poller) has to hand
// the processor over and wake the locked thread through the scheduler; here the
// C thread is woken exactly once per call, by the signal. (They are also in C
// because the public prototypes take const pointers, which cgo's //export cannot
// declare.)

#include <pthread.h>
#include "_cgo_export.h"

// Filled and signalled under the mutex: the waiter cannot see done, return and
// pop the slot until pthread_mutex_unlock here has released the lock, and glibc
// does not touch the mutex after releasing it (at most a futex wake on its
// address), so nothing here touches the slot once it may be gone.
__attribute__((visibility("hidden"))) void cx_sync_complete(cx_sync* s, char* env, uint8_t* data, size_t len) {
	pthread_mutex_lock(&s->mu);
	s->env = env;
	s->data = data;
	s->len = len;
	s->done = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

// run_sync returns the envelope of one synchronous call; *data / *len receive the
// bytes of a binary method (NULL / 0 otherwise).
static char* run_sync(cx_handle h, const char* method, const char* args, int want_bytes, int out_data_null,
                      int out_len_null, uint8_t** data, size_t* len) {
	cx_sync s;
	s.done = 0;
	s.env = NULL;
	s.data = NULL;
	s.len = 0;
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	// NULL: the goroutine completes s; otherwise the call ended right here (a NULL
	// argument, or a failure to start it) and nothing else refers to s.
	char* env = cxgo_call_start(h, (char*)method, (char*)args, want_bytes, out_data_null, out_len_null, &s);
	if (env == NULL) {
		// pthread_cond_wait is a cancellation point: a pthread_cancel of this
		// thread would unwind the frame that holds s while the goroutine still
		// has to fill it. The host's cancellation is held until the call ends.
		int old;
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
		pthread_mutex_lock(&s.mu);
		while (!s.done) {
			pthread_cond_wait(&s.cv, &s.mu);
		}
		pthread_mutex_unlock(&s.mu);
		pthread_setcancelstate(old, NULL);
		env = s.env;
	}
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	*data = s.data;
	*len = s.len;
	return env;
}

__attribute__((visibility("default"))) char* cx_call(cx_handle h, const char* method, const char* args_json) {
	uint8_t* data;
	size_t len;
	return run_sync(h, method, args_json, 0, 0, 0, &data, &len);
}

__attribute__((visibility("default"))) char* cx_call_bytes(cx_handle h, const char* method, const char* args_json,
                                                           uint8_t** out_data, size_t* out_len) {
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
