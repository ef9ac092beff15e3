/* SPDX-License-Identifier: MIT */
/*
 * result.h - structs of the public API whose size the caller gives
 * ("Versions of the structures" in sandbox.h): copying them in and out at
 * the caller's size.
 */
#ifndef SBX_RESULT_H
#define SBX_RESULT_H

#include <stddef.h>

#include "sandbox.h"

/*
 * Copy the caller's struct |src| of |src_size| bytes into this library's
 * |dst| of |dst_size| bytes: a shorter one is zero-extended; a longer one
 * is copied when the bytes past |dst_size| are all zero, else -E2BIG and
 * |dst| is left undefined. Returns 0 or -E2BIG.
 */
int sized_copy_in(void *dst, size_t dst_size, const void *src, size_t src_size);

/*
 * This library's view of the caller's result |src| of |size| bytes, for
 * reading: the fields it lacks read as zero, bytes past this library's
 * struct are ignored. |ret| shares |src|'s pointers (owns nothing).
 */
void result_widen(struct sbx_result *ret, const struct sbx_result *src, size_t size);

/*
 * Hand |full|, a result this library filled, to the caller's |dst| of
 * |size| bytes: the fields wholly inside |size| are moved, what |full|
 * owns in the others is freed; bytes of |dst| past this library's struct
 * are left as they are (api_run() zeroed them). |full| is zeroed.
 */
void result_copy_out(struct sbx_result *full, struct sbx_result *dst, size_t size);

#endif
