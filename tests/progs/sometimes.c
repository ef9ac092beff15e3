/* SPDX-License-Identifier: MIT */
/*
 * sometimes - a program that makes some calls in one run and not in
 * another, as a language runtime does (Go calls sched_yield and getpid only
 * when its scheduler happens to need them), for the tests of --learn. Built
 * without sanitizers. Calls are made with syscall(2), so neither libc nor
 * the vDSO hides or adds one.
 *
 * Always, one call of each of four harmless families: getppid (@identity),
 * sched_getaffinity (@scheduling), clock_getres (@time), kill(itself, 0)
 * (@self-signal: its own process group). Then each argument in turn:
 *
 *   siblings      calls of the same families it never made before: getpid,
 *                 gettid, sched_yield, clock_nanosleep (1 ns), tgkill(itself, 0)
 *   read FILE     open FILE read-only
 *   write FILE    open FILE write-only
 *   create FILE   open FILE read-only with O_CREAT (which creates it)
 *   umask         umask(022)
 *   getparam      sched_getparam(0, ...) (@scheduling)
 *   socket        socket(AF_INET, SOCK_STREAM)
 *   mkdir DIR     mkdir(DIR, 0755)
 *   unlink FILE   unlink(FILE)
 *   rdwr FILE     open FILE read-write with O_CREAT (as a JVM its hsperfdata)
 *   connect PATH  socket(AF_UNIX, SOCK_STREAM), then connect it to PATH
 *
 * Each argument prints NAME=RESULT (and errno=NAME when it failed); at the
 * end "done".
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* aarch64's generic table has only the *at forms of mkdir and unlink. */
#if defined(__x86_64__)
#define MKDIR(path, mode) syscall(SYS_mkdir, path, mode)
#define UNLINK(path)	  syscall(SYS_unlink, path)
#else
#define MKDIR(path, mode) syscall(SYS_mkdirat, AT_FDCWD, path, mode)
#define UNLINK(path)	  syscall(SYS_unlinkat, AT_FDCWD, path, 0)
#endif

static void result(const char *what, long r)
{
	if (r < 0)
		printf("%s=%ld errno=%s\n", what, r, strerrorname_np(errno));
	else
		printf("%s=%ld\n", what, r);
}

static long siblings(void)
{
	struct timespec ns = {0, 1};
	long pid = syscall(SYS_getpid), tid = syscall(SYS_gettid);

	syscall(SYS_sched_yield);
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ns, NULL);
	return syscall(SYS_tgkill, pid, tid, 0);
}

static long connect_unix(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	long fd = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return fd;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	return syscall(SYS_connect, fd, &addr, sizeof(addr));
}

static long open_flags(const char *path, int flags)
{
	return syscall(SYS_openat, AT_FDCWD, path, flags, 0600);
}

int main(int argc, char **argv)
{
	cpu_set_t set;
	struct timespec res;

	syscall(SYS_getppid);
	syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res);
	syscall(SYS_kill, 0, 0);
	for (int i = 1; i < argc; i++) {
		const char *what = argv[i], *file = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(what, "siblings") == 0) {
			result(what, siblings());
		} else if (strcmp(what, "read") == 0) {
			result(what, open_flags(file, O_RDONLY));
			i++;
		} else if (strcmp(what, "write") == 0) {
			result(what, open_flags(file, O_WRONLY));
			i++;
		} else if (strcmp(what, "create") == 0) {
			result(what, open_flags(file, O_RDONLY | O_CREAT));
			i++;
		} else if (strcmp(what, "getparam") == 0) {
			struct sched_param param;

			result(what, syscall(SYS_sched_getparam, 0, &param));
		} else if (strcmp(what, "umask") == 0) {
			result(what, syscall(SYS_umask, 022));
		} else if (strcmp(what, "socket") == 0) {
			result(what, syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
		} else if (strcmp(what, "mkdir") == 0) {
			result(what, MKDIR(file, 0755));
			i++;
		} else if (strcmp(what, "unlink") == 0) {
			result(what, UNLINK(file));
			i++;
		} else if (strcmp(what, "rdwr") == 0) {
			result(what, open_flags(file, O_RDWR | O_CREAT));
			i++;
		} else if (strcmp(what, "connect") == 0) {
			result(what, connect_unix(file));
			i++;
		} else {
			fprintf(stderr, "sometimes: unknown argument %s\n", what);
			return 64;
		}
	}
	puts("done");
	return 0;
}
