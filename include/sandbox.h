/* SPDX-License-Identifier: MIT */
/*
 * sandbox.h - public C API of the sandbox supervisor.
 *
 * Run a program under a seccomp filter compiled from a JSON policy, with a
 * ptrace supervisor that reports, denies or kills the calls the policy marks.
 * Functions return 0 (or a non-negative value) on success and -errno on
 * failure, unless documented otherwise.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SBX_EXPORT __attribute__((visibility("default")))

/*
 * Versions. sandbox_version.h, made by meson from the project's version,
 * defines SBX_VERSION_MAJOR, SBX_VERSION_MINOR, SBX_VERSION_PATCH (integers)
 * and SBX_VERSION_STRING ("MAJOR.MINOR.PATCH"): the version of the headers a
 * program is compiled with. sbx_version() is the library's, at run time.
 * SBX_VERSION_AT_LEAST() compares the headers' version (usable in #if).
 */
#define SBX_VERSION_AT_LEAST(major, minor, patch)                                                  \
	(SBX_VERSION_MAJOR != (major)	? SBX_VERSION_MAJOR > (major)                              \
	 : SBX_VERSION_MINOR != (minor) ? SBX_VERSION_MINOR > (minor)                              \
					: SBX_VERSION_PATCH >= (patch))

/*
 * The version of the library running, "MAJOR.MINOR.PATCH" (static
 * storage, never NULL): a program linked against a shared library may run
 * with another version than SBX_VERSION_STRING of the headers it was
 * compiled with.
 */
SBX_EXPORT const char *sbx_version(void);

/*
 * Versions of the structures. struct sbx_config and struct sbx_result grow
 * the way the kernel's clone_args and open_how do: every call that takes
 * one also takes the caller's sizeof of it (the macros sbx_run(),
 * sbx_result_clear(), ... pass it), so a program built with older or newer
 * headers keeps working with this library without being rebuilt:
 *
 *  - a smaller struct sbx_config (older headers) reads as if the fields it
 *    lacks were zero, and zero is always their default;
 *  - a larger one (newer headers) is accepted when every byte past this
 *    library's struct is zero (the caller set nothing the library does not
 *    know), else refused with -E2BIG before anything starts;
 *  - a smaller struct sbx_result gets only the fields it has (what the
 *    library allocated for the others is freed); a larger one gets its
 *    bytes past this library's struct zeroed;
 *  - a size below the first published layout (SBX_CONFIG_SIZE_VER0,
 *    SBX_RESULT_SIZE_VER0) is -EINVAL from every call that returns an
 *    int (sbx_result_clear_sized() frees the fields inside any size).
 *
 * Rules for maintainers, so the above stays true:
 *  - fields are only ever appended at the end of struct sbx_config and
 *    struct sbx_result, never inserted, removed, resized or reordered;
 *  - a new config field means "as before" when zero;
 *  - the embedded and array structs (struct sbx_limits, sbx_violation,
 *    sbx_isolation_info, sbx_call_count, sbx_mount) are frozen: a new
 *    limit or fact goes at the end of the top-level struct;
 *  - fields are appended in 8-byte units (a smaller field is completed by
 *    an explicit reserved field), so no version has padding at its end
 *    that the next one would use: src/api.c and src/result.c check that
 *    the structs end at their last field;
 *  - each release that appends fields adds SBX_CONFIG_SIZE_VER<n> or
 *    SBX_RESULT_SIZE_VER<n> (the end of its last field) and the checks in
 *    src/api.c and src/result.c compare with it; an owned pointer added to
 *    struct sbx_result is freed in src/result.c (result_free_fields()).
 */
#define SBX_OFFSETOFEND(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
#define SBX_CONFIG_SIZE_VER0	      SBX_OFFSETOFEND(struct sbx_config, detach_after_ms)
#define SBX_RESULT_SIZE_VER0	      SBX_OFFSETOFEND(struct sbx_result, log_lines_not_shown)
/* Appended after 0.1.0: trace_fd, trace_output, summary; the --summary rows. */
#define SBX_CONFIG_SIZE_VER1 SBX_OFFSETOFEND(struct sbx_config, reserved_summary)
#define SBX_RESULT_SIZE_VER1 SBX_OFFSETOFEND(struct sbx_result, n_summary)
/* Appended after that: learn_base. */
#define SBX_CONFIG_SIZE_VER2 SBX_OFFSETOFEND(struct sbx_config, learn_base)
/* Appended after that: decisions. */
#define SBX_CONFIG_SIZE_VER3 SBX_OFFSETOFEND(struct sbx_config, reserved_decisions)

