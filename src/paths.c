/* SPDX-License-Identifier: MIT */
/*
 * paths.c - the filesystem and network rules at a stop. Which argument of
 * a call is the directory fd, which the path and what kind of access is the
 * table's (src/syscalls.tbl, trait path=D:P:ACCESS); this file owns the
 * resolution of a path as the kernel would see it for the calling task: relative to its
 * cwd (/proc/PID/cwd) or to the directory fd (/proc/PID/fd/N), with ".."
 * and symbolic links followed.
 */
#include "paths.h"

#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/openat2.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stddef.h>
#include <sys/un.h>
#include <unistd.h>

#include "decode.h"
#include "legacy_nr.h"
#include "syscalls.h"
#include "ucopy.h"

static const int net_calls[] = {__NR_connect, __NR_bind};

struct list {
	char **paths;
	size_t *lens; /* strlen of each; 0 for "/", which holds every path */
	size_t n;
};

/*
 * Descriptors kept from one stop to the next, so a stop opens what it
 * needs relative to them instead of walking "/proc/PID/..." from the root
 * each time. A /proc/TID directory names one task (the kernel's struct
 * pid), never a number: once that task is gone, whatever else later gets
 * the number, every lookup in it fails (ENOENT) and the slot is opened
 * again from the number. What is opened in it (mem, root, cwd, fd/N) is
 * the task's as it is at that moment, so an exec, chroot or chdir since is
 * seen as a fresh /proc/PID/... would see it. Nothing read from the task
 * (memory, a working directory, a path) is kept.
 */
#define TASK_DIR_SLOTS 64 /* a power of two; indexed by tid */

struct pathcache {
	struct {
		pid_t tid; /* 0: empty */
		int fd;	   /* O_PATH of /proc/TID */
	} task_dir[TASK_DIR_SLOTS];
	int self_fd; /* O_PATH of /proc/self/fd (the supervisor's); -1 until first needed */
};

struct pathcheck {
	bool fs;
	bool rooted; /* the program has a root of its own: resolve in /proc/PID/root */
	struct list read, write, exec, deny;
	const struct policy_net *net; /* not owned */
	struct pathcache *cache;      /* changed at stops (one at a time: the run's lock) */
};

