/* SPDX-License-Identifier: MIT */
/*
 * policy_oci.c - owns reading OCI runtime-spec and Docker seccomp profiles
 * as they are (docs/policy.md, "OCI and Docker profiles", says what each
 * field and action becomes).
 *
 * The program runs with no capabilities, on this CPU (x86_64 or aarch64),
 * on this kernel: so an entry that "includes" a capability never applies,
 * one that "excludes" one always does, and arches and minKernel are checked
 * against this machine. Architectures mean what Docker, Podman and runc
 * make them mean on this CPU (parse_oci_arches()).
 * Names that exist only on other architectures are kept for those
 * architectures' part of the filter (i386's mmap2 under SCMP_ARCH_X86);
 * names libseccomp does not know are skipped with a warning, as runc skips
 * them. Unknown keys are warnings: runc ignores them.
 */
#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "arch.h"
#include "names.h"
#include "policy_json.h"

#define FILTER_FLAG_LOG	       (1u << 1)
#define FILTER_FLAG_SPEC_ALLOW (1u << 2)

bool oci_detect(json_t *root)
{
	return json_is_object(root) && json_object_get(root, "defaultAction");
}

/* runc's names for the actions (libcontainer/seccomp/config.go). */
static const struct {
	const char *name;
	enum oci_act act;
} oci_actions[] = {
	{"SCMP_ACT_ALLOW", OCI_ACT_ALLOW},
	{"SCMP_ACT_ERRNO", OCI_ACT_ERRNO},
	{"SCMP_ACT_KILL", OCI_ACT_KILL_THREAD},
	{"SCMP_ACT_KILL_THREAD", OCI_ACT_KILL_THREAD},
	{"SCMP_ACT_KILL_PROCESS", OCI_ACT_KILL_PROCESS},
	{"SCMP_ACT_TRAP", OCI_ACT_TRAP},
	{"SCMP_ACT_TRACE", OCI_ACT_TRACE},
	{"SCMP_ACT_LOG", OCI_ACT_LOG},
	{"SCMP_ACT_NOTIFY", OCI_ACT_NOTIFY},
};

/*
 * Each action as ours. A kill of any kind becomes our reported kill of the
 * whole sandbox; TRAP too (no SIGSYS is delivered); TRACE becomes what the
 * call gets when no tracer of the profile's own is attached (ENOSYS),
 * reported; NOTIFY has no agent to ask here, so it kills.
 */
struct policy_verdict policy_oci_verdict(const struct oci_action *a)
{
	switch (a->act) {
	case OCI_ACT_ALLOW:
		return (struct policy_verdict){.action = POLICY_ALLOW};
	case OCI_ACT_ERRNO:
		return (struct policy_verdict){.action = POLICY_ERRNO, .errno_value = a->data};
	case OCI_ACT_TRACE:
		return (struct policy_verdict){
			.action = POLICY_ERRNO, .errno_value = ENOSYS, .log = true};
	case OCI_ACT_LOG:
		return (struct policy_verdict){.action = POLICY_LOG};
	case OCI_ACT_KILL_THREAD:
	case OCI_ACT_KILL_PROCESS:
	case OCI_ACT_TRAP:
	case OCI_ACT_NOTIFY:
		break;
	}
	return (struct policy_verdict){.action = POLICY_KILL};
}

/* |errno_ret| (the entry's errnoRet or errno, else EPERM) goes to ERRNO and TRACE, as in runc. */
static bool parse_oci_action(struct parser *ps, const char *path, json_t *j, int errno_ret,
			     struct oci_action *ret)
{
	for (size_t i = 0; json_is_string(j) && i < ARRAY_SIZE(oci_actions); i++) {
		if (strcmp(json_string_value(j), oci_actions[i].name) == 0) {
			ret->act = oci_actions[i].act;
			ret->data = errno_ret;
			return true;
		}
	}
	*ret = (struct oci_action){.act = OCI_ACT_KILL_THREAD};
	report(ps, path,
	       "expected an action: \"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\", "
	       "\"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", \"SCMP_ACT_TRAP\", "
	       "\"SCMP_ACT_TRACE\", \"SCMP_ACT_LOG\" or \"SCMP_ACT_NOTIFY\"");
	return false;
}

