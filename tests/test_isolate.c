/* SPDX-License-Identifier: MIT */
/*
 * The isolation plan (src/isolate.c) as data: which mounts, in which order,
 * read-only or not, which ids, for a given request. The plan is carried out
 * by the init in tests/test_isolation.c; here only its shape is checked.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isolate.h"
#include "run_suite.h"

static struct isolation_request request(const char *cwd)
{
	return (struct isolation_request){.mode = SBX_ISOLATION_NAMESPACES, .cwd = cwd};
}

/* The last op of |kind| whose inside path is |what|, or NULL. */
static const struct mount_op *find_op(const struct isolation_plan *p, enum mount_op_kind kind,
				      const char *what)
{
	const struct mount_op *found = NULL;

	for (size_t i = 0; i < p->n_ops; i++)
		if (p->ops[i].kind == kind && strcmp(p->ops[i].what, what) == 0)
			found = &p->ops[i];
	return found;
}

static size_t index_of(const struct isolation_plan *p, const struct mount_op *o)
{
	return (size_t)(o - p->ops);
}

static void plan_ok(const struct isolation_request *req, struct isolation_plan *p)
{
	struct strbuf why = {0};
	int r = isolate_plan(req, p, &why);

	ck_assert_msg(r == 0, "isolate_plan: %s (%s)", strerror(-r), strbuf_str(&why));
	strbuf_free(&why);
}

static void plan_refused(const struct isolation_request *req, const char *message)
{
	struct isolation_plan p;
	struct strbuf why = {0};

	ck_assert_int_eq(isolate_plan(req, &p, &why), -EINVAL);
	ck_assert_msg(strstr(strbuf_str(&why), message), "expected \"%s\" in \"%s\"", message,
		      strbuf_str(&why));
	strbuf_free(&why);
}

START_TEST(system_read_only_workdir_writable)
{
	struct isolation_request req = request("/var/lib");
	struct isolation_plan p;
	const struct mount_op *o;

	plan_ok(&req, &p);
	o = find_op(&p, MOP_BIND, "/usr");
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->src, "/oldroot/usr");
	ck_assert(o->attr & MOUNT_ATTR_RDONLY);
	ck_assert(find_op(&p, MOP_MASK, "/etc/shadow"));
	ck_assert(find_op(&p, MOP_PROC, "/proc"));
	o = find_op(&p, MOP_BIND, "/proc/sys");
	ck_assert_ptr_nonnull(o);
	ck_assert(o->attr & MOUNT_ATTR_RDONLY);
	ck_assert(find_op(&p, MOP_TMPFS, "/tmp"));
	ck_assert(find_op(&p, MOP_DEVPTS, "/dev/pts"));
	ck_assert_ptr_null(find_op(&p, MOP_BIND, "/dev/vda"));
	/* The working directory: writable at its own path (idmapped for root). */
	ck_assert_str_eq(p.workdir, "/var/lib");
	ck_assert(p.workdir_rw);
	o = find_op(&p, geteuid() == 0 ? MOP_TREE : MOP_BIND, "/var/lib");
	ck_assert_ptr_nonnull(o);
	ck_assert(!(o->attr & MOUNT_ATTR_RDONLY));
	ck_assert_str_eq(p.home, "/tmp");
	/* Without "network": "off" there is no network namespace. */
	ck_assert(!(p.namespaces & SBX_NS_NET));
	ck_assert(!(p.clone_flags & CLONE_NEWNET));
	ck_assert(p.clone_flags & CLONE_NEWUSER);
	ck_assert(p.clone_flags & CLONE_NEWPID);
	isolate_plan_free(&p);
}
END_TEST

START_TEST(workdir_never_hands_over_the_system)
{
	struct isolation_request req = request("/");
	struct isolation_plan p;

	plan_ok(&req, &p);
	ck_assert_ptr_null(p.workdir); /* "/" is not bound: the program starts in / */
	isolate_plan_free(&p);

	req = request("/usr");
	plan_ok(&req, &p);
	ck_assert_str_eq(p.workdir, "/usr");
	ck_assert(!p.workdir_rw);
	isolate_plan_free(&p);

	req = request("/var/lib");
	req.workdir = SBX_WORKDIR_NONE;
	plan_ok(&req, &p);
	ck_assert_ptr_null(p.workdir);
	isolate_plan_free(&p);
}
END_TEST

START_TEST(bad_mounts_are_refused)
{
	struct sbx_mount m[] = {{.type = SBX_MOUNT_BIND, .source = "/", .destination = "/host"}};
	struct sbx_mount dots[] = {{.type = SBX_MOUNT_TMPFS, .destination = "/a/../etc"}};
	struct sbx_mount root[] = {{.type = SBX_MOUNT_TMPFS, .destination = "/"}};
	struct sbx_mount missing[] = {{.type = SBX_MOUNT_RO_BIND, .source = "/nonexistent/x"}};
	struct isolation_request req = request("/var/lib");

	req.mounts = m;
	req.n_mounts = 1;
	plan_refused(&req, "refusing a writable bind of /");
	req.mounts = dots;
	plan_refused(&req, "no . or .. in it");
	req.mounts = root;
	plan_refused(&req, "below /");
	req.mounts = missing;
	{
		struct isolation_plan p;
		struct strbuf why = {0};

		ck_assert_int_eq(isolate_plan(&req, &p, &why), -ENOENT);
		ck_assert_msg(strstr(strbuf_str(&why), "/nonexistent/x"), "%s", strbuf_str(&why));
		strbuf_free(&why);
	}
}
END_TEST

