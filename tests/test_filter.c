/* SPDX-License-Identifier: MIT */
/*
 * The compiled filter must agree with policy_match(), the reference
 * semantics (first matching rule wins), for every call it decides in the
 * kernel. Each case loads the real BPF into a forked child with no tracer
 * attached and makes raw calls to getpid/getppid, which ignore their
 * arguments but let the filter see them:
 *
 *   kernel ALLOW          -> the call's real result
 *   kernel ERRNO(e)       -> -1, errno e
 *   kernel TRACE (no tracer) -> -1, ENOSYS
 *
 * A traced call is always correct (the supervisor then evaluates
 * policy_match() itself), so the invariant is: whatever the kernel decides
 * on its own equals the policy's answer. In strict mode a trace where the
 * kernel could have decided counts as a mismatch too: that pins the cases
 * we promise to keep off the slow path.
 *
 * Fixed tables pin the interesting shapes; a seeded random sweep covers
 * the rest (several hundred policies, tens of argument vectors each).
 */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_suite.h"
#include "bpfrun.h"
#include "decide.h"
#include "filter.h"
#include "notify.h"
#include "policy.h"

static const uint64_t interesting[] = {
	0,
	1,
	2,
	3,
	5,
	7,
	0xff,
	0x7fffffff,
	0xffffffff,
	0x100000000ULL,
	0x100000001ULL,
	0xffffffff00000001ULL,
	0x8000000000000000ULL,
	UINT64_MAX,
};

struct outcome {
	long ret;
	int err;
};

/* What the kernel must do for |nr|(|args|) according to policy_match(). */
static struct outcome expected(const struct policy *p, int nr, const uint64_t args[6], long real)
{
	int rule;
	uint32_t act = filter_kernel_action(nr, policy_match(p, nr, args, NULL, &rule));

	if (act == SCMP_ACT_ALLOW)
		return (struct outcome){real, 0};
	if ((act & SCMP_ACT_ERRNO(0)) == SCMP_ACT_ERRNO(0) && act != SCMP_ACT_TRACE(0))
		return (struct outcome){-1, (int)(act & 0xffff)};
	return (struct outcome){-1, ENOSYS};
}

/* From the filtered child: no stdio (it may allocate), one raw write. */
static void say_mismatch(const char *call, const uint64_t *a, struct outcome got,
			 struct outcome want, const char *json)
{
	char msg[1024];
	int n = snprintf(msg, sizeof(msg),
			 "MISMATCH %s(%#llx, %#llx, %#llx): kernel %ld/%d, policy %ld/%d\n"
			 "policy: %s\n",
			 call, (unsigned long long)a[0], (unsigned long long)a[1],
			 (unsigned long long)a[2], got.ret, got.err, want.ret, want.err, json);

