/* SPDX-License-Identifier: MIT */
/*
 * Host isolation, tested by attack: each attack of tests/progs/hostile.c is
 * run bare first, where it must reach the host (else the test case is
 * skipped, exit 77, and says why), then under the embedded default policy
 * and under the judge policy, where the host must be unchanged and nothing
 * left behind.
 *
 * One Check test case per meson test (CK_RUN_CASE), so that a case the
 * machine cannot run shows as skipped in meson's summary: "root" needs
 * root for its bare halves, "uffd" a kernel that lets this user register a
 * userfaultfd page a reader waits on.
 */
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char hostile[256];
static char hostdir[300]; /* ours, never shown to a sandbox */

static const char *const judge[] = {"-p", "judge", NULL};

static void setup(void)
{
	/* Nothing of the test's own files is visible inside, as for any caller. */
	harness_bind_tmpdir(false);
	tmp_path(hostdir, sizeof(hostdir), "host-only");
	ck_assert_int_eq(mkdir(hostdir, 0755), 0);
}

/* hostile ARGS... bare, and under |opts| (NULL: the default policy). */
#define BARE(r, ...) run_bare(r, (const char *const[]){hostile, __VA_ARGS__, NULL})
#define JAILED(r, opts, ...)                                                                       \
	run_sandbox(r, NULL, opts, (const char *const[]){hostile, __VA_ARGS__, NULL})

/* A process of ours outside every sandbox: the target of the attacks. */
static pid_t start_victim(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	sleep_ms(20);
	return pid;
}

