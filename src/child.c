/* SPDX-License-Identifier: MIT */
/*
 * child.c - the child's side of the start-up, in a fixed order:
 *
 *   1. wait until the supervisor has seized us (ptrace) and put us in our
 *      cgroup, so no instruction of the program runs untraced or uncounted;
 *   2. die with the supervisor (PR_SET_PDEATHSIG), and check it is still
 *      there: a parent that died before step 1 ended leaves us orphaned;
 *   3. setsid(): own session and process group, detached from the terminal's
 *      job control, so the supervisor's terminal signals are its own to
 *      forward; an empty signal mask and every signal the caller ignored
 *      back to its default action (a caller's blocked SIGALRM or ignored
 *      SIGPIPE must not change how the program behaves);
 *   4. standard streams: the files the supervisor opened become 0, 1, 2;
 *   5. close-on-exec every other descriptor above 2;
 *   6. rlimits, while we may still raise hard limits (as root);
 *   7. credentials: supplementary groups, then gid, then uid (the order
 *      matters: after the uid changes we may no longer change groups).
 *      KEEPCAPS keeps the permitted set across the uid change so step 8
 *      can still drop the bounding set;
 *   8. capabilities: the bounding set dropped (needs CAP_SETPCAP, which
 *      only a root supervisor has), the ambient set cleared, then
 *      permitted, effective and inheritable emptied. A uid-0 program
 *      thus gets nothing back at exec: with an empty bounding set root's
 *      exec-time capabilities are empty too;
 *   9. chdir, as the program's user, so it cannot enter what that user
 *      could not;
 *  10. PR_SET_NO_NEW_PRIVS, which seccomp needs without CAP_SYS_ADMIN and
 *      which stops setuid binaries and file capabilities from granting
 *      anything; then the Landlock ruleset the parent built (it too needs
 *      no_new_privs);
 *  11. load the filter: the last step before execve, so the filter never
 *      has to allow what the set-up needs; with a listener (notify.h),
 *      handed to the supervisor and closed before execve;
 *  12. execve. The initial execve stops in the supervisor, which lets this
 *      one call through even when the policy kills execve.
 *
 * A failing step writes {stage, errno, detail} to a close-on-exec pipe and
 * exits 126 (127 when the program does not exist).
 */
#include "child.h"

#include "landlock.h"
#include "notify.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

_Noreturn void child_fail(int err_fd, enum child_stage stage, int err, int detail)
{
	struct child_error msg = {.stage = stage, .err = err, .detail = detail};
	ssize_t _unused_ n = write(err_fd, &msg, sizeof(msg));

	_exit(stage == CHILD_STAGE_EXEC && err == ENOENT ? 127 : 126);
}

static _Noreturn void fail(const struct child_spec *spec, enum child_stage stage, int err,
			   int detail)
{
	child_fail(spec->err_fd, stage, err, detail);
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
	static const char *const names[] = {
		[CHILD_STAGE_SYNC] = "waiting for the tracer",
		[CHILD_STAGE_SESSION] = "creating a session",
		[CHILD_STAGE_STDIO] = "redirecting a standard stream",
		[CHILD_STAGE_FDS] = "closing inherited file descriptors",
		[CHILD_STAGE_RLIMIT] = "setting a resource limit",
		[CHILD_STAGE_GROUPS] = "setting supplementary groups",
		[CHILD_STAGE_GID] = "changing the group id",
		[CHILD_STAGE_UID] = "changing the user id",
		[CHILD_STAGE_CAPS] = "dropping capabilities",
		[CHILD_STAGE_CHDIR] = "changing directory",
		[CHILD_STAGE_NNP] = "setting no_new_privs",
		[CHILD_STAGE_LANDLOCK] = "enforcing the Landlock ruleset",
		[CHILD_STAGE_FILTER] = "loading the seccomp filter",
		[CHILD_STAGE_EXEC] = "executing the program",
		[CHILD_STAGE_INIT_IDS] = "taking the sandbox's ids in its user namespace",
		[CHILD_STAGE_MOUNT] = "building the sandbox's filesystem",
		[CHILD_STAGE_PIVOT] = "entering the sandbox's root",
		[CHILD_STAGE_NET] = "bringing up the loopback interface",
		[CHILD_STAGE_HOSTNAME] = "setting the hostname",
		[CHILD_STAGE_INIT_LANDLOCK] = "building the Landlock isolation layer",
		[CHILD_STAGE_FORK] = "starting the program from the sandbox's init",
		[CHILD_STAGE_NETNS] = "creating the sandbox's network namespace (--share-net "
				      "keeps the host's network)",
	};

	if (stage > 0 && (size_t)stage < ARRAY_SIZE(names) && names[stage])
		return names[stage];
	return "setting up";
}

