/* SPDX-License-Identifier: MIT */
/*
 * naive_tracer NR PROG [ARGS...]: the textbook seccomp tracer, the baseline
 * for a traced call. The child asks to be traced, stops, loads a filter that
 * returns TRACE for system call NR (allow for the rest) and execs PROG; the
 * parent waits for each stop and continues it, nothing more.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
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

int main(int argc, char **argv)
{
	int status, code = 0;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: naive_tracer NR PROG [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		child((unsigned int)atoi(argv[1]), argv + 2);
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return 2;
	ptrace(PTRACE_SETOPTIONS, pid, 0,
	       PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC);
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (;;) {
		int sig = 0;

		if (waitpid(pid, &status, 0) != pid) {
			if (errno == EINTR)
				continue;
			return 2;
		}
		if (WIFEXITED(status)) {
			code = WEXITSTATUS(status);
			break;
		}
		if (WIFSIGNALED(status)) {
			code = 128 + WTERMSIG(status);
			break;
		}
		/* A seccomp or exec event carries no signal; anything else is delivered. */
		if (WIFSTOPPED(status) && (status >> 16) == 0 && WSTOPSIG(status) != SIGTRAP)
			sig = WSTOPSIG(status);
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
	return code;
}
