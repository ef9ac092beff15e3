/* SPDX-License-Identifier: MIT */
/*
 * filter_oci.c - compile an OCI / Docker / Podman profile so that it means
 * what it means under runc.
 *
 * The profile's part is built exactly the way runc 1.1 builds it
 * (libcontainer/seccomp/seccomp_linux.go and patchbpf/enosys_linux.go):
 * the same libseccomp calls in the same order, so libseccomp resolves
 * overlapping entries its own way (an unconditional rule beats conditional
 * ones, whatever the order) and puts other architectures' calls where they
 * exist; then runc's "ENOSYS stub" in front, which makes calls newer than
 * the profile fail with ENOSYS so that libc falls back. Only the actions
 * differ: ALLOW and ERRNO stay in the kernel, every other action becomes
 * SECCOMP_RET_TRACE with the action as its data, one value per distinct
 * runc action, so libseccomp sees as many distinct actions as runc's build
 * has and merges nothing differently.
 *
 * That program ("runc's program") is kept in the policy: at a stop the
 * supervisor runs it on the stopped call (bpfrun.c) for the profile's
 * answer, ignoring what the kernel returned (a program may stack filters of
 * its own). In front of it in the kernel goes a short prefix of our own:
 * the built-in rules and the calls the supervisor must see (struct
 * filter_force), which stop whatever the profile says.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "arch.h"
#include "filter.h"
#include "syscalls.h"

/* The foreign ABI of |arch| that is in |arches| and shares its audit arch, or NULL. */
static const struct arch_foreign *abi_by_nr_bit(const struct arch_desc *arch, unsigned int arches)
{
	for (size_t i = 0; i < ARRAY_SIZE(arch_foreign_abis); i++)
		if (arch_foreign_abis[i].by_nr_bit &&
		    (arch_foreign_abis[i].bit & arch->foreign & arches) && arch->nr_abi_bit)
			return &arch_foreign_abis[i];
	return NULL;
}

/* The kernel action runc's program gives |a|; see filter_oci_verdict() for the way back. */
static uint32_t kernel_action(const struct oci_action *a)
{
	switch (a->act) {
	case OCI_ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	case OCI_ACT_ERRNO:
		return SCMP_ACT_ERRNO((uint16_t)a->data);
	case OCI_ACT_TRACE:
		return SCMP_ACT_TRACE((uint16_t)(a->act << 12 | (a->data & 0xfff)));
	default:
		return SCMP_ACT_TRACE((uint16_t)(a->act << 12));
	}
}

struct policy_verdict filter_oci_verdict(uint32_t ret)
{
	struct oci_action a = {.act = OCI_ACT_KILL_THREAD};

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		a.act = OCI_ACT_ALLOW;
		break;
	case SECCOMP_RET_ERRNO:
		a = (struct oci_action){.act = OCI_ACT_ERRNO,
					.data = (int)(ret & SECCOMP_RET_DATA)};
		break;
	case SECCOMP_RET_TRACE:
		a.act = (enum oci_act)((ret & SECCOMP_RET_DATA) >> 12);
		break;
	}
	return policy_oci_verdict(&a);
}

/* runc's "callAct == defAct": the same libseccomp action value. */
static bool same_action(const struct oci_action *a, const struct oci_action *b)
{
	return kernel_action(a) == kernel_action(b);
}

/*
 * One condition as libseccomp gets it. Where the kernel reads the argument
 * as 32 bits, == and masked_eq look at the low half only (an intended
 * difference from runc, which compares all 64 bits: see docs/policy.md);
 * everything else is runc's comparison.
 */
