/* SPDX-License-Identifier: MIT */
/*
 * Managed runtimes under a memory limit, as judges run them: the rlimit
 * beside --memory must leave room for what a runtime reserves at start
 * (Go's heap arena, a JVM's heap and its -Xss thread stacks) and the
 * verdict must come from the memory the program uses.
 *
 * One Check test case per meson test (CK_RUN_CASE "java" or "go"), so a
 * runtime this machine lacks (no java, or no Go toolchain at build time)
 * shows as skipped, exit 77, rather than passing.
 */
#include "harness.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char allow_all[] = "{\"default\": \"allow\"}";
static char progs[256];
static const char java[] = "/usr/bin/java";

START_TEST(java_under_memory_limit)
{
	const char *opts[] = {"--memory", "256M", NULL};
	const char *hello[] = {java, "-Xss64M", "-Xmx256M", "-cp", progs, "Alloc", NULL};
	const char *fits[] = {java, "-Xss64M", "-Xmx256M", "-cp", progs, "Alloc", "100", NULL};
	const char *over[] = {java, "-Xmx1g", "-cp", progs, "Alloc", "600", NULL};
	struct run r;

	/* The JVM starts (the rlimit at twice the limit: "Failed to start thread"). */
	run_sandbox(&r, allow_all, opts, hello);
	assert_has(r.out, "hello\n");
	ck_assert_str_eq(report_str(&r, "status"), "exited");
	ck_assert_int_eq(r.status, 0);

	run_sandbox(&r, allow_all, opts, fits);
	assert_has(r.out, "alloc=100\n");
	ck_assert_str_eq(report_str(&r, "status"), "exited");
	ck_assert_int_gt(report_int(&r, "memory_peak_kb"), 100 * 1024);

	/* A heap allowed past the limit: the measured memory is the verdict. */
	run_sandbox(&r, allow_all, opts, over);
	assert_lacks(r.out, "alloc=");
	ck_assert_str_eq(report_str(&r, "status"), "memory_limit");
	ck_assert_int_eq(r.status, 203);
}
END_TEST

START_TEST(go_under_memory_limit)
{
	const char *opts[] = {"--memory", "16M", NULL};
	char go[300];
	struct run r;

	snprintf(go, sizeof(go), "%s/alloc-go", progs);
	const char *hello[] = {go, NULL};
	const char *over[] = {go, "64", NULL};

	/* Go maps a 64 MiB heap arena at start (twice the limit: "out of memory"). */
	run_sandbox(&r, allow_all, opts, hello);
	assert_has(r.out, "hello\n");
	ck_assert_str_eq(report_str(&r, "status"), "exited");
	ck_assert_int_eq(r.status, 0);

	run_sandbox(&r, allow_all, opts, over);
	assert_lacks(r.out, "alloc=");
	ck_assert_str_eq(report_str(&r, "status"), "memory_limit");
	ck_assert_int_eq(r.status, 203);
	ck_assert_int_gt(report_int(&r, "memory_peak_kb"), 16 * 1024);
}
END_TEST

static Suite *runtimes_suite(void)
{
	Suite *s = suite_create("runtimes");
	TCase *tc = tcase_create("java");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, java_under_memory_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("go");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, go_under_memory_limit);
	suite_add_tcase(s, tc);
	return s;
}

/* Exit 77 when the case's runtime or its compiled program is missing. */
static void skip_unless_present(void)
{
	const char *c = getenv("CK_RUN_CASE");
	char path[300];

	if (!c)
		return;
	if (strcmp(c, "java") == 0) {
		snprintf(path, sizeof(path), "%s/Alloc.class", progs);
		if (access(java, X_OK) != 0 || access(path, R_OK) != 0) {
			printf("SKIP: no %s, or no javac when this build was configured\n", java);
			exit(77);
		}
	}
	if (strcmp(c, "go") == 0) {
		snprintf(path, sizeof(path), "%s/alloc-go", progs);
		if (access(path, X_OK) != 0) {
			printf("SKIP: no Go toolchain when this build was configured\n");
			exit(77);
		}
	}
}

int main(void)
{
	const char *p = getenv("SBX_PROGS");

	snprintf(progs, sizeof(progs), "%s", p ? p : ".");
	skip_unless_present();
	return harness_main(runtimes_suite());
}
