/* SPDX-License-Identifier: MIT */
#include "learn.h"

#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "legacy_nr.h"
#include "groups.h"
#include "shipped.h"
#include "syscalls.h"

/*
 * The harmless families (learn.h), groups of src/syscalls.tbl:
 * tests/test_groups.c checks every member against the table. Adding one
 * here widens what every learned policy allows: say so in
 * docs/observability.md. A family may span two groups (|with|): a program
 * that handles signals may signal itself at any time (Go's preemption sends
 * SIGURG to its own threads only now and then), so either group's call
 * allows both.
 */
static const struct {
	const char *group;
	int with; /* the other group of the same family, or -1 */
} harmless[LEARN_N_HARMLESS] = {
	{"identity", -1},    /* getpid, gettid, getuid, ...: reading its own ids */
	{"io-event", -1},    /* poll, epoll, select, eventfd: waiting on its descriptors */
	{"mapping", -1},     /* brk, mmap, munmap, mprotect, madvise, mremap: its own memory */
	{"scheduling", -1},  /* sched_yield, sched_getaffinity, getpriority: yielding, reading */
	{"self-signal", 5},  /* kill, tkill, tgkill: the sandbox refuses targets outside it */
	{"signal", 4},	     /* rt_sigaction, rt_sigprocmask, sigaltstack: handling signals */
	{"thread-sync", -1}, /* futex, set_robust_list, rseq, membarrier */
	{"time", -1},	     /* clock_gettime, gettimeofday, nanosleep, clock_nanosleep */
	{"timer", -1},	     /* alarm, setitimer, timer_create, timerfd: its own timers */
};

const char *learn_harmless_group(size_t i)
{
	return i < LEARN_N_HARMLESS ? harmless[i].group : NULL;
}

/* open flags the pattern keeps: the access mode and what creates or changes a file. */
#define OPEN_MASK ((uint64_t)(O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND))
/* clone flags the pattern keeps: a thread or a process, and every new namespace. */
#define CLONE_MASK                                                                                 \
	((uint64_t)(CLONE_THREAD | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |   \
		    CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET))

/* A call whose rules keep the values one argument was seen with. */
struct pattern {
	int nr;
	int index;
	uint64_t mask; /* "masked_eq" with it; 0: "==" on the (32-bit) argument */
};

static const struct pattern patterns[LEARN_N_PATTERNS] = {
	{__NR_socket, 0, 0},	     {__NR_socketpair, 0, 0},	  {__NR_open, 1, OPEN_MASK},
	{__NR_openat, 2, OPEN_MASK}, {__NR_clone, 0, CLONE_MASK}, {__NR_prctl, 0, 0},
};

static int pattern_of(int nr)
{
	for (int p = 0; p < LEARN_N_PATTERNS; p++)
		if (patterns[p].nr == nr)
			return p;
	return -1;
}

/* The index of |value| in |v|, added if new; -1 when it does not fit. */
static int add_value(struct learn_values *v, uint64_t value)
{
	for (unsigned int i = 0; i < v->n; i++)
		if (v->v[i] == value)
			return (int)i;
	if (v->n < LEARN_MAX_VALUES) {
		v->v[v->n] = value;
		return (int)v->n++;
	}
	v->any = true;
	return -1;
}

/* The bits of its argument pattern |p| keeps. */
static uint64_t pattern_value(int p, const uint64_t args[6])
{
	uint64_t arg = args[patterns[p].index];

	return patterns[p].mask ? arg & patterns[p].mask : (uint32_t)arg;
}

/*
 * prctl options a program may use freely: reading its own attributes, and
 * setting ones that reach nothing outside it (its name, a name for a
 * mapping, its timer slack, giving up privileges, a signal at its parent's
 * death). Any other changes what the process may do or who may reach it.
 */
