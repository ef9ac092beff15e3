/* SPDX-License-Identifier: MIT */
/*
 * decode.c - owns the flag and constant tables and the formatter of each
 * argument kind. Turns (name, six raw registers) into text; never decides
 * anything. Tracee memory is read through ucopy.c.
 *
 * A call is decoded at syscall entry (the seccomp stop), so only what the
 * program hands in is shown: strings it passes, flags, fds, addresses it
 * connects to. Buffers the kernel would fill (read's buffer, stat's struct)
 * are printed as addresses.
 *
 * Constants are the kernel's values for the build's CPU (x86_64 or
 * aarch64, arch.h) and come from the system headers by name, so the few
 * that differ between them (O_DIRECTORY, O_NOFOLLOW, O_DIRECT) are right
 * on each. A name newer than Debian 12's headers has a fallback value,
 * checked at compile time against any header that does define it (below,
 * "Fallbacks"); O_LARGEFILE, which glibc defines as 0 on both, is the
 * kernel's bit; x86_64's own (arch_prctl codes, MAP_32BIT) exist only in
 * its build.
 */
#include "decode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#if defined(__x86_64__)
#include <asm/prctl.h>
#endif
#include <linux/futex.h>
#include <linux/ipc.h>
#include <linux/mman.h>
#include <linux/net.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "names.h"
#include "syscalls.h"
#include "ucopy.h"

/* --- strings --------------------------------------------------------------- */

static void append_escaped(struct strbuf *out, const unsigned char *s, size_t len)
{
	strbuf_append_char(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			strbuf_append(out, "\\\"");
			break;
		case '\\':
			strbuf_append(out, "\\\\");
			break;
		case '\n':
			strbuf_append(out, "\\n");
			break;
		case '\t':
			strbuf_append(out, "\\t");
			break;
		case '\r':
			strbuf_append(out, "\\r");
			break;
		case '\v':
			strbuf_append(out, "\\v");
			break;
		case '\f':
			strbuf_append(out, "\\f");
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				strbuf_append_char(out, (char)c);
			else
				strbuf_printf(out, "\\%03o", c); /* always 3 digits: unambiguous */
			break;
		}
	}
	strbuf_append_char(out, '"');
}

static void append_addr(struct strbuf *out, uint64_t addr)
{
	if (addr == 0)
		strbuf_append(out, "NULL");
	else
		strbuf_printf(out, "%#llx", (unsigned long long)addr);
}

void decode_quote(struct strbuf *out, const char *s)
{
	append_escaped(out, (const unsigned char *)s, strlen(s));
}

void decode_string(struct strbuf *out, pid_t pid, uint64_t addr, size_t max)
{
	char buf[DECODE_STRLEN_MAX + 1];
	long n;

	if (max > DECODE_STRLEN_MAX)
		max = DECODE_STRLEN_MAX;
	if (addr == 0 || pid <= 0) {
		append_addr(out, addr);
		return;
	}
	n = ucopy_read_cstring(pid, addr, buf, max);
	if (n < 0) {
		append_addr(out, addr);
		return;
	}
	append_escaped(out, (unsigned char *)buf, (size_t)n > max ? max : (size_t)n);
	if ((size_t)n > max)
		strbuf_append(out, "...");
}

/* A buffer of |len| bytes (not NUL-terminated), cut at DECODE_STRLEN_MAX. */
static void decode_buffer(struct strbuf *out, pid_t pid, uint64_t addr, uint64_t len)
{
	unsigned char buf[DECODE_STRLEN_MAX] = {0};
	size_t want = len > sizeof(buf) ? sizeof(buf) : (size_t)len;
	long n;

	if (addr == 0 || pid <= 0) {
		append_addr(out, addr);
		return;
	}
	n = want ? ucopy_read(pid, addr, buf, want) : 0;
	if (n < 0 || (size_t)n < want) {
		append_addr(out, addr);
		return;
	}
	append_escaped(out, buf, want);
	if (len > want)
		strbuf_append(out, "...");
}

/* --- flag and constant tables ----------------------------------------------- */

struct flag {
	uint64_t value;
	const char *name;
};

#define F(x)                                                                                       \
	{                                                                                          \
		(uint64_t)(x), #x                                                                  \
	}
#define END                                                                                        \
	{                                                                                          \
		0, NULL                                                                            \
	}

/*
 * Fallbacks: names newer than Debian 12's headers (glibc 2.36,
 * linux-libc-dev 6.1), the way strace's xlat files carry them. Where a
 * header defines the name, the value written here must be the header's
 * (checked at compile time); where none does, this is the definition.
 */
