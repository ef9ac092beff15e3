/* SPDX-License-Identifier: MIT */
/*
 * embed_loop [--isolation namespaces|landlock|none] N PROG: what a program
 * that embeds the library pays per run: the default policy is loaded once,
 * then sbx_run() starts PROG N times (the compiled filter is reused from the
 * second run on). Prints µs per run. Without --isolation the policy decides
 * (the default policy: namespaces).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

int main(int argc, char **argv)
{
	struct sbx_policy *policy = NULL;
	enum sbx_isolation isolation = SBX_ISOLATION_DEFAULT;
	struct timespec a, b;
	long n;

	if (argc > 2 && strcmp(argv[1], "--isolation") == 0) {
		if (strcmp(argv[2], "namespaces") == 0)
			isolation = SBX_ISOLATION_NAMESPACES;
		else if (strcmp(argv[2], "landlock") == 0)
			isolation = SBX_ISOLATION_LANDLOCK;
		else if (strcmp(argv[2], "none") == 0)
			isolation = SBX_ISOLATION_NONE;
		else
			argc = 0; /* usage */
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: embed_loop [--isolation namespaces|landlock|none] N PROG "
				"[ARGS...]\n");
		return 2;
	}
	n = atol(argv[1]);
	if (sbx_policy_load_default(&policy) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		struct sbx_config c = {
			.policy = policy,
			.argv = argv + 2,
			.verbosity = SBX_QUIET,
			.log_fd = STDERR_FILENO,
			.isolation = isolation,
		};
		struct sbx_result r;

		if (sbx_run(&c, &r) < 0 || r.status != SBX_STATUS_EXITED || r.exit_code != 0) {
			fprintf(stderr, "embed_loop: run %ld: %s\n", i, sbx_status_name(r.status));
			return 1;
		}
		sbx_result_clear(&r);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) /
				 1e3 / (double)(n > 0 ? n : 1));
	sbx_policy_free(policy);
	return 0;
}
