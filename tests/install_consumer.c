/* SPDX-License-Identifier: MIT */
/*
 * install_consumer.c - a user of the installed library, built the way one
 * would be (tests/install_test.sh): <sandbox.h> and the flags of
 * `pkg-config --cflags --libs sandbox`, nothing from the source tree.
 *
 *   install_consumer
 *
 * Checks that the library's version is the installed header's, then runs
 * /bin/true and a shell that exits 3 under the embedded default policy and
 * checks each result. Exit 0 when all is right, else 1 with a line on
 * stderr for each thing that is not.
 */
#include <sandbox.h>
#include <stdio.h>
#include <string.h>

/* 1 when |argv| ran in a sandbox and exited with |want|, else 0. */
static int exits_with(const struct sbx_policy *policy, char *const argv[], int want)
{
	struct sbx_config config;
	struct sbx_result result;
	int r, ok;

	memset(&config, 0, sizeof(config));
	memset(&result, 0, sizeof(result));
	config.policy = policy;
	config.argv = argv;
	config.verbosity = SBX_NORMAL;
	config.log_fd = 2;
	r = sbx_run(&config, &result);
	if (r < 0) {
		fprintf(stderr, "install_consumer: sbx_run(%s): %s\n", argv[0], strerror(-r));
		return 0;
	}
	ok = result.status == SBX_STATUS_EXITED && result.exit_code == want &&
	     sbx_result_exit_status(&result) == want;
	if (!ok)
		fprintf(stderr,
			"install_consumer: %s: status %s, exit code %d, error %s; want exited, "
			"%d\n",
			argv[0], sbx_status_name(result.status), result.exit_code,
			result.error ? result.error : "none", want);
	else
		printf("install_consumer: %s: %s, exit code %d\n", argv[0],
		       sbx_status_name(result.status), result.exit_code);
	sbx_result_clear(&result);
	return ok;
}

int main(void)
{
	char *const true_argv[] = {"/bin/true", NULL};
	char *const three_argv[] = {"/bin/sh", "-c", "exit 3", NULL};
	struct sbx_policy *policy = NULL;
	int r, ok;

	if (strcmp(sbx_version(), SBX_VERSION_STRING) != 0) {
		fprintf(stderr, "install_consumer: library version %s, header version %s\n",
			sbx_version(), SBX_VERSION_STRING);
		return 1;
	}
	r = sbx_policy_load_default(&policy);
	if (r < 0) {
		fprintf(stderr, "install_consumer: sbx_policy_load_default: %s\n", strerror(-r));
		return 1;
	}
	ok = exits_with(policy, true_argv, 0);
	ok &= exits_with(policy, three_argv, 3);
	sbx_policy_free(policy);
	return ok ? 0 : 1;
}
