/* SPDX-License-Identifier: MIT */
/*
 * Integration tests: the real sandbox binary ($SBX_BIN) on the probe helper
 * ($SBX_PROGS/probe). Each test looks at what the program saw (its stdout),
 * what the user saw (stderr lines), the exit status and the JSON report.
 * Wherever a defence is tested, the same attack is first run bare to show it
 * would succeed without the sandbox.
 */
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROBE_PATH(buf, size) prog_path(buf, size, "probe")

static const char allow_all[] = "{\"default\": \"allow\"}";

/* --- each action -------------------------------------------------------- */

START_TEST(action_allow)
{
	struct run r;

	RUN_PROBE(&r, allow_all, "write", "1", "hello");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "hello");
	assert_has(r.out, "write=5 errno=0");
	ck_assert_str_eq(r.err, "");
	assert_has(r.report, "\"status\": \"exited\"");
	assert_has(r.report, "\"exit_code\": 0");
}
END_TEST

START_TEST(action_errno)
{
	char dir[300], policy[512];
	struct run r;

	tmp_path(dir, sizeof(dir), "d");
	snprintf(policy, sizeof(policy),
		 "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"mkdir\"], "
		 "\"action\": \"errno\", \"errno\": \"EROFS\"}]}");
	RUN_PROBE(&r, policy, "mkdir", dir);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "mkdir=-1 errno=EROFS");
	ck_assert_int_eq(access(dir, F_OK), -1);
	/* Unlogged errno is decided in the kernel: nothing is printed. */
	ck_assert_str_eq(r.err, "");

	/* By number, the default when no errno is given (EPERM), and logged. */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"mkdir\"], "
		  "\"action\": \"errno\", \"errno\": 13}]}",
		  "mkdir", dir);
	assert_has(r.out, "mkdir=-1 errno=EACCES");
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"mkdir\"], "
		  "\"action\": \"errno\", \"log\": true}]}",
		  "mkdir", dir);
	assert_has(r.out, "mkdir=-1 errno=EPERM");
	snprintf(policy, sizeof(policy), "] denied mkdir(\"%s\", 0700) = -1 EPERM by rule 0\n",
		 dir);
	assert_has(r.err, policy);
	ck_assert_int_eq(access(dir, F_OK), -1);
}
END_TEST

START_TEST(action_log)
{
	char expect[64];
	struct run r;

	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		  "\"action\": \"log\"}]}",
		  "getppid");
	ck_assert_int_eq(r.status, 0);
	/* The call ran: the probe's parent is the sandbox's init, PID 1 of its namespace. */
	snprintf(expect, sizeof(expect), "getppid=%d\n", 1);
	assert_has(r.out, expect);
	assert_has(r.err, "] logged getppid() by rule 0\n");
}
END_TEST

START_TEST(action_kill)
{
	char dir[300], expect[512];
	struct run r;

	tmp_path(dir, sizeof(dir), "killed-dir");
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"rmdir\"], \"action\": "
		  "\"log\"}, {\"syscalls\": [\"mkdir\", \"mkdirat\"], \"action\": \"kill\"}]}",
		  "mkdir", dir);
	ck_assert_int_eq(r.status, 200);
	snprintf(expect, sizeof(expect), "] killed mkdir(\"%s\", 0700) by rule 1\n", dir);
	assert_has(r.err, expect);
	assert_lacks(r.out, "mkdir=");
	ck_assert_int_eq(access(dir, F_OK), -1);
	assert_has(r.report, "\"status\": \"violation\"");
	assert_has(r.report, "\"syscall\": \"mkdir\"");
	assert_has(r.report, "\"arch\": \"x86_64\"");
	assert_has(r.report, "\"rule\": 1");
	assert_has(r.report, "\"nr\": 83");
}
END_TEST

START_TEST(action_return)
{
	struct run r;

	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		  "\"action\": \"return\", \"value\": 4242}]}",
		  "getppid");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "getppid=4242\n");
	assert_has(r.err, "] faked getppid() = 4242 by rule 0\n");
}
END_TEST

/* --- the seeds' example: write only to fd 1 ------------------------------ */

static const char write_fd1_only[] = "{\"default\": \"allow\", \"rules\": ["
				     " {\"syscalls\": [\"write\"], \"action\": \"allow\","
				     "  \"args\": [{\"index\": 0, \"op\": \"==\", \"value\": 1}]},"
				     " {\"syscalls\": [\"write\"], \"action\": \"kill\"}]}";

START_TEST(write_only_fd1)
{
	struct run r;

	RUN_PROBE(&r, write_fd1_only, "write", "1", "fine");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "finewrite=4 errno=0");

	RUN_PROBE(&r, write_fd1_only, "write", "2", "oops");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed write(2, \"oops\", 4) by rule 1\n");
	assert_has(r.report, "\"syscall\": \"write\"");
	assert_has(r.report, "\"0x2\"");
}
END_TEST

/* The upper half of an int register means nothing to the kernel (CVE-2019-7303). */
START_TEST(int_argument_high_bits)
{
	char probe[256];
	const char *bare_args[] = {probe, "raw-write", "0x100000002", "leaked", NULL};
	struct run r;

	PROBE_PATH(probe, sizeof(probe));
	run_bare(&r, bare_args);
	ck_assert_str_eq(r.err, "leaked"); /* fd 0x100000002 is fd 2 */
	assert_has(r.out, "raw-write=6 errno=0");

	RUN_PROBE(&r, write_fd1_only, "raw-write", "0x100000002", "leaked");
	ck_assert_int_eq(r.status, 200);
	assert_lacks(r.out, "raw-write=");
	ck_assert_ptr_eq(strstr(r.err, "leaked"),
			 strstr(r.err, "\"leaked\"") + 1); /* only quoted */
	assert_has(r.err, "] killed write(2, \"leaked\", 6) by rule 1\n");
	RUN_PROBE(
		&r,
		"{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"write\"], "
		"\"action\": \"kill\", \"args\": [{\"index\": 0, \"op\": \"==\", \"value\": 2}]}]}",
		"raw-write", "0x100000002", "leaked");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed write(2, \"leaked\", 6) by rule 0\n");
	/* and fd 1 with garbage above it is still fd 1, allowed */
	RUN_PROBE(&r, write_fd1_only, "raw-write", "0xffffffff00000001", "fine");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "fine");
}
END_TEST

/*
 * The sibling arguments of the one above: each is declared 32 bits (or 16,
 * umode_t) in the kernel, or declared 64 but passed on as 32 (writev's fd
 * and count, ptrace's pid), and was once compared on more bits. A rule
 * on the low value must catch the call with garbage above it, because the
 * kernel reads exactly the low value. The bare runs show that the kernel
 * gives the same answer with and without the high bits.
 */
