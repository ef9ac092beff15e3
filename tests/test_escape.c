/* SPDX-License-Identifier: MIT */
/*
 * The adversarial suite: every way out we know of, under the embedded
 * default policy. Each attack is first run bare and must work there (else
 * the test is skipped, and says why): so a pass means the sandbox stopped it.
 * Then the supervisor's own faults: killed at random moments, tracees killed
 * from outside, and random system calls from the tracee side.
 */
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char probe[256];

/* Run "sh -c SCRIPT" bare; the probe path is $P in it. */
static void run_sh(struct run *r, const char *script)
{
	char full[2560];
	const char *args[] = {"/bin/sh", "-c", full, NULL};

	snprintf(full, sizeof(full), "export P='%s'; %s", probe, script);
	run_bare(r, args);
}

/* Run the probe under the embedded default policy (no -p), with |opts|. */
#define DEFAULT_PROBE(r, opts, ...) RUN_PROBE_OPTS(r, NULL, opts, __VA_ARGS__)

static void expect_violation(const struct run *r, const char *syscall)
{
	ck_assert_msg(r->status == 200, "status %d, stderr:\n%s", r->status, r->err);
	ck_assert_str_eq(report_str(r, "violation.syscall"), syscall);
}

START_TEST(i386_calls)
{
	struct run r;

	run_sh(&r, "\"$P\" int80 open");
	SKIP_UNLESS(strstr(r.out, "int80=") && !strstr(r.out, "int80=-"), "no i386 emulation");
	DEFAULT_PROBE(&r, NULL, "int80", "open");
	expect_violation(&r, "open");
	ck_assert_str_eq(report_str(&r, "violation.arch"), "i386");
	DEFAULT_PROBE(&r, NULL, "int80", "fork");
	expect_violation(&r, "fork");
}
END_TEST

/* x32: the same call numbers with bit 30 set */
START_TEST(x32_calls)
{
	bool bare_x32;
	struct run r;

	run_sh(&r, "\"$P\" x32");
	bare_x32 = strstr(r.out, "x32-getpid=") && !strstr(r.out, "x32-getpid=-1");
	DEFAULT_PROBE(&r, NULL, "x32");
	expect_violation(&r, "getpid");
	ck_assert_str_eq(report_str(&r, "violation.arch"), "x32");
	/* Killed either way; only the bare half may be missing. */
	SKIP_UNLESS(bare_x32, "the kernel has no x32: the bare x32 call failed, so only the "
			      "sandboxed half ran");
}
END_TEST

/*
 * The supervisor's own check of signal targets: the defence without a PID
 * namespace. By default the call fails with EPERM and is named; with
 * "isolation": {"outside": "kill"} it ends the run as a violation.
 */
static void kill_supervisor_checked(const char *mode)
{
	static const char kill_policy[] =
		"{\"extends\": \"default\", \"isolation\": {\"outside\": \"kill\"}}";
	/* Without a user namespace, root's program must be someone else (--user). */
	const char *opts[] = {"--isolation", mode, geteuid() ? NULL : "--user", "65534", NULL};
	const char *args[] = {"/bin/sh", "-c", "kill -9 $PPID; echo after=$?", NULL};
	char rep[300], pol[300], script[1400];
	struct run r;

	run_sandbox(&r, NULL, opts, args);
	ck_assert_msg(r.status == 0, "status %d:\n%s", r.status, r.err);
	assert_has(r.out, "after=1");
	assert_has(r.err, "denied kill(");
	assert_has(r.err, "= -1 EPERM (its target, pid ");
	assert_has(r.err, "is outside the sandbox)");
	run_sandbox(&r, kill_policy, opts, args);
	expect_violation(&r, "kill");
	assert_lacks(r.out, "after");
	assert_has(r.err, "is outside the sandbox)");
	/*
	 * The sandbox gets a process group of its own (setsid -w), so that a
	 * broken defence kills only it, never this test or the test runner.
	 */
	tmp_path(rep, sizeof(rep), "group.json");
	tmp_path(pol, sizeof(pol), "outside-kill.json");
	write_file(pol, kill_policy, 0644);
	for (int pass = 0; pass < 2; pass++) {
		snprintf(
			script, sizeof(script),
			"setsid -w '%s' --isolation %s %s %s%s -r '%s' -- \"$P\" kill-parent-group "
			"2>&1; echo status=$?",
			sbx_bin(), mode, geteuid() ? "" : "--user 65534", pass ? "-p " : "",
			pass ? pol : "", rep);
		run_sh(&r, script);
		assert_has(r.out, "(its target, process group ");
		assert_has(r.out, pass ? "status=200" : "status=0");
		slurp(rep, r.report, sizeof(r.report));
		ck_assert_str_eq(report_str(&r, "status"), pass ? "violation" : "exited");
	}
}

/*
 * A pid that no longer exists, or a child that exited and is a zombie,
 * gets the kernel's own answer (ESRCH, 0), in every mode: shells probe
 * pids with kill -0, and the JVM probes the stale pids of
 * /tmp/hsperfdata_USER with kill(pid, 0). Never a violation.
 */
