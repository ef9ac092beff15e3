/* SPDX-License-Identifier: MIT */
/*
 * procfs.h - owns reading /proc/PID/...: whole small files, one "Key:" line
 * of them, and symbolic links. Returns what the kernel said; decides
 * nothing.
 */
#ifndef SBX_PROCFS_H
#define SBX_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read /proc/|pid|/|file| ("status", "stat", "fdinfo/3") into |buf|, at most
 * |size| - 1 bytes, NUL-terminated. Returns the length, or -1.
 */
ssize_t proc_read(pid_t pid, const char *file, char *buf, size_t size);

/*
 * The number after |key| in /proc/|pid|/|file|: proc_field(pid, "status",
 * "\nTgid:"). -1 when the file or the key is missing.
 */
long proc_field(pid_t pid, const char *file, const char *key);

/* The number after |key| in |text| (a /proc file already read), or -1. */
long proc_text_field(const char *text, const char *key);

/* The target of /proc/|pid|/|what| ("exe", "cwd", "fd/3") into |out|; its length or -1. */
ssize_t proc_link(pid_t pid, const char *what, char *out, size_t size);

#endif
