/* SPDX-License-Identifier: MIT */
/*
 * nsinit.c - the sandbox's init (nsinit.h), in a fixed order:
 *
 *   1. wait for the supervisor: it wrote our id maps, seized us, and sent
 *      the idmapped mount trees of the writable binds;
 *   2. die with the supervisor (PR_SET_PDEATHSIG);
 *   3. take the sandbox's ids inside our user namespace (files we create
 *      on our tmpfs mounts must be owned by a mapped id);
 *   4. hostname, loopback;
 *   5. the new root: our mounts private, a staging tmpfs with the host
 *      at /oldroot, the plan's operations under /newroot, the host
 *      detached, /newroot pivoted into "/";
 *   6. tell the supervisor the root is ready, with the writable tmpfs
 *      mounts it measures; with a policy that has filesystem rules, receive
 *      its Landlock ruleset (it resolves the policy's paths in our view);
 *   7. the Landlock isolation layer (writes only where the plan grants);
 *   8. start the program (PID 2) with child.c's start-up;
 *   9. drop every capability, then reap until the program is gone.
 *
 * A failing step writes {stage, errno, detail} on the error pipe and exits.
 */
#include "nsinit.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/mount.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "landlock.h"

#define MAX_PATH 4096

static _Noreturn void fail(const struct init_spec *s, enum child_stage stage, int err, int detail)
{
	child_fail(s->err_fd, stage, err, detail);
}

/* One message of one byte, with up to |max| descriptors; returns the byte or -1. */
static int receive(int sock, int *fds, size_t max, size_t *ret_n)
{
	char byte;
	char control[CMSG_SPACE(sizeof(int) * ISOLATE_MAX_TREES)];
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	ssize_t n;

	*ret_n = 0;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		size_t count;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*ret_n < max)
				fds[(*ret_n)++] = fd;
			else
				close(fd);
		}
	}
	return (unsigned char)byte;
}

/* mkdir -p of |path| (a full path under /newroot); existing directories are fine. */
static int make_dirs(const char *path)
{
	char buf[MAX_PATH];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int make_file(const char *path)
{
	char parent[MAX_PATH];
	char *slash;
	int fd;

	if (strlen(path) >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, path, strlen(path) + 1);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (make_dirs(parent) < 0)
			return -errno;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0444);
	if (fd < 0)
		return errno == EEXIST || errno == EROFS || errno == EISDIR ? 0 : -errno;
	close(fd);
	return 0;
}

static int set_attr(const char *path, uint64_t attr, bool recursive)
{
	struct mount_attr a = {.attr_set = attr};

	if (!attr)
		return 0;
	return syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &a,
		       sizeof(a)) < 0
		       ? -errno
		       : 0;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text), n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, (size_t)len);
	close(fd);
	return n == len ? 0 : -errno;
}

/* An empty unreadable file or directory over |dst|, whichever |dst| is. */
static int mask(const char *dst)
{
	struct stat st;

	if (lstat(dst, &st) < 0)
		return -errno;
	if (mount(S_ISDIR(st.st_mode) ? "/maskdir" : "/maskfile", dst, NULL, MS_BIND, NULL) < 0)
		return -errno;
	return set_attr(dst, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				     MOUNT_ATTR_NOEXEC,
			false);
}

