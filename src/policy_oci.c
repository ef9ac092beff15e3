/* SPDX-License-Identifier: MIT */
/*
 * policy_oci.c - owns reading OCI runtime-spec and Docker seccomp profiles
 * as they are (docs/policy.md, "OCI and Docker profiles", says what each
 * field and action becomes).
 *
 * The program runs with no capabilities, on x86_64, on this kernel: so an
 * entry that "includes" a capability never applies, one that "excludes" one
 * always does, and arches and minKernel are checked against this machine.
 * Names that exist only on other architectures (Docker's profile lists
 * every architecture's calls) are skipped; names no architecture knows are
 * errors, as in our own format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "policy_json.h"

#define FILTER_FLAG_LOG	       (1u << 1)
#define FILTER_FLAG_SPEC_ALLOW (1u << 2)

bool oci_detect(json_t *root)
{
	return json_is_object(root) && json_object_get(root, "defaultAction");
}

struct oci_action {
	const char *name;
	struct policy_verdict verdict;
	bool takes_errno; /* errnoRet sets its errno */
};

/*
 * Each action as ours. A kill of any kind becomes our reported kill of the
 * whole sandbox; TRAP too (no SIGSYS is delivered); TRACE becomes what the
 * call gets when no tracer is attached (ENOSYS), reported; NOTIFY has no
 * agent to ask here, so it kills.
 */
static const struct oci_action oci_actions[] = {
	{"SCMP_ACT_ALLOW", {.action = POLICY_ALLOW}, false},
	{"SCMP_ACT_ERRNO", {.action = POLICY_ERRNO, .errno_value = EPERM}, true},
	{"SCMP_ACT_KILL", {.action = POLICY_KILL}, false},
	{"SCMP_ACT_KILL_PROCESS", {.action = POLICY_KILL}, false},
	{"SCMP_ACT_KILL_THREAD", {.action = POLICY_KILL}, false},
	{"SCMP_ACT_TRAP", {.action = POLICY_KILL}, false},
	{"SCMP_ACT_TRACE", {.action = POLICY_ERRNO, .errno_value = ENOSYS, .log = true}, false},
	{"SCMP_ACT_LOG", {.action = POLICY_LOG}, false},
	{"SCMP_ACT_NOTIFY", {.action = POLICY_KILL}, false},
};

/* |errno_ret| (from errnoRet or defaultErrnoRet) applies to ERRNO only. */
static void parse_oci_action(struct parser *ps, const char *path, json_t *j, int errno_ret,
			     struct policy_verdict *ret)
{
	for (size_t i = 0; json_is_string(j) && i < ARRAY_SIZE(oci_actions); i++) {
		if (strcmp(json_string_value(j), oci_actions[i].name) == 0) {
			*ret = oci_actions[i].verdict;
			if (oci_actions[i].takes_errno && errno_ret > 0)
				ret->errno_value = errno_ret;
			return;
		}
	}
	*ret = (struct policy_verdict){.action = POLICY_KILL};
	report(ps, path,
	       "expected an action: \"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\", "
	       "\"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", \"SCMP_ACT_TRAP\", "
	       "\"SCMP_ACT_TRACE\", \"SCMP_ACT_LOG\" or \"SCMP_ACT_NOTIFY\"");
}

static int parse_errno_ret(struct parser *ps, const char *path, json_t *j)
{
	if (!j)
		return 0;
	if (json_is_integer(j) && json_integer_value(j) >= 1 && json_integer_value(j) <= 4095)
		return (int)json_integer_value(j);
	report(ps, path, "expected an errno number 1..4095");
	return 0;
}

static bool is_native_arch(const char *name)
{
	return strcmp(name, "amd64") == 0 || strcmp(name, "x86_64") == 0 ||
	       strcmp(name, "SCMP_ARCH_X86_64") == 0;
}

static void add_arch(struct parser *ps, const char *path, const char *name, unsigned int *arches)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} ours[] = {
		{"SCMP_ARCH_X86_64", POLICY_ARCH_NATIVE},
		{"SCMP_ARCH_X86", POLICY_ARCH_X86},
		{"SCMP_ARCH_X32", POLICY_ARCH_X32},
	};

	for (size_t i = 0; i < ARRAY_SIZE(ours); i++)
		if (strcmp(name, ours[i].name) == 0) {
			*arches |= ours[i].bit;
			return;
		}
	if (strncmp(name, "SCMP_ARCH_", 10) != 0)
		report(ps, path, "expected an architecture such as \"SCMP_ARCH_X86_64\"");
	/* another machine's architecture: nothing to do here */
}

