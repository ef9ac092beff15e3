/* SPDX-License-Identifier: MIT */
/*
 * OCI / Docker / Podman profiles mean what they mean under runc: the
 * loader's reading of each key, and the program filter_oci.c builds (runc's
 * libseccomp calls, runc's ENOSYS stub, our prefix), run two ways: by
 * bpf_run() as the supervisor runs it at a stop, and by the kernel in a
 * forked child. tests/oci_runc.py compares whole profiles with runc itself.
 */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "bpfrun.h"
#include "filter.h"
#include "policy.h"
#include "run_suite.h"

#define I386_MMAP2	192 /* i386's numbers (arch/x86/entry/syscalls/syscall_32.tbl) */
#define I386_GETPID	20
#define I386_SOCKETCALL 102

static struct policy *load(const char *json, struct strbuf *diag)
{
	struct policy *p = NULL;

	strbuf_free(diag);
	policy_parse("t.json", json, strlen(json), &p, diag);
	return p;
}

static struct policy *load_ok(const char *json)
{
	struct strbuf diag = {0};
	struct policy *p = load(json, &diag);

	ck_assert_msg(p, "%s\n%s", strbuf_str(&diag), json);
	ck_assert(p->oci);
	strbuf_free(&diag);
	return p;
}

/* The verdict runc's program gives (arch, nr, a0, a1), as the supervisor computes it. */
static struct policy_verdict answer(const struct policy *p, uint32_t arch, int nr, uint64_t a0,
				    uint64_t a1)
{
	struct seccomp_data d = {.nr = nr, .arch = arch, .args = {a0, a1}};
	const struct sock_filter *prog;
	size_t len;

	ck_assert_int_eq(filter_oci_program(p, &prog, &len), 0);
	return filter_oci_verdict(bpf_run(prog, len, &d));
}

/* -errno the call fails with, 0 when it runs, 1000 for a stop (log/kill). */
static int outcome(const struct policy *p, uint32_t arch, int nr, uint64_t a0, uint64_t a1)
{
	struct policy_verdict v = answer(p, arch, nr, a0, a1);

	if (v.action == POLICY_ALLOW)
		return 0;
	if (v.action == POLICY_ERRNO && !v.log)
		return -v.errno_value;
	return 1000;
}

#define NAT (ARCH_NATIVE->audit_arch) /* the build's CPU, with its SYS_* numbers */
#define X64 AUDIT_ARCH_X86_64
#define X86 AUDIT_ARCH_I386
#define A64 AUDIT_ARCH_AARCH64
#define ARM AUDIT_ARCH_ARM

/* libseccomp's number of |name| for the ABI |token| (SCMP_ARCH_*), which must have it. */
static int nr_on(uint32_t token, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(token, name);

	ck_assert_msg(nr >= 0, "%s: no number on %#x", name, token);
	return nr;
}

/* tests/data/oci/|file| (or |json|) read as the CPU |arch| reads it. */
static struct policy *load_for(const struct arch_desc *arch, const char *file, const char *json)
{
	struct policy_load_opts opts = {.cpu = arch};
	struct strbuf diag = {0};
	struct policy *p = NULL;
	char path[4096];
	FILE *f;

	if (json) {
		/* a file, as policy_parse() takes no options */
		snprintf(path, sizeof(path), "%s/oci64-XXXXXX.json", P_tmpdir);
		f = fdopen(mkstemps(path, 5), "w");
		ck_assert_ptr_nonnull(f);
		fputs(json, f);
		fclose(f);
	} else {
		snprintf(path, sizeof(path), "%s/oci/%s", getenv("SBX_TEST_DATA"), file);
	}
	ck_assert_msg(policy_load_with(path, &opts, &p, &diag, NULL) == 0, "%s", strbuf_str(&diag));
	if (json)
		unlink(path);
	strbuf_free(&diag);
	ck_assert(p->oci);
	return p;
}

