/* SPDX-License-Identifier: MIT */
/*
 * isolate.c - plans the sandbox's view of the system (isolate.h) in the
 * supervisor, and does the supervisor's part after clone(): the id maps
 * and the idmapped mount trees. The init's part is nsinit.c.
 *
 * Identities. The program never runs as root of the host:
 *
 *   caller          inside uid          host uid   maps
 *   unprivileged U  U                   U          "U U 1" (setgroups denied)
 *   root            owner of the        65534      "O 65534 1"
 *                   working directory O
 *   root, --user X  X                   X          "X X 1" (+ X's groups)
 *
 * A root caller's program is the unprivileged host user 65534 ("nobody",
 * the kernel's overflow id, which owns no file on a Debian system). To let
 * it write the working directory of its owner O, that directory is bound
 * through an idmapped mount (Linux 5.12) that shows O's files as the
 * program's own and writes new ones as O: the build writes files the
 * caller owns, and nothing else on the host is the program's.
 */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"
#include "paths.h"

#define NOBODY 65534

/* --- the plan's memory --------------------------------------------------------- */

static char *keep(struct isolation_plan *p, char *s)
{
	char **grown;

	if (!s)
		return NULL;
	if (p->n_owned == p->cap_owned) {
		size_t cap = p->cap_owned ? 2 * p->cap_owned : 64;

		grown = realloc(p->owned, cap * sizeof(*grown));
		if (!grown) {
			free(s);
			return NULL;
		}
		p->owned = grown;
		p->cap_owned = cap;
	}
	p->owned[p->n_owned++] = s;
	return s;
}

static char *own(struct isolation_plan *p, const char *fmt, ...) _printf_(2, 3);

static char *own(struct isolation_plan *p, const char *fmt, ...)
{
	struct strbuf sb = {0};
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (strbuf_failed(&sb)) {
		strbuf_free(&sb);
		return NULL;
	}
	return keep(p, strbuf_steal(&sb));
}

/* "/newroot" + |path|; "/" becomes "/newroot". */
static char *inside(struct isolation_plan *p, const char *path)
{
	return own(p, "/newroot%s", strcmp(path, "/") ? path : "");
}

static char *outside(struct isolation_plan *p, const char *path)
{
	return own(p, "/oldroot%s", strcmp(path, "/") ? path : "");
}

static struct mount_op *add_op(struct isolation_plan *p, enum mount_op_kind kind, const char *what)
{
	struct mount_op *grown;

	if (p->n_ops == p->cap_ops) {
		size_t cap = p->cap_ops ? 2 * p->cap_ops : 64;

		grown = realloc(p->ops, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		p->ops = grown;
		p->cap_ops = cap;
	}
	p->ops[p->n_ops] = (struct mount_op){.kind = kind, .what = what, .tree = -1};
	return &p->ops[p->n_ops++];
}

/* One op on |path| (inside); -ENOMEM when anything failed to allocate. */
static int op(struct isolation_plan *p, enum mount_op_kind kind, const char *path, const char *src,
	      const char *data, uint64_t attr, bool optional)
{
	const char *what = own(p, "%s", path);
	struct mount_op *o = what ? add_op(p, kind, what) : NULL;

	if (!o)
		return -ENOMEM;
	o->dst = inside(p, path);
	o->src = src;
	o->data = data;
	o->attr = attr;
	o->optional = optional;
	/* The writable tmpfs mounts hold memory the program may fill: measured. */
	if (kind == MOP_TMPFS && !(attr & MOUNT_ATTR_RDONLY) && strcmp(path, "/dev") != 0 &&
	    p->n_tmpfs < ARRAY_SIZE(p->tmpfs))
		p->tmpfs[p->n_tmpfs++] = what;
	return o->dst ? 0 : -ENOMEM;
}

void isolate_plan_free(struct isolation_plan *p)
{
	for (size_t i = 0; i < p->n_owned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->ops);
	for (size_t i = 0; i < p->n_trees; i++)
		free(p->trees[i].source);
	free(p->uid_map);
	free(p->gid_map);
	*p = (struct isolation_plan){0};
}

/* --- what is visible where ------------------------------------------------------ */

/* The read-only system directories, bound at their own paths (or copied as symlinks). */
static const char *const system_dirs[] = {"/usr",   "/etc",   "/bin",	 "/sbin", "/lib",
					  "/lib32", "/lib64", "/libx32", "/opt"};

/* Secrets every run masks (runc masks the /proc ones too). */
static const char *const default_masked[] = {
	"/etc/shadow",	       "/etc/gshadow", "/etc/shadow-",	      "/etc/gshadow-",
	"/proc/kcore",	       "/proc/keys",   "/proc/timer_list",    "/proc/sched_debug",
	"/proc/acpi",	       "/proc/scsi",   "/proc/latency_stats", "/sys/firmware",
	"/proc/sysrq-trigger",
};

static const char *const readonly_proc[] = {"/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq"};

static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};