START_TEST(extra_mounts_parents_first)
{
	struct sbx_mount m[] = {
		{.type = SBX_MOUNT_RO_BIND, .source = "/usr/share", .destination = "/data/share"},
		{.type = SBX_MOUNT_TMPFS, .destination = "/data", .size = 1 << 20},
	};
	struct isolation_request req = request("/var/lib");
	struct isolation_plan p;
	const struct mount_op *tmpfs, *bind;

	req.mounts = m;
	req.n_mounts = 2;
	req.want_netns = true;
	plan_ok(&req, &p);
	tmpfs = find_op(&p, MOP_TMPFS, "/data");
	bind = find_op(&p, MOP_BIND, "/data/share");
	ck_assert_ptr_nonnull(tmpfs);
	ck_assert_ptr_nonnull(bind);
	ck_assert_uint_lt(index_of(&p, tmpfs), index_of(&p, bind));
	ck_assert_str_eq(tmpfs->data, "mode=1777,size=1048576");
	ck_assert(bind->attr & MOUNT_ATTR_RDONLY);
	ck_assert(p.namespaces & SBX_NS_NET);
	ck_assert(p.net_up);
	isolate_plan_free(&p);
}
END_TEST

START_TEST(program_visible_or_bound_alone)
{
	struct isolation_request req = request("/var/lib");
	struct isolation_plan p;
	struct strbuf why = {0};
	char self[PATH_MAX];
	size_t before;

	plan_ok(&req, &p);
	ck_assert_str_eq(isolate_visible(&p, "/usr/bin/env"), "/usr/bin/env");
	ck_assert_ptr_null(isolate_visible(&p, "/root/.bashrc"));
	before = p.n_ops;
	ck_assert_int_eq(isolate_add_program(&p, "/usr/bin/env", "/", &why), 0);
	ck_assert_str_eq(p.program, "/usr/bin/env");
	ck_assert_uint_eq(p.n_ops, before); /* nothing to add */
	/*
	 * A program outside what the sandbox shows (this test, in the build
	 * tree): its file alone, read-only; but not through a symbolic link,
	 * which the program may have planted (/proc/self/exe is one).
	 */
	ck_assert_int_eq(isolate_add_program(&p, "/proc/self/exe", "/", &why), -ELOOP);
	ck_assert_ptr_nonnull(realpath("/proc/self/exe", self));
	ck_assert_int_eq(isolate_add_program(&p, self, "/", &why), 0);
	ck_assert_str_eq(p.program, self);
	ck_assert_uint_gt(p.n_ops, before);
	ck_assert_int_eq(isolate_add_program(&p, "/nonexistent/prog", "/", &why), -ENOENT);
	strbuf_free(&why);
	isolate_plan_free(&p);
}
END_TEST

START_TEST(ids_never_root_of_the_host)
{
	struct isolation_request req = request("/var/lib");
	struct isolation_plan p;
	char map[64];

	plan_ok(&req, &p);
	if (geteuid() == 0) {
		ck_assert_uint_eq(p.host_uid, 65534);
		ck_assert_uint_eq(p.host_gid, 65534);
		snprintf(map, sizeof(map), "%u 65534 1\n", (unsigned)p.uid);
	} else {
		ck_assert_uint_eq(p.host_uid, geteuid());
		ck_assert(p.deny_setgroups);
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)geteuid(), (unsigned)geteuid());
	}
	ck_assert_str_eq(p.uid_map, map);
	isolate_plan_free(&p);
}
END_TEST

START_TEST(refusal_is_explained)
{
	struct strbuf out = {0};

	isolate_explain_failure(CLONE_NEWUSER | CLONE_NEWPID, EPERM, &out);
	ck_assert_msg(strstr(strbuf_str(&out), "--isolation landlock"), "%s", strbuf_str(&out));
	ck_assert_msg(strstr(strbuf_str(&out), "Operation not permitted"), "%s", strbuf_str(&out));
	strbuf_free(&out);
	isolate_namespace_names(SBX_NS_USER | SBX_NS_NET, &out);
	ck_assert_str_eq(strbuf_str(&out), "user,net");
	strbuf_free(&out);
}
END_TEST

static Suite *isolate_suite(void)
{
	Suite *s = suite_create("isolate");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, system_read_only_workdir_writable);
	tcase_add_test(tc, workdir_never_hands_over_the_system);
	tcase_add_test(tc, bad_mounts_are_refused);
	tcase_add_test(tc, extra_mounts_parents_first);
	tcase_add_test(tc, program_visible_or_bound_alone);
	tcase_add_test(tc, ids_never_root_of_the_host);
	tcase_add_test(tc, refusal_is_explained);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(isolate_suite());
}
