/* SPDX-License-Identifier: MIT */
#include "learn.h"

#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "groups.h"
#include "syscalls.h"

/* Which argument of a patterned call carries the pattern; -1 for none. */
static int open_flags_index(int nr)
{
	return nr == __NR_open ? 1 : nr == __NR_openat ? 2 : -1;
}

void learn_record(struct learner *l, int nr, const uint64_t args[6])
{
	int fi = open_flags_index(nr);

	if (nr < 0 || nr >= TRACESET_MAX_NR) {
		l->foreign_calls++;
		return;
	}
	l->calls++;
	if ((nr == __NR_socket || nr == __NR_socketpair) && (uint32_t)args[0] < 64)
		l->families[nr == __NR_socketpair] |= 1ull << (uint32_t)args[0];
	else if (fi >= 0)
		l->open_modes[nr == __NR_openat] |=
			(uint8_t)(1u << ((uint32_t)args[fi] & O_ACCMODE));
	else if (nr == __NR_clone && (args[0] & CLONE_THREAD))
		l->clone_thread = true;
	else if (nr == __NR_clone)
		l->clone_process = true;
	else
		l->used[nr] = true;
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
 * them; true when it was recognised and recorded.
 */
static bool merge_pattern(struct learner *l, int nr, json_t *cond)
{
	json_t *index = json_object_get(cond, "index");
	const char *op = json_string_value(json_object_get(cond, "op"));
	uint64_t value, mask = 0;
	int fi = open_flags_index(nr);

	if (!json_is_integer(index) || !op || int_value(json_object_get(cond, "value"), &value) < 0)
		return false;
	if (strcmp(op, "masked_eq") == 0 && int_value(json_object_get(cond, "mask"), &mask) < 0)
		return false;
	if ((nr == __NR_socket || nr == __NR_socketpair) && json_integer_value(index) == 0 &&
	    strcmp(op, "==") == 0 && value < 64) {
		l->families[nr == __NR_socketpair] |= 1ull << value;
		return true;
	}
	if (fi >= 0 && json_integer_value(index) == fi && strcmp(op, "masked_eq") == 0 &&
	    mask == O_ACCMODE && value <= O_ACCMODE) {
		l->open_modes[nr == __NR_openat] |= (uint8_t)(1u << value);
		return true;
	}
	if (nr == __NR_clone && json_integer_value(index) == 0 && strcmp(op, "masked_eq") == 0 &&
	    mask == CLONE_THREAD) {
		*(value ? &l->clone_thread : &l->clone_process) = true;
		return true;
	}
	return false;
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

/*
 * Read one rule back. An allow rule without conditions, or with one of the
 * three patterns this file writes, is merged into |l|; any other rule (other
 * actions, other conditions, counts) is kept verbatim, so a merge never
 * widens what an edited policy allows.
 */
static int merge_rule(struct learner *l, json_t *rule, size_t i, struct strbuf *err)
{
	const char *action = json_string_value(json_object_get(rule, "action"));
	json_t *names = json_object_get(rule, "syscalls"), *args = json_object_get(rule, "args");
	struct learner tmp = *l;
	json_t *name;
	size_t k;

	if (!json_is_array(names)) {
		strbuf_printf(err, "rules[%zu]: expected a \"syscalls\" list", i);
		return -EINVAL;
	}
	if (!action || strcmp(action, "allow") != 0 || !plain_rule(rule) ||
	    json_array_size(args) > 1)
		goto keep;
	json_array_foreach(names, k, name)
	{
		struct traceset set;
		const char *s = json_string_value(name);

		if (!s || traceset_parse(s, &set, err) < 0) {
			strbuf_reset(err);
			strbuf_printf(err, "rules[%zu].syscalls[%zu]: not a syscall name or @group",
				      i, k);
			return -EINVAL;
		}
		for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
			if (!set.nr[nr])
				continue;
			if (json_array_size(args) == 0)
				tmp.used[nr] = true;
			else if (!merge_pattern(&tmp, nr, json_array_get(args, 0)))
				goto keep;
		}
	}
	tmp.kept = l->kept;
	*l = tmp;
	return 0;
keep:
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

static void add_rule(json_t *rules, const char *comment, json_t *names, json_t *cond)
{
	json_t *rule = json_object();

	json_object_set_new(rule, "comment", json_string(comment));
	json_object_set_new(rule, "syscalls", names);
	json_object_set_new(rule, "action", json_string("allow"));
	if (cond)
		json_object_set_new(rule, "args", json_pack("[o]", cond));
	json_array_append_new(rules, rule);
}

static void add_one(json_t *rules, const char *comment, int nr, json_t *cond)
{
	bool set[TRACESET_MAX_NR] = {false};

	set[nr] = true;
	add_rule(rules, comment, names_of(set), cond);
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

static void add_patterns(const struct learner *l, json_t *rules)
{
	static const char *const modes[] = {"read-only", "write-only", "read-write", "mode 3"};
	char comment[160];

	static const int socket_calls[] = {__NR_socket, __NR_socketpair};
	static const int open_calls[] = {__NR_open, __NR_openat};

	for (int c = 0; c < 2; c++) {
		for (unsigned int fam = 0; fam < 64; fam++) {
			if (!(l->families[c] & (1ull << fam)))
				continue;
			snprintf(comment, sizeof(comment),
				 "Sockets of address family %u were made: that family only.", fam);
			add_one(rules, comment, socket_calls[c],
				json_pack("{s:i, s:s, s:i}", "index", 0, "op", "==", "value", fam));
		}
	}
	for (int c = 0; c < 2; c++) {
		for (unsigned int m = 0; m < 4; m++) {
			if (!(l->open_modes[c] & (1u << m)))
				continue;
			snprintf(comment, sizeof(comment),
				 "Files were opened %s: that access mode only.", modes[m]);
			add_one(rules, comment, open_calls[c],
				json_pack("{s:i, s:s, s:i, s:i}", "index",
					  open_flags_index(open_calls[c]), "op", "masked_eq",
					  "mask", O_ACCMODE, "value", m));
		}
	}
	if (l->clone_process)
		add_one(rules, "New processes were made (clone without CLONE_THREAD).", __NR_clone,
			json_pack("{s:i, s:s, s:s, s:i}", "index", 0, "op", "masked_eq", "mask",
				  "0x10000", "value", 0));
	if (l->clone_thread)
		add_one(rules, "Threads were made (clone with CLONE_THREAD).", __NR_clone,
			json_pack("{s:i, s:s, s:s, s:s}", "index", 0, "op", "masked_eq", "mask",
				  "0x10000", "value", "0x10000"));
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

int learn_write(struct learner *l, const char *path)
{
	bool left[TRACESET_MAX_NR], essential[TRACESET_MAX_NR] = {false};
	_cleanup_free_ char *text = NULL;
	json_t *root, *rules;
	char comment[400], summary[200];

	memcpy(left, l->used, sizeof(left));
	/* Calls a short run may never show but any program can make: always allowed. */
	for (size_t i = 0; i < syscall_n_rows; i++) {
		int nr = syscall_rows[i].nr;

		if (syscall_rows[i].traits & SYSCALL_ESSENTIAL && nr >= 0 && nr < TRACESET_MAX_NR) {
			essential[nr] = true;
			left[nr] = false;
		}
	}
	root = json_object();
	rules = json_array();
	if (!root || !rules) {
		json_decref(root);
		json_decref(rules);
		return -ENOMEM;
	}
	snprintf(summary, sizeof(summary),
		 "Learned by sandbox --learn from %lu calls%s: what the program used and nothing "
		 "else; anything new kills it with a report.",
		 l->calls, l->foreign_calls ? " (calls of other ABIs left out)" : "");
	json_object_set_new(root, "comment", json_string(summary));
	json_object_set_new(root, "default", json_string("kill"));
	if (l->kept_top)
		json_object_update(root, l->kept_top);
	/* Rules carried over from the file first: their order may matter. */
	if (l->kept)
		json_array_extend(rules, l->kept);
	add_rule(rules,
		 "Ending the program and returning from a signal handler: always allowed (a "
		 "short run may not show them).",
		 names_of(essential), NULL);
	/* One rule per group the calls belong to, in the groups' order; then the rest. */
	for (size_t i = 0; group_at(i); i++) {
		const struct syscall_group *g = group_at(i);
		bool in[TRACESET_MAX_NR] = {false};
		bool any = false;

		take_group(g, left, in, 0);
		for (int nr = 0; nr < TRACESET_MAX_NR && !any; nr++)
			any = in[nr];
		if (!any)
			continue;
		snprintf(comment, sizeof(comment), "Used by the program; from @%s (%s).", g->name,
			 g->description);
		add_rule(rules, comment, names_of(in), NULL);
	}
	for (int nr = 0; nr < TRACESET_MAX_NR; nr++) {
		if (left[nr]) {
			add_rule(rules, "Used by the program; in no named group.", names_of(left),
				 NULL);
			break;
		}
	}
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
	if (l->out_open)
		outfile_close(&l->out);
	free(l);
}
