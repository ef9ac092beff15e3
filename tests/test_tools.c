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
#include <jansson.h>
#include <limits.h>
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

/* --- the command line's manners ----------------------------------------------------- */

#define HINT "Try 'sandbox --help' for the options.\n"

/*
 * Run "sh -c SCRIPT" bare, in a fresh directory of the test (|dir|), with
 * $S the sandbox binary: the shell makes the pipes, FIFOs and links the
 * cases need. Captures the script's stdout, stderr and exit status.
 */
static void sh_in(struct run *r, char *dir, size_t size, const char *script)
{
	char cmd[8192], out[300], err[300];
	char *argv[] = {"/bin/sh", "-c", cmd, NULL};

	if (!*dir) {
		tmp_path(dir, size, "cli");
		ck_assert_int_eq(mkdir(dir, 0755), 0);
	}
	snprintf(cmd, sizeof(cmd), "cd '%s' && S='%s' && %s", dir, sbx_bin(), script);
	tmp_path(out, sizeof(out), "sh-out");
	tmp_path(err, sizeof(err), "sh-err");
	memset(r, 0, sizeof(*r));
	r->status = finish(start(argv, out, err));
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* One line of |dir|'s file |name| into |r|'s report buffer. */
static void read_report(struct run *r, const char *dir, const char *name)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	slurp(path, r->report, sizeof(r->report));
}

/* Each of |cases| (a script, then the exact stderr) must fail with status 125. */
static void expect_usage(const char *const cases[][2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char dir[300] = "";
		struct run r;

		sh_in(&r, dir, sizeof(dir), cases[i][0]);
		ck_assert_msg(r.status == 125, "%s: status %d", cases[i][0], r.status);
		ck_assert_msg(strcmp(r.err, cases[i][1]) == 0, "%s:\nexpected:\n%s\ngot:\n%s",
			      cases[i][0], cases[i][1], r.err);
		ck_assert_str_eq(r.out, "");
	}
}

/* An optional value follows "=": the word after a bare option that looks like one is a hint. */
START_TEST(optional_value_given_with_a_space)
{
	static const char *const cases[][2] = {
		{"$S --trace openat true",
		 "sandbox: \"openat\" is not a program: did you mean --trace=openat?\n" HINT},
		{"$S --trace openat,@network-io true", "sandbox: \"openat,@network-io\" is not a "
						       "program: did you mean "
						       "--trace=openat,@network-io?\n" HINT},
		{"$S --dump-filter bpf",
		 "sandbox: \"bpf\" is not a program: did you mean --dump-filter=bpf?\n" HINT},
	};
	char dir[300] = "";
	struct run r;

	expect_usage(cases, sizeof(cases) / sizeof(cases[0]));
	/* A word that is no value is the program, and "--" keeps the value out. */
	sh_in(&r, dir, sizeof(dir), "$S -q --trace echo hi 2>/dev/null; $S --trace -- kill -0 $$");
	ck_assert_str_eq(r.out, "hi\n");
	assert_lacks(r.err, "did you mean");
	/* --list-groups NAME means the name, with or without "=". */
	sh_in(&r, dir, sizeof(dir), "$S --list-groups @network-io && $S --list-groups=@network-io");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "socketpair");
}
END_TEST

/* getopt's errors said in its own terms: one line each, then the hint. */
/*
 * A caller with a small stack (ulimit -s: a judge's own choice): the
 * supervisor thread's stack followed RLIMIT_STACK and overflowed at 64 KiB.
 */
START_TEST(small_caller_stack)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir), "ulimit -s 48 && $S -v -- /bin/echo small");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.out, "small\n");
}
END_TEST

/*
 * The command supervises from its own (only) thread: no thread started
 * and joined per run (docs/performance.md, "Where the supervisor's
 * start-up goes"). Without a listener there is no notifier thread either,
 * so the program sees one task in its parent; under a small stack limit the
 * run falls back to a thread of its own (small_caller_stack above).
 */
START_TEST(command_supervises_from_its_thread)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir),
	      "$S -q --isolation none --decisions ptrace -- /bin/sh -c 'ls /proc/$PPID/task'"
	      " | wc -l");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.out, "1\n");
}
END_TEST