static const struct {
	const char *call;
	unsigned int index;
	unsigned long long value; /* what the rule names: the kernel's reading */
	const char *args[6];	  /* the registers, args[index] = value */
	const char *high;	  /* args[index] with bits the kernel does not read */
} narrowed[] = {
	{"setns",
	 1,
	 0x4000000 /* CLONE_NEWUTS */,
	 {"@/proc/self/ns/uts", "0x4000000"},
	 "0x104000000"},
	{"sched_setaffinity", 1, 8, {"0", "8", "buf"}, "0x100000008"},
	{"sched_getaffinity", 1, 8, {"0", "8", "buf"}, "0x100000008"},
	{"readlink", 2, 64, {"str:/proc/self/exe", "buf", "64"}, "0x100000040"},
	{"readlinkat", 3, 64, {"-100", "str:/proc/self/exe", "buf", "64"}, "0x100000040"},
	{"futex", 5, 1, {"buf", "10" /* FUTEX_WAKE_BITSET */, "1", "0", "0", "1"}, "0x100000001"},
	{"chmod", 1, 0644, {"str:FILE", "0644"}, "0x101a4" /* 0644 + 1 << 16 */},
	/* declared unsigned long and long, passed on as unsigned int and pid_t */
	{"writev", 0, 1, {"1", "iov:leaked", "1"}, "0x100000001"},
	{"writev", 2, 1, {"1", "iov:leaked", "1"}, "0x100000001"},
	{"ptrace", 1, 1, {"3" /* PTRACE_PEEKUSER */, "1", "0", "0"}, "0x100000001"},
};

static void raw_args(const char **argv, const char *probe, size_t i, const char *file, bool high)
{
	size_t n = 0;

	argv[n++] = probe;
	argv[n++] = "raw";
	argv[n++] = narrowed[i].call;
	for (size_t a = 0; a < 6 && narrowed[i].args[a]; a++) {
		const char *v =
			a == narrowed[i].index && high ? narrowed[i].high : narrowed[i].args[a];

		argv[n++] = strcmp(v, "str:FILE") == 0 ? file : v;
	}
	argv[n] = NULL;
}

START_TEST(argument_width_from_the_kernel)
{
	char probe[256], file[300], filearg[310], policy[512],
		bare_low[sizeof(((struct run *)0)->out)];
	const char *argv[10];
	struct run r;
	int fd;

	PROBE_PATH(probe, sizeof(probe));
	tmp_path(file, sizeof(file), "narrowed");
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(filearg, sizeof(filearg), "str:%s", file);

	raw_args(argv, probe, (size_t)_i, filearg, false);
	run_bare(&r, argv);
	assert_has(r.out, "raw=");
	snprintf(bare_low, sizeof(bare_low), "%s", r.out);
	raw_args(argv, probe, (size_t)_i, filearg, true);
	run_bare(&r, argv);
	ck_assert_str_eq(r.out, bare_low); /* the kernel ignores the high bits */

	snprintf(policy, sizeof(policy),
		 "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"%s\"], \"action\": "
		 "\"kill\", \"args\": [{\"index\": %u, \"op\": \"==\", \"value\": %llu}]}]}",
		 narrowed[_i].call, narrowed[_i].index, narrowed[_i].value);
	run_sandbox(&r, policy, NULL, argv);
	ck_assert_msg(r.status == 200, "%s with %s: status %d, not killed:\n%s%s",
		      narrowed[_i].call, narrowed[_i].high, r.status, r.out, r.err);
	assert_lacks(r.out, "raw=");
	assert_has(r.err, "] killed ");

	/* and the rule is about that value only: another one runs */
	snprintf(policy, sizeof(policy),
		 "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"%s\"], \"action\": "
		 "\"kill\", \"args\": [{\"index\": %u, \"op\": \"==\", \"value\": %llu}]}]}",
		 narrowed[_i].call, narrowed[_i].index, narrowed[_i].value + 2);
	run_sandbox(&r, policy, NULL, argv);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "raw=");
}
END_TEST

/* --- processes and threads ------------------------------------------------ */

START_TEST(grandchild_thread_violation)
{
	char dir[300], expect[512];
	const char *p;
	struct run r;
	int main_pid;

	tmp_path(dir, sizeof(dir), "thread-dir");
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"mkdir\"], "
		  "\"action\": \"kill\"}]}",
		  "deep-thread-mkdir", dir);
	ck_assert_int_eq(r.status, 200);
	snprintf(expect, sizeof(expect), "] killed mkdir(\"%s\", 0700) by rule 0\n", dir);
	assert_has(r.err, expect);
	assert_lacks(r.out, "thread-mkdir=");
	assert_lacks(r.out, "parent-done");
	ck_assert_int_eq(access(dir, F_OK), -1);
	/* The call was made by another task than the initial process. */
	p = strstr(r.out, "main=");
	ck_assert_ptr_nonnull(p);
	main_pid = atoi(p + 5);
	p = strstr(r.report, "\"pid\": ");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_gt(atoi(p + 7), 0);
	ck_assert_int_ne(atoi(p + 7), main_pid);
}
END_TEST

/* --- the initial exec ----------------------------------------------------- */

static const char kill_exec[] =
	"{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"execve\", \"execveat\"], "
	"\"action\": \"kill\"}]}";

START_TEST(initial_exec_passes)
{
	struct run r;

	RUN_PROBE(&r, kill_exec, "exit", "0");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");

	RUN_PROBE(&r, kill_exec, "exec", "/bin/true");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed execve(\"/bin/true\", [\"/bin/true\"], ");
	assert_lacks(r.out, "exec=");
}
END_TEST

/* --- signals ---------------------------------------------------------------- */

/* Start the probe's "sigterm" mode and return once it printed "ready PID". */
static pid_t start_sigterm_probe(char *out, size_t size, pid_t *ret_probe)
{
	char probe[256], err[300];
	char *argv[] = {(char *)sbx_bin(), "-p", NULL, "--", probe, "sigterm", NULL};
	char pol[300], text[256];
	pid_t sbx;

	PROBE_PATH(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "policy.json");
	write_file(pol, allow_all, 0644);
	argv[2] = pol;
	tmp_path(out, size, "out");
	tmp_path(err, sizeof(err), "err");
	sbx = start(argv, out, err);
	*ret_probe = 0;
	for (int i = 0; i < 1000 && !*ret_probe; i++) {
		sleep_ms(10);
		slurp(out, text, sizeof(text));
		if (strncmp(text, "ready ", 6) == 0)
			*ret_probe = atoi(text + 6);
	}
	ck_assert_int_gt(*ret_probe, 0);
	/* It printed its pid in its own namespace; ours is another number. */
	*ret_probe = sandbox_host_pid(sbx, *ret_probe);
	ck_assert_int_gt(*ret_probe, 1);
	return sbx;
}

START_TEST(sigterm_reaches_handler)
{
	char out[300], text[256];
	pid_t sbx, probe;

	/* Sent to the program itself. */
	sbx = start_sigterm_probe(out, sizeof(out), &probe);
	ck_assert_int_eq(kill(probe, SIGTERM), 0);
	ck_assert_int_eq(finish(sbx), 0);
	slurp(out, text, sizeof(text));
	assert_has(text, "got=SIGTERM");

	/* Sent to the supervisor, which forwards it to the program. */
	sbx = start_sigterm_probe(out, sizeof(out), &probe);
	ck_assert_int_eq(kill(sbx, SIGTERM), 0);
	ck_assert_int_eq(finish(sbx), 0);
	slurp(out, text, sizeof(text));
	assert_has(text, "got=SIGTERM");
}
END_TEST

/*
 * A bash script under the sandbox, started with a report; returns once its
 * foreground "sleep 31.4159" has exec'd (the script's own command line
 * holds "${t}59", not the number), so the script is waiting for it.
 */
static pid_t start_job(const char *script, char *out, char *report, size_t size)
{
	char *argv[] = {(char *)sbx_bin(), "-p", NULL,		 "-r", report, "--",
			"/bin/bash",	   "-c", (char *)script, NULL};
	char pol[300];
	pid_t sbx;
	int seen = 0;

	tmp_path(pol, sizeof(pol), "policy.json");
	write_file(pol, allow_all, 0644);
	argv[2] = pol;
	tmp_path(out, size, "out");
	tmp_path(report, size, "report.json");
	sbx = start(argv, out, NULL);
	for (int i = 0; i < 2000 && !seen; i++) {
		sleep_ms(5);
		seen = count_with_token("31.4159");
	}
	ck_assert_int_eq(seen, 1);
	return sbx;
}

