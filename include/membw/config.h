/* SPDX-License-Identifier: MIT */
/**
 * @file config.h
 * @brief Policy configuration fixed at membw_init(), and the modes that may change later.
 */
#ifndef MEMBW_CONFIG_H
#define MEMBW_CONFIG_H

#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @name Period length limits, in nanoseconds
 * @{
 */
/** Default period: 1 ms, MemGuard's. */
#define MEMBW_PERIOD_DEFAULT_NS 1000000ull
/** Shortest period: 100 us. Below it, timer and interrupt overhead dominate the budget. */
#define MEMBW_PERIOD_MIN_NS 100000ull
/** Longest period: 1 s. Above it, regulation is too coarse to protect a real-time task. */
#define MEMBW_PERIOD_MAX_NS 1000000000ull
/** @} */

/** @brief What happens once every regulated CPU has been throttled in a period. */
enum membw_sharing {
	/** Nothing: throttled CPUs wait for their next period. */
	MEMBW_SHARE_NONE = 0,
	/** Spare sharing: the guaranteed total has been handed out, so every CPU may run free until the
	 *  period ends. */
	MEMBW_SHARE_SPARE = 1,
	/** Proportional sharing: a new period starts at once on every CPU, so bandwidth beyond the
	 *  guarantee is shared in proportion to the budgets. The next period boundary moves with it. */
	MEMBW_SHARE_PROPORTIONAL = 2,
};

/** @brief Default membw_config::chunk_divisor. */
#define MEMBW_CHUNK_DIVISOR_DEFAULT 4u
/** @brief Default membw_config::min_chunk_events. */
#define MEMBW_MIN_CHUNK_DEFAULT 16u

/**
 * @brief Everything fixed at membw_init(). Fill with membw_config_init(), then change fields.
 *
 * Versioned by `size`; the struct only grows at the end. membw_init() accepts a larger `size`
 * from a newer header as long as the fields it does not know are zero.
 */
struct membw_config {
	uint32_t size;     /**< sizeof(struct membw_config); set by membw_config_init(). */
	uint32_t ncpus;    /**< CPUs managed: 1 .. ::MEMBW_MAX_CPUS, numbered 0 .. ncpus - 1. */
	uint32_t ndomains; /**< Domains: 0 .. ::MEMBW_MAX_DOMAINS, numbered 0 .. ndomains - 1. */
	uint32_t sharing;  /**< Initial enum membw_sharing (may change later: membw_set_sharing());
			        uint32_t because C does not fix an enum's size. */
	uint64_t period_ns; /**< Period: ::MEMBW_PERIOD_MIN_NS .. ::MEMBW_PERIOD_MAX_NS; default 1 ms. */
	uint32_t reclaim;   /**< Initial reclaim setting, 0 or 1 (may change later: membw_set_reclaim()). */
	uint32_t levels;    /**< MEMBW_COUNT_* levels counted; default user and kernel. */
	/** Backend-specific event code per channel; 0 (the default) asks the backend for its own. */
	uint64_t event[MEMBW_NCHANNELS];
	/** Without reclaim, a domain of n CPUs hands out its budget in chunks of budget/(n*divisor)
	 *  events (a domain of one CPU: the whole budget at once). 1 .. 64; default 4. */
	uint32_t chunk_divisor;
	/** Smallest chunk handed out or borrowed, in events: 1 .. 2^20; default 16. */
	uint32_t min_chunk_events;
	/* --- end of version 1 (size 56 on every ABI: no padding; bindings check the layout) --- */
};

/**
 * @brief Fill @p cfg with defaults: 1 CPU, no domains, 1 ms period, no sharing, reclaim off, user
 *        and kernel counted, backend default events, chunk divisor 4, minimum chunk 16 events.
 * @param cfg Configuration to fill; must not be NULL.
 */
MEMBW_API void membw_config_init(struct membw_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_CONFIG_H */
