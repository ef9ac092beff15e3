/* SPDX-License-Identifier: MIT */
/* tally.c - counting reported calls by kind (tally.h). */
#include "tally.h"

#include "arch.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Reasons are kept this long at most (a path check's can be 4 KiB). */
#define TALLY_REASON_MAX 256

static const char *const action_names[] = {
	[DECIDE_ALLOW] = "allow",   [DECIDE_LOG] = "log",   [DECIDE_DENY] = "errno",
	[DECIDE_RETURN] = "return", [DECIDE_KILL] = "kill",
};

static struct tally_entry *tally_find(struct tally *tl, const struct trapped_call *call,
				      const struct decision *d)
{
	for (size_t i = 0; i < tl->n; i++) {
		struct tally_entry *e = &tl->v[i];

		if (e->nr == (long)call->nr && e->abi == d->abi && e->kind == d->kind &&
		    e->rule == d->rule)
			return e;
	}
	return NULL;
}

static struct tally_entry *tally_add(struct tally *tl, const struct trapped_call *call,
				     const struct decision *d)
{
	_cleanup_strbuf_ struct strbuf reason = {0};
	struct tally_entry *e;

	if (tl->n == TALLY_MAX_KINDS)
		return NULL;
	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? 2 * tl->cap : 16;
		struct tally_entry *grown = realloc(tl->v, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		tl->v = grown;
		tl->cap = cap;
	}
	report_reason(&reason, d);
	e = &tl->v[tl->n];
	*e = (struct tally_entry){
		.abi = d->abi, .nr = (long)call->nr, .kind = d->kind, .rule = d->rule};
	e->c.reason = strndup(strbuf_str(&reason), TALLY_REASON_MAX);
	if (!e->c.reason)
		return NULL;
	snprintf(e->c.syscall, sizeof(e->c.syscall), "%s", d->name);
	snprintf(e->c.arch, sizeof(e->c.arch), "%s", arch_abi_name(d->abi));
	snprintf(e->c.action, sizeof(e->c.action), "%s", action_names[d->kind]);
	e->c.rule = d->rule >= 0 ? d->rule : -1;
	tl->n++;
	return e;
}

/* FNV-1a over |len| bytes, from |h|. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* The run's hash basis, from the kernel's random pool (a clock mixed in when it fails). */
static uint64_t random_key(void)
{
	uint64_t key = 0;
	struct timespec ts;

	if (getrandom(&key, sizeof(key), GRND_NONBLOCK) != (ssize_t)sizeof(key)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		key ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	}
	return key ? key : 0xcbf29ce484222325ULL;
}

/* How often the line of |e|'s kind and |text| was seen, this one included; 0 when not known. */
static uint64_t line_seen(struct tally *tl, const struct trapped_call *call,
			  const struct decision *d, const char *text)
{
	long nr = (long)call->nr;
	uint64_t h;
	size_t i;

	if (!tl->lines) {
		tl->lines = calloc(TALLY_MAX_LINES, sizeof(*tl->lines));
		if (!tl->lines)
			return 0;
		tl->key = random_key();
	}
	h = fnv1a(tl->key, &d->abi, sizeof(d->abi));
	h = fnv1a(h, &nr, sizeof(nr));
	h = fnv1a(h, &d->kind, sizeof(d->kind));
	h = fnv1a(h, &d->rule, sizeof(d->rule));
	h = fnv1a(h, text, strlen(text));
	h = h ? h : 1;
	for (i = h & (TALLY_MAX_LINES - 1); tl->lines[i].hash; i = (i + 1) & (TALLY_MAX_LINES - 1))
		if (tl->lines[i].hash == h)
			return ++tl->lines[i].count;
	/* Three quarters full: new lines are not remembered (and are held back). */
	if (tl->n_lines >= TALLY_MAX_LINES / 4 * 3)
		return 0;
	tl->lines[i] = (struct tally_line){.hash = h, .count = 1};
	tl->n_lines++;
	return 1;
}

bool tally_count(struct tally *tl, const struct trapped_call *call, const struct decision *d,
		 const char *text, struct tally_entry **ret)
{
	struct tally_entry *e = tally_find(tl, call, d);
	uint64_t seen;

	if (!e)
		e = tally_add(tl, call, d);
	if (!e) {
		e = &tl->others;
		if (!e->c.count) { /* named after its first call */
			snprintf(e->c.syscall, sizeof(e->c.syscall), "%s", "(other kinds)");
			snprintf(e->c.arch, sizeof(e->c.arch), "%s", arch_abi_name(d->abi));
			snprintf(e->c.action, sizeof(e->c.action), "%s", action_names[d->kind]);
			e->c.rule = -1;
		}
	}
	*ret = e;
	e->c.count++;
	if (!text || e->c.shown >= SBX_LOG_KIND_LINES)
		return false;
	seen = line_seen(tl, call, d, text);
	return seen > 0 && seen <= SBX_LOG_BURST;
}