/* path_beneath() with the rule's length known. */
static bool beneath(const char *path, const char *dir, size_t n)
{
	return n == 0 || (strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/'));
}

static bool in_list(const struct list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (beneath(path, l->paths[i], l->lens[i]))
			return true;
	return false;
}

/*
 * Lexically clean an absolute path in place: "//", "/./", "/x/../" go.
 * Used where realpath() cannot be (the path does not exist yet).
 */
static void clean(char *path)
{
	char *out = path, *in = path;

	while (*in) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		if (in[0] == '.' && (in[1] == '/' || !in[1])) {
			in++;
			continue;
		}
		if (in[0] == '.' && in[1] == '.' && (in[2] == '/' || !in[2])) {
			while (out > path && *--out != '/')
				;
			in += 2;
			continue;
		}
		*out++ = '/';
		while (*in && *in != '/')
			*out++ = *in++;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

int path_open_in(int root_fd, const char *path, int flags)
{
	struct open_how how = {.flags = (uint64_t)flags | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
	long fd;

	if (root_fd < 0)
		fd = open(path, flags | O_CLOEXEC);
	else
		fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

int path_open_nofollow(const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)flags | O_CLOEXEC,
		.mode = flags & (O_CREAT | __O_TMPFILE) ? mode : 0,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	char proc[64];
	struct stat st;
	int target, r;

	if (fd >= 0)
		return (int)fd;
	if (errno != ELOOP)
		return -errno;
	/* Pin what the link leads to, look at it, then open that very object. */
	target = open(path, O_PATH | O_CLOEXEC);
	if (target < 0)
		return -ELOOP;
	if (fstat(target, &st) < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
		close(target);
		return -ELOOP;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", target);
	r = open(proc, (flags & ~(O_CREAT | O_EXCL)) | O_CLOEXEC);
	r = r < 0 ? -errno : r;
	close(target);
	return r;
}

int path_real_nofollow(const char *path, char *out)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC,
			       .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	char link[64];
	ssize_t n;

	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", (int)fd);
	n = readlink(link, out, PATH_MAX - 1);
	close((int)fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	out[n] = '\0';
	return 0;
}

/*
 * path_real_in(), reading the name of the descriptor in |self_fd| (an
 * O_PATH of /proc/self/fd) when it is not negative.
 */
static bool real_in(int self_fd, int root_fd, const char *path, char *out)
{
	char link[64];
	ssize_t n;
	int fd;

	if (root_fd < 0)
		return realpath(path, out) != NULL;
	fd = path_open_in(root_fd, path, O_PATH);
	if (fd < 0)
		return false;
	/* The kernel names it from the sandbox's own root: it is not under ours. */
	if (self_fd >= 0) {
		snprintf(link, sizeof(link), "%d", fd);
		n = readlinkat(self_fd, link, out, PATH_MAX - 1);
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, out, PATH_MAX - 1);
	}
	close(fd);
	if (n <= 0 || out[0] != '/')
		return false;
	out[n] = '\0';
	return true;
}

bool path_real_in(int root_fd, const char *path, char *out)
{
	return real_in(-1, root_fd, path, out);
}

/*
 * |path| made canonical within |root_fd| (-1: the host's root): realpath()
 * of it, or of its directory when it does not exist or when |follow| is
 * false (a call that acts on a symbolic link itself, not on its target:
 * then the last component is kept as it is, unless it is "." or "..").
 */
static bool canonicalize(int self_fd, int root_fd, const char *path, bool follow, char *out)
{
	char tmp[PATH_MAX], dir[PATH_MAX], real[PATH_MAX], *base;

	snprintf(tmp, sizeof(tmp), "%s", path);
	clean(tmp);
	base = strrchr(tmp, '/');
	if (!follow && base && (!base[1] || strcmp(base, "/.") == 0 || strcmp(base, "/..") == 0))
		follow = true; /* no name of a link to keep */
	if (follow && real_in(self_fd, root_fd, path, out))
		return true;
	snprintf(dir, sizeof(dir), "%s", tmp);
	if (!base) {
		snprintf(out, PATH_MAX, "%s", tmp);
		return true;
	}
	*strrchr(dir, '/') = '\0';
	if (real_in(self_fd, root_fd, *dir ? dir : "/", real) &&
	    snprintf(out, PATH_MAX, "%s%s", strcmp(real, "/") ? real : "", base) < PATH_MAX)
		return true;
	snprintf(out, PATH_MAX, "%s", tmp);
	return true;
}

static int make_list(int root_fd, char **src, size_t n, const char *cwd, struct list *ret)
{
	ret->paths = calloc(n + 1, sizeof(char *));
	ret->lens = calloc(n + 1, sizeof(size_t));
	if (!ret->paths || !ret->lens)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char joined[PATH_MAX], real[PATH_MAX];

		snprintf(joined, sizeof(joined), "%s%s%s", *src[i] == '/' ? "" : cwd,
			 *src[i] == '/' ? "" : "/", src[i]);
		canonicalize(-1, root_fd, joined, true, real);
		ret->lens[ret->n] = strcmp(real, "/") ? strlen(real) : 0;
		ret->paths[ret->n] = xstrdup(real);
		if (!ret->paths[ret->n++])
			return -ENOMEM;
	}
	return 0;
}

static void free_list(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->lens);
}

static void cache_free(struct pathcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < TASK_DIR_SLOTS; i++)
		if (c->task_dir[i].tid)
			close(c->task_dir[i].fd);
	if (c->self_fd >= 0)
		close(c->self_fd);
	free(c);
}

void paths_free(struct pathcheck *pc)
{
	if (!pc)
		return;
	free_list(&pc->read);
	free_list(&pc->write);
	free_list(&pc->exec);
	free_list(&pc->deny);
	cache_free(pc->cache);
	free(pc);
}

