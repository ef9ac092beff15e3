/* SPDX-License-Identifier: MIT */
/*
 * probe - the helper the integration tests run inside the sandbox. Each
 * subcommand attempts one behaviour and prints what it observed on stdout,
 * one "key=value" line, so a test can tell "the sandbox stopped it" from
 * "it never happened". Built without sanitizers.
 *
 *   probe exit N                  exit with status N
 *   probe raise SIGNUM            kill itself with a signal
 *   probe write FD TEXT           write(FD, TEXT), print write=RET errno=NAME
 *   probe getppid                 print getppid=N
 *   probe mkdir PATH              print mkdir=RET errno=NAME
 *   probe exec PROG [ARGS...]     a second execve, print exec=-1 errno=NAME if it fails
 *   probe deep-thread-mkdir PATH  fork, fork again, and mkdir(PATH) from a thread there
 *   probe sigterm                 print "ready PID", wait for SIGTERM, print got=SIGTERM
 *   probe selfstop                SIGSTOP itself; a child sends SIGCONT; print resumed=1
 *   probe int80 getpid|fork       i386 int 0x80 call, print int80=RET
 *   probe stack-filter            stack a filter returning TRACE|0xbeef for getppid
 *   probe orphan FILE             leave a grandchild that writes FILE 1 s later
 *   probe spin                    burn CPU forever
 *   probe child-spin              fork a child that burns CPU; wait for it
 *   probe sleep MS                sleep, print slept=1
 *   probe stop-forever            SIGSTOP itself; nobody continues it
 *   probe touch-mb N              allocate and touch N MiB, 1 MiB at a time
 *   probe malloc-mb N             one malloc of N MiB; exit 1 if it fails
 *   probe flood                   write to stdout until a write fails
 *   probe forkbomb                fork forever, in every process
 *   probe segv                    write through a null pointer
 *   probe streams N               N lines to stdout and stderr, alternating, unbuffered
 *   probe args-env NAME [ARGS]    print argv and the value of NAME
 *   probe ids                     print the credential and capability lines of /proc/self/status
 *   probe fork-once               fork a child that exits; print forked=1
 *   probe open-write FILE         open FILE for writing; print open-write=FD errno=NAME
 *   probe socket                  socket(AF_INET, SOCK_STREAM); print socket=FD
 *   probe socketpairs N           N socketpair(AF_UNIX, SOCK_STREAM): print
 * socketpairs=HOW_MANY_MADE probe clone-vm                clone(CLONE_VM | CLONE_SIGHAND) a child
 * process that exits (a thread's flags but CLONE_THREAD): print clone-vm=1 probe notify-mkdir PATH
 * stack a seccomp notify filter for mkdir, answer CONTINUE from a thread, mkdir(PATH): print
 * listener=FD mkdir=RET probe untraced                clone(CLONE_UNTRACED) a child that prints
 * untraced-child=1 probe int80-socket            i386 socketcall(SYS_SOCKET, AF_INET, SOCK_STREAM)
 *   probe parent-mem              open /proc/PPID/mem for writing: print parent-mem=FD errno=NAME
 *   probe fork-storm N            a child forks N children that exit at once; print stormed=1
 *   probe hide-log                make stderr non-blocking, fill it, then call getppid
 *   probe bigwrite N              one write(2) of N bytes to stdout
 *   probe fork-touched MB N MS    touch MB MiB, fork N children holding them (copy on
 *                                 write) for MS ms, wait: print fork-touched=ok
 *   probe thread-churn N          N threads one at a time, each joined: thread-churn=DONE
 *   probe getppids N [getuid]     getppid N times (then getuid once): print getppids=N
 *   probe getpriorities N [getuid]  getpriority(PRIO_PROCESS, i) for i below N: N different
 *                                 calls of one kind (then getuid once); print getpriorities=N
 *   probe unknowns N              syscall(1000 + i) for i below N (N kinds of call the
 *                                 kernel does not know), then socket(AF_UNIX): unknowns=N
 *   probe reserve MB T SMB        what a runtime does at start: map MB MiB private and
 *                                 writable (a Go heap arena) and start T threads with SMB
 *                                 MiB stacks (a JVM with -Xss), touching almost none of it:
 *                                 print reserve=ok, or reserve=fail errno=NAME at=WHAT
 *   probe write-own PATH N        write N bytes to its own file PATH, SIGXFSZ ignored,
 *                                 on after short writes: print write-own=RET errno
 *   probe flood-blocked           block SIGXFSZ, then flood stdout
 *   probe sparse-touch GB         map GB of address space, touch a byte every 2 MiB
 *   probe zombies N               fork N children that exit and are never reaped; sleep 2 s
 *   probe zombie-cpu MS           a child burns MS of CPU and exits, unreaped; sleep 3 s
 *   probe fork-then-socket        fork-once, then socket()
 *   probe read PATH               open PATH read-only: print read=CONTENT or read=-1 errno=NAME
 *   probe readat DIR REL          the same through openat(open(DIR, O_PATH), REL)
 *   probe read2 PATH              the same through openat2
 *   probe stale RW RO BAD         path calls after a change of what a cache could keep
 *                                 (cwd, fchdir, a reused dirfd, a symlink, an exec)
 *   probe stale-after-exec DIR N  its second half: one file made as DIR/N
 *   probe writefile PATH          create/truncate PATH and write "w": print writefile=RET errno
 *   probe hardlink FROM TO        link(FROM, TO): print hardlink=RET errno
 *   probe race OK BAD N TEXT      a thread flips a path buffer between OK and BAD while this
 *                                 one opens and reads it N times: print how often it read
 *                                 TEXT (BAD's content) as forbidden_reads=K
 *   probe memfd-exec PROG         copy PROG into a memfd, execveat(fd, "", AT_EMPTY_PATH)
 *   probe connect PORT            TCP connect to 127.0.0.1:PORT: print connect=RET errno
 *   probe int80 open              i386 open("/etc/hostname"), print int80=FD
 *   probe x32                     getpid through the x32 ABI: print x32-getpid=RET
 *   probe kill-parent-group       SIGKILL the parent's process group
 *   probe kill-all                kill(-1, SIGKILL)
 *   probe ptrace-parent           PTRACE_ATTACH to the parent (then detach)
 *   probe vm-write-parent         process_vm_writev into the parent (0 bytes)
 *   probe reach-pid PID           process_vm_readv of PID's first page, then PTRACE_ATTACH
 *   probe pidfd-swap PID N        a thread flips descriptor 50 between a pidfd of a child
 *                                 of ours (which ignores SIGUSR1) and one of PID, while this
 *                                 one sends SIGUSR1 through it N times, or until PID ends:
 *                                 print pidfd-swap sent=K (K let through)
 *   probe sigio-pid PID           make PID the owner of a pipe's SIGIO (F_SETOWN, then
 *                                 F_SETOWN_EX) and raise it; then own one itself
 *   probe lock PATH KIND GO       open PATH read-only and take a read lock on it, KIND
 *                                 setlk, setlkw, ofd (F_OFD_SETLK) or flock (LOCK_EX):
 *                                 print lock=RET errno=NAME, then hold it until the file GO
 *                                 exists (at most 30 s)
 *   probe uring-open PATH         open PATH through io_uring: print uring-open=FD
 *   probe raise-nofile            raise the hard RLIMIT_NOFILE by one
 *   probe tiocsti                 push a character into the terminal on stdin (TIOCSTI)
 *   probe randsys SEED N          N random system calls with random arguments
 *   probe no-userns PROG [ARGS]   run PROG under a seccomp filter that refuses new user
 *                                 namespaces (EPERM), as a container's profile may
 *   probe no-netns PROG [ARGS]    the same for new network namespaces
 *   probe raw-write REG TEXT      write(2) with the fd register set to REG (e.g.
 *                                 0x100000002: fd 2 to the kernel): print raw-write=RET
 *   probe raw NAME ARG...         syscall NAME (setns, sched_setaffinity, sched_getaffinity,
 *                                 readlink, readlinkat, futex, chmod, writev, ptrace) with
 *                                 up to six registers: a number (high bits and all), @PATH
 *                                 (a descriptor of PATH, read-only), buf (4 KiB of 0xff
 *                                 bytes, a futex word or a CPU mask), str:TEXT, or
 *                                 iov:TEXT (one struct iovec holding TEXT and a newline):
 *                                 print raw=RET
 */
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/*
 * aarch64 has only the generic table: none of x86_64's legacy calls. Where
 * a subcommand names one, -1 stands for it there (the kernel answers ENOSYS;
 * no skip list matches it), and the path calls use their *at forms.
 */
