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
 *    from the default, "no conditional rule matched" is spelled out as extra
 *    rules with negated conditions leading to F;
 *  - conditional rules whose kernel actions differ must be provably
 *    disjoint (an == / masked_eq test on one argument that cannot hold for
 *    both); otherwise S is traced as a whole.
 *
 * "Traced as a whole" costs a stop per call of S but is always exact: the
 * supervisor evaluates policy_match() at the stop. If libseccomp refuses a
 * rule set (it rejects some combinations), the syscall is traced as a whole;
 * so are the calls whose conditional rules do not fit the budget that keeps
 * libseccomp's compile short and the program under BPF_MAXINSNS
 * (KERNEL_BUDGET below). Each call is planned from the rules that name it
 * (policy_rules_naming()): the compile is linear in the policy's rules.
 */
#include "filter.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "arch.h"
#include "util.h"

#define MAX_NR	   1024
#define MAX_PSEUDO 512 /* libseccomp has fewer pseudo numbers than that */

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
	return (a->value & m) != (b->value & m);
}

static bool rules_disjoint(int nr, const struct policy_rule *a, const struct policy_rule *b)
{
	for (size_t i = 0; i < a->n_conds; i++) {
		for (size_t j = 0; j < b->n_conds; j++) {
			struct policy_cond ca, cb;

			policy_cond_for(&a->conds[i], nr, &ca);
			policy_cond_for(&b->conds[j], nr, &cb);
			if (!ca.narrow && !cb.narrow && conds_exclusive(&ca, &cb))
				return true;
		}
	}
	return false;
}

enum plan_kind {
	PLAN_NONE,	/* the default covers it */
	PLAN_UNCOND,	/* one unconditional action */
	PLAN_RULES,	/* the conditional rules, plus "else" rules when needed */
	PLAN_TRACE_ALL, /* traced; the supervisor decides */
};

struct plan {
	enum plan_kind kind;
	uint32_t fallback; /* kernel action when no conditional rule matches */
	size_t last;	   /* rules before this index (in the call's list) can match */
};

/* The rules that name one call, in first-match order: the built-in ones, then the policy's. */
struct call_rules {
	const struct policy_rule **r;
	size_t n;
};

/* Fill |cr| (room for POLICY_N_BUILTIN + p->n_rules) with the rules naming |nr|. */
static void call_rules_fill(const struct policy *p, int nr, struct call_rules *cr)
{
	size_t n;
	const uint32_t *naming = policy_rules_naming(p, nr, &n);

	cr->n = 0;
	for (size_t i = 0; i < POLICY_N_BUILTIN; i++)
		if (policy_rule_names(policy_rule(p, i), nr))
			cr->r[cr->n++] = policy_rule(p, i);
	for (size_t k = 0; k < n; k++)
		cr->r[cr->n++] = &p->rules[naming[k]];
}

/* More conditional rules than this for one call with another outcome: traced as a whole. */
#define MAX_OTHERS 64

static struct plan plan_syscall(const struct policy *p, const struct call_rules *cr, int nr,
				uint32_t kdef)
{
	struct plan pl = {.kind = PLAN_NONE, .last = cr->n};
	const struct policy_verdict *fallback = &p->default_verdict;
	const struct policy_rule *others[MAX_OTHERS];
	size_t n_others = 0;

	for (size_t i = 0; i < cr->n; i++) {
		if (cr->r[i]->n_conds == 0) {
			fallback = &cr->r[i]->verdict;
			pl.last = i;
			break;
		}
	}
	pl.fallback = filter_kernel_action(nr, fallback);
	for (size_t i = 0; i < pl.last; i++) {
		if (filter_kernel_action(nr, &cr->r[i]->verdict) == pl.fallback)
			continue;
		if (n_others == MAX_OTHERS) {
			pl.kind = PLAN_TRACE_ALL; /* more than the filter takes for one call */
			return pl;
		}
		others[n_others++] = cr->r[i];
	}
	if (n_others == 0) {
		pl.kind = pl.fallback == kdef ? PLAN_NONE : PLAN_UNCOND;
		return pl;
	}
	/*
	 * Rule order only matters where rules of different outcomes overlap;
	 * every such pair has one rule whose outcome is not the fallback.
	 */
	for (size_t i = 0; i < n_others; i++) {
		uint32_t act = filter_kernel_action(nr, &others[i]->verdict);

		for (size_t j = 0; j < pl.last; j++) {
			const struct policy_rule *b = cr->r[j];

			if (b != others[i] && filter_kernel_action(nr, &b->verdict) != act &&
			    !rules_disjoint(nr, others[i], b)) {
				pl.kind = PLAN_TRACE_ALL;
				return pl;
			}
		}
	}
	pl.kind = PLAN_RULES;
	return pl;
}

