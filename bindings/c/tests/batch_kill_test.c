/*
 * batch_kill_test.c - a render_batch killed with SIGKILL mid-batch, then run
 * again. The killed run leaves one temporary (".NAME.<digits>.part") beside each
 * output it was writing; the rerun removes exactly those (removed_temps, per item
 * and in the envelope), skips the outputs the first run completed, renders the
 * rest (one POST each, nothing more), leaves no dot-file in out_dir, and touches
 * nothing outside it, not even look-alikes of its temporaries one folder up.
 *
 * The killed run is a separate process: capi_test itself, re-executed in mode
 * batch-kill-child (see batch_kill_child and main). Linked into capi_test (see
 * test_batch_kill).
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum { N_ITEMS = 12, N_FAST = 4, CONCURRENCY = 6 };

/* items writes the batch's items: a00.pdf .. a11.pdf, the first N_FAST plain and
 * the rest, when slow, taking 60 s at the server (they are in flight when the run
 * is killed). */
static void items(char* out, size_t n, int slow) {
	size_t at = (size_t)snprintf(out, n, "[");
	for (int i = 0; i < N_ITEMS; i++) {
		at += (size_t)snprintf(out + at, n - at, "%s{\"report\":160,\"output\":\"a%02d.pdf\",\"params\":{\"i\":%d%s}}",
		                       i ? "," : "", i, i, slow && i >= N_FAST ? ",\"fakeDelayMs\":60000" : "");
	}
	snprintf(out + at, n - at, "]");
}

/* batch_kill_child is the run that gets killed: render_batch (synchronous) of the
 * items, 6 in flight, into out_dir. It never returns on its own: the 60 s renders
 * outlast the parent's patience, and the parent kills it. */
int batch_kill_child(const char* url, const char* token, const char* out_dir) {
	char config[1024], list[2048], args[4096];
	/* No per-attempt timeout: the slow renders must still be in flight when killed. */
	snprintf(config, sizeof config, "{\"base_url\":\"%s\",\"token\":\"%s\",\"default_workspace_id\":1,\"timeout\":-1}", url,
	         token);
	char* err = NULL;
	cx_handle h = cx_client_new(config, &err);
	if (h == 0) {
		cx_free(err);
		return 3;
	}
	items(list, sizeof list, 1);
	snprintf(args, sizeof args, "{\"items\":%s,\"out_dir\":\"%s\",\"concurrency\":%d}", list, out_dir, CONCURRENCY);
	cx_free(cx_call(h, "render_batch", args));
	cx_free(cx_client_free(h));
	return 4; /* finished: the parent was meant to kill it first */
}

/* temp_owner returns N for the name of a temporary of output aNN.pdf
 * (".aNN.pdf.<digits>.part", as the library names them), or -1. */
static int temp_owner(const char* name) {
	size_t len = strlen(name);
	if (len < 15 || strncmp(name, ".a", 2) != 0 || !isdigit((unsigned char)name[2]) || !isdigit((unsigned char)name[3]) ||
	    strncmp(name + 4, ".pdf.", 5) != 0 || strcmp(name + len - 5, ".part") != 0)
		return -1;
	for (size_t i = 9; i < len - 5; i++)
		if (!isdigit((unsigned char)name[i])) return -1;
	int idx = (name[2] - '0') * 10 + (name[3] - '0');
	return idx < N_ITEMS ? idx : -1;
}

/* scan counts out_dir's entries: visible files (outputs), temporaries per output
 * (owners[i]) and dot-files of any kind. */
static void scan(const char* dir, int* outputs, int* temps, int* dotfiles, int owners[N_ITEMS]) {
	*outputs = *temps = *dotfiles = 0;
	if (owners) memset(owners, 0, sizeof(int) * N_ITEMS);
	DIR* d = opendir(dir);
	if (d == NULL) return;
	for (struct dirent* e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
		if (e->d_name[0] != '.') {
			(*outputs)++;
			continue;
		}
		(*dotfiles)++;
		int i = temp_owner(e->d_name);
		if (i >= 0) {
			(*temps)++;
			if (owners) owners[i]++;
		}
	}
	closedir(d);
}

/* listing describes dir's entries by name, in order: files with size and mtime to
 * the nanosecond; folders by name only, since a folder's mtime changes whenever an
 * entry is added to or removed from it, which the rerun does in out_dir. */