	if (n > 0)
		syscall(SYS_write, 2, msg, n < (int)sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
}

/*
 * Load |p|'s filter in a child, run every vector, and compare there; the
 * child exits with the number of mismatches (printing the first ones).
 */
/* Let the child report and exit whatever the default is. */
static void allow_harness_calls(struct policy *p)
{
	static const int nrs[] = {SYS_write, SYS_exit, SYS_exit_group};
	struct policy_rule *r;

	p->rules = realloc(p->rules, (p->n_rules + 1) * sizeof(*p->rules));
	ck_assert_ptr_nonnull(p->rules);
	r = &p->rules[p->n_rules++];
	*r = (struct policy_rule){.verdict = {.action = POLICY_ALLOW}};
	r->syscalls = malloc(sizeof(nrs));
	ck_assert_ptr_nonnull(r->syscalls);
	memcpy(r->syscalls, nrs, sizeof(nrs));
	r->n_syscalls = 3;
	ck_assert_int_eq(policy_index_rules(p), 0); /* the rules changed */
}

static int check_policy(const char *json, const uint64_t (*vecs)[6], size_t n_vecs, bool strict)
{
	struct policy *p = NULL;
	struct strbuf diag = {0};
	struct filter f;
	int status;
	pid_t pid;

	ck_assert_msg(policy_parse_unchecked("t.json", json, strlen(json), &p, &diag) == 0,
		      "%s\n%s", strbuf_str(&diag), json);
	allow_harness_calls(p);
	ck_assert_int_eq(filter_build(p, NULL, 0, &f), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct sock_fprog prog = {.len = (unsigned short)f.len, .filter = f.insns};
		static const int nrs[] = {SYS_getpid, SYS_getppid, SYS_getsid};
		static const char *const names[] = {"getpid", "getppid", "getsid"};
		static long real[3][256];
		static int real_err[3][256];
		int bad = 0;

		/*
		 * Unfiltered results first. getsid reads its int argument as
		 * the kernel does (low 32 bits), so it shows what a comparison
		 * on a 32-bit argument must do with the upper half.
		 */
		for (size_t i = 0; i < n_vecs && i < 256; i++) {
			real[0][i] = syscall(SYS_getpid);
			real[1][i] = syscall(SYS_getppid);
			errno = 0;
			real[2][i] = syscall(SYS_getsid, vecs[i][0]);
			real_err[2][i] = real[2][i] < 0 ? errno : 0;
		}
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(200);
		for (size_t i = 0; i < n_vecs && i < 256; i++) {
			for (int k = 0; k < 3; k++) {
				const uint64_t *a = vecs[i];
				struct outcome want = expected(p, nrs[k], a, real[k][i]);
				struct outcome got;

				if (want.err == 0 && real[k][i] < 0)
					want.err =
						real_err[k][i]; /* allowed, and failing by itself */
				errno = 0;
				got.ret = syscall(nrs[k], a[0], a[1], a[2], a[3], a[4], a[5]);
				got.err = got.ret < 0 ? errno : 0;
				if (got.ret == want.ret && got.err == want.err)
					continue;
				if (!strict && got.ret == -1 && got.err == ENOSYS)
					continue; /* traced: the supervisor decides */
				if (bad++ < 3)
					say_mismatch(names[k], a, got, want, json);
			}
		}
		/* Raw exit: a sanitizer's exit hooks make calls the filter may deny. */
		syscall(SYS_exit_group, bad > 199 ? 199 : bad);
	}
	filter_release(&f);
	policy_free(p);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died");
	return WEXITSTATUS(status);
}

/* Every vector with arg0/arg1 from |interesting|, other args 0 or a marker. */
static size_t all_pairs(uint64_t (*vecs)[6], size_t max)
{
	size_t n = 0;
	size_t k = sizeof(interesting) / sizeof(interesting[0]);

	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k && n < max; j++) {
			memset(vecs[n], 0, sizeof(vecs[n]));
			vecs[n][0] = interesting[i];
			vecs[n][1] = interesting[j];
			vecs[n][2] = interesting[(i + j) % k];
			n++;
		}
	return n;
}

static const char *const fixed_policies[] = {
	/* the seeds' example, on getpid: arg0 == 1 allowed, else kill */
	"{\"default\":\"allow\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"allow\",\"args\":[{\"index\":0,\"op\":\"==\","
	"\"value\":1}]},{\"syscalls\":[\"getpid\"],\"action\":\"kill\"}]}",
	/* same with a kill default */
	"{\"default\":\"kill\",\"rules\":["
	"{\"syscalls\":[\"getpid\",\"getppid\"],\"action\":\"allow\",\"args\":[{\"index\":0,"
	"\"op\":\"==\",\"value\":1}]}]}",
	/* overlapping ranges, different outcomes: order decides */
	"{\"default\":\"allow\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"errno\",\"errno\":5,\"args\":[{\"index\":0,"
	"\"op\":\">\",\"value\":2}]},"
	"{\"syscalls\":[\"getpid\"],\"action\":\"errno\",\"errno\":6,\"args\":[{\"index\":0,"
	"\"op\":\">\",\"value\":5}]}]}",
	/* disjoint equalities with three outcomes and an unconditional fallback */
	"{\"default\":\"errno\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"allow\",\"args\":[{\"index\":0,\"op\":\"==\","
	"\"value\":1}]},"
	"{\"syscalls\":[\"getpid\"],\"action\":\"errno\",\"errno\":\"EROFS\",\"args\":[{\"index\":"
	"0,\"op\":\"==\",\"value\":2}]},"
	"{\"syscalls\":[\"getpid\"],\"action\":\"log\",\"args\":[{\"index\":0,\"op\":\"==\","
	"\"value\":3}]},"
	"{\"syscalls\":[\"getpid\"],\"action\":\"errno\",\"errno\":\"EACCES\"}]}",
	/* masked equality and 64-bit values */
	"{\"default\":\"allow\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"errno\",\"errno\":9,\"args\":[{\"index\":1,"
	"\"op\":\"masked_eq\",\"mask\":\"0xffffffff00000000\",\"value\":\"0xffffffff00000000\"}]},"
	"{\"syscalls\":[\"getppid\"],\"action\":\"errno\",\"errno\":10,\"args\":[{\"index\":0,"
	"\"op\":\">=\",\"value\":\"0x100000000\"},{\"index\":1,\"op\":\"<\",\"value\":3}]}]}",
	/* two conditions per rule, else-branch needing a product of negations */
	"{\"default\":\"allow\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"allow\",\"args\":[{\"index\":0,\"op\":\"==\","
	"\"value\":1},{\"index\":1,\"op\":\"<=\",\"value\":7}]},"
	"{\"syscalls\":[\"getpid\"],\"action\":\"errno\",\"errno\":1}]}",
};

