#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The manuals name everything the program and its schemas have:

- every long option `sandbox --help` prints is in docs/sandbox.1 and in
  the usage block of README.md (and every option of the option table is in --help);
- every field of docs/report.schema.json, nested ones included, is in the
  REPORT section of docs/sandbox.1;
- every key of our policy format (docs/policy.schema.json, its "native"
  part and what that part refers to) is in docs/sandbox-policy.5 and in
  docs/policy.md; the keys of an OCI profile that sandbox reads are in
  docs/policy.md;
- the README's fuzz recipe names only directories a clean clone has or
  the recipe makes.

Environment (set by meson): SBX_BIN, SBX_SOURCE.
"""
import json
import os
import re
import subprocess
import sys

from checklib import check, finish

BIN = os.environ["SBX_BIN"]
SRC = os.environ["SBX_SOURCE"]


def read(*parts):
    with open(os.path.join(SRC, *parts)) as f:
        return f.read()


def man_text(text):
    """A man page's source as the words it shows: escapes and fonts dropped."""
    text = text.replace("\\-", "-").replace("\\(em", "-")
    text = re.sub(r"\\f[BIRP]|\\f\(..|\\&|\\e", "", text)
    return text


def has_word(text, word):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def man_section(text, name):
    """The text of section .SH NAME, up to the next .SH."""
    m = re.search(r"^\.SH " + re.escape(name) + r"\b(.*?)(?=^\.SH |\Z)", text, re.S | re.M)
    return m.group(1) if m else ""


def readme_usage():
    """The first code block of the README's "## Usage" section."""
    m = re.search(r"^## Usage\n(.*?)(?=^## |\Z)", read("README.md"), re.S | re.M)
    blocks = m.group(1).split("```") if m else []
    return blocks[1] if len(blocks) > 1 else ""


def options_documented():
    help_text = subprocess.run([BIN, "--help"], capture_output=True, text=True, check=True).stdout
    options = sorted(set(re.findall(r"(?<![\w-])--([a-z][a-z0-9-]*)", help_text)))
    check(len(options) >= 40, f"{len(options)} long options found in --help")
    man = man_text(read("docs", "sandbox.1"))
    usage = readme_usage()
    check(usage != "", "README.md has a Usage section with a code block")
    for opt in options:
        check(has_word(man, "--" + opt), f"--{opt} is in docs/sandbox.1")
        check(has_word(usage, "--" + opt), f"--{opt} is in README.md's usage block")
    # The option table of the program, against --help: none is left out of it.
    table = re.findall(r'^\s*\{"([a-z][a-z0-9-]*)",', read("src", "cli", "main.c"), re.M)
    check(len(table) >= 40, f"{len(table)} options in src/cli/main.c's table")
    for opt in table:
        check(opt in options, f"--{opt} (src/cli/main.c) is in --help")


def keys(schema, node, out, seen):
    """Every property name reachable from |node|, following $ref into |schema|'s $defs."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref and ref.startswith("#/$defs/") and ref not in seen:
            seen.add(ref)
            keys(schema, schema["$defs"][ref[len("#/$defs/"):]], out, seen)
        for name, sub in node.get("properties", {}).items():
            out.add(name)
            keys(schema, sub, out, seen)
        for k, v in node.items():
            if k != "properties":
                keys(schema, v, out, seen)
    elif isinstance(node, list):
        for v in node:
            keys(schema, v, out, seen)


def report_documented():
    schema = json.loads(read("docs", "report.schema.json"))
    fields = set()
    keys(schema, schema, fields, set())
    check(len(fields) >= 30, f"{len(fields)} report fields in docs/report.schema.json")
    report = man_text(man_section(read("docs", "sandbox.1"), "REPORT"))
    check(report != "", "docs/sandbox.1 has a REPORT section")
    for field in sorted(fields):
        check(has_word(report, field), f"report field {field} is in sandbox(1)'s REPORT section")


def policy_documented():
    schema = json.loads(read("docs", "policy.schema.json"))
    native, oci = set(), set()
    keys(schema, schema["$defs"]["native"], native, set())
    keys(schema, schema["$defs"]["oci"], oci, set())
    check(len(native) >= 30, f"{len(native)} keys of our policy format in the schema")
    man = man_text(read("docs", "sandbox-policy.5"))
    md = read("docs", "policy.md")
    for key in sorted(native):
        check(has_word(man, key), f"policy key {key} is in docs/sandbox-policy.5")
        check(has_word(md, key), f"policy key {key} is in docs/policy.md")
    for key in sorted(oci - native):
        check(has_word(md, key), f"OCI profile key {key} is in docs/policy.md")


def shipped_policies_documented():
    """Every policy compiled into the binary (its --help lists them) is named in
    sandbox(1), policy.md and judge.md, and shipped as policies/NAME.json."""
    help_text = subprocess.run([BIN, "--help"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"shipped policy's name:\s*(.*?)\):", help_text, re.S)
    names = [n.strip() for n in m.group(1).split(",")] if m else []
    check(len(names) >= 5, f"{len(names)} shipped policies in --help")
    man = man_text(read("docs", "sandbox.1"))
    policy_md = read("docs", "policy.md")
    judge_md = read("docs", "judge.md")
    for name in names:
        check(has_word(man, name), f"shipped policy {name} is in docs/sandbox.1")
        check(has_word(policy_md, name), f"shipped policy {name} is in docs/policy.md")
        if name.startswith("judge"):
            check(has_word(judge_md, name), f"shipped policy {name} is in docs/judge.md")
        check(os.path.exists(os.path.join(SRC, "policies", name + ".json")),
              f"policies/{name}.json exists")


def fuzz_recipe_runs_as_written():
    """Every directory the fuzzer is given exists in the tree or is made by the recipe."""
    readme = read("README.md")
    lines = [line for line in readme.splitlines() if re.search(r"\bfuzz-policy\b", line)
             and "-dict" in line]
    check(len(lines) == 1, "README.md has one command that runs the fuzzer")
    made = set()
    for line in readme.splitlines():
        m = re.match(r"\s*mkdir(?: -p)? (.+)", line)
        if m:
            made.update(m.group(1).split())
    for line in lines:
        for arg in line.split()[1:]:
            if arg.startswith("-"):
                continue
            ok = arg in made or os.path.isdir(os.path.join(SRC, arg))
            check(ok, f"the fuzz recipe's directory {arg} exists or is made by the recipe")


def main():
    options_documented()
    report_documented()
    policy_documented()
    shipped_policies_documented()
    fuzz_recipe_runs_as_written()
    finish()


if __name__ == "__main__":
    main()
