/* SPDX-License-Identifier: MIT */
/*
 * Observability: --trace lines (calls in order, results, errnos, the
 * policy's decision), the --log JSON lines and their documented fields,
 * --learn on three programs (each learned policy reruns its program cleanly
 * and stops a variant making one more call; runs merge; harmless families
 * widen, open modes and sockets stay narrow; a base), and --attach to a
 * running helper (its calls logged, killed on a forbidden one, or detached
 * and left running); -o (--trace-output) and -c (--summary), as strace's.
 */
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char mkdir_denied[] =
	"{\"default\": \"allow\", \"rules\": ["
	"{\"syscalls\": [\"mkdir\"], \"action\": \"errno\", \"errno\": \"EPERM\"}]}";

/* Each of |needles| in |hay|, in this order. */
static void assert_in_order(const char *hay, const char *const *needles)
{
	const char *at = hay;

	for (; *needles; needles++) {
		const char *found = strstr(at, *needles);

		ck_assert_msg(found, "expected \"%s\" after offset %td in:\n%s", *needles, at - hay,
			      hay);
		at = found + strlen(*needles);
	}
}

/* The descriptor the probe printed ("fd=N"). */
static int probe_fd(const struct run *r)
{
	const char *p = strstr(r->out, "fd=");

	ck_assert_msg(p, "no fd= in the probe's output: %s", r->out);
	return atoi(p + 3);
}

START_TEST(trace_lists_calls_in_order)
{
	const char *opts[] = {"--trace=openat,write,close,mkdir", NULL};
	char l[6][160];
	struct run r;
	int fd;

	/* "extra" adds a uname, which is not traced: no line for it. */
	RUN_PROBE_OPTS(&r, mkdir_denied, opts, "trace-seq", "extra");
	ck_assert_int_eq(r.status, 0);
	fd = probe_fd(&r);
	snprintf(l[0], sizeof(l[0]),
		 "openat(AT_FDCWD, \"/nonexistent-sbx-trace\", O_RDONLY) = -1 ENOENT (No such "
		 "file or directory) [allowed by the default action]");
	snprintf(l[1], sizeof(l[1]),
		 "openat(AT_FDCWD, \"/dev/null\", O_WRONLY) = %d [allowed by the default action]",
		 fd);
	snprintf(l[2], sizeof(l[2]), "write(%d, \"abc\", 3) = 3 [allowed", fd);
	snprintf(l[3], sizeof(l[3]), "close(%d) = 0 [allowed", fd);
	snprintf(l[4], sizeof(l[4]), "close(%d) = -1 EBADF (Bad file descriptor) [allowed", fd);
	snprintf(l[5], sizeof(l[5]),
		 "mkdir(\"/nonexistent-sbx-trace/x\", 0700) = -1 EPERM (Operation not "
		 "permitted) [denied by rule 0]");
	assert_in_order(r.err, (const char *const[]){l[0], l[1], l[2], l[3], l[4], l[5], NULL});
	/* Only the named calls. */
	assert_lacks(r.err, "mmap(");
	assert_lacks(r.err, "uname(");
	/* The control: without --trace, not one of those lines. */
	RUN_PROBE(&r, mkdir_denied, "trace-seq");
	ck_assert_int_eq(r.status, 0);
	assert_lacks(r.err, "openat(");
	assert_lacks(r.err, "mkdir(");
}
END_TEST

/* The whole line of |hay| that holds |needle| (which may be |buf| itself). */
static void line_of(const char *hay, const char *needle, char *buf, size_t size)
{
	const char *at = strstr(hay, needle), *start, *end;

	ck_assert_msg(at, "no line with \"%s\" in:\n%s", needle, hay);
	for (start = at; start > hay && start[-1] != '\n'; start--)
		;
	end = strchr(at, '\n');
	if (!end)
		end = at + strlen(at);
	ck_assert_uint_lt((size_t)(end - start), size);
	memmove(buf, start, (size_t)(end - start));
	buf[end - start] = '\0';
}

/* How many different "[pid N]" appear in |text|. */
static int distinct_pids(const char *text)
{
	int pids[64], n = 0;

	for (const char *p = strstr(text, "[pid "); p; p = strstr(p + 1, "[pid ")) {
		int pid = atoi(p + 5), i;

		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n && n < 64)
			pids[n++] = pid;
	}
	return n;
}

/* A misspelt name is refused before anything runs, with the closest one. */
START_TEST(trace_unknown_name_is_an_error)
{
	const char *opts[] = {"--trace=openat,opne", NULL};
	struct run r;

	RUN_PROBE_OPTS(&r, NULL, opts, "trace-seq");
	ck_assert_int_eq(r.status, 125);
	assert_has(r.err, "--trace: unknown syscall \"opne\" (did you mean \"open\"?)");
	assert_lacks(r.out, "fd=");
}
END_TEST

START_TEST(trace_all_follows_children)
{
	const char *opts[] = {"--trace", NULL};
	char probe[256], script[400], line[700];
	struct run r;

	prog_path(probe, sizeof(probe), "probe");
	snprintf(script, sizeof(script), "%s trace-seq; exit 4", probe);
	run_sandbox(&r, NULL, opts, (const char *const[]){"/bin/sh", "-c", script, NULL});
	ck_assert_int_eq(r.status, 4);
	/* The child's exec, its calls, its end, then the shell's own end. */
	snprintf(line, sizeof(line), "execve(\"%s\", [\"%s\", \"trace-seq\"]", probe, probe);
	assert_in_order(r.err,
			(const char *const[]){line, "openat(AT_FDCWD, \"/dev/null\", O_WRONLY) = ",
					      "exit_group(0) = ?", "exit_group(4) = ?", NULL});
	/* Results across the fork and exec events: execve returned 0, vfork the child's pid. */
	line_of(r.err, line, line, sizeof(line));
	assert_has(line, ") = 0 [allowed by the default action]");
	line_of(r.err, "] vfork() = ", line, sizeof(line));
	ck_assert_msg(atoi(strstr(line, "vfork() = ") + 10) > 1, "vfork result: %s", line);
	/* Two processes made the lines: the first line's pid and another. */
	ck_assert_msg(distinct_pids(r.err) >= 2, "lines of one process only:\n%s", r.err);
}
END_TEST

/*
 * A thread that is not the leader execs while the leader is inside a traced
 * call: the leader dies unreported (its line ends with "?"), and the
 * execve's result (0) is reported under the leader's tid, which the thread
 * takes over.
 */
START_TEST(trace_non_leader_exec)
{
	const char *opts[] = {"--trace=execve,clock_nanosleep,nanosleep", NULL};
	char line[700];
	struct run r;

	RUN_PROBE_OPTS(&r, NULL, opts, "thread-exec");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	line_of(r.err, "tv_sec=10,", line, sizeof(line));
	assert_has(line, ") = ? [allowed");
	line_of(r.err, "execve(\"/bin/true\"", line, sizeof(line));
	assert_has(line, ") = 0 [allowed by the default action]");
}
END_TEST

/* The fields every event of |kind| must carry (docs/observability.md). */
static const char *const *fields_of(const char *kind)
{
	static const char *const call[] = {"time", "event",  "pid",    "tid",	  "syscall",
					   "nr",   "arch",   "args",   "decoded", "action",
					   "rule", "reason", "return", NULL};
	static const char *const spawn[] = {"time", "event", "parent", "pid", "kind", NULL};
	static const char *const exec[] = {"time", "event", "pid", "path", "argv", NULL};
	static const char *const exit_[] = {"time", "event", "pid", "tid", NULL};
	static const char *const limit[] = {"time", "event", "limit", NULL};
	static const char *const calls[] = {"time", "event",  "syscall", "arch",  "action",
					    "rule", "reason", "count",	 "shown", NULL};

	if (strcmp(kind, "syscall") == 0)
		return call;
	if (strcmp(kind, "spawn") == 0)
		return spawn;
	if (strcmp(kind, "exec") == 0)
		return exec;
	if (strcmp(kind, "exit") == 0)
		return exit_;
	if (strcmp(kind, "limit") == 0)
		return limit;
	if (strcmp(kind, "calls") == 0)
		return calls;
	return NULL;
}