static int run_op(const struct mount_op *o, const int *trees, size_t n_trees)
{
	switch (o->kind) {
	case MOP_DIR:
		return make_dirs(o->dst);
	case MOP_FILE:
		return make_file(o->dst);
	case MOP_SYMLINK:
		return symlink(o->data, o->dst) < 0 && errno != EEXIST ? -errno : 0;
	case MOP_BIND:
		if (mount(o->src, o->dst, NULL, MS_BIND | MS_REC, NULL) < 0)
			return -errno;
		return set_attr(o->dst, o->attr, true);
	case MOP_TREE:
		if (o->tree < 0 || (size_t)o->tree >= n_trees)
			return -EBADF;
		return syscall(SYS_move_mount, trees[o->tree], "", AT_FDCWD, o->dst,
			       MOVE_MOUNT_F_EMPTY_PATH) < 0
			       ? -errno
			       : 0;
	case MOP_TMPFS:
		if (mount("tmpfs", o->dst, "tmpfs", MS_NOSUID | MS_NODEV, o->data) < 0)
			return -errno;
		return set_attr(o->dst, o->attr, false);
	case MOP_PROC:
		return mount("proc", o->dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0
			       ? -errno
			       : 0;
	case MOP_DEVPTS:
		return mount("devpts", o->dst, "devpts", MS_NOSUID | MS_NOEXEC, o->data) < 0
			       ? -errno
			       : 0;
	case MOP_MASK:
		return mask(o->dst);
	case MOP_READONLY:
		return set_attr(o->dst, MOUNT_ATTR_RDONLY, false);
	case MOP_WRITE:
		return write_text(o->dst, o->data);
	}
	return -EINVAL;
}

/*
 * The staging root: a tmpfs over the plan's base directory, pivoted into,
 * with the host under /oldroot and the sandbox's root mounted at /newroot.
 */
static void stage(const struct init_spec *s)
{
	int fd;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", s->plan->base, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") <
		    0 ||
	    chdir(s->plan->base) < 0 || mkdir("newroot", 0755) < 0 || mkdir("oldroot", 0755) < 0 ||
	    mkdir("maskdir", 0) < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 0);
	fd = open("maskfile", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 1);
	close(fd);
	if (syscall(SYS_pivot_root, ".", "oldroot") < 0 || chdir("/") < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 2);
	if (mount("tmpfs", "/newroot", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 3);
}

/* The sandbox's root made read-only, the host detached, /newroot become "/". */
static void enter(const struct init_spec *s)
{
	int old = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);

	if (old < 0 || set_attr("/newroot", MOUNT_ATTR_RDONLY, false) < 0 ||
	    umount2("/oldroot", MNT_DETACH) < 0 || chdir("/newroot") < 0 ||
	    syscall(SYS_pivot_root, ".", ".") < 0 || fchdir(old) < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 4);
	close(old);
}

/* Whether |o| mounts one of the writable tmpfs the supervisor measures. */
static bool measured(const struct isolation_plan *p, const struct mount_op *o)
{
	for (size_t i = 0; o->kind == MOP_TMPFS && i < p->n_tmpfs; i++)
		if (p->tmpfs[i] == o->what)
			return true;
	return false;
}

/*
 * Carry out the plan. The measured tmpfs mounts are opened as soon as they
 * are made (|tmpfs|, |n_tmpfs|), before anything can be bound over them.
 */
static void build_root(const struct init_spec *s, const int *trees, size_t n_trees, int *tmpfs,
		       size_t *n_tmpfs)
{
	const struct isolation_plan *p = s->plan;

	stage(s);
	for (size_t i = 0; i < p->n_ops; i++) {
		int r = run_op(&p->ops[i], trees, n_trees);

		if (r < 0 && !(p->ops[i].optional && (r == -ENOENT || r == -EACCES ||
						      r == -EPERM || r == -EROFS)))
			fail(s, CHILD_STAGE_MOUNT, -r, (int)i);
		if (r == 0 && measured(p, &p->ops[i]) && *n_tmpfs < ISOLATE_MAX_GRANTS) {
			int fd = open(p->ops[i].dst, O_PATH | O_DIRECTORY | O_CLOEXEC);

			if (fd >= 0)
				tmpfs[(*n_tmpfs)++] = fd;
		}
	}
	for (size_t i = 0; i < n_trees; i++)
		close(trees[i]);
	enter(s);
}

static void take_ids(const struct init_spec *s)
{
	const struct isolation_plan *p = s->plan;

	if (setresgid(p->gid, p->gid, p->gid) < 0)
		fail(s, CHILD_STAGE_INIT_IDS, errno, 0);
	if (p->init_setgroups && setgroups(0, NULL) < 0)
		fail(s, CHILD_STAGE_INIT_IDS, errno, 1);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		fail(s, CHILD_STAGE_INIT_IDS, errno, 2);
}