int paths_prepare(const struct policy *p, int root_fd, const char *cwd, struct pathcheck **ret)
{
	struct pathcheck *pc;
	int r = 0;

	*ret = NULL;
	if (!p->fs.present && !p->net.has_bind && !p->net.has_connect)
		return 0;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	pc->fs = p->fs.present;
	pc->rooted = root_fd >= 0;
	pc->net = &p->net;
	pc->cache = calloc(1, sizeof(*pc->cache));
	if (!pc->cache) {
		free(pc);
		return -ENOMEM;
	}
	pc->cache->self_fd = -1;
	if (pc->fs) {
		r = make_list(root_fd, p->fs.read, p->fs.n_read, cwd, &pc->read);
		if (r == 0)
			r = make_list(root_fd, p->fs.write, p->fs.n_write, cwd, &pc->write);
		if (r == 0)
			r = make_list(root_fd, p->fs.exec, p->fs.n_exec, cwd, &pc->exec);
		if (r == 0)
			r = make_list(root_fd, p->fs.deny, p->fs.n_deny, cwd, &pc->deny);
	}
	if (r < 0) {
		paths_free(pc);
		return r;
	}
	*ret = pc;
	return 0;
}

size_t paths_traced_calls(const struct policy *p, int *nrs, size_t max)
{
	size_t n = 0;

	/* The network rule is decided at the stop (it depends on the policy's verdict). */
	if (p->net.present && n + 2 <= max) {
		nrs[n++] = __NR_socket;
		nrs[n++] = __NR_socketpair;
	}
	for (size_t i = 0; p->fs.present && i < syscall_n_rows && n < max; i++)
		if (syscall_rows[i].n_paths && syscall_rows[i].nr >= 0)
			nrs[n++] = syscall_rows[i].nr;
	for (size_t i = 0; (p->fs.present || p->net.has_bind || p->net.has_connect) &&
			   i < ARRAY_SIZE(net_calls) && n < max;
	     i++)
		nrs[n++] = net_calls[i];
	return n;
}

/* --- the task of a stop, seen through /proc ----------------------------------- */

/* The cached /proc/|pid| directory, opened now if not; |ret_fresh|: opened now. */
static int task_dir(struct pathcache *c, pid_t pid, bool *ret_fresh)
{
	unsigned int i = (unsigned int)pid & (TASK_DIR_SLOTS - 1);
	char path[32];

	*ret_fresh = c->task_dir[i].tid != pid;
	if (!*ret_fresh)
		return c->task_dir[i].fd;
	if (c->task_dir[i].tid)
		close(c->task_dir[i].fd);
	c->task_dir[i].tid = 0;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	c->task_dir[i].fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->task_dir[i].fd < 0)
		return -1;
	c->task_dir[i].tid = pid;
	return c->task_dir[i].fd;
}

/* Forget the cached directory of |pid|: its task may be gone. */
static void task_dir_drop(struct pathcache *c, pid_t pid)
{
	unsigned int i = (unsigned int)pid & (TASK_DIR_SLOTS - 1);

	if (c->task_dir[i].tid != pid)
		return;
	close(c->task_dir[i].fd);
	c->task_dir[i].tid = 0;
}

/*
 * open() of /proc/|pid|/|name| with |flags| (O_CLOEXEC added), through the
 * cached directory of |pid|. A failure there is tried once more from a
 * fresh /proc/PID, so the answer is the one a fresh open would give.
 * Returns the fd or -1 (errno set).
 */
static int proc_open(struct pathcache *c, pid_t pid, const char *name, int flags)
{
	char path[64];

	for (int attempt = 0; attempt < 2; attempt++) {
		bool fresh;
		int dir = task_dir(c, pid, &fresh), fd;

		if (dir < 0)
			break;
		fd = openat(dir, name, flags | O_CLOEXEC);
		if (fd >= 0 || fresh)
			return fd;
		task_dir_drop(c, pid);
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return open(path, flags | O_CLOEXEC);
}

/* proc_link() (procfs.h) of /proc/|pid|/|name|, the same way as proc_open(). */
static ssize_t proc_readlink(struct pathcache *c, pid_t pid, const char *name, char *out,
			     size_t size)
{
	ssize_t n = -1;

	for (int attempt = 0; attempt < 2; attempt++) {
		bool fresh;
		int dir = task_dir(c, pid, &fresh);

		if (dir < 0)
			return proc_link(pid, name, out, size);
		n = readlinkat(dir, name, out, size - 1);
		if (n > 0 || fresh)
			break;
		task_dir_drop(c, pid);
	}
	out[n > 0 ? n : 0] = '\0';
	return n > 0 ? n : -1;
}

/* The supervisor's /proc/self/fd, opened at the first need; -1 when it cannot be. */
static int self_fd_dir(struct pathcache *c)
{
	if (c->self_fd == -1)
		c->self_fd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->self_fd < 0)
		c->self_fd = -2; /* not tried again: the string path each time */
	return c->self_fd < 0 ? -1 : c->self_fd;
}

