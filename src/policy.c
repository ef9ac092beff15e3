/* SPDX-License-Identifier: MIT */
/*
 * policy.c - owns our policy format (one file's JSON -> struct policy, with
 * every problem reported at file:line:column), the built-in rules, and the
 * reference semantics (policy_match()). Loading, extends and merging are in
 * policy_load.c; OCI profiles in policy_oci.c; checks in policy_lint.c.
 */
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "names.h"
#include "policy_json.h"
#include "syscalls.h"

static const struct {
	const char *name;
	enum policy_action action;
} action_names[] = {
	{"allow", POLICY_ALLOW}, {"errno", POLICY_ERRNO},   {"log", POLICY_LOG},
	{"kill", POLICY_KILL},	 {"return", POLICY_RETURN},
};

const char *policy_action_name(enum policy_action a)
{
	for (size_t i = 0; i < ARRAY_SIZE(action_names); i++)
		if (action_names[i].action == a)
			return action_names[i].name;
	return "?";
}

static bool parse_action(struct parser *ps, const char *path, json_t *j, enum policy_action *ret)
{
	if (json_is_string(j))
		for (size_t i = 0; i < ARRAY_SIZE(action_names); i++)
			if (strcmp(json_string_value(j), action_names[i].name) == 0) {
				*ret = action_names[i].action;
				return true;
			}
	report(ps, path,
	       "expected an action: \"allow\", \"errno\", \"log\", \"kill\" or \"return\"%s",
	       json_is_string(j) ? "" : " (a string)");
	return false;
}

/*
 * The action and its parameters: shared by rules and by the default.
 * |obj| may be a bare action string (only for the default).
 */
static void parse_verdict(struct parser *ps, const char *path, json_t *obj,
			  struct policy_verdict *v)
{
	char kpath[PATH_MAX_LEN];
	json_t *j;

	*v = (struct policy_verdict){.action = POLICY_KILL, .errno_value = EPERM};
	if (json_is_string(obj)) {
		parse_action(ps, path, obj, &v->action);
		return;
	}
	path_key(kpath, sizeof(kpath), path, "action");
	j = json_object_get(obj, "action");
	if (!j)
		report(ps, path, "missing key \"action\"");
	else
		parse_action(ps, kpath, j, &v->action);

	j = json_object_get(obj, "errno");
	path_key(kpath, sizeof(kpath), path, "errno");
	if (j && v->action != POLICY_ERRNO)
		report(ps, kpath, "\"errno\" is only meaningful with action \"errno\"");
	else if (j)
		parse_errno(ps, kpath, j, &v->errno_value);

	j = json_object_get(obj, "value");
	path_key(kpath, sizeof(kpath), path, "value");
	if (j && v->action != POLICY_RETURN)
		report(ps, kpath, "\"value\" is only meaningful with action \"return\"");
	else if (j && !json_is_integer(j))
		report(ps, kpath, "expected the integer the call returns, got %s",
		       json_type_name(j));
	else if (j)
		v->ret_value = json_integer_value(j);
	else if (v->action == POLICY_RETURN)
		report(ps, path, "action \"return\" needs a \"value\"");

	j = json_object_get(obj, "log");
	path_key(kpath, sizeof(kpath), path, "log");
	if (j && !json_is_boolean(j))
		report(ps, kpath, "expected true or false, got %s", json_type_name(j));
	else if (j)
		v->log = json_is_true(j);
}

static const struct {
	const char *name;
	enum policy_op op;
} op_names[] = {
	{"==", POLICY_OP_EQ},
	{"!=", POLICY_OP_NE},
	{"<", POLICY_OP_LT},
	{"<=", POLICY_OP_LE},
	{">", POLICY_OP_GT},
	{">=", POLICY_OP_GE},
	{"masked_eq", POLICY_OP_MASKED_EQ},
};