#if !defined(__x86_64__)
#define SYS_readlink   -1L
#define SYS_chmod      -1L
#define SYS_unlink     -1L
#define SYS_rename     -1L
#define SYS_lchown     -1L
#define SYS_getpgrp    -1L
#define SYS_pause      -1L
#define SYS_fork       -1L
#define SYS_vfork      -1L
#define SYS_iopl       -1L
#define SYS_ioperm     -1L
#define SYS_alarm      -1L
#define SYS_dup2       -1L
#define SYS_arch_prctl -1L
#define SYS_modify_ldt -1L
#endif

extern char **environ;

static const char *ename(int e)
{
	switch (e) {
	case 0:
		return "0";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EACCES:
		return "EACCES";
	case EEXIST:
		return "EEXIST";
	case EROFS:
		return "EROFS";
	case ENOSYS:
		return "ENOSYS";
	case EBADF:
		return "EBADF";
	case EAGAIN:
		return "EAGAIN";
	case EFBIG:
		return "EFBIG";
	case ENOMEM:
		return "ENOMEM";
	case EXDEV:
		return "EXDEV";
	case ENOLCK:
		return "ENOLCK";
	case EINVAL:
		return "EINVAL";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	default:
		return "other";
	}
}

static void result(const char *what, long ret, int err)
{
	printf("%s=%ld errno=%s\n", what, ret, ret < 0 ? ename(err) : "0");
	fflush(stdout);
}

/* One register's worth for "probe raw": see the usage above. */
static unsigned long raw_register(const char *arg)
{
	static unsigned char buf[4096];

	if (arg[0] == '@')
		return (unsigned long)open(arg + 1, O_RDONLY | O_CLOEXEC);
	if (strcmp(arg, "buf") == 0) {
		memset(buf, 0xff, sizeof(buf));
		return (unsigned long)buf;
	}
	if (strncmp(arg, "str:", 4) == 0)
		return (unsigned long)(arg + 4);
	if (strncmp(arg, "iov:", 4) == 0) {
		static char text[256];
		static struct iovec iov;

		snprintf(text, sizeof(text), "%s\n", arg + 4);
		iov = (struct iovec){text, strlen(text)};
		return (unsigned long)&iov;
	}
	return strtoull(arg, NULL, 0);
}

static int cmd_raw(const char *name, int n, char **args)
{
	static const struct {
		const char *name;
		long nr;
	} calls[] = {
		{"setns", SYS_setns},	    {"sched_setaffinity", SYS_sched_setaffinity},
		{"readlink", SYS_readlink}, {"sched_getaffinity", SYS_sched_getaffinity},
		{"futex", SYS_futex},	    {"readlinkat", SYS_readlinkat},
		{"chmod", SYS_chmod},	    {"writev", SYS_writev},
		{"ptrace", SYS_ptrace},	    {"unlink", SYS_unlink},
		{"rename", SYS_rename},	    {"lchown", SYS_lchown},
		{"linkat", SYS_linkat},
	};
	unsigned long a[6] = {0};

	for (int i = 0; i < n && i < 6; i++)
		a[i] = raw_register(args[i]);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strcmp(name, calls[i].name) == 0) {
			long r = syscall(calls[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]);

			result("raw", r, errno);
			return 0;
		}
	fprintf(stderr, "probe: raw: no call %s\n", name);
	return 64;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * A fixed sequence of calls with known results, for --trace and --learn:
 * openat of a missing file (ENOENT), openat of /dev/null (a descriptor),
 * write of 3 bytes, close, close again (EBADF), mkdir under a missing
 * directory (ENOENT unless a policy denies it first). With "extra", one
 * more call at the end: a uname, which the sequence never makes otherwise.
 */
static int cmd_trace_seq(char **argv)
{
	struct utsname u;
	int fd;

	(void)!syscall(SYS_openat, AT_FDCWD, "/nonexistent-sbx-trace", O_RDONLY);
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY);
	printf("fd=%d\n", fd);
	(void)!syscall(SYS_write, fd, "abc", 3);
	syscall(SYS_close, fd);
	syscall(SYS_close, fd);
#if defined(__x86_64__)
	syscall(SYS_mkdir, "/nonexistent-sbx-trace/x", 0700);
#else
	syscall(SYS_mkdirat, AT_FDCWD, "/nonexistent-sbx-trace/x", 0700);
#endif
	if (argv[0] && strcmp(argv[0], "extra") == 0)
		syscall(SYS_uname, &u);
	return 0;
}

/*
 * For --attach: every 50 ms open /dev/null and close it, |argv[0]| times (0:
 * forever); with "then-mkdir", a mkdir under a missing directory after
 * that; with "mkdir-when FILE", that mkdir as soon as FILE exists. Any
 * process may trace it (Yama's ptrace_scope 1 would refuse a tracer that
 * is not its ancestor).
 */
static int cmd_tick_open(char **argv)
{
	long n = atol(argv[0]);

	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	for (long i = 0; n == 0 || i < n; i++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		int fd;

		nanosleep(&ts, NULL);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			close(fd);
		if (argv[1] && strcmp(argv[1], "mkdir-when") == 0 && argv[2] &&
		    access(argv[2], F_OK) == 0)
			return mkdir("/nonexistent-sbx-attach/x", 0700) == 0 ? 0 : 3;
	}
	if (argv[1] && strcmp(argv[1], "then-mkdir") == 0)
		return mkdir("/nonexistent-sbx-attach/x", 0700) == 0 ? 0 : 3;
	return 0;
}

static void *exec_true_later(void *arg)
{
	struct timespec ts = {0, 200 * 1000 * 1000};
	char *argv[] = {"/bin/true", NULL};

	(void)arg;
	nanosleep(&ts, NULL);
	execv("/bin/true", argv);
	return NULL;
}

/* A thread that is not the leader execs /bin/true while the leader sleeps 10 s. */
static int cmd_thread_exec(void)
{
	struct timespec ts = {10, 0};
	pthread_t t;

	if (pthread_create(&t, NULL, exec_true_later, NULL) != 0)
		return 3;
	nanosleep(&ts, NULL);
	return 4; /* the exec did not happen */
}

static int cmd_write(char **argv)
{
	long r = write(atoi(argv[0]), argv[1], strlen(argv[1]));

	result("write", r, errno);
	return 0;
}

static int cmd_mkdir(char **argv)
{
	long r = mkdir(argv[0], 0700);

	result("mkdir", r, errno);
	return 0;
}

static int cmd_exec(char **argv)
{
	execv(argv[0], argv);
	result("exec", -1, errno);
	return 1;
}

static void *thread_mkdir(void *path)
{
	long r = mkdir(path, 0700);

	result("thread-mkdir", r, errno);
	return NULL;
}

