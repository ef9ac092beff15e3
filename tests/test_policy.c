/* SPDX-License-Identifier: MIT */
/*
 * Policy loader: every file in tests/data/bad-*.json must produce exactly
 * the diagnostics listed here (file:line:column, JSON path, what was
 * expected), and valid files must load into the structures they describe.
 */
#include <check.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "run_suite.h"
#include "arch.h"
#include "policy.h"
#include "sandbox.h"
#include "util.h"

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
	 "\"comment\", \"extends\", \"default\", \"limits\", \"filesystem\", \"network\", "
	 "\"isolation\", \"architectures\", \"rules\")\n"
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
	{"bad-isolation.json",
	 "bad-isolation.json:16:5: isolation.mask: unknown key \"mask\" (expected one of \"mode\", "
	 "\"namespaces\", \"workdir\", \"tmp_size\", \"shm_size\", \"mounts\", \"masked_paths\", "
	 "\"outside\", \"comment\")\n"
	 "bad-isolation.json:4:13: isolation.mode: expected \"namespaces\", \"landlock\" or "
	 "\"none\"\n"
	 "bad-isolation.json:5:35: isolation.namespaces[2]: expected a namespace: \"user\", "
	 "\"pid\", \"mount\", \"ipc\", \"uts\", \"net\" or \"cgroup\"\n"
	 "bad-isolation.json:5:19: isolation.namespaces: \"user\", \"pid\" and \"mount\" must be "
	 "listed: they make the sandbox's own view (for less, use \"isolation\": \"none\" or "
	 "\"landlock\")\n"
	 "bad-isolation.json:6:16: isolation.workdir: expected \"rw\" (writable), \"ro\" "
	 "(read-only) or \"none\" (not visible)\n"
	 "bad-isolation.json:7:17: isolation.tmp_size: expected a positive size: bytes (65536) or "
	 "a string (\"64M\", \"10K\")\n"
	 "bad-isolation.json:9:7: isolation.mounts[0]: a bind needs a \"source\"\n"
	 "bad-isolation.json:10:35: isolation.mounts[1].source: a tmpfs has no \"source\"\n"
	 "bad-isolation.json:11:16: isolation.mounts[2].type: expected \"type\": \"bind\" or "
	 "\"tmpfs\"\n"
	 "bad-isolation.json:12:7: isolation.mounts[3]: a relative \"source\" needs a "
	 "\"destination\"\n"
	 "bad-isolation.json:13:40: isolation.mounts[4].destination: expected an absolute path, "
	 "got a relative path\n"
	 "bad-isolation.json:13:64: isolation.mounts[4].options[0]: expected \"ro\", \"rw\" or "
	 "\"size=SIZE\" (\"size=16M\")\n"
	 "bad-isolation.json:13:76: isolation.mounts[4].options[1]: expected \"ro\", \"rw\" or "
	 "\"size=SIZE\" (\"size=16M\")\n"
	 "bad-isolation.json:15:34: isolation.masked_paths[1]: expected an absolute path, got a "
	 "relative path\n"
	 "bad-isolation.json:15:48: isolation.masked_paths[2]: expected an absolute path, got an "
	 "integer\n"
	 "bad-isolation.json:17:16: isolation.outside: expected \"deny\" (a call aimed at a "
	 "process outside the sandbox fails with EPERM) or \"kill\" (it ends the run as a "
	 "violation)\n"},
	{"bad-arch.json", "bad-arch.json:3:31: architectures[1]: expected \"native\", \"x86\", "
			  "\"x32\" or \"arm\"\n"},
	{"bad-not-object.json",
	 "bad-not-object.json:1:1: (top level): expected the policy object, got an array\n"},
	{"bad-multiple.json",
	 "bad-multiple.json:2:14: version: unsupported version (this sandbox reads version 1)\n"
	 "bad-multiple.json:3:43: default.errno: expected an errno name such as \"EPERM\" or a "
	 "number 1..4095\n"
	 "bad-multiple.json:5:19: rules[0].syscalls[0]: syscall \"spu_run\" is another "
	 "machine's: neither x86_64 nor aarch64 (nor their i386, x32 or arm ABIs) has it\n"
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

/* "isolation" with extends: keys merge, mounts and masks add up (the base's first). */
START_TEST(isolation_merges)
{
	struct strbuf diag = {0};
	struct policy *p = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/good-isolation.json", getenv("SBX_TEST_DATA"));
	ck_assert_msg(policy_load(path, &p, &diag, NULL) == 0, "%s", strbuf_str(&diag));
	ck_assert(p->isolation.present);
	ck_assert_uint_eq(p->isolation.namespaces,
			  SBX_NS_USER | SBX_NS_PID | SBX_NS_MOUNT | SBX_NS_IPC);
	ck_assert_int_eq(p->isolation.workdir, SBX_WORKDIR_RO); /* the base's */
	ck_assert_uint_eq(p->isolation.tmp_size, 32u << 20);	/* ours wins */
	ck_assert_uint_eq(p->isolation.shm_size, 2u << 20);	/* the base's */
	ck_assert_uint_eq(p->isolation.n_mounts, 3);
	ck_assert_str_eq(p->isolation.mounts[0].source, "data");
	ck_assert_str_eq(p->isolation.mounts[0].destination, "/base-data");
	ck_assert(!p->isolation.mounts[0].read_only);
	ck_assert_str_eq(p->isolation.mounts[1].destination,
			 "/srv/data"); /* defaults to the source */
	ck_assert(p->isolation.mounts[1].read_only);
	ck_assert_int_eq(p->isolation.mounts[2].type, POLICY_MOUNT_TMPFS);
	ck_assert_uint_eq(p->isolation.mounts[2].size, 8u << 20);
	ck_assert_uint_eq(p->isolation.n_masked, 2);
	ck_assert_str_eq(p->isolation.masked[0], "/etc/base-secret");
	ck_assert_str_eq(p->isolation.masked[1], "/etc/ssh");
	policy_free(p);
	strbuf_free(&diag);
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
	strbuf_free(&diag);
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
	strbuf_free(&diag);
}
END_TEST

static struct policy *load_data(const char *name, struct strbuf *diag, struct policy_report *rep)
{
	char path[512];
	struct policy *p = NULL;

	snprintf(path, sizeof(path), "%s/%s", getenv("SBX_TEST_DATA"), name);
	strbuf_reset(diag);
	return policy_load(path, &p, diag, rep) == 0 ? p : NULL;
}

/* The file a matched rule was written in ("extends-mid.json"), or "default". */
static const char *origin(const struct policy *p, int rule)
{
	const char *name;

	if (rule < 0)
		return "default";
	name = strrchr(p->sources[p->rules[rule].src].name, '/');
	return name ? name + 1 : p->sources[p->rules[rule].src].name;
}

START_TEST(extends_order)
{
	struct strbuf diag = {0};
	struct policy_report rep;
	struct policy *p = load_data("extends-top.json", &diag, &rep);
	uint64_t args[6] = {0};
	int rule;

	ck_assert_msg(p, "%s", strbuf_str(&diag));
	ck_assert_uint_eq(rep.errors, 0);
	/* own rules first */
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_LOG);
	ck_assert_str_eq(origin(p, rule), "extends-top.json");
	/* then the last listed base (judge), which allows getpid, before extends-mid.json */
	ck_assert_int_eq(policy_match(p, SYS_getpid, args, NULL, &rule)->action, POLICY_ALLOW);
	ck_assert_str_eq(origin(p, rule), "judge");
	/* then the first base (extends-mid.json), over its own base */
	ck_assert_int_eq(policy_match(p, SYS_uname, args, NULL, &rule)->action, POLICY_ALLOW);
	ck_assert_str_eq(origin(p, rule), "judge");
	ck_assert_int_eq(policy_match(p, SYS_getppid, args, NULL, &rule)->action, POLICY_ALLOW);
	/* calls judge does not name: the first base's own rule, then its base's */
	ck_assert_int_eq(policy_match(p, SYS_setsid, args, NULL, &rule)->action, POLICY_LOG);
	ck_assert_str_eq(origin(p, rule), "extends-mid.json");
#if defined(__x86_64__) /* getpgrp and mkdir: calls aarch64 lacks */
	ck_assert_int_eq(policy_match(p, SYS_getpgrp, args, NULL, &rule)->action, POLICY_ALLOW);
	ck_assert_str_eq(origin(p, rule), "extends-base.json");
	/* a call no policy of the chain names */
	ck_assert_int_eq(policy_match(p, SYS_mkdir, args, NULL, &rule)->action, POLICY_ERRNO);
	ck_assert_str_eq(origin(p, rule), "default");
#endif
	/* the default is the top's own; limits merge key by key, nearer wins */
	ck_assert_int_eq(p->default_verdict.action, POLICY_ERRNO);
	ck_assert_uint_eq(p->limits.memory_bytes, 128 << 20);
	ck_assert_uint_eq(p->limits.cpu_time_ms, 2000);
	policy_free(p);

	/* without the judge base, mid's log of uname comes before base's allow */
	p = load_data("extends-mid.json", &diag, &rep);
	ck_assert_msg(p, "%s", strbuf_str(&diag));
	ck_assert_int_eq(policy_match(p, SYS_uname, args, NULL, &rule)->action, POLICY_LOG);
	ck_assert_str_eq(origin(p, rule), "extends-mid.json");
	ck_assert_int_eq(policy_match(p, SYS_getppid, args, NULL, &rule)->action, POLICY_RETURN);
	ck_assert_str_eq(origin(p, rule), "extends-base.json");
	ck_assert_int_eq(p->default_verdict.action, POLICY_KILL); /* inherited */
	policy_free(p);
	strbuf_free(&diag);
}
END_TEST

