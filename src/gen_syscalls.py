#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn src/syscalls.tbl into C (the build runs this; see meson.build).

Usage: gen_syscalls.py syscalls.tbl OUT.c

The output defines syscall_rows[] (sorted by name, for bsearch),
syscall_nr_index[] (native number -> row index + 1) and syscall_groups[].
A malformed row stops the build with file:line and what is wrong.
"""
import sys

TRAIT_FLAGS = {
    "task": "SYSCALL_TASK",
    "signal": "SYSCALL_SIGNAL",
    "target": "SYSCALL_TARGET",
    "essential": "SYSCALL_ESSENTIAL",
    "address": "SYSCALL_ADDRESS",
}
ACCESS = {"read": "ACC_READ", "write": "ACC_WRITE", "exec": "ACC_EXEC", "meta": "ACC_META",
          "open": "ACC_OPEN", "open2": "ACC_OPEN2"}
SETID_WHEN = {"": "SETID_ALWAYS", "creates": "SETID_CREATES", "regular": "SETID_REGULAR"}


class TableError(Exception):
    pass


def parse_args(text):
    if text == "-":
        return []
    args = []
    for a in text.split():
        kind, sep, bits = a.partition(":")
        declared, _, used = bits.partition(":")
        used = used or declared
        if (not sep or declared not in ("16", "32", "64") or used not in ("16", "32", "64")
                or int(used) > int(declared) or not kind.replace("_", "").isalnum()):
            raise TableError("argument %r: want kind:bits or kind:bits:used, bits 16, 32 "
                             "or 64, used no more than bits" % a)
        args.append(("A_" + kind.upper(), int(used)))
    if len(args) > 6:
        raise TableError("%d arguments: a call has at most 6" % len(args))
    return args


CPUS = {"x86_64": "SYSCALL_CPU_X86_64", "aarch64": "SYSCALL_CPU_AARCH64"}


def parse_traits(text, row):
    row.update(flags=[], target_arg=-1, target_bits=0, setid=(-1, ""), paths=[],
               socketcalls=[], ipc=0, i386=0, cpus=sorted(CPUS), args_aarch64=None)
    for t in ([] if text == "-" else text.split()):
        key, _, val = t.partition("=")
        if t in TRAIT_FLAGS:
            row["flags"].append(TRAIT_FLAGS[t])
        elif key == "target" and val == "self0":
            row["flags"] += ["SYSCALL_TARGET", "SYSCALL_TARGET_SELF0"]
        elif key == "target" and "&" in val:
            i, _, bits = val.partition("&")
            row["flags"].append("SYSCALL_TARGET")
            row["target_arg"], row["target_bits"] = int(i), int(bits, 0)
        elif key == "path":
            d, p, acc = val.split(":")
            if acc not in ACCESS or len(row["paths"]) == 2:
                raise TableError("trait %r: access one of %s, two paths at most" % (t, list(ACCESS)))
            row["paths"].append((-1 if d == "-" else int(d), int(p), ACCESS[acc]))
        elif key == "setid":
            i, _, when = val.partition("/")
            if when not in SETID_WHEN:
                raise TableError("trait %r: /creates or /regular" % t)
            row["setid"] = (int(i), when)
        elif key == "socketcall":
            row["socketcalls"] = [int(v) for v in val.split(",")]
        elif key == "ipc":
            row["ipc"] = int(val)
        elif key == "i386":
            row["i386"] = int(val)
        elif t == "abi=i386":
            row["flags"].append("SYSCALL_I386_ONLY")
            row["cpus"] = []  # no native ABI has it
        elif key == "cpu":
            if any(c not in CPUS for c in val.split(",")):
                raise TableError("trait %r: CPUs are %s" % (t, ", ".join(sorted(CPUS))))
            row["cpus"] = sorted(val.split(","))
        elif key == "aarch64":
            row["args_aarch64"] = parse_args(val.replace(",", " "))
            if len(row["args_aarch64"]) != len(row["args"]):
                raise TableError("trait %r: as many arguments as the row's" % t)
        else:
            raise TableError("unknown trait %r" % t)


def parse(path):
    groups, rows = [], []
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cols = [c.strip() for c in line.split("|")]
        try:
            if cols[0].startswith("@group"):
                name = cols[0].split()[1]
                includes = cols[2].split() if len(cols) > 2 else []
                groups.append({"name": name, "description": cols[1], "includes": includes})
                continue
            if len(cols) != 4:
                raise TableError("want 4 columns: name | arguments | groups | traits")
            row = {"name": cols[0], "args": parse_args(cols[1]),
                   "groups": [] if cols[2] == "-" else cols[2].split(",")}
            parse_traits(cols[3], row)
            rows.append(row)
        except (TableError, ValueError) as e:
            raise SystemExit("%s:%d: %s" % (path, lineno, e))
    names = [g["name"] for g in groups]
    for r in rows:
        for g in r["groups"]:
            if g not in names:
                raise SystemExit("%s: %s: no @group %s" % (path, r["name"], g))
    for g in groups:
        for inc in g["includes"]:
            if inc[1:] not in names:
                raise SystemExit("%s: @group %s includes unknown %s" % (path, g["name"], inc))
    rows.sort(key=lambda r: r["name"])
    for a, b in zip(rows, rows[1:]):
        if a["name"] == b["name"]:
            raise SystemExit("%s: two rows for %s" % (path, a["name"]))
    return groups, rows


def c_list(items, width=6):
    return ", ".join(str(i) for i in items) if items else "0"


def emit(groups, rows, out):
    w = out.write
    w("/* Generated from syscalls.tbl by gen_syscalls.py: edit the table, not this file. */\n")
    w('#include "syscalls.h"\n\n#include <stddef.h>\n#include <sys/syscall.h>\n\n')
    w('#include "arch.h" /* numbers newer than the system headers */\n\n')
    for r in rows:
        n = r["name"]
        if "aarch64" in r["cpus"] or not r["cpus"]:
            w("#ifdef __NR_%s\n#define NR_%s __NR_%s\n#else\n#define NR_%s (-1)\n#endif\n"
              % (n, n, n, n))
            continue
        # The table says aarch64 has no such call: its headers must agree.
        w("#if defined(__aarch64__) && defined(__NR_%s)\n#error \"syscalls.tbl: %s is cpu=x86_64, "
          "but aarch64's headers number it\"\n#endif\n" % (n, n))
        w("#if defined(__x86_64__) && defined(__NR_%s)\n#define NR_%s __NR_%s\n#else\n"
          "#define NR_%s (-1)\n#endif\n" % (n, n, n, n))
    w("\nconst struct syscall_row syscall_rows[] = {\n")
    gindex = {g["name"]: i for i, g in enumerate(groups)}
    for r in rows:
        args = r["args"]
        mask = " | ".join("(1u << %d)" % gindex[g] for g in r["groups"]) or "0"
        paths = ", ".join("{%d, %d, %s}" % p for p in r["paths"])
        w("\t{.name = \"%s\", .nr = NR_%s, .n = %d,\n" % (r["name"], r["name"], len(args)))
        arg_line = "\t .arg = {%s}, .bits = {%s},\n"
        if r["args_aarch64"]:
            a64 = r["args_aarch64"]
            w("#if defined(__aarch64__)\n")
            w(arg_line % (c_list([a[0] for a in a64]), c_list([a[1] for a in a64])))
            w("#else\n")
        w(arg_line % (c_list([a[0] for a in args]), c_list([a[1] for a in args])))
        if r["args_aarch64"]:
            w("#endif\n")
        w("\t .cpus = %s,\n" % (" | ".join(CPUS[c] for c in r["cpus"]) or "0"))
        w("\t .groups = %s, .traits = %s,\n" % (mask, " | ".join(r["flags"]) or "0"))
        w("\t .target_arg = %d, .target_bits = %#x, .setid_arg = %d, .setid_when = %s,\n"
          % (r["target_arg"], r["target_bits"], r["setid"][0], SETID_WHEN[r["setid"][1]]))
        w("\t .n_paths = %d, .paths = {%s}, .socketcalls = {%s}, .ipc = %d, .i386_nr = %d},\n"
          % (len(r["paths"]), paths or "{0}", c_list(r["socketcalls"]), r["ipc"], r["i386"]))
    w("};\nconst size_t syscall_n_rows = sizeof(syscall_rows) / sizeof(syscall_rows[0]);\n\n")
    w("const unsigned short syscall_nr_index[SYSCALL_NR_MAX] = {\n")
    for i, r in enumerate(rows):
        w("#if NR_%s >= 0\n\t[NR_%s] = %d,\n#endif\n" % (r["name"], r["name"], i + 1))
    w("};\n\n")
    for i, g in enumerate(groups):
        members = g["includes"] + [r["name"] for r in rows if g["name"] in r["groups"]]
        w("static const char *const members_%d[] = {%s, NULL};\n"
          % (i, ", ".join('"%s"' % m for m in members)))
    w("\nconst struct syscall_group syscall_groups[] = {\n")
    for i, g in enumerate(groups):
        w('\t{"%s", "%s", members_%d},\n' % (g["name"], g["description"].replace('"', '\\"'), i))
    w("};\nconst size_t syscall_n_groups = sizeof(syscall_groups) / sizeof(syscall_groups[0]);\n")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: gen_syscalls.py syscalls.tbl OUT.c")
    groups, rows = parse(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        emit(groups, rows, out)


if __name__ == "__main__":
    main()
