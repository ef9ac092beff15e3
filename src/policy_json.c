/* SPDX-License-Identifier: MIT */
/*
 * policy_json.c - owns the diagnostics of the policy readers and the value
 * readers they share. Knows jansson and libseccomp's name tables; no
 * filter, no system calls.
 *
 * Names are portable: a policy may name a call of any supported CPU
 * (x86_64, aarch64) or of their foreign ABIs (i386, x32, AArch32), and a
 * name this CPU lacks (open, fork on aarch64) adds nothing here and is no
 * problem, as runc treats a profile's names. Only a name no supported CPU
 * has is an error.
 */
#include "policy_json.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "groups.h"
#include "names.h"

void diag_at(struct parser *ps, const char *path, bool at_key, bool warning, const char *fmt, ...)
{
	struct jsonpos pos = {1, 1};
	va_list ap;

	if ((warning && ps->count_warnings_only) || !ps->diag) {
		if (warning)
			ps->warnings++;
		else
			ps->errors++;
		return;
	}
	jsonpos_find_cached(ps->cursor, ps->text, ps->len, path, at_key, &pos);
	strbuf_printf(ps->diag, "%s:%u:%u: %s: %s", ps->source, pos.line, pos.column,
		      *path ? path : "(top level)", warning ? "warning: " : "");
	va_start(ap, fmt);
	strbuf_vprintf(ps->diag, fmt, ap);
	va_end(ap);
	strbuf_append_char(ps->diag, '\n');
	if (warning)
		ps->warnings++;
	else
		ps->errors++;
}

const char *json_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

/*
 * A path too deep for the buffer is cut: it only labels a message, and the
 * position is found from the same (cut) path, pointing at the deepest value
 * it still names.
 */
/* Append |s| at |*len| in |out| (|size| bytes), cut to fit; always terminated. */
static void append_cut(char *out, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n >= size)
		n = size - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

/* Every value of a policy gets its path: built without printf, which costs more here. */
void path_key(char *out, size_t size, const char *prefix, const char *key)
{
	size_t len = 0;

	out[0] = '\0';
	append_cut(out, size, &len, prefix);
	append_cut(out, size, &len, *prefix ? "." : "");
	append_cut(out, size, &len, key);
}

void path_index(char *out, size_t size, const char *prefix, size_t i)
{
	char digits[24], *d = digits + sizeof(digits);
	size_t len = 0;

	*--d = '\0';
	*--d = ']';
	do
		*--d = (char)('0' + i % 10);
	while ((i /= 10) > 0);
	*--d = '[';
	out[0] = '\0';
	append_cut(out, size, &len, prefix);
	append_cut(out, size, &len, d);
}

void check_keys(struct parser *ps, json_t *obj, const char *path, const char *const *allowed)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value)
	{
		char kpath[PATH_MAX_LEN];
		struct strbuf list = {0};
		const char *const *a;

		for (a = allowed; *a && strcmp(*a, key) != 0; a++)
			;
		if (*a)
			continue;
		/* Only a bad key pays for the list of good ones. */
		for (a = allowed; *a; a++)
			strbuf_printf(&list, "%s\"%s\"", a == allowed ? "" : ", ", *a);
		path_key(kpath, sizeof(kpath), path, key);
		/* runc, crun and Podman ignore keys they do not know ("description", "$schema"). */
		if (ps->oci)
			diag_at(ps, kpath, true, true,
				"unknown key \"%s\": ignored, as runc does (known: %s)", key,
				strbuf_str(&list));
		else
			report_key(ps, kpath, "unknown key \"%s\" (expected one of %s)", key,
				   strbuf_str(&list));
		strbuf_free(&list);
	}
}

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];

	if (lb >= ARRAY_SIZE(row))
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The closest native syscall name to |name|, or NULL when nothing is close. */
const char *suggest_syscall(const char *name, char *buf, size_t size)
{
	size_t best = 3;
	bool found = false;

	for (int nr = 0; nr < NR_INDEX_MAX; nr++) {
		char *cand = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		size_t d;

		if (!cand)
			continue;
		d = edit_distance(name, cand);
		if (d < best) {
			best = d;
			snprintf(buf, size, "%s", cand);
			found = true;
		}
		free(cand);
	}
	return found ? buf : NULL;
}

