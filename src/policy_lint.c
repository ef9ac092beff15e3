/* SPDX-License-Identifier: MIT */
/*
 * policy_lint.c - owns the checks of a whole policy once it is read and
 * merged: rules of one file that conflict (an error: the file says two
 * things about the same calls), and warnings for allows that open the
 * sandbox (ptrace, io_uring, bpf, ...) and for comparisons whose width the
 * sandbox does not know. Messages point at the file and JSON path where
 * the rule was written.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "names.h"
#include "policy_json.h"
#include "syscalls.h"

/*
 * The first rule without a count for each (file, call, conditions) seen so
 * far, in an open-addressing table: check_shadowed() asks it instead of
 * comparing every rule with every earlier one (150,000 rules took minutes).
 */
struct first_rules {
	const struct policy_rule **rule; /* NULL: an empty slot */
	int *nr;
	size_t mask; /* slots - 1; slots a power of two, at least twice the entries */
};

struct linter {
	const struct policy *p;
	struct strbuf *diag;
	bool warnings_text;
	struct policy_report *rep;
	char where[PATH_MAX_LEN]; /* policy_rule_path()'s text for the say() at hand */
	struct first_rules first;
	struct jsonpos_cursor *cursors; /* one per source, so messages in file order scan once */
};

static void say(struct linter *l, unsigned int src, const char *path, bool warning, const char *fmt,
		...) _printf_(5, 6);

static void say(struct linter *l, unsigned int src, const char *path, bool warning, const char *fmt,
		...)
{
	const struct policy_source *s = &l->p->sources[src];
	struct parser ps = {.source = s->name,
			    .text = s->text,
			    .len = s->len,
			    .diag = l->diag,
			    .cursor = l->cursors ? &l->cursors[src] : NULL};
	_cleanup_strbuf_ struct strbuf msg = {0};
	va_list ap;

	if (warning && !l->warnings_text) { /* counted only */
		l->rep->warnings++;
		return;
	}
	va_start(ap, fmt);
	strbuf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_at(&ps, path, false, warning, "%s", strbuf_str(&msg));
	l->rep->errors += ps.errors;
	l->rep->warnings += ps.warnings;
}

static const char *sys_name(int nr, char *buf, size_t size)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

	snprintf(buf, size, "%s", name ? name : "?");
	free(name);
	return buf;
}

static bool names(const struct policy_rule *r, int nr)
{
	for (size_t i = 0; i < r->n_syscalls; i++)
		if (r->syscalls[i] == nr)
			return true;
	return false;
}

static bool same_verdict(const struct policy_verdict *a, const struct policy_verdict *b)
{
	return a->action == b->action && a->log == b->log &&
	       (a->action != POLICY_ERRNO || a->errno_value == b->errno_value) &&
	       (a->action != POLICY_RETURN || a->ret_value == b->ret_value);
}

