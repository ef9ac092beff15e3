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

#include "decode.h"
#include "syscalls.h"
#include "ucopy.h"

static const int net_calls[] = {__NR_connect, __NR_bind};

struct list {
	char **paths;
	size_t n;
};

struct pathcheck {
	bool fs;
	bool rooted; /* the program has a root of its own: resolve in /proc/PID/root */
	struct list read, write, exec, deny;
	const struct policy_net *net; /* not owned */
};

static bool in_list(const struct list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (path_beneath(path, l->paths[i]))
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

bool path_real_in(int root_fd, const char *path, char *out)
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
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, PATH_MAX - 1);
	close(fd);
	if (n <= 0 || out[0] != '/')
		return false;
	out[n] = '\0';
	return true;
}

/*
 * |path| made canonical within |root_fd| (-1: the host's root): realpath()
 * of it, or of its directory when it does not exist.
 */
static bool canonicalize(int root_fd, const char *path, char *out)
{
	char tmp[PATH_MAX], dir[PATH_MAX], real[PATH_MAX], *base;

	if (path_real_in(root_fd, path, out))
		return true;
	snprintf(tmp, sizeof(tmp), "%s", path);
	clean(tmp);
	snprintf(dir, sizeof(dir), "%s", tmp);
	base = strrchr(tmp, '/');
	*strrchr(dir, '/') = '\0';
	if (path_real_in(root_fd, *dir ? dir : "/", real) &&
	    snprintf(out, PATH_MAX, "%s%s", strcmp(real, "/") ? real : "", base) < PATH_MAX)
		return true;
	snprintf(out, PATH_MAX, "%s", tmp);
	return true;
}

static int make_list(int root_fd, char **src, size_t n, const char *cwd, struct list *ret)
{
	ret->paths = calloc(n + 1, sizeof(char *));
	if (!ret->paths)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char joined[PATH_MAX], real[PATH_MAX];

		snprintf(joined, sizeof(joined), "%s%s%s", *src[i] == '/' ? "" : cwd,
			 *src[i] == '/' ? "" : "/", src[i]);
		canonicalize(root_fd, joined, real);
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
}