/*
 * Check every line of the log at |path|; count the events of each kind into
 * |counts| (syscall, spawn, exec, exit, limit) and return the parsed lines.
 */
static json_t *read_log(const char *path, int counts[5])
{
	static const char *const kinds[] = {"syscall", "spawn", "exec", "exit", "limit"};
	json_t *all = json_array();
	char line[8192];
	FILE *f = fopen(path, "r");
	int n = 0;

	ck_assert_msg(f, "no log at %s", path);
	memset(counts, 0, 5 * sizeof(*counts));
	while (fgets(line, sizeof(line), f)) {
		json_error_t err;
		json_t *ev = json_loads(line, 0, &err);
		const char *kind;
		const char *const *fields;

		n++;
		ck_assert_msg(ev && json_is_object(ev), "line %d is not a JSON object: %s (%s)", n,
			      line, ev ? "" : err.text);
		ck_assert_msg(line[strlen(line) - 1] == '\n', "line %d is cut: %s", n, line);
		kind = json_string_value(json_object_get(ev, "event"));
		ck_assert_msg(kind, "line %d has no event: %s", n, line);
		fields = fields_of(kind);
		ck_assert_msg(fields, "line %d: unknown event \"%s\"", n, kind);
		for (; *fields; fields++)
			ck_assert_msg(json_object_get(ev, *fields), "line %d (%s) lacks \"%s\": %s",
				      n, kind, *fields, line);
		ck_assert(json_is_real(json_object_get(ev, "time")));
		if (strcmp(kind, "exit") == 0)
			ck_assert_msg(json_object_get(ev, "code") || json_object_get(ev, "signal"),
				      "exit without code or signal: %s", line);
		if (strcmp(kind, "syscall") == 0)
			ck_assert_int_eq(json_array_size(json_object_get(ev, "args")), 6);
		for (int k = 0; k < 5; k++)
			counts[k] += strcmp(kind, kinds[k]) == 0;
		json_array_append_new(all, ev);
	}
	fclose(f);
	ck_assert_msg(n > 0, "the log %s is empty", path);
	return all;
}

/* The first syscall event of |name| whose decoded text has |needle|. */
static json_t *find_call(json_t *events, const char *name, const char *needle)
{
	json_t *ev;
	size_t i;

	json_array_foreach(events, i, ev)
	{
		const char *s = json_string_value(json_object_get(ev, "syscall"));
		const char *d = json_string_value(json_object_get(ev, "decoded"));

		if (s && d && strcmp(s, name) == 0 && strstr(d, needle))
			return ev;
	}
	return NULL;
}

START_TEST(log_lines_are_json_with_fields)
{
	char log[300], probe[256], script[400];
	const char *opts[] = {"--trace=openat,mkdir", "--log", log, NULL};
	int counts[5];
	json_t *events, *ev;
	struct run r;

	tmp_path(log, sizeof(log), "events.jsonl");
	prog_path(probe, sizeof(probe), "probe");
	snprintf(script, sizeof(script), "%s trace-seq; exit 3", probe);
	run_sandbox(&r, mkdir_denied, opts, (const char *const[]){"/bin/sh", "-c", script, NULL});
	ck_assert_int_eq(r.status, 3);
	/* With --log the traced calls go to the file, not stderr. */
	assert_lacks(r.err, "openat(");
	events = read_log(log, counts);
	ck_assert_int_ge(counts[0], 4); /* syscalls */
	ck_assert_int_ge(counts[1], 1); /* the shell's child */
	ck_assert_int_ge(counts[2], 2); /* sh and the probe */
	ck_assert_int_ge(counts[3], 2); /* both ended */
	ev = find_call(events, "openat", "/nonexistent-sbx-trace");
	ck_assert_msg(ev, "no openat of the missing file in the log");
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "return")), -ENOENT);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "errno")), "ENOENT");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "allow");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "arch")), "x86_64");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(ev, "args"), 0)),
			 "0xffffff9c");
	ev = find_call(events, "mkdir", "/nonexistent-sbx-trace/x");
	ck_assert_msg(ev, "no mkdir in the log");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "errno");
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "rule")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "errno")), "EPERM");
	json_decref(events);
}
END_TEST

/* The number of lines of |hay| holding |needle|. */
static int lines_with(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *at = hay; (at = strstr(at, needle)); at += strlen(needle))
		n++;
	return n;
}

/* The first event of |kind| in |events|, or NULL. */
static json_t *find_event(json_t *events, const char *kind)
{
	size_t i;
	json_t *ev;

	json_array_foreach(events, i,
			   ev) if (strcmp(json_string_value(json_object_get(ev, "event")), kind) ==
				   0) return ev;
	return NULL;
}

/*
 * A refused call repeated 50,000 times: 10 lines of it and one summary line
 * (it was one line per call: 3 MB), 10 --log events and one "calls" event,
 * and the report counts every call.
 */
START_TEST(repeated_calls_are_summed_up)
{
	static const char deny_getppid[] =
		"{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		"\"action\": \"errno\", \"errno\": \"EPERM\", \"log\": true}]}";
	char log[300];
	const char *with_log[] = {"--log", log, NULL};
	const char *quiet[] = {"-q", NULL};
	const char *quiet_log[] = {"-q", "--log", log, NULL};
	int counts[5];
	json_t *events, *ev;
	struct run r;

	RUN_PROBE(&r, deny_getppid, "getppids", "50000");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "getppids=50000");
	ck_assert_int_eq(lines_with(r.err, "denied getppid() = -1 EPERM by rule 0\n"), 10);
	assert_has(r.err, "sandbox: getppid denied by rule 0: 50000 calls, 10 shown (each line at "
			  "most 10 times, 100 lines a kind)\n");
	ck_assert_int_lt(strlen(r.err), 2048);
	ck_assert_str_eq(report_str(&r, "calls.syscall"), "getppid");
	ck_assert_int_eq(report_int(&r, "calls.count"), 50000);
	ck_assert_int_eq(report_int(&r, "calls.shown"), 10);
	ck_assert_str_eq(report_str(&r, "calls.action"), "errno");
	ck_assert_int_eq(report_int(&r, "calls.rule"), 0);
	ck_assert_int_eq(report_int(&r, "log_lines_not_shown"), 49990);

	tmp_path(log, sizeof(log), "calls.jsonl");
	RUN_PROBE_OPTS(&r, deny_getppid, with_log, "getppids", "50000");
	events = read_log(log, counts);
	ck_assert_int_eq(counts[0], 10);
	ev = find_event(events, "calls");
	ck_assert_msg(ev, "no calls event in the log");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "syscall")), "getppid");
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "count")), 50000);
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "shown")), 10);
	json_decref(events);

	/* Quiet: no line at all, every call still counted. */
	RUN_PROBE_OPTS(&r, deny_getppid, quiet, "getppids", "50000");
	ck_assert_str_eq(r.err, "");
	ck_assert_int_eq(report_int(&r, "calls.count"), 50000);
	ck_assert_int_eq(report_int(&r, "calls.shown"), 0);

	/* -q silences stderr, not the --log file. */
	tmp_path(log, sizeof(log), "quiet.jsonl");
	RUN_PROBE_OPTS(&r, deny_getppid, quiet_log, "getppids", "50000");
	ck_assert_str_eq(r.err, "");
	events = read_log(log, counts);
	ck_assert_int_eq(counts[0], 10);
	json_decref(events);
	ck_assert_int_eq(report_int(&r, "calls.shown"), 10);
}
END_TEST

/*
 * 5,000 different calls of one kind (getpriority of 5,000 pids): 100 lines
 * and 100 --log events of the kind, not 5,000; the report counts them all.
 */
START_TEST(distinct_calls_of_a_kind_are_bounded)
{
	static const char deny_getpriority[] =
		"{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getpriority\"], "
		"\"action\": \"errno\", \"errno\": \"EPERM\", \"log\": true}]}";
	char log[300];
	const char *opts[] = {"--log", log, NULL};
	int counts[5];
	json_t *events;
	struct run r;

	tmp_path(log, sizeof(log), "kinds.jsonl");
	RUN_PROBE_OPTS(&r, deny_getpriority, opts, "getpriorities", "5000");
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(lines_with(r.err, "denied getpriority("), 100);
	assert_has(r.err, "getpriority denied by rule 0: 5000 calls, 100 shown");
	ck_assert_int_eq(report_int(&r, "calls.count"), 5000);
	ck_assert_int_eq(report_int(&r, "calls.shown"), 100);
	events = read_log(log, counts);
	ck_assert_int_eq(counts[0], 100);
	json_decref(events);
}
END_TEST

