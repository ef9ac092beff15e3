/* SPDX-License-Identifier: MIT */
#include "run_suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * The skips of this run. In fork mode (Check's default) each test runs in
 * a child process: the record is in memory shared with them, made before
 * the first test.
 */
struct skips {
	int count;
	char text[8192]; /* "NAME: WHY\n" for each */
};

static struct skips *skips;

void skip_test_at(const char *fn, const char *why)
{
	size_t len = strlen(fn);

	/* START_TEST(NAME) defines NAME_fn: the test's name is NAME. */
	if (len > 3 && strcmp(fn + len - 3, "_fn") == 0)
		len -= 3;
	printf("SKIP %.*s: %s\n", (int)len, fn, why);
	fflush(stdout);
	if (skips) {
		size_t used = strlen(skips->text);

		skips->count++;
		snprintf(skips->text + used, sizeof(skips->text) - used, "  %.*s: %s\n", (int)len,
			 fn, why);
	}
}

TCase *tcase_alone(Suite *s, const TTest *test, double timeout)
{
	TCase *tc = tcase_create(test->name);

	tcase_set_tags(tc, test->name);
	if (timeout > 0)
		tcase_set_timeout(tc, timeout);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
	return tc;
}

int run_suite(Suite *s)
{
	const char *only = getenv("CK_RUN_CASE");
	SRunner *sr;
	int ran, failed, skipped;

	if (only && *only && !suite_tcase(s, only)) {
		fprintf(stderr, "CK_RUN_CASE=%s: this program has no such test case\n", only);
		return 99;
	}
	skips = mmap(NULL, sizeof(*skips), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		     0);
	if (skips == MAP_FAILED) {
		perror("mmap");
		return 99;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	ran = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	skipped = skips->count;
	if (skipped)
		printf("Skipped: %d of the %d tests run (Check counted them as passed):\n%s",
		       skipped, ran, skips->text);
	munmap(skips, sizeof(*skips));
	skips = NULL;
	if (failed)
		return 1;
	if (skipped) {
		/* One result for the program: a pass would hide the skip. */
		if (skipped < ran)
			printf("The program exits 77, skipped: the %d that passed show as skipped "
			       "too (tests/meson.build runs each test that can skip alone)\n",
			       ran - skipped);
		return 77;
	}
	if (ran == 0) {
		printf("SKIP: no test ran\n");
		return 77;
	}
	return 0;
}
