/* SPDX-License-Identifier: MIT */
/*
 * cgroup.c - owns the sandbox's cgroup v2 directory: discovery, creation,
 * the few files read for accounting, removal.
 */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read a small file (at most |size| - 1 bytes) into |buf|, NUL-terminated. */
static int read_small(int dirfd, const char *name, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -errno;
	while (done < size - 1) {
		ssize_t n = read(fd, buf + done, size - 1 - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	buf[done] = '\0';
	return (int)done;
}

static int write_small(int dirfd, const char *name, const char *text)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);

	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		return -errno;
	return 0;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* The cgroup2 mount's root and mount point from one mountinfo line. */
static bool parse_mount_line(char *line, char **ret_root, char **ret_point)
{
	char *fields[6], *sep, *save = NULL;
	int n = 0;

	sep = strstr(line, " - ");
	if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
		return false;
	*sep = '\0';
	for (char *f = strtok_r(line, " ", &save); f && n < 6; f = strtok_r(NULL, " ", &save))
		fields[n++] = f;
	if (n < 5)
		return false;
	*ret_root = fields[3];
	*ret_point = fields[4];
	unescape(*ret_root);
	unescape(*ret_point);
	return true;
}

int cgroup_find_own(const char *mountinfo, const char *proc_cgroup, char **ret_dir)
{
	_cleanup_free_ char *rel = NULL, *root = NULL, *point = NULL;
	char line[4096];
	const char *sub;
	FILE *f;

	f = fopen(proc_cgroup, "re");
	if (!f)
		return -errno;
	while (!rel && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "0::", 3) == 0)
			rel = xstrdup(line + 3);
	}
	fclose(f);
	f = fopen(mountinfo, "re");
	if (!f)
		return -errno;
	while (!point && fgets(line, sizeof(line), f)) {
		char *r, *p;

		line[strcspn(line, "\n")] = '\0';
		if (parse_mount_line(line, &r, &p)) {
			root = xstrdup(r);
			point = xstrdup(p);
		}
	}
	fclose(f);
	if (!rel || !point || !root)
		return -ENOENT;
	/* Inside a cgroup namespace the mount's root may be a prefix of the path. */
	sub = rel;
	if (strcmp(root, "/") != 0 && strncmp(rel, root, strlen(root)) == 0)
		sub = rel + strlen(root);
	if (asprintf(ret_dir, "%s%s%s", point, *sub == '/' || !*sub ? "" : "/",
		     strcmp(sub, "/") == 0 ? "" : sub) < 0)
		return -ENOMEM;
	return 0;
}

/* True when the space-separated |list| holds |word|. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

bool cgroup_memory_on_v1(const char *proc_cgroup)
{
	char buf[4096], *save = NULL;
	int n = read_small(AT_FDCWD, proc_cgroup, buf, sizeof(buf));

	if (n < 0)
		return false;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *list = strchr(line, ':'), *end, *c, *csave = NULL;

		if (!list || strncmp(line, "0:", 2) == 0)
			continue;
		end = strchr(++list, ':');
		if (!end)
			continue;
		*end = '\0';
		for (c = strtok_r(list, ",", &csave); c; c = strtok_r(NULL, ",", &csave))
			if (strcmp(c, "memory") == 0)
				return true;
	}
	return false;
}

bool cgroup_has_controller(const char *dir, const char *controller)
{
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char buf[512];

	return fd >= 0 && read_small(fd, "cgroup.subtree_control", buf, sizeof(buf)) >= 0 &&
	       has_word(buf, controller);
}

static int make_child(const char *parent, uint64_t memory_max, struct cgroup *ret)
{
	/* distinct names for the cgroups of one process's runs, from any thread */
	static _Atomic unsigned int seq;
	char max[32];
	int r;

	if (asprintf(&ret->path, "%s/sandbox-%d-%u", parent, (int)getpid(), seq++) < 0) {
		ret->path = NULL;
		return -ENOMEM;
	}
	if (mkdir(ret->path, 0755) < 0) {
		r = -errno;
		free(ret->path);
		ret->path = NULL;
		return r;
	}
	ret->dirfd = open(ret->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ret->dirfd < 0)
		return -errno;
	if (memory_max) {
		snprintf(max, sizeof(max), "%llu", (unsigned long long)memory_max);
		r = write_small(ret->dirfd, "memory.max", max);
		if (r < 0)
			return r;
		/* Swap would let the tree exceed the limit unseen; absent without swap accounting.
		 */
		r = write_small(ret->dirfd, "memory.swap.max", "0");
		if (r < 0 && r != -ENOENT)
			return r;
	}
	/* An OOM kill takes the whole tree, like every other limit. */
	r = write_small(ret->dirfd, "memory.oom.group", "1");
	return r == -ENOENT ? 0 : r;
}

