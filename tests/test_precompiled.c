/* SPDX-License-Identifier: MIT */
/*
 * The shipped policies compiled at build time (src/gen_policies.c) must be
 * what a run-time load and compile of the same policy gives: every field of
 * the policy (compared as policy_emit()'s comparison text), the warnings
 * counted, and every prebuilt filter byte for byte against filter_build()
 * of the parsed policy with the same forced calls. A stale generator, or
 * one the loader no longer uses, fails here.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter.h"
#include "policy.h"
#include "run_suite.h"
#include "sandbox.h"
#include "shipped.h"
#include "supervisor.h"

static char *compare_text(const struct policy *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(policy_emit(f, p, "p", NULL, 0, true), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static void load_both(const char *name, struct policy **ret_parsed, struct policy **ret_pre)
{
	struct policy_load_opts parse = {.count_warnings_only = true, .no_precompiled = true};
	struct policy_load_opts pre = {.count_warnings_only = true};
	struct policy_report r1, r2;
	struct strbuf diag = {0};

	ck_assert_int_eq(policy_load_with(name, &parse, ret_parsed, &diag, &r1), 0);
	ck_assert_int_eq(policy_load_with(name, &pre, ret_pre, &diag, &r2), 0);
	ck_assert_msg(!(*ret_parsed)->precompiled, "%s: parsed, yet marked precompiled", name);
	ck_assert_msg((*ret_pre)->precompiled, "%s: not taken from the binary", name);
	ck_assert_uint_eq(r1.precompiled, 0);
	ck_assert_uint_eq(r2.precompiled, 1);
	ck_assert_uint_eq(r1.warnings, r2.warnings);
	ck_assert_uint_eq(r1.errors, 0);
	ck_assert_uint_eq(r2.errors, 0);
	strbuf_free(&diag);
}

static void assert_same_program(const struct filter *a, const struct sock_filter *b, size_t len,
				const char *what)
{
	ck_assert_msg(a->len == len, "%s: %zu instructions, prebuilt %zu", what, a->len, len);
	ck_assert_msg(memcmp(a->insns, b, len * sizeof(*b)) == 0, "%s: programs differ", what);
}

START_TEST(each_shipped_policy_equals_its_run_time_compile)
{
	const char *name = sbx_shipped_policies[_i].name;
	struct policy *parsed, *pre;
	char *t1, *t2;

	load_both(name, &parsed, &pre);
	t1 = compare_text(parsed);
	t2 = compare_text(pre);
	ck_assert_msg(strcmp(t1, t2) == 0, "%s: the precompiled policy differs from the parsed one",
		      name);
	free(t1);
	free(t2);
	ck_assert_uint_gt(pre->n_prebuilt, 0);
	for (size_t k = 0; k < pre->n_prebuilt; k++) {
		const struct filter_prebuilt *b = &pre->prebuilt[k];
		struct filter f;
		char what[96];

		snprintf(what, sizeof(what), "%s, prebuilt filter %zu", name, k);
		ck_assert_int_eq(filter_build(parsed, b->force, b->n_force, &f), 0);
		assert_same_program(&f, b->insns, b->len, what);
		filter_release(&f);
	}
	policy_free(parsed);
	policy_free(pre);
}
END_TEST

/* The runs the generator foresees, as the supervisor computes their forced calls. */
static const struct force_facts common_runs[] = {
	{.isolation = SBX_ISOLATION_NONE},
	{.isolation = SBX_ISOLATION_NONE, .processes = true},
	{.isolation = SBX_ISOLATION_NAMESPACES},
	{.isolation = SBX_ISOLATION_NAMESPACES, .host_writable = true},
	{.isolation = SBX_ISOLATION_NAMESPACES, .processes = true, .host_writable = true},
	{.isolation = SBX_ISOLATION_LANDLOCK, .processes = true},
};

START_TEST(common_runs_use_a_prebuilt_filter)
{
	const char *name = sbx_shipped_policies[_i].name;
	struct policy *parsed, *pre;

	load_both(name, &parsed, &pre);
	for (size_t k = 0; k < sizeof(common_runs) / sizeof(common_runs[0]); k++) {
		struct filter_force force[SUPERVISOR_MAX_FORCE];
		size_t n =
			supervisor_forced_calls(pre, &common_runs[k], force, SUPERVISOR_MAX_FORCE);
		const struct filter_prebuilt *b = filter_prebuilt_find(pre, force, n);
		struct filter built, cached;

		ck_assert_msg(b, "%s: run %zu has no prebuilt filter", name, k);
		ck_assert_ptr_null(filter_prebuilt_find(parsed, force, n));
		/* What the supervisor loads is that program, and the run-time compile's. */
		ck_assert_int_eq(filter_build_cached(pre, force, n, &cached), 0);
		ck_assert_int_eq(filter_build(parsed, force, n, &built), 0);
		assert_same_program(&built, b->insns, b->len, name);
		assert_same_program(&cached, b->insns, b->len, name);
		filter_release(&built);
		filter_release(&cached);
	}
	policy_free(parsed);
	policy_free(pre);
}
END_TEST