static bool same_conds(const struct policy_rule *a, const struct policy_rule *b)
{
	if (a->n_conds != b->n_conds)
		return false;
	for (size_t i = 0; i < a->n_conds; i++) {
		const struct policy_cond *x = &a->conds[i], *y = &b->conds[i];

		if (x->index != y->index || x->op != y->op || x->value != y->value ||
		    (x->op == POLICY_OP_MASKED_EQ && x->mask != y->mask))
			return false;
	}
	return true;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

/* |conds| NULL: the key of an unconditional rule. */
static size_t key_hash(unsigned int src, int nr, const struct policy_rule *conds)
{
	uint64_t h = mix(mix(0, src), (uint64_t)(unsigned int)nr);

	for (size_t i = 0; conds && i < conds->n_conds; i++) {
		const struct policy_cond *c = &conds->conds[i];

		h = mix(mix(mix(h, c->index), c->op), c->value);
		if (c->op == POLICY_OP_MASKED_EQ)
			h = mix(h, c->mask);
	}
	return (size_t)(h ^ (h >> 29));
}

static int first_rules_init(struct first_rules *t, const struct policy *p)
{
	size_t entries = 0, slots = 16;

	for (size_t i = 0; i < p->n_rules; i++)
		entries += p->rules[i].n_syscalls;
	while (slots < 2 * entries)
		slots *= 2;
	t->rule = calloc(slots, sizeof(*t->rule));
	t->nr = calloc(slots, sizeof(*t->nr));
	t->mask = slots - 1;
	return t->rule && t->nr ? 0 : -ENOMEM;
}

static void first_rules_free(struct first_rules *t)
{
	free(t->rule);
	free(t->nr);
}

/*
 * The slot of (|r|'s file, |nr|, |r|'s conditions, or none when
 * |unconditional|): the rule in it, or the empty slot where it goes.
 */
static size_t first_slot(const struct first_rules *t, const struct policy_rule *r, int nr,
			 bool unconditional)
{
	size_t i = key_hash(r->src, nr, unconditional ? NULL : r) & t->mask;

	for (;; i = (i + 1) & t->mask) {
		const struct policy_rule *e = t->rule[i];

		if (!e || (e->src == r->src && t->nr[i] == nr &&
			   (unconditional ? e->n_conds == 0 : same_conds(e, r))))
			return i;
	}
}

/*
 * The first earlier rule of |r|'s file without a count that decides every
 * |nr| call |r| could match: no conditions, or the same ones. NULL: none.
 */
static const struct policy_rule *first_decider(const struct first_rules *t,
					       const struct policy_rule *r, int nr)
{
	const struct policy_rule *a = t->rule[first_slot(t, r, nr, true)];
	const struct policy_rule *b = r->n_conds ? t->rule[first_slot(t, r, nr, false)] : NULL;

	return a && (!b || a < b) ? a : b;
}

/* |r| is read: it decides for the rules after it (the first one of a key stays). */
static void first_rules_add(struct first_rules *t, const struct policy_rule *r)
{
	if (r->count)
		return;
	for (size_t k = 0; k < r->n_syscalls; k++) {
		size_t i = first_slot(t, r, r->syscalls[k], r->n_conds == 0);

		if (!t->rule[i]) {
			t->rule[i] = r;
			t->nr[i] = r->syscalls[k];
		}
	}
}

/*
 * Within one file, a rule for call S after a rule that already decides
 * every S call it could match (no conditions, or the same ones, and no
 * count) never applies to S. A different outcome is a contradiction
 * (error; a warning in OCI profiles, whose order never mattered to their
 * authors); the same outcome is only redundant (warning). The built-in
 * rules come before everything: a policy rule they shadow gets a warning.
 */
static void check_shadowed(struct linter *l, const struct policy_rule *r, size_t k)
{
	const struct policy *p = l->p;
	const struct policy_rule *e;
	int nr = r->syscalls[k];
	char name[64];
	bool differ;

	for (size_t i = 0; i < POLICY_N_BUILTIN; i++) {
		const struct policy_rule *b = policy_rule(p, i);

		if (names(b, nr) && b->n_conds == 0) {
			say(l, r->src, policy_rule_path(r, k, l->where, sizeof(l->where)), true,
			    "%s: a built-in rule decides every %s call (%s); this entry never "
			    "applies",
			    sys_name(nr, name, sizeof(name)), name,
			    policy_builtin_reason(POLICY_RULE_BUILTIN_FIRST - (int)i));
			return;
		}
	}
	if (p->sources[r->src].oci)
		return; /* libseccomp's order, not the file's: check_oci_overlaps() */
	e = first_decider(&l->first, r, nr);
	if (!e)
		return;
	differ = !same_verdict(&e->verdict, &r->verdict) || r->count;
	say(l, r->src, policy_rule_path(r, k, l->where, sizeof(l->where)),
	    !differ || p->sources[r->src].oci,
	    "%s is already decided by %s[%u]%s (%s): this rule (%s) never applies to it",
	    sys_name(nr, name, sizeof(name)), e->list_key, e->index,
	    e->n_conds ? " with the same conditions" : " for every call",
	    policy_action_name(e->verdict.action), policy_action_name(r->verdict.action));
}

static const struct {
	int nr;
	const char *why;
} dangerous[] = {
	{__NR_ptrace, "the program could trace and control other processes of its uid (inside the "
		      "sandbox it cannot anyway: every process is already traced by the "
		      "supervisor, so strace and gdb fail there)"},
	{__NR_process_vm_writev, "it writes into the memory of other processes of its uid"},
	{__NR_io_uring_setup, "io_uring does file and network I/O that seccomp never sees"},
	{__NR_io_uring_enter, "io_uring does file and network I/O that seccomp never sees"},
	{__NR_io_uring_register, "io_uring does file and network I/O that seccomp never sees"},
	{__NR_bpf, "it loads programs into the kernel"},
	{__NR_userfaultfd, "a favourite tool for winning kernel races in exploits"},
	{__NR_kexec_load, "it replaces the running kernel"},
	{__NR_kexec_file_load, "it replaces the running kernel"},
	{__NR_mount, "it changes the file system the program sees (in a user namespace, "
		     "without privileges)"},
	{__NR_unshare, "new namespaces widen the kernel surface and change what the program sees"},
	{__NR_setns, "it joins other namespaces"},
	{__NR_perf_event_open, "a large kernel attack surface, and a side channel"},
};

static bool allows(const struct policy_verdict *v)
{
	return v->action == POLICY_ALLOW || v->action == POLICY_LOG;
}

/*
 * The first rule that can let |nr| run, or NULL when an unconditional
 * rule denies it first; |*ret_default| when the default lets it run.
 */
static const struct policy_rule *first_allow(const struct policy *p, int nr, bool *ret_default)
{
	*ret_default = false;
	for (size_t i = 0; i < POLICY_N_BUILTIN; i++) {
		const struct policy_rule *b = policy_rule(p, i);

		if (names(b, nr) && b->n_conds == 0)
			return NULL;
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!names(r, nr))
			continue;
		if (allows(&r->verdict) || (r->has_then && allows(&r->then)))
			return r;
		if (r->n_conds == 0 && !r->count)
			return NULL;
	}
	*ret_default = allows(&p->default_verdict);
	return NULL;
}

