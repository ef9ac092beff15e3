/* SPDX-License-Identifier: MIT */
/*
 * policy_isolation.c - the "isolation" section of our policy format: which
 * namespaces, the working directory's place, the private /tmp and /dev/shm
 * sizes, extra mounts and masked paths. Parsed into plain data; the
 * supervisor (isolate.c) turns it into a mount plan.
 *
 * Names follow runc's config.json where it has one: "mounts" entries with
 * "type", "source", "destination" and "options"; "masked_paths" for
 * runc's linux.maskedPaths.
 */
#include <errno.h>
#include <string.h>

#include "policy_json.h"

static const struct {
	const char *name;
	unsigned int bit;
} ns_names[] = {
	{"user", SBX_NS_USER}, {"pid", SBX_NS_PID}, {"mount", SBX_NS_MOUNT},   {"ipc", SBX_NS_IPC},
	{"uts", SBX_NS_UTS},   {"net", SBX_NS_NET}, {"cgroup", SBX_NS_CGROUP},
};

static void parse_namespaces(struct parser *ps, json_t *list, unsigned int *ret)
{
	char epath[PATH_MAX_LEN];
	unsigned int bits = 0;
	size_t i;
	json_t *j;

	if (!json_is_array(list)) {
		report(ps, "isolation.namespaces",
		       "expected a list such as [\"user\", \"pid\", \"mount\", \"ipc\", \"uts\", "
		       "\"net\", \"cgroup\"], got %s",
		       json_type_name(list));
		return;
	}
	json_array_foreach(list, i, j)
	{
		unsigned int bit = 0;

		path_index(epath, sizeof(epath), "isolation.namespaces", i);
		for (size_t k = 0; json_is_string(j) && k < ARRAY_SIZE(ns_names); k++)
			if (strcmp(json_string_value(j), ns_names[k].name) == 0)
				bit = ns_names[k].bit;
		if (!bit)
			report(ps, epath,
			       "expected a namespace: \"user\", \"pid\", \"mount\", \"ipc\", "
			       "\"uts\", \"net\" or \"cgroup\"");
		bits |= bit;
	}
	if ((bits & POLICY_NS_CORE) != POLICY_NS_CORE && bits)
		report(ps, "isolation.namespaces",
		       "\"user\", \"pid\" and \"mount\" must be listed: they make the sandbox's "
		       "own view (for less, use \"isolation\": \"none\" or \"landlock\")");
	*ret = bits | POLICY_NS_CORE;
}

static void parse_workdir(struct parser *ps, json_t *j, enum sbx_workdir *ret)
{
	static const struct {
		const char *name;
		enum sbx_workdir value;
	} modes[] = {{"rw", SBX_WORKDIR_RW}, {"ro", SBX_WORKDIR_RO}, {"none", SBX_WORKDIR_NONE}};

	for (size_t i = 0; json_is_string(j) && i < ARRAY_SIZE(modes); i++)
		if (strcmp(json_string_value(j), modes[i].name) == 0) {
			*ret = modes[i].value;
			return;
		}
	report(ps, "isolation.workdir",
	       "expected \"rw\" (writable), \"ro\" (read-only) or \"none\" (not visible)");
}

static void parse_size_value(struct parser *ps, const char *path, json_t *j, uint64_t *ret)
{
	int r = -EINVAL;

	if (json_is_integer(j) && json_integer_value(j) > 0) {
		*ret = (uint64_t)json_integer_value(j);
		return;
	}
	if (json_is_string(j))
		r = parse_size(json_string_value(j), ret);
	if (r == 0 && *ret > 0)
		return;
	report(ps, path, "expected a positive size: bytes (65536) or a string (\"64M\", \"10K\")");
}

/* An absolute path, or for a bind's source any non-empty path; malloc'd into |ret|. */
static int parse_path(struct parser *ps, const char *path, json_t *j, bool absolute, char **ret)
{
	if (!json_is_string(j) || !*json_string_value(j) ||
	    (absolute && json_string_value(j)[0] != '/')) {
		report(ps, path, "expected %s, got %s", absolute ? "an absolute path" : "a path",
		       json_is_string(j) ? "a relative path" : json_type_name(j));
		return 0;
	}
	*ret = xstrdup(json_string_value(j));
	return *ret ? 0 : -ENOMEM;
}

/* "options": ["ro"], ["rw"], ["size=16M"]. */
static void parse_mount_options(struct parser *ps, const char *path, json_t *list,
				struct policy_mount *m)
{
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;

