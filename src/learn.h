/* SPDX-License-Identifier: MIT */
/*
 * learn.h - --learn: what a program used, recorded at its seccomp stops,
 * written out as a minimal policy in our format (default kill, the calls it
 * made grouped as allows, the argument patterns that matter kept: socket
 * families, open access modes, clone's thread flag). An existing output file
 * is read back first, so several runs build one policy.
 */
#ifndef SBX_LEARN_H
#define SBX_LEARN_H

#include <stdbool.h>
#include <jansson.h>
#include <stdint.h>

#include "outfile.h"
#include "traceset.h"
#include "util.h"

struct learner {
	bool used[TRACESET_MAX_NR]; /* native numbers allowed with any arguments */
	uint64_t families[2];	    /* socket, socketpair: address families below 64 */
	uint8_t open_modes[2];	    /* open, openat: bit (1 << (flags & O_ACCMODE)) */
	bool clone_thread;	    /* clone with CLONE_THREAD */
	bool clone_process;	    /* clone without it */
	unsigned long calls;	    /* calls recorded (this run and merged files) */
	unsigned int foreign_calls; /* calls of another ABI (i386): not in the policy */
	json_t *kept;		    /* rules read back that are kept as they were */
	json_t *kept_top;	    /* keys of the file besides comment, default, rules */
	struct outfile out;	    /* the output, prepared by learn_open() */
	bool out_open;		    /* |out| was opened (learn_free() closes it) */
};

/* One call, by its native number; |args| as the kernel reads them. */
void learn_record(struct learner *l, int native_nr, const uint64_t args[6]);

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
 * Write the policy: to the output learn_open() prepared, else to |path|
 * atomically. Returns 0 or -errno.
 */
int learn_write(struct learner *l, const char *path);

/* Free |l| (calloc'ed) and what it holds. */
void learn_free(struct learner *l);

#endif