/*
 * Signals a terminal sends its foreground job, sent to the sandbox, end the
 * whole job as they would without the sandbox: bash waiting for a child
 * acts on SIGINT only when the child died of it too. The verdict is the
 * signal's; nothing of the job is left.
 */
START_TEST(terminal_signals_end_the_job)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	static const char script[] = "t=31.41; sleep 1000 & sleep ${t}59; echo after";

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct run r = {0};
		char out[300], report[300], name[32];
		pid_t sbx = start_job(script, out, report, sizeof(out));

		ck_assert_int_eq(kill(sbx, sigs[i]), 0);
		r.status = finish(sbx);
		slurp(out, r.out, sizeof(r.out));
		slurp(report, r.report, sizeof(r.report));
		assert_lacks(r.out, "after");
		ck_assert_int_eq(r.status, 128 + sigs[i]);
		ck_assert_str_eq(report_str(&r, "status"), "signaled");
		snprintf(name, sizeof(name), "SIG%s", sigabbrev_np(sigs[i]));
		ck_assert_str_eq(report_str(&r, "signal_name"), name);
		ck_assert_int_eq(count_with_token("31.4159"), 0);
	}
}
END_TEST

/*
 * The job's other processes get the signal too, not only the first: a
 * script that traps it goes on once its foreground child died of it.
 */
START_TEST(terminal_signals_reach_the_children)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct run r = {0};
		char script[200], out[300], report[300], want[32];
		pid_t sbx;

		snprintf(script, sizeof(script),
			 "trap 'echo trapped' %s; t=31.41; sleep ${t}59; echo \"sleep=$?\"",
			 sigabbrev_np(sigs[i]));
		sbx = start_job(script, out, report, sizeof(out));
		ck_assert_int_eq(kill(sbx, sigs[i]), 0);
		r.status = finish(sbx);
		slurp(out, r.out, sizeof(r.out));
		snprintf(want, sizeof(want), "sleep=%d", 128 + sigs[i]);
		assert_has(r.out, "trapped");
		assert_has(r.out, want);
		ck_assert_int_eq(r.status, 0);
	}
}
END_TEST

/*
 * Run "sandbox -v OPT -p POLICY -r REPORT -- ARGS..." with stdout to |out|
 * and stderr a pipe nobody reads any more (the caller's "2>&1 | head -c0");
 * the report into |r|. Returns the exit status.
 */
static int run_closed_stderr(const char *opt, const char *const *args, char *out, size_t size,
			     struct run *r)
{
	char pol[300], rep[300];
	char *argv[16] = {(char *)sbx_bin(), "-v", (char *)opt, "-p", pol, "-r", rep, "--"};
	size_t n = 8;
	int pipefd[2], status;
	pid_t pid;

	for (size_t i = 0; args[i] && n + 1 < sizeof(argv) / sizeof(argv[0]); i++)
		argv[n++] = (char *)args[i];
	tmp_path(pol, sizeof(pol), "policy.json");
	write_file(pol, allow_all, 0644);
	tmp_path(out, size, "out");
	tmp_path(rep, sizeof(rep), "report.json");
	ck_assert_int_eq(pipe(pipefd), 0);
	close(pipefd[0]);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		signal(SIGPIPE, SIG_DFL);
		dup2(o, 1);
		dup2(pipefd[1], 2);
		execv(argv[0], argv);
		_exit(121);
	}
	close(pipefd[1]);
	status = finish(pid);
	*r = (struct run){.status = status};
	slurp(rep, r->report, sizeof(r->report));
	return status;
}

/*
 * A closed stderr stops the log, not the run or its report, and the exit
 * status is the program's (not 141, SIGPIPE); an error's message is lost,
 * its report and status are not. The program still has SIGPIPE's default
 * action (bit 13 of SigIgn clear): the supervisor's indifference to it is
 * its own.
 */
START_TEST(closed_stderr_pipe_keeps_the_report)
{
	static const char *const isolation[] = {"--verbose", "--isolation=none"};
	const char *script[] = {"/bin/sh", "-c",
				"grep SigIgn /proc/self/status; yes | head -1; exit 3", NULL};
	const char *missing[] = {"sandbox-no-such-program-xyz", NULL};

	for (size_t i = 0; i < sizeof(isolation) / sizeof(isolation[0]); i++) {
		char out[300], text[256];
		struct run r;

		ck_assert_int_eq(run_closed_stderr(isolation[i], script, out, sizeof(out), &r), 3);
		slurp(out, text, sizeof(text));
		assert_has(text, "SigIgn:");
		ck_assert_msg(!(strtoull(strstr(text, "SigIgn:") + 7, NULL, 16) & (1ULL << 12)),
			      "the program ignores SIGPIPE: %s", text);
		assert_has(text, "y\n");
		ck_assert_str_eq(report_str(&r, "status"), "exited");
		ck_assert_int_eq(report_int(&r, "exit_code"), 3);

		ck_assert_int_eq(run_closed_stderr(isolation[i], missing, out, sizeof(out), &r),
				 127);
		ck_assert_str_eq(report_str(&r, "status"), "error");
	}
}
END_TEST

/*
 * A signal the sandbox's caller ignores (nohup's SIGHUP, a script's
 * background job's SIGINT and SIGQUIT) is not forwarded: the job runs on,
 * as it would without the sandbox.
 */
START_TEST(ignored_terminal_signals_stay_ignored)
{
	static const char script[] = "t=2.41; sleep ${t}59; echo after";
	char *argv[] = {"/bin/sh",
			"-c",
			"trap '' HUP INT QUIT; exec \"$0\" \"$@\"",
			(char *)sbx_bin(),
			"-p",
			NULL,
			"-r",
			NULL,
			"--",
			"/bin/bash",
			"-c",
			(char *)script,
			NULL};
	char pol[300], out[300], report[300];
	struct run r = {0};
	pid_t sbx;
	int seen = 0;

	tmp_path(pol, sizeof(pol), "policy.json");
	write_file(pol, allow_all, 0644);
	argv[5] = pol;
	tmp_path(out, sizeof(out), "out");
	tmp_path(report, sizeof(report), "report.json");
	argv[7] = report;
	sbx = start(argv, out, NULL);
	for (int i = 0; i < 2000 && !seen; i++) {
		sleep_ms(5);
		seen = count_with_token("2.4159");
	}
	ck_assert_int_eq(seen, 1);
	ck_assert_int_eq(kill(sbx, SIGHUP), 0);
	ck_assert_int_eq(kill(sbx, SIGINT), 0);
	ck_assert_int_eq(kill(sbx, SIGQUIT), 0);
	r.status = finish(sbx);
	slurp(out, r.out, sizeof(r.out));
	slurp(report, r.report, sizeof(r.report));
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "after");
	ck_assert_str_eq(report_str(&r, "status"), "exited");
}
END_TEST

START_TEST(selfstop_then_sigcont)
{
	struct run r;

	RUN_PROBE(&r, allow_all, "selfstop");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "resumed=1");
}
END_TEST

/* --- foreign ABIs ------------------------------------------------------------ */

static bool have_ia32(void);

