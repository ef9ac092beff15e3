/* SPDX-License-Identifier: MIT */
/*
 * Decoding: (name, raw registers) -> text. The "tracee" is this process
 * itself (ucopy.c reads our own memory through /proc/self/mem), so each
 * case points arguments at local buffers and compares the text exactly.
 * The PTRACE_PEEKDATA fallback is checked against a real stopped tracee.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#if defined(__x86_64__)
#include <asm/prctl.h> /* arch_prctl's codes: x86_64's own call */
#endif
#include <linux/futex.h>
#include <linux/ipc.h>
#include <linux/mman.h>
#include <linux/net.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_suite.h"
#include "decode.h"
#include "syscalls.h"
#include "ucopy.h"

#define P(x) ((uint64_t)(uintptr_t)(x))

/* Decode with our own pid and compare. */
static void expect_call(const char *name, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			uint64_t a4, uint64_t a5, bool compat32, const char *want)
{
	uint64_t args[6] = {a0, a1, a2, a3, a4, a5};
	struct strbuf sb = {0};

	decode_call(&sb, getpid(), name, args, compat32);
	ck_assert_msg(!strbuf_failed(&sb), "out of memory");
	ck_assert_msg(strcmp(strbuf_str(&sb), want) == 0, "\n got: %s\nwant: %s", strbuf_str(&sb),
		      want);
	strbuf_free(&sb);
}

#define EXPECT(name, want, ...)	  expect_call(name, __VA_ARGS__, false, want)
#define EXPECT32(name, want, ...) expect_call(name, __VA_ARGS__, true, want)

START_TEST(table_sorted)
{
	ck_assert(syscall_table_sorted());
	ck_assert_ptr_nonnull(syscall_signature("openat"));
	ck_assert_ptr_nonnull(syscall_signature("write"));
	ck_assert_ptr_null(syscall_signature("no_such_call"));
	ck_assert_int_eq(syscall_arg_bits(__NR_write, 0), 32);	/* fd */
	ck_assert_int_eq(syscall_arg_bits(__NR_write, 1), 64);	/* buffer */
	ck_assert_int_eq(syscall_arg_bits(__NR_write, 2), 64);	/* size_t */
	ck_assert_int_eq(syscall_arg_bits(__NR_openat, 2), 32); /* flags */
	ck_assert_int_eq(syscall_arg_bits(__NR_openat, 3), 16); /* umode_t */
	ck_assert_int_eq(syscall_arg_bits(__NR_clone, 0), 64);	/* unsigned long flags */
	ck_assert_int_eq(syscall_arg_bits(__NR_kill, 0), 32);	/* pid_t */
	ck_assert_int_eq(syscall_arg_bits(__NR_write, 5), 0);	/* no such argument */
	ck_assert_int_eq(syscall_arg_bits(-1, 0), 0);
	ck_assert_int_eq(syscall_arg_bits(SYSCALL_NR_MAX, 0), 0);
}
END_TEST

/*
 * The table's per-CPU fact (trait cpu=, syscall_row.cpus) agrees with
 * libseccomp's own tables of x86_64 and aarch64 for every call libseccomp
 * 2.5 knows; newer calls are counted, not guessed.
 */
START_TEST(cpus_agree_with_libseccomp)
{
	size_t checked = 0, x86_only = 0;

	for (size_t i = 0; i < syscall_n_rows; i++) {
		const struct syscall_row *r = &syscall_rows[i];
		bool x86 = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, r->name) >= 0;
		bool a64 = seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, r->name) >= 0;

		if (!x86 && !a64 && !(r->traits & SYSCALL_I386_ONLY))
			continue; /* newer than libseccomp */
		ck_assert_msg(!!(r->cpus & SYSCALL_CPU_X86_64) == x86, "%s on x86_64: table %d",
			      r->name, !!(r->cpus & SYSCALL_CPU_X86_64));
		ck_assert_msg(!!(r->cpus & SYSCALL_CPU_AARCH64) == a64, "%s on aarch64: table %d",
			      r->name, !!(r->cpus & SYSCALL_CPU_AARCH64));
		checked++;
		x86_only += r->cpus == SYSCALL_CPU_X86_64;
	}
	ck_assert_uint_gt(checked, 300);
	ck_assert_uint_ge(x86_only, 50); /* open, stat, fork, ... */
}
END_TEST

