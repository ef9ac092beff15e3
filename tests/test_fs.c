/* SPDX-License-Identifier: MIT */
/*
 * Filesystem and network rules: paths reached every way a program can
 * (absolute, relative, "..", a symlink, a directory fd, openat2, a hard
 * link) for read, write and exec; the time-of-check race; a memfd exec;
 * network off, on, and by port with a loopback listener made here. Each
 * attack is first run bare, so the test shows it would succeed without the
 * sandbox.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The tree every test uses, made fresh by setup(). */
static char root[300], ok_dir[350], bad_dir[350], out_dir[350], ok_file[400], secret[400];
static char policy[4096];

static void build_tree(void)
{
	char probe_dir[300], link[400];

	tmp_path(root, sizeof(root), "fs");
	ck_assert_int_eq(mkdir(root, 0755), 0);
	snprintf(ok_dir, sizeof(ok_dir), "%s/ok", root);
	snprintf(bad_dir, sizeof(bad_dir), "%s/bad", root);
	snprintf(out_dir, sizeof(out_dir), "%s/out", root);
	ck_assert_int_eq(mkdir(ok_dir, 0755), 0);
	ck_assert_int_eq(mkdir(bad_dir, 0755), 0);
	ck_assert_int_eq(mkdir(out_dir, 0777), 0);
	snprintf(ok_file, sizeof(ok_file), "%s/file.txt", ok_dir);
	snprintf(secret, sizeof(secret), "%s/secret.txt", bad_dir);
	write_file(ok_file, "fine\n", 0644);
	write_file(secret, "SECRET\n", 0644);
	snprintf(link, sizeof(link), "%s/link", ok_dir);
	ck_assert_int_eq(symlink("../bad/secret.txt", link), 0);
	prog_path(probe_dir, sizeof(probe_dir), "");
	/*
	 * Read: system files and ok/; write: out/; exec: system and the probe.
	 * The secret sits in a directory the policy never names, and is also
	 * denied outright (a deny inside an allowed tree is tested separately).
	 */
	snprintf(
		policy, sizeof(policy),
		"{\"default\": \"allow\", \"filesystem\": {"
		"\"read\": [\"/usr\", \"/lib\", \"/lib64\", \"/etc\", \"/proc\", \"/dev\", \"%s\"],"
		"\"write\": [\"%s\"],"
		"\"exec\": [\"/usr/bin\", \"/bin\", \"/usr/lib\", \"%s\"],"
		"\"deny\": [\"%s\"]}}",
		ok_dir, out_dir, probe_dir, secret);
}

static void probe_args(char *probe, size_t size)
{
	prog_path(probe, size, "probe");
}

/*
 * The attack: a path the program chooses ends up in the supervisor's line
 * about the denied call. With a raw newline in it, the rest would read as a
 * line of the supervisor's own ("sandbox: [pid 1] allowed ..."). The path
 * is quoted and escaped, so the forged text stays inside one line.
 */
START_TEST(denied_path_cannot_forge_a_line)
{
	char probe[256], forged[600], pol[300];
	const char *opts[] = {"-p", pol, NULL};
	const char *bare[] = {probe, "read", forged, NULL};
	struct run r;

	build_tree();
	probe_args(probe, sizeof(probe));
	snprintf(forged, sizeof(forged), "%s/x\nsandbox: [pid 1] allowed everything", bad_dir);
	tmp_path(pol, sizeof(pol), "forge-policy.json");
	write_file(pol, policy, 0644);
	/* bare: an ordinary missing file */
	run_bare(&r, bare);
	assert_has(r.out, "read=-1 errno=ENOENT");
	RUN_PROBE_OPTS(&r, NULL, opts, "read", forged);
	assert_has(r.out, "read=-1 errno=EACCES");
	assert_has(r.err, "/x\\nsandbox: [pid 1] allowed everything\"");
	assert_lacks(r.err, "\nsandbox: [pid 1] allowed");
}
END_TEST

