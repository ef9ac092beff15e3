/* SPDX-License-Identifier: MIT */
/*
 * arch.h - everything that depends on the CPU: its register layout, its
 * system call ABIs and their AUDIT_ARCH_* and libseccomp tokens.
 *
 * Supported: x86_64 (foreign ABIs i386 and x32) and aarch64 (foreign ABI
 * AArch32, "arm"). Other CPUs fail to build here, loudly, rather than run
 * with a wrong idea of the registers.
 */
#ifndef SBX_ARCH_H
#define SBX_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "sandbox: only x86_64 and aarch64 are supported (see src/arch.c)"
#endif

/* Native numbers newer than the build's kernel headers (the same on both CPUs). */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452 /* Linux 6.6 */
#endif

/*
 * The ABI a system call was made through. ABI_NATIVE is the build's own
 * (x86_64 or aarch64); the others are foreign ABIs a task of the same CPU
 * can use: i386 and x32 on x86_64, AArch32 on aarch64.
 */
enum arch_abi {
	ABI_NATIVE,  /* x86_64's syscall instruction; aarch64's svc from AArch64 */
	ABI_X86,     /* i386: int 0x80, sysenter (x86_64 only) */
	ABI_X32,     /* x32: x86_64 instruction with __X32_SYSCALL_BIT */
	ABI_ARM,     /* AArch32 (compat) task's svc (aarch64 only) */
	ABI_UNKNOWN, /* another AUDIT_ARCH_*: none the CPU should produce */
};

/*
 * What the BPF code the sandbox writes itself (notify.c, filter_oci.c)
 * needs to know of a CPU. One const instance per supported CPU, so unit
 * tests on x86_64 can build and run the aarch64 variants through
 * bpf_run() as well.
 */
struct arch_desc {
	const char *name;    /* the native ABI's name: "x86_64", "aarch64" */
	uint32_t audit_arch; /* seccomp_data.arch of native calls (AUDIT_ARCH_*) */
	uint32_t scmp_arch;  /* libseccomp's token for the native ABI (SCMP_ARCH_*) */
	/*
	 * A bit of seccomp_data.nr that marks another ABI sharing the native
	 * audit_arch (x86_64's __X32_SYSCALL_BIT); 0 when there is none.
	 */
	uint32_t nr_abi_bit;
	unsigned int foreign; /* the POLICY_ARCH_* (policy.h) of its foreign ABIs */
	int nr_close;	      /* the native number of close(2) */
};

/*
 * A foreign ABI the sandbox knows (i386, x32, AArch32), on whichever CPU
 * has it: arch_desc.foreign says which are a CPU's.
 */
struct arch_foreign {
	unsigned int bit;    /* POLICY_ARCH_* (policy.h) */
	uint32_t token;	     /* libseccomp's SCMP_ARCH_* */
	uint32_t audit_arch; /* seccomp_data.arch of its calls */
	bool by_nr_bit;	     /* .arch is the native one; .nr carries arch_desc.nr_abi_bit (x32) */
};

#define ARCH_N_FOREIGN 3
extern const struct arch_foreign arch_foreign_abis[ARCH_N_FOREIGN];

extern const struct arch_desc arch_x86_64;
extern const struct arch_desc arch_aarch64;

/* The CPU this build runs on: &arch_x86_64 or &arch_aarch64. */
#if defined(__x86_64__)
#define ARCH_NATIVE (&arch_x86_64)
#else
#define ARCH_NATIVE (&arch_aarch64)
#endif

/* Classify (AUDIT_ARCH_*, nr) as reported by PTRACE_GET_SYSCALL_INFO. */
enum arch_abi arch_abi_of(uint32_t audit_arch, uint64_t nr);

/* "x86_64" or "aarch64" (the build's), "i386", "x32", "arm", "unknown". */
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
 * Set argument |index| (1-5; 0 too on x86_64) of the native system call
 * |pid| is stopped in (at a seccomp stop) to |value|. The kernel runs the
 * filter again on the changed call before it executes it. Returns 0 or
 * -errno; -EINVAL for an index the CPU cannot change (aarch64's argument
 * 0: seccomp reads it from orig_x0, which ptrace cannot write).
 */
int arch_set_arg(pid_t pid, unsigned int index, uint64_t value);

#endif