/* Forced calls no variant has (--trace): compiled at run time, the same as a parsed policy's. */
START_TEST(other_runs_compile_at_run_time)
{
	struct traceset trace = {.nr = {[0] = true, [1] = true}};
	struct force_facts facts = {.isolation = SBX_ISOLATION_NONE, .trace = &trace};
	struct filter_force force[SUPERVISOR_MAX_FORCE];
	struct policy *parsed, *pre;
	struct filter a, b;
	size_t n;

	load_both("default", &parsed, &pre);
	n = supervisor_forced_calls(pre, &facts, force, SUPERVISOR_MAX_FORCE);
	ck_assert_ptr_null(filter_prebuilt_find(pre, force, n));
	ck_assert_int_eq(filter_build_cached(pre, force, n, &a), 0);
	ck_assert_int_eq(filter_build(parsed, force, n, &b), 0);
	assert_same_program(&a, b.insns, b.len, "default with --trace read,write");
	filter_release(&a);
	filter_release(&b);
	policy_free(parsed);
	policy_free(pre);
}
END_TEST

/* The command's own load (sbx_policy_load_default(), `-p judge`) takes the binary's copy. */
START_TEST(the_command_loads_the_precompiled_policy)
{
	struct sbx_policy *p = NULL;
	char *diag = NULL;

	ck_assert_int_eq(sbx_policy_load_default(&p), 0);
	ck_assert(((struct policy *)p)->precompiled);
	sbx_policy_free(p);
	ck_assert_int_eq(sbx_policy_load_oci_caps("judge", NULL, &p, &diag), 0);
	ck_assert(((struct policy *)p)->precompiled);
	ck_assert_ptr_null(diag);
	sbx_policy_free(p);
	/* A file is parsed, even one holding a shipped policy's text. */
	ck_assert_int_eq(sbx_policy_parse("default.json", shipped_find("default")->text,
					  shipped_find("default")->len, &p, &diag),
			 0);
	ck_assert(!((struct policy *)p)->precompiled);
	free(diag);
	sbx_policy_free(p);
}
END_TEST

/*
 * A policy file extending a shipped one takes the base from the binary (a
 * copy it owns, merged as a parsed base would be): the merged policy equals
 * the one merged from the parsed base, field by field, and its filter too.
 */
START_TEST(a_file_extending_a_shipped_policy)
{
	const char *name = sbx_shipped_policies[_i].name;
	struct policy_load_opts parse = {.count_warnings_only = true, .no_precompiled = true};
	struct policy_load_opts pre = {.count_warnings_only = true};
	char dir[] = "/tmp/sbx-precompiled-XXXXXX", path[64];
	struct policy *a = NULL, *b = NULL;
	struct policy_report ra, rb;
	struct strbuf diag = {0};
	struct filter fa, fb;
	char *ta, *tb;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"{\"extends\": [\"%s\"], \"rules\": [{\"syscalls\": [\"getrandom\"], "
		"\"action\": \"errno\", \"errno\": \"ENOSYS\"}]}\n",
		name);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(policy_load_with(path, &parse, &a, &diag, &ra), 0);
	ck_assert_int_eq(policy_load_with(path, &pre, &b, &diag, &rb), 0);
	unlink(path);
	rmdir(dir);
	ck_assert_msg(strbuf_str(&diag)[0] == '\0', "%s", strbuf_str(&diag));
	ck_assert_uint_eq(ra.precompiled, 0);
	ck_assert_msg(rb.precompiled == 1, "%s: the base was parsed", name);
	ck_assert_uint_eq(ra.warnings, rb.warnings);
	ta = compare_text(a);
	tb = compare_text(b);
	ck_assert_msg(strcmp(ta, tb) == 0, "%s: merged from the binary's base, it differs", name);
	ck_assert_int_eq(filter_build(a, NULL, 0, &fa), 0);
	ck_assert_int_eq(filter_build(b, NULL, 0, &fb), 0);
	assert_same_program(&fa, fb.insns, fb.len, name);
	filter_release(&fa);
	filter_release(&fb);
	free(ta);
	free(tb);
	strbuf_free(&diag);
	policy_free(a);
	policy_free(b);
}
END_TEST

static Suite *precompiled_suite(void)
{
	Suite *s = suite_create("precompiled");
	TCase *tc = tcase_create("precompiled");
	int n = 0;

	while (sbx_shipped_policies[n].name)
		n++;
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, each_shipped_policy_equals_its_run_time_compile, 0, n);
	tcase_add_loop_test(tc, common_runs_use_a_prebuilt_filter, 0, n);
	tcase_add_loop_test(tc, a_file_extending_a_shipped_policy, 0, n);
	tcase_add_test(tc, other_runs_compile_at_run_time);
	tcase_add_test(tc, the_command_loads_the_precompiled_policy);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(precompiled_suite());
}