static size_t entry_of(const struct policy_rule *r, int nr)
{
	for (size_t k = 0; k < r->n_syscalls; k++)
		if (r->syscalls[k] == nr)
			return k;
	return 0;
}

/*
 * One warning per rule that lets a dangerous call run; the ones only the
 * default lets run are named together in one warning at "default".
 */
static void check_dangerous(struct linter *l)
{
	const struct policy *p = l->p;
	_cleanup_strbuf_ struct strbuf by_default = {0};
	char name[64];

	for (size_t i = 0; i < ARRAY_SIZE(dangerous); i++) {
		int nr = dangerous[i].nr;
		bool dflt;
		const struct policy_rule *r = first_allow(p, nr, &dflt);

		if (r)
			say(l, r->src,
			    policy_rule_path(r, entry_of(r, nr), l->where, sizeof(l->where)), true,
			    "allows %s: %s", sys_name(nr, name, sizeof(name)), dangerous[i].why);
		else if (dflt)
			strbuf_printf(&by_default, "%s%s", by_default.len ? ", " : "",
				      sys_name(nr, name, sizeof(name)));
	}
	if (by_default.len)
		say(l, p->default_src, "default", true,
		    "the default action allows %s: calls that reach past the sandbox (tracing "
		    "other processes, io_uring, kernel programs and modules, mounts, "
		    "namespaces); give them rules (the default policy shows how)",
		    strbuf_str(&by_default));
}

/* seccomp() allowed without looking at its flags (argument 1). */
static void check_seccomp(struct linter *l)
{
	const struct policy *p = l->p;
	bool by_default;
	const struct policy_rule *r = first_allow(p, __NR_seccomp, &by_default);
	static const char why[] = "seccomp is allowed without a condition on its flags "
				  "(argument 1); the built-in rule stops notify listeners, but "
				  "say which flags you mean";

	if (r) {
		for (size_t c = 0; c < r->n_conds; c++)
			if (r->conds[c].index == 1)
				return;
		say(l, r->src,
		    policy_rule_path(r, entry_of(r, __NR_seccomp), l->where, sizeof(l->where)),
		    true, "%s", why);
	} else if (by_default) {
		say(l, p->default_src, "default", true, "%s", why);
	}
}