/* decode.c's table has a formatter for every kind syscalls.h names. */
START_TEST(every_kind_has_a_decoder)
{
	ck_assert(decode_kinds_complete());
}
END_TEST

/*
 * Values decode.c takes from the system headers by name, given here from
 * the same headers. The last two are newer than Debian 12's headers: their
 * fallback values (linux 6.3 and 6.6) are written out.
 */
START_TEST(constants_from_headers)
{
	EXPECT("waitid", "waitid(P_PIDFD, 3, NULL, WEXITED, NULL)", P_PIDFD, 3, 0, WEXITED, 0, 0);
	EXPECT("madvise", "madvise(0x1000, 4096, MADV_COLLAPSE)", 0x1000, 4096, MADV_COLLAPSE, 0, 0,
	       0);
	EXPECT("mremap", "mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, NULL)",
	       0x1000, 4096, 8192, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0, 0);
	EXPECT("mmap",
	       "mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE|MAP_SYNC|MAP_FIXED_NOREPLACE, 3, "
	       "0)",
	       0, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC | MAP_FIXED_NOREPLACE, 3, 0);
	EXPECT("statx", "statx(3, \"\", AT_EMPTY_PATH|AT_STATX_DONT_SYNC, 0xfff, 0x10)", 3, P(""),
	       AT_EMPTY_PATH | AT_STATX_DONT_SYNC, 0xfff, 0x10, 0);
	EXPECT("epoll_ctl", "epoll_ctl(3, EPOLL_CTL_MOD, 4, 0x10)", 3, EPOLL_CTL_MOD, 4, 0x10, 0,
	       0);
	EXPECT("getrandom", "getrandom(0x10, 16, GRND_NONBLOCK|GRND_INSECURE)", 0x10, 16,
	       GRND_NONBLOCK | GRND_INSECURE, 0, 0, 0);
	EXPECT("renameat2", "renameat2(3, \"a\", 4, \"b\", RENAME_NOREPLACE|RENAME_WHITEOUT)", 3,
	       P("a"), 4, P("b"), RENAME_NOREPLACE | RENAME_WHITEOUT, 0);
	EXPECT("seccomp",
	       "seccomp(SECCOMP_SET_MODE_FILTER, "
	       "SECCOMP_FILTER_FLAG_TSYNC|SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, 0x10)",
	       SECCOMP_SET_MODE_FILTER,
	       SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, 0x10, 0, 0, 0);
	EXPECT("futex", "futex(0x1000, FUTEX_LOCK_PI2_PRIVATE, 0, 0, 0, 0)", 0x1000,
	       FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
	EXPECT("prctl", "prctl(PR_SET_VMA, 0, 0x1000, 0x2000, 0x10)", PR_SET_VMA, 0, 0x1000, 0x2000,
	       0x10, 0);
#if defined(__x86_64__)
	EXPECT("arch_prctl", "arch_prctl(ARCH_REQ_XCOMP_PERM, 0x12)", ARCH_REQ_XCOMP_PERM, 0x12, 0,
	       0, 0, 0);
#endif
	EXPECT("socketcall", "socketcall(SYS_SENDMMSG, 0x10)", SYS_SENDMMSG, 0x10, 0, 0, 0, 0);
	/* ipc(2)'s high half is a version: the call is the low half. */
	EXPECT("ipc", "ipc(SHMCTL, 1, 2, 3, NULL, 0)", IPCCALL(1, SHMCTL), 1, 2, 3, 0, 0);
	EXPECT("memfd_create", "memfd_create(\"x\", MFD_CLOEXEC|MFD_EXEC)", P("x"),
	       MFD_CLOEXEC | 0x10, 0, 0, 0, 0);
#if defined(__x86_64__)
	EXPECT("arch_prctl", "arch_prctl(ARCH_SHSTK_STATUS, 0x10)", 0x5005, 0x10, 0, 0, 0, 0);
#endif
}
END_TEST

START_TEST(paths_and_open_flags)
{
	static const char shadow[] = "/etc/shadow";

	EXPECT("openat", "openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY|O_CLOEXEC)",
	       (uint64_t)(int64_t)AT_FDCWD, P(shadow), O_RDONLY | O_CLOEXEC, 0, 0, 0);
	/* A mode is shown only when the flags create a file. */
	EXPECT("openat", "openat(3, \"/etc/shadow\", O_WRONLY|O_CREAT|O_TRUNC, 0644)", 3, P(shadow),
	       O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0);
	EXPECT("open", "open(\"/etc/shadow\", O_RDWR|O_TMPFILE, 0600)", P(shadow),
	       O_RDWR | O_TMPFILE, 0600, 0, 0, 0);
	EXPECT("open", "open(\"/etc/shadow\", O_RDONLY|O_DIRECTORY|O_NOFOLLOW)", P(shadow),
	       O_DIRECTORY | O_NOFOLLOW, 0, 0, 0, 0);
	/* The kernel's O_LARGEFILE (0 in glibc's x86_64 headers) and unknown bits. */
	EXPECT("open", "open(\"/etc/shadow\", O_RDONLY|O_LARGEFILE|0x80000000)", P(shadow),
	       0100000 | 0x80000000u, 0, 0, 0, 0);
	EXPECT("mkdir", "mkdir(\"/etc/shadow\", 0700)", P(shadow), 0700, 0, 0, 0, 0);
	EXPECT("unlinkat", "unlinkat(5, \"/etc/shadow\", AT_REMOVEDIR)", 5, P(shadow), AT_REMOVEDIR,
	       0, 0, 0);
	EXPECT("execveat", "execveat(7, \"\", NULL, NULL, AT_EMPTY_PATH)", 7, P(""), 0, 0,
	       AT_EMPTY_PATH, 0);
	EXPECT("faccessat2", "faccessat2(AT_FDCWD, \"/etc/shadow\", R_OK|W_OK, AT_EACCESS)",
	       (uint64_t)(int64_t)AT_FDCWD, P(shadow), R_OK | W_OK, AT_EACCESS, 0, 0);
	EXPECT("access", "access(\"/etc/shadow\", F_OK)", P(shadow), F_OK, 0, 0, 0, 0);
}
END_TEST

START_TEST(strings_escaped_and_cut)
{
	static const char odd[] = "a\"b\\c\n\t\001\3779";
	char long_path[400];
	char want[420];

	EXPECT("chdir", "chdir(\"a\\\"b\\\\c\\n\\t\\001\\3779\")", P(odd), 0, 0, 0, 0, 0);

	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	snprintf(want, sizeof(want), "chdir(\"%.*s\"...)", DECODE_STRLEN_MAX, long_path);
	EXPECT("chdir", want, P(long_path), 0, 0, 0, 0, 0);

	/* Exactly the limit is not cut. */
	long_path[DECODE_STRLEN_MAX] = '\0';
	snprintf(want, sizeof(want), "chdir(\"%s\")", long_path);
	EXPECT("chdir", want, P(long_path), 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(buffers_by_length)
{
	static const char text[] = "oops\nmore";
	char big[300];
	char want[400];

	EXPECT("write", "write(2, \"oops\", 4)", 2, P(text), 4, 0, 0, 0);
	EXPECT("write", "write(1, \"oops\\nmore\\000\", 10)", 1, P(text), 10, 0, 0, 0);
	EXPECT("write", "write(1, \"\", 0)", 1, P(text), 0, 0, 0, 0);
	memset(big, 'y', sizeof(big));
	snprintf(want, sizeof(want), "write(1, \"%.*s\"..., 300)", DECODE_STRLEN_MAX, big);
	EXPECT("write", want, 1, P(big), sizeof(big), 0, 0, 0);
	/* The kernel reads an int fd: high bits are not part of it. */
	EXPECT("write", "write(2, \"oops\", 4)", 0xffffffff00000002ULL, P(text), 4, 0, 0, 0);
}
END_TEST

START_TEST(unreadable_memory)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char want[128], buf[64];
	uint64_t args[6] = {0};
	struct strbuf sb = {0};

	ck_assert_ptr_ne(map, MAP_FAILED);
	ck_assert_int_eq(munmap(map + page, (size_t)page), 0);
	/* A string running into the hole has no end: shown as its address. */
	memset(map + page - 4, 'z', 4);
	snprintf(want, sizeof(want), "chdir(%p)", (void *)(map + page - 4));
	EXPECT("chdir", want, P(map + page - 4), 0, 0, 0, 0, 0);
	/* One that ends before the hole reads fine. */
	map[page - 1] = '\0';
	EXPECT("chdir", "chdir(\"zzz\")", P(map + page - 4), 0, 0, 0, 0, 0);
	/* A partial read stops at the hole. */
	ck_assert_int_eq(ucopy_read(getpid(), P(map + page - 8), buf, 16), 8);
	ck_assert_int_eq(ucopy_read(getpid(), P(map + page), buf, 16), -EFAULT);
	/* All or nothing: the same short read is an error, a whole one is 0. */
	ck_assert_int_eq(ucopy_read_exact(getpid(), P(map + page - 8), buf, 16), -EFAULT);
	ck_assert_int_eq(ucopy_read_exact(getpid(), P(map + page - 8), buf, 8), 0);
	/* Bad addresses, and NULL. */
	EXPECT("chdir", "chdir(0x1)", 1, 0, 0, 0, 0, 0);
	EXPECT("chdir", "chdir(NULL)", 0, 0, 0, 0, 0, 0);
	EXPECT("write", "write(1, 0x10, 5)", 1, 0x10, 5, 0, 0, 0);
	/* pid 0: never read memory. */
	args[0] = P("/tmp");
	decode_call(&sb, 0, "chdir", args, false);
	snprintf(want, sizeof(want), "chdir(%p)", (void *)(uintptr_t)args[0]);
	ck_assert_str_eq(strbuf_str(&sb), want);
	strbuf_free(&sb);
	munmap(map, (size_t)page);
}
END_TEST

START_TEST(memory_and_processes)
{
	EXPECT("mmap", "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)",
	       0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0);
	EXPECT("mmap",
	       "mmap(0x7f0000000000, 8192, PROT_NONE, MAP_SHARED|MAP_FIXED|MAP_NORESERVE, 3, "
	       "0x1000)",
	       0x7f0000000000ULL, 8192, PROT_NONE, MAP_SHARED | MAP_FIXED | MAP_NORESERVE, 3,
	       0x1000);
	EXPECT("mprotect", "mprotect(0x1000, 4096, PROT_READ|PROT_EXEC)", 0x1000, 4096,
	       PROT_READ | PROT_EXEC, 0, 0, 0);
	EXPECT("clone",
	       "clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
	       "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, 0x7f00, 0x10, 0x20, 0x30)",
	       CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
		       CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
	       0x7f00, 0x10, 0x20, 0x30, 0);
	EXPECT("clone",
	       "clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, NULL, NULL, 0x20, 0)",
	       CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0, 0, 0x20, 0, 0);
	EXPECT("clone", "clone(CLONE_UNTRACED|CLONE_NEWPID, NULL, NULL, NULL, 0)",
	       CLONE_UNTRACED | CLONE_NEWPID, 0, 0, 0, 0, 0);
	EXPECT("unshare", "unshare(CLONE_NEWUSER|CLONE_NEWNET)", CLONE_NEWUSER | CLONE_NEWNET, 0, 0,
	       0, 0, 0);
	EXPECT("wait4", "wait4(-1, 0x10, WNOHANG|__WALL, NULL)", (uint64_t)-1, 0x10,
	       WNOHANG | __WALL, 0, 0, 0);
	EXPECT("exit_group", "exit_group(3)", 3, 0, 0, 0, 0, 0);
	EXPECT("getppid", "getppid()", 1, 2, 3, 4, 5, 6);
	EXPECT("fork", "fork()", 0, 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(signals_and_fds)
{
	EXPECT("kill", "kill(1234, SIGTERM)", 1234, SIGTERM, 0, 0, 0, 0);
	EXPECT("kill", "kill(-1, SIGKILL)", (uint64_t)-1, SIGKILL, 0, 0, 0, 0);
	EXPECT("kill", "kill(0, 99)", 0, 99, 0, 0, 0, 0);
	EXPECT("tgkill", "tgkill(10, 11, SIGRTMIN)", 10, 11, 32, 0, 0, 0);
	EXPECT("rt_sigprocmask", "rt_sigprocmask(SIG_SETMASK, 0x10, NULL, 8)", SIG_SETMASK, 0x10, 0,
	       8, 0, 0);
	EXPECT("fcntl", "fcntl(3, F_GETFL)", 3, F_GETFL, 0x1234, 0, 0, 0);
	EXPECT("fcntl", "fcntl(3, F_SETFD, FD_CLOEXEC)", 3, F_SETFD, FD_CLOEXEC, 0, 0, 0);
	EXPECT("fcntl", "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK)", 3, F_SETFL, O_RDWR | O_NONBLOCK, 0,
	       0, 0);
	EXPECT("fcntl", "fcntl(3, F_DUPFD_CLOEXEC, 10)", 3, F_DUPFD_CLOEXEC, 10, 0, 0, 0);
	EXPECT("ioctl", "ioctl(0, TIOCSTI, 0x1000)", 0, TIOCSTI, 0x1000, 0, 0, 0);
	EXPECT("ioctl", "ioctl(0, 0xdeadbeef, 0)", 0, 0xdeadbeef, 0, 0, 0, 0);
	EXPECT("pipe2", "pipe2(0x10, O_CLOEXEC|O_NONBLOCK)", 0x10, O_CLOEXEC | O_NONBLOCK, 0, 0, 0,
	       0);
	EXPECT("dup3", "dup3(4, 1, 0)", 4, 1, 0, 0, 0, 0);
	EXPECT("lseek", "lseek(3, -5, SEEK_END)", 3, (uint64_t)-5, SEEK_END, 0, 0, 0);
	EXPECT("futex", "futex(0x1000, FUTEX_WAKE_PRIVATE, 1)", 0x1000,
	       FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
	EXPECT("futex", "futex(0x1000, FUTEX_WAIT, 0, NULL)", 0x1000, FUTEX_WAIT, 0, 0, 0, 0);
	EXPECT("prctl", "prctl(PR_SET_NO_NEW_PRIVS, 0x1, 0, 0, 0)", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0,
	       0);
	EXPECT("prctl", "prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)", PR_SET_PDEATHSIG, SIGKILL, 0,
	       0, 0, 0);
#if defined(__x86_64__)
	EXPECT("arch_prctl", "arch_prctl(ARCH_SET_FS, 0x7f00)", 0x1002, 0x7f00, 0, 0, 0, 0);
#endif
	EXPECT("seccomp",
	       "seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0x10)", 1, 8,
	       0x10, 0, 0, 0);
}
END_TEST

START_TEST(sockets)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8080)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
	struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "/run/x.sock"};
	struct sockaddr_un abstract = {.sun_family = AF_UNIX, .sun_path = "\0hidden"};

	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	EXPECT("socket", "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0)", AF_INET,
	       SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, 0);
	EXPECT("socket", "socket(AF_NETLINK, SOCK_RAW, 9)", AF_NETLINK, SOCK_RAW, 9, 0, 0, 0);
	EXPECT("socket", "socket(12345, 15, 0)", 12345, 15, 0, 0, 0, 0);
	EXPECT("socket", "socket(AF_UNIX, SOCK_RAW|0x60, 0)", AF_UNIX, 99, 0, 0, 0, 0);
	EXPECT("connect", "connect(3, {AF_INET, 127.0.0.1:8080}, 16)", 3, P(&in), sizeof(in), 0, 0,
	       0);
	EXPECT("bind", "bind(3, {AF_INET6, [::1]:443}, 28)", 3, P(&in6), sizeof(in6), 0, 0, 0);
	EXPECT("connect", "connect(3, {AF_UNIX, \"/run/x.sock\"}, 110)", 3, P(&un), sizeof(un), 0,
	       0, 0);
	EXPECT("connect", "connect(3, {AF_UNIX, @\"hidden\"}, 9)", 3, P(&abstract), 2 + 7, 0, 0, 0);
	EXPECT("sendto",
	       "sendto(3, \"hi\", 2, MSG_DONTWAIT|MSG_NOSIGNAL, {AF_INET, 127.0.0.1:8080}, 16)", 3,
	       P("hi"), 2, MSG_DONTWAIT | MSG_NOSIGNAL, P(&in), sizeof(in));
	EXPECT("connect", "connect(3, 0x1, 16)", 3, 1, 16, 0, 0, 0);
}
END_TEST

START_TEST(exec_argv_env)
{
	const char *argv[] = {"/bin/true", "x y", NULL};
	const char *envp[] = {"A=1", "B=2", "C=3", NULL};
	char want[256];

	snprintf(want, sizeof(want),
		 "execve(\"/bin/true\", [\"/bin/true\", \"x y\"], %p /* 3 vars */)", (void *)envp);
	EXPECT("execve", want, P("/bin/true"), P(argv), P(envp), 0, 0, 0);
}
END_TEST

START_TEST(structs_in)
{
	struct rlimit rl = {.rlim_cur = 1024, .rlim_max = RLIM_INFINITY};
	struct timespec ts = {.tv_sec = 2, .tv_nsec = 500};
	char a[] = "ab", b[] = "cde";
	struct iovec iov[2] = {{a, 2}, {b, 3}};

	EXPECT("prlimit64",
	       "prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=RLIM_INFINITY}, NULL)", 0,
	       RLIMIT_NOFILE, P(&rl), 0, 0, 0);
	EXPECT("nanosleep", "nanosleep({tv_sec=2, tv_nsec=500}, NULL)", P(&ts), 0, 0, 0, 0, 0);
	EXPECT("writev", "writev(1, [{\"ab\", 2}, {\"cde\", 3}], 2)", 1, P(iov), 2, 0, 0, 0);
}
END_TEST

START_TEST(unknown_syscall_hex)
{
	EXPECT("no_such_call", "no_such_call(0x1, 0xff, 0, 0, 0, 0xffffffffffffffff)", 1, 0xff, 0,
	       0, 0, UINT64_MAX);
}
END_TEST

/* A word is 4 or 8 bytes wide, zero-extended; one running into a hole is not read. */
START_TEST(words)
{
	static const uint64_t word = 0x8877665544332211ULL;
	uint64_t got = 0;

	ck_assert_int_eq(ucopy_read_word(getpid(), P(&word), 8, &got), 0);
	ck_assert_uint_eq(got, 0x8877665544332211ULL);
	ck_assert_int_eq(ucopy_read_word(getpid(), P(&word), 4, &got), 0);
	ck_assert_uint_eq(got, 0x44332211u);
	ck_assert_int_lt(ucopy_read_word(getpid(), 8, 8, &got), 0);
}
END_TEST

/* i386: pointers are 4 bytes wide; registers are cut to 32 bits. */
START_TEST(compat32)
{
#ifdef MAP_32BIT
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#else /* aarch64: an address below 4 GiB asked for by hand */
	char *low = mmap((void *)0x20000000, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
#endif
	uint32_t *vec;
	char want[128];

	ck_assert_ptr_ne(low, MAP_FAILED);
	strcpy(low, "/bin/sh");
	strcpy(low + 16, "-c");
	vec = (uint32_t *)(low + 64);
	vec[0] = (uint32_t)P(low);
	vec[1] = (uint32_t)P(low + 16);
	vec[2] = 0;
	snprintf(want, sizeof(want), "execve(\"/bin/sh\", [\"/bin/sh\", \"-c\"], NULL)");
	EXPECT32("execve", want, P(low) | 0xdead00000000ULL, P(vec), 0, 0, 0, 0);
	EXPECT32("write", "write(2, \"/bin\", 4)", 0x100000002ULL, P(low), 4, 0, 0, 0);
	EXPECT32("lseek", "lseek(3, -1, SEEK_SET)", 3, 0xffffffffULL, 0, 0, 0, 0);
	munmap(low, 4096);
}
END_TEST

START_TEST(return_values)
{
	static const struct {
		const char *name;
		int64_t ret;
		const char *want;
	} cases[] = {
		{"read", 3, "= 3"},
		{"openat", -2, "= -1 ENOENT (No such file or directory)"},
		{"write", -13, "= -1 EACCES (Permission denied)"},
		{"mmap", 0x7f0000001000, "= 0x7f0000001000"},
		{"brk", 0x555555559000, "= 0x555555559000"},
		{"nanosleep", -516, "= ? ERESTART_RESTARTBLOCK"},
		{"read", -4000, "= -1 errno 4000"},
		{"lseek", -4096, "= -4096"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = {0};

		decode_retval(&sb, cases[i].name, cases[i].ret);
		ck_assert_str_eq(strbuf_str(&sb), cases[i].want);
		strbuf_free(&sb);
	}
}
END_TEST

/* The PTRACE_PEEKDATA path reads what /proc/PID/mem reads, from a real tracee. */
START_TEST(peekdata_fallback)
{
	static char text[64] = "read me through ptrace, please";
	char a[64], b[64];
	int status;
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSTOPPED(status));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	/* Unaligned start and length, so partial words are exercised. */
	ck_assert_int_eq(ucopy_read_ptrace(child, P(text + 3), a, 21), 21);
	ck_assert_int_eq(ucopy_read(child, P(text + 3), b, 21), 21);
	ck_assert_mem_eq(a, b, 21);
	ck_assert_mem_eq(a, text + 3, 21);
	ck_assert_int_lt(ucopy_read_ptrace(child, 8, a, 8), 0);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, table_sorted);
	tcase_add_test(tc, cpus_agree_with_libseccomp);
	tcase_add_test(tc, every_kind_has_a_decoder);
	tcase_add_test(tc, constants_from_headers);
	tcase_add_test(tc, paths_and_open_flags);
	tcase_add_test(tc, strings_escaped_and_cut);
	tcase_add_test(tc, buffers_by_length);
	tcase_add_test(tc, unreadable_memory);
	tcase_add_test(tc, memory_and_processes);
	tcase_add_test(tc, signals_and_fds);
	tcase_add_test(tc, sockets);
	tcase_add_test(tc, exec_argv_env);
	tcase_add_test(tc, structs_in);
	tcase_add_test(tc, unknown_syscall_hex);
	tcase_add_test(tc, words);
	tcase_add_test(tc, compat32);
	tcase_add_test(tc, return_values);
	tcase_add_test(tc, peekdata_fallback);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(decode_suite());
}
