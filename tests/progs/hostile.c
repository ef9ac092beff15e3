/* SPDX-License-Identifier: MIT */
/*
 * hostile - attacks on the host, for tests/test_isolation.c. Each
 * subcommand tries one way to reach outside the sandbox and prints what
 * happened as "name=RET errno=NAME" lines, so a test can run it bare first
 * (it must work there) and then sandboxed (it must not). Built without
 * sanitizers.
 *
 *   hostile setown-kill PID       SIGKILL PID through F_SETOWN + F_SETSIG + O_ASYNC on a pipe
 *   hostile dnotify-kill DIR PID  SIGKILL PID through F_NOTIFY on DIR, then create a file in it
 *   hostile pidfd-kill PID        open /proc/PID as a pidfd and SIGKILL through it
 *   hostile kill PID SIG          kill(PID, SIG)
 *   hostile renice PID            setpriority(PRIO_PROCESS, PID, 19)
 *   hostile oom-adj PID           write 1000 to /proc/PID/oom_score_adj
 *   hostile proc-mem PID          open /proc/PID/mem for writing
 *   hostile proc-environ PID WORD read /proc/PID/environ: print found=1 when it holds WORD
 *   hostile count-procs           print procs=N: the processes in /proc
 *   hostile read PATH             read PATH: print read=BYTES (or -1) and the first line
 *   hostile create PATH           create PATH (O_CREAT|O_EXCL) and write a line
 *   hostile append PATH           append a line to PATH
 *   hostile open-write PATH       open PATH O_WRONLY (writes nothing)
 *   hostile unix-connect PATH     connect to a pathname unix socket
 *   hostile abstract-connect NAME connect to the abstract unix socket @NAME
 *   hostile tcp-loopback          listen on 127.0.0.1 and connect to it: print loopback=1
 *   hostile socket FAMILY         socket(FAMILY, SOCK_STREAM, 0): print socket=FD
 *   hostile sysv-write KEY        attach the SysV segment KEY and write "hostile" in it
 *   hostile sysv-leave KEY        create a SysV segment KEY and leave it behind
 *   hostile shm-leave NAME        create /dev/shm/NAME and leave it behind
 *   hostile memfd-exec PROG ARG   run PROG from a memfd through execve("/proc/self/fd/N")
 *   hostile uffd-open             openat() a path that lies on a userfaultfd page nobody serves
 *   hostile uffd-reader           show process_vm_readv hanging on such a page (bare only)
 *   hostile burn-ignored N MS     ignore SIGCHLD, run N children that burn MS ms of CPU each
 *   hostile memfd-hold MB         hold MB MiB in a memfd (fallocate), unmapped, for 3 s
 *   hostile file-hold PATH MB     write MB MiB to PATH, then hold it for 3 s
 *   hostile env NAME              print env=VALUE or env=(unset)
 *   hostile stop-tty-then-call    stop the terminal on stderr (tcflow TCOOFF), then call
 *                                 getppid for ever (a logged call gives the supervisor lines)
 *   hostile write-report PATH     overwrite PATH with a forged report, then sleep 0.3 s
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

static const char *ename(int e)
{
	static char other[32];

	switch (e) {
	case 0:
		return "0";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case ESRCH:
		return "ESRCH";
	case EACCES:
		return "EACCES";
	case EROFS:
		return "EROFS";
	case EEXIST:
		return "EEXIST";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case EINVAL:
		return "EINVAL";
	case ENOSYS:
		return "ENOSYS";
	}
	snprintf(other, sizeof(other), "errno%d", e);
	return other;
}

static int result(const char *what, long ret)
{
	int err = errno;

	printf("%s=%ld errno=%s\n", what, ret, ret < 0 ? ename(err) : "0");
	fflush(stdout);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The kernel sends SIGIO (here: SIGKILL) to a pipe reader's owner when data arrives. */
static int setown_kill(pid_t victim)
{
	int p[2];
	long r;

	if (pipe(p) < 0)
		return result("pipe", -1);
	r = fcntl(p[0], F_SETOWN, victim);
	result("setown", r);
	if (r < 0)
		return 0;
	fcntl(p[0], F_SETSIG, SIGKILL);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC);
	return result("write", write(p[1], "x", 1));
}

