/* SPDX-License-Identifier: MIT */
/*
 * Real work under the embedded default policy: a shell, make -j2 driving
 * gcc and g++ through every stage (cc1, cc1plus, as, collect2, ld), python3,
 * perl, tar, git and the coreutils. Each run must end with the tool's own
 * success, the output it would give bare, and not one line from the
 * supervisor: nothing a build does may be reported, denied or killed.
 */
#include "harness.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh working directory for one test. */
static void workdir(char *dir, size_t size)
{
	tmp_path(dir, size, "work");
	ck_assert_int_eq(mkdir(dir, 0755), 0);
}

/* Run "sh -c SCRIPT" in |dir| under the default policy; it must run clean. */
static void run_clean(struct run *r, const char *dir, const char *script)
{
	const char *opts[] = {"--chdir", dir,
			      "--env",	 "HOME=/nonexistent",
			      "--env",	 "PATH=/usr/local/bin:/usr/bin:/bin",
			      NULL};
	const char *args[] = {"/bin/sh", "-c", script, NULL};

	run_sandbox(r, NULL, opts, args);
	ck_assert_msg(r->status == 0, "status %d; stdout:\n%s\nstderr:\n%s", r->status, r->out,
		      r->err);
	assert_lacks(r->err, "sandbox:");
	ck_assert_str_eq(report_str(r, "status"), "exited");
}

START_TEST(shell)
{
	char dir[300];
	struct run r;

	workdir(dir, sizeof(dir));
	run_clean(&r, dir,
		  "set -e; x=$(echo a b c | tr ' ' '\\n' | sort -r | head -n 1); echo $x;"
		  "(cd /; pwd); { echo in; } > f; read y < f; echo $y;"
		  "sleep 0.1 & wait $!; echo waited=$?; trap 'echo trapped' USR1;"
		  "kill -USR1 $$; exec echo done");
	ck_assert_str_eq(r.out, "c\n/\nin\nwaited=0\ntrapped\ndone\n");
}
END_TEST

START_TEST(make_j2_with_gcc_and_gxx)
{
	char dir[300], path[400];
	struct run r;

	workdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/Makefile", dir);
	write_file(path,
		   "all: hello hellopp\n"
		   "\t./hello && ./hellopp\n"
		   "hello: main.o util.o\n"
		   "\tgcc -o $@ main.o util.o\n"
		   "hellopp: hello.o\n"
		   "\tg++ -o $@ hello.o\n"
		   "%.o: %.c\n"
		   "\tgcc -O2 -c $<\n"
		   "hello.o: hello.cpp\n"
		   "\tg++ -O2 -c $<\n",
		   0644);
	snprintf(path, sizeof(path), "%s/main.c", dir);
	write_file(path,
		   "#include <stdio.h>\nint twice(int);\n"
		   "int main(void) { printf(\"c %d\\n\", twice(21)); return 0; }\n",
		   0644);
	snprintf(path, sizeof(path), "%s/util.c", dir);
	write_file(path, "int twice(int x) { return 2 * x; }\n", 0644);
	snprintf(path, sizeof(path), "%s/hello.cpp", dir);
	write_file(path,
		   "#include <iostream>\n#include <map>\n#include <string>\n"
		   "int main() { std::map<std::string, int> m{{\"cpp\", 7}};\n"
		   "  for (auto &[k, v] : m) std::cout << k << ' ' << v << '\\n'; }\n",
		   0644);
	/* -v on one build shows every stage ran: cc1 and as per file, collect2 (ld) once. */
	run_clean(&r, dir,
		  "make -s -j2 && gcc -v -o v main.c util.c 2>&1 | grep -c -E "
		  "'/cc1 |(^| |/)as |/collect2 '");
	ck_assert_str_eq(r.out, "c 42\ncpp 7\n5\n");
}
END_TEST

START_TEST(python3)
{
	char dir[300];
	struct run r;

	workdir(dir, sizeof(dir));
	run_clean(&r, dir,
		  "/usr/bin/python3 -c '"
		  "import hashlib, json, subprocess, tempfile, threading\n"
		  "out = []\n"
		  "t = threading.Thread(target=lambda: out.append(sum(range(10))))\n"
		  "t.start(); t.join()\n"
		  "p = subprocess.run([\"echo\", \"child\"], capture_output=True, text=True)\n"
		  "with tempfile.TemporaryDirectory() as d:\n"
		  "    open(d + \"/x\", \"w\").write(\"x\")\n"
		  "print(json.dumps([out[0], p.stdout.strip(), "
		  "hashlib.sha256(b\"\").hexdigest()[:8]]))'");
	ck_assert_str_eq(r.out, "[45, \"child\", \"e3b0c442\"]\n");
}
END_TEST

