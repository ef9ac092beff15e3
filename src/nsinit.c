/* SPDX-License-Identifier: MIT */
/*
 * nsinit.c - the sandbox's init (nsinit.h), in a fixed order:
 *
 *   1. the network namespace and its loopback (the clone() made every
 *      other namespace), while the supervisor writes our id maps, seizes
 *      us, and sends the idmapped mount trees of the writable binds;
 *      then wait for that (GO);
 *   2. die with the supervisor (PR_SET_PDEATHSIG);
 *   3. take the sandbox's ids inside our user namespace (files we create
 *      on our tmpfs mounts must be owned by a mapped id);
 *   4. hostname;
 *   5. the new root: our mounts private, a staging tmpfs with the host
 *      at /oldroot, the plan's operations under /newroot, /newroot
 *      pivoted into "/" and the staging root with the host detached;
 *   6. tell the supervisor the root is ready (READY), with the writable
 *      tmpfs mounts it measures; receive START: the program's seccomp
 *      filter, compiled meanwhile, and the policy's Landlock ruleset when
 *      it has filesystem or network rules (resolved in our view);
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
#include <linux/openat2.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
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

/*
 * One message: its first byte (returned; -1 when the supervisor is gone,
 * -2 when the message did not fit), up to |size| more bytes into |data|
 * (|ret_len| of them; |data| may be NULL) and up to |max| descriptors
 * (|ret_n| of them; the rest closed).
 */
static int receive(int sock, int *fds, size_t max, size_t *ret_n, void *data, size_t size,
		   size_t *ret_len)
{
	char byte;
	char control[CMSG_SPACE(sizeof(int) * ISOLATE_MAX_TREES)];
	struct iovec iov[2] = {{&byte, 1}, {data, data ? size : 0}};
	struct msghdr msg = {.msg_iov = iov,
			     .msg_iovlen = 2,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	ssize_t n;

	if (ret_len)
		*ret_len = 0;
	*ret_n = 0;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 1)
		return -1;
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		n = -2; /* its descriptors are still closed below */
	if (ret_len)
		*ret_len = (size_t)n - 1;
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
	return n == -2 ? -2 : (unsigned char)byte;
}

/*
 * Paths of the plan are resolved from two roots opened once the staging
 * root is in place: destinations inside /newroot with RESOLVE_IN_ROOT (a
 * symbolic link the program left in its working directory, which later
 * destinations may cross, stays inside the new root, whatever it says),
 * host sources under /oldroot with no symbolic link at all (the plan's
 * sources are canonical). Mounts are made onto the resolved descriptors,
 * named through the host's /proc/self/fd: no path is looked up twice.
 */
struct roots {
	int newroot;
	int oldroot;
};

static struct roots roots = {-1, -1};