/* The first event of |kind| whose "syscall" is |name|, or NULL. */
static json_t *find_named(json_t *events, const char *kind, const char *name)
{
	size_t i;
	json_t *ev;

	json_array_foreach(events, i, ev)
	{
		const char *k = json_string_value(json_object_get(ev, "event"));
		const char *s = json_string_value(json_object_get(ev, "syscall"));

		if (k && s && strcmp(k, kind) == 0 && strcmp(s, name) == 0)
			return ev;
	}
	return NULL;
}

/*
 * Past 1024 kinds of call in a run, later kinds share one: their calls are
 * still written (a logged socket() after 1100 unknown calls is in the
 * log; it was neither written nor listed), and counted in calls_not_listed.
 */
START_TEST(kinds_past_the_table_still_show)
{
	static const char log_all[] = "{\"default\": \"log\"}";
	char log[300];
	const char *opts[] = {"-q", "--log", log, NULL};
	int counts[5];
	json_t *events, *ev;
	struct run r;

	tmp_path(log, sizeof(log), "kinds-past.jsonl");
	RUN_PROBE_OPTS(&r, log_all, opts, "unknowns", "1100");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "unknowns=1100");
	ck_assert_int_gt(report_int(&r, "calls_not_listed"), 0);
	events = read_log(log, counts);
	ev = find_named(events, "syscall", "socket");
	ck_assert_msg(ev, "no socket event in the log");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "log");
	json_decref(events);
}
END_TEST

/*
 * Past --log-limit nothing more is written but the verdict's lines and the
 * summary: 20,000 traced calls and a violation after them under 4K.
 */
START_TEST(log_limit_holds_all_but_the_verdict)
{
	static const char kill_getuid[] = "{\"default\": \"allow\", \"rules\": [{\"syscalls\": "
					  "[\"getuid\"], \"action\": \"kill\"}]}";
	const char *opts[] = {"--trace=getppid", "--log-limit", "4K", NULL};
	const char *unlimited[] = {"--trace=getppid", "--log-limit", "none", NULL};
	struct run r;

	RUN_PROBE_OPTS(&r, kill_getuid, opts, "getppids", "20000", "getuid");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(report_str(&r, "status"), "violation");
	assert_has(r.err, "log limit of 4096 bytes reached");
	assert_has(r.err, "killed getuid()");
	assert_has(r.err, "lines were not written: past the log limit of 4096 bytes");
	ck_assert_int_lt(strlen(r.err), 4096 + 1024);
	ck_assert_int_gt(report_int(&r, "log_lines_not_shown"), 19000);
	/* A refused call held back by the limit still has its kind summed up. */
	{
		static const char both[] =
			"{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getpriority\"], "
			"\"action\": \"errno\", \"errno\": \"EPERM\", \"log\": true}, "
			"{\"syscalls\": [\"getuid\"], \"action\": \"errno\", \"errno\": "
			"\"EPERM\", \"log\": true}]}";
		const char *small[] = {"--log-limit", "2K", NULL};

		RUN_PROBE_OPTS(&r, both, small, "getpriorities", "200", "getuid");
		ck_assert_int_eq(r.status, 0);
		assert_lacks(r.err, "] denied getuid()");
		assert_has(r.err, "sandbox: getuid denied by rule 1: 1 calls, 0 shown");
	}

	/* none: every line (the harness keeps the first 16 KiB of them). */
	RUN_PROBE_OPTS(&r, kill_getuid, unlimited, "getppids", "20000", "getuid");
	ck_assert_int_eq(r.status, 200);
	assert_lacks(r.err, "log limit");
	ck_assert_int_gt(lines_with(r.err, "getppid() = "), 100);
	ck_assert_int_eq(report_int(&r, "log_lines_not_shown"), 0);
}
END_TEST

START_TEST(log_records_limits_and_violations)
{
	char log[300];
	const char *opts[] = {"--wall-time", "0.3", "--log", log, NULL};
	const char *kill_mkdir = "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"mkdir\"], "
				 "\"action\": \"kill\"}]}";
	int counts[5];
	json_t *events, *ev;
	struct run r;

	tmp_path(log, sizeof(log), "limit.jsonl");
	RUN_PROBE_OPTS(&r, NULL, opts, "sleep", "5000");
	ck_assert_str_eq(report_str(&r, "status"), "wall_time_limit");
	events = read_log(log, counts);
	ck_assert_int_eq(counts[4], 1);
	json_decref(events);

	tmp_path(log, sizeof(log), "kill.jsonl");
	opts[0] = "-q";
	opts[1] = "-q";
	RUN_PROBE_OPTS(&r, kill_mkdir, opts, "trace-seq");
	ck_assert_str_eq(report_str(&r, "status"), "violation");
	events = read_log(log, counts);
	ev = find_call(events, "mkdir", "/nonexistent-sbx-trace/x");
	ck_assert_msg(ev, "the killed call is not in the log");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "kill");
	ck_assert(json_is_null(json_object_get(ev, "return")));
	/* Its end: killed. */
	ck_assert_int_ge(counts[3], 1);
	json_decref(events);
}
END_TEST

/* --- --learn ----------------------------------------------------------------------- */

/*
 * Learn |args| into a fresh policy; rerun them under it (must be clean);
 * run |variant| under it (must be stopped, by |call|).
 */
static void learn_then_check(const char *const *args, const char *const *variant, const char *call)
{
	char out[300], policy[65536], expect[96];
	/* In "/": every user may list it, so the runs as nobody do the same. */
	const char *learn[] = {"-q", "--chdir", "/", "--learn", out, NULL};
	const char *in_root[] = {"--chdir", "/", NULL};
	struct run r;

	tmp_path(out, sizeof(out), "learned.json");
	run_sandbox(&r, NULL, learn, args);
	ck_assert_msg(r.status == 0, "learning run: status %d\n%s", r.status, r.err);
	slurp(out, policy, sizeof(policy));
	assert_has(policy, "\"default\": \"kill\"");
	assert_has(policy, "\"comment\"");
	/* The same program: no violation, no line. */
	run_sandbox(&r, policy, in_root, args);
	ck_assert_msg(r.status == 0, "rerun under the learned policy: status %d\n%s\n%s", r.status,
		      r.err, policy);
	ck_assert_str_eq(report_str(&r, "status"), "exited");
	assert_lacks(r.err, "sandbox:");
	/* One more call: stopped. */
	run_sandbox(&r, policy, in_root, variant);
	ck_assert_msg(r.status == 200, "the variant was not stopped: status %d\n%s", r.status,
		      r.err);
	ck_assert_str_eq(report_str(&r, "status"), "violation");
	snprintf(expect, sizeof(expect), "killed %s(", call);
	assert_has(r.err, expect);
}

START_TEST(learn_c_helper)
{
	char probe[256];

	prog_path(probe, sizeof(probe), "probe");
	learn_then_check((const char *const[]){probe, "trace-seq", NULL},
			 (const char *const[]){probe, "trace-seq", "extra", NULL}, "uname");
}
END_TEST

START_TEST(learn_shell_pipeline)
{
	learn_then_check((const char *const[]){"/bin/sh", "-c", "ls | wc -l", NULL},
			 (const char *const[]){"/bin/sh", "-c", "ls | wc -l; cd /tmp", NULL},
			 "chdir");
}
END_TEST

START_TEST(learn_python)
{
	learn_then_check((const char *const[]){"python3", "-c", "print(sum(range(10)))", NULL},
			 (const char *const[]){"python3", "-c",
					       "import os; print(sum(range(10))); "
					       "os.getpriority(os.PRIO_PROCESS, 0)",
					       NULL},
			 "getpriority");
}
END_TEST