/*
 * The errno of an entry or of the default: Podman's "errno" / "defaultErrno"
 * (a name such as "ENOSYS", or digits) wins over "errnoRet" /
 * "defaultErrnoRet" (a number), as in containers/common; EPERM when neither
 * is given. 0 is allowed: the call is skipped and returns 0.
 */
static int parse_errno_ret(struct parser *ps, const char *path, json_t *obj, const char *num_key,
			   const char *name_key)
{
	char kpath[PATH_MAX_LEN];
	json_t *name = json_object_get(obj, name_key), *num = json_object_get(obj, num_key);
	int e;

	/* null and "" are absent, as Go reads them */
	if (json_is_null(name) || (json_is_string(name) && !*json_string_value(name)))
		name = NULL;
	if (json_is_null(num))
		num = NULL;
	if (name) {
		path_key(kpath, sizeof(kpath), path, name_key);
		e = json_is_string(name) ? errno_from_name(json_string_value(name)) : -1;
		if (e < 0 && json_is_string(name) && *json_string_value(name) >= '0' &&
		    *json_string_value(name) <= '9')
			e = atoi(json_string_value(name));
		if (e >= 0 && e <= 4095)
			return e;
		report(ps, kpath, "expected an errno name such as \"ENOSYS\" or a number 0..4095");
		return EPERM;
	}
	if (!num)
		return EPERM;
	path_key(kpath, sizeof(kpath), path, num_key);
	if (json_is_integer(num) && json_integer_value(num) >= 0 && json_integer_value(num) <= 4095)
		return (int)json_integer_value(num);
	report(ps, kpath, "expected an errno number 0..4095");
	return EPERM;
}

/*
 * runc's architecture names (libcontainer/seccomp/config.go, 1.1.5: no
 * riscv64 or loongarch64 yet), each with libseccomp's token and, for a
 * foreign ABI of a CPU the sandbox runs on, its POLICY_ARCH_* bit. What a
 * name means depends on the CPU (arch_means()).
 */
