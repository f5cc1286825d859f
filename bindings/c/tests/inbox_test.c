/*
 * inbox_test.c - cx_inbox_call, cx_inbox_adopt, cx_inbox_set_log and the end of an
 * inbox when the host closes its descriptor, driven the way an event loop drives
 * them (wait for the descriptor, drain it, take events), and the "interrupt_fd"
 * argument. The same code runs on Linux, where the descriptors are an AF_UNIX socket
 * pair and a pipe-like socket, and on Windows under Wine, where both are SOCKETs
 * (docs/contract.md): a test of what Node's and Python's loaders rely on there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#endif

/* inherited reports whether a child process would get a copy of the host's
 * descriptor (which would keep the inbox open after the host closed its own). */
static int inherited(long long fd) {
#ifdef _WIN32
	DWORD flags = 0;
	return !GetHandleInformation((HANDLE)(intptr_t)fd, &flags) || (flags & HANDLE_FLAG_INHERIT) != 0;
#else
	int flags = fcntl((int)fd, F_GETFD);
	return flags < 0 || (flags & FD_CLOEXEC) == 0;
#endif
}

/* next_event waits up to seconds for the next event of the inbox (0: none came). */
static int next_event(uint64_t inbox, long long fd, cx_event* ev, double seconds) {
	double deadline = mono_now() + seconds;
	for (;;) {
		if (cx_inbox_next(inbox, ev)) return 1;
		double left = deadline - mono_now();
		if (left <= 0) return 0;
		if (sock_wait_readable(fd, (int)(left * 1000) + 1)) sock_drain(fd);
	}
}

/* collect takes events until request id's CX_EVENT_DONE; counts the progress events
 * of id (before its done) and the log lines; returns the done event's text and moves
 * its bytes into *data / *len (caller frees), NULL after 60 s without it. */
static char* collect(uint64_t inbox, long long fd, uint64_t id, int* progress, int* logs, uint8_t** data,
                     size_t* len) {
	cx_event e;
	while (next_event(inbox, fd, &e, 60)) {
		if (e.kind == CX_EVENT_DONE && e.request_id == id) {
			*data = e.data;
			*len = e.len;
			return e.text;
		}
		if (e.kind == CX_EVENT_PROGRESS && e.request_id == id) {
			(*progress)++;
		} else if (e.kind == CX_EVENT_LOG) {
			CHECK(e.level >= CX_LOG_DEBUG && e.level <= CX_LOG_ERROR && e.request_id == 0, "log event: level %d, id %llu",
			      e.level, (unsigned long long)e.request_id);
			(*logs)++;
		} else {
			CHECK(0, "unexpected event kind %d, request %llu: %s", e.kind, (unsigned long long)e.request_id, e.text);
		}
		cx_free(e.text);
		cx_free(e.data);
	}
	CHECK(0, "no done event for request %llu within 60 s", (unsigned long long)id);
	return NULL;
}

/* test_interrupt: a call whose interrupt_fd becomes readable ends with "canceled"
 * while the fake still holds its request; a descriptor that is no socket is refused. */
static void test_interrupt(uint64_t inbox, long long fd, cx_handle h) {
	long long pair[2];
	if (!sock_pair(pair)) {
		CHECK(0, "cannot make a socket pair for interrupt_fd");
		return;
	}
	char args[256];
	snprintf(args, sizeof args, "{\"report_id\":160,\"params\":{\"params\":{\"fakeDelayMs\":3600000}},\"interrupt_fd\":%lld}",
	         pair[0]);
	uint64_t id = cx_inbox_call(inbox, h, "get_pdf", args, 0);
	CHECK(id != 0, "cx_inbox_call with interrupt_fd");
	for (int i = 0; i < 2000 && fake_in_flight() < 1; i++) usleep(5000);
	CHECK(sock_send_byte(pair[1]), "cannot write to the interrupt socket");
	int progress = 0, logs = 0;
	uint8_t* data = NULL;
	size_t len = 0;
	char* text = collect(inbox, fd, id, &progress, &logs, &data, &len);
	char want[96];
	snprintf(want, sizeof want, "interrupt_fd %lld became readable", pair[0]);
	CHECK(has_code(text, "canceled") && has(text, want), "interrupted call: %s", text);
	cx_free(text);
	cx_free(data);
	sock_close(pair[0]);
	sock_close(pair[1]);

	/* A number that is no open descriptor (no socket, on Windows) is refused. */
	char* env = cx_call(h, "get_workspaces", "{\"interrupt_fd\":2147483647}");
	CHECK(has_code(env, "invalid_argument") && has(env, "not an open file descriptor"), "interrupt_fd 2147483647: %s",
	      env);
	cx_free(env);
}

