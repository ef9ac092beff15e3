/* SPDX-License-Identifier: MIT */
/*
 * cgroup discovery from /proc/self/mountinfo and /proc/self/cgroup, and the
 * controller check, on files written by the test (hybrid hosts, pure v2
 * hosts, cgroup namespaces, escaped mount points, v1-only hosts). Then, only
 * where this machine really has a delegated memory controller, the live
 * path: a cgroup made, a process moved in, memory.peak read, removed.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_suite.h"
#include "cgroup.h"

static char dir[256];

static void put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "%s/sbx-cgroup-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *find(void)
{
	char mi[512], cg[512];
	char *out = NULL;
	int r;

	snprintf(mi, sizeof(mi), "%s/mountinfo", dir);
	snprintf(cg, sizeof(cg), "%s/cgroup", dir);
	r = cgroup_find_own(mi, cg, &out);
	return r == 0 ? out : NULL;
}

static const struct {
	const char *mountinfo;
	const char *cgroup;
	const char *want; /* NULL: no cgroup v2 */
} cases[] = {
	/* hybrid host: v1 controllers plus a v2 mount with none (this CI machine) */
	{"25 1 0:23 / / rw - ext4 /dev/vda1 rw\n"
	 "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
	 "9:name=systemd:/\n8:pids:/\n0::/\n", "/sys/fs/cgroup/unified"},
	/* unified host, a user session */
	{"30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
	 "0::/user.slice/user-1000.slice/session-2.scope\n",
	 "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"},
	/* inside a cgroup namespace the mount's root is a prefix of the path */
	{"30 25 0:26 /job /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/job/sub\n",
	 "/sys/fs/cgroup/sub"},
	/* a mount point with a space, escaped as \040 */
	{"30 25 0:26 / /mnt/cg\\040two rw - cgroup2 none rw\n", "0::/a\n", "/mnt/cg two/a"},
	/* cgroup v1 only: no 0:: line, no cgroup2 mount */
	{"25 1 0:23 / / rw - ext4 /dev/vda1 rw\n"
	 "33 25 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
	 "4:memory:/\n", NULL},
	/* a 0:: line but no cgroup2 mount visible */
	{"25 1 0:23 / / rw - ext4 /dev/vda1 rw\n", "0::/x\n", NULL},
};

START_TEST(find_own)
{
	char *got;

	put("mountinfo", cases[_i].mountinfo);
	put("cgroup", cases[_i].cgroup);
	got = find();
	if (cases[_i].want) {
		ck_assert_ptr_nonnull(got);
		ck_assert_str_eq(got, cases[_i].want);
	} else {
		ck_assert_ptr_null(got);
	}
	free(got);
}
END_TEST

static const struct {
	const char *cgroup;
	bool v1_memory;
} v1_cases[] = {
	{"9:name=systemd:/\n8:pids:/\n4:memory:/process_api/c8ce\n0::/\n", true}, /* hybrid */
	{"7:cpu,memory,pids:/a\n0::/\n", true},	     /* controllers sharing a hierarchy */
	{"0::/user.slice/session-2.scope\n", false}, /* unified */
	{"5:memory_recursiveprot:/\n3:name=memory:/\n0::/\n", false}, /* names, not memory */
	{"4:cpu:/memory:x\n0::/\n", false}, /* "memory" in the path only */
	{"", false},
};

START_TEST(memory_on_v1)
{
	char path[512];

	put("cgroup", v1_cases[_i].cgroup);
	snprintf(path, sizeof(path), "%s/cgroup", dir);
	ck_assert_int_eq(cgroup_memory_on_v1(path), v1_cases[_i].v1_memory);
}
END_TEST

/* On a hybrid host (memory on v1) the probe stops there, without the v2 hierarchy. */
START_TEST(open_on_a_v1_memory_host)
{
	struct strbuf why = {0};
	struct cgroup cg;

	SKIP_UNLESS(cgroup_memory_on_v1("/proc/self/cgroup"),
		    "the memory controller is not on cgroup v1 here");
	ck_assert_int_eq(cgroup_open(NULL, 0, &cg, &why), -ENOTSUP);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&why), "bound to a cgroup v1 hierarchy"));
	ck_assert_ptr_null(cg.path);
	strbuf_free(&why);
}
END_TEST

START_TEST(controller_check)
{
	put("cgroup.subtree_control", "cpu io memory pids\n");
	ck_assert(cgroup_has_controller(dir, "memory"));
	ck_assert(cgroup_has_controller(dir, "cpu"));
	ck_assert(!cgroup_has_controller(dir, "mem"));
	ck_assert(!cgroup_has_controller(dir, "cpuset"));
	put("cgroup.subtree_control", "\n");
	ck_assert(!cgroup_has_controller(dir, "memory"));
	put("cgroup.subtree_control", "memory_recursiveprot\n");
	ck_assert(!cgroup_has_controller(dir, "memory"));
	ck_assert(!cgroup_has_controller("/nonexistent/sbx", "memory"));
}
END_TEST

START_TEST(open_refuses_without_controller)
{
	struct strbuf why = {0};
	struct cgroup cg;

	put("cgroup.subtree_control", "pids\n");
	ck_assert_int_eq(cgroup_open(dir, 1 << 20, &cg, &why), -ENOTSUP);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&why), "memory controller is not enabled"));
	ck_assert_ptr_null(cg.path);
	strbuf_free(&why);
}
END_TEST

/* The real thing, where the host allows it. */
START_TEST(live_cgroup)
{
	struct strbuf why = {0};
	struct cgroup cg;
	uint64_t peak = 0, usec = 0;
	int pipefd[2], status;
	char go;
	pid_t pid;

	if (cgroup_open(NULL, 64 << 20, &cg, &why) < 0) {
		skip_test_at(__func__, strbuf_str(&why));
		strbuf_free(&why);
		return;
	}
	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	if (pid == 0) {
		char *p;

		if (read(pipefd[0], &go, 1) != 1)
			_exit(1);
		p = malloc(16 << 20);
		memset(p, 1, 16 << 20);
		_exit(p[100] == 1 ? 0 : 1);
	}
	ck_assert_int_eq(cgroup_attach(&cg, pid), 0);
	ck_assert_int_eq(write(pipefd[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(cgroup_memory_peak(&cg, &peak), 0);
	ck_assert_uint_ge(peak, 16 << 20);
	ck_assert_int_eq(cgroup_cpu_usec(&cg, &usec), 0);
	cgroup_close(&cg);
	close(pipefd[0]);
	close(pipefd[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("cgroup");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, find_own, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, memory_on_v1, 0, (int)(sizeof(v1_cases) / sizeof(v1_cases[0])));
	tcase_add_test(tc, controller_check);
	tcase_add_test(tc, open_refuses_without_controller);
	suite_add_tcase(s, tc);
	tcase_alone(s, live_cgroup, 0);
	tcase_alone(s, open_on_a_v1_memory_host, 0);
	return run_suite(s);
}
