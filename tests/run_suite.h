/* SPDX-License-Identifier: MIT */
/*
 * run_suite.h - the main() of every Check test program, and how a test that
 * cannot run on this machine says so.
 *
 * Check has no "skipped": a test that returns early passes. So a test that
 * cannot run calls SKIP_TEST (or SKIP_UNLESS), which records the skip with
 * its reason and returns; Check still counts it as passed, but run_suite()
 * exits 77, meson's "skipped", whenever a test it ran was skipped and none
 * failed. A program has one result in meson's summary, so a test that can
 * skip is given a test case of its own (tcase_alone()) and tests/meson.build
 * runs that case as a meson test of its own: each skip shows in the summary.
 */
#ifndef SBX_TEST_RUN_SUITE_H
#define SBX_TEST_RUN_SUITE_H

#include <check.h>

/*
 * Run |s| (fork mode, verbosity and the test cases to run from CK_FORK,
 * CK_VERBOSITY, CK_RUN_CASE and CK_EXCLUDE_TAGS): 1 when a test failed,
 * 77 when none failed but one was skipped (or none ran), 99 when
 * CK_RUN_CASE names no test case of |s|, else 0.
 */
int run_suite(Suite *s);

/*
 * Record that the test running in function |fn| (Check's "NAME_fn") was
 * skipped, and print why. The test must then return without asserting more.
 */
void skip_test_at(const char *fn, const char *why);

/* Skip the rest of the test (only in the test's own body: it returns). */
#define SKIP_TEST(why)                                                                             \
	do {                                                                                       \
		skip_test_at(__func__, (why));                                                     \
		return;                                                                            \
	} while (0)
#define SKIP_UNLESS(cond, why)                                                                     \
	do {                                                                                       \
		if (!(cond))                                                                       \
			SKIP_TEST(why);                                                            \
	} while (0)

/*
 * Add |test| to |s| in a test case of its own, named and tagged like the
 * test (Check's default timeout unless |timeout| > 0). tests/meson.build
 * lists these cases: it runs each alone (CK_RUN_CASE) and leaves them out
 * of the run of the rest (CK_EXCLUDE_TAGS). One missing from that list
 * still runs, with the rest.
 */
TCase *tcase_alone(Suite *s, const TTest *test, double timeout);

#endif
