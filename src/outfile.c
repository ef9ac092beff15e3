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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

static int open_direct(const char *path, struct outfile *f)
{
	f->direct = true;
	if (strcmp(path, "-") == 0)
		f->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	else /* a FIFO nobody reads fails now (ENXIO) instead of blocking */
		f->fd = path_open_nofollow(path, O_WRONLY | O_NOCTTY | O_NONBLOCK, 0);
	if (f->fd < 0)
		return f->fd == -1 ? -errno : f->fd;
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
		f->fd = openat(f->dirfd, f->tmp,
			       O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
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
	_cleanup_free_ char *copy = NULL;
	char dir[PATH_MAX], *slash;
	struct stat st;
	int probe, r;

	*f = (struct outfile)OUTFILE_INIT;
	if (strcmp(path, "-") == 0)
		return open_direct(path, f);
	/* What is there, reached through no link but one to a terminal, a pipe or a device. */
	probe = path_open_nofollow(path, O_PATH, 0);
	if (probe >= 0) {
		r = fstat(probe, &st) < 0 ? -errno : 0;
		close(probe);
		if (r < 0)
			return r;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode))
			return open_direct(path, f);
	} else if (probe != -ENOENT) {
		return probe;
	}
	/* A regular file or a new one: replaced in its directory, opened through no link. */
	copy = xstrdup(path);
	if (!copy)
		return -ENOMEM;
	slash = strrchr(copy, '/');
	if (slash && !slash[1])
		return -EISDIR;
	f->name = xstrdup(slash ? slash + 1 : copy);
	if (slash)
		*slash = '\0';
	r = f->name ? path_real_nofollow(slash ? (*copy ? copy : "/") : ".", dir) : -ENOMEM;
	if (r == 0) {
		f->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		r = f->dirfd < 0 ? -errno : 0;
	}
	if (r == 0) {
		f->fd = openat(f->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
		r = f->fd >= 0 ? 0 : -errno;
		if (r == -EOPNOTSUPP || r == -EISDIR || r == -EINVAL)
			r = named_tmp(f);
	}
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