static void wait_all(void)
{
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

static int cmd_deep_thread_mkdir(char **argv)
{
	pid_t child;

	printf("main=%d\n", getpid());
	fflush(stdout);
	child = fork();
	if (child == 0) {
		pid_t grandchild = fork();

		if (grandchild == 0) {
			pthread_t th;

			pthread_create(&th, NULL, thread_mkdir, argv[0]);
			pthread_join(th, NULL);
			_exit(0);
		}
		wait_all();
		_exit(0);
	}
	wait_all();
	printf("parent-done=1\n");
	return 0;
}

static volatile sig_atomic_t got_term;

static void on_term(int sig)
{
	got_term = sig;
}

static int cmd_sigterm(void)
{
	struct sigaction sa = {.sa_handler = on_term};

	sigaction(SIGTERM, &sa, NULL);
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (int i = 0; i < 1000 && !got_term; i++)
		sleep_ms(10);
	printf("got=%s\n", got_term == SIGTERM ? "SIGTERM" : "nothing");
	return got_term == SIGTERM ? 0 : 1;
}

static int cmd_selfstop(void)
{
	pid_t child = fork();

	if (child == 0) {
		sleep_ms(200);
		kill(getppid(), SIGCONT);
		_exit(0);
	}
	raise(SIGSTOP);
	wait_all();
	printf("resumed=1\n");
	return 0;
}

static int cmd_int80(char **argv)
{
#if defined(__x86_64__)
	long nr = strcmp(argv[0], "fork") == 0 ? 2 : 20; /* i386 fork, getpid */
	long ret;

	if (strcmp(argv[0], "open") == 0) {
		/* i386 open (5) of a path the 32-bit ABI can point at */
		char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

		if (low == MAP_FAILED)
			return 1;
		strcpy(low, "/etc/hostname");
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(5L), "b"((long)(uintptr_t)low), "c"(0L)
				 : "memory");
		printf("int80=%ld\n", ret);
		return 0;
	}
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	if (ret == 0 && nr == 2)
		_exit(0); /* the child of a successful fork */
	printf("int80=%ld\n", ret);
	return 0;
#else
	(void)argv;
	fprintf(stderr, "probe: int80: x86_64 only\n");
	return 64;
#endif
}

static int cmd_stack_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0xbeef),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(insns) / sizeof(insns[0]), .filter = insns};
	long r;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	result("stack", r, errno);
	r = syscall(SYS_getppid);
	result("getppid", r, errno);
	return 0;
}

static int cmd_orphan(char **argv)
{
	int ready[2];
	pid_t child;
	char c;

	if (pipe(ready) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		pid_t grandchild;

		setsid();
		grandchild = fork();
		if (grandchild == 0) {
			FILE *f;

			printf("orphan=%d\n", getpid());
			fflush(stdout);
			/* Only now may the others exit: the line above is out. */
			close(ready[1]);
			sleep_ms(1000);
			f = fopen(argv[0], "w");
			if (f) {
				fputs("escaped\n", f);
				fclose(f);
			}
			_exit(0);
		}
		close(ready[1]);
		while (read(ready[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	while (read(ready[0], &c, 1) > 0)
		;
	wait_all();
	return 0;
}

static _Noreturn int cmd_spin(void)
{
	volatile unsigned long x = 0;

	for (;;)
		x++;
}

static int cmd_child_spin(void)
{
	pid_t child = fork();

	if (child == 0)
		cmd_spin();
	printf("child=%d\n", child);
	wait_all();
	return 0;
}

/*
 * Fill |n| bytes at |p| so that they are resident. The compiler may drop a
 * memset into memory nobody reads (and with malloc, the malloc too); the
 * empty asm that "uses" the memory keeps both.
 */
static void fill(char *p, size_t n)
{
	memset(p, 1, n);
	__asm__ volatile("" : : "r"(p) : "memory");
}

static int cmd_touch_mb(char **argv)
{
	int n = atoi(argv[0]);

	for (int i = 0; i < n; i++) {
		char *p = malloc(1 << 20);

		if (!p) {
			printf("touch=fail mb=%d\n", i);
			return 1;
		}
		fill(p, 1 << 20);
	}
	printf("touch=ok mb=%d\n", n);
	return 0;
}

/*
 * MB MiB touched, then N children forked that hold the same pages (copy on
 * write, never written) for MS milliseconds while the parent waits: the
 * tree holds MB MiB, not (N + 1) * MB. Print fork-touched=ok.
 */
static int cmd_fork_touched(char **argv)
{
	size_t mb = (size_t)atol(argv[0]);
	int n = atoi(argv[1]);
	long ms = atol(argv[2]);
	char *p = malloc(mb << 20);

	if (!p)
		return 1;
	fill(p, mb << 20);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

			nanosleep(&ts, NULL);
			_exit(p[0] == 0x7f);
		}
		if (pid < 0)
			return 1;
	}
	while (wait(NULL) > 0)
		;
	printf("fork-touched=ok\n");
	return 0;
}

static int cmd_malloc_mb(char **argv)
{
	size_t n = (size_t)atol(argv[0]) << 20;
	char *p = malloc(n);

	if (!p) {
		printf("malloc=fail\n");
		return 1;
	}
	fill(p, n);
	printf("malloc=ok\n");
	return 0;
}

static int cmd_flood(void)
{
	static char buf[4096];
	long total = 0;

	memset(buf, 'x', sizeof(buf));
	for (;;) {
		ssize_t n = write(1, buf, sizeof(buf));

		if (n <= 0) {
			fprintf(stderr, "flood stopped after %ld bytes: errno=%s\n", total,
				ename(errno));
			return 1;
		}
		total += n;
	}
}

/*
 * Write |n| bytes to PATH (its own file, created), SIGXFSZ ignored, going
 * on after short writes as stdio does: print write-own=BYTES errno.
 */
static int cmd_write_own(char **argv)
{
	static char buf[4096];
	long n = atol(argv[1]), total = 0;
	int fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t w = 0;

	signal(SIGXFSZ, SIG_IGN);
	memset(buf, 'o', sizeof(buf));
	while (fd >= 0 && total < n) {
		w = write(fd, buf,
			  (size_t)(n - total < (long)sizeof(buf) ? n - total : (long)sizeof(buf)));
		if (w <= 0)
			break;
		total += w;
	}
	result("write-own", fd < 0 || w < 0 ? -1 : total, errno);
	return 0;
}

static void *thread_nothing(void *arg)
{
	return arg;
}

/* N threads, one at a time, each joined before the next: print thread-churn=DONE. */
static int cmd_thread_churn(char **argv)
{
	long n = atol(argv[0]), done = 0;

	for (; done < n; done++) {
		pthread_t th;
		int e = pthread_create(&th, NULL, thread_nothing, NULL);

		if (e) {
			printf("thread-churn=%ld errno=%s\n", done, ename(e));
			return 0;
		}
		pthread_join(th, NULL);
	}
	printf("thread-churn=%ld\n", done);
	return 0;
}

static void *thread_wait(void *arg)
{
	pthread_barrier_wait(arg);
	return NULL;
}

static int cmd_getppids(int argc, char **argv)
{
	long n = atol(argv[0]);

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	if (argc > 1 && strcmp(argv[1], "getuid") == 0)
		syscall(SYS_getuid);
	printf("getppids=%ld\n", n);
	return 0;
}

static int cmd_getpriorities(int argc, char **argv)
{
	long n = atol(argv[0]);

	for (long i = 0; i < n; i++)
		syscall(SYS_getpriority, PRIO_PROCESS, i);
	if (argc > 1 && strcmp(argv[1], "getuid") == 0)
		syscall(SYS_getuid);
	printf("getpriorities=%ld\n", n);
	return 0;
}

static int cmd_unknowns(char **argv)
{
	long n = atol(argv[0]);
	int fd;

	for (long i = 0; i < n; i++)
		syscall(1000 + i);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("unknowns=%ld socket=%d\n", n, fd);
	return 0;
}

static int cmd_reserve(char **argv)
{
	size_t n = (size_t)atol(argv[0]) << 20, stack = (size_t)atol(argv[2]) << 20;
	long threads = atol(argv[1]), started = 0;
	pthread_t th[64];
	pthread_barrier_t all;
	pthread_attr_t attr;
	int e = 0;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("reserve=fail errno=%s at=map\n", ename(errno));
		return 1;
	}
	p[0] = 1;
	if (threads > 64)
		threads = 64;
	pthread_barrier_init(&all, NULL, (unsigned)threads + 1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, stack ? stack : 1 << 20);
	/* All alive at once, as a runtime's threads are. */
	while (started < threads && !(e = pthread_create(&th[started], &attr, thread_wait, &all)))
		started++;
	if (e) {
		printf("reserve=fail errno=%s at=thread%ld\n", ename(e), started);
		_exit(1); /* the started threads wait on the barrier forever */
	}
	pthread_barrier_wait(&all);
	for (long i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	printf("reserve=ok\n");
	return 0;
}

static _Noreturn int cmd_forkbomb(void)
{
	for (;;)
		fork();
}

static int cmd_streams(char **argv)
{
	int n = atoi(argv[0]);

	setvbuf(stderr, NULL, _IONBF, 0);
	for (int i = 0; i < n; i++) {
		printf("out %d\n", i);
		fflush(stdout);
		fprintf(stderr, "err %d\n", i);
	}
	return 0;
}

static int cmd_args_env(int argc, char **argv)
{
	const char *v = getenv(argv[0]);

	for (int i = 1; i < argc; i++)
		printf("arg%d=%s\n", i, argv[i]);
	printf("env=%s\n", v ? v : "(unset)");
	return 0;
}

static int cmd_ids(void)
{
	static const char *const keys[] = {"Uid:",    "Gid:",	 "Groups:", "CapInh:",	  "CapPrm:",
					   "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:"};
	char line[512];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				fputs(line, stdout);
	fclose(f);
	return 0;
}

static int cmd_fork_once(void)
{
	pid_t child = fork();

	if (child == 0)
		_exit(0);
	wait_all();
	printf("forked=%d\n", child > 0);
	return 0;
}

static int cmd_open_write(char **argv)
{
	int fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);

	result("open-write", fd, errno);
	return 0;
}

static int cmd_open_rdwr(char **argv)
{
	int fd = open(argv[0], O_RDWR);

	result("open-rdwr", fd, errno);
	return 0;
}

static int cmd_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	result("socket", fd, errno);
	return 0;
}

