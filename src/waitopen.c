/* SPDX-License-Identifier: MIT */
/* waitopen.c - opening the program's streams within its wall time (waitopen.h). */
#include "waitopen.h"

#include "paths.h"
#include "sigstate.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the helper thread opens, and what it got. */
struct fifo_open {
	char proc[64]; /* /proc/self/fd/N of an O_PATH descriptor of the FIFO */
	int flags;
	int done; /* eventfd written when the open returned */
	int fd;	  /* the result: a descriptor or -errno */
};

static volatile sig_atomic_t wait_signal;

static void on_wait_signal(int sig)
{
	wait_signal = sig;
}

static void on_wait_tick(int sig)
{
	(void)sig;
}

static void *fifo_opener(void *arg)
{
	struct fifo_open *o = arg;
	int fd = open(o->proc, o->flags | O_CLOEXEC);

	o->fd = fd < 0 ? -errno : fd;
	(void)eventfd_write(o->done, 1);
	return NULL;
}

/* Wait for |done| until |deadline_ms| (0: none) or a signal: 1 done, 0 not. */
static int wait_done(int done, uint64_t deadline_ms)
{
	struct pollfd p = {.fd = done, .events = POLLIN};

	/* At most 100 ms at a time: a signal another thread took sets the flag only. */
	while (!wait_signal) {
		int timeout = 100, n;

		if (deadline_ms) {
			uint64_t now = monotonic_ms();

			if (now >= deadline_ms)
				return 0;
			if (deadline_ms - now < 100)
				timeout = (int)(deadline_ms - now);
		}
		n = poll(&p, 1, timeout);
		if (n > 0)
			return 1;
	}
	return 0;
}

/*
 * Open the FIFO |pin| (O_PATH) leads to with |flags|, in a thread, waiting
 * in this one. The path is not looked up again: the thread opens the very
 * inode that was checked.
 */
static int open_fifo(int pin, int flags, uint64_t deadline_ms, int *ret_sig)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct fifo_open o = {.flags = flags, .fd = -EINTR};
	struct sigstate st;
	sigset_t all, old;
	pthread_t th;
	int r;

	snprintf(o.proc, sizeof(o.proc), "/proc/self/fd/%d", pin);
	o.done = eventfd(0, EFD_CLOEXEC);
	if (o.done < 0)
		return -errno;
	wait_signal = 0;
	r = sigstate_enter(&st, sigs, ARRAY_SIZE(sigs), on_wait_signal, on_wait_tick);
	if (r < 0) {
		close(o.done);
		return r;
	}
	/* The thread takes no signal: they interrupt this thread's wait. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = -pthread_create(&th, NULL, fifo_opener, &o);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		sigstate_leave(&st);
		close(o.done);
		return r;
	}
	if (!wait_done(o.done, deadline_ms)) {
		/*
		 * Be the other end for an instant: the thread's open returns. Until
		 * the thread is in its open a reader's other end may not open
		 * (ENXIO): try again.
		 */
		int other = (flags & O_ACCMODE) == O_RDONLY ? O_WRONLY : O_RDONLY;
		struct pollfd p = {.fd = o.done, .events = POLLIN};

		for (;;) {
			int fd = open(o.proc, other | O_NONBLOCK | O_CLOEXEC);
			int n = poll(&p, 1, 10);

			if (fd >= 0)
				close(fd);
			if (n > 0)
				break;
		}
		if (o.fd >= 0)
			close(o.fd);
		o.fd = wait_signal ? -EINTR : -ETIME;
	}
	pthread_join(th, NULL);
	sigstate_leave(&st);
	close(o.done);
	if (o.fd == -EINTR && ret_sig)
		*ret_sig = wait_signal;
	return o.fd;
}

int open_waiting(const char *path, int flags, mode_t mode, uint64_t deadline_ms, int *ret_sig)
{
	struct stat st;
	int pin, fd;

	/* Look first: a FIFO is opened by the thread, anything else at once. */
	pin = path_open_nofollow(path, O_PATH, 0);
	if (pin >= 0 && fstat(pin, &st) == 0 && S_ISFIFO(st.st_mode)) {
		fd = open_fifo(pin, flags & ~(O_CREAT | O_EXCL | O_TRUNC), deadline_ms, ret_sig);
		close(pin);
		return fd;
	}
	if (pin >= 0)
		close(pin);
	/*
	 * Non-blocking, in case a FIFO took the file's place since: it opens
	 * without a wait (or fails with ENXIO) instead of hanging.
	 */
	fd = path_open_nofollow(path, flags | O_NONBLOCK, mode);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || S_ISFIFO(st.st_mode)) {
		close(fd);
		return -EAGAIN;
	}
	if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}
