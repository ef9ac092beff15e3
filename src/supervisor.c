/* SPDX-License-Identifier: MIT */
/*
 * supervisor.c - owns one run's preparation: it turns a struct sbx_config
 * into a struct child_spec (every byte the child will touch), starts and
 * seizes the child, and hands it to the tracer. Cleans up all of it.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/wait.h>
#include <time.h>

#include "arch.h"
#include "attach.h"
#include "cgroup.h"
#include "child.h"
#include "env.h"
#include "eventlog.h"
#include "isolate.h"
#include "nsinit.h"
#include "filter.h"
#include "landlock.h"
#include "learn.h"
#include "names.h"
#include "notify.h"
#include "paths.h"
#include "syscalls.h"
#include "targets.h"
#include "tracer.h"
#include "util.h"
#include "waitopen.h"

extern char **environ;

/* Everything a run allocates, released by run_free(). */
struct run {
	struct child_spec spec;
	cap_t init_caps;	 /* what the init keeps once the program runs: none */
	uint64_t caught_signals; /* the init resets them (NSINIT_START_SIGNALS) */
	char *path;
	int stdio[3];
	struct timespec start; /* CLOCK_MONOTONIC when its streams began to open: the wall clock */
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

	enum sbx_isolation isolation;
	struct isolation_plan plan; /* SBX_ISOLATION_NAMESPACES */
	struct policy fallback;	    /* SBX_ISOLATION_LANDLOCK: the confinement as rules */
	int iso_landlock_fd;	    /* SBX_ISOLATION_LANDLOCK: its ruleset */
	char *tmpdir;		    /* SBX_ISOLATION_LANDLOCK: the program's private /tmp */
	char cwd[PATH_MAX];	    /* the working directory, canonical host path */
	struct env env;
	int sync_fd; /* SBX_ISOLATION_NAMESPACES: our end of the init's socket */
	int tmpfs_fds[ISOLATE_MAX_GRANTS]; /* the init's writable tmpfs mounts, for --memory */
	size_t n_tmpfs;
	bool log_broken; /* a line of the set-up found the log's reader gone: no more lines */
	bool notify;	 /* decisions through a seccomp listener (notify.h) */
};

/* A run that owns nothing yet: run_free() may be called on it. */
#define RUN_INIT                                                                                   \
	{                                                                                          \
		.stdio = {-1, -1, -1}, .err_fd = -1, .cgroup = {.dirfd = -1}, .landlock_fd = -1,   \
		.event_fd = -1, .iso_landlock_fd = -1, .sync_fd = -1,                              \
	}

/* rm -rf |dir| without following links or leaving its filesystem. */
static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
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
	if (run->init_caps)
		cap_free(run->init_caps);
	if (run->err_fd >= 0)
		close(run->err_fd);
	if (run->landlock_fd >= 0)
		close(run->landlock_fd);
	paths_free(run->paths);
	free(run->path);
	free(run->groups);
	filter_release(&run->filter);
	cgroup_close(&run->cgroup);
	isolate_plan_free(&run->plan);
	policy_fs_clear(&run->fallback.fs);
	if (run->iso_landlock_fd >= 0)
		close(run->iso_landlock_fd);
	if (run->sync_fd >= 0)
		close(run->sync_fd);
	for (size_t i = 0; i < run->n_tmpfs; i++)
		close(run->tmpfs_fds[i]);
	if (run->tmpdir) {
		remove_tree(run->tmpdir);
		free(run->tmpdir);
	}
	env_clear(&run->env);
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
 * (the one the supervisor lets through). With a plan, a program the sandbox
 * shows wins over one it hides: a PATH entry the sandbox does not show
 * (~/.pyenv/shims) does not shadow /usr/bin. Returns a malloc'd path, or
 * NULL with errno ENOENT / EACCES when nothing runnable is found.
 */
static char *find_program(const char *name, const char *search_path, struct isolation_plan *plan)
{
	char *denied = NULL, *hidden = NULL;

	if (strchr(name, '/'))
		return xstrdup(name);
	for (const char *dir = search_path && *search_path ? search_path
							   : "/usr/local/bin:/usr/bin:/bin";
	     dir;) {
		const char *end = strchr(dir, ':');
		size_t n = end ? (size_t)(end - dir) : strlen(dir);
		char cand[PATH_MAX], real[PATH_MAX];
		struct stat st;
		bool ok = snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, n ? dir : ".", name) <
				  (int)sizeof(cand) &&
			  stat(cand, &st) == 0 && S_ISREG(st.st_mode);

		dir = end ? end + 1 : NULL;
		if (ok && access(cand, X_OK) < 0) {
			if (!denied)
				denied = xstrdup(cand);
			continue;
		}
		if (ok && plan && !(realpath(cand, real) && isolate_visible(plan, real))) {
			if (!hidden)
				hidden = xstrdup(cand);
			continue;
		}
		if (ok) {
			free(denied);
			free(hidden);
			return xstrdup(cand);
		}
	}
	if (hidden) {
		free(denied);
		return hidden;
	}
	errno = denied ? EACCES : ENOENT;
	return denied;
}

