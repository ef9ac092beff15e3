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
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
	default:
		return "other";
	}
}

static void result(const char *what, long ret, int err)
{
	printf("%s=%ld errno=%s\n", what, ret, ret < 0 ? ename(err) : "0");
	fflush(stdout);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
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
	long nr = strcmp(argv[0], "fork") == 0 ? 2 : 20; /* i386 fork, getpid */
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	if (ret == 0 && nr == 2)
		_exit(0); /* the child of a successful fork */
	printf("int80=%ld\n", ret);
	return 0;
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
	pid_t child = fork();

	if (child == 0) {
		pid_t grandchild;

		setsid();
		grandchild = fork();
		if (grandchild == 0) {
			FILE *f;

			printf("orphan=%d\n", getpid());
			fflush(stdout);
			sleep_ms(1000);
			f = fopen(argv[0], "w");
			if (f) {
				fputs("escaped\n", f);
				fclose(f);
			}
			_exit(0);
		}
		_exit(0);
	}
	wait_all();
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
	fprintf(stderr, "probe: unknown or incomplete command \"%s\"\n", cmd);
	return 64;
}
