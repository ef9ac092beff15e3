/* SPDX-License-Identifier: MIT */
/*
 * isolate.h - the sandbox's own view of the system, planned in the
 * supervisor before clone(): which namespaces, the user namespace's id maps,
 * and the list of mount operations the init process (nsinit.c) carries out
 * to build the new root. Everything the init touches is in the plan; the
 * init itself allocates nothing.
 *
 * The new root, as bubblewrap builds one: a tmpfs of its own; the system
 * directories (/usr, /etc, /bin, /sbin, /lib*, /opt) bound read-only; a
 * fresh /proc (read-only /proc/sys) for the new PID namespace; /sys
 * read-only; a minimal /dev (null, zero, full, random, urandom, tty, a
 * private devpts, a private /dev/shm); a private /tmp; the working
 * directory bound at its own path; secrets masked. The host is reached
 * through /oldroot while the plan runs, then detached.
 */
#ifndef SBX_ISOLATE_H
#define SBX_ISOLATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy.h"
#include "sandbox.h"
#include "util.h"

enum mount_op_kind {
	MOP_DIR,      /* mkdir -p |dst| (existing directories are fine) */
	MOP_FILE,     /* an empty file at |dst|, a mount point for a file */
	MOP_SYMLINK,  /* |dst| -> |data| */
	MOP_BIND,     /* |src| (a path under /oldroot or /newroot) at |dst|, recursively */
	MOP_TREE,     /* the detached mount tree |tree| (an fd the supervisor sent) at |dst| */
	MOP_TMPFS,    /* a tmpfs at |dst| with options |data| */
	MOP_PROC,     /* a procfs of the new PID namespace at |dst| */
	MOP_DEVPTS,   /* a new devpts instance at |dst| */
	MOP_MASK,     /* an empty unreadable file or directory over |dst| */
	MOP_READONLY, /* make the mount at |dst| read-only (that mount only) */
	MOP_WRITE,    /* write |data| to the file |dst| (a sysctl of our own namespaces) */
};

struct mount_op {
	enum mount_op_kind kind;
	const char *src;
	const char *dst; /* full path under /newroot (MOP_WRITE: under /newroot/proc) */
	const char *data;
	uint64_t attr;	  /* MOUNT_ATTR_* set recursively after MOP_BIND / MOP_TMPFS */
	int tree;	  /* MOP_TREE: index in the fds sent with the go message */
	bool optional;	  /* a failure is not an error (what it concerns may be absent) */
	const char *what; /* the path as the program sees it, for messages */
};

#define ISOLATE_MAX_TREES  16
#define ISOLATE_MAX_GRANTS 32

/* A Landlock grant the init adds to the isolation layer (inside paths). */
struct ll_grant {
	const char *path;
	uint64_t rights;
};

struct isolation_plan {
	enum sbx_isolation mode;
	unsigned int namespaces; /* SBX_NS_* */
	int clone_flags;	 /* CLONE_NEW* for the init's clone() */

	/* User namespace: written by the supervisor into /proc/INIT/{uid,gid}_map. */
	char *uid_map, *gid_map;
	bool deny_setgroups; /* an unprivileged supervisor must deny setgroups first */
	uid_t uid, host_uid; /* the program's id inside, and as the host sees it */
	gid_t gid, host_gid;
	bool init_setgroups; /* the init may call setgroups(0, NULL) */
	bool privileged;     /* root of the initial user namespace: any map, idmapped mounts */

	const char *base; /* a host directory the staging tmpfs covers ("/tmp") */
	struct mount_op *ops;
	size_t n_ops, cap_ops;

	/* Mount trees the supervisor builds after clone() (idmapped writable binds). */
	struct {
		char *source; /* host path */
		bool read_only;
		bool idmap; /* through the sandbox's user namespace (a root caller's writable bind)
			     */
	} trees[ISOLATE_MAX_TREES];
	size_t n_trees;

	/* The isolation layer of Landlock, built by the init after the pivot. */
	int landlock_abi;
	uint64_t ll_handled;
	uint64_t ll_scoped;
	struct ll_grant grants[ISOLATE_MAX_GRANTS];
	size_t n_grants;