START_TEST(learn_keeps_argument_patterns)
{
	char out[300], policy[65536], probe[256];
	const char *learn[] = {"-q", "--learn", out, NULL};
	struct run r;

	prog_path(probe, sizeof(probe), "probe");
	tmp_path(out, sizeof(out), "patterns.json");
	run_sandbox(&r, NULL, learn, (const char *const[]){probe, "trace-seq", NULL});
	ck_assert_int_eq(r.status, 0);
	slurp(out, policy, sizeof(policy));
	/* trace-seq opens read-only and write-only, never read-write. */
	assert_has(policy, "opened read-only");
	assert_has(policy, "opened write-only");
	assert_lacks(policy, "opened read-write");
	/* So a read-write open is stopped. */
	run_sandbox(&r, policy, NULL, (const char *const[]){probe, "open-rdwr", "/dev/null", NULL});
	ck_assert_msg(r.status == 200, "read-write open not stopped: %d\n%s", r.status, r.err);
	assert_has(r.err, "O_RDWR");
}
END_TEST

START_TEST(learn_merges_runs)
{
	char out[300], policy[65536], probe[256];
	const char *learn[] = {"-q", "--learn", out, NULL};
	struct run r;

	prog_path(probe, sizeof(probe), "probe");
	tmp_path(out, sizeof(out), "merged.json");
	/* First a run that opens read-write, which the second never does. */
	run_sandbox(&r, NULL, learn, (const char *const[]){probe, "open-rdwr", "/dev/null", NULL});
	ck_assert_int_eq(r.status, 0);
	slurp(out, policy, sizeof(policy));
	assert_has(policy, "opened read-write");
	assert_lacks(policy, "\"uname\"");
	run_sandbox(&r, NULL, learn, (const char *const[]){probe, "trace-seq", "extra", NULL});
	ck_assert_int_eq(r.status, 0);
	slurp(out, policy, sizeof(policy));
	assert_has(policy, "\"uname\"");
	assert_has(policy, "opened read-write");
	/* Both runs' programs now run clean. */
	run_sandbox(&r, policy, NULL, (const char *const[]){probe, "trace-seq", "extra", NULL});
	ck_assert_msg(r.status == 0, "%s", r.err);
	run_sandbox(&r, policy, NULL, (const char *const[]){probe, "open-rdwr", "/dev/null", NULL});
	ck_assert_msg(r.status == 0, "%s", r.err);
	assert_has(r.out, "open-rdwr=3");
}
END_TEST

/*
 * A merge never widens an edited policy: a rule of another shape than the
 * learner's (an allow with its own condition) and keys it does not write
 * ("network") come back as they were.
 */
START_TEST(learn_merge_keeps_edits)
{
	static const char edit[] = "\"network\": \"off\", \"rules\": [{\"syscalls\": [\"kill\"], "
				   "\"action\": \"allow\", \"args\": [{\"index\": 1, \"op\": "
				   "\"==\", \"value\": 0}]},";
	char out[300], policy[65536], edited[66000], probe[256];
	const char *at;
	const char *learn[] = {"-q", "--learn", out, NULL};
	struct run r;

	prog_path(probe, sizeof(probe), "probe");
	tmp_path(out, sizeof(out), "edited.json");
	run_sandbox(&r, NULL, learn, (const char *const[]){probe, "trace-seq", NULL});
	ck_assert_int_eq(r.status, 0);
	slurp(out, policy, sizeof(policy));
	at = strstr(policy, "\"rules\": [");
	ck_assert_ptr_nonnull(at);
	snprintf(edited, sizeof(edited), "%.*s%s%s", (int)(at - policy), policy, edit,
		 at + strlen("\"rules\": ["));
	write_file(out, edited, 0644);
	run_sandbox(&r, NULL, learn, (const char *const[]){probe, "trace-seq", NULL});
	ck_assert_int_eq(r.status, 0);
	slurp(out, policy, sizeof(policy));
	assert_has(policy, "\"network\": \"off\"");
	/* kill is still allowed only with signal 0: in exactly one rule, with its condition. */
	{
		json_t *root = json_loads(policy, 0, NULL), *rule, *name, *cond;
		size_t i, k;
		int kill_rules = 0;

		ck_assert_ptr_nonnull(root);
		json_array_foreach(json_object_get(root, "rules"), i, rule)
		{
			json_array_foreach(json_object_get(rule, "syscalls"), k, name)
			{
				if (strcmp(json_string_value(name), "kill") != 0)
					continue;
				kill_rules++;
				cond = json_array_get(json_object_get(rule, "args"), 0);
				ck_assert_msg(json_array_size(json_object_get(rule, "args")) == 1 &&
						      json_integer_value(json_object_get(
							      cond, "index")) == 1 &&
						      json_integer_value(
							      json_object_get(cond, "value")) == 0,
					      "the kill rule lost its condition:\n%s", policy);
			}
		}
		ck_assert_int_eq(kill_rules, 1);
		json_decref(root);
	}
}
END_TEST

/*
 * A call of a harmless family stands for its whole group: a policy learned
 * from a run that made getppid, sched_getaffinity, clock_getres and
 * kill(0, 0) lets a later run make getpid, gettid, sched_yield,
 * clock_nanosleep and tgkill, as a runtime does only sometimes (Go).
 */
START_TEST(learn_widens_harmless_families)
{
	char out[300], policy[65536], prog[256];
	const char *learn[] = {"-q", "--learn", out, NULL};
	struct run r;

	prog_path(prog, sizeof(prog), "sometimes");
	tmp_path(out, sizeof(out), "families.json");
	run_sandbox(&r, NULL, learn, (const char *const[]){prog, NULL});
	ck_assert_msg(r.status == 0, "learning run: %d\n%s", r.status, r.err);
	slurp(out, policy, sizeof(policy));
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "siblings", NULL});
	ck_assert_msg(r.status == 0, "a sibling call was stopped: %d\n%s\n%s", r.status, r.err,
		      policy);
	assert_has(r.out, "siblings=0\ndone\n");
	/* By the groups' names, each rule saying why. */
	assert_has(policy, "\"@identity\"");
	assert_has(policy, "\"@scheduling\"");
	assert_has(policy, "\"@time\"");
	assert_has(policy, "\"@self-signal\"");
	/* Handling signals and sending them to itself are one family: kill brings @signal. */
	assert_has(policy, "\"@signal\"");
	assert_has(policy, "Seen: sched_getaffinity; allowed: the whole @scheduling group");
	assert_lacks(policy, "\"sched_yield\"");
	/* Dangerous calls stay narrow: a socket was never made. */
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "socket", NULL});
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "killed socket(AF_INET");
}
END_TEST

/*
 * A run that opened a file read-only allows only that: opening for writing,
 * and a "read-only" open with O_CREAT (which creates the file), are killed
 * and named.
 */
START_TEST(learn_read_only_opens_stay_read_only)
{
	char out[300], policy[65536], prog[256], file[300], made[300];
	const char *learn[] = {"-q", "--learn", out, NULL};
	struct run r;

	prog_path(prog, sizeof(prog), "sometimes");
	tmp_path(out, sizeof(out), "reads.json");
	tmp_path(file, sizeof(file), "input.txt");
	tmp_path(made, sizeof(made), "made.txt");
	write_file(file, "1 2\n", 0644);
	run_sandbox(&r, NULL, learn, (const char *const[]){prog, "read", file, NULL});
	ck_assert_msg(r.status == 0, "learning run: %d\n%s", r.status, r.err);
	slurp(out, policy, sizeof(policy));
	assert_lacks(policy, "opened write-only");
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "read", file, NULL});
	ck_assert_msg(r.status == 0, "%s", r.err);
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "write", file, NULL});
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "killed openat(AT_FDCWD, \"");
	assert_has(r.err, "O_WRONLY)");
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "create", made, NULL});
	ck_assert_msg(r.status == 200, "an O_RDONLY|O_CREAT open was let run: %d\n%s", r.status,
		      r.err);
	assert_has(r.err, "O_RDONLY|O_CREAT");
	ck_assert_int_eq(access(made, F_OK), -1);
}
END_TEST

/* The rules of |policy| (a JSON text) that name |call|, their count. */
static int rules_naming(const char *policy, const char *call)
{
	json_t *root = json_loads(policy, 0, NULL), *rule, *name;
	size_t i, k;
	int n = 0;

	ck_assert_ptr_nonnull(root);
	json_array_foreach(json_object_get(root, "rules"), i, rule)
	{
		json_array_foreach(json_object_get(rule, "syscalls"), k, name)
		{
			n += strcmp(json_string_value(name), call) == 0;
		}
	}
	json_decref(root);
	return n;
}