static void parse_cond(struct parser *ps, const char *path, json_t *obj, struct policy_cond *c)
{
	static const char *const keys[] = {"index", "op", "value", "mask", "comment", NULL};
	char kpath[PATH_MAX_LEN];
	json_t *j;
	bool op_ok = false;

	if (!json_is_object(obj)) {
		report(ps, path, "expected an argument condition object, got %s",
		       json_type_name(obj));
		return;
	}
	check_keys(ps, obj, path, keys);

	parse_arg_index(ps, path, obj, &c->index);

	j = json_object_get(obj, "op");
	path_key(kpath, sizeof(kpath), path, "op");
	for (size_t i = 0; j && json_is_string(j) && i < ARRAY_SIZE(op_names); i++)
		if (strcmp(json_string_value(j), op_names[i].name) == 0) {
			c->op = op_names[i].op;
			op_ok = true;
		}
	if (!j)
		report(ps, path, "missing key \"op\"");
	else if (!op_ok)
		report(ps, kpath,
		       "expected an operator: \"==\", \"!=\", \"<\", \"<=\", \">\", \">=\" or "
		       "\"masked_eq\"");

	j = json_object_get(obj, "value");
	path_key(kpath, sizeof(kpath), path, "value");
	if (!j)
		report(ps, path, "missing key \"value\"");
	else
		parse_u64(ps, kpath, j, &c->value);

	j = json_object_get(obj, "mask");
	path_key(kpath, sizeof(kpath), path, "mask");
	if (j && op_ok && c->op != POLICY_OP_MASKED_EQ)
		report(ps, kpath, "\"mask\" is only meaningful with op \"masked_eq\"");
	else if (j)
		parse_u64(ps, kpath, j, &c->mask);
	else if (op_ok && c->op == POLICY_OP_MASKED_EQ)
		report(ps, path, "op \"masked_eq\" needs a \"mask\"");
	if (j && op_ok && c->op == POLICY_OP_MASKED_EQ && (c->value & ~c->mask))
		report(ps, path,
		       "value %#llx has bits outside mask %#llx, so the condition could never hold",
		       (unsigned long long)c->value, (unsigned long long)c->mask);
}

static int parse_names(struct parser *ps, const char *path, json_t *obj, struct policy_rule *r)
{
	char kpath[PATH_MAX_LEN];
	json_t *list = json_object_get(obj, "syscalls");

	path_key(kpath, sizeof(kpath), path, "syscalls");
	if (!list) {
		report(ps, path, "missing key \"syscalls\" (a list of syscall names)");
		return 0;
	}
	return rule_add_name_list(ps, kpath, list, r);
}

static void parse_conds(struct parser *ps, const char *path, json_t *obj, struct policy_rule *r)
{
	char kpath[PATH_MAX_LEN], epath[PATH_MAX_LEN];
	json_t *list = json_object_get(obj, "args"), *j;
	size_t i;

	path_key(kpath, sizeof(kpath), path, "args");
	if (list && !json_is_array(list))
		report(ps, kpath, "expected a list of argument conditions, got %s",
		       json_type_name(list));
	else if (list && json_array_size(list) > POLICY_MAX_CONDS)
		report(ps, kpath, "at most %d argument conditions per rule", POLICY_MAX_CONDS);
	else if (list)
		json_array_foreach(list, i, j)
		{
			path_index(epath, sizeof(epath), kpath, i);
			parse_cond(ps, epath, j, &r->conds[r->n_conds++]);
		}
}

/* "count": N and "then": the verdict after N matches. */
static void parse_count(struct parser *ps, const char *path, json_t *obj, struct policy_rule *r)
{
	char kpath[PATH_MAX_LEN];
	json_t *count = json_object_get(obj, "count");
	json_t *then = json_object_get(obj, "then");

	path_key(kpath, sizeof(kpath), path, "count");
	if (count && (!json_is_integer(count) || json_integer_value(count) < 1))
		report(ps, kpath, "expected how many calls the rule applies to, an integer >= 1");
	else if (count)
		r->count = (uint64_t)json_integer_value(count);
	path_key(kpath, sizeof(kpath), path, "then");
	if (then && !count) {
		report(ps, kpath, "\"then\" is only meaningful with \"count\"");
	} else if (then && !json_is_string(then) && !json_is_object(then)) {
		report(ps, kpath, "expected an action string or object, got %s",
		       json_type_name(then));
	} else if (then) {
		static const char *const vkeys[] = {"action", "errno", "value", "log", NULL};

		if (json_is_object(then))
			check_keys(ps, then, kpath, vkeys);
		parse_verdict(ps, kpath, then, &r->then);
		r->has_then = true;
	}
}

static int parse_rule(struct parser *ps, const char *path, json_t *obj, struct policy_rule *r)
{
	static const char *const keys[] = {"syscalls", "action", "errno", "value",   "log",
					   "args",     "count",	 "then",  "comment", NULL};

	r->src = ps->src;
	r->list_key = "rules";
	r->name_key = "syscalls";
	if (!json_is_object(obj)) {
		report(ps, path, "expected a rule object, got %s", json_type_name(obj));
		return 0;
	}
	check_keys(ps, obj, path, keys);
	parse_verdict(ps, path, obj, &r->verdict);
	parse_conds(ps, path, obj, r);
	parse_count(ps, path, obj, r);
	return parse_names(ps, path, obj, r);
}

