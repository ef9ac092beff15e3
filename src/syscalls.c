/* SPDX-License-Identifier: MIT */
/*
 * syscalls.c - owns the table of system call signatures (x86_64 names,
 * argument kinds in register order). Pure data and lookups.
 */
#include "syscalls.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* clang-format off */
#define SIG(name, ...) {name, sizeof((unsigned char[]){__VA_ARGS__}), {__VA_ARGS__}}
#define SIG0(name)     {name, 0, {0}}
/* clang-format on */

/* Keep sorted by name: looked up with bsearch(). */
static const struct signature signatures[] = {
	SIG("accept", A_FD, A_PTR, A_PTR),
	SIG("accept4", A_FD, A_PTR, A_PTR, A_FD_FLAGS),
	SIG("access", A_PATH, A_ACCESS),
	SIG("acct", A_PATH),
	SIG("add_key", A_PATH, A_PATH, A_PTR, A_ULONG, A_INT),
	SIG("alarm", A_UINT),
	SIG("arch_prctl", A_ARCH_PRCTL_CODE, A_HEX),
	SIG("bind", A_FD, A_SOCKADDR, A_UINT),
	SIG("bpf", A_INT, A_PTR, A_UINT),
	SIG("brk", A_PTR),
	SIG("chdir", A_PATH),
	SIG("chmod", A_PATH, A_MODE),
	SIG("chown", A_PATH, A_INT, A_INT),
	SIG("chroot", A_PATH),
	SIG("clock_getres", A_CLOCK, A_PTR),
	SIG("clock_gettime", A_CLOCK, A_PTR),
	SIG("clock_nanosleep", A_CLOCK, A_TIMER_FLAGS, A_TIMESPEC, A_PTR),
	SIG("clock_settime", A_CLOCK, A_TIMESPEC),
	SIG("clone", A_CLONE_FLAGS, A_PTR, A_PTR, A_PTR, A_HEX),
	SIG("clone3", A_PTR, A_ULONG),
	SIG("close", A_FD),
	SIG("close_range", A_UINT, A_UINT, A_HEX32),
	SIG("connect", A_FD, A_SOCKADDR, A_UINT),
	SIG("copy_file_range", A_FD, A_PTR, A_FD, A_PTR, A_ULONG, A_HEX),
	SIG("creat", A_PATH, A_MODE),
	SIG("delete_module", A_PATH, A_HEX32),
	SIG("dup", A_FD),
	SIG("dup2", A_FD, A_FD),
	SIG("dup3", A_FD, A_FD, A_FD_FLAGS),
	SIG("epoll_create", A_INT),
	SIG("epoll_create1", A_FD_FLAGS),
	SIG("epoll_ctl", A_FD, A_EPOLL_OP, A_FD, A_PTR),
	SIG("epoll_pwait", A_FD, A_PTR, A_INT, A_INT, A_PTR, A_ULONG),
	SIG("epoll_wait", A_FD, A_PTR, A_INT, A_INT),
	SIG("eventfd2", A_UINT, A_FD_FLAGS),
	SIG("execve", A_PATH, A_ARGV, A_ENVP),
	SIG("execveat", A_DIRFD, A_PATH, A_ARGV, A_ENVP, A_AT_FLAGS),
	SIG("exit", A_INT),
	SIG("exit_group", A_INT),
	SIG("faccessat", A_DIRFD, A_PATH, A_ACCESS),
	SIG("faccessat2", A_DIRFD, A_PATH, A_ACCESS, A_AT_FLAGS),
	SIG("fadvise64", A_FD, A_LONG, A_LONG, A_INT),
	SIG("fallocate", A_FD, A_HEX32, A_LONG, A_LONG),
	SIG("fchdir", A_FD),
	SIG("fchmod", A_FD, A_MODE),
	SIG("fchmodat", A_DIRFD, A_PATH, A_MODE),
	SIG("fchown", A_FD, A_INT, A_INT),
	SIG("fchownat", A_DIRFD, A_PATH, A_INT, A_INT, A_AT_FLAGS),
	SIG("fcntl", A_FD, A_FCNTL_CMD, A_FCNTL_ARG),
	SIG("fdatasync", A_FD),
	SIG("finit_module", A_FD, A_PATH, A_HEX32),
	SIG("flock", A_FD, A_HEX32),
	SIG0("fork"),
	SIG("fstat", A_FD, A_PTR),
	SIG("fstatfs", A_FD, A_PTR),
	SIG("fsync", A_FD),
	SIG("ftruncate", A_FD, A_LONG),
	SIG("futex", A_PTR, A_FUTEX_OP, A_UINT, A_FUTEX_ARG, A_FUTEX_ARG, A_FUTEX_ARG),
	SIG("getcwd", A_PTR, A_ULONG),
	SIG("getdents64", A_FD, A_PTR, A_UINT),
	SIG0("getegid"),
	SIG0("geteuid"),
	SIG0("getgid"),
	SIG("getgroups", A_INT, A_PTR),
	SIG("getpeername", A_FD, A_PTR, A_PTR),
	SIG("getpgid", A_INT),
	SIG0("getpgrp"),
	SIG0("getpid"),
	SIG0("getppid"),
	SIG("getrandom", A_PTR, A_ULONG, A_GRND_FLAGS),
	SIG("getresgid", A_PTR, A_PTR, A_PTR),
	SIG("getresuid", A_PTR, A_PTR, A_PTR),
	SIG("getrlimit", A_RLIMIT_RES, A_PTR),
	SIG("getrusage", A_INT, A_PTR),
	SIG("getsid", A_INT),
	SIG("getsockname", A_FD, A_PTR, A_PTR),
	SIG("getsockopt", A_FD, A_SOCK_LEVEL, A_INT, A_PTR, A_PTR),
	SIG0("gettid"),
	SIG("gettimeofday", A_PTR, A_PTR),
	SIG0("getuid"),
	SIG("init_module", A_PTR, A_ULONG, A_PATH),
	SIG("inotify_add_watch", A_FD, A_PATH, A_HEX32),
	SIG("inotify_init1", A_FD_FLAGS),
	SIG("io_uring_enter", A_FD, A_UINT, A_UINT, A_HEX, A_PTR, A_ULONG),
	SIG("io_uring_register", A_FD, A_UINT, A_PTR, A_UINT),
	SIG("io_uring_setup", A_UINT, A_PTR),
	SIG("ioctl", A_FD, A_IOCTL_CMD, A_HEX),
	SIG("ipc", A_IPC, A_INT, A_INT, A_INT, A_PTR, A_LONG),
	SIG("kcmp", A_INT, A_INT, A_INT, A_HEX, A_HEX),
	SIG("kill", A_INT, A_SIGNAL),
	SIG("lchown", A_PATH, A_INT, A_INT),
	SIG("link", A_PATH, A_PATH),
	SIG("linkat", A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_AT_FLAGS),
	SIG("listen", A_FD, A_INT),
	SIG("lseek", A_FD, A_LONG, A_WHENCE),
	SIG("lstat", A_PATH, A_PTR),
	SIG("madvise", A_PTR, A_ULONG, A_MADVICE),
	SIG("memfd_create", A_PATH, A_MEMFD_FLAGS),
	SIG("mkdir", A_PATH, A_MODE),
	SIG("mkdirat", A_DIRFD, A_PATH, A_MODE),
	SIG("mknod", A_PATH, A_MODE, A_HEX),
	SIG("mknodat", A_DIRFD, A_PATH, A_MODE, A_HEX),
	SIG("mmap", A_PTR, A_ULONG, A_PROT, A_MAP_FLAGS, A_FD, A_HEX),
	SIG("mount", A_PATH, A_PATH, A_PATH, A_MOUNT_FLAGS, A_PTR),
	SIG("mprotect", A_PTR, A_ULONG, A_PROT),
	SIG("mremap", A_PTR, A_ULONG, A_ULONG, A_MREMAP_FLAGS, A_PTR),
	SIG("munmap", A_PTR, A_ULONG),
	SIG("nanosleep", A_TIMESPEC, A_PTR),
	SIG("newfstatat", A_DIRFD, A_PATH, A_PTR, A_AT_FLAGS),
	SIG("open", A_PATH, A_OPEN_FLAGS, A_OPEN_MODE),
	SIG("openat", A_DIRFD, A_PATH, A_OPEN_FLAGS, A_OPEN_MODE),
	SIG("openat2", A_DIRFD, A_PATH, A_PTR, A_ULONG),
	SIG0("pause"),
	SIG("perf_event_open", A_PTR, A_INT, A_INT, A_FD, A_HEX),
	SIG("personality", A_HEX32),
	SIG("pidfd_getfd", A_FD, A_FD, A_HEX32),
	SIG("pidfd_open", A_INT, A_HEX32),
	SIG("pidfd_send_signal", A_FD, A_SIGNAL, A_PTR, A_HEX),
	SIG("pipe", A_PTR),
	SIG("pipe2", A_PTR, A_FD_FLAGS),
	SIG("pivot_root", A_PATH, A_PATH),
	SIG("poll", A_PTR, A_UINT, A_INT),
	SIG("ppoll", A_PTR, A_UINT, A_TIMESPEC, A_PTR, A_ULONG),
	SIG("prctl", A_PRCTL_OPTION, A_PRCTL_ARG2, A_HEX, A_HEX, A_HEX),
	SIG("pread64", A_FD, A_PTR, A_ULONG, A_LONG),
	SIG("prlimit64", A_INT, A_RLIMIT_RES, A_RLIMIT_IN, A_PTR),
	SIG("process_vm_readv", A_INT, A_PTR, A_ULONG, A_PTR, A_ULONG, A_HEX),
	SIG("process_vm_writev", A_INT, A_PTR, A_ULONG, A_PTR, A_ULONG, A_HEX),
	SIG("pselect6", A_INT, A_PTR, A_PTR, A_PTR, A_TIMESPEC, A_PTR),
	SIG("ptrace", A_LONG, A_INT, A_PTR, A_PTR),
	SIG("pwrite64", A_FD, A_WBUF, A_ULONG, A_LONG),
	SIG("read", A_FD, A_PTR, A_ULONG),
	SIG("readlink", A_PATH, A_PTR, A_ULONG),
	SIG("readlinkat", A_DIRFD, A_PATH, A_PTR, A_ULONG),
	SIG("readv", A_FD, A_PTR, A_INT),
	SIG("reboot", A_HEX, A_HEX, A_HEX, A_PTR),
	SIG("recvfrom", A_FD, A_PTR, A_ULONG, A_MSG_FLAGS, A_PTR, A_PTR),
	SIG("recvmsg", A_FD, A_PTR, A_MSG_FLAGS),
	SIG("rename", A_PATH, A_PATH),
	SIG("renameat", A_DIRFD, A_PATH, A_DIRFD, A_PATH),
	SIG("renameat2", A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_RENAME_FLAGS),
	SIG("rmdir", A_PATH),
	SIG("rt_sigaction", A_SIGNAL, A_PTR, A_PTR, A_ULONG),
	SIG("rt_sigprocmask", A_SIGHOW, A_PTR, A_PTR, A_ULONG),
	SIG("rt_sigqueueinfo", A_INT, A_SIGNAL, A_PTR),
	SIG0("rt_sigreturn"),
	SIG("rt_sigsuspend", A_PTR, A_ULONG),
	SIG("rt_tgsigqueueinfo", A_INT, A_INT, A_SIGNAL, A_PTR),
	SIG("sched_getaffinity", A_INT, A_ULONG, A_PTR),
	SIG("sched_setaffinity", A_INT, A_ULONG, A_PTR),
	SIG0("sched_yield"),
	SIG("seccomp", A_SECCOMP_OP, A_SECCOMP_FLAGS, A_PTR),
	SIG("select", A_INT, A_PTR, A_PTR, A_PTR, A_PTR),
	SIG("sendfile", A_FD, A_FD, A_PTR, A_ULONG),
	SIG("sendmsg", A_FD, A_PTR, A_MSG_FLAGS),
	SIG("sendto", A_FD, A_WBUF, A_ULONG, A_MSG_FLAGS, A_SOCKADDR, A_UINT),
	SIG("set_robust_list", A_PTR, A_ULONG),
	SIG("set_tid_address", A_PTR),
	SIG("setgid", A_INT),
	SIG("setgroups", A_INT, A_PTR),
	SIG("setns", A_FD, A_CLONE_FLAGS),
	SIG("setpgid", A_INT, A_INT),
	SIG("setregid", A_INT, A_INT),
	SIG("setresgid", A_INT, A_INT, A_INT),
	SIG("setresuid", A_INT, A_INT, A_INT),
	SIG("setreuid", A_INT, A_INT),
	SIG("setrlimit", A_RLIMIT_RES, A_RLIMIT_IN),
	SIG0("setsid"),
	SIG("setsockopt", A_FD, A_SOCK_LEVEL, A_INT, A_PTR, A_UINT),
	SIG("settimeofday", A_PTR, A_PTR),
	SIG("setuid", A_INT),
	SIG("shutdown", A_FD, A_SHUTDOWN),
	SIG("sigaltstack", A_PTR, A_PTR),
	SIG("socket", A_FAMILY, A_SOCK_TYPE, A_INT),
	SIG("socketcall", A_SOCKETCALL, A_PTR),
	SIG("socketpair", A_FAMILY, A_SOCK_TYPE, A_INT, A_PTR),
	SIG("stat", A_PATH, A_PTR),
	SIG("statfs", A_PATH, A_PTR),
	SIG("statx", A_DIRFD, A_PATH, A_AT_FLAGS, A_HEX32, A_PTR),
	SIG("swapoff", A_PATH),
	SIG("swapon", A_PATH, A_HEX32),
	SIG("symlink", A_PATH, A_PATH),
	SIG("symlinkat", A_PATH, A_DIRFD, A_PATH),
	SIG0("sync"),
	SIG("sysinfo", A_PTR),
	SIG("tgkill", A_INT, A_INT, A_SIGNAL),
	SIG("times", A_PTR),
	SIG("tkill", A_INT, A_SIGNAL),
	SIG("truncate", A_PATH, A_LONG),
	SIG("umask", A_MODE),
	SIG("umount2", A_PATH, A_UMOUNT_FLAGS),
	SIG("uname", A_PTR),
	SIG("unlink", A_PATH),
	SIG("unlinkat", A_DIRFD, A_PATH, A_UNLINK_FLAGS),
	SIG("unshare", A_CLONE_FLAGS),
	SIG("userfaultfd", A_FD_FLAGS),
	SIG("utimensat", A_DIRFD, A_PATH, A_PTR, A_AT_FLAGS),
	SIG0("vfork"),
	SIG("wait4", A_INT, A_PTR, A_WAIT_OPTIONS, A_PTR),
	SIG("waitid", A_IDTYPE, A_INT, A_PTR, A_WAIT_OPTIONS, A_PTR),
	SIG("write", A_FD, A_WBUF, A_ULONG),
	SIG("writev", A_FD, A_IOVEC, A_INT),
};

