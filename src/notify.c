/* SPDX-License-Identifier: MIT */
/*
 * notify.c - a TRACE filter turned into a USER_NOTIF one (notify.h).
 *
 * The prefix, in classic BPF:
 *
 *	ld arch; jeq NATIVE (X86_64, AARCH64) ? next : foreign
 *	ld nr; jeq close ? next : calls
 *	ld args[1] (both halves); jeq NOTIFY_HANDOVER ? ret TRACE : calls
 *   calls:
 *	ld nr; where the CPU has an ABI bit (x86_64's x32):
 *	  with foreign_trace: jset ABI bit ? ret TRACE : next
 *	  and ~ABI bit
 *	for each traced nr: jeq nr ? ret TRACE : next
 *	ja main
 *   foreign:
 *	ret TRACE (with foreign_trace), else on to main
 *   main:
 *	the program, RET TRACE -> RET USER_NOTIF
 *
 * Every conditional jump is short (at most 5): the table can be long.
 */
#include "notify.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

/* Whether uname(2) says Linux |want_major|.|want_minor| or later. */
static bool kernel_at_least(unsigned int want_major, unsigned int want_minor)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > want_major || (major == want_major && minor >= want_minor);
}

bool notify_kernel_has(bool need_sync)
{
	return need_sync ? kernel_at_least(6, 6) : kernel_at_least(5, 5);
}

bool notify_kernel_has_killable_recv(void)
{
	return kernel_at_least(5, 19);
}

static bool is_trace_ret(const struct sock_filter *i)
{
	return i->code == (BPF_RET | BPF_K) &&
	       (i->k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRACE;
}

static bool is_notify_ret(const struct sock_filter *i)
{
	return i->code == (BPF_RET | BPF_K) &&
	       (i->k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF;
}

struct emitter {
	struct sock_filter *insns;
	size_t n;
};

static size_t emit(struct emitter *e, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	e->insns[e->n] = (struct sock_filter){.code = code, .jt = jt, .jf = jf, .k = k};
	return e->n++;
}

static void emit_load(struct emitter *e, size_t offset)
{
	emit(e, BPF_LD | BPF_W | BPF_ABS, (uint32_t)offset, 0, 0);
}

/* The prefix (the comment at the top) into |e|, which has room for it. */
static void emit_prefix(struct emitter *e, const struct arch_desc *arch, const int *trace,
			size_t n_trace, bool foreign_trace)
{
	const size_t args1 = offsetof(struct seccomp_data, args[1]);
	size_t to_foreign, to_main;

	emit_load(e, offsetof(struct seccomp_data, arch));
	emit(e, BPF_JMP | BPF_JEQ | BPF_K, arch->audit_arch, 1, 0);
	to_foreign = emit(e, BPF_JMP | BPF_JA, 0, 0, 0);
	emit_load(e, offsetof(struct seccomp_data, nr));
	emit(e, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)arch->nr_close, 0, 5);
	emit_load(e, args1); /* little-endian: the low half first */
	emit(e, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)NOTIFY_HANDOVER, 0, 3);
	emit_load(e, args1 + 4);
	emit(e, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(NOTIFY_HANDOVER >> 32), 0, 1);
	emit(e, BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	emit_load(e, offsetof(struct seccomp_data, nr));
	if (arch->nr_abi_bit && foreign_trace) {
		/* x32 is another ABI too, with numbers of its own (512-547) no list names. */
		emit(e, BPF_JMP | BPF_JSET | BPF_K, arch->nr_abi_bit, 0, 1);
		emit(e, BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	}
	if (arch->nr_abi_bit)
		emit(e, BPF_ALU | BPF_AND | BPF_K, ~arch->nr_abi_bit, 0, 0);
	for (size_t i = 0; i < n_trace; i++) {
		emit(e, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)trace[i], 0, 1);
		emit(e, BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	}
	to_main = emit(e, BPF_JMP | BPF_JA, 0, 0, 0);
	e->insns[to_foreign].k = (uint32_t)(e->n - to_foreign - 1);
	if (foreign_trace)
		emit(e, BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	e->insns[to_main].k = (uint32_t)(e->n - to_main - 1);
}

int notify_filter(const struct filter *in, const struct arch_desc *arch, const int *trace,
		  size_t n_trace, bool foreign_trace, struct filter *ret)
{
	size_t room = 18 + 2 * n_trace + in->len;
	struct emitter e = {0};

	if (room > BPF_MAXINSNS + 18 + 2 * n_trace)
		return -E2BIG;
	e.insns = calloc(room, sizeof(*e.insns));
	if (!e.insns)
		return -ENOMEM;
	emit_prefix(&e, arch, trace, n_trace, foreign_trace);
	if (e.n + in->len > BPF_MAXINSNS) {
		free(e.insns);
		return -E2BIG;
	}
	for (size_t i = 0; i < in->len; i++) {
		struct sock_filter insn = in->insns[i];

		if (is_trace_ret(&insn))
			insn.k = SECCOMP_RET_USER_NOTIF;
		e.insns[e.n++] = insn;
	}
	*ret = (struct filter){.insns = e.insns, .len = e.n};
	return 0;
}

void notify_filter_to_trace(struct sock_fprog *prog)
{
	for (size_t i = 0; i < prog->len; i++)
		if (is_notify_ret(&prog->filter[i]))
			prog->filter[i].k = SECCOMP_RET_TRACE;
}