/* Conditions on arguments whose width the sandbox does not know: compared as 64 bits. */
static void check_widths(struct linter *l, const struct policy_rule *r)
{
	char path[PATH_MAX_LEN], name[64];

	for (size_t c = 0; c < r->n_conds; c++) {
		for (size_t k = 0; k < r->n_syscalls; k++) {
			if (syscall_arg_bits(r->syscalls[k], r->conds[c].index) != 0)
				continue;
			snprintf(path, sizeof(path), "%s[%u].args[%zu]", r->list_key, r->index, c);
			say(l, r->src, path, true,
			    "the width of argument %u of %s is unknown to the sandbox: it is "
			    "compared as 64 bits, so if the kernel reads an int there, a value "
			    "with the upper half set is another call to this rule but not to the "
			    "kernel",
			    r->conds[c].index, sys_name(r->syscalls[k], name, sizeof(name)));
			break;
		}
	}
}

static bool oci_same_action(const struct oci_action *a, const struct oci_action *b)
{
	return a->act == b->act &&
	       (a->data == b->data || (a->act != OCI_ACT_ERRNO && a->act != OCI_ACT_TRACE));
}

/*
 * No argument vector meets both: one condition of each (all of which must
 * hold) on one argument that cannot both hold (== v and != v, or == and
 * masked_eq of different values).
 */
static bool oci_disjoint(const struct oci_call *a, const struct oci_call *b)
{
	if (a->conds_any || b->conds_any)
		return false; /* runc adds each condition alone: any one matches */
	for (size_t i = 0; i < a->n_conds; i++) {
		for (size_t k = 0; k < b->n_conds; k++) {
			const struct policy_cond *x = &a->conds[i], *y = &b->conds[k];
			uint64_t m = (x->op == POLICY_OP_MASKED_EQ ? x->mask : UINT64_MAX) &
				     (y->op == POLICY_OP_MASKED_EQ ? y->mask : UINT64_MAX);

			if (x->index == y->index && x->value == y->value &&
			    ((x->op == POLICY_OP_EQ && y->op == POLICY_OP_NE) ||
			     (x->op == POLICY_OP_NE && y->op == POLICY_OP_EQ)))
				return true; /* == v and != v */
			if (x->index == y->index &&
			    (x->op == POLICY_OP_EQ || x->op == POLICY_OP_MASKED_EQ) &&
			    (y->op == POLICY_OP_EQ || y->op == POLICY_OP_MASKED_EQ) &&
			    (x->value & m) != (y->value & m))
				return true;
		}
	}
	return false;
}

/* "allow", "errno EACCES", "kill" ...: what runc's action does here. */
static const char *oci_action_text(const struct oci_action *a, char *buf, size_t size)
{
	struct policy_verdict v = policy_oci_verdict(a);
	const char *e = errno_name(v.errno_value);

	if (v.action == POLICY_ERRNO && !v.log)
		snprintf(buf, size, "errno %s", e ? e : "?");
	else
		snprintf(buf, size, "%s", policy_action_name(v.action));
	return buf;
}

