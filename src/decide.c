/* SPDX-License-Identifier: MIT */
#include "decide.h"

#include "bpfrun.h"
#include "filter.h"
#include "syscalls.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

static bool abi_allowed(const struct policy *p, enum arch_abi abi)
{
	switch (abi) {
	case ABI_NATIVE:
		return true;
	case ABI_X86:
		return p->arches & POLICY_ARCH_X86;
	case ABI_X32:
		return p->arches & POLICY_ARCH_X32;
	case ABI_ARM:
		return p->arches & POLICY_ARCH_ARM;
	case ABI_UNKNOWN:
		break;
	}
	return false;
}

/*
 * Fill |d->name| and |d->native_nr| for the call's ABI: a native call from
 * the table (src/syscalls.tbl), another ABI's from libseccomp (a fresh
 * copy, freed here: foreign calls are rare and nothing is kept between
 * stops).
 */
static void name_call(struct decision *d, const struct trapped_call *call)
{
	const struct syscall_row *row = NULL;
	uint32_t token = arch_abi_scmp(d->abi);
	char *name = NULL;

	d->native_nr = -1;
	if (d->abi == ABI_NATIVE && call->nr < SYSCALL_NR_MAX)
		row = syscall_by_nr((int)call->nr);
	if (!row && token && call->nr < 0x80000000ULL)
		name = seccomp_syscall_resolve_num_arch(token, (int)call->nr);
	if (!row && !name) {
		snprintf(d->name, sizeof(d->name), "syscall_%#llx", (unsigned long long)call->nr);
		return;
	}
	snprintf(d->name, sizeof(d->name), "%s", row ? row->name : name);
	free(name);
	if (d->abi == ABI_NATIVE) {
		d->native_nr = (int)call->nr;
		return;
	}
	row = syscall_by_name(d->name);
	d->native_nr = row && row->nr >= 0 && !(row->traits & SYSCALL_I386_ONLY)
			       ? row->nr
			       : seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, d->name);
}

static void apply_verdict(struct decision *d, const struct policy_verdict *v)
{
	d->report = v->action != POLICY_ALLOW && (v->action != POLICY_ERRNO || v->log);
	switch (v->action) {
	case POLICY_ALLOW:
		d->kind = DECIDE_ALLOW;
		break;
	case POLICY_ERRNO:
		d->kind = DECIDE_DENY;
		d->ret = -(int64_t)v->errno_value;
		break;
	case POLICY_LOG:
		d->kind = DECIDE_LOG;
		break;
	case POLICY_KILL:
		d->kind = DECIDE_KILL;
		break;
	case POLICY_RETURN:
		d->kind = DECIDE_RETURN;
		d->ret = v->ret_value;
		break;
	}
}

/*
 * i386 multiplexes the socket and SysV IPC calls through socketcall(2) and
 * ipc(2); libseccomp's filter splits them by their first argument into the
 * native calls, so the supervisor must too (src/syscalls.tbl, traits
 * socketcall=N and ipc=N). The native number, or -1 (not multiplexed).
 */
static int demultiplex(const struct decision *d, uint64_t call)
{
	bool socketcall = strcmp(d->name, "socketcall") == 0;

	if (d->abi != ABI_X86 || (!socketcall && strcmp(d->name, "ipc") != 0))
		return -1;
	for (size_t i = 0; i < syscall_n_rows; i++) {
		const struct syscall_row *r = &syscall_rows[i];
		bool match = socketcall ? call && (r->socketcalls[0] == call ||
						   r->socketcalls[1] == call)
					: r->ipc && r->ipc == (call & 0xffff);

		if (match)
			return r->nr;
	}
	return -1;
}

/*
 * A multiplexed call's real arguments are in the program's memory, where
 * another thread can change them after the supervisor looked. So only rules
 * without argument conditions may decide it; if the call has any, it is
 * killed rather than decided on a value that may change.
 */
static void decide_multiplexed(const struct policy *p, int native_nr, uint64_t *counts,
			       bool own_netns, struct decision *d)
{
	static const uint64_t none[6];
	size_t n;
	const uint32_t *naming = policy_rules_naming(p, native_nr, &n);
	bool conditional = false;

	for (size_t i = 0; i < POLICY_N_BUILTIN; i++)
		conditional |= policy_rule_names(policy_rule(p, i), native_nr) &&
			       policy_rule(p, i)->n_conds > 0;
	for (size_t k = 0; k < n; k++)
		conditional |= p->rules[naming[k]].n_conds > 0;
	if (conditional) {
		d->kind = DECIDE_KILL;
		d->rule = DECIDE_RULE_MULTIPLEXED;
		d->report = true;
		return;
	}
	apply_verdict(d, policy_match_net(p, native_nr, none, counts, own_netns, &d->rule));
}

