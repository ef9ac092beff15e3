/* SPDX-License-Identifier: MIT */
/*
 * arch.h - everything that depends on the CPU's register layout and ABIs.
 * Only x86_64 is implemented; other architectures fail to build here,
 * loudly, rather than run with a wrong idea of the registers.
 */
#ifndef SBX_ARCH_H
#define SBX_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#if !defined(__x86_64__)
#error "sandbox: only x86_64 is supported so far (see src/arch.c)"
#endif

/* Native numbers newer than the build's kernel headers (x86_64). */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452 /* Linux 6.6 */
#endif

/* The ABI a system call was made through. */
enum arch_abi {
	ABI_NATIVE, /* x86_64 syscall instruction */
	ABI_X86,    /* i386: int 0x80, sysenter */
	ABI_X32,    /* x32: x86_64 instruction with __X32_SYSCALL_BIT */
	ABI_UNKNOWN,
};

/* Classify (AUDIT_ARCH_*, nr) as reported by PTRACE_GET_SYSCALL_INFO. */
enum arch_abi arch_abi_of(uint32_t audit_arch, uint64_t nr);

/* "x86_64", "i386", "x32", "unknown". */
const char *arch_abi_name(enum arch_abi abi);

/* The libseccomp arch token for |abi| (SCMP_ARCH_*); 0 for unknown. */
uint32_t arch_abi_scmp(enum arch_abi abi);

/* True when arguments of calls in |abi| are 32 bits wide. */
bool arch_abi_is_32bit(enum arch_abi abi);

/*
 * Skip the system call |pid| is stopped in (at a seccomp stop) and make it
 * return |ret| (a negative errno or a value). Returns 0 or -errno (-ESRCH
 * when the task is gone).
 */
int arch_skip_syscall(pid_t pid, int64_t ret);

/*
 * The two halves of arch_skip_syscall(), for a call seen at a
 * syscall-entry stop (PTRACE_SYSCALL): at the entry stop the call is
 * cancelled (it will not run), and at its exit stop its result is set.
 * Each returns 0 or -errno (-ESRCH when the task is gone).
 */
int arch_cancel_syscall(pid_t pid);
int arch_set_return(pid_t pid, int64_t ret);

/*
 * Set argument |index| (0-5) of the native system call |pid| is stopped in
 * (at a seccomp stop) to |value|. The kernel runs the filter again on the
 * changed call before it executes it. Returns 0 or -errno.
 */
int arch_set_arg(pid_t pid, unsigned int index, uint64_t value);

#endif