static const struct {
	const char *name;
	uint32_t token;
	unsigned int foreign; /* POLICY_ARCH_*; 0 for a CPU's native ABI */
} oci_arches[] = {
	{"SCMP_ARCH_X86", SCMP_ARCH_X86, POLICY_ARCH_X86},
	{"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64, 0},
	{"SCMP_ARCH_X32", SCMP_ARCH_X32, POLICY_ARCH_X32},
	{"SCMP_ARCH_ARM", SCMP_ARCH_ARM, POLICY_ARCH_ARM},
	{"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64, 0},
	{"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS, 0},
	{"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64, 0},
	{"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32, 0},
	{"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL, 0},
	{"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64, 0},
	{"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32, 0},
	{"SCMP_ARCH_PPC", SCMP_ARCH_PPC, 0},
	{"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64, 0},
	{"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE, 0},
	{"SCMP_ARCH_S390", SCMP_ARCH_S390, 0},
	{"SCMP_ARCH_S390X", SCMP_ARCH_S390X, 0},
};

/*
 * What runc's architecture |i| adds on |arch|: POLICY_ARCH_NATIVE for the
 * CPU's own (SCMP_ARCH_X86_64 on x86_64, SCMP_ARCH_AARCH64 on aarch64),
 * the bit of one of its foreign ABIs (i386 and x32 on x86_64, AArch32 on
 * aarch64), 0 for another CPU's, which never runs here.
 */
static unsigned int arch_means(size_t i, const struct arch_desc *arch)
{
	if (oci_arches[i].token == arch->scmp_arch)
		return POLICY_ARCH_NATIVE;
	return oci_arches[i].foreign & arch->foreign;
}

/* runc's name of |arch|'s native ABI: "SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64". */
static const char *native_token(const struct arch_desc *arch)
{
	for (size_t i = 0; i < ARRAY_SIZE(oci_arches); i++)
		if (oci_arches[i].token == arch->scmp_arch)
			return oci_arches[i].name;
	return "";
}

/*
 * Whether |name| in includes/excludes "arches" is |arch|: Go's name of the
 * CPU, which Docker and Podman compare with (runtime.GOARCH, libseccomp's
 * "amd64" or "arm64"); the kernel's ("x86_64", "aarch64") and runc's
 * token are taken as well.
 */
static bool is_this_cpu(const char *name, const struct arch_desc *arch)
{
	static const struct {
		uint32_t token;
		const char *go;
	} go_names[] = {
		{SCMP_ARCH_X86_64, "amd64"},
		{SCMP_ARCH_AARCH64, "arm64"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(go_names); i++)
		if (go_names[i].token == arch->scmp_arch && strcmp(name, go_names[i].go) == 0)
			return true;
	return strcmp(name, arch->name) == 0 || strcmp(name, native_token(arch)) == 0;
}

static void add_arch(struct parser *ps, const char *path, json_t *j, const struct arch_desc *arch,
		     unsigned int *arches)
{
	for (size_t i = 0; json_is_string(j) && i < ARRAY_SIZE(oci_arches); i++)
		if (strcmp(json_string_value(j), oci_arches[i].name) == 0) {
			*arches |= arch_means(i, arch);
			return;
		}
	report(ps, path,
	       "expected an architecture runc knows, such as \"SCMP_ARCH_X86_64\", "
	       "\"SCMP_ARCH_X86\" or \"SCMP_ARCH_AARCH64\"");
}

static void add_arch_list(struct parser *ps, const char *path, json_t *list,
			  const struct arch_desc *arch, unsigned int *arches)
{
	char epath[PATH_MAX_LEN];
	size_t i;
	json_t *j;

	if (!json_is_array(list)) {
		report(ps, path, "expected a list such as [\"SCMP_ARCH_X86_64\"]");
		return;
	}
	json_array_foreach(list, i, j)
	{
		path_index(epath, sizeof(epath), path, i);
		add_arch(ps, epath, j, arch, arches);
	}
}

/*
 * "architectures", or the entry of Docker's and Podman's "archMap" for the
 * CPU (SCMP_ARCH_X86_64 on x86_64, SCMP_ARCH_AARCH64 on aarch64) with its
 * subArchitectures (what they hand runc there); not both, as both refuse.
 */
static void parse_oci_arches(struct parser *ps, json_t *root, struct policy *p)
{
	char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
	json_t *list = json_object_get(root, "architectures"),
	       *map = json_object_get(root, "archMap");
	json_t *j;
	const struct arch_desc *arch = p->oci->arch;
	size_t i;
	bool native_found = false;

	if (json_array_size(list) > 0 && json_array_size(map) > 0)
		report(ps, "archMap",
		       "give \"architectures\" or \"archMap\", not both (Docker and Podman refuse "
		       "both)");
	if (list && !json_is_null(list))
		add_arch_list(ps, "architectures", list, arch, &p->oci->listed_arches);
	if (map && !json_is_null(map) && !json_is_array(map))
		report(ps, "archMap", "expected a list of {architecture, subArchitectures}");
	json_array_foreach(map, i, j)
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
		/*
		 * Docker and Podman hand runc the CPU's first entry alone: the
		 * others may name anything.
		 */
		if (native_found || strcmp(json_string_value(a), native_token(arch)) != 0)
			continue;
		native_found = true;
		path_key(sub, sizeof(sub), path, "subArchitectures");
		p->oci->listed_arches |= POLICY_ARCH_NATIVE;
		if (json_object_get(j, "subArchitectures"))
			add_arch_list(ps, sub, json_object_get(j, "subArchitectures"), arch,
				      &p->oci->listed_arches);
	}
	p->arches = POLICY_ARCH_NATIVE | p->oci->listed_arches;
	p->has_arches = true;
}

/*
 * The seccomp() flags. runc 1.1.5 refuses every one; later runc versions
 * and crun take these, so they are read as they mean it.
 */
static void parse_oci_flags(struct parser *ps, json_t *list, struct policy *p)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} flags[] = {
		{"SECCOMP_FILTER_FLAG_TSYNC", 0}, /* one thread: moot */
		{"SECCOMP_FILTER_FLAG_LOG", FILTER_FLAG_LOG},
		{"SECCOMP_FILTER_FLAG_SPEC_ALLOW", FILTER_FLAG_SPEC_ALLOW},
		{"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 0}, /* only with a listener: moot */
	};
	char path[PATH_MAX_LEN];
	size_t i, k;
	json_t *j;

	if (json_is_null(list))
		return;
	if (!json_is_array(list)) {
		report(ps, "flags", "expected a list of SECCOMP_FILTER_FLAG_* names");
		return;
	}
	json_array_foreach(list, i, j)
	{
		path_index(path, sizeof(path), "flags", i);
		for (k = 0; json_is_string(j) && k < ARRAY_SIZE(flags); k++)
			if (strcmp(json_string_value(j), flags[k].name) == 0)
				break;
		if (json_is_string(j) && k < ARRAY_SIZE(flags))
			p->filter_flags |= flags[k].bit;
		else
			report(ps, path,
			       "expected \"SECCOMP_FILTER_FLAG_TSYNC\", "
			       "\"SECCOMP_FILTER_FLAG_LOG\", "
			       "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\" or "
			       "\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"");
	}
}

/* "4.8" <= this kernel's version? */
static bool kernel_at_least(const char *min)
{
	struct utsname u;
	int major = 0, minor = 0, a = 0, b = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		major = minor = 0;
	sscanf(min, "%d.%d", &a, &b);
	return major > a || (major == a && minor >= b);
}

static bool has_native(json_t *arches, const struct arch_desc *arch)
{
	size_t i;
	json_t *j;

	json_array_foreach(arches, i, j) if (json_is_string(j) &&
					     is_this_cpu(json_string_value(j), arch)) return true;
	return false;
}

/* Docker's default capabilities (moby, oci/caps/defaults.go). */
static const char *const docker_caps[] = {
	"CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",	   "CAP_FOWNER",
	"CAP_MKNOD",   "CAP_NET_RAW",	   "CAP_SETGID",	   "CAP_SETUID",
	"CAP_SETFCAP", "CAP_SETPCAP",	   "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
	"CAP_KILL",    "CAP_AUDIT_WRITE",
};

static int cap_bit(const char *name, uint64_t *ret)
{
	cap_value_t v;

	if (cap_from_name(name, &v) < 0 || v < 0 || v > 63)
		return -EINVAL;
	*ret |= 1ULL << v;
	return 0;
}

int policy_oci_caps(const char *list, uint64_t *ret)
{
	char *copy, *save = NULL;
	int r = 0;

	*ret = 0;
	if (strcmp(list, "none") == 0)
		return 0;
	if (strcmp(list, "docker") == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(docker_caps); i++)
			cap_bit(docker_caps[i], ret);
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (char *c = strtok_r(copy, ",", &save); c && r == 0; c = strtok_r(NULL, ",", &save))
		r = cap_bit(c, ret);
	if (!*ret)
		r = -EINVAL;
	free(copy);
	return r;
}

/* Whether the program has every (|all|) or any capability of the list |caps|. */
static bool has_caps(const struct parser *ps, json_t *caps, bool all)
{
	size_t i;
	json_t *j;

	json_array_foreach(caps, i, j)
	{
		uint64_t bit = 0;
		bool has = json_is_string(j) && cap_bit(json_string_value(j), &bit) == 0 &&
			   (ps->oci_caps & bit);

		if (has != all)
			return has;
	}
	return all;
}

/* Does the entry apply to this program here? (its capabilities, |arch|, this kernel) */
static bool entry_applies(struct parser *ps, const char *path, json_t *entry,
			  const struct arch_desc *arch)
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
		if (json_array_size(j) > 0 && !pass && !has_caps(ps, j, true))
			applies = false; /* needs a capability the program does not have */
		if (json_array_size(j) > 0 && pass && has_caps(ps, j, false))
			applies = false; /* for programs without one of these */
		j = json_object_get(o, "arches");
		if (json_array_size(j) > 0 && has_native(j, arch) == (bool)pass)
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
	if (j) /* absent: 0, as Go reads it */
		parse_oci_u64(ps, kpath, j, &value);
	j = json_object_get(obj, "valueTwo");
	path_key(kpath, sizeof(kpath), path, "valueTwo");
	if (j)
		parse_oci_u64(ps, kpath, j, &two);
	if (op_ok && c->op == POLICY_OP_MASKED_EQ) {
		c->mask = value;
		c->value = two;
		if (two & ~value)
			warn(ps, path,
			     "valueTwo %#llx has bits outside the mask (value) %#llx, so the "
			     "condition never holds",
			     (unsigned long long)two, (unsigned long long)value);
	} else {
		c->value = value;
	}
}

/* What one entry says, whatever names it lists. */
struct entry {
	struct oci_action action;
	struct policy_cond conds[POLICY_MAX_CONDS];
	size_t n_conds;
	bool applies;
	unsigned int index;
};

/*
 * runc adds each condition as a rule of its own (so any of them matches)
 * when two of them test the same argument, all of them together otherwise
 * (libcontainer/seccomp/seccomp_linux.go, matchCall).
 */
static bool same_index_twice(const struct policy_cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (c[i].index == c[k].index)
				return true;
	return false;
}

/*
 * The rules runc may hand libseccomp, over all calls. libseccomp's compile
 * time grows with the square of its rules (a profile of 16,000 conditional
 * entries took 3 to 10 s to check) and each distinct rule is at least one
 * instruction of a program the kernel caps at 4096 (BPF_MAXINSNS): a
 * profile with more rules than that could not be loaded by runc either.
 */
#define OCI_MAX_RULES 4096

/*
 * Count the rules |e| adds for one name (runc: one per condition when they
 * test one argument twice, else one); past OCI_MAX_RULES, an error at the
 * name that crosses it. Returns false when the call is not to be added.
 */
static bool within_limit(struct parser *ps, const char *path, struct policy_oci *o,
			 const struct entry *e)
{
	size_t rules = same_index_twice(e->conds, e->n_conds) ? e->n_conds : 1;
	bool was_over = o->n_seccomp_rules > OCI_MAX_RULES;

	o->n_seccomp_rules += rules;
	if (o->n_seccomp_rules <= OCI_MAX_RULES)
		return true;
	if (!was_over)
		report(ps, path,
		       "more than %d libseccomp rules (one per name of an entry): each takes "
		       "an instruction of a filter the kernel caps at %d, so runc could not "
		       "load this profile either, and libseccomp's compile time grows with "
		       "the square of the rules; give fewer names or conditions",
		       OCI_MAX_RULES, BPF_MAXINSNS);
	return false;
}

static int add_call(struct policy_oci *o, const char *name, int nr, const struct entry *e)
{
	struct oci_call *c;

	if ((o->n_calls & (o->n_calls - 1)) == 0) { /* 0, 1, 2, 4 ...: grow */
		c = realloc(o->calls, (o->n_calls ? o->n_calls * 2 : 1) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		o->calls = c;
	}
	c = &o->calls[o->n_calls];
	*c = (struct oci_call){.nr = nr,
			       .action = e->action,
			       .n_conds = e->n_conds,
			       .conds_any = same_index_twice(e->conds, e->n_conds),
			       .entry = e->index};
	memcpy(c->conds, e->conds, sizeof(c->conds));
	c->name = strdup(name);
	if (!c->name)
		return -ENOMEM;
	o->n_calls++;
	return 0;
}

/*
 * One name: into the rule (the build CPU's calls, for messages and --check) and, when
 * the entry applies here, into the calls runc would add (other
 * architectures' calls too: libseccomp puts them where they exist).
 */
static int add_name(struct parser *ps, const char *path, json_t *j, unsigned int k,
		    const struct entry *e, struct policy *p, struct policy_rule *r)
{
	const char *name = json_is_string(j) ? json_string_value(j) : NULL;
	int nr, rc;

	if (name && *name == '\0') {
		report(ps, path, "an empty name is not a syscall (runc refuses it)");
		return 0;
	}
	if (name && *name == '@') {
		warn(ps, path, "unknown syscall \"%s\": skipped (groups are not OCI)", name);
		return 0;
	}
	nr = name ? seccomp_syscall_resolve_name(name) : __NR_SCMP_ERROR;
	/* Not a call of the build's CPU: rule_add_names() says what it is (a warning when unknown).
	 */
	rc = nr >= 0 && nr < NR_INDEX_MAX ? rule_add_nr(r, nr, k)
					  : rule_add_names(ps, path, j, k, r);
	if (rc < 0 || nr == __NR_SCMP_ERROR || !e->applies || !within_limit(ps, path, p->oci, e))
		return rc;
	return add_call(p->oci, name, nr, e);
}

/* "names" (may be empty) or the older "name" */
static int parse_oci_names(struct parser *ps, const char *path, json_t *entry,
			   const struct entry *e, struct policy *p, struct policy_rule *r)
{
	char kpath[PATH_MAX_LEN], epath[PATH_MAX_LEN];
	json_t *list = json_object_get(entry, "names"), *one = json_object_get(entry, "name"), *j;
	size_t i;
	int rc = 0;

	bool null_list = json_is_null(list); /* Go: a null list is an empty one */

	if (null_list)
		list = NULL;
	if (one && !list) {
		r->name_key = "name";
		path_key(kpath, sizeof(kpath), path, "name");
		return add_name(ps, kpath, one, 0, e, p, r);
	}
	r->name_key = "names";
	path_key(kpath, sizeof(kpath), path, "names");
	if (!list) {
		if (!null_list)
			report(ps, path, "missing key \"names\" (a list of syscall names)");
		return 0;
	}
	if (one)
		report(ps, path, "give \"names\" or the older \"name\", not both");
	if (!json_is_array(list)) {
		report(ps, kpath, "expected a list of syscall names");
		return 0;
	}
	json_array_foreach(list, i, j)
	{
		path_index(epath, sizeof(epath), kpath, i);
		rc = add_name(ps, epath, j, (unsigned int)i, e, p, r);
		if (rc < 0)
			break;
	}
	return rc;
}

static void check_notify(struct parser *ps, const char *path, json_t *entry, const struct entry *e,
			 const struct policy *p)
{
	json_t *names = json_object_get(entry, "names"), *j;
	json_t *one = json_object_get(entry, "name");
	size_t i;

	if (e->action.act != OCI_ACT_NOTIFY)
		return;
	if (!p->oci->has_listener)
		report(ps, path,
		       "SCMP_ACT_NOTIFY needs \"listenerPath\" (runc refuses the profile "
		       "without one)");
	else
		warn(ps, path, "no notify agent runs here: the call kills the sandbox");
	json_array_foreach(names, i,
			   j) if (json_is_string(j) && strcmp(json_string_value(j), "write") == 0)
		report(ps, path, "SCMP_ACT_NOTIFY on write: runc refuses it");
	if (json_is_string(one) && strcmp(json_string_value(one), "write") == 0)
		report(ps, path, "SCMP_ACT_NOTIFY on write: runc refuses it");
}

static int parse_oci_entry(struct parser *ps, const char *path, json_t *entry, struct policy *p,
			   struct policy_rule *r)
{
	static const char *const keys[] = {"names", "name",    "action",   "errnoRet", "errno",
					   "args",  "comment", "includes", "excludes", NULL};
	char kpath[PATH_MAX_LEN], epath[PATH_MAX_LEN];
	struct entry e = {.index = r->index};
	json_t *j, *a;
	size_t i;

	r->src = ps->src;
	r->list_key = "syscalls";
	r->name_key = "names";
	if (!json_is_object(entry)) {
		report(ps, path, "expected a syscall entry object, got %s", json_type_name(entry));
		return 0;
	}
	check_keys(ps, entry, path, keys);
	path_key(kpath, sizeof(kpath), path, "action");
	j = json_object_get(entry, "action");
	if (!j)
		report(ps, path, "missing key \"action\"");
	else if (parse_oci_action(ps, kpath, j,
				  parse_errno_ret(ps, path, entry, "errnoRet", "errno"), &e.action))
		check_notify(ps, kpath, entry, &e, p);
	r->verdict = policy_oci_verdict(&e.action);
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
			parse_oci_arg(ps, epath, a, &e.conds[e.n_conds++]);
		}
	memcpy(r->conds, e.conds, sizeof(r->conds));
	r->n_conds = e.n_conds;
	r->conds_any = same_index_twice(e.conds, e.n_conds);
	e.applies = entry_applies(ps, path, entry, p->oci->arch);
	return parse_oci_names(ps, path, entry, &e, p, r) < 0 ? -ENOMEM : e.applies;
}

int oci_parse(struct parser *ps, json_t *root, struct policy *p)
{
	static const char *const keys[] = {"defaultAction",
					   "defaultErrnoRet",
					   "defaultErrno",
					   "architectures",
					   "archMap",
					   "flags",
					   "syscalls",
					   "listenerPath",
					   "listenerMetadata",
					   "comment",
					   NULL};
	char epath[PATH_MAX_LEN];
	json_t *j, *list;
	size_t i;

	ps->oci = true;
	p->oci = calloc(1, sizeof(*p->oci));
	if (!p->oci)
		return -ENOMEM;
	p->oci->arch = ps->cpu ? ps->cpu : ARCH_NATIVE;
	check_keys(ps, root, "", keys);
	j = json_object_get(root, "listenerPath");
	p->oci->has_listener = json_is_string(j) && *json_string_value(j);
	parse_oci_action(ps, "defaultAction", json_object_get(root, "defaultAction"),
			 parse_errno_ret(ps, "", root, "defaultErrnoRet", "defaultErrno"),
			 &p->oci->default_action);
	if (p->oci->default_action.act == OCI_ACT_NOTIFY)
		report(ps, "defaultAction",
		       "SCMP_ACT_NOTIFY cannot be the default (runc refuses it)");
	p->default_verdict = policy_oci_verdict(&p->oci->default_action);
	p->has_default = true;
	p->default_src = ps->src;
	parse_oci_arches(ps, root, p);
	j = json_object_get(root, "flags");
	if (j)
		parse_oci_flags(ps, j, p);
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
		int rc;

		path_index(epath, sizeof(epath), "syscalls", i);
		r->index = (unsigned int)i;
		rc = parse_oci_entry(ps, epath, j, p, r);
		if (rc > 0 && r->n_syscalls > 0)
			p->n_rules++;
		else
			policy_rule_clear(r); /* not counted, so policy_free() would miss it */
		if (rc < 0)
			return rc;
	}
	return 0;
}
