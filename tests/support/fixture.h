/* SPDX-License-Identifier: MIT */
/*
 * A policy on the test backend with a recording runtime: what the unit suites build on. Each test
 * makes a fixture, counts events on CPUs, advances time, and asserts on what the runtime was told
 * (throttle, unthrottle, kick_all), on the trace log and on the statistics.
 */
#ifndef MEMBW_TEST_FIXTURE_H
#define MEMBW_TEST_FIXTURE_H

#include <membw/membw.h>

#include "test_backend.h"
#include "trace_log.h"

#define FX_MAX_CPUS 64

struct fx_cpu {
	bool held;            /* throttle seen, no unthrottle since */
	int throttle_calls;
	int unthrottle_calls;
	int bad_calls;        /* throttle while held, unthrottle while not held */
	bool kick_pending;
	uint64_t next_tick;   /* from the last tick/online/kick */
};

struct fx {
	struct membw *m;
	const struct membw_backend *be; /* &tb_backend unless a test swaps it before fx_start() */
	struct tb tb;
	struct membw_config cfg;
	struct membw_env env;
	struct fx_cpu cpu[FX_MAX_CPUS];
	int kick_all_calls;
	struct trace_log log; /* every trace record the policy reported */
	void *storage;
	uint64_t now; /* ns */
};

/* Defaults: @ncpus CPUs, @ndomains domains, 1 ms period, tb_defaults() backend, logging env. */
void fx_config(struct fx *f, unsigned int ncpus, unsigned int ndomains);
/* Create the policy (membw_init); returns its result. */
int fx_start(struct fx *f);
/* Domain 0 gets read budget @read_bps (writes unlimited), every CPU joins it, all come online
 * (asserts success). */
void fx_one_domain(struct fx *f, uint64_t read_bps);
/* Bring every CPU online at f->now; returns the first error. */
int fx_online_all(struct fx *f);
void fx_stop(struct fx *f);

/* Count @n events on @cpu/@ch; if that raised an overflow, deliver it at once (zero latency). */
int fx_count(struct fx *f, unsigned int cpu, unsigned int ch, uint64_t n);
/* Deliver a pending overflow on @cpu now (for latency tests): returns membw_overflow's result. */
int fx_deliver(struct fx *f, unsigned int cpu);
/* Advance time to the next period start and tick every online CPU, then deliver kicks. */
int fx_next_period(struct fx *f);
/* Deliver pending kicks (membw_kick) to every CPU that has one. */
int fx_deliver_kicks(struct fx *f);

/* Statistics of @cpu (asserts success). */
struct membw_cpu_stats fx_stats(struct fx *f, unsigned int cpu);
/* Events in the log of @type on @cpu (any CPU if cpu < 0). */
size_t fx_events(const struct fx *f, uint32_t type, int cpu);
/* Last event of @type on @cpu and @ch, or NULL. */
const struct membw_trace_record *fx_last(const struct fx *f, uint32_t type, unsigned int cpu,
				  unsigned int ch);
/* Like fx_last(), but a missing event is a test failure (a zeroed event stands in). */
const struct membw_trace_record *fx_must_last(const struct fx *f, uint32_t type, unsigned int cpu,
				       unsigned int ch);
/* Matches any source in fx_sum_in() and fx_count_in(). */
#define FX_ANY_SOURCE 0xFFFFFFFFu
/* Sum of `amount`, and number, of events of @type and @source on @cpu/@ch in period @epoch. */
uint64_t fx_sum_in(const struct fx *f, uint32_t type, uint32_t source, unsigned int cpu,
		   unsigned int ch, uint64_t epoch);
size_t fx_count_in(const struct fx *f, uint32_t type, uint32_t source, unsigned int cpu,
		   unsigned int ch, uint64_t epoch);
/* Statistics of @domain (asserts success). */
struct membw_domain_stats fx_domain_stats(struct fx *f, uint32_t domain);
/* Sum of `amount` over GRANT events of @source on @cpu/@ch in the log. */
uint64_t fx_granted(const struct fx *f, uint32_t source, unsigned int cpu, unsigned int ch);
/* Events in one period of @bytes_per_s at the fixture's period and line size. */
uint64_t fx_events_for(const struct fx *f, uint64_t bytes_per_s);

#endif
