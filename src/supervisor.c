/* SPDX-License-Identifier: MIT */
/*
 * supervisor.c - owns one run's preparation: it turns a struct sbx_config
 * into a struct child_spec (every byte the child will touch), starts and
 * seizes the child, and hands it to the tracer. Cleans up all of it.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "attach.h"
#include "cgroup.h"
#include "child.h"
#include "filter.h"
#include "landlock.h"
#include "learn.h"
#include "paths.h"
#include "targets.h"
#include "tracer.h"

extern char **environ;

/* Everything a run allocates, released by run_free(). */
struct run {
	struct child_spec spec;
	char *path;
	int stdio[3];
	gid_t *groups;
	struct filter filter;
	struct cgroup cgroup;
	bool have_cgroup;
	struct sbx_limits limits;
	int err_fd;
	int landlock_fd;
	struct pathcheck *paths;
	struct traceset *trace;	    /* --trace, or NULL */
	struct learner *learn;	    /* --learn, or NULL */
	struct traceset *learn_all; /* with --learn: every call stops */
	int event_fd;		    /* our private copy of the --log descriptor, or -1 */
};

/* A run that owns nothing yet: run_free() may be called on it. */
#define RUN_INIT                                                                                   \
	{                                                                                          \
		.stdio = {-1, -1, -1}, .err_fd = -1, .cgroup = {.dirfd = -1}, .landlock_fd = -1,   \
		.event_fd = -1,                                                                    \
	}

static void run_free(struct run *run)
{
	free(run->trace);
	learn_free(run->learn);
	free(run->learn_all);
	if (run->event_fd >= 0)
		close(run->event_fd);
	for (int i = 0; i < 3; i++)
		if (run->stdio[i] >= 0 && (i == 0 || run->stdio[i] != run->stdio[i - 1]))
			close(run->stdio[i]);
	if (run->spec.caps_none)
		cap_free(run->spec.caps_none);
	if (run->spec.caps_setpcap)
		cap_free(run->spec.caps_setpcap);
	if (run->err_fd >= 0)
		close(run->err_fd);
	if (run->landlock_fd >= 0)
		close(run->landlock_fd);
	paths_free(run->paths);
	free(run->path);
	free(run->groups);
	filter_release(&run->filter);
	cgroup_close(&run->cgroup);
}

static int set_error(struct sbx_result *ret, int exit_code, const char *fmt, ...) _printf_(3, 4);

/* Record a configuration or start-up failure; returns 0 (the result says it all). */
static int set_error(struct sbx_result *ret, int exit_code, const char *fmt, ...)
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
	return 0;
}

/* Flags win over the policy, field by field. */
static struct sbx_limits merge_limits(const struct sbx_limits *flags, const struct sbx_limits *pol)
{
	struct sbx_limits l = *pol;

#define TAKE(f)                                                                                    \
	do {                                                                                       \
		if (flags->f)                                                                      \
			l.f = flags->f;                                                            \
	} while (0)
	TAKE(cpu_time_ms);
	TAKE(wall_time_ms);
	TAKE(memory_bytes);
	TAKE(stack_bytes);
	TAKE(processes);
	TAKE(output_bytes);
	TAKE(open_files);
	TAKE(memory_rlimit);
#undef TAKE
	if (!l.memory_rlimit)
		l.memory_rlimit = SBX_MEMORY_RLIMIT_DATA;
	return l;
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

/* stdin must be readable data, and no output file may be it (truncating it would lose the input).
 */
static int check_stdin(const struct sbx_config *c, int fd, struct sbx_result *ret)
{
	struct stat in, out;

	if (fstat(fd, &in) < 0)
		return set_error(ret, SBX_EXIT_ERROR, "%s: %s", c->stdin_path, strerror(errno));
	if (S_ISDIR(in.st_mode))
		return set_error(ret, SBX_EXIT_ERROR, "--stdin %s: is a directory", c->stdin_path);
	for (int i = 0; i < 2; i++) {
		const char *o = i ? c->stderr_path : c->stdout_path;

		if (o && stat(o, &out) == 0 && out.st_dev == in.st_dev && out.st_ino == in.st_ino &&
		    S_ISREG(in.st_mode))
			return set_error(ret, SBX_EXIT_ERROR,
					 "--stdin %s and --%s %s are the same file: its input "
					 "would be truncated before the program reads it",
					 c->stdin_path, i ? "stderr" : "stdout", o);
	}
	return 1;
}

/* The standard streams: stdout and stderr naming one file share one open file. */
static int open_stdio(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	const char *paths[3] = {c->stdin_path, c->stdout_path, c->stderr_path};
	struct stat out_st = {0};
	int r;

	for (int i = 0; i < 3; i++) {
		int flags = i == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC;
		struct stat st;

		if (!paths[i])
			continue;
		if (i == 2 && run->stdio[1] >= 0 &&
		    (strcmp(paths[2], paths[1]) == 0 ||
		     (stat(paths[2], &st) == 0 && st.st_dev == out_st.st_dev &&
		      st.st_ino == out_st.st_ino))) {
			run->stdio[2] = run->stdio[1];
			continue;
		}
		run->stdio[i] = open(paths[i], flags | O_CLOEXEC | O_NOCTTY, 0644);
		if (run->stdio[i] < 0)
			return set_error(ret, SBX_EXIT_ERROR, "cannot open %s for %s: %s", paths[i],
					 i == 0	  ? "stdin"
					 : i == 1 ? "stdout"
						  : "stderr",
					 strerror(errno));
		if (i == 0) {
			r = check_stdin(c, run->stdio[0], ret);
			if (r <= 0)
				return r;
		}
		if (i == 1 && fstat(run->stdio[1], &out_st) < 0)
			return set_error(ret, SBX_EXIT_ERROR, "%s: %s", paths[1], strerror(errno));
	}
	return 1;
}

/* A decimal id below 2^32 - 1 ((uid_t)-1 means "unchanged" to setresuid). */
static bool parse_id(const char *s, unsigned int *ret)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v >= 0xffffffffULL)
		return false;
	*ret = (unsigned int)v;
	return true;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Resolve --user/--group into the child's ids and supplementary groups. */
