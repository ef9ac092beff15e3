/* SPDX-License-Identifier: MIT */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../include/sandbox.h"
#include "decode.h"
#include "names.h"
#include "outfile.h"
#include "result.h"

/* What the supervisor did to a call, as a line says it. */
static const char *const verbs[] = {
	[DECIDE_ALLOW] = "allowed", [DECIDE_LOG] = "logged",  [DECIDE_DENY] = "denied",
	[DECIDE_RETURN] = "faked",  [DECIDE_KILL] = "killed",
};

const char *report_action_verb(const char *action)
{
	static const char *const words[][2] = {
		{"allow", "allowed"}, {"log", "logged"},  {"errno", "denied"},
		{"return", "faked"},  {"kill", "killed"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(action, words[i][0]) == 0)
			return words[i][1];
	return action;
}

void report_call_text(struct strbuf *out, pid_t pid, const struct decision *d,
		      const uint64_t args[6])
{
	if (d->abi != ABI_NATIVE)
		strbuf_printf(out, "%s ", arch_abi_name(d->abi));
	decode_call(out, pid, d->name, args, arch_abi_is_32bit(d->abi));
}

void report_trace_line(struct strbuf *out, pid_t tid, const struct decision *d, const char *text,
		       bool has_ret, int64_t ret)
{

	strbuf_printf(out, "sandbox: [pid %d] %s ", tid, text);
	if (has_ret)
		decode_retval(out, d->name, ret);
	else
		strbuf_append(out, "= ?");
	strbuf_printf(out, " [%s by ", verbs[d->kind]);
	report_reason(out, d);
	strbuf_append(out, "]\n");
}

void report_fill_violation(struct sbx_violation *v, pid_t pid, const struct trapped_call *call,
			   const struct decision *d, const char *text)
{
	struct strbuf reason = {0};

	v->pid = pid;
	snprintf(v->syscall, sizeof(v->syscall), "%s", d->name);
	snprintf(v->arch, sizeof(v->arch), "%s", arch_abi_name(d->abi));
	v->nr = (long)call->nr;
	memcpy(v->args, call->args, sizeof(v->args));
	v->text = xstrdup(text);
	v->rule = d->rule >= 0 ? d->rule : -1;
	report_reason(&reason, d);
	v->reason = strbuf_steal(&reason);
}

void report_reason(struct strbuf *out, const struct decision *d)
{
	switch (d->rule) {
	case DECIDE_RULE_DEFAULT:
		strbuf_append(out, "the default action");
		break;
	case DECIDE_RULE_FOREIGN_ABI:
		strbuf_printf(out, "architecture %s not allowed by the policy",
			      arch_abi_name(d->abi));
		break;
	case DECIDE_RULE_SETUP:
		strbuf_append(out, "the sandbox's own set-up");
		break;
	case DECIDE_RULE_PATHS:
	case DECIDE_RULE_OUTSIDE:
	case DECIDE_RULE_ISOLATION:
		strbuf_append(out, d->note);
		break;
	case POLICY_RULE_NETWORK:
		strbuf_append(out, "the network rule: this socket family is not allowed");
		break;
	case DECIDE_RULE_MULTIPLEXED:
		strbuf_append(out, "a multiplexed i386 call whose rules need its arguments, which "
				   "are in memory and could change");
		break;
	default:
		if (d->rule <= POLICY_RULE_BUILTIN_FIRST)
			strbuf_printf(out, "the built-in rule: %s", policy_builtin_reason(d->rule));
		else
			strbuf_printf(out, "rule %d", d->rule);
		break;
	}
}

void report_call_line(struct strbuf *out, pid_t pid, const struct decision *d, const char *text)
{
	const char *ename;

	strbuf_printf(out, "sandbox: [pid %d] %s %s", pid, verbs[d->kind], text);
	if (d->kind == DECIDE_DENY) {
		ename = errno_name((int)-d->ret);
		if (ename)
			strbuf_printf(out, " = -1 %s", ename);
		else
			strbuf_printf(out, " = -1 errno %lld", (long long)-d->ret);
	} else if (d->kind == DECIDE_RETURN) {
		strbuf_printf(out, " = %lld", (long long)d->ret);
	}
	/* "by rule 3", "by the default action"; conditions in parentheses. */
	bool paren = d->rule == DECIDE_RULE_FOREIGN_ABI || d->rule == DECIDE_RULE_MULTIPLEXED ||
		     d->rule == DECIDE_RULE_PATHS || d->rule == DECIDE_RULE_OUTSIDE;

	strbuf_append(out, paren ? " (" : " by ");
	report_reason(out, d);
	strbuf_append(out, paren ? ")\n" : "\n");
}

/* Bytes at |p| that make one valid UTF-8 character, or 0. */
static size_t utf8_char(const unsigned char *p)
{
	unsigned int cp;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* a NUL stops here too */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Text from the host (a path in a message, the working directory) as a
 * JSON string, or null for NULL. jansson refuses bytes that are not UTF-8
 * (the field was lost, or its whole object): each such byte is written
 * \xNN instead.
 */
static json_t *text_json(const char *s)
{
	_cleanup_strbuf_ struct strbuf b = {0};
	json_t *j;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_char(p);

		if (n)
			strbuf_printf(&b, "%.*s", (int)n, (const char *)p);
		else
			strbuf_printf(&b, "\\x%02x", *p);
		p += n ? n : 1;
	}
	j = json_string(strbuf_str(&b));
	return j ? j : json_null();
}

static json_t *violation_json(const struct sbx_violation *v)
{
	json_t *args = json_array();
	json_t *obj;

	for (int i = 0; args && i < 6; i++) {
		char hex[32];

		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)v->args[i]);
		json_array_append_new(args, json_string(hex));
	}
	obj = json_pack("{s:i, s:s, s:I, s:s, s:o*, s:o, s:o}", "pid", (int)v->pid, "syscall",
			v->syscall, "nr", (json_int_t)v->nr, "arch", v->arch, "args", args, "text",
			text_json(v->text), "reason", text_json(v->reason));
	if (obj)
		json_object_set_new(obj, "rule",
				    v->rule >= 0 ? json_integer(v->rule) : json_null());
	return obj;
}