/*
 * Exit statuses of the sandbox(1) command besides the program's own. All are
 * above 128 + 64, so none can be confused with "died of signal N".
 */
#define SBX_EXIT_VIOLATION	200 /* killed for a policy violation */
#define SBX_EXIT_CPU_TIME	201 /* cpu_time_limit */
#define SBX_EXIT_WALL_TIME	202 /* wall_time_limit */
#define SBX_EXIT_MEMORY		203 /* memory_limit */
#define SBX_EXIT_OUTPUT		204 /* output_limit */
#define SBX_EXIT_PROCESSES	205 /* process_limit */
#define SBX_EXIT_ERROR		125 /* the sandbox's own error: usage, bad policy, setup */
#define SBX_EXIT_NOT_EXECUTABLE 126
#define SBX_EXIT_NOT_FOUND	127

struct sbx_policy;

/*
 * Load a policy: a file, "-" for standard input (a FIFO, too, is read to
 * its end; at most 16 MiB), or a shipped policy by name ("judge"). On
 * failure returns -errno (-EISDIR, -EFBIG over 16 MiB, -EINVAL for a bad
 * policy) and, when |ret_diag| is not NULL, stores a malloc'd text with one
 * "file:line:column: path: message" line per problem (caller frees).
 * Warnings alone do not fail a load (see sbx_policy_check()); on success
 * |*ret_diag| is NULL, or one warning to show (caller frees): a shipped
 * policy's name that is also a file in the working directory (the shipped
 * policy is used; "./judge" names the file).
 */
SBX_EXPORT int sbx_policy_load(const char *path, struct sbx_policy **ret_policy, char **ret_diag);

/*
 * Same, reading an OCI / Docker / Podman profile's "includes"/"excludes"
 * capabilities as Docker does for a container with the capabilities |caps|:
 * "docker" (Docker's default set), "none" or NULL (what the sandboxed
 * program has: the default), or names such as "CAP_CHOWN,CAP_KILL". The
 * sandbox itself grants none of them: this is for a caller whose program
 * gets them another way. -EINVAL (with |ret_diag|) for an unknown name.
 */
SBX_EXPORT int sbx_policy_load_oci_caps(const char *path, const char *caps,
					struct sbx_policy **ret_policy, char **ret_diag);

/* Same, from memory; |name| stands for the file name in diagnostics. */
SBX_EXPORT int sbx_policy_parse(const char *name, const char *text, size_t len,
				struct sbx_policy **ret_policy, char **ret_diag);

/*
 * Read and check the policy |name| (a file, or a shipped policy's name:
 * "default", "judge", "judge-python"), everything it extends included.
 * Stores every problem, errors and warnings, one per line, in |ret_diag|
 * (caller frees; "" when none) and their counts; then, not counted, one
 * line per supported CPU lacking names its rules write ("NAME: absent on
 * aarch64: fork, open", docs/policy.md). Returns 0 when there is
 * no error, -EINVAL when there is, -errno when it cannot be read. Any
 * pointer may be NULL.
 */
SBX_EXPORT int sbx_policy_check(const char *name, char **ret_diag, unsigned int *ret_errors,
				unsigned int *ret_warnings);

/*
 * Write the seccomp filter compiled from |policy| to |fd|: libseccomp's
 * pseudo-filter-code text, or with |bpf| the raw BPF program.
 */
SBX_EXPORT int sbx_dump_filter(const struct sbx_policy *policy, bool bpf, int fd);

/*
 * The syscall groups ("@file-system", ...) as text: every group with its
 * description, or with |name| that group and its members. Caller frees;
 * NULL when |name| is not a group.
 */
SBX_EXPORT char *sbx_describe_groups(const char *name);

/*
 * Whether |spec| is a --trace list (sbx_config.trace): 0 when every
 * comma-separated item is a known system call or @group (or the whole is
 * "all"), -EINVAL when one is not, -ENOMEM.
 */
SBX_EXPORT int sbx_trace_check(const char *spec);

/* The policy embedded at build time from policies/default.json. */
SBX_EXPORT int sbx_policy_load_default(struct sbx_policy **ret_policy);

/* The embedded default policy's JSON text (static storage). */
SBX_EXPORT const char *sbx_default_policy_text(void);