static int resolve_ids(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	struct child_spec *spec = &run->spec;
	struct passwd *pw = NULL;
	struct group *gr;
	int n = 64;

	if (!c->user && !c->group)
		return 1;
	spec->uid = geteuid();
	if (c->user) {
		unsigned int id;

		if (all_digits(c->user) && !parse_id(c->user, &id))
			return set_error(ret, SBX_EXIT_ERROR, "--user %s: not a valid user id",
					 c->user);
		errno = 0;
		pw = all_digits(c->user) ? getpwuid((uid_t)id) : getpwnam(c->user);
		if (!pw && !all_digits(c->user))
			return set_error(ret, SBX_EXIT_ERROR, "unknown user \"%s\"", c->user);
		spec->uid = pw ? pw->pw_uid : (uid_t)id;
		/* No group given: the user's own, or a number equal to the uid. */
		spec->gid = pw ? pw->pw_gid : (gid_t)spec->uid;
	}
	if (c->group) {
		unsigned int id = 0;

		if (all_digits(c->group) && !parse_id(c->group, &id))
			return set_error(ret, SBX_EXIT_ERROR, "--group %s: not a valid group id",
					 c->group);
		gr = all_digits(c->group) ? NULL : getgrnam(c->group);
		if (!gr && !all_digits(c->group))
			return set_error(ret, SBX_EXIT_ERROR, "unknown group \"%s\"", c->group);
		spec->gid = gr ? gr->gr_gid : (gid_t)id;
	} else if (!c->user) {
		spec->gid = getegid();
	}
	if (geteuid() != 0) {
		if (spec->uid == geteuid() && spec->gid == getegid())
			return 1; /* already so */
		return set_error(ret, SBX_EXIT_ERROR,
				 "--user and --group need the sandbox to run as root");
	}
	spec->set_ids = true;
	if (!pw)
		return 1; /* no passwd entry: no supplementary groups */
	run->groups = calloc((size_t)n, sizeof(gid_t));
	if (run->groups && getgrouplist(pw->pw_name, spec->gid, run->groups, &n) < 0) {
		free(run->groups);
		run->groups = calloc((size_t)n, sizeof(gid_t));
		if (run->groups && getgrouplist(pw->pw_name, spec->gid, run->groups, &n) < 0)
			n = 0;
	}
	if (!run->groups)
		return -ENOMEM;
	spec->groups = run->groups;
	spec->n_groups = (size_t)n;
	return 1;
}

static void add_rlimit(struct child_spec *spec, int resource, rlim_t soft, rlim_t hard)
{
	spec->rlimits[spec->n_rlimits++] = (struct child_rlimit){resource, {soft, hard}};
}

/*
 * The rlimits of the program. CPU: a backstop one second past the limit
 * (the supervisor normally stops the tree at the limit itself), SIGKILL a
 * second later. Memory: RLIMIT_DATA or RLIMIT_AS at twice the limit, so an
 * allocation far past it fails in the program while use between the limit
 * and twice it is caught by RSS accounting and reported as memory_limit.
 * No core dumps: a dump is a file the policy never saw.
 */
