/* SPDX-License-Identifier: MIT */
/**
 * @file stats.h
 * @brief Statistics per CPU and per domain, readable from any CPU at any time.
 *
 * Every CPU counter is cumulative since membw_init() and only grows (domain totals are sums over
 * the CPUs assigned now, so they move when a CPU changes domain). Each value is read atomically,
 * but a snapshot taken while CPUs are running mixes values from neighbouring periods; differences
 * between two snapshots a few periods apart are exact.
 */
#ifndef MEMBW_STATS_H
#define MEMBW_STATS_H

#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct membw;

/**
 * @brief Counters of one channel (reads or write-backs), all in events (cache lines).
 *
 * Over closed periods: `allowance = budget - donated + reclaimed + borrowed`, and
 * `used <= allowance + overshoot` (the period in progress has its grants counted already and its
 * use and allowance only when it closes).
 */
struct membw_channel_stats {
	uint64_t used;      /**< Events counted. */
	uint64_t budget;    /**< Events granted from the CPU's own domain (share or pool chunks). */
	uint64_t allowance; /**< Events the CPU was allowed in total (budget net of reclaim). */
	uint64_t donated;   /**< Events of the share donated to the reclaim pool at period start. */
	uint64_t reclaimed; /**< Events of its own donation taken back. */
	uint64_t borrowed;  /**< Events borrowed from other CPUs' donations. */
	uint64_t overshoot; /**< Events counted past the allowance (interrupt latency, lost interrupts). */
	uint64_t shortfall; /**< Take-backs the reclaim pool could no longer cover (granted anyway). */
};

/** @brief Counters shared by CPU and domain statistics. */
struct membw_totals {
	uint64_t periods;            /**< Periods closed, missed ones included; going offline
					  closes one (a CPU taken offline and back online within one
					  period counts that period twice). */
	uint64_t missed_periods;     /**< Periods that passed without a tick (late ticks). */
	uint64_t throttle_count;     /**< Periods in which the CPU was throttled (including periods it
					  started held, without budget). */
	uint64_t throttled_ns;       /**< Nanoseconds spent throttled. */
	uint64_t spurious_overflows; /**< Overflow calls with no counter at its arm point. */
	uint64_t early_ticks;        /**< Ticks that arrived inside the current period (ignored). */
	uint64_t anomalies;          /**< Counter jumps and backend errors corrected. */
	struct membw_channel_stats ch[MEMBW_NCHANNELS]; /**< Per channel: ::MEMBW_CH_READ, _WRITE. */
};

/**
 * @name CPU state bits (membw_cpu_stats::state)
 * @{
 */
#define MEMBW_CPU_ONLINE (1u << 0)    /**< Between membw_cpu_online() and membw_cpu_offline(). */
#define MEMBW_CPU_REGULATED (1u << 1) /**< In a domain with a finite budget, not real-time. */
#define MEMBW_CPU_THROTTLED (1u << 2) /**< Currently throttled. */
#define MEMBW_CPU_RELEASED (1u << 3)  /**< Running free until the period ends (spare sharing). */
/** @} */

/** @brief Statistics of one CPU. */
struct membw_cpu_stats {
	uint32_t size;   /**< In: sizeof(struct membw_cpu_stats) as the caller knows it. */
	uint32_t domain; /**< Domain the CPU is in (as of its last period start), or ::MEMBW_NO_DOMAIN. */
	uint32_t reserved; /**< 0. */
	uint32_t state;  /**< MEMBW_CPU_* state bits. */
	uint64_t epoch;  /**< Period number the CPU is in. */
	struct membw_totals totals; /**< Cumulative counters. */
};

/**
 * @brief Statistics of one domain: its budget, and the sums over the CPUs now assigned to it
 *        (membw_cpu_set_domain(), whether or not the change has taken effect yet).
 */
struct membw_domain_stats {
	uint32_t size;     /**< In: sizeof(struct membw_domain_stats) as the caller knows it. */
	uint32_t ncpus;    /**< CPUs assigned to the domain (online or not). */
	uint32_t nonline;  /**< Of those, regulated and online: the budget is split among these. */
	uint32_t reserved; /**< 0. */
	uint64_t budget_bps[MEMBW_NCHANNELS];    /**< Budget as set, bytes per second per channel. */
	uint64_t budget_events[MEMBW_NCHANNELS]; /**< The same in events per period; UINT64_MAX: none. */
	struct membw_totals totals; /**< Sums of the member CPUs' counters (history follows the CPU). */
};

/**
 * @brief Read the statistics of one CPU.
 * @param m     The policy.
 * @param cpu   0 .. ncpus - 1.
 * @param out   Filled up to `out->size` bytes; `out->size` must be set by the caller and be at least
 *              the size of the first version (this one).
 * @retval 0 Done.
 * @retval -MEMBW_EINVAL NULL pointer, CPU out of range, or `out->size` too small. @p out unchanged.
 * Callable from any CPU, any time.
 */
MEMBW_API int membw_cpu_get_stats(const struct membw *m, uint32_t cpu, struct membw_cpu_stats *out);

/**
 * @brief Read the statistics of one domain. Sums over the CPUs assigned to it: O(ncpus).
 * @param m      The policy.
 * @param domain 0 .. ndomains - 1.
 * @param out    As for membw_cpu_get_stats().
 * @retval 0 Done.
 * @retval -MEMBW_EINVAL NULL pointer, domain out of range, or `out->size` too small. @p out unchanged.
 * @retval -MEMBW_EAGAIN A budget setter kept the domain busy throughout; @p out unchanged.
 * Callable from any CPU, any time; not meant for hot paths.
 */
MEMBW_API int membw_domain_get_stats(const struct membw *m, uint32_t domain,
				 struct membw_domain_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_STATS_H */
