/* SPDX-License-Identifier: MIT */
#include "arch.h"

#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#define X32_SYSCALL_BIT 0x40000000ULL

enum arch_abi arch_abi_of(uint32_t audit_arch, uint64_t nr)
{
	if (audit_arch == AUDIT_ARCH_X86_64)
		return (nr & X32_SYSCALL_BIT) && nr != (uint64_t)-1 ? ABI_X32 : ABI_NATIVE;
	if (audit_arch == AUDIT_ARCH_I386)
		return ABI_X86;
	return ABI_UNKNOWN;
}

const char *arch_abi_name(enum arch_abi abi)
{
	static const char *const names[] = {
		[ABI_NATIVE] = "x86_64",
		[ABI_X86] = "i386",
		[ABI_X32] = "x32",
		[ABI_UNKNOWN] = "unknown",
	};

	return names[abi];
}

uint32_t arch_abi_scmp(enum arch_abi abi)
{
	switch (abi) {
	case ABI_NATIVE:
		return SCMP_ARCH_X86_64;
	case ABI_X86:
		return SCMP_ARCH_X86;
	case ABI_X32:
		return SCMP_ARCH_X32;
	case ABI_UNKNOWN:
		break;
	}
	return 0;
}

bool arch_abi_is_32bit(enum arch_abi abi)
{
	return abi == ABI_X86 || abi == ABI_X32;
}

/*
 * At a seccomp stop the kernel re-reads the syscall number after the tracer
 * resumes the task: -1 means "skip it", and the return register keeps
 * whatever the tracer stored. Two POKEUSERs are cheaper than a
 * GETREGS/SETREGS round trip of the whole register file.
 */
int arch_skip_syscall(pid_t pid, int64_t ret)
{
	int r = arch_cancel_syscall(pid);

	return r < 0 ? r : arch_set_return(pid, ret);
}

int arch_cancel_syscall(pid_t pid)
{
	if (ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, orig_rax), -1L) < 0)
		return -errno;
	return 0;
}

/* At a syscall-exit stop, or a seccomp stop of a cancelled call: rax is what it returns. */
int arch_set_return(pid_t pid, int64_t ret)
{
	if (ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rax), ret) < 0)
		return -errno;
	return 0;
}

int arch_set_arg(pid_t pid, unsigned int index, uint64_t value)
{
	static const size_t regs[6] = {
		offsetof(struct user_regs_struct, rdi), offsetof(struct user_regs_struct, rsi),
		offsetof(struct user_regs_struct, rdx), offsetof(struct user_regs_struct, r10),
		offsetof(struct user_regs_struct, r8),	offsetof(struct user_regs_struct, r9),
	};

	if (index >= 6)
		return -EINVAL;
	return ptrace(PTRACE_POKEUSER, pid, regs[index], (long)value) < 0 ? -errno : 0;
}