/* An error's text; a refused link says why. */
static const char *link_refused(int err)
{
	return err == ELOOP ? "a symbolic link on the way, which a sandboxed program may have "
			      "planted (give the real path)"
			    : strerror(err);
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

static int private_log_fd(int fd);

/*
 * A line of the set-up on the log (the caller's stderr, usually). Through a
 * sink, like the tracer's lines: a reader that went away (EPIPE) never
 * raises SIGPIPE, and stops the lines for the rest of the run, not the run.
 */
__attribute__((format(printf, 3, 4))) static void
say_setup(struct run *run, const struct sbx_config *c, const char *fmt, ...)
{
	struct sink k = {.fd = c->log_fd};
	char line[PATH_MAX * 2 + 256];
	va_list ap;
	int n;

	if (c->log_fd < 0 || run->log_broken)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	k.socket = fd_is_socket(k.fd);
	sink_write(&k, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	sink_drain(&k, SINK_WAIT_MS);
	run->log_broken = k.broken;
	sink_free(&k);
}

/*
 * The wall time ran out (or a terminal signal came) while a stream waited
 * for the other end of its FIFO: the program never started. Returns 0.
 */
static int stdio_wait_ended(const struct sbx_config *c, struct run *run, const char *what,
			    const char *path, int err, int sig, struct sbx_result *ret)
{
	struct timespec now;

	if (err == -EINTR)
		return set_error(ret, SBX_EXIT_ERROR,
				 "%s came while --%s %s waited for the other end of its FIFO",
				 signal_name(sig) ? signal_name(sig) : "a signal", what, path);
	clock_gettime(CLOCK_MONOTONIC, &now);
	ret->status = SBX_STATUS_WALL_TIME_LIMIT;
	ret->limits_hit = 1u << SBX_STATUS_WALL_TIME_LIMIT;
	ret->limits = run->limits;
	ret->exit_code = -1;
	ret->wall_time_ms = (uint64_t)(now.tv_sec - run->start.tv_sec) * 1000 +
			    (uint64_t)((now.tv_nsec - run->start.tv_nsec) / 1000000);
	if (c->verbosity >= SBX_NORMAL) {
		struct sink k = {.fd = private_log_fd(c->log_fd)};
		char line[PATH_MAX + 160];
		int n;

		if (k.fd >= 0) {
			k.socket = fd_is_socket(k.fd);
			n = snprintf(line, sizeof(line),
				     "sandbox: wall time limit of %llu ms reached while --%s %s "
				     "waited for the other end of its FIFO: the program never "
				     "started\n",
				     (unsigned long long)run->limits.wall_time_ms, what, path);
			sink_write(&k, line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n : 0);
			sink_drain(&k, SINK_WAIT_MS);
			sink_free(&k);
			close(k.fd);
		}
	}
	if (c->event_log) {
		struct eventlog log;
		int fd = private_log_fd(c->event_fd);

		eventlog_open(&log, fd);
		eventlog_limit(&log, "wall_time_limit");
		eventlog_close(&log);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

/*
 * Open the program's streams named in |paths| (NULL: not this one), at
 * once (waitopen.h). Returns 1, or 0 when |ret| holds the error or the
 * wait's end.
 */
static int open_streams(const struct sbx_config *c, struct run *run, const char *const paths[3],
			uint64_t deadline, struct sbx_result *ret)
{
	static const char *const what[3] = {"stdin", "stdout", "stderr"};
	struct waitopen files[WAITOPEN_MAX] = {0};
	int r, sig = 0, at = -1;

	for (int i = 0; i < 3; i++)
		files[i] = (struct waitopen){
			.path = paths[i],
			.flags = (i == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC) | O_NOCTTY,
			.mode = 0644,
		};
	r = open_waiting(files, 3, deadline, &sig, &at);
	at = at < 0 ? 0 : at;
	if (r == -ETIME || r == -EINTR)
		return stdio_wait_ended(c, run, what[at], paths[at], r, sig, ret);
	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "cannot open %s for %s: %s", paths[at],
				 what[at],
				 r == WAITOPEN_CHANGED ? "it was replaced while it was opened"
						       : link_refused(-r));
	for (int i = 0; i < 3; i++)
		if (files[i].path)
			run->stdio[i] = files[i].fd;
	return 1;
}

/*
 * A stdin the caller hands down open for writing (a temporary file opened
 * "w+", a shell's <>) would let the program write into its input through
 * fd 0 or any copy of it (dup2(0, 1)), which no rule on a descriptor's
 * number sees. A regular file is reopened read-only at the same offset
 * (the reopened file's offset is the program's own from then on). Returns
 * 1, or 0 with |ret| set when it cannot be.
 */
static int stdin_read_only(struct run *run, struct sbx_result *ret)
{
	int fd = run->stdio[0] >= 0 ? run->stdio[0] : 0, flags = fcntl(fd, F_GETFL), ro;
	char path[64];
	struct stat st;
	off_t at;

	if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode))
		return 1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	at = lseek(fd, 0, SEEK_CUR);
	if (ro < 0 || at < 0 || lseek(ro, at, SEEK_SET) < 0) {
		int err = errno;

		if (ro >= 0)
			close(ro);
		return set_error(ret, SBX_EXIT_ERROR,
				 "standard input is a file open for writing and could not be "
				 "reopened read-only (%s): give it with --stdin FILE",
				 strerror(err));
	}
	if (run->stdio[0] >= 0)
		close(run->stdio[0]);
	run->stdio[0] = ro;
	return 1;
}

/*
 * The standard streams: stdout and stderr naming one file share one open
 * file. A FIFO waits for its other end within the run's wall time, which
 * starts here; the FIFOs wait at the same time, so an interactor may open
 * them in any order (waitopen.h).
 */
static int open_stdio(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	const char *paths[3] = {c->stdin_path, c->stdout_path, c->stderr_path};
	struct stat in, out, err;
	uint64_t deadline = 0;
	bool share = paths[1] && paths[2] && strcmp(paths[1], paths[2]) == 0;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &run->start);
	/* Rounded up: the wait never ends before the limit measured from run->start. */
	if (run->limits.wall_time_ms)
		deadline = monotonic_ms() + run->limits.wall_time_ms + 1;
	/*
	 * Before any output is created or truncated: it must not be the input
	 * (a file would be truncated before it is read; a FIFO would connect
	 * the program to itself).
	 */
	if (paths[0] && stat(paths[0], &in) == 0 && (S_ISREG(in.st_mode) || S_ISFIFO(in.st_mode)))
		for (int i = 1; i < 3; i++)
			if (paths[i] && stat(paths[i], &out) == 0 && out.st_dev == in.st_dev &&
			    out.st_ino == in.st_ino)
				return set_error(
					ret, SBX_EXIT_ERROR,
					"--stdin %s and --%s %s are the same %s", paths[0],
					i == 1 ? "stdout" : "stderr", paths[i],
					S_ISFIFO(in.st_mode)
						? "FIFO: the program would talk to itself"
						: "file: its input would be truncated before the "
						  "program reads it");
	/* All three at once: an interactor may open its ends of FIFOs in any order. */
	{
		const char *batch[3] = {paths[0], paths[1], share ? NULL : paths[2]};

		r = open_streams(c, run, batch, deadline, ret);
	}
	if (r > 0 && run->stdio[0] >= 0)
		r = check_stdin(c, run->stdio[0], ret);
	if (r > 0)
		r = stdin_read_only(run, ret);
	if (r <= 0)
		return r;
	/* One file under two names (./out and out): one open file, so the order of lines holds. */
	if (run->stdio[1] >= 0 && run->stdio[2] >= 0 && fstat(run->stdio[1], &out) == 0 &&
	    fstat(run->stdio[2], &err) == 0 && err.st_dev == out.st_dev &&
	    err.st_ino == out.st_ino) {
		close(run->stdio[2]);
		share = true;
	}
	if (share)
		run->stdio[2] = run->stdio[1];
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
		/* Set whenever it is read: a number parsed, or a name found. */
		unsigned int id = 0;
		bool numeric = all_digits(c->user);

		if (numeric && !parse_id(c->user, &id))
			return set_error(ret, SBX_EXIT_ERROR, "--user %s: not a valid user id",
					 c->user);
		errno = 0;
		pw = numeric ? getpwuid((uid_t)id) : getpwnam(c->user);
		if (!pw && !numeric)
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
 * How far past a memory limit of |limit| bytes the rlimit backstop sits:
 * as far again, and at least SBX_MEMORY_GRACE. Runtimes reserve address
 * space of a fixed size whatever the limit (a Go heap arena of 64 MiB, a
 * JVM thread stack of -Xss per thread): a backstop at twice a small limit
 * stopped them starting, and the verdict is the measured memory's anyway.
 */
static rlim_t memory_backstop(uint64_t limit)
{
	uint64_t grace = limit > SBX_MEMORY_GRACE ? limit : SBX_MEMORY_GRACE;

	return limit > RLIM_INFINITY - 1 - grace ? RLIM_INFINITY : (rlim_t)(limit + grace);
}

/*
 * The rlimits of the program. CPU: a backstop one second past the limit
 * (the supervisor normally stops the tree at the limit itself), SIGKILL a
 * second later. Memory: RLIMIT_DATA or RLIMIT_AS at memory_backstop(), so
 * an allocation far past the limit fails in the program, while memory used
 * past the limit is the RSS accounting's memory_limit. Output:
 * RLIMIT_FSIZE at the limit itself (the attempt to write on is the verdict,
 * SIGXFSZ). No core dumps: a dump is a file the policy never saw.
 */
static void plan_rlimits(const struct sbx_limits *l, struct child_spec *spec)
{
	if (l->cpu_time_ms) {
		rlim_t s = (rlim_t)((l->cpu_time_ms + 999) / 1000 + 1);

		add_rlimit(spec, RLIMIT_CPU, s, s + 1);
	}
	if (l->memory_bytes && l->memory_rlimit != SBX_MEMORY_RLIMIT_NONE) {
		rlim_t m = memory_backstop(l->memory_bytes);

		add_rlimit(spec, l->memory_rlimit == SBX_MEMORY_RLIMIT_AS ? RLIMIT_AS : RLIMIT_DATA,
			   m, m);
	}
	if (l->stack_bytes)
		add_rlimit(spec, RLIMIT_STACK, l->stack_bytes, l->stack_bytes);
	if (l->output_bytes)
		add_rlimit(spec, RLIMIT_FSIZE, l->output_bytes, l->output_bytes);
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
		say_setup(run, c, "sandbox: memory measured by rusage, not a cgroup: %s\n",
			  strbuf_str(&why));
	return 1;
}

/*
 * The log's own descriptor. The program usually shares the caller's stderr,
 * and with it the O_NONBLOCK flag: set on a full pipe, it would make our
 * writes fail and lines vanish; left clear, a full pipe nobody reads or a
 * terminal stopped with ^S (tcflow) would block the supervisor, its clock
 * and its report. A pipe or a terminal is reopened, non-blocking, giving
 * the supervisor an open file description the program cannot touch, and
 * each line waits a little at most (struct sink). Anything else is
 * duplicated: a regular file ignores O_NONBLOCK (and must keep one shared
 * offset, or the program's writes would overwrite our lines), and a socket
 * is written with MSG_DONTWAIT.
 */
static int private_log_fd(int fd)
{
	char path[64];
	struct stat st;
	int r = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	}
	return r >= 0 ? r : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

static int seize(pid_t pid, long options)
{
	return ptrace(PTRACE_SEIZE, pid, 0L, options) < 0 ? -errno : 0;
}

/*
 * PTRACE_SEIZE and the user namespace maps need the child dumpable: its
 * /proc files are root's otherwise. It is, unless another run of this
 * process (another thread) made the process non-dumpable before the fork,
 * which can happen up to the very fork (sigstate.h): so the child makes
 * itself dumpable first thing (child.c, nsinit.c), and this waits until it
 * has, that is until /proc/PID/stat is ours (a file: the directory is the
 * task's whatever the flag). Alone, the first look sees it. Root may go on
 * at once. 10 s at most: a child that never gets there fails the seize,
 * which says so.
 */
static void await_dumpable(pid_t pid)
{
	char path[32];
	struct stat st;

	if (geteuid() == 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 100000; i++) {
		if (stat(path, &st) < 0 || st.st_uid == geteuid())
			return;
		usleep(100);
	}
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
	/*
	 * Non-blocking: the tracer reads it once the child or the init is gone,
	 * which wrote its message before dying if it had one; a task killed
	 * before it could write must not leave the read waiting on a writer
	 * that is stopped for the tracer itself (the init in a ptrace stop).
	 */
	if (pipe2(err_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
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
		/* Our write end, or no EOF if we die; the other close-on-exec ends go at the exec.
		 */
		close(sync_pipe[1]);
		child_run(spec);
	}
	r = pid < 0 ? -errno : 0;
	close(sync_pipe[0]);
	close(err_pipe[1]);
	if (r == 0)
		await_dumpable(pid);
	if (r == 0)
		r = seize(pid, TRACER_PTRACE_OPTIONS);
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
 * The policy's filesystem and network rules: the Landlock ruleset (which
 * enforces them) and the checks at stops (which report them). Relative
 * paths in the policy are taken from the program's working directory, and
 * every path is resolved as the program sees it: inside |root_fd| (the
 * sandbox's root, through /proc/INIT/root), or on the host with -1.
 */
static int prepare_paths(const struct sbx_config *c, const struct policy *policy, struct run *run,
			 int root_fd, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf why = {0};
	const char *cwd = run->isolation == SBX_ISOLATION_NAMESPACES && run->plan.workdir
				  ? run->plan.workdir
				  : run->cwd;
	int r;

	if (!policy->fs.present && !policy->net.has_bind && !policy->net.has_connect)
		return 1;
	r = landlock_prepare(policy, root_fd, cwd, c->no_landlock ? 0 : landlock_abi(), 0,
			     &run->landlock_fd, &why);
	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "%s", strbuf_str(&why));
	run->spec.landlock_fd = run->landlock_fd;
	r = paths_prepare(policy, root_fd, cwd, &run->paths);
	return r < 0 ? r : 1;
}

/* Whether the caller gave a writable bind of |path| at its own place. */
static bool bound_by_caller(const struct sbx_config *c, const char *path)
{
	for (size_t i = 0; i < c->n_mounts; i++)
		if (c->mounts[i].type == SBX_MOUNT_BIND && strcmp(c->mounts[i].source, path) == 0 &&
		    (!c->mounts[i].destination || strcmp(c->mounts[i].destination, path) == 0))
			return true;
	return false;
}

static bool path_in_list(char *const *list, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], path) == 0)
			return true;
	return false;
}