static bool is_system_dir(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_dirs); i++)
		if (strcmp(path, system_dirs[i]) == 0)
			return true;
	return false;
}

/* A path the program must not be handed writable: "/" and the system directories. */
static bool too_wide(const char *path)
{
	return strcmp(path, "/") == 0 || is_system_dir(path);
}

static int add_system(struct isolation_plan *p)
{
	uint64_t ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	int r = 0;

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(system_dirs); i++) {
		const char *d = system_dirs[i];
		char target[PATH_MAX];
		struct stat st;
		ssize_t n;

		if (lstat(d, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			/* Merged /usr: /bin -> usr/bin, as on the host. */
			n = readlink(d, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			r = op(p, MOP_SYMLINK, d, NULL, own(p, "%s", target), 0, false);
		} else if (S_ISDIR(st.st_mode)) {
			r = op(p, MOP_DIR, d, NULL, NULL, 0, false);
			if (r == 0)
				r = op(p, MOP_BIND, d, outside(p, d), NULL, ro, false);
		}
	}
	return r;
}

static int add_proc_sys_dev(struct isolation_plan *p, uint64_t shm_size)
{
	uint64_t dev_attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
	int r = op(p, MOP_DIR, "/proc", NULL, NULL, 0, false);

	r = r ?: op(p, MOP_PROC, "/proc", NULL, NULL, 0, false);
	/*
	 * Our own IPC and PID namespaces' settings, before /proc/sys turns
	 * read-only: System V segments no process has attached are removed
	 * (nothing is held outside every process's memory), and memfds can
	 * never be executed (no fileless exec; Linux 6.3; only where the
	 * sandbox's root is the host's, else the supervisor sees to it).
	 */
	r = r ?: op(p, MOP_WRITE, "/proc/sys/kernel/shm_rmid_forced", NULL, "1", 0, true);
	r = r ?: op(p, MOP_WRITE, "/proc/sys/vm/memfd_noexec", NULL, "2", 0, true);
	/*
	 * No user namespace below ours (bubblewrap's --disable-userns): a
	 * nested one would give the program every capability over what it
	 * creates there, and the kernel code those capabilities reach.
	 */
	r = r ?: op(p, MOP_WRITE, "/proc/sys/user/max_user_namespaces", NULL, "0", 0, true);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(readonly_proc); i++) {
		const char *d = readonly_proc[i];

		r = op(p, MOP_BIND, d, inside(p, d), NULL, MOUNT_ATTR_RDONLY, true);
	}
	r = r ?: op(p, MOP_DIR, "/sys", NULL, NULL, 0, false);
	r = r
		    ?: op(p, MOP_BIND, "/sys", outside(p, "/sys"), NULL,
			  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				  MOUNT_ATTR_NOEXEC,
			  true);

	r = r ?: op(p, MOP_DIR, "/dev", NULL, NULL, 0, false);
	r = r ?: op(p, MOP_TMPFS, "/dev", NULL, "mode=0755,size=64k", dev_attr, false);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(dev_nodes); i++) {
		const char *node = own(p, "/dev/%s", dev_nodes[i]);

		if (!node)
			return -ENOMEM;
		r = op(p, MOP_FILE, node, NULL, NULL, 0, false);
		r = r ?: op(p, MOP_BIND, node, outside(p, node), NULL, 0, true);
	}
	r = r ?: op(p, MOP_DIR, "/dev/pts", NULL, NULL, 0, false);
	r = r
		    ?: op(p, MOP_DEVPTS, "/dev/pts", NULL, "newinstance,ptmxmode=0666,mode=0620", 0,
			  false);
	r = r ?: op(p, MOP_SYMLINK, "/dev/ptmx", NULL, "pts/ptmx", 0, false);
	r = r ?: op(p, MOP_SYMLINK, "/dev/fd", NULL, "/proc/self/fd", 0, false);
	r = r ?: op(p, MOP_SYMLINK, "/dev/stdin", NULL, "/proc/self/fd/0", 0, false);
	r = r ?: op(p, MOP_SYMLINK, "/dev/stdout", NULL, "/proc/self/fd/1", 0, false);
	r = r ?: op(p, MOP_SYMLINK, "/dev/stderr", NULL, "/proc/self/fd/2", 0, false);
	r = r ?: op(p, MOP_DIR, "/dev/shm", NULL, NULL, 0, false);
	r = r
		    ?: op(p, MOP_TMPFS, "/dev/shm", NULL,
			  own(p, "mode=1777,size=%llu", (unsigned long long)shm_size),
			  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, false);
	return r ?: op(p, MOP_READONLY, "/dev", NULL, NULL, 0, false);
}