static void loopback_up(const struct init_spec *s)
{
	struct ifreq ifr = {0};
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memcpy(ifr.ifr_name, "lo", 3);
	if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		fail(s, CHILD_STAGE_NET, errno, 0);
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		fail(s, CHILD_STAGE_NET, errno, 1);
	close(sock);
}

/*
 * The root is ready: say so, with the writable tmpfs mounts open for the
 * supervisor to measure (it could not open them through /proc/INIT/root
 * once we are no longer dumpable, unless it is root).
 */
static void ready(const struct init_spec *s, const int *fds, size_t n)
{
	char byte = NSINIT_READY;
	char control[CMSG_SPACE(sizeof(int) * ISOLATE_MAX_GRANTS)] = {0};
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

	if (n) {
		struct cmsghdr *cm;

		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	}
	if (sendmsg(s->sync_fd, &msg, MSG_NOSIGNAL) != 1)
		fail(s, CHILD_STAGE_SYNC, errno, 1);
}

/* Steps 6 and 7: the rulesets the program enforces. */
static void rulesets(struct init_spec *s, const int *tmpfs, size_t n_tmpfs)
{
	const struct isolation_plan *p = s->plan;
	const char *paths[ISOLATE_MAX_GRANTS];
	uint64_t rights[ISOLATE_MAX_GRANTS];
	size_t n;
	int fd, index;

	ready(s, tmpfs, n_tmpfs);
	for (size_t i = 0; i < n_tmpfs; i++)
		close(tmpfs[i]);
	if (s->wait_ruleset) {
		if (receive(s->sync_fd, &fd, 1, &n) < 0)
			_exit(126); /* the supervisor is gone */
		s->program->landlock_fd = n ? fd : -1;
	}
	if (!p->ll_handled)
		return;
	for (size_t i = 0; i < p->n_grants; i++) {
		paths[i] = p->grants[i].path;
		rights[i] = p->grants[i].rights;
	}
	fd = landlock_child_ruleset(p->ll_handled, p->ll_scoped, paths, rights, p->n_grants,
				    &index);
	if (fd < 0)
		fail(s, CHILD_STAGE_INIT_LANDLOCK, -fd, index);
	s->program->landlock_iso_fd = fd;
	s->program->landlock_stdio_rights = p->ll_handled;
}

/* After the program started: nothing the program could borrow, then reap. */
static _Noreturn void reap(const struct init_spec *s, pid_t program)
{
	int status = 0, code;
	pid_t pid;

	close_range(0, ~0U, 0);
	if (cap_set_proc(s->caps_none) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_DUMPABLE, 0) < 0)
		_exit(126);
	for (;;) {
		pid = waitpid(-1, &status, __WALL);
		if (pid == program || (pid < 0 && errno == ECHILD))
			break;
	}
	/* The program's status, for whoever looks; the kernel now kills the rest. */
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	_exit(code);
}

_Noreturn void nsinit_run(struct init_spec *s)
{
	const struct isolation_plan *p = s->plan;
	int trees[ISOLATE_MAX_TREES], tmpfs[ISOLATE_MAX_GRANTS];
	size_t n_trees = 0, n_tmpfs = 0;
	pid_t pid;

	/* 1-2. Seized, maps written, trees received; die with the supervisor. */
	if (receive(s->sync_fd, trees, ISOLATE_MAX_TREES, &n_trees) != NSINIT_GO)
		_exit(126);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		fail(s, CHILD_STAGE_SYNC, errno, 0);

	/* 3-4. */
	take_ids(s);
	if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
		fail(s, CHILD_STAGE_HOSTNAME, errno, 0);
	if (p->net_up)
		loopback_up(s);

	/* 5-7. */
	build_root(s, trees, n_trees, tmpfs, &n_tmpfs);
	rulesets(s, tmpfs, n_tmpfs);

	/* 8. The program: a fork-like clone, traced from its first instruction (TRACEFORK). */
	pid = (pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0)
		fail(s, CHILD_STAGE_FORK, errno, 0);
	if (pid == 0) {
		close(s->sync_fd);
		child_run(s->program);
	}
	/* 9. */
	reap(s, pid);
}
