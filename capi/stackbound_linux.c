//go:build !cxstatic

// A per-thread cache of pthread_getattr_np for the Go runtime, hidden inside the
// library.
//
// On every call from C into Go, the runtime checks that the stack pointer lies
// within the calling thread's known stack bounds; when it does not, it asks
// pthread_getattr_np again (runtime.callbackUpdateSystemStack). koffi runs native
// calls on a stack of its own, so a call from Node never lies within the bounds
// and the runtime asks on every call. For a process's main thread glibc answers by
// reading and parsing /proc/self/maps, which in a Node process took 180-370 us per
// call on the team's VM, more than the HTTP exchange itself.
//
// The stack of a thread does not move while it lives, so the first answer per
// thread is kept and returned again. Only the stack address and size are kept:
// that is all the runtime reads. The symbol is hidden, so it serves the Go runtime
// linked into this library only and never the host's own callers. The static
// archive (built with -tags cxstatic) leaves it out: linked into a program, it
// would also answer that program's own calls.

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

typedef int (*getattr_fn)(pthread_t, pthread_attr_t*);

static __thread int cached;
static __thread void* cached_addr;
static __thread size_t cached_size;

__attribute__((visibility("hidden"))) int pthread_getattr_np(pthread_t th, pthread_attr_t* attr) {
	static getattr_fn resolved;
	getattr_fn real = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);
	if (real == NULL) {
		real = (getattr_fn)dlsym(RTLD_NEXT, "pthread_getattr_np");
		if (real == NULL) {
			return -1;
		}
		__atomic_store_n(&resolved, real, __ATOMIC_RELEASE);
	}
	if (!pthread_equal(th, pthread_self())) {
		return real(th, attr);
	}
	if (!cached) {
		int rc = real(th, attr);
		if (rc != 0) {
			return rc;
		}
		if (pthread_attr_getstack(attr, &cached_addr, &cached_size) != 0) {
			return 0;
		}
		cached = 1;
		return 0;
	}
	pthread_attr_init(attr);
	return pthread_attr_setstack(attr, cached_addr, cached_size);
}
