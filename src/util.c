/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool grow(struct strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;

	if (sb->oom)
		return false;
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(sb->buf, cap);
	if (!p) {
		sb->oom = true;
		return false;
	}
	sb->buf = p;
	sb->cap = cap;
	return true;
}

void strbuf_append_len(struct strbuf *sb, const char *s, size_t len)
{
	if (!grow(sb, len))
		return;
	memcpy(sb->buf + sb->len, s, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_append(struct strbuf *sb, const char *s)
{
	strbuf_append_len(sb, s, strlen(s));
}

void strbuf_append_char(struct strbuf *sb, char c)
{
	strbuf_append_len(sb, &c, 1);
}

void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !grow(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

bool strbuf_failed(const struct strbuf *sb)
{
	return sb->oom;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *strbuf_steal(struct strbuf *sb)
{
	char *s = sb->buf;
	bool oom = sb->oom;

	if (!s || oom) {
		strbuf_free(sb);
		return oom ? NULL : xstrdup("");
	}
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->oom = false;
}

char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/*
 * A non-negative decimal with up to three fractional digits, as thousandths.
 * Stores where parsing stopped in |ret_end|.
 */
static int parse_milli(const char *s, uint64_t *ret, const char **ret_end)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0, frac_digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (whole > (UINT64_MAX / 1000 - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			if (frac_digits == 3)
				return -EINVAL; /* finer than a millisecond / a byte */
			frac = frac * 10 + (uint64_t)(*s - '0');
			frac_digits++;
		}
	}
	if (digits == 0)
		return -EINVAL;
	for (; frac_digits < 3; frac_digits++)
		frac *= 10;
	*ret = whole * 1000 + frac;
	*ret_end = s;
	return 0;
}

int parse_duration_ms(const char *text, uint64_t *ret_ms)
{
	const char *end;
	uint64_t milli;
	int r;

	if (!text)
		return -EINVAL;
	r = parse_milli(text, &milli, &end);
	if (r < 0)
		return r;
	if (strcmp(end, "ms") == 0) {
		if (milli % 1000)
			return -EINVAL; /* "1.5ms": below our resolution */
		*ret_ms = milli / 1000;
		return 0;
	}
	if (*end && strcmp(end, "s") != 0)
		return -EINVAL;
	*ret_ms = milli;
	return 0;
}

int parse_size(const char *text, uint64_t *ret_bytes)
{
	static const char units[] = "KMGT";
	const char *end, *u;
	uint64_t milli, mult = 1;
	int r;

	if (!text)
		return -EINVAL;
	r = parse_milli(text, &milli, &end);
	if (r < 0)
		return r;
	if (*end) {
		/* *end is not NUL here, so strchr() cannot match the terminator. */
		u = strchr(units, toupper((unsigned char)*end));
		if (u) {
			for (const char *k = units; k <= u; k++)
				mult *= 1024;
			end++;
			if (strcmp(end, "iB") == 0)
				end += 2;
		}
		if (strcmp(end, "B") == 0)
			end++;
		if (*end)
			return -EINVAL;
	}
	if (milli > UINT64_MAX / mult)
		return -ERANGE;
	milli *= mult;
	if (milli % 1000)
		return -EINVAL; /* a fraction of a byte */
	*ret_bytes = milli / 1000;
	return 0;
}

int write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};

			if (poll(&pfd, 1, 1000) <= 0)
				return -EAGAIN;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

void sink_write(struct sink *k, const char *s, size_t len)
{
	int wait = k->stalled ? 0 : SINK_WAIT_MS;

	while (len > 0 && k->fd >= 0) {
		ssize_t n = k->socket ? send(k->fd, s, len, MSG_DONTWAIT | MSG_NOSIGNAL)
				      : write(k->fd, s, len);
		struct pollfd pfd = {.fd = k->fd, .events = POLLOUT};

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && wait > 0 && poll(&pfd, 1, wait) > 0) {
			wait = 0; /* one wait per line: a terminal may poll writable and still refuse */
			continue;
		}
		if (n <= 0) {
			k->stalled = n < 0 && errno == EAGAIN;
			k->dropped++;
			return;
		}
		s += n;
		len -= (size_t)n;
	}
	k->stalled = false;
}

bool path_beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
