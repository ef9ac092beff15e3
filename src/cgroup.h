/* SPDX-License-Identifier: MIT */
/*
 * cgroup.h - the sandbox's own cgroup v2, when one can be had: a child of a
 * delegated cgroup whose memory controller is enabled for its children.
 * It gives exact memory figures (memory.peak, memory.events), exact CPU
 * (cpu.stat) and a kill switch (cgroup.kill) for the whole tree.
 *
 * Where cgroup v2 or its memory controller is missing (cgroup v1 hosts,
 * undelegated trees), cgroup_open() says why and the supervisor falls back
 * to rlimits and rusage. Nothing here is required for a run.
 */
#ifndef SBX_CGROUP_H
#define SBX_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct cgroup {
	char *path; /* the sandbox's cgroup directory; NULL: none */
	int dirfd;
};

/*
 * Find the cgroup v2 directory of the calling process: the "0::" line of
 * |proc_cgroup| (/proc/self/cgroup) under the cgroup2 mount listed in
 * |mountinfo| (/proc/self/mountinfo). Returns 0 and a malloc'd path, or
 * -ENOENT when there is no cgroup v2 for this process. Pure file parsing;
 * exposed for tests.
 */
int cgroup_find_own(const char *mountinfo, const char *proc_cgroup, char **ret_dir);

/*
 * True when |proc_cgroup| (/proc/self/cgroup) puts the calling process in
 * a cgroup v1 hierarchy holding the memory controller ("4:memory:/..." or
 * "7:cpu,memory:/..."). A controller is bound to one hierarchy at a time,
 * so then no cgroup v2 directory can enable it, and cgroup_open() need not
 * look for one (a hybrid host: no mountinfo read). Pure file parsing;
 * false when the file cannot be read.
 */
bool cgroup_memory_on_v1(const char *proc_cgroup);

/* True when |dir|/cgroup.subtree_control lists |controller|. */
bool cgroup_has_controller(const char *dir, const char *controller);

/*
 * Create the sandbox's cgroup under |parent| (NULL: the caller's own
 * cgroup), with memory.max = |memory_max| when it is not 0 and swap off.
 * Returns 0, or -errno with a sentence in |why| saying what was missing
 * (-ENOTSUP: no cgroup v2 memory controller delegated here).
 */
int cgroup_open(const char *parent, uint64_t memory_max, struct cgroup *ret, struct strbuf *why);

/* Move |pid| into the cgroup (before it runs the program). */
int cgroup_attach(const struct cgroup *cg, pid_t pid);

/* memory.peak (falls back to memory.current), in bytes. */
int cgroup_memory_peak(const struct cgroup *cg, uint64_t *ret_bytes);

/* The oom_kill count of memory.events. */
int cgroup_oom_kills(const struct cgroup *cg, uint64_t *ret);

/* usage_usec of cpu.stat: user+system of every task that ever ran in it. */
int cgroup_cpu_usec(const struct cgroup *cg, uint64_t *ret_usec);

/* Kill every process in the cgroup (cgroup.kill, Linux 5.14+). */
int cgroup_kill(const struct cgroup *cg);

/* Remove the (empty) cgroup and free. Accepts a cgroup that was never opened. */
void cgroup_close(struct cgroup *cg);

#endif
