/* SPDX-License-Identifier: MIT */
#include "traceset.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "groups.h"
#include "policy_json.h"

/* Every native number libseccomp has a name for. */
static void add_all(struct traceset *s)
{
	s->all = true;
	for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		s->nr[nr] = name != NULL;
		free(name);
	}
}

static int add_name(struct traceset *s, const char *name, int depth, struct strbuf *err)
{
	const struct syscall_group *g;
	int nr;

	if (*name != '@') {
		nr = seccomp_syscall_resolve_name(name);
		if (nr < 0 || nr >= TRACESET_MAX_NR) {
			char hint[64];

			if (suggest_syscall(name, hint, sizeof(hint)))
				strbuf_printf(err, "unknown syscall \"%s\" (did you mean \"%s\"?)",
					      name, hint);
			else
				strbuf_printf(err, "unknown syscall \"%s\"", name);
			return -EINVAL;
		}
		s->nr[nr] = true;
		return 0;
	}
	g = group_find(name);
	if (!g) {
		const char *hint = suggest_group(name + 1);

		if (hint)
			strbuf_printf(err, "unknown group \"%s\" (did you mean \"@%s\"?)", name,
				      hint);
		else
			strbuf_printf(err,
				      "unknown group \"%s\" (sandbox --list-groups lists them)",
				      name);
		return -EINVAL;
	}
	/* Members a libseccomp this old does not know are skipped, as in policies. */
	for (const char *const *m = g->members; *m && depth < 8; m++) {
		if (**m == '@') {
			int r = add_name(s, *m, depth + 1, err);

			if (r < 0)
				return r;
			continue;
		}
		nr = seccomp_syscall_resolve_name(*m);
		if (nr >= 0 && nr < TRACESET_MAX_NR)
			s->nr[nr] = true;
	}
	return 0;
}

int traceset_parse(const char *spec, struct traceset *ret, struct strbuf *err)
{
	char *copy, *tok, *save = NULL;
	int r = 0;

	*ret = (struct traceset){0};
	if (!spec || !*spec || strcmp(spec, "all") == 0) {
		add_all(ret);
		return 0;
	}
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && r == 0; tok = strtok_r(NULL, ",", &save))
		r = strcmp(tok, "all") == 0 ? (add_all(ret), 0) : add_name(ret, tok, 0, err);
	free(copy);
	return r;
}

bool traceset_has(const struct traceset *s, int nr)
{
	return s && nr >= 0 && nr < TRACESET_MAX_NR && s->nr[nr];
}
