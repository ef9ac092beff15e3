/* SPDX-License-Identifier: MIT */
/*
 * oci_loader PROFILE PROG [ARGS...]: build the filter of an OCI / Docker
 * seccomp profile with libseccomp the way runc 1.1 does (matchCall in
 * libcontainer/seccomp/seccomp_linux.go), load it with no_new_privs, then
 * exec PROG. The entries kept are those Docker keeps for a container with no
 * capabilities on this machine and kernel. No tracer, no policy checks: the
 * floor for what reading and compiling the profile costs.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

/* This machine as Docker's "arches" (Go's GOARCH) and "archMap" name it. */
#if defined(__aarch64__)
#define GO_ARCH	    "arm64"
#define NATIVE_ARCH "SCMP_ARCH_AARCH64"
#else
#define GO_ARCH	    "amd64"
#define NATIVE_ARCH "SCMP_ARCH_X86_64"
#endif

#define MAX_ARGS 6 /* a system call has at most six arguments */

static const char *profile;

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oci_loader: %s: ", profile);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* An action name (and its errnoRet, EPERM when absent) as runc's getAction maps it. */
static bool action_of(const char *name, json_t *errno_ret, uint32_t *act)
{
	uint32_t ret = json_is_integer(errno_ret) ? (uint32_t)json_integer_value(errno_ret) : EPERM;

	if (!name)
		return false;
	if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
		*act = SCMP_ACT_ALLOW;
	else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		*act = SCMP_ACT_ERRNO(ret);
	else if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		*act = SCMP_ACT_KILL_THREAD;
	else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		*act = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		*act = SCMP_ACT_TRAP;
	else if (strcmp(name, "SCMP_ACT_TRACE") == 0)
		*act = SCMP_ACT_TRACE(ret);
	else if (strcmp(name, "SCMP_ACT_LOG") == 0)
		*act = SCMP_ACT_LOG;
	else
		return false;
	return true;
}

static bool op_of(const char *name, enum scmp_compare *op)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{"SCMP_CMP_NE", SCMP_CMP_NE},
		{"SCMP_CMP_LT", SCMP_CMP_LT},
		{"SCMP_CMP_LE", SCMP_CMP_LE},
		{"SCMP_CMP_EQ", SCMP_CMP_EQ},
		{"SCMP_CMP_GE", SCMP_CMP_GE},
		{"SCMP_CMP_GT", SCMP_CMP_GT},
		{"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
	};

	for (size_t i = 0; name && i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(name, ops[i].name) == 0) {
			*op = ops[i].op;
			return true;
		}
	}
	return false;
}

/* Is version |min| ("4.8", "5.3.1") newer than the running kernel? */
static bool newer_than_kernel(const char *min)
{
	struct utsname u;
	int want[3] = {0, 0, 0}, have[3] = {0, 0, 0};

	if (uname(&u) < 0)
		return false;
	sscanf(min, "%d.%d.%d", &want[0], &want[1], &want[2]);
	sscanf(u.release, "%d.%d.%d", &have[0], &have[1], &have[2]);
	for (int i = 0; i < 3; i++) {
		if (want[i] != have[i])
			return want[i] > have[i];
	}
	return false;
}

