/* SPDX-License-Identifier: MIT */
/*
 * oci_probe - makes raw system calls listed in a table and prints what each
 * one returned, for tests/oci_runc.py, which runs it under runc and under the
 * sandbox with the same seccomp profile and compares the two outputs.
 *
 *   oci_probe [--from N] TABLE
 *
 * TABLE has one call a line: "ABI NAME [ARG0 .. ARG5]", ABI one of x86_64,
 * i386 and x32, NAME a system call name of that ABI (resolved with libseccomp,
 * so i386 rows use i386 names such as mmap2 or socketcall) or a plain number,
 * the arguments in C syntax (decimal, 0x hex, 0 octal, negative); missing ones
 * are 0. '#' starts a comment; blank lines are skipped. Rows are numbered from
 * 0 in the order they appear, comments and blank lines not counted.
 *
 * After each call it writes one line with write(2), before the next call, so
 * a call that kills the process leaves every earlier line behind:
 *
 *   INDEX ABI NAME -> ok         the call returned a non-negative value
 *   INDEX ABI NAME -> ENAME      it failed with that errno (E123 if unnamed)
 *   INDEX ABI NAME -> unknown    libseccomp has no such name for that ABI
 *
 * and "END" when all rows are done. --from N skips the rows before N. The
 * program is built static and without sanitizers: nothing but the table's
 * calls and its own writes should reach the filter after start-up.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define X32_BIT	    0x40000000L
#define MAX_ARGS    6
#define MAX_LINE    512
#define TABLE_BYTES (1 << 20)

static char table[TABLE_BYTES];

/* Write all of BUF, retrying short writes; nothing is buffered. */
static void put(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		buf += n;
		len -= (size_t)n;
	}
}

/* One output line, built up and then written with a single write(2). */
struct line {
	char buf[MAX_LINE];
	size_t len;
};

static void add_str(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (n > sizeof(l->buf) - 1 - l->len)
		n = sizeof(l->buf) - 1 - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void add_num(struct line *l, long v)
{
	char buf[24];
	int i = (int)sizeof(buf) - 1;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0 && i > 1);
	if (v < 0)
		buf[--i] = '-';
	add_str(l, buf + i);
}

static void fail(const char *what, const char *detail)
{
	static const char prefix[] = "oci_probe: ";

	(void)!write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
	(void)!write(STDERR_FILENO, what, strlen(what));
	if (detail) {
		(void)!write(STDERR_FILENO, ": ", 2);
		(void)!write(STDERR_FILENO, detail, strlen(detail));
	}
	(void)!write(STDERR_FILENO, "\n", 1);
	_exit(2);
}

/* x86_64: the ordinary 64-bit entry. */
static long call_x86_64(long nr, const unsigned long *a)
{
	long ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);

	return ret < 0 ? -errno : ret;
}

/* x32: the 64-bit syscall instruction with the x32 bit in the number. */
static long call_x32(long nr, const unsigned long *a)
{
#if defined(__x86_64__)
	long ret = nr | X32_BIT;
	register unsigned long r10 __asm__("r10") = a[3];
	register unsigned long r8 __asm__("r8") = a[4];
	register unsigned long r9 __asm__("r9") = a[5];

	__asm__ volatile("syscall"
			 : "+a"(ret)
			 : "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
#else
	(void)nr;
	(void)a;
	return -ENOSYS; /* x86_64 only */
#endif
}

/*
 * i386: int $0x80 with 32-bit arguments in ebx, ecx, edx, esi, edi and ebp.
 * ebp may be the frame pointer, so it is saved around the call and loaded
 * from a register the compiler picks.
 */
static long call_i386(long nr, const unsigned long *a)
{
#if defined(__x86_64__)
	int ret = (int)nr;
	unsigned int b = (unsigned int)a[0], c = (unsigned int)a[1], d = (unsigned int)a[2];
	unsigned int s = (unsigned int)a[3], di = (unsigned int)a[4];
	unsigned long bp = (unsigned int)a[5];

	__asm__ volatile("push %%rbp\n\t"
			 "mov %[bp], %%rbp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp"
			 : "+a"(ret)
			 : "b"(b), "c"(c), "d"(d), "S"(s), "D"(di), [bp] "r"(bp)
			 : "r8", "r9", "r10", "r11", "memory");
	return ret;
#else
	(void)nr;
	(void)a;
	return -ENOSYS; /* x86_64 only */
#endif
}

static const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);
	static char buf[16];
	int i = (int)sizeof(buf) - 1;

	if (name)
		return name;
	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + e % 10);
		e /= 10;
	} while (e > 0 && i > 1);
	buf[--i] = 'E';
	return buf + i;
}

