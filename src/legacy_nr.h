/* SPDX-License-Identifier: MIT */
/*
 * legacy_nr.h - numbers for the x86_64 calls that aarch64 (the kernel's
 * generic table, asm-generic/unistd.h) does not have: open, unlink,
 * mkdir and the other path calls its *at() forms replaced.
 *
 * Code that names them in a switch or a list includes this header. On
 * aarch64 each gets a distinct negative number that no task can make (the
 * kernel reports -1 for a skipped call, never below), so the case or the
 * entry is simply never taken. Not for the syscall table, where a missing
 * name means "no number here" (nr -1, gen_syscalls.py).
 */
#ifndef SBX_LEGACY_NR_H
#define SBX_LEGACY_NR_H

#include <sys/syscall.h>

#ifndef __NR_open
#define __NR_open (-2)
#endif
#ifndef __NR_link
#define __NR_link (-3)
#endif
#ifndef __NR_unlink
#define __NR_unlink (-4)
#endif
#ifndef __NR_mknod
#define __NR_mknod (-5)
#endif
#ifndef __NR_mkdir
#define __NR_mkdir (-6)
#endif
#ifndef __NR_rmdir
#define __NR_rmdir (-7)
#endif
#ifndef __NR_rename
#define __NR_rename (-8)
#endif
#ifndef __NR_symlink
#define __NR_symlink (-9)
#endif
#ifndef __NR_readlink
#define __NR_readlink (-10)
#endif
#ifndef __NR_lchown
#define __NR_lchown (-11)
#endif
#ifndef __NR_lstat
#define __NR_lstat (-12)
#endif

#endif
