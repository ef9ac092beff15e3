/* SPDX-License-Identifier: MIT */
/*
 * policy.c - JSON policy text -> struct policy, with diagnostics that name
 * file:line:column, the JSON path and what was expected. Every problem in a
 * file is reported, not only the first.
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
#include <sys/syscall.h>

#include "jsonpos.h"
#include "names.h"
#include "syscalls.h"

/* Highest native syscall number we index; x86_64 is below 512. */
#define NR_INDEX_MAX 1024

struct parser {
	const char *source;
	const char *text;
	size_t len;
	struct strbuf *diag;
	unsigned int errors;
};

static void report_at(struct parser *ps, const char *path, bool at_key, const char *fmt, ...)
	_printf_(4, 5);

static void report_at(struct parser *ps, const char *path, bool at_key, const char *fmt, ...)
{
	struct jsonpos pos = {1, 1};
	va_list ap;

	jsonpos_find(ps->text, ps->len, path, at_key, &pos);
	strbuf_printf(ps->diag, "%s:%u:%u: %s%s", ps->source, pos.line, pos.column,
		      *path ? path : "(top level)", ": ");
	va_start(ap, fmt);
	strbuf_vprintf(ps->diag, fmt, ap);
	va_end(ap);
	strbuf_append_char(ps->diag, '\n');
	ps->errors++;
}

#define report(ps, path, ...) report_at(ps, path, false, __VA_ARGS__)

static const char *json_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

/*
 * Build "prefix.key" / "prefix[i]" paths for messages. A path too deep for
 * the buffer is cut: it only labels a message, and the position is found
 * from the same (cut) path, pointing at the deepest value it still names.
 */
static void path_key(char *out, size_t size, const char *prefix, const char *key)
{
	if (snprintf(out, size, "%s%s%s", prefix, *prefix ? "." : "", key) >= (int)size)
		out[size - 1] = '\0';
}

static void path_index(char *out, size_t size, const char *prefix, size_t i)
{
	if (snprintf(out, size, "%s[%zu]", prefix, i) >= (int)size)
		out[size - 1] = '\0';
}

#define PATH_MAX_LEN 256

/* Reject keys of |obj| not in the NULL-terminated |allowed| list. */
static void check_keys(struct parser *ps, json_t *obj, const char *path, const char *const *allowed)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value)
	{
		char kpath[PATH_MAX_LEN];
		struct strbuf list = {0};
		bool ok = false;

		for (const char *const *a = allowed; *a; a++) {
			ok = ok || strcmp(*a, key) == 0;
			strbuf_printf(&list, "%s\"%s\"", a == allowed ? "" : ", ", *a);
		}
		if (!ok) {
			path_key(kpath, sizeof(kpath), path, key);
			report_at(ps, kpath, true, "unknown key \"%s\" (expected one of %s)", key,
				  strbuf_str(&list));
		}
		strbuf_free(&list);
	}
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];

	if (lb >= ARRAY_SIZE(row))
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The closest native syscall name to |name|, or NULL when nothing is close. */
static const char *suggest_syscall(const char *name, char *buf, size_t size)
{
	size_t best = 3;
	bool found = false;

	for (int nr = 0; nr < NR_INDEX_MAX; nr++) {
		char *cand = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		size_t d;

		if (!cand)
			continue;
		d = edit_distance(name, cand);
		if (d < best) {
			best = d;
			snprintf(buf, size, "%s", cand);
			found = true;
		}
		free(cand);
	}
	return found ? buf : NULL;
}

static int resolve_syscall(struct parser *ps, const char *path, json_t *j)
{
	const char *name;
	char hint[64];
	int nr;

	if (!json_is_string(j)) {
		report(ps, path, "expected a syscall name (a string), got %s", json_type_name(j));
		return -1;
	}
	name = json_string_value(j);
	nr = seccomp_syscall_resolve_name(name);
	if (nr >= 0 && nr < NR_INDEX_MAX)
		return nr;
	if (nr == __NR_SCMP_ERROR && suggest_syscall(name, hint, sizeof(hint)))
		report(ps, path, "unknown syscall \"%s\" (did you mean \"%s\"?)", name, hint);
	else if (nr == __NR_SCMP_ERROR)
		report(ps, path, "unknown syscall \"%s\"", name);
	else
		report(ps, path, "syscall \"%s\" does not exist on this architecture", name);
	return -1;
}

/* An unsigned 64-bit value given as a JSON integer or a "0x..." / decimal string. */
static bool parse_u64(struct parser *ps, const char *path, json_t *j, uint64_t *ret)
{
	if (json_is_integer(j)) {
		*ret = (uint64_t)json_integer_value(j);
		return true;
	}
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		char *end;

		errno = 0;
		*ret = strtoull(s, &end, 0);
		if (*s && *s != '-' && *end == '\0' && errno == 0)
			return true;
	}
	report(ps, path, "expected an integer (or a string such as \"0xff\"), got %s",
	       json_type_name(j));
	return false;
}

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

