/* SPDX-License-Identifier: MIT */
/*
 * main.c - sandbox(1): argv -> library calls. The only place that prints
 * usage or calls exit().
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

#ifndef SBX_VERSION
#define SBX_VERSION "unknown"
#endif

extern char **environ;

enum mode {
	MODE_RUN,
	MODE_PRINT_DEFAULT,
	MODE_CHECK,	  /* --check FILE */
	MODE_LIST_GROUPS, /* --list-groups [NAME] */
	MODE_DUMP_FILTER, /* --dump-filter[=pfc|bpf] */
};

struct options {
	const char *policy_path;
	const char *oci_caps; /* --oci-caps */
	const char *report_path;
	const char *log_path; /* --log */
	enum mode mode;
	const char *mode_arg; /* --check's file, --list-groups' name */
	bool dump_bpf;
	const char **env_sets; /* --env arguments, in order */
	size_t n_env_sets;
	struct sbx_mount *mounts; /* --bind, --ro-bind, --tmpfs, in order */
	size_t n_mounts;
	const char **masked; /* --mask */
	size_t n_masked;
	struct sbx_config config;
	char **argv;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: sandbox [OPTIONS] [--] PROGRAM [ARGS...]\n"
		"Run PROGRAM under a seccomp filter compiled from a JSON policy, supervised by\n"
		"a ptrace tracer that logs, denies or kills the calls the policy marks.\n"
		"\n"
		"Policy and output:\n"
		"  -p, --policy FILE      policy to enforce (default: the embedded default "
		"policy)\n"
		"      --oci-caps LIST    read an OCI/Docker profile's includes/excludes caps\n"
		"                         as for these capabilities: docker (Docker's default\n"
		"                         set), none (the default) or CAP_X,CAP_Y\n"
		"  -r, --report FILE      write a JSON report of the run to FILE (atomically)\n"
		"  -q, --quiet            print nothing about reported calls or limits\n"
		"  -v, --verbose          also print lifecycle lines (spawn, exec, exit)\n"
		"      --trace[=NAMES]    trace calls like strace -f: every call, or the listed\n"
		"                         names and @groups (comma-separated), each with its\n"
		"                         arguments, result and the policy's decision\n"
		"      --log FILE         write every event (calls, spawn, exec, exit, limits)\n"
		"                         to FILE as JSON lines; --trace lines go there\n"
		"                         instead of stderr (docs/observability.md)\n"
		"      --log-limit SIZE|none  bytes of lines on stderr per run (default 1M);\n"
		"                         past it, and past 10 of one line of a reported call\n"
		"                         (100 of one kind), lines are counted in the report\n"
		"      --learn OUT.json   run PROGRAM with every call allowed, recording them,\n"
		"                         and write a minimal policy (default kill) to OUT.json;\n"
		"                         an existing OUT.json is merged into it\n"
		"      --attach PID       enforce the policy on a running process (no PROGRAM):\n"
		"                         every call stops at entry and exit; SIGINT detaches\n"
		"                         and leaves it running\n"
		"      --detach-after TIME  with --attach: detach after TIME\n"
		"\n"
		"Policies (FILE may be a shipped policy's name: default, judge, judge-python):\n"
		"      --check FILE       check a policy: every problem with file:line:column;\n"
		"                         exit 0 when it has no error (warnings allowed)\n"
		"      --dump-filter[=pfc|bpf]\n"
		"                         print the compiled filter of --policy (or the default)\n"
		"                         as libseccomp PFC text, or raw BPF (to a file), and "
		"exit\n"
		"      --list-groups [NAME]  list the syscall groups, or one group's members\n"
		"      --print-default-policy  print the embedded default policy and exit\n"
		"\n"
		"Limits (override the policy's \"limits\"; times: 2, 0.5, 1.5s, 250ms;\n"
		"sizes: 65536, 10K, 64M, 1G):\n"
		"      --cpu-time TIME    user+system CPU time of the whole process tree\n"
		"      --wall-time TIME   wall-clock time, even while the program sleeps or is "
		"stopped\n"
		"      --memory SIZE      peak resident memory of the tree\n"
		"      --memory-rlimit data|as|none\n"
		"                         rlimit set at --memory plus max(--memory, 1G) (default\n"
		"                         data; as breaks Go and Java runtimes)\n"
		"      --stack SIZE       RLIMIT_STACK\n"
		"      --processes N      processes and threads alive at once; forks past it fail\n"
		"                         with EAGAIN\n"
		"      --output SIZE      largest file the program may write (RLIMIT_FSIZE)\n"
		"      --open-files N     RLIMIT_NOFILE\n"
		"      --cgroup-parent DIR  create the sandbox's cgroup v2 under DIR (delegated,\n"
		"                         memory controller enabled); default: our own cgroup\n"
		"      --no-cgroup        never use a cgroup; rlimits and rusage only\n"
		"      --no-landlock      act as if the kernel had no Landlock (policies with\n"
		"                         filesystem or port rules are then refused)\n"
		"\n"
		"Isolation (docs/isolation.md; default: namespaces, as the policy says):\n"
		"      --isolation MODE   namespaces (own PID, mount, IPC, UTS, cgroup and, with\n"
		"                         network \"off\", network namespaces; a private root),\n"
		"                         landlock (Landlock alone confines reads and writes), or\n"
		"                         none\n"
		"      --no-isolation     the same as --isolation none\n"
		"      --workdir rw|ro|none  the working directory: writable (default), "
		"read-only,\n"
		"                         or not visible\n"
		"      --bind SRC DST     also show host path SRC at DST, writable\n"
		"      --ro-bind SRC DST  the same, read-only\n"
		"      --tmpfs DST        an empty private tmpfs at DST (64 MiB)\n"
		"      --mask PATH        hide PATH behind an empty file or directory\n"
		"      --tmp-size SIZE    size of the private /tmp (default 256M)\n"
		"      --share-net        keep the host's network (the policy's \"network\" rules\n"
		"                         still apply)\n"
		"\n"
		"The program's surroundings:\n"
		"      --stdin FILE       read standard input from FILE\n"
		"      --stdout FILE      write standard output to FILE (truncated)\n"
		"      --stderr FILE      write standard error to FILE (may equal --stdout)\n"
		"      --chdir DIR        start in DIR (entered as the program's user)\n"
		"      --env K=V          set K in the environment (repeatable); --env K copies K\n"
		"                         (by default only PATH, LANG, LANGUAGE, LC_*, TERM and "
		"TZ\n"
		"                         pass, and HOME is inside the sandbox)\n"
		"      --keep-env         pass the whole environment\n"
		"      --clear-env        start from an empty environment\n"
		"      --user USER|UID    run as this user (the sandbox must run as root)\n"
		"      --group GROUP|GID  run with this group (default: the user's)\n"
		"\n"
		"  -h, --help             show this help and exit\n"
		"  -V, --version          show the version and exit\n"
		"\n"
		"Exit status: the program's own; 128+N if it died of signal N; %d if the\n"
		"sandbox killed it for a policy violation; %d cpu time, %d wall time, %d memory,\n"
		"%d output and %d process limits; %d if it could not be executed; %d if it\n"
		"was not found; %d for the sandbox's own errors (usage, bad policy, set-up).\n"
		"See sandbox(1) and sandbox-policy(5).\n",
		SBX_EXIT_VIOLATION, SBX_EXIT_CPU_TIME, SBX_EXIT_WALL_TIME, SBX_EXIT_MEMORY,
		SBX_EXIT_OUTPUT, SBX_EXIT_PROCESSES, SBX_EXIT_NOT_EXECUTABLE, SBX_EXIT_NOT_FOUND,
		SBX_EXIT_ERROR);
}

