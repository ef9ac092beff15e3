/* SPDX-License-Identifier: MIT */
/*
 * Syscall groups: every member is a real x86_64 syscall (or a group), no
 * group includes itself through others, lookups take "@" or not, and a
 * policy naming a group gets exactly its (expanded) members.
 */
#include <check.h>
#include <seccomp.h>
#include <string.h>
#include <sys/syscall.h>

#include "run_suite.h"
#include "groups.h"
#include "learn.h"
#include "policy.h"
#include "syscalls.h"

START_TEST(members_resolve)
{
	const struct syscall_group *g = group_at((size_t)_i);

	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(g->description);
	for (const char *const *m = g->members; *m; m++) {
		if (**m == '@') {
			ck_assert_msg(group_find(*m), "@%s: no group %s", g->name, *m);
			continue;
		}
		ck_assert_msg(seccomp_syscall_resolve_name(*m) >= 0, "@%s: %s is no x86_64 syscall",
			      g->name, *m);
	}
}
END_TEST

/* Depth-first walk: a group reached again on the current path is a cycle. */
static bool cyclic(const struct syscall_group *g, const struct syscall_group **path, int depth)
{
	for (int i = 0; i < depth; i++)
		if (path[i] == g)
			return true;
	if (depth == 16)
		return true;
	path[depth] = g;
	for (const char *const *m = g->members; *m; m++)
		if (**m == '@' && cyclic(group_find(*m), path, depth + 1))
			return true;
	return false;
}

START_TEST(acyclic_and_sorted)
{
	const struct syscall_group *path[16];

	for (size_t i = 0; i < group_count(); i++) {
		ck_assert_msg(!cyclic(group_at(i), path, 0), "@%s includes itself",
			      group_at(i)->name);
		if (i)
			ck_assert_int_lt(strcmp(group_at(i - 1)->name, group_at(i)->name), 0);
	}
	ck_assert_ptr_null(group_at(group_count()));
}
END_TEST

