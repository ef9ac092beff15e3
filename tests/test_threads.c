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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run_suite.h"
#include "sandbox.h"

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

int main(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, two_policies_at_once);
	tcase_add_test(tc, two_limits_at_once);
	tcase_add_test(tc, one_run_killed_spares_the_other);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
