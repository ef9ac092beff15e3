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

/* Step into member |key| of the object at the scanner; leaves it at the value. */
static bool enter_member(struct scanner *sc, const char *key, size_t keylen, bool want_key)
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
			if (want_key)
				sc->at = key_at;
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

static bool enter_element(struct scanner *sc, unsigned long index)
{
	advance(sc); /* '[' */
	for (unsigned long i = 0;; i++) {
		skip_ws(sc);
		if (peek(sc) == ']')
			return false;
		if (i == index)
			return true;
		if (!skip_value(sc))
			return false;
		skip_ws(sc);
		if (peek(sc) != ',')
			return false;
		advance(sc);
	}
}

bool jsonpos_find(const char *text, size_t len, const char *path, bool want_key,
		  struct jsonpos *ret)
{
	struct scanner sc = {.s = text, .len = len, .at = {1, 1}};
	const char *p = path;

	skip_ws(&sc);
	if (peek(&sc) < 0)
		return false;
	*ret = sc.at;
	while (*p) {
		struct scanner saved = sc;
		bool ok;

		if (*p == '[') {
			char *end;
			unsigned long index = strtoul(p + 1, &end, 10);

			ok = peek(&sc) == '[' && *end == ']' && enter_element(&sc, index);
			p = end + (*end == ']');
		} else {
			size_t n;

			p += (*p == '.');
			n = strcspn(p, ".[");
			ok = peek(&sc) == '{' && enter_member(&sc, p, n, want_key && p[n] == '\0');
			p += n;
		}
		if (!ok) {
			*ret = saved.at;
			return true;
		}
		*ret = sc.at;
	}
	return true;
}