START_TEST(lookup)
{
	ck_assert_ptr_eq(group_find("@file-system"), group_find("file-system"));
	ck_assert_ptr_nonnull(group_find("@system-service"));
	ck_assert_ptr_null(group_find("@no-such-group"));
	ck_assert_ptr_null(group_find(NULL));
	/* the names systemd and firejail users know */
	static const char *const names[] = {
		"@basic-io",   "@file-system", "@io-event", "@ipc",	      "@memory",
		"@network-io", "@process",     "@signal",   "@timer",	      "@clock",
		"@privileged", "@mount",       "@module",   "@reboot",	      "@swap",
		"@raw-io",     "@debug",       "@keyring",  "@obsolete",      "@resources",
		"@setuid",     "@sync",	       "@aio",	    "@system-service"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(group_find(names[i]), "missing %s", names[i]);
}
END_TEST

static struct policy *parse(const char *json, struct strbuf *diag)
{
	struct policy *p = NULL;

	strbuf_reset(diag);
	if (policy_parse("g.json", json, strlen(json), &p, diag) < 0)
		return NULL;
	return p;
}

static bool has(const struct policy_rule *r, int nr)
{
	for (size_t i = 0; i < r->n_syscalls; i++)
		if (r->syscalls[i] == nr)
			return true;
	return false;
}

START_TEST(policy_expands_groups)
{
	struct strbuf diag = {0};
	struct policy *p;

	p = parse("{\"default\":\"kill\",\"rules\":[{\"syscalls\":[\"@setuid\",\"setuid\",\"@"
		  "privileged\"],"
		  "\"action\":\"errno\"}]}",
		  &diag);
	ck_assert_msg(p, "%s", strbuf_str(&diag));
	/* @setuid's 7, @privileged's own and nested members; setuid counted once */
	ck_assert(has(&p->rules[0], SYS_setuid));
	ck_assert(has(&p->rules[0], SYS_setresgid));
	ck_assert(has(&p->rules[0], SYS_reboot));	 /* via @privileged -> @reboot */
	ck_assert(has(&p->rules[0], SYS_clock_settime)); /* via @privileged -> @clock */
	ck_assert(has(&p->rules[0], SYS_bpf));
	ck_assert(!has(&p->rules[0], SYS_read));
	for (size_t i = 0; i < p->rules[0].n_syscalls; i++)
		for (size_t j = i + 1; j < p->rules[0].n_syscalls; j++)
			ck_assert_int_ne(p->rules[0].syscalls[i], p->rules[0].syscalls[j]);
	/* entries point back at the name each came from */
	for (size_t i = 0; i < p->rules[0].n_syscalls; i++)
		if (p->rules[0].syscalls[i] == SYS_reboot)
			ck_assert_uint_eq(p->rules[0].entries[i], 2);
	policy_free(p);

	ck_assert_ptr_null(parse("{\"default\":\"kill\",\"rules\":[{\"syscalls\":[\"@file-sytem\"],"
				 "\"action\":\"allow\"}]}",
				 &diag));
	ck_assert_str_eq(strbuf_str(&diag), "g.json:1:41: rules[0].syscalls[0]: unknown group "
					    "\"@file-sytem\" (did you mean \"@file-system\"?)\n");
	strbuf_free(&diag);
}
END_TEST

/* Whether |nr| is a member of group |name| (nested groups included). */
static bool in_group(const char *name, const char *call)
{
	const struct syscall_group *g = group_find(name);

	for (const char *const *m = g ? g->members : NULL; m && *m; m++)
		if (**m == '@' ? in_group(*m, call) : strcmp(*m, call) == 0)
			return true;
	return false;
}

/*
 * The families --learn widens to (learn_harmless_group()) are groups of the
 * table whose calls touch nothing outside the process: none has a path
 * argument, sets a file's mode, creates a task, or belongs to a group that
 * reaches files, the network, mounts, keys, other processes' memory or
 * privileges; one that may act on another process (targets.c) only sends
 * a signal, or acts on the caller with argument 0, checked at a stop.
 */
START_TEST(harmless_families_are_harmless)
{
	static const char *const dangerous[] = {
		"@file-system", "@network-io", "@mount", "@privileged", "@debug", "@module",
		"@keyring",	"@aio",	       "@ipc",	 "@setuid",	"@clock", "@resources",
	};
	size_t i;

	for (i = 0; learn_harmless_group(i); i++) {
		const struct syscall_group *g = group_find(learn_harmless_group(i));

		/* No call is in two families' groups: each is written once. */
		for (size_t j = 0; j < i; j++)
			for (const char *const *m = g ? g->members : NULL; m && *m; m++)
				ck_assert_msg(!in_group(learn_harmless_group(j), *m),
					      "%s is in @%s and @%s", *m, learn_harmless_group(j),
					      learn_harmless_group(i));

		ck_assert_msg(g, "no group @%s", learn_harmless_group(i));
		for (const char *const *m = g->members; *m; m++) {
			const struct syscall_row *row = syscall_by_name(*m);

			ck_assert_msg(**m != '@', "@%s nests %s", g->name, *m);
			ck_assert_msg(row, "@%s: %s has no row", g->name, *m);
			ck_assert_msg(row->n_paths == 0 && row->setid_arg < 0 &&
					      !(row->traits & SYSCALL_TASK),
				      "@%s: %s names a path, sets a mode or makes a task", g->name,
				      *m);
			ck_assert_msg(!(row->traits & SYSCALL_TARGET) ||
					      row->traits & (SYSCALL_SIGNAL | SYSCALL_TARGET_SELF0),
				      "@%s: %s acts on another process", g->name, *m);
			for (size_t d = 0; d < sizeof(dangerous) / sizeof(dangerous[0]); d++)
				ck_assert_msg(!in_group(dangerous[d], *m), "@%s: %s is in %s",
					      g->name, *m, dangerous[d]);
		}
	}
	ck_assert_uint_eq(i, LEARN_N_HARMLESS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("groups");
	TCase *tc = tcase_create("groups");

	tcase_add_loop_test(tc, members_resolve, 0, (int)group_count());
	tcase_add_test(tc, acyclic_and_sorted);
	tcase_add_test(tc, lookup);
	tcase_add_test(tc, policy_expands_groups);
	tcase_add_test(tc, harmless_families_are_harmless);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
