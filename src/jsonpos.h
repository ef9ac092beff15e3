/* SPDX-License-Identifier: MIT */
/*
 * jsonpos.h - find where a value sits in JSON text.
 *
 * jansson tells where a syntax error is, but not where a well-formed value
 * came from. Diagnostics about values ("rules[3].syscalls[0]: unknown
 * syscall") need that, so this module rescans the (already valid) text and
 * follows a path to the value. Pure function of its input.
 */
#ifndef SBX_JSONPOS_H
#define SBX_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

struct jsonpos {
	unsigned int line;   /* 1-based */
	unsigned int column; /* 1-based, in characters */
};

/*
 * Locate |path| ("" for the root, "rules[3].syscalls[0]", "default.errno")
 * in |text|. With |want_key| the position of the member's key is returned
 * instead of its value (for "unknown key" messages). When the path cannot be
 * followed all the way, the deepest value found is returned, so a message
 * about a missing key points at the object that lacks it. Returns false only
 * when |text| does not start with a JSON value.
 */
bool jsonpos_find(const char *text, size_t len, const char *path, bool want_key,
		  struct jsonpos *ret);

#endif