static const enum scmp_compare op_map[] = {
	[POLICY_OP_EQ] = SCMP_CMP_EQ,
	[POLICY_OP_NE] = SCMP_CMP_NE,
	[POLICY_OP_LT] = SCMP_CMP_LT,
	[POLICY_OP_LE] = SCMP_CMP_LE,
	[POLICY_OP_GT] = SCMP_CMP_GT,
	[POLICY_OP_GE] = SCMP_CMP_GE,
	[POLICY_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

/* A rule as handed to libseccomp. */
struct kernel_rule {
	uint32_t action;
	unsigned int n_cmp;
	struct scmp_arg_cmp cmp[POLICY_MAX_CONDS];
};

#define MAX_KERNEL_RULES 64

struct kernel_rules {
	struct kernel_rule r[MAX_KERNEL_RULES];
	size_t n;
};

/* -EDOM: a comparison the kernel filter cannot make exactly (trace instead). */
static int push_rule(struct kernel_rules *kr, uint32_t action, int nr, const struct policy_rule *r)
{
	struct kernel_rule *k;

	if (kr->n == MAX_KERNEL_RULES)
		return -EDOM;
	k = &kr->r[kr->n++];
	k->action = action;
	k->n_cmp = (unsigned int)r->n_conds;
	for (size_t c = 0; c < r->n_conds; c++) {
		struct policy_cond cond;
		const struct policy_cond *pc = &cond;

		policy_cond_for(&r->conds[c], nr, &cond);
		if (cond.narrow)
			return -EDOM; /* ordering on the low half only: no such BPF compare */
		k->cmp[c] = (struct scmp_arg_cmp){
			.arg = pc->index,
			.op = op_map[pc->op],
			.datum_a = pc->op == POLICY_OP_MASKED_EQ ? pc->mask : pc->value,
			.datum_b = pc->op == POLICY_OP_MASKED_EQ ? pc->value : 0,
		};
	}
	return 0;
}

/*
 * libseccomp 2.5 merges the rules of one syscall into a tree, and gets the
 * union wrong when several rules each compare more than one argument (found
 * by tests/test_filter.c: two such ALLOW rules allowed a call neither
 * matched). Only shapes the tests show it handles go to the kernel: any
 * number of single-comparison rules, or a lone rule with several.
 */
static bool shape_is_safe(const struct kernel_rules *kr)
{
	size_t multi = 0;

	for (size_t i = 0; i < kr->n; i++)
		multi += kr->r[i].n_cmp > 1;
	return multi == 0 || kr->n == 1;
}

static bool negate(const struct policy_cond *c, struct scmp_arg_cmp *ret)
{
	static const enum scmp_compare neg[] = {
		[POLICY_OP_EQ] = SCMP_CMP_NE, [POLICY_OP_NE] = SCMP_CMP_EQ,
		[POLICY_OP_LT] = SCMP_CMP_GE, [POLICY_OP_LE] = SCMP_CMP_GT,
		[POLICY_OP_GT] = SCMP_CMP_LE, [POLICY_OP_GE] = SCMP_CMP_LT,
	};

	if (c->op == POLICY_OP_MASKED_EQ) {
		/*
		 * The kernel filter has no "masked not-equal", but with a
		 * one-bit mask "bit != v" is "bit == the other value".
		 */
		if (c->mask == 0 || (c->mask & (c->mask - 1)) != 0)
			return false;
		*ret = (struct scmp_arg_cmp){.arg = c->index,
					     .op = SCMP_CMP_MASKED_EQ,
					     .datum_a = c->mask,
					     .datum_b = c->value ^ c->mask};
		return true;
	}
	*ret = (struct scmp_arg_cmp){.arg = c->index, .op = neg[c->op], .datum_a = c->value};
	return true;
}

#define MAX_ELSE_TERMS 64

/*
 * "None of the rules in |rules| matched" is the conjunction over rules of
 * (some condition of that rule fails): expand it into one kernel rule per
 * choice of a failing condition, each leading to |action|. libseccomp takes
 * one comparison per argument, so a choice putting two different
 * comparisons on one argument is not expressible: -EDOM (trace instead).
 */
static int push_else_rules(struct kernel_rules *kr, uint32_t action, int nr,
			   const struct policy_rule *const *rules, size_t n)
{
	size_t terms = 1;

	for (size_t i = 0; i < n; i++) {
		terms *= rules[i]->n_conds;
		if (terms > MAX_ELSE_TERMS)
			return -EDOM;
	}
	for (size_t t = 0; t < terms; t++) {
		struct kernel_rule k = {.action = action};
		size_t rest = t;

		for (size_t i = 0; i < n; i++) {
			struct policy_cond cond;
			struct scmp_arg_cmp c;
			bool dup = false;

			policy_cond_for(&rules[i]->conds[rest % rules[i]->n_conds], nr, &cond);
			if (cond.narrow || !negate(&cond, &c))
				return -EDOM;
			rest /= rules[i]->n_conds;
			for (unsigned int j = 0; j < k.n_cmp; j++) {
				if (k.cmp[j].arg != c.arg)
					continue;
				if (k.cmp[j].op != c.op || k.cmp[j].datum_a != c.datum_a ||
				    k.cmp[j].datum_b != c.datum_b)
					return -EDOM;
				dup = true;
			}
			if (!dup)
				k.cmp[k.n_cmp++] = c;
		}
		if (kr->n == MAX_KERNEL_RULES)
			return -EDOM;
		kr->r[kr->n++] = k;
	}
	return 0;
}

/*
 * The kernel rules of a PLAN_RULES call. -EDOM: the kernel filter cannot
 * say it exactly (the call is traced instead).
 */
static int collect_rules(const struct call_rules *cr, int nr, const struct plan *pl, uint32_t kdef,
			 struct kernel_rules *kr)
{
	const struct policy_rule *others[MAX_OTHERS];
	size_t n_others = 0;
	int r = 0;

	kr->n = 0;
	for (size_t i = 0; r == 0 && i < pl->last; i++) {
		const struct policy_rule *rule = cr->r[i];
		uint32_t act = filter_kernel_action(nr, &rule->verdict);

		if (act == pl->fallback)
			continue;
		if (n_others == ARRAY_SIZE(others))
			return -EDOM;
		others[n_others++] = rule;
		if (act != kdef)
			r = push_rule(kr, act, nr, rule);
	}
	if (r == 0 && pl->fallback != kdef)
		r = push_else_rules(kr, pl->fallback, nr, others, n_others);
	if (r == 0 && !shape_is_safe(kr))
		r = -EDOM;
	return r;
}

/*
 * What the kernel rules of a call add to the program, roughly in
 * instructions: a few to reach the call's rules, then a jump per
 * comparison (libseccomp shares the returns and most loads).
 */
static size_t rules_cost(const struct kernel_rules *kr)
{
	size_t cost = 4;

	for (size_t i = 0; i < kr->n; i++)
		cost += kr->r[i].n_cmp ? kr->r[i].n_cmp : 1;
	return cost;
}

static int apply_plan(scmp_filter_ctx ctx, const struct call_rules *cr, int nr,
		      const struct plan *pl, uint32_t kdef)
{
	struct kernel_rules kr; /* about 10 KiB: on the stack, one per call */
	int r;

	switch (pl->kind) {
	case PLAN_NONE:
		return 0;
	case PLAN_UNCOND:
		return seccomp_rule_add(ctx, pl->fallback, nr, 0);
	case PLAN_TRACE_ALL:
		break;
	case PLAN_RULES:
		r = collect_rules(cr, nr, pl, kdef, &kr);
		if (r == -EDOM)
			break; /* ours, before anything was added: traced */
		for (size_t i = 0; r == 0 && i < kr.n; i++)
			r = seccomp_rule_add_array(ctx, kr.r[i].action, nr, kr.r[i].n_cmp,
						   kr.r[i].cmp);
		return r;
	}
	return kdef == SCMP_ACT_TRACE(0) ? 0 : seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
}

int filter_add_arches(void *ctx, unsigned int arches)
{
	int r = 0;

	/* A policy may name the foreign ABIs of other CPUs: those mean nothing here. */
	arches &= ARCH_NATIVE->foreign;
	for (size_t i = 0; r == 0 && i < ARCH_N_FOREIGN; i++)
		if (arches & arch_foreign_abis[i].bit) {
			r = seccomp_arch_add(ctx, arch_foreign_abis[i].token);
			r = r == -EEXIST ? 0 : r;
		}
	return r;
}

unsigned int filter_arch_count(unsigned int arches)
{
	return 1 + (unsigned int)__builtin_popcount(arches & ARCH_NATIVE->foreign);
}

/* libseccomp 2.5 can only export to a file descriptor; read it back. */
int filter_export(void *ctx, struct filter *ret)
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

/* How the filter's output goes out: into memory, or to a descriptor for people. */
enum output {
	OUT_MEMORY, /* struct filter, for the child */
	OUT_PFC,    /* libseccomp's pseudo-filter-code text */
	OUT_BPF,    /* the raw program */
};

/* One attempt; |trace_all| marks syscalls libseccomp refused as rules. */
/* How a forced call is traced (struct filter_force). */
enum force_kind {
	FORCE_NONE,
	FORCE_ALL,		/* every call stops */
	FORCE_UNLESS_ARG0_ZERO, /* calls on the caller itself (argument 0 is 0) do not */
	FORCE_WHEN_BITS,	/* only calls with one of some bits set in an argument */
};

/* The argument and bits of a FORCE_WHEN_BITS call, by syscall number. */
struct when_bits {
	unsigned int arg;
	uint64_t bits;
};

/*
 * A forced call that need not stop when its first argument is 0: TRACE for
 * the others, the policy's unconditional answer for those. Returns 1 when
 * handled, 0 when the plan has conditions (then every call stops).
 */
static int apply_unless_arg0_zero(scmp_filter_ctx ctx, int nr, const struct plan *pl, uint32_t kdef)
{
	int r;

	if (pl->kind != PLAN_NONE && pl->kind != PLAN_UNCOND)
		return 0;
	if (kdef != SCMP_ACT_TRACE(0)) {
		r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 1, SCMP_A0(SCMP_CMP_NE, 0));
		if (r < 0)
			return r;
	}
	if (pl->kind == PLAN_UNCOND && pl->fallback != kdef) {
		r = seccomp_rule_add(ctx, pl->fallback, nr, 1, SCMP_A0(SCMP_CMP_EQ, 0));
		if (r < 0)
			return r;
	}
	return 1;
}

/*
 * A forced call that need stop only when argument |w->arg| has one of the
 * bits |w->bits|: TRACE for each such bit, the policy's unconditional
 * answer when none is set (the two sets of conditions never overlap).
 * Returns 1 when handled, 0 when the plan has conditions (every call
 * stops then).
 */
static int apply_when_bits(scmp_filter_ctx ctx, int nr, const struct plan *pl, uint32_t kdef,
			   const struct when_bits *w)
{
	int r;

	if (pl->kind != PLAN_NONE && pl->kind != PLAN_UNCOND)
		return 0;
	for (unsigned int bit = 0; kdef != SCMP_ACT_TRACE(0) && bit < 64; bit++) {
		uint64_t b = 1ULL << bit;

		if (!(w->bits & b))
			continue;
		r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 1,
				     SCMP_CMP(w->arg, SCMP_CMP_MASKED_EQ, b, b));
		if (r < 0)
			return r;
	}
	if (pl->kind == PLAN_UNCOND && pl->fallback != kdef) {
		r = seccomp_rule_add(ctx, pl->fallback, nr, 1,
				     SCMP_CMP(w->arg, SCMP_CMP_MASKED_EQ, w->bits, 0));
		if (r < 0)
			return r;
	}
	return 1;
}