/* "sandbox: MESSAGE" on stderr. */
static void vsay(const char *fmt, va_list ap)
{
	fprintf(stderr, "sandbox: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
}

static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A bad command line: one line that says what, one hint (the usage is 90 lines). */
static _Noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	fputs("Try 'sandbox --help' for the options.\n", stderr);
	exit(SBX_EXIT_ERROR);
}

static _Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(SBX_EXIT_ERROR);
}

enum {
	OPT_PRINT_DEFAULT = 256,
	OPT_OCI_CAPS,
	OPT_CHECK,
	OPT_DUMP_FILTER,
	OPT_LIST_GROUPS,
	OPT_CPU_TIME,
	OPT_WALL_TIME,
	OPT_MEMORY,
	OPT_MEMORY_RLIMIT,
	OPT_STACK,
	OPT_PROCESSES,
	OPT_OUTPUT,
	OPT_OPEN_FILES,
	OPT_CGROUP_PARENT,
	OPT_NO_CGROUP,
	OPT_NO_LANDLOCK,
	OPT_STDIN,
	OPT_STDOUT,
	OPT_STDERR,
	OPT_CHDIR,
	OPT_ENV,
	OPT_CLEAR_ENV,
	OPT_USER,
	OPT_GROUP,
	OPT_TRACE,
	OPT_LOG,
	OPT_LOG_LIMIT,
	OPT_LEARN,
	OPT_ATTACH,
	OPT_DETACH_AFTER,
	OPT_ISOLATION,
	OPT_NO_ISOLATION,
	OPT_WORKDIR,
	OPT_BIND,
	OPT_RO_BIND,
	OPT_TMPFS,
	OPT_MASK,
	OPT_TMP_SIZE,
	OPT_SHARE_NET,
	OPT_KEEP_ENV,
};

