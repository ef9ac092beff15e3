#!/bin/sh
# The benchmark command: set up and build like the test command, install the
# baselines (strace, bubblewrap) if missing, then print the table.
#   bench/run.sh [--reps N] [--quick] [--only B1,B2,...]
set -eu
cd "$(dirname "$0")/.."
sh .ci/setup.sh >/dev/null
missing=""
command -v strace >/dev/null 2>&1 || missing="$missing strace"
command -v bwrap >/dev/null 2>&1 || missing="$missing bubblewrap"
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "bench: installing:$missing" >&2
	{ $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		$sudo apt-get install -y -q --no-install-recommends $missing; } >&2 ||
		echo "bench: could not install$missing; those columns are left out" >&2
fi
exec /usr/bin/python3 bench/bench.py "$@"
