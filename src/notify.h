/* SPDX-License-Identifier: MIT */
/*
 * notify.h - the filter's decisions through a seccomp user-notification
 * listener the supervisor owns (docs/performance.md, "Decisions through a
 * seccomp listener").
 *
 * The filter filter.c builds sends every call the supervisor must decide to
 * SECCOMP_RET_TRACE. notify_filter() turns that program into one where
 * those calls go to SECCOMP_RET_USER_NOTIF instead, with a prefix that
 * keeps on TRACE the calls whose decision may need ptrace: registers
 * written (memfd_create's flags), an exit stop (--trace), and the child's
 * hand-over of the listener (below). The child loads it with
 * SECCOMP_FILTER_FLAG_NEW_LISTENER and then calls
 * close(listener, NOTIFY_HANDOVER): the prefix makes that one call stop in
 * the tracer, which takes its own copy of the descriptor (pidfd_getfd())
 * before the close runs. The listener is close-on-exec as the kernel
 * creates it, and the close ends the child's copy: the program never
 * holds it.
 */
#ifndef SBX_NOTIFY_H
#define SBX_NOTIFY_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"
#include "filter.h"

/* Linux 6.6; Debian 12's headers lack them. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* The second argument of the child's close() of its listener ("SBXLISTN"). */
#define NOTIFY_HANDOVER 0x5342584c4953544eULL

/*
 * Whether the kernel has what |need_sync| asks for: seccomp user
 * notifications answered with SECCOMP_USER_NOTIF_FLAG_CONTINUE (Linux
 * 5.5), and with |need_sync| the synchronous wake-ups of
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6). From uname(2): the
 * listener itself is created only by the child.
 */
bool notify_kernel_has(bool need_sync);

/*
 * Whether the kernel takes SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux
 * 5.19; from uname(2)): once the supervisor has received a notification,
 * only SIGKILL ends the caller's wait. Without it a signal interrupts the
 * wait, the call restarts and is notified, and judged, a second time.
 */
bool notify_kernel_has_killable_recv(void);

/*
 * |in| with its TRACE returns turned into USER_NOTIF returns, behind a
 * prefix that returns TRACE for: the hand-over close() of |arch|'s native
 * ABI (ARCH_NATIVE but for tests); the |n_trace| native numbers of |trace|
 * in the native ABI (and x86_64's x32); with |foreign_trace|, every call
 * of another ABI (i386, x32 or AArch32).
 * On success returns 0 and fills |ret| (free with filter_release()).
 * Returns -E2BIG when the result would be longer than the kernel takes,
 * -ENOMEM. Does not take ownership of |in|.
 */
int notify_filter(const struct filter *in, const struct arch_desc *arch, const int *trace,
		  size_t n_trace, bool foreign_trace, struct filter *ret);

/*
 * In the child, without allocating: every USER_NOTIF return of |prog| back
 * to TRACE, for a kernel that refuses the listener (EBUSY: a filter up the
 * chain has one already); the prefix stays, harmless.
 */
void notify_filter_to_trace(struct sock_fprog *prog);

#endif
