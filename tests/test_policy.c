/* SPDX-License-Identifier: MIT */
/*
 * Policy loader: every file in tests/data/bad-*.json must produce exactly
 * the diagnostics listed here (file:line:column, JSON path, what was
 * expected), and valid files must load into the structures they describe.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "policy.h"
#include "sandbox.h"

static const struct {
	const char *file;
	const char *diag;
} bad[] = {
	{"bad-syntax.json", "bad-syntax.json:5:3: invalid JSON: unexpected token near ']'\n"},
	{"bad-unknown-syscall.json",
	 "bad-unknown-syscall.json:4:27: rules[0].syscalls[1]: unknown syscall \"opn\" (did you "
	 "mean \"open\"?)\n"},
	{"bad-unknown-key.json",
	 "bad-unknown-key.json:3:3: rulez: unknown key \"rulez\" (expected one of \"version\", "
	 "\"comment\", \"extends\", \"default\", \"limits\", \"architectures\", \"rules\")\n"
	 "bad-unknown-key.json:5:6: rules[0].sycalls: unknown key \"sycalls\" (expected one of "
	 "\"syscalls\", \"action\", \"errno\", \"value\", \"log\", \"args\", \"count\", \"then\", "
	 "\"comment\")\n"
	 "bad-unknown-key.json:5:5: rules[0]: missing key \"syscalls\" (a list of syscall "
	 "names)\n"},
	{"bad-action.json", "bad-action.json:4:38: rules[0].action: expected an action: \"allow\", "
			    "\"errno\", \"log\", \"kill\" or \"return\"\n"},
	{"bad-errno-name.json", "bad-errno-name.json:4:56: rules[0].errno: unknown errno name "
				"\"EFOO\" (expected a name such as \"EACCES\")\n"},
	{"bad-errno-with-allow.json", "bad-errno-with-allow.json:4:56: rules[0].errno: \"errno\" "
				      "is only meaningful with action \"errno\"\n"},
	{"bad-arg-index.json", "bad-arg-index.json:5:25: rules[0].args[0].index: argument index "
			       "must be an integer 0..5\n"},
	{"bad-op.json", "bad-op.json:5:34: rules[0].args[0].op: expected an operator: \"==\", "
			"\"!=\", \"<\", \"<=\", \">\", \">=\" or \"masked_eq\"\n"},
	{"bad-return-no-value.json",
	 "bad-return-no-value.json:4:5: rules[0]: action \"return\" needs a \"value\"\n"},
	{"bad-missing-default.json", "bad-missing-default.json:1:1: (top level): missing key "
				     "\"default\" (the action for calls no rule matches)\n"},
	{"bad-types.json",
	 "bad-types.json:4:18: rules[0].syscalls: expected a non-empty list of syscall names\n"
	 "bad-types.json:5:18: rules[1].syscalls: expected a non-empty list of syscall names\n"
	 "bad-types.json:6:19: rules[2].syscalls[0]: expected a syscall name or @group (a string), "
	 "got an integer\n"},
	{"bad-duplicate-key.json",
	 "bad-duplicate-key.json:7:9: invalid JSON: duplicate object key near '\"rules\"'\n"},
	{"bad-masked.json",
	 "bad-masked.json:5:15: rules[0].args[0]: op \"masked_eq\" needs a \"mask\"\n"
	 "bad-masked.json:7:15: rules[1].args[0]: value 0x3 has bits outside mask 0x1, so the "
	 "condition could never hold\n"},
	{"bad-arch.json",
	 "bad-arch.json:3:31: architectures[1]: expected \"native\", \"x86\" or \"x32\"\n"},
	{"bad-not-object.json",
	 "bad-not-object.json:1:1: (top level): expected the policy object, got an array\n"},
	{"bad-multiple.json",
	 "bad-multiple.json:2:14: version: unsupported version (this sandbox reads version 1)\n"
	 "bad-multiple.json:3:43: default.errno: expected an errno name such as \"EPERM\" or a "
	 "number 1..4095\n"
	 "bad-multiple.json:5:19: rules[0].syscalls[0]: syscall \"socketcall\" does not exist on "
	 "this architecture\n"
	 "bad-multiple.json:6:54: rules[1].value: \"value\" is only meaningful with action "
	 "\"return\"\n"
	 "bad-multiple.json:6:64: rules[1].log: expected true or false, got a string\n"},
};

static char *read_data(const char *name, size_t *ret_len)
{
	char path[512];
	FILE *f;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", getenv("SBX_TEST_DATA"), name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	buf = calloc(1, 65536);
	ck_assert_ptr_nonnull(buf);
	*ret_len = fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

START_TEST(bad_files)
{
	struct strbuf diag = {0};
	struct policy *p = NULL;
	size_t len;
	char *text = read_data(bad[_i].file, &len);

	ck_assert_int_eq(policy_parse(bad[_i].file, text, len, &p, &diag), -EINVAL);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(strbuf_str(&diag), bad[_i].diag);
	strbuf_free(&diag);
	free(text);
}
END_TEST

START_TEST(good_judge)
{
	struct strbuf diag = {0};
	struct policy *p = NULL;
	size_t len;
	char *text = read_data("good-judge.json", &len);

	ck_assert_msg(policy_parse("good-judge.json", text, len, &p, &diag) == 0, "%s",
		      strbuf_str(&diag));
	ck_assert_int_eq(p->default_verdict.action, POLICY_ERRNO);
	ck_assert_int_eq(p->default_verdict.errno_value, EPERM);
	ck_assert(p->default_verdict.log);
	ck_assert_uint_eq(p->arches, POLICY_ARCH_NATIVE | POLICY_ARCH_X86);
	ck_assert_uint_eq(p->n_rules, 6);
	ck_assert_uint_eq(p->rules[0].n_syscalls, 2);
	ck_assert_int_eq(p->rules[0].syscalls[0], SYS_read);
	ck_assert_int_eq(p->rules[0].syscalls[1], SYS_exit_group);
	ck_assert_int_eq(p->rules[1].conds[0].op, POLICY_OP_EQ);
	ck_assert_uint_eq(p->rules[1].conds[0].value, 1);
	ck_assert_int_eq(p->rules[2].verdict.errno_value, EACCES);
	ck_assert_int_eq(p->rules[3].verdict.action, POLICY_RETURN);
	ck_assert_int_eq(p->rules[3].verdict.ret_value, -5);
	ck_assert_uint_eq(p->rules[4].n_conds, 2);
	ck_assert_int_eq(p->rules[4].conds[0].op, POLICY_OP_MASKED_EQ);
	ck_assert_uint_eq(p->rules[4].conds[0].mask, 4);
	ck_assert_uint_eq(p->rules[4].conds[1].index, 3);
	ck_assert_uint_eq(p->rules[4].conds[1].value, 0xffffffff00000000ULL);
	ck_assert_int_eq(p->rules[5].verdict.action, POLICY_LOG);
	policy_free(p);
	free(text);
}
END_TEST

/* First matching rule wins; conditions are unsigned 64-bit; else the default. */
START_TEST(first_match_semantics)
{
	static const char json[] = "{\"default\":\"kill\",\"rules\":["
				   "{\"syscalls\":[\"write\"],\"action\":\"allow\",\"args\":[{"
				   "\"index\":0,\"op\":\"==\","
				   "\"value\":1}]},"
				   "{\"syscalls\":[\"write\"],\"action\":\"errno\",\"errno\":"
				   "\"EBADF\",\"args\":[{\"index\":"
				   "0,\"op\":\">\",\"value\":0}]},"
				   "{\"syscalls\":[\"write\"],\"action\":\"log\"}]}";
	struct strbuf diag = {0};
	struct policy *p = NULL;
	uint64_t args[6] = {0};
	int rule;

	ck_assert_int_eq(policy_parse("m.json", json, sizeof(json) - 1, &p, &diag), 0);
	args[0] = 1;
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_ALLOW);
	ck_assert_int_eq(rule, 0);
	args[0] = 2;
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_ERRNO);
	ck_assert_int_eq(rule, 1);
	args[0] = UINT64_MAX; /* -1 as unsigned is > 0 */
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_ERRNO);
	args[0] = 0;
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_LOG);
	ck_assert_int_eq(rule, 2);
	ck_assert_int_eq(policy_match(p, SYS_read, args, NULL, &rule)->action, POLICY_KILL);
	ck_assert_int_eq(rule, -1);
	policy_free(p);
}
END_TEST

