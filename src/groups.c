/* SPDX-License-Identifier: MIT */
/*
 * groups.c - owns the syscall groups ("@file-system", ...). The names are
 * the ones systemd and firejail users know; the membership lists are ours,
 * for x86_64, and every member must resolve there (tests/test_groups.c).
 * A member starting with '@' includes another group. Pure tables.
 */
#include "groups.h"

#include <string.h>

#include "util.h"

#define G(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct syscall_group groups[] = {
	{"aio", "asynchronous I/O, io_uring included",
	 G("io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_setup", "io_submit",
	   "io_uring_enter", "io_uring_register", "io_uring_setup")},
	{"basic-io", "reading, writing, seeking and closing descriptors one already has",
	 G("close", "close_range", "dup", "dup2", "dup3", "lseek", "pread64", "preadv", "preadv2",
	   "pwrite64", "pwritev", "pwritev2", "read", "readv", "write", "writev")},
	{"clock", "setting the system clock",
	 G("adjtimex", "clock_adjtime", "clock_settime", "settimeofday")},
	{"debug", "debugging and tracing other processes",
	 G("lookup_dcookie", "perf_event_open", "pidfd_getfd", "process_vm_readv",
	   "process_vm_writev", "ptrace")},
	{"default", "what every program needs to start and run a thread",
	 G("arch_prctl", "brk", "clock_getres", "clock_gettime", "clock_nanosleep", "execve",
	   "exit", "exit_group", "futex", "futex_waitv", "get_robust_list", "get_thread_area",
	   "getegid", "geteuid", "getgid", "getgroups", "getpgid", "getpgrp", "getpid", "getppid",
	   "getrandom", "getresgid", "getresuid", "getrlimit", "getsid", "gettid", "gettimeofday",
	   "getuid", "membarrier", "mmap", "mprotect", "munmap", "nanosleep", "pause", "prlimit64",
	   "restart_syscall", "rseq", "rt_sigreturn", "sched_getaffinity", "sched_yield",
	   "set_robust_list", "set_thread_area", "set_tid_address", "time")},
	{"file-system", "opening, inspecting and changing files and directories",
	 G("access", "chdir", "chmod", "close", "creat", "faccessat", "faccessat2", "fallocate",
	   "fchdir", "fchmod", "fchmodat", "fcntl", "fgetxattr", "flistxattr", "fremovexattr",
	   "fsetxattr", "fstat", "fstatfs", "ftruncate", "futimesat", "getcwd", "getdents",
	   "getdents64", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1",
	   "inotify_rm_watch", "lgetxattr", "link", "linkat", "listxattr", "llistxattr",
	   "lremovexattr", "lsetxattr", "lstat", "mkdir", "mkdirat", "mknod", "mknodat",
	   "newfstatat", "open", "openat", "openat2", "readlink", "readlinkat", "removexattr",
	   "rename", "renameat", "renameat2", "rmdir", "setxattr", "stat", "statfs", "statx",
	   "symlink", "symlinkat", "truncate", "unlink", "unlinkat", "utime", "utimensat",
	   "utimes")},
	{"io-event", "waiting on several descriptors",
	 G("epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2",
	   "epoll_wait", "eventfd", "eventfd2", "poll", "ppoll", "pselect6", "select")},
	{"ipc", "pipes, SysV IPC, POSIX message queues, shared memory files",
	 G("memfd_create", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
	   "mq_timedsend", "mq_unlink", "msgctl", "msgget", "msgrcv", "msgsnd", "pipe", "pipe2",
	   "semctl", "semget", "semop", "semtimedop", "shmat", "shmctl", "shmdt", "shmget")},
	{"keyring", "the kernel's keyrings", G("add_key", "keyctl", "request_key")},
	{"memory", "mapping, protecting and advising about memory",
	 G("brk", "get_mempolicy", "madvise", "mbind", "membarrier", "migrate_pages", "mincore",
	   "mlock", "mlock2", "mlockall", "mmap", "move_pages", "mprotect", "mremap", "msync",
	   "munlock", "munlockall", "munmap", "pkey_alloc", "pkey_free", "pkey_mprotect",
	   "process_madvise", "remap_file_pages", "set_mempolicy")},
	{"module", "loading and unloading kernel modules",
	 G("delete_module", "finit_module", "init_module")},
	{"mount", "mounting, and changing the root",
	 G("chroot", "fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr",
	   "move_mount", "open_tree", "pivot_root", "umount2")},
	{"network-io", "sockets",
	 G("accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
	   "listen", "recvfrom", "recvmmsg", "recvmsg", "sendmmsg", "sendmsg", "sendto",
	   "setsockopt", "shutdown", "socket", "socketpair")},
	{"obsolete", "calls no current program should make",
	 G("_sysctl", "afs_syscall", "create_module", "get_kernel_syms", "getpmsg", "putpmsg",
	   "query_module", "security", "sysfs", "tuxcall", "uselib", "ustat", "vserver")},
	{"privileged", "calls that need privileges (capabilities)",
	 G("@clock", "@module", "@raw-io", "@reboot", "@swap", "@setuid", "acct", "bpf", "capset",
	   "chroot", "fanotify_init", "fanotify_mark", "nfsservctl", "open_by_handle_at",
	   "pivot_root", "quotactl", "setdomainname", "setfsgid", "setfsuid", "sethostname",
	   "vhangup")},
	{"process", "creating, running, waiting for and signalling processes",
	 G("arch_prctl", "capget", "clone", "clone3", "execve", "execveat", "exit", "exit_group",
	   "fork", "getrlimit", "gettid", "kcmp", "kill", "pidfd_getfd", "pidfd_open",
	   "pidfd_send_signal", "prctl", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "setns", "tgkill",
	   "times", "tkill", "unshare", "vfork", "wait4", "waitid")},
	{"raw-io", "direct hardware port access", G("ioperm", "iopl")},
	{"reboot", "rebooting, and loading a new kernel",
	 G("kexec_file_load", "kexec_load", "reboot")},
	{"resources", "changing scheduling, priorities and limits",
	 G("ioprio_set", "mbind", "migrate_pages", "move_pages", "prlimit64", "sched_setaffinity",
	   "sched_setattr", "sched_setparam", "sched_setscheduler", "set_mempolicy", "setpriority",
	   "setrlimit")},
	{"setuid", "changing user and group ids",
	 G("setgid", "setgroups", "setregid", "setresgid", "setresuid", "setreuid", "setuid")},
	{"signal", "signal handling (not sending: see @process)",
	 G("rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigsuspend", "rt_sigtimedwait",
	   "sigaltstack", "signalfd", "signalfd4")},
	{"swap", "enabling and disabling swap", G("swapoff", "swapon")},
	{"sync", "flushing data to storage",
	 G("fdatasync", "fsync", "msync", "sync", "sync_file_range", "syncfs")},
	{"system-service", "what an ordinary service or build tool uses",
	 G("@aio", "@basic-io", "@default", "@file-system", "@io-event", "@ipc", "@keyring",
	   "@memory", "@network-io", "@process", "@resources", "@setuid", "@signal", "@sync",
	   "@timer", "capget", "capset", "copy_file_range", "fadvise64", "flock", "getcpu",
	   "getpriority", "ioctl", "ioprio_get", "kcmp", "name_to_handle_at", "personality",
	   "readahead", "sched_get_priority_max", "sched_get_priority_min", "sched_getattr",
	   "sched_getparam", "sched_getscheduler", "sched_rr_get_interval", "sendfile", "setfsgid",
	   "setfsuid", "setpgid", "setsid", "splice", "sysinfo", "tee", "umask", "uname",
	   "userfaultfd", "vmsplice")},
	{"timer", "timers and alarms",
	 G("alarm", "getitimer", "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
	   "timer_gettime", "timer_settime", "timerfd_create", "timerfd_gettime", "timerfd_settime",
	   "times")},
};

size_t group_count(void)
{
	return ARRAY_SIZE(groups);
}

const struct syscall_group *group_at(size_t i)
{
	return i < ARRAY_SIZE(groups) ? &groups[i] : NULL;
}

const struct syscall_group *group_find(const char *name)
{
	if (name && *name == '@')
		name++;
	for (size_t i = 0; name && i < ARRAY_SIZE(groups); i++)
		if (strcmp(groups[i].name, name) == 0)
			return &groups[i];
	return NULL;
}