START_TEST(option_errors_in_getopts_terms)
{
	static const char *const cases[][2] = {
		{"$S --no-such-flag true", "sandbox: unknown option --no-such-flag\n" HINT},
		{"$S --no-such-flag=1 true", "sandbox: unknown option --no-such-flag\n" HINT},
		{"$S -qx true", "sandbox: unknown option -x\n" HINT},
		{"$S --quiet=1 true", "sandbox: option --quiet doesn't allow an argument\n" HINT},
		{"$S --no-cgroup=1 true",
		 "sandbox: option --no-cgroup doesn't allow an argument\n" HINT},
		{"$S --ver true",
		 "sandbox: option --ver is ambiguous: --verbose, --version\n" HINT},
		{"$S --polic", "sandbox: option --policy needs an argument\n" HINT},
		{"$S -p", "sandbox: option -p needs an argument\n" HINT},
		{"$S --memory", "sandbox: option --memory needs an argument\n" HINT},
	};

	expect_usage(cases, sizeof(cases) / sizeof(cases[0]));
}
END_TEST

/* --list-groups=NAME, as --help writes it; alone it lists every group. */
START_TEST(list_groups_with_equals)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir), "$S --list-groups=@network-io");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	assert_has(r.out, "@network-io");
	assert_has(r.out, "socketpair");
	assert_lacks(r.out, "@file-system");
	sh_in(&r, dir, sizeof(dir), "$S --list-groups");
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "@network-io");
	assert_has(r.out, "@file-system");
}
END_TEST

/* Minutes, hours and days, as timeout(1) takes them. */
START_TEST(durations_in_minutes_hours_days)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir),
	      "$S -r rep.json --wall-time 1m --cpu-time 0.5h -- true && "
	      "$S -r day.json --wall-time 1d -- true && $S --cpu-time 1x true");
	ck_assert_str_eq(r.err, "sandbox: --cpu-time: \"1x\" is not a duration "
				"(e.g. 2, 0.5, 1.5s, 250ms, 1m)\n" HINT);
	read_report(&r, dir, "rep.json");
	ck_assert_int_eq(report_int(&r, "limits.wall_time_ms"), 60000);
	ck_assert_int_eq(report_int(&r, "limits.cpu_time_ms"), 1800000);
	read_report(&r, dir, "day.json");
	ck_assert_int_eq(report_int(&r, "limits.wall_time_ms"), 86400000);
}
END_TEST

/* -p - and a FIFO are read to their end; each way a policy fails has its own message. */
START_TEST(policy_from_stdin_fifo_and_each_failure)
{
	static const char *const cases[][2] = {
		{"$S -p . true",
		 "sandbox: .: cannot read policy: a directory, not a policy file\n"},
		{"truncate -s 17M big.json && $S -p big.json true",
		 "sandbox: big.json: cannot read policy: larger than the 16 MiB a policy may "
		 "have\n"},
		{"head -c 17000000 /dev/zero | $S -p - true",
		 "sandbox: <stdin>: cannot read policy: larger than the 16 MiB a policy may "
		 "have\n"},
		{"echo '{\"default\": \"allow\",' | $S -p - true",
		 "<stdin>:2:0: invalid JSON: string or '}' expected near end of file\n"
		 "sandbox: cannot use policy -: invalid policy\n"},
		{"$S -p none.json true",
		 "sandbox: none.json: cannot read policy: No such file or directory\n"},
	};
	char dir[300] = "";
	struct run r;

	expect_usage(cases, sizeof(cases) / sizeof(cases[0]));
	sh_in(&r, dir, sizeof(dir),
	      "echo '{\"default\": \"allow\"}' | $S -p - echo stdin && mkfifo p && "
	      "{ echo '{\"default\": \"allow\"}' > p & } && $S -p p echo fifo");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.out, "stdin\nfifo\n");
	ck_assert_str_eq(r.err, "");
}
END_TEST