static void plan_rlimits(const struct sbx_limits *l, struct child_spec *spec)
{
	if (l->cpu_time_ms) {
		rlim_t s = (rlim_t)((l->cpu_time_ms + 999) / 1000 + 1);

		add_rlimit(spec, RLIMIT_CPU, s, s + 1);
	}
	if (l->memory_bytes && l->memory_rlimit != SBX_MEMORY_RLIMIT_NONE) {
		rlim_t m = l->memory_bytes > RLIM_INFINITY / 2 ? RLIM_INFINITY
							       : (rlim_t)l->memory_bytes * 2;

		add_rlimit(spec, l->memory_rlimit == SBX_MEMORY_RLIMIT_AS ? RLIMIT_AS : RLIMIT_DATA,
			   m, m);
	}
	if (l->stack_bytes)
		add_rlimit(spec, RLIMIT_STACK, l->stack_bytes, l->stack_bytes);
	/*
	 * One byte past the output limit: a file that ends up over the limit
	 * proves the program tried to write more (a write cut short at the
	 * limit itself sends no signal); the tracer then cuts it back.
	 */
	if (l->output_bytes)
		add_rlimit(spec, RLIMIT_FSIZE, l->output_bytes + 1, l->output_bytes + 1);
	if (l->open_files)
		add_rlimit(spec, RLIMIT_NOFILE, l->open_files, l->open_files);
	add_rlimit(spec, RLIMIT_CORE, 0, 0);
}

static int prepare_caps(struct child_spec *spec)
{
	static const cap_value_t setpcap[] = {CAP_SETPCAP};

	spec->caps_none = cap_init();
	spec->caps_setpcap = cap_init();
	if (!spec->caps_none || !spec->caps_setpcap)
		return -ENOMEM;
	if (cap_set_flag(spec->caps_setpcap, CAP_PERMITTED, 1, setpcap, CAP_SET) < 0 ||
	    cap_set_flag(spec->caps_setpcap, CAP_EFFECTIVE, 1, setpcap, CAP_SET) < 0)
		return -errno;
	return 0;
}

/* The sandbox's own cgroup when one can be had; otherwise rlimits and rusage. */
static int prepare_cgroup(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf why = {0};
	int r;

	if (c->no_cgroup)
		return 1;
	r = cgroup_open(c->cgroup_parent, run->limits.memory_bytes, &run->cgroup, &why);
	if (r == 0) {
		run->have_cgroup = true;
		return 1;
	}
	if (c->cgroup_parent) /* asked for explicitly: not having it is an error */
		return set_error(ret, SBX_EXIT_ERROR, "cgroup: %s", strbuf_str(&why));
	if (c->verbosity >= SBX_VERBOSE)
		dprintf(c->log_fd, "sandbox: memory measured by rusage, not a cgroup: %s\n",
			strbuf_str(&why));
	return 1;
}

/*
 * The log's own descriptor. The program usually shares the caller's stderr,
 * and with it the O_NONBLOCK flag: set on a full pipe, it would make our
 * writes fail and lines vanish. A pipe is reopened, giving the supervisor an
 * open file description the program cannot touch. Anything else is
 * duplicated: a regular file ignores O_NONBLOCK (and must keep one shared
 * offset, or the program's writes would overwrite our lines), and on a
 * terminal or socket emit() waits out EAGAIN.
 */
static int private_log_fd(int fd)
{
	char path[64];
	struct stat st;
	int r = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = open(path, O_WRONLY | O_CLOEXEC);
	}
	return r >= 0 ? r : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

static int seize(pid_t pid)
{
	return ptrace(PTRACE_SEIZE, pid, 0L, (long)TRACER_PTRACE_OPTIONS) < 0 ? -errno : 0;
}

/*
 * Start the child and attach to it before it may run anything of its own:
 * it waits on a pipe until it is seized and in its cgroup.
 */
static int spawn(struct run *run, pid_t *ret_pid)
{
	struct child_spec *spec = &run->spec;
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
	/*
	 * Now that the child is seized (it inherited our dumpable flag, which
	 * PTRACE_SEIZE needed, and its exec will reset its own): make the
	 * supervisor non-dumpable, so a program running as our uid cannot
	 * open /proc/OUR_PID/mem and write code into the one unfiltered
	 * process of the run.
	 */
	if (r == 0 && prctl(PR_SET_DUMPABLE, 0) < 0)
		r = -errno;
	if (r == 0 && run->have_cgroup)
		r = cgroup_attach(&run->cgroup, pid);
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
	run->err_fd = err_pipe[0];
	return 0;
}

