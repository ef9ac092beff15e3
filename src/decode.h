/* SPDX-License-Identifier: MIT */
/*
 * decode.h - turn a system call (name + six raw register values) into the
 * text a person reads: "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC)".
 *
 * Strings and structures are read from the stopped tracee through ucopy.h.
 * Decoding never decides anything; it only describes.
 */
#ifndef SBX_DECODE_H
#define SBX_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* Longest string shown before it is cut with "..." (like strace -s). */
#define DECODE_STRLEN_MAX 256

/*
 * Append "name(arg, arg, ...)" to |out|.
 *
 * |name| is the syscall name as libseccomp knows it ("openat"); the argument
 * signature is looked up by name, so a call made through a foreign ABI is
 * decoded with the same signature. When |compat32| is true every argument is
 * first truncated to 32 bits (i386 / x32 register width for pointers and
 * longs). Unknown syscalls print all six arguments in hex. |pid| is the task
 * whose memory holds the strings; pass 0 to never read memory (pointers are
 * then printed as hex).
 */
void decode_call(struct strbuf *out, pid_t pid, const char *name, const uint64_t args[6],
		 bool compat32);

/*
 * Append the text of a return value: "= 3", "= -1 ENOENT (No such file or
 * directory)", "= 0x7f..." for mmap-like calls.
 */
void decode_retval(struct strbuf *out, const char *name, int64_t ret);

/*
 * Read a NUL-terminated string at |addr| in |pid| and append it quoted and
 * escaped ("\"/etc/passwd\"", non-printables as \n, \t, \\, \", \ooo octal),
 * at most |max| bytes followed by "..." when longer. NULL prints as NULL and
 * an unreadable address as the hex address.
 */
void decode_string(struct strbuf *out, pid_t pid, uint64_t addr, size_t max);

/* Append |s| quoted and escaped like a decoded string: never a raw newline. */
void decode_quote(struct strbuf *out, const char *s);

/* True when every argument kind in syscalls.h has a formatter; for tests. */
bool decode_kinds_complete(void);

#endif