static bool alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static void bury(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * The attack is refused: its "what=" line says -1, or it never got that
 * far (the policy killed it: status 200). Any other value is a success.
 */
static void refused(const struct run *r, const char *what)
{
	char key[64];
	const char *at;

	snprintf(key, sizeof(key), "%s=", what);
	for (at = r->out; (at = strstr(at, key)); at++)
		if ((at == r->out || at[-1] == '\n') && strncmp(at + strlen(key), "-1 ", 3) != 0)
			ck_abort_msg("%s worked in the sandbox (status %d):\n%s%s", what, r->status,
				     r->out, r->err);
	ck_assert_msg(strstr(r->out, key) || r->status == 200,
		      "%s: no answer and not killed by the policy (status %d):\n%s%s", what,
		      r->status, r->out, r->err);
}

/* --- processes ------------------------------------------------------------------------ */

/*
 * Signals through an async pipe's owner, dnotify's owner, a pidfd of
 * /proc/PID, plain kill: each aimed at a process of ours outside.
 */
static void signal_attack(const char *cmd, const char *what)
{
	char pid_s[16];
	pid_t v;
	struct run r;
	bool dnotify = strcmp(cmd, "dnotify-kill") == 0;

	v = start_victim();
	snprintf(pid_s, sizeof(pid_s), "%d", (int)v);
	if (dnotify)
		BARE(&r, cmd, hostdir, pid_s);
	else if (strcmp(cmd, "kill") == 0)
		BARE(&r, cmd, pid_s, "9");
	else
		BARE(&r, cmd, pid_s);
	sleep_ms(50);
	ck_assert_msg(!alive(v), "bare %s did not kill the victim:\n%s", cmd, r.out);
	waitpid(v, NULL, 0);

	for (int pass = 0; pass < 2; pass++) {
		v = start_victim();
		snprintf(pid_s, sizeof(pid_s), "%d", (int)v);
		if (dnotify)
			JAILED(&r, pass ? judge : NULL, cmd, "/tmp", pid_s);
		else if (strcmp(cmd, "kill") == 0)
			JAILED(&r, pass ? judge : NULL, cmd, pid_s, "9");
		else
			JAILED(&r, pass ? judge : NULL, cmd, pid_s);
		sleep_ms(50);
		ck_assert_msg(alive(v), "%s under %s reached the victim:\n%s%s", cmd,
			      pass ? "judge" : "default", r.out, r.err);
		refused(&r, what);
		bury(v);
	}
}

START_TEST(signals_through_owners_and_pidfds)
{
	setup();
	signal_attack("setown-kill", "setown");
	signal_attack("dnotify-kill", "setown");
	signal_attack("pidfd-kill", "open-proc");
	signal_attack("kill", "kill");
}
END_TEST

START_TEST(proc_of_outside_processes)
{
	char pid_s[16];
	pid_t v;
	struct run r;
	int nice_before;

	setup();
	v = start_victim();
	snprintf(pid_s, sizeof(pid_s), "%d", (int)v);
	/* Bare: its memory opens for writing, its environment reads, its nice value changes. */
	BARE(&r, "proc-mem", pid_s);
	assert_lacks(r.out, "open=-1");
	setenv("SBX_VICTIM_WORD", "needle-in-environ", 1);
	bury(v);
	v = start_victim();
	unsetenv("SBX_VICTIM_WORD");
	snprintf(pid_s, sizeof(pid_s), "%d", (int)v);
	BARE(&r, "proc-environ", pid_s, "needle-in-environ");
	assert_has(r.out, "found=1");
	nice_before = getpriority(PRIO_PROCESS, (id_t)v);
	BARE(&r, "renice", pid_s);
	assert_has(r.out, "renice=0 ");
	ck_assert_int_eq(getpriority(PRIO_PROCESS, (id_t)v), 19);
	bury(v);

	v = start_victim();
	snprintf(pid_s, sizeof(pid_s), "%d", (int)v);
	nice_before = getpriority(PRIO_PROCESS, (id_t)v);
	for (int pass = 0; pass < 2; pass++) {
		const char *const *opts = pass ? judge : NULL;

		JAILED(&r, opts, "proc-mem", pid_s);
		refused(&r, "open");
		JAILED(&r, opts, "proc-environ", pid_s, "needle-in-environ");
		assert_lacks(r.out, "found=1");
		JAILED(&r, opts, "renice", pid_s);
		refused(&r, "renice");
		JAILED(&r, opts, "oom-adj", pid_s);
		refused(&r, "open");
	}
	ck_assert_int_eq(getpriority(PRIO_PROCESS, (id_t)v), nice_before);
	ck_assert(alive(v));
	bury(v);
	/* Inside, /proc holds the sandbox's init and the program only. */
	JAILED(&r, NULL, "count-procs");
	assert_has(r.out, "procs=2\n");
}
END_TEST

/*
 * The program is not PID 1: it dies of a signal it has no handler for, as
 * any process does (PID 1 would ignore it). Orphans that exit are reaped
 * by the sandbox's init, not left as zombies.
 */
START_TEST(init_reaps_and_program_is_ordinary)
{
	const char *selfkill[] = {"/bin/sh", "-c", "kill -TERM $$; echo survived", NULL};
	const char *orphans[] = {"/bin/sh", "-c",
				 "for i in 1 2 3; do (sh -c 'exit 0' &); done; sleep 0.5;"
				 "echo zombies=$(grep -l '^State:.Z' /proc/[0-9]*/status | wc -l);"
				 "echo pid=$$",
				 NULL};
	struct run r;

	setup();
	run_sandbox(&r, NULL, NULL, selfkill);
	ck_assert_int_eq(r.status, 128 + SIGTERM);
	assert_lacks(r.out, "survived");
	run_sandbox(&r, NULL, NULL, orphans);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	assert_has(r.out, "zombies=0\n");
	assert_has(r.out, "pid=2\n");
}
END_TEST

/*
 * A policy may allow unshare; a user namespace below the sandbox's would
 * still give the program every capability over what it makes there (and
 * the kernel code they reach): the sandbox's namespace allows none.
 */
START_TEST(no_nested_user_namespaces)
{
	const char *policy = "{\"default\": \"allow\", \"network\": \"off\"}";
	const char *args[] = {"/usr/bin/unshare", "--user", "--map-root-user", "/bin/true", NULL};
	struct run r;

	setup();
	run_bare(&r, args);
	if (r.status != 0) {
		printf("note: unshare --user fails bare here; the sandboxed half only\n");
	}
	run_sandbox(&r, policy, NULL, args);
	ck_assert_int_ne(r.status, 0);
	assert_has(r.err, "No space left on device");
}
END_TEST

/* --- files ------------------------------------------------------------------------------ */

START_TEST(home_and_secrets_are_not_visible)
{
	char home[400], rc[420], secret[420], line[512];
	struct run r;

	setup();
	snprintf(home, sizeof(home), "%s/home", hostdir);
	ck_assert_int_eq(mkdir(home, 0700), 0);
	snprintf(rc, sizeof(rc), "%s/.bashrc", home);
	write_file(rc, "# the caller's\n", 0644);
	snprintf(secret, sizeof(secret), "%s/secret", home);
	write_file(secret, "the caller's secret\n", 0600);

	/* Bare: the caller's startup file takes a line, the secret reads. */
	BARE(&r, "append", rc);
	assert_has(r.out, "write=19 ");
	write_file(rc, "# the caller's\n", 0644);
	BARE(&r, "read", secret);
	assert_has(r.out, "first=the caller's secret");

	setenv("HOME", home, 1);
	for (int pass = 0; pass < 2; pass++) {
		const char *const *opts = pass ? judge : NULL;

		JAILED(&r, opts, "append", rc);
		refused(&r, "open");
		JAILED(&r, opts, "read", secret);
		assert_lacks(r.out, "secret");
		/* HOME points inside the sandbox. */
		JAILED(&r, NULL, "env", "HOME");
		assert_has(r.out, "env=/tmp\n");
	}
	slurp(rc, line, sizeof(line));
	ck_assert_str_eq(line, "# the caller's\n");
}
END_TEST

START_TEST(system_is_read_only)
{
	char name[128], *slash;
	struct run r;

	setup();
	snprintf(name, sizeof(name), "/etc/sbx-hostile-%d", (int)getpid());
	for (int pass = 0; pass < 2; pass++) {
		const char *const *opts = pass ? judge : NULL;

		JAILED(&r, opts, "create", name);
		refused(&r, "open");
		JAILED(&r, opts, "create", "/usr/sbx-hostile");
		refused(&r, "open");
		JAILED(&r, opts, "open-write", "/proc/sys/kernel/core_pattern");
		refused(&r, "open-write");
		JAILED(&r, opts, "open-write", "/sys/kernel/mm/transparent_hugepage/enabled");
		refused(&r, "open-write");
		JAILED(&r, opts, "create", "/sbx-hostile");
		refused(&r, "open");
	}
	/* If it ever got through, it is removed here, and the test has failed above. */
	if (access(name, F_OK) == 0)
		unlink(name);
	slash = strrchr(name, '/');
	ck_assert_ptr_nonnull(slash);
}
END_TEST

START_TEST(devices_and_terminals)
{
	int master, slave;
	char tty[128];
	struct run r;

	setup();
	ck_assert_int_eq(openpty(&master, &slave, tty, NULL, NULL), 0);
	/* Bare: another terminal of the same user takes input. */
	BARE(&r, "append", tty);
	assert_has(r.out, "write=19 ");
	for (int pass = 0; pass < 2; pass++) {
		JAILED(&r, pass ? judge : NULL, "append", tty);
		refused(&r, "open");
	}
	close(master);
	close(slave);
	/* /dev holds the harmless nodes only. */
	JAILED(&r, NULL, "read", "/dev/userfaultfd");
	assert_has(r.out, "read=-1 errno=ENOENT");
	JAILED(&r, NULL, "read", "/dev/kmsg");
	assert_has(r.out, "read=-1 errno=ENOENT");
	JAILED(&r, NULL, "read", "/dev/zero");
	assert_has(r.out, "read=4095 ");
}
END_TEST

START_TEST(fileless_exec)
{
	struct run r;

	setup();
	BARE(&r, "memfd-exec", "/bin/echo", "ran-from-memory");
	assert_has(r.out, "ran-from-memory");
	for (int pass = 0; pass < 2; pass++) {
		JAILED(&r, pass ? judge : NULL, "memfd-exec", "/bin/echo", "ran-from-memory");
		assert_lacks(r.out, "ran-from-memory");
	}
}
END_TEST

/* The working directory is writable, the files land on the host; /tmp is private. */
START_TEST(writes_go_to_the_workdir_and_a_private_tmp)
{
	char work[400], made[440], tmpname[64];
	const char *opts[] = {"--chdir", work, NULL};
	struct stat st;
	struct run r;

	setup();
	snprintf(work, sizeof(work), "%s/work", hostdir);
	ck_assert_int_eq(mkdir(work, 0755), 0);
	JAILED(&r, opts, "create", "made-inside");
	assert_has(r.out, "write=19 ");
	snprintf(made, sizeof(made), "%s/made-inside", work);
	ck_assert_int_eq(stat(made, &st), 0);
	/* Owned by the caller, whoever the program is inside. */
	ck_assert_int_eq(st.st_uid, geteuid());
	snprintf(tmpname, sizeof(tmpname), "/tmp/sbx-hostile-%d", (int)getpid());
	JAILED(&r, opts, "create", tmpname);
	assert_has(r.out, "write=19 ");
	ck_assert_int_eq(access(tmpname, F_OK), -1);
}
END_TEST

/* --- IPC and network -------------------------------------------------------------------------- */

static int listen_unix(const char *name, bool abstract)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	if (abstract) {
		snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "%s", name);
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	} else {
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", name);
	}
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, len), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	return fd;
}