/* dnotify signals the directory descriptor's owner when something is made in it. */
static int dnotify_kill(const char *dir, pid_t victim)
{
	char path[4096];
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	long r;

	if (fd < 0)
		return result("open-dir", -1);
	fcntl(fd, F_SETSIG, SIGKILL);
	r = fcntl(fd, F_NOTIFY, DN_CREATE | DN_MULTISHOT);
	result("notify", r);
	r = fcntl(fd, F_SETOWN, victim);
	result("setown", r);
	if (r < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/dnotify-%d", dir, (int)getpid());
	r = open(path, O_WRONLY | O_CREAT, 0600);
	result("create", r);
	unlink(path);
	return 0;
}

static int pidfd_kill(pid_t victim)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d", (int)victim);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	result("open-proc", fd);
	if (fd < 0)
		return 0;
	return result("pidfd-send", syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0));
}

static int write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	int fd;
	long r;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY);
	result("open", fd);
	if (fd < 0 || !text)
		return 0;
	r = write(fd, text, strlen(text));
	return result("write", r);
}

static int proc_environ(pid_t pid, const char *word)
{
	char path[64], buf[65536];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	fd = open(path, O_RDONLY);
	result("open", fd);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	result("read", n);
	printf("found=%d\n", n > 0 && memmem(buf, (size_t)n, word, strlen(word)) != NULL);
	return 0;
}

static int count_procs(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += de->d_name[0] >= '1' && de->d_name[0] <= '9';
	if (d)
		closedir(d);
	printf("procs=%d\n", n);
	return 0;
}

static int read_file(const char *path)
{
	char buf[4096] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return result("read", -1);
	n = read(fd, buf, sizeof(buf) - 1);
	result("read", n);
	if (n > 0) {
		buf[n] = '\0';
		printf("first=%.*s\n", (int)strcspn(buf, "\n"), buf);
	}
	return 0;
}

static int write_line(const char *path, int flags)
{
	int fd = open(path, O_WRONLY | flags, 0644);
	long r;

	result("open", fd);
	if (fd < 0)
		return 0;
	r = write(fd, "written by hostile\n", 19);
	return result("write", r);
}

static int unix_connect(const char *name, bool abstract)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return result("socket", -1);
	if (abstract) {
		snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "%s", name);
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	} else {
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", name);
		len = sizeof(sa);
	}
	return result("connect", connect(fd, (struct sockaddr *)&sa, len));
}

static int tcp_loopback(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), c, a;
	char byte = 0;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&sa, &len) < 0)
		return result("listen", -1);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return result("connect", -1);
	a = accept(l, NULL, NULL);
	if (a < 0 || write(c, "y", 1) != 1 || read(a, &byte, 1) != 1)
		return result("transfer", -1);
	printf("loopback=%d\n", byte == 'y');
	return 0;
}

static int sysv_write(key_t key)
{
	int id = shmget(key, 0, 0);
	char *p;

	result("shmget", id);
	if (id < 0)
		return 0;
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return result("shmat", -1);
	strcpy(p, "hostile");
	shmdt(p);
	printf("wrote=1\n");
	return 0;
}

static int sysv_leave(key_t key)
{
	return result("shmget", shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600));
}

static int shm_leave(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "/dev/shm/%s", name);
	return result("create", open(path, O_WRONLY | O_CREAT | O_EXCL, 0600));
}

static int memfd_exec(const char *prog, char *arg)
{
	char path[64], buf[65536];
	char *argv[] = {(char *)prog, arg, NULL};
	int in = open(prog, O_RDONLY), fd = (int)syscall(SYS_memfd_create, "hostile", 0);
	ssize_t n;

	result("memfd", fd);
	if (in < 0 || fd < 0)
		return 0;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return result("copy", -1);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	execve(path, argv, NULL);
	return result("exec", -1);
}

