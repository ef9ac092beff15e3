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
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "sandbox.h"

/* The installed command's name (meson -Dprogram_name), for the lines that tell one to run it. */
#ifndef SBX_PROGRAM_NAME
#define SBX_PROGRAM_NAME "sandbox"
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
	const char *log_path;	/* --log */
	const char *trace_path; /* -o, --trace-output */
	enum mode mode;
	const char *mode_opt; /* the option that chose the mode (or --attach, --learn), or NULL */
	const char *mode_arg; /* --list-groups' name */
	const char **check_files; /* --check FILE [FILE...] */
	size_t n_check_files;
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
		"Usage: " SBX_PROGRAM_NAME " [OPTIONS] [--] PROGRAM [ARGS...]\n"
		"Run PROGRAM under a seccomp filter compiled from a JSON policy, supervised by\n"
		"a ptrace tracer that logs, denies or kills the calls the policy marks.\n"
		"\n"
		"Policy and output:\n"
		"  -p, --policy FILE      policy to enforce (default: the embedded default "
		"policy);\n"
		"                         - reads it from standard input\n"
		"      --oci-caps LIST    read an OCI/Docker profile's includes/excludes caps\n"
		"                         as for these capabilities: docker (Docker's default\n"
		"                         set), none (the default) or CAP_X,CAP_Y\n"
		"  -r, --report FILE      write a JSON report of the run to FILE (atomically)\n"
		"  -q, --quiet            print nothing about reported calls or limits\n"
		"  -v, --verbose          also print lifecycle lines (spawn, exec, exit)\n"
		"      --trace[=NAMES]    trace calls like strace -f: every call, or the listed\n"
		"                         names and @groups (comma-separated), each with its\n"
		"                         arguments, result and the policy's decision\n"
		"  -o, --trace-output FILE  write the --trace lines (and the -c table) to FILE\n"
		"                         instead of stderr; alone, traces every call\n"
		"  -c, --summary          at the end, a table like strace -c: per syscall that\n"
		"                         stopped, calls, errors, time and the policy's doings;\n"
		"                         without --trace every call stops (slower)\n"
		"      --log FILE         write every event (calls, spawn, exec, exit, limits)\n"
		"                         to FILE as JSON lines; --trace lines go there\n"
		"                         instead of stderr (docs/observability.md)\n"
		"      --log-limit SIZE|none  bytes of lines on stderr per run (default 1M);\n"
		"                         past it, and past 10 of one line of a reported call\n"
		"                         (100 of one kind), lines are counted in the report\n"
		"      --learn OUT.json   run PROGRAM with every call allowed, recording them,\n"
		"                         and write a policy (default kill) to OUT.json:\n"
		"                         harmless families whole, the rest as seen; an\n"
		"                         existing OUT.json is merged into it. With -p BASE:\n"
		"                         BASE holds but for calls it would kill, and\n"
		"                         OUT.json extends BASE with only what it lacks\n"
		"      --attach PID       enforce the policy on a running process (no PROGRAM):\n"
		"                         every call stops at entry and exit; SIGINT detaches\n"
		"                         and leaves it running\n"
		"      --detach-after TIME  with --attach: detach after TIME\n"
		"\n");
	/* The shipped names come from the embedded table, so a new one is listed. */
	fputs("Policies (FILE may be a shipped policy's name:\n ", out);
	for (size_t i = 0, col = 1; sbx_shipped_policy_name(i); i++) {
		const char *name = sbx_shipped_policy_name(i);

		if (col + strlen(name) + 2 > 78) {
			fputs(i ? ",\n " : "\n ", out);
			col = 1;
		} else if (i) {
			fputc(',', out);
			col++;
		}
		col += (size_t)fprintf(out, " %s", name);
	}
	fprintf(out,
		"):\n"
		"      --check FILE...    check policies: every problem with file:line:column;\n"
		"                         exit 0 when none has an error (warnings allowed)\n"
		"      --dump-filter[=pfc|bpf]\n"
		"                         print the compiled filter of --policy (or the default)\n"
		"                         as libseccomp PFC text, or raw BPF (to a file), and "
		"exit\n"
		"      --list-groups[=NAME]  list the syscall groups, or one group's members\n"
		"      --print-default-policy  print the embedded default policy and exit\n"
		"\n"
		"Limits (override the policy's \"limits\"; times: 2, 0.5, 1.5s, 250ms, 1m, 1h;\n"
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
		"      --decisions auto|ptrace|notify\n"
		"                         how calls reach the supervisor: a seccomp listener\n"
		"                         (notify; auto: when the kernel wakes it synchronously,\n"
		"                         Linux 6.6) or ptrace stops (default auto)\n"
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

/*
 * Where an error that ends the command is reported too: the -r path once
 * given, and the prepared report once open_report() made it. Command-line
 * state (main() runs once), never the library's.
 */
static struct {
	const char *path;
	struct sbx_report_file *file;
	const char *detail; /* lines that said more (a policy's problems), or NULL */
} error_report;

/* A report with status "error" and |msg| where -r asked for one; its own failure is not said. */
static void report_error(const char *msg)
{
	struct sbx_result res = {.status = SBX_STATUS_ERROR, .error_exit = SBX_EXIT_ERROR};
	const char *detail = error_report.detail ? error_report.detail : "";
	size_t n = strlen(detail);
	char *text = NULL;

	if (!error_report.path)
		return;
	if (n && detail[n - 1] == '\n')
		n--;
	if (asprintf(&text, "%s%s%.*s", msg, n ? "\n" : "", (int)n, detail) < 0)
		text = NULL;
	res.error = text ? text : (char *)msg;
	if (error_report.file)
		sbx_report_commit(error_report.file, &res);
	else
		sbx_result_write_json(&res, error_report.path);
	error_report.path = NULL;
	error_report.file = NULL;
	free(text);
}

static void vsay(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* "sandbox: MESSAGE" on stderr, and in the report of -r. */
static void vsay(const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "sandbox: %s\n", msg);
	report_error(msg);
}

static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A bad command line: one line that says what, one hint (the usage is 90 lines). */
static _Noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	fputs("Try '" SBX_PROGRAM_NAME " --help' for the options.\n", stderr);
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
	OPT_DECISIONS,
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
	{"list-groups", optional_argument, NULL, OPT_LIST_GROUPS},
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
	{"decisions", required_argument, NULL, OPT_DECISIONS},
	{"workdir", required_argument, NULL, OPT_WORKDIR},
	{"bind", required_argument, NULL, OPT_BIND},
	{"ro-bind", required_argument, NULL, OPT_RO_BIND},
	{"tmpfs", required_argument, NULL, OPT_TMPFS},
	{"mask", required_argument, NULL, OPT_MASK},
	{"tmp-size", required_argument, NULL, OPT_TMP_SIZE},
	{"share-net", no_argument, NULL, OPT_SHARE_NET},
	{"keep-env", no_argument, NULL, OPT_KEEP_ENV},
	{"trace-output", required_argument, NULL, 'o'},
	{"summary", no_argument, NULL, 'c'},
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
		usage_error("--%s: \"%s\" is not a duration (e.g. 2, 0.5, 1.5s, 250ms, 1m)",
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

/*
 * The modes exclude each other: --check, --list-groups, --dump-filter,
 * --print-default-policy, and the runs --attach and --learn (a plain run
 * is the mode chosen by no option). One line names the pair.
 */
static void set_mode(struct options *o, enum mode mode, const char *opt)
{
	if (o->mode_opt && strcmp(o->mode_opt, opt) != 0)
		usage_error("%s and %s cannot be used together", o->mode_opt, opt);
	o->mode = mode;
	o->mode_opt = opt;
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

static enum sbx_decisions decisions_arg(const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		return SBX_DECISIONS_AUTO;
	if (strcmp(arg, "ptrace") == 0)
		return SBX_DECISIONS_PTRACE;
	if (strcmp(arg, "notify") == 0)
		return SBX_DECISIONS_NOTIFY;
	usage_error("--decisions: expected auto, ptrace or notify, not \"%s\"", arg);
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
		error_report.path = arg; /* every error from here on is reported there too */
		return true;
	case 'q':
		cfg->verbosity = SBX_QUIET;
		return true;
	case 'v':
		cfg->verbosity = SBX_VERBOSE;
		return true;
	case OPT_PRINT_DEFAULT:
		set_mode(o, MODE_PRINT_DEFAULT, "--print-default-policy");
		return true;
	case OPT_OCI_CAPS:
		o->oci_caps = arg;
		return true;
	case OPT_CHECK:
		set_mode(o, MODE_CHECK, "--check");
		append(&o->check_files, &o->n_check_files, &arg, sizeof(arg));
		return true;
	case OPT_DUMP_FILTER:
		if (arg && strcmp(arg, "bpf") != 0 && strcmp(arg, "pfc") != 0)
			usage_error("--dump-filter: expected pfc or bpf, not \"%s\"", arg);
		set_mode(o, MODE_DUMP_FILTER, "--dump-filter");
		o->dump_bpf = arg && strcmp(arg, "bpf") == 0;
		return true;
	case OPT_LIST_GROUPS:
		set_mode(o, MODE_LIST_GROUPS, "--list-groups");
		o->mode_arg = arg;
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
	case OPT_DECISIONS:
		cfg->decisions = decisions_arg(arg);
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
	case 'o':
		o->trace_path = arg;
		return true;
	case 'c':
		cfg->summary = true;
		return true;
	case OPT_LOG_LIMIT:
		cfg->log_limit = strcmp(arg, "none") == 0 ? UINT64_MAX : size_arg(c, arg);
		return true;
	case OPT_LEARN:
		set_mode(o, MODE_RUN, "--learn");
		cfg->learn_path = arg;
		return true;
	case OPT_ATTACH:
		set_mode(o, MODE_RUN, "--attach");
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

/*
 * getopt's error about the element |arg|, in getopt's own terms: an unknown
 * option, an ambiguous abbreviation, an argument given to an option that
 * takes none, or a missing one (|c| is ':'). One line and the hint.
 */
static _Noreturn void bad_option(const char *arg, int c)
{
	const struct option *found = NULL;
	char others[512] = "";
	size_t len, n = 0;

	if (strncmp(arg, "--", 2) != 0) { /* short options, perhaps several in one element */
		if (c == ':' || (optopt && strchr("pro", optopt)))
			usage_error("option -%c needs an argument", optopt);
		usage_error("unknown option -%c", optopt);
	}
	arg += 2;
	len = strcspn(arg, "=");
	for (const struct option *o = longopts; o->name; o++) {
		if (strncmp(o->name, arg, len) != 0)
			continue;
		if (strlen(o->name) == len) { /* an exact name wins over abbreviations */
			found = o;
			n = 1;
			break;
		}
		found = o;
		n++;
		snprintf(others + strlen(others), sizeof(others) - strlen(others), "%s--%s",
			 n > 1 ? ", " : "", o->name);
	}
	if (n == 0)
		usage_error("unknown option --%.*s", (int)len, arg);
	if (n > 1)
		usage_error("option --%.*s is ambiguous: %s", (int)len, arg, others);
	if (arg[len] == '=' && found->has_arg == no_argument)
		usage_error("option --%s doesn't allow an argument", found->name);
	usage_error("option --%s needs an argument", found->name);
}

/* Whether PROGRAM would be found on $PATH as execvp() looks (a path is taken as it is). */
static bool on_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	for (const char *p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, p, n ? "/" : "", name);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/*
 * An option whose value is optional takes it only after "=": in "--trace
 * openat", openat is the program. When that word looks like the option's
 * value, say so: an error with the hint, or a note when such a program
 * exists (sandbox --trace kill ...).
 */
static void optional_value_hint(const char *opt, const char *word)
{
	bool looks = false;

	if (strcmp(opt, "trace") == 0)
		looks = !strchr(word, '/') && sbx_trace_check(word) == 0;
	else if (strcmp(opt, "dump-filter") == 0)
		looks = strcmp(word, "pfc") == 0 || strcmp(word, "bpf") == 0;
	/* --list-groups NAME is read as the name either way. */
	if (!looks)
		return;
	if (strcmp(opt, "trace") != 0 || !on_path(word))
		usage_error("\"%s\" is not a program: did you mean --%s=%s?", word, opt, word);
	fprintf(stderr, "sandbox: note: running the program %s (for --%s=%s, write the \"=\")\n",
		word, opt, word);
}

/* Options only a run uses, given with a mode that runs nothing. */
static void refuse_run_options(const struct options *o)
{
	const char *opt = o->report_path      ? "--report"
			  : o->log_path	      ? "--log"
			  : o->trace_path     ? "--trace-output"
			  : o->config.summary ? "--summary"
					      : NULL;

	if (o->mode == MODE_RUN)
		return;
	if (!opt && o->policy_path && o->mode != MODE_DUMP_FILTER)
		opt = "--policy";
	if (opt)
		usage_error("%s and %s cannot be used together", opt, o->mode_opt);
}

/* |path|'s directory, stat()ed, and its last component; false when there is none. */
static bool split_path(const char *path, struct stat *dir, const char **base)
{
	const char *slash = strrchr(path, '/');
	char d[4096];

	*base = slash ? slash + 1 : path;
	if (!slash)
		return stat(".", dir) == 0;
	if ((size_t)(slash - path) >= sizeof(d))
		return false;
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return stat(slash == path ? "/" : d, dir) == 0;
}

/*
 * Whether |a| and |b| name one file: the same text, the same name in one
 * directory (it need not exist yet), or one regular file by two names.
 */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	const char *ba, *bb;

	if (strcmp(a, b) == 0)
		return true;
	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	if (split_path(a, &sa, &ba) && split_path(b, &sb, &bb) && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino && strcmp(ba, bb) == 0)
		return true;
	return lstat(a, &sa) == 0 && lstat(b, &sb) == 0 && S_ISREG(sa.st_mode) &&
	       S_ISREG(sb.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * The report and --learn's policy are written whole at the end (a regular
 * file renamed into place): another output with the same file, or "-" for
 * both, would lose one of the two or mix them into a text nobody can parse.
 */
static void refuse_shared_outputs(const struct options *o)
{
	const struct {
		const char *opt, *path;
	} out[] = {
		{"--report", o->report_path},
		{"--learn", o->config.learn_path},
		{"--log", o->log_path},
		{"--trace-output", o->trace_path},
	};

	for (size_t i = 0; i < 2; i++)
		for (size_t j = i + 1; j < sizeof(out) / sizeof(out[0]); j++)
			if (out[i].path && out[j].path && same_file(out[i].path, out[j].path))
				usage_error("%s and %s both write %s: give each a file of its own",
					    out[i].opt, out[j].opt, out[i].path);
}

/* After the options: the program, or --check's files, or --list-groups' name. */
static void parse_operands(struct options *o, bool dashdash)
{
	if (o->mode == MODE_CHECK) {
		if (dashdash && o->argv[0])
			usage_error("--check runs no program (\"%s\" after --)", o->argv[0]);
		for (char **a = o->argv; *a; a++)
			append(&o->check_files, &o->n_check_files, a, sizeof(*a));
	} else if (o->mode == MODE_LIST_GROUPS) {
		if (o->argv[0] && (o->mode_arg || o->argv[1]))
			usage_error("%s", "--list-groups takes at most one group name");
		if (!o->mode_arg)
			o->mode_arg = o->argv[0];
	} else if (o->mode != MODE_RUN && o->argv[0]) {
		usage_error("unexpected argument \"%s\" (%s runs no program)", o->argv[0],
			    o->mode_opt);
	} else if (o->mode == MODE_RUN && o->config.attach_pid && o->argv[0]) {
		usage_error("unexpected program \"%s\" (--attach runs nothing)", o->argv[0]);
	} else if (o->mode == MODE_RUN && !o->config.attach_pid && !o->argv[0]) {
		usage_error("%s", "no program given");
	}
	refuse_run_options(o);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	const char *bare = NULL; /* the last option if it has an optional value and got none */
	int c, at, li;

	*o = (struct options){.config = {.verbosity = SBX_NORMAL, .log_fd = STDERR_FILENO}};
	opterr = 0;
	for (;;) {
		at = optind; /* the element getopt reads now */
		li = -1;
		/* "+": stop at the first non-option, so PROGRAM's own flags are left alone;
		 * ":": a missing argument is told from an unknown option. */
		c = getopt_long(argc, argv, "+:p:r:o:cqvhV", longopts, &li);
		if (c == -1)
			break;
		bare = li >= 0 && longopts[li].has_arg == optional_argument && !optarg
			       ? longopts[li].name
			       : NULL;
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
			printf("sandbox %s\n", SBX_VERSION_STRING);
			exit(0);
		default:
			bad_option(argv[at], c);
		}
	}
	o->argv = argv + optind;
	if (bare && optind == at && o->argv[0])
		optional_value_hint(bare, o->argv[0]);
	parse_operands(o, optind == at + 1 && strcmp(argv[at], "--") == 0);
	if (o->config.detach_after_ms && !o->config.attach_pid)
		usage_error("%s", "--detach-after needs --attach");
	refuse_shared_outputs(o);
	/* --learn -p BASE: the policy is a base; the one learned extends it. */
	if (o->config.learn_path)
		o->config.learn_base = o->policy_path;
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
	if (r < 0) {
		error_report.path = NULL; /* no report where none can be written */
		fatal("cannot write the report %s: %s", path, path_error(r));
	}
	error_report.file = f; /* errors before the run are reported in it */
	return f;
}

/* -o's or --log's FILE, truncated in place; "-" is standard output, as for the report. */
static int open_output(const char *path)
{
	int fd;

	if (strcmp(path, "-") != 0)
		return sbx_open_path(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	return fd < 0 ? -errno : fd;
}

/*
 * -o FILE: created (or truncated) before the program runs, like --log. As
 * strace -o, alone it traces every call; with -c it gets the table alone.
 */
static void open_trace_output(struct options *o)
{
	int fd;

	if (!o->trace_path)
		return;
	fd = open_output(o->trace_path);
	if (fd < 0)
		fatal("cannot open the trace output %s: %s", o->trace_path, path_error(fd));
	o->config.trace_output = true;
	o->config.trace_fd = fd;
	if (!o->config.trace && !o->config.summary)
		o->config.trace = "all";
}

/* The --log file: created (or truncated) before the program runs. */
static void open_log(struct options *o)
{
	int fd;

	if (!o->log_path)
		return;
	fd = open_output(o->log_path);
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

	if (o->config.learn_path && o->mode == MODE_RUN && !o->policy_path) {
		static const char allow_all[] = "{\"default\": \"allow\"}";

		/* Everything is allowed while learning; only the built-in rules still hold. */
		r = sbx_policy_parse("learning", allow_all, sizeof(allow_all) - 1, &policy, &diag);
	} else if (o->policy_path) {
		r = sbx_policy_load_oci_caps(o->policy_path, o->oci_caps, &policy, &diag);
	} else {
		r = sbx_policy_load_default(&policy);
	}
	/* A policy that loads may come with one warning: a shipped name shadows a file. */
	if (r == 0 && diag)
		fprintf(stderr, "sandbox: %s", diag);
	if (r == 0) {
		free(diag);
		return policy;
	}
	/* A file that cannot be read is one line; a bad policy, its problems and a summary. */
	if (diag && r != -EINVAL) {
		diag[strcspn(diag, "\n")] = '\0';
		fatal("%s", diag);
	}
	if (diag)
		fputs(diag, stderr);
	error_report.detail = diag;
	fatal("cannot use policy %s: %s", o->policy_path ? o->policy_path : "<default>",
	      r == -EINVAL ? "invalid policy" : strerror(-r));
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
	if (r < 0 && r != -EINVAL && errors == 0) {
		printf("%s: cannot be read\n", name);
		return SBX_EXIT_ERROR;
	}
	printf("%s: %u error%s, %u warning%s\n", name, errors, errors == 1 ? "" : "s", warnings,
	       warnings == 1 ? "" : "s");
	return r < 0 ? SBX_EXIT_ERROR : 0;
}

/* --check FILE...: each file's problems and summary line; an error in any fails. */
static int check_policies(const struct options *o)
{
	int status = 0;

	for (size_t i = 0; i < o->n_check_files; i++)
		if (check_policy(o->check_files[i]) != 0)
			status = SBX_EXIT_ERROR;
	return status;
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

	/* A reader of our stderr that went away must not cost the report, not even a usage
	 * error's (the program's SIGPIPE is reset). */
	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv, &o);
	switch (o.mode) {
	case MODE_PRINT_DEFAULT:
		fputs(sbx_default_policy_text(), stdout);
		return 0;
	case MODE_CHECK:
		r = check_policies(&o);
		free(o.check_files);
		return r;
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
	report = open_report(o.report_path);
	open_log(&o);
	open_trace_output(&o);
	policy = load_policy(&o);
	o.config.policy = policy;
	o.config.argv = o.argv;
	o.config.env_sets = o.env_sets;
	o.config.n_env_sets = o.n_env_sets;
	o.config.mounts = o.mounts;
	o.config.n_mounts = o.n_mounts;
	o.config.masked_paths = o.masked;
	o.config.n_masked_paths = o.n_masked;
	/* One thread, no child of ours: the run is supervised from this thread. */
	r = api_run_here(&o.config, &result);
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
	error_report.file = NULL; /* committed below, with the run's result */
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