/*
 * --learn OUT -p judge: judge holds, but for the calls it would kill; OUT
 * extends judge with just those. A second run merges in: a harmless family
 * comes without the calls judge decides itself. Under OUT the program runs,
 * and judge still kills what it never needed (a socket, a write open).
 */
START_TEST(learn_on_a_base)
{
	char out[300], policy[65536], prog[256], file[300];
	const char *learn[] = {"-q", "--learn", out, "-p", "judge", NULL};
	json_t *root;
	struct run r;

	prog_path(prog, sizeof(prog), "sometimes");
	tmp_path(out, sizeof(out), "on-judge.json");
	tmp_path(file, sizeof(file), "data.txt");
	write_file(file, "1 2\n", 0644);
	run_sandbox(&r, NULL, learn, (const char *const[]){prog, "umask", NULL});
	ck_assert_msg(r.status == 0, "learning run: %d\n%s", r.status, r.err);
	assert_has(r.out, "umask=");
	slurp(out, policy, sizeof(policy));
	root = json_loads(policy, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "extends")), "judge");
	ck_assert_ptr_null(json_object_get(root, "default"));
	ck_assert_msg(json_array_size(json_object_get(root, "rules")) == 1, "%s", policy);
	json_decref(root);
	ck_assert_int_eq(rules_naming(policy, "umask"), 1);
	/* A second run: one call judge lacks from a family judge partly decides. */
	run_sandbox(&r, NULL, learn, (const char *const[]){prog, "getparam", NULL});
	ck_assert_msg(r.status == 0, "second learning run: %d\n%s", r.status, r.err);
	slurp(out, policy, sizeof(policy));
	assert_has(policy, "\"extends\": \"judge\"");
	ck_assert_int_eq(rules_naming(policy, "umask"), 1);
	ck_assert_int_eq(rules_naming(policy, "sched_getparam"), 1);
	ck_assert_int_eq(rules_naming(policy, "sched_yield"), 0);
	ck_assert_int_eq(rules_naming(policy, "@scheduling"), 0);
	assert_has(policy, "which judge decides itself");
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "umask", "getparam", NULL});
	ck_assert_msg(r.status == 0, "under the learned policy: %d\n%s\n%s", r.status, r.err,
		      policy);
	assert_has(r.out, "done");
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "umask", "socket", NULL});
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "killed socket(AF_INET");
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "umask", "write", file, NULL});
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "O_WRONLY)");
}
END_TEST

/* The last rule of |root| naming |call|, or NULL. */
static json_t *rule_naming(json_t *root, const char *call)
{
	json_t *rule, *name, *found = NULL;
	size_t i, k;

	json_array_foreach(json_object_get(root, "rules"), i, rule)
	{
		json_array_foreach(json_object_get(rule, "syscalls"), k, name)
		{
			if (strcmp(json_string_value(name), call) == 0)
				found = rule;
		}
	}
	return found;
}

/*
 * Fails unless |policy| has exactly one rule naming |call| and it refuses
 * with EACCES, saying judge forbids the call. Returns its condition's
 * "value", or NULL without one.
 */
static const char *assert_refused(const char *policy, const char *call, char *value, size_t size)
{
	json_t *root = json_loads(policy, 0, NULL), *rule, *cond;

	ck_assert_ptr_nonnull(root);
	ck_assert_msg(rules_naming(policy, call) == 1, "%s: not one rule\n%s", call, policy);
	rule = rule_naming(root, call);
	ck_assert_msg(strcmp(json_string_value(json_object_get(rule, "action")), "errno") == 0,
		      "%s is not refused\n%s", call, policy);
	ck_assert_str_eq(json_string_value(json_object_get(rule, "errno")), "EACCES");
	assert_has(json_string_value(json_object_get(rule, "comment")), "judge forbids it");
	cond = json_array_get(json_object_get(rule, "args"), 0);
	snprintf(value, size, "%s",
		 cond ? json_string_value(json_object_get(cond, "value")) : "(none)");
	json_decref(root);
	return value;
}

/*
 * --learn OUT -p judge on a program that does what a JVM does for its
 * hsperfdata (mkdir, unlink, an O_RDWR|O_CREAT open, an AF_UNIX connect):
 * each is proposed as a refusal (errno EACCES), kept narrow, and the call
 * judge lacks that is harmless (umask) as an allow. Under OUT the program
 * gets the errors and runs to its end; a second learning run merges in
 * without turning a refusal into an allow or writing it twice.
 */
START_TEST(learn_refuses_dangerous_calls_on_a_base)
{
	char out[300], policy[65536], prog[256];
	const char *learn[] = {"-q", "--learn", out, "-p", "judge", NULL};
	const char *const args[] = {prog,      "umask",
				    "mkdir",   "/tmp/sbx-learn-d",
				    "unlink",  "/tmp/sbx-learn-f",
				    "rdwr",    "/tmp/sbx-learn-g",
				    "connect", "/tmp/sbx-learn-s",
				    NULL};
	const char *const refused[] = {"mkdir", "unlink", "connect", "socket"};
	char value[32];
	json_t *root;
	struct run r;

	prog_path(prog, sizeof(prog), "sometimes");
	tmp_path(out, sizeof(out), "refusals.json");
	for (int pass = 0; pass < 2; pass++) {
		run_sandbox(&r, NULL, learn, args);
		ck_assert_msg(r.status == 0, "learning run %d: %d\n%s", pass, r.status, r.err);
		assert_has(r.out, "mkdir=0\n");
		slurp(out, policy, sizeof(policy));
		for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
			assert_refused(policy, refused[i], value, sizeof(value));
		/* The write open: refused for exactly the flags seen, O_RDWR|O_CREAT. */
		ck_assert_str_eq(assert_refused(policy, "openat", value, sizeof(value)), "0x42");
		root = json_loads(policy, 0, NULL);
		ck_assert_int_eq(rules_naming(policy, "umask"), 1);
		ck_assert_str_eq(
			json_string_value(json_object_get(rule_naming(root, "umask"), "action")),
			"allow");
		json_decref(root);
	}
	run_sandbox(&r, policy, NULL, args);
	ck_assert_msg(r.status == 0, "under the learned policy: %d\n%s\n%s", r.status, r.err,
		      policy);
	assert_has(r.out, "umask=18\n");
	assert_has(r.out, "mkdir=-1 errno=EACCES\n");
	assert_has(r.out, "unlink=-1 errno=EACCES\n");
	assert_has(r.out, "rdwr=-1 errno=EACCES\n");
	assert_has(r.out, "connect=-1 errno=EACCES\n");
	assert_has(r.out, "done\n");
	assert_lacks(r.err, "killed");
}
END_TEST

/*
 * A harmless family is never widened over a rule the user put in the file:
 * with "tgkill fails with EPERM" added, a merge writes @self-signal without
 * tgkill, the policy still loads, and tgkill still fails.
 */
START_TEST(learn_never_widens_over_an_edit)
{
	static const char edit[] = "\"rules\": [{\"syscalls\": [\"tgkill\"], \"action\": "
				   "\"errno\", \"errno\": \"EPERM\"},";
	char out[300], policy[65536], edited[66000], prog[256];
	const char *learn[] = {"-q", "--learn", out, NULL};
	const char *at;
	struct run r;

	prog_path(prog, sizeof(prog), "sometimes");
	tmp_path(out, sizeof(out), "edited-families.json");
	run_sandbox(&r, NULL, learn, (const char *const[]){prog, NULL});
	ck_assert_int_eq(r.status, 0);
	slurp(out, policy, sizeof(policy));
	at = strstr(policy, "\"rules\": [");
	ck_assert_ptr_nonnull(at);
	snprintf(edited, sizeof(edited), "%.*s%s%s", (int)(at - policy), policy, edit,
		 at + strlen("\"rules\": ["));
	write_file(out, edited, 0644);
	run_sandbox(&r, NULL, learn, (const char *const[]){prog, NULL});
	ck_assert_int_eq(r.status, 0);
	slurp(out, policy, sizeof(policy));
	ck_assert_int_eq(rules_naming(policy, "tgkill"), 1);
	ck_assert_int_eq(rules_naming(policy, "@self-signal"), 0);
	ck_assert_int_eq(rules_naming(policy, "tkill"), 1);
	assert_has(policy, "but not tgkill, which a rule read back from the file decides");
	run_sandbox(&r, policy, NULL, (const char *const[]){prog, "siblings", NULL});
	ck_assert_msg(r.status == 0, "%d\n%s\n%s", r.status, r.err, policy);
	assert_has(r.out, "siblings=-1 errno=EPERM\n");
}
END_TEST