static bool harmless_prctl(uint64_t option)
{
	static const unsigned int ok[] = {
		PR_GET_PDEATHSIG,   PR_GET_DUMPABLE,	     PR_GET_KEEPCAPS,
		PR_GET_NAME,	    PR_GET_SECCOMP,	     PR_CAPBSET_READ,
		PR_GET_TIMERSLACK,  PR_GET_CHILD_SUBREAPER,  PR_GET_NO_NEW_PRIVS,
		PR_GET_THP_DISABLE, PR_GET_SPECULATION_CTRL, PR_SET_NAME,
		PR_SET_VMA,	    PR_SET_TIMERSLACK,	     PR_SET_NO_NEW_PRIVS,
		PR_SET_PDEATHSIG,
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (option == ok[i])
			return true;
	return false;
}

/* A patterned call's value that changes something outside the process. */
static bool dangerous_value(int nr, uint64_t value)
{
	switch (nr) {
	case __NR_open:
	case __NR_openat:
		return (value & O_ACCMODE) != O_RDONLY || (value & (O_CREAT | O_TRUNC | O_APPEND));
	case __NR_socket:
		return true;
	case __NR_prctl:
		return !harmless_prctl(value);
	default:
		return false; /* socketpair: a pair it holds both ends of; clone: the sandbox checks
			       */
	}
}

bool learn_dangerous(int nr, const uint64_t args[6])
{
	/* Calls on a descriptor that change its file: no path in the table says so. */
	static const int on_fd[] = {__NR_ftruncate, __NR_fallocate, __NR_flock,
				    __NR_fchown,    __NR_fsetxattr, __NR_fremovexattr};
	const struct syscall_row *row = syscall_by_nr(nr);
	int p = pattern_of(nr);

	if (p >= 0)
		return dangerous_value(nr, pattern_value(p, args));
	if (!row)
		return false;
	for (unsigned int i = 0; i < row->n_paths; i++)
		if (row->paths[i].access == ACC_WRITE)
			return true;
	for (unsigned int i = 0; i < row->n; i++)
		if (row->arg[i] == A_SOCKADDR)
			return true;
	for (size_t i = 0; i < sizeof(on_fd) / sizeof(on_fd[0]); i++)
		if (nr == on_fd[i])
			return true;
	return row->setid_arg >= 0;
}

/* Where the example of this call's kind is kept, or NULL. */
static char **example_slot(struct learner *l, int nr, const uint64_t args[6])
{
	int p = pattern_of(nr);
	struct learn_values *v;

	if (nr < 0 || nr >= TRACESET_MAX_NR)
		return NULL;
	if (p < 0)
		return &l->example[nr];
	v = &l->values[p];
	for (unsigned int i = 0; i < v->n; i++)
		if (v->v[i] == pattern_value(p, args))
			return &v->example[i];
	return NULL;
}

bool learn_wants_example(const struct learner *l, int nr, const uint64_t args[6])
{
	char **slot = example_slot((struct learner *)l, nr, args);

	return l->has_base && slot && !*slot && learn_dangerous(nr, args);
}

void learn_example(struct learner *l, int nr, const uint64_t args[6], const char *text)
{
	char **slot = example_slot(l, nr, args);

	if (slot && !*slot)
		*slot = strdup(text); /* out of memory: the comment goes without it */
}

void learn_record(struct learner *l, int nr, const uint64_t args[6])
{
	int p = pattern_of(nr);

	if (nr < 0 || nr >= TRACESET_MAX_NR) {
		l->foreign_calls++;
		return;
	}
	l->calls++;
	if (p < 0)
		l->used[nr] = l->seen[nr] = true;
	else
		(void)add_value(&l->values[p], pattern_value(p, args));
}

/* --- reading a learned policy back ------------------------------------------- */

static int int_value(json_t *v, uint64_t *ret)
{
	if (json_is_integer(v)) {
		*ret = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		char *end;

		errno = 0;
		*ret = strtoull(json_string_value(v), &end, 0);
		return errno || *end ? -EINVAL : 0;
	}
	return -EINVAL;
}

/*
 * The argument pattern of a rule with one condition, as this file writes
 * them; true when it was recognised and recorded. Another shape (the
 * O_ACCMODE-only open masks and the CLONE_THREAD-only clone mask of
 * earlier versions among them) is kept as it is.
 */
static bool merge_pattern(struct learner *l, int nr, json_t *cond)
{
	int p = pattern_of(nr);
	json_t *index = json_object_get(cond, "index");
	const char *op = json_string_value(json_object_get(cond, "op"));
	uint64_t value, mask = 0;
	int i;

	if (p < 0 || !json_is_integer(index) || json_integer_value(index) != patterns[p].index ||
	    !op || int_value(json_object_get(cond, "value"), &value) < 0)
		return false;
	if (strcmp(op, "masked_eq") == 0 && int_value(json_object_get(cond, "mask"), &mask) < 0)
		return false;
	if (patterns[p].mask
		    ? strcmp(op, "masked_eq") != 0 || mask != patterns[p].mask || (value & ~mask)
		    : strcmp(op, "==") != 0 || value > UINT32_MAX)
		return false;
	i = add_value(&l->values[p], value);
	if (i >= 0)
		l->values[p].back[i] = true;
	return true;
}

/* The keys of the rules this file writes; a rule with any other is kept as it is. */
static bool plain_rule(json_t *rule)
{
	static const char *const ours[] = {"comment", "syscalls", "action", "args", NULL};
	const char *key;
	json_t *v;

	json_object_foreach(rule, key, v)
	{
		const char *const *k;

		for (k = ours; *k && strcmp(*k, key) != 0; k++)
			;
		if (!*k)
			return false;
	}
	return true;
}

static int harmless_index(const char *name)
{
	for (int i = 0; name[0] == '@' && i < LEARN_N_HARMLESS; i++)
		if (strcmp(name + 1, harmless[i].group) == 0)
			return i;
	return -1;
}

/* One name of an allow rule into |l|; false when the rule is to be kept as it is. */
static bool merge_name(struct learner *l, struct traceset *set, json_t *args)
{
	for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
		int p = pattern_of(nr);

		if (!set->nr[nr])
			continue;
		if (json_array_size(args) == 0 && p >= 0)
			l->values[p].any = true;
		else if (json_array_size(args) == 0)
			l->used[nr] = l->back[nr] = true;
		else if (!merge_pattern(l, nr, json_array_get(args, 0)))
			return false;
	}
	return true;
}