static int by_count(const void *a, const void *b)
{
	const struct tally_entry *x = a, *y = b;

	if (x->c.count != y->c.count)
		return x->c.count > y->c.count ? -1 : 1;
	return 0;
}

void tally_sort(struct tally *tl)
{
	/* An insertion sort: stable (ties keep the order first seen), and kinds are few. */
	for (size_t i = 1; i < tl->n; i++) {
		struct tally_entry e = tl->v[i];
		size_t j = i;

		for (; j > 0 && by_count(&tl->v[j - 1], &e) > 0; j--)
			tl->v[j] = tl->v[j - 1];
		tl->v[j] = e;
	}
}

void tally_summary(const struct tally *tl, struct strbuf *out, size_t max,
		   void (*each)(const struct sbx_call_count *c, void *arg), void *arg)
{
	size_t lines = 0, more = 0;

	for (size_t i = 0; i < tl->n; i++) {
		const struct sbx_call_count *c = &tl->v[i].c;
		bool native = strcmp(c->arch, arch_abi_name(ABI_NATIVE)) == 0;

		if (c->count == c->shown)
			continue;
		if (each)
			each(c, arg);
		if (!out)
			continue;
		if (lines++ == max) {
			more++;
			continue;
		}
		strbuf_printf(out,
			      "sandbox: %s%s%s %s by %s: %llu calls, %llu shown (each line at most "
			      "%d times, %d lines a kind)\n",
			      native ? "" : c->arch, native ? "" : " ", c->syscall,
			      report_action_verb(c->action), c->reason,
			      (unsigned long long)c->count, (unsigned long long)c->shown,
			      SBX_LOG_BURST, SBX_LOG_KIND_LINES);
	}
	if (out && more)
		strbuf_printf(
			out,
			"sandbox: %zu more kinds of calls were not shown in full (the report's "
			"\"calls\" has every kind)\n",
			more);
	if (tl->others.c.count > tl->others.c.shown) {
		if (each) /* not listed in the report's "calls": its own event */
			each(&tl->others.c, arg);
		if (out)
			strbuf_printf(out,
				      "sandbox: %llu calls of kinds past the first %d, %llu shown "
				      "(the report's \"calls_not_listed\")\n",
				      (unsigned long long)tl->others.c.count, TALLY_MAX_KINDS,
				      (unsigned long long)tl->others.c.shown);
	}
}

void tally_move(struct tally *tl, struct sbx_result *ret)
{
	struct sbx_call_count *calls = tl->n ? calloc(tl->n, sizeof(*calls)) : NULL;

	if (calls) {
		for (size_t i = 0; i < tl->n; i++)
			calls[i] = tl->v[i].c;
		ret->calls = calls;
		ret->n_calls = tl->n;
		tl->n = 0;
	}
	ret->calls_not_listed = tl->others.c.count;
	tally_free(tl);
}

void tally_free(struct tally *tl)
{
	for (size_t i = 0; i < tl->n; i++)
		free(tl->v[i].c.reason);
	free(tl->v);
	free(tl->lines);
	*tl = (struct tally){0};
}

/* --- --summary ------------------------------------------------------------------ */

static bool is_error(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

static long summary_find(struct summary *s, const struct trapped_call *call,
			 const struct decision *d)
{
	/* Most programs call a few dozen kinds: a scan from the newest is short. */
	for (size_t i = s->n; i-- > 0;)
		if (s->rows[i].nr == (long)call->nr && s->rows[i].abi == d->abi)
			return (long)i;
	return -1;
}

long summary_count(struct summary *s, const struct trapped_call *call, const struct decision *d)
{
	long i = summary_find(s, call, d);
	struct summary_row *row;

	if (i < 0) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 64;
			struct summary_row *grown = realloc(s->rows, cap * sizeof(*grown));

			if (!grown)
				return -1;
			s->rows = grown;
			s->cap = cap;
		}
		i = (long)s->n++;
		s->rows[i] = (struct summary_row){.abi = d->abi, .nr = (long)call->nr};
		snprintf(s->rows[i].name, sizeof(s->rows[i].name), "%s", d->name);
	}
	row = &s->rows[i];
	row->calls++;
	row->by_kind[d->kind]++;
	if ((d->kind == DECIDE_DENY || d->kind == DECIDE_RETURN) && is_error(d->ret))
		row->errors++;
	return i;
}

