/*
 * vg_fault_test.c - the valgrind runs of run.sh still catch faults in OUR C code.
 *
 * Usage: vg_fault_test URL TOKEN clean|leak|overread|syscall
 *
 * The leak run drops every report whose innermost frame is Go code or a system call
 * made by Go code (go-stacks.supp, go-syscalls.sh). run.sh runs this program under
 * exactly the options and suppressions of each real run and passes only if the mode
 * "clean" is clean and each fault mode fails the run, so suppressions that hide too
 * much fail `make test`. Every mode first makes one cx_call against the fake (the Go
 * runtime started, threads, a connection: what the suppressions are for), then:
 *   clean     frees everything: must pass;
 *   leak      loses a malloc'd block: "definitely lost" (the leak run);
 *   overread  reads one byte past a malloc'd copy of the envelope: "Invalid read";
 *   syscall   passes a freed buffer to write(2) from C: "Syscall param write(buf)",
 *             the very name go-syscalls.sh suppresses when Go code makes the call.
 * A fault mode returns 0 itself, so the run's failure can only be valgrind's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxreports.h"

/* Kept volatile so the compiler keeps the allocation, the read and the write. */
static char* volatile sink;

/* leak allocates a block and forgets it (not inlined: no copy of the pointer stays
 * in main's registers for the leak checker to find). */
static __attribute__((noinline)) void leak(const char* env) {
	sink = malloc(64);
	if (sink) snprintf(sink, 64, "%.60s", env);
	sink = NULL;
}

static void overread(const char* env) {
	size_t n = strlen(env);
	char* copy = malloc(n + 1);
	if (!copy) return;
	memcpy(copy, env, n + 1);
	sink = copy;
	volatile char past = sink[n + 1]; /* one past the terminating NUL */
	(void)past;
	free(copy);
}

static void bad_syscall(void) {
	char* buf = malloc(16);
	if (!buf) return;
	memset(buf, 'x', 16);
	sink = buf; /* before free: the compiler sees no use after free, memcheck does */
	free(buf);
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0) return;
	if (write(fd, sink, 16) < 0) perror("vg_fault_test: write");
	close(fd);
}

int main(int argc, char** argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: %s URL TOKEN clean|leak|overread|syscall\n", argv[0]);
		return 2;
	}
	const char* mode = argv[3];
	if (strcmp(mode, "clean") && strcmp(mode, "leak") && strcmp(mode, "overread") && strcmp(mode, "syscall")) {
		fprintf(stderr, "vg_fault_test: unknown mode %s\n", mode);
		return 2;
	}
	char config[1024];
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"default_workspace_id\":1}", argv[1],
	         argv[2]);
	char* err = NULL;
	cx_handle h = cx_client_new(config, &err);
	if (!h) {
		fprintf(stderr, "vg_fault_test: cx_client_new: %s\n", err ? err : "(no error)");
		cx_free(err);
		return 3;
	}
	char* env = cx_call(h, "get_workspaces", "{}");
	if (!env || strncmp(env, "{\"ok\":true", 10) != 0) {
		fprintf(stderr, "vg_fault_test: get_workspaces: %s\n", env ? env : "(null)");
		cx_free(env);
		cx_free(cx_client_free(h));
		return 3;
	}
	if (strcmp(mode, "leak") == 0) leak(env);
	if (strcmp(mode, "overread") == 0) overread(env);
	if (strcmp(mode, "syscall") == 0) bad_syscall();
	cx_free(env);
	cx_free(cx_client_free(h));
	return 0;
}
