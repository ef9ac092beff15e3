/* SPDX-License-Identifier: MIT */
/*
 * util.h - side-effect-free helpers shared by every layer: scope-based
 * cleanup, a growable string buffer, small arithmetic helpers.
 *
 * Layering rule: nothing in util.c talks to the kernel beyond memory
 * allocation and close(2).
 */
#ifndef SBX_UTIL_H
#define SBX_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define _cleanup_(f)	__attribute__((cleanup(f)))
#define _cleanup_free_	_cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _printf_(a, b)	__attribute__((format(printf, a, b)))
#define _unused_	__attribute__((unused))
#define _warn_unused_	__attribute__((warn_unused_result))

/* Hand a pointer out of a cleanup scope: returns it and clears the source. */
#define TAKE_PTR(p)                                                                                \
	({                                                                                         \
		__typeof__(p) _tp_ = (p);                                                          \
		(p) = NULL;                                                                        \
		_tp_;                                                                              \
	})

#define TAKE_FD(fd)                                                                                \
	({                                                                                         \
		int _tf_ = (fd);                                                                   \
		(fd) = -1;                                                                         \
		_tf_;                                                                              \
	})

/*
 * A growable, always NUL-terminated string. A zeroed struct is a valid empty
 * buffer. On allocation failure the buffer latches |oom| and further appends
 * are ignored, so callers check once at the end (strbuf_failed()).
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;
};

void strbuf_append(struct strbuf *sb, const char *s);
void strbuf_append_len(struct strbuf *sb, const char *s, size_t len);
void strbuf_append_char(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) _printf_(2, 3);
void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap) _printf_(2, 0);
/* Text so far; never NULL (an empty buffer yields ""). */
const char *strbuf_str(const struct strbuf *sb);
bool strbuf_failed(const struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Transfers ownership of the text to the caller; the buffer becomes empty. */
char *strbuf_steal(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

static inline void strbuf_freep(struct strbuf *sb)
{
	strbuf_free(sb);
}
#define _cleanup_strbuf_ _cleanup_(strbuf_freep)

/*
 * "2", "0.5", "1.5s", "250ms", "1m", "1.5h", "1d" -> milliseconds; "10K", "64M", "1.5G", "4096",
 * "64MiB", "64MB" -> bytes (binary multiples). 0, -EINVAL or -ERANGE.
 * Backs sbx_parse_duration_ms() and sbx_parse_size().
 */
int parse_duration_ms(const char *text, uint64_t *ret_ms);
int parse_size(const char *text, uint64_t *ret_bytes);

/* Duplicate a string; NULL stays NULL. Returns NULL on allocation failure. */
char *xstrdup(const char *s);

/* Whether |path| is |dir| or lies under it (both absolute and normalised). */
bool path_beneath(const char *path, const char *dir);

/*
 * Write all |len| bytes of |s| to |fd|, through EINTR and short writes; a
 * descriptor made non-blocking behind our back is waited for (up to a
 * second each time). Returns 0 or -errno.
 */
int write_all(int fd, const char *s, size_t len);

/* Whether |fd| is an open socket (written with send(MSG_DONTWAIT) by a sink). */
bool fd_is_socket(int fd);

/* Milliseconds on CLOCK_MONOTONIC (since an unspecified start). */
uint64_t monotonic_ms(void);

/*
 * Where the sandbox writes its own lines (its log, the event log) when the
 * program may be able to stall that output: a pipe it fills and nobody
 * reads, a terminal it stops with ^S (tcflow). A line waits at most
 * SINK_WAIT_MS for room, then what the output did not take is kept in
 * memory (up to SINK_KEEP_MAX bytes, whole lines) and written, in order,
 * once the output takes it again; no line waits while older lines are kept.
 * Limits, signals and the report never wait on an output the program
 * controls. sink_drain() at the end waits for the kept lines as long as the
 * output keeps taking them (at most SINK_DRAIN_MS without progress). Lines
 * that could be neither written nor kept are counted as dropped.
 */
#define SINK_WAIT_MS  100
#define SINK_DRAIN_MS 2000
#define SINK_KEEP_MAX (1u << 20)

struct sink {
	int fd;	     /* non-blocking (its own open file description), or a socket */
	bool socket; /* written with send(MSG_DONTWAIT): its flags are shared */
	bool broken; /* a write failed for good (EPIPE, EIO ...): nothing more goes out */
	char *kept;  /* bytes the output has not taken yet (heap, owned) */
	size_t n_kept, cap_kept;
	unsigned long dropped; /* lines lost */
};

/*
 * Write |len| bytes of |s| (one or more whole lines) after the lines kept
 * before, or keep them for later; |len| 0 writes only what is kept (as
 * much as the output takes now).
 */
void sink_write(struct sink *k, const char *s, size_t len);

/*
 * Write what is kept, waiting while the output takes it (at most
 * |wait_ms| without progress); what is still kept then is dropped (and
 * counted). The sink stays usable.
 */
void sink_drain(struct sink *k, int wait_ms);

/* Free what is kept (without writing it); |k| is zeroed but for |fd|. */
void sink_free(struct sink *k);

#endif