/* A limit as a number, or null when not set. */
static json_t *limit_json(uint64_t v)
{
	return v ? json_integer((json_int_t)v) : json_null();
}

static json_t *limits_json(const struct sbx_limits *l)
{
	static const char *const rlimits[] = {
		[SBX_MEMORY_RLIMIT_UNSET] = "data",
		[SBX_MEMORY_RLIMIT_DATA] = "data",
		[SBX_MEMORY_RLIMIT_AS] = "as",
		[SBX_MEMORY_RLIMIT_NONE] = "none",
	};
	json_t *obj = json_object();

	if (!obj)
		return NULL;
	json_object_set_new(obj, "cpu_time_ms", limit_json(l->cpu_time_ms));
	json_object_set_new(obj, "wall_time_ms", limit_json(l->wall_time_ms));
	json_object_set_new(obj, "memory_bytes", limit_json(l->memory_bytes));
	json_object_set_new(obj, "stack_bytes", limit_json(l->stack_bytes));
	json_object_set_new(obj, "processes", limit_json(l->processes));
	json_object_set_new(obj, "output_bytes", limit_json(l->output_bytes));
	json_object_set_new(obj, "open_files", limit_json(l->open_files));
	json_object_set_new(obj, "memory_rlimit", json_string(rlimits[l->memory_rlimit]));
	return obj;
}

/* Every limit the run hit, in the order of the statuses. */
static json_t *limits_hit_json(unsigned int hits)
{
	json_t *list = json_array();

	for (int s = 0; list && s < 32; s++)
		if (hits & (1u << s))
			json_array_append_new(list,
					      json_string(sbx_status_name((enum sbx_status)s)));
	return list;
}

static json_t *isolation_json(const struct sbx_isolation_info *i)
{
	static const char *const ns[] = {"user", "pid", "mount", "ipc", "uts", "net", "cgroup"};
	json_t *obj, *list;

	if (!i->mode)
		return json_null();
	list = json_array();
	for (size_t k = 0; list && k < ARRAY_SIZE(ns); k++)
		if (i->namespaces & (1u << k))
			json_array_append_new(list, json_string(ns[k]));
	obj = json_pack("{s:s,s:o*,s:I,s:I,s:I,s:I,s:i,s:o,s:b}", "mode",
			sbx_isolation_name(i->mode), "namespaces", list, "uid", (json_int_t)i->uid,
			"gid", (json_int_t)i->gid, "host_uid", (json_int_t)i->host_uid, "host_gid",
			(json_int_t)i->host_gid, "landlock_abi", i->landlock_abi, "workdir",
			text_json(i->workdir), "workdir_writable", i->workdir_writable);
	return obj ? obj : json_null();
}

/* Every kind of reported call, most frequent first. */
static json_t *calls_json(const struct sbx_result *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->n_calls; i++) {
		const struct sbx_call_count *c = &r->calls[i];

		json_array_append_new(
			arr, json_pack("{s:s,s:s,s:s,s:o,s:o,s:I,s:I}", "syscall", c->syscall,
				       "arch", c->arch, "action", c->action, "rule",
				       c->rule >= 0 ? json_integer(c->rule) : json_null(), "reason",
				       text_json(c->reason ? c->reason : ""), "count",
				       (json_int_t)c->count, "shown", (json_int_t)c->shown));
	}
	return arr ? arr : json_null();
}