START_TEST(signals_to_gone_and_zombie_pids)
{
	static const char script[] = "import os, signal, time\n"
				     "def answer(pid, sig):\n"
				     "    try:\n"
				     "        os.kill(pid, sig)\n"
				     "        return '0'\n"
				     "    except OSError as e:\n"
				     "        return e.strerror\n"
				     "p = os.fork()\n"
				     "if p == 0:\n"
				     "    os._exit(0)\n"
				     "time.sleep(0.3)\n"
				     "print('zombie=' + answer(p, signal.SIGTERM))\n"
				     "os.waitpid(p, 0)\n"
				     "print('gone=' + answer(p, 0))\n"
				     "print('never=' + answer(0x7ffffff0, 0))\n";
	const char *args[] = {"/usr/bin/python3", "-c", script, NULL};
	static const char *const modes[] = {"namespaces", "landlock", "none"};
	struct run r;

	run_bare(&r, args);
	assert_has(r.out, "zombie=0\ngone=No such process\nnever=No such process\n");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const char *opts[] = {"--isolation", modes[i], geteuid() ? NULL : "--user", "65534",
				      NULL};

		run_sandbox(&r, NULL, opts, args);
		ck_assert_msg(r.status == 0, "%s: status %d:\n%s", modes[i], r.status, r.err);
		assert_has(r.out, "zombie=0\ngone=No such process\nnever=No such process\n");
		assert_lacks(r.err, "outside the sandbox");
	}
}
END_TEST

START_TEST(kill_the_supervisor)
{
	char script[600];
	struct run r;

	/* bare: the parent dies */
	run_sh(&r, "sh -c 'kill -9 $PPID'; echo parent-alive");
	ck_assert_int_eq(r.status, 128 + SIGKILL);
	/* its process group */
	run_sh(&r, "setsid sh -c '\"$P\" kill-parent-group; echo survived'");
	assert_lacks(r.out, "survived");
	DEFAULT_PROBE(&r, NULL, "exit", "0"); /* warm-up: the default policy runs the probe */
	ck_assert_int_eq(r.status, 0);

	/*
	 * With namespaces (the default) the parent the program sees is the
	 * sandbox's init, which ignores signals it has no handler for; the
	 * supervisor and everything else outside have no pid in the
	 * program's world. kill -0 only asks whether a pid can be signalled.
	 */
	snprintf(script, sizeof(script),
		 "kill -9 $PPID; echo after; kill -0 %d 2>/dev/null && echo outside-visible || "
		 "echo outside-unreachable",
		 (int)getpid());
	{
		const char *args[] = {"/bin/sh", "-c", script, NULL};

		run_sandbox(&r, NULL, NULL, args);
		ck_assert_msg(r.status == 0, "status %d:\n%s", r.status, r.err);
		assert_has(r.out, "after");
		assert_has(r.out, "outside-unreachable");
	}
	/* Without a PID namespace, the supervisor's check of every signal's target. */
	kill_supervisor_checked("landlock");
	kill_supervisor_checked("none");
}
END_TEST

/* kill(-1) only ever inside a PID namespace this test makes. */
START_TEST(kill_everything_in_a_pid_namespace)
{
	char script[2048];
	const char *ns = geteuid() == 0
				 ? "unshare --pid --fork --mount-proc"
				 : "unshare --user --map-current-user --pid --fork --mount-proc";
	struct run r;

	snprintf(script, sizeof(script),
		 "%s sh -c 'sleep 30 & S=$!; \"$P\" kill-all; sleep 0.2; "
		 "kill -0 $S 2>/dev/null && echo sleeper-alive || echo sleeper-dead; kill $S'",
		 ns);
	run_sh(&r, script);
	SKIP_UNLESS(strstr(r.out, "sleeper-dead"), "cannot make a PID namespace here");
	/*
	 * The sandbox's own PID namespace: kill(-1) reaches every process of
	 * the sandbox but its init and the caller (the shell that started the
	 * probe dies of it, and with it the run), nothing outside.
	 */
	snprintf(script, sizeof(script),
		 "%s sh -c 'sleep 30 & S=$!; \"%s\" -q -- sh -c \"\\\"$P\\\" kill-all; "
		 "echo shell-survived\"; echo status=$?; "
		 "kill -0 $S 2>/dev/null && echo sleeper-alive || echo sleeper-dead; kill $S'",
		 ns, sbx_bin());
	run_sh(&r, script);
	assert_has(r.out, "status=137");
	assert_lacks(r.out, "shell-survived");
	assert_has(r.out, "sleeper-alive");
	/* Without one, the supervisor refuses it (EPERM): aimed at every process. */
	snprintf(script, sizeof(script),
		 "%s sh -c 'sleep 30 & S=$!; \"%s\" -q --isolation landlock %s -- \"$P\" kill-all; "
		 "echo status=$?; kill -0 $S 2>/dev/null && echo sleeper-alive || echo "
		 "sleeper-dead; kill $S'",
		 ns, sbx_bin(), geteuid() ? "" : "--user 65534");
	run_sh(&r, script);
	assert_has(r.out, "kill-all=-1 errno=EPERM");
	assert_has(r.out, "status=0");
	assert_has(r.out, "sleeper-alive");
}
END_TEST