/* Whether the policy's "network" is "off": only AF_UNIX, no port rules. */
static bool network_off(const struct policy *p)
{
	return p->net.present && p->net.n_families == 1 && p->net.families[0] == AF_UNIX &&
	       !p->net.has_bind && !p->net.has_connect;
}

/* The run's network namespace, if any, replaces the family rule of "network": "off". */
static bool own_netns(const struct run *run)
{
	return run->isolation == SBX_ISOLATION_NAMESPACES && (run->plan.namespaces & SBX_NS_NET);
}

/* Whether the program writes a directory of the host (its working directory, a --bind). */
static bool host_writable(const struct run *run)
{
	if (run->isolation == SBX_ISOLATION_NAMESPACES)
		return run->plan.host_writable;
	return run->isolation == SBX_ISOLATION_LANDLOCK && run->fallback.fs.n_write > 0;
}

size_t supervisor_forced_calls(const struct policy *policy, const struct force_facts *f,
			       struct filter_force *force, size_t max)
{
	int nrs[128];
	size_t n = 0, n_paths;
	bool pidns = f->isolation == SBX_ISOLATION_NAMESPACES;

	for (size_t i = 0; f->processes && i < syscall_n_rows && n < max; i++) {
		const struct syscall_row *r = &syscall_rows[i];
		int nr = r->nr;

		if (!(r->traits & SYSCALL_TASK))
			continue;
		/* fork and vfork of AArch32 tasks, which aarch64 lacks: by libseccomp's pseudo
		 * number */
		if (nr < 0 && (policy->arches & ARCH_NATIVE->foreign))
			nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, r->name);
		if (nr >= 0 || nr < -1)
			force[n++] = (struct filter_force){.nr = nr};
	}
	/*
	 * Signals and prlimit are checked against the sandbox's processes,
	 * unless a PID namespace keeps everything else out of their reach;
	 * prlimit64 on the caller itself (pid 0, as every program's libc
	 * start-up does) cannot reach outside and need not stop.
	 */
	for (size_t i = 0; !pidns && i < syscall_n_rows && n < max; i++) {
		const struct syscall_row *r = &syscall_rows[i];

		if (!(r->traits & SYSCALL_TARGET) || r->nr < 0)
			continue;
		force[n++] = (struct filter_force){
			.nr = r->nr,
			.unless_arg0_zero = (r->traits & SYSCALL_TARGET_SELF0) != 0,
			.when_arg = r->target_arg < 0 ? 0 : (unsigned int)r->target_arg,
			.when_bits = r->target_bits,
		};
	}
	n_paths = paths_traced_calls(policy, nrs, ARRAY_SIZE(nrs));
	for (size_t i = 0; i < n_paths && n < max; i++)
		force[n++] = (struct filter_force){.nr = nrs[i]};
	/* No fileless execution: memfd_create's flags are looked at (tracer.c). */
	if (f->isolation != SBX_ISOLATION_NONE && n < max)
		force[n++] = (struct filter_force){.nr = __NR_memfd_create};
	/*
	 * No setuid or setgid file in a host directory the program writes:
	 * through an idmapped mount a root caller's program owns its files as
	 * root. Only a call with those bits in its mode stops; openat2 (its
	 * mode in memory) always does, to be refused.
	 */
	for (size_t i = 0; f->host_writable && i < syscall_n_rows && n < max; i++)
		if (syscall_rows[i].setid_arg >= 0 && syscall_rows[i].nr >= 0)
			force[n++] = (struct filter_force){
				.nr = syscall_rows[i].nr,
				.when_arg = (unsigned int)syscall_rows[i].setid_arg,
				.when_bits = S_ISUID | S_ISGID};
	if (f->host_writable && n < max)
		force[n++] = (struct filter_force){.nr = __NR_openat2};
	/* --trace: every traced call stops, whatever the policy would let the kernel do. */
	for (int nr = 0; (f->trace || f->learn_all) && nr < TRACESET_MAX_NR && n < max; nr++)
		if (traceset_has(f->trace, nr) || traceset_has(f->learn_all, nr))
			force[n++] = (struct filter_force){.nr = nr};
	return n;
}

