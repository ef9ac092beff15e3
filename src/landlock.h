/* SPDX-License-Identifier: MIT */
/*
 * landlock.h - the policy's "filesystem" and "network" ports as a Landlock
 * ruleset. The kernel checks the object it actually opens, executes or
 * connects to, so no thread of the program can swap a path after a check:
 * Landlock is what enforces path rules; the supervisor's stops only report
 * and deny early (paths.c).
 *
 * The ruleset is built in the parent before fork (it needs memory and
 * open(2)); the child only calls landlock_restrict_self(), after
 * no_new_privs and before the seccomp filter.
 */
#ifndef SBX_LANDLOCK_H
#define SBX_LANDLOCK_H

#include <stdbool.h>

#include "policy.h"
#include "util.h"

/* The running kernel's Landlock ABI version; 0 when Landlock is missing or disabled. */
int landlock_abi(void);

/*
 * Build the ruleset for |p|'s filesystem rules (relative paths from |cwd|)
 * and TCP port rules. Returns 0 and a ruleset fd (O_CLOEXEC) in |ret_fd|,
 * 0 with -1 when the policy has no rule Landlock enforces, or -errno with a
 * sentence in |why| (-EOPNOTSUPP: the kernel has no Landlock, or not the
 * ABI the rules need; |abi| pretends the running ABI is that, for tests).
 */
int landlock_prepare(const struct policy *p, const char *cwd, int abi, int *ret_fd,
		     struct strbuf *why);

/* In the child: restrict it (no_new_privs must be set). 0 or -errno. */
int landlock_enforce(int ruleset_fd);

#endif