/*
 * Filesystem and network rules: the Landlock ruleset (which enforces them)
 * and the checks at stops (which report them). Relative paths in the policy
 * are taken from the program's working directory.
 */
static int prepare_paths(const struct sbx_config *c, const struct policy *policy, struct run *run,
			 struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf why = {0};
	char cwd[PATH_MAX];
	int r;

	if (!policy->fs.present && !policy->net.has_bind && !policy->net.has_connect)
		return 1;
	if (!(c->chdir ? realpath(c->chdir, cwd) : getcwd(cwd, sizeof(cwd))))
		return set_error(ret, SBX_EXIT_ERROR, "cannot resolve the working directory: %s",
				 strerror(errno));
	r = landlock_prepare(policy, cwd, c->no_landlock ? 0 : landlock_abi(), &run->landlock_fd,
			     &why);
	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "%s", strbuf_str(&why));
	run->spec.landlock_fd = run->landlock_fd;
	r = paths_prepare(policy, cwd, &run->paths);
	return r < 0 ? r : 1;
}

/* The calls the supervisor must see whatever the policy says: forks (process limit), paths. */
static size_t forced_calls(const struct policy *policy, const struct run *run,
			   struct filter_force *force, size_t max)
{
	int nrs[128];
	size_t n = 0, n_paths;

	for (size_t i = 0; run->limits.processes && i < tracer_n_task_creating_calls; i++)
		force[n++] = (struct filter_force){.nr = tracer_task_creating_calls[i]};
	/*
	 * Signals and prlimit are checked against the sandbox's processes,
	 * always; prlimit64 on the caller itself (pid 0, as every program's
	 * libc start-up does) cannot reach outside and need not stop.
	 */
	for (size_t i = 0; i < targets_n_calls; i++)
		force[n++] = (struct filter_force){
			.nr = targets_calls[i],
			.unless_arg0_zero = targets_calls[i] == __NR_prlimit64,
		};
	n_paths = paths_traced_calls(policy, nrs, ARRAY_SIZE(nrs));
	for (size_t i = 0; i < n_paths && n < max; i++)
		force[n++] = (struct filter_force){.nr = nrs[i]};
	/* --trace: every traced call stops, whatever the policy would let the kernel do. */
	for (int nr = 0; nr < TRACESET_MAX_NR && n < max; nr++)
		if (traceset_has(run->trace, nr) || traceset_has(run->learn_all, nr))
			force[n++] = (struct filter_force){.nr = nr};
	return n;
}

/* --trace and --log. Returns 1 to go on, 0 when |ret| holds an error, or -errno. */
static int prepare_observing(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf err = {0};
	int r;

	if (c->event_log) {
		run->event_fd = c->event_fd >= 0 ? fcntl(c->event_fd, F_DUPFD_CLOEXEC, 3) : -1;
		if (run->event_fd < 0)
			return set_error(ret, SBX_EXIT_ERROR, "--log: %s",
					 strerror(errno ?: EBADF));
	}
	if (c->learn_path) {
		run->learn = calloc(1, sizeof(*run->learn));
		run->learn_all = malloc(sizeof(*run->learn_all));
		if (!run->learn || !run->learn_all)
			return -ENOMEM;
		traceset_parse("all", run->learn_all, &err);
		r = learn_merge_file(run->learn, c->learn_path, &err);
		if (r == -EINVAL)
			return set_error(ret, SBX_EXIT_ERROR, "--learn: cannot merge %s",
					 strbuf_str(&err));
		if (r < 0)
			return r;
	}
	if (!c->trace)
		return 1;
	run->trace = malloc(sizeof(*run->trace));
	if (!run->trace)
		return -ENOMEM;
	r = traceset_parse(c->trace, run->trace, &err);
	if (r == -EINVAL)
		return set_error(ret, SBX_EXIT_ERROR, "--trace: %s", strbuf_str(&err));
	return r < 0 ? r : 1;
}

/* Everything up to fork. Returns 1 to go on, 0 when |ret| holds an error, or -errno. */
static int prepare(const struct sbx_config *c, const struct policy *policy, struct run *run,
		   struct sbx_result *ret)
{
	char *const *envp = c->envp ? c->envp : environ;
	struct filter_force force[TRACESET_MAX_NR + 160];
	size_t n_force;
	int r;

