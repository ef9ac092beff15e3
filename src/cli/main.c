/* SPDX-License-Identifier: MIT */
/*
 * main.c - sandbox(1): argv -> library calls. The only place that prints
 * usage or calls exit().
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

#ifndef SBX_VERSION
#define SBX_VERSION "unknown"
#endif

struct options {
	const char *policy_path;
	const char *report_path;
	enum sbx_verbosity verbosity;
	bool print_default;
	char **argv;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: sandbox [OPTIONS] [--] PROGRAM [ARGS...]\n"
		"Run PROGRAM under a seccomp filter compiled from a JSON policy, supervised by\n"
		"a ptrace tracer that logs, denies or kills the calls the policy marks.\n"
		"\n"
		"Options:\n"
		"  -p, --policy FILE     policy to enforce (default: the embedded default policy)\n"
		"  -r, --report FILE     write a JSON report of the run to FILE (atomically)\n"
		"  -q, --quiet           print nothing about reported calls\n"
		"  -v, --verbose         also print lifecycle lines (spawn, exec, exit)\n"
		"      --print-default-policy\n"
		"                        print the embedded default policy and exit\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Exit status: the program's own; 128+N if it died of signal N; %d if the\n"
		"sandbox killed it for a policy violation; %d if it could not be executed;\n"
		"%d if it was not found; %d for the sandbox's own errors (usage, bad policy,\n"
		"set-up failure). See sandbox(1) and sandbox-policy(5).\n",
		SBX_EXIT_VIOLATION, SBX_EXIT_NOT_EXECUTABLE, SBX_EXIT_NOT_FOUND, SBX_EXIT_ERROR);
}

static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "sandbox: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	usage(stderr);
	exit(SBX_EXIT_ERROR);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_PRINT_DEFAULT = 256 };
	static const struct option longopts[] = {
		{"policy", required_argument, NULL, 'p'},
		{"report", required_argument, NULL, 'r'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"print-default-policy", no_argument, NULL, OPT_PRINT_DEFAULT},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};
	int c;

	*o = (struct options){.verbosity = SBX_NORMAL};
	opterr = 0;
	/* "+": stop at the first non-option, so PROGRAM's own flags are left alone. */
	while ((c = getopt_long(argc, argv, "+p:r:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->policy_path = optarg;
			break;
		case 'r':
			o->report_path = optarg;
			break;
		case 'q':
			o->verbosity = SBX_QUIET;
			break;
		case 'v':
			o->verbosity = SBX_VERBOSE;
			break;
		case OPT_PRINT_DEFAULT:
			o->print_default = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("sandbox %s\n", SBX_VERSION);
			exit(0);
		default:
			if (optopt && strchr("pr", optopt))
				usage_error("option -%c needs an argument", optopt);
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	o->argv = argv + optind;
	if (!o->print_default && !o->argv[0])
		usage_error("%s", "no program given");
}

static struct sbx_policy *load_policy(const struct options *o)
{
	struct sbx_policy *policy = NULL;
	char *diag = NULL;
	int r;

	if (o->policy_path)
		r = sbx_policy_load(o->policy_path, &policy, &diag);
	else
		r = sbx_policy_load_default(&policy);
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

int main(int argc, char **argv)
{
	struct sbx_result result = {0};
	struct sbx_policy *policy;
	struct sbx_config config;
	struct options o;
	int r, status;

	parse_args(argc, argv, &o);
	if (o.print_default) {
		fputs(sbx_default_policy_text(), stdout);
		return 0;
	}
	policy = load_policy(&o);
	config = (struct sbx_config){
		.policy = policy,
		.argv = o.argv,
		.verbosity = o.verbosity,
		.log_fd = STDERR_FILENO,
	};
	r = sbx_run(&config, &result);
	sbx_policy_free(policy);
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
	status = sbx_result_exit_status(&result);
	if (o.report_path) {
		r = sbx_result_write_json(&result, o.report_path);
		if (r < 0) {
			fprintf(stderr, "sandbox: cannot write report %s: %s\n", o.report_path,
				strerror(-r));
			status = SBX_EXIT_ERROR;
		}
	}
	sbx_result_clear(&result);
	return status;
}