/* One check of one call of |pid|: the descriptors it opened, closed at its end. */
struct probe {
	const struct pathcheck *pc;
	pid_t pid;
	int mem;       /* /proc/PID/mem, or -1 (then PTRACE_PEEKDATA) */
	bool mem_open; /* tried already */
};

/* The task's memory for this check, opened at the first read. */
static int probe_mem(struct probe *pr)
{
	if (!pr->mem_open) {
		pr->mem = proc_open(pr->pc->cache, pr->pid, "mem", O_RDONLY);
		pr->mem_open = true;
	}
	return pr->mem;
}

static long probe_cstring(struct probe *pr, uint64_t addr, char *buf, size_t max)
{
	return ucopy_read_cstring_fd(probe_mem(pr), pr->pid, addr, buf, max);
}

static int probe_exact(struct probe *pr, uint64_t addr, void *buf, size_t len)
{
	return ucopy_read_exact_fd(probe_mem(pr), pr->pid, addr, buf, len);
}

/*
 * The absolute path the kernel would look up for (|dirfd|, |path|) in the
 * probe's task, as the task sees it. An empty path (AT_EMPTY_PATH) is the
 * directory fd's own file. The working directory, the fd's file and the
 * root are read afresh at each call: a chdir, fchdir, close or chroot of
 * any task that shares them is seen at once.
 */
static bool resolve(struct probe *pr, int dirfd, const char *path, bool follow, char *out)
{
	char base[PATH_MAX], joined[PATH_MAX + PATH_MAX + 2], what[32];
	struct pathcache *c = pr->pc->cache;
	_cleanup_close_ int root = -1;

	if (*path == '/') {
		snprintf(base, sizeof(base), "%s", "");
	} else if (dirfd == AT_FDCWD) {
		if (proc_readlink(c, pr->pid, "cwd", base, sizeof(base)) < 0)
			return false;
	} else {
		snprintf(what, sizeof(what), "fd/%d", dirfd);
		if (proc_readlink(c, pr->pid, what, base, sizeof(base)) < 0)
			return false;
		if (!*path) {
			snprintf(out, PATH_MAX, "%s", base);
			return true; /* memfd:..., pipe:..., or a path */
		}
	}
	if (snprintf(joined, sizeof(joined), "%s%s%s", base, *path == '/' ? "" : "/", path) >=
	    PATH_MAX)
		return false;
	if (pr->pc->rooted) {
		root = proc_open(c, pr->pid, "root", O_PATH | O_DIRECTORY);
		if (root < 0)
			return false;
	}
	return canonicalize(self_fd_dir(c), root, joined, follow, out);
}

static const char *access_name(enum access a)
{
	return a == ACC_EXEC ? "exec" : a == ACC_WRITE ? "write" : "read";
}

/* Whether the filesystem rules allow |a| on |path|; sets |why|. */
static bool fs_allows(const struct pathcheck *pc, enum access a, const char *path, const char **why)
{
	for (size_t i = 0; i < pc->deny.n; i++)
		if (beneath(path, pc->deny.paths[i], pc->deny.lens[i])) {
			*why = "in filesystem.deny";
			return false;
		}
	switch (a) {
	case ACC_EXEC:
		*why = "not in filesystem.exec";
		return in_list(&pc->exec, path);
	case ACC_WRITE:
		*why = "not in filesystem.write";
		return in_list(&pc->write, path);
	default:
		*why = "not in filesystem.read, .write or .exec";
		return in_list(&pc->read, path) || in_list(&pc->write, path) ||
		       in_list(&pc->exec, path);
	}
}

/* The accesses an open with |flags| asks for: up to two (read and write). */
static size_t open_accesses(uint64_t flags, enum access out[2])
{
	size_t n = 0;
	unsigned int f = (unsigned int)flags;

	if (f & O_PATH)
		return 0; /* no access to the contents: Landlock does not check it either */
	if ((f & O_ACCMODE) == O_RDONLY || (f & O_ACCMODE) == O_RDWR)
		out[n++] = ACC_READ;
	if ((f & O_ACCMODE) != O_RDONLY || (f & (O_CREAT | O_TRUNC)))
		out[n++] = ACC_WRITE;
	return n;
}

