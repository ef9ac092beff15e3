/* SPDX-License-Identifier: MIT */
/*
 * supervisor.h - one run: everything the child needs is prepared here,
 * before fork() (program path, environment, standard streams, rlimits,
 * credentials, capability sets, the compiled filter, the cgroup); then the
 * child is started, seized, and handed to the tracer.
 */
#ifndef SBX_SUPERVISOR_H
#define SBX_SUPERVISOR_H

#include "policy.h"
#include "sandbox.h"

/*
 * Run |config| under |policy| to the end. Returns 0 when |ret| describes
 * what happened (including the program failing to start or a bad
 * configuration, as SBX_STATUS_ERROR), or -errno when the supervisor itself
 * failed; no process of the sandbox is left running either way.
 */
int supervisor_run(const struct sbx_config *config, const struct policy *policy,
		   struct sbx_result *ret);

/*
 * --attach: enforce |policy| on the running process config->attach_pid
 * (attach.h). Same contract as supervisor_run().
 */
int supervisor_attach(const struct sbx_config *config, const struct policy *policy,
		      struct sbx_result *ret);

#endif