static void parse_arches(struct parser *ps, json_t *list, unsigned int *ret)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} arches[] = {
		{"native", POLICY_ARCH_NATIVE},
		{"x86", POLICY_ARCH_X86},
		{"x32", POLICY_ARCH_X32},
		{"arm", POLICY_ARCH_ARM},
	};
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;

	*ret = POLICY_ARCH_NATIVE;
	if (!json_is_array(list)) {
		report(ps, "architectures", "expected a list such as [\"native\", \"x86\"]");
		return;
	}
	json_array_foreach(list, i, j)
	{
		bool ok = false;

		for (size_t k = 0; json_is_string(j) && k < ARRAY_SIZE(arches); k++)
			if (strcmp(json_string_value(j), arches[k].name) == 0) {
				*ret |= arches[k].bit;
				ok = true;
			}
		path_index(epath, sizeof(epath), "architectures", i);
		if (!ok)
			report(ps, epath, "expected \"native\", \"x86\", \"x32\" or \"arm\"");
	}
}

/* A duration: a number of seconds (fractions allowed) or a string "1.5s", "250ms", "1m". */
static void parse_limit_time(struct parser *ps, const char *path, json_t *j, uint64_t *ret)
{
	int r = -EINVAL;

	if (json_is_integer(j) && json_integer_value(j) > 0 &&
	    json_integer_value(j) <= INT64_MAX / 1000) {
		*ret = (uint64_t)json_integer_value(j) * 1000;
		return;
	}
	if (json_is_real(j) && json_real_value(j) > 0 && json_real_value(j) < 1e12) {
		*ret = (uint64_t)(json_real_value(j) * 1000 + 0.5);
		r = 0;
	} else if (json_is_string(j)) {
		r = parse_duration_ms(json_string_value(j), ret);
	}
	if (r == 0 && *ret > 0)
		return;
	report(ps, path,
	       "expected a positive duration: seconds (1.5) or a string (\"1.5s\", \"250ms\", "
	       "\"1m\")");
}

/* A size: bytes as an integer, or a string "64M", "10K", "1G". */
static void parse_limit_size(struct parser *ps, const char *path, json_t *j, uint64_t *ret)
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

static void parse_limit_count(struct parser *ps, const char *path, json_t *j, uint64_t *ret)
{
	if (json_is_integer(j) && json_integer_value(j) > 0) {
		*ret = (uint64_t)json_integer_value(j);
		return;
	}
	report(ps, path, "expected a positive integer");
}

static void parse_memory_rlimit(struct parser *ps, const char *path, json_t *j,
				enum sbx_memory_rlimit *ret)
{
	static const struct {
		const char *name;
		enum sbx_memory_rlimit value;
	} modes[] = {
		{"data", SBX_MEMORY_RLIMIT_DATA},
		{"as", SBX_MEMORY_RLIMIT_AS},
		{"none", SBX_MEMORY_RLIMIT_NONE},
	};

	for (size_t i = 0; json_is_string(j) && i < ARRAY_SIZE(modes); i++)
		if (strcmp(json_string_value(j), modes[i].name) == 0) {
			*ret = modes[i].value;
			return;
		}
	report(ps, path, "expected \"data\", \"as\" or \"none\"");
}

static void parse_limits(struct parser *ps, json_t *obj, struct sbx_limits *l)
{
	static const char *const keys[] = {"cpu_time",	"wall_time", "memory",	   "stack",
					   "processes", "output",    "open_files", "memory_rlimit",
					   "comment",	NULL};
	char kpath[PATH_MAX_LEN];
	json_t *j;

	if (!json_is_object(obj)) {
		report(ps, "limits",
		       "expected an object such as {\"cpu_time\": 1, \"memory\": \"64M\"}, got %s",
		       json_type_name(obj));
		return;
	}
	check_keys(ps, obj, "limits", keys);
#define LIMIT(key, parse, field)                                                                   \
	do {                                                                                       \
		j = json_object_get(obj, key);                                                     \
		path_key(kpath, sizeof(kpath), "limits", key);                                     \
		if (j)                                                                             \
			parse(ps, kpath, j, &l->field);                                            \
	} while (0)
	LIMIT("cpu_time", parse_limit_time, cpu_time_ms);
	LIMIT("wall_time", parse_limit_time, wall_time_ms);
	LIMIT("memory", parse_limit_size, memory_bytes);
	LIMIT("stack", parse_limit_size, stack_bytes);
	LIMIT("processes", parse_limit_count, processes);
	LIMIT("output", parse_limit_size, output_bytes);
	LIMIT("open_files", parse_limit_count, open_files);
	LIMIT("memory_rlimit", parse_memory_rlimit, memory_rlimit);
#undef LIMIT
}

/* A list of paths (strings), into a malloc'd array. */
static int parse_paths(struct parser *ps, const char *path, json_t *list, char ***ret, size_t *n)
{
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;

	if (!json_is_array(list)) {
		report(ps, path, "expected a list of paths, got %s", json_type_name(list));
		return 0;
	}
	*ret = calloc(json_array_size(list) + 1, sizeof(char *));
	if (!*ret)
		return -ENOMEM;
	json_array_foreach(list, i, j)
	{
		path_index(epath, sizeof(epath), path, i);
		if (!json_is_string(j) || !*json_string_value(j)) {
			report(ps, epath, "expected a path, got %s", json_type_name(j));
			continue;
		}
		(*ret)[*n] = xstrdup(json_string_value(j));
		if (!(*ret)[(*n)++])
			return -ENOMEM;
	}
	return 0;
}

