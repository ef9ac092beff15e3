/* SPDX-License-Identifier: MIT */
/*
 * child.c - the child's side of the start-up, in a fixed order:
 *
 *   1. wait until the supervisor has seized us (ptrace), so no instruction
 *      of the program can run untraced;
 *   2. die with the supervisor (PR_SET_PDEATHSIG), and check it is still
 *      there: a parent that died before step 1 ended leaves us orphaned;
 *   3. setsid(): own session and process group, detached from the terminal's
 *      job control, so the supervisor's terminal signals are its own to
 *      forward;
 *   4. close-on-exec every inherited descriptor above 2;
 *   5. PR_SET_NO_NEW_PRIVS, which seccomp needs without CAP_SYS_ADMIN and
 *      which stops setuid binaries from gaining privilege;
 *   6. load the filter: the last step before execve, so the filter never
 *      has to allow what the set-up needs;
 *   7. execve. The initial execve stops in the supervisor, which lets this
 *      one call through even when the policy kills execve.
 *
 * A failing step writes {stage, errno} to a close-on-exec pipe and exits
 * 126 (127 when the program does not exist).
 */
#include "child.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static _Noreturn void fail(const struct child_spec *spec, enum child_stage stage, int err)
{
	struct child_error msg = {.stage = stage, .err = err};
	ssize_t _unused_ n = write(spec->err_fd, &msg, sizeof(msg));

	_exit(stage == CHILD_STAGE_EXEC && err == ENOENT ? 127 : 126);
}

static int mark_fds_cloexec(void)
{
	long max;

	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	/* Kernels before 5.11: do it one descriptor at a time. */
	max = sysconf(_SC_OPEN_MAX);
	for (long fd = 3; fd < max && fd < 65536; fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

const char *child_stage_name(int stage)
{
	switch (stage) {
	case CHILD_STAGE_SYNC:
		return "waiting for the tracer";
	case CHILD_STAGE_SESSION:
		return "creating a session";
	case CHILD_STAGE_FDS:
		return "closing inherited file descriptors";
	case CHILD_STAGE_NNP:
		return "setting no_new_privs";
	case CHILD_STAGE_FILTER:
		return "loading the seccomp filter";
	case CHILD_STAGE_EXEC:
		return "executing the program";
	}
	return "setting up";
}

_Noreturn void child_run(const struct child_spec *spec)
{
	char go;

	/* 1. Wait for PTRACE_SEIZE. EOF means the supervisor is gone. */
	while (read(spec->sync_fd, &go, 1) != 1)
		if (errno != EINTR)
			_exit(126);
	close(spec->sync_fd);

	/* 2. Die with the supervisor; it may already have died. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		fail(spec, CHILD_STAGE_SYNC, errno);
	if (getppid() != spec->parent)
		fail(spec, CHILD_STAGE_SYNC, ESRCH);

	/* 3. Own session and process group. */
	if (setsid() < 0)
		fail(spec, CHILD_STAGE_SESSION, errno);

	/* 4. Nothing inherited above stderr reaches the program. */
	if (mark_fds_cloexec() < 0)
		fail(spec, CHILD_STAGE_FDS, errno);

	/* 5. Always, whatever the privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(spec, CHILD_STAGE_NNP, errno);

	/* 6. The filter, last. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &spec->prog) < 0)
		fail(spec, CHILD_STAGE_FILTER, errno);

	/* 7. Become the program. */
	execve(spec->path, spec->argv, spec->envp);
	fail(spec, CHILD_STAGE_EXEC, errno);
}
