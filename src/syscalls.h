/* SPDX-License-Identifier: MIT */
/*
 * syscalls.h - what the sandbox knows about each system call's arguments:
 * a kind per argument (a path, an fd, open flags, a 32-bit int...). The
 * decoder formats by kind; the policy compiler asks which arguments the
 * kernel reads as 32-bit values, so a comparison can ignore the upper half
 * the kernel ignores (the CVE-2019-7303 pattern). Pure tables.
 */
#ifndef SBX_SYSCALLS_H
#define SBX_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>

enum arg_kind {
	A_NONE,
	A_INT,	     /* signed 32-bit */
	A_UINT,	     /* unsigned 32-bit */
	A_LONG,	     /* signed register width */
	A_ULONG,     /* sizes, counts */
	A_HEX,	     /* raw value */
	A_HEX32,     /* raw value the kernel reads as 32 bits (flags, masks) */
	A_PTR,	     /* an address: NULL or 0x... */
	A_FD,	     /* a descriptor (int) */
	A_DIRFD,     /* a descriptor or AT_FDCWD */
	A_PATH,	     /* NUL-terminated string */
	A_WBUF,	     /* buffer whose length is the next argument */
	A_MODE,	     /* octal */
	A_OPEN_MODE, /* octal, shown only when the flags create a file */
	A_OPEN_FLAGS,
	A_FD_FLAGS,
	A_AT_FLAGS,
	A_UNLINK_FLAGS,
	A_ACCESS,
	A_PROT,
	A_MAP_FLAGS,
	A_MREMAP_FLAGS,
	A_CLONE_FLAGS,
	A_SIGNAL,
	A_FAMILY,
	A_SOCK_TYPE,
	A_SOCKADDR, /* struct sockaddr whose length is the next argument */
	A_MSG_FLAGS,
	A_SOCK_LEVEL,
	A_SHUTDOWN,
	A_SIGHOW,
	A_WHENCE,
	A_FCNTL_CMD,
	A_FCNTL_ARG, /* depends on the command in the previous argument */
	A_IOCTL_CMD,
	A_PRCTL_OPTION,
	A_PRCTL_ARG2, /* depends on the option in argument 0 */
	A_ARCH_PRCTL_CODE,
	A_FUTEX_OP,
	A_FUTEX_ARG, /* shown only for operations that use it */
	A_CLOCK,
	A_TIMER_FLAGS,
	A_TIMESPEC,
	A_RLIMIT_RES,
	A_RLIMIT_IN, /* struct rlimit the program passes in */
	A_WAIT_OPTIONS,
	A_IDTYPE,
	A_MADVICE,
	A_SECCOMP_OP,
	A_SECCOMP_FLAGS,
	A_MEMFD_FLAGS,
	A_RENAME_FLAGS,
	A_GRND_FLAGS,
	A_EPOLL_OP,
	A_MOUNT_FLAGS,
	A_UMOUNT_FLAGS,
	A_ARGV,	      /* NULL-terminated array of strings */
	A_ENVP,	      /* the same, shown as a count */
	A_IOVEC,      /* struct iovec array whose count is the next argument (written) */
	A_SOCKETCALL, /* i386 socketcall's call number */
	A_IPC,	      /* i386 ipc's call number */
};

struct signature {
	const char *name;
	unsigned char n;
	unsigned char arg[6];
};

/* The signature of |name| ("openat"), or NULL when the sandbox has none. */
const struct signature *syscall_signature(const char *name);

/*
 * How wide argument |index| of |name| is for the kernel: 32 (int, unsigned
 * int, fds, flags), 64 (pointers, sizes, longs), or 0 when unknown.
 */
int syscall_arg_bits(const char *name, unsigned int index);

/* True when the table is in strcmp order (bsearch needs it); for tests. */
bool syscall_table_sorted(void);

#endif