static int add_tmp(struct isolation_plan *p, uint64_t tmp_size)
{
	int r = op(p, MOP_DIR, "/tmp", NULL, NULL, 0, false);

	r = r
		    ?: op(p, MOP_TMPFS, "/tmp", NULL,
			  own(p, "mode=1777,size=%llu", (unsigned long long)tmp_size),
			  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false);
	r = r ?: op(p, MOP_DIR, "/var", NULL, NULL, 0, false);
	return r ?: op(p, MOP_SYMLINK, "/var/tmp", NULL, "/tmp", 0, false);
}

/* --- binds, tmpfs mounts and masks of the caller and the policy -------------------- */

/* One mount the caller or the policy asked for, made concrete. */
struct extra {
	enum policy_mount_type type;
	char *source; /* canonical host path (binds) */
	const char *destination;
	bool read_only;
	uint64_t size;
	bool workdir;
	size_t order; /* as given: the tie-break of equal depths (qsort is not stable) */
};

static size_t depth(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/' && path[1];
	return n;
}

static int by_depth(const void *a, const void *b)
{
	size_t da = depth(((const struct extra *)a)->destination);
	size_t db = depth(((const struct extra *)b)->destination);

	if (da != db)
		return da < db ? -1 : 1;
	return ((const struct extra *)a)->order < ((const struct extra *)b)->order ? -1 : 1;
}

/*
 * |path| made absolute from |cwd| and canonical (it must exist), reached
 * through no symbolic link (one the program planted in a directory it
 * wrote must not choose what is bound): malloc'd, or NULL with errno.
 */
static char *host_path(const char *path, const char *cwd)
{
	char joined[PATH_MAX], real[PATH_MAX];
	int r;

	if (snprintf(joined, sizeof(joined), "%s%s%s", *path == '/' ? "" : cwd,
		     *path == '/' ? "" : "/", path) >= (int)sizeof(joined)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	r = path_real_nofollow(joined, real);
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	return xstrdup(real);
}

/* An absolute path with no "." or ".." component, and not "/" itself. */
static bool good_destination(const char *path)
{
	size_t len = strlen(path);

	if (path[0] != '/' || len < 2 || strstr(path, "/../") || strstr(path, "/./"))
		return false;
	return !(len >= 3 && strcmp(path + len - 3, "/..") == 0) &&
	       !(len >= 2 && strcmp(path + len - 2, "/.") == 0);
}

static int gather(const struct isolation_request *req, struct extra *ex, size_t *n,
		  struct strbuf *why)
{
	for (size_t i = 0; i < req->n_policy_mounts + req->n_mounts; i++) {
		struct extra e = {0};
		bool from_policy = i < req->n_policy_mounts;

		if (from_policy) {
			const struct policy_mount *m = &req->policy_mounts[i];

			e = (struct extra){m->type, NULL, m->destination, m->read_only, m->size};
			if (m->source)
				e.source = host_path(m->source, req->cwd);
			if (m->source && !e.source)
				goto no_source;
		} else {
			const struct sbx_mount *m = &req->mounts[i - req->n_policy_mounts];

			e.type =
				m->type == SBX_MOUNT_TMPFS ? POLICY_MOUNT_TMPFS : POLICY_MOUNT_BIND;
			e.read_only = m->type == SBX_MOUNT_RO_BIND;
			e.size = m->size;
			if (e.type == POLICY_MOUNT_BIND) {
				e.source = host_path(m->source, req->cwd);
				if (!e.source)
					goto no_source;
			}
			e.destination = m->destination ? m->destination : e.source;
		}
		if (!e.destination || !good_destination(e.destination)) {
			strbuf_printf(why,
				      "mount destination %s: expected an absolute path below / "
				      "with no . or .. in it",
				      e.destination ? e.destination : "(none)");
			free(e.source);
			return -EINVAL;
		}
		if (e.type == POLICY_MOUNT_BIND && !e.read_only && too_wide(e.source)) {
			strbuf_printf(why,
				      "refusing a writable bind of %s: it would hand the program "
				      "the system (bind it read-only)",
				      e.source);
			free(e.source);
			return -EINVAL;
		}
		ex[(*n)++] = e;
		continue;
no_source:
		strbuf_printf(why, "mount source %s: %s",
			      from_policy ? req->policy_mounts[i].source
					  : req->mounts[i - req->n_policy_mounts].source,
			      errno == ELOOP ? "a symbolic link on the way, which a sandboxed "
					       "program may have planted (give the real path)"
					     : strerror(errno));
		return -errno;
	}
	return 0;
}

const char *isolate_system_dir_of(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_dirs); i++)
		if (path_beneath(path, system_dirs[i]))
			return system_dirs[i];
	return NULL;
}