/*
 * The prepared descriptors may themselves be 0, 1 or 2 (when the supervisor
 * started with one of those closed), so each is first copied above 2, then
 * put in place: no redirection can clobber another's source.
 */
const char *child_rlimit_name(int resource)
{
	switch (resource) {
	case RLIMIT_CPU:
		return "RLIMIT_CPU (--cpu-time)";
	case RLIMIT_FSIZE:
		return "RLIMIT_FSIZE (--output)";
	case RLIMIT_DATA:
		return "RLIMIT_DATA (--memory)";
	case RLIMIT_AS:
		return "RLIMIT_AS (--memory)";
	case RLIMIT_STACK:
		return "RLIMIT_STACK (--stack)";
	case RLIMIT_NOFILE:
		return "RLIMIT_NOFILE (--open-files)";
	case RLIMIT_CORE:
		return "RLIMIT_CORE";
	}
	return "an rlimit";
}

static void setup_stdio(const struct child_spec *spec)
{
	int high[3];

	for (int fd = 0; fd < 3; fd++) {
		high[fd] = spec->stdio[fd] < 0 ? -1 : fcntl(spec->stdio[fd], F_DUPFD_CLOEXEC, 3);
		if (spec->stdio[fd] >= 0 && high[fd] < 0)
			fail(spec, CHILD_STAGE_STDIO, errno, fd);
	}
	for (int fd = 0; fd < 3; fd++)
		if (high[fd] >= 0 && dup2(high[fd], fd) < 0)
			fail(spec, CHILD_STAGE_STDIO, errno, fd);
}

static void setup_rlimits(const struct child_spec *spec)
{
	for (size_t i = 0; i < spec->n_rlimits; i++)
		if (setrlimit(spec->rlimits[i].resource, &spec->rlimits[i].limit) < 0)
			fail(spec, CHILD_STAGE_RLIMIT, errno, spec->rlimits[i].resource);
}

/*
 * Raw system calls, not glibc's wrappers: those change the ids of every
 * thread glibc believes the process has (nptl's setxid broadcast), and a
 * child cloned from a supervisor with threads (a program running sandboxes
 * from several threads; the init is started with a raw clone) has only this
 * one: the wrapper would wait forever for the others.
 */
static void setup_ids(const struct child_spec *spec)
{
	if (!spec->set_ids)
		return;
	if (syscall(SYS_setgroups, spec->n_groups, spec->groups) < 0)
		fail(spec, CHILD_STAGE_GROUPS, errno, 0);
	if (syscall(SYS_setresgid, spec->gid, spec->gid, spec->gid) < 0)
		fail(spec, CHILD_STAGE_GID, errno, 0);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		fail(spec, CHILD_STAGE_UID, errno, 0);
	if (syscall(SYS_setresuid, spec->uid, spec->uid, spec->uid) < 0)
		fail(spec, CHILD_STAGE_UID, errno, 0);
}

static void drop_caps(const struct child_spec *spec)
{
	/*
	 * Raising CAP_SETPCAP works only where it is permitted (a root
	 * supervisor, kept across the uid change by KEEPCAPS). Elsewhere the
	 * bounding set cannot be changed, and need not be: without privilege,
	 * exec grants nothing past NO_NEW_PRIVS.
	 */
	if (cap_set_proc(spec->caps_setpcap) == 0) {
		for (cap_value_t c = 0; c < (cap_value_t)cap_max_bits(); c++)
			if (cap_drop_bound(c) < 0 && errno != EINVAL)
				fail(spec, CHILD_STAGE_CAPS, errno, (int)c);
	}
	/* One call (libcap's cap_reset_ambient() asks about each capability first). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		fail(spec, CHILD_STAGE_CAPS, errno, 0);
	/* KEEPCAPS, set by setup_ids(), needs no reset: execve clears it. */
	if (cap_set_proc(spec->caps_none) < 0)
		fail(spec, CHILD_STAGE_CAPS, errno, 0);
}

