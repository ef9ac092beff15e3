/* SPDX-License-Identifier: MIT */
/*
 * report.h - what the user reads: one log line per reported call, and the
 * JSON report at the end. Formats only; decides nothing.
 */
#ifndef SBX_REPORT_H
#define SBX_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "decide.h"
#include "util.h"

/* The decoded call: "openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY)", "i386 fork()". */
void report_call_text(struct strbuf *out, pid_t pid, const struct decision *d,
		      const uint64_t args[6]);

/*
 * The whole line, newline included:
 * "sandbox: [pid 42] killed openat(...) by rule 3\n".
 */
void report_call_line(struct strbuf *out, pid_t pid, const struct decision *d, const char *text);

/*
 * A --trace line, newline included: "sandbox: [pid 42] openat(...) = 3
 * [allowed by the default action]"; "= ?" without |has_ret|.
 */
void report_trace_line(struct strbuf *out, pid_t tid, const struct decision *d, const char *text,
		       bool has_ret, int64_t ret);

struct sbx_violation;

/* The violation of a run killed for |d| (|text|: the decoded call). */
void report_fill_violation(struct sbx_violation *v, pid_t pid, const struct trapped_call *call,
			   const struct decision *d, const char *text);

/* "rule 3", "the default action", "architecture i386 not allowed by the policy". */
void report_reason(struct strbuf *out, const struct decision *d);

/* The verb of a line for an action of struct sbx_call_count: "errno" is "denied". */
const char *report_action_verb(const char *action);

#endif