static void parse_errno(struct parser *ps, const char *path, json_t *j, int *ret)
{
	if (json_is_integer(j) && json_integer_value(j) >= 1 && json_integer_value(j) <= 4095) {
		*ret = (int)json_integer_value(j);
		return;
	}
	if (json_is_string(j) && errno_from_name(json_string_value(j)) > 0) {
		*ret = errno_from_name(json_string_value(j));
		return;
	}
	if (json_is_string(j))
		report(ps, path, "unknown errno name \"%s\" (expected a name such as \"EACCES\")",
		       json_string_value(j));
	else
		report(ps, path, "expected an errno name such as \"EPERM\" or a number 1..4095");
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

	j = json_object_get(obj, "index");
	path_key(kpath, sizeof(kpath), path, "index");
	if (!j)
		report(ps, path, "missing key \"index\" (argument number 0..5)");
	else if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > 5)
		report(ps, kpath, "argument index must be an integer 0..5");
	else
		c->index = (unsigned int)json_integer_value(j);

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

static int parse_rule(struct parser *ps, const char *path, json_t *obj, struct policy_rule *r)
{
	static const char *const keys[] = {"syscalls", "action", "errno",   "value",
					   "log",      "args",	 "comment", NULL};
	char kpath[PATH_MAX_LEN], epath[PATH_MAX_LEN];
	json_t *list, *j;
	size_t i;

	if (!json_is_object(obj)) {
		report(ps, path, "expected a rule object, got %s", json_type_name(obj));
		return 0;
	}
	check_keys(ps, obj, path, keys);
	parse_verdict(ps, path, obj, &r->verdict);

	list = json_object_get(obj, "syscalls");
	path_key(kpath, sizeof(kpath), path, "syscalls");
	if (!list)
		report(ps, path, "missing key \"syscalls\" (a list of syscall names)");
	else if (!json_is_array(list) || json_array_size(list) == 0)
		report(ps, kpath, "expected a non-empty list of syscall names");
	if (list && json_is_array(list) && json_array_size(list) > 0) {
		r->syscalls = calloc(json_array_size(list), sizeof(*r->syscalls));
		if (!r->syscalls)
			return -ENOMEM;
		json_array_foreach(list, i, j)
		{
			int nr;

			path_index(epath, sizeof(epath), kpath, i);
			nr = resolve_syscall(ps, epath, j);
			if (nr >= 0)
				r->syscalls[r->n_syscalls++] = nr;
		}
	}

	list = json_object_get(obj, "args");
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
	return 0;
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
			report(ps, epath, "expected \"native\", \"x86\" or \"x32\"");
	}
}

/* A duration: a number of seconds (fractions allowed) or a string "1.5s", "250ms". */
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
	       "expected a positive duration: seconds (1.5) or a string (\"1.5s\", \"250ms\")");
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

static int parse_root(struct parser *ps, json_t *root, struct policy *p)
{
	static const char *const keys[] = {"version",	    "comment", "default", "limits",
					   "architectures", "rules",   NULL};
	char epath[PATH_MAX_LEN];
	json_t *j, *rules;
	size_t i;

	if (!json_is_object(root)) {
		report(ps, "", "expected the policy object, got %s", json_type_name(root));
		return 0;
	}
	check_keys(ps, root, "", keys);

	j = json_object_get(root, "version");
	if (j && !(json_is_integer(j) && json_integer_value(j) == 1))
		report(ps, "version", "unsupported version (this sandbox reads version 1)");

	j = json_object_get(root, "default");
	if (!j)
		report(ps, "", "missing key \"default\" (the action for calls no rule matches)");
	else if (json_is_object(j)) {
		static const char *const vkeys[] = {"action", "errno",	 "value",
						    "log",    "comment", NULL};

		check_keys(ps, j, "default", vkeys);
		parse_verdict(ps, "default", j, &p->default_verdict);
	} else if (json_is_string(j)) {
		parse_verdict(ps, "default", j, &p->default_verdict);
		if (p->default_verdict.action == POLICY_RETURN)
			report(ps, "default", "action \"return\" needs an object with a \"value\"");
	} else
		report(ps, "default", "expected an action string or object, got %s",
		       json_type_name(j));

	p->arches = POLICY_ARCH_NATIVE;
	j = json_object_get(root, "architectures");
	if (j)
		parse_arches(ps, j, &p->arches);

	j = json_object_get(root, "limits");
	if (j)
		parse_limits(ps, j, &p->limits);

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
		int r;

		path_index(epath, sizeof(epath), "rules", i);
		r = parse_rule(ps, epath, j, &p->rules[p->n_rules++]);
		if (r < 0)
			return r;
	}
	return 0;
}

