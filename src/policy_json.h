/* SPDX-License-Identifier: MIT */
/*
 * policy_json.h - what the policy readers share (the native format in
 * policy.c, OCI/Docker profiles in policy_oci.c, the checks in
 * policy_lint.c): diagnostics at file:line:column with a JSON path, and
 * the readers of values every format has (syscall names and groups, errno
 * names, 64-bit values). Internal to the policy layer.
 */
#ifndef SBX_POLICY_JSON_H
#define SBX_POLICY_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "jsonpos.h"
#include "policy.h"
#include "util.h"

/* Highest native syscall number we index; x86_64 is below 512. */
#define NR_INDEX_MAX 1024

#define PATH_MAX_LEN 256

/* The supported CPUs, in the order --check writes them: x86_64, aarch64. */
#define POLICY_N_CPUS 2
extern const struct arch_desc *const policy_cpus[POLICY_N_CPUS];

/*
 * Names a policy writes that a supported CPU lacks (--check says which):
 * names[c] (n[c] of them, each malloc'd, in the order met) for
 * policy_cpus[c]. Zero-initialised; absent_names_release() frees.
 */
struct absent_names {
	char **names[POLICY_N_CPUS];
	size_t n[POLICY_N_CPUS];
};

/*
 * "SOURCE: absent on CPU: a, b, c\n" for each CPU that lacks any, in
 * policy_cpus[] order, names sorted and each once (|a| is sorted in place).
 */
void absent_names_write(struct absent_names *a, const char *source, struct strbuf *out);
void absent_names_release(struct absent_names *a);

/* One file being read. */
struct parser {
	const char *source; /* its name in messages */
	const char *text;
	size_t len;
	struct strbuf *diag;
	unsigned int errors;
	unsigned int warnings;
	unsigned int src;  /* its index in the policy's sources */
	bool oci;	   /* an OCI profile: names of other architectures are skipped */
	uint64_t oci_caps; /* its includes/excludes "caps" are read against these (1 << CAP_*) */
	bool count_warnings_only;    /* see struct policy_load_opts */
	const struct arch_desc *cpu; /* whose numbers the rules get; NULL: the build's */
	struct absent_names *absent; /* where names a CPU lacks are noted; NULL: nowhere */
	/* x86_64's syscall names, looked up once for suggestions; freed by the loader */
	char **names;
	size_t n_names;
	/* Positions of messages in file order cost one scan of the text in all; NULL: none. */
	struct jsonpos_cursor *cursor;
};

/*
 * An error (or with diag_warn, a warning) at |path| of the file:
 * "source:line:column: path: [warning: ]message". With |at_key| the
 * position is that of the member's key rather than its value.
 */
void diag_at(struct parser *ps, const char *path, bool at_key, bool warning, const char *fmt, ...)
	_printf_(5, 6);
#define report(ps, path, ...)	  diag_at(ps, path, false, false, __VA_ARGS__)
#define report_key(ps, path, ...) diag_at(ps, path, true, false, __VA_ARGS__)
#define warn(ps, path, ...)	  diag_at(ps, path, false, true, __VA_ARGS__)

/* "an object", "a string", ... */
const char *json_type_name(const json_t *j);

/* "prefix.key" and "prefix[i]", cut to |size| when too deep. */
void path_key(char *out, size_t size, const char *prefix, const char *key);
void path_index(char *out, size_t size, const char *prefix, size_t i);

/* Report keys of |obj| not in the NULL-terminated |allowed|. */
void check_keys(struct parser *ps, json_t *obj, const char *path, const char *const *allowed);

/* Levenshtein distance, SIZE_MAX for very long strings. */
size_t edit_distance(const char *a, const char *b);

/*
 * The names of a rule: |list| (at |path|) must be a non-empty array of
 * names and @groups, each added to |r|. Returns 0 (problems are reported)
 * or -ENOMEM.
 */
int rule_add_name_list(struct parser *ps, const char *path, json_t *list, struct policy_rule *r);

/* The "index" of the condition |obj| at |path|: an integer 0..5, into |ret|. */
void parse_arg_index(struct parser *ps, const char *path, json_t *obj, unsigned int *ret);

/* The closest native syscall name to |name| (into |buf|), or NULL when nothing is close. */
const char *suggest_syscall(const char *name, char *buf, size_t size);
/* The same with the names kept in |ps| (a profile may have many unknown names). */
const char *parser_suggest_syscall(struct parser *ps, const char *name, char *buf, size_t size);
void parser_release(struct parser *ps);

/* The closest group name (without '@') to |name|, or NULL when nothing is close. */
const char *suggest_group(const char *name);

/*
 * Add the syscalls |j| names to |r|: a syscall name, or "@group" (expanded,
 * nested groups included). Each added number records |entry| (the index of
 * the name in its list, for later messages); duplicates are added once.
 * Unknown names are reported with a suggestion. Returns -ENOMEM or 0.
 */
/* Add native |nr| (0 <= nr < NR_INDEX_MAX) to |r| once. Returns 0 or -ENOMEM. */
int rule_add_nr(struct policy_rule *r, int nr, unsigned int entry);
int rule_add_names(struct parser *ps, const char *path, json_t *j, unsigned int entry,
		   struct policy_rule *r);

/* An unsigned 64-bit value: a JSON integer (negative ones wrap) or "0x..." / decimal text. */
bool parse_u64(struct parser *ps, const char *path, json_t *j, uint64_t *ret);

/* An errno name ("EACCES") or number 1..4095. */
void parse_errno(struct parser *ps, const char *path, json_t *j, int *ret);

/* The policies a file extends, as written (|paths|: "extends[1]" for messages). */
struct extends {
	char **names;
	char **paths;
	size_t n;
};

void extends_free(struct extends *e);

/* Our format (policy.c): fill |p| (one file, no merging) and |ext|. */
int native_parse(struct parser *ps, json_t *root, struct policy *p, struct extends *ext);

/* "isolation" of our format (policy_isolation.c). Returns 0 or -ENOMEM. */
int parse_isolation(struct parser *ps, json_t *j, struct policy_isolation *iso);

/* OCI runtime-spec / Docker profiles (policy_oci.c). */
bool oci_detect(json_t *root);
int oci_parse(struct parser *ps, json_t *root, struct policy *p);

/*
 * Checks of a whole (merged) policy (policy_lint.c): conflicting rules
 * within one file (errors), dangerous allows and comparisons of unknown
 * width (warnings). Messages point into p->sources.
 */
/*
 * Without |warnings_text|, warnings are counted in |rep| but not written to
 * |diag|. Time and memory grow linearly with the rules (and the pairs of
 * OCI entries for one call). Returns 0, or -ENOMEM.
 */
int policy_lint(const struct policy *p, struct strbuf *diag, bool warnings_text,
		struct policy_report *rep);

#endif