/* A shipped policy's name that is also a file here: the shipped one is used, and said. */
START_TEST(shipped_name_shadowing_a_file)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir),
	      "echo '{\"default\": \"kill\"}' > judge && $S -p judge echo shipped && "
	      "$S -p ./judge echo file");
	ck_assert_str_eq(r.out, "shipped\n"); /* ./judge kills echo */
	ck_assert_msg(strncmp(r.err,
			      "sandbox: judge: warning: the shipped policy \"judge\" is used, not "
			      "the file judge in the working directory (write ./judge for the "
			      "file)\n",
			      strlen("sandbox: judge: warning: the shipped policy \"judge\" is "
				     "used, not the file judge in the working directory (write "
				     "./judge for the file)\n")) == 0,
		      "%s", r.err);
	ck_assert_ptr_null(strstr(strstr(r.err, "warning") + 1, "warning")); /* not for ./judge */
	sh_in(&r, dir, sizeof(dir), "$S --check judge");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "judge: warning: the shipped policy \"judge\" is used, not the "
				"file judge in the working directory (write ./judge for the file)\n"
				"judge: absent on aarch64: access, arch_prctl, creat, dup2, fork, "
				"lstat, open, poll, readlink, stat, time, vfork\n"
				"judge: 0 errors, 1 warning\n");
}
END_TEST

/* Once -r has a path, every error ends in a report with status "error" and the message. */
START_TEST(report_for_every_error_after_r)
{
	static const char *const cases[][2] = {
		{"$S -r r.json --wall-time soon true",
		 "--wall-time: \"soon\" is not a duration (e.g. 2, 0.5, 1.5s, 250ms, 1m)"},
		{"$S -r r.json --no-such-flag true", "unknown option --no-such-flag"},
		{"$S -r r.json --check x.json", "--report and --check cannot be used together"},
		{"echo '{' > bad.json && $S -r r.json -p bad.json true",
		 "cannot use policy bad.json: invalid policy\n"
		 "bad.json:2:0: invalid JSON: string or '}' expected near end of file"},
		{"$S -r r.json -p . true", ".: cannot read policy: a directory, not a policy file"},
		{"$S -r r.json --log . true", "cannot open the log .: Is a directory"},
		{"$S -r r.json ./no-such-program", "./no-such-program: No such file or directory"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[300] = "";
		struct run r;

		sh_in(&r, dir, sizeof(dir), cases[i][0]);
		ck_assert_msg(r.status == 125 || r.status == 127, "%s: %d", cases[i][0], r.status);
		read_report(&r, dir, "r.json");
		ck_assert_msg(strcmp(report_str(&r, "status"), "error") == 0, "%s: report:\n%s",
			      cases[i][0], r.report);
		ck_assert_str_eq(report_str(&r, "error"), cases[i][1]);
	}
}
END_TEST

/*
 * --learn's path is checked before the program runs, "-" is standard output,
 * and like the report it replaces nothing but a regular file: a FIFO is
 * written through, a symbolic link (to a regular file) is refused.
 */
START_TEST(learn_output_checked_first_and_never_replaced)
{
	static const char *const cases[][2] = {
		{"$S --learn missing/out.json -- sh -c 'echo RAN'",
		 "sandbox: --learn: cannot write missing/out.json: No such file or directory\n"},
		{"$S --learn . -- sh -c 'echo RAN'",
		 "sandbox: --learn: cannot write .: Is a directory\n"},
		{"echo '{}' > real.json && ln -s real.json link.json && "
		 "$S --learn link.json -- sh -c 'echo RAN'",
		 "sandbox: --learn: cannot write link.json: a symbolic link on the way (give the "
		 "real path)\n"},
	};
	char dir[300] = "", path[400], text[4096];
	struct stat st;
	struct run r;

	expect_usage(cases, sizeof(cases) / sizeof(cases[0]));
	sh_in(&r, dir, sizeof(dir),
	      "$S -q --learn - -- true | grep -c '\"default\": \"kill\"' && mkfifo f && "
	      /* a reader is there all along (3<>), the data is read after (4<) */
	      "exec 3<>f && $S -q --learn f -- true && exec 4<f 3>&- && cat <&4 > from-fifo");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.out, "1\n");
	snprintf(path, sizeof(path), "%s/f", dir);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode)); /* still the FIFO, not a file renamed over it */
	snprintf(path, sizeof(path), "%s/from-fifo", dir);
	slurp(path, text, sizeof(text));
	assert_has(text, "\"default\": \"kill\"");
}
END_TEST

