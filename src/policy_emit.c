/* SPDX-License-Identifier: MIT */
/*
 * policy_emit.c - a loaded policy written out as C initializers of the
 * structs of policy.h, for the shipped policies compiled at build time
 * (src/gen_policies.c), or as a text that two policies give alike when
 * they are equal field by field (tests/test_precompiled.c).
 *
 * Every field of struct policy is written or asserted empty: the sizes
 * checked below make a new field a build error here until it is.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "policy.h"
#include "shipped.h"

/* A new field in these structs must be emitted (or checked empty) below. */
_Static_assert(sizeof(struct policy) == 1368, "policy_emit.c: emit the new field of policy");
_Static_assert(sizeof(struct policy_rule) == 456, "policy_emit.c: emit the new rule field");
_Static_assert(sizeof(struct policy_isolation) == 72, "policy_emit.c: emit the new field");
_Static_assert(sizeof(struct policy_net) == 88, "policy_emit.c: emit the new field");
_Static_assert(sizeof(struct policy_fs) == 80, "policy_emit.c: emit the new field");
_Static_assert(sizeof(struct policy_mount) == 40, "policy_emit.c: emit the new field");
_Static_assert(sizeof(struct sbx_limits) == 64, "policy_emit.c: emit the new limit");

struct emit {
	FILE *out;
	const char *id;
	bool compare;
};

/* |s| as a C string literal (NULL as NULL). */
static void str(struct emit *e, const char *s)
{
	if (!s) {
		fputs("NULL", e->out);
		return;
	}
	fputc('"', e->out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(e->out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(e->out, "\\%03o", c);
		else
			fputc(c, e->out);
	}
	fputc('"', e->out);
}

static void verdict(struct emit *e, const struct policy_verdict *v)
{
	fprintf(e->out,
		"{.action = %d, .errno_value = %d, .ret_value = (int64_t)0x%" PRIx64
		"ull, .log = %d}",
		(int)v->action, v->errno_value, (uint64_t)v->ret_value, v->log);
}

/* A static array of |n| strings named ID_|name|; nothing when it is empty. */
static void str_array(struct emit *e, const char *name, char *const *list, size_t n)
{
	if (!n)
		return;
	fprintf(e->out, "static char *const %s_%s[] = {", e->id, name);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", e->out);
		str(e, list[i]);
	}
	fputs("};\n", e->out);
}

/* The initializer of a pointer to the array ID_|name|, or NULL when it is empty. */
static void ref(struct emit *e, const char *type, const char *name, size_t n)
{
	if (n)
		fprintf(e->out, "(%s)%s_%s", type, e->id, name);
	else
		fputs("NULL", e->out);
}

static void rule_arrays(struct emit *e, const struct policy_rule *r, const char *tag)
{
	if (r->n_syscalls) {
		fprintf(e->out, "static const int %s_%s_nr[] = {", e->id, tag);
		for (size_t i = 0; i < r->n_syscalls; i++)
			fprintf(e->out, "%s%d", i ? "," : "", r->syscalls[i]);
		fputs("};\n", e->out);
	}
	if (r->n_syscalls && r->entries) {
		fprintf(e->out, "static const unsigned short %s_%s_entry[] = {", e->id, tag);
		for (size_t i = 0; i < r->n_syscalls; i++)
			fprintf(e->out, "%s%u", i ? "," : "", r->entries[i]);
		fputs("};\n", e->out);
	}
}

static void rule(struct emit *e, const struct policy_rule *r, const char *tag)
{
	char name[64];

	fprintf(e->out, "{\n\t.syscalls = ");
	snprintf(name, sizeof(name), "%s_nr", tag);
	ref(e, "int *", name, r->n_syscalls);
	fprintf(e->out, ",\n\t.entries = ");
	snprintf(name, sizeof(name), "%s_entry", tag);
	ref(e, "unsigned short *", name, r->n_syscalls && r->entries);
	fprintf(e->out, ",\n\t.n_syscalls = %zu,\n\t.has_bits = %d,\n\t.bits = {", r->n_syscalls,
		r->has_bits);
	for (size_t i = 0; i < POLICY_NR_BITS / 64; i++)
		fprintf(e->out, "%s0x%" PRIx64 "ull", i ? "," : "", r->bits[i]);
	fputs("},\n\t.conds = {", e->out);
	for (size_t i = 0; i < POLICY_MAX_CONDS; i++) {
		const struct policy_cond *c = &r->conds[i];

		fprintf(e->out,
			"%s{.index = %u, .op = %d, .value = 0x%" PRIx64 "ull, .mask = 0x%" PRIx64
			"ull, .narrow = %u}",
			i ? ", " : "", c->index, (int)c->op, c->value, c->mask, c->narrow);
	}
	fprintf(e->out, "},\n\t.n_conds = %zu,\n\t.conds_any = %d,\n\t.verdict = ", r->n_conds,
		r->conds_any);
	verdict(e, &r->verdict);
	fprintf(e->out, ",\n\t.count = 0x%" PRIx64 "ull,\n\t.has_then = %d,\n\t.then = ", r->count,
		r->has_then);
	verdict(e, &r->then);
	fprintf(e->out, ",\n\t.src = %u,\n\t.index = %u,\n\t.list_key = ", r->src, r->index);
	str(e, r->list_key);
	fputs(",\n\t.name_key = ", e->out);
	str(e, r->name_key);
	fputs(",\n}", e->out);
}

