/* SPDX-License-Identifier: MIT */
/*
 * api.c - the public entry points: thin glue over the policy loader and the
 * supervisor, plus the small pure helpers of the public API.
 */
#include <errno.h>
#include <string.h>

#include "filter.h"
#include "groups.h"
#include "paths.h"
#include "policy.h"
#include "shipped.h"
#include "sandbox.h"
#include "supervisor.h"

/* struct sbx_policy is never defined: it is a struct policy seen from outside. */
static struct sbx_policy *to_public(struct policy *p)
{
	return (struct sbx_policy *)p;
}

static const struct policy *from_public(const struct sbx_policy *p)
{
	return (const struct policy *)p;
}

SBX_EXPORT int sbx_policy_parse(const char *name, const char *text, size_t len,
				struct sbx_policy **ret_policy, char **ret_diag)
{
	_cleanup_strbuf_ struct strbuf diag = {0};
	struct policy *p = NULL;
	int r = policy_parse(name, text, len, &p, &diag);

	if (ret_diag)
		*ret_diag = r < 0 ? strbuf_steal(&diag) : NULL;
	if (r == 0)
		*ret_policy = to_public(p);
	return r;
}

SBX_EXPORT int sbx_policy_load(const char *path, struct sbx_policy **ret_policy, char **ret_diag)
{
	_cleanup_strbuf_ struct strbuf diag = {0};
	struct policy *p = NULL;
	struct policy_load_opts opts = {.count_warnings_only = true};
	int r = policy_load_with(path, &opts, &p, &diag, NULL);

	if (ret_diag)
		*ret_diag = r < 0 ? strbuf_steal(&diag) : NULL;
	if (r == 0)
		*ret_policy = to_public(p);
	return r;
}

SBX_EXPORT int sbx_policy_load_oci_caps(const char *path, const char *caps,
					struct sbx_policy **ret_policy, char **ret_diag)
{
	_cleanup_strbuf_ struct strbuf diag = {0};
	struct policy *p = NULL;
	/* The caller sees the text only when the load fails: warnings are only counted. */
	struct policy_load_opts opts = {.count_warnings_only = true};
	int r = caps ? policy_oci_caps(caps, &opts.oci_caps) : 0;

	if (r < 0) {
		strbuf_printf(&diag,
			      "--oci-caps: \"%s\" is not docker, none or a list of capability "
			      "names such as CAP_CHOWN,CAP_KILL\n",
			      caps);
	} else {
		r = policy_load_with(path, &opts, &p, &diag, NULL);
	}
	if (ret_diag)
		*ret_diag = r < 0 ? strbuf_steal(&diag) : NULL;
	if (r == 0)
		*ret_policy = to_public(p);
	return r;
}

SBX_EXPORT int sbx_policy_check(const char *name, char **ret_diag, unsigned int *ret_errors,
				unsigned int *ret_warnings)
{
	_cleanup_strbuf_ struct strbuf diag = {0};
	struct policy_report rep = {0};
	struct policy *p = NULL;
	int r = policy_load(name, &p, &diag, &rep);
	const struct sock_filter *prog;
	size_t len;

	/* An OCI profile libseccomp cannot build, or the kernel cannot load, is one runc refuses
	 * too. */
	if (r == 0 && p->oci && filter_oci_program(p, &prog, &len) == -E2BIG) {
		strbuf_printf(&diag,
			      "%s: the profile compiles to %zu instructions, more than the %d the "
			      "kernel takes in a filter: runc could not load it either; give fewer "
			      "names or conditions\n",
			      name, len, BPF_MAXINSNS);
		rep.errors++;
		r = -EINVAL;
	} else if (r == 0 && p->oci && filter_oci_program(p, &prog, &len) < 0) {
		strbuf_printf(&diag,
			      "%s: syscalls[%u]: libseccomp cannot add the rule for %s (%s): runc "
			      "refuses this profile too; entries that give one call different "
			      "actions under overlapping conditions are the usual cause\n",
			      name, p->oci->refused_entry, p->oci->refused ? p->oci->refused : "?",
			      strerror(-filter_oci_program(p, &prog, &len)));
		rep.errors++;
		r = -EINVAL;
	}
	policy_free(p);
	if (ret_diag)
		*ret_diag = strbuf_steal(&diag);
	if (ret_errors)
		*ret_errors = rep.errors;
	if (ret_warnings)
		*ret_warnings = rep.warnings;
	return r;
}

SBX_EXPORT int sbx_dump_filter(const struct sbx_policy *policy, bool bpf, int fd)
{
	return filter_dump(from_public(policy), bpf, fd);
}

/* One group: "@name  description" then its members, wrapped. */
static void describe_group(struct strbuf *out, const struct syscall_group *g, bool members)
{
	size_t col = 2;

	strbuf_printf(out, "@%-16s %s\n", g->name, g->description);
	if (!members)
		return;
	strbuf_append(out, "  ");
	for (const char *const *m = g->members; *m; m++) {
		if (col + strlen(*m) + 1 > 78) {
			strbuf_append(out, "\n  ");
			col = 2;
		}
		strbuf_printf(out, "%s%s", *m, m[1] ? " " : "\n");
		col += strlen(*m) + 1;
	}
}

SBX_EXPORT char *sbx_describe_groups(const char *name)
{
	struct strbuf out = {0};
	const struct syscall_group *g;

	if (name) {
		g = group_find(name);
		if (!g)
			return NULL;
		describe_group(&out, g, true);
		return strbuf_steal(&out);
	}
	for (size_t i = 0; i < group_count(); i++)
		describe_group(&out, group_at(i), false);
	return strbuf_steal(&out);
}

SBX_EXPORT const char *sbx_default_policy_text(void)
{
	return shipped_find("default")->text;
}

SBX_EXPORT int sbx_policy_load_default(struct sbx_policy **ret_policy)
{
	return sbx_policy_load("default", ret_policy, NULL);
}

SBX_EXPORT void sbx_policy_free(struct sbx_policy *policy)
{
	policy_free((struct policy *)policy);
}

SBX_EXPORT int sbx_open_path(const char *path, int flags, mode_t mode)
{
	return path_open_nofollow(path, flags, mode);
}

SBX_EXPORT int sbx_parse_duration_ms(const char *text, uint64_t *ret_ms)
{
	return parse_duration_ms(text, ret_ms);
}

SBX_EXPORT int sbx_parse_size(const char *text, uint64_t *ret_bytes)
{
	return parse_size(text, ret_bytes);
}

SBX_EXPORT int sbx_run(const struct sbx_config *config, struct sbx_result *ret)
{
	*ret = (struct sbx_result){0};
	if (!config->policy)
		return -EINVAL;
	if (config->attach_pid > 0)
		return supervisor_attach(config, from_public(config->policy), ret);
	if (!config->argv || !config->argv[0])
		return -EINVAL;
	return supervisor_run(config, from_public(config->policy), ret);
}
