/* SPDX-License-Identifier: MIT */
/*
 * nsinit.h - the sandbox's init: PID 1 of its PID namespace, created by
 * clone() with every namespace of the plan. It builds the new root from the
 * plan (isolate.h), starts the program as PID 2, and then only reaps
 * orphans until the program ends. When it exits, the kernel kills every
 * process left in the namespace.
 *
 * Like child.c, it runs in a copy of the supervisor that may have had other
 * threads: no allocation, no stdio; only system calls on memory the
 * supervisor prepared.
 */
#ifndef SBX_NSINIT_H
#define SBX_NSINIT_H

#include <stdbool.h>

#include "child.h"
#include "isolate.h"

/* Messages on the sync socket. */
#define NSINIT_GO    'g' /* supervisor -> init: seized; the fds of MOP_TREE ops attached */
#define NSINIT_READY 'r' /* init -> supervisor: the new root is in place */
/*
 * supervisor -> init: start the program. Then a byte of flags, the
 * signals the program must not inherit ignored (a uint64_t, bit N-1 for
 * signal N), then the program's seccomp filter (struct sock_filter, 1 to
 * BPF_MAXINSNS); the policy's Landlock ruleset is attached when the flags
 * say so.
 */
#define NSINIT_START	     's'
#define NSINIT_START_RULESET 0x1 /* the policy's Landlock ruleset is attached */
#define NSINIT_START_SIGNALS 0x2 /* the caller has signal handlers: reset them first */

struct init_spec {
	const struct isolation_plan *plan;
	struct child_spec *program; /* the program's start-up, run in its own child */
	int sync_fd;		    /* SOCK_SEQPACKET to the supervisor */
	int err_fd;		    /* write end of the error pipe */
	cap_t caps_none;	    /* what the init keeps once the program runs */
};

/* Never returns: the init's whole life. */
_Noreturn void nsinit_run(struct init_spec *spec);

#endif