START_TEST(ptrace_and_memory_of_the_supervisor)
{
	struct run r;

	run_sh(&r, "\"$P\" ptrace-parent");
	SKIP_UNLESS(strstr(r.out, "ptrace-attach=0"), "ptrace of a parent is refused here (Yama)");
	DEFAULT_PROBE(&r, NULL, "ptrace-parent");
	expect_violation(&r, "ptrace");
	run_sh(&r, "\"$P\" vm-write-parent");
	assert_has(r.out, "vm-write=1"); /* one byte written into the parent */
	DEFAULT_PROBE(&r, NULL, "vm-write-parent");
	expect_violation(&r, "process_vm_writev");
}
END_TEST

/*
 * Without a PID namespace, a policy that lets ptrace and process_vm_readv
 * run (Docker's profile does) still cannot reach a process outside: the
 * supervisor checks their pid as it checks a signal's. The victim is an
 * ordinary process of the same user (the supervisor itself is not
 * dumpable, so the kernel would refuse that one anyway).
 */
START_TEST(memory_of_an_outside_process)
{
	static const char allow[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}";
	char pol[300], script[1600];
	const char *sandboxed;
	struct run r;

	tmp_path(pol, sizeof(pol), "oci-allow.json");
	write_file(pol, allow, 0644);
	/* As nobody: the victim and the program share a user that owns nothing else. */
	snprintf(script, sizeof(script),
		 "%s sh -c 'sleep 30 & v=$!; \"$P\" reach-pid $v; echo ---; "
		 "\"%s\" --isolation none -p \"%s\" -- \"$P\" reach-pid $v 2>&1; "
		 "kill $v'",
		 geteuid() ? "" : "setpriv --reuid=65534 --regid=65534 --clear-groups", sbx_bin(),
		 pol);
	run_sh(&r, script);
	/* bare, the attack works */
	SKIP_UNLESS(strstr(r.out, "vm-read=8 errno=0\nptrace-attach=0"),
		    "reading a sibling's memory is refused here (Yama?)");
	sandboxed = strstr(r.out, "---");
	ck_assert_msg(sandboxed, "%s\n%s", r.out, r.err);
	assert_has(sandboxed, "vm-read=-1 errno=EPERM");
	assert_has(sandboxed, "ptrace-attach=-1 errno=EPERM");
	assert_has(sandboxed, "is outside the sandbox)");
}
END_TEST

/*
 * The same for who gets a descriptor's SIGIO: F_SETOWN names a pid in a
 * register (checked), F_SETOWN_EX in memory (refused without a PID
 * namespace); the caller itself stays allowed.
 */
START_TEST(sigio_for_an_outside_process)
{
	/*
	 * The victim's end, without a race: a SIGIO kill leaves a zombie
	 * (waited for up to 5 s), then SIGTERM and wait say how it ended:
	 * 157 (SIGIO) or 143 (alive until the SIGTERM).
	 */
	static const char ending[] =
		"i=0; while [ $i -lt 50 ] && ! grep -q \") Z \" /proc/$v/stat 2>/dev/null; do "
		"sleep 0.1; i=$((i+1)); done; kill $v 2>/dev/null; wait $v; "
		"echo victim-status=$?";
	char script[1800];
	const char *sandboxed, *bare_setown, *bare_gone;
	struct run r;

	snprintf(script, sizeof(script),
		 "%s sh -c 'sleep 30 & v=$!; \"$P\" sigio-pid $v; %s; echo ---; "
		 "sleep 30 & v=$!; \"%s\" --isolation none -- \"$P\" sigio-pid $v 2>&1; "
		 "sleep 0.3; kill $v; wait $v; echo victim-status=$?'",
		 geteuid() ? "" : "setpriv --reuid=65534 --regid=65534 --clear-groups", ending,
		 sbx_bin());
	run_sh(&r, script);
	sandboxed = strstr(r.out, "---");
	ck_assert_msg(sandboxed, "%s\n%s", r.out, r.err);
	/* bare, the attack works */
	bare_setown = strstr(r.out, "setown=0 errno=0");
	bare_gone = strstr(r.out, "victim-status=157");
	ck_assert_msg(bare_setown && bare_setown < sandboxed && bare_gone && bare_gone < sandboxed,
		      "%s", r.out);
	assert_has(sandboxed, "setown=-1 errno=EPERM");
	assert_has(sandboxed, "setown-ex=-1 errno=EPERM");
	assert_has(sandboxed, "setown-self=0 errno=0");
	assert_has(sandboxed, "is outside the sandbox)");
	assert_has(sandboxed, "its target is in memory");
	assert_has(sandboxed, "victim-status=143");
}
END_TEST

/*
 * Without a PID namespace (--isolation none), a pidfd's process is looked
 * up in the caller's descriptor table at the stop; another thread swaps a
 * pidfd of a process outside in over it before the call runs. The bare
 * shell's sleeper is the victim: SIGUSR1 would end it (138); alive, it
 * ends of the SIGTERM after the run (143). Landlock's signal scope (ABI 6)
 * is the kernel's answer; without it the race is open.
 */
