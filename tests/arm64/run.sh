#!/bin/sh
# tests/arm64/run.sh [BUILD_DIR]: the arm64 smoke suite on an x86_64 machine.
#
# Cross-builds the sandbox and its tests for aarch64 in BUILD_DIR (default
# build-arm64; meson's test gives one inside its own build directory), boots
# Debian's arm64 kernel under qemu-system-aarch64 (full-system emulation:
# qemu-user cannot run a ptrace supervisor) with an initramfs of Debian's
# arm64 busybox, the cross-built binaries and their libraries, runs
# tests/arm64/smoke.sh in the guest and prints each check's result, then one
# last line "N passed, M failed". Exit 0 only when every check listed by
# `smoke.sh --list` passed; 77 (skipped) when qemu-system-aarch64 or the
# cross compiler is missing; 1 otherwise, a guest that crashes or hangs
# included (its checks without a result count as failed).
#
# Downloaded packages are kept in $SBX_ARM64_CACHE (default
# ~/.cache/sandbox-arm64); SBX_ARM64_TIMEOUT bounds the guest (seconds,
# default 900). Needs apt-get with the arm64 architecture added, dpkg-deb,
# cpio, gzip, mke2fs and python3 (.ci/setup.sh installs them).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build-arm64}
cache=${SBX_ARM64_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sandbox-arm64}
guest_timeout=${SBX_ARM64_TIMEOUT:-900}
triplet=aarch64-linux-gnu

for tool in qemu-system-aarch64 $triplet-gcc $triplet-g++; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "arm64: skipped: $tool is not installed (.ci/setup.sh installs it)"
		exit 77
	fi
done
for tool in apt-get apt-cache dpkg-deb cpio gzip xz mke2fs python3 meson timeout; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "arm64: $tool is missing (.ci/setup.sh installs it)" >&2
		exit 1
	}
done

# 1. The cross build: the whole tree (sandbox, library, tests, benchmark
# programs; the Python module is the build machine's, off), warnings are
# errors, as in the native one: so the tree stays clean for aarch64 even
# where the guest runs none of it (about 20 s on 2 cores).
mkdir -p "$(dirname "$build")"
if [ ! -f "$build/build.ninja" ]; then
	rm -rf "$build"
	meson setup "$build" "$src" --cross-file "$src/tests/arm64/$triplet.ini" \
		--werror -Dtests=enabled -Dpython=disabled
fi
build=$(cd "$build" && pwd)
meson compile -C "$build"
# What the guest runs: the sandbox, the programs it runs and the Check
# binary the suite calls.
progs="probe hostile bigbss sometimes sum-c sum-c-static sum-cpp sum-cpp-static"

