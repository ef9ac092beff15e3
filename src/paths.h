/* SPDX-License-Identifier: MIT */
/*
 * paths.h - the supervisor's view of filesystem and network rules at a
 * stop: which path (or address) a call names, resolved the way the kernel
 * would for that task, and whether the rules allow it.
 *
 * This only reports and denies early, with a line that names the path. The
 * path is read from the program's memory, which another thread may change
 * before the kernel reads it again; Landlock (landlock.c), which checks the
 * object the kernel actually uses, is what enforces the rules.
 */
#ifndef SBX_PATHS_H
#define SBX_PATHS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "policy.h"
#include "util.h"

struct pathcheck;

/*
 * The rules of |p| with paths made canonical from |cwd|, within |root_fd|
 * (the sandbox's "/", e.g. /proc/INIT/root; -1: the host's). NULL when |p|
 * has none. With a root, the checks at stops resolve a task's paths in its
 * own /proc/PID/root.
 */
int paths_prepare(const struct policy *p, int root_fd, const char *cwd, struct pathcheck **ret);
void paths_free(struct pathcheck *pc);

/*
 * Open |path| (absolute, as the sandbox sees it) with |flags| inside
 * |root_fd|, symbolic links and ".." resolved there (openat2's
 * RESOLVE_IN_ROOT); -1: the host's root. Returns the fd (O_CLOEXEC) or
 * -errno.
 */
int path_open_in(int root_fd, const char *path, int flags);

/*
 * Open |path|, a path the caller gave (an output file, a bind's source, a
 * working directory), with |flags| and |mode|, following no symbolic link
 * on the way: a link a sandboxed program planted in a directory it could
 * write (an earlier run's working directory) must never redirect what the
 * sandbox opens with the caller's rights. A link that leads to a terminal,
 * a pipe, a socket or a device (/dev/stdout) is followed: nothing on disk
 * is reached through it. Returns the fd (O_CLOEXEC) or -errno (-ELOOP: a
 * link was refused).
 */
int path_open_nofollow(const char *path, int flags, mode_t mode);

/*
 * The canonical path of |path| (relative ones from the process's working
 * directory) into |out| (PATH_MAX), reached without following any
 * symbolic link, for a directory or file the sandbox hands to the program.
 * Returns 0 or -errno (-ELOOP: a link on the way).
 */
int path_real_nofollow(const char *path, char *out);

/* realpath() inside |root_fd| (-1: the host's) into |out| (PATH_MAX); false when missing. */
bool path_real_in(int root_fd, const char *path, char *out);

/*
 * Native syscalls the checks need to see (traced whenever the policy has
 * filesystem rules, or network rules with ports). Fills |nrs|, returns how
 * many.
 */
size_t paths_traced_calls(const struct policy *p, int *nrs, size_t max);

enum path_verdict {
	PATH_PASS,   /* nothing to say */
	PATH_DENY,   /* refuse with EACCES and report |note| */
	PATH_REPORT, /* let it run, report |note| (Landlock decides) */
};

/*
 * Look at native call |nr| with |args| made by |pid|. Appends the reason to
 * |note| ("read of /etc/shadow: not in filesystem.read") unless PASS.
 * |pc| keeps descriptors of /proc directories between calls (never anything
 * read from the task): one caller at a time (the run's lock).
 */
enum path_verdict paths_check(const struct pathcheck *pc, pid_t pid, int nr, const uint64_t args[6],
			      struct strbuf *note);

#endif