static struct scmp_arg_cmp to_cmp(const struct policy_cond *c, int nr)
{
	static const enum scmp_compare ops[] = {
		[POLICY_OP_EQ] = SCMP_CMP_EQ,
		[POLICY_OP_NE] = SCMP_CMP_NE,
		[POLICY_OP_LT] = SCMP_CMP_LT,
		[POLICY_OP_LE] = SCMP_CMP_LE,
		[POLICY_OP_GT] = SCMP_CMP_GT,
		[POLICY_OP_GE] = SCMP_CMP_GE,
		[POLICY_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	struct policy_cond n = *c;

	if (nr >= 0)
		policy_cond_for(c, nr, &n);
	if (n.narrow)
		n = *c;
	return (struct scmp_arg_cmp){
		.arg = n.index,
		.op = ops[n.op],
		.datum_a = n.op == POLICY_OP_MASKED_EQ ? n.mask : n.value,
		.datum_b = n.op == POLICY_OP_MASKED_EQ ? n.value : 0,
	};
}

/* runc's matchCall(): -errno from libseccomp is runc refusing the profile. */
static int add_call(scmp_filter_ctx ctx, const struct oci_call *c, const struct oci_action *def)
{
	struct scmp_arg_cmp cmp[POLICY_MAX_CONDS];
	uint32_t act = kernel_action(&c->action);
	int r = 0;

	if (same_action(&c->action, def))
		return 0; /* "This rule is redundant, silently skip it" */
	for (size_t i = 0; i < c->n_conds; i++)
		cmp[i] = to_cmp(&c->conds[i], c->nr);
	if (!c->conds_any)
		return seccomp_rule_add_array(ctx, act, c->nr, (unsigned int)c->n_conds, cmp);
	for (size_t i = 0; r == 0 && i < c->n_conds; i++)
		r = seccomp_rule_add_array(ctx, act, c->nr, 1, &cmp[i]);
	return r;
}

/*
 * |arch|'s native ABI (in place of the build's, for a test that builds
 * another CPU's filter) and the foreign ABIs of |arches| it has, as runc
 * adds the profile's architectures. libseccomp still reads rule numbers as
 * the build CPU's and puts each call where its name exists.
 */
static int add_arches(scmp_filter_ctx ctx, const struct arch_desc *arch, unsigned int arches)
{
	int r = 0;

	if (arch != ARCH_NATIVE) {
		r = seccomp_arch_add(ctx, arch->scmp_arch);
		if (r == 0)
			r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	}
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(arch_foreign_abis); i++)
		if (arch_foreign_abis[i].bit & arch->foreign & arches) {
			r = seccomp_arch_add(ctx, arch_foreign_abis[i].token);
			r = r == -EEXIST ? 0 : r;
		}
	return r;
}

/* The profile as runc hands it to libseccomp. Returns the context or NULL with |*ret_err|. */
static scmp_filter_ctx build_ctx(const struct policy_oci *o, int *ret_err)
{
	scmp_filter_ctx ctx = seccomp_init(kernel_action(&o->default_action));
	struct oci_action kill = {.act = OCI_ACT_KILL_THREAD};
	int r;

	if (!ctx) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r == 0) /* libseccomp's default for a foreign architecture: SCMP_ACT_KILL */
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, kernel_action(&kill));
	if (r == 0)
		r = add_arches(ctx, o->arch, o->listed_arches);
	for (size_t i = 0; r == 0 && i < o->n_calls; i++) {
		r = add_call(ctx, &o->calls[i], &o->default_action);
		if (r < 0) {
			/* for messages: the program is a cache, this is part of it */
			((struct policy_oci *)o)->refused = o->calls[i].name;
			((struct policy_oci *)o)->refused_entry = o->calls[i].entry;
		}
	}
	if (r < 0) {
		seccomp_release(ctx);
		*ret_err = r;
		return NULL;
	}
	return ctx;
}

/* A growing program with labels, for the stub and the prefix. */
struct bpf_asm {
	struct sock_filter *insns;
	size_t n, cap;
	struct fixup {
		size_t at;
		int label;
		char field; /* 't', 'f' or 'k' (ja) */
	} * fix;
	size_t n_fix, cap_fix;
	size_t labels[8];
	bool failed;
};