#define HEADER_AGREES(name, value)                                                                 \
	_Static_assert((name) == (value), #name " differs from the header")

#if defined(__x86_64__)
#ifdef ARCH_GET_UNTAG_MASK /* linux 6.4 */
HEADER_AGREES(ARCH_GET_UNTAG_MASK, 0x4001);
#else
#define ARCH_GET_UNTAG_MASK 0x4001
#endif
#ifdef ARCH_ENABLE_TAGGED_ADDR /* linux 6.4 */
HEADER_AGREES(ARCH_ENABLE_TAGGED_ADDR, 0x4002);
#else
#define ARCH_ENABLE_TAGGED_ADDR 0x4002
#endif
#ifdef ARCH_SHSTK_ENABLE /* linux 6.6 */
HEADER_AGREES(ARCH_SHSTK_ENABLE, 0x5001);
#else
#define ARCH_SHSTK_ENABLE 0x5001
#endif
#ifdef ARCH_SHSTK_DISABLE /* linux 6.6 */
HEADER_AGREES(ARCH_SHSTK_DISABLE, 0x5002);
#else
#define ARCH_SHSTK_DISABLE 0x5002
#endif
#ifdef ARCH_SHSTK_STATUS /* linux 6.6 */
HEADER_AGREES(ARCH_SHSTK_STATUS, 0x5005);
#else
#define ARCH_SHSTK_STATUS 0x5005
#endif
#endif		       /* x86_64 */
#ifdef MFD_NOEXEC_SEAL /* linux 6.3 */
HEADER_AGREES(MFD_NOEXEC_SEAL, 0x8);
#else
#define MFD_NOEXEC_SEAL 0x8
#endif
#ifdef MFD_EXEC /* linux 6.3 */
HEADER_AGREES(MFD_EXEC, 0x10);
#else
#define MFD_EXEC 0x10
#endif

/*
 * The kernel's O_LARGEFILE (x86_64: asm-generic/fcntl.h; aarch64: its own
 * asm/fcntl.h, where 0100000 is O_NOFOLLOW; neither can be included next
 * to <fcntl.h>). glibc's 64-bit headers define O_LARGEFILE as 0, every
 * open being large there, but the kernel still takes and reports the bit.
 */
#if defined(__aarch64__)
#define KERNEL_O_LARGEFILE 0400000
#else
#define KERNEL_O_LARGEFILE 0100000
#endif
_Static_assert(O_LARGEFILE == 0 || O_LARGEFILE == KERNEL_O_LARGEFILE, "O_LARGEFILE");

/*
 * Kernel values no uapi header exports: named here, and checked against
 * what the headers do say about them where they say something.
 */
#define MAX_ERRNO      4095 /* include/linux/err.h: -4095..-1 are errors */
#define TASK_COMM_LEN  16   /* include/linux/sched.h: a thread name's size */
#define SOCK_TYPE_MASK 0xf  /* include/linux/net.h: socket(2)'s type bits */
_Static_assert(((SOCK_NONBLOCK | SOCK_CLOEXEC) & SOCK_TYPE_MASK) == 0, "SOCK_TYPE_MASK");
#define IPC_CALL_MASK 0xffff /* ipc(2): the call; the high half is a version */
_Static_assert(IPCCALL(1, 0) == IPC_CALL_MASK + 1, "IPC_CALL_MASK");

/*
 * Print |v| as NAME|NAME|0x..: entries are tried in order and must list
 * multi-bit values before their parts. Zero prints as |zero| (or "0").
 */
static void append_flags(struct strbuf *out, const struct flag *tab, uint64_t v, const char *zero)
{
	bool any = false;

	if (v == 0) {
		strbuf_append(out, zero ? zero : "0");
		return;
	}
	for (const struct flag *f = tab; f->name; f++) {
		if (f->value && (v & f->value) == f->value) {
			strbuf_printf(out, "%s%s", any ? "|" : "", f->name);
			v &= ~f->value;
			any = true;
		}
	}
	if (v)
		strbuf_printf(out, "%s%#llx", any ? "|" : "", (unsigned long long)v);
}

/* Append the name of |v| in |tab|; false (nothing appended) when it has none. */
static bool append_const(struct strbuf *out, const struct flag *tab, uint64_t v)
{
	for (const struct flag *f = tab; f->name; f++) {
		if (f->value == v) {
			strbuf_append(out, f->name);
			return true;
		}
	}
	return false;
}

static const struct flag open_flags[] = {
	F(O_TMPFILE),	F(O_SYNC),     F(O_CREAT),   F(O_EXCL),
	F(O_NOCTTY),	F(O_TRUNC),    F(O_APPEND),  F(O_NONBLOCK),
	F(O_DSYNC),	F(O_ASYNC),    F(O_DIRECT),  {KERNEL_O_LARGEFILE, "O_LARGEFILE"},
	F(O_DIRECTORY), F(O_NOFOLLOW), F(O_NOATIME), F(O_CLOEXEC),
	F(O_PATH),	END,
};

static void append_open_flags(struct strbuf *out, uint64_t v)
{
	static const char *const acc[] = {
		[O_RDONLY] = "O_RDONLY",
		[O_WRONLY] = "O_WRONLY",
		[O_RDWR] = "O_RDWR",
		[O_ACCMODE] = "O_ACCMODE",
	};

	v &= 0xffffffffu;
	strbuf_append(out, acc[v & O_ACCMODE]);
	if (v & ~(uint64_t)O_ACCMODE) {
		strbuf_append_char(out, '|');
		append_flags(out, open_flags, v & ~(uint64_t)O_ACCMODE, NULL);
	}
}

/* pipe2, dup3, epoll_create1, eventfd2, signalfd4, inotify_init1, accept4 ... */
static const struct flag fd_flags[] = {
	F(O_CLOEXEC),
	F(O_NONBLOCK),
	F(O_DIRECT),
	END,
};

static const struct flag at_flags[] = {
	F(AT_SYMLINK_NOFOLLOW), F(AT_EACCESS),	  F(AT_SYMLINK_FOLLOW),
	F(AT_NO_AUTOMOUNT),	F(AT_EMPTY_PATH), F(AT_STATX_FORCE_SYNC),
	F(AT_STATX_DONT_SYNC),	F(AT_RECURSIVE),  END,
};

static const struct flag unlink_flags[] = {F(AT_REMOVEDIR), END};

static const struct flag access_modes[] = {F(R_OK), F(W_OK), F(X_OK), END};

static const struct flag prot_flags[] = {
	F(PROT_READ), F(PROT_WRITE), F(PROT_EXEC), F(PROT_GROWSDOWN), F(PROT_GROWSUP), END,
};

static const struct flag map_types[] = {
	F(MAP_SHARED),
	F(MAP_PRIVATE),
	F(MAP_SHARED_VALIDATE),
	END,
};

static const struct flag map_flags[] = {
	F(MAP_FIXED),
	F(MAP_ANONYMOUS),
#ifdef MAP_32BIT /* x86_64 */
	F(MAP_32BIT),
#endif
	F(MAP_GROWSDOWN),
	F(MAP_DENYWRITE),
	F(MAP_EXECUTABLE),
	F(MAP_LOCKED),
	F(MAP_NORESERVE),
	F(MAP_POPULATE),
	F(MAP_NONBLOCK),
	F(MAP_STACK),
	F(MAP_HUGETLB),
	F(MAP_SYNC),
	F(MAP_FIXED_NOREPLACE),
	F(MAP_UNINITIALIZED),
	END,
};

/*
 * The type bits x86_64 uses: MAP_SHARED, MAP_PRIVATE, both (validate).
 * The kernel's MAP_TYPE mask (0x0f) is wider; its other bits print as flags.
 */
#define MAP_TYPE_BITS (MAP_SHARED | MAP_PRIVATE)

static void append_map_flags(struct strbuf *out, uint64_t v)
{
	v &= 0xffffffffu;
	if (!append_const(out, map_types, v & MAP_TYPE_BITS))
		strbuf_printf(out, "%#llx", (unsigned long long)(v & MAP_TYPE_BITS));
	if (v & ~(uint64_t)MAP_TYPE_BITS) {
		strbuf_append_char(out, '|');
		append_flags(out, map_flags, v & ~(uint64_t)MAP_TYPE_BITS, NULL);
	}
}

static const struct flag mremap_flags[] = {
	F(MREMAP_MAYMOVE),
	F(MREMAP_FIXED),
	F(MREMAP_DONTUNMAP),
	END,
};

static const struct flag clone_flags[] = {
	F(CLONE_VM),
	F(CLONE_FS),
	F(CLONE_FILES),
	F(CLONE_SIGHAND),
	F(CLONE_PIDFD),
	F(CLONE_PTRACE),
	F(CLONE_VFORK),
	F(CLONE_PARENT),
	F(CLONE_THREAD),
	F(CLONE_NEWNS),
	F(CLONE_SYSVSEM),
	F(CLONE_SETTLS),
	F(CLONE_PARENT_SETTID),
	F(CLONE_CHILD_CLEARTID),
	F(CLONE_DETACHED),
	F(CLONE_UNTRACED),
	F(CLONE_CHILD_SETTID),
	F(CLONE_NEWCGROUP),
	F(CLONE_NEWUTS),
	F(CLONE_NEWIPC),
	F(CLONE_NEWUSER),
	F(CLONE_NEWPID),
	F(CLONE_NEWNET),
	F(CLONE_IO),
	F(CLONE_NEWTIME),
	END,
};

/* clone's low byte is the signal sent to the parent when the child exits. */
static void append_clone_flags(struct strbuf *out, uint64_t v)
{
	uint64_t sig = v & CSIGNAL;
	const char *sname = signal_name((int)sig);

	v &= ~(uint64_t)CSIGNAL;
	if (v)
		append_flags(out, clone_flags, v, NULL);
	if (sig) {
		if (v)
			strbuf_append_char(out, '|');
		if (sname)
			strbuf_append(out, sname);
		else
			strbuf_printf(out, "%llu", (unsigned long long)sig);
	} else if (!v) {
		strbuf_append_char(out, '0');
	}
}

static const struct flag families[] = {
	F(AF_UNSPEC),	  F(AF_UNIX),
	F(AF_INET),	  F(AF_AX25),
	F(AF_IPX),	  F(AF_APPLETALK),
	F(AF_NETROM),	  F(AF_BRIDGE),
	F(AF_ATMPVC),	  F(AF_X25),
	F(AF_INET6),	  F(AF_ROSE),
	F(AF_DECnet),	  F(AF_NETBEUI),
	F(AF_SECURITY),	  F(AF_KEY),
	F(AF_NETLINK),	  F(AF_PACKET),
	F(AF_ASH),	  F(AF_ECONET),
	F(AF_ATMSVC),	  F(AF_RDS),
	F(AF_SNA),	  F(AF_IRDA),
	F(AF_PPPOX),	  F(AF_WANPIPE),
	F(AF_LLC),	  F(AF_IB),
	F(AF_MPLS),	  F(AF_CAN),
	F(AF_TIPC),	  F(AF_BLUETOOTH),
	F(AF_IUCV),	  F(AF_RXRPC),
	F(AF_ISDN),	  F(AF_PHONET),
	F(AF_IEEE802154), F(AF_CAIF),
	F(AF_ALG),	  F(AF_NFC),
	F(AF_VSOCK),	  F(AF_KCM),
	F(AF_QIPCRTR),	  F(AF_SMC),
	F(AF_XDP),	  END,
};

static const struct flag sock_types[] = {
	F(SOCK_STREAM),	   F(SOCK_DGRAM), F(SOCK_RAW),	  F(SOCK_RDM),
	F(SOCK_SEQPACKET), F(SOCK_DCCP),  F(SOCK_PACKET), END,
};

static const struct flag sock_type_flags[] = {F(SOCK_NONBLOCK), F(SOCK_CLOEXEC), END};

static void append_sock_type(struct strbuf *out, uint64_t v)
{
	v &= 0xffffffffu;
	if (!append_const(out, sock_types, v & SOCK_TYPE_MASK))
		strbuf_printf(out, "%llu", (unsigned long long)(v & SOCK_TYPE_MASK));
	if (v & ~(uint64_t)SOCK_TYPE_MASK) {
		strbuf_append_char(out, '|');
		append_flags(out, sock_type_flags, v & ~(uint64_t)SOCK_TYPE_MASK, NULL);
	}
}

static const struct flag msg_flags[] = {
	F(MSG_OOB),   F(MSG_PEEK),	 F(MSG_DONTROUTE), F(MSG_CTRUNC),	F(MSG_PROXY),
	F(MSG_TRUNC), F(MSG_DONTWAIT),	 F(MSG_EOR),	   F(MSG_WAITALL),	F(MSG_FIN),
	F(MSG_SYN),   F(MSG_CONFIRM),	 F(MSG_RST),	   F(MSG_ERRQUEUE),	F(MSG_NOSIGNAL),
	F(MSG_MORE),  F(MSG_WAITFORONE), F(MSG_FASTOPEN),  F(MSG_CMSG_CLOEXEC), END,
};

static const struct flag sockopt_levels[] = {
	F(SOL_SOCKET), F(IPPROTO_IP), F(IPPROTO_TCP), F(IPPROTO_UDP), F(IPPROTO_IPV6), END,
};

static const struct flag shutdown_hows[] = {F(SHUT_RD), F(SHUT_WR), F(SHUT_RDWR), END};

static const struct flag sigprocmask_hows[] = {F(SIG_BLOCK), F(SIG_UNBLOCK), F(SIG_SETMASK), END};

static const struct flag whences[] = {
	F(SEEK_SET), F(SEEK_CUR), F(SEEK_END), F(SEEK_DATA), F(SEEK_HOLE), END,
};

static const struct flag fcntl_cmds[] = {
	F(F_DUPFD),	    F(F_GETFD),
	F(F_SETFD),	    F(F_GETFL),
	F(F_SETFL),	    F(F_GETLK),
	F(F_SETLK),	    F(F_SETLKW),
	F(F_SETOWN),	    F(F_GETOWN),
	F(F_SETSIG),	    F(F_GETSIG),
	F(F_SETOWN_EX),	    F(F_GETOWN_EX),
	F(F_OFD_GETLK),	    F(F_OFD_SETLK),
	F(F_OFD_SETLKW),    F(F_SETLEASE),
	F(F_GETLEASE),	    F(F_NOTIFY),
	F(F_DUPFD_CLOEXEC), F(F_SETPIPE_SZ),
	F(F_GETPIPE_SZ),    F(F_ADD_SEALS),
	F(F_GET_SEALS),	    END,
};

static const struct flag fd_cloexec[] = {F(FD_CLOEXEC), END};

static const struct flag ioctl_cmds[] = {
	F(TCGETS),    F(TCSETS),   F(TCSETSW),	    F(TCSETSF),	    F(TCGETA),
	F(TCSETA),    F(TCSETAW),  F(TCSETAF),	    F(TCSBRK),	    F(TCXONC),
	F(TCFLSH),    F(TIOCEXCL), F(TIOCNXCL),	    F(TIOCSCTTY),   F(TIOCGPGRP),
	F(TIOCSPGRP), F(TIOCOUTQ), F(TIOCSTI),	    F(TIOCGWINSZ),  F(TIOCSWINSZ),
	F(TIOCMGET),  F(TIOCMSET), F(TIOCGSOFTCAR), F(FIONREAD),    F(TIOCLINUX),
	F(TIOCCONS),  F(FIONBIO),  F(TIOCNOTTY),    F(TIOCSETD),    F(TIOCGETD),
	F(TIOCSBRK),  F(TIOCCBRK), F(TIOCGSID),	    F(TIOCGPTN),    F(TIOCSPTLCK),
	F(FIONCLEX),  F(FIOCLEX),  F(FIOASYNC),	    F(TIOCGPTPEER), F(FIOQSIZE),
	END,
};

static const struct flag prctl_options[] = {
	F(PR_SET_PDEATHSIG),
	F(PR_GET_PDEATHSIG),
	F(PR_GET_DUMPABLE),
	F(PR_SET_DUMPABLE),
	F(PR_GET_KEEPCAPS),
	F(PR_SET_KEEPCAPS),
	F(PR_SET_NAME),
	F(PR_GET_NAME),
	F(PR_GET_SECCOMP),
	F(PR_SET_SECCOMP),
	F(PR_CAPBSET_READ),
	F(PR_CAPBSET_DROP),
	F(PR_GET_TIMERSLACK),
	F(PR_SET_TIMERSLACK),
	F(PR_SET_MM),
	F(PR_SET_CHILD_SUBREAPER),
	F(PR_GET_CHILD_SUBREAPER),
	F(PR_SET_NO_NEW_PRIVS),
	F(PR_GET_NO_NEW_PRIVS),
	F(PR_SET_THP_DISABLE),
	F(PR_GET_THP_DISABLE),
	F(PR_CAP_AMBIENT),
	F(PR_SET_PTRACER),
	F(PR_GET_SPECULATION_CTRL),
	F(PR_SET_SPECULATION_CTRL),
	F(PR_SET_VMA),
	END,
};

/* x86_64's arch_prctl(2); aarch64 has no such call. */
static const struct flag arch_prctl_codes[] = {
#if defined(__x86_64__)
	F(ARCH_SET_GS),
	F(ARCH_SET_FS),
	F(ARCH_GET_FS),
	F(ARCH_GET_GS),
	F(ARCH_GET_CPUID),
	F(ARCH_SET_CPUID),
	F(ARCH_GET_XCOMP_SUPP),
	F(ARCH_GET_XCOMP_PERM),
	F(ARCH_REQ_XCOMP_PERM),
	F(ARCH_MAP_VDSO_X32),
	F(ARCH_MAP_VDSO_32),
	F(ARCH_MAP_VDSO_64),
	F(ARCH_GET_UNTAG_MASK),
	F(ARCH_ENABLE_TAGGED_ADDR),
	F(ARCH_SHSTK_ENABLE),
	F(ARCH_SHSTK_DISABLE),
	F(ARCH_SHSTK_STATUS),
#endif
	END,
};

static const struct flag futex_ops[] = {
	F(FUTEX_WAIT),		 F(FUTEX_WAKE),	       F(FUTEX_FD),
	F(FUTEX_REQUEUE),	 F(FUTEX_CMP_REQUEUE), F(FUTEX_WAKE_OP),
	F(FUTEX_LOCK_PI),	 F(FUTEX_UNLOCK_PI),   F(FUTEX_TRYLOCK_PI),
	F(FUTEX_WAIT_BITSET),	 F(FUTEX_WAKE_BITSET), F(FUTEX_WAIT_REQUEUE_PI),
	F(FUTEX_CMP_REQUEUE_PI), F(FUTEX_LOCK_PI2),    END,
};

static void append_futex_op(struct strbuf *out, uint64_t v)
{
	uint64_t cmd = v & FUTEX_CMD_MASK;

	if (!append_const(out, futex_ops, cmd))
		strbuf_printf(out, "%llu", (unsigned long long)cmd);
	if (v & FUTEX_PRIVATE_FLAG)
		strbuf_append(out, "_PRIVATE");
	if (v & FUTEX_CLOCK_REALTIME)
		strbuf_append(out, "|FUTEX_CLOCK_REALTIME");
	v &= ~(uint64_t)(FUTEX_CMD_MASK | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	if (v & 0xffffffffu)
		strbuf_printf(out, "|%#llx", (unsigned long long)(v & 0xffffffffu));
}

static const struct flag clocks[] = {
	F(CLOCK_REALTIME),	    F(CLOCK_MONOTONIC),	    F(CLOCK_PROCESS_CPUTIME_ID),
	F(CLOCK_THREAD_CPUTIME_ID), F(CLOCK_MONOTONIC_RAW), F(CLOCK_REALTIME_COARSE),
	F(CLOCK_MONOTONIC_COARSE),  F(CLOCK_BOOTTIME),	    F(CLOCK_REALTIME_ALARM),
	F(CLOCK_BOOTTIME_ALARM),    F(CLOCK_TAI),	    END,
};

static const struct flag timer_flags[] = {F(TIMER_ABSTIME), END};

static const struct flag rlimits[] = {
	F(RLIMIT_CPU),
	F(RLIMIT_FSIZE),
	F(RLIMIT_DATA),
	F(RLIMIT_STACK),
	F(RLIMIT_CORE),
	F(RLIMIT_RSS),
	F(RLIMIT_NPROC),
	F(RLIMIT_NOFILE),
	F(RLIMIT_MEMLOCK),
	F(RLIMIT_AS),
	F(RLIMIT_LOCKS),
	F(RLIMIT_SIGPENDING),
	F(RLIMIT_MSGQUEUE),
	F(RLIMIT_NICE),
	F(RLIMIT_RTPRIO),
	F(RLIMIT_RTTIME),
	END,
};

static const struct flag wait_options[] = {
	F(WNOHANG),	F(WUNTRACED), F(WEXITED),  F(WCONTINUED), F(WNOWAIT),
	F(__WNOTHREAD), F(__WALL),    F(__WCLONE), END,
};

static const struct flag idtypes[] = {F(P_ALL), F(P_PID), F(P_PGID), F(P_PIDFD), END};

static const struct flag madvices[] = {
	F(MADV_NORMAL),
	F(MADV_RANDOM),
	F(MADV_SEQUENTIAL),
	F(MADV_WILLNEED),
	F(MADV_DONTNEED),
	F(MADV_FREE),
	F(MADV_REMOVE),
	F(MADV_DONTFORK),
	F(MADV_DOFORK),
	F(MADV_MERGEABLE),
	F(MADV_UNMERGEABLE),
	F(MADV_HUGEPAGE),
	F(MADV_NOHUGEPAGE),
	F(MADV_DONTDUMP),
	F(MADV_DODUMP),
	F(MADV_WIPEONFORK),
	F(MADV_KEEPONFORK),
	F(MADV_COLD),
	F(MADV_PAGEOUT),
	F(MADV_POPULATE_READ),
	F(MADV_POPULATE_WRITE),
	F(MADV_DONTNEED_LOCKED),
	F(MADV_COLLAPSE),
	F(MADV_HWPOISON),
	END,
};

static const struct flag seccomp_ops[] = {
	F(SECCOMP_SET_MODE_STRICT),
	F(SECCOMP_SET_MODE_FILTER),
	F(SECCOMP_GET_ACTION_AVAIL),
	F(SECCOMP_GET_NOTIF_SIZES),
	END,
};

static const struct flag seccomp_flags[] = {
	F(SECCOMP_FILTER_FLAG_TSYNC),
	F(SECCOMP_FILTER_FLAG_LOG),
	F(SECCOMP_FILTER_FLAG_SPEC_ALLOW),
	F(SECCOMP_FILTER_FLAG_NEW_LISTENER),
	F(SECCOMP_FILTER_FLAG_TSYNC_ESRCH),
	F(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV),
	END,
};

static const struct flag memfd_flags[] = {
	F(MFD_CLOEXEC), F(MFD_ALLOW_SEALING), F(MFD_HUGETLB), F(MFD_NOEXEC_SEAL), F(MFD_EXEC), END,
};

static const struct flag rename_flags[] = {
	F(RENAME_NOREPLACE),
	F(RENAME_EXCHANGE),
	F(RENAME_WHITEOUT),
	END,
};

static const struct flag grnd_flags[] = {
	F(GRND_NONBLOCK),
	F(GRND_RANDOM),
	F(GRND_INSECURE),
	END,
};

static const struct flag epoll_ops[] = {
	F(EPOLL_CTL_ADD),
	F(EPOLL_CTL_DEL),
	F(EPOLL_CTL_MOD),
	END,
};

static const struct flag mount_flags[] = {
	F(MS_RDONLY),	   F(MS_NOSUID),
	F(MS_NODEV),	   F(MS_NOEXEC),
	F(MS_SYNCHRONOUS), F(MS_REMOUNT),
	F(MS_MANDLOCK),	   F(MS_DIRSYNC),
	F(MS_NOSYMFOLLOW), F(MS_NOATIME),
	F(MS_NODIRATIME),  F(MS_BIND),
	F(MS_MOVE),	   F(MS_REC),
	F(MS_SILENT),	   F(MS_POSIXACL),
	F(MS_UNBINDABLE),  F(MS_PRIVATE),
	F(MS_SLAVE),	   F(MS_SHARED),
	F(MS_RELATIME),	   F(MS_KERNMOUNT),
	F(MS_I_VERSION),   F(MS_STRICTATIME),
	F(MS_LAZYTIME),	   END,
};

static const struct flag socketcalls[] = {
	F(SYS_SOCKET),	    F(SYS_BIND),       F(SYS_CONNECT),
	F(SYS_LISTEN),	    F(SYS_ACCEPT),     F(SYS_GETSOCKNAME),
	F(SYS_GETPEERNAME), F(SYS_SOCKETPAIR), F(SYS_SEND),
	F(SYS_RECV),	    F(SYS_SENDTO),     F(SYS_RECVFROM),
	F(SYS_SHUTDOWN),    F(SYS_SETSOCKOPT), F(SYS_GETSOCKOPT),
	F(SYS_SENDMSG),	    F(SYS_RECVMSG),    F(SYS_ACCEPT4),
	F(SYS_RECVMMSG),    F(SYS_SENDMMSG),   END,
};

static const struct flag ipc_calls[] = {
	F(SEMOP),  F(SEMGET), F(SEMCTL), F(SEMTIMEDOP), F(MSGSND), F(MSGRCV), F(MSGGET),
	F(MSGCTL), F(SHMAT),  F(SHMDT),	 F(SHMGET),	F(SHMCTL), END,
};

static const struct flag umount_flags[] = {
	F(MNT_FORCE), F(MNT_DETACH), F(MNT_EXPIRE), F(UMOUNT_NOFOLLOW), END,
};

/* --- argument formatting ----------------------------------------------------- */

struct call {
	struct strbuf *out;
	pid_t pid;
	const uint64_t *args; /* already cut to the ABI's register width */
	bool compat32;
};

static void append_int(struct strbuf *out, uint64_t v)
{
	strbuf_printf(out, "%d", (int)(int32_t)v);
}

static void append_long(const struct call *c, uint64_t v)
{
	if (c->compat32)
		strbuf_printf(c->out, "%d", (int)(int32_t)v);
	else
		strbuf_printf(c->out, "%lld", (long long)v);
}

static void append_named(struct strbuf *out, const struct flag *tab, uint64_t v)
{
	if (!append_const(out, tab, v))
		append_int(out, v);
}

static void append_signal(struct strbuf *out, uint64_t v)
{
	const char *name = (int32_t)v > 0 ? signal_name((int)v) : NULL;

	if (name)
		strbuf_append(out, name);
	else
		append_int(out, v);
}

static void append_dirfd(struct strbuf *out, uint64_t v)
{
	if ((int32_t)v == AT_FDCWD)
		strbuf_append(out, "AT_FDCWD");
	else
		append_int(out, v);
}

static void append_mode(struct strbuf *out, uint64_t v)
{
	strbuf_printf(out, "0%03llo", (unsigned long long)(v & 0xffffffffu));
}

/* Read one pointer-sized word (4 bytes in a 32-bit ABI) at |addr|. */
static bool read_word(const struct call *c, uint64_t addr, uint64_t *ret)
{
	return ucopy_read_word(c->pid, addr, c->compat32 ? 4 : 8, ret) == 0;
}

#define ARGV_MAX 32

static void append_argv(const struct call *c, uint64_t addr)
{
	size_t width = c->compat32 ? 4 : 8;
	struct strbuf items = {0};
	size_t i;

	if (addr == 0 || c->pid <= 0) {
		append_addr(c->out, addr);
		return;
	}
	for (i = 0; i < ARGV_MAX; i++) {
		uint64_t p;

		if (!read_word(c, addr + i * width, &p)) {
			strbuf_free(&items);
			append_addr(c->out, addr);
			return;
		}
		if (p == 0)
			break;
		if (i)
			strbuf_append(&items, ", ");
		decode_string(&items, c->pid, p, DECODE_STRLEN_MAX);
	}
	strbuf_printf(c->out, "[%s%s]", strbuf_str(&items), i == ARGV_MAX ? ", ..." : "");
	strbuf_free(&items);
}

#define ENVP_MAX 4096

static void append_envp(const struct call *c, uint64_t addr)
{
	size_t width = c->compat32 ? 4 : 8;
	size_t n;

	append_addr(c->out, addr);
	if (addr == 0 || c->pid <= 0)
		return;
	for (n = 0; n < ENVP_MAX; n++) {
		uint64_t p;

		if (!read_word(c, addr + n * width, &p))
			return;
		if (p == 0)
			break;
	}
	strbuf_printf(c->out, " /* %s%zu var%s */", n == ENVP_MAX ? "at least " : "", n,
		      n == 1 ? "" : "s");
}

#define IOV_MAX_SHOWN 8

static void append_iovec(const struct call *c, uint64_t addr, uint64_t count)
{
	size_t width = c->compat32 ? 4 : 8;
	uint64_t n = count > IOV_MAX_SHOWN ? IOV_MAX_SHOWN : count;
	struct strbuf items = {0};

	if (addr == 0 || c->pid <= 0 || (int32_t)count <= 0) {
		append_addr(c->out, addr);
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t base, len;

		if (!read_word(c, addr + i * 2 * width, &base) ||
		    !read_word(c, addr + i * 2 * width + width, &len)) {
			strbuf_free(&items);
			append_addr(c->out, addr);
			return;
		}
		strbuf_printf(&items, "%s{", i ? ", " : "");
		decode_buffer(&items, c->pid, base, len);
		strbuf_printf(&items, ", %llu}", (unsigned long long)len);
	}
	strbuf_printf(c->out, "[%s%s]", strbuf_str(&items), count > n ? ", ..." : "");
	strbuf_free(&items);
}

static void append_sockaddr(const struct call *c, uint64_t addr, uint64_t len)
{
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} u;
	size_t n = len > sizeof(u) ? sizeof(u) : (size_t)len;
	char ip[INET6_ADDRSTRLEN];

	memset(&u, 0, sizeof(u));
	if (addr == 0 || c->pid <= 0 || n < sizeof(sa_family_t) ||
	    ucopy_read_exact(c->pid, addr, &u, n) < 0) {
		append_addr(c->out, addr);
		return;
	}
	strbuf_append_char(c->out, '{');
	append_named(c->out, families, u.sa.sa_family);
	if (u.sa.sa_family == AF_UNIX && n > offsetof(struct sockaddr_un, sun_path)) {
		size_t plen = n - offsetof(struct sockaddr_un, sun_path);

		strbuf_append(c->out, ", ");
		if (u.un.sun_path[0] == '\0' && plen > 1) {
			/* Abstract: a leading NUL, then exactly plen - 1 bytes. */
			strbuf_append_char(c->out, '@');
			append_escaped(c->out, (unsigned char *)u.un.sun_path + 1, plen - 1);
		} else {
			append_escaped(c->out, (unsigned char *)u.un.sun_path,
				       strnlen(u.un.sun_path, plen));
		}
	} else if (u.sa.sa_family == AF_INET && n >= sizeof(struct sockaddr_in)) {
		inet_ntop(AF_INET, &u.in.sin_addr, ip, sizeof(ip));
		strbuf_printf(c->out, ", %s:%u", ip, ntohs(u.in.sin_port));
	} else if (u.sa.sa_family == AF_INET6 && n >= sizeof(struct sockaddr_in6)) {
		inet_ntop(AF_INET6, &u.in6.sin6_addr, ip, sizeof(ip));
		strbuf_printf(c->out, ", [%s]:%u", ip, ntohs(u.in6.sin6_port));
	}
	strbuf_append_char(c->out, '}');
}

static void append_timespec(const struct call *c, uint64_t addr)
{
	struct timespec ts;

	if (addr == 0 || c->pid <= 0 || c->compat32 ||
	    ucopy_read_exact(c->pid, addr, &ts, sizeof(ts)) < 0) {
		append_addr(c->out, addr);
		return;
	}
	strbuf_printf(c->out, "{tv_sec=%lld, tv_nsec=%ld}", (long long)ts.tv_sec, ts.tv_nsec);
}

static void append_rlim_value(struct strbuf *out, uint64_t v)
{
	if (v == (uint64_t)RLIM_INFINITY)
		strbuf_append(out, "RLIM_INFINITY");
	else
		strbuf_printf(out, "%llu", (unsigned long long)v);
}

static void append_rlimit(const struct call *c, uint64_t addr)
{
	uint64_t lim[2];

	if (addr == 0 || c->pid <= 0 || c->compat32 ||
	    ucopy_read_exact(c->pid, addr, lim, sizeof(lim)) < 0) {
		append_addr(c->out, addr);
		return;
	}
	strbuf_append(c->out, "{rlim_cur=");
	append_rlim_value(c->out, lim[0]);
	strbuf_append(c->out, ", rlim_max=");
	append_rlim_value(c->out, lim[1]);
	strbuf_append_char(c->out, '}');
}

static void append_fcntl_arg(const struct call *c, uint64_t v)
{
	switch ((int32_t)c->args[1]) {
	case F_SETFD:
		append_flags(c->out, fd_cloexec, v & 0xffffffffu, NULL);
		break;
	case F_SETFL:
		append_open_flags(c->out, v);
		break;
	case F_SETSIG:
		append_signal(c->out, v);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
	case F_GETOWN_EX:
	case F_SETOWN_EX:
		append_addr(c->out, v);
		break;
	default:
		append_long(c, v);
		break;
	}
}

static void append_prctl_arg2(const struct call *c, uint64_t v)
{
	switch ((int32_t)c->args[0]) {
	case PR_SET_PDEATHSIG:
		append_signal(c->out, v);
		break;
	case PR_SET_NAME:
		decode_string(c->out, c->pid, v, TASK_COMM_LEN);
		break;
	default:
		strbuf_printf(c->out, "%#llx", (unsigned long long)v);
		break;
	}
}

/* futex(uaddr, op, val, timeout, uaddr2, val3): FUTEX_WAIT's timeout. */
#define FUTEX_TIMEOUT_ARG 3

/* False when argument |i| of kind |k| is not part of this call at all. */
static bool arg_present(const struct call *c, enum arg_kind k, int i)
{
	uint64_t cmd;

	switch (k) {
	case A_OPEN_MODE:
		return (c->args[i - 1] & O_CREAT) || (c->args[i - 1] & O_TMPFILE) == O_TMPFILE;
	case A_FCNTL_ARG:
		switch ((int32_t)c->args[1]) {
		case F_GETFD:
		case F_GETFL:
		case F_GETOWN:
		case F_GETSIG:
		case F_GETLEASE:
		case F_GETPIPE_SZ:
		case F_GET_SEALS:
			return false;
		}
		return true;
	case A_FUTEX_ARG:
		cmd = c->args[1] & FUTEX_CMD_MASK;
		if (cmd == FUTEX_WAKE)
			return false;
		if (cmd == FUTEX_WAIT)
			return i == FUTEX_TIMEOUT_ARG;
		return true;
	default:
		return true;
	}
}

/* --- one formatter per argument kind --------------------------------------- */

/* The argument after |i|, which some kinds take as their length or count. */
static uint64_t next_arg(const struct call *c, int i)
{
	return i + 1 < 6 ? c->args[i + 1] : 0;
}

static void show_uint(struct strbuf *out, uint64_t v)
{
	strbuf_printf(out, "%u", (unsigned int)v);
}

static void show_ulong(struct strbuf *out, uint64_t v)
{
	strbuf_printf(out, "%llu", (unsigned long long)v);
}

static void show_hex(struct strbuf *out, uint64_t v)
{
	strbuf_printf(out, "%#llx", (unsigned long long)v);
}

static void show_hex32(struct strbuf *out, uint64_t v)
{
	strbuf_printf(out, "%#x", (unsigned int)v);
}

static void show_long(const struct call *c, int i)
{
	append_long(c, c->args[i]);
}

static void show_path(const struct call *c, int i)
{
	decode_string(c->out, c->pid, c->args[i], DECODE_STRLEN_MAX);
}

static void show_wbuf(const struct call *c, int i)
{
	decode_buffer(c->out, c->pid, c->args[i], next_arg(c, i));
}

static void show_sockaddr(const struct call *c, int i)
{
	append_sockaddr(c, c->args[i], next_arg(c, i) & 0xffffffffu);
}

static void show_iovec(const struct call *c, int i)
{
	append_iovec(c, c->args[i], next_arg(c, i));
}

static void show_argv(const struct call *c, int i)
{
	append_argv(c, c->args[i]);
}

static void show_envp(const struct call *c, int i)
{
	append_envp(c, c->args[i]);
}

static void show_timespec(const struct call *c, int i)
{
	append_timespec(c, c->args[i]);
}

static void show_rlimit(const struct call *c, int i)
{
	append_rlimit(c, c->args[i]);
}

static void show_fcntl_arg(const struct call *c, int i)
{
	append_fcntl_arg(c, c->args[i]);
}

static void show_prctl_arg2(const struct call *c, int i)
{
	append_prctl_arg2(c, c->args[i]);
}

static void show_futex_arg(const struct call *c, int i)
{
	if (i == FUTEX_TIMEOUT_ARG && (c->args[1] & FUTEX_CMD_MASK) == FUTEX_WAIT)
		append_timespec(c, c->args[i]);
	else
		show_hex(c->out, c->args[i]);
}

/*
 * How one kind is shown, by the first field set: a formatter of the value
 * alone, one that needs the call (other arguments, the tracee's memory), an
 * OR of flag names, or one constant's name (else the number: decimal, or
 * hex with |hex|). |mask| is the bits the kernel reads of the value.
 */
struct kind_decoder {
	void (*value)(struct strbuf *out, uint64_t v);
	void (*arg)(const struct call *c, int i);
	const struct flag *flags;
	const struct flag *names;
	uint64_t mask;
	const char *zero; /* flags: how 0 reads, when not "0" */
	bool hex;
};

/* The shapes of an entry, one line each. */
/* clang-format off */
#define VALUE(fn)              {.value = fn}
#define ARG(fn)                {.arg = fn}
#define FLAGS(tab)             {.flags = tab, .mask = UINT32_MAX}
#define FLAGS_ZERO(tab, zname) {.flags = tab, .mask = UINT32_MAX, .zero = zname}
#define NAMES(tab)             {.names = tab, .mask = UINT32_MAX}
#define NAMES_HEX(tab)         {.names = tab, .mask = UINT32_MAX, .hex = true}
/* clang-format on */

/*
 * Every kind has exactly one entry, checked at compile time: each K() takes
 * one number from __COUNTER__, no kind can be given twice (-Woverride-init,
 * an error in this build), and there are A_N_KINDS of them (syscalls.h's
 * count): so every kind has one.
 */
#define K(kind) (kind) + 0 * __COUNTER__
enum { DECODERS_COUNTER = __COUNTER__ };

static const struct kind_decoder decoders[] = {
	[K(A_NONE)] = VALUE(append_int),
	[K(A_INT)] = VALUE(append_int),
	[K(A_UINT)] = VALUE(show_uint),
	[K(A_LONG)] = ARG(show_long),
	[K(A_ULONG)] = VALUE(show_ulong),
	[K(A_HEX)] = VALUE(show_hex),
	[K(A_HEX32)] = VALUE(show_hex32),
	[K(A_PTR)] = VALUE(append_addr),
	[K(A_FD)] = VALUE(append_int),
	[K(A_DIRFD)] = VALUE(append_dirfd),
	[K(A_PATH)] = ARG(show_path),
	[K(A_WBUF)] = ARG(show_wbuf),
	[K(A_MODE)] = VALUE(append_mode),
	[K(A_OPEN_MODE)] = VALUE(append_mode),
	[K(A_OPEN_FLAGS)] = VALUE(append_open_flags),
	[K(A_FD_FLAGS)] = FLAGS(fd_flags),
	[K(A_AT_FLAGS)] = FLAGS(at_flags),
	[K(A_UNLINK_FLAGS)] = FLAGS(unlink_flags),
	[K(A_ACCESS)] = FLAGS_ZERO(access_modes, "F_OK"),
	[K(A_PROT)] = FLAGS_ZERO(prot_flags, "PROT_NONE"),
	[K(A_MAP_FLAGS)] = VALUE(append_map_flags),
	[K(A_MREMAP_FLAGS)] = FLAGS(mremap_flags),
	[K(A_CLONE_FLAGS)] = VALUE(append_clone_flags),
	[K(A_SIGNAL)] = VALUE(append_signal),
	[K(A_FAMILY)] = NAMES(families),
	[K(A_SOCK_TYPE)] = VALUE(append_sock_type),
	[K(A_SOCKADDR)] = ARG(show_sockaddr),
	[K(A_MSG_FLAGS)] = FLAGS(msg_flags),
	[K(A_SOCK_LEVEL)] = NAMES(sockopt_levels),
	[K(A_SHUTDOWN)] = NAMES(shutdown_hows),
	[K(A_SIGHOW)] = NAMES(sigprocmask_hows),
	[K(A_WHENCE)] = NAMES(whences),
	[K(A_FCNTL_CMD)] = NAMES(fcntl_cmds),
	[K(A_FCNTL_ARG)] = ARG(show_fcntl_arg),
	[K(A_IOCTL_CMD)] = NAMES_HEX(ioctl_cmds),
	[K(A_PRCTL_OPTION)] = NAMES(prctl_options),
	[K(A_PRCTL_ARG2)] = ARG(show_prctl_arg2),
	[K(A_ARCH_PRCTL_CODE)] = NAMES_HEX(arch_prctl_codes),
	[K(A_FUTEX_OP)] = VALUE(append_futex_op),
	[K(A_FUTEX_ARG)] = ARG(show_futex_arg),
	[K(A_CLOCK)] = NAMES(clocks),
	[K(A_TIMER_FLAGS)] = FLAGS(timer_flags),
	[K(A_TIMESPEC)] = ARG(show_timespec),
	[K(A_RLIMIT_RES)] = NAMES(rlimits),
	[K(A_RLIMIT_IN)] = ARG(show_rlimit),
	[K(A_WAIT_OPTIONS)] = FLAGS(wait_options),
	[K(A_IDTYPE)] = NAMES(idtypes),
	[K(A_MADVICE)] = NAMES(madvices),
	[K(A_SECCOMP_OP)] = NAMES(seccomp_ops),
	[K(A_SECCOMP_FLAGS)] = FLAGS(seccomp_flags),
	[K(A_MEMFD_FLAGS)] = FLAGS(memfd_flags),
	[K(A_RENAME_FLAGS)] = FLAGS(rename_flags),
	[K(A_GRND_FLAGS)] = FLAGS(grnd_flags),
	[K(A_EPOLL_OP)] = NAMES(epoll_ops),
	[K(A_MOUNT_FLAGS)] = {.flags = mount_flags, .mask = UINT64_MAX}, /* unsigned long */
	[K(A_UMOUNT_FLAGS)] = FLAGS(umount_flags),
	[K(A_ARGV)] = ARG(show_argv),
	[K(A_ENVP)] = ARG(show_envp),
	[K(A_IOVEC)] = ARG(show_iovec),
	[K(A_SOCKETCALL)] = NAMES(socketcalls),
	[K(A_IPC)] = {.names = ipc_calls, .mask = IPC_CALL_MASK},
};

_Static_assert(__COUNTER__ - DECODERS_COUNTER - 1 == A_N_KINDS, "an argument kind has no decoder");
_Static_assert(ARRAY_SIZE(decoders) == A_N_KINDS, "a decoder for a kind that does not exist");

static bool decoder_set(const struct kind_decoder *d)
{
	return d->value || d->arg || d->flags || d->names;
}

bool decode_kinds_complete(void)
{
	for (size_t k = 0; k < ARRAY_SIZE(decoders); k++)
		if (!decoder_set(&decoders[k]))
			return false;
	return true;
}

static void append_arg(const struct call *c, unsigned int k, int i)
{
	const struct kind_decoder *d = &decoders[k < ARRAY_SIZE(decoders) ? k : A_HEX];
	uint64_t v = c->args[i];

	if (d->value)
		d->value(c->out, v);
	else if (d->arg)
		d->arg(c, i);
	else if (d->flags)
		append_flags(c->out, d->flags, v & d->mask, d->zero);
	else if (append_const(c->out, d->names, v & d->mask))
		return;
	else if (d->hex)
		show_hex32(c->out, v & d->mask);
	else
		append_int(c->out, v & d->mask);
}

void decode_call(struct strbuf *out, pid_t pid, const char *name, const uint64_t args[6],
		 bool compat32)
{
	const struct syscall_row *sig = syscall_signature(name);
	uint64_t cut[6];
	struct call c = {.out = out, .pid = pid, .args = cut, .compat32 = compat32};

	for (int i = 0; i < 6; i++)
		cut[i] = compat32 ? (uint32_t)args[i] : args[i];
	strbuf_printf(out, "%s(", name);
	if (!sig) {
		for (int i = 0; i < 6; i++)
			strbuf_printf(out, "%s%#llx", i ? ", " : "", (unsigned long long)cut[i]);
		strbuf_append_char(out, ')');
		return;
	}
	for (int i = 0; i < sig->n; i++) {
		if (!arg_present(&c, sig->arg[i], i))
			break;
		if (i)
			strbuf_append(out, ", ");
		append_arg(&c, sig->arg[i], i);
	}
	strbuf_append_char(out, ')');
}

/* Calls whose result is an address rather than a count or descriptor. */
static bool returns_address(const char *name)
{
	const struct syscall_row *row = syscall_by_name(name);

	return row && (row->traits & SYSCALL_ADDRESS);
}

#define KERNEL_ERRNO_FIRST 512 /* ERESTARTSYS: never seen by the program */

void decode_retval(struct strbuf *out, const char *name, int64_t ret)
{
	int err = ret < 0 && ret >= -MAX_ERRNO ? (int)-ret : 0;
	const char *ename = err ? errno_name(err) : NULL;

	if (!err) {
		if (returns_address(name))
			strbuf_printf(out, "= %#llx", (unsigned long long)ret);
		else
			strbuf_printf(out, "= %lld", (long long)ret);
		return;
	}
	if (err >= KERNEL_ERRNO_FIRST && ename) {
		strbuf_printf(out, "= ? %s", ename);
		return;
	}
	if (ename)
		strbuf_printf(out, "= -1 %s (%s)", ename, strerror(err));
	else
		strbuf_printf(out, "= -1 errno %d", err);
}