static int cmd_socketpairs(char **argv)
{
	int n = atoi(argv[0]), made = 0, sv[2];

	for (int i = 0; i < n; i++)
		made += socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0;
	printf("socketpairs=%d\n", made);
	return 0;
}

static int exit_at_once(void *unused)
{
	(void)unused;
	_exit(0);
}

static int cmd_clone_vm(void)
{
	static char stack[64 * 1024];
	pid_t child = clone(exit_at_once, stack + sizeof(stack), CLONE_VM | CLONE_SIGHAND | SIGCHLD,
			    NULL);

	wait_all();
	printf("clone-vm=%d\n", child > 0 ? 1 : -1);
	return 0;
}

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

static int listener_fd = -1;

/* Answer every notification with "continue": the call runs as if unfiltered. */
static void *answer_notifications(void *unused)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	(void)unused;
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			return NULL;
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/*
 * The notify-listener attack: a user-notification filter outranks TRACE, so
 * a supervisor that let it be installed would never see mkdir again.
 */
static int cmd_notify_mkdir(char **argv)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdir, 0, 1),
#else
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdirat, 0, 1),
#endif
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(insns) / sizeof(insns[0]), .filter = insns};
	pthread_t th;
	long r;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	listener_fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	result("listener", listener_fd, errno);
	if (listener_fd < 0)
		return 1;
	pthread_create(&th, NULL, answer_notifications, NULL);
	r = mkdir(argv[0], 0700);
	result("mkdir", r, errno);
	return 0;
}

static void *thread_getpgrp(void *unused)
{
	long r = syscall(SYS_getpgrp);

	(void)unused;
	result("thread-getpgrp", r, errno);
	return NULL;
}

/*
 * One call of each kind of answer the supervisor gives (tests of
 * --decisions): getppid, getpgrp and sched_yield as the policy says, a read
 * of |argv[0]|, and calls of a forked child and of a thread.
 */
static int cmd_decisions(char **argv)
{
	pthread_t th;
	pid_t child;
	long r;
	int fd;

	r = syscall(SYS_getppid);
	printf("getppid=%s\n", r >= 0 ? "ok" : "failed");
	r = syscall(SYS_getpgrp);
	result("getpgrp", r, errno);
	r = syscall(SYS_sched_yield);
	result("sched_yield", r, errno);
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	result("open", fd < 0 ? -1 : 0, errno);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		r = syscall(SYS_getppid);
		printf("child-getppid=%s\n", r >= 0 ? "ok" : "failed");
		fflush(stdout);
		_exit(0);
	}
	wait_all();
	pthread_create(&th, NULL, thread_getpgrp, NULL);
	pthread_join(th, NULL);
	return 0;
}

static volatile sig_atomic_t storm_alarms;

static void on_storm_alarm(int sig)
{
	(void)sig;
	storm_alarms++;
}

/*
 * |argv[0]| getppid calls while SIGALRM comes every 20 µs (SA_RESTART: an
 * interrupted call restarts): the first call that fails, and how many
 * signals came. A count-limited rule on getppid must let exactly its count
 * through, however often its calls were interrupted while decided.
 */
static int cmd_count_storm(char **argv)
{
	struct sigaction sa = {.sa_handler = on_storm_alarm, .sa_flags = SA_RESTART};
	struct itimerval every = {.it_interval = {0, 20}, .it_value = {0, 20}};
	long n = atol(argv[0]), i;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &every, NULL);
	for (i = 0; i < n; i++)
		if (syscall(SYS_getppid) < 0)
			break;
	setitimer(ITIMER_REAL, &(struct itimerval){0}, NULL);
	printf("storm ok=%ld errno=%s alarms=%s\n", i, i < n ? strerror(errno) : "none",
	       storm_alarms > 0 ? "some" : "none");
	return 0;
}

/* Descriptors of ours that are a seccomp listener: one would answer our own calls. */
static int cmd_listener_fds(void)
{
	char path[64], target[128];
	int n = 0, seen = 0;

	for (int fd = 0; fd < 4096; fd++) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		seen++;
		target[len] = '\0';
		if (strstr(target, "seccomp notify"))
			n++;
	}
	printf("fds=%d listener-fds=%d\n", seen, n);
	return 0;
}

/*
 * Run |argv| in a child under a filter whose listener we keep open (for
 * vhangup, which nothing calls), as a container runtime's supervisor
 * would: a second listener in that chain is refused (EBUSY).
 */
static int cmd_under_listener(char **argv)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_vhangup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(insns) / sizeof(insns[0]), .filter = insns};
	int status = 0;
	long fd;
	pid_t child;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	result("listener", fd, errno);
	if (fd < 0)
		return 1;
	child = fork();
	if (child == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(child, &status, 0);
	close((int)fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int untraced_child(void *unused)
{
	(void)unused;
	printf("untraced-child=1\n");
	fflush(stdout);
	return 0;
}

static int cmd_untraced(void)
{
	static char stack[64 * 1024];
	pid_t child = clone(untraced_child, stack + sizeof(stack), CLONE_UNTRACED | SIGCHLD, NULL);

	result("clone", child, errno);
	wait_all();
	return 0;
}

static int cmd_int80_socket(void)
{
#if defined(__x86_64__)
	uint32_t *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long ret;

	if (args == MAP_FAILED)
		return 1;
	args[0] = AF_INET;
	args[1] = SOCK_STREAM;
	args[2] = 0;
	/* i386 socketcall (102), call 1 = SYS_SOCKET, ecx = the argument array. */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(102L), "b"(1L), "c"((long)(uintptr_t)args)
			 : "memory");
	printf("int80-socket=%ld\n", ret);
	return 0;
#else
	fprintf(stderr, "probe: int80-socket: x86_64 only\n");
	return 64;
#endif
}

static int cmd_parent_mem(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)getppid());
	fd = open(path, O_RDWR);
	result("parent-mem", fd, errno);
	return 0;
}

static int cmd_fork_storm(char **argv)
{
	int n = atoi(argv[0]);
	pid_t child = fork();

	if (child == 0) {
		for (int i = 0; i < n; i++) {
			pid_t c = fork();

			if (c == 0)
				_exit(0);
			if (c > 0)
				waitpid(c, NULL, 0);
		}
		_exit(0);
	}
	wait_all();
	printf("stormed=1\n");
	return 0;
}

static int cmd_hide_log(void)
{
	static char junk[4096];
	long total = 0;

	memset(junk, '.', sizeof(junk));
	fcntl(2, F_SETFL, fcntl(2, F_GETFL) | O_NONBLOCK);
	/* Until the pipe is full (EAGAIN); at most 4 MiB if stderr is no pipe. */
	while (total < (4L << 20) && write(2, junk, sizeof(junk)) > 0)
		total += (long)sizeof(junk);
	printf("filled=%ld\n", total);
	fflush(stdout);
	syscall(SYS_getppid);
	printf("done=1\n");
	return 0;
}

