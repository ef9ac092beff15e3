/* SPDX-License-Identifier: MIT */
/*
 * test_threads - the library has no hidden state: two threads of one
 * process run sbx_run() at the same time, on different policies and
 * limits, and each gets its own correct result. Each pair of runs overlaps
 * (both programs sleep first), so a supervisor that reaped the other
 * thread's children (wait4(-1) without __WNOTHREAD), took the other's ticks
 * or signals, killed the other's processes, or shared a cache between
 * policies would give one of them the other's answer, an error, or a hang.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_suite.h"
#include "sandbox.h"
#include "sigstate.h"

#define ROUNDS 3

struct job {
	const char *policy_text;
	const char *script; /* run with sh -c; PROBE and DIR are exported */
	uint64_t wall_ms;   /* limit, 0: none */
	char out[128];	    /* the program's stdout */
	struct sbx_result result;
	int r;
};

static char probe[PATH_MAX], dir[PATH_MAX];

static void *run_job(void *arg)
{
	struct job *j = arg;
	struct sbx_policy *policy = NULL;
	char *diag = NULL, out_path[PATH_MAX + 32];
	char env_probe[PATH_MAX + 8], env_dir[PATH_MAX + 8];
	char *argv[] = {"/bin/sh", "-c", (char *)j->script, NULL};
	const char *sets[] = {env_probe, env_dir};
	FILE *f;

	snprintf(out_path, sizeof(out_path), "%s/out-%p", dir, (void *)j);
	snprintf(env_probe, sizeof(env_probe), "PROBE=%s", probe);
	snprintf(env_dir, sizeof(env_dir), "DIR=%s", dir);
	j->r = sbx_policy_parse("threads.json", j->policy_text, strlen(j->policy_text), &policy,
				&diag);
	if (j->r == 0) {
		struct sbx_config c = {
			.policy = policy,
			.argv = argv,
			.verbosity = SBX_QUIET,
			.log_fd = STDERR_FILENO,
			.env_sets = sets,
			.n_env_sets = 2,
			.stdout_path = out_path,
			.limits = {.wall_time_ms = j->wall_ms},
		};

		j->r = sbx_run(&c, &j->result);
	}
	f = fopen(out_path, "r");
	if (f) {
		size_t n = fread(j->out, 1, sizeof(j->out) - 1, f);

		j->out[n] = '\0';
		fclose(f);
	}
	unlink(out_path);
	free(diag);
	sbx_policy_free(policy);
	return NULL;
}

