/* SPDX-License-Identifier: MIT */
/*
 * landlock.c - owns the Landlock ruleset: ABI detection, the mapping of
 * read/write/exec/deny lists and TCP ports to Landlock rights and rules,
 * and the one call the child makes.
 *
 * Landlock only grants: a rule on a directory gives its rights to
 * everything beneath it. A "deny" entry under an allowed directory is made
 * by not granting the directory itself, but each of its entries except the
 * one leading to the denied path, level by level; the directories on the
 * way keep only the right to be listed. So files created later in those
 * directories get no rights, and nothing can be created in them.
 */
#include "landlock.h"

#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FS_READ (LL_FS_READ_FILE | LL_FS_READ_DIR)
#define FS_EXEC (LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR)
#define FS_WRITE                                                                                   \
	(FS_READ | LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |      \
	 LL_FS_MAKE_CHAR | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO |   \
	 LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM | LL_FS_REFER | LL_FS_IOCTL_DEV)
#define FS_FILE_RIGHTS LL_FILE_RIGHTS

int landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);

	return v > 0 ? (int)v : 0;
}

/* Everything the filesystem part can restrict under |abi|. */
static uint64_t fs_handled(int abi)
{
	uint64_t all = (LL_FS_MAKE_SYM << 1) - 1; /* ABI 1 */

	if (abi >= 2)
		all |= LL_FS_REFER;
	if (abi >= 3)
		all |= LL_FS_TRUNCATE;
	if (abi >= 5)
		all |= LL_FS_IOCTL_DEV;
	return all;
}

struct builder {
	int fd;
	int root_fd; /* the sandbox's "/" to resolve paths in; -1: the host's */
	uint64_t handled;
	const struct policy_fs *fs;
	char *const *deny; /* canonical deny paths */
	size_t n_deny;
	struct strbuf *why;
};

static int add_rule(struct builder *b, int pfd, uint64_t rights, const char *path)
{
	struct ll_path_beneath_attr attr = {.allowed_access = rights & b->handled,
					    .parent_fd = pfd};

	if (!attr.allowed_access)
		return 0;
	if (syscall(SYS_landlock_add_rule, b->fd, LL_RULE_PATH_BENEATH, &attr, 0) < 0) {
		strbuf_printf(b->why, "filesystem: cannot add a rule for %s: %s", path,
			      strerror(errno));
		return -errno;
	}
	return 0;
}

