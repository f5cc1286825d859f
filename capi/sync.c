// The synchronous exports, cx_call and cx_call_bytes, are written in C so that
// the waiting happens in C. Go code called from C runs on a goroutine locked to
// the caller's OS thread; if that goroutine waited for the HTTP exchange, every
// hand-off inside Go's HTTP transport would have to wake the locked thread
// through the scheduler (tens of microseconds each on a small VM). Instead,
// cxgo_call_start (sync.go) checks the call on the caller's thread, finishes at
// once what needs no network (bad input, get_pdf_url), and otherwise starts the
// call on an ordinary goroutine and returns; this thread then sleeps on a POSIX
// semaphore that the goroutine posts when the C-allocated result is ready.

#include <errno.h>
#include "_cgo_export.h"

// run_sync returns the envelope of one synchronous call; data/len receive the
// bytes of a binary method when want_bytes is set.
static char* run_sync(cx_handle h, const char* method, const char* args, int want_bytes,
                      int out_data_null, int out_len_null, uint8_t** data, size_t* len) {
	cx_sync s;
	s.env = NULL;
	s.data = NULL;
	s.len = 0;
	if (sem_init(&s.sem, 0, 0) != 0) {
		return cxgo_sync_failure(errno);
	}
	char* env = cxgo_call_start(h, (char*)method, (char*)args, want_bytes, out_data_null, out_len_null, &s);
	if (env == NULL) {
		// EINTR: a signal handler of the host ran; the call goes on, keep waiting.
		while (sem_wait(&s.sem) != 0) {
		}
		env = s.env;
	}
	sem_destroy(&s.sem);
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
