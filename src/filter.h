/* SPDX-License-Identifier: MIT */
/*
 * filter.h - struct policy -> seccomp BPF program, built in the parent with
 * libseccomp before fork. The child only hands the bytes to the kernel.
 *
 * What the filter decides by itself: every call whose outcome is "allow" or
 * "fail with errno E", whenever the kernel's choice provably equals the
 * policy's first-matching-rule answer. Everything else returns
 * SECCOMP_RET_TRACE and is decided by the supervisor from (arch, nr, args);
 * the 16-bit data of a TRACE return is never trusted.
 */
#ifndef SBX_FILTER_H
#define SBX_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

struct filter {
	struct sock_filter *insns;
	size_t len;
};

/*
 * Compile |p|. The |n_force| native syscalls in |force_trace| always reach
 * the supervisor (it still applies the policy to them at the stop): the
 * process limit needs to see every fork. On success returns 0 and fills
 * |ret| (free with filter_release()). Returns -errno on failure. Does not
 * take ownership of |p|.
 */
int filter_build(const struct policy *p, const int *force_trace, size_t n_force,
		 struct filter *ret);

void filter_release(struct filter *f);

/*
 * Write the filter of |p| (as a run without limits would load it) to |fd|:
 * libseccomp's PFC text, or with |bpf| the raw program. Returns 0 or -errno.
 */
int filter_dump(const struct policy *p, bool bpf, int fd);

/*
 * The kernel-side action the filter uses for verdict |v| of syscall |nr|:
 * SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(e) or SCMP_ACT_TRACE(0). Exposed for tests.
 */
uint32_t filter_kernel_action(int nr, const struct policy_verdict *v);

#endif
