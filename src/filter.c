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
 * rule set (it rejects some combinations), the syscall is traced as a whole.
 */
#include "filter.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
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
	size_t last;	   /* rules before this index can match */
};

static struct plan plan_syscall(const struct policy *p, int nr, uint32_t kdef)
{
	struct plan pl = {.kind = PLAN_NONE, .last = policy_rule_count(p)};
	const struct policy_verdict *fallback = &p->default_verdict;
	bool conditional = false;

	for (size_t i = 0; i < policy_rule_count(p); i++) {
		if (policy_rule_names(policy_rule(p, i), nr) && policy_rule(p, i)->n_conds == 0) {
			fallback = &policy_rule(p, i)->verdict;
			pl.last = i;
			break;
		}
	}
	pl.fallback = filter_kernel_action(nr, fallback);
	for (size_t i = 0; i < pl.last; i++)
		if (policy_rule_names(policy_rule(p, i), nr) &&
		    filter_kernel_action(nr, &policy_rule(p, i)->verdict) != pl.fallback)
			conditional = true;
	if (!conditional) {
		pl.kind = pl.fallback == kdef ? PLAN_NONE : PLAN_UNCOND;
		return pl;
	}
	/* Rule order only matters where rules of different outcomes overlap. */
	for (size_t i = 0; i < pl.last; i++) {
		const struct policy_rule *a = policy_rule(p, i);

		for (size_t j = i + 1; policy_rule_names(a, nr) && j < pl.last; j++) {
			const struct policy_rule *b = policy_rule(p, j);

			if (policy_rule_names(b, nr) &&
			    filter_kernel_action(nr, &a->verdict) !=
				    filter_kernel_action(nr, &b->verdict) &&
			    !rules_disjoint(nr, a, b)) {
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

static int apply_rules(scmp_filter_ctx ctx, const struct policy *p, int nr, const struct plan *pl,
		       uint32_t kdef)
{
	struct kernel_rules kr; /* about 10 KiB: on the stack, one per call */
	const struct policy_rule *others[64];
	size_t n_others = 0;
	int r = 0;

	kr.n = 0;
	for (size_t i = 0; r == 0 && i < pl->last; i++) {
		const struct policy_rule *rule = policy_rule(p, i);
		uint32_t act = filter_kernel_action(nr, &rule->verdict);

		if (!policy_rule_names(rule, nr) || act == pl->fallback)
			continue;
		if (n_others == ARRAY_SIZE(others))
			return -EDOM;
		others[n_others++] = rule;
		if (act != kdef)
			r = push_rule(&kr, act, nr, rule);
	}
	if (r == 0 && pl->fallback != kdef)
		r = push_else_rules(&kr, pl->fallback, nr, others, n_others);
	if (r == 0 && !shape_is_safe(&kr))
		r = -EDOM;
	for (size_t i = 0; r == 0 && i < kr.n; i++)
		r = seccomp_rule_add_array(ctx, kr.r[i].action, nr, kr.r[i].n_cmp, kr.r[i].cmp);
	return r;
}

static int apply_plan(scmp_filter_ctx ctx, const struct policy *p, int nr, const struct plan *pl,
		      uint32_t kdef)
{
	switch (pl->kind) {
	case PLAN_NONE:
		return 0;
	case PLAN_UNCOND:
		return seccomp_rule_add(ctx, pl->fallback, nr, 0);
	case PLAN_TRACE_ALL:
		return kdef == SCMP_ACT_TRACE(0) ? 0
						 : seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
	case PLAN_RULES:
		return apply_rules(ctx, p, nr, pl, kdef);
	}
	return -EINVAL;
}

int filter_add_arches(void *ctx, unsigned int arches)
{
	int r = 0;

	if (arches & POLICY_ARCH_X86)
		r = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	if (r == 0 && (arches & POLICY_ARCH_X32))
		r = seccomp_arch_add(ctx, SCMP_ARCH_X32);
	return r == -EEXIST ? 0 : r;
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

static int build_once(const struct policy *p, const bool *named, const bool *trace_all,
		      const uint8_t *forced, const struct when_bits *when, enum output out, int fd,
		      struct filter *ret, int *ret_bad_nr)
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
		r = filter_add_arches(ctx, p->arches);
	for (int nr = 0; r == 0 && nr < MAX_NR; nr++) {
		struct plan pl;
		bool counted;

		/* No rule names it and nothing forces it: the default covers it. */
		if (!named[nr] && forced[nr] == FORCE_NONE)
			continue;
		pl = plan_syscall(p, nr, kdef);
		counted = policy_counted(p, nr); /* state only the supervisor has */
		if ((forced[nr] == FORCE_UNLESS_ARG0_ZERO || forced[nr] == FORCE_WHEN_BITS) &&
		    !trace_all[nr] && !counted) {
			r = forced[nr] == FORCE_WHEN_BITS
				    ? apply_when_bits(ctx, nr, &pl, kdef, &when[nr])
				    : apply_unless_arg0_zero(ctx, nr, &pl, kdef);
			if (r < 0) {
				*ret_bad_nr = nr;
				continue; /* the loop ends on r */
			}
			if (r > 0) {
				r = 0;
				continue;
			}
		}
		if ((trace_all[nr] && pl.kind != PLAN_NONE) || forced[nr] != FORCE_NONE || counted)
			pl.kind = PLAN_TRACE_ALL;
		r = apply_plan(ctx, p, nr, &pl, kdef);
		if (r < 0)
			*ret_bad_nr = nr;
	}
	if (r == 0 && out == OUT_MEMORY)
		r = filter_export(ctx, ret);
	else if (r == 0 && out == OUT_PFC)
		r = seccomp_export_pfc(ctx, fd);
	else if (r == 0)
		r = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	return r;
}

static int build(const struct policy *p, const struct filter_force *force, size_t n_force,
		 enum output out, int fd, struct filter *ret)
{
	bool trace_all[MAX_NR] = {false};
	bool named[MAX_NR] = {false};
	uint8_t forced[MAX_NR] = {FORCE_NONE};
	_cleanup_free_ struct when_bits *when = calloc(MAX_NR, sizeof(*when));

	if (!when)
		return -ENOMEM;

	for (size_t i = 0; i < policy_rule_count(p); i++) {
		const struct policy_rule *rule = policy_rule(p, i);

		for (size_t k = 0; k < rule->n_syscalls; k++)
			if (rule->syscalls[k] >= 0 && rule->syscalls[k] < MAX_NR)
				named[rule->syscalls[k]] = true;
	}

	for (size_t i = 0; i < n_force; i++) {
		int nr = force[i].nr;

		if (nr < 0 || nr >= MAX_NR)
			continue;
		/* Forced twice in different ways: every call stops. */
		if (force[i].when_bits && forced[nr] == FORCE_NONE) {
			forced[nr] = FORCE_WHEN_BITS;
			when[nr] = (struct when_bits){force[i].when_arg, force[i].when_bits};
		} else if (force[i].unless_arg0_zero &&
			   (forced[nr] == FORCE_NONE || forced[nr] == FORCE_UNLESS_ARG0_ZERO)) {
			forced[nr] = FORCE_UNLESS_ARG0_ZERO;
		} else {
			forced[nr] = FORCE_ALL;
		}
	}
	for (;;) {
		int bad = -1;
		int r = build_once(p, named, trace_all, forced, when, out, fd, ret, &bad);

		if (r == 0 || bad < 0 || trace_all[bad])
			return r;
		trace_all[bad] = true;
	}
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

static bool same_force(const struct filter_cache *c, const struct filter_force *force, size_t n)
{
	if (c->n_force != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (c->force[i].nr != force[i].nr ||
		    c->force[i].unless_arg0_zero != force[i].unless_arg0_zero ||
		    c->force[i].when_arg != force[i].when_arg ||
		    c->force[i].when_bits != force[i].when_bits)
			return false;
	return true;
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
	int r;

	*ret = (struct filter){0};
	if (c && same_force(c, force, n_force))
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
