/* check.c - the envelope readers of check.h. */
#include "check.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#include <winsock2.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

int failures;

int has(const char* s, const char* sub) { return s != NULL && strstr(s, sub) != NULL; }

int is_ok(const char* env) { return env != NULL && strncmp(env, "{\"ok\":true", 10) == 0; }

int has_code(const char* env, const char* code) {
	char want[96];
	snprintf(want, sizeof want, "\"code\":\"%s\"", code);
	return env != NULL && strncmp(env, "{\"ok\":false", 11) == 0 && strstr(env, want) != NULL;
}

void field(const char* env, const char* key, char* out, size_t n) {
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char* p = env ? strstr(env, pat) : NULL;
	out[0] = 0;
	if (p == NULL) return;
	p += strlen(pat);
	size_t i = 0;
	if (*p == '"') {
		out[i++] = *p++;
		while (*p && *p != '"' && i < n - 2) out[i++] = *p++;
		out[i++] = '"';
	} else {
		while (*p && *p != ',' && *p != '}' && i < n - 1) out[i++] = *p++;
	}
	out[i] = 0;
}

struct done {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	char* env;
	void (*on_event)(const char* ev, void* ud);
	void* ud;
};

static void on_done(uint64_t id, char* env, uint8_t* data, size_t len, void* ud) {
	(void)id;
	(void)len;
	struct done* d = ud;
	cx_free(data);
	pthread_mutex_lock(&d->mu);
	d->env = env;
	d->done = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

/* on_event hands a progress event to the caller's function, one at a time. */
static void on_event(uint64_t id, char* ev, void* ud) {
	(void)id;
	struct done* d = ud;
	pthread_mutex_lock(&d->mu);
	d->on_event(ev, d->ud);
	pthread_mutex_unlock(&d->mu);
	cx_free(ev);
}

char* call_async_wait_events(cx_handle h, const char* method, const char* args,
                             void (*event)(const char* ev, void* ud), void* ud) {
	struct done d = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL, event, ud};
	if (cx_call_async(h, method, args, on_done, event ? on_event : NULL, &d) == 0) return NULL;
	pthread_mutex_lock(&d.mu);
	while (!d.done) pthread_cond_wait(&d.cv, &d.mu);
	pthread_mutex_unlock(&d.mu);
	return d.env;
}

char* call_async_wait(cx_handle h, const char* method, const char* args) {
	return call_async_wait_events(h, method, args, NULL, NULL);
}

static int port; /* the fake server's (fake_init), for fake_control */

static int port_of(const char* url) {
	const char* colon = url ? strrchr(url, ':') : NULL;
	return colon ? atoi(colon + 1) : 0;
}

#ifdef _WIN32
void sock_init(void) {
	WSADATA d;
	CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup failed");
}
void sock_close(long long fd) { closesocket((SOCKET)fd); }
int sock_wait_readable(long long fd, int ms) {
	WSAPOLLFD p = {.fd = (SOCKET)fd, .events = POLLRDNORM};
	return WSAPoll(&p, 1, ms) > 0;
}
void sock_drain(long long fd) {
	/* Exactly what is there, so recv never blocks (the host's end is in blocking mode). */
	u_long n = 0;
	char junk[64];
	while (ioctlsocket((SOCKET)fd, FIONREAD, &n) == 0 && n > 0) {
		if (recv((SOCKET)fd, junk, n < sizeof junk ? (int)n : (int)sizeof junk, 0) <= 0) break;
	}
}
int sock_pair(long long fds[2]) {
	/* Windows has no socketpair: a loopback TCP connection (as the library's inbox). */
	SOCKET l = socket(AF_INET, SOCK_STREAM, 0), a = INVALID_SOCKET, c = INVALID_SOCKET;
	struct sockaddr_in sa = {0};
	int n = sizeof sa;
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l != INVALID_SOCKET && bind(l, (struct sockaddr*)&sa, sizeof sa) == 0 && listen(l, 1) == 0 &&
	    getsockname(l, (struct sockaddr*)&sa, &n) == 0 && (c = socket(AF_INET, SOCK_STREAM, 0)) != INVALID_SOCKET &&
	    connect(c, (struct sockaddr*)&sa, sizeof sa) == 0 && (a = accept(l, NULL, NULL)) != INVALID_SOCKET) {
		closesocket(l);
		fds[0] = (long long)a;
		fds[1] = (long long)c;
		return 1;
	}
	if (c != INVALID_SOCKET) closesocket(c);
	if (l != INVALID_SOCKET) closesocket(l);
	return 0;
}
#else
int sock_pair(long long fds[2]) {
	int p[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) != 0) return 0;
	fds[0] = p[0];
	fds[1] = p[1];
	return 1;
}
void sock_init(void) {}
void sock_close(long long fd) { close((int)fd); }
int sock_wait_readable(long long fd, int ms) {
	struct pollfd p = {.fd = (int)fd, .events = POLLIN};
	return poll(&p, 1, ms) > 0;
}
void sock_drain(long long fd) {
	char junk[64];
	while (recv((int)fd, junk, sizeof junk, MSG_DONTWAIT) > 0) {
	}
}
#endif

int sock_send_byte(long long fd) {
	char one = 1;
#ifdef _WIN32
	return send((SOCKET)fd, &one, 1, 0) == 1;
#else
	return send((int)fd, &one, 1, MSG_NOSIGNAL) == 1;
#endif
}

char* fake_control_at(const char* url, const char* method, const char* path, const char* body) {
#ifdef _WIN32
	SOCKET fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd == INVALID_SOCKET) return NULL;