START_TEST(int80_killed)
{
	char probe[256];
	const char *bare_args[] = {probe, "int80", "getpid", NULL};
	char expect[64];
	struct run r;

	SKIP_UNLESS(have_ia32(), "no i386 emulation");
	PROBE_PATH(probe, sizeof(probe));
	run_bare(&r, bare_args);
	snprintf(expect, sizeof(expect), "int80=%d\n", r.pid);
	assert_has(r.out, expect); /* without the sandbox, the i386 call works */

	RUN_PROBE(&r, allow_all, "int80", "getpid");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed i386 getpid() (architecture i386 not allowed by the policy)\n");
	assert_lacks(r.out, "int80=");
	assert_has(r.report, "\"arch\": \"i386\"");
	assert_has(r.report, "\"syscall\": \"getpid\"");
	assert_has(r.report, "\"nr\": 20");

	RUN_PROBE(&r, allow_all, "int80", "fork");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed i386 fork() (architecture i386 not allowed by the policy)\n");

	/* Explicitly allowed, it runs. */
	RUN_PROBE(&r, "{\"default\": \"allow\", \"architectures\": [\"native\", \"x86\"]}", "int80",
		  "getpid");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "int80=");
	assert_lacks(r.out, "int80=-");
}
END_TEST

/* --- a tracee forging SECCOMP_RET_DATA ---------------------------------------- */

START_TEST(stacked_filter_junk_data)
{
	char probe[256];
	const char *bare_args[] = {probe, "stack-filter", NULL};
	char expect[64];
	struct run r;

	/* Bare: the stacked filter's TRACE with no tracer fails the call. */
	PROBE_PATH(probe, sizeof(probe));
	run_bare(&r, bare_args);
	assert_has(r.out, "stack=0 errno=0");
	assert_has(r.out, "getppid=-1 errno=ENOSYS");

	/* The policy allows getppid: the junk-data stop must not change that. */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"mkdir\"], \"action\": "
		  "\"kill\"}, {\"syscalls\": [\"rmdir\"], \"action\": \"log\"}]}",
		  "stack-filter");
	ck_assert_int_eq(r.status, 0);
	snprintf(expect, sizeof(expect), "getppid=%d errno=0", 1); /* the sandbox's init */
	assert_has(r.out, expect);
	ck_assert_str_eq(r.err, "");

	/* A rule on getppid still applies, whatever data the stop carried. */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], \"action\": "
		  "\"return\", \"value\": 7}]}",
		  "stack-filter");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "getppid=7 errno=0");
}
END_TEST

/* --- nothing outlives the run -------------------------------------------------- */

START_TEST(orphan_does_not_outlive)
{
	char file[300];
	char probe[256];
	const char *bare_args[] = {probe, "orphan", file, NULL};
	const char *p;
	struct run r;
	pid_t orphan;

	tmp_path(file, sizeof(file), "escaped");
	/* Bare: the orphan survives its parents and writes the file. */
	PROBE_PATH(probe, sizeof(probe));
	run_bare(&r, bare_args);
	for (int i = 0; i < 300 && access(file, F_OK) != 0; i++)
		sleep_ms(10);
	ck_assert_int_eq(access(file, F_OK), 0);
	unlink(file);

	RUN_PROBE(&r, allow_all, "orphan", file);
	ck_assert_int_eq(r.status, 0);
	p = strstr(r.out, "orphan=");
	ck_assert_ptr_nonnull(p);
	orphan = atoi(p + 7);
	ck_assert_int_gt(orphan, 1);
	/*
	 * Gone by the time sandbox returns. Its pid is one of its PID
	 * namespace: look for it by its command line (it holds |file|).
	 */
	ck_assert_int_eq(count_with_token(file), 0);
	sleep_ms(1500);
	ck_assert_int_eq(access(file, F_OK), -1);
}
END_TEST

/* --- escapes from supervision (each first shown to work bare) ---------------- */

START_TEST(notify_listener_refused)
{
	char dir[300], probe[256];
	const char *bare_args[] = {probe, "notify-mkdir", dir, NULL};
	struct run r;

	PROBE_PATH(probe, sizeof(probe));
	tmp_path(dir, sizeof(dir), "notified");
	/* Bare: the listener is installed and its CONTINUE answer lets mkdir run. */
	run_bare(&r, bare_args);
	assert_has(r.out, "mkdir=0 errno=0");
	ck_assert_int_eq(rmdir(dir), 0);

	/* A notify filter would outrank the supervisor's TRACE: never installed. */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"mkdir\"], "
		  "\"action\": \"kill\"}]}",
		  "notify-mkdir", dir);
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed seccomp(SECCOMP_SET_MODE_FILTER, "
			  "SECCOMP_FILTER_FLAG_NEW_LISTENER, ");
	assert_has(r.err, "by the built-in rule: a seccomp notify listener");
	assert_lacks(r.out, "mkdir=");
	ck_assert_int_eq(access(dir, F_OK), -1);
}
END_TEST

START_TEST(untraced_clone_refused)
{
	char probe[256];
	const char *bare_args[] = {probe, "untraced", NULL};
	struct run r;

	PROBE_PATH(probe, sizeof(probe));
	run_bare(&r, bare_args);
	assert_has(r.out, "untraced-child=1");

	/* Even a policy that allows clone outright cannot let it through. */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"clone\"], "
		  "\"action\": \"allow\"}]}",
		  "untraced");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed clone(CLONE_UNTRACED|SIGCHLD, ");
	assert_has(r.err, "by the built-in rule: a CLONE_UNTRACED child would escape");
	assert_lacks(r.out, "untraced-child");
	ck_assert_str_eq(report_str(&r, "violation.syscall"), "clone");
}
END_TEST

START_TEST(int80_socketcall_demultiplexed)
{
	char probe[256];
	const char *bare_args[] = {probe, "int80-socket", NULL};
	struct run r;

	SKIP_UNLESS(have_ia32(), "no i386 emulation");
	PROBE_PATH(probe, sizeof(probe));
	run_bare(&r, bare_args);
	assert_has(r.out, "int80-socket=");
	assert_lacks(r.out, "int80-socket=-");

	/* A rule on socket covers i386 socketcall(SYS_SOCKET) too. */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"architectures\": [\"native\", \"x86\"], "
		  "\"rules\": [{\"syscalls\": [\"socket\"], \"action\": \"log\"}, "
		  "{\"syscalls\": [\"bind\"], \"action\": \"kill\"}]}",
		  "int80-socket");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.err, "] logged i386 socketcall(SYS_SOCKET, ");
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"architectures\": [\"native\", \"x86\"], "
		  "\"rules\": [{\"syscalls\": [\"socket\"], \"action\": \"kill\"}]}",
		  "int80-socket");
	ck_assert_int_eq(r.status, 200);
	assert_lacks(r.out, "int80-socket=");
	assert_has(r.err, "] killed i386 socketcall(SYS_SOCKET, ");
	/* Argument rules would need the arguments in memory, which can change: killed. */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"architectures\": [\"native\", \"x86\"], "
		  "\"rules\": [{\"syscalls\": [\"socket\"], \"action\": \"kill\", "
		  "\"args\": [{\"index\": 0, \"op\": \"==\", \"value\": 10}]}]}",
		  "int80-socket");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "(a multiplexed i386 call whose rules need its arguments");
}
END_TEST