#ifndef USERFAULTFD_IOC_NEW
#define USERFAULTFD_IOC_NEW _IO(0xAA, 0x00) /* /dev/userfaultfd, Linux 6.1 */
#endif

/*
 * A userfaultfd that also catches the kernel's own accesses: the system
 * call needs CAP_SYS_PTRACE (vm.unprivileged_userfaultfd is 0), but
 * /dev/userfaultfd only needs permission to open it (root, caps or not).
 */
static int make_uffd(void)
{
	int u = (int)syscall(SYS_userfaultfd, O_CLOEXEC), dev;

	if (u >= 0)
		return u;
	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -1;
	u = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
	close(dev);
	return u;
}

/* A page registered with userfaultfd and never served: any read of it waits. */
static char *uffd_page(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int u = make_uffd();
	struct uffdio_api api = {.api = UFFD_API};
	char *m;

	result("userfaultfd", u);
	if (u < 0 || ioctl(u, UFFDIO_API, &api) < 0)
		return NULL;
	m = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	struct uffdio_register reg = {.range = {(unsigned long)m, (unsigned long)page},
				      .mode = UFFDIO_REGISTER_MODE_MISSING};
	if (ioctl(u, UFFDIO_REGISTER, &reg) < 0) {
		result("register", -1);
		return NULL;
	}
	return m;
}

static int uffd_open(void)
{
	char *m = uffd_page();

	if (!m)
		return 0;
	printf("opening=1\n");
	fflush(stdout);
	/* The supervisor decodes the path first; then this thread itself waits in the fault. */
	return result("open", syscall(SYS_openat, AT_FDCWD, m, O_RDONLY));
}

/* What a supervisor reading with process_vm_readv meets: a reader that never returns. */
static int uffd_reader(void)
{
	int go[2];
	char *m;
	pid_t owner, reader;
	int status;

	if (pipe(go) < 0)
		return result("pipe", -1);
	owner = fork();
	if (owner == 0) {
		m = uffd_page();
		if (write(go[1], &m, sizeof(m)) != sizeof(m))
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(go[0], &m, sizeof(m)) != sizeof(m) || !m) {
		kill(owner, SIGKILL);
		waitpid(owner, NULL, 0);
		return result("setup", -1);
	}
	reader = fork();
	if (reader == 0) {
		char buf[8];
		struct iovec local = {buf, sizeof(buf)}, remote = {m, sizeof(buf)};

		_exit(process_vm_readv(owner, &local, 1, &remote, 1, 0) < 0 ? 1 : 0);
	}
	for (int i = 0; i < 100 && waitpid(reader, &status, WNOHANG) == 0; i++)
		sleep_ms(10);
	printf("reader-hung=%d\n", waitpid(reader, &status, WNOHANG) == 0);
	kill(reader, SIGKILL);
	kill(owner, SIGKILL);
	waitpid(reader, NULL, 0);
	waitpid(owner, NULL, 0);
	return 0;
}

static void burn_ms(long ms)
{
	struct timespec t0, t;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	(void)x; /* read once: the sum is the work, not a result */
}

/* Children reaped by the kernel (SIGCHLD ignored): their CPU reaches no one's rusage. */
static int burn_ignored(int n, long ms)
{
	int done[2];
	char byte;

	signal(SIGCHLD, SIG_IGN);
	if (pipe(done) < 0)
		return result("pipe", -1);
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			close(done[0]);
			burn_ms(ms);
			_exit(0);
		}
	}
	close(done[1]);
	while (read(done[0], &byte, 1) > 0)
		;
	printf("burned=%d\n", n);
	return 0;
}

static int memfd_hold(long mb)
{
	int fd = (int)syscall(SYS_memfd_create, "hold", 0);

	result("memfd", fd);
	if (fd < 0)
		return 0;
	result("fallocate", fallocate(fd, 0, 0, (off_t)mb << 20));
	sleep_ms(3000);
	printf("held=1\n");
	return 0;
}