START_TEST(fixed_shapes)
{
	static uint64_t vecs[256][6];
	size_t n = all_pairs(vecs, 256);

	ck_assert_int_eq(check_policy(fixed_policies[_i], (const uint64_t(*)[6])vecs, n, false), 0);
}
END_TEST

/* A small deterministic generator, so a failure can be replayed. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", "masked_eq"};
static const char *const actions[] = {"allow", "errno", "log", "kill", "return"};

static void random_verdict(struct strbuf *sb, bool as_default)
{
	const char *a = actions[rnd() % (as_default ? 4 : 5)];

	strbuf_printf(sb, "\"action\":\"%s\"", a);
	if (strcmp(a, "errno") == 0)
		strbuf_printf(sb, ",\"errno\":%d", (int)(rnd() % 3) + 1);
	if (strcmp(a, "return") == 0)
		strbuf_printf(sb, ",\"value\":%d", (int)(rnd() % 100));
}

static void random_policy(struct strbuf *sb)
{
	size_t n_rules = rnd() % 5;

	strbuf_append(sb, "{\"default\":{");
	random_verdict(sb, true);
	strbuf_append(sb, "},\"rules\":[");
	for (size_t i = 0; i < n_rules; i++) {
		size_t n_conds = rnd() % 3;

		static const char *const lists[] = {"\"getpid\"", "\"getpid\",\"getppid\"",
						    "\"getsid\"", "\"getsid\",\"getpid\""};

		strbuf_printf(sb, "%s{\"syscalls\":[%s],", i ? "," : "", lists[rnd() % 4]);
		random_verdict(sb, false);
		strbuf_append(sb, ",\"args\":[");
		for (size_t c = 0; c < n_conds; c++) {
			const char *op = ops[rnd() % 7];
			uint64_t v = interesting[rnd() % 6];

			uint64_t mask = rnd() % 4 + 1;

			if (strcmp(op, "masked_eq") == 0)
				v &= mask;
			strbuf_printf(sb, "%s{\"index\":%d,\"op\":\"%s\",\"value\":%llu",
				      c ? "," : "", (int)(rnd() % 2), op, (unsigned long long)v);
			if (strcmp(op, "masked_eq") == 0)
				strbuf_printf(sb, ",\"mask\":%llu", (unsigned long long)mask);
			strbuf_append(sb, "}");
		}
		strbuf_append(sb, "]}");
	}
	strbuf_append(sb, "]}");
}

START_TEST(random_policies)
{
	static uint64_t vecs[64][6];
	int mismatches = 0;

	rng_state = 0x5eed5eedULL + (uint64_t)_i;
	for (int round = 0; round < 60; round++) {
		struct strbuf sb = {0};

		for (size_t v = 0; v < 64; v++) {
			memset(vecs[v], 0, sizeof(vecs[v]));
			vecs[v][0] = interesting[rnd() % 8];
			vecs[v][1] = interesting[rnd() % 8];
		}
		random_policy(&sb);
		mismatches += check_policy(strbuf_str(&sb), (const uint64_t(*)[6])vecs, 64, false);
		strbuf_free(&sb);
	}
	ck_assert_int_eq(mismatches, 0);
}
END_TEST

/*
 * Shapes whose every call must be decided in the kernel where the policy
 * allows or fails it: no stop on the common path.
 */