/*
 * What one compile knows about each call number: the policy's plan for it,
 * what forces it to stop, and what is traced as a whole after all (over
 * the budget, or refused by libseccomp).
 */
struct compile {
	const struct policy *p;
	uint32_t kdef;
	size_t budget; /* rules_cost() units the kernel's part may spend */
	bool named[MAX_NR];
	bool counted[MAX_NR];
	bool trace_all[MAX_NR];
	uint8_t forced[MAX_NR];
	struct when_bits when[MAX_NR];
	struct plan plan[MAX_NR];
	size_t cost[MAX_NR]; /* of each PLAN_RULES call kept in the kernel */
	struct call_rules cr;
	/*
	 * libseccomp's pseudo numbers (negative) of calls this CPU lacks that
	 * rules name or |force| lists: with a foreign ABI that has them, every
	 * such call of it stops (the supervisor matches them by that number).
	 */
	int pseudo[MAX_PSEUDO];
	size_t n_pseudo;
};

/*
 * libseccomp's compile time grows much faster than linearly with the rules
 * it is given (tests/bench: 1,100 instructions took 0.1 s, 2,250 took 0.8
 * s and 2,650 took 2.8 s), and the kernel takes 4096 instructions at most.
 * So the conditional rules the kernel decides cost at most this many
 * rules_cost() units, divided among the architectures; the calls past it
 * (those with the most rules first) are traced as a whole, which is as
 * exact and costs a stop per call. Measured: docs/performance.md.
 */