/*
 * --learn -p BASE names a base file so that it resolves from the learned
 * policy's own directory: "./NAME" beside it, its absolute path from
 * elsewhere; both learned policies then run from anywhere. A base read from
 * standard input, or the output as its own base, is refused.
 */
START_TEST(learn_names_a_base_file_from_the_output)
{
	static const char *const cases[][2] = {
		{"echo '{\"default\": \"allow\"}' | $S --learn out.json -p - -- true",
		 "sandbox: --learn: a base read from standard input cannot be extended: give its "
		 "file\n"},
		{"echo '{\"default\": \"allow\", \"rules\": []}' > b.json && "
		 "$S --learn b.json -p b.json -- true",
		 "sandbox: --learn: b.json is the base policy itself: learn into another file\n"},
	};
	char dir[300] = "", script[2048], path[400], text[65536], prog[256], real[PATH_MAX];
	json_t *root;
	struct run r;
	int n = 0;

	expect_usage(cases, sizeof(cases) / sizeof(cases[0]));
	prog_path(prog, sizeof(prog), "sometimes");
	snprintf(script, sizeof(script),
		 "mkdir sub && echo '{\"extends\": \"judge\", \"rules\": [{\"syscalls\": "
		 "[\"umask\"], \"action\": \"allow\"}]}' > sub/base.json && P='%s' && "
		 "$S -q --learn sub/near.json -p sub/base.json -- $P getparam && "
		 "$S -q --learn far.json -p sub/base.json -- $P getparam && D=$PWD && cd / && "
		 "$S -q -p $D/sub/near.json -- $P umask getparam && "
		 "$S -q -p $D/far.json -- $P umask getparam",
		 prog);
	sh_in(&r, dir, sizeof(dir), script);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	/* Four runs, each to its end, no call failing. */
	for (const char *at = strstr(r.out, "getparam=0\ndone\n"); at;
	     at = strstr(at + 1, "getparam=0\ndone\n"))
		n++;
	ck_assert_msg(n == 4, "%s", r.out);
	assert_lacks(r.out, "errno");
	snprintf(path, sizeof(path), "%s/sub/near.json", dir);
	slurp(path, text, sizeof(text));
	assert_has(text, "\"extends\": \"./base.json\"");
	snprintf(path, sizeof(path), "%s/far.json", dir);
	slurp(path, text, sizeof(text));
	root = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(root);
	snprintf(path, sizeof(path), "%s/sub/base.json", dir);
	ck_assert_ptr_nonnull(realpath(path, real));
	ck_assert_str_eq(json_string_value(json_object_get(root, "extends")), real);
	json_decref(root);
}
END_TEST

/*
 * The report and --learn's policy are written whole at the end: no other
 * output may name their file (by any spelling) or share "-" with them,
 * which would lose one or mix two texts. -o - and --log - are standard
 * output, as -r - is, not a file named "-".
 */
START_TEST(outputs_never_share_a_file)
{
	static const char *const cases[][2] = {
		{"$S -r same --learn same -- sh -c 'echo RAN'",
		 "sandbox: --report and --learn both write same: give each a file of its "
		 "own\n" HINT},
		{"mkdir d && $S --learn d/p.json -r ./d/../d/p.json -- sh -c 'echo RAN'",
		 "sandbox: --report and --learn both write ./d/../d/p.json: give each a file of "
		 "its "
		 "own\n" HINT},
		{"$S -r r.json --log ./r.json -- sh -c 'echo RAN'",
		 "sandbox: --report and --log both write r.json: give each a file of its "
		 "own\n" HINT},
		{"touch a && ln a b && $S --learn a -o b -- sh -c 'echo RAN'",
		 "sandbox: --learn and --trace-output both write a: give each a file of its "
		 "own\n" HINT},
	};
	char dir[300] = "";
	struct run r;

	expect_usage(cases, sizeof(cases) / sizeof(cases[0]));
	sh_in(&r, dir, sizeof(dir), "$S -r - --learn - -- sh -c 'echo RAN'");
	ck_assert_int_eq(r.status, 125);
	assert_has(r.out, "\"error\": \"--report and --learn both write -");
	ck_assert_ptr_null(strstr(r.out, "RAN"));
	sh_in(&r, dir, sizeof(dir),
	      "$S -q -o - -- true | grep -c '^sandbox: \\[pid [0-9]*\\] execve' && "
	      "$S -q --log - -- true | grep -c '\"event\":\"exec\"' && ! test -e ./-");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.out, "1\n1\n");
	/* A usage error with stderr on a pipe nobody reads (fd 6): status 125 and the report. */
	sh_in(&r, dir, sizeof(dir),
	      "mkfifo p && exec 5<>p 6>p 5<&- && { $S -r r.json --bogus 2>&6; echo rc=$?; } && "
	      "grep -c 'unknown option --bogus' r.json");
	ck_assert_str_eq(r.out, "rc=125\n1\n");
}
END_TEST