/* --- --attach ---------------------------------------------------------------------- */

/*
 * Start the probe, not sandboxed, with its subcommand; returns its pid once
 * it is the probe (/proc/PID/exe): before its exec it is a copy of this
 * test, whose own calls (the harness's opens of its streams) an attach
 * would see and judge as the probe's.
 */
static pid_t start_helper(const char *const *args)
{
	char probe[256], real[PATH_MAX], path[64], exe[PATH_MAX];
	char *argv[8];
	int n = 0;
	bool exec_done = false;
	pid_t pid;

	prog_path(probe, sizeof(probe), "probe");
	ck_assert_ptr_nonnull(realpath(probe, real));
	argv[n++] = probe;
	while (*args && n < 7)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	pid = start(argv, NULL, NULL);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	for (int i = 0; i < 10000 && !exec_done; i++) {
		ssize_t len = readlink(path, exe, sizeof(exe) - 1);

		exec_done = len > 0 && (exe[len] = '\0', strcmp(exe, real) == 0);
		if (!exec_done)
			sleep_ms(1);
	}
	ck_assert_msg(exec_done, "the helper %d never became %s", (int)pid, real);
	return pid;
}

/* "State" and "TracerPid" of a live process. */
static void proc_state(pid_t pid, char *state, int *tracer)
{
	char path[64], buf[4096];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	slurp(path, buf, sizeof(buf));
	p = strstr(buf, "\nState:\t");
	*state = p ? p[8] : '?';
	p = strstr(buf, "\nTracerPid:\t");
	*tracer = p ? atoi(p + 12) : -1;
}

/* Wait until |pid| is traced (the sandbox attached to it), 10 s at most. */
static void wait_traced(pid_t pid)
{
	char state;
	int tracer = 0;

	for (int i = 0; i < 1000 && tracer <= 0; i++) {
		sleep_ms(10);
		proc_state(pid, &state, &tracer);
	}
	ck_assert_int_gt(tracer, 0);
}

/*
 * Start "sandbox -p POLICY [-r REPORT] --attach PID EXTRA..." with stderr to
 * |err|; |rep| may be NULL. Returns its pid.
 */
static pid_t start_attach(const char *policy, pid_t target, const char *extra, const char *rep,
			  const char *err)
{
	static char pid[16], pol[300];
	char *argv[12];
	int n = 0;

	snprintf(pid, sizeof(pid), "%d", (int)target);
	tmp_path(pol, sizeof(pol), "attach-policy.json");
	write_file(pol, policy, 0644);
	argv[n++] = (char *)sbx_bin();
	argv[n++] = "-p";
	argv[n++] = pol;
	if (rep) {
		argv[n++] = "-r";
		argv[n++] = (char *)rep;
	}
	argv[n++] = "--attach";
	argv[n++] = pid;
	if (extra) {
		argv[n++] = "--detach-after";
		argv[n++] = (char *)extra;
	}
	argv[n] = NULL;
	return start(argv, NULL, err);
}

START_TEST(attach_logs_then_kills)
{
	const char *policy = "{\"default\": \"allow\", \"rules\": ["
			     "{\"syscalls\": [\"openat\"], \"action\": \"log\"},"
			     "{\"syscalls\": [\"mkdir\"], \"action\": \"kill\"}]}";
	static const char tick_line[] =
		"logged openat(AT_FDCWD, \"/dev/null\", O_RDONLY) by rule 0";
	char trigger[300], rep[300], err[300], text[16384];
	pid_t helper, sbx;
	int status;

	tmp_path(trigger, sizeof(trigger), "trigger");
	helper = start_helper((const char *const[]){"tick-open", "0", "mkdir-when", trigger, NULL});
	tmp_path(rep, sizeof(rep), "attach-report.json");
	tmp_path(err, sizeof(err), "attach-err");
	sbx = start_attach(policy, helper, NULL, rep, err);
	/* Its calls are logged while it ticks (wait for a tick's own line)... */
	for (int i = 0; i < 400; i++) {
		slurp(err, text, sizeof(text));
		if (strstr(text, tick_line))
			break;
		sleep_ms(50);
	}
	assert_has(text, tick_line);
	/* ... and its first forbidden one kills it. */
	write_file(trigger, "", 0644);
	status = finish(sbx);
	slurp(err, text, sizeof(text));
	ck_assert_msg(status == 200, "status %d:\n%s", status, text);
	assert_has(text, "killed mkdir(\"/nonexistent-sbx-attach/x\", 0700) by rule 1");
	/* The helper is our child: it died of the kill, before its mkdir could fail. */
	ck_assert_int_eq(waitpid(helper, &status, 0), helper);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "helper status %#x",
		      status);
	slurp(rep, text, sizeof(text));
	assert_has(text, "\"status\": \"violation\"");
}
END_TEST

START_TEST(attach_detaches_leaving_it_running)
{
	const char *policy = "{\"default\": \"allow\", \"rules\": ["
			     "{\"syscalls\": [\"openat\"], \"action\": \"log\"}]}";
	pid_t helper = start_helper((const char *const[]){"tick-open", "0", NULL});
	char rep[300], err[300], text[16384];
	char state;
	int status, tracer;

	sleep_ms(100);
	tmp_path(rep, sizeof(rep), "detach-report.json");
	tmp_path(err, sizeof(err), "detach-err");
	status = finish(start_attach(policy, helper, "0.5", rep, err));
	slurp(err, text, sizeof(text));
	ck_assert_msg(status == 0, "status %d:\n%s", status, text);
	assert_has(text, "logged openat(AT_FDCWD, \"/dev/null\", O_RDONLY) by rule 0");
	slurp(rep, text, sizeof(text));
	assert_has(text, "\"status\": \"detached\"");
	/* Still running, traced by no one, and not stopped: it ticks on. */
	ck_assert_int_eq(waitpid(helper, &status, WNOHANG), 0);
	proc_state(helper, &state, &tracer);
	ck_assert_int_eq(tracer, 0);
	ck_assert_msg(state == 'S' || state == 'R', "helper state %c", state);
	sleep_ms(200);
	ck_assert_int_eq(waitpid(helper, &status, WNOHANG), 0);
	kill(helper, SIGKILL);
	ck_assert_int_eq(waitpid(helper, &status, 0), helper);
}
END_TEST

/* A seized process repeating a refused call: ten lines, one summing up, every call counted. */
START_TEST(attach_sums_up_repeated_calls)
{
	static const char deny_getppid[] =
		"{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		"\"action\": \"errno\", \"errno\": \"EPERM\", \"log\": true}]}";
	char probe[256], script[900], trigger[300], rep[300], err[300], text[16384];
	char *sh_argv[] = {"/bin/sh", "-c", script, NULL};
	static struct run r; /* static: its buffers are large */
	pid_t helper, sbx;
	int status;

	prog_path(probe, sizeof(probe), "probe");
	tmp_path(trigger, sizeof(trigger), "sums-trigger");
	/* The probe starts once the shell is seized: every call comes under the attach. */
	snprintf(script, sizeof(script),
		 "while [ ! -e %s ]; do sleep 0.02; done; exec %s getppids 30000", trigger, probe);
	helper = start(sh_argv, NULL, NULL);
	tmp_path(rep, sizeof(rep), "sums-report.json");
	tmp_path(err, sizeof(err), "sums-err");
	sbx = start_attach(deny_getppid, helper, NULL, rep, err);
	wait_traced(helper);
	write_file(trigger, "", 0644);
	status = finish(sbx);
	slurp(err, text, sizeof(text));
	ck_assert_msg(status == 0, "status %d:\n%s", status, text);
	ck_assert_int_eq(waitpid(helper, &status, 0), helper);
	ck_assert_int_eq(lines_with(text, "denied getppid() = -1 EPERM by rule 0\n"), 10);
	assert_has(text, "sandbox: getppid denied by rule 0: ");
	assert_has(text, " calls, 10 shown (");
	/* The probe's 30,000, and the shell's own getppid calls if it made any while seized. */
	slurp(rep, r.report, sizeof(r.report));
	ck_assert_int_ge(report_int(&r, "calls.count"), 30000);
	ck_assert_int_le(report_int(&r, "calls.count"), 30010);
	ck_assert_int_eq(report_int(&r, "log_lines_not_shown"), report_int(&r, "calls.count") - 10);
}
END_TEST

