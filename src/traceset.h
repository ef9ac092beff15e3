/* SPDX-License-Identifier: MIT */
/*
 * traceset.h - the calls --trace names: "all", or a comma-separated list of
 * syscall names and @groups, as a set of native syscall numbers.
 */
#ifndef SBX_TRACESET_H
#define SBX_TRACESET_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define TRACESET_MAX_NR 1024

struct traceset {
	bool all;
	bool nr[TRACESET_MAX_NR];
};

/*
 * Parse |spec| into |ret|. NULL, "" and "all" mean every call. Returns 0, or
 * -EINVAL with a message ("unknown syscall \"opne\" (did you mean ...)")
 * appended to |err|.
 */
int traceset_parse(const char *spec, struct traceset *ret, struct strbuf *err);

/* Whether native call |nr| is traced. */
bool traceset_has(const struct traceset *s, int nr);

#endif