/* --summary's rows, most time first; null without --summary. */
static json_t *summary_json(const struct sbx_result *r)
{
	json_t *arr = r->summary ? json_array() : NULL;

	for (size_t i = 0; arr && i < r->n_summary; i++) {
		const struct sbx_syscall_summary *c = &r->summary[i];

		json_array_append_new(
			arr,
			json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "syscall",
				  c->syscall, "arch", c->arch, "calls", (json_int_t)c->calls,
				  "errors", (json_int_t)c->errors, "timed", (json_int_t)c->timed,
				  "time_us", (json_int_t)(c->time_ns / 1000), "allowed",
				  (json_int_t)c->allowed, "logged", (json_int_t)c->logged, "denied",
				  (json_int_t)c->denied, "faked", (json_int_t)c->faked, "killed",
				  (json_int_t)c->killed));
	}
	return arr ? arr : json_null();
}

static json_t *result_json(const struct sbx_result *r)
{
	json_t *obj = json_pack("{s:s}", "status", sbx_status_name(r->status));
	bool started = r->status != SBX_STATUS_ERROR;

	if (!obj)
		return NULL;
	json_object_set_new(obj, "exit_code",
			    started && r->exit_code >= 0 ? json_integer(r->exit_code)
							 : json_null());
	json_object_set_new(obj, "signal", r->signal ? json_integer(r->signal) : json_null());
	json_object_set_new(obj, "signal_name",
			    r->signal && signal_name(r->signal)
				    ? json_string(signal_name(r->signal))
				    : json_null());
	json_object_set_new(obj, "sandbox_exit_code", json_integer(sbx_result_exit_status(r)));
	json_object_set_new(obj, "cpu_time_ms", json_integer((json_int_t)r->cpu_time_ms));
	json_object_set_new(obj, "wall_time_ms", json_integer((json_int_t)r->wall_time_ms));
	json_object_set_new(obj, "memory_peak_kb", json_integer((json_int_t)r->memory_peak_kb));
	json_object_set_new(obj, "memory_source",
			    json_string(sbx_memory_source_name(r->memory_source)));
	json_object_set_new(obj, "processes", json_integer(r->processes));
	json_object_set_new(obj, "limits_hit", limits_hit_json(r->limits_hit));
	json_object_set_new(obj, "limits", limits_json(&r->limits));
	json_object_set_new(obj, "violation",
			    r->status == SBX_STATUS_VIOLATION ? violation_json(&r->violation)
							      : json_null());
	json_object_set_new(obj, "isolation", isolation_json(&r->isolation));
	json_object_set_new(obj, "calls", calls_json(r));
	json_object_set_new(obj, "calls_not_listed", json_integer((json_int_t)r->calls_not_listed));
	json_object_set_new(obj, "log_lines_not_shown",
			    json_integer((json_int_t)r->log_lines_not_shown));
	json_object_set_new(obj, "summary", summary_json(r));
	json_object_set_new(obj, "error",
			    r->status == SBX_STATUS_ERROR
				    ? text_json(r->error ? r->error : "unknown")
				    : json_null());
	return obj;
}

/* The report's text (caller frees), or NULL when out of memory. */
static char *result_text(const struct sbx_result *result)
{
	json_t *obj = result_json(result);
	char *text;

	if (!obj)
		return NULL;
	text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return text;
}

SBX_EXPORT int sbx_result_write_json_sized(const struct sbx_result *result, size_t size,
					   const char *path)
{
	_cleanup_free_ char *text = NULL;
	struct sbx_result r;

	if (size < SBX_RESULT_SIZE_VER0)
		return -EINVAL;
	result_widen(&r, result, size);
	text = result_text(&r);
	return text ? outfile_write(path, text) : -ENOMEM;
}

SBX_EXPORT int sbx_result_to_json_sized(const struct sbx_result *result, size_t size,
					char **ret_text)
{
	struct sbx_result r;
	char *text;

	if (size < SBX_RESULT_SIZE_VER0)
		return -EINVAL;
	result_widen(&r, result, size);
	text = result_text(&r);
	if (!text)
		return -ENOMEM;
	*ret_text = text;
	return 0;
}

/* struct sbx_report_file is never defined: it is a struct outfile seen from outside. */
SBX_EXPORT int sbx_report_open(const char *path, struct sbx_report_file **ret)
{
	struct outfile *f = malloc(sizeof(*f));
	int r;

	if (!f)
		return -ENOMEM;
	r = outfile_open(path, f);
	if (r < 0) {
		free(f);
		return r;
	}
	*ret = (struct sbx_report_file *)f;
	return 0;
}

SBX_EXPORT int sbx_report_commit_sized(struct sbx_report_file *file,
				       const struct sbx_result *result, size_t size)
{
	struct outfile *f = (struct outfile *)file;
	_cleanup_free_ char *text = NULL;
	struct sbx_result wide;
	int r = -EINVAL;

	if (size >= SBX_RESULT_SIZE_VER0) {
		result_widen(&wide, result, size);
		text = result_text(&wide);
		r = text ? outfile_commit(f, text) : -ENOMEM;
	}
	if (!text)
		outfile_close(f);
	free(f);
	return r;
}

SBX_EXPORT void sbx_report_discard(struct sbx_report_file *file)
{
	if (!file)
		return;
	outfile_close((struct outfile *)file);
	free(file);
}