/*
 * The name of the |index|th shipped policy (0, 1, ... in build order: "default",
 * "judge", ...), or NULL past the last one. Static storage; any of them is a
 * valid name for sbx_policy_load() and a policy's "extends".
 */
SBX_EXPORT const char *sbx_shipped_policy_name(size_t index);

/* Accepts NULL. */
SBX_EXPORT void sbx_policy_free(struct sbx_policy *policy);

enum sbx_status {
	SBX_STATUS_EXITED,	    /* the program exited by itself */
	SBX_STATUS_SIGNALED,	    /* the program died of a signal */
	SBX_STATUS_VIOLATION,	    /* the sandbox killed it for a policy violation */
	SBX_STATUS_ERROR,	    /* the program could not be started */
	SBX_STATUS_CPU_TIME_LIMIT,  /* the tree used its CPU time */
	SBX_STATUS_WALL_TIME_LIMIT, /* the run lasted its wall-clock time */
	SBX_STATUS_MEMORY_LIMIT,    /* the tree's resident memory went over the limit */
	SBX_STATUS_OUTPUT_LIMIT,    /* a write went past the output size (RLIMIT_FSIZE) */
	SBX_STATUS_PROCESS_LIMIT,   /* a fork or clone was refused (EAGAIN) at the limit */
	SBX_STATUS_DETACHED,	    /* --attach: let go of, still running (exit status 0) */
};

/* The call that caused a violation. */
struct sbx_violation {
	pid_t pid;	  /* task (thread id) that made the call */
	char syscall[64]; /* name in its ABI, e.g. "openat", "fork" */
	long nr;	  /* number in its ABI */
	char arch[16];	  /* "x86_64", "i386", "x32" */
	uint64_t args[6]; /* raw register values */
	char *text;	  /* decoded call, e.g. openat(AT_FDCWD, "/etc/shadow", O_RDONLY) */
	int rule;	  /* index into the policy's rules; -1: the default action */
	char *reason;	  /* why it was a violation, e.g. "rule 3", "architecture not allowed" */
};

/*
 * How a memory limit is applied besides the supervisor's RSS accounting: an
 * rlimit set at the limit plus the larger of the limit and SBX_MEMORY_GRACE
 * (bytes), so 64 MiB gets a backstop at 1 GiB + 64 MiB, 2 GiB one at 4 GiB.
 */
#define SBX_MEMORY_GRACE (UINT64_C(1) << 30)
enum sbx_memory_rlimit {
	SBX_MEMORY_RLIMIT_UNSET = 0, /* take the policy's choice, else DATA */
	SBX_MEMORY_RLIMIT_DATA,	     /* RLIMIT_DATA: brk and private mappings (Go, Java work) */
	SBX_MEMORY_RLIMIT_AS,	     /* RLIMIT_AS: the whole address space */
	SBX_MEMORY_RLIMIT_NONE,	     /* no rlimit; RSS accounting (or the cgroup) only */
};

/*
 * Resource limits. Zero means "not set" for every field: no limit, or the
 * policy's value when the policy has a "limits" object.
 */
struct sbx_limits {
	uint64_t cpu_time_ms;  /* user+system CPU of the whole tree */
	uint64_t wall_time_ms; /* from start to the end of the initial process */
	uint64_t memory_bytes; /* peak resident memory of the tree */
	uint64_t stack_bytes;  /* RLIMIT_STACK */
	uint64_t processes;    /* tasks (processes and threads) alive at once, the first included */
	uint64_t output_bytes; /* RLIMIT_FSIZE: largest file the program may write */
	uint64_t open_files;   /* RLIMIT_NOFILE */
	enum sbx_memory_rlimit memory_rlimit;
};

/* Which mechanism measured the memory figures of a result. */
enum sbx_memory_source {
	SBX_MEMORY_SOURCE_RUSAGE, /* kernel max RSS per process plus sampled /proc RSS sums */
	SBX_MEMORY_SOURCE_CGROUP, /* cgroup v2 memory.peak of the sandbox's own cgroup */
};

/* How the program was kept from the host (sbx_result.isolation). */
enum sbx_isolation {
	SBX_ISOLATION_DEFAULT = 0, /* config: the policy's choice, else namespaces */
	SBX_ISOLATION_NAMESPACES,  /* own user, PID, mount (private root), IPC, UTS, cgroup
				    * and (network "off") network namespaces, plus Landlock */
	SBX_ISOLATION_LANDLOCK,	   /* no namespaces: Landlock alone confines reads and writes */
	SBX_ISOLATION_NONE,	   /* the program sees and shares the host (--no-isolation) */
};

