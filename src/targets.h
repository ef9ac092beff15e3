/* SPDX-License-Identifier: MIT */
/*
 * targets.h - calls aimed at another process (signals, prlimit, priority) and
 * where that process is. A program must never reach the supervisor or
 * anything else outside: such a call is refused (EPERM, or a violation,
 * as the policy's "isolation.outside" says), whatever the rules say. A
 * target that no longer exists, or a zombie the sandbox made, gets the
 * kernel's own answer instead (ESRCH, or 0 for a signal to a zombie):
 * shells and runtimes probe stale pids with kill(pid, 0).
 */
#ifndef SBX_TARGETS_H
#define SBX_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proctab.h"

/*
 * The calls aimed at a process are the rows of src/syscalls.tbl with the
 * trait "target": the signals (kill, tkill, tgkill, rt_sigqueueinfo,
 * rt_tgsigqueueinfo, pidfd_send_signal), prlimit64, what changes another
 * process's priority, CPUs or memory (setpriority, ioprio_set, sched_set*,
 * migrate_pages, move_pages, process_madvise, process_mrelease), what reads
 * or writes another process (ptrace but PTRACE_TRACEME, process_vm_readv/
 * writev, kcmp, pidfd_getfd, get_robust_list) and fcntl's F_SETOWN and
 * F_SETOWN_EX (who gets SIGIO and SIGURG).
 */
enum target_where {
	TARGET_INSIDE,	/* a traced task, a group one is in, the caller's own */
	TARGET_GONE,	/* no such process or group (any more) */
	TARGET_ZOMBIE,	/* a zombie whose parent is traced: the sandbox's own */
	TARGET_OUTSIDE, /* a live process or group outside; kill(-1); a whole user */
	TARGET_UNSEEN,	/* named in memory (F_SETOWN_EX), where it can change after a look */
};

/*
 * Where native call |nr| with |args| made by |caller| is aimed, against
 * |tasks| and /proc (pid 0 is the caller's own group). Stores the target
 * (a pid, -pgrp, or -1 for "every process") in |ret_target|. A call not
 * aimed at a process is TARGET_INSIDE.
 */
enum target_where target_where(struct proctab *tasks, pid_t caller, int nr, const uint64_t args[6],
			       pid_t *ret_target);

#endif