START_TEST(same_index_conditions_are_any_of)
{
	/* runc's own conformance profile shape (seccomp_syscall_test1): any one matches */
	struct policy *p =
		load_ok("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
			"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
			"{\"index\": 0, \"value\": 20, \"op\": \"SCMP_CMP_EQ\"},"
			"{\"index\": 0, \"value\": 30, \"op\": \"SCMP_CMP_EQ\"}]},"
			"{\"names\": [\"getsid\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
			"{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
			"{\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}");

	ck_assert_int_eq(outcome(p, NAT, SYS_getpgid, 20, 0), -EPERM);
	ck_assert_int_eq(outcome(p, NAT, SYS_getpgid, 30, 0), -EPERM);
	ck_assert_int_eq(outcome(p, NAT, SYS_getpgid, 40, 0), 0);
	/* different indexes: all must hold */
	ck_assert_int_eq(outcome(p, NAT, SYS_getsid, 1, 2), -EPERM);
	ck_assert_int_eq(outcome(p, NAT, SYS_getsid, 1, 3), 0);
	policy_free(p);
}
END_TEST

START_TEST(unconditional_entry_wins_whatever_the_order)
{
	static const char *const profiles[] = {
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13,"
		" \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 22}]}",
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 22},"
		"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13,"
		" \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	};

	for (size_t i = 0; i < 2; i++) {
		struct policy *p = load_ok(profiles[i]);

		/* first-match would give EACCES (13) to getpgid(5) in the first profile */
		ck_assert_int_eq(outcome(p, NAT, SYS_getpgid, 5, 0), -EINVAL);
		ck_assert_int_eq(outcome(p, NAT, SYS_getpgid, 6, 0), -EINVAL);
		policy_free(p);
	}
}
END_TEST

#if defined(__x86_64__)
/* On x86_64: i386 and x86_64's own numbers (aarch64 has no rmdir or unlink). */
START_TEST(i386_only_names_go_to_the_i386_filter)
{
	struct policy *p = load_ok(
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\","
		" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": ["
		"{\"names\": [\"mmap2\", \"socket\"], \"action\": \"SCMP_ACT_ERRNO\", "
		"\"errnoRet\": 13}]}");

	ck_assert_int_eq(outcome(p, X86, I386_MMAP2, 0, 0), -EACCES);
	ck_assert_int_eq(outcome(p, X86, I386_GETPID, 0, 0), 0);
	ck_assert_int_eq(outcome(p, X64, SYS_mmap, 0, 0), 0);
	/* i386's socketcall(SYS_SOCKET, ...) is socket, as libseccomp splits it */
	ck_assert_int_eq(outcome(p, X86, I386_SOCKETCALL, 1, 0), -EACCES);
	ck_assert_int_eq(outcome(p, X86, I386_SOCKETCALL, 3, 0), 0);
	ck_assert_int_eq(outcome(p, X64, SYS_socket, 1, 0), -EACCES);
	policy_free(p);
}
END_TEST

#define NEWER_PROFILE(arches)                                                                      \
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", " arches " \"syscalls\": ["                       \
	"{\"names\": [\"read\", \"getpid\", \"mkdir\"], \"action\": \"SCMP_ACT_ALLOW\"},"          \
	"{\"names\": [\"getuid32\"], \"action\": \"SCMP_ACT_ALLOW\"}]}"

START_TEST(calls_newer_than_the_profile_get_enosys)
{
	struct policy *p = load_ok(
		NEWER_PROFILE("\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],"));

	ck_assert_int_eq(outcome(p, X64, SYS_getpid, 0, 0), 0);
	ck_assert_int_eq(outcome(p, X64, SYS_chdir, 0, 0), -EPERM);  /* 80 < mkdir's 83 */
	ck_assert_int_eq(outcome(p, X64, SYS_rmdir, 0, 0), -ENOSYS); /* 84 */
	ck_assert_int_eq(outcome(p, X64, SYS_statx, 0, 0), -ENOSYS);
	ck_assert_int_eq(outcome(p, X86, 383 /* statx */, 0, 0), -ENOSYS);
	ck_assert_int_eq(outcome(p, X86, I386_GETPID, 0, 0), 0);
	ck_assert_int_eq(outcome(p, X86, 100 /* fstatfs < getuid32's 199 */, 0, 0), -EPERM);
	policy_free(p);

	/* no architecture listed: no stub, as in runc */
	p = load_ok(NEWER_PROFILE(""));
	ck_assert_int_eq(outcome(p, X64, SYS_statx, 0, 0), -EPERM);
	policy_free(p);
}
END_TEST

START_TEST(errno_keys_as_runc_and_podman_read_them)
{
	struct policy *p = load_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": ["
		"{\"names\": [\"rmdir\"], \"action\": \"SCMP_ACT_ERRNO\"},"
		"{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0},"
		"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");

	ck_assert_int_eq(outcome(p, X64, SYS_unlink, 0, 0), -ENOSYS);
	/* defaultErrnoRet is the default's alone */
	ck_assert_int_eq(outcome(p, X64, SYS_rmdir, 0, 0), -EPERM);
	ck_assert_int_eq(outcome(p, X64, SYS_mkdir, 0, 0), 0); /* skipped, returns 0 */
	policy_free(p);

	/* Podman's names win over the numbers, as in containers/common */
	p = load_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrno\": \"ENOSYS\","
		" \"defaultErrnoRet\": 1, \"syscalls\": ["
		"{\"names\": [\"rmdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"EACCES\"},"
		"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	ck_assert_int_eq(outcome(p, X64, SYS_unlink, 0, 0), -ENOSYS);
	ck_assert_int_eq(outcome(p, X64, SYS_rmdir, 0, 0), -EACCES);
	policy_free(p);
}
END_TEST
#endif

