/* SPDX-License-Identifier: MIT */
/*
 * A fault for the supervisor, loaded into it with LD_PRELOAD: the
 * program's start-up (PID 2 of the sandbox's PID namespace) is SIGKILLed
 * at its PR_SET_NO_NEW_PRIVS, after it began and before its exec, without
 * writing a reason on the error pipe, as a ^C or an outside kill may end
 * it at that moment. The init (PID 1) is made slow to close its
 * descriptors afterwards (100 ms), so the supervisor meets it still
 * holding the error pipe's write end, stopped for the SIGCHLD of that
 * death: the moment that once left the supervisor waiting on the pipe for
 * ever. Everything else goes through unchanged.
 */
#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PUBLIC __attribute__((visibility("default")))

PUBLIC int prctl(int option, ...);
PUBLIC int close_range(unsigned int first, unsigned int last, int flags);

int prctl(int option, ...)
{
	unsigned long arg[4];
	va_list ap;

	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		arg[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_SET_NO_NEW_PRIVS && syscall(SYS_getpid) == 2)
		syscall(SYS_kill, 2, SIGKILL);
	return (int)syscall(SYS_prctl, option, arg[0], arg[1], arg[2], arg[3]);
}

int close_range(unsigned int first, unsigned int last, int flags)
{
	if (syscall(SYS_getpid) == 1) {
		struct timespec ts = {0, 100 * 1000 * 1000};

		while (syscall(SYS_nanosleep, &ts, &ts) < 0)
			;
	}
	return (int)syscall(SYS_close_range, first, last, flags);
}
