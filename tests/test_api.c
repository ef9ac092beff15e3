/* SPDX-License-Identifier: MIT */
/*
 * test_api - the public API across versions (sandbox.h, "Versions of the
 * structures"): a caller built with older headers passes smaller structs, one
 * built with newer headers larger ones, and each gets what the rules promise;
 * and the version macros agree with sbx_version().
 *
 * This is the first published layout, so no real caller is older: an older
 * caller is played by cutting the structs short and calling api_run() (what
 * sbx_run_sized() calls) with the cut as the smallest size, as a later
 * library whose structs grew past those cuts would be called. Leaks of what
 * the library allocated for the fields cut off show in the ASan build.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "run_suite.h"
#include "sandbox.h"

#define CANARY 0xa5

/* Kills uname(2), logs every openat(2) (so a run has calls to list). */
static const char policy_text[] = "{\"default\": \"allow\", \"rules\": ["
				  "{\"syscalls\": [\"uname\"], \"action\": \"kill\"},"
				  "{\"syscalls\": [\"openat\"], \"action\": \"log\"}]}";

static char dir[PATH_MAX], mark[PATH_MAX + 8], env_mark[PATH_MAX + 16];
static const char *env_sets[1];
static struct sbx_policy *policy;

/* Leaves a mark (so a refused call can be seen to have started nothing), exits 3. */
static char *const exits_3[] = {"/bin/sh", "-c", "echo ran > \"$MARK\"; exit 3", NULL};
static char *const violates[] = {"/bin/sh", "-c", "uname", NULL};