enum { L_END, L_ENOSYS, L_FOREIGN, L_BY_BIT, L_TRACE, L_NEXT, L_NEXT_ABI, L_N };

#define NEXT  (-1) /* the next instruction */
#define SKIP1 (-3) /* the one after */
#define DONE  (-2) /* a fixup already resolved */

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? *cap * 2 : 64;

	if (n < *cap)
		return v;
	v = realloc(v, want * size);
	if (v)
		*cap = want;
	return v;
}

static void fixup(struct bpf_asm *a, int label, char field)
{
	struct fixup *f;

	if (label == NEXT)
		return;
	if (label == SKIP1) {
		if (field == 't')
			a->insns[a->n].jt = 1;
		else
			a->insns[a->n].jf = 1;
		return;
	}
	f = grow(a->fix, &a->cap_fix, a->n_fix, sizeof(*f));
	if (!f) {
		a->failed = true;
		return;
	}
	a->fix = f;
	a->fix[a->n_fix++] = (struct fixup){a->n, label, field};
}

static void emit(struct bpf_asm *a, uint16_t code, uint32_t k, int jt, int jf)
{
	struct sock_filter *v = grow(a->insns, &a->cap, a->n, sizeof(*v));

	if (!v) {
		a->failed = true;
		return;
	}
	a->insns = v;
	a->insns[a->n] = (struct sock_filter){.code = code, .k = k};
	fixup(a, jt, BPF_CLASS(code) == BPF_JMP && BPF_OP(code) == BPF_JA ? 'k' : 't');
	fixup(a, jf, 'f');
	a->n++;
}

#define LD(a, off)	  emit(a, BPF_LD | BPF_W | BPF_ABS, off, NEXT, NEXT)
#define JA(a, l)	  emit(a, BPF_JMP | BPF_JA, 0, l, NEXT)
#define RET(a, v)	  emit(a, BPF_RET | BPF_K, v, NEXT, NEXT)
#define J(a, op, k, t, f) emit(a, BPF_JMP | op | BPF_K, k, t, f)

static void bind(struct bpf_asm *a, int label)
{
	a->labels[label] = a->n;
}

/* Point the jump of |f| at its label, bound by now. Returns 0 or -E2BIG. */
static int patch(struct bpf_asm *a, const struct fixup *f)
{
	size_t off = a->labels[f->label] - f->at - 1;

	if (f->field == 'k')
		a->insns[f->at].k = (uint32_t)off;
	else if (off > 255)
		return -E2BIG;
	else if (f->field == 't')
		a->insns[f->at].jt = (uint8_t)off;
	else
		a->insns[f->at].jf = (uint8_t)off;
	return 0;
}

/* Resolve the jumps to labels bound so far (L_END is the end). Returns 0 or -E2BIG. */
static int resolve(struct bpf_asm *a)
{
	a->labels[L_END] = a->n;
	for (size_t i = 0; i < a->n_fix; i++)
		if (a->fix[i].label != DONE && patch(a, &a->fix[i]) < 0)
			return -E2BIG;
	a->n_fix = 0;
	return a->failed ? -ENOMEM : 0;
}

static void asm_free(struct bpf_asm *a)
{
	free(a->insns);
	free(a->fix);
}

#define OFF_NR	  offsetof(struct seccomp_data, nr)
#define OFF_ARCH  offsetof(struct seccomp_data, arch)
#define OFF_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define OFF_HI(i) (OFF_LO(i) + 4)

/* The largest number of the profile's calls on |arch| (runc's findLastSyscalls), or 0. */
static uint32_t last_call(const struct policy_oci *o, uint32_t arch)
{
	int last = 0;

	for (size_t i = 0; i < o->n_calls; i++) {
		int nr = seccomp_syscall_resolve_name_arch(arch, o->calls[i].name);

		if (nr > last)
			last = nr;
	}
	return (uint32_t)last;
}