/* The calls the supervisor must see whatever the policy says: forks (process limit), paths. */
static size_t forced_calls(const struct policy *policy, const struct run *run,
			   struct filter_force *force, size_t max)
{
	struct force_facts f = {
		.isolation = run->isolation,
		.processes = run->limits.processes != 0,
		.host_writable = host_writable(run),
		.trace = run->trace,
		.learn_all = run->learn_all,
	};

	return supervisor_forced_calls(policy, &f, force, max);
}

/*
 * --learn -p BASE: the calls the base decides itself, which the learned
 * policy leaves to it: those a rule of it names, and with a default that
 * lets calls run, all of them.
 */
static void base_decides(const struct policy *p, bool *ret)
{
	bool default_runs = p->default_verdict.action == POLICY_ALLOW ||
			    p->default_verdict.action == POLICY_LOG;

	for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
		size_t n = 0;

		(void)policy_rules_naming(p, nr, &n);
		ret[nr] = default_runs || n > 0;
	}
}

/*
 * --learn: the output is checked now, not after the run (as the report's),
 * and every call will stop to be recorded. Returns 1 to go on, 0 when
 * |ret| holds an error, or -errno.
 */
static int prepare_learning(const struct sbx_config *c, const struct policy *policy,
			    struct run *run, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf err = {0};
	_cleanup_free_ bool *decides = NULL;
	int r;

	if (!c->learn_path)
		return 1;
	if (c->learn_base && policy->oci)
		return set_error(ret, SBX_EXIT_ERROR,
				 "--learn: %s is an OCI profile, which no policy can extend",
				 c->learn_base);
	run->learn = calloc(1, sizeof(*run->learn));
	run->learn_all = malloc(sizeof(*run->learn_all));
	decides = calloc(TRACESET_MAX_NR, sizeof(*decides));
	if (!run->learn || !run->learn_all || !decides)
		return -ENOMEM;
	traceset_parse("all", run->learn_all, &err);
	r = learn_open(run->learn, c->learn_path, &err);
	if (r == 0 && c->learn_base) {
		base_decides(policy, decides);
		r = learn_set_base(run->learn, c->learn_base, decides, &err);
	}
	if (r < 0 && r != -ENOMEM)
		return set_error(ret, SBX_EXIT_ERROR, "--learn: %s", strbuf_str(&err));
	return r < 0 ? r : 1;
}

/* --trace and --log. Returns 1 to go on, 0 when |ret| holds an error, or -errno. */
static int prepare_observing(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf err = {0};
	int r;

	if (c->event_log) {
		run->event_fd = private_log_fd(c->event_fd);
		if (run->event_fd < 0)
			return set_error(ret, SBX_EXIT_ERROR, "--log: %s",
					 strerror(errno ?: EBADF));
	}
	/* --summary alone: every call stops, to be counted (no lines). */
	if (!c->trace && !c->summary)
		return 1;
	run->trace = malloc(sizeof(*run->trace));
	if (!run->trace)
		return -ENOMEM;
	r = traceset_parse(c->trace ? c->trace : "all", run->trace, &err);
	if (r == -EINVAL)
		return set_error(ret, SBX_EXIT_ERROR, "--trace: %s", strbuf_str(&err));
	return r < 0 ? r : 1;
}

/* --- isolation ---------------------------------------------------------------------- */

static enum sbx_isolation isolation_mode(const struct sbx_config *c, const struct policy *p)
{
	if (c->isolation)
		return c->isolation;
	if (p->isolation.mode)
		return p->isolation.mode;
	return SBX_ISOLATION_NAMESPACES;
}

static enum sbx_workdir workdir_mode(const struct sbx_config *c, const struct policy *p)
{
	return c->workdir	      ? c->workdir
	       : p->isolation.workdir ? p->isolation.workdir
				      : SBX_WORKDIR_RW;
}

/*
 * The working directory, canonical, on the host. --chdir is followed
 * through no symbolic link: the program may have left one in a directory
 * it wrote in an earlier run.
 */
static int prepare_cwd(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	int r = c->chdir ? path_real_nofollow(c->chdir, run->cwd)
			 : (realpath(".", run->cwd) ? 0 : -errno);

	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "cannot use the working directory %s: %s",
				 c->chdir ? c->chdir : ".", link_refused(-r));
	return 1;
}

/* --isolation landlock: a private temporary directory stands in for /tmp. */
static int make_tmpdir(struct run *run, struct sbx_result *ret)
{
	const char *base = getenv("TMPDIR");
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sandbox-tmp-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(path))
		return set_error(ret, SBX_EXIT_ERROR,
				 "cannot make the private temporary "
				 "directory %s: %s",
				 path, strerror(errno));
	run->tmpdir = xstrdup(path); /* mode 0700: the program's alone (chowned to --user) */
	return run->tmpdir ? 1 : -ENOMEM;
}

/* The environment: the caller's cut to the allowlist, HOME inside, then --env. */
static int prepare_env(const struct sbx_config *c, struct run *run)
{
	const char *home = run->isolation == SBX_ISOLATION_NAMESPACES ? "/tmp"
			   : run->isolation == SBX_ISOLATION_LANDLOCK ? run->tmpdir
								      : env_get(environ, "HOME");

	if (c->envp) {
		run->spec.envp = c->envp;
		return 1;
	}
	if (env_build(environ, c->keep_env, c->clear_env, home, c->env_sets, c->n_env_sets,
		      &run->env) < 0)
		return -ENOMEM;
	run->spec.envp = run->env.vars;
	return 1;
}

/* SBX_ISOLATION_NAMESPACES: the plan of the init, and the program's view of itself. */
static int prepare_namespaces(const struct sbx_config *c, const struct policy *p, struct run *run,
			      struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf why = {0};
	struct child_spec *spec = &run->spec;
	struct isolation_request req = {
		.mode = SBX_ISOLATION_NAMESPACES,
		.namespaces = p->isolation.namespaces,
		.workdir = workdir_mode(c, p),
		.tmp_size = c->tmp_size ? c->tmp_size : p->isolation.tmp_size,
		.shm_size = p->isolation.shm_size,
		.policy_mounts = p->isolation.mounts,
		.n_policy_mounts = p->isolation.n_mounts,
		.mounts = c->mounts,
		.n_mounts = c->n_mounts,
		.masked = p->isolation.masked,
		.n_masked = p->isolation.n_masked,
		.want_netns = network_off(p) && !c->share_net,
		.cwd = run->cwd,
		.user = c->user,
		.group = c->group,
		.groups = spec->groups,
		.n_groups = spec->n_groups,
		.user_uid = spec->uid,
		.user_gid = spec->gid,
		.have_user = c->user || c->group,
	};
	int r;

	req.more_masked = c->masked_paths;
	req.n_more_masked = c->n_masked_paths;
	r = isolate_plan(&req, &run->plan, &why);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "%s", strbuf_str(&why));
	if (run->plan.workdir_why && c->verbosity >= SBX_NORMAL && c->log_fd >= 0)
		say_setup(run, c, "sandbox: %s\n", run->plan.workdir_why);
	spec->chdir = run->plan.workdir ? run->plan.workdir : "/";
	spec->parent = 1; /* the init */
	spec->sync_fd = -1;
	if (spec->set_ids && !run->plan.privileged &&
	    (spec->uid != geteuid() || spec->gid != getegid()))
		return set_error(ret, SBX_EXIT_ERROR,
				 "--user and --group need root of the host (this root is inside a "
				 "user namespace, which maps only itself)");
	/* Only --user as root sets ids in the program; otherwise the init took them. */
	spec->set_ids =
		spec->set_ids && run->plan.privileged && run->plan.host_uid == run->plan.uid;
	return 1;
}

