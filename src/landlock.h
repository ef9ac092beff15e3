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

#include <stddef.h>
#include <stdint.h>

#include "policy.h"
#include "util.h"

/* From linux/landlock.h, spelled out: Debian 12's headers predate ABI 4-7. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH	  1
#define LL_RULE_NET_PORT	  2

#define LL_FS_EXECUTE	  (1ULL << 0)
#define LL_FS_WRITE_FILE  (1ULL << 1)
#define LL_FS_READ_FILE	  (1ULL << 2)
#define LL_FS_READ_DIR	  (1ULL << 3)
#define LL_FS_REMOVE_DIR  (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR	  (1ULL << 6)
#define LL_FS_MAKE_DIR	  (1ULL << 7)
#define LL_FS_MAKE_REG	  (1ULL << 8)
#define LL_FS_MAKE_SOCK	  (1ULL << 9)
#define LL_FS_MAKE_FIFO	  (1ULL << 10)
#define LL_FS_MAKE_BLOCK  (1ULL << 11)
#define LL_FS_MAKE_SYM	  (1ULL << 12)
#define LL_FS_REFER	  (1ULL << 13) /* ABI 2 */
#define LL_FS_TRUNCATE	  (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV	  (1ULL << 15) /* ABI 5 */

#define LL_NET_BIND_TCP	   (1ULL << 0) /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)

#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL		      (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped; /* ABI 6 */
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* The running kernel's Landlock ABI version; 0 when Landlock is missing or disabled. */
int landlock_abi(void);

/*
 * Build the ruleset for |p|'s filesystem rules (relative paths from |cwd|,
 * every path resolved inside |root_fd|, the sandbox's "/", or the host's
 * with -1) and TCP port rules, plus the |scoped| scopes where the ABI has
 * them (6). Returns 0 and a ruleset fd (O_CLOEXEC) in |ret_fd|, 0 with -1
 * when the policy has no rule Landlock enforces, or -errno with a sentence
 * in |why| (-EOPNOTSUPP: the kernel has no Landlock, or not the ABI the
 * rules need; |abi| pretends the running ABI is that, for tests).
 */
int landlock_prepare(const struct policy *p, int root_fd, const char *cwd, int abi, uint64_t scoped,
		     int *ret_fd, struct strbuf *why);

/* In the child: restrict it (no_new_privs must be set). 0 or -errno. */
int landlock_enforce(int ruleset_fd);

/*
 * Rights a rule on a file (not a directory) may carry: what
 * landlock_grant_fd() keeps of |rights|.
 */
#define LL_FILE_RIGHTS                                                                             \
	(LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

/*
 * Safe in a child after fork (no allocation): a ruleset handling |handled|
 * filesystem rights and the |scoped| scopes (ABI 6), with each of |paths|
 * granted its rights (a path that does not exist is skipped). Returns the
 * ruleset fd (O_CLOEXEC) or -errno, with the failing path's index in
 * |ret_index| (-1: the ruleset itself).
 */
int landlock_child_ruleset(uint64_t handled, uint64_t scoped, const char *const *paths,
			   const uint64_t *rights, size_t n, int *ret_index);

/*
 * Safe in a child: grant |rights| (cut to what a file may carry) on the
 * file open at |fd| when it is a regular file or a device, so a path that
 * leads to it (/dev/stdout) keeps working. Anything else is skipped.
 */
void landlock_grant_fd(int ruleset_fd, int fd, uint64_t rights);

#endif
