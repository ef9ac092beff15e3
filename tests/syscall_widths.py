#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check src/syscalls.tbl against the kernel's own prototypes.

For every row with a number on x86_64, find the kernel's entry point
(arch/x86/include/generated/asm/syscalls_64.h maps the number to, say,
sys_newstat), read its declaration in include/linux/syscalls.h, and compare
the argument count and each argument's width as the kernel declares it
(the C type: int is 32 bits, umode_t 16, a pointer or long 64) with the
row's declared width (kind:bits, or kind:bits:used where the kernel passes
the value on as a narrower type: "used" is the table's own fact, listed in
its header).

Headers: Debian's linux-headers packages under /usr/src (or the directories
in $SBX_KERNEL_HEADERS, colon-separated). Each entry is checked against the
newest header that declares it. A row whose entry no header declares is
listed; a type the script cannot size is an error, never a guess.

Exit 0: every row agrees; 1: a disagreement (each printed); 77: no kernel
headers on this machine (meson shows the test as skipped).
"""
import glob
import os
import re
import sys

# Widths of the kernel's scalar types on x86_64 (include/linux/types.h,
# include/uapi/asm-generic/posix_types.h). A pointer is 64 whatever it
# points to.
TYPE_BITS = {
    "int": 32, "unsigned int": 32, "unsigned": 32, "signed int": 32,
    "u32": 32, "__u32": 32, "s32": 32, "__s32": 32,
    "pid_t": 32, "uid_t": 32, "gid_t": 32, "qid_t": 32, "clockid_t": 32,
    "timer_t": 32, "mqd_t": 32, "key_serial_t": 32, "key_t": 32, "rwf_t": 32,
    "uint32_t": 32, "int32_t": 32, "enum": 32,
    "umode_t": 16, "unsigned short": 16, "old_uid_t": 16, "old_gid_t": 16,
    "long": 64, "unsigned long": 64, "long long": 64, "unsigned long long": 64,
    "size_t": 64, "ssize_t": 64, "off_t": 64, "loff_t": 64, "u64": 64, "__u64": 64,
    "aio_context_t": 64, "old_sigset_t": 64, "__kernel_old_time_t": 64,
    "cap_user_header_t": 64, "cap_user_data_t": 64,
}

# Configuration the x86_64 kernel does not have: the branches these guard
# declare other architectures' argument orders (clone) or splits.
X86_64_UNSET = {
    "CONFIG_CLONE_BACKWARDS", "CONFIG_CLONE_BACKWARDS2", "CONFIG_CLONE_BACKWARDS3",
    "CONFIG_ARCH_SPLIT_ARG64", "CONFIG_OLD_SIGSUSPEND", "CONFIG_OLD_SIGSUSPEND3",
    "CONFIG_OLD_SIGACTION", "CONFIG_HAVE_UID16", "CONFIG_ODD_RT_SIGACTION",
}


# x86_64's own entry points, declared only where they are defined (Linux 6.1
# and 6.12 sources, GPL-2.0: arch/x86/kernel/process_64.c arch_prctl,
# sys_x86_64.c mmap, signal_64.c rt_sigreturn, ioport.c iopl, ldt.c
# modify_ldt). Facts about the kernel's interface, cited, not code.
X86_64_ENTRIES = {
    "sys_arch_prctl": "int option, unsigned long arg2",
    "sys_mmap": "unsigned long addr, unsigned long len, unsigned long prot, "
                "unsigned long flags, unsigned long fd, unsigned long off",
    "sys_rt_sigreturn": "void",
    "sys_iopl": "unsigned int level",
    "sys_modify_ldt": "int func, void __user *ptr, unsigned long bytecount",
}


def decided(line):
    """For '#ifdef X' or '#if defined(X)' with X in X86_64_UNSET: False; else None."""
    m = re.match(r"#\s*(ifdef|if\s+defined)\s*\(?\s*(\w+)\s*\)?\s*$", line)
    if m and m.group(2) in X86_64_UNSET:
        return False
    return None


def declarations(path):
    """{entry: [argument list text]} from one syscalls.h, x86_64's branches only."""
    text = re.sub(r"/\*.*?\*/", " ", open(path, encoding="utf-8").read(), flags=re.S)
    text = re.sub(r"\\\n", " ", text)
    kept, stack = [], []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("#if"):
            stack.append(decided(s))
        elif s.startswith("#else") and stack:
            stack[-1] = None if stack[-1] is None else not stack[-1]
        elif s.startswith("#endif") and stack:
            stack.pop()
        elif all(v is not False for v in stack):
            kept.append(line)
    found = {}
    pattern = r"asmlinkage\s+long\s+(sys_\w+)\s*\(([^;{]*?)\)\s*;"
    for m in re.finditer(pattern, "\n".join(kept), re.S):
        found.setdefault(m.group(1), set()).add(" ".join(m.group(2).split()))
    return found