/*
 * The kernel reads an int argument as its low 32 bits; so must the rules,
 * or 0x100000002 would be fd 2 to the kernel and not fd 2 to a deny rule
 * (CVE-2019-7303). 64-bit arguments keep all their bits.
 */
START_TEST(int_arguments_compare_low_half)
{
	static const char json[] =
		"{\"default\":\"allow\",\"rules\":["
		"{\"syscalls\":[\"write\"],\"action\":\"kill\",\"args\":[{\"index\":0,\"op\":\"=="
		"\","
		"\"value\":2}]},"
		"{\"syscalls\":[\"kill\"],\"action\":\"kill\",\"args\":[{\"index\":0,\"op\":\"==\","
		"\"value\":-1}]},"
		"{\"syscalls\":[\"openat\"],\"action\":\"kill\",\"args\":[{\"index\":2,\"op\":"
		"\">=\",\"value\":1}]},"
		"{\"syscalls\":[\"clone\"],\"action\":\"kill\",\"args\":[{\"index\":0,\"op\":\"=="
		"\","
		"\"value\":17}]},"
		"{\"syscalls\":[\"write\"],\"action\":\"log\",\"args\":[{\"index\":2,\"op\":\"==\","
		"\"value\":5}]}]}";
	struct strbuf diag = {0};
	struct policy *p = NULL;
	uint64_t args[6] = {0};
	int rule;

	ck_assert_int_eq(policy_parse("n.json", json, sizeof(json) - 1, &p, &diag), 0);
	args[0] = 0x100000002ULL;
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_KILL);
	args[0] = 0xffffffff00000002ULL;
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_KILL);
	args[0] = 3;
	args[2] = 0x100000005ULL; /* size_t: all 64 bits count */
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_ALLOW);
	/* -1 as an int is 0xffffffff, sign-extended or not */
	args[0] = 0xffffffffULL;
	ck_assert_int_eq(policy_match(p, SYS_kill, args, NULL, &rule)->action, POLICY_KILL);
	args[0] = UINT64_MAX;
	ck_assert_int_eq(policy_match(p, SYS_kill, args, NULL, &rule)->action, POLICY_KILL);
	/* ordering on an int flags argument: the high half does not make it big */
	memset(args, 0, sizeof(args));
	args[2] = 0x100000000ULL; /* O_RDONLY to the kernel */
	ck_assert_int_eq(policy_match(p, SYS_openat, args, NULL, &rule)->action, POLICY_ALLOW);
	args[2] = 0x100000001ULL; /* O_WRONLY */
	ck_assert_int_eq(policy_match(p, SYS_openat, args, NULL, &rule)->action, POLICY_KILL);
	/* clone flags are unsigned long: no masking */
	args[0] = 0x100000011ULL;
	ck_assert_int_eq(policy_match(p, SYS_clone, args, NULL, &rule)->action, POLICY_ALLOW);
	policy_free(p);
}
END_TEST

START_TEST(embedded_default_loads)
{
	struct sbx_policy *p = NULL;

	ck_assert_int_eq(sbx_policy_load_default(&p), 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(sbx_default_policy_text(), "\"default\""));
	sbx_policy_free(p);
}
END_TEST

START_TEST(unreadable_file)
{
	struct sbx_policy *p = NULL;
	char *diag = NULL;

	ck_assert_int_eq(sbx_policy_load("/nonexistent/policy.json", &p, &diag), -ENOENT);
	ck_assert_str_eq(diag, "/nonexistent/policy.json: cannot read policy: No such file or "
			       "directory\n");
	free(diag);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("load");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, bad_files, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, good_judge);
	tcase_add_test(tc, first_match_semantics);
	tcase_add_test(tc, int_arguments_compare_low_half);
	tcase_add_test(tc, embedded_default_loads);
	tcase_add_test(tc, unreadable_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
