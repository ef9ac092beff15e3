/* SPDX-License-Identifier: MIT */
/*
 * notif_floor N: the floor of one supervisor decision made through a seccomp
 * user notification. A child loads a filter that returns USER_NOTIF for
 * getppid (allow for the rest) with SECCOMP_FILTER_FLAG_NEW_LISTENER, hands
 * the listener to the parent over a unix socket and makes N getppid() calls.
 * The parent, a separate process as a supervisor is, marks the listener
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP and answers each notification with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE, nothing more. The child prints the cost
 * of one call in nanoseconds, timed around its loop only (as getppid_loop).
 *
 * Exit 77 with a line on stderr when the kernel lacks user notifications or
 * the sync wake-up (Linux 6.6): the row is skipped, not measured without it.
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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Debian 12's headers predate Linux 6.6. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#define SKIP 77

/* Loads the getppid USER_NOTIF filter; returns the listener or -1. */
static int load_filter(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(code) / sizeof(code[0]), code};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			    &prog);
}

/* Sends |fd| over the unix socket |sock|; 0 or -1. */
static int send_fd(int sock, int fd)
{
	char byte = 0, buf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = buf,
			     .msg_controllen = sizeof(buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* Receives a descriptor sent by send_fd(); the fd or -1 (none sent). */
static int recv_fd(int sock)
{
	char byte, buf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = buf,
			     .msg_controllen = sizeof(buf)};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The traced side: the filter, the listener handed over, then the loop
 * once the parent says go (a byte on |sock|). Exit status for _exit. */
static int child(int sock, long n)
{
	struct timespec a, b;
	char go;
	int fd = load_filter();

	if (fd < 0) {
		fprintf(stderr, "notif_floor: no user notification listener: %s\n",
			strerror(errno));
		return SKIP; /* the parent reads no descriptor */
	}
	if (send_fd(sock, fd) < 0)
		return 2;
	close(fd);
	if (read(sock, &go, 1) != 1)
		return SKIP; /* the parent gave up: it said why */
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.2f\n",
	       n > 0 ? ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) /
			       (double)n
		     : 0.0);
	return fflush(stdout) == 0 ? 0 : 2; /* the caller _exits: no stdio flush */
}

/* The supervisor's side: answer |n| notifications on |fd| with CONTINUE.
 * 0, or -1 with errno. */
static int answer(int fd, long n)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	for (long i = 0; i < n; i++) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR)
				i--;
			else
				return -1;
			continue;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	int sv[2], fd, status, rc = 0;
	pid_t pid;

	if (n <= 0) {
		fprintf(stderr, "usage: notif_floor N\n");
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(sv[0]);
		_exit(child(sv[1], n));
	}
	close(sv[1]);
	alarm(120); /* a child that died mid-loop must not hang the benchmark */
	fd = recv_fd(sv[0]);
	if (fd < 0) {
		rc = SKIP; /* the child said why */
	} else if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
			 (unsigned long long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0) {
		fprintf(stderr,
			"notif_floor: no SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6): %s\n",
			strerror(errno));
		rc = SKIP;
	} else if (write(sv[0], "g", 1) != 1 || answer(fd, n) < 0) {
		fprintf(stderr, "notif_floor: %s\n", strerror(errno));
		rc = 1;
	}
	/* A child still waiting for "go" ends (SKIP); one still in its loop
	 * gets ENOSYS from each getppid once the listener is closed. */
	close(sv[0]);
	if (fd >= 0)
		close(fd);
	if (waitpid(pid, &status, 0) != pid)
		return 2;
	if (rc)
		return rc;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