	if (!json_is_array(list)) {
		report(ps, path, "expected a list of options such as [\"ro\"], got %s",
		       json_type_name(list));
		return;
	}
	json_array_foreach(list, i, j)
	{
		const char *o = json_is_string(j) ? json_string_value(j) : "";

		path_index(epath, sizeof(epath), path, i);
		if (strcmp(o, "ro") == 0)
			m->read_only = true;
		else if (strcmp(o, "rw") == 0)
			m->read_only = false;
		else if (m->type == POLICY_MOUNT_TMPFS && strncmp(o, "size=", 5) == 0 &&
			 parse_size(o + 5, &m->size) == 0 && m->size > 0)
			continue;
		else
			report(ps, epath, "expected \"ro\", \"rw\"%s",
			       m->type == POLICY_MOUNT_TMPFS ? " or \"size=SIZE\" (\"size=16M\")"
							     : "");
	}
}

static int parse_mount(struct parser *ps, const char *path, json_t *obj, struct policy_mount *m)
{
	static const char *const keys[] = {"type",    "source",	 "destination",
					   "options", "comment", NULL};
	char kpath[PATH_MAX_LEN];
	const char *type;
	json_t *j;
	int r = 0;

	if (!json_is_object(obj)) {
		report(ps, path,
		       "expected a mount such as {\"type\": \"bind\", \"source\": \"/srv/data\", "
		       "\"destination\": \"/data\", \"options\": [\"ro\"]}, got %s",
		       json_type_name(obj));
		return 0;
	}
	check_keys(ps, obj, path, keys);
	j = json_object_get(obj, "type");
	type = json_is_string(j) ? json_string_value(j) : "";
	path_key(kpath, sizeof(kpath), path, "type");
	if (strcmp(type, "tmpfs") == 0) {
		m->type = POLICY_MOUNT_TMPFS;
	} else if (strcmp(type, "bind") == 0) {
		m->type = POLICY_MOUNT_BIND;
	} else {
		/* Nothing else can be said of a mount of no known type. */
		report(ps, j ? kpath : path, "expected \"type\": \"bind\" or \"tmpfs\"");
		return 0;
	}

	j = json_object_get(obj, "source");
	path_key(kpath, sizeof(kpath), path, "source");
	if (m->type == POLICY_MOUNT_BIND && !j)
		report(ps, path, "a bind needs a \"source\"");
	else if (m->type == POLICY_MOUNT_TMPFS && j)
		report(ps, kpath, "a tmpfs has no \"source\"");
	else if (j)
		r = parse_path(ps, kpath, j, false, &m->source);

	/* No destination: a bind of an absolute source appears at the same place. */
	j = json_object_get(obj, "destination");
	path_key(kpath, sizeof(kpath), path, "destination");
	if (r < 0)
		return r;
	if (j)
		r = parse_path(ps, kpath, j, true, &m->destination);
	else if (m->type == POLICY_MOUNT_TMPFS)
		report(ps, path, "a tmpfs needs a \"destination\"");
	else if (m->source && m->source[0] != '/')
		report(ps, path, "a relative \"source\" needs a \"destination\"");
	else if (m->source && !(m->destination = xstrdup(m->source)))
		r = -ENOMEM;

	j = json_object_get(obj, "options");
	path_key(kpath, sizeof(kpath), path, "options");
	if (j)
		parse_mount_options(ps, kpath, j, m);
	return r;
}