static void run_pair(struct job *a, struct job *b)
{
	pthread_t ta, tb;

	ck_assert_int_eq(pthread_create(&ta, NULL, run_job, a), 0);
	ck_assert_int_eq(pthread_create(&tb, NULL, run_job, b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ck_assert_msg(a->r == 0, "first run: %s", strerror(-a->r));
	ck_assert_msg(b->r == 0, "second run: %s", strerror(-b->r));
}

static void setup(void)
{
	const char *progs = getenv("SBX_PROGS");

	ck_assert_msg(progs, "SBX_PROGS is not set");
	snprintf(probe, sizeof(probe), "%s/probe", progs);
	snprintf(dir, sizeof(dir), "/tmp/sbx-threads-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	chmod(dir, 0777); /* the unprivileged run's program writes its stdout here */
}

static void teardown(void)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/made", dir);
	rmdir(path);
	rmdir(dir);
}

/* One thread's policy kills mkdir, the other's fails it with EACCES: each gets its own. */
START_TEST(two_policies_at_once)
{
	for (int round = 0; round < ROUNDS; round++) {
		struct job kill = {
			.policy_text = "{\"default\": \"allow\", \"rules\": [{\"syscalls\": "
				       "[\"mkdir\"], \"action\": \"kill\"}]}",
			.script = "sleep 0.3; exec \"$PROBE\" mkdir \"$DIR/made\"",
		};
		struct job deny = {
			.policy_text =
				"{\"default\": \"allow\", \"rules\": [{\"syscalls\": "
				"[\"mkdir\"], \"action\": \"errno\", \"errno\": \"EACCES\"}]}",
			.script = "sleep 0.3; exec \"$PROBE\" mkdir \"$DIR/made\"",
		};

		run_pair(&kill, &deny);
		ck_assert_msg(kill.result.status == SBX_STATUS_VIOLATION, "round %d: %s %s", round,
			      sbx_status_name(kill.result.status),
			      kill.result.error ? kill.result.error : "");
		ck_assert_str_eq(kill.result.violation.syscall, "mkdir");
		ck_assert_msg(deny.result.status == SBX_STATUS_EXITED, "round %d: %s %s", round,
			      sbx_status_name(deny.result.status),
			      deny.result.error ? deny.result.error : "");
		ck_assert_int_eq(deny.result.exit_code, 0);
		ck_assert_msg(strstr(deny.out, "mkdir=-1 errno=EACCES"), "round %d: %s", round,
			      deny.out);
		sbx_result_clear(&kill.result);
		sbx_result_clear(&deny.result);
	}
}
END_TEST

/* One thread's run has a wall-time limit, the other's none: the ticks are each run's own. */
START_TEST(two_limits_at_once)
{
	static const char allow[] = "{\"default\": \"allow\"}";

	for (int round = 0; round < ROUNDS; round++) {
		struct job limited = {.policy_text = allow, .script = "sleep 5", .wall_ms = 400};
		struct job free_run = {.policy_text = allow,
				       .script = "sleep 1; exec \"$PROBE\" exit 0"};

		run_pair(&limited, &free_run);
		ck_assert_msg(limited.result.status == SBX_STATUS_WALL_TIME_LIMIT,
			      "round %d: %s %s", round, sbx_status_name(limited.result.status),
			      limited.result.error ? limited.result.error : "");
		ck_assert_uint_lt(limited.result.wall_time_ms, 3000);
		ck_assert_msg(free_run.result.status == SBX_STATUS_EXITED, "round %d: %s %s", round,
			      sbx_status_name(free_run.result.status),
			      free_run.result.error ? free_run.result.error : "");
		ck_assert_int_eq(free_run.result.exit_code, 0);
		ck_assert_uint_ge(free_run.result.wall_time_ms, 1000);
		sbx_result_clear(&limited.result);
		sbx_result_clear(&free_run.result);
	}
}
END_TEST

/*
 * More runs at once than the process has signal slots for
 * (SIGSTATE_MAX_RUNS, 64): the runs past it wait for a slot instead of
 * going on without a tick, their wall limit never enforced (two of 66
 * "sleep 30" runs with a 1 s limit exited after 30 s).
 */
START_TEST(more_runs_than_signal_slots)
{
	static const char allow[] = "{\"default\": \"allow\"}";
	enum { N = SIGSTATE_MAX_RUNS + 2 };
	struct job *jobs = calloc(N, sizeof(*jobs));
	pthread_t threads[N];

	ck_assert_ptr_nonnull(jobs);
	for (int i = 0; i < N; i++) {
		jobs[i] = (struct job){.policy_text = allow, .script = "sleep 30", .wall_ms = 1000};
		ck_assert_int_eq(pthread_create(&threads[i], NULL, run_job, &jobs[i]), 0);
	}
	for (int i = 0; i < N; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < N; i++) {
		ck_assert_msg(jobs[i].r == 0, "run %d: %s", i, strerror(-jobs[i].r));
		ck_assert_msg(jobs[i].result.status == SBX_STATUS_WALL_TIME_LIMIT, "run %d: %s %s",
			      i, sbx_status_name(jobs[i].result.status),
			      jobs[i].result.error ? jobs[i].result.error : "");
		sbx_result_clear(&jobs[i].result);
	}
	free(jobs);
}
END_TEST

/*
 * A run killed while its program holds a lot of memory takes longer than a
 * tick to be reaped, and sweeps the process's children for orphans of its
 * own: never another run's program or init.
 */
START_TEST(one_run_killed_spares_the_other)
{
	static const char allow[] = "{\"default\": \"allow\"}";
	struct job heavy = {.policy_text = allow,
			    .script = "exec \"$PROBE\" fork-touched 1500 1 30000",
			    .wall_ms = 2000};
	struct job other = {.policy_text = allow, .script = "sleep 4; exec \"$PROBE\" exit 0"};

	run_pair(&heavy, &other);
	ck_assert_msg(heavy.result.status == SBX_STATUS_WALL_TIME_LIMIT, "%s %s",
		      sbx_status_name(heavy.result.status),
		      heavy.result.error ? heavy.result.error : "");
	ck_assert_msg(other.result.status == SBX_STATUS_EXITED && other.result.exit_code == 0,
		      "the other run: %s, exit %d, signal %d", sbx_status_name(other.result.status),
		      other.result.exit_code, other.result.signal);
	sbx_result_clear(&heavy.result);
	sbx_result_clear(&other.result);
}
END_TEST

/* --- what a run leaves of its caller ------------------------------------------ */

static volatile sig_atomic_t alarms, chlds;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_chld(int sig)
{
	(void)sig;
	chlds++;
}

static void on_int(int sig)
{
	(void)sig;
}

/* One allow-all run of "sh -c SCRIPT" with these streams; returns sbx_run()'s value. */
static int run_script(const char *script, const char *in, const char *out, int log_fd,
		      struct sbx_result *result)
{
	static const char allow[] = "{\"default\": \"allow\"}";
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	struct sbx_policy *policy = NULL;
	char *diag = NULL;
	int r = sbx_policy_parse("allow.json", allow, strlen(allow), &policy, &diag);

	if (r == 0) {
		struct sbx_config c = {
			.policy = policy,
			.argv = argv,
			.verbosity = log_fd >= 0 ? SBX_VERBOSE : SBX_QUIET,
			.log_fd = log_fd,
			.stdin_path = in,
			.stdout_path = out,
			.limits = {.wall_time_ms = 30000},
		};

		r = sbx_run(&c, result);
	}
	free(diag);
	sbx_policy_free(policy);
	return r;
}

/*
 * The caller's side while the program runs: once it said "go", the
 * caller's child |pid| is let exit (its pipe's write end closed) and a
 * timer of the caller's fires; then the program is told to end.
 */
struct caller {
	int go_fd, end_fd, pipe_w;
	pid_t pid;
	bool alarmed;
};

static void *play_caller(void *arg)
{
	struct caller *c = arg;
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
	struct itimerspec soon = {.it_value = {0, 20 * 1000 * 1000}};
	siginfo_t info;
	timer_t timer;
	char buf[8];

	if (read(c->go_fd, buf, 3) != 3)
		return NULL;
	close(c->pipe_w);
	(void)waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOWAIT);
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0) {
		timer_settime(timer, 0, &soon, NULL);
		/* A bound for a failure, not a measure: the handler counts it at once. */
		for (int i = 0; i < 500 && !alarms; i++)
			usleep(10 * 1000);
		timer_delete(timer);
	}
	c->alarmed = alarms > 0;
	(void)!write(c->end_fd, "x\n", 2);
	return NULL;
}