/* Point the jumps to |l1| and |l2| bound so far (not L_END's). Returns 0 or -E2BIG. */
static int resolve_local(struct bpf_asm *a, int l1, int l2)
{
	for (size_t i = 0; i < a->n_fix; i++) {
		struct fixup *f = &a->fix[i];

		if (f->label != l1 && f->label != l2)
			continue;
		if (patch(a, f) < 0)
			return -E2BIG;
		f->label = DONE;
	}
	return 0;
}

/*
 * runc's ENOSYS stub: on each listed architecture, a call numbered above
 * the profile's largest fails with ENOSYS before the filter looks at it;
 * not when the default lets calls run (ALLOW, LOG, TRACE). On x86_64, x32
 * calls (the nr_abi_bit set) have their own largest number.
 */
static int emit_stub(struct bpf_asm *a, const struct policy_oci *o)
{
	const struct arch_desc *arch = o->arch;
	const struct arch_foreign *by_bit = abi_by_nr_bit(arch, o->listed_arches);
	enum oci_act d = o->default_action.act;
	uint32_t native = 0, bit_last = 0, last[ARRAY_SIZE(arch_foreign_abis)] = {0}, any;
	unsigned int left = 0; /* foreign ABIs with their own audit arch still to test */
	int r = 0;

	if (d == OCI_ACT_ALLOW || d == OCI_ACT_LOG || d == OCI_ACT_TRACE)
		return 0;
	if (o->listed_arches & POLICY_ARCH_NATIVE)
		native = last_call(o, arch->scmp_arch);
	if (by_bit)
		bit_last = last_call(o, by_bit->token);
	any = native | bit_last;
	for (size_t i = 0; i < ARRAY_SIZE(arch_foreign_abis); i++) {
		if (!arch_foreign_abis[i].by_nr_bit &&
		    (arch_foreign_abis[i].bit & arch->foreign & o->listed_arches))
			last[i] = last_call(o, arch_foreign_abis[i].token);
		any |= last[i];
	}
	if (!any)
		return 0;
	LD(a, OFF_ARCH);
	J(a, BPF_JEQ, arch->audit_arch, NEXT, L_FOREIGN);
	LD(a, OFF_NR);
	if (arch->nr_abi_bit)
		J(a, BPF_JSET, arch->nr_abi_bit, L_BY_BIT, NEXT);
	if (native)
		J(a, BPF_JGT, native, L_ENOSYS, L_END);
	else
		JA(a, L_END);
	if (arch->nr_abi_bit) {
		bind(a, L_BY_BIT);
		if (bit_last)
			J(a, BPF_JGT, bit_last, L_ENOSYS, L_END);
		else
			JA(a, L_END);
	}
	bind(a, L_FOREIGN);
	for (size_t i = 0; i < ARRAY_SIZE(arch_foreign_abis); i++)
		left += last[i] != 0;
	if (!left)
		JA(a, L_END);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(arch_foreign_abis); i++) {
		if (!last[i])
			continue;
		left--;
		J(a, BPF_JEQ, arch_foreign_abis[i].audit_arch, NEXT, left ? L_NEXT_ABI : L_END);
		LD(a, OFF_NR);
		J(a, BPF_JGT, last[i], L_ENOSYS, L_END);
		bind(a, L_NEXT_ABI); /* A still holds the arch */
		r = resolve_local(a, L_NEXT_ABI, L_NEXT_ABI);
	}
	bind(a, L_ENOSYS);
	RET(a, SECCOMP_RET_ERRNO | ENOSYS);
	return r;
}

/* |prog| as it is, after what |a| holds (its jumps are relative: they stay right). */
static void append(struct bpf_asm *a, const struct sock_filter *prog, size_t len)
{
	for (size_t i = 0; i < len && !a->failed; i++) {
		emit(a, prog[i].code, prog[i].k, NEXT, NEXT);
		if (!a->failed)
			a->insns[a->n - 1] = prog[i];
	}
}