	run->limits = merge_limits(&c->limits, &policy->limits);
	run->path = find_program(c->argv[0], env_get(envp, "PATH"));
	if (!run->path)
		return errno == ENOMEM	 ? -ENOMEM
		       : errno == ENOENT ? set_error(ret, SBX_EXIT_NOT_FOUND,
						     "%s: command not found", c->argv[0])
					 : set_error(ret, SBX_EXIT_NOT_EXECUTABLE, "%s: %s",
						     c->argv[0], strerror(errno));
	run->spec = (struct child_spec){
		.path = run->path,
		.argv = c->argv,
		.envp = envp,
		.stdio = {-1, -1, -1},
		.chdir = c->chdir,
		.landlock_fd = -1,
	};
	r = resolve_ids(c, run, ret);
	if (r <= 0)
		return r;
	r = open_stdio(c, run, ret);
	if (r <= 0)
		return r;
	memcpy(run->spec.stdio, run->stdio, sizeof(run->stdio));
	plan_rlimits(&run->limits, &run->spec);
	r = prepare_caps(&run->spec);
	if (r < 0)
		return r;
	r = prepare_paths(c, policy, run, ret);
	if (r <= 0)
		return r;
	r = prepare_observing(c, run, ret);
	if (r <= 0)
		return r;
	n_force = forced_calls(policy, run, force, ARRAY_SIZE(force));
	r = filter_build_cached(policy, force, n_force, &run->filter);
	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "cannot build the seccomp filter: %s",
				 strerror(-r));
	run->spec.prog = (struct sock_fprog){.len = (unsigned short)run->filter.len,
					     .filter = run->filter.insns};
	run->spec.filter_flags = policy->filter_flags;
	return prepare_cgroup(c, run, ret);
}

int supervisor_run(const struct sbx_config *c, const struct policy *policy, struct sbx_result *ret)
{
	struct run run = RUN_INIT;
	struct tracer_config tc = {
		.policy = policy,
		.verbosity = c->verbosity,
		.log_fd = c->log_fd,
	};
	_cleanup_close_ int pidfd = -1;
	_cleanup_close_ int log_fd = -1;
	int dumpable = prctl(PR_GET_DUMPABLE);
	int r;

	r = prepare(c, policy, &run, ret);
	if (r <= 0) {
		run_free(&run);
		return r;
	}
	log_fd = private_log_fd(c->log_fd);
	tc.log_fd = log_fd;
	tc.limits = run.limits;
	tc.output_fds[0] = run.stdio[1];
	tc.output_fds[1] = run.stdio[2];
	tc.paths = run.paths;
	tc.trace = run.trace;
	tc.learn = run.learn;
	tc.event_fd = run.event_fd;
	tc.program = run.path;
	tc.cgroup = run.have_cgroup ? &run.cgroup : NULL;
	/* Orphaned descendants are reparented to us, so they cannot escape the kill. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGCHLD, SIG_DFL);
	getrusage(RUSAGE_CHILDREN, &tc.children_start);
	clock_gettime(CLOCK_MONOTONIC, &tc.start);
	r = spawn(&run, &tc.initial);
	if (r < 0) {
		run_free(&run);
		prctl(PR_SET_DUMPABLE, dumpable);
		return set_error(ret, SBX_EXIT_ERROR, "cannot start the program: %s", strerror(-r));
	}
	tc.err_fd = run.err_fd;
	pidfd = (int)syscall(SYS_pidfd_open, tc.initial, 0);
	tracer_arm_signals(pidfd);
	r = tracer_run(&tc, ret);
	tracer_arm_signals(-1);
	/* A learning run that was stopped (an i386 call, a built-in check) writes nothing. */
	if (r == 0 && run.learn && ret->status != SBX_STATUS_VIOLATION) {
		int w = learn_write(run.learn, c->learn_path);

		if (w < 0)
			set_error(ret, SBX_EXIT_ERROR, "cannot write the learned policy %s: %s",
				  c->learn_path, strerror(-w));
	}
	run_free(&run);
	prctl(PR_SET_DUMPABLE, dumpable);
	return r;
}

int supervisor_attach(const struct sbx_config *c, const struct policy *policy,
		      struct sbx_result *ret)
{
	struct run run = RUN_INIT;
	struct attach_config ac = {
		.policy = policy,
		.pid = c->attach_pid,
		.verbosity = c->verbosity,
		.detach_after_ms = c->detach_after_ms,
	};
	_cleanup_close_ int log_fd = -1;
	int r;

	if (c->learn_path)
		return set_error(ret, SBX_EXIT_ERROR, "--learn cannot be used with --attach");
	r = prepare_observing(c, &run, ret);
	if (r > 0) {
		log_fd = private_log_fd(c->log_fd);
		ac.log_fd = log_fd;
		ac.trace = run.trace;
		ac.event_fd = run.event_fd;
		r = attach_run(&ac, ret);
	}
	run_free(&run);
	return r < 0 ? r : 0;
}