/*
 * A rule kept as it was decides the calls it names: no harmless family is
 * widened over them, and where it has no condition or count nothing more is
 * written for them (a rule after it could never apply).
 */
static void note_kept(struct learner *l, json_t *rule)
{
	_cleanup_strbuf_ struct strbuf err = {0};
	bool plain = json_array_size(json_object_get(rule, "args")) == 0 &&
		     !json_object_get(rule, "count");
	json_t *name;
	size_t k;

	json_array_foreach(json_object_get(rule, "syscalls"), k, name)
	{
		struct traceset set;

		if (!json_is_string(name) ||
		    traceset_parse(json_string_value(name), &set, &err) < 0)
			continue;
		for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
			l->kept_names[nr] |= set.nr[nr];
			l->kept_plain[nr] |= set.nr[nr] && plain;
		}
	}
}

/*
 * Read one rule back. An allow rule without conditions, or with one of the
 * patterns this file writes, is merged into |l| (a harmless group named
 * whole stays whole); any other rule (other actions, other conditions,
 * counts) is kept verbatim, so a merge never widens what an edited policy
 * allows.
 */
static int merge_rule(struct learner *l, json_t *rule, size_t i, struct strbuf *err)
{
	const char *action = json_string_value(json_object_get(rule, "action"));
	json_t *names = json_object_get(rule, "syscalls"), *args = json_object_get(rule, "args");
	struct learner *tmp;
	json_t *name;
	size_t k;
	int r = 0;

	if (!json_is_array(names)) {
		strbuf_printf(err, "rules[%zu]: expected a \"syscalls\" list", i);
		return -EINVAL;
	}
	if (!action || strcmp(action, "allow") != 0 || !plain_rule(rule) ||
	    json_array_size(args) > 1)
		goto keep;
	tmp = malloc(sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	*tmp = *l;
	json_array_foreach(names, k, name)
	{
		struct traceset set;
		const char *s = json_string_value(name);
		int h = s && json_array_size(args) == 0 ? harmless_index(s) : -1;

		if (h >= 0) {
			tmp->harmless_kept[h] = true;
			continue;
		}
		if (!s || traceset_parse(s, &set, err) < 0) {
			strbuf_reset(err);
			strbuf_printf(err, "rules[%zu].syscalls[%zu]: not a syscall name or @group",
				      i, k);
			r = -EINVAL;
			break;
		}
		if (!merge_name(tmp, &set, args)) {
			r = 1;
			break;
		}
	}
	if (r == 0)
		memcpy(l, tmp, sizeof(*l));
	free(tmp);
	if (r <= 0)
		return r;
keep:
	note_kept(l, rule);
	if (!l->kept)
		l->kept = json_array();
	return l->kept && json_array_append(l->kept, rule) == 0 ? 0 : -ENOMEM;
}

int learn_merge_file(struct learner *l, const char *path, struct strbuf *err)
{
	json_error_t jerr;
	json_t *root, *rules, *rule;
	size_t i;
	int r = 0;

	root = json_load_file(path, 0, &jerr);
	if (!root) {
		if (access(path, F_OK) < 0 && errno == ENOENT)
			return 0;
		strbuf_printf(err, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return -EINVAL;
	}
	rules = json_object_get(root, "rules");
	if (!json_is_array(rules)) {
		strbuf_printf(err, "%s: expected a policy with a \"rules\" list", path);
		json_decref(root);
		return -EINVAL;
	}
	json_array_foreach(rules, i, rule)
	{
		r = merge_rule(l, rule, i, err);
		if (r < 0)
			break;
	}
	/* What the user added around the rules (filesystem, network, limits...) stays. */
	json_object_del(root, "rules");
	json_object_del(root, "comment");
	json_object_del(root, "default");
	if (r == 0 && json_object_size(root) > 0) {
		json_decref(l->kept_top);
		l->kept_top = json_incref(root);
	}
	json_decref(root);
	if (r < 0) {
		_cleanup_strbuf_ struct strbuf msg = {0};

		strbuf_printf(&msg, "%s: %s", path, strbuf_str(err));
		strbuf_reset(err);
		strbuf_append(err, strbuf_str(&msg));
	}
	return r;
}

/* --- the base ---------------------------------------------------------------- */

/* The directory |path| is in, resolved (|path| itself need not exist); false when it cannot be. */
static bool real_dir(const char *path, char ret[PATH_MAX])
{
	char copy[PATH_MAX];

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return false;
	return realpath(dirname(copy), ret) != NULL;
}

/*
 * The "extends" entry for the file base |real| (resolved) from the
 * output's directory: "./NAME" when they share it, else |real|.
 */
static int base_entry(struct learner *l, const char *real)
{
	char out_dir[PATH_MAX], base_dir[PATH_MAX], copy[PATH_MAX];
	const char *slash = strrchr(real, '/');
	int n;

	snprintf(copy, sizeof(copy), "%s", real);
	if (l->out_open && !l->out.direct && real_dir(l->path, out_dir) &&
	    realpath(dirname(copy), base_dir) && strcmp(out_dir, base_dir) == 0)
		n = snprintf(l->base, sizeof(l->base), ".%s", slash);
	else
		n = snprintf(l->base, sizeof(l->base), "%s", real);
	return n < (int)sizeof(l->base) ? 0 : -ENAMETOOLONG;
}

int learn_set_base(struct learner *l, const char *base, const bool *decides, struct strbuf *err)
{
	char real[PATH_MAX], out_real[PATH_MAX];
	int r = 0;

	if (strcmp(base, "-") == 0) {
		strbuf_printf(err, "a base read from standard input cannot be extended: give "
				   "its file");
		return -EINVAL;
	}
	if (shipped_find(base)) {
		if (snprintf(l->base, sizeof(l->base), "%s", base) >= (int)sizeof(l->base))
			r = -ENAMETOOLONG;
	} else if (!realpath(base, real)) {
		r = -errno;
	} else if (l->path && realpath(l->path, out_real) && strcmp(real, out_real) == 0) {
		strbuf_printf(err, "%s is the base policy itself: learn into another file",
			      l->path);
		return -EINVAL;
	} else {
		r = base_entry(l, real);
	}
	if (r == 0 &&
	    snprintf(l->base_name, sizeof(l->base_name), "%s", base) >= (int)sizeof(l->base_name))
		r = -ENAMETOOLONG;
	if (r < 0) {
		strbuf_printf(err, "cannot name the base %s: %s", base, strerror(-r));
		return -EINVAL;
	}
	memcpy(l->base_decides, decides, sizeof(l->base_decides));
	l->has_base = true;
	return 0;
}

/* --- writing ---------------------------------------------------------------- */

static json_t *names_of(const bool *set)
{
	json_t *list = json_array();

	for (int nr = 0; list && nr < TRACESET_MAX_NR; nr++) {
		char *name;

		if (!set[nr])
			continue;
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name)
			json_array_append_new(list, json_string(name));
		free(name);
	}
	return list;
}

static bool any_of(const bool *set)
{
	for (int nr = 0; nr < TRACESET_MAX_NR; nr++)
		if (set[nr])
			return true;
	return false;
}

/* The names in |set|, ", "-separated, appended to |sb|. */
static void list_names(struct strbuf *sb, const bool *set)
{
	const char *sep = "";

	for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
		const struct syscall_row *row = set[nr] ? syscall_by_nr(nr) : NULL;

		if (row) {
			strbuf_printf(sb, "%s%s", sep, row->name);
			sep = ", ";
		}
	}
}