/* Places the sandbox has its own of: a working directory there is that one. */
static const char *const private_dirs[] = {"/tmp", "/var/tmp", "/dev/shm"};

/* Trees the sandbox shows its own way, or not at all: a working directory there is not shown. */
static const char *const kept_trees[] = {"/proc", "/sys", "/dev", "/run", "/var/run"};

/*
 * The working directory: bound at its own path, read-write unless asked.
 * A bind or tmpfs the caller gave at the same path is the working
 * directory. Unless the caller binds it: a piece of the system is shown
 * read-only (running from /usr/src/x is not a reason to hand over a piece
 * of /usr); /tmp, /var/tmp and /dev/shm are the sandbox's private ones (the
 * host's hold other users' sockets and files); in /proc, /sys, /dev or
 * /run the program starts in "/". |why| says so, for the caller.
 */
static void add_workdir(const struct isolation_request *req, struct extra *ex, size_t *n,
			struct isolation_plan *p)
{
	bool rw = req->workdir != SBX_WORKDIR_RO;
	const char *cwd = req->cwd, *sys;

	p->workdir = NULL;
	if (req->workdir == SBX_WORKDIR_NONE || strcmp(cwd, "/") == 0)
		return;
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(ex[i].destination, cwd) == 0) {
			p->workdir = own(p, "%s", cwd);
			p->workdir_rw = !ex[i].read_only;
			return;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(private_dirs); i++) {
		if (strcmp(cwd, private_dirs[i]) == 0) {
			p->workdir =
				own(p, "%s", strcmp(cwd, "/dev/shm") == 0 ? "/dev/shm" : "/tmp");
			p->workdir_rw = rw;
			p->workdir_private = true;
			p->workdir_why =
				own(p,
				    "the working directory %s is the sandbox's private %s "
				    "(the host's is not shown); --bind %s %s hands it over",
				    cwd, p->workdir, cwd, cwd);
			return;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(kept_trees); i++) {
		if (path_beneath(cwd, kept_trees[i])) {
			p->workdir_why =
				own(p,
				    "the working directory %s is not shown (the sandbox "
				    "does not show the host's %s): the program starts in /",
				    cwd, kept_trees[i]);
			return;
		}
	}
	sys = isolate_system_dir_of(cwd);
	if (rw && sys) {
		rw = false;
		p->workdir_why = own(p,
				     "the working directory %s is part of the system (%s): shown "
				     "read-only; --bind %s %s hands it over writable",
				     cwd, sys, cwd, cwd);
	}
	ex[(*n)++] = (struct extra){.type = POLICY_MOUNT_BIND,
				    .source = xstrdup(cwd),
				    .destination = cwd,
				    .read_only = !rw,
				    .workdir = true};
	p->workdir = own(p, "%s", cwd);
	p->workdir_rw = rw;
}

static int add_grant(struct isolation_plan *p, const char *path, uint64_t rights)
{
	if (p->n_grants == ISOLATE_MAX_GRANTS)
		return -E2BIG;
	p->grants[p->n_grants++] = (struct ll_grant){path, rights};
	return 0;
}

static int add_tree(struct isolation_plan *p, const char *path, const char *source, bool idmap,
		    bool read_only);

/* A writable bind: a plain bind for an unprivileged caller, an idmapped tree for root. */
static int add_bind(struct isolation_plan *p, const struct extra *e, bool idmap)
{
	uint64_t attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	int r = op(p, MOP_DIR, e->destination, NULL, NULL, 0, false);
	struct stat st;

	if (r == 0 && stat(e->source, &st) == 0 && !S_ISDIR(st.st_mode)) {
		/* A file: its mount point is a file (the directory op made its parents). */
		p->ops[p->n_ops - 1].kind = MOP_FILE;
	}
	if (r < 0)
		return r;
	if (e->read_only)
		return op(p, MOP_BIND, e->destination, outside(p, e->source), NULL,
			  attr | MOUNT_ATTR_RDONLY, false);
	p->host_writable = true;
	r = add_grant(p, p->ops[p->n_ops - 1].dst + strlen("/newroot"),
		      ~(uint64_t)0 /* cut to the handled rights by the init */);
	if (r < 0)
		return r;
	if (!idmap)
		return op(p, MOP_BIND, e->destination, outside(p, e->source), NULL, attr, false);
	return add_tree(p, e->destination, e->source, true, false);
}

static int add_extras(const struct isolation_request *req, struct isolation_plan *p,
		      struct strbuf *why)
{
	size_t max = req->n_policy_mounts + req->n_mounts + 1, n = 0;
	struct extra *ex = calloc(max, sizeof(*ex));
	/* Root's program is the host's nobody: writable binds show their owner's files as its own.
	 */
	bool idmap = p->privileged && !(req->have_user && req->user_uid != 0);
	int r;

