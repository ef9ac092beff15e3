/* SPDX-License-Identifier: MIT */
/*
 * precompiled_none.c - no shipped policy compiled at build time (a cross
 * build, where src/gen_policies.c cannot run): every load parses.
 */
#include "policy.h"

int policy_precompiled_make(const char *name, struct policy **ret_policy,
			    unsigned int *ret_warnings)
{
	(void)name;
	(void)ret_policy;
	(void)ret_warnings;
	return 0;
}