static const char *const kernel_only_policies[] = {
	/* the seeds' example: arg0 == 1 allowed, any other value killed */
	"{\"default\":\"allow\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"allow\",\"args\":[{\"index\":0,\"op\":\"==\","
	"\"value\":1}]},{\"syscalls\":[\"getpid\"],\"action\":\"kill\"}]}",
	/* judge style: default kill, a few allowed values */
	"{\"default\":\"kill\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"allow\",\"args\":[{\"index\":0,\"op\":\"==\","
	"\"value\":1}]},{\"syscalls\":[\"getpid\"],\"action\":\"allow\",\"args\":[{\"index\":0,"
	"\"op\":\"==\",\"value\":2}]},{\"syscalls\":[\"getppid\"],\"action\":\"errno\",\"errno\":3}"
	"]}",
	/* a 32-bit argument: masked to its low half, still decided in the kernel */
	"{\"default\":\"kill\",\"rules\":["
	"{\"syscalls\":[\"getsid\"],\"action\":\"allow\",\"args\":[{\"index\":0,\"op\":\"==\","
	"\"value\":1}]},{\"syscalls\":[\"getsid\"],\"action\":\"errno\",\"errno\":5,\"args\":[{"
	"\"index\":0,\"op\":\"==\",\"value\":0}]},{\"syscalls\":[\"getpid\",\"getppid\"],"
	"\"action\":\"allow\"}]}",
	/* disjoint outcomes with an unconditional errno fallback */
	"{\"default\":\"allow\",\"rules\":["
	"{\"syscalls\":[\"getpid\"],\"action\":\"allow\",\"args\":[{\"index\":0,\"op\":\"<\","
	"\"value\":3}]},{\"syscalls\":[\"getpid\"],\"action\":\"errno\",\"errno\":4}]}",
};

START_TEST(common_shapes_stay_in_kernel)
{
	static uint64_t vecs[256][6];
	size_t n = all_pairs(vecs, 256);

	ck_assert_int_eq(
		check_policy(kernel_only_policies[_i], (const uint64_t(*)[6])vecs, n, true), 0);
}
END_TEST

START_TEST(exec_never_fails_in_kernel)
{
	struct policy_verdict v = {.action = POLICY_ERRNO, .errno_value = EPERM};

	ck_assert_uint_eq(filter_kernel_action(SYS_execve, &v), SCMP_ACT_TRACE(0));
	ck_assert_uint_eq(filter_kernel_action(SYS_execveat, &v), SCMP_ACT_TRACE(0));
	ck_assert_uint_eq(filter_kernel_action(SYS_getpid, &v), SCMP_ACT_ERRNO(EPERM));
	v.log = true;
	ck_assert_uint_eq(filter_kernel_action(SYS_getpid, &v), SCMP_ACT_TRACE(0));
	v.action = POLICY_ALLOW;
	ck_assert_uint_eq(filter_kernel_action(SYS_execve, &v), SCMP_ACT_ALLOW);
}
END_TEST

static uint32_t run_on(const struct filter *f, uint32_t arch, int nr, uint64_t arg1)
{
	struct seccomp_data d = {.nr = nr, .arch = arch, .args = {3, arg1}};

	return bpf_run(f->insns, f->len, &d);
}

/*
 * The listener's filter (notify.h): TRACE returns become USER_NOTIF; the
 * hand-over close, the listed calls (in x86_64 and x32) and, with
 * foreign_trace, every call of another ABI (i386, and x32's own numbers)
 * stay at TRACE; what the program decides in the kernel is untouched.
 */