/* includes.caps / excludes.caps against the capabilities a caller names (--oci-caps) */
START_TEST(capabilities_a_caller_names)
{
	char path[4096];
	struct strbuf diag = {0};
	struct policy *none = NULL, *admin = NULL;
	uint64_t docker = 0;
	struct policy_load_opts opts = {.oci_caps = 1ULL << CAP_SYS_ADMIN};

	snprintf(path, sizeof(path), "%s/oci-actions.json", getenv("SBX_TEST_DATA"));
	ck_assert_int_eq(policy_load_with(path, NULL, &none, &diag, NULL), 0);
	ck_assert_int_eq(policy_load_with(path, &opts, &admin, &diag, NULL), 0);
	/* getpid: includes CAP_SYS_ADMIN; gettid: excludes it; default errno 38 */
	ck_assert_int_eq(outcome(none, NAT, SYS_getpid, 0, 0), -ENOSYS);
	ck_assert_int_eq(outcome(none, NAT, SYS_gettid, 0, 0), 0);
	ck_assert_int_eq(outcome(admin, NAT, SYS_getpid, 0, 0), 0);
	ck_assert_int_eq(outcome(admin, NAT, SYS_gettid, 0, 0), -ENOSYS);
	ck_assert_int_eq(policy_oci_caps("docker", &docker), 0);
	ck_assert(docker & (1ULL << CAP_CHOWN));
	ck_assert(!(docker & (1ULL << CAP_SYS_ADMIN)));
	ck_assert_int_eq(policy_oci_caps("CAP_KILL,CAP_NOPE", &docker), -EINVAL);
	policy_free(none);
	policy_free(admin);
	strbuf_free(&diag);
}
END_TEST

static const struct {
	const char *json;
	const char *error; /* NULL: loads */
} validation[] = {
	/* refused by runc or by Docker/Podman before it */
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_65\"]}",
	 "architectures[0]: expected an architecture runc knows"},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\"],"
	 " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": []}]}",
	 "archMap: give \"architectures\" or \"archMap\", not both"},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\"],"
	 " \"action\": \"SCMP_ACT_NOTIFY\"}]}",
	 "SCMP_ACT_NOTIFY needs \"listenerPath\""},
	{"{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/run/a\"}",
	 "SCMP_ACT_NOTIFY cannot be the default"},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"\"],"
	 " \"action\": \"SCMP_ACT_ERRNO\"}]}",
	 "an empty name is not a syscall"},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
	 "{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\","
	 " \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]},"
	 "{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_KILL\","
	 " \"args\": [{\"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	 "libseccomp cannot build that"},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/a\", \"syscalls\": "
	 "[{\"name\": \"write\", \"action\": \"SCMP_ACT_NOTIFY\"}]}",
	 "SCMP_ACT_NOTIFY on write"},
	/* accepted by runc (Go reads null and absent keys as zero values) */
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": null,"
	 " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": null}, {\"names\": [\"getpgid\"],"
	 " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	 NULL},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [],"
	 " \"action\": \"SCMP_ACT_ERRNO\"}]}",
	 NULL},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"],"
	 " \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0}]}",
	 NULL},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": "
	 "[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}",
	 NULL},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"close\"],"
	 " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1,"
	 " \"valueTwo\": 3, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
	 NULL},
	{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"description\": \"ours\", \"$schema\": \"x\","
	 " \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\","
	 " \"note\": 1}]}",
	 NULL},
};