/* Namespaces, as bits of sbx_isolation_info.namespaces. */
#define SBX_NS_USER   (1u << 0)
#define SBX_NS_PID    (1u << 1)
#define SBX_NS_MOUNT  (1u << 2)
#define SBX_NS_IPC    (1u << 3)
#define SBX_NS_UTS    (1u << 4)
#define SBX_NS_NET    (1u << 5)
#define SBX_NS_CGROUP (1u << 6)

/* What held in a run: filled for every run that started. */
struct sbx_isolation_info {
	enum sbx_isolation mode;
	unsigned int namespaces;  /* SBX_NS_* bits created for the run */
	uid_t uid, gid;		  /* the program's ids as it sees them */
	uid_t host_uid, host_gid; /* the same ids as the host sees them */
	int landlock_abi;	  /* Landlock ABI enforced (0: none) */
	char *workdir;		  /* the working directory inside, or NULL when not visible */
	bool workdir_writable;
};

/*
 * One kind of call the supervisor reported in a run (a call the policy
 * logs, refuses with an errno or a faked value at a stop, or kills):
 * calls of the same name, ABI, action and deciding rule are one kind.
 * Calls decided inside the kernel (an "errno" rule without "log") never
 * reach the supervisor and are not counted.
 */
struct sbx_call_count {
	char syscall[64]; /* the name in its ABI ("openat"), or "syscall_N" */
	char arch[8];	  /* "x86_64", "i386" or "x32" */
	char action[8];	  /* "log", "errno", "return" or "kill" */
	int rule;	  /* index of the deciding rule in the policy, or -1 */
	char *reason;	  /* the deciding rule in words, as the first such call had it (owned) */
	uint64_t count;	  /* calls of this kind */
	uint64_t shown;	  /* of them, the ones written as a line or a --log event */
};

/*
 * Lines written of one reported call repeated with the same text and
 * decision, and of one kind of call in all; the rest are counted
 * (sbx_call_count).
 */
#define SBX_LOG_BURST	   10
#define SBX_LOG_KIND_LINES 100
/* Bytes of lines the supervisor writes to its log in one run unless told (log_limit). */
#define SBX_LOG_LIMIT_DEFAULT (UINT64_C(1) << 20)

/*
 * One row of the --summary table (sbx_config.summary): a system call that
 * stopped in the supervisor. Calls decided inside the kernel are not in it.
 */
struct sbx_syscall_summary {
	char syscall[64]; /* the name in its ABI ("openat"), or "syscall_N" */
	char arch[8];	  /* "x86_64", "i386" or "x32" */
	uint64_t calls;	  /* calls that stopped */
	uint64_t errors;  /* of them, those that returned -1 with an errno */
	uint64_t timed;	  /* of them, those followed from their entry stop to their exit stop */
	uint64_t time_ns; /* the time of |timed|, entry stop to exit stop, summed */
	/* What the policy did with them: allow, log, errno, return, kill. */
	uint64_t allowed, logged, denied, faked, killed;
};

struct sbx_result {
	enum sbx_status status;
	int exit_code; /* the initial process's exit status when it exited, else -1 */
	int signal;    /* the signal that ended it (SIGKILL for violations and limits), else 0 */
	struct sbx_violation violation; /* SBX_STATUS_VIOLATION */
	char *error;			/* SBX_STATUS_ERROR: what failed */
	int error_exit;			/* SBX_STATUS_ERROR: 125, 126 or 127 */

	/* Accounting, filled for every run that started. */
	uint64_t cpu_time_ms;	 /* user+system of every process of the tree */
	uint64_t wall_time_ms;	 /* from the start of the program to the end of the run */
	uint64_t memory_peak_kb; /* peak resident memory (see memory_source) */
	enum sbx_memory_source memory_source;
	unsigned int processes;	  /* processes and threads created, the first included */
	unsigned int limits_hit;  /* (1 << status) for every limit hit, the verdict's included */
	struct sbx_limits limits; /* the limits that applied (flags merged over the policy) */

	struct sbx_isolation_info isolation; /* owned strings: freed by sbx_result_clear() */