START_TEST(extends_errors)
{
	struct strbuf diag = {0};
	struct policy_report rep;

	ck_assert_ptr_null(load_data("extends-cycle-a.json", &diag, &rep));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&diag), "extends-cycle-b.json:2:13: extends: "
							"\"extends-cycle-a.json\" extends itself "
							"(an include cycle)\n"));
	/* a cycle that does not come back to the top file */
	ck_assert_ptr_null(load_data("extends-loop-1.json", &diag, &rep));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&diag), "extends-loop-3.json:2:13: extends: "
							"\"extends-loop-2.json\" extends itself "
							"(an include cycle)\n"));
	ck_assert_ptr_null(load_data("extends-missing.json", &diag, &rep));
	ck_assert_uint_eq(rep.errors, 2);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&diag),
				     "extends-missing.json:2:23: extends[1]: cannot read "
				     "\"no-such-policy.json\": No such file or directory\n"));
	ck_assert_ptr_nonnull(strstr(
		strbuf_str(&diag), "extends-missing.json:2:46: extends[2]: cannot read "
				   "\"nosuchshipped\": no such file, and no shipped policy of that "
				   "name\n"));
	strbuf_free(&diag);
}
END_TEST

START_TEST(count_limited)
{
	struct strbuf diag = {0};
	struct policy *p = load_data("count.json", &diag, NULL);
	uint64_t args[6] = {0}, *counts;
	int rule;

	ck_assert_msg(p, "%s", strbuf_str(&diag));
	counts = calloc(policy_rule_count(p), sizeof(*counts));
	ck_assert_ptr_nonnull(counts);
	/* allowed twice, then "then" */
	ck_assert_int_eq(policy_match(p, SYS_getppid, args, counts, &rule)->action, POLICY_ALLOW);
	ck_assert_int_eq(policy_match(p, SYS_getppid, args, counts, &rule)->action, POLICY_ALLOW);
	ck_assert_int_eq(policy_match(p, SYS_getppid, args, counts, &rule)->action, POLICY_ERRNO);
	ck_assert_int_eq(policy_match(p, SYS_getppid, args, counts, &rule)->action, POLICY_ERRNO);
	ck_assert_int_eq(rule, 0);
	/* once, then the rule is gone and the next one decides */
	ck_assert_int_eq(policy_match(p, SYS_getpid, args, counts, &rule)->ret_value, 42);
	ck_assert_int_eq(policy_match(p, SYS_getpid, args, counts, &rule)->ret_value, 43);
	ck_assert_int_eq(rule, 2);
	/* such calls always stop: the count lives in the supervisor */
	ck_assert(policy_counted(p, SYS_getpid));
	ck_assert(!policy_counted(p, SYS_read));
	free(counts);
	policy_free(p);
	strbuf_free(&diag);
}
END_TEST