static bool lists(json_t *array, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(array, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

/* Would Docker keep this entry for a container with no capabilities here? */
static bool kept(json_t *entry)
{
	json_t *inc = json_object_get(entry, "includes");
	json_t *exc = json_object_get(entry, "excludes");
	json_t *arches = json_object_get(inc, "arches");
	json_t *kernel = json_object_get(inc, "minKernel");

	if (json_array_size(json_object_get(inc, "caps")) > 0)
		return false;
	if (json_array_size(arches) > 0 && !lists(arches, GO_ARCH))
		return false;
	if (lists(json_object_get(exc, "arches"), GO_ARCH))
		return false;
	if (json_is_string(kernel) && newer_than_kernel(json_string_value(kernel)))
		return false;
	return true; /* "excludes": {"caps": [...]} names capabilities we do not hold */
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token for "x86_64". */
static void add_arch(scmp_filter_ctx ctx, json_t *name)
{
	const char *s = json_string_value(name);
	char lower[32];
	size_t n = 0;
	uint32_t token;
	int rc;

	if (!s)
		die("an architecture is not a string");
	if (strncmp(s, "SCMP_ARCH_", 10) == 0)
		s += 10;
	for (; s[n] && n + 1 < sizeof(lower); n++)
		lower[n] = (char)tolower((unsigned char)s[n]);
	lower[n] = '\0';
	token = seccomp_arch_resolve_name(lower);
	if (token == 0)
		die("unknown architecture %s", json_string_value(name));
	rc = seccomp_arch_add(ctx, token);
	if (rc < 0 && rc != -EEXIST) /* the native one is there already */
		die("seccomp_arch_add: %s", strerror(-rc));
}

/* "architectures", or this machine's entry of "archMap" with its subArchitectures. */
static void add_arches(scmp_filter_ctx ctx, json_t *root)
{
	json_t *list = json_object_get(root, "architectures");
	json_t *map = json_object_get(root, "archMap");
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
	{
		add_arch(ctx, v);
	}
	json_array_foreach(map, i, v)
	{
		json_t *arch = json_object_get(v, "architecture");
		json_t *sub;
		size_t k;

		if (!json_is_string(arch) || strcmp(json_string_value(arch), NATIVE_ARCH) != 0)
			continue;
		add_arch(ctx, arch);
		json_array_foreach(json_object_get(v, "subArchitectures"), k, sub)
		{
			add_arch(ctx, sub);
		}
	}
}

/* matchCall: one name of an entry with action |act| and conditions |args|. */
static void add_call(scmp_filter_ctx ctx, const char *name, uint32_t act, json_t *args)
{
	struct scmp_arg_cmp conds[MAX_ARGS * 4];
	unsigned count[MAX_ARGS] = {0};
	unsigned n = 0;
	bool same_index = false;
	size_t i;
	json_t *a;
	int nr = seccomp_syscall_resolve_name(name), rc = 0;

	if (nr == __NR_SCMP_ERROR)
		return; /* not known to libseccomp: runc skips it */
	json_array_foreach(args, i, a)
	{
		json_t *index = json_object_get(a, "index");
		enum scmp_compare op;

		if (n == sizeof(conds) / sizeof(conds[0]))
			die("%s: too many conditions", name);
		if (!json_is_integer(index) || json_integer_value(index) < 0 ||
		    json_integer_value(index) >= MAX_ARGS)
			die("%s: an argument index is not 0-5", name);
		if (!op_of(json_string_value(json_object_get(a, "op")), &op))
			die("%s: unknown op", name);
		conds[n].arg = (unsigned)json_integer_value(index);
		conds[n].op = op;
		/* For SCMP_CMP_MASKED_EQ value is the mask, valueTwo the datum. */
		conds[n].datum_a = (scmp_datum_t)json_integer_value(json_object_get(a, "value"));
		conds[n].datum_b = (scmp_datum_t)json_integer_value(json_object_get(a, "valueTwo"));
		if (++count[conds[n].arg] > 1)
			same_index = true;
		n++;
	}
	if (same_index) { /* runc's "old behavior": one rule per condition, ORed */
		for (unsigned k = 0; k < n && rc == 0; k++)
			rc = seccomp_rule_add_array(ctx, act, nr, 1, &conds[k]);
	} else {
		rc = seccomp_rule_add_array(ctx, act, nr, n, conds);
	}
	if (rc < 0)
		die("a rule for %s: %s", name, strerror(-rc));
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *root, *entry, *v;
	scmp_filter_ctx ctx;
	uint32_t def;
	size_t i, k;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: oci_loader PROFILE PROG [ARGS...]\n");
		return 2;
	}
	profile = argv[1];
	root = json_load_file(profile, 0, &err);
	if (!root)
		die("%s", err.text);
	if (!action_of(json_string_value(json_object_get(root, "defaultAction")),
		       json_object_get(root, "defaultErrnoRet"), &def))
		die("bad defaultAction");
	ctx = seccomp_init(def);
	if (!ctx)
		die("seccomp_init failed");
	add_arches(ctx, root);
	json_array_foreach(json_object_get(root, "syscalls"), i, entry)
	{
		json_t *names = json_object_get(entry, "names");
		json_t *args = json_object_get(entry, "args");
		uint32_t act;

		if (!kept(entry))
			continue;
		if (!action_of(json_string_value(json_object_get(entry, "action")),
			       json_object_get(entry, "errnoRet"), &act))
			die("bad action in an entry");
		if (act == def)
			continue; /* runc skips a rule that says what the default says */
		if (json_is_string(json_object_get(entry, "name")))
			add_call(ctx, json_string_value(json_object_get(entry, "name")), act, args);
		json_array_foreach(names, k, v)
		{
			if (json_is_string(v))
				add_call(ctx, json_string_value(v), act, args);
		}
	}
	/* runc sets no_new_privs itself, not through libseccomp. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc < 0)
		die("seccomp_attr_set: %s", strerror(-rc));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	rc = seccomp_load(ctx);
	if (rc < 0)
		die("seccomp_load: %s", strerror(-rc));
	/* The profile and the context go with the exec. */
	execv(argv[2], argv + 2);
	fprintf(stderr, "oci_loader: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