#define KERNEL_BUDGET 1200

static int by_cost(const void *a, const void *b, void *arg)
{
	const struct compile *c = arg;
	int x = *(const int *)a, y = *(const int *)b;

	if (c->cost[x] != c->cost[y])
		return c->cost[x] < c->cost[y] ? -1 : 1;
	return x - y;
}

/*
 * Keep in the kernel the calls with conditional rules whose costs, cheapest
 * first, fit |c->budget|; trace the others as a whole.
 */
static int fit_budget(struct compile *c)
{
	_cleanup_free_ int *order = calloc(MAX_NR, sizeof(*order));
	struct kernel_rules kr;
	size_t n = 0, spent = 0;

	if (!order)
		return -ENOMEM;
	for (int nr = 0; nr < MAX_NR; nr++) {
		if (c->plan[nr].kind != PLAN_RULES || c->trace_all[nr] ||
		    c->forced[nr] != FORCE_NONE || c->counted[nr])
			continue;
		call_rules_fill(c->p, nr, &c->cr);
		if (collect_rules(&c->cr, nr, &c->plan[nr], c->kdef, &kr) < 0) {
			c->trace_all[nr] = true; /* apply_plan() would trace it anyway */
			continue;
		}
		c->cost[nr] = rules_cost(&kr);
		order[n++] = nr;
	}
	qsort_r(order, n, sizeof(*order), by_cost, c);
	for (size_t i = 0; i < n; i++) {
		if (spent + c->cost[order[i]] > c->budget)
			c->trace_all[order[i]] = true;
		else
			spent += c->cost[order[i]];
	}
	return 0;
}