START_TEST(oci_mapping)
{
	struct strbuf diag = {0};
	struct policy_report rep;
	struct policy *p = load_data("oci-actions.json", &diag, &rep);
	uint64_t args[6] = {0};
	int rule;
	const struct policy_verdict *v;

	ck_assert_msg(p, "%s", strbuf_str(&diag));
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert(p->sources[0].oci);
	ck_assert_uint_eq(p->arches, POLICY_ARCH_NATIVE | POLICY_ARCH_X86);
	ck_assert_uint_eq(p->filter_flags, 2); /* LOG; TSYNC is moot */
	ck_assert_int_eq(p->default_verdict.action, POLICY_ERRNO);
	ck_assert_int_eq(p->default_verdict.errno_value, 38);
	ck_assert_int_eq(policy_match(p, SYS_read, args, NULL, &rule)->action, POLICY_ALLOW);
	ck_assert_int_eq(policy_match(p, SYS_write, args, NULL, &rule)->action, POLICY_LOG);
#if defined(__x86_64__) /* mkdir and rmdir: calls aarch64 lacks */
	v = policy_match(p, SYS_mkdir, args, NULL, &rule);
	ck_assert_int_eq(v->action, POLICY_ERRNO);
	ck_assert_int_eq(v->errno_value, 30);
	/* defaultErrnoRet is the default's alone: an ERRNO entry without errnoRet gets EPERM */
	ck_assert_int_eq(policy_match(p, SYS_rmdir, args, NULL, &rule)->errno_value, EPERM);
#endif
	ck_assert_int_eq(policy_match(p, SYS_ptrace, args, NULL, &rule)->action, POLICY_KILL);
	ck_assert_int_eq(policy_match(p, SYS_bpf, args, NULL, &rule)->action, POLICY_KILL);
	ck_assert_int_eq(policy_match(p, SYS_keyctl, args, NULL, &rule)->action, POLICY_KILL);
	ck_assert_int_eq(policy_match(p, SYS_reboot, args, NULL, &rule)->action, POLICY_KILL);
	ck_assert_int_eq(policy_match(p, SYS_mount, args, NULL, &rule)->action, POLICY_KILL);
	v = policy_match(p, SYS_getppid, args, NULL, &rule);
	ck_assert(v->action == POLICY_ERRNO && v->errno_value == ENOSYS && v->log);
	/* SCMP_CMP_MASKED_EQ: value is the mask, valueTwo the result */
	args[0] = 0x11; /* SIGCHLD, no namespace flag */
	ck_assert_int_eq(policy_match(p, SYS_clone, args, NULL, &rule)->action, POLICY_ALLOW);
	args[0] = 0x10000000 | 0x11; /* CLONE_NEWUSER */
	ck_assert_int_eq(policy_match(p, SYS_clone, args, NULL, &rule)->action, POLICY_ERRNO);
	args[0] = 0;
	/* includes caps: never (no capabilities); excludes caps: always */
	ck_assert_int_eq(policy_match(p, SYS_getpid, args, NULL, &rule)->action, POLICY_ERRNO);
	ck_assert_int_eq(policy_match(p, SYS_gettid, args, NULL, &rule)->action, POLICY_ALLOW);
	/* arches and minKernel checked against this machine */
	ck_assert_int_eq(policy_match(p, SYS_uname, args, NULL, &rule)->action, POLICY_ERRNO);
	ck_assert_int_eq(policy_match(p, SYS_getuid, args, NULL, &rule)->action, POLICY_ALLOW);
	ck_assert_int_eq(policy_match(p, SYS_getgid, args, NULL, &rule)->action, POLICY_ALLOW);
	ck_assert_int_eq(policy_match(p, SYS_getegid, args, NULL, &rule)->action, POLICY_ERRNO);
	ck_assert_int_eq(policy_match(p, SYS_geteuid, args, NULL, &rule)->action, POLICY_ERRNO);
	args[1] = 15;
	ck_assert_int_eq(policy_match(p, SYS_kill, args, NULL, &rule)->action, POLICY_ALLOW);
	args[1] = 9;
	ck_assert_int_eq(policy_match(p, SYS_kill, args, NULL, &rule)->action, POLICY_ERRNO);
	policy_free(p);

	/* the Docker-shaped profile: hundreds of names, every architecture's */
	p = load_data("oci-docker-like.json", &diag, &rep);
	ck_assert_msg(p, "%s", strbuf_str(&diag));
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(p->arches, POLICY_ARCH_NATIVE | POLICY_ARCH_X86 | POLICY_ARCH_X32);
	ck_assert_uint_gt(p->rules[0].n_syscalls, 250);
	policy_free(p);
	strbuf_free(&diag);
}
END_TEST