static int file_hold(const char *path, long mb)
{
	static char chunk[1 << 20];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	result("open", fd);
	if (fd < 0)
		return 0;
	memset(chunk, 'h', sizeof(chunk));
	for (long i = 0; i < mb; i++)
		if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
			return result("write", -1);
	sleep_ms(3000);
	printf("held=1\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	char **a = argv + 2;
	int n = argc - 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "setown-kill") == 0 && n == 1)
		return setown_kill(atoi(a[0]));
	if (strcmp(cmd, "dnotify-kill") == 0 && n == 2)
		return dnotify_kill(a[0], atoi(a[1]));
	if (strcmp(cmd, "pidfd-kill") == 0 && n == 1)
		return pidfd_kill(atoi(a[0]));
	if (strcmp(cmd, "kill") == 0 && n == 2)
		return result("kill", kill(atoi(a[0]), atoi(a[1])));
	if (strcmp(cmd, "renice") == 0 && n == 1)
		return result("renice", setpriority(PRIO_PROCESS, (id_t)atoi(a[0]), 19));
	if (strcmp(cmd, "oom-adj") == 0 && n == 1)
		return write_proc(atoi(a[0]), "oom_score_adj", "1000");
	if (strcmp(cmd, "proc-mem") == 0 && n == 1)
		return write_proc(atoi(a[0]), "mem", NULL);
	if (strcmp(cmd, "proc-environ") == 0 && n == 2)
		return proc_environ(atoi(a[0]), a[1]);
	if (strcmp(cmd, "count-procs") == 0)
		return count_procs();
	if (strcmp(cmd, "read") == 0 && n == 1)
		return read_file(a[0]);
	if (strcmp(cmd, "create") == 0 && n == 1)
		return write_line(a[0], O_CREAT | O_EXCL);
	if (strcmp(cmd, "append") == 0 && n == 1)
		return write_line(a[0], O_APPEND);
	if (strcmp(cmd, "open-write") == 0 && n == 1)
		return result("open-write", open(a[0], O_WRONLY));
	if (strcmp(cmd, "unix-connect") == 0 && n == 1)
		return unix_connect(a[0], false);
	if (strcmp(cmd, "abstract-connect") == 0 && n == 1)
		return unix_connect(a[0], true);
	if (strcmp(cmd, "tcp-loopback") == 0)
		return tcp_loopback();
	if (strcmp(cmd, "socket") == 0 && n == 1)
		return result("socket", socket(atoi(a[0]), SOCK_STREAM, 0));
	if (strcmp(cmd, "sysv-write") == 0 && n == 1)
		return sysv_write((key_t)atoi(a[0]));
	if (strcmp(cmd, "sysv-leave") == 0 && n == 1)
		return sysv_leave((key_t)atoi(a[0]));
	if (strcmp(cmd, "shm-leave") == 0 && n == 1)
		return shm_leave(a[0]);
	if (strcmp(cmd, "memfd-exec") == 0 && n == 2)
		return memfd_exec(a[0], a[1]);
	if (strcmp(cmd, "uffd-open") == 0)
		return uffd_open();
	if (strcmp(cmd, "uffd-reader") == 0)
		return uffd_reader();
	if (strcmp(cmd, "burn-ignored") == 0 && n == 2)
		return burn_ignored(atoi(a[0]), atol(a[1]));
	if (strcmp(cmd, "memfd-hold") == 0 && n == 1)
		return memfd_hold(atol(a[0]));
	if (strcmp(cmd, "file-hold") == 0 && n == 2)
		return file_hold(a[0], atol(a[1]));
	if (strcmp(cmd, "stop-tty-then-call") == 0) {
		result("tcflow", tcflow(2, TCOOFF));
		for (;;)
			syscall(SYS_getppid);
	}
	if (strcmp(cmd, "env") == 0 && n == 1) {
		printf("env=%s\n", getenv(a[0]) ? getenv(a[0]) : "(unset)");
		return 0;
	}
	if (strcmp(cmd, "write-report") == 0 && n == 1) {
		write_line(a[0], O_CREAT | O_TRUNC);
		sleep_ms(300);
		return 0;
	}
	fprintf(stderr, "hostile: unknown command or arguments: %s\n", cmd);
	return 2;
}
