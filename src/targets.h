/* SPDX-License-Identifier: MIT */
/*
 * targets.h - calls aimed at another process (signals, prlimit, priority) and
 * whether that process is inside the sandbox. A program must never signal
 * the supervisor or anything else outside: such a call kills the sandbox
 * with a report, whatever the policy says.
 */
#ifndef SBX_TARGETS_H
#define SBX_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proctab.h"

/*
 * kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal,
 * prlimit64, and what changes another process's priority, CPUs or memory:
 * setpriority, ioprio_set, sched_set*, migrate_pages, move_pages,
 * process_madvise, process_mrelease.
 */
extern const int targets_calls[];
extern const size_t targets_n_calls;

/*
 * Whether native call |nr| with |args| made by |caller| is aimed at a
 * process outside |tasks| (kill(-1) always is; pid 0 is the caller's own
 * group). Stores the target (a pid, or -pgrp) in |ret_target|.
 */
bool target_outside(struct proctab *tasks, pid_t caller, int nr, const uint64_t args[6],
		    pid_t *ret_target);

#endif
