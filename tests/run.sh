#!/bin/sh
# The test command: set up (packages, build), then run every test twice, in
# an ASan+UBSan build and in the normal build, and the unit tests of a clang
# build (all of it compiled, so both compilers' warnings count). Every build
# has warnings as errors. Ends with meson's summary of the normal build.
set -eu
cd "$(dirname "$0")/.."

sh .ci/setup.sh

# configure DIR [MESON SETUP OPTIONS...]: a new build directory, or the
# test command's options on one made before (as in .ci/setup.sh).
configure() {
	dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		rm -rf "$dir"
		meson setup "$dir" --werror -Dtests=enabled "$@"
	else
		meson setup --reconfigure "$dir" --werror -Dtests=enabled
	fi
}
configure build-asan -Db_sanitize=address,undefined -Db_lundef=false
(
	export CC=clang CXX=clang++
	configure build-clang
)
meson compile -C build-asan
meson compile -C build-clang

status=0
echo "=== tests under ASan+UBSan (build-asan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs --num-processes 2 || status=1
echo "=== unit tests, clang (build-clang)"
meson test -C build-clang --suite unit --print-errorlogs --num-processes 2 || status=1
echo "=== tests (build)"
meson test -C build --print-errorlogs --num-processes 2 || status=1
exit $status
