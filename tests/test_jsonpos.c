/* SPDX-License-Identifier: MIT */
/* jsonpos: positions of values and keys along a path, and graceful misses. */
#include <check.h>
#include <string.h>

#include "run_suite.h"
#include "jsonpos.h"

static const char text[] =
	"{\n"
	"  \"a\": 1,\n"
	"  \"rules\": [\n"
	"    {\"x\": \"q\\\"}\", \"syscalls\": [\"read\", \"wr\xc3\xa9te\", 3]},\n"
	"    [ ], {\"n\": {\"m\": true}}\n"
	"  ]\n"
	"}\n";

static const struct {
	const char *path;
	int want_key;
	unsigned int line, column;
} cases[] = {
	{"", 0, 1, 1},
	{"a", 0, 2, 8},
	{"a", 1, 2, 3},
	{"rules", 0, 3, 12},
	{"rules[0]", 0, 4, 5},
	{"rules[0].x", 0, 4, 11},
	{"rules[0].syscalls", 0, 4, 31},
	{"rules[0].syscalls[1]", 0, 4, 40},
	/* after a multi-byte character, columns count characters */
	{"rules[0].syscalls[2]", 0, 4, 49},
	{"rules[1]", 0, 5, 5},
	{"rules[2].n.m", 0, 5, 22},
	{"rules[2].n.m", 1, 5, 17},
	/* misses stop at the deepest value found */
	{"rules[9]", 0, 3, 12},
	{"rules[0].nope", 0, 4, 5},
	{"a.b", 0, 2, 8},
};

START_TEST(positions)
{
	struct jsonpos pos;

	ck_assert(jsonpos_find(text, strlen(text), cases[_i].path, cases[_i].want_key, &pos));
	ck_assert_msg(pos.line == cases[_i].line && pos.column == cases[_i].column,
		      "%s%s: got %u:%u, want %u:%u", cases[_i].path,
		      cases[_i].want_key ? " (key)" : "", pos.line, pos.column, cases[_i].line,
		      cases[_i].column);
}
END_TEST

START_TEST(empty_text)
{
	struct jsonpos pos;

	ck_assert(!jsonpos_find("  \n ", 4, "", false, &pos));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonpos");
	TCase *tc = tcase_create("find");

	tcase_add_loop_test(tc, positions, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, empty_text);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