/*
 * SBX_ISOLATION_LANDLOCK: no namespaces; one more Landlock layer confines
 * reads (the system, the working directory, the private temporary
 * directory, /proc, /sys, /dev) and writes (the working directory unless
 * read-only, the temporary directory, terminals and /dev/null), masks by
 * denial, and scopes signals and abstract sockets to the sandbox.
 */
static int add_path(char ***list, size_t *n, const char *path)
{
	char **grown = realloc(*list, (*n + 2) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	*list = grown;
	grown[*n] = xstrdup(path);
	grown[*n + 1] = NULL;
	return grown[(*n)++] ? 0 : -ENOMEM;
}

static int landlock_fallback_rules(const struct sbx_config *c, const struct policy *p,
				   struct run *run, struct sbx_result *ret)
{
	static const char *const system[] = {"/usr",   "/etc",	 "/bin",    "/sbin", "/lib",
					     "/lib32", "/lib64", "/libx32", "/opt"};
	/* /dev's harmless nodes alone (a raw disk or another terminal is not readable). */
	static const char *const readable[] = {"/proc", "/sys", "/dev/random", "/dev/urandom"};
	static const char *const writable[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/tty"};
	static const char *const secrets[] = {"/etc/shadow", "/etc/gshadow", "/etc/shadow-",
					      "/etc/gshadow-"};
	struct policy_fs *fs = &run->fallback.fs;
	enum sbx_workdir wd = workdir_mode(c, p);
	int r = 0;

	fs->present = true;
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(system); i++)
		if (access(system[i], F_OK) == 0)
			r = add_path(&fs->exec, &fs->n_exec, system[i]);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(readable); i++)
		r = add_path(&fs->read, &fs->n_read, readable[i]);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(writable); i++)
		if (access(writable[i], F_OK) == 0)
			r = add_path(&fs->write, &fs->n_write, writable[i]);
	r = r ?: add_path(&fs->write, &fs->n_write, run->tmpdir);
	r = r ?: add_path(&fs->exec, &fs->n_exec, run->tmpdir);
	if (r == 0 && wd != SBX_WORKDIR_NONE && strcmp(run->cwd, "/") != 0) {
		/* As with namespaces (isolate.c): a piece of the system is not handed over. */
		const char *sys = isolate_system_dir_of(run->cwd);
		bool rw = wd == SBX_WORKDIR_RW && !sys;

		if (wd == SBX_WORKDIR_RW && sys && !bound_by_caller(c, run->cwd) &&
		    c->verbosity >= SBX_NORMAL && c->log_fd >= 0)
			say_setup(run, c,
				  "sandbox: the working directory %s is part of the system (%s): "
				  "read-only; --bind %s %s hands it over writable\n",
				  run->cwd, sys, run->cwd, run->cwd);
		r = add_path(rw ? &fs->write : &fs->exec, rw ? &fs->n_write : &fs->n_exec,
			     run->cwd);
		r = r ?: add_path(&fs->exec, &fs->n_exec, run->cwd);
	}
	for (size_t i = 0; r == 0 && i < c->n_mounts; i++) {
		const struct sbx_mount *m = &c->mounts[i];

		if (m->type == SBX_MOUNT_TMPFS ||
		    (m->destination && strcmp(m->destination, m->source) != 0))
			return set_error(ret, SBX_EXIT_ERROR,
					 "--isolation landlock cannot mount anything (%s %s): only "
					 "a bind of a path at its own place",
					 m->type == SBX_MOUNT_TMPFS ? "--tmpfs" : "--bind",
					 m->destination ? m->destination : m->source);
		r = add_path(m->type == SBX_MOUNT_BIND ? &fs->write : &fs->exec,
			     m->type == SBX_MOUNT_BIND ? &fs->n_write : &fs->n_exec, m->source);
	}
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(secrets); i++)
		if (access(secrets[i], F_OK) == 0)
			r = add_path(&fs->deny, &fs->n_deny, secrets[i]);
	for (size_t i = 0; r == 0 && i < p->isolation.n_masked; i++)
		r = add_path(&fs->deny, &fs->n_deny, p->isolation.masked[i]);
	for (size_t i = 0; r == 0 && i < c->n_masked_paths; i++)
		r = add_path(&fs->deny, &fs->n_deny, c->masked_paths[i]);
	return r < 0 ? r : 1;
}

static int prepare_landlock_only(const struct sbx_config *c, const struct policy *p,
				 struct run *run, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf why = {0};
	int abi = c->no_landlock ? 0 : landlock_abi();
	int r;

	/*
	 * Without a user namespace, root without capabilities still owns every
	 * root-owned file: it could chmod /etc/shadow, read root's 0600 files
	 * under the readable directories. Landlock has no right for ownership.
	 */
	if (geteuid() == 0 && (!run->spec.set_ids || run->spec.uid == 0))
		return set_error(ret, SBX_EXIT_ERROR,
				 "--isolation landlock as root needs --user USER (a user who may "
				 "write the working directory): without a user namespace a uid-0 "
				 "program owns every root-owned file");
	if (run->tmpdir && run->spec.set_ids)
		(void)!chown(run->tmpdir, run->spec.uid, run->spec.gid);
	if (abi <= 0)
		return set_error(ret, SBX_EXIT_ERROR,
				 "--isolation landlock: this kernel has no Landlock (or it is "
				 "turned off); run with --no-isolation to run with no isolation");
	r = landlock_fallback_rules(c, p, run, ret);
	if (r <= 0)
		return r;
	r = landlock_prepare(&run->fallback, -1, run->cwd, abi,
			     LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL, &run->iso_landlock_fd,
			     &why);
	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "--isolation landlock: %s", strbuf_str(&why));
	run->spec.landlock_iso_fd = run->iso_landlock_fd;
	run->spec.landlock_stdio_rights =
		LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
	return 1;
}

/*
 * SBX_ISOLATION_NONE: Landlock's signal scope (ABI 6) alone, when the
 * kernel has it. The check of a signal's target at a stop (targets.c)
 * reads a pidfd's process from the caller's descriptor table, which
 * another thread can change before the call runs (dup2() of a pidfd of a
 * process outside, the supervisor included, over the one looked at); the
 * scope is the kernel's own answer at the time of the signal. No
 * filesystem or network right is handled: nothing else changes. Without
 * ABI 6 (or with --no-landlock) the check at the stop stands alone.
 */
static void prepare_signal_scope(const struct sbx_config *c, struct run *run)
{
	int index, fd;

	if (c->no_landlock || landlock_abi() < 6)
		return;
	fd = landlock_child_ruleset(0, LL_SCOPE_SIGNAL, NULL, NULL, 0, &index);
	if (fd < 0)
		return;
	run->iso_landlock_fd = fd;
	run->spec.landlock_iso_fd = fd;
}

/* The program's path on the host (messages) and in the sandbox (execve). */
static int prepare_program(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf why = {0};
	bool ns = run->isolation == SBX_ISOLATION_NAMESPACES;
	int r;

	run->path =
		find_program(c->argv[0], env_get(run->spec.envp, "PATH"), ns ? &run->plan : NULL);
	if (!run->path)
		return errno == ENOMEM	 ? -ENOMEM
		       : errno == ENOENT ? set_error(ret, SBX_EXIT_NOT_FOUND,
						     "%s: command not found", c->argv[0])
					 : set_error(ret, SBX_EXIT_NOT_EXECUTABLE, "%s: %s",
						     c->argv[0], strerror(errno));
	run->spec.path = run->path;
	if (!ns)
		return 1;
	r = isolate_add_program(&run->plan, run->path, run->cwd, &why);
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT)
		return set_error(ret, SBX_EXIT_NOT_FOUND, "%s", strbuf_str(&why));
	if (r < 0)
		return set_error(ret, SBX_EXIT_NOT_EXECUTABLE, "%s", strbuf_str(&why));
	run->spec.path = run->plan.program;
	return 1;
}

/*
 * --decisions: the listener when the kernel has it (auto: with synchronous
 * wake-ups, without which it is no faster than a ptrace stop). Set before
 * the child or the init is started: its spec carries the flag. Returns 1,
 * or 0 when |ret| holds the error.
 */
