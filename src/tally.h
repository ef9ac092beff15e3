/* SPDX-License-Identifier: MIT */
/*
 * tally.h - counting the calls the supervisor reports, by kind (name, ABI,
 * action, deciding rule), for the report (struct sbx_call_count) and the
 * closing summary, and holding back repeated lines: a program making the
 * same call (the same decoded text, the same decision) in a loop gets
 * SBX_LOG_BURST lines of it, not one line per call. The kernel's printk
 * rate limit and strace -c do the same for their logs.
 */
#ifndef SBX_TALLY_H
#define SBX_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decide.h"
#include "sandbox.h"
#include "util.h"

/*
 * Kinds counted at most; calls of kinds past them (or when memory runs
 * out) share one kind, |others|: their lines are still written, within the
 * same bounds, and they are counted in the report's calls_not_listed.
 */
#define TALLY_MAX_KINDS 1024
/* Distinct lines remembered at most (a power of two); past them, lines are held back. */
#define TALLY_MAX_LINES 65536

struct tally_entry {
	struct sbx_call_count c;
	enum arch_abi abi;
	long nr;
	enum decide_kind kind;
	int rule;
};

/* A line seen: a hash of its kind and text, and how often. */
struct tally_line {
	uint64_t hash; /* 0: an empty slot */
	uint64_t count;
};

struct tally {
	struct tally_entry *v; /* heap, owned */
	size_t n, cap;
	struct tally_line *lines; /* open addressing, TALLY_MAX_LINES slots once needed */
	size_t n_lines;
	uint64_t key; /* the lines' hash basis: random per run, so a program cannot aim at it */
	struct tally_entry others; /* the kinds past TALLY_MAX_KINDS, as one */
};

/*
 * Count one reported call |call| decided as |d|, decoded as |text| (NULL
 * when no line is to be written anyway); |*ret| is its kind (|others| past
 * TALLY_MAX_KINDS).
 * Returns true when its line may be written: it is among the first
 * SBX_LOG_BURST calls with the same kind and text, and its kind has had
 * fewer than SBX_LOG_KIND_LINES lines. Lines that cannot be remembered are
 * held back. The caller adds to the kind's |shown| what it did write.
 */
bool tally_count(struct tally *tl, const struct trapped_call *call, const struct decision *d,
		 const char *text, struct tally_entry **ret);

/* The kinds, most frequent first (ties: first seen first). */
void tally_sort(struct tally *tl);

/*
 * The closing summary, after tally_sort(): for each kind with calls not
 * shown, |each| is called (NULL: none), and, among the first |max| such
 * kinds, a line "sandbox: getppid denied by rule 0: 50000 calls, 10 shown
 * (...)\n" is appended to |out| (NULL: no lines), then one line for
 * the kinds past |max|.
 */
void tally_summary(const struct tally *tl, struct strbuf *out, size_t max,
		   void (*each)(const struct sbx_call_count *c, void *arg), void *arg);

/* Hand the counts to |ret| (calls, n_calls; owned by it from now), emptying |tl|. */
void tally_move(struct tally *tl, struct sbx_result *ret);

void tally_free(struct tally *tl);

/*
 * --summary (strace -c): per system call, the calls that stopped in the
 * supervisor, the errors they returned, the time from their entry stop to
 * their exit stop (the calls followed to their exit: traced and let run),
 * and what the policy did with them. Calls decided inside the kernel never
 * stop and are not counted: the caller makes every call stop when it wants
 * all of them.
 */
struct summary_row {
	char name[64];	   /* in its ABI, as the decision names it */
	enum arch_abi abi; /* "name (i386)" in the table when not native */
	long nr;
	uint64_t calls;
	uint64_t errors;  /* results from -4095 to -1, at the exit stop or as decided */
	uint64_t timed;	  /* calls followed to their exit stop */
	uint64_t time_ns; /* their time, entry stop to exit stop */
	uint64_t by_kind[DECIDE_KILL + 1]; /* allowed, logged, denied, faked, killed */
};

struct summary {
	struct summary_row *rows; /* heap, owned */
	size_t n, cap;
};

/*
 * Count call |call| decided as |d| at its stop; a denied or faked call's
 * error is counted now. Returns its row's index (for summary_exit()), or -1
 * when out of memory (the call is then not counted).
 */
long summary_count(struct summary *s, const struct trapped_call *call, const struct decision *d);

/*
 * Row |row| (summary_count()) was followed to its exit stop |ns| nanoseconds
 * after its entry stop; |has_ret|: it returned |ret| (an error when from
 * -4095 to -1). A call that never returned (the task exited in it) adds no time.
 */
void summary_exit(struct summary *s, long row, uint64_t ns, bool has_ret, int64_t ret);

/*
 * Append the table to |out|, as strace -c prints it: the rows by time,
 * most first (ties: more calls first, then by name), then a total line.
 * Columns: % time, seconds, usecs/call (per call followed to its exit),
 * calls, errors, then allowed, logged, denied (errno), faked (return) and
 * killed; a zero error or action count is left blank. Nothing when no
 * call was counted.
 */
void summary_format(const struct summary *s, struct strbuf *out);

/* Hand the rows to |ret| (summary, n_summary; sorted as in the table). Returns 0 or -ENOMEM. */
int summary_move(struct summary *s, struct sbx_result *ret);

void summary_free(struct summary *s);

#endif
