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

/*
 * A memory of the last path followed in one text, so that a run of
 * lookups in file order ("rules[0]...", "rules[1]...", ...) scans the text
 * once in all instead of once each: a step the new path shares with the
 * last one is not scanned again, and a later element of the same list is
 * reached from the element the last path stopped at. Lookups out of order
 * are as right, only slower. Zero it before first use (or when the text
 * changes: a different |text| pointer resets it); it owns no memory.
 */
#define JSONPOS_DEPTH	16 /* steps remembered */
#define JSONPOS_KEY_MAX 32 /* longer member names are looked up, not remembered */

struct jsonpos_mark {
	size_t offset; /* in the text */
	struct jsonpos at;
};

struct jsonpos_step {
	bool is_index;
	unsigned long index;	    /* is_index */
	char key[JSONPOS_KEY_MAX];  /* !is_index: the member's name */
	struct jsonpos_mark before; /* at the '{' or '[' the step went into */
	struct jsonpos_mark value;  /* at the value it reached */
	struct jsonpos key_at;	    /* !is_index: where the member's name starts */
};

struct jsonpos_cursor {
	const char *text;
	size_t len;
	size_t n; /* steps[0..n) are the last path's, all found */
	struct jsonpos_step steps[JSONPOS_DEPTH];
};

/* jsonpos_find() with a memory (|cur| NULL: none). Same results. */
bool jsonpos_find_cached(struct jsonpos_cursor *cur, const char *text, size_t len, const char *path,
			 bool want_key, struct jsonpos *ret);

#endif
