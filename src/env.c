/* SPDX-License-Identifier: MIT */
/*
 * env.c - the program's environment (env.h). The allowlist is what a
 * program needs to find programs, speak the user's language and draw on
 * the terminal; everything else (tokens, keys, proxies, the caller's paths)
 * must be passed on purpose with --env or --keep-env.
 */
#include "env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const allowed[] = {"PATH", "LANG", "LANGUAGE", "TERM", "TZ"};

bool env_allowed(const char *name, size_t len)
{
	if (len > 3 && strncmp(name, "LC_", 3) == 0)
		return true;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strlen(allowed[i]) == len && strncmp(name, allowed[i], len) == 0)
			return true;
	return false;
}

/* Is |entry| ("K=V") the variable named by |set| ("K=..." or "K")? */
static bool same_key(const char *entry, const char *set)
{
	size_t n = strcspn(set, "=");

	return strncmp(entry, set, n) == 0 && entry[n] == '=';
}

const char *env_get(char *const *env, const char *key)
{
	size_t n = strlen(key);

	for (; env && *env; env++)
		if (strncmp(*env, key, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

/* Set or replace |entry| in |env| (|*n| entries, room for one more). */
static void put(char **env, size_t *n, char *entry)
{
	size_t i;

	for (i = 0; i < *n && !same_key(env[i], entry); i++)
		;
	env[i] = entry;
	if (i == *n)
		(*n)++;
}

int env_build(char *const *caller, bool keep, bool clear, const char *home, const char *const *sets,
	      size_t n_sets, struct env *ret)
{
	size_t n = 0, cap = n_sets + 2;

	*ret = (struct env){0};
	for (char *const *e = caller; !clear && e && *e; e++)
		cap++;
	ret->vars = calloc(cap, sizeof(*ret->vars));
	if (!ret->vars)
		return -ENOMEM;
	for (char *const *e = caller; !clear && e && *e; e++)
		if (keep || (!same_key(*e, "HOME") && env_allowed(*e, strcspn(*e, "="))))
			ret->vars[n++] = *e;
	if (!keep && !clear && home) {
		ret->home = malloc(strlen(home) + sizeof("HOME="));
		if (!ret->home) {
			env_clear(ret);
			return -ENOMEM;
		}
		sprintf(ret->home, "HOME=%s", home);
		put(ret->vars, &n, ret->home);
	}
	for (size_t s = 0; s < n_sets; s++) {
		const char *set = sets[s];

		if (!strchr(set, '=')) {
			set = NULL;
			for (char *const *e = caller; e && *e && !set; e++)
				if (same_key(*e, sets[s]))
					set = *e;
			if (!set)
				continue;
		}
		put(ret->vars, &n, (char *)set);
	}
	ret->vars[n] = NULL;
	return 0;
}

void env_clear(struct env *e)
{
	free(e->vars);
	free(e->home);
	*e = (struct env){0};
}