/*
 * A caller's children stay its own: one that exited before the run and one
 * that exits during it are both there for waitpid() afterwards, and the
 * caller's SIGCHLD handler hears of them. Its handlers, its ignored
 * SIGTERM, its interval timer (set before) and its other timer (firing
 * during the run, into its handler) and its subreaper flag (either value)
 * are as they were.
 */
START_TEST(caller_keeps_children_handlers_timers)
{
	for (int subreaper = 0; subreaper <= 1; subreaper++) {
		char in[PATH_MAX + 8], out[PATH_MAX + 8];
		struct sigaction sa = {0}, now;
		struct itimerval before = {.it_value = {100, 0}}, after;
		struct caller c = {0};
		struct sbx_result result;
		pthread_t thread;
		int pipefd[2], status, flag = -1;
		pid_t dead;

		snprintf(in, sizeof(in), "%s/in", dir);
		snprintf(out, sizeof(out), "%s/out", dir);
		ck_assert_int_eq(mkfifo(in, 0666), 0);
		ck_assert_int_eq(mkfifo(out, 0666), 0);
		chmod(in, 0666);
		chmod(out, 0666);
		c.end_fd = open(in, O_RDWR | O_CLOEXEC);
		c.go_fd = open(out, O_RDWR | O_CLOEXEC);
		ck_assert_int_ge(c.end_fd, 0);
		ck_assert_int_ge(c.go_fd, 0);

		ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, subreaper), 0);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_int;
		sigaction(SIGINT, &sa, NULL);
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		sa.sa_handler = on_chld;
		sigaction(SIGCHLD, &sa, NULL);
		signal(SIGTERM, SIG_IGN);
		ck_assert_int_eq(setitimer(ITIMER_REAL, &before, NULL), 0);

		/* One child gone before the run, unwaited; one that waits for its pipe. */
		dead = fork();
		ck_assert_int_ge(dead, 0);
		if (dead == 0)
			_exit(7);
		ck_assert_int_eq(waitid(P_PID, (id_t)dead, &(siginfo_t){0}, WEXITED | WNOWAIT), 0);
		ck_assert_int_eq(pipe(pipefd), 0);
		c.pipe_w = pipefd[1];
		c.pid = fork();
		ck_assert_int_ge(c.pid, 0);
		if (c.pid == 0) {
			char b;

			close(pipefd[1]);
			_exit(read(pipefd[0], &b, 1) == 0 ? 8 : 9);
		}
		close(pipefd[0]);
		alarms = 0;
		chlds = 0;

		ck_assert_int_eq(pthread_create(&thread, NULL, play_caller, &c), 0);
		ck_assert_int_eq(run_script("echo go; read x", in, out, -1, &result), 0);
		pthread_join(thread, NULL);
		ck_assert_msg(result.status == SBX_STATUS_EXITED && result.exit_code == 0, "%s %s",
			      sbx_status_name(result.status), result.error ? result.error : "");
		sbx_result_clear(&result);

		ck_assert_msg(c.alarmed, "the caller's timer never reached its handler");
		ck_assert_int_eq(waitpid(dead, &status, 0), dead);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
		ck_assert_int_eq(waitpid(c.pid, &status, 0), c.pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 8);
		ck_assert_msg(chlds > 0, "the caller's SIGCHLD handler heard nothing");

		ck_assert_int_eq(prctl(PR_GET_CHILD_SUBREAPER, &flag), 0);
		ck_assert_int_eq(flag, subreaper);
		sigaction(SIGINT, NULL, &now);
		ck_assert(now.sa_handler == on_int);
		sigaction(SIGALRM, NULL, &now);
		ck_assert(now.sa_handler == on_alarm);
		sigaction(SIGCHLD, NULL, &now);
		ck_assert(now.sa_handler == on_chld);
		sigaction(SIGTERM, NULL, &now);
		ck_assert(now.sa_handler == SIG_IGN);
		ck_assert_int_eq(getitimer(ITIMER_REAL, &after), 0);
		ck_assert_msg(after.it_value.tv_sec > 0 && after.it_value.tv_sec <= 100,
			      "the caller's itimer: %ld s left", (long)after.it_value.tv_sec);

		memset(&after, 0, sizeof(after));
		setitimer(ITIMER_REAL, &after, NULL);
		signal(SIGTERM, SIG_DFL);
		close(c.end_fd);
		close(c.go_fd);
		unlink(in);
		unlink(out);
	}
}
END_TEST

/*
 * The log is a pipe nobody reads (SIGPIPE has its default action in this
 * process): the log stops, the run does not, and neither does the caller.
 */
START_TEST(log_to_a_closed_pipe)
{
	struct sbx_result result;
	int pipefd[2];

	signal(SIGPIPE, SIG_DFL);
	ck_assert_int_eq(pipe(pipefd), 0);
	close(pipefd[0]);
	/* From /tmp, a run says where the program's working directory is. */
	ck_assert_int_eq(chdir("/tmp"), 0);
	ck_assert_int_eq(run_script("echo hi; exit 4", NULL, "/dev/null", pipefd[1], &result), 0);
	ck_assert_msg(result.status == SBX_STATUS_EXITED && result.exit_code == 4, "%s %s",
		      sbx_status_name(result.status), result.error ? result.error : "");
	sbx_result_clear(&result);
	close(pipefd[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, two_policies_at_once);
	tcase_add_test(tc, two_limits_at_once);
	tcase_add_test(tc, one_run_killed_spares_the_other);
	tcase_add_test(tc, caller_keeps_children_handlers_timers);
	tcase_add_test(tc, log_to_a_closed_pipe);
	tcase_add_test(tc, more_runs_than_signal_slots);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
