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
 * A native syscall the supervisor must see, whatever the policy says (it
 * still applies the policy to it at the stop): the process limit needs
 * every fork, the target checks every signal. With |unless_arg0_zero|, a
 * call whose first argument is 0 (prlimit64 on the caller itself) is left
 * to the kernel when the policy's answer for the call is unconditional. A
 * call forced twice in different ways stops every time.
 */
struct filter_force {
	int nr;
	bool unless_arg0_zero;
	/*
	 * With |when_bits|, only a call whose argument |when_arg| has one of
	 * those bits set must stop (chmod with S_ISUID or S_ISGID); the others
	 * keep the policy's answer when it is unconditional.
	 */
	unsigned int when_arg;
	uint64_t when_bits;
};

/*
 * Compile |p| with the |n_force| calls of |force| traced. On success
 * returns 0 and fills |ret| (free with filter_release()). Returns -errno on
 * failure. Does not take ownership of |p|.
 */
int filter_build(const struct policy *p, const struct filter_force *force, size_t n_force,
		 struct filter *ret);

void filter_release(struct filter *f);

/* A filter compiled at build time for a shipped policy (policy.h, src/gen_policies.c). */
struct filter_prebuilt {
	const struct filter_force *force; /* what it was built with */
	size_t n_force;
	const struct sock_filter *insns;
	size_t len;
};

/* The prebuilt filter of |p| for exactly |force|, or NULL. */
const struct filter_prebuilt *
filter_prebuilt_find(const struct policy *p, const struct filter_force *force, size_t n_force);

/*
 * filter_build(), but a filter compiled at build time for the same forced
 * calls (filter_prebuilt_find()) is copied, and a second build of the same
 * policy object with the same forced calls copies the program the first
 * one made (kept in the policy:
 * the object is never changed after it is loaded). sbx_run() is not to be
 * called from several threads at once with one policy.
 */
int filter_build_cached(const struct policy *p, const struct filter_force *force, size_t n_force,
			struct filter *ret);

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

/*
 * Shared by filter.c and filter_oci.c; |ctx| is a scmp_filter_ctx.
 * filter_add_arches(): the foreign ABIs of |arches| (POLICY_ARCH_*) this
 * CPU has to |ctx| (i386 and x32 on x86_64, AArch32 on aarch64); the
 * others are left out.
 * filter_export(): |ctx|'s BPF program into |ret| (free with
 * filter_release()). Both return 0 or -errno.
 */
int filter_add_arches(void *ctx, unsigned int arches);

/* How many ABIs the filter for |arches| covers: the native one and filter_add_arches()'s. */
unsigned int filter_arch_count(unsigned int arches);
int filter_export(void *ctx, struct filter *ret);

/*
 * OCI profiles (filter_oci.c; p->oci set). filter_build() and filter_dump()
 * hand them to these.
 *
 * filter_oci_program(): runc's program for |p| (runc's ENOSYS stub, then
 * libseccomp's build of the profile with the actions mapped as
 * filter_oci_verdict() reads them back), built on first use and owned by
 * |p|. Returns 0, or -errno from libseccomp when runc could not build the
 * profile either (-EEXIST: two entries give one call different actions
 * libseccomp cannot merge), or -E2BIG when the program is longer than the
 * kernel takes (BPF_MAXINSNS; it is still in |*ret|, |*ret_len| long).
 *
 * filter_oci_build(): the program the kernel gets: a prefix with the
 * built-in rules and |force|, then runc's program.
 *
 * filter_oci_dump(): libseccomp's PFC text of the profile's part.
 */
int filter_oci_program(const struct policy *p, const struct sock_filter **ret, size_t *ret_len);
int filter_oci_build(const struct policy *p, const struct filter_force *force, size_t n_force,
		     struct filter *ret);
int filter_oci_dump(const struct policy *p, int fd);

/* The verdict for SECCOMP_RET_* value |ret| of runc's program. */
struct policy_verdict filter_oci_verdict(uint32_t ret);

#endif
