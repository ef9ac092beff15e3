/* SPDX-License-Identifier: MIT */
/*
 * bpfrun.h - run a classic BPF seccomp program in the supervisor, on the
 * seccomp_data of a stopped call, to get the answer the kernel's copy of
 * the same program gave (or would give).
 */
#ifndef SBX_BPFRUN_H
#define SBX_BPFRUN_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The SECCOMP_RET_* value |prog| (|len| instructions) returns for |data|.
 * Follows the kernel's cBPF semantics for the instructions libseccomp and
 * filter_oci.c emit (loads from the seccomp_data, ALU, jumps, scratch
 * memory, returns), checked against the kernel call by call; a load outside
 * the data, a jump past the end, a division by zero or an unknown
 * instruction returns SECCOMP_RET_KILL_PROCESS. It does not vet a program
 * the way the kernel does before loading it: give it only programs the
 * kernel accepts.
 */
uint32_t bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data);

#endif