	if (!ex)
		return -ENOMEM;
	r = gather(req, ex, &n, why);
	if (r == 0)
		add_workdir(req, ex, &n, p);
	/* Parents before children: a bind under a tmpfs comes after the tmpfs. */
	for (size_t i = 0; i < n; i++)
		ex[i].order = i;
	qsort(ex, n, sizeof(*ex), by_depth);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (ex[i].type == POLICY_MOUNT_TMPFS) {
			r = op(p, MOP_DIR, ex[i].destination, NULL, NULL, 0, false);
			r = r
				    ?: op(p, MOP_TMPFS, ex[i].destination, NULL,
					  own(p, "mode=1777,size=%llu",
					      (unsigned long long)(ex[i].size ? ex[i].size
									      : 64ULL << 20)),
					  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
						  (ex[i].read_only ? MOUNT_ATTR_RDONLY : 0),
					  false);
			if (r == 0 && !ex[i].read_only)
				r = add_grant(p, p->ops[p->n_ops - 1].dst + strlen("/newroot"),
					      ~(uint64_t)0);
		} else if (!ex[i].source) {
			r = -ENOMEM;
		} else {
			r = add_bind(p, &ex[i], idmap);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(ex[i].source);
	free(ex);
	if (r == -E2BIG)
		strbuf_printf(why, "too many writable mounts (at most %d)",
			      ISOLATE_MAX_TREES < ISOLATE_MAX_GRANTS ? ISOLATE_MAX_TREES
								     : ISOLATE_MAX_GRANTS);
	return r;
}

static int add_masks(const struct isolation_request *req, struct isolation_plan *p)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(default_masked); i++)
		r = op(p, MOP_MASK, default_masked[i], NULL, NULL, 0, true);
	for (size_t i = 0; r == 0 && i < req->n_masked; i++)
		r = op(p, MOP_MASK, req->masked[i], NULL, NULL, 0, true);
	for (size_t i = 0; r == 0 && i < req->n_more_masked; i++)
		r = op(p, MOP_MASK, req->more_masked[i], NULL, NULL, 0, true);
	return r;
}

/*
 * Where |host| (canonical) appears inside: through the last bind whose
 * source holds it, unless a later tmpfs or mask covers that place.
 * Returns a new string, or NULL when it is not visible.
 */
static const char *visible_at(struct isolation_plan *p, const char *host)
{
	const char *found = NULL;
	size_t at = 0;

	for (size_t i = 0; i < p->n_ops; i++) {
		const struct mount_op *o = &p->ops[i];
		const char *src = NULL;

		if (o->kind == MOP_BIND && o->src && strncmp(o->src, "/oldroot", 8) == 0)
			src = *(o->src + 8) ? o->src + 8 : "/";
		else if (o->kind == MOP_TREE)
			src = p->trees[o->tree].source;
		if (src && path_beneath(host, src)) {
			const char *rest = host + (strcmp(src, "/") ? strlen(src) : 0);

			found = own(p, "%s%s", strcmp(o->what, "/") ? o->what : "", rest);
			at = i;
		}
	}
	for (size_t i = at + 1; found && i < p->n_ops; i++) {
		const struct mount_op *o = &p->ops[i];

		if ((o->kind == MOP_TMPFS || o->kind == MOP_MASK) && path_beneath(found, o->what))
			found = NULL;
	}
	return found;
}

const char *isolate_visible(struct isolation_plan *p, const char *host)
{
	return visible_at(p, host);
}

/* An extra tree for the supervisor to open (and, |idmap|, map) before the init attaches it. */
static int add_tree(struct isolation_plan *p, const char *path, const char *source, bool idmap,
		    bool read_only)
{
	int r;

	if (p->n_trees == ISOLATE_MAX_TREES)
		return -E2BIG;
	r = op(p, MOP_TREE, path, NULL, NULL, 0, false);
	if (r < 0)
		return r;
	p->ops[p->n_ops - 1].tree = (int)p->n_trees;
	p->trees[p->n_trees].source = xstrdup(source);
	p->trees[p->n_trees].read_only = read_only;
	p->trees[p->n_trees++].idmap = idmap;
	return p->trees[p->n_trees - 1].source ? 0 : -ENOMEM;
}

int isolate_add_program(struct isolation_plan *p, const char *program, const char *cwd,
			struct strbuf *why)
{
	char real[PATH_MAX], joined[PATH_MAX];
	int r;

