/* SPDX-License-Identifier: MIT */
/*
 * policy.h - the policy as plain C data: JSON text in, validated structs out.
 *
 * Two formats are read: ours (docs/policy.md) and OCI runtime-spec / Docker
 * seccomp profiles (recognised by a "defaultAction" key), both into the same
 * structures. A policy may extend others (files or shipped policies by
 * name); the result is one flat list of rules.
 *
 * Layering: the policy layer (policy*.c) knows jansson and libseccomp's
 * syscall name tables (to resolve and validate names) but never builds a
 * filter and makes no system call on behalf of the sandbox.
 */
#ifndef SBX_POLICY_H
#define SBX_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sandbox.h"
#include "util.h"

struct arch_desc; /* arch.h */

enum policy_action {
	POLICY_ALLOW,  /* runs, decided in the kernel */
	POLICY_ERRNO,  /* fails with |errno_value|; traced only when |log| */
	POLICY_LOG,    /* traced: reported, then runs */
	POLICY_KILL,   /* traced: reported, every process of the sandbox killed */
	POLICY_RETURN, /* traced: skipped, returns |ret_value| */
};

enum policy_op {
	POLICY_OP_EQ,
	POLICY_OP_NE,
	POLICY_OP_LT,
	POLICY_OP_LE,
	POLICY_OP_GT,
	POLICY_OP_GE,
	POLICY_OP_MASKED_EQ, /* (arg & mask) == value */
};

struct policy_cond {
	unsigned int index; /* 0..5 */
	enum policy_op op;
	uint64_t value;
	uint64_t mask;	      /* POLICY_OP_MASKED_EQ only */
	unsigned char narrow; /* 32 or 16: compare the low bits only (policy_cond_for()); 0: all */
};

#define POLICY_MAX_CONDS 6

struct policy_verdict {
	enum policy_action action;
	int errno_value;   /* POLICY_ERRNO */
	int64_t ret_value; /* POLICY_RETURN */
	bool log;	   /* report the call even when the action is errno */
};

#define POLICY_NR_BITS 1024 /* native numbers the per-rule bitmap covers */

struct policy_rule {
	int *syscalls;		 /* native syscall numbers */
	unsigned short *entries; /* for each: its index in the names list (for messages) */
	size_t n_syscalls;
	/*
	 * The same set as a bitmap, kept by the loader: the filter compiler
	 * asks "does rule R name call N?" for every (rule, N) pair. Rules
	 * made without the loader (the built-in ones) leave it off.
	 */
	bool has_bits;
	uint64_t bits[POLICY_NR_BITS / 64];
	struct policy_cond conds[POLICY_MAX_CONDS];
	size_t n_conds;
	/* Any one condition suffices (an OCI entry testing one argument twice, as runc reads it).
	 */
	bool conds_any;
	struct policy_verdict verdict;

	/*
	 * Count-limited: the rule applies to its first |count| matching calls
	 * in the whole sandbox; after that, |then| when given, else the rule
	 * no longer matches (later rules and the default decide).
	 */
	uint64_t count; /* 0: no limit */
	bool has_then;
	struct policy_verdict then;

	/* Where it was written, for messages. */
	unsigned int src;     /* index in policy->sources */
	unsigned int index;   /* its position in that file's list of rules */
	const char *list_key; /* "rules" or "syscalls" (OCI) */
	const char *name_key; /* "syscalls", "names" or "name" (OCI) */
};

/* A file the policy was read from; kept for messages about it. */
struct policy_source {
	char *name;
	char *text;
	size_t len;
	bool oci; /* an OCI / Docker profile */
};

/*
 * An OCI / Docker / Podman profile, kept the way runc hands it to
 * libseccomp (policy_oci.c reads it, filter.c compiles it): one call per
 * name of each entry that applies here, in file order. Its meaning is
 * libseccomp's, not first-match: filter.c builds it with the same calls
 * runc makes and the supervisor evaluates that very program at a stop.
 */
enum oci_act {
	OCI_ACT_ALLOW,
	OCI_ACT_ERRNO, /* returns -data (data 0: returns 0) */
	OCI_ACT_KILL_THREAD,
	OCI_ACT_KILL_PROCESS,
	OCI_ACT_TRAP,
	OCI_ACT_TRACE, /* no tracer of the profile's own here: ENOSYS, as without one */
	OCI_ACT_LOG,
	OCI_ACT_NOTIFY, /* no agent here: kills */
};

struct oci_action {
	enum oci_act act;
	int data; /* ERRNO and TRACE: the errno (errnoRet, defaultErrnoRet or EPERM) */
};

