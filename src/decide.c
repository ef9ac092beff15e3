/* SPDX-License-Identifier: MIT */
#include "decide.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
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
	case ABI_UNKNOWN:
		break;
	}
	return false;
}

#define NAME_CACHE_NR 1024

/*
 * libseccomp resolves a number by scanning its table and returns a fresh
 * copy; a stop happens far more often than a new (abi, nr) pair, so keep
 * the answers. An empty string caches "no such syscall".
 */
static const char *cached_name(enum arch_abi abi, uint64_t nr)
{
	static char *cache[ABI_UNKNOWN][NAME_CACHE_NR];
	uint32_t token = arch_abi_scmp(abi);
	uint64_t slot = abi == ABI_X32 ? nr & ~0x40000000ULL : nr;
	char *name;

	if (!token)
		return NULL;
	if (slot < NAME_CACHE_NR && cache[abi][slot])
		return *cache[abi][slot] ? cache[abi][slot] : NULL;
	if (slot >= NAME_CACHE_NR)
		return NULL; /* far beyond any syscall table */
	name = seccomp_syscall_resolve_num_arch(token, (int)nr);
	cache[abi][slot] = name ? name : (char *)"";
	return name;
}

/* Fill |d->name| and |d->native_nr| for the call's ABI. */
static void name_call(struct decision *d, const struct trapped_call *call)
{
	const char *name = cached_name(d->abi, call->nr);

	d->native_nr = -1;
	if (!name) {
		snprintf(d->name, sizeof(d->name), "syscall_%#llx", (unsigned long long)call->nr);
		return;
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	if (d->abi == ABI_NATIVE)
		d->native_nr = (int)call->nr;
	else
		d->native_nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, d->name);
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

void decide(const struct policy *p, const struct trapped_call *call, bool initial_exec,
	    struct decision *ret)
{
	uint64_t args[6];

	*ret = (struct decision){.abi = arch_abi_of(call->audit_arch, call->nr)};
	name_call(ret, call);
	if (!abi_allowed(p, ret->abi)) {
		ret->kind = DECIDE_KILL;
		ret->rule = DECIDE_RULE_FOREIGN_ABI;
		ret->report = true;
		return;
	}
	if (initial_exec && ret->abi == ABI_NATIVE && call->nr == __NR_execve) {
		ret->kind = DECIDE_ALLOW;
		ret->rule = DECIDE_RULE_INITIAL_EXEC;
		return;
	}
	for (int i = 0; i < 6; i++)
		args[i] = arch_abi_is_32bit(ret->abi) ? (uint32_t)call->args[i] : call->args[i];
	if (ret->native_nr < 0) {
		/* No native counterpart: only the default can speak for it. */
		ret->rule = DECIDE_RULE_DEFAULT;
		apply_verdict(ret, &p->default_verdict);
	} else {
		apply_verdict(ret, policy_match(p, ret->native_nr, args, &ret->rule));
	}
}