static int parse_filesystem(struct parser *ps, json_t *obj, struct policy_fs *fs)
{
	static const char *const keys[] = {"read", "write", "exec", "deny", "comment", NULL};
	static const char *const lists[] = {"read", "write", "exec", "deny"};
	char kpath[PATH_MAX_LEN];
	char ***dst[] = {&fs->read, &fs->write, &fs->exec, &fs->deny};
	size_t *cnt[] = {&fs->n_read, &fs->n_write, &fs->n_exec, &fs->n_deny};
	int r = 0;

	if (!json_is_object(obj)) {
		report(ps, "filesystem",
		       "expected an object such as {\"read\": [\"/usr\"], \"write\": [\"/tmp\"]}, "
		       "got %s",
		       json_type_name(obj));
		return 0;
	}
	check_keys(ps, obj, "filesystem", keys);
	fs->present = true;
	fs->src = ps->src;
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(lists); i++) {
		json_t *j = json_object_get(obj, lists[i]);

		path_key(kpath, sizeof(kpath), "filesystem", lists[i]);
		if (j)
			r = parse_paths(ps, kpath, j, dst[i], cnt[i]);
	}
	return r;
}

static int parse_ports(struct parser *ps, const char *path, json_t *list, uint16_t **ret, size_t *n)
{
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;

	if (!json_is_array(list)) {
		report(ps, path, "expected a list of TCP ports, got %s", json_type_name(list));
		return 0;
	}
	*ret = calloc(json_array_size(list) + 1, sizeof(uint16_t));
	if (!*ret)
		return -ENOMEM;
	json_array_foreach(list, i, j)
	{
		path_index(epath, sizeof(epath), path, i);
		if (!json_is_integer(j) || json_integer_value(j) < 0 ||
		    json_integer_value(j) > 65535)
			report(ps, epath, "expected a TCP port 0..65535");
		else
			(*ret)[(*n)++] = (uint16_t)json_integer_value(j);
	}
	return 0;
}

static void parse_families(struct parser *ps, json_t *list, struct policy_net *net)
{
	static const struct {
		const char *name;
		int family;
	} names[] = {
		{"AF_UNIX", 1},	   {"AF_INET", 2},   {"AF_INET6", 10},	   {"AF_NETLINK", 16},
		{"AF_PACKET", 17}, {"AF_VSOCK", 40}, {"AF_BLUETOOTH", 31}, {"AF_ALG", 38},
	};
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;

	net->n_families = 0;
	if (!json_is_array(list) || json_array_size(list) > ARRAY_SIZE(net->families)) {
		report(ps, "network.families",
		       "expected a list of up to %zu socket families such as "
		       "[\"AF_UNIX\", \"AF_INET\"]",
		       ARRAY_SIZE(net->families));
		return;
	}
	json_array_foreach(list, i, j)
	{
		bool ok = false;

		path_index(epath, sizeof(epath), "network.families", i);
		for (size_t k = 0; json_is_string(j) && k < ARRAY_SIZE(names); k++)
			if (strcmp(json_string_value(j), names[k].name) == 0) {
				net->families[net->n_families++] = names[k].family;
				ok = true;
			}
		if (!ok)
			report(ps, epath,
			       "expected a socket family: \"AF_UNIX\", \"AF_INET\", "
			       "\"AF_INET6\", \"AF_NETLINK\", \"AF_PACKET\", \"AF_VSOCK\", "
			       "\"AF_BLUETOOTH\" or \"AF_ALG\"");
	}
}

/* "network": "off" | "on" | {"families": [...], "bind": [ports], "connect": [ports]} */
static int parse_network(struct parser *ps, json_t *j, struct policy_net *net)
{
	static const char *const keys[] = {"families", "bind", "connect", "comment", NULL};
	json_t *v;
	int r = 0;

	net->src = ps->src;
	if (json_is_string(j) && strcmp(json_string_value(j), "off") == 0) {
		net->present = true;
		net->families[0] = 1; /* AF_UNIX */
		net->n_families = 1;
		return 0;
	}
	if (json_is_string(j) && strcmp(json_string_value(j), "on") == 0)
		return 0; /* as if absent: no network rule */
	if (!json_is_object(j)) {
		report(ps, "network",
		       "expected \"off\", \"on\", or an object such as {\"families\": "
		       "[\"AF_UNIX\", \"AF_INET\"], \"connect\": [443]}");
		return 0;
	}
	check_keys(ps, j, "network", keys);
	net->present = true;
	v = json_object_get(j, "families");
	if (v) {
		parse_families(ps, v, net);
	} else {
		static const int all[] = {1, 2, 10}; /* unix, inet, inet6 */

		memcpy(net->families, all, sizeof(all));
		net->n_families = ARRAY_SIZE(all);
	}
	v = json_object_get(j, "bind");
	if (v) {
		net->has_bind = true;
		r = parse_ports(ps, "network.bind", v, &net->bind, &net->n_bind);
	}
	v = json_object_get(j, "connect");
	if (r == 0 && v) {
		net->has_connect = true;
		r = parse_ports(ps, "network.connect", v, &net->connect, &net->n_connect);
	}
	return r;
}