/* One name of one entry (runc's configs.Syscall). */
struct oci_call {
	char *name;
	/*
	 * libseccomp's number for |name| on the CPU the sandbox was built for
	 * (libseccomp reads rule numbers that way and translates them by name
	 * for each architecture of a filter): negative (a pseudo number) for a
	 * call only other architectures have, such as i386's mmap2, which
	 * libseccomp places in those architectures' part of the filter.
	 */
	int nr;
	struct oci_action action;
	struct policy_cond conds[POLICY_MAX_CONDS];
	size_t n_conds;
	/* Two conditions test one argument: runc adds each alone, so any one matches. */
	bool conds_any;
	unsigned int entry; /* its index in "syscalls" */
};

struct policy_oci {
	struct oci_action default_action;
	/*
	 * The CPU the profile was read for and the filter is built for:
	 * ARCH_NATIVE, unless a test asked for another (policy_load_opts).
	 */
	const struct arch_desc *arch;
	/*
	 * "architectures" (or archMap's entry for |arch|): POLICY_ARCH_* bits
	 * of |arch|'s own ABIs; 0 when none is listed.
	 */
	unsigned int listed_arches;
	struct oci_call *calls;
	size_t n_calls;
	size_t n_seccomp_rules; /* the rules runc hands libseccomp for |calls| (policy_oci.c caps
				   them) */
	bool has_listener;	/* listenerPath was given */
	/* The program runc would load (filter.c builds it on first use; freed with the policy). */
	void *program; /* struct sock_filter[] */
	size_t program_len;
	const char *refused; /* when libseccomp refused a call's rule: its name (in |calls|) */
	unsigned int refused_entry;
};

/* The verdict the sandbox gives a call that gets |a| under runc. */
struct policy_verdict policy_oci_verdict(const struct oci_action *a);

/* Architectures a policy may allow besides the native one. */
enum policy_arch {
	POLICY_ARCH_NATIVE = 1u << 0,
	POLICY_ARCH_X86 = 1u << 1, /* i386 via int 0x80 / sysenter */
	POLICY_ARCH_X32 = 1u << 2, /* x86_64's x32 */
	POLICY_ARCH_ARM = 1u << 3, /* AArch32 (compat) tasks on aarch64 */
};

/* "filesystem": paths as written (relative ones resolve against the run's working directory). */
struct policy_fs {
	bool present;
	char **read, **write, **exec, **deny;
	size_t n_read, n_write, n_exec, n_deny;
	unsigned int src; /* the file that set it */
};

/* "network": "off", or the families allowed and TCP ports (Landlock, ABI 4). */
struct policy_net {
	bool present;
	int families[6]; /* allowed socket families; "off" is AF_UNIX alone */
	size_t n_families;
	bool has_bind, has_connect; /* TCP ports restricted at all */
	uint16_t *bind, *connect;
	size_t n_bind, n_connect;
	unsigned int src;
};

/* "isolation": the program's own view of the system (docs/isolation.md). */
enum policy_mount_type {
	POLICY_MOUNT_BIND,
	POLICY_MOUNT_TMPFS,
};

struct policy_mount {
	enum policy_mount_type type;
	char *source;	   /* bind: host path as written (relative: from the working directory) */
	char *destination; /* absolute path inside the sandbox */
	bool read_only;
	uint64_t size; /* tmpfs: bytes (0: the default) */
};

struct policy_isolation {
	bool present;
	enum sbx_isolation mode;     /* SBX_ISOLATION_DEFAULT: not said */
	unsigned int namespaces;     /* SBX_NS_* bits; 0: not said (all of them) */
	enum sbx_workdir workdir;    /* SBX_WORKDIR_DEFAULT: not said */
	uint64_t tmp_size;	     /* bytes; 0: not said */
	uint64_t shm_size;	     /* bytes; 0: not said */
	struct policy_mount *mounts; /* the bases' first, then this file's */
	size_t n_mounts;
	char **masked; /* masked_paths, the bases' first */
	size_t n_masked;
	/*
	 * A call aimed at a live process outside the sandbox (a signal,
	 * prlimit, setpriority ...; only without a PID namespace can it name
	 * one): POLICY_OUTSIDE_DENY (EPERM and a line; the default) or
	 * POLICY_OUTSIDE_KILL (a violation). 0: not said.
	 */
	enum { POLICY_OUTSIDE_DENY = 1, POLICY_OUTSIDE_KILL } outside;
	unsigned int src; /* the file that set "isolation" nearest the top */
};

