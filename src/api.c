/* SPDX-License-Identifier: MIT */
/*
 * api.c - the public entry points: thin glue over the policy loader and the
 * supervisor, plus the small pure helpers of the public API.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>

#include "api.h"
#include "filter.h"
#include "groups.h"
#include "paths.h"
#include "policy.h"
#include "result.h"
#include "shipped.h"
#include "sigstate.h"
#include "sandbox.h"
#include "supervisor.h"
#include "traceset.h"

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
		*ret_diag = r < 0 || strbuf_str(&diag)[0] ? strbuf_steal(&diag) : NULL;
	if (r == 0)
		*ret_policy = to_public(p);
	return r;
}

SBX_EXPORT int sbx_policy_load_oci_caps(const char *path, const char *caps,
					struct sbx_policy **ret_policy, char **ret_diag)
{
	_cleanup_strbuf_ struct strbuf diag = {0};
	struct policy *p = NULL;
	/* Warnings are only counted: on success the text holds at most a shipped name's shadow. */
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
		*ret_diag = r < 0 || strbuf_str(&diag)[0] ? strbuf_steal(&diag) : NULL;
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
	/* Parsed even when shipped: the names each CPU lacks are read from the text. */
	struct policy_load_opts opts = {.no_precompiled = true, .list_absent = true};
	int r = policy_load_with(name, &opts, &p, &diag, &rep);
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

SBX_EXPORT int sbx_trace_check(const char *spec)
{
	_cleanup_strbuf_ struct strbuf err = {0};
	struct traceset *set = malloc(sizeof(*set));
	int r = set ? traceset_parse(spec, set, &err) : -ENOMEM;

	free(set);
	return r;
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

SBX_EXPORT const char *sbx_shipped_policy_name(size_t index)
{
	size_t n = 0;

	while (sbx_shipped_policies[n].name)
		n++;
	return index < n ? sbx_shipped_policies[index].name : NULL;
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

SBX_EXPORT const char *sbx_version(void)
{
	return SBX_VERSION_STRING;
}

/* A new field is appended: compare with its SBX_CONFIG_SIZE_VER<n> (sandbox.h). */
_Static_assert(sizeof(struct sbx_config) == SBX_CONFIG_SIZE_VER3,
	       "struct sbx_config must end at its last field, with no padding after it");

struct supervision {
	const struct sbx_config *config;
	struct sbx_result *ret;
	int r;
};

static void *supervise(void *arg)
{
	struct supervision *s = arg;
	const struct policy *policy = from_public(s->config->policy);

	if (s->config->attach_pid > 0)
		s->r = supervisor_attach(s->config, policy, s->ret);
	else
		s->r = supervisor_run(s->config, policy, s->ret);
	return NULL;
}

/*
 * Runs going at once in this process. A run past SIGSTATE_MAX_RUNS would
 * get no signal slot: no tick (its time limits never enforced) and no
 * forwarded signal, so it waits here for one to end.
 */
static pthread_mutex_t going_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t going_less = PTHREAD_COND_INITIALIZER;
static unsigned int going;

static void take_slot(void)
{
	pthread_mutex_lock(&going_lock);
	while (going >= SIGSTATE_MAX_RUNS)
		pthread_cond_wait(&going_less, &going_lock);
	going++;
	pthread_mutex_unlock(&going_lock);
}

static void give_slot(void)
{
	pthread_mutex_lock(&going_lock);
	going--;
	pthread_cond_signal(&going_less);
	pthread_mutex_unlock(&going_lock);
}

/*
 * The supervisor is a thread of its own, joined before we return: its
 * waits (__WNOTHREAD) see only the children it forks and the tasks it
 * traces, never the caller's own children, which stay the calling thread's
 * to wait for. It starts with every signal blocked (sigstate.c unblocks the
 * few it takes), so none meant for the caller's threads lands on it, and a
 * SIGPIPE its writes raise dies with it. Its stack is at least
 * SUPERVISOR_STACK bytes: a thread's default follows the caller's
 * RLIMIT_STACK, which a judge may have set small for its own reasons.
 */
#define SUPERVISOR_STACK ((size_t)1 << 20)

/*
 * Whether the calling thread may supervise the run itself (api_run_here()):
 * its stack may grow to SUPERVISOR_STACK bytes.
 */
static bool stack_allows_caller(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_STACK, &rl) == 0 &&
	       (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= SUPERVISOR_STACK);
}

static int run(const struct sbx_config *config, struct sbx_result *ret, bool in_caller)
{
	struct supervision s = {.config = config, .ret = ret};
	sigset_t all, old;
	pthread_t thread;
	pthread_attr_t attr;
	size_t stack = 0;
	int r;

	if (!config->policy)
		return -EINVAL;
	if (config->attach_pid <= 0 && (!config->argv || !config->argv[0]))
		return -EINVAL;
	if (in_caller && stack_allows_caller()) {
		take_slot();
		supervise(&s);
		give_slot();
		return s.r;
	}
	r = -pthread_attr_init(&attr);
	if (r < 0)
		return r;
	if (pthread_attr_getstacksize(&attr, &stack) == 0 && stack < SUPERVISOR_STACK)
		pthread_attr_setstacksize(&attr, SUPERVISOR_STACK);
	take_slot();
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&thread, &attr, supervise, &s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r == 0)
		pthread_join(thread, NULL);
	give_slot();
	return r != 0 ? -r : s.r;
}

int api_run(const struct sbx_config *config, size_t config_size, struct sbx_result *ret,
	    size_t ret_size, struct api_minimum min)
{
	struct sbx_config c;
	struct sbx_result full = {0};
	int r;

	if (!ret || ret_size < min.result)
		return -EINVAL;
	memset(ret, 0, ret_size);
	if (!config || config_size < min.config)
		return -EINVAL;
	r = sized_copy_in(&c, sizeof(c), config, config_size);
	if (r < 0)
		return r;
	r = run(&c, &full, false);
	result_copy_out(&full, ret, ret_size);
	return r;
}

int api_run_here(const struct sbx_config *config, struct sbx_result *ret)
{
	if (!config || !ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	return run(config, ret, true);
}

SBX_EXPORT int sbx_run_sized(const struct sbx_config *config, size_t config_size,
			     struct sbx_result *ret, size_t ret_size)
{
	return api_run(config, config_size, ret, ret_size,
		       (struct api_minimum){SBX_CONFIG_SIZE_VER0, SBX_RESULT_SIZE_VER0});
}