/* Symbols of embed.c's texts: "judge-python" is sbx_shipped_text_judge_python. */
static void text_symbol(struct emit *e, const char *name)
{
	fputs("sbx_shipped_text_", e->out);
	for (; *name; name++)
		fputc(*name == '-' ? '_' : *name, e->out);
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static int sources(struct emit *e, const struct policy *p)
{
	for (size_t i = 0; i < p->n_sources; i++) {
		const struct sbx_shipped *sh = shipped_find(p->sources[i].name);

		if (e->compare || p->sources[i].oci)
			continue;
		if (!sh || sh->len != p->sources[i].len ||
		    memcmp(sh->text, p->sources[i].text, sh->len) != 0)
			return -EINVAL; /* only the embedded texts can be pointed at */
		fputs("extern const char ", e->out);
		text_symbol(e, sh->name);
		fputs("[];\n", e->out);
	}
	fprintf(e->out, "static const struct policy_source %s_sources[] = {\n", e->id);
	for (size_t i = 0; i < p->n_sources; i++) {
		const struct policy_source *s = &p->sources[i];

		fputs("\t{.name = (char *)", e->out);
		str(e, s->name);
		if (e->compare)
			fprintf(e->out, ", .text = 0x%" PRIx64, fnv1a(s->text, s->len));
		else {
			fputs(", .text = (char *)", e->out);
			text_symbol(e, s->name);
		}
		fprintf(e->out, ", .len = %zu, .oci = %d},\n", s->len, s->oci);
	}
	fputs("};\n", e->out);
	return 0;
}

static void arrays(struct emit *e, const struct policy *p)
{
	char tag[32];

	for (size_t i = 0; i < p->n_rules; i++) {
		snprintf(tag, sizeof(tag), "r%zu", i);
		rule_arrays(e, &p->rules[i], tag);
	}
	rule_arrays(e, &p->net_rule, "net");
	rule_arrays(e, &p->netns_rule, "netns");
	fprintf(e->out, "static const struct policy_rule %s_rules[] = {\n", e->id);
	for (size_t i = 0; i < p->n_rules; i++) {
		snprintf(tag, sizeof(tag), "r%zu", i);
		rule(e, &p->rules[i], tag);
		fputs(",\n", e->out);
	}
	fputs("};\n", e->out);
	str_array(e, "fs_read", p->fs.read, p->fs.n_read);
	str_array(e, "fs_write", p->fs.write, p->fs.n_write);
	str_array(e, "fs_exec", p->fs.exec, p->fs.n_exec);
	str_array(e, "fs_deny", p->fs.deny, p->fs.n_deny);
	str_array(e, "masked", p->isolation.masked, p->isolation.n_masked);
	if (p->isolation.n_mounts) {
		fprintf(e->out, "static const struct policy_mount %s_mounts[] = {\n", e->id);
		for (size_t i = 0; i < p->isolation.n_mounts; i++) {
			const struct policy_mount *m = &p->isolation.mounts[i];

			fprintf(e->out, "\t{.type = %d, .source = (char *)", (int)m->type);
			str(e, m->source);
			fputs(", .destination = (char *)", e->out);
			str(e, m->destination);
			fprintf(e->out, ", .read_only = %d, .size = 0x%" PRIx64 "ull},\n",
				m->read_only, m->size);
		}
		fputs("};\n", e->out);
	}
	for (int k = 0; k < 2; k++) {
		const uint16_t *ports = k ? p->net.connect : p->net.bind;
		size_t n = k ? p->net.n_connect : p->net.n_bind;

		if (!n)
			continue;
		fprintf(e->out, "static const uint16_t %s_%s[] = {", e->id, k ? "connect" : "bind");
		for (size_t i = 0; i < n; i++)
			fprintf(e->out, "%s%u", i ? "," : "", ports[i]);
		fputs("};\n", e->out);
	}
	fprintf(e->out, "static const uint32_t %s_naming_start[] = {", e->id);
	for (size_t i = 0; i <= POLICY_NR_BITS; i++)
		fprintf(e->out, "%s%s%u", i ? "," : "", i % 16 ? "" : "\n\t", p->naming_start[i]);
	fprintf(e->out, "};\nstatic const uint32_t %s_rules_naming[] = {", e->id);
	for (size_t i = 0; i < p->naming_start[POLICY_NR_BITS]; i++)
		fprintf(e->out, "%s%s%u", i ? "," : "", i % 16 ? "" : "\n\t", p->rules_naming[i]);
	fputs(p->naming_start[POLICY_NR_BITS] ? "};\n" : "0};\n", e->out);
}

static void limits(struct emit *e, const struct sbx_limits *l)
{
	fprintf(e->out,
		"\t.limits = {.cpu_time_ms = %" PRIu64 "u, .wall_time_ms = %" PRIu64
		"u, .memory_bytes = %" PRIu64 "u, .stack_bytes = %" PRIu64
		"u, .processes = %" PRIu64 "u, .output_bytes = %" PRIu64 "u, .open_files = %" PRIu64
		"u, .memory_rlimit = %d},\n",
		l->cpu_time_ms, l->wall_time_ms, l->memory_bytes, l->stack_bytes, l->processes,
		l->output_bytes, l->open_files, (int)l->memory_rlimit);
}

static void fs_net_iso(struct emit *e, const struct policy *p)
{
	const struct policy_fs *fs = &p->fs;
	const struct policy_net *net = &p->net;
	const struct policy_isolation *iso = &p->isolation;

	fprintf(e->out, "\t.fs = {.present = %d, .read = ", fs->present);
	ref(e, "char **", "fs_read", fs->n_read);
	fputs(", .write = ", e->out);
	ref(e, "char **", "fs_write", fs->n_write);
	fputs(", .exec = ", e->out);
	ref(e, "char **", "fs_exec", fs->n_exec);
	fputs(", .deny = ", e->out);
	ref(e, "char **", "fs_deny", fs->n_deny);
	fprintf(e->out,
		", .n_read = %zu, .n_write = %zu, .n_exec = %zu, .n_deny = %zu, .src = %u},\n",
		fs->n_read, fs->n_write, fs->n_exec, fs->n_deny, fs->src);
	fprintf(e->out, "\t.net = {.present = %d, .families = {", net->present);
	for (size_t i = 0; i < ARRAY_SIZE(net->families); i++)
		fprintf(e->out, "%s%d", i ? "," : "", net->families[i]);
	fprintf(e->out, "}, .n_families = %zu, .has_bind = %d, .has_connect = %d, .bind = ",
		net->n_families, net->has_bind, net->has_connect);
	ref(e, "uint16_t *", "bind", net->n_bind);
	fputs(", .connect = ", e->out);
	ref(e, "uint16_t *", "connect", net->n_connect);
	fprintf(e->out, ", .n_bind = %zu, .n_connect = %zu, .src = %u},\n", net->n_bind,
		net->n_connect, net->src);
	fprintf(e->out,
		"\t.isolation = {.present = %d, .mode = %d, .namespaces = %u, .workdir = %d, "
		".tmp_size = %" PRIu64 "u, .shm_size = %" PRIu64 "u, .mounts = ",
		iso->present, (int)iso->mode, iso->namespaces, (int)iso->workdir, iso->tmp_size,
		iso->shm_size);
	ref(e, "struct policy_mount *", "mounts", iso->n_mounts);
	fprintf(e->out, ", .n_mounts = %zu, .masked = ", iso->n_mounts);
	ref(e, "char **", "masked", iso->n_masked);
	fprintf(e->out, ", .n_masked = %zu, .outside = %d, .src = %u},\n", iso->n_masked,
		(int)iso->outside, iso->src);
}

int policy_emit(FILE *out, const struct policy *p, const char *id, size_t n_prebuilt, bool compare)
{
	struct emit e = {.out = out, .id = id, .compare = compare};
	int r;

	if (p->oci || !p->naming_start || (!compare && (p->precompiled || p->filter_cache)))
		return -EINVAL;
	r = sources(&e, p);
	if (r < 0)
		return r;
	arrays(&e, p);
	fprintf(out, "static const struct policy %s = {\n\t.source = (char *)", id);
	str(&e, p->source);
	fputs(",\n\t.default_verdict = ", out);
	verdict(&e, &p->default_verdict);
	fprintf(out, ",\n\t.has_default = %d,\n\t.default_src = %u,\n\t.rules = ", p->has_default,
		p->default_src);
	ref(&e, "struct policy_rule *", "rules", p->n_rules);
	fprintf(out, ",\n\t.n_rules = %zu,\n\t.arches = %u,\n\t.has_arches = %d,\n", p->n_rules,
		p->arches, p->has_arches);
	limits(&e, &p->limits);
	fprintf(out, "\t.filter_flags = %u,\n", p->filter_flags);
	fs_net_iso(&e, p);
	fputs("\t.net_rule = ", out);
	rule(&e, &p->net_rule, "net");
	fputs(",\n\t.netns_rule = ", out);
	rule(&e, &p->netns_rule, "netns");
	fprintf(out, ",\n\t.oci = NULL,\n\t.sources = (struct policy_source *)%s_sources,\n", id);
	fprintf(out, "\t.n_sources = %zu,\n", p->n_sources);
	fprintf(out, "\t.naming_start = (uint32_t *)%s_naming_start,\n", id);
	fprintf(out, "\t.rules_naming = (uint32_t *)%s_rules_naming,\n", id);
	if (!compare)
		fprintf(out,
			"\t.precompiled = true,\n\t.prebuilt = %s_prebuilt,\n\t.n_prebuilt = "
			"%zu,\n",
			id, n_prebuilt);
	fputs("};\n", out);
	return ferror(out) ? -EIO : 0;
}