/* The namespaces a policy may name; user, mount and pid are always among them. */
#define POLICY_NS_CORE (SBX_NS_USER | SBX_NS_PID | SBX_NS_MOUNT)
#define POLICY_NS_ALL  (POLICY_NS_CORE | SBX_NS_IPC | SBX_NS_UTS | SBX_NS_NET | SBX_NS_CGROUP)

struct policy {
	char *source; /* the top file's name */
	struct policy_verdict default_verdict;
	bool has_default;
	unsigned int default_src;  /* the file that set it */
	struct policy_rule *rules; /* own rules, then those of the policies extended */
	size_t n_rules;
	unsigned int arches; /* enum policy_arch bits; NATIVE always set */
	bool has_arches;
	struct sbx_limits limits;  /* the "limits" object; zero fields: not set */
	unsigned int filter_flags; /* SECCOMP_FILTER_FLAG_LOG / _SPEC_ALLOW (OCI "flags") */
	struct policy_fs fs;
	struct policy_net net;
	struct policy_isolation isolation;
	struct policy_rule net_rule;   /* generated from |net|: sockets of other families fail */
	struct policy_rule netns_rule; /* the same with the run's own network namespace */
	struct policy_oci *oci;	       /* an OCI profile's own meaning; NULL for ours */
	struct policy_source *sources;
	size_t n_sources;
	/*
	 * Which rules name each call, kept by the loader so that the filter
	 * compiler and the stops look only at those: rules_naming[start[nr] ..
	 * start[nr + 1]) are indexes into |rules|, in order. See
	 * policy_rules_naming().
	 */
	uint32_t *naming_start; /* POLICY_NR_BITS + 1 offsets */
	uint32_t *rules_naming;

	/*
	 * The last filter compiled from this policy, kept by filter.c for the
	 * next run of the same policy object (a program that embeds the
	 * library and runs many sandboxes with one policy); freed with it.
	 */
	void *filter_cache;
	void (*filter_cache_free)(void *cache);

	/*
	 * A shipped policy as compiled at build time (src/gen_policies.c):
	 * everything above but the cache points into the binary's read-only
	 * data (policy_free() frees the struct and the cache alone), and
	 * |prebuilt| holds the filters of the runs the compiler foresaw,
	 * each with the forced calls it was built for (filter.h).
	 */
	bool precompiled;
	const struct filter_prebuilt *prebuilt;
	size_t n_prebuilt;
};

/*
 * The shipped policy |name| as compiled at build time (the function is
 * generated by src/gen_policies.c; src/precompiled_none.c in a cross
 * build). Returns 1 with a new policy in |ret_policy| (policy_free()) and
 * the number of warnings its check gave (counted, not written) in
 * |ret_warnings|; 0 when the binary holds no such policy; -ENOMEM.
 */
int policy_precompiled_make(const char *name, struct policy **ret_policy,
			    unsigned int *ret_warnings);

struct filter_prebuilt;

/*
 * Write |p| (loaded, merged and checked; not an OCI profile) to |out| as C:
 * its arrays of numbers, templates of its structs with every pointer NULL,
 * and `static int ID_make(struct policy **)`, which copies them into one
 * allocation and sets the pointers: to those arrays, to string literals,
 * to the texts of its sources (the symbols embed.c gives the shipped ones,
 * sbx_shipped_text_NAME) and to the |n_prebuilt| filters ID_fK / ID_bK
 * the caller writes first (|prebuilt| gives their lengths). With
 * |compare|, a text for comparing two policies instead (no C, the texts
 * as hashes, no filters). Returns 0, -EINVAL for what cannot be emitted
 * (an OCI profile, a source that is not shipped), -ENOMEM or -EIO.
 */
int policy_emit(FILE *out, const struct policy *p, const char *id,
		const struct filter_prebuilt *prebuilt, size_t n_prebuilt, bool compare);

/* The outcome of reading a policy: how many problems of each kind. */
struct policy_report {
	unsigned int errors;
	unsigned int warnings;
	unsigned int precompiled; /* policies read as compiled at build time, not parsed */
};

/*
 * Read the policy |name|: a file, or a shipped policy ("default", "judge",
 * ...) when |name| has no '/' and does not end in ".json". Parses it, the
 * policies it extends, merges them and checks the result. Every problem goes
 * to |diag|, one line each: "file:line:column: json.path: [warning: ]message".
 * Returns 0 and a new policy in |ret_policy| (caller frees with
 * policy_free()) when there were no errors (warnings allowed); -EINVAL when
 * there were, -errno when a file could not be read, -ENOMEM. |ret_report|
 * may be NULL.
 */