/* Why the calls of |set| are in the policy: "Seen: ...; read back: ...". */
static void why(struct strbuf *sb, const struct learner *l, const bool *set)
{
	bool seen[TRACESET_MAX_NR], back[TRACESET_MAX_NR];

	for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
		seen[nr] = set[nr] && l->seen[nr];
		back[nr] = set[nr] && !l->seen[nr];
	}
	if (any_of(seen)) {
		strbuf_append(sb, "Seen: ");
		list_names(sb, seen);
	}
	if (any_of(seen) && any_of(back))
		strbuf_append(sb, "; ");
	if (any_of(back)) {
		strbuf_append(sb, any_of(seen) ? "read back from the file: "
					       : "Read back from the file: ");
		list_names(sb, back);
	}
	if (!any_of(set))
		strbuf_append(sb, "Read back from the file");
}

/* A rule: an allow, or with |err| (an errno name) a refusal. Takes |names| and |cond|. */
static void add_rule_as(json_t *rules, const char *comment, json_t *names, json_t *cond,
			const char *err)
{
	json_t *rule = json_object();

	json_object_set_new(rule, "comment", json_string(comment));
	json_object_set_new(rule, "syscalls", names);
	json_object_set_new(rule, "action", json_string(err ? "errno" : "allow"));
	if (err)
		json_object_set_new(rule, "errno", json_string(err));
	if (cond)
		json_object_set_new(rule, "args", json_pack("[o]", cond));
	json_array_append_new(rules, rule);
}