#else
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return NULL;
#endif
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)(url ? port_of(url) : port));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr*)&a, sizeof a) != 0) {
		sock_close(fd);
		return NULL;
	}
	char head[512];
	size_t blen = body ? strlen(body) : 0;
	int n = snprintf(head, sizeof head,
	                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
	                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	                 method, path, blen);
	if (send(fd, head, n, 0) != n || (blen && send(fd, body, (int)blen, 0) != (int)blen)) {
		sock_close(fd);
		return NULL;
	}
	size_t cap = 1 << 16, len = 0;
	char* buf = malloc(cap);
	for (;;) {
		if (len + 4096 > cap) buf = realloc(buf, cap *= 2);
		int r = (int)recv(fd, buf + len, (int)(cap - len - 1), 0);
		if (r <= 0) break;
		len += (size_t)r;
	}
	sock_close(fd);
	buf[len] = 0;
	char* start = strstr(buf, "\r\n\r\n");
	if (start == NULL || strncmp(buf, "HTTP/1.1 200", 12) != 0) {
		free(buf);
		return NULL;
	}
	memmove(buf, start + 4, strlen(start + 4) + 1);
	return buf;
}

char* fake_control(const char* method, const char* path, const char* body) {
	return fake_control_at(NULL, method, path, body);
}

void fake_init(const char* url) {
	sock_init();
	port = port_of(url);
	CHECK(port > 0, "no port in %s", url);
}

int fake_stat(const char* url, const char* key) {
	char* stats = fake_control_at(url, "GET", "/_fake/stats", NULL);
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char* p = stats ? strstr(stats, pat) : NULL;
	int n = p ? atoi(p + strlen(pat)) : -1;
	free(stats);
	return n;
}

int fake_in_flight(void) { return fake_stat(NULL, "in_flight"); }

int fake_arrivals(const char* url, const char* method, const char* path) {
	char* all = fake_control_at(url, "GET", "/_fake/requests", NULL);
	if (all == NULL) return -1;
	char pat[512];
	snprintf(pat, sizeof pat, "\"method\":\"%s\",\"path\":\"%s\"", method, path);
	int n = count(all, pat);
	free(all);
	return n;
}

int fake_reset(const char* url) {
	char* r = fake_control_at(url, "POST", "/_fake/reset", NULL);
	free(r);
	return r != NULL;
}

int count(const char* s, const char* sub) {
	int n = 0;
	for (const char* p = s; p && (p = strstr(p, sub)) != NULL; p += strlen(sub)) n++;
	return n;
}

int batch_result(const char* env, int index, char* out, size_t n) {
	char pat[64];
	snprintf(pat, sizeof pat, "{\"stage\":\"item\",\"index\":%d,", index);
	const char* p = env ? strstr(env, pat) : NULL;
	out[0] = 0;
	if (p == NULL) return 0;
	const char* end = strstr(p + 1, "{\"stage\":\"item\"");
	size_t len = end ? (size_t)(end - p) : strlen(p);
	if (len >= n) len = n - 1;
	memcpy(out, p, len);
	out[len] = 0;
	return 1;
}

void each_bad_input(const char* report_method,
                    void (*expect)(void* ud, const char* method, const char* args, const char* code), void* ud) {
	static const char* const any_method[][3] = {
	    {NULL, "{}", "invalid_argument"},
	    {"no_such_method", "{}", "unknown_method"},
	    {"", "{}", "unknown_method"},
	};
	/* args for report_method, and the code they get. */
	static const char* const report_args[][2] = {
	    {NULL, "invalid_argument"},
	    {"", "invalid_argument"},
	    {"{", "invalid_argument"},
	    {"{\"report_id\":160", "invalid_argument"},
	    {"[]", "invalid_argument"},
	    {"null", "invalid_argument"},
	    {"\xff\xfe", "invalid_argument"},
	    {"{}", "invalid_argument"},
	    {"{\"report_id\":true}", "invalid_argument"},
	    {"{\"report_id\":{}}", "invalid_argument"},
	    {"{\"report_id\":999999}", "not_found"},
	};
	for (size_t i = 0; i < sizeof any_method / sizeof any_method[0]; i++)
		expect(ud, any_method[i][0], any_method[i][1], any_method[i][2]);
	for (size_t i = 0; i < sizeof report_args / sizeof report_args[0]; i++)
		expect(ud, report_method, report_args[i][0], report_args[i][1]);
}

double mono_now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char* read_file(const char* path, size_t* len) {
	FILE* f = fopen(path, "rb");
	*len = 0;
	if (f == NULL) return NULL;
	size_t cap = 1 << 16;
	char* buf = malloc(cap);
	for (;;) {
		if (*len + 1 >= cap) buf = realloc(buf, cap *= 2);
		size_t r = fread(buf + *len, 1, cap - *len - 1, f);
		if (r == 0) break;
		*len += r;
	}
	fclose(f);
	buf[*len] = 0;
	return buf;
}

int pdf_intact(const char* path) {
	size_t len;
	char* b = read_file(path, &len);
	if (b == NULL) return 0;
	/* The fake ends its PDFs with "%%EOF\n"; allow the newline, and a CR before it. */
	size_t end = len;
	if (end > 0 && b[end - 1] == '\n') end--;
	if (end > 0 && b[end - 1] == '\r') end--;
	int ok = len >= 5 && memcmp(b, "%PDF-", 5) == 0 && end >= 5 && memcmp(b + end - 5, "%%EOF", 5) == 0;
	free(b);
	return ok;
}