START_TEST(supervisor_memory_closed)
{
	char probe[256];
	const char *bare_args[] = {probe, "parent-mem", NULL};
	struct run r;

	/* Bare: the probe may write its parent's (this test's) memory. */
	PROBE_PATH(probe, sizeof(probe));
	run_bare(&r, bare_args);
	assert_has(r.out, "parent-mem=");
	assert_lacks(r.out, "parent-mem=-1");

	/*
	 * Its parent is now the supervisor: not dumpable, so not writable. As
	 * root the capabilities the sandbox dropped refuse it already (the
	 * supervisor keeps its own); the run as nobody
	 * (integration-unprivileged), same user and same capabilities on both
	 * sides, is the one that shows the non-dumpable supervisor.
	 */
	RUN_PROBE(&r, allow_all, "parent-mem");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "parent-mem=-1 errno=EACCES");
}
END_TEST

START_TEST(hidden_log_still_written)
{
	char probe[256], out[300], buf[65536];
	char *argv[] = {(char *)sbx_bin(), "-p", NULL, "--", probe, "hide-log", NULL};
	char pol[300], text[256];
	size_t total = 0, cap = 1 << 22;
	char *all = malloc(cap);
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	ck_assert_ptr_nonnull(all);
	PROBE_PATH(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "policy.json");
	write_file(pol,
		   "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		   "\"action\": \"log\"}]}",
		   0644);
	argv[2] = pol;
	tmp_path(out, sizeof(out), "out");
	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(o, 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execv(argv[0], argv);
		_exit(121);
	}
	close(pipefd[1]);
	/* Let the program fill the pipe and make its end non-blocking, then drain slowly. */
	for (int i = 0; i < 500; i++) {
		slurp(out, text, sizeof(text));
		if (strstr(text, "filled="))
			break;
		sleep_ms(10);
	}
	sleep_ms(300);
	while ((n = read(pipefd[0], buf, sizeof(buf))) > 0) {
		if (total + (size_t)n < cap) {
			memcpy(all + total, buf, (size_t)n);
			total += (size_t)n;
		}
	}
	all[total] = '\0';
	close(pipefd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	slurp(out, text, sizeof(text));
	assert_has(text, "done=1");
	ck_assert_msg(strstr(all, "] logged getppid() by rule 0\n"),
		      "the log line was lost (%zu bytes read)", total);
	free(all);
}
END_TEST

START_TEST(exec_failure_under_strict_policy)
{
	char path[300];
	const char *args[] = {path, NULL};
	struct run r;

	/* The child's own error report runs under the filter; it must still arrive. */
	tmp_path(path, sizeof(path), "garbage");
	write_file(path, "\177ELF this is not a program\n", 0755);
	run_sandbox(&r, "{\"default\": \"kill\"}", NULL, args);
	ck_assert_int_eq(r.status, 126);
	assert_has(r.err, "Exec format error");
	assert_lacks(r.err, "killed");
	ck_assert_str_eq(report_str(&r, "status"), "error");
}
END_TEST

START_TEST(fork_storm_counts_right)
{
	const char *opts[] = {"--processes", "4", NULL};
	struct run r;

	/*
	 * Thousands of children that exit at once: their first stops and
	 * exits often come before their parent's fork event. Never more than
	 * three tasks are alive, so the limit must never trigger.
	 */
	for (int i = 0; i < 3; i++) {
		RUN_PROBE_OPTS(&r, allow_all, opts, "fork-storm", "1500");
		ck_assert_int_eq(r.status, 0);
		assert_has(r.out, "stormed=1");
		ck_assert_str_eq(report_str(&r, "status"), "exited");
		ck_assert_int_eq(report_int(&r, "processes"), 1502);
	}
}
END_TEST

/*
 * Threads that are not their process's leader exec, in processes the
 * shell started, with no -v and no --log: the one exec stop such a thread
 * keeps (its tid becomes the leader's) tells the supervisor which task
 * went away. Without it each round would leave a task counted alive, and
 * the fourth round's thread would pass the limit of three (the shell, the
 * probe, its thread).
 */
START_TEST(thread_exec_in_children_counts_right)
{
	const char *opts[] = {"--processes", "3", NULL};
	char probe[256], script[600];
	struct run r;

	PROBE_PATH(probe, sizeof(probe));
	snprintf(script, sizeof(script),
		 "for i in 1 2 3 4 5; do %s thread-exec || exit $?; done; echo rounds=5", probe);
	run_sandbox(&r, allow_all, opts, (const char *const[]){"/bin/sh", "-c", script, NULL});
	ck_assert_msg(r.status == 0, "status %d:\n%s", r.status, r.err);
	assert_has(r.out, "rounds=5");
	assert_lacks(r.err, "process limit");
	ck_assert_str_eq(report_str(&r, "status"), "exited");
	/* The shell, and five probes with one thread each. */
	ck_assert_int_eq(report_int(&r, "processes"), 11);
}
END_TEST

/*
 * -v still shows every process's exec: a run without -v, --log or --attach
 * has no exec stop after the program's own first exec, -v keeps them.
 */
START_TEST(verbose_shows_each_exec)
{
	const char *opts[] = {"-v", NULL};
	char probe[256], script[1024], line[300];
	const char *at;
	struct run r;
	int n = 0;

	PROBE_PATH(probe, sizeof(probe));
	snprintf(script, sizeof(script), "%s exit 0; %s exit 0; %s fork-once", probe, probe, probe);
	run_sandbox(&r, allow_all, opts, (const char *const[]){"/bin/sh", "-c", script, NULL});
	ck_assert_msg(r.status == 0, "status %d:\n%s", r.status, r.err);
	snprintf(line, sizeof(line), "] exec \"%s\"", probe);
	for (at = r.err; (at = strstr(at, line)); at++)
		n++;
	ck_assert_msg(n == 3, "%d exec lines of the probe:\n%s", n, r.err);
}
END_TEST

/* --- the policy language at run time, and its tools -------------------------- */

static void data_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", getenv("SBX_TEST_DATA"), name);
}

/* Run sandbox with |args| (no program), capturing into |r|. */
static void run_tool(struct run *r, char *const *args)
{
	char out[300], err[300];
	char *argv[16] = {(char *)sbx_bin()};
	int n = 1;

	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	tmp_path(out, sizeof(out), "tool-out");
	tmp_path(err, sizeof(err), "tool-err");
	memset(r, 0, sizeof(*r));
	r->status = finish(start(argv, out, err));
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

START_TEST(check_command)
{
	char good[300], bad[300];
	char *ok_args[] = {"--check", "judge", NULL};
	char *bad_args[] = {"--check", bad, NULL};
	char *good_args[] = {"--check", good, NULL};
	struct run r;

	run_tool(&r, ok_args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "judge: absent on aarch64: access, arch_prctl, creat, dup2, fork, "
				"lstat, open, poll, readlink, stat, time, vfork\n"
				"judge: 0 errors, 0 warnings\n");

	data_path(bad, sizeof(bad), "bad-unknown-syscall.json");
	run_tool(&r, bad_args);
	ck_assert_int_eq(r.status, 125);
	assert_has(r.out, "bad-unknown-syscall.json:4:27: rules[0].syscalls[1]: unknown syscall "
			  "\"opn\" (did you mean \"open\"?)\n");
	assert_has(r.out, ": 1 error, 0 warnings\n");

	/* warnings alone pass */
	data_path(good, sizeof(good), "count.json");
	run_tool(&r, good_args);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, ": 0 errors, 2 warnings\n");

	/* a policy with errors never runs, and says the same */
	data_path(bad, sizeof(bad), "conflicts.json");
	{
		char probe[256];
		char *run_args[] = {"-p", bad, "--", probe, "exit", "0", NULL};

		PROBE_PATH(probe, sizeof(probe));
		run_tool(&r, run_args);
		ck_assert_int_eq(r.status, 125);
		assert_has(r.err, "conflicts.json:5:28: rules[1].syscalls[1]: mkdir is already "
				  "decided by rules[0]");
	}
}
END_TEST