static void oci_overlap(struct linter *l, const struct oci_call *a, const struct oci_call *b)
{
	char path[PATH_MAX_LEN], x[32], y[32];

	snprintf(path, sizeof(path), "syscalls[%u]", b->entry);
	if (a->n_conds == 0 && b->n_conds == 0)
		say(l, 0, path, true,
		    "%s: syscalls[%u] already decides every call (%s), and libseccomp keeps the "
		    "first: this entry (%s) never applies to it",
		    b->name, a->entry, oci_action_text(&a->action, x, sizeof(x)),
		    oci_action_text(&b->action, y, sizeof(y)));
	else if (a->n_conds == 0 || b->n_conds == 0)
		say(l, 0, path, true,
		    "%s: the unconditional syscalls[%u] decides every call whatever the order "
		    "(libseccomp, as under runc): the conditions of syscalls[%u] never apply",
		    b->name, a->n_conds ? b->entry : a->entry, a->n_conds ? a->entry : b->entry);
	else if (a->n_conds == b->n_conds &&
		 memcmp(a->conds, b->conds, a->n_conds * sizeof(*a->conds)) == 0)
		say(l, 0, path, false,
		    "%s: the same conditions as syscalls[%u] with another action: libseccomp "
		    "cannot build that (runc refuses the profile)",
		    b->name, a->entry);
	else if (!oci_disjoint(a, b))
		say(l, 0, path, true,
		    "%s: calls that meet the conditions of both syscalls[%u] (%s) and this entry "
		    "(%s) get the action libseccomp's own order of conditions picks, as under "
		    "runc (sandbox --dump-filter shows it)",
		    b->name, a->entry, oci_action_text(&a->action, x, sizeof(x)),
		    oci_action_text(&b->action, y, sizeof(y)));
}

static int by_nr(const void *a, const void *b)
{
	const struct oci_call *x = *(const struct oci_call *const *)a;
	const struct oci_call *y = *(const struct oci_call *const *)b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x < y ? -1 : x > y; /* file order within a call */
}

/*
 * Entries that give one call different actions (runc skips those equal to
 * the default). Only entries for the same call are compared: sorted by
 * call, each is compared with the earlier ones of its call, in file order.
 */
static int check_oci_overlaps(struct linter *l)
{
	const struct policy_oci *o = l->p->oci;
	_cleanup_free_ const struct oci_call **sorted = NULL;
	_cleanup_free_ size_t *first = NULL, *at = NULL;

	if (!o || o->n_calls == 0)
		return 0;
	sorted = calloc(o->n_calls, sizeof(*sorted));
	first = calloc(o->n_calls, sizeof(*first)); /* by sorted position: its call's first */
	at = calloc(o->n_calls, sizeof(*at));	    /* by file position: its sorted one */
	if (!sorted || !first || !at)
		return -ENOMEM;
	for (size_t i = 0; i < o->n_calls; i++)
		sorted[i] = &o->calls[i];
	qsort(sorted, o->n_calls, sizeof(*sorted), by_nr);
	for (size_t s = 0; s < o->n_calls; s++) {
		first[s] = s > 0 && sorted[s - 1]->nr == sorted[s]->nr ? first[s - 1] : s;
		at[sorted[s] - o->calls] = s;
	}
	for (size_t k = 0; k < o->n_calls; k++) {
		const struct oci_call *b = &o->calls[k];

		if (oci_same_action(&b->action, &o->default_action))
			continue;
		for (size_t s = first[at[k]]; s < at[k]; s++) {
			const struct oci_call *a = sorted[s];

			if (a->entry != b->entry && !oci_same_action(&a->action, &b->action) &&
			    !oci_same_action(&a->action, &o->default_action))
				oci_overlap(l, a, b);
		}
	}
	return 0;
}

int policy_lint(const struct policy *p, struct strbuf *diag, bool warnings_text,
		struct policy_report *rep)
{
	struct linter l = {.p = p, .diag = diag, .warnings_text = warnings_text, .rep = rep};
	int r = first_rules_init(&l.first, p);

	/* Without cursors the positions are found all the same, only slower. */
	l.cursors = calloc(p->n_sources, sizeof(*l.cursors));
	for (size_t i = 0; r == 0 && i < p->n_rules; i++) {
		for (size_t k = 0; k < p->rules[i].n_syscalls; k++)
			check_shadowed(&l, &p->rules[i], k);
		first_rules_add(&l.first, &p->rules[i]);
		check_widths(&l, &p->rules[i]);
	}
	if (r == 0) {
		check_dangerous(&l);
		check_seccomp(&l);
		r = check_oci_overlaps(&l);
	}
	first_rules_free(&l.first);
	free(l.cursors);
	return r;
}