int policy_load(const char *name, struct policy **ret_policy, struct strbuf *diag,
		struct policy_report *ret_report);

struct arch_desc; /* arch.h */

/* How policy_load_with() reads. */
struct policy_load_opts {
	/* An OCI profile's includes.caps / excludes.caps: these (1 << CAP_*), not none. */
	uint64_t oci_caps;
	/*
	 * Warnings are counted but not written to |diag| (a run that only
	 * shows errors): no suggestions looked for, no positions found. One
	 * is written all the same: a shipped policy's name that is also a
	 * file in the working directory (the shipped one is used).
	 */
	bool count_warnings_only;
	/*
	 * Parse a shipped policy even when the binary holds it compiled
	 * (tests comparing the two, the build-time compiler itself).
	 */
	bool no_precompiled;
	/*
	 * --check's portability lines: after the problems, |diag| gets one
	 * line per supported CPU that lacks names the policy writes (itself
	 * and what it extends; names written in rules, not group members):
	 * "SOURCE: absent on CPU: a, b, c" (sorted, each once). Not counted
	 * as problems. Parse shipped policies too (no_precompiled) to see them.
	 */
	bool list_absent;
	/*
	 * The CPU whose numbers the rules get (arch.h: &arch_x86_64,
	 * &arch_aarch64); NULL: the build's. Tests point it at the other
	 * CPU to read a policy as that CPU would; such a policy is for
	 * inspecting, never for running here, and is not linted (the checks
	 * compare with this CPU's numbers). An OCI profile is read for it
	 * too (its arches, archMap, includes/excludes arches), and its
	 * filter (filter_oci.c) built for it.
	 */
	const struct arch_desc *cpu;
};

/* policy_load() with |opts| (NULL: the defaults). */
int policy_load_with(const char *name, const struct policy_load_opts *opts,
		     struct policy **ret_policy, struct strbuf *diag,
		     struct policy_report *ret_report);

/*
 * |list| as a capability set for policy_load_opts.oci_caps: "none", "docker"
 * (Docker's default set: moby's oci/caps/defaults.go, Apache-2.0) or names
 * such as "CAP_CHOWN,CAP_KILL". Returns 0, or -EINVAL for a name libcap
 * does not know.
 */
int policy_oci_caps(const char *list, uint64_t *ret);

/* The same from |len| bytes of |text| named |source|; extends resolve from the cwd. */
int policy_parse(const char *source, const char *text, size_t len, struct policy **ret_policy,
		 struct strbuf *diag);

/*
 * The same without policy_lint(): for tests that feed the filter compiler
 * shapes a checked policy may not contain (shadowed rules, which extends
 * produces across files).
 */
int policy_parse_unchecked(const char *source, const char *text, size_t len,
			   struct policy **ret_policy, struct strbuf *diag);

void policy_free(struct policy *p);
/* Free what rule |r| owns and zero it. */
void policy_rule_clear(struct policy_rule *r);
void policy_fs_clear(struct policy_fs *fs);
void policy_net_clear(struct policy_net *net);
void policy_isolation_clear(struct policy_isolation *iso);

/*
 * Put |base|'s isolation under |own|: fields |own| leaves unset come from
 * |base|; mounts and masked paths add up (the base's first). |off| is added
 * to |base|'s source index. Takes what |base| owns. Returns 0 or -ENOMEM.
 */
int policy_isolation_merge(struct policy_isolation *own, struct policy_isolation *base,
			   unsigned int off);

/* Fill p->net_rule from p->net (after merging). */
void policy_make_net_rule(struct policy *p);

static inline void policy_freep(struct policy **p)
{
	policy_free(*p);
}
#define _cleanup_policy_ _cleanup_(policy_freep)

/* "allow", "errno", ... */
const char *policy_action_name(enum policy_action a);

/* True when the action can only be carried out at a ptrace stop. */
bool policy_verdict_needs_stop(const struct policy_verdict *v);

/*
 * Built-in rules come before every policy's own: they keep the supervisor
 * in control and no policy can override them.
 *
 *  0. clone with CLONE_UNTRACED: kill. Such a child is not auto-attached:
 *     it would run untraced, uncounted, and outlive the run.
 *  1. seccomp(SECCOMP_SET_MODE_FILTER) with SECCOMP_FILTER_FLAG_NEW_LISTENER:
 *     kill. A user-notification filter outranks SECCOMP_RET_TRACE, so the
 *     program could answer its own calls and skip every supervisor rule.
 *  2. clone3: fails with ENOSYS. Its flags are in memory, where a filter
 *     cannot see them (and CLONE_UNTRACED could hide); libc falls back to
 *     clone.
 */