START_TEST(host_sockets_are_out_of_reach)
{
	char path[400], abstract[64];
	const char *share[] = {"--share-net", NULL};
	int a, b;
	struct run r;

	setup();
	snprintf(path, sizeof(path), "%s/daemon.sock", hostdir);
	snprintf(abstract, sizeof(abstract), "sbx-hostile-%d", (int)getpid());
	a = listen_unix(path, false);
	b = listen_unix(abstract, true);
	BARE(&r, "unix-connect", path);
	assert_has(r.out, "connect=0 ");
	BARE(&r, "abstract-connect", abstract);
	assert_has(r.out, "connect=0 ");
	for (int pass = 0; pass < 2; pass++) {
		JAILED(&r, pass ? judge : NULL, "unix-connect", path);
		refused(&r, "connect");
		JAILED(&r, pass ? judge : NULL, "abstract-connect", abstract);
		refused(&r, "connect");
	}
	/*
	 * The host's network, shared on purpose: Landlock (ABI 6) still scopes
	 * abstract sockets to the sandbox.
	 */
	JAILED(&r, share, "abstract-connect", abstract);
	if (report_int(&r, "isolation.landlock_abi") >= 6)
		refused(&r, "connect");
	else
		printf("note: Landlock ABI %lld scopes no socket: --share-net case not checked\n",
		       report_int(&r, "isolation.landlock_abi"));
	close(a);
	close(b);
}
END_TEST

/*
 * Started from /tmp itself, the program's working directory is the
 * sandbox's private /tmp: the host's, with other users' files and sockets
 * (X11, tmux, agents), is not handed over.
 */