	/*
	 * Every kind of reported call, most frequent first (owned: freed by
	 * sbx_result_clear()), and the log lines not written: past
	 * SBX_LOG_BURST of a kind, or past the log limit.
	 */
	struct sbx_call_count *calls;
	size_t n_calls;
	uint64_t calls_not_listed; /* reported calls of kinds past the first 1024: counted only */
	uint64_t log_lines_not_shown;

	/*
	 * With sbx_config.summary: the table's rows, the most time first
	 * (owned: freed by sbx_result_clear(); non-NULL even when no call
	 * stopped). NULL without it.
	 */
	struct sbx_syscall_summary *summary;
	size_t n_summary;
};

enum sbx_verbosity {
	SBX_QUIET = 0,	 /* nothing on the log */
	SBX_NORMAL = 1,	 /* one line per reported call */
	SBX_VERBOSE = 2, /* plus lifecycle lines: spawn, exec, exit, limits */
};

/* The working directory's place in the sandbox. */
enum sbx_workdir {
	SBX_WORKDIR_DEFAULT = 0, /* the policy's choice, else writable */
	SBX_WORKDIR_RW,		 /* bound at its own path, writable */
	SBX_WORKDIR_RO,		 /* bound at its own path, read-only */
	SBX_WORKDIR_NONE,	 /* not visible; the program starts in / */
};

enum sbx_mount_type {
	SBX_MOUNT_BIND,	   /* |source| (a host path) at |destination|, writable */
	SBX_MOUNT_RO_BIND, /* the same, read-only */
	SBX_MOUNT_TMPFS,   /* an empty private tmpfs of |size| bytes (0: 64 MiB) */
};

/* One extra mount of the sandbox's view (--bind, --ro-bind, --tmpfs). */
struct sbx_mount {
	enum sbx_mount_type type;
	const char *source;	 /* binds: host path; relative ones from the working directory */
	const char *destination; /* absolute path inside; NULL: the same as |source| */
	uint64_t size;		 /* tmpfs only */
};

/* struct sbx_config's |decisions|. */
enum sbx_decisions {
	SBX_DECISIONS_AUTO = 0,
	SBX_DECISIONS_PTRACE,
	SBX_DECISIONS_NOTIFY,
};

struct sbx_config {
	const struct sbx_policy *policy; /* not owned */
	char *const *argv;		 /* program and arguments; argv[0] looked up in PATH */
	/*
	 * Environment of the program. Non-NULL: exactly this (the fields
	 * below are ignored). NULL: the caller's environment cut to the
	 * allowlist PATH, LANG, LANGUAGE, LC_*, TERM and TZ, with HOME set to
	 * a writable directory inside the sandbox (/tmp with namespaces);
	 * everything with |keep_env|, nothing with |clear_env|. Then each of
	 * |env_sets| in order: "K=V" sets K, a bare "K" copies K from the
	 * caller (dropped when unset).
	 */
	char *const *envp;
	bool keep_env;
	bool clear_env;
	const char *const *env_sets; /* not owned */
	size_t n_env_sets;
	enum sbx_verbosity verbosity;
	int log_fd; /* where report lines go (usually 2) */
	/*
	 * Bytes of lines the supervisor writes to |log_fd| in one run (0:
	 * SBX_LOG_LIMIT_DEFAULT, UINT64_MAX: no limit). Past it only the
	 * verdict's lines and the closing summary are written; the rest are
	 * counted in sbx_result.log_lines_not_shown.
	 */
	uint64_t log_limit;

	/* Limits; each set field overrides the policy's "limits". */
	struct sbx_limits limits;

	/*
	 * Standard streams of the program: files opened by the supervisor
	 * before the privilege drop (stdout/stderr created or truncated, mode
	 * 0644). NULL: inherited. stdout and stderr naming the same file share
	 * one open file, so their output keeps its order.
	 */
	const char *stdin_path;
	const char *stdout_path;
	const char *stderr_path;
	const char *chdir; /* working directory of the program, entered as its user */

	/*
	 * Credentials (only when the supervisor runs as root): a user name or
	 * number, and a group name or number. With a user and no group, the
	 * user's primary group. Supplementary groups: the named user's groups,
	 * else none besides the group.
	 */
	const char *user;
	const char *group;

