/* SPDX-License-Identifier: MIT */
/*
 * The sandbox's own lines (struct sink) on an output the program can stall:
 * kept in order while the output is full, written once it drains, dropped
 * and counted only past the bound or when nobody ever reads; a reader that
 * is gone neither kills the caller (SIGPIPE) nor loses count.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_suite.h"
#include "util.h"

/* A pipe whose write end is non-blocking and full. */
static void full_pipe(int fds[2])
{
	char junk[4096];

	memset(junk, 'x', sizeof(junk));
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_int_ge(fcntl(fds[1], F_SETPIPE_SZ, 4096), 4096);
	ck_assert_int_eq(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	while (write(fds[1], junk, sizeof(junk)) > 0)
		;
	ck_assert_int_eq(errno, EAGAIN);
}

/* Read what the pipe holds now, skipping the filler; returns the length kept in |out|. */
static size_t take(int fd, char *out, size_t cap)
{
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != 'x' && len + 1 < cap)
				out[len++] = buf[i];
	}
	fcntl(fd, F_SETFL, fl);
	out[len] = '\0';
	return len;
}

START_TEST(kept_in_order_then_written)
{
	int fds[2];
	struct sink k;
	char got[256];

	full_pipe(fds);
	k = (struct sink){.fd = fds[1]};
	sink_write(&k, "one\n", 4);
	sink_write(&k, "two\n", 4);
	ck_assert_uint_eq(k.n_kept, 8);
	ck_assert_uint_eq(k.dropped, 0);
	/* The reader catches up: the next line goes out after the kept ones. */
	take(fds[0], got, sizeof(got));
	ck_assert_str_eq(got, "");
	sink_write(&k, "three\n", 6);
	ck_assert_uint_eq(k.n_kept, 0);
	take(fds[0], got, sizeof(got));
	ck_assert_str_eq(got, "one\ntwo\nthree\n");
	ck_assert_uint_eq(k.dropped, 0);
	sink_free(&k);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(drain_waits_for_a_reader_then_gives_up)
{
	int fds[2];
	struct sink k;
	char got[256];

	full_pipe(fds);
	k = (struct sink){.fd = fds[1]};
	sink_write(&k, "kept\n", 5);
	/* Nobody reads: the line is counted as dropped, nothing is kept. */
	sink_drain(&k, 50);
	ck_assert_uint_eq(k.n_kept, 0);
	ck_assert_uint_eq(k.dropped, 1);
	/* Somebody reads: the drain writes everything. */
	sink_write(&k, "a\n", 2);
	sink_write(&k, "b\n", 2);
	take(fds[0], got, sizeof(got));
	sink_drain(&k, 5000);
	take(fds[0], got, sizeof(got));
	ck_assert_str_eq(got, "a\nb\n");
	ck_assert_uint_eq(k.dropped, 1);
	sink_free(&k);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(bounded_and_never_split)
{
	int fds[2];
	struct sink k;
	char line[5000], junk[4096];
	unsigned long n_lines = 0;
	size_t total = 0;
	char *got = malloc(4u << 20);

	ck_assert_ptr_nonnull(got);
	memset(line, 'L', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	memset(junk, 'x', sizeof(junk));
	/* Two pages, one full: a line longer than PIPE_BUF goes in part. */
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_int_eq(fcntl(fds[1], F_SETPIPE_SZ, 8192), 8192);
	ck_assert_int_eq(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(write(fds[1], junk, sizeof(junk)), sizeof(junk));
	k = (struct sink){.fd = fds[1]};
	while (k.dropped == 0 && n_lines < 10000) {
		sink_write(&k, line, sizeof(line));
		n_lines++;
	}
	/* The begun line was kept whole; the rest up to the bound; then none. */
	ck_assert_uint_eq(k.dropped, 1);
	ck_assert_uint_le(k.n_kept, SINK_KEEP_MAX + sizeof(line));
	ck_assert_uint_ge(k.n_kept, SINK_KEEP_MAX - sizeof(line));
	sink_write(&k, line, sizeof(line));
	ck_assert_uint_eq(k.dropped, 2);
	/* The reader catches up: every line that arrives is whole. */
	for (int i = 0; k.n_kept > 0 && i < 100000; i++) {
		total += take(fds[0], got + total, (4u << 20) - total);
		sink_write(&k, NULL, 0);
	}
	total += take(fds[0], got + total, (4u << 20) - total);
	ck_assert_uint_eq(k.n_kept, 0);
	ck_assert_uint_eq(total, (n_lines - 1) * sizeof(line));
	for (size_t i = 0; i < total; i += sizeof(line))
		ck_assert_int_eq(memcmp(got + i, line, sizeof(line)), 0);
	ck_assert_uint_eq(k.dropped, 2);
	free(got);
	sink_free(&k);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(reader_gone_is_no_signal)
{
	int fds[2];
	struct sink k;

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	close(fds[0]);
	k = (struct sink){.fd = fds[1]};
	/* Default SIGPIPE disposition: the write alone would kill this process. */
	signal(SIGPIPE, SIG_DFL);
	sink_write(&k, "lost\n", 5);
	sink_write(&k, "lost too\n", 9);
	ck_assert(k.broken);
	ck_assert_uint_eq(k.dropped, 2);
	ck_assert_uint_eq(k.n_kept, 0);
	sink_free(&k);
	close(fds[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sink");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, kept_in_order_then_written);
	tcase_add_test(tc, drain_waits_for_a_reader_then_gives_up);
	tcase_add_test(tc, bounded_and_never_split);
	tcase_add_test(tc, reader_gone_is_no_signal);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
