/* SPDX-License-Identifier: MIT */
/*
 * syscalls.h - the one table of system calls (src/syscalls.tbl, one row per
 * call): each argument's kind and width, groups, path arguments, and which
 * calls create tasks, signal or act on other processes. The decoder formats
 * by kind; the policy compiler compares only the bits the kernel reads (the
 * CVE-2019-7303 pattern); groups, paths, targets, the tracer and learn mode
 * read their facts here. Pure data and lookups.
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
	A_N_KINDS     /* how many kinds there are: not a kind */
};

/* How a path argument is used (the trait path=D:P:ACCESS). */
enum access {
	ACC_READ,
	ACC_WRITE,
	ACC_EXEC,
	ACC_META,  /* stat, access, readlink: not restricted; a denied path is reported */
	ACC_OPEN,  /* from the open flags */
	ACC_OPEN2, /* from struct open_how in memory (openat2) */
};

/* When a setid=I call gives a file a mode. */
enum setid_when {
	SETID_ALWAYS,
	SETID_CREATES, /* only when its open flags create a file */
	SETID_REGULAR, /* only when the mode's type is a regular file (mknod) */
};

enum syscall_trait {
	SYSCALL_TASK = 1 << 0,	       /* creates a task */
	SYSCALL_SIGNAL = 1 << 1,       /* sends a signal */
	SYSCALL_TARGET = 1 << 2,       /* may act on another process (targets.c decides) */
	SYSCALL_TARGET_SELF0 = 1 << 3, /* ... but argument 0 being 0 is the caller */
	SYSCALL_ESSENTIAL = 1 << 4,    /* any program may make it */
	SYSCALL_ADDRESS = 1 << 5,      /* returns an address */
	SYSCALL_I386_ONLY = 1 << 6,    /* no native call of this name (socketcall, ipc) */
};

/*
 * The CPUs a call exists on, natively (trait cpu= in syscalls.tbl; the
 * default is both). aarch64 uses the kernel's generic table, which lacks
 * the path calls its *at() forms replaced (open, stat, unlink, ...),
 * fork and vfork, and x86_64's own (arch_prctl, iopl, ...).
 */
enum syscall_cpu {
	SYSCALL_CPU_X86_64 = 1 << 0,
	SYSCALL_CPU_AARCH64 = 1 << 1,
};

/* One path a call names: argument indexes (dirfd -1: relative to the working directory). */
struct syscall_path {
	signed char dirfd, path;
	unsigned char access; /* enum access */
};

/*
 * One row of src/syscalls.tbl: everything the sandbox knows about a call.
 * The rows are generated at build time (gen_syscalls.py) and never change.
 */
struct syscall_row {
	const char *name;
	int nr;			  /* native number; -1 when the build's headers have none */
	unsigned char n;	  /* argument count */
	unsigned char arg[6];	  /* enum arg_kind, how the decoder shows each */
	unsigned char bits[6];	  /* 16, 32 or 64: how many bits the kernel reads */
	unsigned int groups;	  /* bit i: member of syscall_groups[i] */
	unsigned int traits;	  /* enum syscall_trait */
	signed char target_arg;	  /* target=I&BITS: a target only when argument I ... */
	unsigned int target_bits; /* ... has one of these bits; -1, 0: always */
	signed char setid_arg;	  /* the argument that gives a file a mode, or -1 */
	unsigned char setid_when; /* enum setid_when */
	unsigned char n_paths;
	struct syscall_path paths[2];
	unsigned char socketcalls[2]; /* i386 socketcall numbers standing for this call; 0: none */
	unsigned char ipc;	      /* i386 ipc number standing for this call; 0: none */
	short i386_nr;		      /* i386's direct number unknown to libseccomp 2.5; 0: none */
	unsigned char cpus;	      /* enum syscall_cpu: the CPUs whose native ABI has it */
};

/* A syscall group ("@file-system"). */
struct syscall_group {
	const char *name;	    /* without the '@' */
	const char *description;    /* one line */
	const char *const *members; /* NULL-terminated; "@x" includes group x */
};

/* Native numbers below this index syscall_nr_index[]. */
#define SYSCALL_NR_MAX 512

/* The table, sorted by name (generated; static storage, never freed). */
extern const struct syscall_row syscall_rows[];
extern const size_t syscall_n_rows;
extern const unsigned short syscall_nr_index[SYSCALL_NR_MAX]; /* row index + 1; 0: none */
extern const struct syscall_group syscall_groups[];
extern const size_t syscall_n_groups;

/* The row of |name| ("openat"), or NULL when the table has none. */
const struct syscall_row *syscall_by_name(const char *name);

/* The row of native call |nr|, or NULL (unknown, negative, or past SYSCALL_NR_MAX). */
const struct syscall_row *syscall_by_nr(int nr);

/* The same as syscall_by_name(): what the decoder formats by. */
const struct syscall_row *syscall_signature(const char *name);

/*
 * How many bits of argument |index| of native call |nr| the kernel reads:
 * 16, 32 or 64; 0 when the table has no such call or argument.
 */
int syscall_arg_bits(int nr, unsigned int index);

/* True when native call |nr| has every trait in |traits| (enum syscall_trait). */
bool syscall_has(int nr, unsigned int traits);

/* True when the table is in strcmp order (bsearch needs it); for tests. */
bool syscall_table_sorted(void);

#endif
