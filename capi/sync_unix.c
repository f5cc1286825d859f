//go:build unix

// The blocking wait of a synchronous call (sync.c) with pthreads: a mutex and a
// condition variable in the slot.

#include <pthread.h>
#include "_cgo_export.h"

__attribute__((visibility("hidden"))) void cx_sync_init(cx_sync* s) {
	s->done = 0;
	s->env = NULL;
	s->data = NULL;
	s->len = 0;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
}

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

__attribute__((visibility("hidden"))) void cx_sync_wait(cx_sync* s) {
	// pthread_cond_wait is a cancellation point: a pthread_cancel of this thread
	// would unwind the frame that holds s while the goroutine still has to fill
	// it. The host's cancellation is held until the call ends.
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	pthread_mutex_lock(&s->mu);
	while (!s->done) {
		pthread_cond_wait(&s->cv, &s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	pthread_setcancelstate(old, NULL);
}

__attribute__((visibility("hidden"))) void cx_sync_destroy(cx_sync* s) {
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
}