	/*
	 * Isolation from the host (docs/isolation.md). SBX_ISOLATION_DEFAULT
	 * takes the policy's "isolation", else namespaces. Namespaces that
	 * cannot be created are an error naming the cause, never a silent
	 * weaker run: the caller chooses SBX_ISOLATION_LANDLOCK or _NONE.
	 */
	enum sbx_isolation isolation;
	enum sbx_workdir workdir; /* the working directory's visibility; DEFAULT: the policy's */
	const struct sbx_mount *mounts; /* after the policy's "mounts"; not owned */
	size_t n_mounts;
	const char *const *masked_paths; /* replaced by an empty file or directory; not owned */
	size_t n_masked_paths;
	bool share_net;	   /* no network namespace: the policy's "network" rules apply */
	uint64_t tmp_size; /* bytes of the private /tmp (0: the policy's, else 256 MiB) */

	/*
	 * Directory of a delegated cgroup v2 subtree to create the sandbox's
	 * cgroup in; NULL: the supervisor's own cgroup if the memory controller
	 * is enabled for its children. Used for memory limits and accounting
	 * when available; otherwise rlimits and rusage are.
	 */
	const char *cgroup_parent;
	bool no_cgroup; /* never use cgroups */

	/*
	 * Act as if the kernel had no Landlock: a policy with filesystem or TCP
	 * port rules is then refused (they are never enforced by racy checks
	 * alone). For testing that path on kernels that have Landlock.
	 */
	bool no_landlock;

	/*
	 * strace-like tracing: NULL for none; "all" (or "") for every call;
	 * else a comma-separated list of syscall names and @groups. A traced
	 * call stops at its entry (the filter returns TRACE for it) and, when
	 * it runs, once more at its exit, and gets one line with its decoded
	 * arguments, its return value and the policy's decision. Calls not
	 * traced cost what they cost without tracing.
	 */
	const char *trace;

	/*
	 * With |event_log|, every event (a call the supervisor saw, a spawn,
	 * an exec, an exit, a limit hit) is written to |event_fd| as one JSON
	 * object per line (docs/observability.md), and traced calls go there instead of
	 * |log_fd|.
	 */
	bool event_log;
	int event_fd;

	/*
	 * --learn: record every call the program makes (run it under a policy
	 * that allows everything, or see |learn_base|) and write a policy to
	 * |learn_path| at the end, merged with what that file already allows:
	 * harmless families of calls widened to their groups, every other
	 * call by name and argument pattern (docs/observability.md).
	 */
	const char *learn_path;

	/*
	 * --attach: instead of starting |argv|, seize the running process
	 * |attach_pid| (all its threads, and the children it makes from then
	 * on) and enforce the policy at syscall-entry stops (docs/observability.md);
	 * on SIGINT, SIGTERM, SIGHUP or after |detach_after_ms| (0: never),
	 * detach and leave it running (SBX_STATUS_DETACHED). Limits, the
	 * filter, Landlock and the program's surroundings do not apply. The
	 * caller must have no children of its own: the supervisor waits for
	 * any (waitpid(-1)) and would reap them.
	 */
	pid_t attach_pid;
	uint64_t detach_after_ms;

	/*
	 * --trace-output (strace -o): with |trace_output|, the --trace lines
	 * and the --summary table are written to |trace_fd| (not owned; the
	 * caller opens it, e.g. with sbx_open_path()) instead of |log_fd|, and
	 * no log limit applies to them. With |event_log| the traced calls'
	 * events still go to |event_fd| too.
	 */
	int trace_fd;
	bool trace_output;
	/*
	 * --summary (strace -c): at the end, a table with one row per system
	 * call that stopped in the supervisor: calls, errors, the time from its
	 * entry stop to its exit stop, and what the policy did with it (allowed,
	 * logged, denied with an errno, faked, killed). Calls decided inside the
	 * kernel never stop, so without |trace| every call is made to stop (as
	 * with "all", but with no line per call): each then costs two stops.
	 * With |trace|, the calls it names stop, and get their lines.
	 */
	bool summary;
	uint16_t reserved_summary; /* zero: completes the 8 bytes of the three above */

	/*
	 * --learn -p BASE: with |learn_path|, |policy| is a base, loaded from
	 * |learn_base| (a shipped policy's name or a file, as --policy names
	 * it), enforced as in any run but for the calls it lacks: a call it
	 * would kill (by a rule or its default) or refuse by its default runs
	 * instead and is recorded; its rules' errno and return answers stand.
	 * The policy written extends |learn_base| and holds only what it
	 * lacks. NULL: every call |policy| lets run is recorded (give one that
	 * allows everything) and the policy written stands alone.
	 */
	const char *learn_base;

