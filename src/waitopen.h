/* SPDX-License-Identifier: MIT */
/*
 * waitopen.h - opening the program's standard streams (--stdin, --stdout,
 * --stderr) without waiting past the run's wall time. Opening a FIFO waits
 * for its other end, forever when nobody opens it; that wait is part of the
 * run: it ends at the wall-time deadline, or at a terminal signal to the
 * sandbox, with the FIFO left as it was (nothing read, nothing written).
 * The FIFOs of one run are opened at once, each by a helper thread, so an
 * interactor may open its ends in any order.
 */
#ifndef SBX_WAITOPEN_H
#define SBX_WAITOPEN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WAITOPEN_MAX 3
/* |fd| of a file that became a FIFO (or changed) between the look and the open. */
#define WAITOPEN_CHANGED (-100000)

/* One file to open: what, how; and what came of it. */
struct waitopen {
	const char *path; /* NULL: nothing to open (|fd| stays -1) */
	int flags;	  /* open(2) flags; O_CLOEXEC is added */
	mode_t mode;	  /* with O_CREAT */
	int fd;		  /* the descriptor (blocking), or -errno */
};

/*
 * Open each of |files| (|n| of them, at most WAITOPEN_MAX) as
 * path_open_nofollow() does: no symbolic link followed on the way. Files
 * that are not FIFOs are opened at once, in order; FIFOs are opened by
 * helper threads, all at the same time, while this thread waits until
 * |deadline_ms| (monotonic_ms(); 0: none), with SIGINT, SIGTERM, SIGHUP
 * and SIGQUIT taken over for the wait (sigstate.h). A wait cut short ends
 * by interrupting the helpers' opens (SIGALRM to them, no SA_RESTART).
 *
 * Returns 0 when every file with a path is open (|fd|), or: -ETIME when the
 * deadline passed, -EINTR when one of those signals came (|*ret_sig| says
 * which), with |*ret_index| a file still waited for; -errno, or
 * WAITOPEN_CHANGED, for the file |*ret_index| that could not be opened.
 * After an error no descriptor is left open.
 */
int open_waiting(struct waitopen *files, size_t n, uint64_t deadline_ms, int *ret_sig,
		 int *ret_index);

#endif
