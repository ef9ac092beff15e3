/* SPDX-License-Identifier: MIT */
/*
 * names.c - owns the errno and signal name tables (x86_64 numbering) and the
 * lookups in both directions. Pure tables: no allocation, no system calls.
 *
 * Real-time signals follow strace: 32 is "SIGRTMIN", 32 + N is "SIGRT_N".
 * signal_from_name() also accepts "SIGRTMIN+N", "SIGRTMAX" and "SIGRTMAX-N",
 * each with or without the "SIG" prefix.
 */
#include "names.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Kernel-internal codes; a tracer sees them in return values of interrupted calls. */
#define ERESTARTSYS	      512
#define ERESTARTNOINTR	      513
#define ERESTARTNOHAND	      514
#define ENOIOCTLCMD	      515
#define ERESTART_RESTARTBLOCK 516

#define KSIGRTMIN 32 /* the kernel's, not glibc's SIGRTMIN */
#define KSIGRTMAX 64

#define E(x) [x] = #x

static const char *const errnos[] = {
	E(EPERM),
	E(ENOENT),
	E(ESRCH),
	E(EINTR),
	E(EIO),
	E(ENXIO),
	E(E2BIG),
	E(ENOEXEC),
	E(EBADF),
	E(ECHILD),
	E(EAGAIN),
	E(ENOMEM),
	E(EACCES),
	E(EFAULT),
	E(ENOTBLK),
	E(EBUSY),
	E(EEXIST),
	E(EXDEV),
	E(ENODEV),
	E(ENOTDIR),
	E(EISDIR),
	E(EINVAL),
	E(ENFILE),
	E(EMFILE),
	E(ENOTTY),
	E(ETXTBSY),
	E(EFBIG),
	E(ENOSPC),
	E(ESPIPE),
	E(EROFS),
	E(EMLINK),
	E(EPIPE),
	E(EDOM),
	E(ERANGE),
	E(EDEADLK),
	E(ENAMETOOLONG),
	E(ENOLCK),
	E(ENOSYS),
	E(ENOTEMPTY),
	E(ELOOP),
	E(ENOMSG),
	E(EIDRM),
	E(ECHRNG),
	E(EL2NSYNC),
	E(EL3HLT),
	E(EL3RST),
	E(ELNRNG),
	E(EUNATCH),
	E(ENOCSI),
	E(EL2HLT),
	E(EBADE),
	E(EBADR),
	E(EXFULL),
	E(ENOANO),
	E(EBADRQC),
	E(EBADSLT),
	E(EBFONT),
	E(ENOSTR),
	E(ENODATA),
	E(ETIME),
	E(ENOSR),
	E(ENONET),
	E(ENOPKG),
	E(EREMOTE),
	E(ENOLINK),
	E(EADV),
	E(ESRMNT),
	E(ECOMM),
	E(EPROTO),
	E(EMULTIHOP),
	E(EDOTDOT),
	E(EBADMSG),
	E(EOVERFLOW),
	E(ENOTUNIQ),
	E(EBADFD),
	E(EREMCHG),
	E(ELIBACC),
	E(ELIBBAD),
	E(ELIBSCN),
	E(ELIBMAX),
	E(ELIBEXEC),
	E(EILSEQ),
	E(ERESTART),
	E(ESTRPIPE),
	E(EUSERS),
	E(ENOTSOCK),
	E(EDESTADDRREQ),
	E(EMSGSIZE),
	E(EPROTOTYPE),
	E(ENOPROTOOPT),
	E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT),
	E(EOPNOTSUPP),
	E(EPFNOSUPPORT),
	E(EAFNOSUPPORT),
	E(EADDRINUSE),
	E(EADDRNOTAVAIL),
	E(ENETDOWN),
	E(ENETUNREACH),
	E(ENETRESET),
	E(ECONNABORTED),
	E(ECONNRESET),
	E(ENOBUFS),
	E(EISCONN),
	E(ENOTCONN),
	E(ESHUTDOWN),
	E(ETOOMANYREFS),
	E(ETIMEDOUT),
	E(ECONNREFUSED),
	E(EHOSTDOWN),
	E(EHOSTUNREACH),
	E(EALREADY),
	E(EINPROGRESS),
	E(ESTALE),
	E(EUCLEAN),
	E(ENOTNAM),
	E(ENAVAIL),
	E(EISNAM),
	E(EREMOTEIO),
	E(EDQUOT),
	E(ENOMEDIUM),
	E(EMEDIUMTYPE),
	E(ECANCELED),
	E(ENOKEY),
	E(EKEYEXPIRED),
	E(EKEYREVOKED),
	E(EKEYREJECTED),
	E(EOWNERDEAD),
	E(ENOTRECOVERABLE),
	E(ERFKILL),
	E(EHWPOISON),
};

/* Indexed from ERESTARTSYS. */
static const char *const kernel_errnos[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
};

struct alias {
	const char *name;
	int value;
};

/* Second spellings of a value whose main name is in errnos[]. */
static const struct alias errno_aliases[] = {
	{"EWOULDBLOCK", EAGAIN},
	{"ENOTSUP", EOPNOTSUPP},
	{"EDEADLOCK", EDEADLK},
};