/*
 * Whether the call follows a symbolic link in the last component of its
 * path |pa|, as the kernel resolves it: not when the call acts on the link
 * itself (removing, renaming, linking or making a name, the l* calls, the
 * AT_SYMLINK_NOFOLLOW flag, an open with O_NOFOLLOW or O_CREAT|O_EXCL).
 * Landlock checks such a call on the link's directory, never the target.
 */
static bool follows_last(int nr, const struct syscall_path *pa, const uint64_t args[6],
			 uint64_t flags)
{
	switch (nr) {
	case __NR_unlink:
	case __NR_unlinkat:
	case __NR_rmdir:
	case __NR_rename:
	case __NR_renameat:
	case __NR_renameat2:
	case __NR_symlink:
	case __NR_symlinkat:
	case __NR_mkdir:
	case __NR_mkdirat:
	case __NR_mknod:
	case __NR_mknodat:
	case __NR_link:
	case __NR_lchown:
	case __NR_lstat:
	case __NR_readlink:
	case __NR_readlinkat:
		return false;
	case __NR_linkat:
		/* The old name is followed only with AT_SYMLINK_FOLLOW; the new one never. */
		return pa->path == 1 && (args[4] & AT_SYMLINK_FOLLOW);
	case __NR_newfstatat:
	case __NR_faccessat2:
	case __NR_utimensat:
		return !(args[3] & AT_SYMLINK_NOFOLLOW);
	case __NR_fchownat:
		return !(args[4] & AT_SYMLINK_NOFOLLOW);
	case __NR_statx:
		return !(args[2] & AT_SYMLINK_NOFOLLOW);
	default:
		break;
	}
	if (pa->access == ACC_OPEN || pa->access == ACC_OPEN2)
		return !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	return true;
}

static enum path_verdict check_one(struct probe *pr, int nr, const uint64_t args[6],
				   const struct syscall_path *pa, uint64_t flags,
				   struct strbuf *note)
{
	const struct pathcheck *pc = pr->pc;
	char path[PATH_MAX + 1], abs[PATH_MAX];
	enum access acc[2] = {pa->access};
	int dirfd = pa->dirfd < 0 ? AT_FDCWD : (int)(int32_t)args[pa->dirfd];
	size_t n_acc = 1;
	const char *why;
	long len;

	if (!args[pa->path])
		return PATH_PASS; /* utimensat(fd, NULL, ...) works on the fd */
	len = probe_cstring(pr, args[pa->path], path, PATH_MAX - 1);
	if (len < 0 || len > PATH_MAX - 1)
		return PATH_PASS; /* unreadable: the kernel will fail it with EFAULT */
	if (len == 0 && pa->access != ACC_EXEC)
		return PATH_PASS; /* AT_EMPTY_PATH: the open descriptor itself, opened already */
	if (pa->access == ACC_OPEN || pa->access == ACC_OPEN2)
		n_acc = open_accesses(flags, acc);
	if (n_acc == 0 || !resolve(pr, dirfd, path, follows_last(nr, pa, args, flags), abs))
		return PATH_PASS;
	if (pa->access == ACC_META) {
		/* Landlock does not restrict looking; only a denied path is worth a line. */
		for (size_t i = 0; i < pc->deny.n; i++)
			if (beneath(abs, pc->deny.paths[i], pc->deny.lens[i])) {
				strbuf_append(note, "metadata of ");
				decode_quote(note, abs);
				strbuf_append(note, ", in filesystem.deny (looking is not "
						    "restricted)");
				return PATH_REPORT;
			}
		return PATH_PASS;
	}
	for (size_t i = 0; i < n_acc; i++) {
		if (fs_allows(pc, acc[i], abs, &why))
			continue;
		/* The path is the program's: quoted, so it cannot start a line of its own. */
		strbuf_printf(note, "%s of ", access_name(acc[i]));
		decode_quote(note, abs);
		strbuf_printf(note, ": %s", why);
		return PATH_DENY;
	}
	return PATH_PASS;
}