	if (snprintf(joined, sizeof(joined), "%s%s%s", program[0] == '/' ? "" : cwd,
		     program[0] == '/' ? "" : "/", program) >= (int)sizeof(joined) ||
	    !realpath(joined, real)) {
		strbuf_printf(why, "%s: %s", program, strerror(errno));
		return -errno;
	}
	p->program = visible_at(p, real);
	if (p->program) {
		/* A relative path keeps working from the working directory. */
		if (program[0] != '/' && p->workdir)
			p->program = own(p, "%s", program);
		return p->program ? 0 : -ENOMEM;
	}
	/* Shown alone only when reached through no link the program may have planted. */
	r = path_real_nofollow(joined, real);
	if (r < 0) {
		strbuf_printf(why, "%s: %s", program,
			      r == -ELOOP ? "a symbolic link on the way to a file the sandbox "
					    "does not show (give the real path, or --ro-bind it)"
					  : strerror(-r));
		return r;
	}
	/*
	 * Not visible: its file alone, read-only, at its own path. A root
	 * supervisor opens it (open_tree needs CAP_SYS_ADMIN), so directories
	 * on the way that the program's user (the host's nobody) may not
	 * enter do not matter; an unprivileged caller's init binds it as the
	 * caller.
	 */
	r = op(p, MOP_FILE, real, NULL, NULL, 0, false);
	if (r == 0 && p->privileged)
		r = add_tree(p, real, real, false, true);
	else if (r == 0)
		r = op(p, MOP_BIND, real, outside(p, real), NULL,
		       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false);
	p->program = own(p, "%s", real);
	return r ?: (p->program ? 0 : -ENOMEM);
}

/* --- identities ----------------------------------------------------------------- */

static int plan_ids(const struct isolation_request *req, struct isolation_plan *p)
{
	struct strbuf gmap = {0};
	struct stat st;

	if (!p->privileged) {
		/* The only mapping an unprivileged caller may write: itself. */
		p->uid = p->host_uid = geteuid();
		p->gid = p->host_gid = getegid();
		p->deny_setgroups = true;
	} else if (req->have_user && req->user_uid != 0) {
		p->uid = p->host_uid = req->user_uid;
		p->gid = p->host_gid = req->user_gid;
		p->init_setgroups = true;
	} else {
		/* Root without --user: the working directory's owner, as the host's nobody. */
		p->uid = p->gid = 0;
		if (p->workdir && p->workdir_rw && !p->workdir_private &&
		    stat(req->cwd, &st) == 0) {
			p->uid = st.st_uid;
			p->gid = st.st_gid;
		}
		if (req->group)
			p->gid = req->user_gid;
		p->host_uid = NOBODY;
		p->host_gid = NOBODY;
		p->init_setgroups = true;
	}
	p->uid_map = NULL;
	if (asprintf(&p->uid_map, "%u %u 1\n", (unsigned)p->uid, (unsigned)p->host_uid) < 0) {
		p->uid_map = NULL;
		return -ENOMEM;
	}
	strbuf_printf(&gmap, "%u %u 1\n", (unsigned)p->gid, (unsigned)p->host_gid);
	/* --user's supplementary groups, each mapped to itself (the kernel takes 340 lines). */
	for (size_t i = 0; p->host_uid == p->uid && p->privileged && i < req->n_groups && i < 300;
	     i++) {
		bool dup = req->groups[i] == p->gid;

		for (size_t k = 0; k < i; k++)
			dup = dup || req->groups[k] == req->groups[i];
		if (!dup)
			strbuf_printf(&gmap, "%u %u 1\n", (unsigned)req->groups[i],
				      (unsigned)req->groups[i]);
	}
	if (strbuf_failed(&gmap)) {
		strbuf_free(&gmap);
		return -ENOMEM;
	}
	p->gid_map = strbuf_steal(&gmap);
	return 0;
}

/* --- Landlock: the second layer ------------------------------------------------- */

/*
 * The isolation layer handles the rights that change files (reads are the
 * mounts' business) and, from ABI 6, scopes abstract unix sockets and
 * signals to the sandbox: the writable places are all that is granted.
 */
static int plan_landlock(struct isolation_plan *p)
{
	int abi = landlock_abi();
	int r = 0;

	p->landlock_abi = abi;
	if (abi <= 0)
		return 0;
	p->ll_handled = LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR |
			LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO |
			LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM;
	if (abi >= 2)
		p->ll_handled |= LL_FS_REFER;
	if (abi >= 3)
		p->ll_handled |= LL_FS_TRUNCATE;
	if (abi >= 5)
		p->ll_handled |= LL_FS_IOCTL_DEV;
	if (abi >= 6)
		p->ll_scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
	/* /dev's writable nodes and terminals, and the program's own /proc files. */
	r = r ?: add_grant(p, "/tmp", ~(uint64_t)0);
	r = r ?: add_grant(p, "/dev", ~(uint64_t)0);
	return r ?: add_grant(p, "/proc", ~(uint64_t)0);
}

/* --- the plan --------------------------------------------------------------------- */

