/* SPDX-License-Identifier: MIT */
/*
 * ucopy.c - owns every read of a tracee's memory (after strace's ucopy.c):
 * /proc/PID/mem first, PTRACE_PEEKDATA when that cannot be opened. Callers
 * get bytes, C strings or words; what they mean is decided elsewhere. The
 * *_fd forms read through a descriptor the caller opened (ucopy_open_mem()),
 * so a caller that reads several pieces of one call opens it once.
 */
#include "ucopy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

/* The smallest page size: a read split at these boundaries never spans a hole. */
#define PAGE_SIZE_MIN 4096UL

long ucopy_read_ptrace(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		uint64_t at = addr + done;
		uint64_t aligned = at & ~(uint64_t)(sizeof(long) - 1);
		size_t skip = (size_t)(at - aligned);
		size_t n = sizeof(long) - skip;
		long word;

		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, pid, (void *)(uintptr_t)aligned, NULL);
		if (errno)
			return done ? (long)done : -errno;
		if (n > len - done)
			n = len - done;
		memcpy((char *)buf + done, (char *)&word + skip, n);
		done += n;
	}
	return (long)done;
}

int ucopy_open_mem(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * Through /proc/PID/mem, not process_vm_readv(2): the kernel reads a
 * tracee's memory for it without waiting on page faults it cannot resolve
 * at once, so a page registered with userfaultfd (whose handler the
 * program never runs) or held by a stalled filesystem fails with EIO. With
 * process_vm_readv the supervisor would sleep in that fault, killable only,
 * and with it every limit, signal and report of the run. Read one
 * page-bounded piece at a time: a range that runs into unmapped memory then
 * yields everything up to the hole.
 */
long ucopy_read_fd(int mem_fd, pid_t pid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;

	if (addr + len < addr || addr > (uint64_t)INT64_MAX - len)
		return -EFAULT;
	if (mem_fd < 0)
		return ucopy_read_ptrace(pid, addr, buf, len);
	while (done < len) {
		uint64_t at = addr + done;
		size_t n = PAGE_SIZE_MIN - (size_t)(at % PAGE_SIZE_MIN);
		ssize_t got;

		if (n > len - done)
			n = len - done;
		got = pread(mem_fd, (char *)buf + done, n, (off_t)at);
		if (got <= 0) {
			/* EIO: nothing there (unmapped), or nothing to be had now. */
			int err = got < 0 && errno != EIO ? errno : EFAULT;

			return done ? (long)done : -err;
		}
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	return (long)done;
}

long ucopy_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	int fd = ucopy_open_mem(pid);
	long n = ucopy_read_fd(fd, pid, addr, buf, len);

	if (fd >= 0)
		close(fd);
	return n;
}

int ucopy_read_exact_fd(int mem_fd, pid_t pid, uint64_t addr, void *buf, size_t len)
{
	long n = ucopy_read_fd(mem_fd, pid, addr, buf, len);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EFAULT;
}

int ucopy_read_exact(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	int fd = ucopy_open_mem(pid);
	int r = ucopy_read_exact_fd(fd, pid, addr, buf, len);

	if (fd >= 0)
		close(fd);
	return r;
}

/* Page by page, so a string that ends just before a hole is still read. */
long ucopy_read_cstring_fd(int mem_fd, pid_t pid, uint64_t addr, char *buf, size_t max)
{
	size_t done = 0;

	while (done <= max) {
		size_t want = PAGE_SIZE_MIN - (size_t)((addr + done) % PAGE_SIZE_MIN);
		long got;
		char *nul;

		if (want > max + 1 - done)
			want = max + 1 - done;
		got = ucopy_read_fd(mem_fd, pid, addr + done, buf + done, want);
		if (got <= 0)
			return -1;
		nul = memchr(buf + done, '\0', (size_t)got);
		if (nul)
			return nul - buf;
		done += (size_t)got;
		if ((size_t)got < want)
			return -1;
	}
	return (long)max + 1;
}

long ucopy_read_cstring(pid_t pid, uint64_t addr, char *buf, size_t max)
{
	int fd = ucopy_open_mem(pid);
	long n = ucopy_read_cstring_fd(fd, pid, addr, buf, max);

	if (fd >= 0)
		close(fd);
	return n;
}

int ucopy_read_word(pid_t pid, uint64_t addr, unsigned int width, uint64_t *ret)
{
	uint32_t w32;
	uint64_t w64;
	int r;

	if (width == sizeof(w32)) {
		r = ucopy_read_exact(pid, addr, &w32, sizeof(w32));
		if (r == 0)
			*ret = w32;
		return r;
	}
	r = ucopy_read_exact(pid, addr, &w64, sizeof(w64));
	if (r == 0)
		*ret = w64;
	return r;
}