	const char *program; /* the program's path inside */
	char *workdir;	     /* the working directory inside; NULL: "/" (not visible) */
	bool workdir_rw;
	bool workdir_private;	 /* it is the sandbox's own /tmp or /dev/shm, not the host's */
	const char *workdir_why; /* why it is not the host's directory, writable; or NULL */
	char *home;		 /* HOME inside */
	bool host_writable;	 /* a host directory is bound writable (the workdir, a --bind) */
	bool unshare_net; /* the init makes the network namespace itself (not in clone_flags) */
	bool net_up;	  /* bring the loopback up in the new network namespace */
	const char *hostname;

	const char *tmpfs[ISOLATE_MAX_GRANTS]; /* the writable tmpfs mounts (paths inside) */
	size_t n_tmpfs;

	char **owned; /* every string the ops point to */
	size_t n_owned, cap_owned;
};

/* The inputs of a plan: the merged settings of the policy and the caller. */
struct isolation_request {
	enum sbx_isolation mode;
	unsigned int namespaces;
	enum sbx_workdir workdir;
	uint64_t tmp_size, shm_size;
	const struct policy_mount *policy_mounts; /* not owned */
	size_t n_policy_mounts;
	const struct sbx_mount *mounts; /* not owned */
	size_t n_mounts;
	char *const *masked; /* the policy's */
	size_t n_masked;
	const char *const *more_masked; /* the caller's */
	size_t n_more_masked;
	bool want_netns; /* the policy's network is "off" and the net namespace is wanted */
	const char *cwd; /* the working directory (host path, canonical) */
	const char *user, *group; /* --user, --group (root only) */
	const gid_t *groups;	  /* the user's supplementary groups */
	size_t n_groups;
	uid_t user_uid; /* resolved --user */
	gid_t user_gid;
	bool have_user; /* --user or --group given */
};

/*
 * The system directory (/usr, /etc, /bin, /sbin, /lib*, /opt) that |path|
 * (absolute, canonical) is or is beneath, or NULL: a working directory
 * there is shown read-only unless the caller binds it.
 */
const char *isolate_system_dir_of(const char *path);

/*
 * Build |plan| from |req|. Returns 0, or -errno with |why| telling what is
 * wrong (a source that does not exist, a relative destination, ...).
 */
int isolate_plan(const struct isolation_request *req, struct isolation_plan *plan,
		 struct strbuf *why);

void isolate_plan_free(struct isolation_plan *plan);

/* Where the sandbox shows |host| (a canonical host path), or NULL when it hides it. */
const char *isolate_visible(struct isolation_plan *plan, const char *host);

/*
 * Make the program at |program| (relative ones from |cwd|) visible, and
 * set plan->program to the path the init's child execs: where the sandbox
 * shows it, else its file alone bound read-only at its own path. Returns
 * 0 or -errno with |why|.
 */
int isolate_add_program(struct isolation_plan *plan, const char *program, const char *cwd,
			struct strbuf *why);

/*
 * After clone(): write |pid|'s id maps. Returns 0 or -errno (|why| says
 * which file).
 */
int isolate_write_maps(const struct isolation_plan *plan, pid_t pid, struct strbuf *why);

/*
 * After the maps: the detached mount trees the init will attach (the
 * writable binds of a root supervisor, idmapped so the host's owner of the
 * files is the program inside). Stores up to ISOLATE_MAX_TREES fds in
 * |fds|. Returns the count, or -errno with |why|.
 */
int isolate_make_trees(const struct isolation_plan *plan, pid_t pid, int *fds, struct strbuf *why);

/*
 * Why clone() with |flags| failed with |err|: the kernel setting, the
 * container profile or the limit that refused it, and what the caller can
 * do. Appended to |out|.
 */
void isolate_explain_failure(int flags, int err, struct strbuf *out);

/* "binding /usr read-only", "mounting a tmpfs on /tmp", ... into |buf| (|size| bytes); returns
 * |buf|. */
const char *isolate_describe_op(const struct mount_op *op, char *buf, size_t size);

/* "user,pid,mount,..." for |namespaces| (SBX_NS_* bits). */
void isolate_namespace_names(unsigned int namespaces, struct strbuf *out);

#endif
