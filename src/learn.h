/* SPDX-License-Identifier: MIT */
/*
 * learn.h - --learn: what a program used, recorded at its seccomp stops,
 * written out as a policy in our format (default kill). A call of a
 * harmless family (learn_harmless_group()) stands for its whole group, so a
 * later run that makes a sibling call a runtime makes only sometimes
 * (sched_yield, getpid) is not killed; every other call stays as narrow as
 * the runs showed it: by its exact name, and open, openat, socket,
 * socketpair, clone and prctl only with the argument values seen (open
 * flags' access mode, O_CREAT, O_TRUNC, O_APPEND; the address family;
 * clone's thread and namespace flags; prctl's option). With a base
 * (--learn -p BASE) only what the base lacks is recorded and written, as a
 * policy that extends it; a dangerous call among them (learn_dangerous())
 * is written as a refusal (errno), not an allow. An existing output file is
 * read back first, so several runs build one policy.
 */
#ifndef SBX_LEARN_H
#define SBX_LEARN_H

#include <stdbool.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "outfile.h"
#include "traceset.h"
#include "util.h"

#define LEARN_N_PATTERNS    6  /* socket, socketpair, open, openat, clone, prctl (learn.c) */
#define LEARN_MAX_VALUES    32 /* distinct argument values kept per patterned call */
#define LEARN_N_HARMLESS    9  /* learn_harmless_group()'s groups */
#define LEARN_BASE_NAME_MAX 4096

/* The values one patterned call was seen with (the pattern's bits of its argument). */
struct learn_values {
	uint64_t v[LEARN_MAX_VALUES];
	unsigned int n;
	bool any; /* more distinct values than fit, or a rule read back without a condition */
	bool back[LEARN_MAX_VALUES];	 /* read back from an allow rule: stays allowed */
	char *example[LEARN_MAX_VALUES]; /* one call decoded (learn_example()); owned */
};

struct learner {
	bool used[TRACESET_MAX_NR];	/* calls seen or read back (not the patterned ones) */
	bool seen[TRACESET_MAX_NR];	/* those of |used| this run made */
	bool back[TRACESET_MAX_NR];	/* those of |used| an allow rule read back names */
	char *example[TRACESET_MAX_NR]; /* one call of |used| decoded (learn_example()); owned */
	struct learn_values values[LEARN_N_PATTERNS];
	bool harmless_kept[LEARN_N_HARMLESS]; /* whole harmless groups a file read back allowed */
	unsigned long calls;		      /* calls recorded (this run and merged files) */
	unsigned int foreign_calls;	      /* calls of another ABI (i386): not in the policy */
	/* --learn -p BASE (learn_set_base()): */
	bool has_base;
	char base[LEARN_BASE_NAME_MAX];	     /* the "extends" written */
	char base_name[LEARN_BASE_NAME_MAX]; /* the base as it was named, for comments */
	bool base_decides[TRACESET_MAX_NR];  /* calls the base decides itself */
	json_t *kept;			     /* rules read back that are kept as they were */
	bool kept_names[TRACESET_MAX_NR];    /* calls |kept| names: never widened over */
	bool kept_plain[TRACESET_MAX_NR];    /* ... in a rule without conditions or count */
	json_t *kept_top;		     /* keys of the file besides comment, default, rules */
	struct outfile out;		     /* the output, prepared by learn_open() */
	bool out_open;			     /* |out| was opened (learn_free() closes it) */
	char *path;			     /* the output's path, from learn_open(); owned */
};

/*
 * The harmless families, by name (without '@'), for i below
 * LEARN_N_HARMLESS; NULL past them. Each is a group of src/syscalls.tbl
 * whose calls touch nothing outside the process: no file, socket, mount or
 * key, no other process (signals reach only the sandbox's own tasks, which
 * the sandbox checks), no new task, no privilege.
 */
const char *learn_harmless_group(size_t i);

/*
 * One call, by its native number; |args| as the kernel reads them. Without
 * a base every call the policy let run is recorded; with one, the calls
 * the base lacks (the tracer's business to tell).
 */
void learn_record(struct learner *l, int native_nr, const uint64_t args[6]);

/*
 * Whether call |nr| with arguments |args| is dangerous: it creates,
 * removes, renames, truncates, locks or changes the mode of a file (a path
 * argument src/syscalls.tbl marks "write", a mode it sets, a short list of
 * calls on a descriptor), opens one for writing (open flags), makes a
 * socket or names an address (an argument of kind sockaddr), or is a prctl
 * other than reading attributes and harmless own settings. With a base, a
 * dangerous call the base lacks is proposed as a refusal.
 */
bool learn_dangerous(int nr, const uint64_t args[6]);

/*
 * Whether |l| wants the decoded text of this call for a comment
 * (learn_example()): a dangerous call, with a base, whose kind has none yet.
 * Call after learn_record().
 */
bool learn_wants_example(const struct learner *l, int nr, const uint64_t args[6]);

/* Keep |text| (copied) as the example of this call's kind (its name, or its pattern value). */
void learn_example(struct learner *l, int nr, const uint64_t args[6], const char *text);

/*
 * Merge the policy at |path| (one --learn wrote, perhaps edited): its allow
 * rules are read back into |l|. A missing file is not an error (returns 0).
 * Returns -EINVAL with a message in |err| for a file that is not such a
 * policy.
 */
int learn_merge_file(struct learner *l, const char *path, struct strbuf *err);

/*
 * Before the run: prepare the output |path| as the report is prepared
 * (outfile.h: a regular file is replaced atomically, a FIFO, a device or
 * "-" for standard output is written through, a link to a regular file or
 * a directory is refused), then merge it when it is an existing regular
 * file (learn_merge_file()). Returns 0, or -errno with a message in |err|
 * ("cannot write PATH: ..." or "cannot merge PATH: ...").
 */
int learn_open(struct learner *l, const char *path, struct strbuf *err);

/*
 * --learn -p BASE, after learn_open(): |base| is the name the base policy
 * was loaded by (a shipped policy's name, or a file relative to the working
 * directory); the policy written extends it, as a name that resolves from
 * the output's own directory (the shipped name; "./NAME" beside it; else
 * the absolute path). |decides| (TRACESET_MAX_NR entries; copied) are the
 * calls the base decides itself, named by one of its rules or let run by
 * its default: a harmless family is never widened over them. Returns 0,
 * or -EINVAL with a message in |err|: a base read from standard input, a
 * base that is the output itself, a name too long.
 */
int learn_set_base(struct learner *l, const char *base, const bool *decides, struct strbuf *err);

/*
 * Write the policy: to the output learn_open() prepared, else to |path|
 * atomically. Returns 0 or -errno.
 */
int learn_write(struct learner *l, const char *path);

/* Free |l| (calloc'ed) and what it holds. */
void learn_free(struct learner *l);

#endif