static const struct {
	const char *file;
	unsigned int errors, warnings;
	const char *line; /* one line the output must have */
} checks[] = {
	{"conflicts.json", 2, 4,
	 "conflicts.json:5:28: rules[1].syscalls[1]: mkdir is already decided by rules[0] for "
	 "every "
	 "call (errno): this rule (kill) never applies to it\n"},
	{"conflicts.json", 2, 4,
	 "conflicts.json:7:19: rules[3].syscalls[0]: write is already decided by rules[2] with the "
	 "same conditions (kill): this rule (allow) never applies to it\n"},
	{"conflicts.json", 2, 4,
	 "conflicts.json:8:19: rules[4].syscalls[0]: warning: mkdir is already decided by rules[0] "
	 "for every call (errno): this rule (errno) never applies to it\n"},
	{"conflicts.json", 2, 4,
	 "conflicts.json:10:19: rules[6].syscalls[0]: warning: allows ptrace: the program could "
	 "trace and control other processes of its uid (inside the sandbox it cannot anyway: every "
	 "process is already traced by the supervisor, so strace and gdb fail there)\n"},
	{"bad-oci.json", 4, 3,
	 "bad-oci.json:6:16: syscalls[0].names[0]: warning: unknown syscall \"opn\" (did you mean "
	 "\"open\"?): skipped\n"},
	{"bad-oci.json", 4, 3,
	 "bad-oci.json:10:15: syscalls[2].args[0]: warning: valueTwo 0x3 has bits outside the mask "
	 "(value) 0x1, so the condition never holds\n"},
	/* runc, crun and Podman ignore keys they do not know */
	{"bad-oci.json", 4, 3,
	 "bad-oci.json:9:54: syscalls[2].extra: warning: unknown key \"extra\": ignored, as runc "
	 "does"},
	{"oci-docker-like.json", 0, 4,
	 "oci-docker-like.json:654:5: syscalls[19].names[0]: warning: clone3: a built-in rule "
	 "decides every clone3 call"},
	/* OCI: libseccomp's order, not the file's */
	{"oci/edge-overlap.json", 0, 6,
	 "edge-overlap.json:76:3: syscalls[2]: warning: dup: the unconditional syscalls[2] decides "
	 "every call whatever the order (libseccomp, as under runc): the conditions of syscalls[1] "
	 "never apply\n"},
	{"oci/edge-overlap.json", 0, 6,
	 "edge-overlap.json:116:3: syscalls[6]: warning: lseek: calls that meet the conditions of "
	 "both syscalls[5] (errno EIO) and this entry (errno E2BIG) get the action libseccomp's "
	 "own "
	 "order of conditions picks"},
	{"count.json", 0, 2,
	 "count.json:2:14: default: warning: the default action allows ptrace, "},
};

