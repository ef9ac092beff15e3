/* SPDX-License-Identifier: MIT */
/*
 * shipped.h - the policies of policies/, compiled into the binary at build
 * time (src/embed.c), so `--policy judge` and `"extends": "judge"` work
 * wherever the binary is.
 */
#ifndef SBX_SHIPPED_H
#define SBX_SHIPPED_H

#include <stddef.h>

struct sbx_shipped {
	const char *name; /* "default", "judge", ...: the file name without .json */
	const char *text; /* NUL-terminated JSON */
	size_t len;
};

/* Generated; ends with an entry whose name is NULL. */
extern const struct sbx_shipped sbx_shipped_policies[];

/* The shipped policy called |name|, or NULL. */
const struct sbx_shipped *shipped_find(const char *name);

#endif
