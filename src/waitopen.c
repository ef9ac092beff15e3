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
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

/* A FIFO a helper thread opens, and what it got. */
struct fifo_open {
	size_t index;  /* in the caller's files */
	int pin;       /* O_PATH descriptor of the FIFO that was looked at */
	char proc[64]; /* /proc/self/fd/PIN: the thread opens that very inode */
	int flags;
	int done; /* the eventfd every thread writes when its open returned */
	int fd;	  /* the result: a descriptor or -errno */
	pthread_t thread;
	atomic_bool finished;
	atomic_bool abort; /* an EINTR ends the open instead of retrying it */
};

/* A terminal signal ends the wait: |data| is the waiter's flag. */
static void on_wait_signal(int sig, void *data)
{
	*(volatile sig_atomic_t *)data = sig;
}

/* SIGALRM: interrupts a helper's open (the handler has no SA_RESTART). */
static void on_wake(void *data)
{
	(void)data;
}

static void *fifo_opener(void *arg)
{
	struct fifo_open *o = arg;
	sigset_t wake;
	int fd;

	sigemptyset(&wake);
	sigaddset(&wake, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	do
		fd = open(o->proc, o->flags | O_CLOEXEC);
	while (fd < 0 && errno == EINTR && !atomic_load(&o->abort));
	o->fd = fd < 0 ? -errno : fd;
	atomic_store(&o->finished, true);
	(void)eventfd_write(o->done, 1);
	return NULL;
}

static bool all_finished(struct fifo_open *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!atomic_load(&f[i].finished))
			return false;
	return true;
}

/* Wait until every open returned (1), or the deadline or a signal came (0). */
static int wait_all(struct fifo_open *f, size_t n, int done, uint64_t deadline_ms,
		    volatile sig_atomic_t *wait_signal)
{
	struct pollfd p = {.fd = done, .events = POLLIN};
	eventfd_t ignored;

	/* 100 ms at most at a time: a signal another thread took sets the flag only. */
	while (!*wait_signal) {
		int timeout = 100;

		if (all_finished(f, n))
			return 1;
		if (deadline_ms) {
			uint64_t now = monotonic_ms();

			if (now >= deadline_ms)
				return 0;
			if (deadline_ms - now < 100)
				timeout = (int)(deadline_ms - now);
		}
		if (poll(&p, 1, timeout) > 0)
			(void)eventfd_read(done, &ignored);
	}
	return 0;
}

/* Interrupt the opens still waiting until they all returned. */
static void stop_all(struct fifo_open *f, size_t n, int done)
{
	struct pollfd p = {.fd = done, .events = POLLIN};
	eventfd_t ignored;

	for (size_t i = 0; i < n; i++)
		atomic_store(&f[i].abort, true);
	while (!all_finished(f, n)) {
		for (size_t i = 0; i < n; i++)
			if (!atomic_load(&f[i].finished))
				pthread_kill(f[i].thread, SIGALRM);
		/* A signal sent before the thread unblocked it waits, then stops the open. */
		if (poll(&p, 1, 10) > 0)
			(void)eventfd_read(done, &ignored);
	}
}

/* Open the FIFOs in |f| at once; 0, -ETIME, -EINTR (|*ret_sig|) or -errno. */
static int open_fifos(struct fifo_open *f, size_t n, uint64_t deadline_ms, int *ret_sig,
		      int *ret_index)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct sigstate st;
	volatile sig_atomic_t wait_signal = 0;
	sigset_t all, old;
	size_t started = 0;
	int done, r = 0;

	done = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (done < 0)
		return -errno;
	r = sigstate_enter(&st, sigs, ARRAY_SIZE(sigs), on_wait_signal, on_wake,
			   (void *)&wait_signal);
	if (r < 0) {
		close(done);
		return r;
	}
	/* The threads take no signal but their wake-up: the others interrupt this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (; started < n; started++) {
		f[started].done = done;
		f[started].fd = -EINTR;
		atomic_init(&f[started].finished, false);
		atomic_init(&f[started].abort, false);
		r = -pthread_create(&f[started].thread, NULL, fifo_opener, &f[started]);
		if (r < 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0 && !wait_all(f, started, done, deadline_ms, &wait_signal)) {
		for (size_t i = 0; i < started && *ret_index < 0; i++)
			if (!atomic_load(&f[i].finished))
				*ret_index = (int)f[i].index;
		r = wait_signal ? -EINTR : -ETIME;
	}
	if (r < 0 && *ret_index < 0)
		*ret_index = (int)f[0].index;
	stop_all(f, started, done);
	for (size_t i = 0; i < started; i++)
		pthread_join(f[i].thread, NULL);
	sigstate_leave(&st);
	close(done);
	/* A signal that came as the last open returned still ends the wait. */
	if (r == 0 && wait_signal) {
		r = -EINTR;
		*ret_index = (int)f[0].index;
	}
	if (r == -EINTR && ret_sig)
		*ret_sig = wait_signal;
	if (r < 0)
		for (size_t i = 0; i < started; i++)
			if (f[i].fd >= 0) {
				close(f[i].fd);
				f[i].fd = -1;
			}
	return r;
}

/* A file that is not a FIFO, opened at once: the descriptor or -errno. */
static int open_now(const struct waitopen *w)
{
	struct stat st;
	/* Non-blocking, in case a FIFO took the file's place since it was looked at. */
	int fd = path_open_nofollow(w->path, w->flags | O_NONBLOCK, w->mode);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || S_ISFIFO(st.st_mode) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		close(fd);
		return WAITOPEN_CHANGED;
	}
	return fd;
}

int open_waiting(struct waitopen *files, size_t n, uint64_t deadline_ms, int *ret_sig,
		 int *ret_index)
{
	struct fifo_open fifos[WAITOPEN_MAX];
	size_t n_fifos = 0;
	int r = 0;

	*ret_index = -1;
	for (size_t i = 0; i < n; i++)
		files[i].fd = -1;
	for (size_t i = 0; i < n && i < WAITOPEN_MAX && r == 0; i++) {
		struct waitopen *w = &files[i];
		struct stat st;
		int pin;

		if (!w->path)
			continue;
		pin = path_open_nofollow(w->path, O_PATH, 0);
		if (pin >= 0 && fstat(pin, &st) == 0 && S_ISFIFO(st.st_mode)) {
			struct fifo_open *f = &fifos[n_fifos++];

			f->index = i;
			f->pin = pin;
			f->flags = w->flags & ~(O_CREAT | O_EXCL | O_TRUNC);
			snprintf(f->proc, sizeof(f->proc), "/proc/self/fd/%d", pin);
			continue;
		}
		if (pin >= 0)
			close(pin);
		w->fd = open_now(w);
		if (w->fd < 0) {
			r = w->fd; /* the FIFOs are not waited for */
			*ret_index = (int)i;
		}
	}
	if (r == 0 && n_fifos)
		r = open_fifos(fifos, n_fifos, deadline_ms, ret_sig, ret_index);
	for (size_t i = 0; i < n_fifos; i++) {
		close(fifos[i].pin);
		if (r == 0)
			files[fifos[i].index].fd = fifos[i].fd;
	}
	/* A FIFO that could not be opened (EACCES ...): the first one is the error. */
	for (size_t i = 0; i < n && r == 0; i++)
		if (files[i].path && files[i].fd < 0) {
			r = files[i].fd;
			*ret_index = (int)i;
		}
	if (r < 0)
		for (size_t i = 0; i < n; i++)
			if (files[i].fd >= 0) {
				close(files[i].fd);
				files[i].fd = -1;
			}
	return r;
}