START_TEST(perl)
{
	char dir[300];
	struct run r;

	workdir(dir, sizeof(dir));
	run_clean(&r, dir,
		  "perl -e 'my %h = map { $_ => $_ * $_ } 1..4; "
		  "my $pid = fork(); if ($pid == 0) { exit 3 } waitpid($pid, 0); "
		  "print join(\",\", map { $h{$_} } sort keys %h), \" \", $? >> 8, \"\\n\"'");
	ck_assert_str_eq(r.out, "1,4,9,16 3\n");
}
END_TEST

START_TEST(tar)
{
	char dir[300];
	struct run r;

	workdir(dir, sizeof(dir));
	run_clean(&r, dir,
		  "set -e; mkdir -p src/sub out; echo one > src/a; echo two > src/sub/b;"
		  "ln -s a src/link; tar czf t.tgz src; tar tzf t.tgz | sort;"
		  "tar xzf t.tgz -C out; diff -r src out/src && echo same");
	ck_assert_str_eq(r.out, "src/\nsrc/a\nsrc/link\nsrc/sub/\nsrc/sub/b\nsame\n");
}
END_TEST

START_TEST(git)
{
	char dir[300];
	struct run r;

	workdir(dir, sizeof(dir));
	run_clean(&r, dir,
		  "set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t "
		  "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t;"
		  "git init -q -b main r; cd r; echo x > f; git add f; git commit -q -m first;"
		  "echo y >> f; echo z > g; git status --short; git log --format=%s");
	ck_assert_str_eq(r.out, " M f\n?? g\nfirst\n");
}
END_TEST

START_TEST(coreutils)
{
	char dir[300];
	struct run r;

	workdir(dir, sizeof(dir));
	run_clean(&r, dir,
		  "set -e; seq 1 5 > n; sort -rn n | head -n 2 | tr '\\n' ' '; echo;"
		  "cp n m; mv m k; ln -s k l; cat l | wc -l; chmod 600 k; stat -c %a k;"
		  "printf 'b\\na\\nb\\n' | sort | uniq -c | tr -s ' ' | cut -d' ' -f2-;"
		  "sha256sum n | cut -c1-8; mkdir -p d/e; touch d/e/f; find d -type f;"
		  "du -s d > /dev/null; ls d/e; date +%Y > /dev/null; echo 1 2 | xargs -n1 echo;"
		  "rm -r d; test ! -e d && echo gone; id -u > /dev/null; tail -n 1 n");
	ck_assert_str_eq(r.out, "5 4 \n5\n600\n1 a\n2 b\n"
				"f6b49467\nd/e/f\nf\n1\n2\ngone\n5\n");
}
END_TEST

/*
 * A build that sees only its working directory, as any caller's would (the
 * harness's temporary directory is not bound): compiler temporaries go to
 * the private /tmp, products to the working directory, and nothing beside
 * it is touched. git checks that the repository is owned by the user it runs
 * as, so this also shows the working directory's owner is the program's.
 */
START_TEST(build_sees_and_writes_only_its_workdir)
{
	char dir[300], path[400], want[400];
	struct stat st;
	struct run r;

	harness_bind_tmpdir(false);
	workdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/main.c", dir);
	write_file(path, "#include <stdio.h>\nint main(void) { puts(\"built\"); return 0; }\n",
		   0644);
	run_clean(&r, dir,
		  "set -e; gcc -O2 -save-temps=cwd -o main main.c; ./main;"
		  "echo parent: $(ls -A ..); touch ../beside;"
		  "export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t "
		  "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t;"
		  "git init -q -b main; git add main.c; git commit -q -m one; git log --format=%s");
	/* Beside it, the program sees only itself; what it made there is not on the host. */
	snprintf(want, sizeof(want), "built\nparent: %s\none\n", strrchr(dir, '/') + 1);
	ck_assert_str_eq(r.out, want);
	snprintf(path, sizeof(path), "%s/main", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_uid, geteuid()); /* owned by the caller, on the host */
	snprintf(path, sizeof(path), "%s/main.i", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	/* "../beside" was made in the sandbox's private /tmp, not beside it on the host. */
	snprintf(path, sizeof(path), "%s/beside", harness_tmpdir());
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

static Suite *tools_suite(void)
{
	Suite *s = suite_create("tools");
	TCase *tc = tcase_create("default policy");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, shell);
	tcase_add_test(tc, make_j2_with_gcc_and_gxx);
	tcase_add_test(tc, python3);
	tcase_add_test(tc, perl);
	tcase_add_test(tc, tar);
	tcase_add_test(tc, git);
	tcase_add_test(tc, coreutils);
	tcase_add_test(tc, build_sees_and_writes_only_its_workdir);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return harness_main(tools_suite());
}