/* libseccomp's build of |ctx|, after what |a| holds. */
static int export_ctx(scmp_filter_ctx ctx, struct bpf_asm *a)
{
	struct filter f = {0};
	int r = filter_export(ctx, &f);

	if (r == 0)
		append(a, f.insns, f.len);
	filter_release(&f);
	return r;
}

int filter_oci_program(const struct policy *p, const struct sock_filter **ret, size_t *ret_len)
{
	/* The program is not part of what the policy says: built once, kept. */
	struct policy_oci *o = p->oci;
	struct bpf_asm a = {0};
	scmp_filter_ctx ctx;
	int r = 0;

	if (!o->program) {
		ctx = build_ctx(o, &r);
		if (!ctx)
			return r;
		r = emit_stub(&a, o);
		if (r == 0)
			r = resolve(&a);
		if (r == 0)
			r = export_ctx(ctx, &a);
		seccomp_release(ctx);
		if (r == 0 && a.failed)
			r = -ENOMEM;
		if (r < 0) {
			asm_free(&a);
			return r;
		}
		free(a.fix);
		o->program = a.insns;
		o->program_len = a.n;
	}
	*ret = o->program;
	*ret_len = o->program_len;
	/* Longer than the kernel takes: runc could not load it either. */
	return o->program_len > BPF_MAXINSNS ? -E2BIG : 0;
}

int filter_oci_dump(const struct policy *p, int fd)
{
	int r = 0;
	scmp_filter_ctx ctx = build_ctx(p->oci, &r);

	if (!ctx)
		return r;
	r = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	return r;
}

/* What the prefix does with one call number. */
enum check_kind {
	CHECK_NONE,
	CHECK_ALL,    /* always stops */
	CHECK_ARG0,   /* stops unless argument 0 is 0 */
	CHECK_BITS,   /* stops when argument |arg| has one of |bits| */
	CHECK_ENOSYS, /* fails with ENOSYS (clone3, a built-in rule) */
};

struct check {
	enum check_kind kind;
	unsigned int arg;
	uint64_t bits;
};

#define MAX_NR 1024

static void merge(struct check *c, struct check add)
{
	if (c->kind == CHECK_ENOSYS || add.kind == CHECK_NONE)
		return;
	if (c->kind == CHECK_NONE || add.kind == CHECK_ENOSYS)
		*c = add;
	else if (c->kind != add.kind || c->arg != add.arg || c->bits != add.bits)
		*c = (struct check){.kind = CHECK_ALL};
}

/*
 * Whether runc's program lets execve run whatever its arguments (then it
 * need not stop): libseccomp lets the first unconditional entry decide.
 */
static bool exec_always_allowed(const struct policy_oci *o, int nr)
{
	bool named = false;

	for (size_t i = 0; i < o->n_calls; i++) {
		const struct oci_call *c = &o->calls[i];

		if (c->nr != nr || same_action(&c->action, &o->default_action))
			continue;
		if (c->n_conds == 0)
			return c->action.act == OCI_ACT_ALLOW;
		named = true;
	}
	return !named && o->default_action.act == OCI_ACT_ALLOW;
}

#define CLONE_UNTRACED_BIT 0x00800000ULL
#define NEW_LISTENER_BIT   (1ULL << 3)

static void native_checks(const struct policy *p, const struct filter_force *force, size_t n,
			  struct check *checks)
{
	for (size_t i = 0; i < n; i++) {
		struct check c = {.kind = CHECK_ALL};

		if (force[i].nr < 0 || force[i].nr >= MAX_NR)
			continue;
		if (force[i].when_bits)
			c = (struct check){CHECK_BITS, force[i].when_arg, force[i].when_bits};
		else if (force[i].unless_arg0_zero)
			c.kind = CHECK_ARG0;
		merge(&checks[force[i].nr], c);
	}
	merge(&checks[__NR_clone], (struct check){CHECK_BITS, 0, CLONE_UNTRACED_BIT});
	merge(&checks[__NR_seccomp], (struct check){CHECK_BITS, 1, NEW_LISTENER_BIT});
	merge(&checks[__NR_clone3], (struct check){.kind = CHECK_ENOSYS});
	/* The sandbox's own execve of the program must reach the supervisor. */
	if (!exec_always_allowed(p->oci, __NR_execve))
		merge(&checks[__NR_execve], (struct check){.kind = CHECK_ALL});
	if (!exec_always_allowed(p->oci, __NR_execveat))
		merge(&checks[__NR_execveat], (struct check){.kind = CHECK_ALL});
}