void summary_exit(struct summary *s, long row, uint64_t ns, bool has_ret, int64_t ret)
{
	struct summary_row *r;

	if (row < 0 || (size_t)row >= s->n || !has_ret)
		return;
	r = &s->rows[row];
	r->timed++;
	r->time_ns += ns;
	if (is_error(ret))
		r->errors++;
}

static int by_time(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;

	if (x->time_ns != y->time_ns)
		return x->time_ns > y->time_ns ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* A count, or blanks for 0 (as strace leaves "errors" blank). */
static void count_cell(struct strbuf *out, int width, uint64_t n)
{
	if (n)
		strbuf_printf(out, " %*llu", width, (unsigned long long)n);
	else
		strbuf_printf(out, " %*s", width, "");
}

static void summary_line(struct strbuf *out, const struct summary_row *r, uint64_t total_ns)
{
	double pct = total_ns ? 100.0 * (double)r->time_ns / (double)total_ns : 0.0;

	strbuf_printf(out, "%6.2f %11.6f %11llu %9llu", pct, (double)r->time_ns / 1e9,
		      (unsigned long long)(r->timed ? r->time_ns / 1000 / r->timed : 0),
		      (unsigned long long)r->calls);
	count_cell(out, 9, r->errors);
	for (int k = DECIDE_ALLOW; k <= DECIDE_KILL; k++)
		count_cell(out, 8, r->by_kind[k]);
	if (r->abi == ABI_NATIVE)
		strbuf_printf(out, " %s\n", r->name);
	else
		strbuf_printf(out, " %s (%s)\n", r->name, arch_abi_name(r->abi));
}

static const char summary_rule[] = "------ ----------- ----------- --------- --------- -------- "
				   "-------- -------- -------- -------- ----------------\n";

/* The rows, sorted as the table shows them (a copy: the indices stay valid); NULL: none. */
static struct summary_row *sorted_rows(const struct summary *s)
{
	struct summary_row *rows = s->n ? malloc(s->n * sizeof(*rows)) : NULL;

	if (!rows)
		return NULL;
	memcpy(rows, s->rows, s->n * sizeof(*rows));
	qsort(rows, s->n, sizeof(*rows), by_time);
	return rows;
}

void summary_format(const struct summary *s, struct strbuf *out)
{
	struct summary_row total = {.abi = ABI_NATIVE, .name = "total"};
	struct summary_row *rows = sorted_rows(s);

	if (!rows)
		return;
	for (size_t i = 0; i < s->n; i++) {
		total.calls += rows[i].calls;
		total.errors += rows[i].errors;
		total.timed += rows[i].timed;
		total.time_ns += rows[i].time_ns;
		for (int k = DECIDE_ALLOW; k <= DECIDE_KILL; k++)
			total.by_kind[k] += rows[i].by_kind[k];
	}
	strbuf_append(out, "% time     seconds  usecs/call     calls    errors  allowed   logged "
			   "  denied    faked   killed syscall\n");
	strbuf_append(out, summary_rule);
	for (size_t i = 0; i < s->n; i++)
		summary_line(out, &rows[i], total.time_ns);
	strbuf_append(out, summary_rule);
	summary_line(out, &total, total.time_ns);
	free(rows);
}

int summary_move(struct summary *s, struct sbx_result *ret)
{
	struct summary_row *rows = sorted_rows(s);
	struct sbx_syscall_summary *out = calloc(s->n ? s->n : 1, sizeof(*out));

	if (!out || (s->n && !rows)) {
		free(rows);
		free(out);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct summary_row *r = &rows[i];

		snprintf(out[i].syscall, sizeof(out[i].syscall), "%s", r->name);
		snprintf(out[i].arch, sizeof(out[i].arch), "%s", arch_abi_name(r->abi));
		out[i].calls = r->calls;
		out[i].errors = r->errors;
		out[i].timed = r->timed;
		out[i].time_ns = r->time_ns;
		out[i].allowed = r->by_kind[DECIDE_ALLOW];
		out[i].logged = r->by_kind[DECIDE_LOG];
		out[i].denied = r->by_kind[DECIDE_DENY];
		out[i].faked = r->by_kind[DECIDE_RETURN];
		out[i].killed = r->by_kind[DECIDE_KILL];
	}
	free(rows);
	free(ret->summary);
	ret->summary = out;
	ret->n_summary = s->n;
	summary_free(s);
	return 0;
}

void summary_free(struct summary *s)
{
	free(s->rows);
	*s = (struct summary){0};
}