/* "architectures" and the native entry of "archMap" */
static void parse_oci_arches(struct parser *ps, json_t *root, struct policy *p)
{
	char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
	json_t *list = json_object_get(root, "architectures"), *j, *m;
	size_t i, k;

	p->arches = POLICY_ARCH_NATIVE;
	if (list && !json_is_array(list))
		report(ps, "architectures", "expected a list such as [\"SCMP_ARCH_X86_64\"]");
	else if (list)
		json_array_foreach(list, i, j)
		{
			path_index(path, sizeof(path), "architectures", i);
			if (json_is_string(j))
				add_arch(ps, path, json_string_value(j), &p->arches);
			else
				report(ps, path, "expected an architecture name");
		}
	list = json_object_get(root, "archMap");
	if (list && !json_is_array(list)) {
		report(ps, "archMap", "expected a list of {architecture, subArchitectures}");
		return;
	}
	json_array_foreach(list, i, j)
	{
		static const char *const keys[] = {"architecture", "subArchitectures", NULL};
		json_t *a = json_object_get(j, "architecture");

		path_index(path, sizeof(path), "archMap", i);
		if (!json_is_object(j) || !json_is_string(a)) {
			report(ps, path,
			       "expected {\"architecture\": ..., \"subArchitectures\": [...]}");
			continue;
		}
		check_keys(ps, j, path, keys);
		if (strcmp(json_string_value(a), "SCMP_ARCH_X86_64") != 0)
			continue;
		json_array_foreach(json_object_get(j, "subArchitectures"), k, m)
		{
			path_key(sub, sizeof(sub), path, "subArchitectures");
			path_index(sub, sizeof(sub), sub, k);
			if (json_is_string(m))
				add_arch(ps, sub, json_string_value(m), &p->arches);
		}
	}
	p->has_arches = true;
}

