/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: bytes -> the policy loader (both formats, extends of
 * shipped policies, the checks) -> the filter compiler. Any crash, leak or
 * sanitizer report is a bug; a crash input found once becomes a regression
 * case in tests/data/fuzz-regress/ (run by test_policy).
 *
 *	meson setup build-fuzz -Dfuzz=true   (with CC=clang)
 *	build-fuzz/tests/fuzz/fuzz-policy -dict=tests/fuzz/policy.dict CORPUS tests/data policies
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