START_TEST(workdir_tmp_is_the_private_one)
{
	char sock[64], file[64];
	const char *in_tmp[] = {"--chdir", "/tmp", NULL};
	int a;
	struct run r;

	setup();
	snprintf(sock, sizeof(sock), "/tmp/sbx-hostile-%d.sock", (int)getpid());
	snprintf(file, sizeof(file), "/tmp/sbx-hostile-%d", (int)getpid());
	struct run bare, jailed[2];
	bool made;

	a = listen_unix(sock, false);
	/* Every run first, then the clean-up, then the checks: /tmp is left as it was. */
	BARE(&bare, "unix-connect", sock);
	for (int pass = 0; pass < 2; pass++) {
		const char *opts[] = {"--chdir", "/tmp", pass ? "-p" : NULL, "judge", NULL};

		run_sandbox(&jailed[pass], NULL, opts,
			    (const char *const[]){hostile, "unix-connect", sock, NULL});
	}
	JAILED(&r, in_tmp, "create", file);
	made = access(file, F_OK) == 0;
	unlink(file);
	close(a);
	unlink(sock);
	assert_has(bare.out, "connect=0 ");
	for (int pass = 0; pass < 2; pass++) {
		refused(&jailed[pass], "connect");
		assert_has(jailed[pass].err, "is the sandbox's private /tmp");
	}
	assert_has(r.out, "write=19 ");
	ck_assert(!made);
}
END_TEST

START_TEST(loopback_inside_works)
{
	struct run r;

	setup();
	JAILED(&r, NULL, "tcp-loopback");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	assert_has(r.out, "loopback=1");
}
END_TEST

/*
 * Families no network namespace confines: AF_VSOCK reaches the hypervisor
 * and its host (this machine is a virtual machine), AF_BLUETOOTH the radio.
 * The namespace keeps the network off only with them refused.
 */
START_TEST(families_past_the_namespace)
{
	struct run r;

	setup();
	BARE(&r, "socket", "40");
	if (strstr(r.out, "socket=-1"))
		printf("note: no AF_VSOCK bare here; the sandboxed half only\n");
	JAILED(&r, NULL, "socket", "40");
	assert_has(r.out, "socket=-1 errno=EACCES");
	assert_has(r.err, "by the network rule");
	JAILED(&r, NULL, "socket", "31");
	assert_has(r.out, "socket=-1 errno=EACCES");
	JAILED(&r, NULL, "socket", "2");
	assert_lacks(r.out, "socket=-1");
}
END_TEST