START_TEST(pidfd_swapped_after_the_look)
{
	char script[900];
	struct run r;

	SKIP_UNLESS(syscall(SYS_landlock_create_ruleset, NULL, 0, 1) >= 6,
		    "no Landlock signal scope (ABI 6) here");
	for (int i = 0; i < 2; i++) {
		snprintf(script, sizeof(script),
			 "sleep 30 & v=$!; \"%s\" -q --isolation none --decisions %s -- "
			 "\"$P\" pidfd-swap $v 100000; echo status=$?; kill $v; wait $v; "
			 "echo victim-status=$?",
			 sbx_bin(), i ? "notify" : "ptrace");
		run_sh(&r, script);
		assert_has(r.out, "pidfd-swap sent=");
		assert_lacks(r.out, "pidfd-swap sent=0\n"); /* the inside half went through */
		assert_has(r.out, "status=0\n");
		assert_has(r.out, "victim-status=143\n");
	}
}
END_TEST

START_TEST(io_uring_open)
{
	char secret[300];
	struct run r;

	tmp_path(secret, sizeof(secret), "secret");
	write_file(secret, "S\n", 0600);
	{
		char script[600];

		snprintf(script, sizeof(script), "\"$P\" uring-open '%s'", secret);
		run_sh(&r, script);
	}
	SKIP_UNLESS(strstr(r.out, "uring-open=") && !strstr(r.out, "uring-open=-"),
		    "io_uring is not available here");
	DEFAULT_PROBE(&r, NULL, "uring-open", secret);
	expect_violation(&r, "io_uring_setup");
}
END_TEST

START_TEST(fileless_exec_and_untraced_child)
{
	struct run r;

	run_sh(&r, "\"$P\" memfd-exec /bin/echo");
	ck_assert_int_eq(r.status, 0);
	assert_lacks(r.out, "memfd-exec="); /* it printed only when execveat failed */
	DEFAULT_PROBE(&r, NULL, "memfd-exec", "/bin/echo");
	expect_violation(&r, "execveat");
	run_sh(&r, "\"$P\" untraced");
	assert_has(r.out, "untraced-child=1");
	DEFAULT_PROBE(&r, NULL, "untraced");
	expect_violation(&r, "clone");
	assert_lacks(r.out, "untraced-child");
}
END_TEST

START_TEST(setuid_gains_nothing)
{
	char copy[300], cmd[1024];
	const char *opts[] = {"--user", "65534", "--group", "65534", NULL};
	const char *args[] = {copy, "-u", NULL};
	struct run r;

	SKIP_UNLESS(geteuid() == 0, "needs root to make a setuid file");
	tmp_path(copy, sizeof(copy), "id-suid");
	snprintf(cmd, sizeof(cmd), "cp /usr/bin/id '%s' && chown 0:0 '%s' && chmod 4755 '%s'", copy,
		 copy, copy);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups '%s' -u",
		 copy);
	{
		const char *bare[] = {"/bin/sh", "-c", cmd, NULL};

		run_bare(&r, bare);
	}
	SKIP_UNLESS(strcmp(r.out, "0\n") == 0, "setuid does not work here (nosuid mount?)");
	run_sandbox(&r, NULL, opts, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "65534\n"); /* no_new_privs: the setuid bit gave nothing */
}
END_TEST

START_TEST(hard_rlimits_stay)
{
	const char *opts[] = {"--open-files", "64", NULL};
	const char *caps[] = {"/bin/grep", "^CapEff:", "/proc/self/status", NULL};
	struct run r;

	/* Whoever starts it, the program holds no capability, CAP_SYS_RESOURCE included. */
	run_sandbox(&r, NULL, NULL, caps);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "CapEff:\t0000000000000000\n");
	DEFAULT_PROBE(&r, opts, "raise-nofile");
	assert_has(r.out, "raise-hard=-1 errno=EPERM");
	/* The control: bare, with CAP_SYS_RESOURCE, the same call raises the limit. */
	run_sh(&r, "prlimit --nofile=64:64 \"$P\" raise-nofile");
	SKIP_UNLESS(strstr(r.out, "raise-hard=0"),
		    "not run bare with CAP_SYS_RESOURCE, the raise fails here anyway");
}
END_TEST

START_TEST(no_typing_into_the_terminal)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	char *argv[] = {(char *)sbx_bin(), "-q", "--", probe, "tiocsti", NULL};
	char *bare[] = {probe, "tiocsti", NULL};
	char out[300], text[256];
	int slave, status;
	pid_t pid;

	SKIP_UNLESS(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0, "no pty");
	slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(slave, 0);
	for (int pass = 0; pass < 2; pass++) {
		tmp_path(out, sizeof(out), "tiocsti-out");
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

			dup2(slave, 0);
			dup2(o, 1);
			execv(pass ? argv[0] : bare[0], pass ? argv : bare);
			_exit(121);
		}
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		slurp(out, text, sizeof(text));
		if (pass == 0 && !strstr(text, "tiocsti=0")) {
			close(slave);
			close(master);
			SKIP_UNLESS(0, "TIOCSTI does not work bare here");
		}
		if (pass == 1) {
			ck_assert_int_eq(WEXITSTATUS(status), 200);
			assert_lacks(text, "tiocsti=");
		}
	}
	close(slave);
	close(master);
}
END_TEST