static void emit_test(struct bpf_asm *a, unsigned int arg, uint64_t bits)
{
	if ((uint32_t)bits) {
		LD(a, OFF_LO(arg));
		J(a, BPF_JSET, (uint32_t)bits, L_TRACE, NEXT);
	}
	if (bits >> 32) {
		LD(a, OFF_HI(arg));
		J(a, BPF_JSET, (uint32_t)(bits >> 32), L_TRACE, NEXT);
	}
}

/* One call's block: "if nr == |nr| { ... }", ending in a return or a jump to the end. */
static int emit_check(struct bpf_asm *a, uint32_t nr, const struct check *c)
{
	J(a, BPF_JEQ, nr, NEXT, L_NEXT);
	switch (c->kind) {
	case CHECK_NONE:
	case CHECK_ALL:
		break;
	case CHECK_ENOSYS:
		RET(a, SECCOMP_RET_ERRNO | ENOSYS);
		break;
	case CHECK_ARG0:
		LD(a, OFF_LO(0));
		J(a, BPF_JEQ, 0, NEXT, L_TRACE);
		LD(a, OFF_HI(0));
		J(a, BPF_JEQ, 0, NEXT, L_TRACE);
		JA(a, L_END);
		break;
	case CHECK_BITS:
		emit_test(a, c->arg, c->bits);
		JA(a, L_END);
		break;
	}
	bind(a, L_TRACE);
	RET(a, SECCOMP_RET_TRACE);
	bind(a, L_NEXT);
	/* Only the local labels: the jumps to L_END wait for the end. */
	return resolve_local(a, L_TRACE, L_NEXT);
}

/*
 * i386's number of native call |row|: libseccomp's, or the direct socket
 * and SysV IPC numbers of Linux 4.3 it does not know (src/syscalls.tbl,
 * trait i386=NR).
 */
static int i386_number(const struct syscall_row *row)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, row->name);

	return nr < 0 && row->i386_nr ? row->i386_nr : nr;
}

/*
 * |arch|'s number of the build CPU's call |nr| (the index of the checks):
 * |nr| itself on the build's CPU, else libseccomp's number for its name
 * (negative when |arch| has no such call).
 */
static int native_number(const struct arch_desc *arch, int nr)
{
	const struct syscall_row *row;

	if (arch == ARCH_NATIVE)
		return nr;
	row = syscall_by_nr(nr);
	return row ? seccomp_syscall_resolve_name_arch(arch->scmp_arch, row->name) : -1;
}

/*
 * The checks of another ABI (libseccomp's |token|): every call that has a
 * native check stops (clone3 still fails), fcntl64 with fcntl where the
 * ABI has it (i386, AArch32), and on i386 alone the direct socket and IPC
 * numbers libseccomp does not know and socketcall and ipc when one of the
 * calls they multiplex has a check.
 */
