#!/bin/sh
# Run a test program (the integration suite) again as an unprivileged user.
# Exit 77 (skipped) when not root (the normal run already was unprivileged)
# or when the machine has no unprivileged user to switch to.
set -eu
test_bin=$1
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: not root; the main integration run already ran unprivileged"
	exit 77
fi
user=${SBX_TEST_USER:-nobody}
if ! id "$user" >/dev/null 2>&1 || ! command -v setpriv >/dev/null 2>&1; then
	echo "SKIP: no unprivileged user \"$user\" or no setpriv"
	exit 77
fi
uid=$(id -u "$user")
gid=$(id -g "$user")
# The build tree must be reachable by that user.
if ! setpriv --reuid="$uid" --regid="$gid" --clear-groups -- test -x "$SBX_BIN"; then
	echo "SKIP: $user cannot reach $SBX_BIN (directory permissions)"
	exit 77
fi
echo "running $test_bin as $user (uid $uid)"
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all \
	env TMPDIR=/tmp "$test_bin"
