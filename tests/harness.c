/* SPDX-License-Identifier: MIT */
#include "harness.h"
#include "run_suite.h"

#include <jansson.h>

#include <dirent.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[256];
static int test_seq;
static bool no_tmp_bind; /* per test: Check runs each test in its own process */

const char *harness_tmpdir(void)
{
	return tmpdir;
}

void harness_bind_tmpdir(bool on)
{
	no_tmp_bind = !on;
}

/* The "Key:\t..." line of /proc/|pid|/status into |buf|, or false. */
static bool status_line(pid_t pid, const char *key, char *buf, size_t size)
{
	char path[64], text[4096];
	const char *at;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	slurp(path, text, sizeof(text));
	at = strstr(text, key);
	if (!at)
		return false;
	at += strlen(key);
	n = strcspn(at, "\n");
	snprintf(buf, size, "%.*s", (int)n, at);
	return true;
}

static pid_t parent_of(pid_t pid)
{
	char line[64];

	return status_line(pid, "\nPPid:", line, sizeof(line)) ? (pid_t)atoi(line) : 0;
}

pid_t sandbox_host_pid(pid_t supervisor, pid_t inside)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	ck_assert_ptr_nonnull(d);
	while (!found && (de = readdir(d))) {
		pid_t pid = atoi(de->d_name), up = pid;
		char line[256], *last;

		if (pid <= 0 || !status_line(pid, "\nNSpid:", line, sizeof(line)))
			continue;
		last = strrchr(line, '\t');
		if (!last || atoi(last + 1) != inside || last == strchr(line, '\t'))
			continue; /* not that pid inside, or in our own namespace */
		for (int hops = 0; hops < 64 && up > 1; hops++) {
			up = parent_of(up);
			if (up == supervisor) {
				found = pid;
				break;
			}
		}
	}
	closedir(d);
	return found;
}

const char *sbx_bin(void)
{
	return getenv("SBX_BIN");
}

void prog_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", getenv("SBX_PROGS"), name);
}

void tmp_path(char *buf, size_t size, const char *name)
{
	/* Each test runs in its own forked process: the pid keeps names apart. */
	snprintf(buf, size, "%s/%d-%d-%s", tmpdir, (int)getpid(), ++test_seq, name);
}

void slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : 0;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

pid_t start(char *const argv[], const char *out, const char *err)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(o, 1);
		dup2(e, 2);
		/* A terminal's foreground job, whatever ran the tests (a background job ignores
		 * SIGINT and SIGQUIT, nohup SIGHUP): the sandbox honours what its caller ignores.
		 */
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execv(argv[0], argv);
		_exit(121);
	}
	return pid;
}

int count_procs(bool (*match)(pid_t pid, const char *cmdline, size_t len, void *arg), void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		char path[300], buf[4096];
		pid_t pid = atoi(de->d_name);
		ssize_t len;
		int fd;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = '\0';
		n += match(pid, buf, len > 0 ? (size_t)len : 0, arg);
	}
	closedir(d);
	return n;
}

static bool holds_token(pid_t pid, const char *cmdline, size_t len, void *token)
{
	(void)pid;
	return memmem(cmdline, len, token, strlen(token)) != NULL;
}

int count_with_token(const char *token)
{
	return count_procs(holds_token, (void *)token);
}

int finish(pid_t pid)
{
	int status = 0;

	for (int i = 0; i < 6000; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		ck_assert_msg(r == 0, "waitpid(%d): %s", (int)pid, strerror(errno));
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ck_abort_msg("sandbox did not finish within 60 s");
	return -1;
}

void run_sandbox(struct run *r, const char *policy, const char *const *opts,
		 const char *const *args)
{
	char pol[300], rep[300], out[300], err[300];
	char *argv[96];
	int n = 0;

	tmp_path(pol, sizeof(pol), "policy.json");
	tmp_path(rep, sizeof(rep), "report.json");
	tmp_path(out, sizeof(out), "out");
	tmp_path(err, sizeof(err), "err");
	argv[n++] = (char *)sbx_bin();
	if (policy) {
		write_file(pol, policy, 0644);
		argv[n++] = "-p";
		argv[n++] = pol;
	}
	argv[n++] = "-r";
	argv[n++] = rep;
	/* The test's files are where its programs read and write them. */
	if (!no_tmp_bind) {
		argv[n++] = "--bind";
		argv[n++] = tmpdir;
		argv[n++] = tmpdir;
	}
	while (opts && *opts && n < 60)
		argv[n++] = (char *)*opts++;
	argv[n++] = "--";
	while (*args && n < 94)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	memset(r, 0, sizeof(*r));
	r->pid = start(argv, out, err);
	r->status = finish(r->pid);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	slurp(rep, r->report, sizeof(r->report));
}

void run_bare(struct run *r, const char *const *args)
{
	char out[300], err[300];
	char *argv[32];
	int n = 0;

	tmp_path(out, sizeof(out), "bare-out");
	tmp_path(err, sizeof(err), "bare-err");
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	memset(r, 0, sizeof(*r));
	r->pid = start(argv, out, err);
	r->status = finish(r->pid);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* The value at |key| ("a" or "a.b") of the report, or NULL. Caller decrefs |*root|. */
static json_t *report_get(const struct run *r, const char *key, json_t **root)
{
	char top[64];
	const char *dot = strchr(key, '.');
	json_t *j;

	*root = json_loads(r->report, 0, NULL);
	if (!*root)
		return NULL;
	snprintf(top, sizeof(top), "%.*s", dot ? (int)(dot - key) : (int)strlen(key), key);
	j = json_object_get(*root, top);
	if (dot && json_is_array(j)) /* "calls.count": of the first element */
		j = json_array_get(j, 0);
	return dot ? json_object_get(j, dot + 1) : j;
}

const char *report_str(const struct run *r, const char *key)
{
	static char bufs[3][512];
	static int next;
	char *buf = bufs[next++ % 3];
	json_t *root;
	const char *s = json_string_value(report_get(r, key, &root));

	snprintf(buf, sizeof(bufs[0]), "%s", s ? s : "");
	json_decref(root);
	return buf;
}

long long report_int(const struct run *r, const char *key)
{
	json_t *root;
	json_t *j = report_get(r, key, &root);
	long long v = json_is_integer(j) ? (long long)json_integer_value(j) : -1;

	json_decref(root);
	return v;
}

int harness_init(void)
{
	if (!sbx_bin() || !getenv("SBX_PROGS")) {
		fprintf(stderr, "SBX_BIN and SBX_PROGS must be set (run through meson test)\n");
		return 99;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s/sbx-test-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	/* Unprivileged runs (run-unprivileged.sh) must reach it too. */
	chmod(tmpdir, 0755);
	return 0;
}

void harness_cleanup(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", tmpdir);
}

int harness_main(Suite *suite)
{
	int r = harness_init();

	if (r)
		return r;
	r = run_suite(suite); /* 0, 1 (failed), 77 (skipped) or 99 */
	harness_cleanup();
	return r;
}
