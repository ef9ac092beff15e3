/* SPDX-License-Identifier: MIT */
/*
 * api.c - the public entry points: thin glue over policy, filter, child and
 * tracer. sbx_run() prepares everything the child needs before fork().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../include/sandbox.h"
#include "child.h"
#include "filter.h"
#include "policy.h"
#include "tracer.h"

extern char **environ;

/* Generated at build time from policies/default.json. */
extern const char sbx_embedded_default_policy[];
extern const size_t sbx_embedded_default_policy_len;

/* struct sbx_policy is never defined: it is a struct policy seen from outside. */
static struct sbx_policy *to_public(struct policy *p)
{
	return (struct sbx_policy *)p;
}

static const struct policy *from_public(const struct sbx_policy *p)
{
	return (const struct policy *)p;
}

SBX_EXPORT int sbx_policy_parse(const char *name, const char *text, size_t len,
				struct sbx_policy **ret_policy, char **ret_diag)
{
	_cleanup_strbuf_ struct strbuf diag = {0};
	struct policy *p = NULL;
	int r = policy_parse(name, text, len, &p, &diag);

	if (ret_diag)
		*ret_diag = r < 0 ? strbuf_steal(&diag) : NULL;
	if (r == 0)
		*ret_policy = to_public(p);
	return r;
}

SBX_EXPORT int sbx_policy_load(const char *path, struct sbx_policy **ret_policy, char **ret_diag)
{
	_cleanup_strbuf_ struct strbuf diag = {0};
	struct policy *p = NULL;
	int r = policy_load_file(path, &p, &diag);

	if (ret_diag)
		*ret_diag = r < 0 ? strbuf_steal(&diag) : NULL;
	if (r == 0)
		*ret_policy = to_public(p);
	return r;
}

SBX_EXPORT const char *sbx_default_policy_text(void)
{
	return sbx_embedded_default_policy;
}

SBX_EXPORT int sbx_policy_load_default(struct sbx_policy **ret_policy)
{
	return sbx_policy_parse("<default policy>", sbx_embedded_default_policy,
				sbx_embedded_default_policy_len, ret_policy, NULL);
}

SBX_EXPORT void sbx_policy_free(struct sbx_policy *policy)
{
	policy_free((struct policy *)policy);
}

SBX_EXPORT void sbx_result_clear(struct sbx_result *result)
{
	free(result->violation.text);
	free(result->violation.reason);
	free(result->error);
	*result = (struct sbx_result){0};
}

SBX_EXPORT const char *sbx_status_name(enum sbx_status status)
{
	switch (status) {
	case SBX_STATUS_EXITED:
		return "exited";
	case SBX_STATUS_SIGNALED:
		return "signaled";
	case SBX_STATUS_VIOLATION:
		return "violation";
	case SBX_STATUS_ERROR:
		return "error";
	}
	return "error";
}

SBX_EXPORT int sbx_result_exit_status(const struct sbx_result *result)
{
	switch (result->status) {
	case SBX_STATUS_EXITED:
		return result->exit_code;
	case SBX_STATUS_SIGNALED:
		return 128 + result->signal;
	case SBX_STATUS_VIOLATION:
		return SBX_EXIT_VIOLATION;
	case SBX_STATUS_ERROR:
		return result->error_exit ? result->error_exit : SBX_EXIT_ERROR;
	}
	return SBX_EXIT_ERROR;
}

static void set_error(struct sbx_result *ret, int exit_code, const char *fmt, ...) _printf_(3, 4);

static void set_error(struct sbx_result *ret, int exit_code, const char *fmt, ...)
{
	struct strbuf text = {0};
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&text, fmt, ap);
	va_end(ap);
	ret->status = SBX_STATUS_ERROR;
	ret->error_exit = exit_code;
	free(ret->error);
	ret->error = strbuf_steal(&text);
}

/*
 * execvp's search, done in the parent so the child makes exactly one execve
 * (the one the supervisor lets through). Returns a malloc'd path, or NULL
 * with errno ENOENT / EACCES when nothing runnable is found.
 */
