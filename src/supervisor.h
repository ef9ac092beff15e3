/* SPDX-License-Identifier: MIT */
/*
 * supervisor.h - one run: everything the child needs is prepared here,
 * before fork() (program path, environment, standard streams, rlimits,
 * credentials, capability sets, the compiled filter, the cgroup); then the
 * child is started, seized, and handed to the tracer.
 */
#ifndef SBX_SUPERVISOR_H
#define SBX_SUPERVISOR_H

#include "filter.h"
#include "policy.h"
#include "sandbox.h"
#include "traceset.h"

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

/* What decides the calls a run's filter must send to the supervisor. */
struct force_facts {
	enum sbx_isolation isolation;	  /* as the run resolved it (never DEFAULT) */
	bool processes;			  /* a process limit */
	bool host_writable;		  /* the program writes a directory of the host */
	const struct traceset *trace;	  /* --trace, or NULL */
	const struct traceset *learn_all; /* --learn: every call, or NULL */
};

/* The most calls supervisor_forced_calls() fills. */
#define SUPERVISOR_MAX_FORCE (TRACESET_MAX_NR + 160)

/*
 * The calls a run of |policy| with |facts| traces whatever the policy says
 * (filter_build()'s |force|), at most |max| of them into |force|. Returns
 * their number. Pure: the build-time compiler of the shipped policies
 * (src/gen_policies.c) calls it too.
 */
size_t supervisor_forced_calls(const struct policy *policy, const struct force_facts *facts,
			       struct filter_force *force, size_t max);

#endif