/* Step 3: the mask emptied, ignored signals back to their default actions. */
static void reset_signals(const struct child_spec *spec)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;

	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		fail(spec, CHILD_STAGE_SESSION, errno, 1);
	for (int sig = 1; sig <= 64 && sig < NSIG; sig++)
		if (spec->ignored_signals & (1ULL << (sig - 1)))
			(void)sigaction(sig, &dfl, NULL);
}

/*
 * Step 11. With SECCOMP_FILTER_FLAG_NEW_LISTENER (notify.h) the supervisor
 * takes the listener at the stop of our close() of it; the close ends our
 * copy, and the kernel made it close-on-exec anyway. A kernel that refuses
 * a second listener in the chain (EBUSY: we run under one already) gets
 * the same program with TRACE returns: the supervisor decides at ptrace
 * stops, as it always can.
 */
static void load_filter(const struct child_spec *spec)
{
	struct sock_fprog prog = spec->prog;
	unsigned int flags = spec->filter_flags;
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);

	if (fd < 0 && errno == EBUSY && (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)) {
		notify_filter_to_trace(&prog);
		/* WAIT_KILLABLE_RECV is refused without a listener. */
		flags &= ~(unsigned int)(SECCOMP_FILTER_FLAG_NEW_LISTENER |
					 SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	}
	if (fd < 0)
		fail(spec, CHILD_STAGE_FILTER, errno, 0);
	if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		(void)syscall(SYS_close, fd, NOTIFY_HANDOVER);
}

_Noreturn void child_run(const struct child_spec *spec)
{
	char go;

	/*
	 * 0. Dumpable, which the seize needs: another run in the supervisor's
	 * process may have made it non-dumpable before our fork.
	 */
	if (spec->sync_fd >= 0)
		(void)prctl(PR_SET_DUMPABLE, 1);
	/*
	 * 1. Wait for PTRACE_SEIZE. EOF means the supervisor is gone. A
	 * program started by the sandbox's init was attached at its fork.
	 */
	while (spec->sync_fd >= 0 && read(spec->sync_fd, &go, 1) != 1)
		if (errno != EINTR)
			_exit(126);
	/* |sync_fd| is close-on-exec: the exec closes it, no call needed here. */

	/* 2. Die with the supervisor; it may already have died. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		fail(spec, CHILD_STAGE_SYNC, errno, 0);
	if (getppid() != spec->parent)
		fail(spec, CHILD_STAGE_SYNC, ESRCH, 0);

	/* 3. Own session and process group; a clean signal state. */
	if (setsid() < 0)
		fail(spec, CHILD_STAGE_SESSION, errno, 0);
	reset_signals(spec);

	/* 4. Standard streams. */
	setup_stdio(spec);

	/* 5. Nothing inherited above stderr reaches the program. */
	if (mark_fds_cloexec() < 0)
		fail(spec, CHILD_STAGE_FDS, errno, 0);

	/* 6-8. rlimits, credentials, capabilities. */
	setup_rlimits(spec);
	setup_ids(spec);
	drop_caps(spec);

	/* 9. Working directory, entered as the program's user. */
	if (spec->chdir && chdir(spec->chdir) < 0)
		fail(spec, CHILD_STAGE_CHDIR, errno, 0);

	/* 10. Always, whatever the privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(spec, CHILD_STAGE_NNP, errno, 0);

	/*
	 * 10b. Landlock: the isolation layer (with our standard streams in
	 * it), then the policy's filesystem and port rules, each checked on
	 * the objects themselves.
	 */
	if (spec->landlock_iso_fd >= 0) {
		for (int fd = 0; fd < 3; fd++)
			landlock_grant_fd(spec->landlock_iso_fd, fd, spec->landlock_stdio_rights);
		if (landlock_enforce(spec->landlock_iso_fd) < 0)
			fail(spec, CHILD_STAGE_LANDLOCK, errno, 0);
	}
	if (landlock_enforce(spec->landlock_fd) < 0)
		fail(spec, CHILD_STAGE_LANDLOCK, errno, 1);

	/* 11. The filter, last. */
	load_filter(spec);

	/* 12. Become the program. */
	execve(spec->path, spec->argv, spec->envp);
	fail(spec, CHILD_STAGE_EXEC, errno, 0);
}
