/* SPDX-License-Identifier: MIT */
/* jsonpos: positions of values and keys along a path, and graceful misses. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "run_suite.h"
#include "jsonpos.h"
#include "util.h"

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

/*
 * A cursor remembers the last path: every case looked up right after every
 * other (in and out of file order, misses included) finds what a fresh
 * lookup finds.
 */
START_TEST(cursor_any_order)
{
	const size_t n = sizeof(cases) / sizeof(cases[0]);

	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			struct jsonpos_cursor cur = {0};
			struct jsonpos pos;

			ck_assert(jsonpos_find_cached(&cur, text, strlen(text), cases[a].path,
						      cases[a].want_key, &pos));
			ck_assert(jsonpos_find_cached(&cur, text, strlen(text), cases[b].path,
						      cases[b].want_key, &pos));
			ck_assert_msg(pos.line == cases[b].line && pos.column == cases[b].column,
				      "%s after %s: got %u:%u, want %u:%u", cases[b].path,
				      cases[a].path, pos.line, pos.column, cases[b].line,
				      cases[b].column);
		}
	}
}
END_TEST

/* A long list walked in order with one cursor: the positions of a fresh lookup. */
START_TEST(cursor_long_list)
{
	struct strbuf t = {0};
	struct jsonpos_cursor cur = {0};
	char path[64];

	strbuf_append(&t, "{\"rules\": [\n");
	for (int i = 0; i < 300; i++)
		strbuf_printf(&t, "%s {\"syscalls\": [\"read\"], \"args\": [{\"value\": %d}]}\n",
			      i ? "," : " ", i);
	strbuf_append(&t, "]}\n");
	for (int i = 0; i < 300; i += 1 + i % 7) {
		for (int k = 0; k < 2; k++) {
			struct jsonpos fresh, cached;

			snprintf(path, sizeof(path),
				 k ? "rules[%d].args[0].value" : "rules[%d].syscalls[0]", i);
			ck_assert(jsonpos_find(strbuf_str(&t), t.len, path, false, &fresh));
			ck_assert(jsonpos_find_cached(&cur, strbuf_str(&t), t.len, path, false,
						      &cached));
			ck_assert_msg(fresh.line == cached.line && fresh.column == cached.column,
				      "%s: %u:%u, fresh %u:%u", path, cached.line, cached.column,
				      fresh.line, fresh.column);
			ck_assert_uint_eq(fresh.line, (unsigned int)i + 2);
		}
	}
	strbuf_free(&t);
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
	tcase_add_test(tc, cursor_any_order);
	tcase_add_test(tc, cursor_long_list);
	tcase_add_test(tc, empty_text);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