/* Our format's first match cannot extend libseccomp's meaning: refused, not read another way. */
START_TEST(oci_profiles_are_not_extended)
{
	char json[4200];
	struct strbuf diag = {0};
	struct policy *p;

	snprintf(json, sizeof(json),
		 "{\"extends\": \"%s/oci-actions.json\", \"default\": \"allow\"}",
		 getenv("SBX_TEST_DATA"));
	p = load(json, &diag);
	ck_assert_msg(!p && strstr(strbuf_str(&diag), "is an OCI profile: it cannot be extended"),
		      "%s", strbuf_str(&diag));
	strbuf_free(&diag);
}
END_TEST

/* The sandbox's own execve of the program must stop, unless the profile lets every execve run. */
START_TEST(own_execve_reaches_the_supervisor)
{
	static const char *const profiles[] = {
		/* libseccomp keeps the first unconditional entry: execve fails in the kernel */
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13},"
		"{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 2, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		/* every execve runs: no stop needed */
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_KILL\","
		" \"args\": [{\"index\": 2, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	};

	for (size_t i = 0; i < ARRAY_SIZE(profiles); i++) {
		struct policy *p = load_ok(profiles[i]);
		struct seccomp_data d = {.nr = SYS_execve, .arch = NAT};
		struct filter f;
		uint32_t ret;

		ck_assert_int_eq(filter_oci_build(p, NULL, 0, &f), 0);
		ret = bpf_run(f.insns, f.len, &d) & SECCOMP_RET_ACTION_FULL;
		ck_assert_msg(ret == (i < 2 ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW),
			      "profile %zu: %#x", i, ret);
		filter_release(&f);
		policy_free(p);
	}
}
END_TEST

START_TEST(validation_as_runc)
{
	struct strbuf diag = {0};
	struct policy *p = load(validation[_i].json, &diag);

	if (validation[_i].error)
		ck_assert_msg(!p && strstr(strbuf_str(&diag), validation[_i].error),
			      "want \"%s\" in:\n%s", validation[_i].error, strbuf_str(&diag));
	else
		ck_assert_msg(p, "%s\n%s", strbuf_str(&diag), validation[_i].json);
	policy_free(p);
	strbuf_free(&diag);
}
END_TEST

/* The calls the kernel test makes: getpgid/getsid/getpriority with chosen arguments. */
static const struct {
	int nr;
	uint64_t a0, a1;
} kernel_calls[] = {
	{SYS_getpgid, 0, 0},
	{SYS_getpgid, 20, 0},
	{SYS_getpgid, 30, 0},
	{SYS_getpgid, 5, 0},
	{SYS_getpgid, 1ULL << 32 | 20, 0},
	{SYS_getsid, 1, 2},
	{SYS_getsid, 1, 3},
	{SYS_getpriority, 0, 0},
	{SYS_getpriority, 7, 0},
	{SYS_statx, 0, 0},
	{SYS_clone3, 0, 0},
};

/*
 * What the kernel does with the whole program (prefix and runc's program)
 * equals what bpf_run() says the supervisor would decide, call by call: the
 * supervisor's reading of the profile is the kernel's.
 */