static const struct option longopts[] = {
	{"policy", required_argument, NULL, 'p'},
	{"report", required_argument, NULL, 'r'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"print-default-policy", no_argument, NULL, OPT_PRINT_DEFAULT},
	{"check", required_argument, NULL, OPT_CHECK},
	{"oci-caps", required_argument, NULL, OPT_OCI_CAPS},
	{"dump-filter", optional_argument, NULL, OPT_DUMP_FILTER},
	{"list-groups", no_argument, NULL, OPT_LIST_GROUPS},
	{"cpu-time", required_argument, NULL, OPT_CPU_TIME},
	{"wall-time", required_argument, NULL, OPT_WALL_TIME},
	{"memory", required_argument, NULL, OPT_MEMORY},
	{"memory-rlimit", required_argument, NULL, OPT_MEMORY_RLIMIT},
	{"stack", required_argument, NULL, OPT_STACK},
	{"processes", required_argument, NULL, OPT_PROCESSES},
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"open-files", required_argument, NULL, OPT_OPEN_FILES},
	{"cgroup-parent", required_argument, NULL, OPT_CGROUP_PARENT},
	{"no-cgroup", no_argument, NULL, OPT_NO_CGROUP},
	{"no-landlock", no_argument, NULL, OPT_NO_LANDLOCK},
	{"stdin", required_argument, NULL, OPT_STDIN},
	{"stdout", required_argument, NULL, OPT_STDOUT},
	{"stderr", required_argument, NULL, OPT_STDERR},
	{"chdir", required_argument, NULL, OPT_CHDIR},
	{"env", required_argument, NULL, OPT_ENV},
	{"clear-env", no_argument, NULL, OPT_CLEAR_ENV},
	{"user", required_argument, NULL, OPT_USER},
	{"group", required_argument, NULL, OPT_GROUP},
	{"trace", optional_argument, NULL, OPT_TRACE},
	{"log", required_argument, NULL, OPT_LOG},
	{"log-limit", required_argument, NULL, OPT_LOG_LIMIT},
	{"learn", required_argument, NULL, OPT_LEARN},
	{"attach", required_argument, NULL, OPT_ATTACH},
	{"detach-after", required_argument, NULL, OPT_DETACH_AFTER},
	{"isolation", required_argument, NULL, OPT_ISOLATION},
	{"no-isolation", no_argument, NULL, OPT_NO_ISOLATION},
	{"workdir", required_argument, NULL, OPT_WORKDIR},
	{"bind", required_argument, NULL, OPT_BIND},
	{"ro-bind", required_argument, NULL, OPT_RO_BIND},
	{"tmpfs", required_argument, NULL, OPT_TMPFS},
	{"mask", required_argument, NULL, OPT_MASK},
	{"tmp-size", required_argument, NULL, OPT_TMP_SIZE},
	{"share-net", no_argument, NULL, OPT_SHARE_NET},
	{"keep-env", no_argument, NULL, OPT_KEEP_ENV},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{0},
};