	/*
	 * --decisions: how the calls the filter cannot settle reach the
	 * supervisor (docs/performance.md, "Decisions through a seccomp
	 * listener"). AUTO (zero): a seccomp user-notification listener the
	 * supervisor owns when the kernel wakes it synchronously (Linux 6.6),
	 * else ptrace stops; PTRACE: always ptrace stops; NOTIFY: the listener
	 * whenever the kernel has one (Linux 5.5). Calls that need registers
	 * written or an exit stop (--trace) stop under ptrace either way, and
	 * --attach always uses ptrace.
	 */
	enum sbx_decisions decisions;
	uint32_t reserved_decisions; /* zero: completes the 8 bytes */
};

/*
 * Run the program to the end. Returns 0 when |ret| describes what happened
 * (including the program failing to start), or -errno when the supervisor
 * itself failed; in every case no process of the sandbox is left running.
 * Release |ret| with sbx_result_clear().
 *
 * Threads: several threads may run sbx_run() at once, each with its own
 * config and result (a policy may be shared: it is only read); past 64
 * runs going at once in one process, a call waits for one of them to end
 * before it starts. Nothing is cached between calls. The supervisor is a thread sbx_run() creates
 * (all signals blocked but those below) and joins before it returns: it forks the program and waits
 * only for its own children and tracees
 * (__WNOTHREAD). The caller's children are never waited for: one that
 * exits during a run is there for the caller's waitpid() afterwards. A
 * wait(-1) of the caller's own during a run may take a process of the
 * sandbox's: don't.
 *
 * What a run changes in the process, and puts back when the last run that
 * is going at once ends:
 * - the actions of SIGINT, SIGTERM, SIGHUP and SIGQUIT: a signal sent to
 *   the process during a run is forwarded to the program's initial process
 *   and its process group (every running sandbox's), as a terminal sends
 *   it to its foreground job; a second one kills them (with |attach_pid|:
 *   SIGINT, SIGTERM and SIGHUP detach). The caller's handlers are not
 *   called meanwhile. One of them the process ignores (SIG_IGN when the
 *   first run starts) stays ignored and is not forwarded.
 * - the action of SIGALRM: the run's ticks come from a timer of its own
 *   (timer_create(), aimed at the supervisor thread); the caller's alarm(),
 *   itimer and timers keep running, and a SIGALRM of theirs during a run
 *   is passed to the caller's handler (from whatever thread received it;
 *   dropped if the action is the default or ignore; one sent to a single
 *   thread with pthread_kill() is taken as the sandbox's own wake-up).
 * - the action of SIGCHLD: the default during a run (an ignored SIGCHLD
 *   would have the program's children reaped automatically, a handler
 *   would be called for them). When the caller's handler is back and a
 *   child of the caller has a state change to wait for, the process is
 *   sent one SIGCHLD, so one that came during the run is not lost.
 * - PR_SET_CHILD_SUBREAPER: set (without a PID namespace the program's
 *   orphans come back to the process and cannot escape the kill); the
 *   supervisor reaps those it saw end, whichever thread the kernel gave
 *   them to; put back to its previous value.
 * - the dumpable flag: cleared once the program runs (it must not open the
 *   supervisor's memory), put back.
 * The calling thread's signal mask is left as it was. SIGPIPE's action is
 * not touched: a log whose reader is gone (EPIPE) is written no more, the run
 * and its result go on (the supervisor thread blocks SIGPIPE).
 */
SBX_EXPORT int sbx_run_sized(const struct sbx_config *config, size_t config_size,
			     struct sbx_result *ret, size_t ret_size);
/*
 * sbx_run() passes the caller's sizes of the structs ("Versions of the
 * structures" above). Besides the errors above: -EINVAL when a pointer is
 * NULL, |config| has no policy or no program (argv, unless attaching), or
 * a size is below SBX_CONFIG_SIZE_VER0 or SBX_RESULT_SIZE_VER0 (|ret| is
 * then untouched when its own size is the one too small); -E2BIG when
 * |config| is larger than this library's struct and sets a field it does
 * not know. Then nothing is started and |ret| is zeroed.
 */
#define sbx_run(config, ret) sbx_run_sized((config), sizeof(*(config)), (ret), sizeof(*(ret)))

/*
 * Frees what |result| owns and zeroes it (its first |size| bytes: only the
 * fields wholly inside them are the caller's). Accepts a zeroed result.
 */