START_TEST(kernel_and_supervisor_agree)
{
	struct policy *p = load_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
		" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\","
		" \"SCMP_ARCH_AARCH64\"], \"syscalls\": ["
		"{\"names\": [\"getpgid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13,"
		" \"args\": [{\"index\": 0, \"value\": 20, \"op\": \"SCMP_CMP_EQ\"},"
		"            {\"index\": 0, \"value\": 30, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"exit_group\", \"getpid\"], \"action\": "
		"\"SCMP_ACT_ALLOW\","
		" \"args\": []},"
		"{\"names\": [\"getsid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 22,"
		" \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
		"            {\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"getsid\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_NE\"}]},"
		"{\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_TRACE\","
		" \"args\": [{\"index\": 0, \"value\": 7, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"getpriority\", \"kill\"], \"action\": \"SCMP_ACT_ERRNO\","
		" \"errnoRet\": 2}]}");
	struct filter f;
	int status, want[ARRAY_SIZE(kernel_calls)];
	pid_t pid;

	ck_assert_int_eq(filter_oci_build(p, NULL, 0, &f), 0);
	for (size_t i = 0; i < ARRAY_SIZE(kernel_calls); i++) {
		int o = outcome(p, NAT, kernel_calls[i].nr, kernel_calls[i].a0, kernel_calls[i].a1);

		/* a built-in rule: clone3 fails with ENOSYS before the profile */
		want[i] = kernel_calls[i].nr == SYS_clone3 ? -ENOSYS : o;
		/* a stop with no tracer: ENOSYS */
		want[i] = want[i] == 1000 ? -ENOSYS : want[i];
	}
	/* what the profile means, so the comparison below cannot pass with both wrong */
	ck_assert_int_eq(want[1], -EACCES);
	ck_assert_int_eq(want[2], -EACCES);
	ck_assert_int_eq(want[3], -EPERM);
	/* pid_t is 32 bits: the upper half means nothing (runc would compare it) */
	ck_assert_int_eq(want[4], -EACCES);
	ck_assert_int_eq(want[9], -ENOSYS);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sock_fprog prog = {.len = (unsigned short)f.len, .filter = f.insns};
		int bad = 0;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(200);
		for (size_t i = 0; i < ARRAY_SIZE(kernel_calls); i++) {
			long r = syscall(kernel_calls[i].nr, kernel_calls[i].a0, kernel_calls[i].a1,
					 0, 0, 0, 0);
			int got = r < 0 ? -errno : 0;

			/* an allowed call may fail by itself: ESRCH for pgid 20 ... */
			if (want[i] == 0 && r < 0 && errno != ENOSYS && errno != EACCES)
				got = 0;
			bad += got != want[i];
		}
		syscall(SYS_exit_group, bad);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "kernel and supervisor disagree on %d calls (status 0x%x)",
		      WEXITSTATUS(status), status);
	filter_release(&f);
	policy_free(p);
}
END_TEST

/*
 * Which architectures a profile's names add, on each CPU: the CPU's own
 * token is native, its foreign ABIs' are theirs, another CPU's mean
 * nothing; archMap's entry and includes/excludes "arches" are the CPU's.
 */