static const char *option_name(int c)
{
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

static uint64_t duration_arg(int c, const char *arg)
{
	uint64_t ms;

	if (sbx_parse_duration_ms(arg, &ms) < 0 || ms == 0)
		usage_error("--%s: \"%s\" is not a duration (e.g. 2, 0.5, 1.5s, 250ms)",
			    option_name(c), arg);
	return ms;
}

static uint64_t size_arg(int c, const char *arg)
{
	uint64_t bytes;

	if (sbx_parse_size(arg, &bytes) < 0 || bytes == 0)
		usage_error("--%s: \"%s\" is not a size (e.g. 65536, 10K, 64M, 1G)", option_name(c),
			    arg);
	return bytes;
}

static uint64_t count_arg(int c, const char *arg)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (errno || *end || end == arg || n == 0 || *arg == '-')
		usage_error("--%s: \"%s\" is not a positive integer", option_name(c), arg);
	return n;
}

static enum sbx_memory_rlimit memory_rlimit_arg(const char *arg)
{
	if (strcmp(arg, "data") == 0)
		return SBX_MEMORY_RLIMIT_DATA;
	if (strcmp(arg, "as") == 0)
		return SBX_MEMORY_RLIMIT_AS;
	if (strcmp(arg, "none") == 0)
		return SBX_MEMORY_RLIMIT_NONE;
	usage_error("--memory-rlimit: expected data, as or none, not \"%s\"", arg);
}

/* Append |item| (|size| bytes) to the array |*list| of |*n| items. */
static void append(void *list, size_t *n, const void *item, size_t size)
{
	char **l = list;
	char *grown = realloc(*l, (*n + 1) * size);

	if (!grown)
		fatal("out of memory");
	memcpy(grown + *n * size, item, size);
	*l = grown;
	(*n)++;
}

static enum sbx_isolation isolation_arg(const char *arg)
{
	if (strcmp(arg, "namespaces") == 0)
		return SBX_ISOLATION_NAMESPACES;
	if (strcmp(arg, "landlock") == 0)
		return SBX_ISOLATION_LANDLOCK;
	if (strcmp(arg, "none") == 0)
		return SBX_ISOLATION_NONE;
	usage_error("--isolation: expected namespaces, landlock or none, not \"%s\"", arg);
}

static enum sbx_workdir workdir_arg(const char *arg)
{
	if (strcmp(arg, "rw") == 0)
		return SBX_WORKDIR_RW;
	if (strcmp(arg, "ro") == 0)
		return SBX_WORKDIR_RO;
	if (strcmp(arg, "none") == 0)
		return SBX_WORKDIR_NONE;
	usage_error("--workdir: expected rw, ro or none, not \"%s\"", arg);
}

/* --bind SRC DST and --ro-bind SRC DST take two arguments, as bubblewrap's do. */
static void add_bind(struct options *o, int c, char *src, int argc, char **argv)
{
	struct sbx_mount m = {.type = c == OPT_BIND ? SBX_MOUNT_BIND : SBX_MOUNT_RO_BIND,
			      .source = src};

	if (optind >= argc || !argv[optind][0] || argv[optind][0] != '/')
		usage_error("--%s %s: expected a destination, an absolute path (--%s SRC DST)",
			    option_name(c), src, option_name(c));
	m.destination = argv[optind++];
	append(&o->mounts, &o->n_mounts, &m, sizeof(m));
}