START_TEST(groups_and_dump)
{
	char *list[] = {"--list-groups", NULL};
	char *one[] = {"--list-groups", "@mount", NULL};
	char *none[] = {"--list-groups", "@nope", NULL};
	char *pfc[] = {"--dump-filter", "-p", "judge", NULL};
	char *bpf[] = {"--dump-filter=bpf", NULL};
	struct run r;

	run_tool(&r, list);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "@file-system ");
	assert_has(r.out, "@system-service ");
	run_tool(&r, one);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "pivot_root");
	run_tool(&r, none);
	ck_assert_int_eq(r.status, 125);

	run_tool(&r, pfc);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "# pseudo filter code start");
	assert_has(r.out, "# filter for syscall \"openat\"");
	{
		char out[300];
		char *argv[] = {(char *)sbx_bin(), bpf[0], NULL};
		struct stat st;

		tmp_path(out, sizeof(out), "filter.bpf");
		ck_assert_int_eq(finish(start(argv, out, NULL)), 0);
		ck_assert_int_eq(stat(out, &st), 0);
		/* whole sock_filter instructions, 8 bytes each, and more than a handful */
		ck_assert_int_eq(st.st_size % 8, 0);
		ck_assert_int_gt(st.st_size, 8 * 20);
	}
}
END_TEST

START_TEST(groups_count_and_extends_at_run_time)
{
	char pol[300], sh[] = "/bin/sh";
	const char *two_execs[] = {sh, "-c", "/bin/true; /bin/true; echo both", NULL};
	struct run r;

	/* @network-io covers socket */
	RUN_PROBE(&r,
		  "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"@network-io\"], "
		  "\"action\": \"kill\"}]}",
		  "socket");
	ck_assert_int_eq(r.status, 200);
	assert_has(r.err, "] killed socket(AF_INET, SOCK_STREAM, 0) by rule 0\n");

	/* execve once (the shell's own exec is the set-up, not counted), then killed */
	run_sandbox(&r,
		    "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"execve\"], \"action\": "
		    "\"allow\", \"count\": 1, \"then\": \"kill\"}]}",
		    NULL, two_execs);
	ck_assert_int_eq(r.status, 200);
	assert_lacks(r.out, "both");
	assert_has(r.err, "] killed execve(\"/bin/true\", [\"/bin/true\"], ");

	/* a shipped policy by name, extended by a file */
	tmp_path(pol, sizeof(pol), "ext.json");
	write_file(pol,
		   "{\"extends\": \"judge\", \"rules\": [{\"syscalls\": [\"getppid\"], \"action\": "
		   "\"return\", \"value\": 5}]}",
		   0644);
	{
		char probe[256];
		const char *opts[] = {"-p", pol, NULL};
		const char *args[] = {probe, "getppid", NULL};
		const char *fork_args[] = {probe, "fork-once", NULL};

		PROBE_PATH(probe, sizeof(probe));
		run_sandbox(&r, NULL, opts, args);
		ck_assert_int_eq(r.status, 0);
		assert_has(r.out, "getppid=5\n");
		run_sandbox(&r, NULL, opts, fork_args); /* judge's kill of clone still applies */
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(report_str(&r, "violation.syscall"), "clone");
	}
}
END_TEST

START_TEST(docker_profile_runs)
{
	char pol[300], sh[] = "/bin/sh";
	const char *opts[] = {"-p", pol, NULL};
	const char *script[] = {sh, "-c", "echo one; echo two | cat; exit 3", NULL};
	struct run r;

	data_path(pol, sizeof(pol), "oci-docker-like.json");
	run_sandbox(&r, NULL, opts, script);
	ck_assert_int_eq(r.status, 3);
	ck_assert_str_eq(r.out, "one\ntwo\n");

	/* the actions at run time: ERRNO with errnoRet, TRACE, KILL */
	{
		static const char oci[] =
			"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
			"{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": "
			"30},"
			"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRACE\"},"
			"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_KILL_THREAD\"}]}";
		char dir[300];

		tmp_path(dir, sizeof(dir), "oci-dir");
		RUN_PROBE(&r, oci, "mkdir", dir);
		ck_assert_int_eq(r.status, 0);
		assert_has(r.out, "mkdir=-1 errno=EROFS");
		RUN_PROBE(&r, oci, "getppid");
		assert_has(r.out, "getppid=-1\n");
		assert_has(r.err, "] denied getppid() = -1 ENOSYS by rule 1\n");
		RUN_PROBE(&r, oci, "socket");
		ck_assert_int_eq(r.status, 200);
		assert_has(r.err, "] killed socket(AF_INET, SOCK_STREAM, 0) by rule 2\n");
		ck_assert_str_eq(report_str(&r, "violation.syscall"), "socket");
	}
}
END_TEST

START_TEST(exit_codes)
{
	const char *missing[] = {"sandbox-no-such-program-xyz", NULL};
	const char *notexec[] = {NULL, NULL};
	char path[300];
	struct run r;

	RUN_PROBE(&r, allow_all, "exit", "3");
	ck_assert_int_eq(r.status, 3);
	assert_has(r.report, "\"exit_code\": 3");

	RUN_PROBE(&r, allow_all, "raise", "10");
	ck_assert_int_eq(r.status, 128 + 10);
	assert_has(r.report, "\"status\": \"signaled\"");
	assert_has(r.report, "\"signal_name\": \"SIGUSR1\"");

	run_sandbox(&r, allow_all, NULL, missing);
	ck_assert_int_eq(r.status, 127);
	assert_has(r.err, "sandbox-no-such-program-xyz: command not found");
	assert_has(r.report, "\"status\": \"error\"");

	tmp_path(path, sizeof(path), "not-executable");
	write_file(path, "#!/bin/sh\necho should-not-run\n", 0644);
	notexec[0] = path;
	run_sandbox(&r, allow_all, NULL, notexec);
	ck_assert_int_eq(r.status, 126);
	assert_has(r.err, "Permission denied");
	assert_lacks(r.out, "should-not-run");
}
END_TEST

START_TEST(exit_code_bad_policy)
{
	char pol[300];
	struct run r;

	RUN_PROBE(&r,
		  "{\"default\": \"allow\",\n \"rules\": [{\"syscalls\": [\"opne\"], "
		  "\"action\": \"kill\"}]}",
		  "exit", "0");
	ck_assert_int_eq(r.status, 125);
	/* The file name is the harness's temporary policy file: "...-policy.json". */
	snprintf(pol, sizeof(pol),
		 "-policy.json:2:26: rules[0].syscalls[0]: unknown syscall "
		 "\"opne\" (did you mean \"open\"?)\n");
	assert_has(r.err, pol);
	ck_assert_str_eq(r.out, "");

	RUN_PROBE(&r, "{\"default\": \"allow\",,}", "exit", "0");
	ck_assert_int_eq(r.status, 125);
	assert_has(r.err, "invalid JSON");
}
END_TEST