START_TEST(listener_filter_keeps_what_needs_ptrace)
{
	const uint32_t x86 = AUDIT_ARCH_X86_64, i386 = AUDIT_ARCH_I386, x32 = 0x40000000u;
	static const int traced[] = {SYS_memfd_create};
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct filter in = {.insns = prog, .len = 4}, out;

	for (int foreign = 0; foreign < 2; foreign++) {
		uint32_t other = foreign ? SECCOMP_RET_TRACE : SECCOMP_RET_USER_NOTIF;

		ck_assert_int_eq(notify_filter(&in, &arch_x86_64, traced, 1, foreign, &out), 0);
		ck_assert_uint_eq(run_on(&out, x86, SYS_getpid, 0), SECCOMP_RET_ERRNO | EPERM);
		ck_assert_uint_eq(run_on(&out, x86, SYS_getppid, 0), SECCOMP_RET_USER_NOTIF);
		ck_assert_uint_eq(run_on(&out, x86, SYS_close, 0), SECCOMP_RET_USER_NOTIF);
		ck_assert_uint_eq(run_on(&out, x86, SYS_close, NOTIFY_HANDOVER), SECCOMP_RET_TRACE);
		ck_assert_uint_eq(run_on(&out, x86, SYS_memfd_create, 0), SECCOMP_RET_TRACE);
		ck_assert_uint_eq(run_on(&out, x86, (int)(x32 | SYS_memfd_create), 0),
				  SECCOMP_RET_TRACE);
		/* x32's execve (520) and the i386 ABI: ptrace with foreign_trace. */
		ck_assert_uint_eq(run_on(&out, x86, (int)(x32 | 520), 0), other);
		ck_assert_uint_eq(run_on(&out, x86, (int)(x32 | SYS_getppid), 0), other);
		ck_assert_uint_eq(run_on(&out, i386, 20, 0), other);
		filter_release(&out);
	}
}
END_TEST

/*
 * A call only a foreign ABI has (i386's waitpid here, 7; AArch32's open
 * and fork on aarch64) is decided by the rules that name it: the filter
 * stops it on that ABI (libseccomp's pseudo number, which the policy
 * keeps), and the supervisor matches it by that number; without a rule
 * naming it, the default speaks. With the foreign ABI not allowed, no
 * pseudo number reaches the filter.
 */
#if defined(__x86_64__)
START_TEST(foreign_only_call_decided_by_its_rule)
{
	static const char json[] =
		"{\"default\": \"allow\", \"architectures\": [\"native\", \"x86\"],"
		" \"rules\": [{\"syscalls\": [\"waitpid\"], \"action\": \"errno\","
		" \"errno\": \"EACCES\"}]}";
	struct policy *p = NULL;
	struct strbuf diag = {0};
	struct filter f;
	struct decision d;
	struct trapped_call waitpid_call = {.audit_arch = AUDIT_ARCH_I386, .nr = 7};
	struct trapped_call getpid_call = {.audit_arch = AUDIT_ARCH_I386, .nr = 20};

	ck_assert_msg(policy_parse("t.json", json, strlen(json), &p, &diag) == 0, "%s",
		      strbuf_str(&diag));
	ck_assert_int_eq(filter_build(p, NULL, 0, &f), 0);
	ck_assert_uint_eq(run_on(&f, AUDIT_ARCH_I386, 7, 0), SECCOMP_RET_TRACE);
	ck_assert_uint_eq(run_on(&f, AUDIT_ARCH_I386, 20, 0), SECCOMP_RET_ALLOW);
	filter_release(&f);
	decide(p, &waitpid_call, 0, NULL, &d);
	ck_assert_str_eq(d.name, "waitpid");
	ck_assert_int_eq(d.kind, DECIDE_DENY);
	ck_assert_int_eq(d.ret, -EACCES);
	ck_assert_int_eq(d.rule, 0);
	decide(p, &getpid_call, 0, NULL, &d);
	ck_assert_int_eq(d.kind, DECIDE_ALLOW);
	policy_free(p);
	strbuf_free(&diag);
}
END_TEST
#endif

/*
 * The same prefix for aarch64 (built and run here through bpf_run()): its
 * own audit arch and close(2) number, no ABI bit (x32's 0x40000000 is just
 * a number, and goes on to the program), and AArch32 tasks as the foreign
 * ABI. The numbers are aarch64's, from libseccomp.
 */
