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

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SBX_EXPORT __attribute__((visibility("default")))

/* Exit statuses of the sandbox(1) command besides the program's own. */
#define SBX_EXIT_VIOLATION	200 /* killed for a policy violation (above every 128+signal) */
#define SBX_EXIT_ERROR		125 /* the sandbox's own error: usage, bad policy, setup */
#define SBX_EXIT_NOT_EXECUTABLE 126
#define SBX_EXIT_NOT_FOUND	127

struct sbx_policy;

/*
 * Load a policy file. On failure returns -errno and, when |ret_diag| is not
 * NULL, stores a malloc'd text with one "file:line:column: path: message"
 * line per problem (caller frees).
 */
SBX_EXPORT int sbx_policy_load(const char *path, struct sbx_policy **ret_policy, char **ret_diag);

/* Same, from memory; |name| stands for the file name in diagnostics. */
SBX_EXPORT int sbx_policy_parse(const char *name, const char *text, size_t len,
				struct sbx_policy **ret_policy, char **ret_diag);

/* The policy embedded at build time from policies/default.json. */
SBX_EXPORT int sbx_policy_load_default(struct sbx_policy **ret_policy);

/* The embedded default policy's JSON text (static storage). */
SBX_EXPORT const char *sbx_default_policy_text(void);

/* Accepts NULL. */
SBX_EXPORT void sbx_policy_free(struct sbx_policy *policy);

enum sbx_status {
	SBX_STATUS_EXITED,    /* the program exited by itself */
	SBX_STATUS_SIGNALED,  /* the program died of a signal */
	SBX_STATUS_VIOLATION, /* the sandbox killed it for a policy violation */
	SBX_STATUS_ERROR,     /* the program could not be started */
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

struct sbx_result {
	enum sbx_status status;
	int exit_code; /* SBX_STATUS_EXITED */
	int signal;    /* SBX_STATUS_SIGNALED (and the kill signal for VIOLATION) */
	struct sbx_violation violation; /* SBX_STATUS_VIOLATION */
	char *error;			/* SBX_STATUS_ERROR: what failed */
	int error_exit;			/* SBX_STATUS_ERROR: 125, 126 or 127 */
};

enum sbx_verbosity {
	SBX_QUIET = 0,	 /* nothing on the log */
	SBX_NORMAL = 1,	 /* one line per reported call */
	SBX_VERBOSE = 2, /* plus lifecycle lines: spawn, exec, exit */
};

struct sbx_config {
	const struct sbx_policy *policy; /* not owned */
	char *const *argv;		 /* program and arguments; argv[0] looked up in PATH */
	char *const *envp;		 /* environment of the program; NULL: the caller's */
	enum sbx_verbosity verbosity;
	int log_fd; /* where report lines go (usually 2) */
};

/*
 * Run the program to the end. Returns 0 when |ret| describes what happened
 * (including the program failing to start), or -errno when the supervisor
 * itself failed; in every case no process of the sandbox is left running.
 * Release |ret| with sbx_result_clear().
 */
SBX_EXPORT int sbx_run(const struct sbx_config *config, struct sbx_result *ret);

/* Frees what |result| owns and zeroes it. Accepts a zeroed result. */
SBX_EXPORT void sbx_result_clear(struct sbx_result *result);

/* The exit status sandbox(1) uses for |result|. */
SBX_EXPORT int sbx_result_exit_status(const struct sbx_result *result);

/* "exited", "signaled", "violation", "error". */
SBX_EXPORT const char *sbx_status_name(enum sbx_status status);

/*
 * Write |result| as a JSON object to |path| atomically: a temporary file in
 * the same directory, fsync'd, then renamed over |path|.
 */
SBX_EXPORT int sbx_result_write_json(const struct sbx_result *result, const char *path);

#ifdef __cplusplus
}
#endif

#endif