SBX_EXPORT void sbx_result_clear_sized(struct sbx_result *result, size_t size);
#define sbx_result_clear(result) sbx_result_clear_sized((result), sizeof(*(result)))

/*
 * The exit status sandbox(1) uses for |result|; -EINVAL when |size| is
 * below SBX_RESULT_SIZE_VER0.
 */
SBX_EXPORT int sbx_result_exit_status_sized(const struct sbx_result *result, size_t size);
#define sbx_result_exit_status(result) sbx_result_exit_status_sized((result), sizeof(*(result)))

/* "exited", "signaled", "violation", "error", "cpu_time_limit", ... */
SBX_EXPORT const char *sbx_status_name(enum sbx_status status);

/* "namespaces", "landlock", "none" ("default" for SBX_ISOLATION_DEFAULT). */
SBX_EXPORT const char *sbx_isolation_name(enum sbx_isolation mode);

/* "rusage" or "cgroup". */
SBX_EXPORT const char *sbx_memory_source_name(enum sbx_memory_source source);

/*
 * Parse a duration ("2", "0.5", "1.5s", "250ms"; "1m", "1.5h", "1d" as
 * timeout(1) takes them: at most three decimals) into milliseconds, or a
 * size ("4096", "10K", "64M", "1G"; binary multiples, an optional "B" or
 * "iB") into bytes. Return 0, or -EINVAL for text that is not one, -ERANGE
 * for one too large.
 */
SBX_EXPORT int sbx_parse_duration_ms(const char *text, uint64_t *ret_ms);
SBX_EXPORT int sbx_parse_size(const char *text, uint64_t *ret_bytes);

/*
 * Write |result| as a JSON object to |path| atomically: an unnamed file in
 * the same directory, fsync'd, then renamed over |path|. Only a regular
 * file is replaced: a path leading to a terminal, a pipe or a device
 * (/dev/stdout, /dev/null), and "-" for standard output, are written
 * through; a symbolic link is followed. Returns 0 or -errno.
 */
SBX_EXPORT int sbx_result_write_json_sized(const struct sbx_result *result, size_t size,
					   const char *path);
#define sbx_result_write_json(result, path)                                                        \
	sbx_result_write_json_sized((result), sizeof(*(result)), (path))

/*
 * The same in two steps, so that the report is out of the program's reach:
 * sbx_report_open() before sbx_run() prepares |path| (its directory is
 * opened, the new contents go to a file with no name the program could
 * find); sbx_report_commit() afterwards writes |result| and renames it into
 * place, and frees |file| whatever it returns. A program that can write the
 * report's directory can at most make the commit fail (exit status 125),
 * never forge the report. sbx_report_discard() gives up, leaving nothing
 * behind (accepts NULL). Both return 0 or -errno.
 */
struct sbx_report_file;
SBX_EXPORT int sbx_report_open(const char *path, struct sbx_report_file **ret_file);

/*
 * open(2) of a path the caller gives the sandbox to write or read (a log,
 * an input), following no symbolic link on the way except one that leads
 * to a terminal, a pipe, a socket or a device (/dev/stdout): a link a
 * sandboxed program planted in a directory it wrote never redirects it.
 * Returns the fd (O_CLOEXEC, the caller closes it) or -errno (-ELOOP: a
 * link was refused).
 */
SBX_EXPORT int sbx_open_path(const char *path, int flags, mode_t mode);
SBX_EXPORT int sbx_report_commit_sized(struct sbx_report_file *file,
				       const struct sbx_result *result, size_t size);
#define sbx_report_commit(file, result) sbx_report_commit_sized((file), (result), sizeof(*(result)))
SBX_EXPORT void sbx_report_discard(struct sbx_report_file *file);

/*
 * The report of |result| as JSON text, the object sbx_result_write_json()
 * writes (docs/report.schema.json), in |ret_text| (NUL-terminated,
 * malloc'd: the caller frees it). Returns 0, -ENOMEM, or -EINVAL for a
 * size below SBX_RESULT_SIZE_VER0.
 */
SBX_EXPORT int sbx_result_to_json_sized(const struct sbx_result *result, size_t size,
					char **ret_text);
#define sbx_result_to_json(result, ret_text)                                                       \
	sbx_result_to_json_sized((result), sizeof(*(result)), (ret_text))

#ifdef __cplusplus
}
#endif

#endif