static int parse_extends(struct parser *ps, json_t *j, struct extends *ext)
{
	char epath[PATH_MAX_LEN];
	json_t *list = j, *one = NULL;
	size_t i;

	if (json_is_string(j)) {
		one = json_array();
		if (!one || json_array_append(one, j) < 0) {
			json_decref(one);
			return -ENOMEM;
		}
		list = one;
	} else if (!json_is_array(j)) {
		report(ps, "extends",
		       "expected a policy to build on (a file, or a shipped policy's name), or a "
		       "list of them, got %s",
		       json_type_name(j));
		return 0;
	}
	ext->names = calloc(json_array_size(list) + 1, sizeof(char *));
	ext->paths = calloc(json_array_size(list) + 1, sizeof(char *));
	if (!ext->names || !ext->paths) {
		json_decref(one);
		return -ENOMEM;
	}
	json_array_foreach(list, i, j)
	{
		if (one)
			snprintf(epath, sizeof(epath), "extends");
		else
			path_index(epath, sizeof(epath), "extends", i);
		if (!json_is_string(j) || !*json_string_value(j)) {
			report(ps, epath, "expected a file name or a shipped policy's name, got %s",
			       json_type_name(j));
			continue;
		}
		ext->names[ext->n] = xstrdup(json_string_value(j));
		ext->paths[ext->n] = xstrdup(epath);
		if (!ext->names[ext->n] || !ext->paths[ext->n++]) {
			json_decref(one);
			return -ENOMEM;
		}
	}
	json_decref(one);
	return 0;
}

static void parse_default(struct parser *ps, json_t *j, struct policy *p)
{
	static const char *const vkeys[] = {"action", "errno", "value", "log", "comment", NULL};

	if (json_is_object(j)) {
		check_keys(ps, j, "default", vkeys);
		parse_verdict(ps, "default", j, &p->default_verdict);
	} else if (json_is_string(j)) {
		parse_verdict(ps, "default", j, &p->default_verdict);
		if (p->default_verdict.action == POLICY_RETURN)
			report(ps, "default", "action \"return\" needs an object with a \"value\"");
	} else {
		report(ps, "default", "expected an action string or object, got %s",
		       json_type_name(j));
	}
	p->has_default = true;
	p->default_src = ps->src;
}

int native_parse(struct parser *ps, json_t *root, struct policy *p, struct extends *ext)
{
	static const char *const keys[] = {"version",	    "comment",	  "extends", "default",
					   "limits",	    "filesystem", "network", "isolation",
					   "architectures", "rules",	  NULL};
	char epath[PATH_MAX_LEN];
	json_t *j, *rules;
	size_t i;
	int r;

	if (!json_is_object(root)) {
		report(ps, "", "expected the policy object, got %s", json_type_name(root));
		return 0;
	}
	check_keys(ps, root, "", keys);

	j = json_object_get(root, "version");
	if (j && !(json_is_integer(j) && json_integer_value(j) == 1))
		report(ps, "version", "unsupported version (this sandbox reads version 1)");

	j = json_object_get(root, "extends");
	if (j) {
		r = parse_extends(ps, j, ext);
		if (r < 0)
			return r;
	}

	j = json_object_get(root, "default");
	if (j)
		parse_default(ps, j, p);
	else if (!ext->n && !json_object_get(root, "extends"))
		report(ps, "", "missing key \"default\" (the action for calls no rule matches)");

	p->arches = POLICY_ARCH_NATIVE;
	j = json_object_get(root, "architectures");
	if (j) {
		parse_arches(ps, j, &p->arches);
		p->has_arches = true;
	}

	j = json_object_get(root, "limits");
	if (j)
		parse_limits(ps, j, &p->limits);

	j = json_object_get(root, "filesystem");
	if (j) {
		r = parse_filesystem(ps, j, &p->fs);
		if (r < 0)
			return r;
	}
	j = json_object_get(root, "network");
	if (j) {
		r = parse_network(ps, j, &p->net);
		if (r < 0)
			return r;
	}
	j = json_object_get(root, "isolation");
	if (j) {
		r = parse_isolation(ps, j, &p->isolation);
		if (r < 0)
			return r;
	}

	rules = json_object_get(root, "rules");
	if (!rules)
		return 0;
	if (!json_is_array(rules)) {
		report(ps, "rules", "expected a list of rules, got %s", json_type_name(rules));
		return 0;
	}
	p->rules = calloc(json_array_size(rules) + 1, sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	json_array_foreach(rules, i, j)
	{
		path_index(epath, sizeof(epath), "rules", i);
		p->rules[p->n_rules].index = (unsigned int)i;
		r = parse_rule(ps, epath, j, &p->rules[p->n_rules++]);
		if (r < 0)
			return r;
	}
	return 0;
}

void extends_free(struct extends *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->names[i]);
		free(e->paths[i]);
	}
	free(e->names);
	free(e->paths);
	*e = (struct extends){0};
}

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void policy_fs_clear(struct policy_fs *fs)
{
	free_list(fs->read, fs->n_read);
	free_list(fs->write, fs->n_write);
	free_list(fs->exec, fs->n_exec);
	free_list(fs->deny, fs->n_deny);
	*fs = (struct policy_fs){0};
}

