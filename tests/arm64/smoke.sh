#!/bin/sh
# tests/arm64/smoke.sh: the arm64 smoke suite, run in the emulated guest by
# tests/arm64/run.sh (busybox sh, as root, PID 1's child). One function per
# check; each prints "TIME name SECONDS", then "PASS name", or "FAIL name"
# and what it saw, indented. "FACT ..." lines describe the guest for the log. --list prints
# the checks' names (run.sh counts on every one of them passing).
#
# Paths (the guest's by default; set them to run it elsewhere):
#   SBX_BIN        the sandbox           SBX_PROGS      the test programs
#   SBX_TEST_DATA  tests/data            SBX_POLICIES   policies/
#   SMOKE_TIMEOUT  seconds one sandbox run may take (default 120)
#   SMOKE_WORK     a writable scratch directory, where the escape tests
#                  --bind their files: not a tmpfs (6.1 cannot idmap one)

checks="guest default_policy violation_decoded faked_return errno_deny fork_exec_threads
cpu_limit wall_limit memory_limit process_limit trace escape_ptrace escape_pid_namespace
aarch32 aarch32_faked aarch32_rules policy_names host_untouched oci_profile decisions"

if [ "${1:-}" = --list ]; then
	for c in $checks; do echo "$c"; done
	exit 0
fi

SBX_BIN=${SBX_BIN:-/sbx/sandbox}
SBX_PROGS=${SBX_PROGS:-/sbx/tests}
SBX_TEST_DATA=${SBX_TEST_DATA:-/sbx/data}
SBX_POLICIES=${SBX_POLICIES:-/sbx/policies}
W=${SMOKE_WORK:-/sbx/work}
T=${SMOKE_TIMEOUT:-120}
S=$SBX_BIN
P=$SBX_PROGS/probe
export SBX_BIN SBX_PROGS SBX_TEST_DATA SBX_POLICIES
mkdir -p "$W"
# The programs' directory is the sandbox's working directory, so the
# private root shows them (it holds the system directories and this one).
cd "$(dirname "$SBX_PROGS")" || exit 1

# The native ABI's name for the call libc's mkdir() makes: aarch64 has
# only mkdirat.
case $(uname -m) in
aarch64) mkdir_call=mkdirat mkdir_text='mkdirat(AT_FDCWD, "/tmp/x", 0700)' ;;
*) mkdir_call=mkdir mkdir_text='mkdir("/tmp/x", 0700)' ;;
esac

out=$W/out      # stdout of the last run
err=$W/err      # its stderr
report=$W/report.json
status=0

