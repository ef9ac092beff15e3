/* SPDX-License-Identifier: MIT */
/* errno and signal names: both directions, aliases, real-time signals, junk. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "run_suite.h"
#include "names.h"

static const struct {
	int value;
	const char *name;
} errnos[] = {
	{EPERM, "EPERM"},
	{ENOENT, "ENOENT"},
	{EACCES, "EACCES"},
	{EAGAIN, "EAGAIN"},
	{ENOSYS, "ENOSYS"},
	{EROFS, "EROFS"},
	{ECONNREFUSED, "ECONNREFUSED"},
	{EHWPOISON, "EHWPOISON"},
	{512, "ERESTARTSYS"},
	{516, "ERESTART_RESTARTBLOCK"},
};

START_TEST(errno_both_ways)
{
	ck_assert_str_eq(errno_name(errnos[_i].value), errnos[_i].name);
	ck_assert_int_eq(errno_from_name(errnos[_i].name), errnos[_i].value);
}
END_TEST

START_TEST(errno_every_value_round_trips)
{
	int named = 0;

	/* Every value glibc knows a message for has a name, and it maps back. */
	for (int e = 1; e <= EHWPOISON; e++) {
		const char *n = errno_name(e);

		if (!n)
			continue;
		named++;
		ck_assert_msg(errno_from_name(n) == e, "%s -> %d, expected %d", n,
			      errno_from_name(n), e);
	}
	/* 41 and 58 are holes in the x86_64 numbering; everything else is named. */
	ck_assert_int_eq(named, EHWPOISON - 2);
}
END_TEST

START_TEST(errno_aliases_and_junk)
{
	ck_assert_int_eq(errno_from_name("EWOULDBLOCK"), EAGAIN);
	ck_assert_int_eq(errno_from_name("ENOTSUP"), EOPNOTSUPP);
	ck_assert_int_eq(errno_from_name("EDEADLOCK"), EDEADLK);
	ck_assert_int_eq(errno_from_name("eperm"), -1); /* exact, case-sensitive */
	ck_assert_int_eq(errno_from_name("EPERMX"), -1);
	ck_assert_int_eq(errno_from_name(""), -1);
	ck_assert_int_eq(errno_from_name(NULL), -1);
	ck_assert_ptr_null(errno_name(0));
	ck_assert_ptr_null(errno_name(-1));
	ck_assert_ptr_null(errno_name(4095));
}
END_TEST

START_TEST(signal_both_ways)
{
	ck_assert_str_eq(signal_name(SIGTERM), "SIGTERM");
	ck_assert_str_eq(signal_name(SIGKILL), "SIGKILL");
	ck_assert_str_eq(signal_name(SIGSYS), "SIGSYS");
	ck_assert_str_eq(signal_name(32), "SIGRTMIN");
	ck_assert_str_eq(signal_name(35), "SIGRT_3");
	ck_assert_str_eq(signal_name(64), "SIGRT_32");
	ck_assert_ptr_null(signal_name(0));
	ck_assert_ptr_null(signal_name(65));
	ck_assert_ptr_null(signal_name(-9));
	for (int s = 1; s <= 64; s++)
		ck_assert_msg(signal_from_name(signal_name(s)) == s, "signal %d (%s)", s,
			      signal_name(s));
}
END_TEST

START_TEST(signal_spellings)
{
	ck_assert_int_eq(signal_from_name("TERM"), SIGTERM);
	ck_assert_int_eq(signal_from_name("SIGIOT"), SIGABRT);
	ck_assert_int_eq(signal_from_name("CLD"), SIGCHLD);
	ck_assert_int_eq(signal_from_name("SIGRTMIN+3"), 35);
	ck_assert_int_eq(signal_from_name("RTMAX-1"), 63);
	ck_assert_int_eq(signal_from_name("SIGRTMAX"), 64);
	ck_assert_int_eq(signal_from_name("SIGRTMIN+33"), -1);
	ck_assert_int_eq(signal_from_name("SIGRTMIN+"), -1);
	ck_assert_int_eq(signal_from_name("SIGRTMIN+1x"), -1);
	ck_assert_int_eq(signal_from_name("SIG"), -1);
	ck_assert_int_eq(signal_from_name(""), -1);
	ck_assert_int_eq(signal_from_name("sigterm"), -1);
	ck_assert_int_eq(signal_from_name(NULL), -1);
}
END_TEST

static Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("names");

	tcase_add_loop_test(tc, errno_both_ways, 0, (int)(sizeof(errnos) / sizeof(errnos[0])));
	tcase_add_test(tc, errno_every_value_round_trips);
	tcase_add_test(tc, errno_aliases_and_junk);
	tcase_add_test(tc, signal_both_ways);
	tcase_add_test(tc, signal_spellings);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(names_suite());
}
