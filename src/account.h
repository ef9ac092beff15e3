/* SPDX-License-Identifier: MIT */
/*
 * account.h - measurements of the sandbox's tree the tracer cannot get from
 * one /proc file: a process's own CPU time to the nanosecond, and memory
 * held outside every process's resident set (files on the sandbox's private
 * tmpfs mounts, memfds).
 */
#ifndef SBX_ACCOUNT_H
#define SBX_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * CPU time (user + system, every thread, dead ones included, children not)
 * of process |pid| so far, in nanoseconds, from its CPU clock
 * (clock_getcpuclockid(3)); 0 when it is gone.
 */
uint64_t account_process_cpu_ns(pid_t pid);

/* Bytes in use on the tmpfs mounts open at |fds| (statfs); others are skipped. */
uint64_t account_tmpfs_bytes(const int *fds, size_t n);

/*
 * Bytes of memory the memfds that processes |pids| hold open use, each
 * memfd counted once however many descriptors name it (from
 * /proc/PID/fd/N: st_blocks).
 */
uint64_t account_memfd_bytes(const pid_t *pids, size_t n);

#endif
