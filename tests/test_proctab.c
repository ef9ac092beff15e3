/* SPDX-License-Identifier: MIT */
/* Process table: adds, finds, removals, growth, and reuse of deleted slots. */
#include <check.h>
#include <stdbool.h>

#include "run_suite.h"
#include "proctab.h"

START_TEST(add_find_remove)
{
	struct proctab t = {0};
	bool is_new;
	struct task *a;

	ck_assert_ptr_null(proctab_find(&t, 42));
	a = proctab_add(&t, 42, &is_new);
	ck_assert_ptr_nonnull(a);
	ck_assert(is_new);
	a->flags = 7;
	ck_assert_ptr_eq(proctab_add(&t, 42, &is_new), a);
	ck_assert(!is_new);
	ck_assert_uint_eq(proctab_find(&t, 42)->flags, 7);
	proctab_remove(&t, 42);
	ck_assert_ptr_null(proctab_find(&t, 42));
	ck_assert_uint_eq(t.live, 0);
	proctab_free(&t);
}
END_TEST

START_TEST(many_with_churn)
{
	struct proctab t = {0};
	bool is_new;
	size_t seen = 0;

	/* 20000 pids, every other removed, across several rehashes. */
	for (pid_t pid = 1; pid <= 20000; pid++) {
		ck_assert_ptr_nonnull(proctab_add(&t, pid * 7, &is_new));
		ck_assert(is_new);
		if (pid % 2 == 0)
			proctab_remove(&t, (pid - 1) * 7);
	}
	ck_assert_uint_eq(t.live, 10000);
	for (pid_t pid = 1; pid <= 20000; pid++)
		ck_assert_msg((proctab_find(&t, pid * 7) != NULL) == (pid % 2 == 0), "pid %d",
			      pid * 7);
	proctab_foreach(&t, task) seen++;
	ck_assert_uint_eq(seen, 10000);
	ck_assert_uint_lt(t.used * 2, t.cap + 1);
	proctab_free(&t);
}
END_TEST

START_TEST(deleted_slots_are_reused)
{
	struct proctab t = {0};
	bool is_new;
	size_t cap;

	for (int round = 0; round < 100000; round++) {
		ck_assert_ptr_nonnull(proctab_add(&t, 1000 + round, &is_new));
		proctab_remove(&t, 1000 + round);
	}
	cap = t.cap;
	/* Churn alone must not grow the table without bound. */
	ck_assert_uint_le(cap, 1024);
	proctab_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("proctab");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, add_find_remove);
	tcase_add_test(tc, many_with_churn);
	tcase_add_test(tc, deleted_slots_are_reused);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