/* Split LINE in place at blanks, after cutting a '#' comment: the field count. */
static int split(char *line, char **fields, int max)
{
	int n = 0;
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max)
			return -1;
		fields[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
	}
	return n;
}

static int parse_num(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	if (s[0] == '-') {
		long v = strtol(s, &end, 0);
		*out = (unsigned long)v;
	} else {
		*out = strtoul(s, &end, 0);
	}
	return errno == 0 && end != s && *end == '\0' ? 0 : -1;
}

/* The number of NAME under ABI, or -1 when libseccomp does not know it there. */
static long resolve(const char *abi, const char *name)
{
	uint32_t arch;
	unsigned long num;
	int nr;

	if (parse_num(name, &num) == 0)
		return (long)num;
	if (strcmp(abi, "x86_64") == 0)
		arch = SCMP_ARCH_X86_64;
	else if (strcmp(abi, "i386") == 0)
		arch = SCMP_ARCH_X86;
	else
		arch = SCMP_ARCH_X32;
	nr = seccomp_syscall_resolve_name_arch(arch, name);
	if (nr < 0)
		return -1;
	return arch == SCMP_ARCH_X32 ? (long)nr & ~X32_BIT : nr;
}

static void run_row(long index, char **f, int nf)
{
	unsigned long args[MAX_ARGS] = {0};
	struct line out = {.len = 0};
	long nr, ret;

	if (strcmp(f[0], "x86_64") != 0 && strcmp(f[0], "i386") != 0 && strcmp(f[0], "x32") != 0)
		fail("unknown ABI", f[0]);
	for (int i = 2; i < nf; i++)
		if (parse_num(f[i], &args[i - 2]) != 0)
			fail("bad argument", f[i]);

	add_num(&out, index);
	add_str(&out, " ");
	add_str(&out, f[0]);
	add_str(&out, " ");
	add_str(&out, f[1]);
	add_str(&out, " -> ");

	nr = resolve(f[0], f[1]);
	if (nr < 0) {
		add_str(&out, "unknown");
	} else {
		if (f[0][0] == 'i')
			ret = call_i386(nr, args);
		else if (f[0][1] == '3')
			ret = call_x32(nr, args);
		else
			ret = call_x86_64(nr, args);
		if (ret >= 0 || ret < -4095)
			add_str(&out, "ok");
		else
			add_str(&out, errno_name((int)-ret));
	}
	add_str(&out, "\n");
	put(out.buf, out.len);
}

int main(int argc, char **argv)
{
	long from = 0, index = 0;
	const char *path;
	ssize_t len = 0, n;
	int fd;
	char *line;

	if (argc == 4 && strcmp(argv[1], "--from") == 0) {
		unsigned long v;
		if (parse_num(argv[2], &v) != 0)
			fail("bad --from", argv[2]);
		from = (long)v;
		path = argv[3];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fail("usage", "oci_probe [--from N] TABLE");
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("cannot open", path);
	while ((n = read(fd, table + len, sizeof(table) - 1 - (size_t)len)) > 0)
		len += n;
	if (n < 0 || len == (ssize_t)sizeof(table) - 1)
		fail("cannot read", path);
	close(fd);

	line = table;
	while (line && *line) {
		char *next = strchr(line, '\n');
		char *fields[2 + MAX_ARGS];
		int nf;

		if (next)
			*next++ = '\0';
		nf = split(line, fields, 2 + MAX_ARGS);
		if (nf < 0)
			fail("too many fields", fields[0]);
		if (nf == 1)
			fail("row without a name", fields[0]);
		if (nf >= 2) {
			if (index >= from)
				run_row(index, fields, nf);
			index++;
		}
		line = next;
	}
	put("END\n", 4);
	return 0;
}