static int cmd_bigwrite(char **argv)
{
	size_t n = (size_t)atol(argv[0]);
	char *buf = malloc(n);
	long r;

	if (!buf)
		return 1;
	memset(buf, 'y', n);
	r = write(1, buf, n);
	fprintf(stderr, "bigwrite=%ld\n", r);
	return 0;
}

static int cmd_flood_blocked(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGXFSZ);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return cmd_flood();
}

static int cmd_sparse_touch(char **argv)
{
	size_t len = (size_t)atol(argv[0]) << 30;
	volatile char *p =
		mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned long sum = 0;

	if (p == MAP_FAILED)
		return 1;
	for (size_t off = 0; off < len; off += 2u << 20)
		sum += (unsigned long)p[off];
	printf("touched=%lu\n", sum);
	return 0;
}

static long cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cmd_zombies(char **argv)
{
	int n = atoi(argv[0]), made = 0;

	for (int i = 0; i < n; i++) {
		pid_t c = fork();

		if (c == 0)
			_exit(0);
		made += c > 0;
	}
	printf("zombies=%d\n", made);
	fflush(stdout);
	sleep_ms(2000);
	return 0;
}

static int cmd_zombie_cpu(char **argv)
{
	long ms = atol(argv[0]);

	if (fork() == 0) {
		volatile unsigned long x = 0;

		while (cpu_ms() < ms)
			x++;
		_exit(0);
	}
	sleep_ms(3000);
	printf("slept=1\n");
	return 0;
}

/* Print "what=CONTENT" (first line) or "what=-1 errno=NAME". */
static int read_fd(const char *what, int fd, int err)
{
	char buf[128] = "";
	ssize_t n;

	if (fd < 0) {
		result(what, -1, err);
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s=%s\n", what, n >= 0 ? buf : "(read failed)");
	return 0;
}

/* "probe stale": one file made (opened for writing) as |name| in |dir|: "NAME=0" or "NAME=-1". */
static void make_named(int dir, const char *name)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int err = errno;

	if (fd >= 0)
		close(fd);
	result(name, fd < 0 ? -1 : 0, err);
}

static void *thread_chdir(void *ro)
{
	if (chdir(ro) == 0)
		make_named(AT_FDCWD, "thread-cwd");
	return NULL;
}

static void *thread_exec(void *ro)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *args[] = {self, "stale-after-exec", ro, "thread-exec", NULL};

	if (n > 0) {
		self[n] = '\0';
		execv(self, args);
	}
	result("thread-exec", -1, errno);
	exit(1);
}

/*
 * "probe stale RW RO BAD": whatever the supervisor may keep from one call
 * to the next (a task's /proc directory, its working directory, a
 * directory fd, a symbolic link, its memory) is changed between two path
 * calls. Each second call makes a file in RO (readable, not writable), so
 * the supervisor's line must name that path, not one in RW (writable) that
 * it saw before. A symbolic link in RW is pointed from a file in RW to
 * BAD/secret.txt between two reads of it.
 */
static int cmd_stale(char **argv)
{
	const char *rw = argv[0], *ro = argv[1], *bad = argv[2];
	char link[4096], target[4096], self[4096];
	int dir, ro_fd;
	pthread_t th;
	pid_t child;
	ssize_t n;

	/* The working directory, changed by another thread. */
	if (chdir(rw) < 0)
		return 1;
	make_named(AT_FDCWD, "rw-first");
	if (pthread_create(&th, NULL, thread_chdir, (void *)ro) != 0)
		return 1;
	pthread_join(th, NULL);
	make_named(AT_FDCWD, "t-cwd");
	/* In a child only: the parent's stays RW. */
	if (chdir(rw) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		if (chdir(ro) == 0)
			make_named(AT_FDCWD, "child-cwd");
		_exit(0);
	}
	waitpid(child, NULL, 0);
	make_named(AT_FDCWD, "parent-cwd");
	/* fchdir. */
	ro_fd = open(ro, O_RDONLY | O_DIRECTORY);
	make_named(AT_FDCWD, "rw-second");
	if (ro_fd < 0 || fchdir(ro_fd) < 0)
		return 1;
	close(ro_fd);
	make_named(AT_FDCWD, "fchdir-cwd");
	/* A directory fd closed, its number given to another directory. */
	dir = open(rw, O_PATH | O_DIRECTORY);
	make_named(dir, "rw-third");
	close(dir);
	if (open(ro, O_PATH | O_DIRECTORY) != dir)
		printf("dirfd-not-reused\n");
	make_named(dir, "dirfd-reused");
	close(dir);
	/*
	 * A symbolic link pointed elsewhere between two opens of it: from a
	 * file in RW (the check of unlink() follows the link: it must lead
	 * somewhere writable) to BAD/secret.txt.
	 */
	snprintf(link, sizeof(link), "%s/swap", rw);
	snprintf(target, sizeof(target), "%s/swap-target", rw);
	make_named(AT_FDCWD, target);
	if (symlink(target, link) < 0)
		return 1;
	read_fd("swap-before", open(link, O_RDONLY), errno);
	snprintf(target, sizeof(target), "%s/secret.txt", bad);
	if (unlink(link) < 0 || symlink(target, link) < 0)
		return 1;
	read_fd("swap-after", open(link, O_RDONLY), errno);
	fflush(stdout);
	/* A new program in this very process, from its main thread and from another thread. */
	child = fork();
	if (child == 0) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n > 0) {
			char *args[] = {self, "stale-after-exec", (char *)ro, "after-exec", NULL};

			self[n] = '\0';
			execv(self, args);
		}
		_exit(1);
	}
	waitpid(child, NULL, 0);
	if (pthread_create(&th, NULL, thread_exec, (void *)ro) != 0)
		return 1;
	pause();
	return 1;
}

/* "probe stale-after-exec DIR NAME": after the exec, one file made as DIR/NAME. */
static int cmd_stale_after_exec(char **argv)
{
	int dir = open(argv[0], O_PATH | O_DIRECTORY | O_CLOEXEC);

	make_named(dir, argv[1]);
	return 0;
}

static int cmd_readat(char **argv)
{
	int dir = open(argv[0], O_PATH | O_DIRECTORY);
	int fd = dir >= 0 ? openat(dir, argv[1], O_RDONLY) : -1;

	return read_fd("readat", fd, errno);
}

static int cmd_read2(char **argv)
{
	struct {
		uint64_t flags, mode, resolve;
	} how = {O_RDONLY, 0, 0};
	long fd = syscall(SYS_openat2, AT_FDCWD, argv[0], &how, sizeof(how));

	return read_fd("read2", (int)fd, errno);
}

static int cmd_writefile(char **argv)
{
	int fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long r = fd >= 0 ? write(fd, "w", 1) : -1;

	result("writefile", r, errno);
	if (fd >= 0)
		close(fd);
	return 0;
}

static char race_path[512];
static const char *race_paths[2];

static void *race_flip(void *unused)
{
	(void)unused;
	for (;;) {
		strcpy(race_path, race_paths[1]);
		strcpy(race_path, race_paths[0]);
	}
	return NULL;
}

/*
 * The time-of-check race: only the kernel's own check of the object holds.
 * The forbidden file's content is given (argv[3]), not read, to recognise it.
 */
static int cmd_race(char **argv)
{
	long n = atol(argv[2]), forbidden = 0, opened = 0;
	const char *secret = argv[3];
	char buf[64];
	pthread_t th;
	int fd;

	race_paths[0] = argv[0];
	race_paths[1] = argv[1];
	strcpy(race_path, argv[0]);
	pthread_create(&th, NULL, race_flip, NULL);
	for (long i = 0; i < n; i++) {
		ssize_t k;

		fd = open(race_path, O_RDONLY);
		if (fd < 0)
			continue;
		opened++;
		k = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[k > 0 ? k : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, secret) == 0)
			forbidden++;
	}
	printf("opened=%ld forbidden_reads=%ld\n", opened, forbidden);
	fflush(stdout);
	_exit(0); /* the flipping thread never stops */
}

