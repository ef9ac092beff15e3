/* SPDX-License-Identifier: MIT */
/*
 * harness.h - what the integration suites share: running the real sandbox
 * binary ($SBX_BIN) on helper programs ($SBX_PROGS), capturing stdout,
 * stderr, the exit status and the JSON report, in a private temporary
 * directory removed at the end.
 */
#ifndef SBX_TEST_HARNESS_H
#define SBX_TEST_HARNESS_H

#include "run_suite.h"

#include <check.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

struct run {
	int status; /* exit status of sandbox (128+N when it died of signal N) */
	pid_t pid;  /* pid of the process we started */
	char out[16384];
	char err[16384];
	char report[524288]; /* 1024 kinds of calls with long reasons fit */
};

/* The test's temporary directory (every tmp_path() is in it). */
const char *harness_tmpdir(void);

/*
 * run_sandbox() binds the temporary directory into the sandbox at its own
 * path, writable, so programs find their files there; a test of what the
 * sandbox hides turns that off (for the rest of the test).
 */
void harness_bind_tmpdir(bool on);

/*
 * The host pid of the process that is |inside| in the PID namespace of the
 * sandbox started as |supervisor|; 0 when there is none.
 */
pid_t sandbox_host_pid(pid_t supervisor, pid_t inside);

/* Create the temporary directory; 0, or 99 (a hard error) for main() to return. */
int harness_init(void);
/* Remove it. */
void harness_cleanup(void);

const char *sbx_bin(void);
/* $SBX_PROGS/|name| */
void prog_path(char *buf, size_t size, const char *name);
/* A fresh path in the temporary directory, unique per test process and call. */
void tmp_path(char *buf, size_t size, const char *name);
void slurp(const char *path, char *buf, size_t size);
void write_file(const char *path, const char *text, mode_t mode);
void sleep_ms(long ms);

/* Start argv with stdout/stderr to files (NULL: /dev/null); returns the pid. */
pid_t start(char *const argv[], const char *out, const char *err);
/* Wait up to 60 s; a run that hangs is killed and fails the test. */
int finish(pid_t pid);

/*
 * Run "sandbox [-p POLICY] -r REPORT OPTS... -- ARGS..." (|policy| is JSON
 * text, or NULL for the embedded default; |opts| may be NULL). Captures
 * everything into |r|.
 */
void run_sandbox(struct run *r, const char *policy, const char *const *opts,
		 const char *const *args);
/* Run ARGS bare, no sandbox: the control for every attack. */
void run_bare(struct run *r, const char *const *args);

/*
 * Top-level report fields: a string (or "" when absent or null; the text
 * stays valid for the next three calls), an integer (or -1), and
 * "key.sub" for one level of nesting (of an array: its first element).
 */
const char *report_str(const struct run *r, const char *key);
long long report_int(const struct run *r, const char *key);

/* Run $SBX_PROGS/probe with its subcommand and arguments. */
#define RUN_PROBE_OPTS(r, policy, opts, ...)                                                       \
	do {                                                                                       \
		char probe_[256];                                                                  \
		prog_path(probe_, sizeof(probe_), "probe");                                        \
		const char *args_[] = {probe_, __VA_ARGS__, NULL};                                 \
		run_sandbox(r, policy, opts, args_);                                               \
	} while (0)
#define RUN_PROBE(r, policy, ...) RUN_PROBE_OPTS(r, policy, NULL, __VA_ARGS__)

#define assert_has(hay, needle)                                                                    \
	ck_assert_msg(strstr(hay, needle), "expected \"%s\" in:\n%s", needle, hay)
#define assert_lacks(hay, needle)                                                                  \
	ck_assert_msg(!strstr(hay, needle), "did not expect \"%s\" in:\n%s", needle, hay)

/*
 * Processes for which |match| says yes; it gets the pid and the command line
 * (|len| bytes, arguments separated by NULs; empty for kernel threads).
 */
int count_procs(bool (*match)(pid_t pid, const char *cmdline, size_t len, void *arg), void *arg);
/* Processes whose command line holds |token|: none may survive a run. */
int count_with_token(const char *token);

/* Run |suite| with Check, between harness_init() and harness_cleanup(). */
int harness_main(Suite *suite);

#endif
