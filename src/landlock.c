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

/* From linux/landlock.h, spelled out: Debian 12's headers predate ABI 4-7. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH	  1
#define LL_RULE_NET_PORT	  2

#define LL_FS_EXECUTE	  (1ULL << 0)
#define LL_FS_WRITE_FILE  (1ULL << 1)
#define LL_FS_READ_FILE	  (1ULL << 2)
#define LL_FS_READ_DIR	  (1ULL << 3)
#define LL_FS_REMOVE_DIR  (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR	  (1ULL << 6)
#define LL_FS_MAKE_DIR	  (1ULL << 7)
#define LL_FS_MAKE_REG	  (1ULL << 8)
#define LL_FS_MAKE_SOCK	  (1ULL << 9)
#define LL_FS_MAKE_FIFO	  (1ULL << 10)
#define LL_FS_MAKE_BLOCK  (1ULL << 11)
#define LL_FS_MAKE_SYM	  (1ULL << 12)
#define LL_FS_REFER	  (1ULL << 13) /* ABI 2 */
#define LL_FS_TRUNCATE	  (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV	  (1ULL << 15) /* ABI 5 */

#define LL_NET_BIND_TCP	   (1ULL << 0) /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#define FS_READ (LL_FS_READ_FILE | LL_FS_READ_DIR)
#define FS_EXEC (LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR)
#define FS_WRITE                                                                                   \
	(FS_READ | LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |      \
	 LL_FS_MAKE_CHAR | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO |   \
	 LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM | LL_FS_REFER | LL_FS_IOCTL_DEV)
/* Rights a rule on a file (not a directory) may carry. */
#define FS_FILE_RIGHTS                                                                             \
	(LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

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
	pfd = open(path, O_PATH | O_CLOEXEC);
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
	d = r == 0 ? opendir(path) : NULL;
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

/* |path| made absolute (from |cwd|) and canonical; malloc'd, or NULL with errno. */
static char *canonical(const char *path, const char *cwd)
{
	char joined[PATH_MAX], real[PATH_MAX];

	if (snprintf(joined, sizeof(joined), "%s%s%s", *path == '/' ? "" : cwd,
		     *path == '/' ? "" : "/", path) >= (int)sizeof(joined)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return realpath(joined, real) ? xstrdup(real) : NULL;
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
			_cleanup_free_ char *path = canonical(kinds[k].list[i], cwd);

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

static int make_ruleset(uint64_t fs, uint64_t net, int *ret_fd, struct strbuf *why)
{
	struct ll_ruleset_attr attr = {.handled_access_fs = fs, .handled_access_net = net};
	/* Older ABIs know only the first field. */
	size_t size = net ? sizeof(attr) : sizeof(attr.handled_access_fs);
	long fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);

	if (fd < 0) {
		strbuf_printf(why, "cannot create a Landlock ruleset: %s", strerror(errno));
		return -errno;
	}
	*ret_fd = (int)fd;
	return 0;
}

int landlock_prepare(const struct policy *p, const char *cwd, int abi, int *ret_fd,
		     struct strbuf *why)
{
	const struct policy_net *n = &p->net;
	uint64_t net =
		(n->has_bind ? LL_NET_BIND_TCP : 0) | (n->has_connect ? LL_NET_CONNECT_TCP : 0);
	struct builder b = {.fd = -1, .fs = &p->fs};
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
	r = make_ruleset(b.handled, net, &b.fd, why);
	if (r < 0)
		return r;
	if (p->fs.present) {
		deny = calloc(p->fs.n_deny + 1, sizeof(*deny));
		r = deny ? 0 : -ENOMEM;
		for (size_t i = 0; r == 0 && i < p->fs.n_deny; i++) {
			char *c = canonical(p->fs.deny[i], cwd);

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