static void add_rule(json_t *rules, const char *comment, json_t *names, json_t *cond)
{
	add_rule_as(rules, comment, names, cond, NULL);
}

/*
 * The errno a refusal proposes: what the kernel answers a call it does not
 * permit (EACCES), and for prctl what it answers an option it does not know.
 */
static const char *refusal_errno(int nr)
{
	return nr == __NR_prctl ? "EINVAL" : "EACCES";
}

/* The end of a refusal's comment: who forbids it and what to do. */
static void refusal_tail(const struct learner *l, struct strbuf *sb, int nr)
{
	strbuf_printf(sb,
		      "; %s forbids it; proposed: fail with %s (a runtime usually goes on "
		      "without it); change the action to allow only if the program needs it.",
		      l->base_name, refusal_errno(nr));
}

/* Members of |g| (nested groups included) in |want| move to |into|. */
static void take_group(const struct syscall_group *g, bool *want, bool *into, int depth)
{
	for (const char *const *m = g->members; *m && depth < 8; m++) {
		const struct syscall_group *sub = **m == '@' ? group_find(*m) : NULL;
		int nr = **m == '@' ? -1 : seccomp_syscall_resolve_name(*m);

		if (sub)
			take_group(sub, want, into, depth + 1);
		else if (nr >= 0 && nr < TRACESET_MAX_NR && want[nr]) {
			want[nr] = false;
			into[nr] = true;
		}
	}
}

/* Calls the base decides itself, unless seen: never widened over. */
static bool left_to_base(const struct learner *l, int nr)
{
	return l->has_base && l->base_decides[nr] && !l->used[nr];
}

/*
 * Calls a short run may never show but any program can make (the
 * "essential" trait): always allowed, and they leave |left|. Not with a
 * base: it decides them, and one it lacks that a run made is written by
 * name like any other.
 */
static void add_essential(const struct learner *l, json_t *rules, bool *left)
{
	bool essential[TRACESET_MAX_NR] = {false};

	if (l->has_base)
		return;
	for (size_t i = 0; i < syscall_n_rows; i++) {
		int nr = syscall_rows[i].nr;

		if (syscall_rows[i].traits & SYSCALL_ESSENTIAL && nr >= 0 && nr < TRACESET_MAX_NR) {
			essential[nr] = !l->kept_plain[nr];
			left[nr] = false;
		}
	}
	if (any_of(essential))
		add_rule(
			rules,
			"Ending the program and returning from a signal handler: always allowed (a "
			"short run may not show them).",
			names_of(essential), NULL);
}

/*
 * The comment of harmless group |i|'s rule: what was seen, what it allows,
 * and which members it leaves to |l|'s base or to a rule kept from the file.
 */
static void harmless_comment(const struct learner *l, struct strbuf *sb, int i, const bool *touched,
			     const bool *to_base, const bool *to_kept)
{
	const struct syscall_group *g = group_find(harmless[i].group);

	why(sb, l, touched);
	strbuf_printf(sb, "; allowed: the whole @%s group, a harmless family", g->name);
	if (harmless[i].with >= 0)
		strbuf_printf(sb, " with @%s", harmless[harmless[i].with].group);
	strbuf_printf(sb, ": %s", g->description);
	if (any_of(to_base)) {
		strbuf_append(sb, "; but not ");
		list_names(sb, to_base);
		strbuf_printf(sb, ", which %s decides itself", l->base_name);
	}
	if (any_of(to_kept)) {
		strbuf_append(sb, "; but not ");
		list_names(sb, to_kept);
		strbuf_append(sb, ", which a rule read back from the file decides");
	}
	strbuf_append(sb, ".");
}

/* The members of harmless group |i| (no call is in two of them: tests/test_groups.c). */
static void harmless_members(int i, bool *ret)
{
	const struct syscall_group *g = group_find(harmless[i].group);
	bool all[TRACESET_MAX_NR];

	memset(ret, 0, TRACESET_MAX_NR * sizeof(*ret));
	memset(all, true, sizeof(all));
	if (g)
		take_group(g, all, ret, 0);
}

