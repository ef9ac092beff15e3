/* SPDX-License-Identifier: MIT */
/*
 * result.c - the result helpers of the public API (sandbox.h): names of
 * statuses, isolation modes and memory sources, the exit status a result
 * stands for, and freeing a result. A leaf: report.c and tracer.c use the
 * names without depending on api.c, which depends on them.
 */
#include <stdlib.h>

#include "sandbox.h"
#include "util.h"

SBX_EXPORT void sbx_result_clear(struct sbx_result *result)
{
	free(result->isolation.workdir);
	free(result->violation.text);
	free(result->violation.reason);
	free(result->error);
	for (size_t i = 0; i < result->n_calls; i++)
		free(result->calls[i].reason);
	free(result->calls);
	free(result->summary);
	*result = (struct sbx_result){0};
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

SBX_EXPORT int sbx_result_exit_status(const struct sbx_result *result)
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