static void setup(void)
{
	char *diag = NULL;

	snprintf(dir, sizeof(dir), "/tmp/sbx-api-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(mark, sizeof(mark), "%s/mark", dir);
	snprintf(env_mark, sizeof(env_mark), "MARK=%s", mark);
	env_sets[0] = env_mark;
	ck_assert_msg(
		sbx_policy_parse("api.json", policy_text, strlen(policy_text), &policy, &diag) == 0,
		"%s", diag ? diag : "");
}

static void teardown(void)
{
	unlink(mark);
	rmdir(dir);
	sbx_policy_free(policy);
	policy = NULL;
}

/* No namespaces: the test runs wherever ptrace and seccomp do. */
static struct sbx_config config_of(char *const *argv)
{
	return (struct sbx_config){
		.policy = policy,
		.argv = argv,
		.verbosity = SBX_QUIET,
		.log_fd = STDERR_FILENO,
		.env_sets = env_sets,
		.n_env_sets = 1,
		.isolation = SBX_ISOLATION_NONE,
	};
}

static bool marked(void)
{
	return access(mark, F_OK) == 0;
}

static bool all_bytes(const void *p, size_t from, size_t to, unsigned char value)
{
	const unsigned char *b = p;

	for (size_t i = from; i < to; i++)
		if (b[i] != value)
			return false;
	return true;
}

/* At full size the runs below own what the cuts leave out: the leak checks have a subject. */
START_TEST(full_size_runs_own_memory)
{
	struct sbx_config c = config_of(exits_3);
	struct sbx_result r;

	ck_assert_int_eq(sbx_run(&c, &r), 0);
	ck_assert_msg(r.status == SBX_STATUS_EXITED && r.exit_code == 3, "%s %d %s",
		      sbx_status_name(r.status), r.exit_code, r.error ? r.error : "");
	ck_assert_ptr_nonnull(r.isolation.workdir);
	ck_assert_uint_gt(r.n_calls, 0);
	sbx_result_clear(&r);
	ck_assert(all_bytes(&r, 0, sizeof(r), 0));

	c = config_of(violates);
	ck_assert_int_eq(sbx_run(&c, &r), 0);
	ck_assert_msg(r.status == SBX_STATUS_VIOLATION, "%s %s", sbx_status_name(r.status),
		      r.error ? r.error : "");
	ck_assert_ptr_nonnull(r.violation.text);
	ck_assert_ptr_nonnull(r.violation.reason);
	sbx_result_clear(&r);
}
END_TEST

/*
 * An older caller: its config ends before attach_pid (set past the cut to a
 * pid no process has, so a library reading past the caller's size would try
 * to attach and fail), its result before the violation or before the
 * isolation facts. It gets a normal run, its prefix filled, nothing written
 * past it, and sbx_result_clear_sized() at its size frees what it holds.
 */
START_TEST(older_caller_smaller_structs)
{
	const size_t config_cut = offsetof(struct sbx_config, attach_pid);
	const size_t result_cuts[] = {offsetof(struct sbx_result, violation),
				      offsetof(struct sbx_result, isolation)};

	for (size_t i = 0; i < 2 * sizeof(result_cuts) / sizeof(result_cuts[0]); i++) {
		size_t cut = result_cuts[i / 2];
		bool violation = i % 2;
		struct sbx_config c = config_of(violation ? violates : exits_3);
		struct {
			struct sbx_result r;
			unsigned char after[16];
		} box;
		int r;

		c.attach_pid = INT_MAX;
		c.detach_after_ms = 1;
		memset(&box, CANARY, sizeof(box));
		r = api_run(&c, config_cut, &box.r, cut, (struct api_minimum){config_cut, cut});
		ck_assert_msg(r == 0, "cut %zu: %s", cut, strerror(-r));
		ck_assert_msg(all_bytes(&box, cut, sizeof(box), CANARY),
			      "cut %zu: written past the caller's result", cut);
		if (violation) {
			ck_assert_msg(box.r.status == SBX_STATUS_VIOLATION, "cut %zu: %s", cut,
				      sbx_status_name(box.r.status));
			ck_assert_int_eq(box.r.signal, SIGKILL);
		} else {
			ck_assert_msg(box.r.status == SBX_STATUS_EXITED && box.r.exit_code == 3,
				      "cut %zu: %s, exit %d", cut, sbx_status_name(box.r.status),
				      box.r.exit_code);
			ck_assert(marked());
			unlink(mark);
		}
		if (cut > offsetof(struct sbx_result, violation) && violation)
			ck_assert_ptr_nonnull(box.r.violation.text);
		sbx_result_clear_sized(&box.r, cut);
		ck_assert(all_bytes(&box, 0, cut, 0));
		ck_assert(all_bytes(&box, cut, sizeof(box), CANARY));
	}
}
END_TEST

/* A newer caller's config sets a field this library does not know: refused, nothing runs. */
START_TEST(newer_caller_unknown_field_refused)
{
	struct {
		struct sbx_config c;
		uint64_t added[2];
	} newer = {.c = config_of(exits_3), .added = {0, 1}};
	struct sbx_result r;

	ck_assert_int_eq(sbx_run_sized(&newer.c, sizeof(newer), &r, sizeof(r)), -E2BIG);
	ck_assert(!marked());
	ck_assert(all_bytes(&r, 0, sizeof(r), 0));
	sbx_result_clear(&r);
}
END_TEST

/*
 * The same with the new fields left zero runs; a newer caller's larger
 * result gets its unknown tail zeroed.
 */
START_TEST(newer_caller_zero_tail_runs)
{
	struct {
		struct sbx_config c;
		uint64_t added[2];
	} newer = {.c = config_of(exits_3)};
	struct {
		struct sbx_result r;
		uint64_t added[2];
	} result;

	memset(&result, CANARY, sizeof(result));
	ck_assert_int_eq(sbx_run_sized(&newer.c, sizeof(newer), &result.r, sizeof(result)), 0);
	ck_assert_msg(result.r.status == SBX_STATUS_EXITED && result.r.exit_code == 3,
		      "%s, exit %d", sbx_status_name(result.r.status), result.r.exit_code);
	ck_assert(marked());
	ck_assert(result.added[0] == 0 && result.added[1] == 0);
	ck_assert_int_eq(sbx_result_exit_status_sized(&result.r, sizeof(result)), 3);
	sbx_result_clear_sized(&result.r, sizeof(result));
	ck_assert(all_bytes(&result, 0, sizeof(result), 0));
}
END_TEST

/* Sizes below the first published layout, and NULL: -EINVAL, nothing runs or is written. */
START_TEST(below_first_layout_refused)
{
	struct sbx_config c = config_of(exits_3);
	struct sbx_result r;
	char json[PATH_MAX + 16];

	ck_assert_int_eq(sbx_run_sized(&c, SBX_CONFIG_SIZE_VER0 - 1, &r, sizeof(r)), -EINVAL);
	ck_assert(all_bytes(&r, 0, sizeof(r), 0));
	ck_assert_int_eq(sbx_run_sized(NULL, sizeof(c), &r, sizeof(r)), -EINVAL);
	memset(&r, CANARY, sizeof(r));
	ck_assert_int_eq(sbx_run_sized(&c, sizeof(c), &r, SBX_RESULT_SIZE_VER0 - 1), -EINVAL);
	ck_assert(all_bytes(&r, 0, sizeof(r), CANARY));
	ck_assert(!marked());

	memset(&r, 0, sizeof(r));
	snprintf(json, sizeof(json), "%s/report.json", dir);
	ck_assert_int_eq(sbx_result_exit_status_sized(&r, SBX_RESULT_SIZE_VER0 - 1), -EINVAL);
	ck_assert_int_eq(sbx_result_write_json_sized(&r, SBX_RESULT_SIZE_VER0 - 1, json), -EINVAL);
	ck_assert(access(json, F_OK) != 0);
	ck_assert_int_eq(sbx_result_exit_status(&r), 0);
}
END_TEST

START_TEST(version_agrees)
{
	char numbers[64];

	snprintf(numbers, sizeof(numbers), "%d.%d.%d", SBX_VERSION_MAJOR, SBX_VERSION_MINOR,
		 SBX_VERSION_PATCH);
	ck_assert_str_eq(SBX_VERSION_STRING, numbers);
	ck_assert_str_eq(sbx_version(), SBX_VERSION_STRING);
	ck_assert(SBX_VERSION_AT_LEAST(SBX_VERSION_MAJOR, SBX_VERSION_MINOR, SBX_VERSION_PATCH));
	ck_assert(SBX_VERSION_AT_LEAST(0, 0, 0));
	ck_assert(
		!SBX_VERSION_AT_LEAST(SBX_VERSION_MAJOR, SBX_VERSION_MINOR, SBX_VERSION_PATCH + 1));
	ck_assert(!SBX_VERSION_AT_LEAST(SBX_VERSION_MAJOR, SBX_VERSION_MINOR + 1, 0));
	ck_assert(!SBX_VERSION_AT_LEAST(SBX_VERSION_MAJOR + 1, 0, 0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api");
	TCase *sizes = tcase_create("sizes");
	TCase *version = tcase_create("version");

	tcase_add_checked_fixture(sizes, setup, teardown);
	tcase_set_timeout(sizes, 60);
	tcase_add_test(sizes, full_size_runs_own_memory);
	tcase_add_test(sizes, older_caller_smaller_structs);
	tcase_add_test(sizes, newer_caller_unknown_field_refused);
	tcase_add_test(sizes, newer_caller_zero_tail_runs);
	tcase_add_test(sizes, below_first_layout_refused);
	suite_add_tcase(s, sizes);
	tcase_add_test(version, version_agrees);
	suite_add_tcase(s, version);
	return run_suite(s);
}