/*
 * --trace under --attach: a call the policy denies is cancelled at its entry
 * stop and returns the policy's errno (set at its exit stop); a call let
 * run has its line at the exit stop, with its result.
 */
START_TEST(attach_traces_calls_with_their_results)
{
	static const char deny_getppid[] =
		"{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		"\"action\": \"errno\", \"errno\": \"EPERM\"}]}";
	char probe[256], script[1200], trigger[300], out[300], err[300], pol[300], pid[16];
	char text[16384], line[700];
	char *sh_argv[] = {"/bin/sh", "-c", script, NULL};
	char *argv[] = {(char *)sbx_bin(), "-p", pol, "--trace=getppid,openat",
			"--attach",	   pid,	 NULL};
	pid_t helper, sbx;
	int status;

	prog_path(probe, sizeof(probe), "probe");
	tmp_path(trigger, sizeof(trigger), "trace-attach-trigger");
	tmp_path(out, sizeof(out), "trace-attach-out");
	tmp_path(err, sizeof(err), "trace-attach-err");
	tmp_path(pol, sizeof(pol), "trace-attach-policy.json");
	write_file(pol, deny_getppid, 0644);
	snprintf(script, sizeof(script),
		 "while [ ! -e %s ]; do sleep 0.02; done; exec %s getppid > %s", trigger, probe,
		 out);
	helper = start(sh_argv, NULL, NULL);
	snprintf(pid, sizeof(pid), "%d", (int)helper);
	sbx = start(argv, NULL, err);
	wait_traced(helper);
	write_file(trigger, "", 0644);
	status = finish(sbx);
	slurp(err, text, sizeof(text));
	ck_assert_msg(status == 0, "status %d:\n%s", status, text);
	ck_assert_int_eq(waitpid(helper, &status, 0), helper);
	line_of(text, "getppid()", line, sizeof(line));
	assert_has(line, "getppid() = -1 EPERM (Operation not permitted) [denied by rule 0]");
	/* The shell's open of the output file: allowed, its descriptor at the exit stop. */
	line_of(text, "trace-attach-out", line, sizeof(line));
	assert_has(line, "[allowed by the default action]");
	assert_lacks(line, "= ?");
	assert_lacks(line, "= -1");
	slurp(out, text, sizeof(text));
	assert_has(text, "getppid=-1\n");
}
END_TEST

/* Children the seized process creates after the attach are followed. */
START_TEST(attach_follows_new_children)
{
	const char *policy = "{\"default\": \"allow\", \"rules\": ["
			     "{\"syscalls\": [\"openat\"], \"action\": \"log\"}]}";
	char *sh_argv[] = {"/bin/sh", "-c", "while :; do cat /dev/null; sleep 0.05; done", NULL};
	char err[300], text[16384], want[64];
	pid_t shell;
	int status, others = 0;

	shell = start(sh_argv, NULL, NULL);
	sleep_ms(100);
	tmp_path(err, sizeof(err), "children-err");
	status = finish(start_attach(policy, shell, "0.8", NULL, err));
	slurp(err, text, sizeof(text));
	ck_assert_msg(status == 0, "status %d:\n%s", status, text);
	/* cat's open of /dev/null, made by processes the shell forked after the attach. */
	assert_has(text, "logged openat(AT_FDCWD, \"/dev/null\", O_RDONLY) by rule 0");
	snprintf(want, sizeof(want), "[pid %d]", (int)shell);
	for (const char *p = strstr(text, "[pid "); p; p = strstr(p + 1, "[pid "))
		others += strncmp(p, want, strlen(want)) != 0;
	ck_assert_msg(others > 0, "no line of a child:\n%s", text);
	/* The shell runs on, untraced. */
	ck_assert_int_eq(waitpid(shell, &status, WNOHANG), 0);
	/* Stop it: first its current child (a cat or a sleep), then itself. */
	kill(shell, SIGSTOP);
	snprintf(want, sizeof(want), "/proc/%d/task/%d/children", (int)shell, (int)shell);
	slurp(want, text, sizeof(text));
	for (char *p = text; *p;) {
		long child = strtol(p, &p, 10);

		if (child <= 0)
			break;
		kill((pid_t)child, SIGKILL);
	}
	kill(shell, SIGKILL);
	ck_assert_int_eq(waitpid(shell, &status, 0), shell);
}
END_TEST

START_TEST(attach_bad_pid_is_an_error)
{
	char *argv[] = {(char *)sbx_bin(), "--attach", "999999999", NULL};
	char err[300], text[4096];
	int status;

	tmp_path(err, sizeof(err), "badpid-err");
	status = finish(start(argv, NULL, err));
	slurp(err, text, sizeof(text));
	ck_assert_int_eq(status, 125);
	assert_has(text, "cannot attach to pid 999999999: No such process");
}
END_TEST

/* --- -o (--trace-output) and -c (--summary), as strace's ---------------------------- */

/* The --trace lines go to -o's file, none to stderr; -o alone traces every call. */
START_TEST(trace_output_gets_the_lines)
{
	char file[300], opt[320], text[16384];
	const char *opts[] = {"--trace=mkdir", opt, NULL};
	const char *alone[] = {opt, NULL};
	struct run r;

	tmp_path(file, sizeof(file), "trace.txt");
	write_file(file, "old contents that must go\n", 0644);
	snprintf(opt, sizeof(opt), "--trace-output=%s", file);
	RUN_PROBE_OPTS(&r, mkdir_denied, opts, "trace-seq");
	ck_assert_int_eq(r.status, 0);
	slurp(file, text, sizeof(text));
	assert_has(text, "mkdir(\"/nonexistent-sbx-trace/x\", 0700) = -1 EPERM (Operation not "
			 "permitted) [denied by rule 0]\n");
	assert_lacks(text, "old contents");
	assert_lacks(r.err, "mkdir(");
	/* -o FILE alone: every call, as strace -o. */
	snprintf(opt, sizeof(opt), "-o%s", file);
	RUN_PROBE_OPTS(&r, mkdir_denied, alone, "trace-seq");
	ck_assert_int_eq(r.status, 0);
	slurp(file, text, sizeof(text));
	assert_has(text, "openat(AT_FDCWD, \"/nonexistent-sbx-trace\", O_RDONLY) = -1 ENOENT");
	assert_has(text, "mkdir(\"/nonexistent-sbx-trace/x\", 0700) = -1 EPERM");
	assert_has(text, "exit_group(0) = ?");
	assert_lacks(r.err, "openat(");
	assert_lacks(r.err, "exit_group(");
}
END_TEST

/* -o through a FIFO: the lines reach its reader, and the FIFO stays a FIFO. */
START_TEST(trace_output_through_a_fifo)
{
	char fifo[300], got[300], text[16384];
	const char *opts[] = {"-o", fifo, "--trace=mkdir", NULL};
	struct stat st;
	struct run r;
	pid_t reader;
	int fd;

	tmp_path(fifo, sizeof(fifo), "trace.fifo");
	tmp_path(got, sizeof(got), "trace.got");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	reader = start((char *const[]){"/bin/cat", fifo, NULL}, got, NULL);
	RUN_PROBE_OPTS(&r, mkdir_denied, opts, "trace-seq");
	/* A sandbox that never opened it must not leave the reader waiting. */
	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	ck_assert_int_eq(finish(reader), 0);
	ck_assert_int_eq(r.status, 0);
	slurp(got, text, sizeof(text));
	assert_has(text, "mkdir(\"/nonexistent-sbx-trace/x\", 0700) = -1 EPERM");
	assert_lacks(r.err, "mkdir(");
	ck_assert_int_eq(lstat(fifo, &st), 0);
	ck_assert_msg(S_ISFIFO(st.st_mode), "the FIFO was replaced");
}
END_TEST