void policy_net_clear(struct policy_net *net)
{
	free(net->bind);
	free(net->connect);
	*net = (struct policy_net){0};
}

static int nr_sockets[] = {__NR_socket, __NR_socketpair};

/* The rule that fails sockets of families other than |families|: EACCES, logged. */
static void family_rule(const struct policy *p, const int *families, size_t n,
			struct policy_rule *r)
{
	*r = (struct policy_rule){
		.syscalls = nr_sockets,
		.n_syscalls = ARRAY_SIZE(nr_sockets),
		.verdict = {.action = POLICY_ERRNO, .errno_value = EACCES, .log = true},
		.src = p->net.src,
		.list_key = "network",
		.name_key = "families",
	};
	for (size_t i = 0; i < n && r->n_conds < POLICY_MAX_CONDS; i++)
		r->conds[r->n_conds++] = (struct policy_cond){
			.index = 0, .op = POLICY_OP_NE, .value = (uint64_t)families[i]};
}

/*
 * With its own network namespace, "off" needs no family rule for the
 * namespaced families; the others reach past any network namespace (vsock
 * talks to the hypervisor and its host, bluetooth to the radio): only
 * AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK may be made (p->netns_rule).
 */
void policy_make_net_rule(struct policy *p)
{
	static const int namespaced[] = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK};

	family_rule(p, p->net.families, p->net.n_families, &p->net_rule);
	family_rule(p, namespaced, ARRAY_SIZE(namespaced), &p->netns_rule);
}

void policy_rule_clear(struct policy_rule *r)
{
	free(r->syscalls);
	free(r->entries);
	*r = (struct policy_rule){0};
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	if (p->precompiled) { /* the rest is the binary's */
		if (p->filter_cache_free)
			p->filter_cache_free(p->filter_cache);
		free(p);
		return;
	}
	policy_fs_clear(&p->fs);
	policy_net_clear(&p->net);
	policy_isolation_clear(&p->isolation);
	for (size_t i = 0; i < p->n_rules; i++)
		policy_rule_clear(&p->rules[i]);
	for (size_t i = 0; i < p->n_sources; i++) {
		free(p->sources[i].name);
		free(p->sources[i].text);
	}
	free(p->sources);
	free(p->rules);
	free(p->naming_start);
	free(p->rules_naming);
	free(p->source);
	if (p->oci) {
		for (size_t i = 0; i < p->oci->n_calls; i++)
			free(p->oci->calls[i].name);
		free(p->oci->calls);
		free(p->oci->program);
		free(p->oci);
	}
	if (p->filter_cache_free)
		p->filter_cache_free(p->filter_cache);
	free(p);
}

const char *policy_rule_path(const struct policy_rule *r, size_t k, char *buf, size_t size)
{
	if (strcmp(r->name_key, "name") == 0)
		snprintf(buf, size, "%s[%u].name", r->list_key, r->index);
	else
		snprintf(buf, size, "%s[%u].%s[%u]", r->list_key, r->index, r->name_key,
			 k < r->n_syscalls ? (unsigned int)r->entries[k] : 0);
	return buf;
}

bool policy_verdict_needs_stop(const struct policy_verdict *v)
{
	switch (v->action) {
	case POLICY_ALLOW:
		return false;
	case POLICY_ERRNO:
		return v->log;
	case POLICY_LOG:
	case POLICY_KILL:
	case POLICY_RETURN:
		return true;
	}
	return true;
}

bool policy_cond_holds(const struct policy_cond *c, uint64_t arg)
{
	uint64_t v = c->value;

	if (c->narrow) {
		uint64_t low = (1ULL << c->narrow) - 1;

		arg &= low;
		v &= low;
	}
	switch (c->op) {
	case POLICY_OP_EQ:
		return arg == v;
	case POLICY_OP_NE:
		return arg != v;
	case POLICY_OP_LT:
		return arg < v;
	case POLICY_OP_LE:
		return arg <= v;
	case POLICY_OP_GT:
		return arg > v;
	case POLICY_OP_GE:
		return arg >= v;
	case POLICY_OP_MASKED_EQ:
		return (arg & c->mask) == v;
	}
	return false;
}

