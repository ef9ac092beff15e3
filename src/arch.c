/* SPDX-License-Identifier: MIT */
#include "arch.h"

#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "policy.h"

#define X32_SYSCALL_BIT 0x40000000u

const struct arch_foreign arch_foreign_abis[ARCH_N_FOREIGN] = {
	{POLICY_ARCH_X86, SCMP_ARCH_X86, AUDIT_ARCH_I386, false},
	{POLICY_ARCH_X32, SCMP_ARCH_X32, AUDIT_ARCH_X86_64, true},
	{POLICY_ARCH_ARM, SCMP_ARCH_ARM, AUDIT_ARCH_ARM, false},
};

/* The numbers of close(2): x86_64's own table, and the generic one aarch64 uses. */
const struct arch_desc arch_x86_64 = {
	.name = "x86_64",
	.audit_arch = AUDIT_ARCH_X86_64,
	.scmp_arch = SCMP_ARCH_X86_64,
	.nr_abi_bit = X32_SYSCALL_BIT,
	.foreign = POLICY_ARCH_X86 | POLICY_ARCH_X32,
	.nr_close = 3,
};

const struct arch_desc arch_aarch64 = {
	.name = "aarch64",
	.audit_arch = AUDIT_ARCH_AARCH64,
	.scmp_arch = SCMP_ARCH_AARCH64,
	.nr_abi_bit = 0,
	.foreign = POLICY_ARCH_ARM,
	.nr_close = 57,
};

#if defined(__x86_64__)
_Static_assert(__NR_close == 3, "x86_64's close");
#else
_Static_assert(__NR_close == 57, "aarch64's close");
#endif

enum arch_abi arch_abi_of(uint32_t audit_arch, uint64_t nr)
{
#if defined(__x86_64__)
	if (audit_arch == AUDIT_ARCH_X86_64)
		return (nr & X32_SYSCALL_BIT) && nr != (uint64_t)-1 ? ABI_X32 : ABI_NATIVE;
	if (audit_arch == AUDIT_ARCH_I386)
		return ABI_X86;
#else
	(void)nr;
	if (audit_arch == AUDIT_ARCH_AARCH64)
		return ABI_NATIVE;
	if (audit_arch == AUDIT_ARCH_ARM)
		return ABI_ARM;
#endif
	return ABI_UNKNOWN;
}

const char *arch_abi_name(enum arch_abi abi)
{
	static const char *const names[] = {
		[ABI_X86] = "i386",
		[ABI_X32] = "x32",
		[ABI_ARM] = "arm",
		[ABI_UNKNOWN] = "unknown",
	};

	return abi == ABI_NATIVE ? ARCH_NATIVE->name : names[abi];
}

uint32_t arch_abi_scmp(enum arch_abi abi)
{
	switch (abi) {
	case ABI_NATIVE:
		return ARCH_NATIVE->scmp_arch;
	case ABI_X86:
		return SCMP_ARCH_X86;
	case ABI_X32:
		return SCMP_ARCH_X32;
	case ABI_ARM:
		return SCMP_ARCH_ARM;
	case ABI_UNKNOWN:
		break;
	}
	return 0;
}

bool arch_abi_is_32bit(enum arch_abi abi)
{
	return abi == ABI_X86 || abi == ABI_X32 || abi == ABI_ARM;
}

int arch_skip_syscall(pid_t pid, int64_t ret)
{
	int r = arch_cancel_syscall(pid);

	return r < 0 ? r : arch_set_return(pid, ret);
}

#if defined(__x86_64__)

/*
 * At a seccomp stop the kernel re-reads the syscall number after the tracer
 * resumes the task: -1 means "skip it", and the return register keeps
 * whatever the tracer stored. Two POKEUSERs are cheaper than a
 * GETREGS/SETREGS round trip of the whole register file.
 */
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

#else /* aarch64 */

/*
 * aarch64 has no POKEUSER: the number of the call a task is stopped in is
 * its own regset (NT_ARM_SYSTEM_CALL, an int), and x0-x5 are in the
 * general registers (NT_PRSTATUS), read and written whole. The kernel
 * re-reads the number after a seccomp or syscall-entry stop and skips the
 * call when it is -1, returning whatever x0 then holds (arch/arm64/kernel/
 * syscall.c, el0_svc_common()). PTRACE_SET_SYSCALL_INFO (Linux 6.16) sets
 * the number and arguments but not the result of a skipped call, so the
 * regsets stay the one way on every kernel.
 */
int arch_cancel_syscall(pid_t pid)
{
	int nr = -1;
	struct iovec iov = {.iov_base = &nr, .iov_len = sizeof(nr)};

	return ptrace(PTRACE_SETREGSET, pid, (void *)NT_ARM_SYSTEM_CALL, &iov) < 0 ? -errno : 0;
}

/*
 * Register |index| of |pid| set to |value|: a read and a write of the
 * whole set. An AArch32 (compat) task's NT_PRSTATUS is its own 18 32-bit
 * registers (r0-r15, cpsr, orig_r0), which the kernel gives a 64-bit
 * tracer as they are: the length it returns says which set came, and
 * only the one 32-bit register is written (a 64-bit store there would
 * also overwrite r(index+1), which the AArch32 ABI keeps across a call).
 */
static int set_register(pid_t pid, unsigned int index, uint64_t value)
{
	union {
		struct user_regs_struct a64;
		uint32_t a32[18];
	} regs;
	struct iovec iov = {.iov_base = &regs, .iov_len = sizeof(regs)};

	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0)
		return -errno;
	if (iov.iov_len == sizeof(regs.a64) && index < 31)
		regs.a64.regs[index] = value;
	else if (iov.iov_len == sizeof(regs.a32) && index < 15)
		regs.a32[index] = (uint32_t)value;
	else
		return -EINVAL;
	return ptrace(PTRACE_SETREGSET, pid, (void *)NT_PRSTATUS, &iov) < 0 ? -errno : 0;
}

/* At a syscall-exit stop, or a seccomp stop of a cancelled call: x0 is what it returns. */
int arch_set_return(pid_t pid, int64_t ret)
{
	return set_register(pid, 0, (uint64_t)ret);
}

/*
 * Argument 0 is x0, but seccomp (and so the filter run again after the
 * stop) reads it from orig_x0, which no regset writes: a change would run
 * a call the filter never saw. Only 1-5 can be changed.
 */
int arch_set_arg(pid_t pid, unsigned int index, uint64_t value)
{
	if (index == 0 || index >= 6)
		return -EINVAL;
	return set_register(pid, index, value);
}

#endif