static void listing(const char* dir, char* out, size_t n) {
	struct dirent** names = NULL;
	int k = scandir(dir, &names, NULL, alphasort);
	size_t at = 0;
	out[0] = 0;
	for (int i = 0; i < k; i++) {
		const char* nm = names[i]->d_name;
		char path[1024];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, nm);
		if (strcmp(nm, ".") != 0 && strcmp(nm, "..") != 0 && at < n && lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				at += (size_t)snprintf(out + at, n - at, "%s/\n", nm);
			else
				at += (size_t)snprintf(out + at, n - at, "%s %lld %lld.%09ld\n", nm, (long long)st.st_size,
				                       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		}
		free(names[i]);
	}
	free(names);
}

/* decoy writes a file with fixed content and an old, fixed mtime. */
static void decoy(const char* dir, const char* name, const char* content) {
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE* f = fopen(path, "wb");
	CHECK(f != NULL && fputs(content, f) >= 0 && fclose(f) == 0, "cannot write decoy %s", path);
	struct timespec ts[2] = {{1000000000, 123456789}, {1000000000, 123456789}};
	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0, "cannot set the mtime of %s", path);
}

static int same_content(const char* dir, const char* name, const char* content) {
	char path[1024];
	size_t len;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char* b = read_file(path, &len);
	int same = b != NULL && len == strlen(content) && memcmp(b, content, len) == 0;
	free(b);
	return same;
}

/* wait_renders waits (up to 60 s: a guard against a hang, not a bound on anything
 * measured) until the fake has want renders in flight and, if outputs >= 0, out
 * holds that many outputs. Returns 1 once it sees that, 0 on timeout, and -1 if
 * child (when > 0) exited first: then it has been reaped and its pid is not ours. */
static int wait_renders(int want, const char* out, int outputs, pid_t child) {
	double deadline = mono_now() + 60;
	while (mono_now() < deadline) {
		int o = 0, t, dots;
		if (outputs >= 0) scan(out, &o, &t, &dots, NULL);
		if (fake_stat(NULL, "renders_in_flight") == want && (outputs < 0 || o == outputs)) return 1;
		if (child > 0 && waitpid(child, NULL, WNOHANG) == child) return -1;
		usleep(10000);
	}
	return 0;
}