START_TEST(read_every_way)
{
	char probe[256], rel[64], via_dots[400], link[400], pol[300];
	const char *opts[] = {"-p", pol, NULL};
	struct run r;

	build_tree();
	probe_args(probe, sizeof(probe));
	snprintf(link, sizeof(link), "%s/link", ok_dir);
	snprintf(via_dots, sizeof(via_dots), "%s/../bad/secret.txt", ok_dir);
	{
		const char *bare_abs[] = {probe, "read", secret, NULL};
		const char *bare_link[] = {probe, "read", link, NULL};

		tmp_path(pol, sizeof(pol), "fs-policy.json");
		write_file(pol, policy, 0644);
		/* bare, the secret is readable every way */
		run_bare(&r, bare_abs);
		assert_has(r.out, "read=SECRET");
		run_bare(&r, bare_link);
		assert_has(r.out, "read=SECRET");
	}
	/* absolute */
	RUN_PROBE_OPTS(&r, NULL, opts, "read", ok_file);
	assert_has(r.out, "read=fine");
	RUN_PROBE_OPTS(&r, NULL, opts, "read", secret);
	assert_has(r.out, "read=-1 errno=EACCES");
	{
		char want[600];

		snprintf(want, sizeof(want), "(read of \"%s\": in filesystem.deny)\n", secret);
		assert_has(r.err, want);
	}
	/* via "..", via a symlink */
	RUN_PROBE_OPTS(&r, NULL, opts, "read", via_dots);
	assert_has(r.out, "read=-1 errno=EACCES");
	RUN_PROBE_OPTS(&r, NULL, opts, "read", link);
	assert_has(r.out, "read=-1 errno=EACCES");
	/* via a directory fd, and openat2 */
	RUN_PROBE_OPTS(&r, NULL, opts, "readat", root, "bad/secret.txt");
	assert_has(r.out, "readat=-1 errno=EACCES");
	RUN_PROBE_OPTS(&r, NULL, opts, "readat", root, "ok/file.txt");
	assert_has(r.out, "readat=fine");
	RUN_PROBE_OPTS(&r, NULL, opts, "read2", secret);
	assert_has(r.out, "read2=-1 errno=EACCES");
	/* relative, from a working directory inside the tree */
	{
		const char *chdir_opts[] = {"-p", opts[1], "--chdir", ok_dir, NULL};

		RUN_PROBE_OPTS(&r, NULL, chdir_opts, "read", "file.txt");
		assert_has(r.out, "read=fine");
		snprintf(rel, sizeof(rel), "../bad/secret.txt");
		RUN_PROBE_OPTS(&r, NULL, chdir_opts, "read", rel);
		assert_has(r.out, "read=-1 errno=EACCES");
	}
}
END_TEST

/*
 * What the supervisor may keep from one call to the next must never name a
 * path wrongly: between two path calls the program changes its working
 * directory (another thread, a child, fchdir), hands a closed directory
 * fd's number to another directory, points a symlink elsewhere, and runs a
 * new program (from its main thread and from another thread). Each second
 * call makes a file in ok/ (read-only), and its line must name that path:
 * a working directory, fd or memory kept from before would name one in
 * out/ (writable: no line) or nothing.
 */
START_TEST(nothing_stale_between_calls)
{
	static const char *const in_ro[] = {"t-cwd",	  "thread-cwd",	  "child-cwd",
					    "fchdir-cwd", "dirfd-reused", "after-exec",
					    "thread-exec"};
	static const char *const in_rw[] = {"rw-first", "rw-second", "rw-third", "parent-cwd"};
	char probe[256], pol[300], want[700];
	const char *opts[] = {"-p", pol, NULL};
	struct run r;

	build_tree();
	probe_args(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "fs-policy.json");
	write_file(pol, policy, 0644);
	RUN_PROBE_OPTS(&r, NULL, opts, "stale", out_dir, ok_dir, bad_dir);
	assert_lacks(r.out, "dirfd-not-reused");
	for (size_t i = 0; i < sizeof(in_rw) / sizeof(in_rw[0]); i++) {
		snprintf(want, sizeof(want), "%s=0 errno=0\n", in_rw[i]);
		assert_has(r.out, want);
		snprintf(want, sizeof(want), "/%s\"", in_rw[i]);
		assert_lacks(r.err, want);
	}
	for (size_t i = 0; i < sizeof(in_ro) / sizeof(in_ro[0]); i++) {
		snprintf(want, sizeof(want), "%s=-1 errno=EACCES\n", in_ro[i]);
		assert_has(r.out, want);
		snprintf(want, sizeof(want), "(write of \"%s/%s\": not in filesystem.write)\n",
			 ok_dir, in_ro[i]);
		assert_has(r.err, want);
	}
	assert_has(r.out, "swap-before=\n");
	assert_has(r.out, "swap-after=-1 errno=EACCES\n");
	snprintf(want, sizeof(want), "(read of \"%s\": in filesystem.deny)\n", secret);
	assert_has(r.err, want);
}
END_TEST