/*
 * Root of the initial user namespace: it may map any id and make idmapped
 * mounts. Root inside a container's user namespace (rootless podman) maps
 * itself only, as an unprivileged caller does.
 */
static bool privileged(void)
{
	char map[128] = "";
	unsigned long inside, outside, count;
	int fd;
	ssize_t n;

	if (geteuid() != 0)
		return false;
	fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, map, sizeof(map) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	map[n] = '\0';
	return sscanf(map, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0 &&
	       outside == 0 && count == 4294967295UL && !strchr(map, '\n')[1];
}

static const char *pick_base(void)
{
	static const char *const bases[] = {"/tmp", "/mnt", "/var/tmp", "/dev"};
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(bases); i++)
		if (lstat(bases[i], &st) == 0 && S_ISDIR(st.st_mode))
			return bases[i];
	return "/";
}

static int clone_flags(unsigned int ns)
{
	int f = 0;

	f |= ns & SBX_NS_USER ? CLONE_NEWUSER : 0;
	f |= ns & SBX_NS_PID ? CLONE_NEWPID : 0;
	f |= ns & SBX_NS_MOUNT ? CLONE_NEWNS : 0;
	f |= ns & SBX_NS_IPC ? CLONE_NEWIPC : 0;
	f |= ns & SBX_NS_UTS ? CLONE_NEWUTS : 0;
	f |= ns & SBX_NS_CGROUP ? CLONE_NEWCGROUP : 0;
	/*
	 * Not CLONE_NEWNET: a network namespace costs the kernel about 0.5 ms
	 * (docs/performance.md), which the init spends itself, right after
	 * clone(), while the supervisor writes its id maps (unshare_net).
	 */
	return f;
}

int isolate_plan(const struct isolation_request *req, struct isolation_plan *p, struct strbuf *why)
{
	uint64_t tmp = req->tmp_size ? req->tmp_size : 256ULL << 20;
	uint64_t shm = req->shm_size ? req->shm_size : 64ULL << 20;
	int r;

	*p = (struct isolation_plan){.mode = SBX_ISOLATION_NAMESPACES, .privileged = privileged()};
	p->namespaces = req->namespaces ? req->namespaces : POLICY_NS_ALL;
	if (!req->want_netns)
		p->namespaces &= ~SBX_NS_NET;
	p->clone_flags = clone_flags(p->namespaces);
	p->unshare_net = p->namespaces & SBX_NS_NET;
	p->net_up = p->namespaces & SBX_NS_NET;
	p->hostname = p->namespaces & SBX_NS_UTS ? "sandbox" : NULL;
	p->base = pick_base();
	r = add_system(p);
	r = r ?: add_proc_sys_dev(p, shm);
	r = r ?: add_tmp(p, tmp);
	r = r ?: plan_landlock(p);
	r = r ?: add_extras(req, p, why);
	r = r ?: add_masks(req, p);
	r = r ?: plan_ids(req, p);
	if (r == 0 && !(p->home = own(p, "/tmp")))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < p->n_grants; i++)
		p->grants[i].rights &= p->ll_handled;
	if (r == -ENOMEM && !why->len)
		strbuf_append(why, "out of memory");
	if (r < 0)
		isolate_plan_free(p);
	return r;
}

/* --- after clone() ------------------------------------------------------------------ */

static int write_proc(pid_t pid, const char *file, const char *text, struct strbuf *why)
{
	char path[64];
	size_t len = strlen(text);
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		r = -errno;
	if (fd >= 0)
		close(fd);
	if (r < 0)
		strbuf_printf(why, "cannot write %s (\"%.*s\"): %s", path, (int)strcspn(text, "\n"),
			      text, strerror(-r));
	return r;
}

int isolate_write_maps(const struct isolation_plan *p, pid_t pid, struct strbuf *why)
{
	int r = 0;

	if (!(p->namespaces & SBX_NS_USER))
		return 0;
	if (p->deny_setgroups)
		r = write_proc(pid, "setgroups", "deny", why);
	r = r ?: write_proc(pid, "uid_map", p->uid_map, why);
	return r ?: write_proc(pid, "gid_map", p->gid_map, why);
}