/* A filter the program stacks returns TRACE with data of its choosing. */
START_TEST(forged_trace_data)
{
	char expect[64];
	struct run r;

	run_sh(&r, "\"$P\" stack-filter");
	assert_has(r.out, "stack=0 errno=0");
	assert_has(r.out, "getppid=-1 errno=ENOSYS"); /* bare: TRACE with no tracer */
	DEFAULT_PROBE(&r, NULL, "stack-filter");
	ck_assert_int_eq(r.status, 0);
	snprintf(expect, sizeof(expect), "getppid=%d errno=0", 1); /* the sandbox's init */
	assert_has(r.out, expect); /* the forged data changed nothing */
}
END_TEST

START_TEST(notify_listener_pre_empts_nothing)
{
	char dir[300], script[600];
	struct run r;

	tmp_path(dir, sizeof(dir), "notified");
	snprintf(script, sizeof(script), "\"$P\" notify-mkdir '%s'", dir);
	run_sh(&r, script);
	assert_has(r.out, "mkdir=0 errno=0"); /* bare: the listener answered */
	ck_assert_int_eq(rmdir(dir), 0);
	DEFAULT_PROBE(&r, NULL, "notify-mkdir", dir);
	expect_violation(&r, "seccomp");
	assert_lacks(r.out, "mkdir=");
	ck_assert_int_eq(access(dir, F_OK), -1);
}
END_TEST

static bool has_uid(pid_t pid, const char *cmdline, size_t len, void *uid)
{
	char path[64], buf[2048];
	const char *line;

	(void)cmdline, (void)len;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	slurp(path, buf, sizeof(buf));
	line = strstr(buf, "\nUid:\t");
	return line && strtoul(line + 6, NULL, 10) == *(uid_t *)uid;
}

START_TEST(fork_bomb)
{
	char script[1024], token[64], *p;
	const char *opts[] = {"--processes", "20", "--wall-time", "1", NULL};
	bool root = geteuid() == 0;
	uid_t uid = root ? 65534 : getuid();
	struct run r;

	snprintf(token, sizeof(token), "bomb-%d", (int)getpid());
	/*
	 * Bare, the bomb grows until the kernel's limit: here an RLIMIT_NPROC 40
	 * above what its user already runs (a PID namespace alone would let it
	 * take the whole machine), for 100 ms, in a PID namespace of its own
	 * that ends with its first process and takes the bomb along.
	 */
	snprintf(script, sizeof(script),
		 "%s %s sh -c 'prlimit --nproc=%d \"$P\" forkbomb %s & sleep 0.1; "
		 "echo procs=$(ls /proc | grep -c \"^[0-9]\")'",
		 root ? "unshare --pid --fork --mount-proc"
		      : "unshare --user --map-root-user --pid --fork --mount-proc",
		 root ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "",
		 count_procs(has_uid, &uid) + 40, token);
	run_sh(&r, script);
	p = strstr(r.out, "procs=");
	SKIP_UNLESS(p, "cannot make a PID namespace here");
	ck_assert_msg(atoi(p + 6) > 21, "the bare bomb made only %s", p);
	for (int i = 0; i < 200 && count_with_token(token); i++)
		sleep_ms(10);
	ck_assert_int_eq(count_with_token(token), 0);

	DEFAULT_PROBE(&r, opts, "forkbomb", token);
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(report_str(&r, "status"), "wall_time_limit");
	ck_assert_int_le(report_int(&r, "processes"), 20);
	ck_assert_int_ge(report_int(&r, "processes"), 2);
	ck_assert_int_eq(count_with_token(token), 0);
}
END_TEST

START_TEST(orphan_writes_after_the_end)
{
	char file[300], script[600];
	const char *p;
	struct run r;

	tmp_path(file, sizeof(file), "escaped");
	snprintf(script, sizeof(script), "\"$P\" orphan '%s'", file);
	run_sh(&r, script);
	for (int i = 0; i < 300 && access(file, F_OK) != 0; i++)
		sleep_ms(10);
	ck_assert_int_eq(access(file, F_OK), 0); /* bare: it outlived its parents */
	unlink(file);

	DEFAULT_PROBE(&r, NULL, "orphan", file);
	ck_assert_int_eq(r.status, 0);
	p = strstr(r.out, "orphan=");
	ck_assert_ptr_nonnull(p);
	/* Its pid is one of the sandbox's PID namespace: found by its command line. */
	ck_assert_int_eq(count_with_token(file), 0);
	sleep_ms(1500);
	ck_assert_int_eq(access(file, F_OK), -1);
}
END_TEST