START_TEST(listener_filter_on_aarch64)
{
	const uint32_t a64 = AUDIT_ARCH_AARCH64, arm = AUDIT_ARCH_ARM;
	int getpid_nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, "getpid");
	int getppid_nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, "getppid");
	int close_nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, "close");
	int memfd_nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, "memfd_create");
	const int traced[] = {memfd_nr};
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)getpid_nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct filter in = {.insns = prog, .len = 4}, out;

	ck_assert_int_eq(close_nr, arch_aarch64.nr_close);
	ck_assert_int_eq(getpid_nr, 172);
	for (int foreign = 0; foreign < 2; foreign++) {
		uint32_t other = foreign ? SECCOMP_RET_TRACE : SECCOMP_RET_USER_NOTIF;

		ck_assert_int_eq(notify_filter(&in, &arch_aarch64, traced, 1, foreign, &out), 0);
		ck_assert_uint_eq(run_on(&out, a64, getpid_nr, 0), SECCOMP_RET_ERRNO | EPERM);
		ck_assert_uint_eq(run_on(&out, a64, getppid_nr, 0), SECCOMP_RET_USER_NOTIF);
		ck_assert_uint_eq(run_on(&out, a64, close_nr, 0), SECCOMP_RET_USER_NOTIF);
		ck_assert_uint_eq(run_on(&out, a64, close_nr, NOTIFY_HANDOVER), SECCOMP_RET_TRACE);
		/* x86_64's close number is aarch64's io_destroy: no hand-over there */
		ck_assert_uint_eq(run_on(&out, a64, 3, NOTIFY_HANDOVER), SECCOMP_RET_USER_NOTIF);
		ck_assert_uint_eq(run_on(&out, a64, memfd_nr, 0), SECCOMP_RET_TRACE);
		ck_assert_uint_eq(run_on(&out, a64, (int)(0x40000000u | (uint32_t)getpid_nr), 0),
				  SECCOMP_RET_USER_NOTIF);
		ck_assert_uint_eq(run_on(&out, arm, 20, 0), other);
		/* an x86_64 call is foreign to this filter too */
		ck_assert_uint_eq(run_on(&out, AUDIT_ARCH_X86_64, getppid_nr, 0), other);
		filter_release(&out);
	}
}
END_TEST

/* The same program as a fresh build, for the same forced calls; a new one when they change. */
START_TEST(cached_build_is_the_same_program)
{
	static const char json[] = "{\"default\": \"allow\", \"rules\": [{\"syscalls\": "
				   "[\"mkdir\"], \"action\": \"errno\", \"errno\": 1}]}";
	struct filter_force kill_only[] = {{.nr = SYS_kill}};
	struct filter_force with_prlimit[] = {{.nr = SYS_kill},
					      {.nr = SYS_prlimit64, .unless_arg0_zero = true}};
	struct policy *p = NULL;
	struct strbuf diag = {0};
	struct filter fresh, first, again, other, other_fresh;

	ck_assert_int_eq(policy_parse_unchecked("t.json", json, strlen(json), &p, &diag), 0);
	ck_assert_int_eq(filter_build(p, kill_only, 1, &fresh), 0);
	ck_assert_ptr_null(p->filter_cache);
	ck_assert_int_eq(filter_build_cached(p, kill_only, 1, &first), 0);
	ck_assert_ptr_nonnull(p->filter_cache);
	ck_assert_int_eq(filter_build_cached(p, kill_only, 1, &again), 0);
	ck_assert_uint_eq(first.len, fresh.len);
	ck_assert_uint_eq(again.len, fresh.len);
	ck_assert_mem_eq(first.insns, fresh.insns, fresh.len * sizeof(*fresh.insns));
	ck_assert_mem_eq(again.insns, fresh.insns, fresh.len * sizeof(*fresh.insns));
	/* A copy each time: the caller owns and frees it. */
	ck_assert_ptr_ne(first.insns, again.insns);
	/* Other forced calls: a program of their own, not the cached one. */
	ck_assert_int_eq(filter_build(p, with_prlimit, 2, &other_fresh), 0);
	ck_assert_int_eq(filter_build_cached(p, with_prlimit, 2, &other), 0);
	ck_assert_uint_eq(other.len, other_fresh.len);
	ck_assert_mem_eq(other.insns, other_fresh.insns, other.len * sizeof(*other.insns));
	ck_assert_msg(other.len != fresh.len || memcmp(other.insns, fresh.insns,
						       fresh.len * sizeof(*fresh.insns)) != 0,
		      "forcing prlimit64 changed nothing");
	filter_release(&fresh);
	filter_release(&first);
	filter_release(&again);
	filter_release(&other);
	filter_release(&other_fresh);
	policy_free(p); /* frees the cache: ASan's leak check says whether it did */
	strbuf_free(&diag);
}
END_TEST

