/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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
	static const struct {
		const char *suffix;
		uint64_t seconds;
	} units[] = {{"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
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
	/* Minutes, hours and days as timeout(1) takes them: "1m", "1.5h", "2d". */
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (milli > UINT64_MAX / units[i].seconds)
			return -ERANGE;
		*ret_ms = milli * units[i].seconds;
		return 0;
	}
	return -EINVAL;
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

bool fd_is_socket(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * A pipe whose reader is gone (the caller's "| head") fails with EPIPE
 * and raises SIGPIPE, which would kill the supervisor mid-run: the signal
 * is blocked around the write and, when this write raised it, taken.
 */
static ssize_t sink_put(const struct sink *k, const char *s, size_t len)
{
	sigset_t pipe_set, old, pending;
	struct timespec zero = {0};
	bool was_pending;
	ssize_t n;
	int err;

	if (k->socket)
		return send(k->fd, s, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
	n = write(k->fd, s, len);
	err = errno;
	if (n < 0 && err == EPIPE && !was_pending)
		(void)sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return n;
}

/*
 * Write as much of |s| as the output takes now, after one wait of at most
 * |wait_ms| for room (a terminal may poll writable and still refuse, so
 * never more than one). Returns the bytes written; sets |broken| on a
 * failure other than a full output.
 */
static size_t sink_push(struct sink *k, const char *s, size_t len, int wait_ms)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = sink_put(k, s + done, len - done);
		struct pollfd pfd = {.fd = k->fd, .events = POLLOUT};

		if (n > 0) {
			done += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			if (wait_ms <= 0)
				break;
			(void)poll(&pfd, 1, wait_ms);
			wait_ms = 0;
		} else {
			k->broken = true;
			break;
		}
	}
	return done;
}

static unsigned long count_lines(const char *s, size_t len)
{
	unsigned long n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len > 0 && s[len - 1] != '\n');
}

/* Write what is kept, after one wait of at most |wait_ms|; true when nothing is kept any more. */
static bool sink_flush(struct sink *k, int wait_ms)
{
	size_t done;

	if (k->n_kept == 0)
		return true;
	done = k->broken ? 0 : sink_push(k, k->kept, k->n_kept, wait_ms);
	memmove(k->kept, k->kept + done, k->n_kept - done);
	k->n_kept -= done;
	if (k->broken) {
		k->dropped += count_lines(k->kept, k->n_kept);
		k->n_kept = 0;
	}
	return k->n_kept == 0;
}

static bool sink_keep(struct sink *k, const char *s, size_t len, bool must)
{
	if (k->n_kept + len > k->cap_kept) {
		size_t cap = k->cap_kept ? k->cap_kept : 4096;
		char *p;

		if (!must && k->n_kept + len > SINK_KEEP_MAX)
			return false;
		while (cap < k->n_kept + len)
			cap *= 2;
		p = realloc(k->kept, cap);
		if (!p)
			return false;
		k->kept = p;
		k->cap_kept = cap;
	}
	memcpy(k->kept + k->n_kept, s, len);
	k->n_kept += len;
	return true;
}

void sink_write(struct sink *k, const char *s, size_t len)
{
	size_t done = 0;

	if (k->fd < 0)
		return;
	/* Older lines first; while they wait, this one does not. */
	if (sink_flush(k, 0) && !k->broken && len > 0)
		done = sink_push(k, s, len, SINK_WAIT_MS);
	if (len == 0)
		return;
	if (k->broken) {
		k->dropped += count_lines(s + done, len - done);
		return;
	}
	if (done == len)
		return;
	/* A line begun is always finished, so lines never interleave. */
	if (!sink_keep(k, s + done, len - done, done > 0))
		k->dropped += count_lines(s + done, len - done);
}

void sink_drain(struct sink *k, int wait_ms)
{
	while (k->fd >= 0 && k->n_kept > 0) {
		size_t before = k->n_kept;
		uint64_t start = monotonic_ms();

		/*
		 * Wait until the output takes something, for at most |wait_ms| in
		 * all; a stopped terminal polls writable and refuses, so pause.
		 */
		while (k->n_kept == before && !k->broken &&
		       monotonic_ms() - start < (uint64_t)wait_ms) {
			sink_flush(k, 100);
			if (k->n_kept == before)
				(void)poll(NULL, 0, 10);
		}
		if (k->n_kept == before) {
			k->dropped += count_lines(k->kept, k->n_kept);
			k->n_kept = 0;
		}
	}
}

void sink_free(struct sink *k)
{
	free(k->kept);
	*k = (struct sink){.fd = k->fd};
}

bool path_beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