/* opendir() of |path| in the builder's root. */
static DIR *open_dir(const struct builder *b, const char *path)
{
	int fd = path_open_in(b->root_fd, path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/* Grant |rights| on |path| and beneath, except on deny entries and beneath them. */
static int grant(struct builder *b, const char *path, uint64_t rights, int depth)
{
	_cleanup_close_ int pfd = -1;
	bool deny_below = false;
	struct stat st;
	DIR *d;
	struct dirent *de;
	int r = 0;

	for (size_t i = 0; i < b->n_deny; i++) {
		if (strcmp(b->deny[i], path) == 0)
			return 0; /* denied itself */
		deny_below = deny_below || path_beneath(b->deny[i], path);
	}
	pfd = path_open_in(b->root_fd, path, O_PATH);
	if (pfd < 0)
		errno = -pfd;
	if (pfd < 0 || fstat(pfd, &st) < 0) {
		if (depth > 0)
			return 0; /* an entry vanished while we walked */
		strbuf_printf(b->why, "filesystem: cannot use %s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode))
		return add_rule(b, pfd, rights & FS_FILE_RIGHTS, path);
	if (!deny_below || depth > 64)
		return add_rule(b, pfd, rights, path);
	/* On the way to a denied path: listable, and each entry on its own. */
	r = add_rule(b, pfd, rights & LL_FS_READ_DIR, path);
	d = r == 0 ? open_dir(b, path) : NULL;
	if (r == 0 && !d) {
		strbuf_printf(b->why, "filesystem: cannot list %s: %s", path, strerror(errno));
		return -errno;
	}
	while (r == 0 && d && (de = readdir(d))) {
		char child[PATH_MAX];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s%s%s", path, strcmp(path, "/") ? "/" : "",
			     de->d_name) >= (int)sizeof(child))
			continue;
		r = grant(b, child, rights, depth + 1);
	}
	if (d)
		closedir(d);
	return r;
}

/* |path| made absolute (from |cwd|) and canonical in |root_fd|; malloc'd, or NULL with errno. */
static char *canonical(int root_fd, const char *path, const char *cwd)
{
	char joined[PATH_MAX], real[PATH_MAX];

	if (snprintf(joined, sizeof(joined), "%s%s%s", *path == '/' ? "" : cwd,
		     *path == '/' ? "" : "/", path) >= (int)sizeof(joined)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (!path_real_in(root_fd, joined, real)) {
		errno = errno ?: ENOENT;
		return NULL;
	}
	return xstrdup(real);
}

static int add_fs(struct builder *b, const char *cwd)
{
	struct {
		char **list;
		size_t n;
		uint64_t rights;
	} kinds[] = {
		{b->fs->read, b->fs->n_read, FS_READ},
		{b->fs->write, b->fs->n_write, FS_WRITE},
		{b->fs->exec, b->fs->n_exec, FS_EXEC},
	};
	int r = 0;

	for (size_t k = 0; r == 0 && k < ARRAY_SIZE(kinds); k++) {
		for (size_t i = 0; r == 0 && i < kinds[k].n; i++) {
			_cleanup_free_ char *path = canonical(b->root_fd, kinds[k].list[i], cwd);

			if (!path) {
				strbuf_printf(b->why, "filesystem: cannot use %s: %s",
					      kinds[k].list[i], strerror(errno));
				return -errno;
			}
			r = grant(b, path, kinds[k].rights, 0);
		}
	}
	return r;
}

static int add_ports(int fd, const uint16_t *ports, size_t n, uint64_t access, struct strbuf *why)
{
	for (size_t i = 0; i < n; i++) {
		struct ll_net_port_attr attr = {.allowed_access = access, .port = ports[i]};

		if (syscall(SYS_landlock_add_rule, fd, LL_RULE_NET_PORT, &attr, 0) < 0) {
			strbuf_printf(why, "network: cannot add a rule for port %u: %s", ports[i],
				      strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int make_ruleset(uint64_t fs, uint64_t net, uint64_t scoped, int *ret_fd, struct strbuf *why)
{
	struct ll_ruleset_attr attr = {
		.handled_access_fs = fs, .handled_access_net = net, .scoped = scoped};
	/* Older ABIs know only the first fields. */
	size_t size = scoped ? sizeof(attr)
		      : net  ? 2 * sizeof(uint64_t)
			     : sizeof(attr.handled_access_fs);
	long fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);

	if (fd < 0) {
		strbuf_printf(why, "cannot create a Landlock ruleset: %s", strerror(errno));
		return -errno;
	}
	*ret_fd = (int)fd;
	return 0;
}

int landlock_prepare(const struct policy *p, int root_fd, const char *cwd, int abi, uint64_t scoped,
		     int *ret_fd, struct strbuf *why)
{
	const struct policy_net *n = &p->net;
	uint64_t net =
		(n->has_bind ? LL_NET_BIND_TCP : 0) | (n->has_connect ? LL_NET_CONNECT_TCP : 0);
	struct builder b = {.fd = -1, .root_fd = root_fd, .fs = &p->fs, .why = why};
	char **deny = NULL;
	int r;

	*ret_fd = -1;
	if (!p->fs.present && !net)
		return 0;
	if (abi <= 0 || (net && abi < 4)) {
		strbuf_printf(why,
			      "this policy has %s rules, which only Landlock enforces without a "
			      "race, and %s; refusing to run it without them",
			      p->fs.present ? "filesystem" : "TCP port",
			      abi <= 0 ? "this kernel has no Landlock (or it is turned off)"
				       : "this kernel's Landlock is older than ABI 4 (ports)");
		return -EOPNOTSUPP;
	}
	b.handled = p->fs.present ? fs_handled(abi) : 0;
	r = make_ruleset(b.handled, net, abi >= 6 ? scoped : 0, &b.fd, why);
	if (r < 0)
		return r;
	if (p->fs.present) {
		deny = calloc(p->fs.n_deny + 1, sizeof(*deny));
		r = deny ? 0 : -ENOMEM;
		for (size_t i = 0; r == 0 && i < p->fs.n_deny; i++) {
			char *c = canonical(root_fd, p->fs.deny[i], cwd);

			/* A denied path that does not exist denies nothing yet. */
			if (c)
				deny[b.n_deny++] = c;
		}
		b.deny = deny;
		if (r == 0)
			r = add_fs(&b, cwd);
	}
	if (r == 0)
		r = add_ports(b.fd, n->bind, n->n_bind, LL_NET_BIND_TCP, why);
	if (r == 0)
		r = add_ports(b.fd, n->connect, n->n_connect, LL_NET_CONNECT_TCP, why);
	for (size_t i = 0; deny && i < b.n_deny; i++)
		free(deny[i]);
	free(deny);
	if (r < 0) {
		close(b.fd);
		return r;
	}
	*ret_fd = b.fd;
	return 0;
}

int landlock_enforce(int ruleset_fd)
{
	if (ruleset_fd < 0)
		return 0;
	return syscall(SYS_landlock_restrict_self, ruleset_fd, 0) < 0 ? -errno : 0;
}

static int add_path_rule(int ruleset, int fd, uint64_t rights)
{
	struct ll_path_beneath_attr attr = {.allowed_access = rights, .parent_fd = fd};

	if (!rights)
		return 0;
	return syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &attr, 0) < 0 ? -errno
											   : 0;
}

int landlock_child_ruleset(uint64_t handled, uint64_t scoped, const char *const *paths,
			   const uint64_t *rights, size_t n, int *ret_index)
{
	struct ll_ruleset_attr attr = {.handled_access_fs = handled, .scoped = scoped};
	/* Kernels before ABI 6 know only the first two fields. */
	size_t size = scoped ? sizeof(attr) : 2 * sizeof(uint64_t);
	long ruleset = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	int r = 0;

	*ret_index = -1;
	if (ruleset < 0)
		return -errno;
	for (size_t i = 0; r == 0 && i < n; i++) {
		int fd = open(paths[i], O_PATH | O_CLOEXEC);
		struct stat st;

		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0)
			r = add_path_rule(
				(int)ruleset, fd,
				rights[i] & handled &
					(S_ISDIR(st.st_mode) ? ~(uint64_t)0 : FS_FILE_RIGHTS));
		close(fd);
		if (r < 0)
			*ret_index = (int)i;
	}
	if (r < 0) {
		close((int)ruleset);
		return r;
	}
	return (int)ruleset;
}

void landlock_grant_fd(int ruleset_fd, int fd, uint64_t rights)
{
	struct stat st;

	if (ruleset_fd < 0 || !rights || fstat(fd, &st) < 0 ||
	    !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		return;
	(void)add_path_rule(ruleset_fd, fd, rights & FS_FILE_RIGHTS);
}