START_TEST(write_and_link)
{
	char probe[256], pol[300], made[400], hl[400], bad_new[400];
	const char *opts[] = {"-p", pol, NULL};
	const char *bare_link[] = {probe, "hardlink", secret, NULL, NULL};
	struct run r;

	build_tree();
	probe_args(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "fs-policy.json");
	write_file(pol, policy, 0644);
	snprintf(made, sizeof(made), "%s/made.txt", out_dir);
	snprintf(hl, sizeof(hl), "%s/hl", out_dir);
	snprintf(bad_new, sizeof(bad_new), "%s/new.txt", ok_dir);

	RUN_PROBE_OPTS(&r, NULL, opts, "writefile", made);
	assert_has(r.out, "writefile=1 errno=0");
	/* read-only places */
	RUN_PROBE_OPTS(&r, NULL, opts, "writefile", ok_file);
	assert_has(r.out, "writefile=-1 errno=EACCES");
	RUN_PROBE_OPTS(&r, NULL, opts, "writefile", bad_new);
	assert_has(r.out, "writefile=-1 errno=EACCES");
	slurp(ok_file, r.out, sizeof(r.out));
	ck_assert_str_eq(r.out, "fine\n");

	/* A hard link to the secret from the writable directory: works bare... */
	bare_link[3] = hl;
	run_bare(&r, bare_link);
	assert_has(r.out, "hardlink=0 errno=0");
	ck_assert_int_eq(unlink(hl), 0);
	/* ...but the sandbox does not let a denied file get a new name. */
	RUN_PROBE_OPTS(&r, NULL, opts, "hardlink", secret, hl);
	assert_has(r.out, "hardlink=-1 errno=");
	ck_assert_int_eq(access(hl, F_OK), -1);
	RUN_PROBE_OPTS(&r, NULL, opts, "read", hl);
	assert_has(r.out, "read=-1 errno=");
}
END_TEST

/*
 * A call that acts on a symbolic link itself (unlink, rename, lchown,
 * linkat without AT_SYMLINK_FOLLOW) is checked on the link's name, as the
 * kernel and Landlock check it, not on its target: a link in the writable
 * out/ to the read-only ok/file.txt may be removed and renamed (`ln -sf`
 * does both); a link in the read-only ok/ to a writable file may not, and
 * its line names the link. The checks used to follow the link both ways.
 */