int isolate_make_trees(const struct isolation_plan *p, pid_t pid, int *fds, struct strbuf *why)
{
	_cleanup_close_ int userns = -1;
	char path[64];
	size_t n = 0;

	if (!p->n_trees)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	/* Without a user namespace of our own, no tree is idmapped. */
	userns = open(path, O_RDONLY | O_CLOEXEC);
	if (userns < 0) {
		strbuf_printf(why, "cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	for (; n < p->n_trees; n++) {
		struct mount_attr attr = {
			.attr_set = (p->trees[n].idmap ? MOUNT_ATTR_IDMAP : 0) | MOUNT_ATTR_NOSUID |
				    MOUNT_ATTR_NODEV |
				    (p->trees[n].read_only ? MOUNT_ATTR_RDONLY : 0),
			.userns_fd = p->trees[n].idmap ? (uint64_t)userns : 0,
		};
		int fd = (int)syscall(SYS_open_tree, AT_FDCWD, p->trees[n].source,
				      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		int r = fd < 0 ? -errno : 0;

		/* A tree holding a filesystem without idmapped mounts: its top alone. */
		if (r == 0 && syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE,
				      &attr, sizeof(attr)) < 0) {
			close(fd);
			fd = (int)syscall(SYS_open_tree, AT_FDCWD, p->trees[n].source,
					  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
			r = fd < 0 ? -errno : 0;
			if (r == 0 && syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr,
					      sizeof(attr)) < 0)
				r = -errno;
		}
		if (r < 0) {
			if (fd >= 0)
				close(fd);
			while (n > 0)
				close(fds[--n]);
			strbuf_printf(why,
				      "cannot give the program write access to %s: an idmapped "
				      "mount of it failed (%s)%s; run with --user USER (a user who "
				      "may write it), --workdir ro, or --isolation landlock",
				      p->trees[n].source, strerror(-r),
				      r == -EINVAL ? ": its filesystem may not support idmapped "
						     "mounts"
						   : "");
			return r;
		}
		fds[n] = fd;
	}
	return (int)n;
}

static long read_number(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static bool under_seccomp(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	const char *s;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	s = strstr(buf, "\nSeccomp:");
	return s && atoi(s + 9) > 0;
}

void isolate_explain_failure(int flags, int err, struct strbuf *out)
{
	long v;

	strbuf_printf(out, "cannot create the sandbox's namespaces (clone: %s)", strerror(err));
	if ((flags & CLONE_NEWUSER) && (v = read_number("/proc/sys/user/max_user_namespaces")) == 0)
		strbuf_append(out, ": user namespaces are turned off "
				   "(/proc/sys/user/max_user_namespaces is 0)");
	else if ((flags & CLONE_NEWUSER) && geteuid() != 0 &&
		 read_number("/proc/sys/kernel/unprivileged_userns_clone") == 0)
		strbuf_append(out, ": unprivileged user namespaces are turned off "
				   "(/proc/sys/kernel/unprivileged_userns_clone is 0)");
	else if ((flags & CLONE_NEWUSER) && geteuid() != 0 &&
		 read_number("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		strbuf_append(out, ": AppArmor restricts unprivileged user namespaces "
				   "(/proc/sys/kernel/apparmor_restrict_unprivileged_userns is 1)");
	else if (err == ENOSPC)
		strbuf_append(out, ": a namespace limit (/proc/sys/user/max_*_namespaces) is "
				   "reached");
	else if (err == EPERM && under_seccomp())
		strbuf_append(out, ": this process runs under a seccomp filter that refuses them "
				   "(a container's profile forbids new namespaces)");
	else if (err == EPERM)
		strbuf_append(out, ": the kernel or a security module refused them");
	else if (err == EINVAL)
		strbuf_append(out, ": this kernel lacks one of them");
	strbuf_append(out, ". Run with --isolation landlock to confine reads and writes with "
			   "Landlock alone, or --no-isolation to run with no isolation");
}

void isolate_namespace_names(unsigned int ns, struct strbuf *out)
{
	static const char *const names[] = {"user", "pid", "mount", "ipc", "uts", "net", "cgroup"};
	bool first = true;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(ns & (1u << i)))
			continue;
		strbuf_printf(out, "%s%s", first ? "" : ",", names[i]);
		first = false;
	}
}

const char *isolate_describe_op(const struct mount_op *o, char *text, size_t size)
{
	static const char *const verbs[] = {
		[MOP_DIR] = "making the directory",
		[MOP_FILE] = "making the mount point",
		[MOP_SYMLINK] = "making the symbolic link",
		[MOP_BIND] = "binding",
		[MOP_TREE] = "attaching the writable bind",
		[MOP_TMPFS] = "mounting a tmpfs on",
		[MOP_PROC] = "mounting /proc on",
		[MOP_DEVPTS] = "mounting a devpts on",
		[MOP_MASK] = "masking",
		[MOP_READONLY] = "making read-only",
		[MOP_WRITE] = "writing",
	};

	if (o->kind == MOP_BIND && o->src && strncmp(o->src, "/oldroot", 8) == 0 &&
	    strcmp(o->src + 8, o->what) != 0)
		snprintf(text, size, "binding %s on %s", *(o->src + 8) ? o->src + 8 : "/", o->what);
	else
		snprintf(text, size, "%s %s", verbs[o->kind], o->what);
	return text;
}
