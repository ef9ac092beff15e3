/* SPDX-License-Identifier: MIT */
/*
 * policy_emit.c - a loaded policy written out as C, for the shipped
 * policies compiled at build time (src/gen_policies.c), or as a text that
 * two policies give alike when they are equal field by field
 * (tests/test_precompiled.c).
 *
 * The C holds no pointer in data: a pointer stored in an initialized
 * object is a relocation the dynamic loader writes at every start of the
 * program, copying each page that has one (measured: 39 page faults and
 * 64 us per start with the first draft, which had them). So the structs
 * are templates with every pointer NULL, in read-only data, and a
 * function ID_make() copies them into one allocation and sets the
 * pointers (to arrays of numbers, string literals and the embedded texts)
 * in code.
 *
 * Every field of struct policy is written or asserted empty: the sizes
 * checked below make a new field a build error here until it is.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "filter.h"
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
	FILE *fix;     /* the statements of ID_make() that set pointers (not in compare mode) */
	FILE *members; /* the members of ID_block after the policy */
	const char *id;
	bool compare;
};

/* |s| as a C string literal (NULL as NULL). */
static void literal(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/*
 * A string field at |path| (an lvalue in ID_make()): its literal when
 * comparing; else NULL in the template and an assignment in ID_make().
 */
static void str(struct emit *e, const char *path, const char *s)
{
	if (e->compare || !s) {
		literal(e->out, s);
		return;
	}
	fputs("NULL", e->out);
	fprintf(e->fix, "\t%s = (char *)", path);
	literal(e->fix, s);
	fputs(";\n", e->fix);
}

/*
 * A pointer field at |path| to the array ID_|name| of type |type| (NULL
 * when |n| is 0): its name when comparing, else NULL and an assignment.
 */
static void ref(struct emit *e, const char *path, const char *type, const char *name, size_t n)
{
	if (!n) {
		fputs("NULL", e->out);
		return;
	}
	if (e->compare) {
		fprintf(e->out, "(%s)%s_%s", type, e->id, name);
		return;
	}
	fputs("NULL", e->out);
	fprintf(e->fix, "\t%s = (%s)%s_%s;\n", path, type, e->id, name);
}

/* A pointer field at |path| to the array |member| of the block (gen mode), |n| long. */
static void block_ref(struct emit *e, const char *path, const char *member, size_t n)
{
	fputs("NULL", e->out);
	if (n && !e->compare)
		fprintf(e->fix, "\t%s = b->%s;\n", path, member);
}

static void verdict(struct emit *e, const struct policy_verdict *v)
{
	fprintf(e->out,
		"{.action = %d, .errno_value = %d, .ret_value = (int64_t)0x%" PRIx64
		"ull, .log = %d}",
		(int)v->action, v->errno_value, (uint64_t)v->ret_value, v->log);
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

/* Rule |r| as an initializer; |tag| names its arrays, |path| is the rule in ID_make(). */
static void rule(struct emit *e, const struct policy_rule *r, const char *tag, const char *path)
{
	char name[64], field[128];

	fprintf(e->out, "{\n\t.syscalls = ");
	snprintf(name, sizeof(name), "%s_nr", tag);
	snprintf(field, sizeof(field), "%s.syscalls", path);
	ref(e, field, "int *", name, r->n_syscalls);
	fprintf(e->out, ",\n\t.entries = ");
	snprintf(name, sizeof(name), "%s_entry", tag);
	snprintf(field, sizeof(field), "%s.entries", path);
	ref(e, field, "unsigned short *", name, r->n_syscalls && r->entries);
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
	snprintf(field, sizeof(field), "%s.list_key", path);
	str(e, field, r->list_key);
	fputs(",\n\t.name_key = ", e->out);
	snprintf(field, sizeof(field), "%s.name_key", path);
	str(e, field, r->name_key);
	fputs(",\n}", e->out);
}

/* Symbols of embed.c's texts: "judge-python" is sbx_shipped_text_judge_python. */
static void text_symbol(FILE *f, const char *name)
{
	fputs("sbx_shipped_text_", f);
	for (; *name; name++)
		fputc(*name == '-' ? '_' : *name, f);
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
	if (e->compare) {
		fputs("sources:\n", e->out);
		for (size_t i = 0; i < p->n_sources; i++) {
			const struct policy_source *s = &p->sources[i];

			literal(e->out, s->name);
			fprintf(e->out, " text 0x%" PRIx64 " len %zu oci %d\n",
				fnv1a(s->text, s->len), s->len, s->oci);
		}
		return 0;
	}
	for (size_t i = 0; i < p->n_sources; i++) {
		const struct sbx_shipped *sh = shipped_find(p->sources[i].name);

		if (p->sources[i].oci || !sh || sh->len != p->sources[i].len ||
		    memcmp(sh->text, p->sources[i].text, sh->len) != 0)
			return -EINVAL; /* only the embedded texts can be pointed at */
		fputs("extern const char ", e->out);
		text_symbol(e->out, sh->name);
		fputs("[];\n", e->out);
		fprintf(e->fix, "\tb->sources[%zu] = (struct policy_source){.name = (char *)", i);
		literal(e->fix, sh->name);
		fputs(", .text = (char *)", e->fix);
		text_symbol(e->fix, sh->name);
		fprintf(e->fix, ", .len = %zu};\n", sh->len);
	}
	if (p->n_sources)
		fprintf(e->members, "\tstruct policy_source sources[%zu];\n", p->n_sources);
	return 0;
}

/* A list of |n| strings: compared as a static array, made as a member of the block. */
static void str_array(struct emit *e, const char *name, char *const *list, size_t n)
{
	if (!n)
		return;
	if (e->compare)
		fprintf(e->out, "static char *const %s_%s[] = {", e->id, name);
	else
		fprintf(e->members, "\tchar *%s[%zu];\n", name, n);
	for (size_t i = 0; i < n; i++) {
		if (e->compare) {
			fputs(i ? ", " : "", e->out);
			literal(e->out, list[i]);
			continue;
		}
		fprintf(e->fix, "\tb->%s[%zu] = (char *)", name, i);
		literal(e->fix, list[i]);
		fputs(";\n", e->fix);
	}
	if (e->compare)
		fputs("};\n", e->out);
}

/* The arrays of numbers (read-only data), the rules and mounts as templates. */
static void arrays(struct emit *e, const struct policy *p)
{
	char tag[32], path[64];

	for (size_t i = 0; i < p->n_rules; i++) {
		snprintf(tag, sizeof(tag), "r%zu", i);
		rule_arrays(e, &p->rules[i], tag);
	}
	rule_arrays(e, &p->net_rule, "net");
	rule_arrays(e, &p->netns_rule, "netns");
	if (p->n_rules) {
		fprintf(e->out, "static const struct policy_rule %s_rules[] = {\n", e->id);
		if (!e->compare)
			fprintf(e->members, "\tstruct policy_rule rules[%zu];\n", p->n_rules);
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		snprintf(tag, sizeof(tag), "r%zu", i);
		snprintf(path, sizeof(path), "b->rules[%zu]", i);
		rule(e, &p->rules[i], tag, path);
		fputs(",\n", e->out);
	}
	if (p->n_rules)
		fputs("};\n", e->out);
	if (p->isolation.n_mounts) {
		fprintf(e->out, "static const struct policy_mount %s_mounts[] = {\n", e->id);
		if (!e->compare)
			fprintf(e->members, "\tstruct policy_mount mounts[%zu];\n",
				p->isolation.n_mounts);
	}
	for (size_t i = 0; i < p->isolation.n_mounts; i++) {
		const struct policy_mount *m = &p->isolation.mounts[i];

		fprintf(e->out, "\t{.type = %d, .source = ", (int)m->type);
		snprintf(path, sizeof(path), "b->mounts[%zu].source", i);
		str(e, path, m->source);
		fputs(", .destination = ", e->out);
		snprintf(path, sizeof(path), "b->mounts[%zu].destination", i);
		str(e, path, m->destination);
		fprintf(e->out, ", .read_only = %d, .size = 0x%" PRIx64 "ull},\n", m->read_only,
			m->size);
	}
	if (p->isolation.n_mounts)
		fputs("};\n", e->out);
	str_array(e, "fs_read", p->fs.read, p->fs.n_read);
	str_array(e, "fs_write", p->fs.write, p->fs.n_write);
	str_array(e, "fs_exec", p->fs.exec, p->fs.n_exec);
	str_array(e, "fs_deny", p->fs.deny, p->fs.n_deny);
	str_array(e, "masked", p->isolation.masked, p->isolation.n_masked);
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

/* A list field: the static array when comparing, else the block's member. */
static void list_ref(struct emit *e, const char *path, const char *type, const char *name, size_t n)
{
	if (e->compare)
		ref(e, path, type, name, n);
	else
		block_ref(e, path, name, n);
}

static void fs_net_iso(struct emit *e, const struct policy *p)
{
	const struct policy_fs *fs = &p->fs;
	const struct policy_net *net = &p->net;
	const struct policy_isolation *iso = &p->isolation;

	fprintf(e->out, "\t.fs = {.present = %d, .read = ", fs->present);
	list_ref(e, "b->p.fs.read", "char **", "fs_read", fs->n_read);
	fputs(", .write = ", e->out);
	list_ref(e, "b->p.fs.write", "char **", "fs_write", fs->n_write);
	fputs(", .exec = ", e->out);
	list_ref(e, "b->p.fs.exec", "char **", "fs_exec", fs->n_exec);
	fputs(", .deny = ", e->out);
	list_ref(e, "b->p.fs.deny", "char **", "fs_deny", fs->n_deny);
	fprintf(e->out,
		", .n_read = %zu, .n_write = %zu, .n_exec = %zu, .n_deny = %zu, .src = %u},\n",
		fs->n_read, fs->n_write, fs->n_exec, fs->n_deny, fs->src);
	fprintf(e->out, "\t.net = {.present = %d, .families = {", net->present);
	for (size_t i = 0; i < ARRAY_SIZE(net->families); i++)
		fprintf(e->out, "%s%d", i ? "," : "", net->families[i]);
	fprintf(e->out, "}, .n_families = %zu, .has_bind = %d, .has_connect = %d, .bind = ",
		net->n_families, net->has_bind, net->has_connect);
	ref(e, "b->p.net.bind", "uint16_t *", "bind", net->n_bind);
	fputs(", .connect = ", e->out);
	ref(e, "b->p.net.connect", "uint16_t *", "connect", net->n_connect);
	fprintf(e->out, ", .n_bind = %zu, .n_connect = %zu, .src = %u},\n", net->n_bind,
		net->n_connect, net->src);
	fprintf(e->out,
		"\t.isolation = {.present = %d, .mode = %d, .namespaces = %u, .workdir = %d, "
		".tmp_size = %" PRIu64 "u, .shm_size = %" PRIu64 "u, .mounts = ",
		iso->present, (int)iso->mode, iso->namespaces, (int)iso->workdir, iso->tmp_size,
		iso->shm_size);
	list_ref(e, "b->p.isolation.mounts", "struct policy_mount *", "mounts", iso->n_mounts);
	fprintf(e->out, ", .n_mounts = %zu, .masked = ", iso->n_mounts);
	list_ref(e, "b->p.isolation.masked", "char **", "masked", iso->n_masked);
	fprintf(e->out, ", .n_masked = %zu, .outside = %d, .src = %u},\n", iso->n_masked,
		(int)iso->outside, iso->src);
}

/* The template of the policy itself. */
static void top(struct emit *e, const struct policy *p)
{
	FILE *out = e->out;

	fprintf(out, "static const struct policy %s_tmpl = {\n\t.source = ", e->id);
	str(e, "b->p.source", p->source);
	fputs(",\n\t.default_verdict = ", out);
	verdict(e, &p->default_verdict);
	fprintf(out, ",\n\t.has_default = %d,\n\t.default_src = %u,\n\t.rules = ", p->has_default,
		p->default_src);
	list_ref(e, "b->p.rules", "struct policy_rule *", "rules", p->n_rules);
	fprintf(out, ",\n\t.n_rules = %zu,\n\t.arches = %u,\n\t.has_arches = %d,\n", p->n_rules,
		p->arches, p->has_arches);
	limits(e, &p->limits);
	fprintf(out, "\t.filter_flags = %u,\n", p->filter_flags);
	fs_net_iso(e, p);
	fputs("\t.net_rule = ", out);
	rule(e, &p->net_rule, "net", "b->p.net_rule");
	fputs(",\n\t.netns_rule = ", out);
	rule(e, &p->netns_rule, "netns", "b->p.netns_rule");
	fputs(",\n\t.oci = NULL,\n\t.sources = ", out);
	list_ref(e, "b->p.sources", "struct policy_source *", "sources", p->n_sources);
	fprintf(out, ",\n\t.n_sources = %zu,\n\t.naming_start = ", p->n_sources);
	ref(e, "b->p.naming_start", "uint32_t *", "naming_start", 1);
	fputs(",\n\t.rules_naming = ", out);
	ref(e, "b->p.rules_naming", "uint32_t *", "rules_naming", 1);
	fputs(e->compare ? ",\n};\n" : ",\n\t.precompiled = true,\n};\n", out);
}

/* ID_block and ID_make(): the template copied into one allocation, the pointers set. */
static void maker(struct emit *e, const struct policy *p, const struct filter_prebuilt *pre,
		  size_t n_pre, const char *members, const char *fix)
{
	FILE *out = e->out;
	const char *id = e->id;

	fprintf(out, "\nstruct %s_block {\n\tstruct policy p;\n%s", id, members);
	if (n_pre)
		fprintf(out, "\tstruct filter_prebuilt prebuilt[%zu];\n", n_pre);
	fprintf(out, "};\n\nstatic int %s_make(struct policy **ret)\n{\n", id);
	fprintf(out, "\tstruct %s_block *b = malloc(sizeof(*b));\n\n", id);
	fputs("\tif (!b)\n\t\treturn -ENOMEM;\n", out);
	fprintf(out, "\tb->p = %s_tmpl;\n", id);
	if (p->n_rules)
		fprintf(out, "\tmemcpy(b->rules, %s_rules, sizeof(b->rules));\n", id);
	if (p->isolation.n_mounts)
		fprintf(out, "\tmemcpy(b->mounts, %s_mounts, sizeof(b->mounts));\n", id);
	fputs(fix, out);
	for (size_t k = 0; k < n_pre; k++) {
		fprintf(out, "\tb->prebuilt[%zu] = (struct filter_prebuilt){", k);
		if (pre[k].n_force)
			fprintf(out, "%s_f%zu, %zu, ", id, k, pre[k].n_force);
		else
			fputs("NULL, 0, ", out);
		fprintf(out, "%s_b%zu, %zu};\n", id, k, pre[k].len);
	}
	if (n_pre)
		fprintf(out, "\tb->p.prebuilt = b->prebuilt;\n\tb->p.n_prebuilt = %zu;\n", n_pre);
	fputs("\t*ret = &b->p;\n\treturn 1;\n}\n", out);
}

int policy_emit(FILE *out, const struct policy *p, const char *id,
		const struct filter_prebuilt *prebuilt, size_t n_prebuilt, bool compare)
{
	struct emit e = {.out = out, .id = id, .compare = compare};
	char *fix = NULL, *members = NULL;
	size_t fix_len = 0, members_len = 0;
	int r = 0;

	if (p->oci || !p->naming_start || (!compare && (p->precompiled || p->filter_cache)))
		return -EINVAL;
	if (!compare) {
		e.fix = open_memstream(&fix, &fix_len);
		e.members = open_memstream(&members, &members_len);
		if (!e.fix || !e.members)
			r = -ENOMEM;
	}
	if (r == 0)
		r = sources(&e, p);
	if (r == 0) {
		arrays(&e, p);
		top(&e, p);
	}
	if (e.fix && fclose(e.fix) != 0 && r == 0)
		r = -ENOMEM;
	if (e.members && fclose(e.members) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0 && !compare)
		maker(&e, p, prebuilt, n_prebuilt, members, fix);
	free(fix);
	free(members);
	if (r == 0 && ferror(out))
		r = -EIO;
	return r;
}