static const char *closest(const char *name, char *const *names, size_t n, char *buf, size_t size)
{
	size_t best = 3, len = strlen(name);
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		size_t d, clen = strlen(names[i]);

		if ((clen > len ? clen - len : len - clen) >= best)
			continue; /* the distance is at least the difference in length */
		d = edit_distance(name, names[i]);
		if (d < best) {
			best = d;
			snprintf(buf, size, "%s", names[i]);
			found = true;
		}
	}
	return found ? buf : NULL;
}

/* Suggestions come from every supported CPU's names: the same message on each. */
const char *parser_suggest_syscall(struct parser *ps, const char *name, char *buf, size_t size)
{
	if (!ps->names) {
		ps->names = calloc(POLICY_N_CPUS * NR_INDEX_MAX, sizeof(*ps->names));
		if (!ps->names)
			return NULL;
		for (size_t c = 0; c < POLICY_N_CPUS; c++)
			for (int nr = 0; nr < NR_INDEX_MAX; nr++) {
				char *cand = seccomp_syscall_resolve_num_arch(
					policy_cpus[c]->scmp_arch, nr);

				if (cand)
					ps->names[ps->n_names++] = cand;
			}
	}
	return closest(name, ps->names, ps->n_names, buf, size);
}

void parser_release(struct parser *ps)
{
	for (size_t i = 0; i < ps->n_names; i++)
		free(ps->names[i]);
	free(ps->names);
	ps->names = NULL;
	ps->n_names = 0;
}

/* The closest group name (without '@') to |name|, or NULL. */
const char *suggest_group(const char *name)
{
	const char *hint = NULL;
	size_t best = 4;

	for (size_t i = 0; i < group_count(); i++) {
		size_t d = edit_distance(name, group_at(i)->name);

		if (d < best) {
			best = d;
			hint = group_at(i)->name;
		}
	}
	return hint;
}

int rule_add_nr(struct policy_rule *r, int nr, unsigned int entry)
{
	int *nrs;
	unsigned short *entries;

	if (r->n_syscalls == 0 && nr >= 0 && nr < POLICY_NR_BITS)
		r->has_bits = true;
	if (policy_rule_names(r, nr))
		return 0;
	if (nr < 0 || nr >= POLICY_NR_BITS)
		r->has_bits = false; /* the bitmap cannot hold it: the list alone answers */
	if ((r->n_syscalls & (r->n_syscalls - 1)) == 0) { /* 0, 1, 2, 4 ...: double */
		size_t room = r->n_syscalls ? 2 * r->n_syscalls : 1;

		nrs = realloc(r->syscalls, room * sizeof(*nrs));
		if (!nrs)
			return -ENOMEM;
		r->syscalls = nrs;
		entries = realloc(r->entries, room * sizeof(*entries));
		if (!entries)
			return -ENOMEM;
		r->entries = entries;
	}
	r->syscalls[r->n_syscalls] = nr;
	r->entries[r->n_syscalls++] = (unsigned short)entry;
	if (r->has_bits)
		r->bits[nr / 64] |= 1ull << (nr % 64);
	return 0;
}

const struct arch_desc *const policy_cpus[POLICY_N_CPUS] = {&arch_x86_64, &arch_aarch64};

/* libseccomp's token for the CPU whose numbers the rules get. */
static uint32_t rules_cpu(const struct parser *ps)
{
	return ps->cpu ? ps->cpu->scmp_arch : ARCH_NATIVE->scmp_arch;
}

