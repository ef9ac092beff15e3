/* SPDX-License-Identifier: MIT */
/*
 * targets.c - owns the question "is this signal (or prlimit) aimed outside
 * the sandbox?", answered at a stop against the supervisor's table of the
 * tasks it traces. The pid is in a register, so the answer is exact.
 */
#include "targets.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "procfs.h"
#include "util.h"

static bool traced(struct proctab *tasks, pid_t pid)
{
	return pid > 0 && proctab_find(tasks, pid) != NULL;
}

/* Field |n| (1-based, after the comm) of /proc/PID/stat: 5 is pgrp. */
static long stat_field(pid_t pid, int n)
{
	char buf[512], *p;
	long v = -1;

	if (proc_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');
	for (int field = 2; p && field < n; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtol(p + 1, NULL, 10);
	return v;
}

/*
 * A process group is inside when a traced task leads it or is in it (the
 * sandbox's first process made its own session, and every group in it).
 */
static bool group_inside(struct proctab *tasks, pid_t caller, pid_t pgrp)
{
	if (traced(tasks, pgrp) || pgrp == stat_field(caller, 5))
		return true;
	proctab_foreach(tasks, task)
	{
		if (stat_field(task->tid, 5) == pgrp)
			return true;
	}
	return false;
}

/* The process a pidfd of |caller| refers to (the "Pid:" line of its fdinfo), or 0. */
static pid_t pidfd_target(pid_t caller, int fd)
{
	char what[32];

	snprintf(what, sizeof(what), "fdinfo/%d", fd);
	return (pid_t)proc_field(caller, what, "\nPid:");
}

/* A pid not traced: gone, a zombie of the sandbox's, or outside. */
static enum target_where where_pid(struct proctab *tasks, pid_t pid)
{
	char buf[512], *p;
	char state;
	long ppid;

	if (traced(tasks, pid))
		return TARGET_INSIDE;
	if (proc_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return TARGET_GONE;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %ld", &state, &ppid) != 2)
		return TARGET_OUTSIDE;
	if ((state == 'Z' || state == 'X') && traced(tasks, (pid_t)ppid))
		return TARGET_ZOMBIE;
	return TARGET_OUTSIDE;
}

/* A process group: inside when a traced task is in it; gone when nobody is. */
static enum target_where where_group(struct proctab *tasks, pid_t caller, pid_t pgrp)
{
	if (group_inside(tasks, caller, pgrp))
		return TARGET_INSIDE;
	/* Signal 0 asks the kernel whether the group has any member, and sends nothing. */
	if (kill(-pgrp, 0) < 0 && errno == ESRCH)
		return TARGET_GONE;
	return TARGET_OUTSIDE;
}

/*
 * setpriority(which, who) and ioprio_set(which, who): a process (0: the
 * caller), a process group (0: the caller's), or every process of a user,
 * which is outside by definition (the user's other processes).
 */
static enum target_where who_where(struct proctab *tasks, pid_t caller, int nr, int which,
				   pid_t who, pid_t *ret_target)
{
	bool prio = nr == __NR_setpriority;

	*ret_target = who;
	if (which == (prio ? 0 : 1)) /* PRIO_PROCESS, IOPRIO_WHO_PROCESS */
		return who == 0 ? TARGET_INSIDE : where_pid(tasks, who);
	if (which == (prio ? 1 : 2)) { /* PRIO_PGRP, IOPRIO_WHO_PGRP */
		*ret_target = -who;
		return who == 0 ? TARGET_INSIDE : where_group(tasks, caller, who);
	}
	*ret_target = -1;
	/* PRIO_USER, IOPRIO_WHO_USER; other values fail EINVAL in the kernel */
	return which == (prio ? 2 : 3) ? TARGET_OUTSIDE : TARGET_INSIDE;
}

enum target_where target_where(struct proctab *tasks, pid_t caller, int nr, const uint64_t args[6],
			       pid_t *ret_target)
{
	pid_t a0 = (pid_t)(int32_t)args[0], a1 = (pid_t)(int32_t)args[1];
	enum target_where w;

	*ret_target = a0;
	switch (nr) {
	case __NR_kill:
		if (a0 == 0)
			return TARGET_INSIDE; /* the caller's own group */
		if (a0 == -1)
			return TARGET_OUTSIDE; /* everything the caller may signal */
		if (a0 < 0)
			return where_group(tasks, caller, -a0);
		return where_pid(tasks, a0);
	case __NR_tkill:
	case __NR_rt_sigqueueinfo:
		return where_pid(tasks, a0);
	case __NR_tgkill:
	case __NR_rt_tgsigqueueinfo:
		*ret_target = a1;
		w = where_pid(tasks, a1);
		if (w == TARGET_INSIDE && !traced(tasks, a0))
			w = where_pid(tasks, a0); /* a traced thread named with another tgid */
		return w;
	case __NR_pidfd_send_signal:
	case __NR_process_madvise:
	case __NR_process_mrelease:
	case __NR_pidfd_getfd:
		*ret_target = pidfd_target(caller, a0);
		/* -1: the process is gone, or not a pidfd: the kernel answers (ESRCH, EBADF) */
		return *ret_target > 0 ? where_pid(tasks, *ret_target) : TARGET_INSIDE;
	case __NR_prlimit64:
	case __NR_sched_setaffinity:
	case __NR_sched_setscheduler:
	case __NR_sched_setparam:
	case __NR_sched_setattr:
	case __NR_migrate_pages:
	case __NR_move_pages:
		return a0 == 0 ? TARGET_INSIDE : where_pid(tasks, a0);
	case __NR_setpriority:
	case __NR_ioprio_set:
		return who_where(tasks, caller, nr, a0, a1, ret_target);
	case __NR_ptrace:
		/* every request but PTRACE_TRACEME (0) names a pid: attach, peek, poke ... */
		*ret_target = a1;
		return a0 == 0 ? TARGET_INSIDE : where_pid(tasks, a1);
	case __NR_process_vm_readv:
	case __NR_process_vm_writev:
	case __NR_get_robust_list:
		return a0 == 0 ? TARGET_INSIDE : where_pid(tasks, a0);
	case __NR_fcntl:
		/* who gets the descriptor's SIGIO and SIGURG: a pid, or -pgrp */
		*ret_target = (pid_t)(int32_t)args[2];
		if ((int)args[1] == F_SETOWN_EX)
			return TARGET_UNSEEN;
		if ((int)args[1] != F_SETOWN || *ret_target == 0)
			return TARGET_INSIDE;
		return *ret_target > 0 ? where_pid(tasks, *ret_target)
				       : where_group(tasks, caller, -*ret_target);
	case __NR_kcmp:
		w = where_pid(tasks, a0);
		if (w != TARGET_INSIDE)
			return w;
		*ret_target = a1;
		return where_pid(tasks, a1);
	}
	return TARGET_INSIDE;
}