START_TEST(usage_errors)
{
	const char *none[] = {NULL};
	char *argv[] = {(char *)sbx_bin(), "--no-such-flag", "true", NULL};
	char out[300], err[300], text[4096];
	struct run r;

	run_sandbox(&r, allow_all, NULL, none);
	ck_assert_int_eq(r.status, 125);
	/* One line and a hint, not the 90 lines of --help. */
	ck_assert_str_eq(r.err,
			 "sandbox: no program given\nTry 'sandbox --help' for the options.\n");

	tmp_path(out, sizeof(out), "out");
	tmp_path(err, sizeof(err), "err");
	ck_assert_int_eq(finish(start(argv, out, err)), 125);
	slurp(err, text, sizeof(text));
	ck_assert_str_eq(text, "sandbox: unknown option --no-such-flag\n"
			       "Try 'sandbox --help' for the options.\n");

	argv[1] = "--decisions=fast";
	ck_assert_int_eq(finish(start(argv, out, err)), 125);
	slurp(err, text, sizeof(text));
	ck_assert_str_eq(text,
			 "sandbox: --decisions: expected auto, ptrace or notify, not \"fast\"\n"
			 "Try 'sandbox --help' for the options.\n");
}
END_TEST

START_TEST(default_policy_runs_shell)
{
	const char *args[] = {"/bin/sh", "-c", "echo one; echo two | cat", NULL};
	struct run r;

	run_sandbox(&r, NULL, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "one\ntwo\n");
	ck_assert_str_eq(r.err, "");
}
END_TEST

/*
 * Whether the kernel runs i386 code (CONFIG_IA32_EMULATION and not disabled
 * with ia32_emulation=0): the probe's int 0x80 getpid returns its pid.
 * It uses no ck_assert: without it the tests skip, they do not fail.
 */
static bool have_ia32(void)
{
	char probe[256], out[64] = "";
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	PROBE_PATH(probe, sizeof(probe));
	if (pipe(pipefd) < 0)
		return false;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		execl(probe, probe, "int80", "getpid", (char *)NULL);
		_exit(121);
	}
	close(pipefd[1]);
	n = pid > 0 ? read(pipefd[0], out, sizeof(out) - 1) : -1;
	close(pipefd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	out[n > 0 ? n : 0] = '\0';
	return pid > 0 && strncmp(out, "int80=", 6) == 0 && atoi(out + 6) == pid;
}

/* --- --decisions: a seccomp listener, or ptrace stops ----------------------- */

/* Seccomp user notifications that let a call continue: Linux 5.5. */
static bool kernel_has_notify(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	return uname(&u) == 0 && sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
	       (major > 5 || (major == 5 && minor >= 5));
}

/* Landlock, which a policy with filesystem rules needs (LANDLOCK_CREATE_RULESET_VERSION). */
static bool kernel_has_landlock(void)
{
	return syscall(SYS_landlock_create_ruleset, NULL, 0, 1) > 0;
}

/*
 * A policy with each kind of answer (log, errno, return, kill) and a
 * filesystem rule that refuses |secret|, written to |path|.
 */
static void decisions_policy(char *path, size_t size, const char *secret)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "{\"default\": \"allow\", \"rules\": ["
		 "{\"syscalls\": [\"getppid\"], \"action\": \"log\"},"
		 "{\"syscalls\": [\"getpgrp\"], \"action\": \"errno\", \"errno\": \"EPERM\", "
		 "\"log\": true},"
		 "{\"syscalls\": [\"sched_yield\"], \"action\": \"return\", \"value\": 7},"
		 "{\"syscalls\": [\"chmod\"], \"action\": \"kill\"}],"
		 "\"filesystem\": {\"read\": [\"/\"], \"exec\": [\"/\"], \"deny\": [\"%s\"]}}",
		 secret);
	tmp_path(path, size, "decisions.json");
	write_file(path, text, 0644);
}

/* The lines about the program's calls, without the pids (they differ run to run). */
static void calls_without_pids(const char *err, char *buf, size_t size)
{
	size_t n = 0;

	for (const char *line = err; *line && n + 1 < size;) {
		const char *end = strchr(line, '\n'), *close = strstr(line, "] ");

		end = end ? end + 1 : line + strlen(line);
		if (strncmp(line, "sandbox: [pid ", 14) == 0 && close && close < end &&
		    !strstr(line, "] exec \"") && !strstr(line, "] exited with") &&
		    !strstr(line, "] spawned ")) {
			size_t len = (size_t)(end - (close + 2));

			if (n + len >= size)
				break;
			memcpy(buf + n, close + 2, len);
			n += len;
		}
		line = end;
	}
	buf[n] = '\0';
}

/*
 * The same verdicts, lines and report whichever way the calls reach the
 * supervisor: logged, refused with an errno, a faked value, a path refused
 * with its line, the calls of a forked child and of a thread, a kill
 * naming the call with its decoded arguments.
 */
START_TEST(decisions_same_verdicts)
{
	static const char *const modes[] = {"ptrace", "notify"};
	char secret[300], pol[300], chmodded[300], lines[2][4096];
	struct run r[2], k[2];

	SKIP_UNLESS(kernel_has_notify(), "no seccomp user notifications (Linux 5.5)");
	SKIP_UNLESS(kernel_has_landlock(), "no Landlock for the policy's filesystem rules");
	tmp_path(secret, sizeof(secret), "secret");
	write_file(secret, "SECRET\n", 0644);
	tmp_path(chmodded, sizeof(chmodded), "chmodded");
	decisions_policy(pol, sizeof(pol), secret);
	for (int i = 0; i < 2; i++) {
		const char *opts[] = {"--decisions", modes[i], "-p", pol, NULL};
		char arg[320];

		RUN_PROBE_OPTS(&r[i], NULL, opts, "decisions", secret);
		ck_assert_int_eq(r[i].status, 0);
		assert_has(r[i].out, "getppid=ok\n");
		assert_has(r[i].out, "getpgrp=-1 errno=EPERM\n");
		assert_has(r[i].out, "sched_yield=7 errno=0\n");
		assert_has(r[i].out, "open=-1 errno=EACCES\n");
		assert_has(r[i].out, "child-getppid=ok\n");
		assert_has(r[i].out, "thread-getpgrp=-1 errno=EPERM\n");
		assert_has(r[i].err, "] logged getppid() by rule 0\n");
		assert_has(r[i].err, "] denied getpgrp() = -1 EPERM by rule 1\n");
		assert_has(r[i].err, "] faked sched_yield() = 7 by rule 2\n");
		assert_has(r[i].err, "in filesystem.deny)\n");
		calls_without_pids(r[i].err, lines[i], sizeof(lines[i]));

		snprintf(arg, sizeof(arg), "str:%s", chmodded);
		RUN_PROBE_OPTS(&k[i], NULL, opts, "raw", "chmod", arg, "0755");
		ck_assert_int_eq(k[i].status, 200);
		assert_has(k[i].err, "] killed chmod(\"");
		assert_has(k[i].err, "\", 0755) by rule 3\n");
		assert_lacks(k[i].out, "raw=");
	}
	ck_assert_str_eq(r[0].out, r[1].out);
	ck_assert_str_eq(lines[0], lines[1]);
	ck_assert_str_eq(report_str(&r[0], "status"), report_str(&r[1], "status"));
	ck_assert_str_eq(report_str(&k[0], "status"), "violation");
	ck_assert_str_eq(report_str(&k[1], "status"), "violation");
	ck_assert_str_eq(report_str(&k[0], "violation.syscall"),
			 report_str(&k[1], "violation.syscall"));
}
END_TEST

/*
 * The listener is used: -v names the way, and the calls it decided are
 * counted (three by the program, one by its child, one by its thread, and
 * the path-taking calls). --decisions ptrace never uses it.
 */