def arg_bits(arg):
    """Width of one declared argument ('const char __user *filename'), or None."""
    if "*" in arg:
        return 64
    words = [w for w in arg.replace("__user", " ").split() if w not in ("const", "volatile")]
    for n in (3, 2, 1):  # "unsigned long long fd", "unsigned int", "int"
        if " ".join(words[:n]) in TYPE_BITS:
            return TYPE_BITS[" ".join(words[:n])]
    return None


def kernel_args(text):
    if text.strip() in ("", "void"):
        return []
    return [arg_bits(a) for a in text.split(",")]


def entry_points(dirs):
    """{x86_64 number: entry name} from the newest generated syscalls_64.h."""
    files = []
    for d in dirs:
        files += glob.glob(os.path.join(d, "arch/x86/include/generated/asm/syscalls_64.h"))
    entries = {}
    for f in sorted(files, key=version_key):
        for m in re.finditer(r"__SYSCALL\((\d+),\s*(\w+)\)", open(f, encoding="utf-8").read()):
            entries[int(m.group(1))] = m.group(2)
    return entries


def version_key(path):
    m = re.search(r"linux-headers-(\d+)\.(\d+)", path)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def table_rows(path):
    """[(name, number or None, [bits])] from syscalls.tbl."""
    rows = []
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("@group"):
            continue
        cols = [c.strip() for c in line.split("|")]
        name, args = cols[0], cols[1]
        bits = []
        for a in ([] if args == "-" else args.split()):
            kind, _, b = a.partition(":")
            b = b.partition(":")[0]  # kind:bits:used: the declared width is checked
            bits.append(int(b) if b.isdigit() else b)
        rows.append((lineno, name, bits))
    return rows


def numbers():
    """{name: number} of x86_64 from the system's asm/unistd_64.h, and fallbacks in arch.h."""
    nrs = {}
    for f in ["/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h"]:
        if os.path.exists(f):
            for m in re.finditer(r"#define __NR_(\w+)\s+(\d+)", open(f, encoding="utf-8").read()):
                nrs[m.group(1)] = int(m.group(2))
    arch_h = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "arch.h")
    for m in re.finditer(r"#define __NR_(\w+)\s+(\d+)", open(arch_h, encoding="utf-8").read()):
        nrs.setdefault(m.group(1), int(m.group(2)))
    return nrs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    table = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src", "syscalls.tbl")
    env = os.environ.get("SBX_KERNEL_HEADERS")
    dirs = env.split(":") if env else glob.glob("/usr/src/linux-headers-*")
    headers = sorted((d for d in dirs if os.path.exists(os.path.join(d, "include/linux/syscalls.h"))),
                     key=version_key)
    if not headers:
        print("SKIP: no kernel headers (apt-get install linux-headers-amd64)")
        return 77
    decls = {k: {v} for k, v in X86_64_ENTRIES.items()}  # then the headers, newest last
    for h in headers:
        decls.update(declarations(os.path.join(h, "include/linux/syscalls.h")))
    entries, nrs = entry_points(dirs), numbers()
    bad, checked, unchecked = [], 0, []
    for lineno, name, bits in table_rows(table):
        where = "%s:%d: %s" % (os.path.basename(table), lineno, name)
        for i, b in enumerate(bits):
            if b not in (8, 16, 32, 64):
                bad.append("%s: argument %d has no width (%r): unknown is an error" % (where, i, b))
        if name not in nrs:
            continue  # not an x86_64 call (an i386-only name): nothing to compare
        entry = entries.get(nrs[name], "sys_" + name)
        protos = decls.get(entry)
        if not protos:
            unchecked.append("%s (%s)" % (name, entry))
            continue
        if len(protos) > 1:
            bad.append("%s: %s has %d declarations for x86_64: %s" % (where, entry, len(protos), protos))
            continue
        proto = next(iter(protos))
        kernel = kernel_args(proto)
        checked += 1
        if None in kernel:
            bad.append("%s: cannot size an argument of %s(%s): add its type" % (where, entry, proto))
        elif len(kernel) != len(bits):
            bad.append("%s: %d arguments, the kernel's %s(%s) has %d"
                       % (where, len(bits), entry, proto, len(kernel)))
        else:
            for i, (ours, theirs) in enumerate(zip(bits, kernel)):
                if ours != theirs:
                    arg = proto.split(",")[i].strip()
                    bad.append("%s: argument %d is %s bits, the kernel reads '%s' as %d"
                               % (where, i, ours, arg, theirs))
    print("headers: %s" % ", ".join(os.path.basename(h) for h in headers))
    print("%d rows checked against the kernel's prototypes" % checked)
    if unchecked:
        print("%d entries no header declares (arch-specific or newer): %s"
              % (len(unchecked), ", ".join(unchecked)))
    for b in bad:
        print("FAIL " + b)
    print("%d disagreements" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
