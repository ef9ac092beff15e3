#!/bin/sh
# Set-up for a fresh Debian 12 machine: install what is missing with
# apt-get, then configure and build ./build (warnings as errors, tests
# built). Safe to run again.
set -eu
cd "$(dirname "$0")/.."

packages="gcc g++ clang make git perl pkg-config meson ninja-build libseccomp-dev libjansson-dev libcap-dev check python3 python3-jsonschema python3-dev python3-pytest python3-mesonpy python3-pip openjdk-17-jdk-headless golang-go runc linux-headers-amd64"
# Toolchains of the languages the judge policies are tested with (tests/langs):
# Debian's own, so CI judges what a Debian judge server runs.
packages="$packages default-jdk-headless kotlin rustc nodejs pypy3 ghc ruby php-cli mono-mcs fpc"
# The arm64 suite (tests/arm64/run.sh): Debian's cross toolchain, the arm64
# libraries the cross build links, qemu, and the tools that build the
# guest's disk (its kernel and busybox are downloaded by run.sh itself).
packages="$packages gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-system-arm cpio e2fsprogs xz-utils"
packages="$packages libseccomp-dev:arm64 libjansson-dev:arm64 libcap-dev:arm64 check:arm64"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "setup: adding the arm64 architecture to dpkg"
	if [ "$(id -u)" -eq 0 ]; then dpkg --add-architecture arm64; else sudo dpkg --add-architecture arm64; fi
fi
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	$sudo apt-get install -y -q --no-install-recommends $missing
fi

# The newest kernel headers Debian 12 has (the backported kernel's), for
# tests/syscall_widths.py: only the architecture-neutral -common package, which
# pulls in no kernel image. Best effort: the 6.1 headers above are enough.
newest=$(apt-cache search --names-only '^linux-headers-6\.[0-9.]+\+deb12-common$' 2>/dev/null |
	awk '{print $1}' | sort -V | tail -n 1)
if [ -n "$newest" ] && ! dpkg-query -W -f='${Status}' "$newest" 2>/dev/null | grep -q "install ok installed"; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$newest" ||
		echo "setup: $newest not installed; the syscall table is checked against older headers"
fi

# Warnings are errors here and in the test command, and the tests are
# built; a packager's build has neither unless asked (meson_options.txt).
# A build directory made before gets both (--reconfigure: it may predate
# the options, which `meson configure` would refuse as unknown).
if [ ! -f build/build.ninja ]; then
	rm -rf build # a half-configured directory from an interrupted set-up
	meson setup build --werror -Dtests=enabled
else
	meson setup --reconfigure build --werror -Dtests=enabled
fi
meson compile -C build
