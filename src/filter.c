/* SPDX-License-Identifier: MIT */
/*
 * filter.c - compile a policy with libseccomp.
 *
 * Semantics to preserve: for syscall S the first rule naming S whose
 * conditions hold wins; otherwise the policy default. libseccomp has no
 * notion of rule order, so for each syscall we only hand it rules whose
 * outcome cannot depend on order:
 *
 *  - rules after the first unconditional rule for S are unreachable;
 *  - the "fallback" F of S is that unconditional rule's verdict, or the
 *    default. libseccomp's fallback is always the default, so when F differs
 *    from the default in the kernel, S is traced as a whole;
 *  - conditional rules whose kernel actions differ must be provably
 *    disjoint (an == / masked_eq test on one argument that cannot hold for
 *    both); otherwise S is traced as a whole.
 *
 * "Traced as a whole" costs a stop per call of S but is always exact: the
 * supervisor evaluates policy_match() at the stop. If libseccomp refuses a
 * rule set (it rejects some combinations), the syscall is traced as a whole.
 */
#include "filter.h"

#include <errno.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MAX_NR 1024

uint32_t filter_kernel_action(int nr, const struct policy_verdict *v)
{
	if (policy_verdict_needs_stop(v))
		return SCMP_ACT_TRACE(0);
	if (v->action == POLICY_ALLOW)
		return SCMP_ACT_ALLOW;
	/*
	 * The initial execve of the program must reach the supervisor, which
	 * lets exactly that one through; so exec never fails in the kernel.
	 */
	if (nr == __NR_execve || nr == __NR_execveat)
		return SCMP_ACT_TRACE(0);
	return SCMP_ACT_ERRNO((uint16_t)v->errno_value);
}

static bool rule_names(const struct policy_rule *r, int nr)
{
	for (size_t i = 0; i < r->n_syscalls; i++)
		if (r->syscalls[i] == nr)
			return true;
	return false;
}

/* True when no argument vector can satisfy both conditions. */
static bool conds_exclusive(const struct policy_cond *a, const struct policy_cond *b)
{
	uint64_t ma = a->op == POLICY_OP_MASKED_EQ ? a->mask : UINT64_MAX;
	uint64_t mb = b->op == POLICY_OP_MASKED_EQ ? b->mask : UINT64_MAX;
	uint64_t m = ma & mb;

	if (a->index != b->index)
		return false;
	if ((a->op != POLICY_OP_EQ && a->op != POLICY_OP_MASKED_EQ) ||
	    (b->op != POLICY_OP_EQ && b->op != POLICY_OP_MASKED_EQ))
		return false;
	/* A condition that can never hold excludes everything. */
	if ((a->value & ~ma) || (b->value & ~mb))
		return true;
	return (a->value & m) != (b->value & m);
}

static bool rules_disjoint(const struct policy_rule *a, const struct policy_rule *b)
{
	for (size_t i = 0; i < a->n_conds; i++)
		for (size_t j = 0; j < b->n_conds; j++)
			if (conds_exclusive(&a->conds[i], &b->conds[j]))
				return true;
	return false;
}

enum plan_kind {
	PLAN_NONE,	/* the default covers it */
	PLAN_UNCOND,	/* one unconditional action */
	PLAN_RULES,	/* the conditional rules, as they are */
	PLAN_TRACE_ALL, /* traced; the supervisor decides */
};

struct plan {
	enum plan_kind kind;
	uint32_t action; /* PLAN_UNCOND */
	size_t last;	 /* PLAN_RULES: rules up to (excluding) this index */
};

static struct plan plan_syscall(const struct policy *p, int nr, uint32_t kdef)
{
	struct plan pl = {.kind = PLAN_NONE, .last = p->n_rules};
	const struct policy_verdict *fallback = &p->default_verdict;
	bool conditional = false;
	uint32_t kfb;

	for (size_t i = 0; i < p->n_rules; i++) {
		if (!rule_names(&p->rules[i], nr))
			continue;
		if (p->rules[i].n_conds == 0) {
			fallback = &p->rules[i].verdict;
			pl.last = i;
			break;
		}
	}
	kfb = filter_kernel_action(nr, fallback);
	for (size_t i = 0; i < pl.last; i++)
		if (rule_names(&p->rules[i], nr) &&
		    filter_kernel_action(nr, &p->rules[i].verdict) != kfb)
			conditional = true;
	if (!conditional) {
		pl.kind = kfb == kdef ? PLAN_NONE : PLAN_UNCOND;
		pl.action = kfb;
		return pl;
	}
	if (kfb != kdef) {
		pl.kind = PLAN_TRACE_ALL;
		return pl;
	}
	for (size_t i = 0; i < pl.last; i++) {
		const struct policy_rule *a = &p->rules[i];

		if (!rule_names(a, nr))
			continue;
		for (size_t j = i + 1; j < pl.last; j++) {
			const struct policy_rule *b = &p->rules[j];

			if (rule_names(b, nr) &&
			    filter_kernel_action(nr, &a->verdict) !=
				    filter_kernel_action(nr, &b->verdict) &&
			    !rules_disjoint(a, b)) {
				pl.kind = PLAN_TRACE_ALL;
				return pl;
			}
		}
	}
	pl.kind = PLAN_RULES;
	return pl;
}