/*
 * Whether a run touched harmless group |i|'s family (or the file read back
 * allowed it whole); the calls of |i| and of the family's other group the
 * runs made go to |touched|.
 */
static bool family_touched(const struct learner *l, int i, bool *touched)
{
	bool members[TRACESET_MAX_NR];
	bool any = l->harmless_kept[i];

	memset(touched, 0, TRACESET_MAX_NR * sizeof(*touched));
	for (int j = 0; j < LEARN_N_HARMLESS; j++) {
		if (j != i && j != harmless[i].with)
			continue;
		any |= l->harmless_kept[j];
		harmless_members(j, members);
		for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
			touched[nr] |= members[nr] && l->used[nr];
			any |= touched[nr];
		}
	}
	return any;
}

/*
 * One rule per harmless group whose family a run touched: the whole group
 * ("@name"), or its members less those the base or a kept rule decides.
 * Every member leaves |left|.
 */
static void add_harmless(const struct learner *l, json_t *rules, bool *left)
{
	for (int i = 0; i < LEARN_N_HARMLESS; i++) {
		bool members[TRACESET_MAX_NR], touched[TRACESET_MAX_NR];
		bool to_base[TRACESET_MAX_NR], to_kept[TRACESET_MAX_NR];
		_cleanup_strbuf_ struct strbuf comment = {0};

		if (!family_touched(l, i, touched))
			continue;
		harmless_members(i, members);
		for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
			to_kept[nr] = members[nr] && l->kept_names[nr];
			to_base[nr] = members[nr] && !to_kept[nr] && left_to_base(l, nr);
		}
		harmless_comment(l, &comment, i, touched, to_base, to_kept);
		for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
			left[nr] &= !members[nr];
			members[nr] &= !to_base[nr] && !to_kept[nr];
		}
		if (!any_of(members))
			continue;
		add_rule(rules, strbuf_str(&comment),
			 any_of(to_base) || any_of(to_kept)
				 ? names_of(members)
				 : json_pack("[s+]", "@", harmless[i].group),
			 NULL);
	}
}

/*
 * With a base, the dangerous calls seen (learn_dangerous()) that no allow
 * rule read back names: each refused by its own rule, and they leave |left|.
 */
static void add_refusals(const struct learner *l, json_t *rules, bool *left)
{
	static const uint64_t none[6] = {0};

	for (int nr = 0; l->has_base && nr < TRACESET_MAX_NR; nr++) {
		_cleanup_strbuf_ struct strbuf comment = {0};
		bool one[TRACESET_MAX_NR] = {false};

		if (!left[nr] || l->back[nr] || !learn_dangerous(nr, none))
			continue;
		left[nr] = false;
		one[nr] = true;
		if (l->example[nr])
			strbuf_printf(&comment, "Seen: %s", l->example[nr]);
		else
			why(&comment, l, one);
		refusal_tail(l, &comment, nr);
		add_rule_as(rules, strbuf_str(&comment), names_of(one), NULL, refusal_errno(nr));
	}
}

/* The other calls seen, by exact name: one rule per group they are in, then the rest. */
static void add_named(const struct learner *l, json_t *rules, bool *left)
{
	for (size_t i = 0; group_at(i); i++) {
		const struct syscall_group *g = group_at(i);
		bool in[TRACESET_MAX_NR] = {false};
		_cleanup_strbuf_ struct strbuf comment = {0};

		take_group(g, left, in, 0);
		if (!any_of(in))
			continue;
		why(&comment, l, in);
		strbuf_printf(&comment,
			      "; allowed: these calls only (of @%s, %s: not a harmless family, "
			      "never widened).",
			      g->name, g->description);
		add_rule(rules, strbuf_str(&comment), names_of(in), NULL);
	}
	if (any_of(left)) {
		_cleanup_strbuf_ struct strbuf comment = {0};

		why(&comment, l, left);
		strbuf_append(&comment, "; allowed: these calls only (in no named group).");
		add_rule(rules, strbuf_str(&comment), names_of(left), NULL);
	}
}

static const char *family_name(uint64_t family)
{
	switch (family) {
	case AF_UNIX:
		return " (AF_UNIX)";
	case AF_INET:
		return " (AF_INET)";
	case AF_INET6:
		return " (AF_INET6)";
	case AF_NETLINK:
		return " (AF_NETLINK)";
	default:
		return "";
	}
}