/*
 * A policy with 60 conditional rules (distinct values, three errnos) on
 * each of 80 calls, getpid, getppid and getsid among them: more than
 * libseccomp compiles quickly or the kernel loads (it was 5,000
 * instructions; BPF_MAXINSNS is 4096). The program fits, the calls past
 * the budget are traced, and whatever the kernel decides still agrees
 * with the policy.
 */
START_TEST(big_policy_fits_the_kernel)
{
	static uint64_t vecs[256][6];
	static const int harness[] = {SYS_write,   SYS_exit,   SYS_exit_group, SYS_prctl,
				      SYS_seccomp, SYS_execve, SYS_execveat,   SYS_clone3};
	static const int ours[] = {SYS_getpid, SYS_getppid, SYS_getsid};
	size_t n = all_pairs(vecs, 256), calls = 0;
	struct strbuf sb = {0}, diag = {0};
	struct policy *p = NULL;
	struct filter f;

	strbuf_append(&sb, "{\"default\":\"allow\",\"rules\":[");
	for (int nr = 0; calls < 80 && nr < 330; nr++) {
		bool own = nr < 3, skip = false;
		int call = own ? ours[nr] : nr;
		char *name;

		for (size_t i = 0; i < sizeof(harness) / sizeof(harness[0]) && !own; i++)
			skip |= nr == harness[i];
		for (size_t i = 0; i < 3 && !own; i++)
			skip |= nr == ours[i];
		name = skip ? NULL : seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, call);
		if (!name)
			continue;
		for (size_t v = 0; v < 60; v++) {
			/* getpid & co. match the vectors' values too */
			uint64_t value = own && v < 8 ? interesting[v] : 100000 + calls * 100 + v;

			strbuf_printf(&sb,
				      "%s{\"syscalls\":[\"%s\"],\"action\":\"errno\",\"errno\":%zu,"
				      "\"args\":[{\"index\":0,\"op\":\"==\",\"value\":%llu}]}",
				      calls || v ? "," : "", name, 1 + v % 3,
				      (unsigned long long)value);
		}
		free(name);
		calls++;
	}
	strbuf_append(&sb, "]}");
	ck_assert_int_eq(policy_parse_unchecked("t.json", strbuf_str(&sb), sb.len, &p, &diag), 0);
	ck_assert_int_eq(filter_build(p, NULL, 0, &f), 0);
	ck_assert_msg(f.len <= BPF_MAXINSNS, "%zu instructions", f.len);
	filter_release(&f);
	policy_free(p);
	ck_assert_int_eq(check_policy(strbuf_str(&sb), (const uint64_t(*)[6])vecs, n, false), 0);
	strbuf_free(&sb);
	strbuf_free(&diag);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("kernel-agrees-with-policy");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, fixed_shapes, 0,
			    (int)(sizeof(fixed_policies) / sizeof(fixed_policies[0])));
	tcase_add_loop_test(tc, random_policies, 0, 5);
	tcase_add_loop_test(tc, common_shapes_stay_in_kernel, 0,
			    (int)(sizeof(kernel_only_policies) / sizeof(kernel_only_policies[0])));
	tcase_add_test(tc, exec_never_fails_in_kernel);
	tcase_add_test(tc, listener_filter_keeps_what_needs_ptrace);
	tcase_add_test(tc, listener_filter_on_aarch64);
#if defined(__x86_64__)
	tcase_add_test(tc, foreign_only_call_decided_by_its_rule);
#endif
	tcase_add_test(tc, cached_build_is_the_same_program);
	tcase_add_test(tc, big_policy_fits_the_kernel);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