void test_batch_kill(cx_handle h, const char* url, const char* token, const char* dir) {
	/* A folder of its own: run.sh runs this program several times with one dir. */
	char parent[512], out[600];
	snprintf(parent, sizeof parent, "%s/kill.XXXXXX", dir);
	CHECK(mkdtemp(parent) != NULL, "cannot create %s", parent);
	snprintf(out, sizeof out, "%s/out", parent);
	CHECK(mkdir(out, 0755) == 0, "cannot create %s", out);

	/* Earlier tests abandoned slow renders (cancel, timeout); the fake lets go of
	 * them when it sees their connections close. Start from none in flight. */
	CHECK(wait_renders(0, NULL, -1, 0) == 1, "the fake still has renders in flight before the test");
	CHECK(fake_reset(NULL), "cannot reset the fake");

	/* The killed run must be its own process. The Go runtime is loaded here, and
	 * fork() copies only the calling thread: the child of a process with the Go
	 * runtime's threads may call only async-signal-safe functions until it execs
	 * (a cx_call there would wait forever on locks and threads that are not
	 * there). So the child execs at once: this very program, in a mode that runs
	 * batch_kill_child, which loads a fresh Go runtime. Everything the child needs
	 * (its argv) is built before fork. Under qemu-user the program is an aarch64
	 * binary the kernel cannot exec, so run-arm64.sh gives the emulator to put in
	 * front (CAPI_TEST_EXEC_PREFIX, words split at spaces). Under valgrind the
	 * child runs natively (no --trace-children): valgrind checks this process. */
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	CHECK(n > 0, "cannot read /proc/self/exe");
	exe[n > 0 ? n : 0] = 0;
	char prefix[1024];
	snprintf(prefix, sizeof prefix, "%s", getenv("CAPI_TEST_EXEC_PREFIX") ? getenv("CAPI_TEST_EXEC_PREFIX") : "");
	char* argv[16];
	int argc = 0;
	for (char* save = NULL, *w = strtok_r(prefix, " ", &save); w != NULL && argc < 10; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc++] = exe;
	argv[argc++] = (char*)url;
	argv[argc++] = (char*)token;
	argv[argc++] = "batch-kill-child";
	argv[argc++] = out;
	argv[argc] = NULL;
	pid_t child = fork();
	if (child == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(argv[0], argv);
		static const char msg[] = "batch_kill_test: exec of the child failed\n";
		if (write(2, msg, sizeof msg - 1) < 0) _exit(126);
		_exit(127);
	}
	CHECK(child > 0, "fork failed");
	if (child <= 0) return;

	/* Killed mid-batch: 4 fast outputs complete, 6 slow renders in flight, 2 items
	 * not started. */
	int seen = wait_renders(CONCURRENCY, out, N_FAST, child);
	CHECK(seen == 1, "the child %s before it had %d renders in flight and %d outputs", seen ? "exited" : "timed out",
	      CONCURRENCY, N_FAST);
	if (seen < 0) return;
	kill(child, SIGKILL);
	int status = 0;
	CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "the child was not killed by SIGKILL (status %#x)", status);

	int outputs, temps, dots, owners[N_ITEMS];
	scan(out, &outputs, &temps, &dots, owners);
	CHECK(outputs == N_FAST && temps == CONCURRENCY && dots == CONCURRENCY,
	      "after the kill: %d outputs, %d temporaries, %d dot-files; want %d, %d, %d", outputs, temps, dots, N_FAST,
	      CONCURRENCY, CONCURRENCY);
	for (int i = 0; i < N_ITEMS; i++) {
		char path[700];
		snprintf(path, sizeof path, "%s/a%02d.pdf", out, i);
		CHECK(owners[i] <= 1 && (i >= N_FAST || owners[i] == 0), "item %d has %d temporaries", i, owners[i]);
		if (i < N_FAST) CHECK(pdf_intact(path), "%s, complete before the kill, is not a whole PDF", path);
	}
	/* The dead run's renders leave the fake when it sees their connections close. */
	CHECK(wait_renders(0, NULL, -1, 0) == 1, "the fake kept the killed run's renders in flight");

	/* Look-alikes of an output and its temporary, one folder up: not the batch's. */
	decoy(parent, ".a00.pdf.123.part", "not a temporary of this batch\n");
	decoy(parent, "a00.pdf", "not an output of this batch\n");
	char before[4096], after[4096];
	listing(parent, before, sizeof before);

	CHECK(fake_reset(NULL), "cannot reset the fake");
	char list[2048], args[4096], res[2048], v[32];
	items(list, sizeof list, 0);
	snprintf(args, sizeof args, "{\"items\":%s,\"out_dir\":\"%s\"}", list, out);
	char* env = cx_call(h, "render_batch", args);
	CHECK(is_ok(env) && has(env, "\"ok\":8,") && has(env, "\"skipped\":4,") && has(env, "\"failed\":0,") &&
	          has(env, "\"total\":12,"),
	      "rerun: %s", env);
	field(env, "removed_temps", v, sizeof v); /* the summary's comes before the results' */
	CHECK(strcmp(v, "6") == 0, "rerun: removed_temps %s, want 6: %s", v, env);
	int sum = 0;
	for (int i = 0; i < N_ITEMS; i++) {
		CHECK(batch_result(env, i, res, sizeof res), "rerun: no result for item %d", i);
		field(res, "removed_temps", v, sizeof v);
		sum += atoi(v);
		CHECK(atoi(v) == owners[i], "item %d: removed_temps %s, but it had %d: %s", i, v, owners[i], res);
		CHECK(has(res, i < N_FAST ? "\"status\":\"skipped\"" : "\"status\":\"ok\""), "item %d: %s", i, res);
		char path[700];
		snprintf(path, sizeof path, "%s/a%02d.pdf", out, i);
		CHECK(pdf_intact(path), "%s is not a whole PDF after the rerun", path);
	}
	CHECK(sum == CONCURRENCY, "per-item removed_temps sum to %d, want %d", sum, CONCURRENCY);
	int posts = fake_arrivals(NULL, "POST", BATCH_PDF_PATH);
	CHECK(posts == N_ITEMS - N_FAST, "rerun sent %d POST pdf requests, want %d", posts, N_ITEMS - N_FAST);
	scan(out, &outputs, &temps, &dots, NULL);
	CHECK(outputs == N_ITEMS && dots == 0, "after the rerun: %d outputs, %d dot-files", outputs, dots);
	listing(parent, after, sizeof after);
	CHECK(strcmp(before, after) == 0, "the rerun changed %s:\nbefore:\n%safter:\n%s", parent, before, after);
	CHECK(same_content(parent, ".a00.pdf.123.part", "not a temporary of this batch\n") &&
	          same_content(parent, "a00.pdf", "not an output of this batch\n"),
	      "the decoys in %s changed", parent);
	cx_free(env);
}