START_TEST(architectures_mean_the_cpus_own)
{
	static const char lists[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\","
		" \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\", \"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"]}";
	static const char arm_only[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_ARM\"]}";
	static const char includes[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
				       "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\","
				       " \"includes\": {\"arches\": [\"arm64\"]}},"
				       "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\","
				       " \"includes\": {\"arches\": [\"amd64\"]}},"
				       "{\"names\": [\"gettid\"], \"action\": \"SCMP_ACT_ALLOW\","
				       " \"excludes\": {\"arches\": [\"arm64\"]}}]}";
	struct policy *p;

	p = load_for(&arch_x86_64, NULL, lists);
	ck_assert_uint_eq(p->oci->listed_arches,
			  POLICY_ARCH_NATIVE | POLICY_ARCH_X86 | POLICY_ARCH_X32);
	policy_free(p);
	p = load_for(&arch_aarch64, NULL, lists);
	ck_assert_uint_eq(p->oci->listed_arches, POLICY_ARCH_NATIVE | POLICY_ARCH_ARM);
	policy_free(p);
	p = load_for(&arch_x86_64, NULL, arm_only);
	ck_assert_uint_eq(p->arches, POLICY_ARCH_NATIVE);
	policy_free(p);

	/* Docker's archMap: each CPU takes its own entry and its subArchitectures */
	p = load_for(&arch_x86_64, "docker-default.json", NULL);
	ck_assert_uint_eq(p->arches, POLICY_ARCH_NATIVE | POLICY_ARCH_X86 | POLICY_ARCH_X32);
	policy_free(p);
	p = load_for(&arch_aarch64, "docker-default.json", NULL);
	ck_assert_uint_eq(p->arches, POLICY_ARCH_NATIVE | POLICY_ARCH_ARM);
	ck_assert_ptr_eq(p->oci->arch, &arch_aarch64);
	policy_free(p);

	/* Go's names of the CPUs, as Docker and Podman compare them */
	p = load_for(&arch_aarch64, NULL, includes);
	ck_assert_int_eq(outcome(p, A64, nr_on(SCMP_ARCH_AARCH64, "getpid"), 0, 0), 0);
	ck_assert_int_eq(outcome(p, A64, nr_on(SCMP_ARCH_AARCH64, "getppid"), 0, 0), -EPERM);
	ck_assert_int_eq(outcome(p, A64, nr_on(SCMP_ARCH_AARCH64, "gettid"), 0, 0), -EPERM);
	policy_free(p);
	p = load_for(&arch_x86_64, NULL, includes);
	ck_assert_int_eq(outcome(p, X64, nr_on(SCMP_ARCH_X86_64, "getpid"), 0, 0), -EPERM);
	ck_assert_int_eq(outcome(p, X64, nr_on(SCMP_ARCH_X86_64, "getppid"), 0, 0), 0);
	ck_assert_int_eq(outcome(p, X64, nr_on(SCMP_ARCH_X86_64, "gettid"), 0, 0), 0);
	policy_free(p);
}
END_TEST

/*
 * Docker's default profile as runc builds it on aarch64 (built and run
 * here through bpf_run()): aarch64's numbers, AArch32 tasks as its
 * subArchitecture says, x86_64 calls foreign (killed), runc's ENOSYS stub
 * per ABI.
 */
START_TEST(docker_default_on_aarch64)
{
	struct policy *p = load_for(&arch_aarch64, "docker-default.json", NULL);
	const uint32_t A = SCMP_ARCH_AARCH64, R = SCMP_ARCH_ARM;

	/* allowed on both ABIs */
	ck_assert_int_eq(outcome(p, A64, nr_on(A, "getpid"), 0, 0), 0);
	ck_assert_int_eq(outcome(p, A64, nr_on(A, "openat"), 0, 0), 0);
	ck_assert_int_eq(outcome(p, ARM, nr_on(R, "getpid"), 0, 0), 0);
	ck_assert_int_eq(outcome(p, ARM, nr_on(R, "fcntl64"), 0, 0), 0);
	/* includes.arches ["arm", "arm64"]: applies on aarch64 */
	ck_assert_int_eq(outcome(p, ARM, nr_on(R, "arm_fadvise64_64"), 0, 0), 0);
	ck_assert_int_eq(outcome(p, ARM, nr_on(R, "set_tls"), 0, 0), 0);
	/* refused (no CAP_SYS_ADMIN): the default, errno 1 */
	ck_assert_int_eq(outcome(p, A64, nr_on(A, "mount"), 0, 0), -EPERM);
	ck_assert_int_eq(outcome(p, ARM, nr_on(R, "mount"), 0, 0), -EPERM);
	ck_assert_int_eq(outcome(p, A64, nr_on(A, "clone3"), 0, 0), -ENOSYS); /* errnoRet 38 */
	/* clone's mask of namespace flags (CLONE_NEWUSER) */
	ck_assert_int_eq(outcome(p, A64, nr_on(A, "clone"), 0, 0), 0);
	ck_assert_int_eq(outcome(p, A64, nr_on(A, "clone"), 0x10000000, 0), -EPERM);
	/* x86_64's getpid (39) is aarch64's umount2: refused */
	ck_assert_int_eq(outcome(p, A64, nr_on(SCMP_ARCH_X86_64, "getpid"), 0, 0), -EPERM);
	/* another CPU's calls are foreign: killed (libseccomp's bad-arch action) */
	ck_assert_int_eq(outcome(p, X64, nr_on(SCMP_ARCH_X86_64, "getpid"), 0, 0), 1000);
	ck_assert_int_eq(outcome(p, X86, 20 /* getpid */, 0, 0), 1000);
	/* runc's ENOSYS stub, each ABI above its own largest call */
	ck_assert_int_eq(outcome(p, A64, 1000, 0, 0), -ENOSYS);
	ck_assert_int_eq(outcome(p, ARM, nr_on(R, "get_tls"), 0, 0), -ENOSYS); /* > set_tls */
	ck_assert_int_eq(outcome(p, ARM, nr_on(R, "bdflush"), 0, 0), -EPERM);
	policy_free(p);
}
END_TEST

/*
 * The prefix of the aarch64 filter: the calls the supervisor must see stop
 * at aarch64's and AArch32's numbers of them (the forced ones are given as
 * the build's, x86_64's on x86_64), whatever the profile says; other calls go
 * on to runc's program. (On an aarch64 build the same filter is its native one.)
 */
START_TEST(prefix_on_aarch64)
{
	struct policy *p = load_for(&arch_aarch64, "docker-default.json", NULL);
	const struct filter_force force[] = {{.nr = SYS_kill}, {.nr = SYS_fcntl}};
	const uint32_t A = SCMP_ARCH_AARCH64, R = SCMP_ARCH_ARM;
	struct filter f;
	struct {
		uint32_t arch;
		int nr;
		uint64_t a0;
		uint32_t want;
	} calls[] = {
		{A64, nr_on(A, "kill"), 0, SECCOMP_RET_TRACE},
		{A64, nr_on(A, "fcntl"), 0, SECCOMP_RET_TRACE},
		{ARM, nr_on(R, "kill"), 0, SECCOMP_RET_TRACE},
		{ARM, nr_on(R, "fcntl"), 0, SECCOMP_RET_TRACE},
		{ARM, nr_on(R, "fcntl64"), 0, SECCOMP_RET_TRACE},
		/* built-in rules: clone3 fails, clone with CLONE_UNTRACED stops */
		{A64, nr_on(A, "clone3"), 0, SECCOMP_RET_ERRNO | ENOSYS},
		{ARM, nr_on(R, "clone3"), 0, SECCOMP_RET_ERRNO | ENOSYS},
		{A64, nr_on(A, "clone"), 0x00800000, SECCOMP_RET_TRACE},
		{A64, nr_on(A, "clone"), 0, SECCOMP_RET_ALLOW},
		{A64, nr_on(A, "getpid"), 0, SECCOMP_RET_ALLOW},
		/* x86_64's kill (62) is aarch64's lseek: the profile allows it */
		{A64, nr_on(SCMP_ARCH_X86_64, "kill"), 0, SECCOMP_RET_ALLOW},
		{A64, nr_on(A, "mount"), 0, SECCOMP_RET_ERRNO | EPERM},
	};

	ck_assert_int_eq(filter_oci_build(p, force, ARRAY_SIZE(force), &f), 0);
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		struct seccomp_data d = {.nr = calls[i].nr, .arch = calls[i].arch};
		uint32_t ret;

		d.args[0] = calls[i].a0;
		ret = bpf_run(f.insns, f.len, &d);
		ck_assert_msg(ret == calls[i].want, "call %zu (arch %#x nr %d): %#x, want %#x", i,
			      calls[i].arch, calls[i].nr, ret, calls[i].want);
	}
	/* an x86_64 call, even one forced here, is foreign: not stopped, killed by the program */
	{
		struct seccomp_data d = {.nr = nr_on(SCMP_ARCH_X86_64, "kill"), .arch = X64};

		ck_assert_uint_eq(filter_oci_verdict(bpf_run(f.insns, f.len, &d)).action,
				  POLICY_KILL);
	}
	filter_release(&f);
	policy_free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oci");
	TCase *tc = tcase_create("as-runc");

	tcase_add_test(tc, same_index_conditions_are_any_of);
	tcase_add_test(tc, unconditional_entry_wins_whatever_the_order);
#if defined(__x86_64__)
	tcase_add_test(tc, i386_only_names_go_to_the_i386_filter);
	tcase_add_test(tc, calls_newer_than_the_profile_get_enosys);
	tcase_add_test(tc, errno_keys_as_runc_and_podman_read_them);
#endif
	tcase_add_test(tc, capabilities_a_caller_names);
	tcase_add_test(tc, own_execve_reaches_the_supervisor);
	tcase_add_test(tc, oci_profiles_are_not_extended);
	tcase_add_loop_test(tc, validation_as_runc, 0, ARRAY_SIZE(validation));
	tcase_add_test(tc, kernel_and_supervisor_agree);
	tcase_add_test(tc, architectures_mean_the_cpus_own);
	tcase_add_test(tc, docker_default_on_aarch64);
	tcase_add_test(tc, prefix_on_aarch64);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