/* |bits| of |value| by name, "|"-separated after |sep|. */
static void flag_names(struct strbuf *sb, uint64_t value, const char *sep)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} flags[] = {
		{O_CREAT, "O_CREAT"},
		{O_TRUNC, "O_TRUNC"},
		{O_APPEND, "O_APPEND"},
		{CLONE_NEWNS, "CLONE_NEWNS"},
		{CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
		{CLONE_NEWUTS, "CLONE_NEWUTS"},
		{CLONE_NEWIPC, "CLONE_NEWIPC"},
		{CLONE_NEWUSER, "CLONE_NEWUSER"},
		{CLONE_NEWPID, "CLONE_NEWPID"},
		{CLONE_NEWNET, "CLONE_NEWNET"},
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (value & flags[i].bit) {
			strbuf_printf(sb, "%s%s", sep, flags[i].name);
			sep = "|";
		}
}

static const char *one_name(int p)
{
	const struct syscall_row *row = syscall_by_nr(patterns[p].nr);

	return row ? row->name : "?";
}

/* What one value of pattern |p| means, for its rule's comment. */
static void describe_value(struct strbuf *sb, int p, uint64_t value)
{
	static const char *const modes[] = {"read-only (O_RDONLY", "write-only (O_WRONLY",
					    "read-write (O_RDWR", "in access mode 3 (3"};
	const char *name = one_name(p);

	if (patterns[p].nr == __NR_clone) {
		strbuf_printf(sb, "%s made (clone with%s CLONE_THREAD",
			      value & CLONE_THREAD ? "threads" : "processes",
			      value & CLONE_THREAD ? "" : "out");
		if (value & ~(uint64_t)CLONE_THREAD)
			flag_names(sb, value, " and ");
		else
			strbuf_append(sb, ", no new namespace");
		strbuf_append(sb, ")");
	} else if (patterns[p].mask) {
		strbuf_printf(sb, "files opened %s", modes[value & O_ACCMODE]);
		flag_names(sb, value, "|");
		strbuf_printf(sb, ") by %s", name);
	} else if (patterns[p].nr == __NR_prctl) {
		strbuf_printf(sb, "prctl option %llu (%#llx)", (unsigned long long)value,
			      (unsigned long long)value);
	} else {
		strbuf_printf(sb, "sockets of address family %llu%s made by %s",
			      (unsigned long long)value, family_name(value), name);
	}
}

static json_t *condition(int p, uint64_t value)
{
	char mask[24], hex[24];

	if (!patterns[p].mask)
		return json_pack("{s:i, s:s, s:I}", "index", patterns[p].index, "op", "==", "value",
				 (json_int_t)value);
	snprintf(mask, sizeof(mask), "%#llx", (unsigned long long)patterns[p].mask);
	snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)value);
	return json_pack("{s:i, s:s, s:s, s:s}", "index", patterns[p].index, "op", "masked_eq",
			 "mask", mask, "value", hex);
}

/*
 * Whether a rule kept from the file names pattern |p|'s call with exactly
 * the condition |cond| (a refusal read back): the value is not written
 * again.
 */
static bool kept_covers(const struct learner *l, int p, json_t *cond)
{
	json_t *rule, *args = json_pack("[O]", cond);
	bool found = false;
	size_t i;

	json_array_foreach(l->kept, i, rule)
	{
		json_t *name;
		size_t k;

		if (!json_equal(json_object_get(rule, "args"), args))
			continue;
		json_array_foreach(json_object_get(rule, "syscalls"), k, name) found |=
			json_is_string(name) && strcmp(json_string_value(name), one_name(p)) == 0;
	}
	json_decref(args);
	return found;
}

/*
 * One rule per value a patterned call was seen with: that value only; with
 * a base, a dangerous value not read back from an allow rule is refused.
 */
static void add_patterns(const struct learner *l, json_t *rules)
{
	for (int p = 0; p < LEARN_N_PATTERNS; p++) {
		const struct learn_values *v = &l->values[p];
		bool one[TRACESET_MAX_NR] = {false};

		one[patterns[p].nr] = true;
		if (l->kept_plain[patterns[p].nr])
			continue;
		if (v->any) {
			add_rule(rules,
				 "Seen with more argument values than a learned policy keeps (or "
				 "read back without a condition): allowed without one.",
				 names_of(one), NULL);
			continue;
		}
		for (unsigned int i = 0; i < v->n; i++) {
			_cleanup_strbuf_ struct strbuf comment = {0};
			json_t *cond = condition(p, v->v[i]);

			if (kept_covers(l, p, cond)) {
				json_decref(cond);
				continue;
			}
			strbuf_append(&comment, "Seen: ");
			describe_value(&comment, p, v->v[i]);
			if (v->example[i])
				strbuf_printf(&comment, ", as %s", v->example[i]);
			if (l->has_base && !v->back[i] &&
			    dangerous_value(patterns[p].nr, v->v[i])) {
				refusal_tail(l, &comment, patterns[p].nr);
				add_rule_as(rules, strbuf_str(&comment), names_of(one), cond,
					    refusal_errno(patterns[p].nr));
				continue;
			}
			if (patterns[p].mask)
				strbuf_printf(&comment,
					      "; allowed: %s whose flags & %#llx (%s) are exactly "
					      "these.",
					      one_name(p), (unsigned long long)patterns[p].mask,
					      patterns[p].nr == __NR_clone
						      ? "CLONE_THREAD and the new-namespace flags"
						      : "access mode, O_CREAT, O_TRUNC, O_APPEND");
			else
				strbuf_printf(&comment, "; allowed: %s for that %s only.",
					      one_name(p),
					      patterns[p].nr == __NR_prctl ? "option" : "family");
			add_rule(rules, strbuf_str(&comment), names_of(one), cond);
		}
	}
}

