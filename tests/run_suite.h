/* SPDX-License-Identifier: MIT */
/*
 * run_suite.h - the main() of every Check test program: run |s| (fork mode
 * and verbosity from CK_FORK and CK_VERBOSITY), 0 when every test passed.
 */
#ifndef SBX_TEST_RUN_SUITE_H
#define SBX_TEST_RUN_SUITE_H

#include <check.h>

static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
