/* SPDX-License-Identifier: MIT */
/*
 * api.h - what api.c offers besides the public entry points: sbx_run_sized()
 * with the smallest sizes it accepts as parameters, so a test can play a
 * library whose structs have grown past an older caller's.
 */
#ifndef SBX_API_H
#define SBX_API_H

#include <stddef.h>

#include "sandbox.h"

/* The smallest caller's sizes a run accepts (published: SBX_*_SIZE_VER0). */
struct api_minimum {
	size_t config;
	size_t result;
};

/* sbx_run_sized() with the smallest sizes |min| instead of the published ones. */
int api_run(const struct sbx_config *config, size_t config_size, struct sbx_result *ret,
	    size_t ret_size, struct api_minimum min);

/*
 * sbx_run() with the calling thread as the supervisor, for a caller that
 * has no other thread and no child of its own (the command): no thread is
 * started and joined. Signals the run does not take keep the caller's mask
 * and actions (the command's: default actions, SIGPIPE ignored), so one
 * that kills the caller still ends the run at once. A stack limit under
 * the supervisor's minimum (1 MiB) falls back to sbx_run()'s thread.
 * Returns what sbx_run() returns; |ret| is the caller's, at this
 * library's size.
 */
int api_run_here(const struct sbx_config *config, struct sbx_result *ret);

#endif
