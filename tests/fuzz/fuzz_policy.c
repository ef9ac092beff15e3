/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: bytes -> the policy loader (both formats, extends of
 * shipped policies, the checks) -> the filter compiler. Any crash, leak or
 * sanitizer report is a bug, and its input belongs in a unit test once fixed.
 * How to build and run it: README.md, "Building by hand".
 */
#include <stddef.h>
#include <stdint.h>

#include "filter.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf diag = {0};
	struct policy *p = NULL;
	struct filter f;

	if (policy_parse("fuzz.json", (const char *)data, size, &p, &diag) == 0) {
		if (filter_build(p, NULL, 0, &f) == 0)
			filter_release(&f);
		policy_free(p);
	}
	strbuf_free(&diag);
	return 0;
}
