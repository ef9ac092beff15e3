/* SPDX-License-Identifier: MIT */
/*
 * naive_tracer [--follow] NR PROG [ARGS...]: the textbook seccomp tracer,
 * the baseline for a traced call. The child asks to be traced, stops, loads
 * a filter that returns TRACE for system call NR (allow for the rest) and
 * execs PROG; the parent waits for each stop and continues it, nothing
 * more. With --follow it also follows every process and thread PROG starts
 * (PTRACE_O_TRACEFORK, VFORK, CLONE), as any supervisor that must see a
 * whole tree does: the floor of the stops a new process costs.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(unsigned int nr, char **argv)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(insns) / sizeof(insns[0]), .filter = insns};

	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		_exit(126);
	execv(argv[0], argv);
	_exit(127);
}

/* The tasks seen stopped once: a new one's first SIGSTOP is the attach's, not a signal. */
#define SEEN_SLOTS 65536
static pid_t seen[SEEN_SLOTS];

static bool first_stop(pid_t pid)
{
	for (unsigned int i = (unsigned int)pid % SEEN_SLOTS;; i = (i + 1) % SEEN_SLOTS) {
		if (seen[i] == pid)
			return false;
		if (seen[i] == 0) {
			seen[i] = pid;
			return true;
		}
	}
}

int main(int argc, char **argv)
{
	long options = PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC;
	bool follow = argc > 1 && strcmp(argv[1], "--follow") == 0;
	int status, code = 0;
	pid_t pid, got;

	if (follow) {
		options |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
		argv++;
		argc--;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: naive_tracer [--follow] NR PROG [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		child((unsigned int)atoi(argv[1]), argv + 2);
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return 2;
	first_stop(pid);
	ptrace(PTRACE_SETOPTIONS, pid, 0, options);
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (;;) {
		int sig = 0;

		got = waitpid(follow ? -1 : pid, &status, __WALL);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			return 2;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (got == pid)
				code = WIFEXITED(status) ? WEXITSTATUS(status)
							 : 128 + WTERMSIG(status);
			if (got == pid && !follow)
				break;
			continue;
		}
		/*
		 * An event carries no signal, nor does a followed task's first
		 * stop (its SIGSTOP); anything else is delivered.
		 */
		if (WIFSTOPPED(status) && (status >> 16) == 0 && WSTOPSIG(status) != SIGTRAP &&
		    !(first_stop(got) && WSTOPSIG(status) == SIGSTOP))
			sig = WSTOPSIG(status);
		ptrace(PTRACE_CONT, got, 0, sig);
	}
	return code;
}
