/* SPDX-License-Identifier: MIT */
/*
 * waitopen.h - opening the program's standard streams (--stdin, --stdout,
 * --stderr) without waiting past the run's wall time. Opening a FIFO waits
 * for its other end, forever when nobody opens it; that wait is part of the
 * run: it ends at the wall-time deadline, or at a terminal signal to the
 * sandbox, with the FIFO left as it was (nothing read, nothing written).
 */
#ifndef SBX_WAITOPEN_H
#define SBX_WAITOPEN_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Open |path| as path_open_nofollow() does (|flags|, |mode|, no symbolic
 * link followed on the way). A FIFO is opened by a helper thread while this
 * thread waits, up to |deadline_ms| (monotonic_ms(); 0: no deadline), with
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT taken over for the wait (sigstate.h);
 * a wait cut short is ended by opening the FIFO's other end, non-blocking,
 * for an instant. Returns the descriptor (O_CLOEXEC, blocking), -ETIME when
 * the deadline passed, -EINTR when one of those signals came (|*ret_sig|
 * says which), or -errno.
 */
int open_waiting(const char *path, int flags, mode_t mode, uint64_t deadline_ms, int *ret_sig);

#endif
