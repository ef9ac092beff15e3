/* SPDX-License-Identifier: MIT */
/*
 * precompiled_none.c - no shipped policy compiled at build time (a cross
 * build, where src/gen_policies.c cannot run): every load parses.
 */
#include "policy.h"

const struct policy_precompiled sbx_precompiled_policies[] = {{0}};
