/* SPDX-License-Identifier: MIT */
/*
 * gen_policies.c - build-time tool: compile the shipped policies into the
 * binary, so that a run of one (the default, `-p judge`) parses no JSON and
 * calls no libseccomp.
 *
 *	gen_policies OUTPUT
 *
 * Links the library itself (all but this output: its own table below is
 * empty), loads every shipped policy as a run does, and writes C: each
 * policy as policy_emit() gives it, with the filters filter_build() makes
 * for the runs foreseen here (isolation none, landlock or namespaces; with
 * and without a process limit; but for none, with and without a writable
 * host directory), each keyed by its forced calls (supervisor_forced_calls()).
 * A run whose forced calls match none of them (--trace, --learn, paths of
 * another shape) compiles at run time as before; so does any policy that
 * is not shipped (a file, an OCI profile, `extends` from a file).
 *
 * The programs are libseccomp's of the build machine for its native
 * architecture: the build must run where the binary runs (meson skips
 * this tool in a cross build, and the binary then compiles at run time).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "policy.h"
#include "shipped.h"
#include "supervisor.h"

/* The library's loader asks for a precompiled policy: src/precompiled_none.c, linked in, has none.
 */
struct variant {
	struct filter_force force[SUPERVISOR_MAX_FORCE];
	size_t n_force;
};

static bool same(const struct variant *a, const struct variant *b)
{
	if (a->n_force != b->n_force)
		return false;
	for (size_t i = 0; i < a->n_force; i++)
		if (a->force[i].nr != b->force[i].nr ||
		    a->force[i].unless_arg0_zero != b->force[i].unless_arg0_zero ||
		    a->force[i].when_arg != b->force[i].when_arg ||
		    a->force[i].when_bits != b->force[i].when_bits)
			return false;
	return true;
}

/* The distinct forced-call lists of the foreseen runs of |p|; returns how many. */
static size_t variants(const struct policy *p, struct variant *v, size_t max)
{
	static const enum sbx_isolation modes[] = {SBX_ISOLATION_NONE, SBX_ISOLATION_LANDLOCK,
						   SBX_ISOLATION_NAMESPACES};
	size_t n = 0;

	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (int procs = 0; procs < 2; procs++)
			for (int hw = 0; hw < 2 && n < max; hw++) {
				struct force_facts f = {.isolation = modes[m],
							.processes = procs,
							.host_writable = hw};
				bool seen = false;

				if (modes[m] == SBX_ISOLATION_NONE && hw)
					continue; /* it writes the host as any program does */

				v[n].n_force = supervisor_forced_calls(p, &f, v[n].force,
								       SUPERVISOR_MAX_FORCE);
				for (size_t i = 0; i < n && !seen; i++)
					seen = same(&v[i], &v[n]);
				n += !seen;
			}
	return n;
}

static int emit_filter(FILE *out, const char *id, size_t k, const struct policy *p,
		       const struct variant *v, size_t *ret_len)
{
	struct filter f;
	int r = filter_build(p, v->force, v->n_force, &f);

	if (r < 0)
		return r;
	if (v->n_force) {
		fprintf(out, "static const struct filter_force %s_f%zu[] = {\n", id, k);
		for (size_t i = 0; i < v->n_force; i++)
			fprintf(out, "\t{%d, %d, %u, 0x%llxull},\n", v->force[i].nr,
				v->force[i].unless_arg0_zero, v->force[i].when_arg,
				(unsigned long long)v->force[i].when_bits);
		fputs("};\n", out);
	}
	fprintf(out, "static const struct sock_filter %s_b%zu[] = {\n", id, k);
	for (size_t i = 0; i < f.len; i++)
		fprintf(out, "\t{0x%04x, %u, %u, 0x%08x},\n", f.insns[i].code, f.insns[i].jt,
			f.insns[i].jf, f.insns[i].k);
	fputs("};\n", out);
	*ret_len = f.len;
	filter_release(&f);
	return 0;
}

static int emit_policy(FILE *out, const char *name, const char *id, unsigned int *ret_warnings)
{
	static struct variant v[12];
	struct policy_load_opts opts = {.count_warnings_only = true, .no_precompiled = true};
	struct policy_report report;
	struct strbuf diag = {0};
	struct policy *p = NULL;
	struct filter_prebuilt pre[12];
	size_t lens[12], n;
	int r = policy_load_with(name, &opts, &p, &diag, &report);

	if (r < 0) {
		fprintf(stderr, "gen_policies: %s: %s%s\n", name, strerror(-r), strbuf_str(&diag));
		strbuf_free(&diag);
		return r;
	}
	strbuf_free(&diag);
	n = variants(p, v, sizeof(v) / sizeof(v[0]));
	fprintf(out, "\n/* %s */\n", name);
	for (size_t k = 0; k < n && r == 0; k++)
		r = emit_filter(out, id, k, p, &v[k], &lens[k]);
	for (size_t k = 0; k < n; k++)
		pre[k] = (struct filter_prebuilt){.n_force = v[k].n_force, .len = lens[k]};
	if (r == 0)
		r = policy_emit(out, p, id, pre, n, false);
	if (r < 0)
		fprintf(stderr, "gen_policies: %s: cannot compile: %s\n", name, strerror(-r));
	*ret_warnings = report.warnings;
	policy_free(p);
	return r;
}

int main(int argc, char **argv)
{
	unsigned int warnings[64];
	size_t n = 0;
	FILE *out;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_policies OUTPUT\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	fputs("/* Generated by src/gen_policies.c from policies/; do not edit. */\n"
	      "#include <errno.h>\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
	      "#include <stdlib.h>\n#include <string.h>\n\n"
	      "#include \"filter.h\"\n#include \"policy.h\"\n",
	      out);
	for (const struct sbx_shipped *s = sbx_shipped_policies; s->name && n < 64; s++, n++) {
		char id[32];

		snprintf(id, sizeof(id), "pc%zu", n);
		if (emit_policy(out, s->name, id, &warnings[n]) < 0) {
			fclose(out);
			remove(argv[1]);
			return 1;
		}
	}
	fputs("\nint policy_precompiled_make(const char *name, struct policy **ret_policy,\n"
	      "\t\t\t    unsigned int *ret_warnings)\n{\n",
	      out);
	for (size_t i = 0; i < n; i++)
		fprintf(out,
			"\tif (strcmp(name, \"%s\") == 0) {\n\t\t*ret_warnings = %u;\n"
			"\t\treturn pc%zu_make(ret_policy);\n\t}\n",
			sbx_shipped_policies[i].name, warnings[i], i);
	fputs("\treturn 0;\n}\n", out);
	if (fclose(out) != 0) {
		perror(argv[1]);
		remove(argv[1]);
		return 1;
	}
	return 0;
}
