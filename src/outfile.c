/* SPDX-License-Identifier: MIT */
/*
 * outfile.c - files written for the caller (outfile.h).
 *
 * The new contents go to an O_TMPFILE: a file with no name, which no
 * process of the sandbox can find, open or replace while the program runs.
 * At the end it gets a fresh name in the directory opened at the start
 * (linkat through /proc/self/fd) and is renamed over the target. Where the
 * filesystem has no O_TMPFILE, a named temporary made with O_EXCL does.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/*
 * Where a new file at |path| goes: |path| itself, or where the dangling
 * symbolic link(s) it is point. Writes the absolute result into |out|.
 */
static int follow_dangling(const char *path, char *out, size_t size)
{
	char cur[PATH_MAX], link[PATH_MAX], *slash;
	struct stat st;

	snprintf(cur, sizeof(cur), "%s", path);
	for (int hops = 0; hops < 40; hops++) {
		ssize_t n;

		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode)) {
			snprintf(out, size, "%s", cur);
			return 0;
		}
		n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return -errno;
		link[n] = '\0';
		slash = strrchr(cur, '/');
		if (link[0] == '/' || !slash)
			snprintf(cur, sizeof(cur), "%s", link);
		else if (snprintf(slash + 1, sizeof(cur) - (size_t)(slash + 1 - cur), "%s", link) >=
			 (int)(sizeof(cur) - (size_t)(slash + 1 - cur)))
			return -ENAMETOOLONG;
	}
	return -ELOOP;
}

/* The canonical path of a new file |path|: its directory made canonical, its name kept. */
static char *new_file_target(const char *path)
{
	char followed[PATH_MAX], dir[PATH_MAX], real[PATH_MAX], *base;
	int r = follow_dangling(path, followed, sizeof(followed));

	if (r < 0) {
		errno = -r;
		return NULL;
	}
	base = strrchr(followed, '/');
	if (!base)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", base == followed ? 1 : (int)(base - followed),
			 followed);
	base = base ? base + 1 : followed;
	if (!*base || !realpath(dir, real)) {
		errno = *base ? errno : EISDIR;
		return NULL;
	}
	if (snprintf(dir, sizeof(dir), "%s/%s", strcmp(real, "/") ? real : "", base) >=
	    (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return xstrdup(dir);
}

static int open_direct(const char *path, struct outfile *f)
{
	f->direct = true;
	if (strcmp(path, "-") == 0)
		f->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	else /* a FIFO nobody reads fails now (ENXIO) instead of blocking */
		f->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (f->fd < 0)
		return -errno;
	return fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) & ~O_NONBLOCK) < 0 ? -errno : 0;
}

/* A name for a temporary beside the target: ".NAME.sandbox-XXXXXX" (random). */
static char *fresh_name(const char *name)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct timespec ts;
	char *s;
	unsigned long long x;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	x = (unsigned long long)ts.tv_nsec * 6364136223846793005ULL ^ (unsigned long long)getpid();
	if (asprintf(&s, ".%s.sandbox-XXXXXX", name) < 0)
		return NULL;
	for (char *p = s + strlen(s) - 6; *p; p++, x /= 36)
		*p = digits[x % 36];
	return s;
}

/* No O_TMPFILE here: a named temporary, made with O_EXCL so nothing else is opened. */
static int named_tmp(struct outfile *f)
{
	int r = 0;

	f->named_tmp = true;
	for (int tries = 0; tries < 100; tries++) {
		free(f->tmp);
		f->tmp = fresh_name(f->name);
		if (!f->tmp)
			return -ENOMEM;
		f->fd = openat(f->dirfd, f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			       0644);
		if (f->fd >= 0)
			return 0;
		r = -errno;
		if (r != -EEXIST)
			break;
	}
	free(f->tmp);
	f->tmp = NULL;
	return r;
}

int outfile_open(const char *path, struct outfile *f)
{
	_cleanup_free_ char *target = NULL;
	struct stat st;
	bool exists;
	char *slash;
	int r;

	*f = (struct outfile)OUTFILE_INIT;
	if (strcmp(path, "-") == 0)
		return open_direct(path, f);
	exists = stat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		return -errno;
	if (exists && S_ISDIR(st.st_mode))
		return -EISDIR;
	/* A terminal, a pipe, a device: written through, by the path as given. */
	if (exists && !S_ISREG(st.st_mode))
		return open_direct(path, f);
	target = exists ? realpath(path, NULL) : new_file_target(path);
	if (!target)
		return -errno;
	slash = strrchr(target, '/');
	f->name = xstrdup(slash + 1);
	*slash = '\0';
	f->dirfd = open(*target ? target : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!f->name || f->dirfd < 0) {
		r = f->name ? -errno : -ENOMEM;
		outfile_close(f);
		return r;
	}
	f->fd = openat(f->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	r = f->fd >= 0 ? 0 : -errno;
	if (r == -EOPNOTSUPP || r == -EISDIR || r == -EINVAL)
		r = named_tmp(f);
	if (r < 0)
		outfile_close(f);
	return r;
}

/* The unnamed file gets a fresh name of its own in the directory. */
static int link_tmpfile(struct outfile *f)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	for (int tries = 0; tries < 100; tries++) {
		free(f->tmp);
		f->tmp = fresh_name(f->name);
		if (!f->tmp)
			return -ENOMEM;
		if (linkat(AT_FDCWD, proc, f->dirfd, f->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST) {
			free(f->tmp);
			f->tmp = NULL;
			return -errno;
		}
	}
	return -EEXIST;
}

int outfile_commit(struct outfile *f, const char *text)
{
	int r = write_all(f->fd, text, strlen(text));

	if (r == 0)
		r = write_all(f->fd, "\n", 1);
	if (r == 0 && !f->direct && fsync(f->fd) < 0)
		r = -errno;
	if (r == 0 && !f->direct && !f->named_tmp)
		r = link_tmpfile(f);
	if (r == 0 && !f->direct && renameat(f->dirfd, f->tmp, f->dirfd, f->name) < 0)
		r = -errno;
	if (r == 0 && !f->direct) {
		free(f->tmp); /* renamed: nothing to remove */
		f->tmp = NULL;
	}
	outfile_close(f);
	return r;
}

void outfile_close(struct outfile *f)
{
	if (f->tmp && f->dirfd >= 0)
		unlinkat(f->dirfd, f->tmp, 0);
	if (f->fd >= 0)
		close(f->fd);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->tmp);
	free(f->name);
	*f = (struct outfile)OUTFILE_INIT;
}

int outfile_write(const char *path, const char *text)
{
	struct outfile f;
	int r = outfile_open(path, &f);

	return r < 0 ? r : outfile_commit(&f, text);
}