START_TEST(link_itself_not_its_target)
{
	char pol[300], ln[400], ln2[400], ln3[400], ro_ln[400], out_file[400], arg[2][480];
	const char *opts[] = {"-p", pol, NULL};
	struct run r;

	build_tree();
	tmp_path(pol, sizeof(pol), "fs-policy.json");
	write_file(pol, policy, 0644);
	snprintf(ln, sizeof(ln), "%s/ln", out_dir);
	snprintf(ln2, sizeof(ln2), "%s/ln2", out_dir);
	snprintf(ln3, sizeof(ln3), "%s/ln3", out_dir);
	snprintf(out_file, sizeof(out_file), "%s/mine.txt", out_dir);
	snprintf(ro_ln, sizeof(ro_ln), "%s/to-out", ok_dir);
	write_file(out_file, "mine\n", 0666);
	ck_assert_int_eq(symlink(ok_file, ln), 0);
	ck_assert_int_eq(symlink(ok_file, ln2), 0);
	ck_assert_int_eq(symlink(out_file, ro_ln), 0);

	snprintf(arg[0], sizeof(arg[0]), "str:%s", ln);
	RUN_PROBE_OPTS(&r, NULL, opts, "raw", "unlink", arg[0]);
	assert_has(r.out, "raw=0 errno=0\n");
	assert_lacks(r.err, "write of");
	ck_assert_int_eq(access(ln, F_OK), -1);
	ck_assert_int_eq(access(ok_file, F_OK), 0);

	snprintf(arg[0], sizeof(arg[0]), "str:%s", ln2);
	snprintf(arg[1], sizeof(arg[1]), "str:%s", ln3);
	RUN_PROBE_OPTS(&r, NULL, opts, "raw", "rename", arg[0], arg[1]);
	assert_has(r.out, "raw=0 errno=0\n");
	assert_lacks(r.err, "write of");

	snprintf(arg[0], sizeof(arg[0]), "str:%s", ro_ln);
	RUN_PROBE_OPTS(&r, NULL, opts, "raw", "unlink", arg[0]);
	assert_has(r.out, "raw=-1 errno=EACCES\n");
	snprintf(arg[1], sizeof(arg[1]), "(write of \"%s\": not in filesystem.write)\n", ro_ln);
	assert_has(r.err, arg[1]);
	ck_assert_int_eq(access(ro_ln, F_OK), 0);
}
END_TEST

START_TEST(exec_allowlist)
{
	char probe[256], pol[300], copy[400], cmd[900];
	const char *opts[] = {"-p", pol, NULL};
	const char *bare_memfd[] = {probe, "memfd-exec", "/bin/echo", NULL};
	struct run r;

	build_tree();
	probe_args(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "fs-policy.json");
	write_file(pol, policy, 0644);
	/* a program in a read-only (not exec) place */
	snprintf(copy, sizeof(copy), "%s/true", ok_dir);
	snprintf(cmd, sizeof(cmd), "cp /bin/true '%s'", copy);
	ck_assert_int_eq(system(cmd), 0);
	RUN_PROBE_OPTS(&r, NULL, opts, "exec", "/bin/true");
	ck_assert_int_eq(r.status, 0);
	RUN_PROBE_OPTS(&r, NULL, opts, "exec", copy);
	assert_has(r.out, "exec=-1 errno=EACCES");

	/* a memfd is in no allowed place either */
	run_bare(&r, bare_memfd);
	ck_assert_int_eq(r.status, 0);
	assert_lacks(r.out, "memfd-exec=-1");
	RUN_PROBE_OPTS(&r, NULL, opts, "memfd-exec", "/bin/echo");
	assert_has(r.out, "memfd-exec=-1 errno=EACCES");
	assert_has(r.err, "(exec of \"/memfd:prog (deleted)\": not in filesystem.exec)\n");
}
END_TEST

/*
 * The time-of-check race: a thread flips the path between an allowed and a
 * forbidden file while the other opens it tens of thousands of times. The
 * supervisor may read the allowed name while the kernel opens the other:
 * only Landlock, checking the file itself, stops that.
 */
START_TEST(race_never_reads_the_secret)
{
	char probe[256], pol[300];
	const char *opts[] = {"-q", "-p", pol, NULL};
	const char *bare[] = {probe, "race", NULL, NULL, "30000", "SECRET", NULL};
	struct run r;
	long opened;

	build_tree();
	probe_args(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "fs-policy.json");
	write_file(pol, policy, 0644);
	bare[2] = ok_file;
	bare[3] = secret;
	/* Bare, the race hits (retried: on a loaded machine both threads may share one CPU). */
	for (int i = 0; i < 5; i++) {
		run_bare(&r, bare);
		if (!strstr(r.out, "forbidden_reads=0\n"))
			break;
	}
	ck_assert_msg(!strstr(r.out, "forbidden_reads=0\n"), "the race never hit bare: %s", r.out);

	RUN_PROBE_OPTS(&r, NULL, opts, "race", ok_file, secret, "30000", "SECRET");
	assert_has(r.out, "forbidden_reads=0\n");
	opened = atol(strstr(r.out, "opened=") + 7);
	/*
	 * The allowed file was read meanwhile: Landlock refused the secret, not
	 * everything. How often depends on the scheduling (918 to ~15,000 of
	 * 30,000 seen), so only "some" is asserted.
	 */
	ck_assert_int_gt(opened, 0);
}
END_TEST

