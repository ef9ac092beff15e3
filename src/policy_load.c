/* SPDX-License-Identifier: MIT */
/*
 * policy_load.c - owns reading a policy: files and shipped policies, format
 * detection (ours or OCI), "extends" (resolution, cycles, merging) and the
 * final checks.
 *
 * Merging. A policy's own rules come first, then those of the policies it
 * extends, the last one listed first: in first-match order, the extending
 * policy overrides its bases for the calls it names, and a later base
 * overrides an earlier one. The default, architectures and filter flags are
 * the policy's own when it sets them, else those of the last base that
 * does; limits merge key by key in the same order.
 */
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "policy_json.h"
#include "shipped.h"

#define MAX_DEPTH 16

struct loader {
	struct strbuf *diag;
	struct policy_load_opts opts;
	struct policy_report report;
	struct absent_names absent; /* with opts.list_absent */
	char *stack[MAX_DEPTH];	    /* identities of the files being read: cycle detection */
	size_t depth;
};

static int load_text(struct loader *ld, const char *name, const char *identity, char *text,
		     size_t len, const char *dir, struct policy **ret);

/* Shipped policies are named, not paths: no '/', no ".json". */
static bool is_shipped_name(const char *name)
{
	size_t n = strlen(name);

	return !strchr(name, '/') && !(n >= 5 && strcmp(name + n - 5, ".json") == 0) &&
	       strcmp(name, "-") != 0;
}

/* The largest policy read: a file, standard input or a FIFO. */
#define POLICY_MAX_BYTES (16u << 20)

