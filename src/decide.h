/* SPDX-License-Identifier: MIT */
/*
 * decide.h - what to do with one system call stopped at a seccomp stop.
 *
 * The decision is a function of (arch, nr, args) and the policy only. The
 * SECCOMP_RET_DATA a filter returned is ignored: the tracee may stack a
 * filter of its own that returns TRACE with any data it likes.
 */
#ifndef SBX_DECIDE_H
#define SBX_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "policy.h"

enum decide_kind {
	DECIDE_ALLOW,  /* let it run, say nothing */
	DECIDE_LOG,    /* report it, let it run */
	DECIDE_DENY,   /* skip it; it returns |ret| (-errno); reported */
	DECIDE_RETURN, /* skip it; it returns |ret|; reported */
	DECIDE_KILL,   /* report it, kill the sandbox */
};

/* Special values of decision.rule besides a rule index. */
#define DECIDE_RULE_DEFAULT	(-1) /* the policy's default action */
#define DECIDE_RULE_FOREIGN_ABI (-2) /* an ABI the policy does not allow */
#define DECIDE_RULE_SETUP	(-3) /* the sandbox's own child before the program's exec */
#define DECIDE_RULE_MULTIPLEXED (-4) /* i386 socketcall/ipc whose rules need memory args */
#define DECIDE_RULE_PATHS	(-5) /* the filesystem / network rules; see |note| */
#define DECIDE_RULE_OUTSIDE	(-6) /* a signal or prlimit aimed outside the sandbox; |note| */
#define DECIDE_RULE_ISOLATION	(-7) /* the sandbox's isolation (no fileless exec); |note| */
/* POLICY_RULE_BUILTIN_FIRST - i: built-in rule i (see policy.h) */

/* The call as the supervisor saw it. */
struct trapped_call {
	uint32_t audit_arch;
	uint64_t nr; /* as the ABI numbers it */
	uint64_t args[6];
};

struct decision {
	enum decide_kind kind;
	int64_t ret; /* DENY, RETURN */
	int rule;    /* rule index or DECIDE_RULE_* */
	enum arch_abi abi;
	int native_nr; /* the same call in native numbering; -1 when none */
	bool report;   /* the user sees a line for it */
	/* ALLOW/LOG: before it runs, argument |set_index| becomes |set_value| (when set_arg). */
	bool set_arg;
	unsigned int set_index;
	uint64_t set_value;
	char name[64];	 /* name in its ABI ("fork"), or "syscall_N" */
	char note[4200]; /* DECIDE_RULE_PATHS: "read of \"/etc/shadow\": not in filesystem.read" */
};

/* |call|'s arguments as the kernel reads them in |d|'s ABI (32-bit ones zero-extended). */
void decide_args(const struct trapped_call *call, const struct decision *d, uint64_t ret[6]);

/*
 * A call of the program's initial process before its first execve
 * succeeded: that is the sandbox's own code (the execve of the program,
 * and on failure the error report and _exit), allowed whatever the policy
 * says.
 */
#define DECIDE_SETUP (1u << 0)
/* The run has its own network namespace: "network" keeps to the families it confines. */
#define DECIDE_OWN_NETNS (1u << 1)

/*
 * Decide |call| against |p|, with DECIDE_* |flags|. |counts| is the run's
 * count-limited rule state (see policy_match()).
 */
void decide(const struct policy *p, const struct trapped_call *call, unsigned int flags,
	    uint64_t *counts, struct decision *ret);

#endif