static int cmd_memfd_exec(char **argv)
{
	char buf[65536];
	int src = open(argv[0], O_RDONLY);
	int fd = (int)syscall(SYS_memfd_create, "prog", 0);
	ssize_t n;
	char *args[] = {argv[0], NULL};

	if (src < 0 || fd < 0)
		return 1;
	while ((n = read(src, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 1;
	close(src);
	syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
	result("memfd-exec", -1, errno);
	return 0;
}

static int cmd_connect(char **argv)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons((uint16_t)atoi(argv[0]))};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long r;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = fd >= 0 ? connect(fd, (struct sockaddr *)&sin, sizeof(sin)) : -1;
	result("connect", r, errno);
	return 0;
}

/* x32: the x86_64 instruction with __X32_SYSCALL_BIT; ENOSYS where the kernel lacks x32. */
static int cmd_x32(void)
{
	long r = syscall(0x40000000L | SYS_getpid);

	result("x32-getpid", r, errno);
	return 0;
}

static int cmd_kill_parent_group(void)
{
	pid_t pgrp = getpgid(getppid());
	long r = kill(-pgrp, SIGKILL);

	result("kill-group", r, errno);
	return 0;
}

static int cmd_kill_all(void)
{
	long r = kill(-1, SIGKILL);

	result("kill-all", r, errno);
	return 0;
}

static int cmd_ptrace_parent(void)
{
	pid_t parent = getppid();
	long r = ptrace(PTRACE_ATTACH, parent, NULL, NULL);

	result("ptrace-attach", r, errno);
	if (r == 0) {
		waitpid(parent, NULL, __WALL);
		ptrace(PTRACE_DETACH, parent, NULL, NULL);
	}
	return 0;
}

/*
 * Another process by pid: read 8 bytes of its memory (the start of its first
 * mapping, from /proc/PID/maps), then attach and detach.
 */
static int cmd_reach_pid(const char *arg)
{
	pid_t pid = (pid_t)atoi(arg);
	char buf[8], path[64], line[512] = "";
	FILE *maps;
	struct iovec local = {buf, sizeof(buf)}, remote = {NULL, sizeof(buf)};
	long r;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "r");
	if (maps && fgets(line, sizeof(line), maps))
		remote.iov_base = (void *)strtoul(line, NULL, 16);
	if (maps)
		fclose(maps);
	r = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	result("vm-read", r, errno);
	r = ptrace(PTRACE_ATTACH, pid, NULL, NULL);
	result("ptrace-attach", r, errno);
	if (r == 0) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	return 0;
}

/*
 * SIGIO for another process: the owner of an O_ASYNC pipe gets it when data
 * arrives (its default action ends a process). Then the same with
 * F_SETOWN_EX, and F_SETOWN of the caller itself on a quiet pipe.
 */
static int swap_inside = -1, swap_outside = -1;
static volatile int swap_stop;

static void *swap_pidfds(void *arg)
{
	(void)arg;
	while (!swap_stop) {
		dup2(swap_inside, 50);
		dup2(swap_outside, 50);
	}
	return NULL;
}

/* A pidfd looked at by the supervisor, then changed by another thread before the call runs. */
static int cmd_pidfd_swap(char **rest)
{
	long n = atol(rest[1]), sent = 0;
	pid_t child;
	pthread_t t;

	signal(SIGUSR1, SIG_IGN); /* the child inherits it: SIGUSR1 does nothing inside */
	child = fork();
	if (child == 0)
		for (;;)
			pause();
	swap_inside = (int)syscall(SYS_pidfd_open, child, 0);
	swap_outside = (int)syscall(SYS_pidfd_open, (pid_t)atoi(rest[0]), 0);
	if (child < 0 || swap_inside < 0 || swap_outside < 0 || dup2(swap_inside, 50) < 0 ||
	    pthread_create(&t, NULL, swap_pidfds, NULL) != 0) {
		printf("pidfd-swap setup failed: %s\n", strerror(errno));
		return 1;
	}
	for (long i = 0; i < n; i++) {
		struct pollfd gone = {.fd = swap_outside, .events = POLLIN};

		if (syscall(SYS_pidfd_send_signal, 50, SIGUSR1, NULL, 0) == 0)
			sent++;
		/* The victim's end (a pidfd polls readable): no need to go on. */
		if (i % 64 == 0 && poll(&gone, 1, 0) == 1)
			break;
	}
	swap_stop = 1;
	pthread_join(t, NULL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("pidfd-swap sent=%ld\n", sent);
	return 0;
}

static int cmd_sigio_pid(const char *arg)
{
	struct f_owner_ex ex = {F_OWNER_PID, (pid_t)atoi(arg)};
	int p[2], q[2];
	long r;

	if (pipe(p) < 0 || pipe(q) < 0)
		return 1;
	r = fcntl(p[0], F_SETOWN, (pid_t)atoi(arg));
	result("setown", r, errno);
	fcntl(p[0], F_SETFL, O_ASYNC);
	if (write(p[1], "x", 1) != 1)
		return 1;
	r = fcntl(p[0], F_SETOWN_EX, &ex);
	result("setown-ex", r, errno);
	if (write(p[1], "x", 1) != 1)
		return 1;
	r = fcntl(q[0], F_SETOWN, getpid());
	result("setown-self", r, errno);
	return 0;
}

/*
 * A lock on a file the caller may only read: a record lock is on the inode,
 * so it blocks every other process's write lock on that file, the host's
 * too. F_RDLCK needs only a readable descriptor; flock's LOCK_EX does too.
 * The lock is held until GO exists, so the test can look at it meanwhile.
 */
static int cmd_lock(char **argv)
{
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	long r = -1;

	if (fd < 0)
		return 1;
	errno = 0;
	if (strcmp(argv[1], "setlk") == 0)
		r = fcntl(fd, F_SETLK, &fl);
	else if (strcmp(argv[1], "setlkw") == 0)
		r = fcntl(fd, F_SETLKW, &fl);
	else if (strcmp(argv[1], "ofd") == 0)
		r = fcntl(fd, F_OFD_SETLK, &fl);
	else if (strcmp(argv[1], "flock") == 0)
		r = flock(fd, LOCK_EX | LOCK_NB);
	else
		return 64;
	result("lock", r, errno);
	for (int i = 0; i < 3000 && access(argv[2], F_OK) < 0; i++)
		sleep_ms(10);
	return 0;
}

/*
 * One zero byte written into the parent, at the lowest address of its
 * [stack] mapping (never used there, and zero already): a real write, so the
 * kernel's permission check runs (a zero-length one is not checked). The
 * permission check comes before any address is touched.
 */
static int cmd_vm_write_parent(void)
{
	char path[64], line[512], byte = 0;
	unsigned long lo = 0;
	FILE *maps;
	long r;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)getppid());
	maps = fopen(path, "r");
	while (maps && !lo && fgets(line, sizeof(line), maps))
		if (strstr(line, "[stack]"))
			lo = strtoul(line, NULL, 16);
	if (maps)
		fclose(maps);
	{
		/* Maps unreadable (a non-dumpable parent): guess, the attack goes on. */
		struct iovec local = {&byte, 1}, remote = {lo ? (void *)lo : (void *)&byte, 1};

		r = process_vm_writev(getppid(), &local, 1, &remote, 1, 0);
	}
	result("vm-write", r, errno);
	return 0;
}

/* io_uring, raw: one IORING_OP_OPENAT of |path|, the result printed as uring-open=FD. */
struct uring_params {
	uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd;
	uint32_t resv[3];
	struct {
		uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1;
		uint64_t user_addr;
	} sq_off;
	struct {
		uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1;
		uint64_t user_addr;
	} cq_off;
};

struct uring_sqe {
	uint8_t opcode, flags;
	uint16_t ioprio;
	int32_t fd;
	uint64_t off, addr;
	uint32_t len, open_flags;
	uint64_t user_data;
	uint64_t pad[3];
};

struct uring_cqe {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
};