/* Note pseudo number |nr| once. */
static void add_pseudo(struct compile *c, int nr)
{
	for (size_t i = 0; i < c->n_pseudo; i++)
		if (c->pseudo[i] == nr)
			return;
	if (c->n_pseudo < MAX_PSEUDO)
		c->pseudo[c->n_pseudo++] = nr;
}

static int compile_init(struct compile *c, const struct policy *p, const struct filter_force *force,
			size_t n_force)
{
	unsigned int arches = filter_arch_count(p->arches);

	c->p = p;
	c->kdef = filter_kernel_action(-1, &p->default_verdict);
	c->budget = KERNEL_BUDGET / arches;
	c->cr.r = calloc(POLICY_N_BUILTIN + p->n_rules, sizeof(*c->cr.r));
	if (!c->cr.r)
		return -ENOMEM;
	for (size_t i = 0; i < policy_rule_count(p); i++) {
		const struct policy_rule *rule = policy_rule(p, i);

		for (size_t k = 0; k < rule->n_syscalls; k++)
			if (rule->syscalls[k] >= 0 && rule->syscalls[k] < MAX_NR)
				c->named[rule->syscalls[k]] = true;
			else if (rule->syscalls[k] < -1)
				add_pseudo(c, rule->syscalls[k]);
	}
	for (size_t i = 0; i < n_force; i++) {
		int nr = force[i].nr;

		if (nr < -1)
			add_pseudo(c, nr);
		if (nr < 0 || nr >= MAX_NR)
			continue;
		/* Forced twice in different ways: every call stops. */
		if (force[i].when_bits && c->forced[nr] == FORCE_NONE) {
			c->forced[nr] = FORCE_WHEN_BITS;
			c->when[nr] = (struct when_bits){force[i].when_arg, force[i].when_bits};
		} else if (force[i].unless_arg0_zero && (c->forced[nr] == FORCE_NONE ||
							 c->forced[nr] == FORCE_UNLESS_ARG0_ZERO)) {
			c->forced[nr] = FORCE_UNLESS_ARG0_ZERO;
		} else {
			c->forced[nr] = FORCE_ALL;
		}
	}
	for (int nr = 0; nr < MAX_NR; nr++) {
		/* No rule names it and nothing forces it: the default covers it. */
		if (!c->named[nr] && c->forced[nr] == FORCE_NONE)
			continue;
		call_rules_fill(p, nr, &c->cr);
		c->plan[nr] = plan_syscall(p, &c->cr, nr, c->kdef);
		c->counted[nr] = policy_counted(p, nr); /* state only the supervisor has */
	}
	return fit_budget(c);
}

