/* SPDX-License-Identifier: MIT */
#include "trace_log.h"

#include <stdlib.h>

#include "grow.h"

void trace_log_append(struct trace_log *log, const struct membw_trace_record *rec)
{
	log->rec = grow_array(log->rec, &log->cap, log->n, sizeof(*log->rec));
	log->rec[log->n++] = *rec;
}

void trace_log_hook(void *log, const struct membw_trace_record *rec)
{
	trace_log_append(log, rec);
}

size_t trace_log_count(const struct trace_log *log, uint32_t type, int cpu)
{
	size_t i, n = 0;

	for (i = 0; i < log->n; i++)
		if (log->rec[i].type == type && (cpu < 0 || log->rec[i].cpu == (uint32_t)cpu))
			n++;
	return n;
}

void trace_log_free(struct trace_log *log)
{
	free(log->rec);
	*log = (struct trace_log){ 0 };
}