/* True when |name| is a call of a supported CPU, natively or through a foreign ABI. */
static bool call_of_any_cpu(const char *name)
{
	const uint32_t abis[] = {arch_x86_64.scmp_arch, arch_abi_scmp(ABI_X86),
				 arch_abi_scmp(ABI_X32), arch_aarch64.scmp_arch,
				 arch_abi_scmp(ABI_ARM)};

	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		if (seccomp_syscall_resolve_name_arch(abis[i], name) >= 0)
			return true;
	return false;
}

/* Note |name| for each supported CPU that lacks it (--check). Returns 0 or -ENOMEM. */
static int note_absent(struct parser *ps, const char *name)
{
	struct absent_names *a = ps->absent;

	for (size_t c = 0; a && c < POLICY_N_CPUS; c++) {
		char **names;

		if (seccomp_syscall_resolve_name_arch(policy_cpus[c]->scmp_arch, name) >= 0)
			continue;
		names = realloc(a->names[c], (a->n[c] + 1) * sizeof(*names));
		if (!names)
			return -ENOMEM;
		a->names[c] = names;
		names[a->n[c]] = xstrdup(name);
		if (!names[a->n[c]])
			return -ENOMEM;
		a->n[c]++;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void absent_names_write(struct absent_names *a, const char *source, struct strbuf *out)
{
	for (size_t c = 0; c < POLICY_N_CPUS; c++) {
		if (a->n[c] == 0)
			continue;
		qsort(a->names[c], a->n[c], sizeof(*a->names[c]), cmp_names);
		strbuf_printf(out, "%s: absent on %s: %s", source, policy_cpus[c]->name,
			      a->names[c][0]);
		for (size_t i = 1; i < a->n[c]; i++)
			if (strcmp(a->names[c][i], a->names[c][i - 1]) != 0)
				strbuf_printf(out, ", %s", a->names[c][i]);
		strbuf_append_char(out, '\n');
	}
}

void absent_names_release(struct absent_names *a)
{
	for (size_t c = 0; c < POLICY_N_CPUS; c++) {
		for (size_t i = 0; i < a->n[c]; i++)
			free(a->names[c][i]);
		free(a->names[c]);
		a->names[c] = NULL;
		a->n[c] = 0;
	}
}

/*
 * Members of a group, nested groups included; the tables are acyclic (a
 * test checks). A member the CPU lacks (arch_prctl on aarch64) is left out.
 */
static int add_group(const struct parser *ps, const struct syscall_group *g, unsigned int entry,
		     struct policy_rule *r, int depth)
{
	for (const char *const *m = g->members; *m && depth < 8; m++) {
		int nr, rc;

		if (**m == '@') {
			const struct syscall_group *sub = group_find(*m);

			rc = sub ? add_group(ps, sub, entry, r, depth + 1) : 0;
		} else {
			nr = seccomp_syscall_resolve_name_arch(rules_cpu(ps), *m);
			rc = nr != __NR_SCMP_ERROR && nr < NR_INDEX_MAX ? rule_add_nr(r, nr, entry)
									: 0;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int rule_add_names(struct parser *ps, const char *path, json_t *j, unsigned int entry,
		   struct policy_rule *r)
{
	const struct syscall_group *g;
	const char *name, *hint;
	char buf[64];
	int nr;

	if (!json_is_string(j)) {
		report(ps, path, "expected a syscall name or @group (a string), got %s",
		       json_type_name(j));
		return 0;
	}
	name = json_string_value(j);
	if (*name == '@') {
		g = group_find(name);
		if (g)
			return add_group(ps, g, entry, r, 0);
		hint = suggest_group(name + 1);
		if (hint)
			report(ps, path, "unknown group \"%s\" (did you mean \"@%s\"?)", name,
			       hint);
		else
			report(ps, path, "unknown group \"%s\" (sandbox --list-groups lists them)",
			       name);
		return 0;
	}
	nr = seccomp_syscall_resolve_name_arch(rules_cpu(ps), name);
	if (!ps->oci && call_of_any_cpu(name)) {
		/*
		 * A portable policy: a name this CPU lacks adds nothing to its
		 * native filter, but is kept by libseccomp's pseudo number
		 * (negative): a foreign ABI that has the call (AArch32's open
		 * and fork on aarch64, i386's waitpid on x86_64) is decided by
		 * the rule, at a stop (policy_match(), filter.c).
		 */
		int rc = note_absent(ps, name);

		if (rc < 0 || nr == __NR_SCMP_ERROR || nr >= NR_INDEX_MAX)
			return rc;
		return rule_add_nr(r, nr, entry);
	}
	if (nr >= 0 && nr < NR_INDEX_MAX)
		return rule_add_nr(r, nr, entry);
	if (nr != __NR_SCMP_ERROR && ps->oci)
		return 0; /* another architecture's call, listed by a multi-arch profile */
	if (ps->oci) {
		/*
		 * Profiles list calls newer than this libseccomp: skipped, but
		 * said, with a suggestion in case it is a typo.
		 */
		if (!ps->count_warnings_only && parser_suggest_syscall(ps, name, buf, sizeof(buf)))
			warn(ps, path, "unknown syscall \"%s\" (did you mean \"%s\"?): skipped",
			     name, buf);
		else
			warn(ps, path, "unknown syscall \"%s\": skipped", name);
		return 0;
	}
	if (nr == __NR_SCMP_ERROR && parser_suggest_syscall(ps, name, buf, sizeof(buf)))
		report(ps, path, "unknown syscall \"%s\" (did you mean \"%s\"?)", name, buf);
	else if (nr == __NR_SCMP_ERROR)
		report(ps, path, "unknown syscall \"%s\"", name);
	else
		report(ps, path,
		       "syscall \"%s\" is another machine's: neither x86_64 nor aarch64 (nor "
		       "their i386, x32 or arm ABIs) has it",
		       name);
	return 0;
}

int rule_add_name_list(struct parser *ps, const char *path, json_t *list, struct policy_rule *r)
{
	char epath[PATH_MAX_LEN];
	json_t *j;
	size_t i;
	int rc;

	if (!json_is_array(list) || json_array_size(list) == 0) {
		report(ps, path, "expected a non-empty list of syscall names");
		return 0;
	}
	json_array_foreach(list, i, j)
	{
		path_index(epath, sizeof(epath), path, i);
		rc = rule_add_names(ps, epath, j, (unsigned int)i, r);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void parse_arg_index(struct parser *ps, const char *path, json_t *obj, unsigned int *ret)
{
	char kpath[PATH_MAX_LEN];
	json_t *j = json_object_get(obj, "index");

	path_key(kpath, sizeof(kpath), path, "index");
	if (!j)
		report(ps, path, "missing key \"index\" (argument number 0..5)");
	else if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > 5)
		report(ps, kpath, "argument index must be an integer 0..5");
	else
		*ret = (unsigned int)json_integer_value(j);
}

bool parse_u64(struct parser *ps, const char *path, json_t *j, uint64_t *ret)
{
	if (json_is_integer(j)) {
		*ret = (uint64_t)json_integer_value(j);
		return true;
	}
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		char *end;

		errno = 0;
		*ret = strtoull(s, &end, 0);
		if (*s && *s != '-' && *end == '\0' && errno == 0)
			return true;
	}
	report(ps, path, "expected an integer (or a string such as \"0xff\"), got %s",
	       json_type_name(j));
	return false;
}

void parse_errno(struct parser *ps, const char *path, json_t *j, int *ret)
{
	if (json_is_integer(j) && json_integer_value(j) >= 1 && json_integer_value(j) <= 4095) {
		*ret = (int)json_integer_value(j);
		return;
	}
	if (json_is_string(j) && errno_from_name(json_string_value(j)) > 0) {
		*ret = errno_from_name(json_string_value(j));
		return;
	}
	if (json_is_string(j))
		report(ps, path, "unknown errno name \"%s\" (expected a name such as \"EACCES\")",
		       json_string_value(j));
	else
		report(ps, path, "expected an errno name such as \"EPERM\" or a number 1..4095");
}