static bool port_listed(const uint16_t *ports, size_t n, unsigned int port)
{
	for (size_t i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

/*
 * bind/connect of a pathname unix socket: creating it (bind) or talking to
 * it (connect) is a write there. Abstract sockets have no path.
 */
static enum path_verdict check_unix(struct probe *pr, const uint64_t args[6], bool bind,
				    struct strbuf *note)
{
	const struct pathcheck *pc = pr->pc;
	struct sockaddr_un un;
	size_t len = args[2] > sizeof(un) ? sizeof(un) : (size_t)args[2];
	char path[sizeof(un.sun_path) + 1], abs[PATH_MAX];
	const char *why;

	memset(&un, 0, sizeof(un));
	if (!pc->fs || len <= offsetof(struct sockaddr_un, sun_path) ||
	    probe_exact(pr, args[1], &un, len) < 0 || un.sun_path[0] == '\0')
		return PATH_PASS;
	snprintf(path, sizeof(path), "%.*s", (int)(len - offsetof(struct sockaddr_un, sun_path)),
		 un.sun_path);
	/* bind makes the name (a link there fails it); connect follows links. */
	if (!resolve(pr, AT_FDCWD, path, !bind, abs) || fs_allows(pc, ACC_WRITE, abs, &why))
		return PATH_PASS;
	strbuf_printf(note, "%s of unix socket ", bind ? "bind" : "connect");
	decode_quote(note, abs);
	strbuf_printf(note, ": %s", why);
	return PATH_DENY;
}

/*
 * connect/bind with TCP port rules: the port a call names, for the report.
 * Landlock refuses TCP to unlisted ports; UDP it leaves alone, and from a
 * stop the socket's type is not known, so this only reports.
 */
static enum path_verdict check_port(struct probe *pr, int nr, const uint64_t args[6],
				    struct strbuf *note)
{
	const struct pathcheck *pc = pr->pc;
	bool bind = nr == __NR_bind;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
	} u;
	size_t len = args[2] > sizeof(u) ? sizeof(u) : (size_t)args[2];
	unsigned int port;

	if (len < 4 || probe_exact(pr, args[1], &u, len) < 0)
		return PATH_PASS;
	if (u.sa.sa_family == AF_UNIX)
		return check_unix(pr, args, bind, note);
	if ((bind && !pc->net->has_bind) || (!bind && !pc->net->has_connect))
		return PATH_PASS;
	if (u.sa.sa_family == AF_INET && len >= sizeof(u.in))
		port = ntohs(u.in.sin_port);
	else if (u.sa.sa_family == AF_INET6 && len >= sizeof(u.in6))
		port = ntohs(u.in6.sin6_port);
	else
		return PATH_PASS;
	if (bind ? port_listed(pc->net->bind, pc->net->n_bind, port)
		 : port_listed(pc->net->connect, pc->net->n_connect, port))
		return PATH_PASS;
	strbuf_printf(note, "port %u is not in network.%s: Landlock refuses it over TCP", port,
		      bind ? "bind" : "connect");
	return PATH_REPORT;
}

/* The value of |row|'s open-flags argument, or 0 when it has none. */
static uint64_t open_flags(const struct syscall_row *row, const uint64_t args[6])
{
	for (int i = 0; i < row->n; i++)
		if (row->arg[i] == A_OPEN_FLAGS)
			return args[i];
	return 0;
}

static enum path_verdict check(struct probe *pr, int nr, const uint64_t args[6],
			       struct strbuf *note)
{
	const struct syscall_row *row;
	uint64_t flags;

	if (nr == __NR_connect || nr == __NR_bind)
		return check_port(pr, nr, args, note);
	row = pr->pc->fs ? syscall_by_nr(nr) : NULL;
	if (!row || !row->n_paths)
		return PATH_PASS;
	flags = open_flags(row, args);
	if (row->paths[0].access == ACC_OPEN2 &&
	    probe_exact(pr, args[2], &flags, sizeof(flags)) < 0)
		return PATH_PASS;
	for (int k = 0; k < row->n_paths; k++) {
		enum path_verdict v = check_one(pr, nr, args, &row->paths[k], flags, note);

		if (v != PATH_PASS)
			return v;
	}
	return PATH_PASS;
}

enum path_verdict paths_check(const struct pathcheck *pc, pid_t pid, int nr, const uint64_t args[6],
			      struct strbuf *note)
{
	struct probe pr = {.pc = pc, .pid = pid, .mem = -1};
	enum path_verdict v;

	if (!pc)
		return PATH_PASS;
	v = check(&pr, nr, args, note);
	if (pr.mem >= 0)
		close(pr.mem);
	return v;
}