/* Read |fd| to its end, at most POLICY_MAX_BYTES; -EFBIG past them (one byte more is read). */
static int read_stream(int fd, char **ret_text, size_t *ret_len)
{
	_cleanup_free_ char *text = NULL;
	size_t done = 0, cap = 0;

	while (done <= POLICY_MAX_BYTES) {
		ssize_t n;

		if (done == cap) {
			char *grown;

			cap = cap ? cap * 2 : 65536;
			if (cap > POLICY_MAX_BYTES)
				cap = POLICY_MAX_BYTES + 1;
			grown = realloc(text, cap + 1);
			if (!grown)
				return -ENOMEM;
			text = grown;
		}
		n = read(fd, text + done, cap - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	if (done > POLICY_MAX_BYTES)
		return -EFBIG;
	text[done] = '\0';
	*ret_text = TAKE_PTR(text);
	*ret_len = done;
	return 0;
}

/*
 * A policy file, or "-" for standard input. A FIFO, a pipe or a device is
 * read to its end like standard input; each refusal says why in |ret_why|.
 */
static int read_file(const char *path, char **ret_text, size_t *ret_len, const char **ret_why)
{
	_cleanup_close_ int fd = strcmp(path, "-") == 0 ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
							: open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int r;

	*ret_why = NULL;
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		*ret_why = "a directory, not a policy file";
		return -EISDIR;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > POLICY_MAX_BYTES) {
		*ret_why = "larger than the 16 MiB a policy may have";
		return -EFBIG;
	}
	r = read_stream(fd, ret_text, ret_len);
	if (r == -EFBIG)
		*ret_why = "larger than the 16 MiB a policy may have";
	return r;
}

/*
 * Open |name| as named from a file in |dir|: a shipped policy, or a path
 * (relative ones from |dir|). Stores the text, its name for messages and
 * an identity for cycle detection.
 */
static int open_named(const char *name, const char *dir, char **ret_text, size_t *ret_len,
		      char **ret_source, char **ret_identity, const char **ret_why)
{
	const struct sbx_shipped *sh = is_shipped_name(name) ? shipped_find(name) : NULL;
	char real[PATH_MAX];
	char *path;
	int r;

	*ret_why = NULL;
	if (sh) {
		*ret_text = malloc(sh->len + 1);
		if (!*ret_text)
			return -ENOMEM;
		memcpy(*ret_text, sh->text, sh->len + 1);
		*ret_len = sh->len;
		*ret_source = xstrdup(name);
		if (asprintf(ret_identity, "shipped:%s", name) < 0)
			*ret_identity = NULL;
		return *ret_source && *ret_identity ? 0 : -ENOMEM;
	}
	if (*name == '/' || !dir || !*dir)
		path = xstrdup(name);
	else if (asprintf(&path, "%s/%s", dir, name) < 0)
		path = NULL;
	if (!path)
		return -ENOMEM;
	r = read_file(path, ret_text, ret_len, ret_why);
	if (r == -ENOENT && is_shipped_name(name))
		*ret_why = "no such file, and no shipped policy of that name";
	if (r < 0) {
		free(path);
		return r;
	}
	*ret_source = path;
	*ret_identity = xstrdup(realpath(path, real) ? real : path);
	return *ret_identity ? 0 : -ENOMEM;
}

/* Append |base|'s sources to |p|'s; returns the offset of the first, or -ENOMEM. */
static long adopt_sources(struct policy *p, struct policy *base)
{
	size_t off = p->n_sources;
	struct policy_source *grown;

	grown = realloc(p->sources, (p->n_sources + base->n_sources) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	p->sources = grown;
	memcpy(p->sources + off, base->sources, base->n_sources * sizeof(*grown));
	p->n_sources += base->n_sources;
	free(base->sources);
	base->sources = NULL;
	base->n_sources = 0;
	return (long)off;
}

static void merge_limits(struct sbx_limits *own, const struct sbx_limits *base)
{
#define KEEP(f)                                                                                    \
	do {                                                                                       \
		if (!own->f)                                                                       \
			own->f = base->f;                                                          \
	} while (0)
	KEEP(cpu_time_ms);
	KEEP(wall_time_ms);
	KEEP(memory_bytes);
	KEEP(stack_bytes);
	KEEP(processes);
	KEEP(output_bytes);
	KEEP(open_files);
	KEEP(memory_rlimit);
#undef KEEP
}

/* Put |base| (fully merged already) under |p|: its rules after p's own. */
static int merge(struct policy *p, struct policy *base)
{
	struct policy_rule *grown;
	long off = adopt_sources(p, base);

	if (off < 0)
		return (int)off;
	grown = realloc(p->rules, (p->n_rules + base->n_rules + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	p->rules = grown;
	for (size_t i = 0; i < base->n_rules; i++) {
		p->rules[p->n_rules] = base->rules[i];
		p->rules[p->n_rules++].src += (unsigned int)off;
	}
	base->n_rules = 0; /* the rules' arrays now belong to p */
	if (!p->has_default && base->has_default) {
		p->default_verdict = base->default_verdict;
		p->default_src = base->default_src + (unsigned int)off;
		p->has_default = true;
	}
	if (!p->has_arches && base->has_arches) {
		p->arches = base->arches;
		p->has_arches = true;
	}
	if (!p->filter_flags)
		p->filter_flags = base->filter_flags;
	/* "filesystem" and "network" are taken whole: the nearest one that is given. */
	if (!p->fs.present && base->fs.present) {
		p->fs = base->fs;
		p->fs.src += (unsigned int)off;
		base->fs = (struct policy_fs){0};
	}
	if (!p->net.present && base->net.present) {
		p->net = base->net;
		p->net.src += (unsigned int)off;
		base->net = (struct policy_net){0};
	}
	merge_limits(&p->limits, &base->limits);
	/* "isolation" merges key by key; mounts and masked paths add up. */
	return policy_isolation_merge(&p->isolation, &base->isolation, (unsigned int)off);
}

/* Copies of |n| strings, or NULL when there are none; -ENOMEM in |*r|. */
static char **dup_list(char *const *list, size_t n, int *r)
{
	char **out = n ? calloc(n, sizeof(*out)) : NULL;

	if (n && !out)
		*r = -ENOMEM;
	for (size_t i = 0; out && i < n; i++)
		if (!(out[i] = xstrdup(list[i])))
			*r = -ENOMEM;
	return out;
}

static void *dup_mem(const void *from, size_t size, int *r)
{
	void *out = size ? malloc(size) : NULL;

	if (size && !out)
		*r = -ENOMEM;
	if (out)
		memcpy(out, from, size);
	return out;
}

/*
 * |pc| (a precompiled policy: its arrays are the binary's) as a base owns
 * it after load_text(): everything merge() takes, in memory of its own;
 * the rule index and the network rules, which only the top of a load
 * makes, left out.
 */
static int own_copy(const struct policy *pc, struct policy **ret)
{
	struct policy *p = calloc(1, sizeof(*p));
	int r = 0;

	if (!p)
		return -ENOMEM;
	p->default_verdict = pc->default_verdict;
	p->has_default = pc->has_default;
	p->default_src = pc->default_src;
	p->arches = pc->arches;
	p->has_arches = pc->has_arches;
	p->limits = pc->limits;
	p->filter_flags = pc->filter_flags;
	p->source = xstrdup(pc->source);
	p->sources = calloc(pc->n_sources, sizeof(*p->sources));
	p->rules = calloc(pc->n_rules + 1, sizeof(*p->rules));
	if (!p->source || !p->sources || !p->rules)
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < pc->n_sources; i++, p->n_sources++) {
		p->sources[i] = pc->sources[i];
		p->sources[i].name = xstrdup(pc->sources[i].name);
		p->sources[i].text = dup_mem(pc->sources[i].text, pc->sources[i].len + 1, &r);
		if (!p->sources[i].name)
			r = -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < pc->n_rules; i++, p->n_rules++) {
		const struct policy_rule *from = &pc->rules[i];

		p->rules[i] = *from;
		p->rules[i].syscalls =
			dup_mem(from->syscalls, from->n_syscalls * sizeof(*from->syscalls), &r);
		p->rules[i].entries =
			from->entries ? dup_mem(from->entries,
						from->n_syscalls * sizeof(*from->entries), &r)
				      : NULL;
	}
	p->fs = pc->fs;
	p->fs.read = dup_list(pc->fs.read, pc->fs.n_read, &r);
	p->fs.write = dup_list(pc->fs.write, pc->fs.n_write, &r);
	p->fs.exec = dup_list(pc->fs.exec, pc->fs.n_exec, &r);
	p->fs.deny = dup_list(pc->fs.deny, pc->fs.n_deny, &r);
	p->net = pc->net;
	p->net.bind = dup_mem(pc->net.bind, pc->net.n_bind * sizeof(*pc->net.bind), &r);
	p->net.connect = dup_mem(pc->net.connect, pc->net.n_connect * sizeof(*pc->net.connect), &r);
	p->isolation = pc->isolation;
	p->isolation.masked = dup_list(pc->isolation.masked, pc->isolation.n_masked, &r);
	p->isolation.mounts = pc->isolation.n_mounts
				      ? calloc(pc->isolation.n_mounts, sizeof(*p->isolation.mounts))
				      : NULL;
	if (pc->isolation.n_mounts && !p->isolation.mounts) {
		p->isolation.n_mounts = 0;
		r = -ENOMEM;
	}
	for (size_t i = 0; p->isolation.mounts && i < pc->isolation.n_mounts; i++) {
		const struct policy_mount *m = &pc->isolation.mounts[i];

		p->isolation.mounts[i] = *m;
		p->isolation.mounts[i].source = m->source ? xstrdup(m->source) : NULL;
		p->isolation.mounts[i].destination = xstrdup(m->destination);
		if ((m->source && !p->isolation.mounts[i].source) ||
		    !p->isolation.mounts[i].destination)
			r = -ENOMEM;
	}
	if (r < 0) {
		policy_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

/*
 * A shipped base as compiled at build time, when it may be used: it gave
 * no warning (none to count or write). Returns 1 with a policy of its own
 * in |ret|, 0 to parse it, or -ENOMEM.
 */
static int precompiled_base(const struct loader *ld, const char *name, struct policy **ret)
{
	struct policy *pc = NULL;
	unsigned int warnings;
	int r;

	if (ld->opts.no_precompiled || !is_shipped_name(name))
		return 0;
	r = policy_precompiled_make(name, &pc, &warnings);
	if (r > 0 && warnings == 0)
		r = own_copy(pc, ret) < 0 ? -ENOMEM : 1;
	else if (r > 0)
		r = 0;
	policy_free(pc);
	return r;
}

static bool on_stack(const struct loader *ld, const char *identity)
{
	for (size_t i = 0; i < ld->depth; i++)
		if (strcmp(ld->stack[i], identity) == 0)
			return true;
	return false;
}

/* Load each policy |p| extends and merge them under it, the last listed first. */
static int load_bases(struct loader *ld, struct parser *ps, const struct extends *ext,
		      const char *dir, struct policy *p)
{
	struct policy **bases = calloc(ext->n + 1, sizeof(*bases));
	int r = 0;

	if (!bases)
		return -ENOMEM;
	for (size_t i = 0; r >= 0 && i < ext->n; i++) {
		char *text = NULL, *source = NULL, *identity = NULL;
		const char *why;
		size_t len = 0;

		if (strcmp(ext->names[i], "-") == 0) { /* standard input is --policy's alone */
			report(ps, ext->paths[i],
			       "cannot extend \"-\": only --policy reads a "
			       "policy from standard input");
			continue;
		}
		r = precompiled_base(ld, ext->names[i], &bases[i]);
		if (r < 0)
			break;
		if (r > 0) { /* the binary's copy */
			ld->report.precompiled++;
			r = 0;
			continue;
		}
		r = open_named(ext->names[i], dir, &text, &len, &source, &identity, &why);
		if (r == -ENOMEM)
			break;
		if (r < 0) {
			report(ps, ext->paths[i], "cannot read \"%s\": %s", ext->names[i],
			       why ? why : strerror(-r));
			r = 0;
		} else if (on_stack(ld, identity)) {
			report(ps, ext->paths[i], "\"%s\" extends itself (an include cycle)",
			       ext->names[i]);
			free(text);
		} else {
			_cleanup_free_ char *dcopy = xstrdup(source);

			r = dcopy ? load_text(ld, source, identity, text, len, dirname(dcopy),
					      &bases[i])
				  : -ENOMEM;
			if (r == -EINVAL)
				r = 0; /* its own problems are reported in its own file */
			if (r == 0 && bases[i] && bases[i]->oci) {
				/* Its rules mean what libseccomp makes of them, not a first match.
				 */
				report(ps, ext->paths[i],
				       "\"%s\" is an OCI profile: it cannot be extended (its "
				       "entries mean what libseccomp makes of them, ours the "
				       "first match); use it as it is with -p",
				       ext->names[i]);
				policy_free(bases[i]);
				bases[i] = NULL;
			}
		}
		free(source);
		free(identity);
	}
	for (size_t i = ext->n; r >= 0 && i-- > 0;)
		if (bases[i])
			r = merge(p, bases[i]);
	for (size_t i = 0; i < ext->n; i++)
		policy_free(bases[i]);
	free(bases);
	return r;
}

/*
 * Parse one file (|text| is taken over) and everything it extends. Returns
 * 0 with the merged policy, -EINVAL when it or a base had errors, -ENOMEM.
 */
static int load_text(struct loader *ld, const char *name, const char *identity, char *text,
		     size_t len, const char *dir, struct policy **ret)
{
	struct jsonpos_cursor cursor = {0};
	struct parser ps = {
		.cursor = &cursor,
		.source = name,
		.text = text,
		.len = len,
		.diag = ld->diag,
		.oci_caps = ld->opts.oci_caps,
		.count_warnings_only = ld->opts.count_warnings_only,
		.cpu = ld->opts.cpu,
		.absent = ld->opts.list_absent ? &ld->absent : NULL,
	};
	struct extends ext = {0};
	struct policy *p = NULL;
	json_error_t err;
	json_t *root;
	int r = -ENOMEM;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		strbuf_printf(ld->diag, "%s:%d:%d: invalid JSON: %s\n", name, err.line, err.column,
			      err.text);
		ld->report.errors++;
		free(text);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (p)
		p->sources = calloc(1, sizeof(*p->sources));
	if (!p || !p->sources)
		goto out;
	p->n_sources = 1;
	p->sources[0] = (struct policy_source){.name = xstrdup(name), .text = text, .len = len};
	text = NULL;
	p->source = xstrdup(name);
	if (!p->source || !p->sources[0].name)
		goto out;
	if (oci_detect(root)) {
		p->sources[0].oci = true;
		r = oci_parse(&ps, root, p);
	} else {
		r = native_parse(&ps, root, p, &ext);
	}
	if (r == 0 && ext.n && ld->depth < MAX_DEPTH) {
		/* This file is on the path while its bases load: a base naming it is a cycle. */
		ld->stack[ld->depth] = xstrdup(identity);
		if (!ld->stack[ld->depth]) {
			r = -ENOMEM;
		} else {
			ld->depth++;
			r = load_bases(ld, &ps, &ext, dir, p);
			ld->depth--;
		}
		free(ld->stack[ld->depth]);
		ld->stack[ld->depth] = NULL;
	} else if (r == 0 && ext.n) {
		report(&ps, "extends", "policies extend each other more than %d deep", MAX_DEPTH);
	}
	if (r == 0 && !p->has_default && !ps.errors)
		report(&ps, "",
		       "missing key \"default\" (neither this policy nor those it extends "
		       "set one)");
out:
	json_decref(root);
	extends_free(&ext);
	parser_release(&ps);
	free(text);
	ld->report.errors += ps.errors;
	ld->report.warnings += ps.warnings;
	if (r == 0 && ps.errors)
		r = -EINVAL;
	if (r < 0) {
		policy_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

/*
 * The top of a load: the file's own position on the cycle stack, and the
 * checks. With opts->list_absent, the names a CPU lacks go to |absent|.
 */
static int load_top(const char *name, const char *identity, char *text, size_t len, const char *dir,
		    bool lint, const struct policy_load_opts *opts, struct policy **ret_policy,
		    struct strbuf *diag, struct strbuf *absent, struct policy_report *ret_report)
{
	struct loader ld = {.diag = diag, .opts = opts ? *opts : (struct policy_load_opts){0}};
	struct policy *p = NULL;
	int r;

	r = load_text(&ld, name, identity, text, len, dir, &p);
	if (r == 0)
		r = policy_index_rules(p);
	if (r == 0 && p->net.present)
		policy_make_net_rule(p);
	/* The checks compare with this CPU's numbers: not for a policy read as another's. */
	if (r == 0 && lint && (!ld.opts.cpu || ld.opts.cpu == ARCH_NATIVE)) {
		r = policy_lint(p, diag, !ld.opts.count_warnings_only, &ld.report);
		if (r == 0 && ld.report.errors)
			r = -EINVAL;
	}
	if (r != -ENOMEM && ld.opts.list_absent)
		absent_names_write(&ld.absent, name, absent);
	absent_names_release(&ld.absent);
	if (r == 0 && (strbuf_failed(diag) || (absent && strbuf_failed(absent))))
		r = -ENOMEM;
	if (ret_report)
		*ret_report = ld.report;
	if (r < 0) {
		policy_free(p);
		return r;
	}
	*ret_policy = p;
	return 0;
}

/*
 * A shipped policy's name is also a file in the working directory: the
 * shipped policy is used (a judge's "-p judge" must not become whatever a
 * program left in its directory), and a warning says so, counted and always
 * written, even with count_warnings_only (sbx_policy_load() hands it to
 * its caller when the load succeeds).
 */
static void shadow_warning(const char *name, const char *identity, struct strbuf *diag,
			   struct policy_report *report)
{
	struct stat st;

	if (strncmp(identity, "shipped:", 8) != 0 ||
	    fstatat(AT_FDCWD, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	strbuf_printf(diag,
		      "%s: warning: the shipped policy \"%s\" is used, not the file %s in the "
		      "working directory (write ./%s for the file)\n",
		      name, name, name, name);
	if (report)
		report->warnings++;
}

/*
 * The shipped policy |name| as compiled at build time, when the load may
 * use it: its warnings are counted only, or it has none. Returns 1 with
 * a new policy in |ret_policy|, 0 to parse instead, or -ENOMEM.
 */
static int load_precompiled(const char *name, const struct policy_load_opts *opts,
			    struct policy **ret_policy, struct policy_report *ret_report)
{
	unsigned int warnings;
	struct policy *p;
	int r;

	if ((opts && opts->no_precompiled) || !is_shipped_name(name))
		return 0;
	r = policy_precompiled_make(name, &p, &warnings);
	if (r <= 0)
		return r;
	if (warnings && !(opts && opts->count_warnings_only)) {
		policy_free(p); /* they must be written: parse */
		return 0;
	}
	if (ret_report) {
		ret_report->warnings = warnings;
		ret_report->precompiled = 1;
	}
	*ret_policy = p;
	return 1;
}

int policy_load(const char *name, struct policy **ret_policy, struct strbuf *diag,
		struct policy_report *ret_report)
{
	return policy_load_with(name, NULL, ret_policy, diag, ret_report);
}

int policy_load_with(const char *name, const struct policy_load_opts *opts,
		     struct policy **ret_policy, struct strbuf *diag,
		     struct policy_report *ret_report)
{
	char *text = NULL, *source = NULL, *identity = NULL, *dcopy;
	const char *why;
	size_t len;
	int r;

	if (ret_report)
		*ret_report = (struct policy_report){0};
	r = load_precompiled(name, opts, ret_policy, ret_report);
	if (r != 0) {
		if (r > 0)
			shadow_warning(name, "shipped:", diag, ret_report);
		return r < 0 ? r : 0;
	}
	r = open_named(name, NULL, &text, &len, &source, &identity, &why);
	if (r < 0) {
		strbuf_printf(diag, "%s: cannot read policy: %s\n",
			      strcmp(name, "-") == 0 ? "<stdin>" : name, why ? why : strerror(-r));
		if (ret_report)
			ret_report->errors = 1;
		return r;
	}
	if (strcmp(name, "-") == 0) { /* diagnostics name it, and extends start from "." */
		free(source);
		source = xstrdup("<stdin>");
		if (!source) {
			free(text);
			free(identity);
			return -ENOMEM;
		}
	}
	dcopy = xstrdup(source);
	if (!dcopy) {
		free(text);
		r = -ENOMEM;
	} else {
		/* A shipped policy's bases are shipped too: no directory. */
		_cleanup_strbuf_ struct strbuf absent = {0};

		r = load_top(source, identity, text, len,
			     strncmp(identity, "shipped:", 8) == 0 ? NULL : dirname(dcopy), true,
			     opts, ret_policy, diag, &absent, ret_report);
		shadow_warning(name, identity, diag, ret_report);
		strbuf_append(diag, strbuf_str(&absent)); /* last: after every problem */
	}
	free(dcopy);
	free(source);
	free(identity);
	return r;
}

static int parse_copy(const char *source, const char *text, size_t len, bool lint,
		      struct policy **ret_policy, struct strbuf *diag)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	return load_top(source, source, copy, len, NULL, lint, NULL, ret_policy, diag, NULL, NULL);
}

int policy_parse(const char *source, const char *text, size_t len, struct policy **ret_policy,
		 struct strbuf *diag)
{
	return parse_copy(source, text, len, true, ret_policy, diag);
}

int policy_parse_unchecked(const char *source, const char *text, size_t len,
			   struct policy **ret_policy, struct strbuf *diag)
{
	return parse_copy(source, text, len, false, ret_policy, diag);
}