START_TEST(decisions_through_listener)
{
	char secret[300], pol[300];
	const char *notify[] = {"-v", "--decisions", "notify", "-p", pol, NULL};
	const char *ptrace[] = {"-v", "--decisions", "ptrace", "-p", pol, NULL};
	const char *counted;
	struct run r;

	SKIP_UNLESS(kernel_has_notify(), "no seccomp user notifications (Linux 5.5)");
	SKIP_UNLESS(kernel_has_landlock(), "no Landlock for the policy's filesystem rules");
	tmp_path(secret, sizeof(secret), "secret");
	write_file(secret, "SECRET\n", 0644);
	decisions_policy(pol, sizeof(pol), secret);
	RUN_PROBE_OPTS(&r, NULL, notify, "decisions", secret);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.err, "sandbox: decisions: through a seccomp listener");
	counted = strstr(r.err, " calls decided through the seccomp listener\n");
	ck_assert_msg(counted, "no count of the listener's calls in:\n%s", r.err);
	while (counted > r.err && counted[-1] != ' ')
		counted--;
	ck_assert_int_ge(atoi(counted), 5);
	RUN_PROBE_OPTS(&r, NULL, ptrace, "decisions", secret);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.err, "sandbox: decisions: at ptrace stops\n");
	assert_lacks(r.err, "seccomp listener");
}
END_TEST

/*
 * A count-limited rule lets exactly its count through when its calls are
 * interrupted by signals while decided: a notification whose caller is
 * interrupted after the notifier received it would be sent, and counted,
 * again when the call restarts, unless the caller's wait is killable only
 * (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) or the rule's calls stay at
 * ptrace stops. 300 calls with a SIGALRM every 20 µs, under a rule that
 * allows 200 getppid calls and then fails them with EPERM, both ways.
 */
START_TEST(count_limited_under_signals)
{
	static const char *const modes[] = {"ptrace", "notify"};
	char pol[300];
	struct run r;

	SKIP_UNLESS(kernel_has_notify(), "no seccomp user notifications (Linux 5.5)");
	tmp_path(pol, sizeof(pol), "count.json");
	write_file(pol,
		   "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		   "\"action\": \"allow\", \"count\": 200, \"then\": {\"action\": \"errno\", "
		   "\"errno\": \"EPERM\"}}]}",
		   0644);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const char *opts[] = {"--decisions", modes[i], "-p", pol, NULL};

		for (int round = 0; round < 3; round++) {
			RUN_PROBE_OPTS(&r, NULL, opts, "count-storm", "300");
			ck_assert_int_eq(r.status, 0);
			assert_has(r.out,
				   "storm ok=200 errno=Operation not permitted alarms=some\n");
		}
	}
}
END_TEST

/*
 * The program never holds the listener: it could answer its own calls.
 * Every descriptor it has is looked at, with an init (namespaces) and without.
 */
START_TEST(program_holds_no_listener)
{
	static const char *const isolation[] = {"namespaces", "none"};
	char pol[300];
	struct run r;

	SKIP_UNLESS(kernel_has_notify(), "no seccomp user notifications (Linux 5.5)");
	tmp_path(pol, sizeof(pol), "log.json");
	write_file(pol,
		   "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"readlink\", "
		   "\"readlinkat\"], "
		   "\"action\": \"log\"}]}",
		   0644);
	for (size_t i = 0; i < sizeof(isolation) / sizeof(isolation[0]); i++) {
		const char *opts[] = {"--decisions", "notify", "--isolation", isolation[i],
				      "-p",	     pol,      NULL};

		RUN_PROBE_OPTS(&r, NULL, opts, "listener-fds");
		ck_assert_int_eq(r.status, 0);
		assert_has(r.out, " listener-fds=0\n");
		assert_lacks(r.out, "fds=0 ");
	}
}
END_TEST

/*
 * Under a supervisor that holds a listener for us already, the kernel
 * refuses the sandbox's (EBUSY): the child loads the same filter with
 * TRACE returns, and the verdicts are the same, at ptrace stops.
 */
START_TEST(decisions_under_another_listener)
{
	char probe[256], pol[300];
	const char *args[] = {
		probe, "under-listener", sbx_bin(), "-v", "--decisions", "notify", "-p", pol, "--",
		probe, "getppid",	 NULL};
	struct run r;

	SKIP_UNLESS(kernel_has_notify(), "no seccomp user notifications (Linux 5.5)");
	PROBE_PATH(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "log.json");
	write_file(pol,
		   "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		   "\"action\": \"log\"}]}",
		   0644);
	run_bare(&r, args);
	assert_has(r.out, "listener=");
	assert_lacks(r.out, "listener=-1");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "getppid=");
	assert_has(r.err, "] logged getppid() by rule 0\n");
	assert_has(r.err, "sandbox: decisions: at ptrace stops\n");
}
END_TEST

static Suite *integration_suite(void)
{
	Suite *s = suite_create("integration");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, action_allow);
	tcase_add_test(tc, action_errno);
	tcase_add_test(tc, action_log);
	tcase_add_test(tc, action_kill);
	tcase_add_test(tc, action_return);
	tcase_add_test(tc, write_only_fd1);
	tcase_add_test(tc, int_argument_high_bits);
	tcase_add_loop_test(tc, argument_width_from_the_kernel, 0,
			    (int)(sizeof(narrowed) / sizeof(narrowed[0])));
	tcase_add_test(tc, grandchild_thread_violation);
	tcase_add_test(tc, initial_exec_passes);
	tcase_add_test(tc, sigterm_reaches_handler);
	tcase_add_test(tc, terminal_signals_end_the_job);
	tcase_add_test(tc, terminal_signals_reach_the_children);
	tcase_add_test(tc, ignored_terminal_signals_stay_ignored);
	tcase_add_test(tc, closed_stderr_pipe_keeps_the_report);
	tcase_add_test(tc, selfstop_then_sigcont);
	tcase_add_test(tc, stacked_filter_junk_data);
	tcase_add_test(tc, orphan_does_not_outlive);
	tcase_add_test(tc, exit_codes);
	tcase_add_test(tc, exit_code_bad_policy);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, default_policy_runs_shell);
	tcase_add_test(tc, notify_listener_refused);
	tcase_add_test(tc, untraced_clone_refused);
	tcase_add_test(tc, supervisor_memory_closed);
	tcase_add_test(tc, hidden_log_still_written);
	tcase_add_test(tc, exec_failure_under_strict_policy);
	tcase_add_test(tc, fork_storm_counts_right);
	tcase_add_test(tc, check_command);
	tcase_add_test(tc, groups_and_dump);
	tcase_add_test(tc, groups_count_and_extends_at_run_time);
	tcase_add_test(tc, docker_profile_runs);
	suite_add_tcase(s, tc);
	/* What the stops a run leaves out must not change (tracer.c, task_options()). */
	tc = tcase_create("stops");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, thread_exec_in_children_counts_right);
	tcase_add_test(tc, verbose_shows_each_exec);
	suite_add_tcase(s, tc);
	tcase_alone(s, int80_killed, 60);
	tcase_alone(s, int80_socketcall_demultiplexed, 60);
	tcase_alone(s, decisions_same_verdicts, 60);
	tcase_alone(s, decisions_through_listener, 60);
	tcase_alone(s, program_holds_no_listener, 60);
	tcase_alone(s, count_limited_under_signals, 60);
	tcase_alone(s, decisions_under_another_listener, 60);
	return s;
}

int main(void)
{
	return harness_main(integration_suite());
}