/* Options that only store a value; false when |c| is not one of them. */
static bool store_option(struct options *o, int c, char *arg)
{
	struct sbx_config *cfg = &o->config;
	struct sbx_limits *l = &cfg->limits;

	switch (c) {
	case 'p':
		o->policy_path = arg;
		return true;
	case 'r':
		o->report_path = arg;
		return true;
	case 'q':
		cfg->verbosity = SBX_QUIET;
		return true;
	case 'v':
		cfg->verbosity = SBX_VERBOSE;
		return true;
	case OPT_PRINT_DEFAULT:
		o->mode = MODE_PRINT_DEFAULT;
		return true;
	case OPT_OCI_CAPS:
		o->oci_caps = arg;
		return true;
	case OPT_CHECK:
		o->mode = MODE_CHECK;
		o->mode_arg = arg;
		return true;
	case OPT_DUMP_FILTER:
		if (arg && strcmp(arg, "bpf") != 0 && strcmp(arg, "pfc") != 0)
			usage_error("--dump-filter: expected pfc or bpf, not \"%s\"", arg);
		o->mode = MODE_DUMP_FILTER;
		o->dump_bpf = arg && strcmp(arg, "bpf") == 0;
		return true;
	case OPT_LIST_GROUPS:
		o->mode = MODE_LIST_GROUPS;
		return true;
	case OPT_CPU_TIME:
		l->cpu_time_ms = duration_arg(c, arg);
		return true;
	case OPT_WALL_TIME:
		l->wall_time_ms = duration_arg(c, arg);
		return true;
	case OPT_MEMORY:
		l->memory_bytes = size_arg(c, arg);
		return true;
	case OPT_MEMORY_RLIMIT:
		l->memory_rlimit = memory_rlimit_arg(arg);
		return true;
	case OPT_STACK:
		l->stack_bytes = size_arg(c, arg);
		return true;
	case OPT_PROCESSES:
		l->processes = count_arg(c, arg);
		return true;
	case OPT_OUTPUT:
		l->output_bytes = size_arg(c, arg);
		return true;
	case OPT_OPEN_FILES:
		l->open_files = count_arg(c, arg);
		return true;
	case OPT_CGROUP_PARENT:
		cfg->cgroup_parent = arg;
		return true;
	case OPT_NO_CGROUP:
		cfg->no_cgroup = true;
		return true;
	case OPT_NO_LANDLOCK:
		cfg->no_landlock = true;
		return true;
	case OPT_STDIN:
		cfg->stdin_path = arg;
		return true;
	case OPT_STDOUT:
		cfg->stdout_path = arg;
		return true;
	case OPT_STDERR:
		cfg->stderr_path = arg;
		return true;
	case OPT_CHDIR:
		cfg->chdir = arg;
		return true;
	case OPT_ENV:
		if (!*arg || *arg == '=')
			usage_error("--env: expected K=V or K, not \"%s\"", arg);
		append(&o->env_sets, &o->n_env_sets, &arg, sizeof(arg));
		return true;
	case OPT_CLEAR_ENV:
		cfg->clear_env = true;
		return true;
	case OPT_KEEP_ENV:
		cfg->keep_env = true;
		return true;
	case OPT_ISOLATION:
		cfg->isolation = isolation_arg(arg);
		return true;
	case OPT_NO_ISOLATION:
		cfg->isolation = SBX_ISOLATION_NONE;
		return true;
	case OPT_WORKDIR:
		cfg->workdir = workdir_arg(arg);
		return true;
	case OPT_TMPFS:
		if (arg[0] != '/')
			usage_error("--tmpfs: expected an absolute path, not \"%s\"", arg);
		append(&o->mounts, &o->n_mounts,
		       &(struct sbx_mount){.type = SBX_MOUNT_TMPFS, .destination = arg},
		       sizeof(struct sbx_mount));
		return true;
	case OPT_MASK:
		if (arg[0] != '/')
			usage_error("--mask: expected an absolute path, not \"%s\"", arg);
		append(&o->masked, &o->n_masked, &arg, sizeof(arg));
		return true;
	case OPT_TMP_SIZE:
		cfg->tmp_size = size_arg(c, arg);
		return true;
	case OPT_SHARE_NET:
		cfg->share_net = true;
		return true;
	case OPT_USER:
		cfg->user = arg;
		return true;
	case OPT_GROUP:
		cfg->group = arg;
		return true;
	case OPT_TRACE:
		cfg->trace = arg ? arg : "all";
		return true;
	case OPT_LOG:
		o->log_path = arg;
		return true;
	case OPT_LOG_LIMIT:
		cfg->log_limit = strcmp(arg, "none") == 0 ? UINT64_MAX : size_arg(c, arg);
		return true;
	case OPT_LEARN:
		cfg->learn_path = arg;
		return true;
	case OPT_ATTACH:
		if (count_arg(c, arg) > INT32_MAX)
			usage_error("--attach: \"%s\" is not a process id", arg);
		cfg->attach_pid = (pid_t)count_arg(c, arg);
		return true;
	case OPT_DETACH_AFTER:
		cfg->detach_after_ms = duration_arg(c, arg);
		return true;
	}
	return false;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;

	*o = (struct options){.config = {.verbosity = SBX_NORMAL, .log_fd = STDERR_FILENO}};
	opterr = 0;
	/* "+": stop at the first non-option, so PROGRAM's own flags are left alone. */
	while ((c = getopt_long(argc, argv, "+p:r:qvhV", longopts, NULL)) != -1) {
		if (store_option(o, c, optarg))
			continue;
		switch (c) {
		case OPT_BIND:
		case OPT_RO_BIND:
			add_bind(o, c, optarg, argc, argv);
			continue;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("sandbox %s\n", SBX_VERSION);
			exit(0);
		case ':':
		default:
			if (optopt && optopt < 256 && strchr("pr", optopt))
				usage_error("option -%c needs an argument", optopt);
			if (optopt >= 256)
				usage_error("option --%s needs an argument", option_name(optopt));
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	o->argv = argv + optind;
	if (o->mode == MODE_LIST_GROUPS) {
		o->mode_arg = o->argv[0];
		if (o->argv[0] && o->argv[1])
			usage_error("%s", "--list-groups takes at most one group name");
	} else if (o->mode != MODE_RUN && o->argv[0]) {
		usage_error("unexpected argument \"%s\" (no program runs with this option)",
			    o->argv[0]);
	} else if (o->mode == MODE_RUN && o->config.attach_pid && o->argv[0]) {
		usage_error("unexpected program \"%s\" (--attach runs nothing)", o->argv[0]);
	} else if (o->mode == MODE_RUN && !o->config.attach_pid && !o->argv[0]) {
		usage_error("%s", "no program given");
	}
	if (o->config.detach_after_ms && !o->config.attach_pid)
		usage_error("%s", "--detach-after needs --attach");
	if (o->config.learn_path && o->policy_path)
		usage_error("%s", "--learn runs the program with every call allowed; it takes no "
				  "--policy (run the learned one with --policy afterwards)");
}

/* A path's error; a refused symbolic link says why. */
static const char *path_error(int r)
{
	return r == -ELOOP ? "a symbolic link on the way, which a sandboxed program may have "
			     "planted (give the real path)"
			   : strerror(-r);
}

/*
 * The report is prepared before the program runs: a path that cannot be
 * written fails now, and the program never sees the file being written.
 */
static struct sbx_report_file *open_report(const char *path)
{
	struct sbx_report_file *f = NULL;
	int r;

	if (!path)
		return NULL;
	r = sbx_report_open(path, &f);
	if (r < 0)
		fatal("cannot write the report %s: %s", path, path_error(r));
	return f;
}

/* The --log file: created (or truncated) before the program runs. */
static void open_log(struct options *o)
{
	int fd;

	if (!o->log_path)
		return;
	fd = sbx_open_path(o->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0)
		fatal("cannot open the log %s: %s", o->log_path, path_error(fd));
	o->config.event_log = true;
	o->config.event_fd = fd;
}

static struct sbx_policy *load_policy(const struct options *o)
{
	struct sbx_policy *policy = NULL;
	char *diag = NULL;
	int r;

	if (o->config.learn_path && o->mode == MODE_RUN) {
		static const char allow_all[] = "{\"default\": \"allow\"}";

		/* Everything is allowed while learning; only the built-in rules still hold. */
		r = sbx_policy_parse("learning", allow_all, sizeof(allow_all) - 1, &policy, &diag);
	} else if (o->policy_path) {
		r = sbx_policy_load_oci_caps(o->policy_path, o->oci_caps, &policy, &diag);
	} else {
		r = sbx_policy_load_default(&policy);
	}
	if (r == 0)
		return policy;
	if (diag)
		fputs(diag, stderr);
	fprintf(stderr, "sandbox: cannot use policy %s: %s\n",
		o->policy_path ? o->policy_path : "<default>",
		r == -EINVAL ? "invalid policy" : strerror(-r));
	free(diag);
	exit(SBX_EXIT_ERROR);
}

/* --check FILE: every problem, then a summary; 0 without errors. */
static int check_policy(const char *name)
{
	unsigned int errors = 0, warnings = 0;
	char *diag = NULL;
	int r = sbx_policy_check(name, &diag, &errors, &warnings);

	if (diag)
		fputs(diag, stdout);
	free(diag);
	if (r < 0 && r != -EINVAL && errors == 0)
		return SBX_EXIT_ERROR;
	printf("%s: %u error%s, %u warning%s\n", name, errors, errors == 1 ? "" : "s", warnings,
	       warnings == 1 ? "" : "s");
	return r < 0 ? SBX_EXIT_ERROR : 0;
}

static int list_groups(const char *name)
{
	char *text = sbx_describe_groups(name);

	if (!text) {
		fprintf(stderr, "sandbox: no group \"%s\" (--list-groups lists them)\n", name);
		return SBX_EXIT_ERROR;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}

static int dump_filter(const struct options *o, struct sbx_policy *policy)
{
	int r;

	if (o->dump_bpf && isatty(STDOUT_FILENO)) {
		fprintf(stderr,
			"sandbox: --dump-filter=bpf writes binary: redirect it to a file\n");
		return SBX_EXIT_ERROR;
	}
	fflush(stdout);
	r = sbx_dump_filter(policy, o->dump_bpf, STDOUT_FILENO);
	if (r < 0) {
		fprintf(stderr, "sandbox: cannot compile the filter: %s\n", strerror(-r));
		return SBX_EXIT_ERROR;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sbx_result result = {0};
	struct sbx_report_file *report;
	struct sbx_policy *policy;
	struct options o;
	int r, status;

	parse_args(argc, argv, &o);
	switch (o.mode) {
	case MODE_PRINT_DEFAULT:
		fputs(sbx_default_policy_text(), stdout);
		return 0;
	case MODE_CHECK:
		return check_policy(o.mode_arg);
	case MODE_LIST_GROUPS:
		return list_groups(o.mode_arg);
	case MODE_DUMP_FILTER:
		policy = load_policy(&o);
		r = dump_filter(&o, policy);
		sbx_policy_free(policy);
		return r;
	case MODE_RUN:
		break;
	}
	/* A reader of our stderr that went away must not cost the report (the program's reset). */
	signal(SIGPIPE, SIG_IGN);
	report = open_report(o.report_path);
	open_log(&o);
	policy = load_policy(&o);
	o.config.policy = policy;
	o.config.argv = o.argv;
	o.config.env_sets = o.env_sets;
	o.config.n_env_sets = o.n_env_sets;
	o.config.mounts = o.mounts;
	o.config.n_mounts = o.n_mounts;
	o.config.masked_paths = o.masked;
	o.config.n_masked_paths = o.n_masked;
	r = sbx_run(&o.config, &result);
	sbx_policy_free(policy);
	free(o.env_sets);
	free(o.mounts);
	free(o.masked);
	if (r < 0) {
		fprintf(stderr, "sandbox: supervisor failure: %s\n", strerror(-r));
		if (result.status != SBX_STATUS_VIOLATION) {
			free(result.error);
			result.status = SBX_STATUS_ERROR;
			result.error_exit = SBX_EXIT_ERROR;
			result.error = strdup(strerror(-r));
		}
	}
	if (result.status == SBX_STATUS_ERROR)
		fprintf(stderr, "sandbox: %s\n", result.error ? result.error : "failed");
	if (o.config.learn_path && result.status == SBX_STATUS_VIOLATION)
		fprintf(stderr, "sandbox: --learn: %s not written: the learning run was stopped\n",
			o.config.learn_path);
	status = sbx_result_exit_status(&result);
	if (report) {
		r = sbx_report_commit(report, &result);
		if (r < 0) {
			fprintf(stderr, "sandbox: cannot write report %s: %s\n", o.report_path,
				strerror(-r));
			status = SBX_EXIT_ERROR;
		}
	}
	sbx_result_clear(&result);
	return status;
}
