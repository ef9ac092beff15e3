#!/bin/sh
# The library as a user gets it: `meson install --destdir` of this build
# into a temporary directory, then tests/install_consumer.c built with
# nothing but `pkg-config --cflags --libs sandbox` pointed at that tree and
# run against it. For a shared library also: its soname, and that it
# exports the installed header's SBX_EXPORT functions and nothing else.
# Writes nothing outside its temporary directory, which it removes, except
# meson's own log of the install (BUILD/meson-logs/install-log.txt).
#
#   install_test.sh BUILD PREFIX LIBDIR INCLUDEDIR DEFAULT_LIBRARY SONAME CONSUMER.c -- CC [FLAGS...]
#
# MESON in the environment: the meson command (default: meson).
set -eu
[ $# -ge 9 ] && [ "$8" = "--" ] || {
	echo "usage: $0 BUILD PREFIX LIBDIR INCLUDEDIR DEFAULT_LIBRARY SONAME CONSUMER.c -- CC [FLAGS...]" >&2
	exit 2
}
build=$1 prefix=$2 libdir=$3 includedir=$4 kind=$5 soname=$6 consumer=$7
shift 8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sbx-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

dest=$tmp/dest
if ! ${MESON:-meson} install -C "$build" --no-rebuild --destdir "$dest" >"$tmp/install.out" 2>&1; then
	cat "$tmp/install.out" >&2
	fail "meson install --destdir failed"
fi
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
case $includedir in /*) ;; *) includedir=$prefix/$includedir ;; esac
lib=$dest$libdir
[ -f "$lib/pkgconfig/sandbox.pc" ] || fail "no sandbox.pc in $lib/pkgconfig"
[ -f "$dest$includedir/sandbox.h" ] || fail "no sandbox.h in $dest$includedir"

# The tree's .pc file first; its Requires.private (libseccomp, jansson,
# libcap) come from the system's. The sysroot puts the tree's paths under
# $dest; system directories are not filtered out, as the tree may be /usr.
export PKG_CONFIG_PATH="$lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export PKG_CONFIG_SYSROOT_DIR="$dest"
export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
static=""
[ "$kind" = static ] && static="--static"
# shellcheck disable=SC2086
flags=$(pkg-config $static --cflags --libs sandbox) || fail "pkg-config sandbox failed"
echo "pkg-config $static --cflags --libs sandbox: $flags"
# shellcheck disable=SC2086
"$@" -o "$tmp/consumer" "$consumer" $flags || fail "the consumer did not build"

if [ "$kind" != static ]; then
	found=$(readelf -d "$lib/libsandbox.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
	[ "$found" = "$soname" ] || fail "soname of libsandbox.so is '$found', expected $soname"
	[ -e "$lib/$soname" ] || fail "$soname not installed"
	readelf -d "$tmp/consumer" | grep -q "NEEDED.*\[$soname\]" ||
		fail "the consumer does not need $soname"
	LD_LIBRARY_PATH=$lib ldd "$tmp/consumer" | grep -q "$soname => $lib/" ||
		fail "the consumer does not load $soname from the installed tree"

	# Defined dynamic symbols, less the version node (type A).
	nm -D --defined-only "$lib/$soname" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
		sort >"$tmp/exported"
	if grep -v '^sbx_' "$tmp/exported" >"$tmp/stray"; then
		sed 's/^/  /' "$tmp/stray" >&2
		fail "libsandbox exports symbols not named sbx_*"
	fi
	sed -n 's/^SBX_EXPORT[^(]*[ *]\(sbx_[a-z0-9_]*\)(.*/\1/p' "$dest$includedir/sandbox.h" |
		sort -u >"$tmp/declared"
	[ -s "$tmp/declared" ] || fail "no SBX_EXPORT function found in sandbox.h"
	if ! cmp -s "$tmp/declared" "$tmp/exported"; then
		diff "$tmp/declared" "$tmp/exported" >&2 || true
		fail "exported symbols (>) differ from the header's SBX_EXPORT functions (<)"
	fi
	echo "$soname: soname right, exports the $(wc -l <"$tmp/declared") functions of sandbox.h and nothing else"
fi

LD_LIBRARY_PATH=$lib "$tmp/consumer" || fail "the consumer's sandboxes did not run as expected"
echo "PASS"
