/* SPDX-License-Identifier: MIT */
#include "eventlog.h"

#include <sys/stat.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "names.h"
#include "procfs.h"
#include "util.h"

static const char *const action_names[] = {
	[DECIDE_ALLOW] = "allow",   [DECIDE_LOG] = "log",   [DECIDE_DENY] = "errno",
	[DECIDE_RETURN] = "return", [DECIDE_KILL] = "kill",
};

/* Length of the valid UTF-8 sequence at |s| (|n| bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * A JSON string of |len| bytes of |s| that is never dropped: jansson takes
 * only UTF-8, and paths and arguments are any bytes. A byte that is not
 * part of valid UTF-8 becomes the four characters \xNN.
 */
static json_t *text_n(const char *s, size_t len)
{
	_cleanup_strbuf_ struct strbuf out = {0};
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t k = u[i] ? utf8_len(u + i, len - i) : 0;

		if (k) {
			strbuf_append_len(&out, s + i, k);
			i += k;
		} else {
			strbuf_printf(&out, "\\x%02x", u[i]);
			i++;
		}
	}
	return json_stringn(strbuf_str(&out), out.len);
}

static json_t *text(const char *s)
{
	return text_n(s ? s : "", s ? strlen(s) : 0);
}

/* A new event object with its time (Unix seconds, microseconds) and kind. */
static json_t *event_new(const char *kind)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return json_pack("{s:f, s:s}", "time",
			 (double)ts.tv_sec + (double)(ts.tv_nsec / 1000) / 1e6, "event", kind);
}

/* One line, written whole (a line is never split by another writer of ours). */
static void event_write(struct eventlog *el, json_t *obj)
{
	char *s;
	size_t len;

	if (!obj)
		return;
	s = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(16));
	json_decref(obj);
	if (!s)
		return;
	len = strlen(s);
	s[len++] = '\n'; /* replaces the NUL; the buffer is len + 1 long */
	sink_write(&el->sink, s, len);
	free(s);
}

void eventlog_open(struct eventlog *el, int fd)
{
	el->fd = fd;
	el->sink = (struct sink){.fd = fd, .socket = fd_is_socket(fd)};
}

void eventlog_close(struct eventlog *el)
{
	sink_drain(&el->sink, SINK_DRAIN_MS);
	sink_free(&el->sink);
}

void eventlog_call(struct eventlog *el, pid_t pid, pid_t tid, const struct trapped_call *call,
		   const struct decision *d, const char *call_text, const char *reason,
		   bool has_ret, int64_t ret)
{
	json_t *obj, *raw;
	char hex[32];

	if (el->fd < 0)
		return;
	obj = event_new("syscall");
	raw = json_array();
	if (!obj || !raw) {
		json_decref(obj);
		json_decref(raw);
		return;
	}
	for (int i = 0; i < 6; i++) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)call->args[i]);
		json_array_append_new(raw, json_string(hex));
	}
	json_object_set_new(obj, "pid", json_integer(pid));
	json_object_set_new(obj, "tid", json_integer(tid));
	json_object_set_new(obj, "syscall", text(d->name));
	json_object_set_new(obj, "nr", json_integer((json_int_t)call->nr));
	json_object_set_new(obj, "arch", json_string(arch_abi_name(d->abi)));
	json_object_set_new(obj, "args", raw);
	json_object_set_new(obj, "decoded", text(call_text));
	json_object_set_new(obj, "action", json_string(action_names[d->kind]));
	json_object_set_new(obj, "rule", d->rule >= 0 ? json_integer(d->rule) : json_null());
	json_object_set_new(obj, "reason", text(reason));
	if (has_ret) {
		json_object_set_new(obj, "return", json_integer(ret));
		if (ret < 0 && ret >= -4095 && errno_name((int)-ret))
			json_object_set_new(obj, "errno", json_string(errno_name((int)-ret)));
	} else {
		json_object_set_new(obj, "return", json_null());
	}
	event_write(el, obj);
}

void eventlog_spawn(struct eventlog *el, pid_t parent, pid_t child, bool maybe_thread)
{
	json_t *obj;

	if (el->fd < 0)
		return;
	obj = event_new("spawn");
	if (!obj)
		return;
	json_object_set_new(obj, "parent", json_integer(parent));
	json_object_set_new(obj, "pid", json_integer(child));
	json_object_set_new(obj, "kind",
			    json_string(maybe_thread ? "thread or process" : "process"));
	event_write(el, obj);
}

void eventlog_exec(struct eventlog *el, pid_t pid)
{
	char path[4096], args[8192];
	json_t *obj, *argv;
	ssize_t n;

	if (el->fd < 0)
		return;
	obj = event_new("exec");
	argv = json_array();
	if (!obj || !argv) {
		json_decref(obj);
		json_decref(argv);
		return;
	}
	proc_link(pid, "exe", path, sizeof(path));
	n = proc_read(pid, "cmdline", args, sizeof(args));
	for (ssize_t i = 0; i < n;) {
		size_t len = strnlen(args + i, (size_t)(n - i));

		json_array_append_new(argv, text_n(args + i, len));
		i += (ssize_t)len + 1;
	}
	json_object_set_new(obj, "pid", json_integer(pid));
	json_object_set_new(obj, "path", text(path));
	json_object_set_new(obj, "argv", argv);
	event_write(el, obj);
}

void eventlog_exit(struct eventlog *el, pid_t pid, pid_t tid, int status)
{
	json_t *obj;

	if (el->fd < 0)
		return;
	obj = event_new("exit");
	if (!obj)
		return;
	json_object_set_new(obj, "pid", json_integer(pid));
	json_object_set_new(obj, "tid", json_integer(tid));
	if (WIFEXITED(status)) {
		json_object_set_new(obj, "code", json_integer(WEXITSTATUS(status)));
	} else {
		const char *name = signal_name(WTERMSIG(status));

		json_object_set_new(obj, "signal",
				    name ? json_string(name) : json_integer(WTERMSIG(status)));
	}
	event_write(el, obj);
}

void eventlog_limit(struct eventlog *el, const char *limit)
{
	json_t *obj;

	if (el->fd < 0)
		return;
	obj = event_new("limit");
	if (!obj)
		return;
	json_object_set_new(obj, "limit", json_string(limit));
	event_write(el, obj);
}

void eventlog_calls(struct eventlog *el, const struct sbx_call_count *c)
{
	json_t *obj;

	if (el->fd < 0)
		return;
	obj = event_new("calls");
	if (!obj)
		return;
	json_object_set_new(obj, "syscall", text(c->syscall));
	json_object_set_new(obj, "arch", json_string(c->arch));
	json_object_set_new(obj, "action", json_string(c->action));
	json_object_set_new(obj, "rule", c->rule >= 0 ? json_integer(c->rule) : json_null());
	json_object_set_new(obj, "reason",
			    text(c->reason ? c->reason : "kinds past the first 1024 of the run"));
	json_object_set_new(obj, "count", json_integer((json_int_t)c->count));
	json_object_set_new(obj, "shown", json_integer((json_int_t)c->shown));
	event_write(el, obj);
}