void paths_free(struct pathcheck *pc)
{
	if (!pc)
		return;
	free_list(&pc->read);
	free_list(&pc->write);
	free_list(&pc->exec);
	free_list(&pc->deny);
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

/*
 * The absolute path the kernel would look up for (|dirfd|, |path|) in task
 * |pid|, as the task sees it. An empty path (AT_EMPTY_PATH) is the
 * directory fd's own file.
 */
static bool resolve(const struct pathcheck *pc, pid_t pid, int dirfd, const char *path, char *out)
{
	char base[PATH_MAX], joined[PATH_MAX + PATH_MAX + 2], what[32];
	_cleanup_close_ int root = -1;

	if (*path == '/') {
		snprintf(base, sizeof(base), "%s", "");
	} else if (dirfd == AT_FDCWD) {
		if (proc_link(pid, "cwd", base, sizeof(base)) < 0)
			return false;
	} else {
		snprintf(what, sizeof(what), "fd/%d", dirfd);
		if (proc_link(pid, what, base, sizeof(base)) < 0)
			return false;
		if (!*path) {
			snprintf(out, PATH_MAX, "%s", base);
			return true; /* memfd:..., pipe:..., or a path */
		}
	}
	if (snprintf(joined, sizeof(joined), "%s%s%s", base, *path == '/' ? "" : "/", path) >=
	    PATH_MAX)
		return false;
	if (pc->rooted) {
		snprintf(what, sizeof(what), "/proc/%d/root", (int)pid);
		root = open(what, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return false;
	}
	return canonicalize(root, joined, out);
}

static const char *access_name(enum access a)
{
	return a == ACC_EXEC ? "exec" : a == ACC_WRITE ? "write" : "read";
}

/* Whether the filesystem rules allow |a| on |path|; sets |why|. */
static bool fs_allows(const struct pathcheck *pc, enum access a, const char *path, const char **why)
{
	for (size_t i = 0; i < pc->deny.n; i++)
		if (path_beneath(path, pc->deny.paths[i])) {
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

static enum path_verdict check_one(const struct pathcheck *pc, pid_t pid, const uint64_t args[6],
				   const struct syscall_path *pa, uint64_t flags,
				   struct strbuf *note)
{
	char path[PATH_MAX + 1], abs[PATH_MAX];
	enum access acc[2] = {pa->access};
	int dirfd = pa->dirfd < 0 ? AT_FDCWD : (int)(int32_t)args[pa->dirfd];
	size_t n_acc = 1;
	const char *why;
	long len;

	if (!args[pa->path])
		return PATH_PASS; /* utimensat(fd, NULL, ...) works on the fd */
	len = ucopy_read_cstring(pid, args[pa->path], path, PATH_MAX - 1);
	if (len < 0 || len > PATH_MAX - 1)
		return PATH_PASS; /* unreadable: the kernel will fail it with EFAULT */
	if (len == 0 && pa->access != ACC_EXEC)
		return PATH_PASS; /* AT_EMPTY_PATH: the open descriptor itself, opened already */
	if (pa->access == ACC_OPEN || pa->access == ACC_OPEN2)
		n_acc = open_accesses(flags, acc);
	if (n_acc == 0 || !resolve(pc, pid, dirfd, path, abs))
		return PATH_PASS;
	if (pa->access == ACC_META) {
		/* Landlock does not restrict looking; only a denied path is worth a line. */
		for (size_t i = 0; i < pc->deny.n; i++)
			if (path_beneath(abs, pc->deny.paths[i])) {
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
static enum path_verdict check_unix(const struct pathcheck *pc, pid_t pid, const uint64_t args[6],
				    bool bind, struct strbuf *note)
{
	struct sockaddr_un un;
	size_t len = args[2] > sizeof(un) ? sizeof(un) : (size_t)args[2];
	char path[sizeof(un.sun_path) + 1], abs[PATH_MAX];
	const char *why;

	memset(&un, 0, sizeof(un));
	if (!pc->fs || len <= offsetof(struct sockaddr_un, sun_path) ||
	    ucopy_read_exact(pid, args[1], &un, len) < 0 || un.sun_path[0] == '\0')
		return PATH_PASS;
	snprintf(path, sizeof(path), "%.*s", (int)(len - offsetof(struct sockaddr_un, sun_path)),
		 un.sun_path);
	if (!resolve(pc, pid, AT_FDCWD, path, abs) || fs_allows(pc, ACC_WRITE, abs, &why))
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
static enum path_verdict check_port(const struct pathcheck *pc, pid_t pid, int nr,
				    const uint64_t args[6], struct strbuf *note)
{
	bool bind = nr == __NR_bind;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
	} u;
	size_t len = args[2] > sizeof(u) ? sizeof(u) : (size_t)args[2];
	unsigned int port;

	if (len < 4 || ucopy_read_exact(pid, args[1], &u, len) < 0)
		return PATH_PASS;
	if (u.sa.sa_family == AF_UNIX)
		return check_unix(pc, pid, args, bind, note);
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

enum path_verdict paths_check(const struct pathcheck *pc, pid_t pid, int nr, const uint64_t args[6],
			      struct strbuf *note)
{
	const struct syscall_row *row;
	uint64_t flags;

	if (!pc)
		return PATH_PASS;
	if (nr == __NR_connect || nr == __NR_bind)
		return check_port(pc, pid, nr, args, note);
	row = pc->fs ? syscall_by_nr(nr) : NULL;
	if (!row || !row->n_paths)
		return PATH_PASS;
	flags = open_flags(row, args);
	if (row->paths[0].access == ACC_OPEN2 &&
	    ucopy_read_exact(pid, args[2], &flags, sizeof(flags)) < 0)
		return PATH_PASS;
	for (int k = 0; k < row->n_paths; k++) {
		enum path_verdict v = check_one(pc, pid, args, &row->paths[k], flags, note);

		if (v != PATH_PASS)
			return v;
	}
	return PATH_PASS;
}
