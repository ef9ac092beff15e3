/* SPDX-License-Identifier: MIT */
/*
 * eventlog.h - the --log file: one JSON object per line per event (a call
 * the supervisor saw, a task spawned, an exec, an exit, a limit hit). The
 * fields are documented in docs/observability.md. Formats and writes; decides nothing.
 */
#ifndef SBX_EVENTLOG_H
#define SBX_EVENTLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "decide.h"
#include "sandbox.h"

struct eventlog {
	int fd;		  /* -1: no log */
	struct sink sink; /* how lines go out (set up by eventlog_open()) */
};

/* Start writing to |fd| (-1: no log): lines that the output cannot take in time are dropped. */
void eventlog_open(struct eventlog *el, int fd);

/* Write the lines still kept (waiting at most SINK_DRAIN_MS without progress) and free them. */
void eventlog_close(struct eventlog *el);

/* A call: |text| decoded, |reason| why the action; |ret| when |has_ret|. */
void eventlog_call(struct eventlog *el, pid_t pid, pid_t tid, const struct trapped_call *call,
		   const struct decision *d, const char *text, const char *reason, bool has_ret,
		   int64_t ret);

void eventlog_spawn(struct eventlog *el, pid_t parent, pid_t child, bool maybe_thread);

/* Path and argv are read from /proc/TID/exe and /proc/TID/cmdline. */
void eventlog_exec(struct eventlog *el, pid_t pid);

/* |status| as waitpid gives it. */
void eventlog_exit(struct eventlog *el, pid_t pid, pid_t tid, int status);

void eventlog_limit(struct eventlog *el, const char *limit);
/* At the end: a kind of call with events not written past SBX_LOG_BURST ("calls"). */
void eventlog_calls(struct eventlog *el, const struct sbx_call_count *c);

#endif
