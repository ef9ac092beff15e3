/* SPDX-License-Identifier: MIT */
/*
 * child.h - what the forked child does before it becomes the program.
 *
 * Everything here is prepared by the parent before fork(); the child only
 * makes system calls on memory it was handed. No malloc, no stdio, no
 * JSON, no libseccomp; libcap only through capability sets the parent
 * allocated (cap_set_proc() and the bounding/ambient calls do not allocate).
 */
#ifndef SBX_CHILD_H
#define SBX_CHILD_H

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Which step failed; sent to the parent with the errno. */
enum child_stage {
	CHILD_STAGE_SYNC = 1, /* waiting for the tracer */
	CHILD_STAGE_SESSION,
	CHILD_STAGE_STDIO,
	CHILD_STAGE_FDS,
	CHILD_STAGE_RLIMIT,
	CHILD_STAGE_GROUPS,
	CHILD_STAGE_GID,
	CHILD_STAGE_UID,
	CHILD_STAGE_CAPS,
	CHILD_STAGE_CHDIR,
	CHILD_STAGE_NNP,
	CHILD_STAGE_LANDLOCK,
	CHILD_STAGE_FILTER,
	CHILD_STAGE_EXEC,
	/* The init of a sandbox with namespaces (nsinit.c). */
	CHILD_STAGE_INIT_IDS,
	CHILD_STAGE_MOUNT, /* detail: the index of the mount op */
	CHILD_STAGE_PIVOT,
	CHILD_STAGE_NET,
	CHILD_STAGE_HOSTNAME,
	CHILD_STAGE_INIT_LANDLOCK,
	CHILD_STAGE_FORK,
	CHILD_STAGE_NETNS,
};

/* The message the child writes to |err_fd| when a step fails. */
struct child_error {
	int stage;  /* enum child_stage */
	int err;    /* errno */
	int detail; /* CHILD_STAGE_RLIMIT: the resource; CHILD_STAGE_STDIO: the fd */
};

struct child_rlimit {
	int resource;
	struct rlimit limit;
};

#define CHILD_MAX_RLIMITS 8

struct child_spec {
	const char *path;	   /* resolved program path, passed to execve */
	char *const *argv;	   /* argv[0] as the user gave it */
	char *const *envp;	   /* environment for the program */
	struct sock_fprog prog;	   /* the compiled filter */
	unsigned int filter_flags; /* seccomp(2) flags: SECCOMP_FILTER_FLAG_LOG, _SPEC_ALLOW */
	pid_t parent;		   /* the supervisor's pid, to detect its death */
	uint64_t ignored_signals;  /* bit N-1: signal N is ignored by the caller; set back to
				    * default (handled ones are reset by execve itself) */
	int sync_fd;		   /* read end: one byte once the tracer is attached */
	int err_fd;		   /* write end, O_CLOEXEC: closes on successful exec */

	int stdio[3]; /* descriptors to become 0, 1, 2; -1: keep the inherited one */

	struct child_rlimit rlimits[CHILD_MAX_RLIMITS];
	size_t n_rlimits;

	bool set_ids; /* change groups, gid and uid (the supervisor is root) */
	uid_t uid;
	gid_t gid;
	const gid_t *groups; /* supplementary groups */
	size_t n_groups;

	cap_t caps_none;    /* an empty set: what the program is left with */
	cap_t caps_setpcap; /* only CAP_SETPCAP, permitted and effective: to drop the bounding set
			     */

	const char *chdir; /* NULL: stay */
	int landlock_fd;   /* the policy's Landlock ruleset to enforce, or -1 */
	/*
	 * The isolation layer of Landlock, or -1. The child first grants
	 * |landlock_stdio_rights| on its standard streams that are files or
	 * devices (a redirected output file, the caller's terminal), so that
	 * reopening them through /dev/stdout keeps working.
	 */
	int landlock_iso_fd;
	uint64_t landlock_stdio_rights;
};

/* Never returns: execs the program or _exits with 126 / 127. */
_Noreturn void child_run(const struct child_spec *spec);

/*
 * Report a failed step on |err_fd| ({stage, errno, detail}) and _exit with
 * 126 (127 for a program that does not exist).
 */
_Noreturn void child_fail(int err_fd, enum child_stage stage, int err, int detail);

/* "RLIMIT_NOFILE (--open-files)", for messages. */
const char *child_rlimit_name(int resource);

/* "waiting for the tracer", "loading the seccomp filter", ... */
const char *child_stage_name(int stage);

#endif