#define S(x) [x] = #x

static const char *const signals[] = {
	S(SIGHUP),  S(SIGINT),	  S(SIGQUIT), S(SIGILL),  S(SIGTRAP),	S(SIGABRT), S(SIGBUS),
	S(SIGFPE),  S(SIGKILL),	  S(SIGUSR1), S(SIGSEGV), S(SIGUSR2),	S(SIGPIPE), S(SIGALRM),
	S(SIGTERM), S(SIGSTKFLT), S(SIGCHLD), S(SIGCONT), S(SIGSTOP),	S(SIGTSTP), S(SIGTTIN),
	S(SIGTTOU), S(SIGURG),	  S(SIGXCPU), S(SIGXFSZ), S(SIGVTALRM), S(SIGPROF), S(SIGWINCH),
	S(SIGIO),   S(SIGPWR),	  S(SIGSYS),
};

/* Indexed from KSIGRTMIN; string literals so the result needs no storage. */
static const char *const rt_signals[] = {
	"SIGRTMIN", "SIGRT_1",	"SIGRT_2",  "SIGRT_3",	"SIGRT_4",  "SIGRT_5",	"SIGRT_6",
	"SIGRT_7",  "SIGRT_8",	"SIGRT_9",  "SIGRT_10", "SIGRT_11", "SIGRT_12", "SIGRT_13",
	"SIGRT_14", "SIGRT_15", "SIGRT_16", "SIGRT_17", "SIGRT_18", "SIGRT_19", "SIGRT_20",
	"SIGRT_21", "SIGRT_22", "SIGRT_23", "SIGRT_24", "SIGRT_25", "SIGRT_26", "SIGRT_27",
	"SIGRT_28", "SIGRT_29", "SIGRT_30", "SIGRT_31", "SIGRT_32",
};

static const struct alias signal_aliases[] = {
	{"SIGIOT", SIGABRT},
	{"SIGCLD", SIGCHLD},
	{"SIGPOLL", SIGIO},
};

/* Index of |name| in |tab| (NULL holes allowed), or -1. */
static int table_find(const char *const *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (tab[i] && strcmp(tab[i], name) == 0)
			return (int)i;
	}
	return -1;
}

static int alias_find(const struct alias *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].value;
	}
	return -1;
}

const char *errno_name(int err)
{
	if (err > 0 && (size_t)err < ARRAY_SIZE(errnos))
		return errnos[err];
	if (err >= ERESTARTSYS && err <= ERESTART_RESTARTBLOCK)
		return kernel_errnos[err - ERESTARTSYS];
	return NULL;
}

int errno_from_name(const char *name)
{
	int i;

	if (!name)
		return -1;
	i = table_find(errnos, ARRAY_SIZE(errnos), name);
	if (i > 0)
		return i;
	i = table_find(kernel_errnos, ARRAY_SIZE(kernel_errnos), name);
	if (i >= 0)
		return ERESTARTSYS + i;
	return alias_find(errno_aliases, ARRAY_SIZE(errno_aliases), name);
}

const char *signal_name(int sig)
{
	if (sig > 0 && (size_t)sig < ARRAY_SIZE(signals))
		return signals[sig];
	if (sig >= KSIGRTMIN && sig <= KSIGRTMAX)
		return rt_signals[sig - KSIGRTMIN];
	return NULL;
}

/* Decimal 0..KSIGRTMAX - KSIGRTMIN with nothing after it, or -1. */
static int rt_offset(const char *s)
{
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return -1;
	n = strtol(s, &end, 10);
	if (*end || n > KSIGRTMAX - KSIGRTMIN)
		return -1;
	return (int)n;
}

/* |name| without its "SIG" prefix: "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N". */
static int rt_from_name(const char *name)
{
	int n;

	if (strcmp(name, "RTMIN") == 0)
		return KSIGRTMIN;
	if (strcmp(name, "RTMAX") == 0)
		return KSIGRTMAX;
	if (strncmp(name, "RTMIN+", 6) == 0) {
		n = rt_offset(name + 6);
		return n < 0 ? -1 : KSIGRTMIN + n;
	}
	if (strncmp(name, "RTMAX-", 6) == 0) {
		n = rt_offset(name + 6);
		return n < 0 ? -1 : KSIGRTMAX - n;
	}
	return -1;
}

int signal_from_name(const char *name)
{
	char full[32];
	int i;

	if (!name || !*name)
		return -1;
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	if (snprintf(full, sizeof(full), "SIG%s", name) >= (int)sizeof(full))
		return -1;
	i = table_find(signals, ARRAY_SIZE(signals), full);
	if (i > 0)
		return i;
	i = table_find(rt_signals, ARRAY_SIZE(rt_signals), full);
	if (i >= 0)
		return KSIGRTMIN + i;
	i = alias_find(signal_aliases, ARRAY_SIZE(signal_aliases), full);
	if (i > 0)
		return i;
	return rt_from_name(name);
}