static int cmd_uring_open(char **argv)
{
	struct uring_params p;
	long fd;
	char *sq, *cq;
	struct uring_sqe *sqes;
	uint32_t *tail, *array, *cq_head, *cq_tail;
	struct uring_cqe *cqes;

	memset(&p, 0, sizeof(p));
	fd = syscall(SYS_io_uring_setup, 4, &p);
	if (fd < 0) {
		result("uring-setup", -1, errno);
		return 0;
	}
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * 4, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, (int)fd, 0);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, (int)fd, 0x8000000);
	sqes = mmap(NULL, p.sq_entries * sizeof(struct uring_sqe), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, (int)fd, 0x10000000);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return 1;
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = 18; /* IORING_OP_OPENAT */
	sqes[0].fd = AT_FDCWD;
	sqes[0].addr = (uint64_t)(uintptr_t)argv[0];
	sqes[0].open_flags = O_RDONLY;
	tail = (uint32_t *)(sq + p.sq_off.tail);
	array = (uint32_t *)(sq + p.sq_off.array);
	array[*tail & *(uint32_t *)(sq + p.sq_off.ring_mask)] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, (int)fd, 1, 1, 1 /* GETEVENTS */, NULL, 0) < 0) {
		result("uring-enter", -1, errno);
		return 0;
	}
	cq_head = (uint32_t *)(cq + p.cq_off.head);
	cq_tail = (uint32_t *)(cq + p.cq_off.tail);
	cqes = (struct uring_cqe *)(cq + p.cq_off.cqes);
	if (*cq_head == __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE))
		return 1;
	printf("uring-open=%d\n", cqes[*cq_head & *(uint32_t *)(cq + p.cq_off.ring_mask)].res);
	return 0;
}

static int cmd_raise_nofile(void)
{
	struct rlimit rl;
	long r;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max += 1;
	r = setrlimit(RLIMIT_NOFILE, &rl);
	result("raise-hard", r, errno);
	return 0;
}

static int cmd_tiocsti(void)
{
	char c = 'x';
	long r = ioctl(0, TIOCSTI, &c);

	result("tiocsti", r, errno);
	return 0;
}

/*
 * Random system calls with random arguments (tracee-side fuzzing of the
 * supervisor): numbers 0..460, arguments small numbers, pointers into a
 * scratch buffer, or garbage. Never exit/exit_group/rt_sigreturn; the run
 * ends when the sandbox stops it or after N calls.
 */
/*
 * Calls randsys leaves out: those that end the program or wait for ever, the
 * ones that create processes, and every call the default policy kills (a
 * random run would otherwise end at its first few calls); what is left is
 * what the supervisor must survive in bulk.
 */
static bool randsys_skipped(long nr)
{
	static const long skip[] = {
		SYS_exit,
		SYS_exit_group,
		SYS_rt_sigreturn,
		SYS_pause,
		SYS_rt_sigsuspend,
		SYS_clone,
		SYS_fork,
		SYS_vfork,
		SYS_execve,
		SYS_execveat,
		SYS_ptrace,
		SYS_process_vm_readv,
		SYS_process_vm_writev,
		SYS_pidfd_getfd,
		SYS_kcmp,
		SYS_io_uring_setup,
		SYS_io_uring_enter,
		SYS_io_uring_register,
		SYS_bpf,
		SYS_perf_event_open,
		SYS_userfaultfd,
		SYS_kexec_load,
		SYS_kexec_file_load,
		SYS_init_module,
		SYS_finit_module,
		SYS_delete_module,
		SYS_iopl,
		SYS_ioperm,
		SYS_quotactl,
		SYS_vhangup,
		SYS_syslog,
		SYS_mount,
		SYS_umount2,
		SYS_pivot_root,
		SYS_chroot,
		SYS_fsopen,
		SYS_fsconfig,
		SYS_fsmount,
		SYS_fspick,
		SYS_open_tree,
		SYS_move_mount,
		SYS_mount_setattr,
		SYS_unshare,
		SYS_setns,
		SYS_keyctl,
		SYS_add_key,
		SYS_request_key,
		SYS_reboot,
		SYS_swapon,
		SYS_swapoff,
		SYS_acct,
		SYS_settimeofday,
		SYS_clock_settime,
		SYS_clock_adjtime,
		SYS_adjtimex,
		SYS_personality,
		SYS_seccomp,
		SYS_ioctl,
		SYS_kill,
		SYS_tkill,
		SYS_tgkill,
		SYS_rt_sigqueueinfo,
		SYS_rt_tgsigqueueinfo,
		SYS_pidfd_send_signal,
		SYS_prlimit64,
		SYS_setitimer,
		SYS_alarm,
		SYS_rt_sigaction,
		SYS_rt_sigprocmask,
		SYS_close,
		SYS_close_range,
		SYS_dup2,
		SYS_dup3,
		SYS_munmap,
		SYS_mremap,
		SYS_mprotect,
		SYS_madvise,
		SYS_brk,
		SYS_arch_prctl,
		SYS_prctl,
		SYS_set_robust_list,
		SYS_rseq,
		SYS_pkey_mprotect,
		SYS_remap_file_pages,
		SYS_modify_ldt,
		335, /* uretprobe: SIGILL outside its trampoline */
		SYS_shmdt,
	};

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (skip[i] == nr)
			return true;
	return false;
}

static void on_tick(int sig)
{
	(void)sig;
}

/*
 * A container's profile that forbids some namespaces (|flag|: CLONE_NEWUSER,
 * CLONE_NEWNET): clone and unshare with that flag fail with EPERM, clone3
 * (flags out of sight) with ENOSYS so libc falls back to clone.
 */
static int cmd_no_ns(char **argv, unsigned int flag)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, flag, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("no-ns");
		return 1;
	}
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