START_TEST(deny_inside_allowed_tree)
{
	char probe[256], pol[300], text[2048];
	const char *opts[] = {"-p", pol, NULL};
	struct run r;

	build_tree();
	probe_args(probe, sizeof(probe));
	tmp_path(pol, sizeof(pol), "fs-policy.json");
	/* the whole tree readable, one file in it denied */
	snprintf(
		text, sizeof(text),
		"{\"default\": \"allow\", \"filesystem\": {"
		"\"read\": [\"/usr\", \"/lib\", \"/lib64\", \"/etc\", \"/proc\", \"/dev\", \"%s\"],"
		"\"exec\": [\"/usr/bin\", \"/usr/lib\", \"%s\"], \"deny\": [\"%s\"]}}",
		root, getenv("SBX_PROGS"), secret);
	write_file(pol, text, 0644);
	RUN_PROBE_OPTS(&r, NULL, opts, "read", ok_file);
	assert_has(r.out, "read=fine");
	RUN_PROBE_OPTS(&r, NULL, opts, "read", secret);
	assert_has(r.out, "read=-1 errno=EACCES");
	/* even when the supervisor is not asked (-q does not change enforcement) */
	{
		const char *quiet[] = {"-q", "-p", pol, NULL};

		RUN_PROBE_OPTS(&r, NULL, quiet, "readat", bad_dir, "secret.txt");
		assert_has(r.out, "readat=-1 errno=EACCES");
		/*
		 * And against the race (whose bare control is in
		 * race_never_reads_the_secret): here the supervisor's check
		 * alone would let the flipped path through, since the secret's
		 * directory is granted; only Landlock's exclusion of the denied
		 * file from the granted tree keeps it closed.
		 */
		RUN_PROBE_OPTS(&r, NULL, quiet, "race", ok_file, secret, "30000", "SECRET");
		assert_has(r.out, "forbidden_reads=0\n");
		ck_assert_int_gt(atol(strstr(r.out, "opened=") + 7), 0);
	}
}
END_TEST

START_TEST(no_landlock_refuses)
{
	char pol[300];
	const char *opts[] = {"--no-landlock", "-p", pol, NULL};
	struct run r;

	build_tree();
	tmp_path(pol, sizeof(pol), "fs-policy.json");
	write_file(pol, policy, 0644);
	RUN_PROBE_OPTS(&r, NULL, opts, "read", ok_file);
	ck_assert_int_eq(r.status, 125);
	assert_has(r.err, "only Landlock enforces without a race");
	assert_lacks(r.out, "read=");
}
END_TEST

/*
 * A path of the filesystem rules that does not exist is an error naming
 * it, before the program starts: the supervisor used to crash on it
 * (SIGSEGV writing the reason), with and without an init.
 */
START_TEST(missing_rule_path_is_an_error)
{
	static const char *const isolation[] = {"namespaces", "none"};
	char pol[300], text[600], missing[300];
	struct run r;

	tmp_path(missing, sizeof(missing), "no-such-dir/x");
	snprintf(text, sizeof(text),
		 "{\"default\": \"allow\", \"filesystem\": {\"read\": [\"/\", \"%s\"], "
		 "\"exec\": [\"/\"]}}",
		 missing);
	tmp_path(pol, sizeof(pol), "missing.json");
	write_file(pol, text, 0644);
	for (size_t i = 0; i < sizeof(isolation) / sizeof(isolation[0]); i++) {
		const char *opts[] = {"--isolation", isolation[i], "-p", pol, NULL};

		RUN_PROBE_OPTS(&r, NULL, opts, "getppid");
		ck_assert_int_eq(r.status, 125);
		assert_has(r.err, "filesystem: cannot use ");
		assert_has(r.err, "no-such-dir/x: No such file or directory\n");
		assert_lacks(r.out, "getppid=");
	}
}
END_TEST