#define POLICY_N_BUILTIN 3

/*
 * Rules in evaluation order: the built-in ones, then the policy's. The
 * network rule (from "network") applies after them: a socket() of a family
 * not allowed that the policy would let run fails with EACCES, reported
 * (socket and socketpair always stop when the policy has "network").
 */
size_t policy_rule_count(const struct policy *p);
const struct policy_rule *policy_rule(const struct policy *p, size_t i);

/* rule numbers policy_match() reports besides a policy rule's index */
#define POLICY_RULE_DEFAULT	  (-1)
#define POLICY_RULE_BUILTIN_FIRST (-100) /* built-in rule i is -100 - i */
#define POLICY_RULE_NETWORK	  (-50)	 /* the rule generated from "network" */

/* Why built-in rule |rule| (a POLICY_RULE_BUILTIN_FIRST - i value) exists. */
const char *policy_builtin_reason(int rule);

/*
 * Evaluate the policy for native syscall |nr| with raw |args|: the first rule
 * naming |nr| whose conditions all hold (built-in rules first), else the
 * default. Stores in |ret_rule| the policy rule's index in p->rules, or
 * POLICY_RULE_DEFAULT, or POLICY_RULE_BUILTIN_FIRST - i. This is the
 * reference semantics; the compiled filter must agree with it for every
 * call it decides itself.
 *
 * |counts| (policy_rule_count() entries, zeroed at the start of a run)
 * holds how often each count-limited rule has matched; it is updated. With
 * NULL, count-limited rules match as if never used.
 */
const struct policy_verdict *policy_match(const struct policy *p, int nr, const uint64_t args[6],
					  uint64_t *counts, int *ret_rule);

/*
 * The same for a sandbox that has (|own_netns|) its own network namespace:
 * "network" then restricts socket families to those a network namespace
 * confines (AF_UNIX, AF_INET, AF_INET6, AF_NETLINK), whatever it lists:
 * the namespace, with only a loopback, is what keeps the network off.
 */
const struct policy_verdict *policy_match_net(const struct policy *p, int nr,
					      const uint64_t args[6], uint64_t *counts,
					      bool own_netns, int *ret_rule);

/* The built-in rule that decides native |nr| with |args|, or NULL (then |ret_rule| is untouched).
 */
const struct policy_verdict *policy_match_builtin(int nr, const uint64_t args[6], int *ret_rule);

/* True when some rule naming |nr| is count-limited (its calls always stop). */
bool policy_counted(const struct policy *p, int nr);

/* Whether |r| lists native syscall |nr|. */
static inline bool policy_rule_names(const struct policy_rule *r, int nr)
{
	if (r->has_bits && nr >= 0 && nr < POLICY_NR_BITS)
		return r->bits[nr / 64] & (1ull << (nr % 64));
	for (size_t i = 0; i < r->n_syscalls; i++)
		if (r->syscalls[i] == nr)
			return true;
	return false;
}

/*
 * The indexes into p->rules of the rules that name native call |nr|, in
 * order; |*ret_n| of them (0 for a number no rule can name). The built-in
 * rules are not among them.
 */
const uint32_t *policy_rules_naming(const struct policy *p, int nr, size_t *ret_n);

/*
 * Fill p->naming_start and p->rules_naming: the loader, after merging, and
 * whoever changes p->rules after that. Returns 0 or -ENOMEM.
 */
int policy_index_rules(struct policy *p);

/* True when |c| holds for |arg|: unsigned, 64-bit, or the low c->narrow bits. */
bool policy_cond_holds(const struct policy_cond *c, uint64_t arg);

/*
 * |c| as it applies to native syscall |nr|. Where the kernel reads that
 * argument as a 32-bit value (an int, an fd, flags) or a 16-bit one
 * (umode_t), the rest of the register means nothing to it, so it must mean
 * nothing to the comparison either, or 0x100000002 would pass a rule about
 * fd 2 (the CVE-2019-7303 pattern): == and masked_eq become masked_eq on the
 * low bits, the other operators compare the low bits (|narrow|). The width
 * is the kernel's declared type (src/syscalls.tbl, syscall_arg_bits()).
 * Other arguments, and calls the table lacks, are kept.
 */
void policy_cond_for(const struct policy_cond *c, int nr, struct policy_cond *ret);

/* "rules[3].syscalls[1]" for syscall |k| of |r|, written into |buf| (|size| bytes); returns |buf|.
 */
const char *policy_rule_path(const struct policy_rule *r, size_t k, char *buf, size_t size);

#endif
