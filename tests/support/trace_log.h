/* SPDX-License-Identifier: MIT */
/*
 * Recording the policy's trace records (membw_env::trace, or the simulator's sim_config::on_trace)
 * into a growable array, for a test to assert on afterwards. Single-threaded: the recorder is
 * called from the policy's entry points, which the unit and simulator tests call from one thread.
 * (The ThreadSanitizer stress test records per CPU thread and per call instead: see stress.c.)
 */
#ifndef MEMBW_TEST_TRACE_LOG_H
#define MEMBW_TEST_TRACE_LOG_H

#include <stddef.h>
#include <stdint.h>

#include <membw/membw.h>

struct trace_log {
	struct membw_trace_record *rec; /* rec[0 .. n-1], in the order the policy reported them */
	size_t n, cap;
};

/* Append a copy of @rec (the policy's record lives only for the call). */
void trace_log_append(struct trace_log *log, const struct membw_trace_record *rec);
/* A trace hook whose context is a struct trace_log: appends @rec to it. */
void trace_log_hook(void *log, const struct membw_trace_record *rec);
/* Records of @type on @cpu (on any CPU if @cpu < 0). */
size_t trace_log_count(const struct trace_log *log, uint32_t type, int cpu);
/* Free the records; the log is empty and can record again. */
void trace_log_free(struct trace_log *log);

#endif /* MEMBW_TEST_TRACE_LOG_H */