static long open_under(int root, const char *path, const char *prefix, int flags, uint64_t resolve)
{
	struct open_how how = {.flags = (uint64_t)flags | O_CLOEXEC, .resolve = resolve};
	size_t n = strlen(prefix);
	const char *rel = strncmp(path, prefix, n) == 0 ? path + n : path;
	long fd;

	while (*rel == '/')
		rel++;
	fd = syscall(SYS_openat2, root, *rel ? rel : ".", &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

/* A destination: |path| (under /newroot) resolved inside the new root. */
static int open_dst(const char *path, int flags)
{
	return (int)open_under(roots.newroot, path, "/newroot", flags,
			       RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* A source: under /oldroot through no link; under /newroot as a destination is. */
static int open_src(const char *path)
{
	if (strncmp(path, "/oldroot", 8) == 0)
		return (int)open_under(roots.oldroot, path, "/oldroot", O_PATH,
				       RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	return open_dst(path, O_PATH);
}

/* "/oldroot/proc/self/fd/N": the object behind |fd|, for mount(2). */
static const char *fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/oldroot/proc/self/fd/%d", fd);
	return buf;
}

/* Split |path| (under /newroot) into its parent, opened in the root, and its last name. */
static int open_parent(const char *path, char *name, size_t size)
{
	char parent[MAX_PATH];
	const char *slash = strrchr(path, '/');
	size_t len;

	if (!slash || strlen(slash + 1) >= size || (size_t)(slash - path) >= sizeof(parent))
		return -ENAMETOOLONG;
	len = (size_t)(slash - path);
	memcpy(parent, path, len);
	parent[len] = '\0';
	memcpy(name, slash + 1, strlen(slash + 1) + 1);
	return open_dst(parent, O_PATH | O_DIRECTORY);
}

/*
 * mkdir -p of |path| (under /newroot). An existing directory costs one
 * lookup; otherwise the deepest existing ancestor is found, and each
 * missing level is made in the descriptor of the one above it, opened
 * without following a link (a level that is not a plain directory stops
 * it).
 */
static int make_dirs(const char *path)
{
	char buf[MAX_PATH];
	size_t len = strlen(path), top = strlen("/newroot");
	int fd = open_dst(path, O_PATH | O_DIRECTORY);
	char *end;

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (fd != -ENOENT)
		return fd;
	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	/* Up to the deepest ancestor that exists ("/newroot" does). */
	end = buf + len;
	do {
		end = strrchr(buf, '/');
		if (!end || (size_t)(end - buf) < top)
			return -ENOENT;
		*end = '\0';
		fd = open_dst(buf, O_PATH | O_DIRECTORY);
	} while (fd == -ENOENT);
	if (fd < 0)
		return fd;
	/* Down again, one level at a time (the cut names end at their '\0'). */
	while (end < buf + len) {
		char *name = end + 1;
		bool last;
		int r = 0;

		end = name + strlen(name);
		last = end == buf + len;
		if (mkdirat(fd, name, 0755) < 0 && errno != EEXIST)
			r = -errno;
		else if (!last &&
			 (r = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			r = -errno;
		close(fd);
		if (r < 0)
			return r;
		fd = r; /* the next level's parent; unused after the last */
	}
	return 0;
}

/* An empty file at |path| (a mount point for a file); an existing one is fine. */
static int make_file(const char *path)
{
	char name[256];
	int parent = open_parent(path, name, sizeof(name)), fd;

	if (parent == -ENOENT) {
		char dir[MAX_PATH];
		size_t len = (size_t)(strrchr(path, '/') - path);

		memcpy(dir, path, len);
		dir[len] = '\0';
		fd = make_dirs(dir);
		if (fd < 0)
			return fd;
		parent = open_parent(path, name, sizeof(name));
	}
	if (parent < 0)
		return parent;
	fd = openat(parent, name, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0444);
	close(parent);
	if (fd < 0)
		return errno == EEXIST || errno == EROFS || errno == EISDIR ? 0 : -errno;
	close(fd);
	return 0;
}

/*
 * The directory of the last symbolic link made, kept open for the next
 * link when that one is made in the same directory (the plan makes /bin,
 * /lib... in the root, then /dev/fd, /dev/stdin... in /dev, one after the
 * other). Kept only across consecutive links, which mount nothing over it
 * (run_op() forgets it before any other operation).
 */
static struct {
	char path[MAX_PATH];
	int fd;
} link_dir = {"", -1};

static void forget_link_dir(void)
{
	if (link_dir.fd >= 0)
		close(link_dir.fd);
	link_dir.fd = -1;
	link_dir.path[0] = '\0';
}

static int make_symlink(const char *path, const char *target)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	char name[256];

	if (!slash || len >= sizeof(link_dir.path))
		return -ENAMETOOLONG;
	if (link_dir.fd < 0 || strncmp(link_dir.path, path, len) != 0 || link_dir.path[len]) {
		forget_link_dir();
		link_dir.fd = open_parent(path, name, sizeof(name));
		if (link_dir.fd < 0) {
			int r = link_dir.fd;

			link_dir.fd = -1;
			return r;
		}
		memcpy(link_dir.path, path, len);
		link_dir.path[len] = '\0';
	}
	return symlinkat(target, link_dir.fd, slash + 1) < 0 && errno != EEXIST ? -errno : 0;
}

/* Set |attr| on the mount now at |path| (resolved again: the one just made there). */
static int set_attr(const char *path, uint64_t attr, bool recursive)
{
	struct mount_attr a = {.attr_set = attr};
	int fd, r;

	if (!attr)
		return 0;
	fd = open_dst(path, O_PATH);
	if (fd < 0)
		return fd;
	r = syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a,
		    sizeof(a)) < 0
		    ? -errno
		    : 0;
	close(fd);
	return r;
}

/* mount(2) of |source| (a path, or NULL) onto the resolved |path|. */
static int mount_at(const char *source, const char *path, const char *type, unsigned long flags,
		    const void *data)
{
	char target[64];
	int fd = open_dst(path, O_PATH), r;

	if (fd < 0)
		return fd;
	r = mount(source, fd_path(fd, target, sizeof(target)), type, flags, data) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static int bind_at(const char *src_path, const char *path, uint64_t attr)
{
	char source[64];
	int src = open_src(src_path), r;

	if (src < 0)
		return src;
	r = mount_at(fd_path(src, source, sizeof(source)), path, NULL, MS_BIND | MS_REC, NULL);
	close(src);
	return r < 0 ? r : set_attr(path, attr, true);
}

static int attach_tree(int tree, const char *path)
{
	int fd = open_dst(path, O_PATH), r;

	if (fd < 0)
		return fd;
	r = syscall(SYS_move_mount, tree, "", fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0
		    ? -errno
		    : 0;
	close(fd);
	return r;
}

static int write_text(const char *path, const char *text)
{
	int fd = open_dst(path, O_WRONLY);
	ssize_t len = (ssize_t)strlen(text), n;

	if (fd < 0)
		return fd;
	n = write(fd, text, (size_t)len);
	close(fd);
	return n == len ? 0 : -errno;
}

/*
 * An empty unreadable file or directory over |dst|, whichever |dst| is: a
 * bind of /masks/file or /masks/dir, whose mount is read-only, nosuid,
 * nodev and noexec (stage()), flags a bind mount takes from its source.
 */
static int mask(const char *dst)
{
	char target[64];
	struct stat st;
	int fd = open_dst(dst, O_PATH), r;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 ||
	    mount(S_ISDIR(st.st_mode) ? "/masks/dir" : "/masks/file",
		  fd_path(fd, target, sizeof(target)), NULL, MS_BIND, NULL) < 0)
		r = -errno;
	else
		r = 0;
	close(fd);
	return r;
}

/* A fresh tmpfs with |attr|: the flags mount(2) takes are given there, the rest set after. */
static int tmpfs_at(const char *path, const char *options, uint64_t attr)
{
	static const struct {
		uint64_t attr;
		unsigned long flag;
	} as_flags[] = {
		{MOUNT_ATTR_RDONLY, MS_RDONLY},
		{MOUNT_ATTR_NOSUID, MS_NOSUID},
		{MOUNT_ATTR_NODEV, MS_NODEV},
		{MOUNT_ATTR_NOEXEC, MS_NOEXEC},
	};
	unsigned long flags = MS_NOSUID | MS_NODEV;
	int r;

	for (size_t i = 0; i < sizeof(as_flags) / sizeof(as_flags[0]); i++) {
		if (attr & as_flags[i].attr) {
			flags |= as_flags[i].flag;
			attr &= ~as_flags[i].attr;
		}
	}
	r = mount_at("tmpfs", path, "tmpfs", flags, options);
	return r < 0 ? r : set_attr(path, attr, false);
}

static int run_op(const struct mount_op *o, const int *trees, size_t n_trees)
{
	if (o->kind != MOP_SYMLINK)
		forget_link_dir();
	switch (o->kind) {
	case MOP_DIR:
		return make_dirs(o->dst);
	case MOP_FILE:
		return make_file(o->dst);
	case MOP_SYMLINK:
		return make_symlink(o->dst, o->data);
	case MOP_BIND:
		return bind_at(o->src, o->dst, o->attr);
	case MOP_TREE:
		if (o->tree < 0 || (size_t)o->tree >= n_trees)
			return -EBADF;
		return attach_tree(trees[o->tree], o->dst);
	case MOP_TMPFS:
		return tmpfs_at(o->dst, o->data, o->attr);
	case MOP_PROC:
		return mount_at("proc", o->dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	case MOP_DEVPTS:
		return mount_at("devpts", o->dst, "devpts", MS_NOSUID | MS_NOEXEC, o->data);
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
	struct mount_attr mask_attr = {
		.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			    MOUNT_ATTR_NOEXEC,
	};
	int fd;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", s->plan->base, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") <
		    0 ||
	    chdir(s->plan->base) < 0 || mkdir("newroot", 0755) < 0 || mkdir("oldroot", 0755) < 0 ||
	    mkdir("masks", 0755) < 0 || mkdir("masks/dir", 0) < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 0);
	fd = open("masks/file", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 1);
	close(fd);
	/* What every mask bind takes over (mask()). */
	if (mount("masks", "masks", NULL, MS_BIND, NULL) < 0 ||
	    syscall(SYS_mount_setattr, AT_FDCWD, "masks", 0, &mask_attr, sizeof(mask_attr)) < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 1);
	if (syscall(SYS_pivot_root, ".", "oldroot") < 0 || chdir("/") < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 2);
	if (mount("tmpfs", "/newroot", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 3);
	roots.newroot = open("/newroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	roots.oldroot = open("/oldroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (roots.newroot < 0 || roots.oldroot < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 4);
}

/*
 * The sandbox's root made read-only and become "/": pivot_root(".", ".")
 * stacks the staging root, with the host beneath it at /oldroot, over the
 * new root, and one lazy unmount detaches both (one RCU grace period, not
 * one per tree).
 */
static void enter(const struct init_spec *s)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};

	close(roots.newroot);
	close(roots.oldroot);
	if (syscall(SYS_mount_setattr, AT_FDCWD, "/newroot", 0, &ro, sizeof(ro)) < 0 ||
	    chdir("/newroot") < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		fail(s, CHILD_STAGE_PIVOT, errno, 4);
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

		if (r < 0 && !(p->ops[i].optional &&
			       (r == -ENOENT || r == -EACCES || r == -EPERM || r == -EROFS)))
			fail(s, CHILD_STAGE_MOUNT, -r, (int)i);
		if (r == 0 && measured(p, &p->ops[i]) && *n_tmpfs < ISOLATE_MAX_GRANTS) {
			int fd = open(p->ops[i].dst, O_PATH | O_DIRECTORY | O_CLOEXEC);

			if (fd >= 0)
				tmpfs[(*n_tmpfs)++] = fd;
		}
	}
	forget_link_dir();
	for (size_t i = 0; i < n_trees; i++)
		close(trees[i]);
	enter(s);
}

/* Raw system calls, as child.c's setup_ids() explains. */
static void take_ids(const struct init_spec *s)
{
	const struct isolation_plan *p = s->plan;

	if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0)
		fail(s, CHILD_STAGE_INIT_IDS, errno, 0);
	if (p->init_setgroups && syscall(SYS_setgroups, 0, NULL) < 0)
		fail(s, CHILD_STAGE_INIT_IDS, errno, 1);
	if (syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0)
		fail(s, CHILD_STAGE_INIT_IDS, errno, 2);
}

/*
 * The network namespace and its loopback, before GO: the init holds every
 * capability in its new user namespace from clone() on, and needs no id
 * for this. A failure is kept (|err|, the stage) and said after GO, once
 * the supervisor listens.
 */
static void make_network(const struct isolation_plan *p, struct child_error *err)
{
	struct ifreq ifr = {0};
	int sock;

	if (p->unshare_net && unshare(CLONE_NEWNET) < 0) {
		*err = (struct child_error){CHILD_STAGE_NETNS, errno, 0};
		return;
	}
	if (!p->net_up)
		return;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memcpy(ifr.ifr_name, "lo", 3);
	if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
		*err = (struct child_error){CHILD_STAGE_NET, errno, 0};
	} else {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
			*err = (struct child_error){CHILD_STAGE_NET, errno, 1};
	}
	if (sock >= 0)
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

/* Every caught signal back to its default action (ignored ones stay ignored, as across exec). */
static void default_handlers(void)
{
	struct sigaction sa, dfl = {.sa_handler = SIG_DFL};

	for (int sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
		    sa.sa_handler != SIG_IGN)
			(void)sigaction(sig, &dfl, NULL);
}

/* START as received (flags, filter), and the filter aligned (the init may not allocate). */
#define START_HEAD (1 + sizeof(uint64_t))
static unsigned char start_msg[START_HEAD + BPF_MAXINSNS * sizeof(struct sock_filter)];
static struct sock_filter start_filter[BPF_MAXINSNS];

/*
 * Steps 6 and 7: READY, then START: the program's seccomp filter (compiled
 * by the supervisor while we built the root) and the policy's ruleset, if
 * any; then the isolation's own ruleset.
 */
static void rulesets(struct init_spec *s, const int *tmpfs, size_t n_tmpfs)
{
	const struct isolation_plan *p = s->plan;
	const char *paths[ISOLATE_MAX_GRANTS];
	uint64_t rights[ISOLATE_MAX_GRANTS];
	size_t n, len;
	int fd, index, r;

	ready(s, tmpfs, n_tmpfs);
	for (size_t i = 0; i < n_tmpfs; i++)
		close(tmpfs[i]);
	r = receive(s->sync_fd, &fd, 1, &n, start_msg, sizeof(start_msg), &len);
	if (r == -1)
		_exit(126); /* the supervisor is gone */
	if (r != NSINIT_START || len < START_HEAD + sizeof(start_filter[0]) ||
	    (len - START_HEAD) % sizeof(start_filter[0]))
		fail(s, CHILD_STAGE_SYNC, r == -2 ? EMSGSIZE : EPROTO, 2);
	/* A ruleset announced and not received would run the program without it. */
	if (!(start_msg[0] & NSINIT_START_RULESET) != !n)
		fail(s, CHILD_STAGE_SYNC, EBADF, 3);
	/*
	 * An embedding program's handlers, copied into us by clone(), must run
	 * neither here (a signal from inside would reach PID 1 through them)
	 * nor in the program before its exec, which borrows our memory.
	 */
	if (start_msg[0] & NSINIT_START_SIGNALS)
		default_handlers();
	memcpy(&s->program->ignored_signals, start_msg + 1, sizeof(uint64_t));
	memcpy(start_filter, start_msg + START_HEAD, len - START_HEAD);
	s->program->prog = (struct sock_fprog){
		.len = (unsigned short)((len - START_HEAD) / sizeof(start_filter[0])),
		.filter = start_filter};
	s->program->landlock_fd = n ? fd : -1;
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

/*
 * The program's stack until its execve(). It runs child_run() in our
 * memory while we wait (CLONE_VFORK): nothing it writes there outlives its
 * exec but what child_run() leaves in |s|, which we no longer read.
 */
static char program_stack[256 * 1024] __attribute__((aligned(64)));

/*
 * AddressSanitizer cannot follow a task that runs in our memory on another
 * stack (it warns at every noreturn call there): its builds fork instead.
 */
#if defined(__SANITIZE_ADDRESS__)
#define BORROW_MEMORY 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BORROW_MEMORY 0
#endif
#endif
#ifndef BORROW_MEMORY
#define BORROW_MEMORY 1
#endif

static int start_program(void *arg)
{
	struct init_spec *s = arg;

	/* The init's socket stays open until the exec: child_run() marks it close-on-exec. */
	child_run(s->program);
}

_Noreturn void nsinit_run(struct init_spec *s)
{
	const struct isolation_plan *p = s->plan;
	int trees[ISOLATE_MAX_TREES], tmpfs[ISOLATE_MAX_GRANTS];
	size_t n_trees = 0, n_tmpfs = 0;
	struct child_error net_err = {0};
	pid_t pid;

	/* 0. Dumpable for the seize, as child.c explains. */
	(void)prctl(PR_SET_DUMPABLE, 1);
	/* 1-2. The network; seized, maps written, trees received; die with the supervisor. */
	make_network(p, &net_err);
	if (receive(s->sync_fd, trees, ISOLATE_MAX_TREES, &n_trees, NULL, 0, NULL) != NSINIT_GO)
		_exit(126);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		fail(s, CHILD_STAGE_SYNC, errno, 0);
	if (net_err.stage)
		fail(s, net_err.stage, net_err.err, net_err.detail);

	/* 3-4. */
	take_ids(s);
	if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
		fail(s, CHILD_STAGE_HOSTNAME, errno, 0);

	/* 5-7. */
	build_root(s, trees, n_trees, tmpfs, &n_tmpfs);
	rulesets(s, tmpfs, n_tmpfs);

	/*
	 * 8. The program, traced from its first instruction (TRACEVFORK). As
	 * posix_spawn() does, it borrows our memory (CLONE_VM) on a stack of
	 * its own until its execve() (CLONE_VFORK: we wait meanwhile), so no
	 * copy of our address space is made and then thrown away.
	 */
	if (BORROW_MEMORY) {
		pid = clone(start_program, program_stack + sizeof(program_stack),
			    CLONE_VM | CLONE_VFORK | SIGCHLD, s);
	} else {
		pid = (pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, 0);
		if (pid == 0)
			start_program(s);
	}
	if (pid < 0)
		fail(s, CHILD_STAGE_FORK, errno, 0);
	/* 9. */
	reap(s, pid);
}