/* One call's part of the filter. Returns 0 or libseccomp's -errno. */
static int add_call(struct compile *c, scmp_filter_ctx ctx, int nr)
{
	struct plan pl = c->plan[nr];
	int r;

	if ((c->forced[nr] == FORCE_UNLESS_ARG0_ZERO || c->forced[nr] == FORCE_WHEN_BITS) &&
	    !c->trace_all[nr] && !c->counted[nr]) {
		r = c->forced[nr] == FORCE_WHEN_BITS
			    ? apply_when_bits(ctx, nr, &pl, c->kdef, &c->when[nr])
			    : apply_unless_arg0_zero(ctx, nr, &pl, c->kdef);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	if ((c->trace_all[nr] && pl.kind != PLAN_NONE) || c->forced[nr] != FORCE_NONE ||
	    c->counted[nr])
		pl.kind = PLAN_TRACE_ALL;
	if (pl.kind == PLAN_RULES)
		call_rules_fill(c->p, nr, &c->cr);
	return apply_plan(ctx, &c->cr, nr, &pl, c->kdef);
}

/*
 * One attempt: the context, or NULL with |*ret_err| (and |*ret_bad_nr|
 * when libseccomp refused a call).
 */
static scmp_filter_ctx build_once(struct compile *c, int *ret_err, int *ret_bad_nr)
{
	scmp_filter_ctx ctx = seccomp_init(c->kdef);
	int r;

	if (!ctx) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(0));
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r == 0)
		r = filter_add_arches(ctx, c->p->arches);
	/* libseccomp puts each on the foreign ABIs that have it, and on no other. */
	for (size_t i = 0; r == 0 && filter_arch_count(c->p->arches) > 1 && i < c->n_pseudo; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), c->pseudo[i], 0);
	for (int nr = 0; r == 0 && nr < MAX_NR; nr++) {
		if (!c->named[nr] && c->forced[nr] == FORCE_NONE)
			continue;
		r = add_call(c, ctx, nr);
		if (r < 0)
			*ret_bad_nr = nr;
	}
	if (r < 0) {
		seccomp_release(ctx);
		*ret_err = r;
		return NULL;
	}
	return ctx;
}

/*
 * Compile until libseccomp takes every call (a call it refuses is traced as
 * a whole) and the program fits the kernel (the budget halves until it
 * does). Returns the context and its program in |prog|.
 */
static scmp_filter_ctx compile(struct compile *c, struct filter *prog, int *ret_err)
{
	for (;;) {
		int bad = -1, r = 0;
		scmp_filter_ctx ctx = build_once(c, &r, &bad);

		if (!ctx && (bad < 0 || c->trace_all[bad])) {
			*ret_err = r;
			return NULL;
		}
		if (!ctx) {
			c->trace_all[bad] = true;
			continue;
		}
		r = filter_export(ctx, prog);
		if (r == 0 && prog->len <= BPF_MAXINSNS)
			return ctx;
		seccomp_release(ctx);
		filter_release(prog);
		if (r < 0 || c->budget == 0) {
			*ret_err = r < 0 ? r : -E2BIG;
			return NULL;
		}
		c->budget /= 2;
		r = fit_budget(c);
		if (r < 0) {
			*ret_err = r;
			return NULL;
		}
	}
}

static int build(const struct policy *p, const struct filter_force *force, size_t n_force,
		 enum output out, int fd, struct filter *ret)
{
	_cleanup_free_ struct compile *c = calloc(1, sizeof(*c));
	struct filter prog = {0};
	scmp_filter_ctx ctx = NULL;
	int r = c ? compile_init(c, p, force, n_force) : -ENOMEM;