static int choose_decisions(const struct sbx_config *c, struct run *run, struct sbx_result *ret)
{
	if (c->decisions == SBX_DECISIONS_NOTIFY && !notify_kernel_has(false))
		return set_error(
			ret, SBX_EXIT_ERROR,
			"--decisions notify: this kernel has no seccomp user notifications "
			"that let a call continue (Linux 5.5); use --decisions ptrace");
	run->notify = c->decisions == SBX_DECISIONS_NOTIFY ||
		      (c->decisions == SBX_DECISIONS_AUTO && notify_kernel_has(true));
	if (run->notify)
		run->spec.filter_flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	if (run->notify && notify_kernel_has_killable_recv())
		run->spec.filter_flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	return 1;
}

/* Everything up to fork. Returns 1 to go on, 0 when |ret| holds an error, or -errno. */
static int prepare(const struct sbx_config *c, const struct policy *policy, struct run *run,
		   struct sbx_result *ret)
{
	int r;

	run->limits = merge_limits(&c->limits, &policy->limits);
	run->isolation = isolation_mode(c, policy);
	run->spec = (struct child_spec){
		.argv = c->argv,
		.stdio = {-1, -1, -1},
		.chdir = c->chdir,
		.landlock_fd = -1,
		.landlock_iso_fd = -1,
	};
	r = prepare_cwd(c, run, ret);
	if (r > 0 && run->isolation == SBX_ISOLATION_LANDLOCK)
		r = make_tmpdir(run, ret);
	if (r > 0)
		r = prepare_env(c, run);
	if (r > 0)
		r = resolve_ids(c, run, ret);
	if (r > 0 && run->isolation == SBX_ISOLATION_NAMESPACES)
		r = prepare_namespaces(c, policy, run, ret);
	else if (r > 0 && run->isolation == SBX_ISOLATION_LANDLOCK)
		r = prepare_landlock_only(c, policy, run, ret);
	else if (r > 0)
		prepare_signal_scope(c, run);
	if (r > 0)
		r = prepare_program(c, run, ret);
	/* Output files are created (truncated) only once the program was found. */
	if (r > 0)
		r = open_stdio(c, run, ret);
	if (r <= 0)
		return r;
	memcpy(run->spec.stdio, run->stdio, sizeof(run->stdio));
	plan_rlimits(&run->limits, &run->spec);
	r = prepare_caps(&run->spec);
	if (r < 0)
		return r;
	/* With namespaces the policy's paths are resolved in the new root, once it exists. */
	r = run->isolation == SBX_ISOLATION_NAMESPACES ? 1 : prepare_paths(c, policy, run, -1, ret);
	if (r > 0)
		r = prepare_observing(c, run, ret);
	if (r > 0)
		r = prepare_learning(c, policy, run, ret);
	if (r <= 0)
		return r;
	run->spec.filter_flags = policy->filter_flags;
	r = choose_decisions(c, run, ret);
	if (r <= 0)
		return r;
	/* With namespaces, while the init builds the root (start_init()). */
	return run->isolation == SBX_ISOLATION_NAMESPACES ? 1 : prepare_cgroup(c, run, ret);
}

/*
 * The filter with the listener's returns (notify.h): what needs ptrace
 * stays TRACE: memfd_create's flags may be rewritten (tracer.c,
 * apply_fileless()), --trace's calls need their exit stops. Without
 * SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (choose_decisions()) so do the
 * calls of count-limited rules, in every ABI: a caller interrupted by a
 * signal after the notifier received its call restarts it, notified and
 * judged again, which would use up two of the rule's count for one call (a
 * ptrace stop is judged once). A program too long for the kernel that way
 * keeps ptrace alone. Returns 0 or -errno.
 */
static int notified_filter(const struct policy *policy, struct run *run)
{
	int nrs[TRACESET_MAX_NR + 1];
	bool kept[TRACESET_MAX_NR + 1] = {false}, counted = false;
	struct filter out;
	size_t n = 0;
	int r;

	if (run->isolation != SBX_ISOLATION_NONE)
		kept[__NR_memfd_create] = true;
	for (int nr = 0; run->trace && nr < TRACESET_MAX_NR; nr++)
		if (traceset_has(run->trace, nr))
			kept[nr] = true;
	for (size_t i = 0; !(run->spec.filter_flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) &&
			   i < policy_rule_count(policy);
	     i++) {
		const struct policy_rule *rule = policy_rule(policy, i);

		if (!rule->count)
			continue;
		counted = true;
		for (size_t j = 0; j < rule->n_syscalls; j++)
			if (rule->syscalls[j] >= 0 && rule->syscalls[j] < TRACESET_MAX_NR)
				kept[rule->syscalls[j]] = true;
	}
	for (int nr = 0; nr < TRACESET_MAX_NR; nr++)
		if (kept[nr])
			nrs[n++] = nr;
	r = notify_filter(&run->filter, ARCH_NATIVE, nrs, n, run->trace != NULL || counted, &out);
	if (r == -E2BIG) {
		run->notify = false; /* the child still hands a listener over: unused */
		return 0;
	}
	if (r < 0)
		return r;
	filter_release(&run->filter);
	run->filter = out;
	return 0;
}

/*
 * The program's seccomp filter (with namespaces, compiled while the init
 * builds the new root: the init gets it with NSINIT_START). Returns 1, or
 * 0 when |ret| holds the error.
 */
static int prepare_filter(const struct policy *policy, struct run *run, struct sbx_result *ret)
{
	struct filter_force force[SUPERVISOR_MAX_FORCE];
	size_t n_force = forced_calls(policy, run, force, ARRAY_SIZE(force));
	int r = filter_build_cached(policy, force, n_force, &run->filter);

	if (r >= 0 && run->notify)
		r = notified_filter(policy, run);
	if (r < 0 && policy->oci && policy->oci->refused)
		return set_error(
			ret, SBX_EXIT_ERROR,
			"cannot build the seccomp filter: libseccomp refuses the rule for %s "
			"(syscalls[%u]): %s; runc refuses this profile too (sandbox --check "
			"says more)",
			policy->oci->refused, policy->oci->refused_entry, strerror(-r));
	if (r == -E2BIG && policy->oci)
		return set_error(
			ret, SBX_EXIT_ERROR,
			"cannot build the seccomp filter: the profile compiles to more than "
			"the kernel's 4096 instructions, and runc could not load it either "
			"(sandbox --check says more)");
	if (r == -E2BIG)
		return set_error(ret, SBX_EXIT_ERROR,
				 "cannot build the seccomp filter: it would be longer than the "
				 "kernel's 4096 instructions; --trace fewer calls");
	if (r < 0)
		return set_error(ret, SBX_EXIT_ERROR, "cannot build the seccomp filter: %s",
				 strerror(-r));
	run->spec.prog = (struct sock_fprog){.len = (unsigned short)run->filter.len,
					     .filter = run->filter.insns};
	return 1;
}

/* One message on the init's socket: |byte|, then |len| bytes of |data|, with |n| descriptors. */
static int send_to_init(int sock, char byte, const void *data, size_t len, const int *fds, size_t n)
{
	char control[CMSG_SPACE(sizeof(int) * ISOLATE_MAX_TREES)] = {0};
	struct iovec iov[2] = {{&byte, 1}, {(void *)data, len}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
	struct cmsghdr *cm;
	ssize_t sent;

	if (n) {
		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	}
	sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
	if (sent < 0)
		return -errno;
	return (size_t)sent == len + 1 ? 0 : -EMSGSIZE;
}

/*
 * Which signals this process catches (an embedding program may) and which
 * it ignores (a shell's background job ignores SIGINT and SIGQUIT; some
 * runners ignore SIGPIPE): bit N-1 for signal N. The program gets neither.
 */
static void signal_state(uint64_t *ret_caught, uint64_t *ret_ignored)
{
	struct sigaction sa;

	*ret_caught = *ret_ignored = 0;
	for (int sig = 1; sig <= 64 && sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &sa) < 0)
			continue;
		if (sa.sa_handler == SIG_IGN)
			*ret_ignored |= 1ULL << (sig - 1);
		else if (sa.sa_handler != SIG_DFL)
			*ret_caught |= 1ULL << (sig - 1);
	}
}