static int parse_mounts(struct parser *ps, json_t *list, struct policy_isolation *iso)
{
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;
	int r = 0;

	if (!json_is_array(list)) {
		report(ps, "isolation.mounts", "expected a list of mounts, got %s",
		       json_type_name(list));
		return 0;
	}
	iso->mounts = calloc(json_array_size(list) + 1, sizeof(*iso->mounts));
	if (!iso->mounts)
		return -ENOMEM;
	json_array_foreach(list, i, j)
	{
		path_index(epath, sizeof(epath), "isolation.mounts", i);
		r = parse_mount(ps, epath, j, &iso->mounts[iso->n_mounts++]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_masked(struct parser *ps, json_t *list, struct policy_isolation *iso)
{
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;
	int r;

	if (!json_is_array(list)) {
		report(ps, "isolation.masked_paths", "expected a list of absolute paths, got %s",
		       json_type_name(list));
		return 0;
	}
	iso->masked = calloc(json_array_size(list) + 1, sizeof(char *));
	if (!iso->masked)
		return -ENOMEM;
	json_array_foreach(list, i, j)
	{
		char *path = NULL;

		path_index(epath, sizeof(epath), "isolation.masked_paths", i);
		r = parse_path(ps, epath, j, true, &path);
		if (r < 0)
			return r;
		if (path)
			iso->masked[iso->n_masked++] = path;
	}
	return 0;
}

/*
 * "isolation": "namespaces" | "landlock" | "none", or an object whose
 * "mode" says the same (default "namespaces").
 */
static bool parse_mode(struct parser *ps, const char *path, json_t *j, enum sbx_isolation *ret)
{
	static const struct {
		const char *name;
		enum sbx_isolation mode;
	} modes[] = {
		{"namespaces", SBX_ISOLATION_NAMESPACES},
		{"landlock", SBX_ISOLATION_LANDLOCK},
		{"none", SBX_ISOLATION_NONE},
	};

	for (size_t i = 0; json_is_string(j) && i < ARRAY_SIZE(modes); i++)
		if (strcmp(json_string_value(j), modes[i].name) == 0) {
			*ret = modes[i].mode;
			return true;
		}
	report(ps, path, "expected \"namespaces\", \"landlock\" or \"none\"");
	return false;
}

int parse_isolation(struct parser *ps, json_t *j, struct policy_isolation *iso)
{
	static const char *const keys[] = {"mode",     "namespaces", "workdir",	     "tmp_size",
					   "shm_size", "mounts",     "masked_paths", "outside",
					   "comment",  NULL};
	json_t *v;
	int r = 0;

	iso->present = true;
	iso->src = ps->src;
	if (json_is_string(j)) {
		parse_mode(ps, "isolation", j, &iso->mode);
		return 0;
	}
	if (!json_is_object(j)) {
		report(ps, "isolation",
		       "expected \"namespaces\", \"landlock\", \"none\" or an object such as "
		       "{\"workdir\": \"ro\", \"tmp_size\": \"16M\"}, got %s",
		       json_type_name(j));
		return 0;
	}
	check_keys(ps, j, "isolation", keys);
	v = json_object_get(j, "mode");
	if (v)
		parse_mode(ps, "isolation.mode", v, &iso->mode);
	v = json_object_get(j, "namespaces");
	if (v)
		parse_namespaces(ps, v, &iso->namespaces);
	v = json_object_get(j, "workdir");
	if (v)
		parse_workdir(ps, v, &iso->workdir);
	v = json_object_get(j, "tmp_size");
	if (v)
		parse_size_value(ps, "isolation.tmp_size", v, &iso->tmp_size);
	v = json_object_get(j, "shm_size");
	if (v)
		parse_size_value(ps, "isolation.shm_size", v, &iso->shm_size);
	v = json_object_get(j, "mounts");
	if (v)
		r = parse_mounts(ps, v, iso);
	v = json_object_get(j, "masked_paths");
	if (r == 0 && v)
		r = parse_masked(ps, v, iso);
	v = json_object_get(j, "outside");
	if (v && json_is_string(v) && strcmp(json_string_value(v), "deny") == 0)
		iso->outside = POLICY_OUTSIDE_DENY;
	else if (v && json_is_string(v) && strcmp(json_string_value(v), "kill") == 0)
		iso->outside = POLICY_OUTSIDE_KILL;
	else if (v)
		report(ps, "isolation.outside",
		       "expected \"deny\" (a call aimed at a process outside the sandbox fails "
		       "with EPERM) or \"kill\" (it ends the run as a violation)");
	return r;
}

void policy_isolation_clear(struct policy_isolation *iso)
{
	for (size_t i = 0; i < iso->n_mounts; i++) {
		free(iso->mounts[i].source);
		free(iso->mounts[i].destination);
	}
	free(iso->mounts);
	for (size_t i = 0; i < iso->n_masked; i++)
		free(iso->masked[i]);
	free(iso->masked);
	*iso = (struct policy_isolation){0};
}

/* |*own| = |*base| followed by |*own|; |*base| is emptied. */
static int concat(void **own, size_t *n_own, void **base, size_t *n_base, size_t size)
{
	char *joined;

	if (!*n_base)
		return 0;
	joined = calloc(*n_own + *n_base + 1, size);
	if (!joined)
		return -ENOMEM;
	memcpy(joined, *base, *n_base * size);
	if (*n_own)
		memcpy(joined + *n_base * size, *own, *n_own * size);
	free(*own);
	free(*base);
	*own = joined;
	*base = NULL;
	*n_own += *n_base;
	*n_base = 0;
	return 0;
}

int policy_isolation_merge(struct policy_isolation *own, struct policy_isolation *base,
			   unsigned int off)
{
	int r;

	if (!base->present)
		return 0;
	if (!own->present)
		own->src = base->src + off;
	own->present = true;
	if (!own->mode)
		own->mode = base->mode;
	if (!own->namespaces)
		own->namespaces = base->namespaces;
	if (!own->workdir)
		own->workdir = base->workdir;
	if (!own->tmp_size)
		own->tmp_size = base->tmp_size;
	if (!own->shm_size)
		own->shm_size = base->shm_size;
	if (!own->outside)
		own->outside = base->outside;
	r = concat((void **)&own->mounts, &own->n_mounts, (void **)&base->mounts, &base->n_mounts,
		   sizeof(*own->mounts));
	if (r == 0)
		r = concat((void **)&own->masked, &own->n_masked, (void **)&base->masked,
			   &base->n_masked, sizeof(*own->masked));
	return r;
}