int cgroup_open(const char *parent, uint64_t memory_max, struct cgroup *ret, struct strbuf *why)
{
	_cleanup_free_ char *own = NULL;
	int r;

	*ret = (struct cgroup){.dirfd = -1};
	if (!parent && cgroup_memory_on_v1("/proc/self/cgroup")) {
		strbuf_append(why, "the memory controller is bound to a cgroup v1 hierarchy");
		return -ENOTSUP;
	}
	if (!parent) {
		r = cgroup_find_own("/proc/self/mountinfo", "/proc/self/cgroup", &own);
		if (r < 0) {
			strbuf_append(why, "no cgroup v2 hierarchy for this process");
			return -ENOTSUP;
		}
		parent = own;
	}
	if (!cgroup_has_controller(parent, "memory")) {
		strbuf_printf(why, "the memory controller is not enabled for the children of %s",
			      parent);
		return -ENOTSUP;
	}
	r = make_child(parent, memory_max, ret);
	if (r < 0) {
		strbuf_printf(why, "cannot create a cgroup under %s: %s", parent, strerror(-r));
		cgroup_close(ret);
	}
	return r;
}

int cgroup_attach(const struct cgroup *cg, pid_t pid)
{
	char text[32];

	snprintf(text, sizeof(text), "%d", (int)pid);
	return write_small(cg->dirfd, "cgroup.procs", text);
}

static int read_u64(const struct cgroup *cg, const char *name, uint64_t *ret)
{
	char buf[64];
	int r = read_small(cg->dirfd, name, buf, sizeof(buf));

	if (r < 0)
		return r;
	if (sscanf(buf, "%" SCNu64, ret) != 1)
		return -EIO;
	return 0;
}

/* The value of |key| in a flat-keyed file ("key value" lines). */
static int read_key(const struct cgroup *cg, const char *name, const char *key, uint64_t *ret)
{
	char buf[4096];
	size_t n = strlen(key);
	int r = read_small(cg->dirfd, name, buf, sizeof(buf));

	if (r < 0)
		return r;
	for (char *line = buf; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (strncmp(line, key, n) == 0 && line[n] == ' ')
			return sscanf(line + n + 1, "%" SCNu64, ret) == 1 ? 0 : -EIO;
	return -ENOENT;
}

int cgroup_memory_peak(const struct cgroup *cg, uint64_t *ret_bytes)
{
	int r = read_u64(cg, "memory.peak", ret_bytes); /* Linux 5.19+ */

	return r == -ENOENT ? read_u64(cg, "memory.current", ret_bytes) : r;
}

int cgroup_oom_kills(const struct cgroup *cg, uint64_t *ret)
{
	return read_key(cg, "memory.events", "oom_kill", ret);
}

int cgroup_cpu_usec(const struct cgroup *cg, uint64_t *ret_usec)
{
	return read_key(cg, "cpu.stat", "usage_usec", ret_usec);
}

int cgroup_kill(const struct cgroup *cg)
{
	return write_small(cg->dirfd, "cgroup.kill", "1");
}

void cgroup_close(struct cgroup *cg)
{
	if (cg->dirfd >= 0)
		close(cg->dirfd);
	if (cg->path)
		rmdir(cg->path);
	free(cg->path);
	*cg = (struct cgroup){.dirfd = -1};
}