/*
 * START: its byte, a byte of flags (NSINIT_START_RULESET when the policy's
 * ruleset is attached), then the filter's instructions.
 */
static int send_start(int sock, const struct filter *f, int ruleset, bool handlers,
		      uint64_t ignored)
{
	size_t head = 1 + sizeof(ignored), len = head + f->len * sizeof(f->insns[0]);
	char *msg = malloc(len);
	int r;

	if (!msg)
		return -ENOMEM;
	msg[0] = (char)((ruleset >= 0 ? NSINIT_START_RULESET : 0) |
			(handlers ? NSINIT_START_SIGNALS : 0));
	memcpy(msg + 1, &ignored, sizeof(ignored));
	memcpy(msg + head, f->insns, len - head);
	r = send_to_init(sock, NSINIT_START, msg, len, &ruleset, ruleset >= 0 ? 1 : 0);
	free(msg);
	return r;
}

/*
 * One message from the init: its byte, and up to |max| descriptors (the
 * rest closed). Returns the byte, or -1 when the init is gone.
 */
static int receive_from_init(int sock, int *fds, size_t max, size_t *ret_n)
{
	char byte;
	char control[CMSG_SPACE(sizeof(int) * ISOLATE_MAX_GRANTS)];
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	ssize_t n;

	*ret_n = 0;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*ret_n < max)
				fds[(*ret_n)++] = fd;
			else
				close(fd);
		}
	}
	return (unsigned char)byte;
}

/*
 * Wait for the init's message. A signal someone sends the init meanwhile
 * stops it in a signal-delivery stop that only we can end: such stops are
 * ended here, the signal delivered (exits are left for the tracer to see).
 * Returns 1 when the message (or the init's end of the socket) is there,
 * 0 when the init cannot get there, -errno.
 */
static int wait_for_init(int sock, pid_t init)
{
	struct pollfd pfd = {.fd = sock, .events = POLLIN};

	for (;;) {
		siginfo_t si = {0};
		int r = poll(&pfd, 1, 50);

		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (waitid(P_PID, (id_t)init, &si, WSTOPPED | WNOHANG | __WALL) < 0)
			return 0;
		if (si.si_pid != init)
			continue;
		/* A plain signal is passed on; an event stop (SIGTRAP | event << 8) is not. */
		if (ptrace(PTRACE_CONT, init, 0L, (long)(si.si_status >> 8 ? 0 : si.si_status)) < 0)
			return 0;
	}
}

/*
 * The init's new root is in place: keep the private tmpfs mounts it sends
 * (measured for --memory), resolve the policy's paths in that root
 * (/proc/INIT/root) and send START: the filter and the policy's ruleset.
 * The init waits for it, so no ptrace stop of the init can come while we
 * wait here; if it dies instead, the tracer learns why from the error
 * pipe. Returns 1, 0 when |ret| holds an error, or -errno.
 */
static int root_ready(const struct sbx_config *c, const struct policy *policy, struct run *run,
		      pid_t init, struct sbx_result *ret)
{
	_cleanup_close_ int root = -1;
	char path[64];
	size_t n = 0;
	int r;

	r = wait_for_init(run->sync_fd, init);
	if (r < 0)
		return r; /* the init is stopped by the caller */
	if (r == 0 || receive_from_init(run->sync_fd, run->tmpfs_fds, ARRAY_SIZE(run->tmpfs_fds),
					&n) != NSINIT_READY)
		return 1; /* gone: its exit and the error pipe say why */
	run->n_tmpfs = n;
	if (policy->fs.present || policy->net.has_bind || policy->net.has_connect) {
		snprintf(path, sizeof(path), "/proc/%d/root", (int)init);
		root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return -errno;
		r = prepare_paths(c, policy, run, root, ret);
		if (r <= 0)
			return r;
	}
	if (run->filter.len == 0 || run->filter.len > BPF_MAXINSNS)
		return set_error(ret, SBX_EXIT_ERROR,
				 "the seccomp filter has %zu instructions (the kernel takes %d)",
				 run->filter.len, BPF_MAXINSNS);
	r = send_start(run->sync_fd, &run->filter, run->landlock_fd, run->caught_signals != 0,
		       run->spec.ignored_signals);
	return r == 0 || r == -EPIPE || r == -ECONNRESET ? 1 : r;
}

/* An init that will not start the program: killed and reaped. */
static void stop_init(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, __WALL);
}

/*
 * Start the init in its new namespaces: clone(), its id maps, the
 * idmapped trees, seized before it may do anything, then go: it builds
 * the new root while we compile the filter (start_init()). Returns 1 with
 * the init's pid, 0 when |ret| holds an error (namespaces refused), or
 * -errno.
 */
