/* SPDX-License-Identifier: MIT */
/*
 * result.c - the result helpers of the public API (sandbox.h): names of
 * statuses, isolation modes and memory sources, the exit status a result
 * stands for, freeing a result, and copying the public structs at the
 * caller's size. A leaf: report.c and tracer.c use the names without
 * depending on api.c, which depends on them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "sandbox.h"
#include "util.h"

/* A new field is appended: compare with its SBX_RESULT_SIZE_VER<n> (sandbox.h). */
_Static_assert(sizeof(struct sbx_result) == SBX_RESULT_SIZE_VER1,
	       "struct sbx_result must end at its last field, with no padding after it");

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int sized_copy_in(void *dst, size_t dst_size, const void *src, size_t src_size)
{
	const unsigned char *bytes = src;

	for (size_t i = dst_size; i < src_size; i++)
		if (bytes[i])
			return -E2BIG;
	memset(dst, 0, dst_size);
	memcpy(dst, src, min_size(dst_size, src_size));
	return 0;
}

void result_widen(struct sbx_result *ret, const struct sbx_result *src, size_t size)
{
	*ret = (struct sbx_result){0};
	memcpy(ret, src, min_size(size, sizeof(*ret)));
}

static void drop(char **p)
{
	free(*p);
	*p = NULL;
}

/* Whether the caller's first |size| bytes hold all of |field| (a member of struct sbx_result). */
#define RESULT_HAS(size, field) (SBX_OFFSETOFEND(struct sbx_result, field) <= (size))

/*
 * Free what |r| owns in the fields wholly inside its first |size| bytes
 * (|inside|), or in the others, and clear those pointers. Every owned
 * pointer of struct sbx_result is listed here; the calls go with their
 * count.
 */
static void result_free_fields(struct sbx_result *r, size_t size, bool inside)
{
	if (RESULT_HAS(size, violation.text) == inside)
		drop(&r->violation.text);
	if (RESULT_HAS(size, violation.reason) == inside)
		drop(&r->violation.reason);
	if (RESULT_HAS(size, error) == inside)
		drop(&r->error);
	if (RESULT_HAS(size, isolation.workdir) == inside)
		drop(&r->isolation.workdir);
	if (RESULT_HAS(size, n_calls) == inside) {
		for (size_t i = 0; i < r->n_calls; i++)
			drop(&r->calls[i].reason);
		free(r->calls);
		r->calls = NULL;
		r->n_calls = 0;
	}
	if (RESULT_HAS(size, n_summary) == inside) {
		free(r->summary);
		r->summary = NULL;
		r->n_summary = 0;
	}
}

void result_copy_out(struct sbx_result *full, struct sbx_result *dst, size_t size)
{
	result_free_fields(full, size, false);
	memcpy(dst, full, min_size(size, sizeof(*full)));
	*full = (struct sbx_result){0};
}

SBX_EXPORT void sbx_result_clear_sized(struct sbx_result *result, size_t size)
{
	result_free_fields(result, size, true);
	memset(result, 0, size);
}

SBX_EXPORT const char *sbx_status_name(enum sbx_status status)
{
	static const char *const names[] = {
		[SBX_STATUS_EXITED] = "exited",
		[SBX_STATUS_SIGNALED] = "signaled",
		[SBX_STATUS_VIOLATION] = "violation",
		[SBX_STATUS_ERROR] = "error",
		[SBX_STATUS_CPU_TIME_LIMIT] = "cpu_time_limit",
		[SBX_STATUS_WALL_TIME_LIMIT] = "wall_time_limit",
		[SBX_STATUS_MEMORY_LIMIT] = "memory_limit",
		[SBX_STATUS_OUTPUT_LIMIT] = "output_limit",
		[SBX_STATUS_PROCESS_LIMIT] = "process_limit",
		[SBX_STATUS_DETACHED] = "detached",
	};

	if ((size_t)status < ARRAY_SIZE(names) && names[status])
		return names[status];
	return "error";
}

SBX_EXPORT const char *sbx_isolation_name(enum sbx_isolation mode)
{
	switch (mode) {
	case SBX_ISOLATION_NAMESPACES:
		return "namespaces";
	case SBX_ISOLATION_LANDLOCK:
		return "landlock";
	case SBX_ISOLATION_NONE:
		return "none";
	case SBX_ISOLATION_DEFAULT:
		break;
	}
	return "default";
}

SBX_EXPORT const char *sbx_memory_source_name(enum sbx_memory_source source)
{
	return source == SBX_MEMORY_SOURCE_CGROUP ? "cgroup" : "rusage";
}

static int exit_status(const struct sbx_result *result)
{
	switch (result->status) {
	case SBX_STATUS_EXITED:
		return result->exit_code;
	case SBX_STATUS_SIGNALED:
		return 128 + result->signal;
	case SBX_STATUS_VIOLATION:
		return SBX_EXIT_VIOLATION;
	case SBX_STATUS_ERROR:
		return result->error_exit ? result->error_exit : SBX_EXIT_ERROR;
	case SBX_STATUS_CPU_TIME_LIMIT:
		return SBX_EXIT_CPU_TIME;
	case SBX_STATUS_WALL_TIME_LIMIT:
		return SBX_EXIT_WALL_TIME;
	case SBX_STATUS_MEMORY_LIMIT:
		return SBX_EXIT_MEMORY;
	case SBX_STATUS_OUTPUT_LIMIT:
		return SBX_EXIT_OUTPUT;
	case SBX_STATUS_PROCESS_LIMIT:
		return SBX_EXIT_PROCESSES;
	case SBX_STATUS_DETACHED:
		return 0;
	}
	return SBX_EXIT_ERROR;
}

SBX_EXPORT int sbx_result_exit_status_sized(const struct sbx_result *result, size_t size)
{
	struct sbx_result r;

	if (size < SBX_RESULT_SIZE_VER0)
		return -EINVAL;
	result_widen(&r, result, size);
	return exit_status(&r);
}