# bounded CMD...: run CMD for at most $T seconds (a hang is a failure, not
# a stall of the suite); at the limit, the processes still there and the
# kernel stacks of the sandbox's are saved in $W/hung, then all are killed.
# Sets $status (137 after a hang).
bounded() {
	rm -f "$W/hung"
	"$@" &
	pid=$!
	(
		sleep "$T"
		kill -0 "$pid" 2>/dev/null || exit 0
		{
			echo "hung after $T s:"
			ps -o pid,ppid,stat,args
			for t in /proc/[0-9]*/task/*; do
				case $(tr '\0' ' ' <"$t/cmdline" 2>/dev/null) in
				*sandbox* | *probe* | *arm32*)
					echo "--- $t: $(tr '\0' ' ' <"$t/cmdline") [$(cat "$t/wchan")]"
					grep -E '^(State|TracerPid)' "$t/status"
					cat "$t/stack" 2>/dev/null
					;;
				esac
			done
		} >"$W/hung" 2>&1
		kill -9 "$pid"
	) &
	dog=$!
	wait "$pid"
	status=$?
	kill "$dog" 2>/dev/null
	wait "$dog" 2>/dev/null
	if [ -s "$W/hung" ]; then
		note "$(cat "$W/hung")"
		bad=1
	fi
	return 0
}

# sbx ARGS...: run the sandbox, bounded, with a fresh report; stdout,
# stderr and the exit status kept.
sbx() {
	rm -f "$report"
	bounded "$S" -r "$report" "$@" >"$out" 2>"$err" </dev/null
}

# Each check appends what it saw to $W/why; a failed expectation sets $bad.
note() { echo "$*" >>"$W/why"; }
seen() {
	note "exit status $status"
	note "--- stdout:"
	head -c 3000 "$out" >>"$W/why"
	note "--- stderr:"
	head -c 3000 "$err" >>"$W/why"
	if [ -f "$report" ]; then
		note "--- report:"
		head -c 3000 "$report" >>"$W/why"
	fi
}
expect_status() { # expect_status N: the last run's exit status
	[ "$status" -eq "$1" ] || {
		note "expected exit status $1"
		bad=1
	}
}
expect_in() { # expect_in FILE TEXT: a fixed string in a file
	grep -qF -- "$2" "$1" || {
		note "expected in $(basename "$1"): $2"
		bad=1
	}
}
expect_re() { # expect_re FILE REGEX: an extended regular expression in a file
	grep -qE -- "$2" "$1" || {
		note "expected in $(basename "$1") (regex): $2"
		bad=1
	}
}
expect_not_in() {
	if grep -qF -- "$2" "$1"; then
		note "not expected in $(basename "$1"): $2"
		bad=1
	fi
}
report_status() { # the report's "status" is $1
	expect_re "$report" "\"status\": *\"$1\""
}

run_check() {
	bad=0
	: >"$W/why"
	t0=$(date +%s)
	# A listed check without its function must not pass by doing nothing.
	if command -v "check_$1" >/dev/null 2>&1; then
		"check_$1"
	else
		note "no function check_$1 in smoke.sh"
		bad=1
	fi
	echo "TIME $1 $(($(date +%s) - t0))"
	if [ "$bad" -eq 0 ]; then
		echo "PASS $1"
	else
		echo "FAIL $1"
		sed 's/^/  | /' "$W/why"
	fi
}

# The guest itself: the root is ext4 (switch_root worked, so pivot_root
# can), a dynamic glibc program runs bare (its libraries are there), and
# the CPU runs AArch32 code (the foreign ABI the aarch32 check needs).
check_guest() {
	grep -E '^[^ ]+ / ' /proc/mounts >"$out"
	expect_in "$out" " / ext4 "
	echo "3 4" | "$SBX_PROGS/sum-c" >"$out" 2>&1
	expect_in "$out" "7"
	if [ "$(uname -m)" = aarch64 ]; then
		"$SBX_PROGS/arm32-hello" >"$out" 2>&1
		expect_in "$out" "arm32 hello"
	fi
	[ "$bad" -eq 0 ] || cat /proc/mounts "$out" >>"$W/why"
}

# The default policy (no --policy): a dynamic glibc program and a busybox
# command give their output and exit 0, with an "exited" report.
check_default_policy() {
	echo "3 4" >"$W/in"
	sbx --stdin "$W/in" -- "$SBX_PROGS/sum-c"
	expect_status 0
	expect_re "$out" "^7 "
	report_status exited
	[ "$bad" -eq 0 ] || seen
	sbx -- /bin/busybox sh -c 'echo busybox-ok; ls /'
	expect_status 0
	expect_in "$out" "busybox-ok"
	expect_in "$out" "proc"
	report_status exited
	[ "$bad" -eq 0 ] || seen
}

# A call the default policy kills, named with its decoded arguments on
# stderr and in the report.
check_violation_decoded() {
	sbx -- /bin/busybox mount -t tmpfs none /mnt
	expect_status 200
	expect_in "$err" 'killed mount("none", "/mnt", "tmpfs", MS_SILENT, NULL)'
	report_status violation
	expect_re "$report" '"syscall": *"mount"'
	[ "$bad" -eq 0 ] || seen
}

# A rule that fakes a call's result: the program prints the faked value.
check_faked_return() {
	echo '{"default": "allow", "rules": [{"syscalls": ["getppid"], "action": "return", "value": 4242}]}' \
		>"$W/faked.json"
	sbx -p "$W/faked.json" -- "$P" getppid
	expect_status 0
	expect_in "$out" "getppid=4242"
	expect_in "$err" "faked getppid() = 4242"
	[ "$bad" -eq 0 ] || seen
}

# A rule that denies with an errno: the program sees exactly that errno.
check_errno_deny() {
	echo "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"$mkdir_call\"], \"action\": \"errno\", \"errno\": \"EACCES\"}]}" \
		>"$W/deny.json"
	sbx -p "$W/deny.json" -- "$P" mkdir /tmp/x
	expect_status 0
	expect_in "$out" "mkdir=-1 errno=EACCES"
	[ "$bad" -eq 0 ] || seen
}

# Fork, exec and threads followed: the program execs itself, forks twice
# and calls mkdir from a thread of the grandchild; the kill names that call,
# and the report counts the processes.
check_fork_exec_threads() {
	echo "{\"default\": \"allow\", \"rules\": [{\"syscalls\": [\"$mkdir_call\"], \"action\": \"kill\"}]}" \
		>"$W/kill-mkdir.json"
	sbx -p "$W/kill-mkdir.json" -- "$P" exec "$P" deep-thread-mkdir /tmp/x
	expect_status 200
	expect_in "$out" "main="
	expect_not_in "$out" "parent-done=1"
	expect_in "$err" "killed $mkdir_text"
	report_status violation
	expect_re "$report" '"processes": *([3-9]|[1-9][0-9])'
	[ "$bad" -eq 0 ] || seen
}

# Each limit gives its own verdict (a time limit is never a violation, the
# memory limit never a crash) and its own exit status.
check_cpu_limit() {
	sbx -q --cpu-time 0.5 -- "$P" spin
	expect_status 201
	report_status cpu_time_limit
	expect_re "$report" '"violation": *null'
	[ "$bad" -eq 0 ] || seen
}
check_wall_limit() {
	sbx -q --wall-time 0.5 -- "$P" sleep 20000
	expect_status 202
	report_status wall_time_limit
	expect_re "$report" '"violation": *null'
	[ "$bad" -eq 0 ] || seen
}
check_memory_limit() {
	sbx -q --memory 32M -- "$P" touch-mb 200
	expect_status 203
	report_status memory_limit
	expect_re "$report" '"violation": *null'
	[ "$bad" -eq 0 ] || seen
}
check_process_limit() {
	sbx -q --processes 1 -- "$P" fork-once
	expect_status 205
	expect_in "$out" "forked=0"
	report_status process_limit
	[ "$bad" -eq 0 ] || seen
}

# --trace: every call with decoded arguments, result and decision.
check_trace() {
	sbx --trace -- "$P" trace-seq
	expect_status 0
	expect_in "$err" 'openat(AT_FDCWD, "/nonexistent-sbx-trace", O_RDONLY) = -1 ENOENT'
	expect_re "$err" 'openat\(AT_FDCWD, "/dev/null", O_WRONLY\) = [0-9]+'
	expect_re "$err" 'write\([0-9]+, "abc", 3\) = 3'
	expect_re "$err" 'close\([0-9]+\) = -1 EBADF'
	expect_in "$err" "[allowed by the default action]"
	[ "$bad" -eq 0 ] || seen
}

# Attacks of tests/test_escape.c, cross-built, one test case each. A skip
# (exit 77) is not a pass.
escape_case() {
	bounded env CK_RUN_CASE="$1" CK_VERBOSITY=normal TMPDIR="$W" "$SBX_PROGS/test_escape" \
		>"$out" 2>&1 </dev/null
	expect_status 0
	expect_in "$out" "100%: Checks: 1, Failures: 0, Errors: 0"
	[ "$bad" -eq 0 ] || {
		note "--- test_escape:"
		tail -c 3000 "$out" >>"$W/why"
	}
}
check_escape_ptrace() { escape_case ptrace_and_memory_of_the_supervisor; }
check_escape_pid_namespace() { escape_case kill_everything_in_a_pid_namespace; }

# AArch32 (a compat task of the foreign ABI "arm"): killed and reported with
# its architecture under the default policy, run when the policy lists it.
check_aarch32() {
	if [ "$(uname -m)" != aarch64 ]; then
		note "not an aarch64 machine"
		bad=1
		return
	fi
	sbx -- "$SBX_PROGS/arm32-hello"
	expect_status 200
	expect_not_in "$out" "arm32 hello"
	expect_in "$err" "architecture arm not allowed"
	report_status violation
	expect_re "$report" '"arch": *"arm"'
	[ "$bad" -eq 0 ] || seen
	echo '{"default": "allow", "architectures": ["native", "arm"]}' >"$W/arm.json"
	sbx -p "$W/arm.json" -- "$SBX_PROGS/arm32-hello"
	expect_status 0
	expect_in "$out" "arm32 hello"
	report_status exited
	[ "$bad" -eq 0 ] || seen
}

# A result the supervisor fakes for an AArch32 task, with ptrace stops (the
# listener answers without touching registers, so both are run): getpid
# returns the rule's value, and every other register is left as the
# AArch32 ABI promises (the program's next write uses r1 and r2 as they
# were before getpid).
check_aarch32_faked() {
	if [ "$(uname -m)" != aarch64 ]; then
		note "not an aarch64 machine"
		bad=1
		return
	fi
	echo '{"default": "allow", "architectures": ["native", "arm"], "rules": [{"syscalls": ["getpid"], "action": "return", "value": 7}]}' \
		>"$W/arm-faked.json"
	for decisions in ptrace auto; do
		sbx --decisions "$decisions" -p "$W/arm-faked.json" -- "$SBX_PROGS/arm32-getpid"
		expect_status 0
		expect_in "$out" "arm32 hello"
		expect_in "$err" "faked arm getpid() = 7"
		[ "$bad" -eq 0 ] || {
			note "--decisions $decisions"
			seen
			return
		}
	done
}

# Calls AArch32 has and aarch64 lacks (mkdir, fork) keep their rules and
# limits when a policy allows AArch32 tasks: a rule naming mkdir decides an
# AArch32 mkdir, and fork counts against --processes. Each program is run
# bare first (it makes the directory, it forks).
check_aarch32_rules() {
	if [ "$(uname -m)" != aarch64 ]; then
		note "not an aarch64 machine"
		bad=1
		return
	fi
	rm -rf /tmp/x-arm
	"$SBX_PROGS/arm32-mkdir"
	status=$?
	expect_status 0
	[ -d /tmp/x-arm ] || {
		note "bare: no /tmp/x-arm"
		bad=1
	}
	rm -rf /tmp/x-arm
	"$SBX_PROGS/arm32-fork"
	status=$?
	expect_status 0
	[ "$bad" -eq 0 ] || return
	echo '{"default": "allow", "architectures": ["native", "arm"], "rules": [{"syscalls": ["mkdir", "mkdirat"], "action": "errno", "errno": "EACCES"}]}' \
		>"$W/arm-mkdir.json"
	sbx -p "$W/arm-mkdir.json" -- "$SBX_PROGS/arm32-mkdir"
	expect_status 13
	[ "$bad" -eq 0 ] || seen
	echo '{"default": "allow", "architectures": ["native", "arm"]}' >"$W/arm.json"
	sbx --processes 1 -p "$W/arm.json" -- "$SBX_PROGS/arm32-fork"
	expect_status 205
	report_status process_limit
	expect_re "$report" '"processes": *1[,}]'
	[ "$bad" -eq 0 ] || seen
}

# Shipped policies name calls aarch64 lacks (open, fork, iopl): no error;
# --check names them, and -p judge runs a judge's program.
check_policy_names() {
	bounded "$S" --check default >"$out" 2>"$err" </dev/null
	expect_status 0
	expect_in "$out" "default: absent on aarch64: ioperm, iopl"
	expect_in "$out" "default: 0 errors, 0 warnings"
	[ "$bad" -eq 0 ] || seen
	echo "3 4" >"$W/in"
	sbx -p judge --stdin "$W/in" -- "$SBX_PROGS/sum-c-static"
	expect_status 0
	expect_re "$out" "^7 "
	report_status exited
	[ "$bad" -eq 0 ] || seen
}

# The host out of reach: under the default policy a write outside the
# writable places (the working directory, /tmp) fails (read-only mounts,
# Landlock) and leaves no file.
check_host_untouched() {
	rm -f /etc/sbx-host-file
	sbx -- "$P" open-write /etc/sbx-host-file
	expect_status 0
	expect_re "$out" "open-write=-1 errno=(EROFS|EACCES|EPERM)"
	[ -e /etc/sbx-host-file ] && {
		note "/etc/sbx-host-file was created"
		bad=1
	}
	[ "$bad" -eq 0 ] || seen
}

# Docker's default seccomp profile as runc makes it mean on aarch64: the
# program runs, and mount (not allowed without CAP_SYS_ADMIN) fails with
# EPERM, decided in the kernel.
check_oci_profile() {
	sbx -p "$SBX_TEST_DATA/oci/docker-default.json" -- /bin/busybox sh -c 'echo oci-ok'
	expect_status 0
	expect_in "$out" "oci-ok"
	[ "$bad" -eq 0 ] || seen
	sbx -p "$SBX_TEST_DATA/oci/docker-default.json" -- "$P" mkdir /tmp/oci-x
	expect_status 0
	expect_in "$out" "mkdir=0"
	[ "$bad" -eq 0 ] || seen
	sbx -p "$SBX_TEST_DATA/oci/docker-default.json" -- /bin/busybox mount -t tmpfs none /mnt
	expect_status 1
	expect_in "$err" "mount: permission denied"
	[ "$bad" -eq 0 ] || seen
}

# Who decides the stops: a seccomp listener on Linux 6.6 and later (the
# synchronous wake-ups it needs), ptrace stops before; a faked result comes
# back either way.
check_decisions() {
	echo '{"default": "allow", "rules": [{"syscalls": ["getppid"], "action": "return", "value": 77}]}' \
		>"$W/dec.json"
	sbx -v -p "$W/dec.json" -- "$P" getppid
	expect_status 0
	expect_in "$out" "getppid=77"
	case $(uname -r) in
	[0-5].* | 6.[0-5].* | 6.[0-5]-*) expect_in "$err" "decisions: at ptrace stops" ;;
	*) expect_in "$err" "decisions: through a seccomp listener" ;;
	esac
	[ "$bad" -eq 0 ] || seen
}

# Facts for the log.
echo "FACT kernel $(uname -r) $(uname -m), up $(cut -d" " -f1 /proc/uptime) s when the suite starts"
echo "FACT lsm $(cat /sys/kernel/security/lsm 2>/dev/null || echo '(no securityfs)')"
echo "FACT sandbox $("$S" --version 2>&1 | head -n 1)"
bad=0
: >"$W/why"
sbx -q -- /bin/busybox true
echo "FACT landlock_abi $(grep -oE '"landlock_abi": *[0-9a-z]+' "$report" 2>/dev/null | grep -oE '[0-9a-z]+$')"
[ "$bad" -eq 0 ] || sed 's/^/FACT   /' "$W/why"

for c in $checks; do
	run_check "$c"
done