	if (r == 0)
		ctx = compile(c, &prog, &r);
	if (c)
		free(c->cr.r);
	if (!ctx)
		return r;
	if (out == OUT_MEMORY)
		*ret = prog;
	else if (out == OUT_PFC)
		r = seccomp_export_pfc(ctx, fd);
	else if (write_all(fd, (const char *)prog.insns, prog.len * sizeof(*prog.insns)) < 0)
		r = -errno;
	if (out != OUT_MEMORY)
		filter_release(&prog);
	seccomp_release(ctx);
	return r;
}

int filter_build(const struct policy *p, const struct filter_force *force, size_t n_force,
		 struct filter *ret)
{
	*ret = (struct filter){0};
	if (p->oci)
		return filter_oci_build(p, force, n_force, ret);
	return build(p, force, n_force, OUT_MEMORY, -1, ret);
}

int filter_dump(const struct policy *p, bool bpf, int fd)
{
	struct filter f;
	int r;

	if (p->oci && !bpf)
		return filter_oci_dump(p, fd);
	if (!p->oci)
		return build(p, NULL, 0, bpf ? OUT_BPF : OUT_PFC, fd, NULL);
	r = filter_oci_build(p, NULL, 0, &f);
	if (r == 0 && write_all(fd, (const char *)f.insns, f.len * sizeof(*f.insns)) < 0)
		r = -errno;
	filter_release(&f);
	return r;
}

void filter_release(struct filter *f)
{
	free(f->insns);
	f->insns = NULL;
	f->len = 0;
}

struct filter_cache {
	struct filter_force *force;
	size_t n_force;
	struct filter filter;
};

static void cache_free(void *cache)
{
	struct filter_cache *c = cache;

	if (!c)
		return;
	free(c->force);
	filter_release(&c->filter);
	free(c);
}

static bool same_force(const struct filter_force *a, size_t n_a, const struct filter_force *b,
		       size_t n_b)
{
	if (n_a != n_b)
		return false;
	for (size_t i = 0; i < n_a; i++)
		if (a[i].nr != b[i].nr || a[i].unless_arg0_zero != b[i].unless_arg0_zero ||
		    a[i].when_arg != b[i].when_arg || a[i].when_bits != b[i].when_bits)
			return false;
	return true;
}

const struct filter_prebuilt *filter_prebuilt_find(const struct policy *p,
						   const struct filter_force *force, size_t n_force)
{
	for (size_t i = 0; i < p->n_prebuilt; i++)
		if (same_force(p->prebuilt[i].force, p->prebuilt[i].n_force, force, n_force))
			return &p->prebuilt[i];
	return NULL;
}

static int copy_filter(const struct filter *from, struct filter *to)
{
	to->insns = malloc(from->len * sizeof(*from->insns));
	if (!to->insns)
		return -ENOMEM;
	memcpy(to->insns, from->insns, from->len * sizeof(*from->insns));
	to->len = from->len;
	return 0;
}

int filter_build_cached(const struct policy *p, const struct filter_force *force, size_t n_force,
			struct filter *ret)
{
	/* The cache is not part of what the policy says: it may change under a const. */
	struct policy *mut = (struct policy *)p;
	struct filter_cache *c = p->filter_cache;
	const struct filter_prebuilt *pre = filter_prebuilt_find(p, force, n_force);
	int r;

	*ret = (struct filter){0};
	if (pre)
		return copy_filter(&(struct filter){.insns = (struct sock_filter *)pre->insns,
						    .len = pre->len},
				   ret);
	if (c && same_force(c->force, c->n_force, force, n_force))
		return copy_filter(&c->filter, ret);
	r = filter_build(p, force, n_force, ret);
	if (r < 0)
		return r;
	c = calloc(1, sizeof(*c));
	if (c && n_force)
		c->force = malloc(n_force * sizeof(*force));
	if (!c || (n_force && !c->force) || copy_filter(ret, &c->filter) < 0) {
		cache_free(c);
		return 0; /* no cache this time; the filter itself is fine */
	}
	if (n_force)
		memcpy(c->force, force, n_force * sizeof(*force));
	c->n_force = n_force;
	cache_free(mut->filter_cache);
	mut->filter_cache = c;
	mut->filter_cache_free = cache_free;
	return 0;
}