/* The state letter of /proc/PID/stat, or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	slurp(path, buf, sizeof(buf));
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

START_TEST(stopped_forever)
{
	char *bare[] = {probe, "stop-forever", NULL};
	const char *opts[] = {"--wall-time", "0.5", NULL};
	struct run r;
	pid_t pid = start(bare, NULL, NULL);
	int status;

	sleep_ms(300);
	ck_assert_int_eq(proc_state(pid), 'T'); /* bare: stopped, and would stay so */
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);

	DEFAULT_PROBE(&r, opts, "stop-forever");
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(report_str(&r, "status"), "wall_time_limit");
	assert_lacks(r.out, "continued=");
}
END_TEST

/* --- faults ------------------------------------------------------------------------ */

/*
 * Processes running the probe with |token| that have no seccomp filter:
 * none may ever exist, the probe's code runs only after the filter is in.
 */
static bool unfiltered(pid_t pid, const char *cmdline, size_t len, void *token)
{
	char path[64], buf[2048];
	const char *line;

	if (strcmp(cmdline, probe) != 0 || !memmem(cmdline, len, token, strlen(token)))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	slurp(path, buf, sizeof(buf));
	line = strstr(buf, "\nSeccomp:");
	if (!line || strncmp(line, "\nSeccomp:\t2", 11) == 0)
		return false; /* gone already, or filtered */
	fprintf(stderr, "pid %d runs unfiltered: %.20s\n", (int)pid, line + 1);
	return true;
}

/* Kill the supervisor at moments from the first microseconds to well into the run. */
START_TEST(supervisor_killed_at_random)
{
	char token[64];
	unsigned int seed = (unsigned int)getpid();

	snprintf(token, sizeof(token), "sbx-kill-token-%d", (int)getpid());
	for (int i = 0; i < 25; i++) {
		char *argv[] = {(char *)sbx_bin(), "-q",     "--",  probe,
				"fork-storm",	   "100000", token, NULL};
		char *tree[] = {(char *)sbx_bin(), "-q",  "--processes", "20", "--", probe,
				"forkbomb",	   token, NULL};
		long delay_us =
			i < 10 ? (long)(rand_r(&seed) % 3000) : (long)(rand_r(&seed) % 60000);
		pid_t pid = start(i % 2 ? tree : argv, NULL, NULL);
		struct timespec ts = {0, delay_us * 1000};
		int status;

		nanosleep(&ts, NULL);
		ck_assert_int_eq(count_procs(unfiltered, token), 0);
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		/* EXITKILL and PDEATHSIG end every tracee; give the kernel a moment. */
		for (int k = 0; k < 100 && count_with_token(token); k++)
			sleep_ms(10);
		ck_assert_msg(count_with_token(token) == 0, "a tracee survived (round %d, %ld us)",
			      i, delay_us);
	}
}
END_TEST

/*
 * The program killed in its start-up, before its exec and before it could
 * say why (a ^C, an outside kill): the run must end, never wait for a
 * reason that cannot come. The fault is injected into the supervisor with
 * LD_PRELOAD (tests/progs/die_before_exec.c), which also holds the init
 * back from closing its descriptors, the moment at which the supervisor
 * used to wait for ever on the error pipe (shown with the build before
 * the fix: every run hung).
 */
START_TEST(program_killed_before_its_exec)
{
	char lib[300];
	char *argv[] = {(char *)sbx_bin(), "-q", "--", "/bin/true", NULL};

	prog_path(lib, sizeof(lib), "die_before_exec.so");
	ck_assert_int_eq(access(lib, R_OK), 0);
	for (int i = 0; i < 5; i++) {
		int status = 0, waited = 0;
		pid_t pid = fork();

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			int devnull = open("/dev/null", O_WRONLY);

			dup2(devnull, 1);
			dup2(devnull, 2);
			setenv("LD_PRELOAD", lib, 1);
			/* The ASan build's runtime would insist on coming first. */
			setenv("ASAN_OPTIONS", "verify_asan_link_order=0:detect_leaks=0", 1);
			execv(argv[0], argv);
			_exit(121);
		}
		/* A run takes about 0.1 s here; 20 s without an end is a hang. */
		while (waitpid(pid, &status, WNOHANG) == 0 && waited < 2000) {
			sleep_ms(10);
			waited++;
		}
		if (waited == 2000) {
			kill(pid, SIGKILL); /* ours; its init dies with it (PDEATHSIG) */
			waitpid(pid, &status, 0);
			ck_abort_msg("run %d never ended after its program died before exec", i);
		}
		/* The program died of SIGKILL: the run says so in its exit status. */
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGKILL,
			      "run %d: status %#x", i, status);
	}
}
END_TEST

