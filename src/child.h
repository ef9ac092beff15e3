/* SPDX-License-Identifier: MIT */
/*
 * child.h - what the forked child does before it becomes the program.
 *
 * Everything here is prepared by the parent before fork(); the child only
 * makes system calls on memory it was handed. No malloc, no stdio, no
 * JSON, no libseccomp.
 */
#ifndef SBX_CHILD_H
#define SBX_CHILD_H

#include <linux/filter.h>
#include <sys/types.h>

/* Which step failed; sent to the parent with the errno. */
enum child_stage {
	CHILD_STAGE_SYNC = 1, /* waiting for the tracer */
	CHILD_STAGE_SESSION,
	CHILD_STAGE_FDS,
	CHILD_STAGE_NNP,
	CHILD_STAGE_FILTER,
	CHILD_STAGE_EXEC,
};

/* The message the child writes to |err_fd| when a step fails. */
struct child_error {
	int stage; /* enum child_stage */
	int err;   /* errno */
};

struct child_spec {
	const char *path;	/* resolved program path, passed to execve */
	char *const *argv;	/* argv[0] as the user gave it */
	char *const *envp;	/* environment for the program */
	struct sock_fprog prog; /* the compiled filter */
	pid_t parent;		/* the supervisor's pid, to detect its death */
	int sync_fd;		/* read end: one byte once the tracer is attached */
	int err_fd;		/* write end, O_CLOEXEC: closes on successful exec */
};

/* Never returns: execs the program or _exits with 126 / 127. */
_Noreturn void child_run(const struct child_spec *spec);

/* "waiting for the tracer", "loading the seccomp filter", ... */
const char *child_stage_name(int stage);

#endif