static void parse_oci_flags(struct parser *ps, json_t *list, struct policy *p)
{
	char path[PATH_MAX_LEN];
	size_t i;
	json_t *j;

	if (!json_is_array(list)) {
		report(ps, "flags", "expected a list of SECCOMP_FILTER_FLAG_* names");
		return;
	}
	json_array_foreach(list, i, j)
	{
		const char *f = json_is_string(j) ? json_string_value(j) : "";

		path_index(path, sizeof(path), "flags", i);
		if (strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0)
			p->filter_flags |= FILTER_FLAG_LOG;
		else if (strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
			p->filter_flags |= FILTER_FLAG_SPEC_ALLOW;
		else if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") != 0) /* one thread: moot */
			report(ps, path,
			       "expected \"SECCOMP_FILTER_FLAG_TSYNC\", "
			       "\"SECCOMP_FILTER_FLAG_LOG\" or "
			       "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"");
	}
}

/* "4.8" <= this kernel's version? */
static bool kernel_at_least(const char *min)
{
	static int major = -1, minor;
	struct utsname u;
	int a = 0, b = 0;

	if (major < 0) {
		if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
			major = minor = 0;
	}
	sscanf(min, "%d.%d", &a, &b);
	return major > a || (major == a && minor >= b);
}

static bool has_native(json_t *arches)
{
	size_t i;
	json_t *j;

	json_array_foreach(arches, i, j) if (json_is_string(j) &&
					     is_native_arch(json_string_value(j))) return true;
	return false;
}

/* Does the entry apply to this program here? (no capabilities, x86_64, this kernel) */
static bool entry_applies(struct parser *ps, const char *path, json_t *entry)
{
	static const char *const keys[] = {"caps", "arches", "minKernel", NULL};
	char kpath[PATH_MAX_LEN];
	json_t *inc = json_object_get(entry, "includes");
	json_t *exc = json_object_get(entry, "excludes");
	json_t *j;
	bool applies = true;

	for (int pass = 0; pass < 2; pass++) {
		json_t *o = pass ? exc : inc;

		if (!o)
			continue;
		path_key(kpath, sizeof(kpath), path, pass ? "excludes" : "includes");
		if (!json_is_object(o)) {
			report(ps, kpath, "expected an object with caps, arches or minKernel");
			continue;
		}
		check_keys(ps, o, kpath, keys);
		j = json_object_get(o, "caps");
		if (json_array_size(j) > 0 && !pass)
			applies = false; /* needs a capability the program never has */
		j = json_object_get(o, "arches");
		if (json_array_size(j) > 0 && has_native(j) == (bool)pass)
			applies = false;
		j = json_object_get(o, "minKernel");
		if (j && !json_is_string(j))
			report(ps, kpath, "minKernel: expected a version such as \"4.8\"");
		else if (j && !pass && !kernel_at_least(json_string_value(j)))
			applies = false;
		else if (j && pass && kernel_at_least(json_string_value(j)))
			applies = false;
	}
	return applies;
}

static const struct {
	const char *name;
	enum policy_op op;
} oci_ops[] = {
	{"SCMP_CMP_NE", POLICY_OP_NE},
	{"SCMP_CMP_LT", POLICY_OP_LT},
	{"SCMP_CMP_LE", POLICY_OP_LE},
	{"SCMP_CMP_EQ", POLICY_OP_EQ},
	{"SCMP_CMP_GE", POLICY_OP_GE},
	{"SCMP_CMP_GT", POLICY_OP_GT},
	{"SCMP_CMP_MASKED_EQ", POLICY_OP_MASKED_EQ},
};

/* An OCI value: an unsigned 64-bit JSON integer (Go's uint64), nothing else. */
static void parse_oci_u64(struct parser *ps, const char *path, json_t *j, uint64_t *ret)
{
	if (json_is_integer(j) && json_integer_value(j) < 0)
		report(ps, path, "expected an unsigned integer, got %lld",
		       (long long)json_integer_value(j));
	else if (!json_is_integer(j))
		report(ps, path, "expected an unsigned integer, got %s", json_type_name(j));
	else
		*ret = (uint64_t)json_integer_value(j);
}

/* {index, value, valueTwo, op}; for SCMP_CMP_MASKED_EQ, value is the mask and valueTwo the result.
 */
static void parse_oci_arg(struct parser *ps, const char *path, json_t *obj, struct policy_cond *c)
{
	static const char *const keys[] = {"index", "value", "valueTwo", "op", NULL};
	char kpath[PATH_MAX_LEN];
	json_t *j;
	uint64_t value = 0, two = 0;
	bool op_ok = false;

	if (!json_is_object(obj)) {
		report(ps, path, "expected {index, value, valueTwo, op}, got %s",
		       json_type_name(obj));
		return;
	}
	check_keys(ps, obj, path, keys);
	parse_arg_index(ps, path, obj, &c->index);
	j = json_object_get(obj, "op");
	path_key(kpath, sizeof(kpath), path, "op");
	for (size_t i = 0; json_is_string(j) && i < ARRAY_SIZE(oci_ops); i++)
		if (strcmp(json_string_value(j), oci_ops[i].name) == 0) {
			c->op = oci_ops[i].op;
			op_ok = true;
		}
	if (!op_ok)
		report(ps, j ? kpath : path,
		       "expected an operator: \"SCMP_CMP_EQ\", \"SCMP_CMP_NE\", \"SCMP_CMP_LT\", "
		       "\"SCMP_CMP_LE\", \"SCMP_CMP_GT\", \"SCMP_CMP_GE\" or "
		       "\"SCMP_CMP_MASKED_EQ\"");
	j = json_object_get(obj, "value");
	path_key(kpath, sizeof(kpath), path, "value");
	if (!j)
		report(ps, path, "missing key \"value\"");
	else
		parse_oci_u64(ps, kpath, j, &value);
	j = json_object_get(obj, "valueTwo");
	path_key(kpath, sizeof(kpath), path, "valueTwo");
	if (j)
		parse_oci_u64(ps, kpath, j, &two);
	if (op_ok && c->op == POLICY_OP_MASKED_EQ) {
		c->mask = value;
		c->value = two;
		if (two & ~value)
			report(ps, path,
			       "valueTwo %#llx has bits outside the mask (value) %#llx, so the "
			       "condition could never hold",
			       (unsigned long long)two, (unsigned long long)value);
	} else {
		c->value = value;
	}
}

static int parse_oci_names(struct parser *ps, const char *path, json_t *entry,
			   struct policy_rule *r)
{
	char kpath[PATH_MAX_LEN];
	json_t *list = json_object_get(entry, "names"), *one = json_object_get(entry, "name");

	if (one && !list) {
		r->name_key = "name";
		path_key(kpath, sizeof(kpath), path, "name");
		return rule_add_names(ps, kpath, one, 0, r);
	}
	r->name_key = "names";
	path_key(kpath, sizeof(kpath), path, "names");
	if (!list) {
		report(ps, path, "missing key \"names\" (a list of syscall names)");
		return 0;
	}
	if (one)
		report(ps, path, "give \"names\" or the older \"name\", not both");
	return rule_add_name_list(ps, kpath, list, r);
}

static int parse_oci_entry(struct parser *ps, const char *path, json_t *entry, int default_errno,
			   struct policy_rule *r, bool *ret_applies)
{
	static const char *const keys[] = {"names",   "name",	  "action",   "errnoRet", "args",
					   "comment", "includes", "excludes", NULL};
	char kpath[PATH_MAX_LEN], epath[PATH_MAX_LEN];
	json_t *j, *a;
	size_t i;

	*ret_applies = false;
	r->src = ps->src;
	r->list_key = "syscalls";
	r->name_key = "names";
	if (!json_is_object(entry)) {
		report(ps, path, "expected a syscall entry object, got %s", json_type_name(entry));
		return 0;
	}
	check_keys(ps, entry, path, keys);
	path_key(kpath, sizeof(kpath), path, "errnoRet");
	default_errno = json_object_get(entry, "errnoRet")
				? parse_errno_ret(ps, kpath, json_object_get(entry, "errnoRet"))
				: default_errno;
	path_key(kpath, sizeof(kpath), path, "action");
	j = json_object_get(entry, "action");
	if (!j)
		report(ps, path, "missing key \"action\"");
	else
		parse_oci_action(ps, kpath, j, default_errno, &r->verdict);
	j = json_object_get(entry, "args");
	path_key(kpath, sizeof(kpath), path, "args");
	if (j && !json_is_null(j) && !json_is_array(j))
		report(ps, kpath, "expected a list of argument conditions");
	else if (json_array_size(j) > POLICY_MAX_CONDS)
		report(ps, kpath, "at most %d argument conditions per entry", POLICY_MAX_CONDS);
	else
		json_array_foreach(j, i, a)
		{
			path_index(epath, sizeof(epath), kpath, i);
			parse_oci_arg(ps, epath, a, &r->conds[r->n_conds++]);
		}
	*ret_applies = entry_applies(ps, path, entry);
	return parse_oci_names(ps, path, entry, r);
}

int oci_parse(struct parser *ps, json_t *root, struct policy *p)
{
	static const char *const keys[] = {
		"defaultAction", "defaultErrnoRet", "architectures",	"archMap", "flags",
		"syscalls",	 "listenerPath",    "listenerMetadata", "comment", NULL};
	char epath[PATH_MAX_LEN];
	json_t *j, *list;
	int default_errno;
	size_t i;

	ps->oci = true;
	check_keys(ps, root, "", keys);
	default_errno =
		parse_errno_ret(ps, "defaultErrnoRet", json_object_get(root, "defaultErrnoRet"));
	parse_oci_action(ps, "defaultAction", json_object_get(root, "defaultAction"), default_errno,
			 &p->default_verdict);
	p->has_default = true;
	p->default_src = ps->src;
	parse_oci_arches(ps, root, p);
	j = json_object_get(root, "flags");
	if (j)
		parse_oci_flags(ps, j, p);
	if (json_object_get(root, "listenerPath"))
		warn(ps, "listenerPath",
		     "ignored: no notify agent runs here (SCMP_ACT_NOTIFY kills)");
	list = json_object_get(root, "syscalls");
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		report(ps, "syscalls", "expected a list of syscall entries, got %s",
		       json_type_name(list));
		return 0;
	}
	p->rules = calloc(json_array_size(list) + 1, sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	json_array_foreach(list, i, j)
	{
		struct policy_rule *r = &p->rules[p->n_rules];
		bool applies;
		int rc;

		path_index(epath, sizeof(epath), "syscalls", i);
		r->index = (unsigned int)i;
		rc = parse_oci_entry(ps, epath, j, default_errno, r, &applies);
		if (rc == 0 && applies && r->n_syscalls > 0)
			p->n_rules++;
		else
			policy_rule_clear(r); /* not counted, so policy_free() would miss it */
		if (rc < 0)
			return rc;
	}
	return 0;
}