/*
 * Host text in the report that is not UTF-8 (a path in an error, the
 * working directory) is kept, its odd bytes written \xNN: jansson refused
 * it, and the report lost "error" or the whole "isolation".
 */
START_TEST(report_keeps_text_that_is_not_utf8)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir),
	      "$S -r r.json -- \"$(printf '/none/\\377')\"; mkdir \"$(printf 'w\\376')\" && "
	      "cd w? && $S -q -r ../r2.json -- true && cd .. && python3 -c 'import json; "
	      "print(json.load(open(\"r.json\"))[\"error\"]); "
	      "print(json.load(open(\"r2.json\"))[\"isolation\"][\"workdir\"].rsplit(\"/\", "
	      "1)[1])'");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.out, "/none/\\xff: No such file or directory\nw\\xfe\n");
}
END_TEST

/* A --chdir that cannot be entered is named, wherever it fails. */
START_TEST(chdir_errors_name_the_directory)
{
	char dir[300] = "", want[800];
	struct run r;

	sh_in(&r, dir, sizeof(dir), "touch plain && $S --chdir \"$PWD/plain\" true");
	ck_assert_int_eq(r.status, 125);
	snprintf(want, sizeof(want), "sandbox: changing directory to %s/plain: Not a directory\n",
		 dir);
	ck_assert_str_eq(r.err, want);
	sh_in(&r, dir, sizeof(dir), "$S --chdir \"$PWD/none\" true");
	snprintf(want, sizeof(want),
		 "sandbox: cannot use the working directory %s/none: No such file or directory\n",
		 dir);
	ck_assert_str_eq(r.err, want);
}
END_TEST

/* --check takes several files: each one's problems and summary; any error fails. */
START_TEST(check_several_files)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir),
	      "$S --print-default-policy > good.json && echo '{' > bad.json && "
	      "$S --check good.json judge && $S --check good.json bad.json . ");
	ck_assert_int_eq(r.status, 125);
	ck_assert_str_eq(r.out, "good.json: absent on aarch64: ioperm, iopl\n"
				"good.json: 0 errors, 0 warnings\n"
				"judge: absent on aarch64: access, arch_prctl, creat, dup2, fork, "
				"lstat, open, poll, readlink, stat, time, vfork\n"
				"judge: 0 errors, 0 warnings\n"
				"good.json: absent on aarch64: ioperm, iopl\n"
				"good.json: 0 errors, 0 warnings\n"
				"bad.json:2:0: invalid JSON: string or '}' expected near end of "
				"file\n"
				"bad.json: 1 error, 0 warnings\n"
				".: cannot read policy: a directory, not a policy file\n"
				".: 1 error, 0 warnings\n");
	ck_assert_str_eq(r.err, "");
}
END_TEST

/*
 * --check says which names the policy writes a supported CPU lacks, one
 * line per CPU; they are no problem (the status stays) and a name no CPU
 * has is still an error at its line:column.
 */