START_TEST(sysv_and_posix_shared_memory)
{
	key_t key = (key_t)(0x5b000000 | (getpid() & 0xffffff)), left = key + 1;
	char key_s[16], left_s[16], name[64], path[128];
	int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
	char *mem;
	struct run r;

	setup();
	ck_assert_int_ge(id, 0);
	mem = shmat(id, NULL, 0);
	ck_assert_ptr_ne(mem, (void *)-1);
	snprintf(key_s, sizeof(key_s), "%d", (int)key);
	snprintf(left_s, sizeof(left_s), "%d", (int)left);
	/* Bare: a host program's segment is changed. */
	BARE(&r, "sysv-write", key_s);
	assert_has(r.out, "wrote=1");
	ck_assert_str_eq(mem, "hostile");
	mem[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		JAILED(&r, pass ? judge : NULL, "sysv-write", key_s);
		assert_lacks(r.out, "wrote=1");
		JAILED(&r, pass ? judge : NULL, "sysv-leave", left_s);
		/* Whatever it made lived in the sandbox's IPC namespace and went with it. */
		ck_assert_int_eq(shmget(left, 0, 0), -1);
	}
	ck_assert_str_eq(mem, "");
	shmdt(mem);
	shmctl(id, IPC_RMID, NULL);

	snprintf(name, sizeof(name), "sbx-hostile-%d", (int)getpid());
	snprintf(path, sizeof(path), "/dev/shm/%s", name);
	JAILED(&r, NULL, "shm-leave", name);
	assert_has(r.out, "create=");
	assert_lacks(r.out, "create=-1");
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

/* --- environment ------------------------------------------------------------------------------ */

START_TEST(environment_is_cut_to_the_allowlist)
{
	const char *pass_one[] = {"--env", "CI_TOKEN", NULL};
	const char *keep[] = {"--keep-env", NULL};
	struct run r;

	setup();
	setenv("CI_TOKEN", "secret-token", 1);
	setenv("LC_TIME", "C", 1);
	JAILED(&r, NULL, "env", "CI_TOKEN");
	assert_has(r.out, "env=(unset)");
	JAILED(&r, NULL, "env", "LC_TIME");
	assert_has(r.out, "env=C\n");
	JAILED(&r, pass_one, "env", "CI_TOKEN");
	assert_has(r.out, "env=secret-token");
	JAILED(&r, keep, "env", "CI_TOKEN");
	assert_has(r.out, "env=secret-token");
	unsetenv("CI_TOKEN");
}
END_TEST

/* --- root callers --------------------------------------------------------------------------- */

START_TEST(root_is_not_root_of_the_host)
{
	char dir[400], secret[440], shadow_line[64];
	const char *ro[] = {"--ro-bind", dir, dir, NULL};
	struct run r;

	setup();
	snprintf(dir, sizeof(dir), "%s/root-files", hostdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(secret, sizeof(secret), "%s/root-only", dir);
	write_file(secret, "root's secret\n", 0600);
	/* Bare, root reads root's files and /etc/shadow, and /etc is open for writing. */
	BARE(&r, "read", secret);
	assert_has(r.out, "first=root's secret");
	BARE(&r, "read", "/etc/shadow");
	assert_lacks(r.out, "read=-1");
	ck_assert_int_eq(access("/etc", W_OK), 0);
	ck_assert_int_eq(access("/proc/sys/kernel/core_pattern", W_OK), 0);

	/* The program is uid 0 inside, the host's nobody outside. */
	JAILED(&r, ro, "read", secret);
	assert_has(r.out, "read=-1 errno=EACCES");
	ck_assert_int_eq(report_int(&r, "isolation.uid"), 0);
	ck_assert_int_eq(report_int(&r, "isolation.host_uid"), 65534);
	for (int pass = 0; pass < 2; pass++) {
		JAILED(&r, pass ? judge : NULL, "read", "/etc/shadow");
		snprintf(shadow_line, sizeof(shadow_line), "first=root:");
		assert_lacks(r.out, shadow_line);
	}
	/* A raw disk, readable bare by root, is not there. */
	JAILED(&r, NULL, "read", "/dev/vda");
	assert_has(r.out, "read=-1 errno=ENOENT");
	JAILED(&r, NULL, "read", "/dev/sda");
	assert_has(r.out, "read=-1 errno=ENOENT");
}
END_TEST

/* --- the supervisor cannot be stalled -----------------------------------------------------------
 */

/*
 * With namespaces the attack cannot start (no /dev/userfaultfd, and the
 * system call needs a capability): it is shown without them, where root's
 * program can open /dev/userfaultfd, to test the supervisor itself.
 */
START_TEST(userfaultfd_page_cannot_stall_the_supervisor)
{
	const char *opts[] = {"--wall-time", "1", "--isolation", "none", NULL};
	const char *policy = "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"openat\"], "
			     "\"action\": \"log\"}]}";
	struct timespec t0, t1;
	struct run r;

	setup();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_sandbox(&r, policy, opts, (const char *const[]){hostile, "uffd-open", NULL});
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_has(r.out, "opening=1");
	ck_assert_msg(r.status == 202, "status %d:\n%s", r.status, r.err);
	ck_assert_str_eq(report_str(&r, "status"), "wall_time_limit");
	/* The logged openat names the unreadable path by its address. */
	assert_has(r.err, "openat(AT_FDCWD, 0x");
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
}
END_TEST

/*
 * The program shares the supervisor's terminal and stops its output
 * (^S, tcflow): the supervisor's next line would wait for ever, and with
 * it the wall-time limit and the report. Its lines wait a little, then go.
 */
START_TEST(stopped_terminal_cannot_stall_the_supervisor)
{
	char rep[300], text[8192];
	char *argv[] = {
		(char *)sbx_bin(),    "-p", NULL, "--wall-time", "1", "-r", rep, "--", hostile,
		"stop-tty-then-call", NULL};
	char pol[300];
	int master, slave, status;
	struct timespec t0, t1;
	pid_t pid;

	setup();
	tmp_path(pol, sizeof(pol), "log-getppid.json");
	write_file(pol,
		   "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"getppid\"], "
		   "\"action\": \"log\"}]}",
		   0644);
	argv[2] = pol;
	tmp_path(rep, sizeof(rep), "report.json");
	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(slave, 1);
		dup2(slave, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(slave);
	/* Nobody reads the terminal, and its output is stopped: wait for the end. */
	for (int i = 0; i < 1000 && waitpid(pid, &status, WNOHANG) == 0; i++)
		sleep_ms(10);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ck_abort_msg("the supervisor was stalled by a stopped terminal");
	}
	close(master);
	ck_assert_int_eq(WEXITSTATUS(status), 202);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
	slurp(rep, text, sizeof(text));
	assert_has(text, "\"status\": \"wall_time_limit\"");
}
END_TEST

/* --- accounting ---------------------------------------------------------------------------------
 */

START_TEST(cpu_of_children_reaped_by_the_kernel)
{
	const char *limited[] = {"--cpu-time", "1", "--wall-time", "20", NULL};
	struct run r;

	setup();
	/* 16 children of 150 ms each, reaped by nobody: 2.4 s of CPU. */
	JAILED(&r, limited, "burn-ignored", "16", "150");
	ck_assert_msg(r.status == 201, "status %d (%s):\n%s", r.status, report_str(&r, "status"),
		      r.out);
	ck_assert_int_ge(report_int(&r, "cpu_time_ms"), 1000);
}
END_TEST

START_TEST(memory_outside_processes_counts)
{
	const char *limited[] = {"--memory", "128M", "--wall-time", "20", NULL};
	struct run r;

	setup();
	JAILED(&r, NULL, "memfd-hold", "200");
	assert_has(r.out, "held=1");
	JAILED(&r, limited, "memfd-hold", "200");
	ck_assert_msg(r.status == 203, "memfd: status %d:\n%s", r.status, r.out);
	assert_lacks(r.out, "held=1");
	JAILED(&r, limited, "file-hold", "/tmp/big", "200");
	ck_assert_msg(r.status == 203, "tmpfs: status %d:\n%s", r.status, r.out);
	assert_lacks(r.out, "held=1");
	JAILED(&r, limited, "file-hold", "/dev/shm/big", "50");
	ck_assert_msg(r.status == 0, "a small file: status %d:\n%s", r.status, r.out);
}
END_TEST

/* --- the report ----------------------------------------------------------------------------------
 */

START_TEST(report_cannot_be_forged_or_replaced)
{
	char work[400], rep[440], text[8192];
	const char *forge_args[] = {hostile, "write-report", "report.json", NULL};
	const char *block_args[] = {"/bin/sh", "-c", "rm -f report.json; mkdir report.json", NULL};
	char *argv[] = {(char *)sbx_bin(),
			"-q",
			"--chdir",
			work,
			"-r",
			rep,
			"--",
			NULL,
			NULL,
			NULL,
			NULL,
			NULL};
	pid_t pid;

	setup();
	snprintf(work, sizeof(work), "%s/work", hostdir);
	ck_assert_int_eq(mkdir(work, 0755), 0);
	snprintf(rep, sizeof(rep), "%s/report.json", work);
	/* The program writes its own "report" where ours goes: ours replaces it. */
	for (int i = 0; i < 3; i++)
		argv[7 + i] = (char *)forge_args[i];
	pid = start(argv, NULL, NULL);
	ck_assert_int_eq(finish(pid), 0);
	slurp(rep, text, sizeof(text));
	assert_lacks(text, "hostile");
	assert_has(text, "\"status\": \"exited\"");
	/* It can keep the report from being written; the sandbox then says so, never silently. */
	for (int i = 0; i < 4; i++)
		argv[7 + i] = (char *)block_args[i];
	pid = start(argv, NULL, NULL);
	ck_assert_int_eq(finish(pid), 125);
}
END_TEST

/* --- what a program leaves in its working directory
 * ------------------------------------------------ */

/*
 * A setuid file in a host directory: a root caller's program owns its
 * working directory as root (idmapped), so a setuid-root binary there
 * would make anyone on the host root. Bare, the owner may set the bit.
 */
START_TEST(no_setuid_files_on_the_host)
{
	char work[400], evil[440], evil2[440];
	const char *opts[] = {"--chdir", work, NULL};
	const char *args[] = {"/bin/sh", "-c",
			      "cp /bin/true evil; chmod 4755 evil; chmod g+s evil;"
			      "python3 -c 'import os; os.open(\"evil2\", os.O_CREAT | os.O_WRONLY, "
			      "0o6755)'; echo done",
			      NULL};
	struct stat st;
	struct run r;

	setup();
	snprintf(work, sizeof(work), "%s/work", hostdir);
	ck_assert_int_eq(mkdir(work, 0755), 0);
	snprintf(evil, sizeof(evil), "%s/evil", work);
	snprintf(evil2, sizeof(evil2), "%s/evil2", work);
	write_file(evil, "x", 0755);
	ck_assert_int_eq(chmod(evil, 04755), 0); /* bare: the owner may */
	ck_assert_int_eq(stat(evil, &st), 0);
	ck_assert(st.st_mode & S_ISUID);
	unlink(evil);
	run_sandbox(&r, NULL, opts, args);
	assert_has(r.out, "done");
	assert_has(r.err, "no setuid or setgid file where the host sees it");
	ck_assert_int_eq(stat(evil, &st), 0);
	ck_assert_msg(!(st.st_mode & (S_ISUID | S_ISGID)), "mode %o", st.st_mode);
	ck_assert_int_eq(access(evil2, F_OK), -1);
}
END_TEST

/*
 * Links a program leaves in its working directory, followed by a later
 * run's options, would let it choose what the sandbox (as the caller, or
 * root) writes, reads or binds: none is followed.
 */
START_TEST(planted_links_are_not_followed)
{
	char work[400], victim[420], secret[420], plant[3000], text[256], f[6][440];
	const char *plant_args[] = {"/bin/sh", "-c", plant, NULL};
	const char *plant_opts[] = {"--chdir", work, NULL};
	const char *ok[] = {"/bin/true", NULL};
	/* The paths a CI script would give, into the working directory the program wrote. */
	struct {
		const char *opts[6];
		const char *what;
	} later[] = {
		{{"--stdout", f[0], NULL}, "stdout"},
		{{"--stdin", f[1], NULL}, "stdin"},
		{{"-r", f[2], NULL}, "report"},
		{{"--log", f[3], NULL}, "log"},
		{{"--chdir", work, "--bind", "cache", "/cache", NULL}, "bind"},
		{{"--chdir", f[5], NULL}, "chdir"},
	};
	static const char *const names[] = {"out.txt",	 "in.txt", "report.json",
					    "log.jsonl", "cache",  "build"};
	struct run r;

	setup();
	snprintf(work, sizeof(work), "%s/work", hostdir);
	for (int i = 0; i < 6; i++)
		snprintf(f[i], sizeof(f[i]), "%s/%s", work, names[i]);
	ck_assert_int_eq(mkdir(work, 0755), 0);
	snprintf(victim, sizeof(victim), "%s/victim", hostdir);
	write_file(victim, "the caller's file\n", 0600);
	snprintf(secret, sizeof(secret), "%s/secret-dir", hostdir);
	ck_assert_int_eq(mkdir(secret, 0700), 0);
	/* Run 1: the program plants links to the caller's files (paths it cannot open). */
	snprintf(plant, sizeof(plant),
		 "ln -s %s out.txt; ln -s %s in.txt; ln -s %s report.json; ln -s %s log.jsonl;"
		 "ln -s %s cache; ln -s %s build; ls | wc -l",
		 victim, victim, victim, victim, secret, secret);
	run_sandbox(&r, NULL, plant_opts, plant_args);
	assert_has(r.out, "6\n");
	/* Later runs are refused, and the caller's file is untouched. */
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		run_sandbox(&r, NULL, later[i].opts, ok);
		ck_assert_msg(r.status == 125, "%s through a planted link: status %d\n%s",
			      later[i].what, r.status, r.err);
		assert_has(r.err, "symbolic link");
	}
	slurp(victim, text, sizeof(text));
	ck_assert_str_eq(text, "the caller's file\n");
}
END_TEST

/*
 * A link the program left where a later run mounts something: the mount
 * stays inside the new root, nothing is made on the host.
 */
START_TEST(mount_destinations_stay_inside)
{
	char work[400], outside[420], link_cmd[1200], dst[440], made[460];
	const char *plant_opts[] = {"--chdir", work, NULL};
	const char *plant[] = {"/bin/sh", "-c", link_cmd, NULL};
	const char *opts[] = {"--chdir", work, "--tmpfs", dst, NULL};
	const char *ok[] = {"/bin/true", NULL};
	struct run r;

	setup();
	snprintf(work, sizeof(work), "%s/work", hostdir);
	ck_assert_int_eq(mkdir(work, 0755), 0);
	snprintf(outside, sizeof(outside), "%s/outside", hostdir);
	ck_assert_int_eq(mkdir(outside, 0755), 0);
	/* A link to the host path as the init would see it before the pivot. */
	snprintf(link_cmd, sizeof(link_cmd), "ln -s /oldroot%s sub; ln -s %s sub2", outside,
		 outside);
	run_sandbox(&r, NULL, plant_opts, plant);
	ck_assert_int_eq(r.status, 0);
	for (int i = 0; i < 2; i++) {
		snprintf(dst, sizeof(dst), "%s/%s/cache", work, i ? "sub2" : "sub");
		run_sandbox(&r, NULL, opts, ok);
		snprintf(made, sizeof(made), "%s/cache", outside);
		ck_assert_msg(access(made, F_OK) == -1, "a mount point was made on the host (%s)",
			      dst);
	}
}
END_TEST

/*
 * A working directory inside the system (/opt/X) is shown read-only, and
 * the sandbox says why; an explicit --bind of it hands it over. Root only
 * (the "root" case): nobody else may make a directory there.
 */
START_TEST(workdir_in_the_system_is_read_only)
{
	char dir[64], file[96];
	const char *opts[] = {"--chdir", dir, NULL};
	const char *bound[] = {"--chdir", dir, "--bind", dir, dir, NULL};
	struct run bare, jailed, handed;
	bool left_jailed, left_handed;

	setup();
	snprintf(dir, sizeof(dir), "/opt/sbx-test-%d", (int)getpid());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(file, sizeof(file), "%s/made", dir);
	/* Every run first, then the clean-up, then the checks: /opt is left as it was. */
	BARE(&bare, "create", file);
	unlink(file);
	JAILED(&jailed, opts, "create", "made");
	left_jailed = access(file, F_OK) == 0;
	unlink(file);
	JAILED(&handed, bound, "create", "made");
	left_handed = access(file, F_OK) == 0;
	unlink(file);
	rmdir(dir);
	assert_has(bare.out, "write=19 ");
	refused(&jailed, "open");
	assert_has(jailed.out, "errno=EROFS");
	assert_has(jailed.err, "is part of the system (/opt): shown read-only");
	ck_assert(!left_jailed);
	assert_has(handed.out, "write=19 ");
	ck_assert(left_handed);
}
END_TEST

/* --- where namespaces are refused ----------------------------------------------------------------
 */

START_TEST(refused_namespaces_are_named)
{
	char probe[256], secret[400], outside[440], open_dir[420];
	/* Root's program must be someone else without a user namespace (see below). */
	const char *landlock[] = {"--isolation", "landlock", geteuid() ? NULL : "--user", "65534",
				  NULL};
	const char *root_landlock[] = {"--isolation", "landlock", NULL};
	struct run r;

	setup();
	prog_path(probe, sizeof(probe), "probe");
	/* Readable and writable by anyone: only Landlock can keep the program out. */
	snprintf(secret, sizeof(secret), "%s/secret", hostdir);
	write_file(secret, "secret\n", 0644);
	snprintf(open_dir, sizeof(open_dir), "%s/open", hostdir);
	ck_assert_int_eq(mkdir(open_dir, 0777), 0);
	ck_assert_int_eq(chmod(open_dir, 0777), 0);
	snprintf(outside, sizeof(outside), "%s/made", open_dir);
	/* A container whose seccomp profile refuses new user namespaces. */
	{
		const char *args[] = {probe, "no-userns", (char *)sbx_bin(),
				      "-q",  "--",	  hostile,
				      "env", "HOME",	  NULL};

		run_bare(&r, args);
		ck_assert_int_eq(r.status, 125);
		assert_has(r.err, "seccomp filter");
		assert_has(r.err, "--isolation landlock");
	}
	/* Only the network namespace refused: named, with the flag that keeps the host's. */
	{
		const char *args[] = {probe, "no-netns", (char *)sbx_bin(),
				      "-q",  "--",	 hostile,
				      "env", "HOME",	 NULL};
		const char *shared[] = {probe,	       "no-netns", (char *)sbx_bin(), "-q",
					"--share-net", "--",	   hostile,	      "env",
					"HOME",	       NULL};

		run_bare(&r, args);
		ck_assert_int_eq(r.status, 125);
		assert_has(r.err, "network namespace");
		assert_has(r.err, "--share-net");
		run_bare(&r, shared);
		ck_assert_int_eq(r.status, 0);
	}
	/* What remains: Landlock confines reads and writes; the report says so. */
	JAILED(&r, landlock, "read", secret);
	assert_has(r.out, "read=-1 errno=EACCES");
	JAILED(&r, landlock, "create", outside);
	refused(&r, "open");
	ck_assert_int_eq(access(outside, F_OK), -1);
	ck_assert_str_eq(report_str(&r, "isolation.mode"), "landlock");
	/* Root without capabilities owns every root-owned file: it needs --user here. */
	if (geteuid() == 0) {
		JAILED(&r, root_landlock, "env", "HOME");
		ck_assert_int_eq(r.status, 125);
		assert_has(r.err, "--isolation landlock as root needs --user");
	}
}
END_TEST

static Suite *isolation_suite(void)
{
	Suite *s = suite_create("isolation");
	struct {
		const char *name;
		const TTest *tests[8];
	} cases[] = {
		{"processes",
		 {signals_through_owners_and_pidfds, proc_of_outside_processes,
		  init_reaps_and_program_is_ordinary, no_nested_user_namespaces}},
		{"files",
		 {home_and_secrets_are_not_visible, system_is_read_only, devices_and_terminals,
		  fileless_exec, writes_go_to_the_workdir_and_a_private_tmp}},
		{"ipc",
		 {host_sockets_are_out_of_reach, workdir_tmp_is_the_private_one,
		  loopback_inside_works, families_past_the_namespace,
		  sysv_and_posix_shared_memory}},
		{"env", {environment_is_cut_to_the_allowlist}},
		{"root", {root_is_not_root_of_the_host, workdir_in_the_system_is_read_only}},
		{"uffd", {userfaultfd_page_cannot_stall_the_supervisor}},
		{"stall", {stopped_terminal_cannot_stall_the_supervisor}},
		{"accounting",
		 {cpu_of_children_reaped_by_the_kernel, memory_outside_processes_counts}},
		{"report", {report_cannot_be_forged_or_replaced}},
		{"planted",
		 {no_setuid_files_on_the_host, planted_links_are_not_followed,
		  mount_destinations_stay_inside}},
		{"fallback", {refused_namespaces_are_named}},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_set_timeout(tc, 240);
		for (size_t k = 0; cases[i].tests[k]; k++)
			tcase_add_test(tc, cases[i].tests[k]);
		suite_add_tcase(s, tc);
	}
	return s;
}

/* hostile CMD's output, outside any test (no Check assertion may run here). */
static void hostile_output(const char *cmd, char *out, size_t size)
{
	int p[2];
	ssize_t n, got = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe(p) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl(hostile, hostile, cmd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (pid > 0 && (n = read(p[0], out + got, size - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* Exit 77 (skipped, with the reason) when this machine cannot run the case asked for. */
static void skip_unless_possible(void)
{
	const char *c = getenv("CK_RUN_CASE");
	char out[512];

	if (!c)
		return;
	if (strcmp(c, "root") == 0 && geteuid() != 0) {
		printf("SKIP: the bare halves of the root case need root\n");
		exit(77);
	}
	if (strcmp(c, "uffd") == 0) {
		hostile_output("uffd-reader", out, sizeof(out));
		if (!strstr(out, "reader-hung=1")) {
			printf("SKIP: a userfaultfd page does not hold a reader here (%s): the "
			       "attack cannot be shown bare\n",
			       strstr(out, "userfaultfd=-1") ? "no userfaultfd for this user"
							     : "the read returned");
			exit(77);
		}
	}
}

int main(void)
{
	prog_path(hostile, sizeof(hostile), "hostile");
	skip_unless_possible();
	return harness_main(isolation_suite());
}