static int cmd_randsys(char **argv)
{
	static char scratch[8192];
	unsigned long long x = strtoull(argv[0], NULL, 10) * 2654435761ULL + 1;
	long n = atol(argv[1]), made = 0;
	/* Progress goes to a file of its own: random writes may hit stdout. */
	int progress = argv[2] && argv[3] ? open(argv[3], O_WRONLY | O_APPEND | O_CREAT, 0644) : -1;
	struct itimerval tick = {{0, 20000}, {0, 20000}};

	/* A call that would block for ever is cut short by a tick (no SA_RESTART). */
	sigaction(SIGALRM, &(struct sigaction){.sa_handler = on_tick}, NULL);
	setitimer(ITIMER_REAL, &tick, NULL);

	for (long i = 0; i < n; i++) {
		unsigned long a[6];
		long nr;

		for (int k = 0; k < 6; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			switch (x % 4) {
			case 0:
				a[k] = x % 8;
				break;
			case 1:
				a[k] = (unsigned long)(uintptr_t)(scratch + (x >> 8) % 4096);
				break;
			case 2:
				a[k] = x >> 3;
				break;
			default:
				a[k] = (unsigned long)-(long)(x % 5);
				break;
			}
		}
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		nr = (long)(x % 461);
		if (randsys_skipped(nr))
			continue;
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (++made % 1000 == 0 && progress >= 0)
			dprintf(progress, "randsys made=%ld\n", made);
	}
	if (progress >= 0)
		dprintf(progress, "randsys done made=%ld\n", made);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	char **rest = argv + 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "exit") == 0 && argc > 2)
		return atoi(rest[0]);
	if (strcmp(cmd, "raise") == 0 && argc > 2) {
		signal(atoi(rest[0]), SIG_DFL);
		raise(atoi(rest[0]));
		return 99;
	}
	if (strcmp(cmd, "write") == 0 && argc > 3)
		return cmd_write(rest);
	if (strcmp(cmd, "thread-exec") == 0)
		return cmd_thread_exec();
	if (strcmp(cmd, "open-rdwr") == 0 && argc > 2)
		return cmd_open_rdwr(rest);
	if (strcmp(cmd, "tick-open") == 0 && argc > 2)
		return cmd_tick_open(rest);
	if (strcmp(cmd, "trace-seq") == 0)
		return cmd_trace_seq(rest);
	if (strcmp(cmd, "decisions") == 0 && argc > 2)
		return cmd_decisions(rest);
	if (strcmp(cmd, "under-listener") == 0 && argc > 2)
		return cmd_under_listener(rest);
	if (strcmp(cmd, "count-storm") == 0 && argc > 2)
		return cmd_count_storm(rest);
	if (strcmp(cmd, "listener-fds") == 0)
		return cmd_listener_fds();
	if (strcmp(cmd, "getppid") == 0) {
		printf("getppid=%ld\n", (long)syscall(SYS_getppid));
		return 0;
	}
	if (strcmp(cmd, "mkdir") == 0 && argc > 2)
		return cmd_mkdir(rest);
	if (strcmp(cmd, "exec") == 0 && argc > 2)
		return cmd_exec(rest);
	if (strcmp(cmd, "deep-thread-mkdir") == 0 && argc > 2)
		return cmd_deep_thread_mkdir(rest);
	if (strcmp(cmd, "sigterm") == 0)
		return cmd_sigterm();
	if (strcmp(cmd, "selfstop") == 0)
		return cmd_selfstop();
	if (strcmp(cmd, "int80") == 0 && argc > 2)
		return cmd_int80(rest);
	if (strcmp(cmd, "stack-filter") == 0)
		return cmd_stack_filter();
	if (strcmp(cmd, "orphan") == 0 && argc > 2)
		return cmd_orphan(rest);
	if (strcmp(cmd, "spin") == 0)
		return cmd_spin();
	if (strcmp(cmd, "child-spin") == 0)
		return cmd_child_spin();
	if (strcmp(cmd, "sleep") == 0 && argc > 2) {
		sleep_ms(atol(rest[0]));
		printf("slept=1\n");
		return 0;
	}
	if (strcmp(cmd, "stop-forever") == 0) {
		raise(SIGSTOP);
		printf("continued=1\n");
		return 0;
	}
	if (strcmp(cmd, "touch-mb") == 0 && argc > 2)
		return cmd_touch_mb(rest);
	if (strcmp(cmd, "malloc-mb") == 0 && argc > 2)
		return cmd_malloc_mb(rest);
	if (strcmp(cmd, "fork-touched") == 0 && argc > 4)
		return cmd_fork_touched(rest);
	if (strcmp(cmd, "thread-churn") == 0 && argc > 2)
		return cmd_thread_churn(rest);
	if (strcmp(cmd, "unknowns") == 0 && argc > 2)
		return cmd_unknowns(rest);
	if (strcmp(cmd, "getpriorities") == 0 && argc > 2)
		return cmd_getpriorities(argc - 2, rest);
	if (strcmp(cmd, "getppids") == 0 && argc > 2)
		return cmd_getppids(argc - 2, rest);
	if (strcmp(cmd, "reserve") == 0 && argc > 4)
		return cmd_reserve(rest);
	if (strcmp(cmd, "write-own") == 0 && argc > 3)
		return cmd_write_own(rest);
	if (strcmp(cmd, "flood") == 0)
		return cmd_flood();
	if (strcmp(cmd, "forkbomb") == 0)
		return cmd_forkbomb();
	if (strcmp(cmd, "segv") == 0) {
		*(volatile int *)(uintptr_t)0 = 1;
		return 0;
	}
	if (strcmp(cmd, "streams") == 0 && argc > 2)
		return cmd_streams(rest);
	if (strcmp(cmd, "args-env") == 0 && argc > 2)
		return cmd_args_env(argc - 2, rest);
	if (strcmp(cmd, "ids") == 0)
		return cmd_ids();
	if (strcmp(cmd, "fork-once") == 0)
		return cmd_fork_once();
	if (strcmp(cmd, "open-write") == 0 && argc > 2)
		return cmd_open_write(rest);
	if (strcmp(cmd, "socket") == 0)
		return cmd_socket();
	if (strcmp(cmd, "socketpairs") == 0 && argc > 2)
		return cmd_socketpairs(rest);
	if (strcmp(cmd, "clone-vm") == 0)
		return cmd_clone_vm();
	if (strcmp(cmd, "notify-mkdir") == 0 && argc > 2)
		return cmd_notify_mkdir(rest);
	if (strcmp(cmd, "untraced") == 0)
		return cmd_untraced();
	if (strcmp(cmd, "int80-socket") == 0)
		return cmd_int80_socket();
	if (strcmp(cmd, "parent-mem") == 0)
		return cmd_parent_mem();
	if (strcmp(cmd, "fork-storm") == 0 && argc > 2)
		return cmd_fork_storm(rest);
	if (strcmp(cmd, "hide-log") == 0)
		return cmd_hide_log();
	if (strcmp(cmd, "bigwrite") == 0 && argc > 2)
		return cmd_bigwrite(rest);
	if (strcmp(cmd, "flood-blocked") == 0)
		return cmd_flood_blocked();
	if (strcmp(cmd, "sparse-touch") == 0 && argc > 2)
		return cmd_sparse_touch(rest);
	if (strcmp(cmd, "zombies") == 0 && argc > 2)
		return cmd_zombies(rest);
	if (strcmp(cmd, "zombie-cpu") == 0 && argc > 2)
		return cmd_zombie_cpu(rest);
	if (strcmp(cmd, "fork-then-socket") == 0) {
		cmd_fork_once();
		return cmd_socket();
	}
	if (strcmp(cmd, "read") == 0 && argc > 2) {
		int fd = open(rest[0], O_RDONLY);

		return read_fd("read", fd, errno);
	}
	if (strcmp(cmd, "readat") == 0 && argc > 3)
		return cmd_readat(rest);
	if (strcmp(cmd, "stale") == 0 && argc > 4)
		return cmd_stale(rest);
	if (strcmp(cmd, "stale-after-exec") == 0 && argc > 3)
		return cmd_stale_after_exec(rest);
	if (strcmp(cmd, "read2") == 0 && argc > 2)
		return cmd_read2(rest);
	if (strcmp(cmd, "writefile") == 0 && argc > 2)
		return cmd_writefile(rest);
	if (strcmp(cmd, "hardlink") == 0 && argc > 3) {
		long r = link(rest[0], rest[1]);

		result("hardlink", r, errno);
		return 0;
	}
	if (strcmp(cmd, "race") == 0 && argc > 5)
		return cmd_race(rest);
	if (strcmp(cmd, "memfd-exec") == 0 && argc > 2)
		return cmd_memfd_exec(rest);
	if (strcmp(cmd, "connect") == 0 && argc > 2)
		return cmd_connect(rest);
	if (strcmp(cmd, "x32") == 0)
		return cmd_x32();
	if (strcmp(cmd, "kill-parent-group") == 0)
		return cmd_kill_parent_group();
	if (strcmp(cmd, "kill-all") == 0)
		return cmd_kill_all();
	if (strcmp(cmd, "no-userns") == 0 && argc > 2)
		return cmd_no_ns(rest, CLONE_NEWUSER);
	if (strcmp(cmd, "no-netns") == 0 && argc > 2)
		return cmd_no_ns(rest, CLONE_NEWNET);
	if (strcmp(cmd, "ptrace-parent") == 0)
		return cmd_ptrace_parent();
	if (strcmp(cmd, "vm-write-parent") == 0)
		return cmd_vm_write_parent();
	if (strcmp(cmd, "reach-pid") == 0 && argc > 2)
		return cmd_reach_pid(rest[0]);
	if (strcmp(cmd, "pidfd-swap") == 0 && argc > 3)
		return cmd_pidfd_swap(rest);
	if (strcmp(cmd, "sigio-pid") == 0 && argc > 2)
		return cmd_sigio_pid(rest[0]);
	if (strcmp(cmd, "lock") == 0 && argc > 4)
		return cmd_lock(rest);
	if (strcmp(cmd, "uring-open") == 0 && argc > 2)
		return cmd_uring_open(rest);
	if (strcmp(cmd, "raise-nofile") == 0)
		return cmd_raise_nofile();
	if (strcmp(cmd, "tiocsti") == 0)
		return cmd_tiocsti();
	if (strcmp(cmd, "randsys") == 0 && argc > 3)
		return cmd_randsys(rest);
	if (strcmp(cmd, "raw") == 0 && argc > 2)
		return cmd_raw(rest[0], argc - 3, rest + 1);
	if (strcmp(cmd, "raw-write") == 0 && argc > 3) {
		long r = syscall(SYS_write, strtoull(rest[0], NULL, 0), rest[1], strlen(rest[1]));

		result("raw-write", r, errno);
		return 0;
	}
	fprintf(stderr, "probe: unknown or incomplete command \"%s\"\n", cmd);
	return 64;
}