START_TEST(check_names_absent_on_a_cpu)
{
	char dir[300] = "";
	struct run r;

	sh_in(&r, dir, sizeof(dir),
	      "echo '{\"version\": 1, \"default\": \"kill\", \"rules\": [{\"syscalls\": "
	      "[\"vfork\", \"fork\", \"openat\", \"socketcall\"], \"action\": \"allow\"}]}' > "
	      "x86.json && "
	      "echo '{\"version\": 1, \"default\": \"kill\", \"rules\": [{\"syscalls\": "
	      "[\"openat\", \"clone\", \"@default\"], \"action\": \"allow\"}]}' > everywhere.json "
	      "&& "
	      "echo '{\"version\": 1, \"default\": \"kill\", \"rules\": [{\"syscalls\": "
	      "[\"fork\", \"forkk\"], \"action\": \"allow\"}]}' > typo.json && "
	      "$S --check default x86.json everywhere.json; echo \"status $?\"; "
	      "$S --check typo.json; echo \"status $?\"");
	ck_assert_str_eq(r.out,
			 "default: absent on aarch64: ioperm, iopl\n"
			 "default: 0 errors, 0 warnings\n"
			 "x86.json: absent on x86_64: socketcall\n"
			 "x86.json: absent on aarch64: fork, socketcall, vfork\n"
			 "x86.json: 0 errors, 0 warnings\n"
			 "everywhere.json: 0 errors, 0 warnings\n"
			 "status 0\n"
			 "typo.json:1:67: rules[0].syscalls[1]: unknown syscall \"forkk\" (did "
			 "you mean \"fork\"?)\n"
			 "typo.json: absent on aarch64: fork\n"
			 "typo.json: 1 error, 0 warnings\n"
			 "status 125\n");
	ck_assert_str_eq(r.err, "");
}
END_TEST

/* Modes that exclude each other are refused in one line, whichever comes first. */
START_TEST(conflicting_modes_refused)
{
	static const char *const cases[][2] = {
		{"$S --check a.json --list-groups",
		 "sandbox: --check and --list-groups cannot be used together\n" HINT},
		{"$S --dump-filter --check a.json",
		 "sandbox: --dump-filter and --check cannot be used together\n" HINT},
		{"$S --print-default-policy --dump-filter",
		 "sandbox: --print-default-policy and --dump-filter cannot be used "
		 "together\n" HINT},
		{"$S --attach 1 --learn out.json",
		 "sandbox: --attach and --learn cannot be used together\n" HINT},
		{"$S --learn out.json --attach 1",
		 "sandbox: --learn and --attach cannot be used together\n" HINT},
		{"$S --learn out.json --check a.json",
		 "sandbox: --learn and --check cannot be used together\n" HINT},
		{"$S --attach 1 true", "sandbox: unexpected program \"true\" (--attach runs "
				       "nothing)\n" HINT},
		{"$S --check a.json -- true",
		 "sandbox: --check runs no program (\"true\" after --)\n" HINT},
		{"$S --dump-filter true",
		 "sandbox: unexpected argument \"true\" (--dump-filter runs no program)\n" HINT},
		{"$S --list-groups a b",
		 "sandbox: --list-groups takes at most one group name\n" HINT},
		{"$S --list-groups=a b",
		 "sandbox: --list-groups takes at most one group name\n" HINT},
		{"$S --log l --list-groups",
		 "sandbox: --log and --list-groups cannot be used together\n" HINT},
		{"$S -o t.txt --dump-filter",
		 "sandbox: --trace-output and --dump-filter cannot be used together\n" HINT},
		{"$S -p judge --check a.json",
		 "sandbox: --policy and --check cannot be used together\n" HINT},
	};

	expect_usage(cases, sizeof(cases) / sizeof(cases[0]));
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
	tc = tcase_create("command line");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, optional_value_given_with_a_space);
	tcase_add_test(tc, option_errors_in_getopts_terms);
	tcase_add_test(tc, list_groups_with_equals);
	tcase_add_test(tc, durations_in_minutes_hours_days);
	tcase_add_test(tc, policy_from_stdin_fifo_and_each_failure);
	tcase_add_test(tc, shipped_name_shadowing_a_file);
	tcase_add_test(tc, report_for_every_error_after_r);
	tcase_add_test(tc, learn_output_checked_first_and_never_replaced);
	tcase_add_test(tc, learn_names_a_base_file_from_the_output);
	tcase_add_test(tc, chdir_errors_name_the_directory);
	tcase_add_test(tc, check_several_files);
	tcase_add_test(tc, check_names_absent_on_a_cpu);
	tcase_add_test(tc, conflicting_modes_refused);
	tcase_add_test(tc, outputs_never_share_a_file);
	tcase_add_test(tc, report_keeps_text_that_is_not_utf8);
	tcase_add_test(tc, small_caller_stack);
	tcase_add_test(tc, command_supervises_from_its_thread);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return harness_main(tools_suite());
}
