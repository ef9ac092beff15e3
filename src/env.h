/* SPDX-License-Identifier: MIT */
/*
 * env.h - the program's environment: the caller's cut to an allowlist (so
 * CI tokens and credentials stay outside), HOME inside the sandbox, then
 * the caller's --env settings.
 */
#ifndef SBX_ENV_H
#define SBX_ENV_H

#include <stdbool.h>
#include <stddef.h>

/* A built environment: |vars| is NULL-terminated; strings are borrowed but |home|. */
struct env {
	char **vars;
	char *home; /* "HOME=..." when we made it, else NULL */
};

/*
 * Build the environment from |caller| (the supervisor's): everything with
 * |keep|, nothing with |clear|, else only PATH, LANG, LANGUAGE, LC_*, TERM
 * and TZ plus HOME=|home| (when not NULL). Then each of |sets| in order:
 * "K=V" sets K, "K" copies K from |caller| (dropped when unset). Returns 0
 * or -ENOMEM; release with env_clear().
 */
int env_build(char *const *caller, bool keep, bool clear, const char *home, const char *const *sets,
	      size_t n_sets, struct env *ret);

/* Frees what |e| owns; accepts a zeroed one. */
void env_clear(struct env *e);

/* Whether |name| ("LC_ALL", "AWS_SECRET") passes the allowlist. */
bool env_allowed(const char *name, size_t len);

/* The value of |key| in |env|, or NULL. */
const char *env_get(char *const *env, const char *key);

#endif
