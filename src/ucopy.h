/* SPDX-License-Identifier: MIT */
/*
 * ucopy.h - reading a stopped tracee's memory: bytes, C strings and
 * pointer-sized words. Everything goes through /proc/PID/mem, falling back
 * to PTRACE_PEEKDATA when that cannot be opened. Nothing here formats or
 * decides; the decoder (decode.c) and the path checks (paths.c) use it.
 *
 * |pid| must be a task the caller may read (a stopped tracee, or the
 * caller itself); |addr| is an address in that task.
 */
#ifndef SBX_UCOPY_H
#define SBX_UCOPY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Copy up to |len| bytes from |addr| in |pid| into |buf|, through
 * /proc/PID/mem: a page the kernel cannot bring in at once (userfaultfd,
 * a stalled filesystem) fails with EIO instead of blocking the caller.
 * Returns the number of bytes read (short when the range runs into
 * unmapped memory) or -errno.
 */
long ucopy_read(pid_t pid, uint64_t addr, void *buf, size_t len);

/* The same, all |len| bytes or nothing: 0, or -errno (-EFAULT when short). */
int ucopy_read_exact(pid_t pid, uint64_t addr, void *buf, size_t len);

/*
 * Read a NUL-terminated string of at most |max| bytes at |addr| into |buf|
 * (|max| + 1 bytes). Returns its length, |max| + 1 when it is longer (not
 * terminated then), or -1 when the memory ends before a NUL.
 */
long ucopy_read_cstring(pid_t pid, uint64_t addr, char *buf, size_t max);

/*
 * The same reads through |mem_fd|, a descriptor of /proc/|pid|/mem the
 * caller opened (ucopy_open_mem(), or openat() of "mem" in a /proc/PID
 * directory) and still owns; a negative |mem_fd| reads with
 * PTRACE_PEEKDATA, as the forms above do when the open fails. The
 * descriptor reads the memory the task had when it was opened: after an
 * exec it reads the old image, or nothing, so it must not outlive the stop.
 */
int ucopy_open_mem(pid_t pid); /* O_RDONLY | O_CLOEXEC; -1 and errno on failure */
long ucopy_read_fd(int mem_fd, pid_t pid, uint64_t addr, void *buf, size_t len);
int ucopy_read_exact_fd(int mem_fd, pid_t pid, uint64_t addr, void *buf, size_t len);
long ucopy_read_cstring_fd(int mem_fd, pid_t pid, uint64_t addr, char *buf, size_t max);

/*
 * Read one pointer-sized word of |width| bytes (4 in a 32-bit ABI, else 8)
 * at |addr| into |ret|, zero-extended. Returns 0 or -errno.
 */
int ucopy_read_word(pid_t pid, uint64_t addr, unsigned int width, uint64_t *ret);

/*
 * ucopy_read() with PTRACE_PEEKDATA, one word at a time: the fallback when
 * /proc/PID/mem cannot be opened. |pid| must be a stopped tracee of the
 * caller. Exposed for tests.
 */
long ucopy_read_ptrace(pid_t pid, uint64_t addr, void *buf, size_t len);

#endif
