/* SPDX-License-Identifier: MIT */
/*
 * names.h - symbolic names for errno values and signals, both ways.
 * Pure tables; no side effects.
 */
#ifndef SBX_NAMES_H
#define SBX_NAMES_H

/* "ENOENT" for 2; NULL when the value has no name. */
const char *errno_name(int err);
/* 2 for "ENOENT" (exact, case-sensitive); -1 when unknown. */
int errno_from_name(const char *name);

/* "SIGTERM" for 15, "SIGRTMIN+3" for real-time signals; NULL when invalid. */
const char *signal_name(int sig);
/* 15 for "SIGTERM" or "TERM"; -1 when unknown. */
int signal_from_name(const char *name);

#endif