static const enum scmp_compare op_map[] = {
	[POLICY_OP_EQ] = SCMP_CMP_EQ, [POLICY_OP_NE] = SCMP_CMP_NE,
	[POLICY_OP_LT] = SCMP_CMP_LT, [POLICY_OP_LE] = SCMP_CMP_LE,
	[POLICY_OP_GT] = SCMP_CMP_GT, [POLICY_OP_GE] = SCMP_CMP_GE,
	[POLICY_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static int add_rule(scmp_filter_ctx ctx, int nr, uint32_t action, const struct policy_rule *r)
{
	struct scmp_arg_cmp cmp[POLICY_MAX_CONDS];

	for (size_t c = 0; c < r->n_conds; c++) {
		const struct policy_cond *pc = &r->conds[c];

		cmp[c] = (struct scmp_arg_cmp){
			.arg = pc->index,
			.op = op_map[pc->op],
			.datum_a = pc->op == POLICY_OP_MASKED_EQ ? pc->mask : pc->value,
			.datum_b = pc->op == POLICY_OP_MASKED_EQ ? pc->value : 0,
		};
	}
	return seccomp_rule_add_array(ctx, action, nr, (unsigned int)r->n_conds, cmp);
}

static int apply_plan(scmp_filter_ctx ctx, const struct policy *p, int nr, const struct plan *pl,
		      uint32_t kdef)
{
	int r = 0;

	switch (pl->kind) {
	case PLAN_NONE:
		return 0;
	case PLAN_UNCOND:
		return seccomp_rule_add(ctx, pl->action, nr, 0);
	case PLAN_TRACE_ALL:
		return kdef == SCMP_ACT_TRACE(0) ? 0
						 : seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
	case PLAN_RULES:
		for (size_t i = 0; r == 0 && i < pl->last; i++) {
			const struct policy_rule *rule = &p->rules[i];
			uint32_t act = filter_kernel_action(nr, &rule->verdict);

			if (rule_names(rule, nr) && act != kdef)
				r = add_rule(ctx, nr, act, rule);
		}
		return r;
	}
	return -EINVAL;
}

static int add_arches(scmp_filter_ctx ctx, unsigned int arches)
{
	int r = 0;

	if (arches & POLICY_ARCH_X86)
		r = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	if (r == 0 && (arches & POLICY_ARCH_X32))
		r = seccomp_arch_add(ctx, SCMP_ARCH_X32);
	return r == -EEXIST ? 0 : r;
}

/* libseccomp 2.5 can only export to a file descriptor; read it back. */
static int export_bpf(scmp_filter_ctx ctx, struct filter *ret)
{
	_cleanup_close_ int fd = memfd_create("sandbox-bpf", MFD_CLOEXEC);
	off_t size;
	ssize_t n;
	int r;

	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return r;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0)
		return -EIO;
	ret->insns = malloc((size_t)size);
	if (!ret->insns)
		return -ENOMEM;
	n = pread(fd, ret->insns, (size_t)size, 0);
	if (n != size) {
		filter_release(ret);
		return n < 0 ? -errno : -EIO;
	}
	ret->len = (size_t)size / sizeof(struct sock_filter);
	return 0;
}

/* One attempt; |trace_all| marks syscalls libseccomp refused as rules. */
static int build_once(const struct policy *p, const bool *trace_all, struct filter *ret,
		      int *ret_bad_nr)
{
	uint32_t kdef = filter_kernel_action(-1, &p->default_verdict);
	scmp_filter_ctx ctx;
	int r;

	ctx = seccomp_init(kdef);
	if (!ctx)
		return -ENOMEM;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(0));
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r == 0)
		r = add_arches(ctx, p->arches);
	for (int nr = 0; r == 0 && nr < MAX_NR; nr++) {
		struct plan pl = plan_syscall(p, nr, kdef);

		if (trace_all[nr] && pl.kind != PLAN_NONE)
			pl.kind = PLAN_TRACE_ALL;
		r = apply_plan(ctx, p, nr, &pl, kdef);
		if (r < 0)
			*ret_bad_nr = nr;
	}
	if (r == 0)
		r = export_bpf(ctx, ret);
	seccomp_release(ctx);
	return r;
}

int filter_build(const struct policy *p, struct filter *ret)
{
	bool trace_all[MAX_NR] = {false};

	*ret = (struct filter){0};
	for (;;) {
		int bad = -1;
		int r = build_once(p, trace_all, ret, &bad);

		if (r == 0 || bad < 0 || trace_all[bad])
			return r;
		trace_all[bad] = true;
	}
}

void filter_release(struct filter *f)
{
	free(f->insns);
	f->insns = NULL;
	f->len = 0;
}