void policy_cond_for(const struct policy_cond *c, int nr, struct policy_cond *ret)
{
	int bits = syscall_arg_bits(nr, c->index);
	uint64_t low = bits > 0 && bits < 64 ? (1ULL << bits) - 1 : UINT64_MAX;

	*ret = *c;
	if (low == UINT64_MAX)
		return;
	switch (c->op) {
	case POLICY_OP_EQ:
		ret->op = POLICY_OP_MASKED_EQ;
		ret->mask = low;
		ret->value = c->value & low;
		break;
	case POLICY_OP_MASKED_EQ:
		ret->mask = c->mask & low;
		ret->value = c->value & low;
		break;
	default:
		ret->narrow = (unsigned char)bits;
		break;
	}
}

#define CLONE_UNTRACED_FLAG 0x00800000ULL
#define NEW_LISTENER_FLAG   (1ULL << 3)

static int nr_clone[] = {__NR_clone};
static int nr_seccomp[] = {__NR_seccomp};
static int nr_clone3[] = {__NR_clone3};

static const struct policy_rule builtin_rules[POLICY_N_BUILTIN] = {
	{
		.syscalls = nr_clone,
		.n_syscalls = 1,
		.conds = {{.index = 0,
			   .op = POLICY_OP_MASKED_EQ,
			   .mask = CLONE_UNTRACED_FLAG,
			   .value = CLONE_UNTRACED_FLAG}},
		.n_conds = 1,
		.verdict = {.action = POLICY_KILL},
	},
	{
		.syscalls = nr_seccomp,
		.n_syscalls = 1,
		.conds = {{.index = 1,
			   .op = POLICY_OP_MASKED_EQ,
			   .mask = NEW_LISTENER_FLAG,
			   .value = NEW_LISTENER_FLAG}},
		.n_conds = 1,
		.verdict = {.action = POLICY_KILL},
	},
	{
		.syscalls = nr_clone3,
		.n_syscalls = 1,
		.verdict = {.action = POLICY_ERRNO, .errno_value = ENOSYS},
	},
};

static const char *const builtin_reasons[POLICY_N_BUILTIN] = {
	"a CLONE_UNTRACED child would escape the supervisor",
	"a seccomp notify listener would outrank the supervisor",
	"clone3 flags are out of a filter's sight; libc falls back to clone",
};

/* Rules before the policy's own: the built-in ones. */
static size_t n_front(const struct policy *p)
{
	(void)p;
	return POLICY_N_BUILTIN;
}

size_t policy_rule_count(const struct policy *p)
{
	return n_front(p) + p->n_rules;
}

const struct policy_rule *policy_rule(const struct policy *p, size_t i)
{
	if (i < POLICY_N_BUILTIN)
		return &builtin_rules[i];
	return &p->rules[i - n_front(p)];
}

const char *policy_builtin_reason(int rule)
{
	int i = POLICY_RULE_BUILTIN_FIRST - rule;

	return i >= 0 && i < POLICY_N_BUILTIN ? builtin_reasons[i] : "?";
}

static bool rule_holds(const struct policy_rule *r, int nr, const uint64_t args[6])
{
	bool any = false;

	if (!policy_rule_names(r, nr))
		return false;
	for (size_t c = 0; c < r->n_conds; c++) {
		struct policy_cond cond;
		bool holds;

		policy_cond_for(&r->conds[c], nr, &cond);
		holds = policy_cond_holds(&cond, args[cond.index]);
		if (!holds && !r->conds_any)
			return false;
		any |= holds;
	}
	return any || !r->conds_any || r->n_conds == 0;
}

const struct policy_verdict *policy_match_builtin(int nr, const uint64_t args[6], int *ret_rule)
{
	for (size_t i = 0; i < POLICY_N_BUILTIN; i++) {
		if (rule_holds(&builtin_rules[i], nr, args)) {
			*ret_rule = POLICY_RULE_BUILTIN_FIRST - (int)i;
			return &builtin_rules[i].verdict;
		}
	}
	return NULL;
}

static const struct policy_verdict *match_rules(const struct policy *p, int nr,
						const uint64_t args[6], uint64_t *counts,
						int *ret_rule);

/*
 * The network rule narrows, never widens: a socket of a family "network"
 * does not allow fails with EACCES (reported) where the policy would let it
 * be made; where the policy kills or fails it, that stands.
 */
const struct policy_verdict *policy_match(const struct policy *p, int nr, const uint64_t args[6],
					  uint64_t *counts, int *ret_rule)
{
	return policy_match_net(p, nr, args, counts, false, ret_rule);
}