void test_inbox(const char* config) {
	char* err = NULL;
	CHECK(cx_inbox_new(NULL, &err) == 0 && has_code(err, "invalid_argument"), "cx_inbox_new(NULL): %s", err);
	cx_free(err);
	int ifd = -1;
	err = NULL;
	uint64_t inbox = cx_inbox_new(&ifd, &err);
	CHECK(inbox != 0 && ifd >= 0 && err == NULL, "cx_inbox_new: %s", err);
	cx_free(err);
	if (inbox == 0) return;
	long long fd = ifd;
	CHECK(!inherited(fd), "the inbox's descriptor %lld is inherited by child processes", fd);
	cx_handle h = cx_client_new(config, &err);
	CHECK(h != 0, "cx_client_new: %s", err);
	cx_free(err);

	CHECK(cx_inbox_adopt(inbox, h) == 1, "cx_inbox_adopt");
	CHECK(cx_inbox_adopt(inbox, 0) == 0 && cx_inbox_adopt(UINT64_MAX, h) == 0, "cx_inbox_adopt of unknowns");
	CHECK(cx_inbox_call(UINT64_MAX, h, "get_workspaces", "{}", 0) == 0, "cx_inbox_call of an unknown inbox");
	cx_event none;
	CHECK(cx_inbox_next(inbox, NULL) == 0 && cx_inbox_next(UINT64_MAX, &none) == 0, "cx_inbox_next of nothing");

	/* An adopted client's log lines arrive as events once asked for, none before. */
	int progress = 0, logs = 0;
	uint8_t* data = NULL;
	size_t len = 0;
	char* text = collect(inbox, fd, cx_inbox_call(inbox, h, "get_workspaces", "{}", 0), &progress, &logs, &data, &len);
	CHECK(is_ok(text) && data == NULL && logs == 0, "get_workspaces through the inbox: %s (%d log lines)", text, logs);
	cx_free(text);
	cx_inbox_set_log(inbox, CX_LOG_DEBUG);
	text = collect(inbox, fd, cx_inbox_call(inbox, h, "get_workspaces", "{}", 0), &progress, &logs, &data, &len);
	CHECK(is_ok(text) && logs > 0, "get_workspaces with the inbox's log on: %s (%d log lines)", text, logs);
	cx_free(text);
	cx_inbox_set_log(inbox, -1);

	/* Bytes and progress: a PDF, its progress events before its done event. */
	progress = 0;
	text = collect(inbox, fd, cx_inbox_call(inbox, h, "get_pdf", "{\"report_id\":160}", 1), &progress, &logs, &data,
	               &len);
	CHECK(is_ok(text) && data != NULL && len > 5 && memcmp(data, "%PDF-", 5) == 0 && progress > 0,
	      "get_pdf through the inbox: %s, %zu bytes, %d progress events", text, len, progress);
	cx_free(text);
	cx_free(data);
	/* Errors arrive as a done event too. */
	text = collect(inbox, fd, cx_inbox_call(inbox, h, "get_pdf", "{\"report_id\":999999}", 0), &progress, &logs, &data,
	               &len);
	CHECK(has_code(text, "not_found"), "missing report through the inbox: %s", text);
	cx_free(text);
	cx_free(data);

	test_interrupt(inbox, fd, h);

	/* The host closes its descriptor: the inbox ends by itself and frees the client it
	 * adopted (the library notices the hang-up on its own end). */
	sock_close(fd);
	int ended = 0;
	for (int i = 0; i < 1000 && !ended; i++) {
		uint64_t id = cx_inbox_call(inbox, h, "get_workspaces", "{}", 0);
		ended = id == 0;
		if (!ended) usleep(10000);
	}
	CHECK(ended, "the inbox did not end within 10 s of its descriptor's close");
	char* env = cx_call(h, "get_workspaces", "{}");
	CHECK(has_code(env, "invalid_handle"), "the adopted client outlived its inbox: %s", env);
	cx_free(env);
	cx_inbox_close(inbox); /* ended already: ignored */
	CHECK(cx_inbox_adopt(inbox, h) == 0, "cx_inbox_adopt on an ended inbox");
}