# 2. The guest's packages, fetched once into the cache and unpacked, never
# installed: busybox-static, and the kernels the suite boots, one after the
# other (SBX_ARM64_KERNELS, Debian meta packages): the one linux-image-arm64
# depends on (Debian 12's 6.1: decisions at ptrace stops, Landlock ABI 2),
# then Debian 12's newest (6.12: decisions through the seccomp listener,
# Landlock ABI 6). The first must be there; a later one apt does not know
# is reported and left out.
kernels=${SBX_ARM64_KERNELS:-linux-image-arm64 linux-image-6.12-arm64}
mkdir -p "$cache"
cd "$cache"
fetch() { # fetch PACKAGE:ARCH: its .deb in the cache, downloaded when missing
	name=${1%%:*}
	arch=${1#*:}
	set -- "${name}"_*_"$arch".deb
	if [ ! -f "$1" ]; then
		apt-get download -q "$name:$arch" >&2
		set -- "${name}"_*_"$arch".deb
	fi
	[ -f "$1" ] || {
		echo "arm64: could not download $name:$arch" >&2
		exit 1
	}
	echo "$cache/$1"
}
bdeb=$(fetch busybox-static:arm64)
# Unpacked into the build directory: the cache is shared with other runs.
rm -rf "$build/busybox"
dpkg-deb -x "$bdeb" "$build/busybox"

# 3. The guest's root, an ext4 image: busybox, the sandbox and the test
# programs under /sbx, the arm64 libraries they load, the smoke suite and
# /init. Each kernel's initramfs holds only busybox, that kernel's modules
# and the image; its /init mounts the image and switch_roots into it
# (pivot_root, which the sandbox uses, cannot leave the initramfs's
# rootfs). The root is ext4, whose idmapped mounts Linux 6.1 has (tmpfs
# has them from 6.3 on), so the sandbox can hand a root caller's program
# a writable working directory.
root=$build/arm64-root
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib/$triplet" "$root/sbx/tests" "$root/proc" "$root/sys" \
	"$root/dev" "$root/tmp" "$root/mnt" "$root/etc"
cp "$build/busybox/bin/busybox" "$root/bin/busybox"
cp "$build/sandbox" "$root/sbx/sandbox"
for p in $progs die_before_exec.so test_escape; do
	cp "$build/tests/$p" "$root/sbx/tests/$p"
done
cp -r "$src/tests/data" "$root/sbx/data"
cp -r "$src/policies" "$root/sbx/policies"
cp "$src/tests/arm64/smoke.sh" "$root/sbx/smoke.sh"
# Two minimal AArch32 programs (ELF32, EABI5), the foreign ABI a compat task
# brings, without an armhf userland:
#   arm32-hello: write(1, "arm32 hello\n", 12), exit(0);
#   arm32-getpid: the same with getpid() first, r1 already pointing at the
#     text: the write prints only if getpid (faked by a rule) left r1 as
#     the AArch32 ABI does (every register but r0);
#   arm32-mkdir: mkdir("/tmp/x-arm", 0700), exit status its errno (0 when
#     made): a call aarch64 lacks;
#   arm32-fork: fork(), each side exits 0, a failed fork exits its errno:
#     a task-creating call aarch64 lacks.
python3 - "$root/sbx/tests" <<'EOF'
import struct, sys

def program(path, words, text=b"arm32 hello\n"):
    code = struct.pack("<%dI" % len(words), *words) + text
    base, start = 0x10000, 52 + 32
    size = start + len(code)
    ehdr = b"\x7fELF\x01\x01\x01" + bytes(9) + struct.pack("<HHIIIIIHHHHHH",
        2, 40, 1, base + start, 52, 0, 0x05000400, 52, 32, 1, 40, 0, 0)
    phdr = struct.pack("<8I", 1, 0, base, base, size, size, 5, 0x1000)
    with open(path, "wb") as f:
        f.write(ehdr + phdr + code)

def add_r1_pc(at, text_at):  # add r1, pc, #off: pc reads 8 bytes ahead
    return 0xe28f1000 | (4 * text_at - (4 * at + 8))

program(sys.argv[1] + "/arm32-hello", [
    0xe3a00001,        # mov r0, #1
    add_r1_pc(1, 8),   # r1: the text, after the 8 words
    0xe3a0200c,        # mov r2, #12
    0xe3a07004,        # mov r7, #4 (write)
    0xef000000,        # svc #0
    0xe3a00000,        # mov r0, #0
    0xe3a07001,        # mov r7, #1 (exit)
    0xef000000])       # svc #0
program(sys.argv[1] + "/arm32-getpid", [
    0xe3a00001,        # mov r0, #1
    add_r1_pc(1, 11),  # r1: the text, after the 11 words
    0xe3a0200c,        # mov r2, #12
    0xe3a07014,        # mov r7, #20 (getpid)
    0xef000000,        # svc #0
    0xe3a00001,        # mov r0, #1
    0xe3a07004,        # mov r7, #4 (write), r1 and r2 as before getpid
    0xef000000,        # svc #0
    0xe3a00000,        # mov r0, #0
    0xe3a07001,        # mov r7, #1 (exit)
    0xef000000])       # svc #0
program(sys.argv[1] + "/arm32-mkdir", [
    0xe28f0014,        # add r0, pc, #20: the path, after the 7 words
    0xe3a01d07,        # mov r1, #0700
    0xe3a07027,        # mov r7, #39 (mkdir)
    0xef000000,        # svc #0
    0xe2600000,        # rsb r0, r0, #0: the errno, or 0
    0xe3a07001,        # mov r7, #1 (exit)
    0xef000000],       # svc #0
    b"/tmp/x-arm\0")
program(sys.argv[1] + "/arm32-fork", [
    0xe3a07002,        # mov r7, #2 (fork)
    0xef000000,        # svc #0
    0xe3500000,        # cmp r0, #0
    0xb2600000,        # rsblt r0, r0, #0: a failure's errno
    0xc3a00000,        # movgt r0, #0: the parent
    0xe3a07001,        # mov r7, #1 (exit)
    0xef000000],       # svc #0
    b"")
EOF
chmod 755 "$root/sbx/tests/arm32-hello" "$root/sbx/tests/arm32-getpid" "$root/sbx/tests/arm32-mkdir" \
	"$root/sbx/tests/arm32-fork"

# The shared libraries, found the way ld.so would, from the arm64 packages
# (or the cross toolchain's copies).
libdirs="/lib/$triplet /usr/lib/$triplet /usr/$triplet/lib"
needed() { # the DT_NEEDED names of ELF files
	$triplet-readelf -d "$@" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}
todo=$(needed "$root/sbx/sandbox" "$root"/sbx/tests/* | sort -u)
while [ -n "$todo" ]; do
	next=""
	for lib in $todo; do
		[ -e "$root/lib/$triplet/$lib" ] && continue
		found=""
		for d in $libdirs; do
			if [ -e "$d/$lib" ]; then
				found=$d/$lib
				break
			fi
		done
		[ -n "$found" ] || {
			echo "arm64: $lib not found in $libdirs" >&2
			exit 1
		}
		cp -L "$found" "$root/lib/$triplet/$lib"
		next="$next $(needed "$found")"
	done
	todo=$(echo "$next" | tr ' ' '\n' | sort -u)
done
interp=$($triplet-readelf -l "$root/sbx/sandbox" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
mkdir -p "$root$(dirname "$interp")"
for d in $libdirs; do
	if [ -e "$d/$(basename "$interp")" ]; then
		cp -L "$d/$(basename "$interp")" "$root$interp"
		break
	fi
done
[ -e "$root$interp" ] || {
	echo "arm64: the loader $interp not found in $libdirs" >&2
	exit 1
}
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

cat >"$root/init" <<'EOF'
#!/bin/busybox sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmp /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
echo "SMOKE-START"
cd /sbx && sh /sbx/smoke.sh
echo "SMOKE-END"
poweroff -f
EOF
chmod 755 "$root/init"
img=$build/arm64-root.img
rm -f "$img"
mke2fs -q -t ext4 -d "$root" -L sbxroot "$img" 64M

# The modules an ext4 root on a loop device needs, in the order they load
# (crc16, mbcache, jbd2: ext4's dependencies; crc32c for its checksums).
modules="lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic fs/ext4/ext4 drivers/block/loop"

# boot META: fetch and unpack the kernel META depends on, boot it with the
# root image, print each check's result as "PASS|FAIL VERSION/name" and add
# them to $passed and $failed. Returns 1 when apt does not know META.
passed=0
failed=0
boot() {
	kpkg=$(apt-cache depends "$1:arm64" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1)
	if [ -z "$kpkg" ]; then
		echo "arm64: no $1:arm64 in apt's lists (dpkg --add-architecture arm64 && apt-get update)" >&2
		return 1
	fi
	kdeb=$(fetch "$kpkg:arm64")
	if [ ! -d "$kpkg" ]; then
		# Unpacked in a directory of this run's, then renamed into place:
		# another run may unpack the same kernel at the same time.
		tmp=$(mktemp -d "$cache/$kpkg.XXXXXX")
		patterns=""
		for m in $modules; do
			patterns="$patterns ./lib/modules/*/kernel/$m.ko*"
		done
		# shellcheck disable=SC2086
		dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp" --wildcards ./boot $patterns
		# Newer kernels' modules are xz-compressed; busybox's insmod wants them plain.
		find "$tmp" -name '*.ko.xz' -exec xz -d {} +
		mv -T "$tmp" "$kpkg" 2>/dev/null || rm -rf "$tmp" # the other run was first
	fi
	kernel=$(echo "$cache/$kpkg"/boot/vmlinuz-*)
	[ -f "$kernel" ] || {
		echo "arm64: $kdeb has no /boot/vmlinuz-*" >&2
		exit 1
	}
	version=${kernel##*/vmlinuz-}
	version=${version%-arm64}
	initrd=$build/arm64-initrd-$version
	rm -rf "$initrd"
	mkdir -p "$initrd/bin" "$initrd/modules" "$initrd/dev" "$initrd/newroot"
	cp "$img" "$initrd/root.img"
	cp "$build/busybox/bin/busybox" "$initrd/bin/busybox"
	for m in $modules; do
		cp "$cache/$kpkg"/lib/modules/*/kernel/"$m.ko" "$initrd/modules/"
		basename "$m.ko" >>"$initrd/modules/order"
	done
	cat >"$initrd/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs dev /dev
for m in $(/bin/busybox cat /modules/order); do
	/bin/busybox insmod "/modules/$m" || echo "init: insmod $m failed"
done
/bin/busybox mount -t ext4 -o loop /root.img /newroot || echo "init: no ext4 root"
/bin/busybox umount /dev
exec /bin/busybox switch_root /newroot /init
EOF
	chmod 755 "$initrd/init"
	(cd "$initrd" && find . | cpio -o -H newc --quiet) | gzip -1 >"$initrd.gz"
	rm -rf "$initrd"

	# 4. The boot. -net none: qemu looks for no network ROM. The guest
	# powers itself off; panic=-1 and -no-reboot end qemu at a kernel
	# panic; timeout ends a hang. --foreground keeps qemu in this script's
	# process group, so that meson, which kills a timed-out test's group,
	# kills qemu with it (timeout otherwise makes a group of its own).
	log=$build/arm64-guest-$version.log
	start=$(date +%s)
	status=0
	timeout --foreground "$guest_timeout" qemu-system-aarch64 -M virt -cpu max -m 1024 -smp 2 -nographic \
		-no-reboot -net none -kernel "$kernel" -initrd "$initrd.gz" \
		-append "console=ttyAMA0 quiet loglevel=3 panic=-1" </dev/null >"$log" 2>&1 || status=$?
	rm -f "$initrd.gz"
	echo "arm64: $version: guest ran $(($(date +%s) - start)) s (qemu status $status; console: $log)"

	# 5. The verdict: every listed check must have printed PASS.
	tr -d '\r' <"$log" >"$log.txt"
	sed -n 's/^FACT //p' "$log.txt" | sed "s/^/arm64: $version: /"
	kfailed=0
	for name in $(sh "$src/tests/arm64/smoke.sh" --list); do
		took=$(sed -n "s/^TIME $name \([0-9]*\)\$/ (\1 s)/p" "$log.txt")
		if grep -qx "PASS $name" "$log.txt"; then
			echo "PASS $version/$name$took"
			passed=$((passed + 1))
		elif grep -qx "FAIL $name" "$log.txt"; then
			echo "FAIL $version/$name$took"
			# its output: the lines after FAIL, up to the next result
			sed -n "/^FAIL $name\$/,/^\(TIME\|PASS\|FAIL\|SMOKE-END\)/p" "$log.txt" |
				sed '1d;$d' | sed 's/^/    /'
			kfailed=$((kfailed + 1))
		else
			echo "FAIL $version/$name (no result: the guest stopped before it)"
			kfailed=$((kfailed + 1))
		fi
	done
	if ! grep -qx SMOKE-END "$log.txt"; then
		echo "arm64: $version: the suite did not finish (crash, hang or timeout); the console's last lines:"
		tail -n 30 "$log.txt" | sed 's/^/    /'
		[ "$kfailed" -gt 0 ] || kfailed=1
	fi
	failed=$((failed + kfailed))
}

first=1
for meta in $kernels; do
	if ! boot "$meta"; then
		if [ "$first" -eq 1 ]; then
			failed=$((failed + 1))
		else
			echo "arm64: $meta: not booted (apt does not know it)"
		fi
	fi
	first=0
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