const struct policy_verdict *policy_match_net(const struct policy *p, int nr,
					      const uint64_t args[6], uint64_t *counts,
					      bool own_netns, int *ret_rule)
{
	const struct policy_verdict *v = match_rules(p, nr, args, counts, ret_rule);
	const struct policy_rule *net = own_netns ? &p->netns_rule : &p->net_rule;

	if (p->net.present && v->action != POLICY_KILL && v->action != POLICY_ERRNO &&
	    rule_holds(net, nr, args)) {
		*ret_rule = POLICY_RULE_NETWORK;
		return &net->verdict;
	}
	return v;
}

/*
 * Rule |i| (in policy_rule() numbering) when it holds for the call: its
 * verdict, counted; NULL when it does not hold or is used up.
 */
static const struct policy_verdict *match_one(const struct policy *p, size_t i, int nr,
					      const uint64_t args[6], uint64_t *counts,
					      int *ret_rule)
{
	const struct policy_rule *r = policy_rule(p, i);

	if (!rule_holds(r, nr, args))
		return NULL;
	if (i < POLICY_N_BUILTIN)
		*ret_rule = POLICY_RULE_BUILTIN_FIRST - (int)i;
	else
		*ret_rule = (int)(i - n_front(p));
	if (!r->count)
		return &r->verdict;
	if (!counts || counts[i] < r->count) {
		if (counts)
			counts[i]++;
		return &r->verdict;
	}
	if (r->has_then)
		return &r->then;
	return NULL; /* used up: as if the rule were not there */
}

/* The built-in rules, then only the policy's rules that name |nr|. */
static const struct policy_verdict *
match_rules(const struct policy *p, int nr, const uint64_t args[6], uint64_t *counts, int *ret_rule)
{
	const struct policy_verdict *v = NULL;
	size_t n;
	const uint32_t *naming = policy_rules_naming(p, nr, &n);

	for (size_t i = 0; !v && i < n_front(p); i++)
		v = match_one(p, i, nr, args, counts, ret_rule);
	for (size_t k = 0; !v && k < n; k++)
		v = match_one(p, n_front(p) + naming[k], nr, args, counts, ret_rule);
	/* A pseudo number (a foreign ABI's call this CPU lacks) has no index: every rule, in order.
	 */
	for (size_t i = n_front(p); !v && nr < -1 && i < policy_rule_count(p); i++)
		v = match_one(p, i, nr, args, counts, ret_rule);
	if (v)
		return v;
	*ret_rule = POLICY_RULE_DEFAULT;
	return &p->default_verdict;
}

bool policy_counted(const struct policy *p, int nr)
{
	size_t n;
	const uint32_t *naming = policy_rules_naming(p, nr, &n);

	for (size_t i = 0; i < n; i++)
		if (p->rules[naming[i]].count)
			return true;
	return false;
}

const uint32_t *policy_rules_naming(const struct policy *p, int nr, size_t *ret_n)
{
	if (nr < 0 || nr >= POLICY_NR_BITS || !p->naming_start) {
		*ret_n = 0;
		return NULL;
	}
	*ret_n = p->naming_start[nr + 1] - p->naming_start[nr];
	return p->rules_naming + p->naming_start[nr];
}

/* Counting sort of the (call, rule) pairs by call: two passes over the rules. */
int policy_index_rules(struct policy *p)
{
	size_t total = 0;
	uint32_t *fill;

	for (size_t i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_syscalls;
	if (p->n_rules > UINT32_MAX || total > UINT32_MAX)
		return -E2BIG;
	free(p->naming_start);
	free(p->rules_naming);
	p->naming_start = calloc(POLICY_NR_BITS + 1, sizeof(*p->naming_start));
	p->rules_naming = malloc((total ? total : 1) * sizeof(*p->rules_naming));
	fill = calloc(POLICY_NR_BITS, sizeof(*fill));
	if (!p->naming_start || !p->rules_naming || !fill) {
		free(fill);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t k = 0; k < p->rules[i].n_syscalls; k++)
			if (p->rules[i].syscalls[k] >= 0 &&
			    p->rules[i].syscalls[k] < POLICY_NR_BITS)
				p->naming_start[p->rules[i].syscalls[k] + 1]++;
	for (size_t nr = 0; nr < POLICY_NR_BITS; nr++) {
		p->naming_start[nr + 1] += p->naming_start[nr];
		fill[nr] = p->naming_start[nr];
	}
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t k = 0; k < p->rules[i].n_syscalls; k++)
			if (p->rules[i].syscalls[k] >= 0 &&
			    p->rules[i].syscalls[k] < POLICY_NR_BITS)
				p->rules_naming[fill[p->rules[i].syscalls[k]]++] = (uint32_t)i;
	free(fill);
	return 0;
}