static int spawn_init(struct run *run, pid_t *ret_pid, struct sbx_result *ret)
{
	_cleanup_strbuf_ struct strbuf why = {0};
	struct init_spec init = {
		.plan = &run->plan,
		.program = &run->spec,
	};
	int sv[2], err_pipe[2], trees[ISOLATE_MAX_TREES];
	int r, n_trees = 0;
	pid_t pid;

	/*
	 * Its own empty capability set: libcap locks a cap_t while it applies
	 * it, and the program, started in the init's memory (nsinit.c), takes
	 * the lock of the spec's; killed at that moment it would leave the
	 * init's copy locked.
	 */
	run->init_caps = cap_init();
	if (!run->init_caps)
		return -ENOMEM;
	init.caps_none = run->init_caps;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* START carries the filter in one message (up to 32 KiB). */
	(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &(int){256 << 10}, sizeof(int));
	/*
	 * Non-blocking: the tracer reads it once the child or the init is gone,
	 * which wrote its message before dying if it had one; a task killed
	 * before it could write must not leave the read waiting on a writer
	 * that is stopped for the tracer itself (the init in a ptrace stop).
	 */
	if (pipe2(err_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	init.sync_fd = sv[1];
	init.err_fd = run->spec.err_fd = err_pipe[1];
	pid = (pid_t)syscall(SYS_clone, run->plan.clone_flags | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0) {
		close(sv[0]);
		close(err_pipe[0]);
		nsinit_run(&init);
	}
	r = pid < 0 ? -errno : 0;
	close(sv[1]);
	close(err_pipe[1]);
	run->sync_fd = sv[0];
	run->err_fd = err_pipe[0];
	if (r < 0) {
		isolate_explain_failure(run->plan.clone_flags, -r, &why);
		free(ret->isolation.workdir);
		ret->isolation = (struct sbx_isolation_info){0}; /* nothing held */
		return set_error(ret, SBX_EXIT_ERROR, "%s", strbuf_str(&why));
	}
	await_dumpable(pid);
	r = isolate_write_maps(&run->plan, pid, &why);
	if (r == 0) {
		n_trees = isolate_make_trees(&run->plan, pid, trees, &why);
		r = n_trees < 0 ? n_trees : 0;
	}
	/*
	 * No exit stop for the init: it would stop there, holding its end of
	 * the socket open, while we wait for its message (its child, the
	 * program, gets the option back at its first stop).
	 */
	if (r == 0)
		r = seize(pid, TRACER_PTRACE_OPTIONS & ~PTRACE_O_TRACEEXIT);
	/* As spawn() explains: nothing of ours may be opened through /proc from now on. */
	if (r == 0 && prctl(PR_SET_DUMPABLE, 0) < 0)
		r = -errno;
	if (r == 0)
		r = send_to_init(run->sync_fd, NSINIT_GO, NULL, 0, trees,
				 (size_t)(n_trees > 0 ? n_trees : 0));
	for (int i = 0; i < n_trees; i++)
		close(trees[i]);
	if (r < 0) {
		stop_init(pid);
		if (why.len)
			return set_error(ret, SBX_EXIT_ERROR, "%s", strbuf_str(&why));
		return r;
	}
	*ret_pid = pid;
	return 1;
}

/*
 * While the init builds the root: the cgroup (the init joins it before it
 * starts the program) and the filter; then START once the root is ready.
 * Returns 1, 0 when |ret| holds an error, or -errno; on failure the init
 * is gone.
 */
static int start_init(const struct sbx_config *c, const struct policy *policy, struct run *run,
		      pid_t pid, struct sbx_result *ret)
{
	int r = prepare_cgroup(c, run, ret);

	signal_state(&run->caught_signals, &run->spec.ignored_signals);
	if (r > 0 && run->have_cgroup) {
		r = cgroup_attach(&run->cgroup, pid);
		r = r < 0 ? r : 1;
	}
	if (r > 0)
		r = prepare_filter(policy, run, ret);

	if (r > 0)
		r = root_ready(c, policy, run, pid, ret);
	if (r <= 0)
		stop_init(pid);
	return r;
}

/* What held, for the report. */
static void record_isolation(const struct run *run, struct sbx_result *ret)
{
	struct sbx_isolation_info *info = &ret->isolation;

	free(info->workdir);
	*info = (struct sbx_isolation_info){.mode = run->isolation};
	info->uid = info->host_uid = geteuid();
	info->gid = info->host_gid = getegid();
	if (run->spec.set_ids) {
		info->uid = info->host_uid = run->spec.uid;
		info->gid = info->host_gid = run->spec.gid;
	}
	if (run->isolation == SBX_ISOLATION_NAMESPACES) {
		info->namespaces = run->plan.namespaces;
		info->uid = run->plan.uid;
		info->gid = run->plan.gid;
		info->host_uid = run->plan.host_uid;
		info->host_gid = run->plan.host_gid;
		info->landlock_abi = run->plan.ll_handled ? run->plan.landlock_abi : 0;
		info->workdir = xstrdup(run->plan.workdir);
		info->workdir_writable = run->plan.workdir && run->plan.workdir_rw;
	} else if (run->isolation == SBX_ISOLATION_LANDLOCK) {
		info->landlock_abi = landlock_abi();
		info->workdir = xstrdup(run->cwd);
		info->workdir_writable =
			path_in_list(run->fallback.fs.write, run->fallback.fs.n_write, run->cwd);
	} else {
		info->workdir = xstrdup(run->cwd);
		info->workdir_writable = access(run->cwd, W_OK) == 0;
	}
}

int supervisor_run(const struct sbx_config *c, const struct policy *policy, struct sbx_result *ret)
{
	struct run run = RUN_INIT;
	struct tracer_config tc = {
		.policy = policy,
		.verbosity = c->verbosity,
		.log_fd = c->log_fd,
		.log_limit = c->log_limit ? c->log_limit : SBX_LOG_LIMIT_DEFAULT,
	};
	_cleanup_close_ int pidfd = -1;
	_cleanup_close_ int log_fd = -1;
	_cleanup_close_ int trace_fd = -1;
	struct tracer_signals signals = {.pidfd = -1};
	int r;

	r = prepare(c, policy, &run, ret);
	if (r > 0 && run.isolation != SBX_ISOLATION_NAMESPACES) {
		uint64_t caught;

		signal_state(&caught, &run.spec.ignored_signals);
		r = prepare_filter(policy, &run, ret);
	}
	if (r <= 0) {
		run_free(&run);
		return r;
	}
	record_isolation(&run, ret);
	log_fd = private_log_fd(c->log_fd);
	tc.log_fd = log_fd;
	tc.log_broken = run.log_broken;
	tc.limits = run.limits;
	tc.output_fds[0] = run.stdio[1];
	tc.output_fds[1] = run.stdio[2];
	tc.trace = run.trace;
	tc.learn = run.learn;
	tc.event_fd = run.event_fd;
	tc.summary = c->summary;
	tc.no_trace_lines = !c->trace;
	trace_fd = c->trace_output ? private_log_fd(c->trace_fd) : -1;
	tc.trace_output = trace_fd >= 0;
	tc.trace_fd = trace_fd;
	tc.program = run.path;
	tc.workdir = c->chdir ? c->chdir : run.cwd;
	tc.pid_namespace = run.isolation == SBX_ISOLATION_NAMESPACES;
	tc.own_netns = own_netns(&run);
	tc.no_fileless = run.isolation != SBX_ISOLATION_NONE;
	tc.no_setid = host_writable(&run);
	tc.notify = run.notify;
	/*
	 * Orphans reparented to us (without a PID namespace), so they cannot
	 * escape the kill; SIGCHLD not ignored; dumpable put back at the end
	 * (spawn() clears it). Process-wide, counted over concurrent runs.
	 */
	sigstate_reaper_enter();
	getrusage(RUSAGE_CHILDREN, &tc.children_start);
	tc.start = run.start; /* opening the program's streams counts (open_stdio()) */
	if (run.isolation == SBX_ISOLATION_NAMESPACES) {
		r = spawn_init(&run, &tc.initial, ret);
		if (r > 0)
			r = start_init(c, policy, &run, tc.initial, ret);
		tc.init = tc.initial;
		tc.plan = &run.plan;

	} else {
		r = spawn(&run, &tc.initial);
		r = r < 0 ? set_error(ret, SBX_EXIT_ERROR, "cannot start the program: %s",
				      strerror(-r))
			  : 1;
	}
	if (r <= 0) {
		/* The program never ran: nothing held (the report says null). */
		free(ret->isolation.workdir);
		ret->isolation = (struct sbx_isolation_info){0};
		run_free(&run);
		sigstate_reaper_leave();
		return r;
	}
	/* With namespaces, known only once the init was started (start_init()). */
	tc.cgroup = run.have_cgroup ? &run.cgroup : NULL;
	tc.paths = run.paths;
	tc.err_fd = run.err_fd;
	tc.tmpfs_fds = run.tmpfs_fds;
	tc.n_tmpfs = run.n_tmpfs;
	pidfd = (int)syscall(SYS_pidfd_open, tc.initial, 0);
	tc.signals = &signals;
	/* With namespaces the initial process is the init: the program's group comes later. */
	tracer_arm_signals(&signals, pidfd,
			   run.isolation == SBX_ISOLATION_NAMESPACES ? 0 : tc.initial);
	r = tracer_run(&tc, ret);
	tracer_arm_signals(&signals, -1, 0);
	/* A learning run that was stopped (an i386 call, a built-in check) writes nothing. */
	if (r == 0 && run.learn && ret->status != SBX_STATUS_VIOLATION) {
		int w = learn_write(run.learn, c->learn_path);

		if (w < 0)
			set_error(ret, SBX_EXIT_ERROR, "cannot write the learned policy %s: %s",
				  c->learn_path, strerror(-w));
	}
	run_free(&run);
	sigstate_reaper_leave();
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
		.log_limit = c->log_limit ? c->log_limit : SBX_LOG_LIMIT_DEFAULT,
		.detach_after_ms = c->detach_after_ms,
	};
	_cleanup_close_ int log_fd = -1;
	_cleanup_close_ int trace_fd = -1;
	int r;

	if (c->learn_path)
		return set_error(ret, SBX_EXIT_ERROR, "--learn cannot be used with --attach");
	r = prepare_observing(c, &run, ret);
	if (r > 0) {
		log_fd = private_log_fd(c->log_fd);
		ac.log_fd = log_fd;
		ac.trace = run.trace;
		ac.event_fd = run.event_fd;
		ac.summary = c->summary;
		ac.no_trace_lines = !c->trace;
		trace_fd = c->trace_output ? private_log_fd(c->trace_fd) : -1;
		ac.trace_output = trace_fd >= 0;
		ac.trace_fd = trace_fd;
		r = attach_run(&ac, ret);
	}
	run_free(&run);
	return r < 0 ? r : 0;
}