static int emit_foreign(struct bpf_asm *a, const struct check *checks, uint32_t token)
{
	bool i386 = token == SCMP_ARCH_X86;
	int mux_socket = -1, mux_ipc = -1, r = 0;

	if (i386) {
		mux_socket = seccomp_syscall_resolve_name_arch(token, "socketcall");
		mux_ipc = seccomp_syscall_resolve_name_arch(token, "ipc");
	}
	for (int nr = 0; r == 0 && nr < MAX_NR; nr++) {
		struct check c = {.kind = checks[nr].kind == CHECK_ENOSYS ? CHECK_ENOSYS
									  : CHECK_ALL};
		const struct syscall_row *row = syscall_by_nr(nr);
		int fnr, fcntl64;

		if (checks[nr].kind == CHECK_NONE || !row)
			continue;
		fnr = i386 ? i386_number(row) : seccomp_syscall_resolve_name_arch(token, row->name);
		if (mux_socket >= 0 && row->socketcalls[0]) {
			r = emit_check(a, (uint32_t)mux_socket, &c);
			mux_socket = -1;
		}
		if (r == 0 && mux_ipc >= 0 && row->ipc) {
			r = emit_check(a, (uint32_t)mux_ipc, &c);
			mux_ipc = -1;
		}
		fcntl64 =
			nr == __NR_fcntl ? seccomp_syscall_resolve_name_arch(token, "fcntl64") : -1;
		if (r == 0 && fcntl64 >= 0)
			r = emit_check(a, (uint32_t)fcntl64, &c);
		if (r == 0 && fnr >= 0)
			r = emit_check(a, (uint32_t)fnr, &c);
	}
	JA(a, L_END);
	return r;
}

/*
 * The prefix: the calls that stop whatever the profile says, for the CPU
 * the profile was read for (p->oci->arch): its native calls, then the
 * foreign ABIs the profile lists.
 */
static int emit_prefix(struct bpf_asm *a, const struct policy *p, const struct filter_force *force,
		       size_t n_force)
{
	const struct arch_desc *arch = p->oci->arch;
	const struct arch_foreign *by_bit = abi_by_nr_bit(arch, p->arches);
	struct check checks[MAX_NR] = {{0}};
	int r = 0;

	native_checks(p, force, n_force, checks);
	LD(a, OFF_ARCH);
	J(a, BPF_JEQ, arch->audit_arch, SKIP1, NEXT);
	JA(a, L_FOREIGN);
	LD(a, OFF_NR);
	if (by_bit) {
		J(a, BPF_JSET, arch->nr_abi_bit, NEXT, SKIP1);
		JA(a, L_BY_BIT);
	}
	for (int nr = 0; r == 0 && nr < MAX_NR; nr++) {
		int anr = checks[nr].kind != CHECK_NONE ? native_number(arch, nr) : -1;

		if (anr >= 0)
			r = emit_check(a, (uint32_t)anr, &checks[nr]);
	}
	JA(a, L_END);
	if (r == 0 && by_bit) {
		bind(a, L_BY_BIT);
		r = emit_foreign(a, checks, by_bit->token);
	}
	bind(a, L_FOREIGN);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(arch_foreign_abis); i++) {
		const struct arch_foreign *f = &arch_foreign_abis[i];

		if (f->by_nr_bit || !(f->bit & arch->foreign & p->arches))
			continue;
		J(a, BPF_JEQ, f->audit_arch, SKIP1, NEXT);
		JA(a, L_NEXT_ABI); /* A still holds the arch there */
		LD(a, OFF_NR);
		r = emit_foreign(a, checks, f->token);
		bind(a, L_NEXT_ABI);
		if (r == 0)
			r = resolve_local(a, L_NEXT_ABI, L_NEXT_ABI);
	}
	return r;
}

int filter_oci_build(const struct policy *p, const struct filter_force *force, size_t n_force,
		     struct filter *ret)
{
	const struct sock_filter *prog;
	struct bpf_asm a = {0};
	size_t len;
	int r = filter_oci_program(p, &prog, &len);

	*ret = (struct filter){0};
	if (r == 0)
		r = emit_prefix(&a, p, force, n_force);
	if (r == 0)
		r = resolve(&a);
	if (r == 0)
		append(&a, prog, len);
	if (r == 0 && a.failed)
		r = -ENOMEM;
	if (r == 0 && a.n > BPF_MAXINSNS)
		r = -E2BIG;
	free(a.fix);
	if (r < 0) {
		free(a.insns);
		return r;
	}
	ret->insns = a.insns;
	ret->len = a.n;
	return 0;
}
