/* SPDX-License-Identifier: MIT */
#include "jsonpos.h"

#include <stdlib.h>
#include <string.h>

struct scanner {
	const char *s;
	size_t len;
	size_t pos;
	struct jsonpos at;
};

static int peek(const struct scanner *sc)
{
	return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

static void advance(struct scanner *sc)
{
	unsigned char c = (unsigned char)sc->s[sc->pos++];

	if (c == '\n') {
		sc->at.line++;
		sc->at.column = 1;
	} else if ((c & 0xc0) != 0x80) {
		/* UTF-8 continuation bytes do not start a new character. */
		sc->at.column++;
	}
}

static void skip_ws(struct scanner *sc)
{
	while (peek(sc) == ' ' || peek(sc) == '\t' || peek(sc) == '\n' || peek(sc) == '\r')
		advance(sc);
}

/*
 * Skip a string starting at the opening quote. When |key| is non-NULL, also
 * report whether the string's raw contents equal |key| (keys in policies are
 * plain ASCII; an escaped key simply never matches).
 */
static bool skip_string(struct scanner *sc, const char *key, size_t keylen, bool *ret_match)
{
	size_t start;

	advance(sc); /* opening quote */
	start = sc->pos;
	while (peek(sc) >= 0 && peek(sc) != '"') {
		if (peek(sc) == '\\') {
			advance(sc);
			if (peek(sc) < 0)
				return false;
		}
		advance(sc);
	}
	if (peek(sc) < 0)
		return false;
	if (ret_match)
		*ret_match =
			key && sc->pos - start == keylen && memcmp(sc->s + start, key, keylen) == 0;
	advance(sc); /* closing quote */
	return true;
}

static bool skip_value(struct scanner *sc);

static bool skip_container(struct scanner *sc, int close)
{
	advance(sc); /* '{' or '[' */
	skip_ws(sc);
	if (peek(sc) == close) {
		advance(sc);
		return true;
	}
	for (;;) {
		skip_ws(sc);
		if (close == '}') {
			if (peek(sc) != '"' || !skip_string(sc, NULL, 0, NULL))
				return false;
			skip_ws(sc);
			if (peek(sc) != ':')
				return false;
			advance(sc);
		}
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (peek(sc) == ',') {
			advance(sc);
			continue;
		}
		if (peek(sc) != close)
			return false;
		advance(sc);
		return true;
	}
}

static bool skip_value(struct scanner *sc)
{
	int c;

	skip_ws(sc);
	c = peek(sc);
	if (c == '"')
		return skip_string(sc, NULL, 0, NULL);
	if (c == '{')
		return skip_container(sc, '}');
	if (c == '[')
		return skip_container(sc, ']');
	if (c < 0)
		return false;
	/* number, true, false, null */
	while (peek(sc) >= 0 && !strchr(",]} \t\r\n", peek(sc)))
		advance(sc);
	return true;
}

/*
 * Step into member |key| of the object at the scanner; leaves it at the
 * value, and |*ret_key_at| where the member's name starts.
 */
static bool enter_member(struct scanner *sc, const char *key, size_t keylen,
			 struct jsonpos *ret_key_at)
{
	advance(sc); /* '{' */
	for (;;) {
		struct jsonpos key_at;
		bool match = false;

		skip_ws(sc);
		if (peek(sc) != '"')
			return false;
		key_at = sc->at;
		if (!skip_string(sc, key, keylen, &match))
			return false;
		skip_ws(sc);
		if (peek(sc) != ':')
			return false;
		advance(sc);
		skip_ws(sc);
		if (match) {
			*ret_key_at = key_at;
			return true;
		}
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (peek(sc) != ',')
			return false;
		advance(sc);
	}
}

/* From element |from| of a list (the scanner at it) on to element |to|. */
static bool skip_elements(struct scanner *sc, unsigned long from, unsigned long to)
{
	for (; from < to; from++) {
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (peek(sc) != ',')
			return false;
		advance(sc);
		skip_ws(sc);
		if (peek(sc) == ']')
			return false;
	}
	return true;
}

static bool enter_element(struct scanner *sc, unsigned long index)
{
	advance(sc); /* '[' */
	skip_ws(sc);
	return peek(sc) != ']' && skip_elements(sc, 0, index);
}

/* One step of a path: "[3]" or ".key" (the first key without its dot). */
struct segment {
	bool is_index;
	unsigned long index;
	const char *key;
	size_t keylen;
};

/* Read the segment at |*p| and move past it; false when it is malformed. */
static bool next_segment(const char **p, struct segment *ret)
{
	if (**p == '[') {
		char *end;

		ret->is_index = true;
		ret->index = strtoul(*p + 1, &end, 10);
		*p = end + (*end == ']');
		return *end == ']';
	}
	*p += (**p == '.');
	ret->is_index = false;
	ret->key = *p;
	ret->keylen = strcspn(*p, ".[");
	*p += ret->keylen;
	return true;
}

static bool same_step(const struct jsonpos_step *st, const struct segment *seg)
{
	if (st->is_index != seg->is_index)
		return false;
	if (seg->is_index)
		return st->index == seg->index;
	return strlen(st->key) == seg->keylen && memcmp(st->key, seg->key, seg->keylen) == 0;
}

static struct jsonpos_mark mark(const struct scanner *sc)
{
	return (struct jsonpos_mark){.offset = sc->pos, .at = sc->at};
}

static void go_to(struct scanner *sc, const struct jsonpos_mark *m)
{
	sc->pos = m->offset;
	sc->at = m->at;
}

/* Remember step |j| (taken from |before| to |sc|), or forget it and the ones after. */
static void remember(struct jsonpos_cursor *cur, size_t j, const struct segment *seg, bool ok,
		     const struct scanner *before, const struct scanner *sc, struct jsonpos key_at)
{
	struct jsonpos_step *st;

	cur->n = j;
	if (!ok || j >= JSONPOS_DEPTH || (!seg->is_index && seg->keylen >= JSONPOS_KEY_MAX))
		return;
	st = &cur->steps[j];
	*st = (struct jsonpos_step){.is_index = seg->is_index,
				    .index = seg->index,
				    .before = mark(before),
				    .value = mark(sc),
				    .key_at = key_at};
	if (!seg->is_index)
		memcpy(st->key, seg->key, seg->keylen);
	cur->n = j + 1;
}

/*
 * Take one step from the scanner (at the container): from the cursor's
 * memory when |old| (the remembered step at this depth, the steps before
 * being the same) is this step or an earlier element of the same list.
 */
static bool take_step(struct scanner *sc, const struct segment *seg, const struct jsonpos_step *old,
		      struct jsonpos *ret_key_at)
{
	if (old && seg->is_index && old->is_index && old->index < seg->index) {
		go_to(sc, &old->value);
		return skip_elements(sc, old->index, seg->index);
	}
	if (seg->is_index)
		return peek(sc) == '[' && enter_element(sc, seg->index);
	return peek(sc) == '{' && enter_member(sc, seg->key, seg->keylen, ret_key_at);
}

bool jsonpos_find_cached(struct jsonpos_cursor *cur, const char *text, size_t len, const char *path,
			 bool want_key, struct jsonpos *ret)
{
	struct scanner sc = {.s = text, .len = len, .at = {1, 1}};
	const char *p = path;
	bool same = cur != NULL; /* the steps so far are the remembered ones */

	if (cur && (cur->text != text || cur->len != len))
		*cur = (struct jsonpos_cursor){.text = text, .len = len};
	skip_ws(&sc);
	if (peek(&sc) < 0)
		return false;
	*ret = sc.at;
	for (size_t j = 0; *p; j++) {
		const struct jsonpos_step *old = same && j < cur->n ? &cur->steps[j] : NULL;
		struct scanner before = sc;
		struct jsonpos key_at = sc.at;
		struct segment seg;
		bool ok = next_segment(&p, &seg);

		if (ok && old && same_step(old, &seg)) {
			go_to(&sc, &old->value);
			key_at = old->key_at;
		} else {
			same = false;
			ok = ok && take_step(&sc, &seg, old, &key_at);
			if (cur)
				remember(cur, j, &seg, ok, &before, &sc, key_at);
		}
		if (!ok) {
			*ret = before.at;
			return true;
		}
		*ret = want_key && !seg.is_index && !*p ? key_at : sc.at;
	}
	return true;
}

bool jsonpos_find(const char *text, size_t len, const char *path, bool want_key,
		  struct jsonpos *ret)
{
	return jsonpos_find_cached(NULL, text, len, path, want_key, ret);
}
