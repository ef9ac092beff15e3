/* SPDX-License-Identifier: MIT */
/* shipped.c - lookups in the table of embedded policies. */
#include "shipped.h"

#include <string.h>

const struct sbx_shipped *shipped_find(const char *name)
{
	for (const struct sbx_shipped *s = sbx_shipped_policies; name && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}
