/* SPDX-License-Identifier: MIT */
/*
 * outfile.h - the files the sandbox writes for its caller (the report, a
 * learned policy). Opened before the program runs, where the program can
 * neither see nor touch the file being written; replaced atomically after.
 *
 * Only a regular file is ever replaced. A path that leads to something else
 * (a terminal, a pipe, /dev/null, /dev/stdout, "-" for standard output) is
 * written through, as --log and --stdout are. No symbolic link is followed
 * on the way to a regular file (-ELOOP): the program may have planted one
 * in a directory it wrote, to make the sandbox write elsewhere.
 */
#ifndef SBX_OUTFILE_H
#define SBX_OUTFILE_H

#include <stdbool.h>

struct outfile {
	int dirfd;  /* the target's directory, opened at outfile_open(); -1 when direct */
	int fd;	    /* an unnamed file in that directory (O_TMPFILE), or the target itself */
	char *name; /* the target's name in |dirfd| */
	bool direct;
	bool named_tmp; /* no O_TMPFILE on that filesystem: |tmp| is a named temporary */
	char *tmp;
};

#define OUTFILE_INIT                                                                               \
	{                                                                                          \
		.dirfd = -1, .fd = -1                                                              \
	}

/*
 * Get ready to write |path|: its directory must be writable (or the target
 * writable as it is). Returns 0, or -errno: nothing is created that
 * outfile_close() would not remove.
 */
int outfile_open(const char *path, struct outfile *f);

/*
 * Write |text| and a newline, fsync, and put it in place: a rename over a
 * regular file (any other reader sees the old file or the new one, never
 * a part), or a write through anything else. Closes |f| either way.
 * Returns 0 or -errno (the old file is then untouched).
 */
int outfile_commit(struct outfile *f, const char *text);

/* Give up: nothing is left behind. Accepts a closed |f|. */
void outfile_close(struct outfile *f);

/* outfile_open() and outfile_commit() at once. */
int outfile_write(const char *path, const char *text);

#endif