/* A listener on 127.0.0.1 with a kernel-chosen port; returns the fd, port in |ret_port|. */
static int listen_loopback(int *ret_port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*ret_port = ntohs(sin.sin_port);
	return fd;
}

START_TEST(network_rules)
{
	char probe[256], port_s[16], pol[600];
	const char *bare[] = {probe, "connect", port_s, NULL};
	const char *no_ns[] = {"--isolation", "landlock", geteuid() ? NULL : "--user", "65534",
			       NULL};
	struct run r;
	int port, lfd = listen_loopback(&port);

	probe_args(probe, sizeof(probe));
	snprintf(port_s, sizeof(port_s), "%d", port);
	run_bare(&r, bare);
	assert_has(r.out, "connect=0 errno=0");

	/*
	 * off, with namespaces: a network namespace with only its own
	 * loopback, where nothing listens on the host's port.
	 */
	RUN_PROBE(&r, "{\"default\": \"allow\", \"network\": \"off\"}", "connect", port_s);
	assert_has(r.out, "connect=-1 errno=ECONNREFUSED");
	/* off, without: no socket of another family than AF_UNIX */
	RUN_PROBE_OPTS(&r, "{\"default\": \"allow\", \"network\": \"off\"}", no_ns, "connect",
		       port_s);
	assert_has(r.out, "connect=-1 errno=EACCES");
	assert_has(r.err,
		   "] denied socket(AF_INET, SOCK_STREAM, 0) = -1 EACCES by the network rule");
	/* on: it connects */
	RUN_PROBE(&r, "{\"default\": \"allow\", \"network\": \"on\"}", "connect", port_s);
	assert_has(r.out, "connect=0 errno=0");
	/* by port: the listed one connects, another is refused (Landlock) and reported */
	snprintf(pol, sizeof(pol),
		 "{\"default\": \"allow\", \"network\": {\"families\": [\"AF_UNIX\", \"AF_INET\"], "
		 "\"connect\": [%d]}}",
		 port);
	RUN_PROBE(&r, pol, "connect", port_s);
	assert_has(r.out, "connect=0 errno=0");
	snprintf(pol, sizeof(pol),
		 "{\"default\": \"allow\", \"network\": {\"families\": [\"AF_INET\"], "
		 "\"connect\": [%d]}}",
		 port == 65535 ? 1 : port + 1);
	RUN_PROBE(&r, pol, "connect", port_s);
	assert_lacks(r.out, "connect=0");
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "{AF_INET, 127.0.0.1:%d}, 16) (port %d is not in "
			 "network.connect",
			 port, port);
		assert_has(r.err, want);
	}
	close(lfd);
}
END_TEST

static Suite *fs_suite(void)
{
	Suite *s = suite_create("fs");
	TCase *tc = tcase_create("fs");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, read_every_way);
	tcase_add_test(tc, nothing_stale_between_calls);
	tcase_add_test(tc, denied_path_cannot_forge_a_line);
	tcase_add_test(tc, write_and_link);
	tcase_add_test(tc, link_itself_not_its_target);
	tcase_add_test(tc, exec_allowlist);
	tcase_add_test(tc, race_never_reads_the_secret);
	tcase_add_test(tc, deny_inside_allowed_tree);
	tcase_add_test(tc, no_landlock_refuses);
	tcase_add_test(tc, missing_rule_path_is_an_error);
	tcase_add_test(tc, network_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (syscall(SYS_landlock_create_ruleset, NULL, 0, 1) <= 0) {
		printf("SKIP: this kernel has no Landlock\n");
		return 77;
	}
	return harness_main(fs_suite());
}