int learn_open(struct learner *l, const char *path, struct strbuf *err)
{
	int r = outfile_open(path, &l->out);

	if (r < 0) {
		strbuf_printf(err, "cannot write %s: %s", path,
			      r == -ELOOP ? "a symbolic link on the way (give the real path)"
					  : strerror(-r));
		return r;
	}
	l->out_open = true;
	l->path = strdup(path);
	if (!l->path)
		return -ENOMEM;
	/* Only a regular file is read back: a FIFO or a device is written, never read. */
	if (l->out.direct)
		return 0;
	r = learn_merge_file(l, path, err);
	if (r < 0) {
		_cleanup_strbuf_ struct strbuf msg = {0};

		strbuf_printf(&msg, "cannot merge %s", strbuf_str(err));
		strbuf_reset(err);
		strbuf_append(err, strbuf_str(&msg));
	}
	return r;
}

/* The keys before the rules: what the policy is, and what it builds on. */
static void add_top(const struct learner *l, json_t *root)
{
	_cleanup_strbuf_ struct strbuf summary = {0};

	if (l->has_base)
		strbuf_printf(
			&summary,
			"Learned by sandbox --learn -p %s from %lu call(s) %s would not "
			"allow%s: only what it lacks, harmless families widened to their "
			"group, dangerous calls refused (errno) and anything else allowed, as "
			"narrow as seen; %s decides the rest.",
			l->base_name, l->calls, l->base_name,
			l->foreign_calls ? " (calls of other ABIs left out)" : "", l->base_name);
	else
		strbuf_printf(&summary,
			      "Learned by sandbox --learn from %lu call(s)%s: harmless families "
			      "widened to their group, anything else as narrow as it was seen; "
			      "anything new kills the program with a report.",
			      l->calls, l->foreign_calls ? " (calls of other ABIs left out)" : "");
	json_object_set_new(root, "comment", json_string(strbuf_str(&summary)));
	if (l->has_base)
		json_object_set_new(root, "extends", json_string(l->base));
	else
		json_object_set_new(root, "default", json_string("kill"));
	if (l->kept_top)
		json_object_update(root, l->kept_top);
	if (l->has_base) /* the base of this run, whatever the file extended before */
		json_object_set_new(root, "extends", json_string(l->base));
}

int learn_write(struct learner *l, const char *path)
{
	bool left[TRACESET_MAX_NR];
	_cleanup_free_ char *text = NULL;
	json_t *root, *rules;

	for (int nr = 0; nr < TRACESET_MAX_NR; nr++)
		left[nr] = l->used[nr] && !l->kept_plain[nr];
	root = json_object();
	rules = json_array();
	if (!root || !rules) {
		json_decref(root);
		json_decref(rules);
		return -ENOMEM;
	}
	add_top(l, root);
	/* Rules carried over from the file first: their order may matter. */
	if (l->kept)
		json_array_extend(rules, l->kept);
	add_essential(l, rules, left);
	add_harmless(l, rules, left);
	add_refusals(l, rules, left);
	add_named(l, rules, left);
	add_patterns(l, rules);
	json_object_set_new(root, "rules", rules);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return -ENOMEM;
	if (!l->out_open)
		return outfile_write(path, text);
	l->out_open = false;
	return outfile_commit(&l->out, text);
}

void learn_free(struct learner *l)
{
	if (!l)
		return;
	json_decref(l->kept);
	json_decref(l->kept_top);
	for (int nr = 0; nr < TRACESET_MAX_NR; nr++)
		free(l->example[nr]);
	for (int p = 0; p < LEARN_N_PATTERNS; p++)
		for (unsigned int i = 0; i < l->values[p].n; i++)
			free(l->values[p].example[i]);
	if (l->out_open)
		outfile_close(&l->out);
	free(l->path);
	free(l);
}