/* Whether OCI call |c| holds for |args| as runc adds it (any condition when one index repeats). */
static bool oci_call_holds(const struct oci_call *c, const uint64_t args[6])
{
	bool any = false, all = true;

	for (size_t i = 0; i < c->n_conds; i++) {
		bool h = policy_cond_holds(&c->conds[i], args[c->conds[i].index]);

		any |= h;
		all &= h;
	}
	return c->conds_any ? any : all;
}

/* For messages: the entry (its index in p->rules) that gives |d|'s call verdict |v|, or the
 * default. */
static int oci_rule(const struct policy *p, const struct decision *d, const uint64_t args[6],
		    const struct policy_verdict *v)
{
	for (size_t i = 0; i < p->oci->n_calls; i++) {
		const struct oci_call *c = &p->oci->calls[i];
		struct policy_verdict cv = policy_oci_verdict(&c->action);

		/* native: the number says it (no string compare on this per-stop path) */
		if ((d->abi == ABI_NATIVE ? c->nr != d->native_nr
					  : strcmp(c->name, d->name) != 0) ||
		    cv.action != v->action || cv.errno_value != v->errno_value ||
		    !oci_call_holds(c, args))
			continue;
		for (size_t k = 0; k < p->n_rules; k++)
			if (p->rules[k].src == 0 && p->rules[k].index == c->entry)
				return (int)k;
	}
	return DECIDE_RULE_DEFAULT;
}

/*
 * An OCI profile: the built-in rules, then runc's own program run on the
 * call exactly as the kernel saw it (raw arguments, its ABI and number).
 */
static void decide_oci(const struct policy *p, const struct trapped_call *call,
		       const uint64_t args[6], struct decision *d)
{
	struct seccomp_data sd = {.nr = (int)call->nr, .arch = call->audit_arch};
	const struct policy_verdict *b = NULL;
	const struct sock_filter *prog;
	struct policy_verdict v = {.action = POLICY_KILL};
	size_t len;

	if (d->native_nr >= 0)
		b = policy_match_builtin(d->native_nr, args, &d->rule);
	if (b) {
		apply_verdict(d, b);
		return;
	}
	memcpy(sd.args, call->args, sizeof(sd.args));
	/* Built before the program started; failing now would be a bug: kill. */
	if (filter_oci_program(p, &prog, &len) == 0)
		v = filter_oci_verdict(bpf_run(prog, len, &sd));
	d->rule = oci_rule(p, d, args, &v);
	apply_verdict(d, &v);
}

void decide_args(const struct trapped_call *call, const struct decision *d, uint64_t ret[6])
{
	for (int i = 0; i < 6; i++)
		ret[i] = arch_abi_is_32bit(d->abi) ? (uint32_t)call->args[i] : call->args[i];
}

void decide(const struct policy *p, const struct trapped_call *call, unsigned int flags,
	    uint64_t *counts, struct decision *ret)
{
	uint64_t args[6];
	int mux;

	*ret = (struct decision){.abi = arch_abi_of(call->audit_arch, call->nr)};
	name_call(ret, call);
	if (flags & DECIDE_SETUP) {
		ret->kind = DECIDE_ALLOW;
		ret->rule = DECIDE_RULE_SETUP;
		return;
	}
	if (!abi_allowed(p, ret->abi)) {
		ret->kind = DECIDE_KILL;
		ret->rule = DECIDE_RULE_FOREIGN_ABI;
		ret->report = true;
		return;
	}
	decide_args(call, ret, args);
	if (p->oci) {
		decide_oci(p, call, args, ret);
		return;
	}
	mux = demultiplex(ret, args[0]);
	if (mux >= 0) {
		decide_multiplexed(p, mux, counts, flags & DECIDE_OWN_NETNS, ret);
	} else if (ret->native_nr == __NR_SCMP_ERROR) {
		/* Not even a name libseccomp knows: only the default can speak for it. */
		ret->rule = DECIDE_RULE_DEFAULT;
		apply_verdict(ret, &p->default_verdict);
	} else {
		/* native, or a call this CPU lacks by its pseudo number (rules keep those) */
		apply_verdict(ret, policy_match_net(p, ret->native_nr, args, counts,
						    flags & DECIDE_OWN_NETNS, &ret->rule));
	}
}
