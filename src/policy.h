/* SPDX-License-Identifier: MIT */
/*
 * policy.h - the policy as plain C data: JSON text in, validated structs out.
 *
 * Layering: policy.c knows jansson and libseccomp's syscall name tables
 * (to resolve and validate names) but never builds a filter and never makes
 * a system call on behalf of the sandbox.
 */
#ifndef SBX_POLICY_H
#define SBX_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox.h"
#include "util.h"

enum policy_action {
	POLICY_ALLOW,  /* runs, decided in the kernel */
	POLICY_ERRNO,  /* fails with |errno_value|; traced only when |log| */
	POLICY_LOG,    /* traced: reported, then runs */
	POLICY_KILL,   /* traced: reported, every process of the sandbox killed */
	POLICY_RETURN, /* traced: skipped, returns |ret_value| */
};

enum policy_op {
	POLICY_OP_EQ,
	POLICY_OP_NE,
	POLICY_OP_LT,
	POLICY_OP_LE,
	POLICY_OP_GT,
	POLICY_OP_GE,
	POLICY_OP_MASKED_EQ, /* (arg & mask) == value */
};

struct policy_cond {
	unsigned int index; /* 0..5 */
	enum policy_op op;
	uint64_t value;
	uint64_t mask; /* POLICY_OP_MASKED_EQ only */
	bool narrow;   /* compare the low 32 bits only (set by policy_cond_for()) */
};

#define POLICY_MAX_CONDS 6

struct policy_verdict {
	enum policy_action action;
	int errno_value;   /* POLICY_ERRNO */
	int64_t ret_value; /* POLICY_RETURN */
	bool log;	   /* report the call even when the action is errno */
};

struct policy_rule {
	int *syscalls; /* native syscall numbers */
	size_t n_syscalls;
	struct policy_cond conds[POLICY_MAX_CONDS];
	size_t n_conds;
	struct policy_verdict verdict;
};

/* Architectures a policy may allow besides the native one. */
enum policy_arch {
	POLICY_ARCH_NATIVE = 1u << 0,
	POLICY_ARCH_X86 = 1u << 1, /* i386 via int 0x80 / sysenter */
	POLICY_ARCH_X32 = 1u << 2,
};

struct policy {
	char *source; /* file name, or "<default>" for the embedded policy */
	struct policy_verdict default_verdict;
	struct policy_rule *rules; /* in file order; the first matching rule wins */
	size_t n_rules;
	unsigned int arches;	  /* enum policy_arch bits; NATIVE always set */
	struct sbx_limits limits; /* the "limits" object; zero fields: not set */
};

/*
 * Parse |len| bytes of JSON |text| named |source| (used in diagnostics).
 * On success returns 0 and stores a new policy in |ret_policy| (caller owns;
 * free with policy_free()). On failure returns -EINVAL (bad input) or
 * -ENOMEM and appends one line per problem to |diag|, each of the form
 * "source:line:column: json.path: message".
 */
int policy_parse(const char *source, const char *text, size_t len, struct policy **ret_policy,
		 struct strbuf *diag);

/* Read and parse a file. Unreadable files are reported in |diag| too. */
int policy_load_file(const char *path, struct policy **ret_policy, struct strbuf *diag);

void policy_free(struct policy *p);

static inline void policy_freep(struct policy **p)
{
	policy_free(*p);
}
#define _cleanup_policy_ _cleanup_(policy_freep)

/* "allow", "errno", ... */
const char *policy_action_name(enum policy_action a);

/* True when the action can only be carried out at a ptrace stop. */
bool policy_verdict_needs_stop(const struct policy_verdict *v);

/*
 * Built-in rules come before every policy's own: they keep the supervisor
 * in control and no policy can override them.
 *
 *  0. clone with CLONE_UNTRACED: kill. Such a child is not auto-attached:
 *     it would run untraced, uncounted, and outlive the run.
 *  1. seccomp(SECCOMP_SET_MODE_FILTER) with SECCOMP_FILTER_FLAG_NEW_LISTENER:
 *     kill. A user-notification filter outranks SECCOMP_RET_TRACE, so the
 *     program could answer its own calls and skip every supervisor rule.
 *  2. clone3: fails with ENOSYS. Its flags are in memory, where a filter
 *     cannot see them (and CLONE_UNTRACED could hide); libc falls back to
 *     clone.
 */
#define POLICY_N_BUILTIN 3

/* Rules in evaluation order: the built-in ones, then the policy's. */
size_t policy_rule_count(const struct policy *p);
const struct policy_rule *policy_rule(const struct policy *p, size_t i);

/* rule numbers policy_match() reports besides a policy rule's index */
#define POLICY_RULE_DEFAULT	  (-1)
#define POLICY_RULE_BUILTIN_FIRST (-100) /* built-in rule i is -100 - i */

/* Why built-in rule |rule| (a POLICY_RULE_BUILTIN_FIRST - i value) exists. */
const char *policy_builtin_reason(int rule);

/*
 * Evaluate the policy for native syscall |nr| with raw |args|: the first rule
 * naming |nr| whose conditions all hold (built-in rules first), else the
 * default. Stores in |ret_rule| the policy rule's index in p->rules, or
 * POLICY_RULE_DEFAULT, or POLICY_RULE_BUILTIN_FIRST - i. This is the
 * reference semantics; the compiled filter must agree with it for every
 * call it decides itself.
 */
const struct policy_verdict *policy_match(const struct policy *p, int nr, const uint64_t args[6],
					  int *ret_rule);

/* True when |c| holds for |arg|: unsigned, 64-bit, or 32-bit when c->narrow. */
bool policy_cond_holds(const struct policy_cond *c, uint64_t arg);

/*
 * |c| as it applies to native syscall |nr|. Where the kernel reads that
 * argument as a 32-bit value (an int, an fd, flags), the upper half of the
 * register means nothing to it, so it must mean nothing to the comparison
 * either, or 0x100000002 would pass a rule about fd 2 (the CVE-2019-7303
 * pattern): == and masked_eq become masked_eq on the low 32 bits, the other
 * operators compare the low 32 bits (|narrow|). Other arguments are kept.
 */
void policy_cond_for(const struct policy_cond *c, int nr, struct policy_cond *ret);

/* 32 or 64 as the kernel reads argument |index| of native |nr|; 0 when unknown. */
int policy_arg_bits(int nr, unsigned int index);

#endif