START_TEST(tracee_killed_from_outside)
{
	char out[300], rep[300], text[256];
	char *argv[] = {(char *)sbx_bin(), "-q", "-r", rep, "--", probe, "sigterm", NULL};
	struct run r;
	pid_t pid, victim = 0;

	tmp_path(out, sizeof(out), "out");
	tmp_path(rep, sizeof(rep), "report.json");
	pid = start(argv, out, NULL);
	for (int i = 0; i < 500 && !victim; i++) {
		sleep_ms(10);
		slurp(out, text, sizeof(text));
		if (strncmp(text, "ready ", 6) == 0)
			victim = atoi(text + 6);
	}
	ck_assert_int_gt(victim, 0);
	/* It printed its pid in its own namespace; ours is another number. */
	victim = sandbox_host_pid(pid, victim);
	ck_assert_int_gt(victim, 1);
	ck_assert_int_eq(kill(victim, SIGKILL), 0);
	ck_assert_int_eq(finish(pid), 128 + SIGKILL);
	memset(&r, 0, sizeof(r));
	slurp(rep, r.report, sizeof(r.report));
	ck_assert_str_eq(report_str(&r, "status"), "signaled");
	ck_assert_str_eq(report_str(&r, "signal_name"), "SIGKILL");
}
END_TEST

/* A field of /proc/PID/status ("TracerPid", "PPid") as a number, or -1. */
static long status_field(pid_t pid, const char *name)
{
	char path[64], buf[2048], key[32];
	const char *line;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	slurp(path, buf, sizeof(buf));
	snprintf(key, sizeof(key), "\n%s:\t", name);
	line = strstr(buf, key);
	return line ? atol(line + strlen(key)) : -1;
}

struct storm {
	pid_t supervisor;
	bool spare_main; /* the sandbox's init (the supervisor's child) and the program (its child)
			  */
};

/*
 * Kill |pid| if the supervisor traces it (found by its TracerPid,
 * world-readable: the supervising thread, whose Tgid is the supervisor).
 */