int policy_parse(const char *source, const char *text, size_t len, struct policy **ret_policy,
		 struct strbuf *diag)
{
	struct parser ps = {.source = source, .text = text, .len = len, .diag = diag};
	struct policy *p;
	json_error_t err;
	json_t *root;
	int r;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		strbuf_printf(diag, "%s:%d:%d: invalid JSON: %s\n", source, err.line, err.column,
			      err.text);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		json_decref(root);
		return -ENOMEM;
	}
	p->source = xstrdup(source);
	r = p->source ? parse_root(&ps, root, p) : -ENOMEM;
	json_decref(root);
	if (r == 0 && ps.errors)
		r = -EINVAL;
	if (r == 0 && strbuf_failed(diag))
		r = -ENOMEM;
	if (r < 0) {
		policy_free(p);
		return r;
	}
	*ret_policy = p;
	return 0;
}

int policy_load_file(const char *path, struct policy **ret_policy, struct strbuf *diag)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	struct stat st;
	size_t done = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		strbuf_printf(diag, "%s: cannot read policy: %s\n", path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (16 << 20)) {
		strbuf_printf(diag, "%s: cannot read policy: not a regular file under 16 MiB\n",
			      path);
		return -EINVAL;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text)
		return -ENOMEM;
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, text + done, (size_t)st.st_size - done);

		if (n <= 0) {
			strbuf_printf(diag, "%s: cannot read policy: %s\n", path,
				      n < 0 ? strerror(errno) : "file shrank while reading");
			return n < 0 ? -errno : -EIO;
		}
		done += (size_t)n;
	}
	return policy_parse(path, text, done, ret_policy, diag);
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++)
		free(p->rules[i].syscalls);
	free(p->rules);
	free(p->source);
	free(p);
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
		arg = (uint32_t)arg;
		v = (uint32_t)v;
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

int policy_arg_bits(int nr, unsigned int index)
{
	/* 0: not looked up yet; else bits + 1 (so "unknown" caches as 1). */
	static unsigned char cache[NR_INDEX_MAX][6];
	char *name;
	int bits;

	if (nr < 0 || nr >= NR_INDEX_MAX || index > 5)
		return 0;
	if (cache[nr][index])
		return cache[nr][index] - 1;
	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	bits = name ? syscall_arg_bits(name, index) : 0;
	free(name);
	cache[nr][index] = (unsigned char)(bits + 1);
	return bits;
}

void policy_cond_for(const struct policy_cond *c, int nr, struct policy_cond *ret)
{
	*ret = *c;
	if (policy_arg_bits(nr, c->index) != 32)
		return;
	switch (c->op) {
	case POLICY_OP_EQ:
		ret->op = POLICY_OP_MASKED_EQ;
		ret->mask = 0xffffffffu;
		ret->value = (uint32_t)c->value;
		break;
	case POLICY_OP_MASKED_EQ:
		ret->mask = (uint32_t)c->mask;
		ret->value = (uint32_t)c->value;
		break;
	default:
		ret->narrow = true;
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

size_t policy_rule_count(const struct policy *p)
{
	return POLICY_N_BUILTIN + p->n_rules;
}

const struct policy_rule *policy_rule(const struct policy *p, size_t i)
{
	return i < POLICY_N_BUILTIN ? &builtin_rules[i] : &p->rules[i - POLICY_N_BUILTIN];
}

const char *policy_builtin_reason(int rule)
{
	int i = POLICY_RULE_BUILTIN_FIRST - rule;

	return i >= 0 && i < POLICY_N_BUILTIN ? builtin_reasons[i] : "?";
}

static bool rule_names(const struct policy_rule *r, int nr)
{
	for (size_t i = 0; i < r->n_syscalls; i++)
		if (r->syscalls[i] == nr)
			return true;
	return false;
}

const struct policy_verdict *policy_match(const struct policy *p, int nr, const uint64_t args[6],
					  int *ret_rule)
{
	for (size_t i = 0; i < policy_rule_count(p); i++) {
		const struct policy_rule *r = policy_rule(p, i);
		bool holds = rule_names(r, nr);

		for (size_t c = 0; holds && c < r->n_conds; c++) {
			struct policy_cond cond;

			policy_cond_for(&r->conds[c], nr, &cond);
			holds = policy_cond_holds(&cond, args[cond.index]);
		}
		if (holds) {
			*ret_rule = i < POLICY_N_BUILTIN ? POLICY_RULE_BUILTIN_FIRST - (int)i
							 : (int)(i - POLICY_N_BUILTIN);
			return &r->verdict;
		}
	}
	*ret_rule = POLICY_RULE_DEFAULT;
	return &p->default_verdict;
}
