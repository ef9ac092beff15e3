#!/bin/sh
# The test command: set up (packages, build), then run every test twice:
# in an ASan+UBSan build and in the normal -Werror build. Ends with meson's
# summary of the normal build.
set -eu
cd "$(dirname "$0")/.."

sh .ci/setup.sh
if [ ! -f build-asan/build.ninja ]; then
	rm -rf build-asan
	meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C build-asan

status=0
echo "=== tests under ASan+UBSan (build-asan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs --num-processes 2 || status=1
echo "=== tests (build)"
meson test -C build --print-errorlogs --num-processes 2 || status=1
exit $status