static bool storm_kill(pid_t pid, const char *cmdline, size_t len, void *arg)
{
	const struct storm *st = arg;
	long tracer;

	(void)cmdline, (void)len;
	tracer = status_field(pid, "TracerPid");
	if (tracer <= 0 || status_field((pid_t)tracer, "Tgid") != st->supervisor)
		return false;
	if (st->spare_main && (status_field(pid, "PPid") == st->supervisor ||
			       status_field(status_field(pid, "PPid"), "PPid") == st->supervisor))
		return false;
	return kill(pid, SIGKILL) == 0;
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/*
 * Tracees SIGKILLed from outside while the supervisor works on them: every
 * ptrace call it makes may now meet ESRCH. Only the supervisor's tracees
 * are killed (not, say, a sanitizer's helper task of the supervisor).
 */
START_TEST(tracees_killed_in_a_storm)
{
	char rep[300], token[64];
	char *argv[] = {(char *)sbx_bin(),
			"-q",
			"-r",
			rep,
			"--processes",
			"30",
			"--wall-time",
			"2",
			"--",
			probe,
			"forkbomb",
			token,
			NULL};
	struct run r;

	snprintf(token, sizeof(token), "storm-%d", (int)getpid());
	for (int round = 0; round < 4; round++) {
		pid_t pid;
		int killed = 0, status = -1;
		struct timespec t0, now;

		tmp_path(rep, sizeof(rep), "storm.json");
		pid = start(argv, NULL, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			/* The main process is spared the first rounds, then it goes too. */
			struct storm st = {pid, round < 2};
			int w;

			killed += count_procs(storm_kill, &st);
			sleep_ms(1);
			clock_gettime(CLOCK_MONOTONIC, &now);
			w = waitpid(pid, &status, WNOHANG);
			ck_assert_int_ge(w, 0);
			if (w == pid)
				status = WIFEXITED(status) ? WEXITSTATUS(status)
							   : 128 + WTERMSIG(status);
			else
				status = -1;
			/* A full second (comparing tv_sec alone could stop after 1 ms). */
		} while (ms_between(&t0, &now) < 1000 && status < 0);
		if (status < 0)
			status = finish(pid);
		ck_assert_msg(killed > 0, "round %d killed nothing", round);
		/*
		 * The wall time, or the main process killed by the storm; or,
		 * when the bomb reached its 30 processes before that, the
		 * refused fork, which is the verdict of a run that then ends
		 * without a fatal cause of its own (docs/judge.md).
		 */
		ck_assert_msg(status == 202 || status == 128 + SIGKILL || status == 205,
			      "round %d: status %d", round, status);
		memset(&r, 0, sizeof(r));
		slurp(rep, r.report, sizeof(r.report));
		ck_assert_str_eq(report_str(&r, "status"), status == 202   ? "wall_time_limit"
							   : status == 205 ? "process_limit"
									   : "signaled");
		ck_assert_int_eq(count_with_token(token), 0);
	}
}
END_TEST

/*
 * Random system calls with random arguments under the default policy: the
 * supervisor must end every run with a verdict, never crash or hang, and
 * leave nothing behind. Writes go only to a scratch directory (Landlock),
 * and as root the program runs as nobody.
 */
START_TEST(random_syscalls_from_the_tracee)
{
	char dir[300], pol[300], text[1024], token[64], seed[16];
	long made = 0;
	/*
	 * Random calls can make a memfd and fallocate() gigabytes into it: the
	 * memory limit counts memfds, and RLIMIT_FSIZE (--output) holds each
	 * file to a size the machine can afford.
	 */
	const char *root_opts[] = {"-q",	  "-p",	      pol,	     "--chdir", dir,
				   "--wall-time", "5",	      "--processes", "64",	"--memory",
				   "512M",	  "--output", "64M",	     "--user",	"65534",
				   "--group",	  "65534",    NULL};
	const char *opts[] = {"-q",	     "-p",	 pol,		"--chdir", dir,
			      "--wall-time", "5",	 "--processes", "64",	   "--memory",
			      "512M",	     "--output", "64M",		NULL};
	struct run r;

	tmp_path(dir, sizeof(dir), "scratch");
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	tmp_path(pol, sizeof(pol), "fuzz-policy.json");
	snprintf(text, sizeof(text),
		 "{\"extends\": \"default\", \"filesystem\": {\"read\": [\"/\"], \"write\": "
		 "[\"%s\"], "
		 "\"exec\": [\"/usr\", \"/lib\", \"/lib64\", \"%s\"]}}",
		 dir, getenv("SBX_PROGS"));
	write_file(pol, text, 0644);
	snprintf(token, sizeof(token), "randsys-%d", (int)getpid());
	/*
	 * At least 12 seeds, more while fewer than 60,000 calls were made: a
	 * seed whose random calls kill the program early (a signal to itself,
	 * a wild pointer) ends its run after a few thousand calls, and the
	 * same seed does not always end the same way (pids, descriptors and
	 * timing differ between runs).
	 */
	for (int i = 0; i < 36 && (i < 12 || made < 60000); i++) {
		char progress[400], buf[8192];
		const char *last = NULL;
		ssize_t len;
		int fd;

		snprintf(seed, sizeof(seed), "%d", i * 7919 + (int)getpid());
		/*
		 * The scratch directory is the program's to write, and so to
		 * break: a random chmod() or rmdir() of its own working
		 * directory must not fail the next seed's start. Made again.
		 */
		if (mkdir(dir, 0777) < 0)
			ck_assert_int_eq(errno, EEXIST);
		ck_assert_int_eq(chmod(dir, 0777), 0);
		snprintf(progress, sizeof(progress), "%s/progress-%d", dir, i);
		RUN_PROBE_OPTS(&r, NULL, geteuid() == 0 ? root_opts : opts, "randsys", seed,
			       "20000", token, progress);
		/* The last "made=N" line (random writes may have put NULs around it). */
		fd = open(progress, O_RDONLY | O_CLOEXEC);
		len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : 0;
		if (fd >= 0)
			close(fd);
		for (char *p = buf; len > 0 && (p = memmem(p, (size_t)(buf + len - p), "made=", 5));
		     p += 5)
			last = p + 5;
		if (last)
			made += atol(last);
		printf("randsys seed %s: %s, %ld calls made\n", seed, report_str(&r, "status"),
		       last ? atol(last) : 0L);
		ck_assert_msg(r.status != 125 && strcmp(report_str(&r, "status"), "error") != 0,
			      "seed %s: the supervisor failed: %s", seed, r.err);
		ck_assert_msg(*report_str(&r, "status"), "seed %s: no report", seed);
		ck_assert_int_eq(count_with_token(token), 0);
	}
	/* The runs went on long enough to matter (up to about 16,000 calls each). */
	ck_assert_msg(made >= 60000, "only %ld random calls made in all", made);
}
END_TEST

static Suite *escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");

	tcase_set_timeout(tc, 120);
	tcase_alone(s, i386_calls, 120);
	tcase_alone(s, x32_calls, 120);
	tcase_add_test(tc, kill_the_supervisor);
	tcase_add_test(tc, signals_to_gone_and_zombie_pids);
	tcase_alone(s, kill_everything_in_a_pid_namespace, 120);
	tcase_alone(s, ptrace_and_memory_of_the_supervisor, 120);
	tcase_alone(s, io_uring_open, 120);
	tcase_add_test(tc, fileless_exec_and_untraced_child);
	tcase_alone(s, setuid_gains_nothing, 120);
	tcase_alone(s, hard_rlimits_stay, 120);
	tcase_alone(s, no_typing_into_the_terminal, 120);
	tcase_add_test(tc, forged_trace_data);
	tcase_add_test(tc, notify_listener_pre_empts_nothing);
	tcase_alone(s, fork_bomb, 120);
	tcase_add_test(tc, orphan_writes_after_the_end);
	tcase_add_test(tc, stopped_forever);
	tcase_add_test(tc, supervisor_killed_at_random);
	tcase_add_test(tc, program_killed_before_its_exec);
	tcase_add_test(tc, tracee_killed_from_outside);
	tcase_alone(s, memory_of_an_outside_process, 120);
	tcase_add_test(tc, sigio_for_an_outside_process);
	tcase_alone(s, pidfd_swapped_after_the_look, 120);
	tcase_add_test(tc, tracees_killed_in_a_storm);
	tcase_add_test(tc, random_syscalls_from_the_tracee);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	prog_path(probe, sizeof(probe), "probe");
	return harness_main(escape_suite());
}