static char *find_program(const char *name, const char *search_path)
{
	const char *dir =
		search_path && *search_path ? search_path : "/usr/local/bin:/usr/bin:/bin";
	char *denied = NULL;

	if (strchr(name, '/'))
		return xstrdup(name);
	while (dir) {
		const char *end = strchr(dir, ':');
		size_t n = end ? (size_t)(end - dir) : strlen(dir);
		char cand[PATH_MAX];
		struct stat st;

		if (snprintf(cand, sizeof(cand), "%.*s%s%s", (int)n, n ? dir : ".", "/", name) <
			    (int)sizeof(cand) &&
		    stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0) {
				free(denied);
				return xstrdup(cand);
			}
			if (!denied)
				denied = xstrdup(cand);
		}
		dir = end ? end + 1 : NULL;
	}
	errno = denied ? EACCES : ENOENT;
	return denied;
}

static const char *env_get(char *const *envp, const char *key)
{
	size_t n = strlen(key);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, key, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

static int seize(pid_t pid)
{
	long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;

	return ptrace(PTRACE_SEIZE, pid, 0L, opts) < 0 ? -errno : 0;
}

/* Start the child and attach to it before it may run anything of its own. */
static int spawn(struct child_spec *spec, pid_t *ret_pid, int *ret_err_fd)
{
	int sync_pipe[2], err_pipe[2];
	pid_t pid;
	int r;

	if (pipe2(sync_pipe, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(err_pipe, O_CLOEXEC) < 0) {
		r = -errno;
		close(sync_pipe[0]);
		close(sync_pipe[1]);
		return r;
	}
	spec->sync_fd = sync_pipe[0];
	spec->err_fd = err_pipe[1];
	spec->parent = getpid();
	pid = fork();
	if (pid == 0) {
		close(sync_pipe[1]);
		close(err_pipe[0]);
		child_run(spec);
	}
	r = pid < 0 ? -errno : 0;
	close(sync_pipe[0]);
	close(err_pipe[1]);
	if (r == 0)
		r = seize(pid);
	if (r == 0 && write(sync_pipe[1], "g", 1) != 1)
		r = -errno;
	close(sync_pipe[1]);
	if (r < 0) {
		close(err_pipe[0]);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, __WALL);
		}
		return r;
	}
	*ret_pid = pid;
	*ret_err_fd = err_pipe[0];
	return 0;
}

SBX_EXPORT int sbx_run(const struct sbx_config *config, struct sbx_result *ret)
{
	char *const *envp = config->envp ? config->envp : environ;
	struct child_spec spec = {.argv = config->argv, .envp = envp};
	struct tracer_config tc = {
		.policy = from_public(config->policy),
		.verbosity = config->verbosity,
		.log_fd = config->log_fd,
	};
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int err_fd = -1;
	_cleanup_close_ int pidfd = -1;
	struct filter filter = {0};
	int r;

	*ret = (struct sbx_result){0};
	if (!config->argv || !config->argv[0] || !config->policy)
		return -EINVAL;
	path = find_program(config->argv[0], env_get(envp, "PATH"));
	if (!path) {
		set_error(ret, errno == ENOENT ? SBX_EXIT_NOT_FOUND : SBX_EXIT_NOT_EXECUTABLE,
			  "%s: %s", config->argv[0],
			  errno == ENOENT ? "command not found" : strerror(errno));
		return errno == ENOMEM ? -ENOMEM : 0;
	}
	r = filter_build(tc.policy, &filter);
	if (r < 0) {
		set_error(ret, SBX_EXIT_ERROR, "cannot build the seccomp filter: %s", strerror(-r));
		return 0;
	}
	spec.path = path;
	tc.program = path;
	spec.prog = (struct sock_fprog){.len = (unsigned short)filter.len, .filter = filter.insns};
	/* Orphaned descendants are reparented to us, so they cannot escape the kill. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGCHLD, SIG_DFL);
	r = spawn(&spec, &tc.initial, &err_fd);
	filter_release(&filter);
	if (r < 0) {
		set_error(ret, SBX_EXIT_ERROR, "cannot start the program: %s", strerror(-r));
		return 0;
	}
	tc.err_fd = err_fd;
	pidfd = (int)syscall(SYS_pidfd_open, tc.initial, 0);
	tracer_arm_signals(pidfd);
	r = tracer_run(&tc, ret);
	tracer_arm_signals(-1);
	return r;
}