START_TEST(check_reports)
{
	struct strbuf diag = {0};
	struct policy_report rep;
	struct policy *p = load_data(checks[_i].file, &diag, &rep);

	ck_assert_msg(strstr(strbuf_str(&diag), checks[_i].line), "missing:\n%s\nin:\n%s",
		      checks[_i].line, strbuf_str(&diag));
	ck_assert_uint_eq(rep.errors, checks[_i].errors);
	ck_assert_uint_eq(rep.warnings, checks[_i].warnings);
	ck_assert((p != NULL) == (checks[_i].errors == 0));
	policy_free(p);
	strbuf_free(&diag);
}
END_TEST

START_TEST(shipped_policies_clean)
{
	struct strbuf diag = {0};
	size_t n = 0;

	/* Every policy of the embedded table, so one added later is checked too. */
	for (size_t i = 0; sbx_shipped_policy_name(i); i++, n++) {
		struct policy_report rep;
		struct policy *p = NULL;

		strbuf_reset(&diag);
		ck_assert_int_eq(policy_load(sbx_shipped_policy_name(i), &p, &diag, &rep), 0);
		ck_assert_msg(rep.warnings == 0, "%s", strbuf_str(&diag));
		policy_free(p);
	}
	ck_assert_uint_ge(n, 5); /* default, judge, judge-python, judge-threads, judge-compile */
	strbuf_free(&diag);
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

/*
 * An OCI profile of |n| entries, one a line, each one name (ioctl) with a
 * request of its own; the entry at |twice| (if < n) tests argument 1 twice,
 * which runc hands libseccomp as two rules.
 */
static void oci_profile(struct strbuf *t, size_t n, size_t twice)
{
	strbuf_append(t, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [\n");
	for (size_t i = 0; i < n; i++) {
		strbuf_printf(t,
			      "%s{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\", "
			      "\"args\": [{\"index\": 1, \"value\": %zu, \"op\": \"SCMP_CMP_EQ\"}",
			      i ? ",\n" : "", 0x10000 + i);
		if (i == twice)
			strbuf_printf(t,
				      ", {\"index\": 1, \"value\": %zu, \"op\": \"SCMP_CMP_EQ\"}",
				      0x90000 + i);
		strbuf_append(t, "]}");
	}
	strbuf_append(t, "\n]}\n");
}

#define OCI_LIMIT_MSG                                                                              \
	"more than 4096 libseccomp rules (one per name of an entry): each takes an instruction "   \
	"of "                                                                                      \
	"a filter the kernel caps at 4096, so runc could not load this profile either, and "       \
	"libseccomp's compile time grows with the square of the rules; give fewer names or "       \
	"conditions\n"

/*
 * An OCI profile gives libseccomp at most 4096 rules: at the limit it
 * loads; past it, one error at the name that crosses it (file:line:column),
 * however many follow.
 */
START_TEST(oci_rule_limit)
{
	static const struct {
		size_t n, twice;
		const char *diag; /* NULL: loads */
	} cases[] = {
		{4096, SIZE_MAX, NULL},
		{4095, 4094, NULL},
		{4096, 4095, "big.json:4097:12: syscalls[4095].names[0]: " OCI_LIMIT_MSG},
		{4097, SIZE_MAX, "big.json:4098:12: syscalls[4096].names[0]: " OCI_LIMIT_MSG},
		{6000, SIZE_MAX, "big.json:4098:12: syscalls[4096].names[0]: " OCI_LIMIT_MSG},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct strbuf t = {0}, diag = {0};
		struct policy *p = NULL;
		int r;

		oci_profile(&t, cases[c].n, cases[c].twice);
		r = policy_parse("big.json", strbuf_str(&t), t.len, &p, &diag);
		if (!cases[c].diag) {
			ck_assert_msg(r == 0, "%zu entries: %s", cases[c].n, strbuf_str(&diag));
			ck_assert_uint_eq(p->oci->n_seccomp_rules, 4096);
		} else {
			ck_assert_int_eq(r, -EINVAL);
			ck_assert_str_eq(strbuf_str(&diag), cases[c].diag);
		}
		policy_free(p);
		strbuf_free(&t);
		strbuf_free(&diag);
	}
}
END_TEST

/*
 * 20,000 rules, one a line, on four calls: a conflict and a redundancy far
 * apart are found where they were written, and each call's first matching
 * rule decides (the loader's per-call index and hash of earlier rules).
 */
START_TEST(many_rules)
{
	static const char *const calls[] = {"ioctl", "fcntl", "prctl", "madvise"};
	static const int nrs[] = {SYS_ioctl, SYS_fcntl, SYS_prctl, SYS_madvise};
	const size_t n = 20000;
	struct strbuf t = {0}, diag = {0};
	struct policy *p = NULL;
	uint64_t args[6] = {0};
	int rule;

	strbuf_append(&t, "{\"default\": \"kill\", \"rules\": [\n");
	for (size_t i = 0; i < n; i++) {
		/* 19,000 and 19,001 repeat rules 4 and 5 (ioctl 0x10001, fcntl 0x10001) */
		size_t v = i == 19000 ? 4 : i == 19001 ? 5 : i;

		strbuf_printf(&t,
			      "%s{\"syscalls\": [\"%s\"], \"action\": \"%s\", \"args\": "
			      "[{\"index\": 1, \"op\": \"==\", \"value\": %zu}]}",
			      i ? ",\n" : "", calls[v % 4], i == 19000 ? "allow" : "errno",
			      0x10000 + v / 4);
	}
	strbuf_append(&t, "\n]}\n");
	ck_assert_int_eq(policy_parse("many.json", strbuf_str(&t), t.len, &p, &diag), -EINVAL);
	ck_assert_str_eq(strbuf_str(&diag),
			 "many.json:19002:15: rules[19000].syscalls[0]: ioctl is already decided "
			 "by rules[4] with the same conditions (errno): this rule (allow) never "
			 "applies to it\n"
			 "many.json:19003:15: rules[19001].syscalls[0]: warning: fcntl is already "
			 "decided by rules[5] with the same conditions (errno): this rule (errno) "
			 "never applies to it\n");
	strbuf_free(&diag);
	ck_assert_int_eq(policy_parse_unchecked("many.json", strbuf_str(&t), t.len, &p, &diag), 0);
	for (size_t i = 0; i < n; i += 997) {
		size_t v = i == 19000 ? 4 : i == 19001 ? 5 : i;

		args[1] = 0x10000 + v / 4;
		ck_assert_int_eq(policy_match(p, nrs[v % 4], args, NULL, &rule)->action,
				 POLICY_ERRNO);
		ck_assert_int_eq(rule, (int)v);
		args[1] = 0x10000 + n; /* no rule's value */
		ck_assert_int_eq(policy_match(p, nrs[v % 4], args, NULL, &rule)->action,
				 POLICY_KILL);
		ck_assert_int_eq(rule, -1);
	}
	policy_free(p);
	strbuf_free(&t);
	strbuf_free(&diag);
}
END_TEST

/* --- portable policies: names one supported CPU lacks ------------------------ */

/* |name| (a file of tests/data, or a shipped policy) read as |cpu| would; NULL on errors. */
static struct policy *load_as(const char *name, const struct arch_desc *cpu, bool list_absent,
			      struct strbuf *diag, struct policy_report *rep)
{
	struct policy_load_opts opts = {
		.cpu = cpu, .no_precompiled = true, .list_absent = list_absent};
	char path[512];
	struct policy *p = NULL;

	if (strstr(name, ".json"))
		snprintf(path, sizeof(path), "%s/%s", getenv("SBX_TEST_DATA"), name);
	else
		snprintf(path, sizeof(path), "%s", name);
	strbuf_reset(diag);
	return policy_load_with(path, &opts, &p, diag, rep) == 0 ? p : NULL;
}

/*
 * The native calls rule |i| holds, by |cpu|'s names, sorted,
 * space-separated; with |pseudo|, those it keeps by libseccomp's pseudo
 * number instead (calls |cpu| lacks, for a foreign ABI that has them).
 */
static void rule_calls_of(const struct policy *p, size_t i, const struct arch_desc *cpu,
			  bool pseudo, struct strbuf *out)
{
	char *names[POLICY_NR_BITS];
	size_t n = 0;

	strbuf_reset(out);
	for (size_t k = 0; k < p->rules[i].n_syscalls; k++) {
		if ((p->rules[i].syscalls[k] < 0) != pseudo)
			continue;
		names[n] =
			seccomp_syscall_resolve_num_arch(cpu->scmp_arch, p->rules[i].syscalls[k]);
		ck_assert_msg(names[n], "rule %zu: %d is no %s call", i, p->rules[i].syscalls[k],
			      cpu->name);
		n++;
	}
	for (size_t a = 0; a < n; a++) /* a few names: insertion sort */
		for (size_t b = a; b > 0 && strcmp(names[b - 1], names[b]) > 0; b--) {
			char *t = names[b];

			names[b] = names[b - 1];
			names[b - 1] = t;
		}
	for (size_t k = 0; k < n; k++) {
		strbuf_printf(out, "%s%s", k ? " " : "", names[k]);
		free(names[k]);
	}
}

static void rule_calls(const struct policy *p, size_t i, const struct arch_desc *cpu,
		       struct strbuf *out)
{
	rule_calls_of(p, i, cpu, false, out);
}

/*
 * Every shipped policy reads without an error or a warning on both CPUs:
 * judge names open, fork, stat ... that aarch64 lacks, default iopl.
 */
START_TEST(shipped_policies_portable)
{
	const struct arch_desc *const cpus[] = {&arch_x86_64, &arch_aarch64};
	struct strbuf diag = {0};

	for (size_t c = 0; c < 2; c++)
		for (size_t i = 0; sbx_shipped_policy_name(i); i++) {
			struct policy_report rep;
			struct policy *p =
				load_as(sbx_shipped_policy_name(i), cpus[c], false, &diag, &rep);

			ck_assert_msg(p && rep.errors == 0 && rep.warnings == 0, "%s on %s:\n%s",
				      sbx_shipped_policy_name(i), cpus[c]->name, strbuf_str(&diag));
			policy_free(p);
		}
	strbuf_free(&diag);
}
END_TEST

/*
 * A name the CPU lacks adds nothing to its native calls: the CPU's own
 * calls are there, by its numbers, and the others are kept by libseccomp's
 * pseudo number, for a foreign ABI that has them (AArch32's open and fork,
 * i386's socketcall); a group holds the members the CPU has.
 */
START_TEST(absent_names_add_nothing)
{
	static const struct {
		const struct arch_desc *cpu;
		const char *rule[2];
		const char *pseudo[2];
	} cases[] = {
		{&arch_x86_64, {"fork open openat", "vfork"}, {"", "socketcall"}},
		{&arch_aarch64, {"openat", ""}, {"fork open", "socketcall vfork"}},
	};
	struct strbuf diag = {0}, calls = {0};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct policy_report rep;
		struct policy *p = load_as("portable.json", cases[c].cpu, false, &diag, &rep);

		ck_assert_msg(p && rep.warnings == 0, "%s", strbuf_str(&diag));
		for (size_t i = 0; i < 2; i++) {
			rule_calls(p, i, cases[c].cpu, &calls);
			ck_assert_str_eq(strbuf_str(&calls), cases[c].rule[i]);
			rule_calls_of(p, i, cases[c].cpu, true, &calls);
			ck_assert_str_eq(strbuf_str(&calls), cases[c].pseudo[i]);
		}
		/* @default: arch_prctl on x86_64 only; the rest on both */
		rule_calls(p, 2, cases[c].cpu, &calls);
		ck_assert_msg((strstr(strbuf_str(&calls), "arch_prctl") != NULL) ==
				      (cases[c].cpu == &arch_x86_64),
			      "%s: %s", cases[c].cpu->name, strbuf_str(&calls));
		ck_assert_msg(strstr(strbuf_str(&calls), "brk clock_getres clock_gettime") &&
				      strstr(strbuf_str(&calls), " exit exit_group futex ") &&
				      strstr(strbuf_str(&calls), " rt_sigreturn "),
			      "%s: %s", cases[c].cpu->name, strbuf_str(&calls));
		policy_free(p);
	}
	strbuf_free(&calls);
	strbuf_free(&diag);
}
END_TEST

/*
 * --check's lines: which names each CPU lacks, sorted, each once, the
 * same text whichever CPU reads the policy; none when all are everywhere.
 */
START_TEST(absent_names_listed)
{
	const struct arch_desc *const cpus[] = {&arch_x86_64, &arch_aarch64};
	struct strbuf diag = {0};
	char want[1024];

	for (size_t c = 0; c < 2; c++) {
		struct policy_report rep;
		struct policy *p = load_as("portable.json", cpus[c], true, &diag, &rep);

		ck_assert_ptr_nonnull(p);
		snprintf(want, sizeof(want),
			 "%s/portable.json: absent on x86_64: socketcall\n"
			 "%s/portable.json: absent on aarch64: fork, open, socketcall, vfork\n",
			 getenv("SBX_TEST_DATA"), getenv("SBX_TEST_DATA"));
		ck_assert_str_eq(strbuf_str(&diag), want);
		ck_assert_uint_eq(rep.errors + rep.warnings, 0);
		policy_free(p);

		p = load_as("portable-everywhere.json", cpus[c], true, &diag, &rep);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(strbuf_str(&diag), "");
		policy_free(p);

		p = load_as("judge", cpus[c], true, &diag, &rep);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(strbuf_str(&diag),
				 "judge: absent on aarch64: access, arch_prctl, creat, dup2, fork, "
				 "lstat, open, poll, readlink, stat, time, vfork\n");
		policy_free(p);
	}
	/* Not without list_absent: a run says nothing of them. */
	policy_free(load_as("portable.json", &arch_aarch64, false, &diag, NULL));
	ck_assert_str_eq(strbuf_str(&diag), "");
	strbuf_free(&diag);
}
END_TEST

/*
 * A name no supported CPU has is still an error at its line:column, with a
 * suggestion from either CPU's names; another machine's call is named so.
 */
START_TEST(unknown_names_still_errors)
{
	const struct arch_desc *const cpus[] = {&arch_x86_64, &arch_aarch64};
	struct strbuf diag = {0};

	for (size_t c = 0; c < 2; c++) {
		struct policy_report rep;

		ck_assert_ptr_null(load_as("bad-unknown-syscall.json", cpus[c], true, &diag, &rep));
		ck_assert_msg(strstr(strbuf_str(&diag), "bad-unknown-syscall.json:4:27: "
							"rules[0].syscalls[1]: unknown syscall "
							"\"opn\" (did you mean \"open\"?)\n"),
			      "%s: %s", cpus[c]->name, strbuf_str(&diag));
		ck_assert_ptr_null(load_as("bad-multiple.json", cpus[c], false, &diag, &rep));
		ck_assert_msg(strstr(strbuf_str(&diag),
				     "bad-multiple.json:5:19: rules[0].syscalls[0]: "
				     "syscall \"spu_run\" is another machine's"),
			      "%s: %s", cpus[c]->name, strbuf_str(&diag));
	}
	strbuf_free(&diag);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("load");

	tcase_add_loop_test(tc, bad_files, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, good_judge);
	tcase_add_test(tc, isolation_merges);
	tcase_add_test(tc, first_match_semantics);
	tcase_add_test(tc, int_arguments_compare_low_half);
	tcase_add_test(tc, extends_order);
	tcase_add_test(tc, extends_errors);
	tcase_add_test(tc, count_limited);
	tcase_add_test(tc, oci_mapping);
	tcase_add_loop_test(tc, check_reports, 0, (int)(sizeof(checks) / sizeof(checks[0])));
	tcase_add_test(tc, shipped_policies_clean);
	tcase_add_test(tc, embedded_default_loads);
	tcase_add_test(tc, unreadable_file);
	tcase_add_test(tc, oci_rule_limit);
	tcase_add_test(tc, many_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("portable");
	tcase_add_test(tc, shipped_policies_portable);
	tcase_add_test(tc, absent_names_add_nothing);
	tcase_add_test(tc, absent_names_listed);
	tcase_add_test(tc, unknown_names_still_errors);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
