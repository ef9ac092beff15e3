/* SPDX-License-Identifier: MIT */
#include "procfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

ssize_t proc_read(pid_t pid, const char *file, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

long proc_text_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

long proc_field(pid_t pid, const char *file, const char *key)
{
	char buf[2048];

	return proc_read(pid, file, buf, sizeof(buf)) > 0 ? proc_text_field(buf, key) : -1;
}

ssize_t proc_link(pid_t pid, const char *what, char *out, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/%s", (int)pid, what);
	n = readlink(link, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	return n > 0 ? n : -1;
}