/* The columns of a --summary row, as docs/sandbox.1 gives them. */
enum { COL_CALLS, COL_ERRORS, COL_ALLOWED, COL_LOGGED, COL_DENIED, COL_FAKED, COL_KILLED };

/* |syscall|'s row of the table in |hay|: each count column, blank as 0. */
static void summary_row(const char *hay, const char *syscall, unsigned long long ret[7])
{
	/* Where each count ends: "%6.2f %11.6f %11llu %9llu %9llu" then 5 x " %8llu". */
	static const int ends[7] = {40, 50, 59, 68, 77, 86, 95};
	char needle[80], line[400];

	snprintf(needle, sizeof(needle), " %s\n", syscall);
	ck_assert_msg(strstr(hay, needle), "no row for %s in:\n%s", syscall, hay);
	line_of(hay, needle + 1, line, sizeof(line)); /* the row, not a --trace line */
	ck_assert_msg(strlen(line) > 96 && strcmp(line + 96, syscall) == 0, "not a row: %s", line);
	for (int i = 0; i < 7; i++) {
		char cell[16];
		int width = i == 0 || i == 1 ? 9 : 8;

		memcpy(cell, line + ends[i] - width, (size_t)width);
		cell[width] = '\0';
		ret[i] = strtoull(cell, NULL, 10);
	}
}

/* The report's "summary" entry |key| of |syscall| (x86_64); -1 when there is none. */
static long long report_summary(const struct run *r, const char *syscall, const char *key)
{
	json_t *root = json_loads(r->report, 0, NULL), *rows, *row;
	long long v = -1;
	size_t i;

	ck_assert_msg(root, "no report: %s", r->report);
	rows = json_object_get(root, "summary");
	json_array_foreach(rows, i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "syscall")), syscall) == 0 &&
		    strcmp(json_string_value(json_object_get(row, "arch")), "x86_64") == 0)
			v = json_integer_value(json_object_get(row, key));
	}
	json_decref(root);
	return v;
}

/* -c: calls, errors and the policy's doings per syscall, no per-call lines. */
START_TEST(summary_counts_calls_errors_and_decisions)
{
	static const char uname_denied[] =
		"{\"default\": \"allow\", \"rules\": ["
		"{\"syscalls\": [\"uname\"], \"action\": \"errno\", \"errno\": \"EACCES\"}]}";
	const char *opts[] = {"-c", NULL};
	unsigned long long row[7];
	struct run r;

	RUN_PROBE_OPTS(&r, "{\"default\": \"allow\"}", opts, "getppids", "7");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.err, "sandbox: the calls that stopped in the supervisor (--summary)\n");
	assert_has(r.err, "% time     seconds  usecs/call     calls    errors  allowed   logged"
			  "   denied    faked   killed syscall\n");
	summary_row(r.err, "getppid", row);
	ck_assert_uint_eq(row[COL_CALLS], 7);
	ck_assert_uint_eq(row[COL_ERRORS], 0);
	ck_assert_uint_eq(row[COL_ALLOWED], 7);
	assert_lacks(r.err, "getppid()"); /* no line per call */
	ck_assert_int_eq(report_summary(&r, "getppid", "calls"), 7);
	ck_assert_int_eq(report_summary(&r, "getppid", "allowed"), 7);
	ck_assert_int_eq(report_summary(&r, "getppid", "timed"), 7);
	/* An error at the exit (mkdir: ENOENT, close: EBADF), a call denied in the kernel's place.
	 */
	RUN_PROBE_OPTS(&r, uname_denied, opts, "trace-seq", "extra");
	ck_assert_int_eq(r.status, 0);
	summary_row(r.err, "mkdir", row);
	ck_assert_uint_eq(row[COL_CALLS], 1);
	ck_assert_uint_eq(row[COL_ERRORS], 1);
	summary_row(r.err, "close", row);
	ck_assert_uint_ge(row[COL_CALLS], 2);
	ck_assert_uint_eq(row[COL_ERRORS], 1);
	summary_row(r.err, "uname", row);
	ck_assert_uint_eq(row[COL_CALLS], 1);
	ck_assert_uint_eq(row[COL_ERRORS], 1);
	ck_assert_uint_eq(row[COL_DENIED], 1);
	ck_assert_uint_eq(row[COL_ALLOWED], 0);
	summary_row(r.err, "total", row);
	ck_assert_uint_ge(row[COL_DENIED], 1);
	ck_assert_uint_ge(row[COL_ERRORS], 3);
	assert_lacks(r.err, "uname(");
	ck_assert_int_eq(report_summary(&r, "uname", "denied"), 1);
	ck_assert_int_eq(report_summary(&r, "uname", "errors"), 1);
	ck_assert_int_eq(report_summary(&r, "mkdir", "errors"), 1);
	/* The control: without -c, no table and a null summary. */
	RUN_PROBE(&r, uname_denied, "trace-seq", "extra");
	ck_assert_int_eq(r.status, 0);
	assert_lacks(r.err, "--summary");
	ck_assert_msg(strstr(r.report, "\"summary\": null"), "summary not null: %s", r.report);
}
END_TEST

/* -c with --trace: the traced calls' lines and their table; -o gets both. */
START_TEST(summary_with_trace_and_output)
{
	char file[300], text[16384];
	const char *opts[] = {"-c", "--trace=getppid", "-o", file, NULL};
	unsigned long long row[7];
	struct run r;

	tmp_path(file, sizeof(file), "summary.txt");
	RUN_PROBE_OPTS(&r, "{\"default\": \"allow\"}", opts, "getppids", "5");
	ck_assert_int_eq(r.status, 0);
	slurp(file, text, sizeof(text));
	assert_has(text, "getppid() = ");
	summary_row(text, "getppid", row);
	ck_assert_uint_eq(row[COL_CALLS], 5);
	assert_lacks(r.err, "--summary");
	assert_lacks(r.err, "getppid");
}
END_TEST

static Suite *observe_suite(void)
{
	Suite *s = suite_create("observe");
	TCase *tc = tcase_create("observe");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, trace_lists_calls_in_order);
	tcase_add_test(tc, trace_unknown_name_is_an_error);
	tcase_add_test(tc, trace_all_follows_children);
	tcase_add_test(tc, trace_non_leader_exec);
	tcase_add_test(tc, log_lines_are_json_with_fields);
	tcase_add_test(tc, log_records_limits_and_violations);
	tcase_add_test(tc, repeated_calls_are_summed_up);
	tcase_add_test(tc, distinct_calls_of_a_kind_are_bounded);
	tcase_add_test(tc, kinds_past_the_table_still_show);
	tcase_add_test(tc, log_limit_holds_all_but_the_verdict);
	tcase_add_test(tc, learn_c_helper);
	tcase_add_test(tc, learn_shell_pipeline);
	tcase_add_test(tc, learn_python);
	tcase_add_test(tc, learn_keeps_argument_patterns);
	tcase_add_test(tc, learn_merges_runs);
	tcase_add_test(tc, learn_merge_keeps_edits);
	tcase_add_test(tc, learn_widens_harmless_families);
	tcase_add_test(tc, learn_read_only_opens_stay_read_only);
	tcase_add_test(tc, learn_on_a_base);
	tcase_add_test(tc, learn_refuses_dangerous_calls_on_a_base);
	tcase_add_test(tc, learn_never_widens_over_an_edit);
	tcase_add_test(tc, attach_logs_then_kills);
	tcase_add_test(tc, attach_detaches_leaving_it_running);
	tcase_add_test(tc, attach_follows_new_children);
	tcase_add_test(tc, attach_sums_up_repeated_calls);
	tcase_add_test(tc, attach_traces_calls_with_their_results);
	tcase_add_test(tc, attach_bad_pid_is_an_error);
	suite_add_tcase(s, tc);
	tc = tcase_create("strace");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, trace_output_gets_the_lines);
	tcase_add_test(tc, trace_output_through_a_fifo);
	tcase_add_test(tc, summary_counts_calls_errors_and_decisions);
	tcase_add_test(tc, summary_with_trace_and_output);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return harness_main(observe_suite());
}