static int signature_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct signature *)elem)->name);
}

const struct signature *syscall_signature(const char *name)
{
	return bsearch(name, signatures, ARRAY_SIZE(signatures), sizeof(signatures[0]),
		       signature_cmp);
}

bool syscall_table_sorted(void)
{
	for (size_t i = 1; i < ARRAY_SIZE(signatures); i++)
		if (strcmp(signatures[i - 1].name, signatures[i].name) >= 0)
			return false;
	return true;
}

int syscall_arg_bits(const char *name, unsigned int index)
{
	const struct signature *sig = syscall_signature(name);

	if (!sig || index >= sig->n)
		return 0;
	switch ((enum arg_kind)sig->arg[index]) {
	case A_LONG:
	case A_ULONG:
	case A_PTR:
	case A_PATH:
	case A_WBUF:
	case A_SOCKADDR:
	case A_TIMESPEC:
	case A_RLIMIT_IN:
	case A_MOUNT_FLAGS:
	case A_CLONE_FLAGS:
	case A_ARGV:
	case A_ENVP:
	case A_IOVEC:
	case A_PRCTL_ARG2:
	case A_FCNTL_ARG:
	case A_FUTEX_ARG:
		return 64;
	case A_HEX:
	case A_NONE:
		return 0; /* a raw value whose C type the table does not record */
	default:
		return 32;
	}
}
