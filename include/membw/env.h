/* SPDX-License-Identifier: MIT */
/**
 * @file env.h
 * @brief What the runtime (kernel module, hypervisor, userspace tool, simulator) provides to the
 *        policy: throttling, cross-CPU kicks, and an optional trace hook.
 *
 * The runtime owns time, interrupts and throttling; the policy owns decisions. The policy calls
 * these hooks from inside its entry points (membw_tick(), membw_overflow(), membw_kick(),
 * membw_cpu_online(), membw_cpu_offline()); a hook must not call back into the policy for the same
 * CPU synchronously.
 */
#ifndef MEMBW_ENV_H
#define MEMBW_ENV_H

#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Kinds of trace records passed to membw_env::trace.
 *
 * "Trace record" is the policy telling the runtime what it decided; "event" in libmembw always
 * means a PMU event (one counted cache-line transfer).
 */
enum membw_trace_type {
	/** A CPU finished one or more periods on a channel: `used`, `allowance`, `overshoot`,
	 *  `periods` (more than 1 after a late tick). Emitted once per channel the backend has, also
	 *  for the part of a period closed when the CPU goes offline. */
	MEMBW_TRACE_PERIOD_END = 1,
	/** A CPU was throttled: `channel` ran out; `used` and `allowance` at that moment. */
	MEMBW_TRACE_THROTTLE = 2,
	/** A CPU was released: `source` is ::MEMBW_RELEASE_PERIOD, _SPARE, _OFFLINE or _RESTART. */
	MEMBW_TRACE_UNTHROTTLE = 3,
	/** A CPU received budget: `amount` events from `source` (enum membw_grant_source); for a
	 *  take-back, `shortfall` is the part the reclaim pool no longer held (see the reclaim rules). */
	MEMBW_TRACE_GRANT = 4,
	/** A CPU donated `amount` events of its share to the reclaim pool at period start. */
	MEMBW_TRACE_DONATE = 5,
	/** Spare sharing: every regulated CPU was throttled in `epoch`; all may run until it ends. */
	MEMBW_TRACE_RELEASE_ALL = 6,
	/** Proportional sharing: every regulated CPU was throttled; a new period starts now. */
	MEMBW_TRACE_RESTART = 7,
	/** Something the hardware or runtime did that the policy had to correct: `source` is an
	 *  enum membw_anomaly value; `amount` the raw counter value or error code involved. */
	MEMBW_TRACE_ANOMALY = 8,
};

/** @brief Where granted budget came from (membw_trace_record::source for ::MEMBW_TRACE_GRANT). */
enum membw_grant_source {
	MEMBW_GRANT_POOL = 1,     /**< A chunk from the domain's pool (reclaim off). */
	MEMBW_GRANT_SHARE = 2,    /**< The CPU's share of its domain budget at period start (reclaim on). */
	MEMBW_GRANT_TAKEBACK = 3, /**< Part of the CPU's own donation taken back. */
	MEMBW_GRANT_BORROW = 4,   /**< Borrowed from other CPUs' donations. */
};

/** @brief Why a CPU was released (membw_trace_record::source for ::MEMBW_TRACE_UNTHROTTLE). */
enum membw_release_reason {
	MEMBW_RELEASE_PERIOD = 1,  /**< A new period began. */
	MEMBW_RELEASE_SPARE = 2,   /**< Spare sharing released every CPU. */
	MEMBW_RELEASE_OFFLINE = 3, /**< The CPU went offline while throttled. */
	MEMBW_RELEASE_RESTART = 4, /**< Proportional sharing started a new period early. */
};

/** @brief Anomalies the policy detected and corrected (membw_trace_record::source for ::MEMBW_TRACE_ANOMALY). */
enum membw_anomaly {
	/** The overflow interrupt arrived but no armed counter had reached its arm point. */
	MEMBW_ANOMALY_SPURIOUS_OVERFLOW = 1,
	/** The counter read implied more than half its range past the arm point (it went backwards or
	 *  was overwritten): the stretch since the last arm is counted as 0 events. */
	MEMBW_ANOMALY_COUNTER_JUMP = 2,
	/** A backend `read` or `arm` hook failed; the CPU is left running, unthrottled. */
	MEMBW_ANOMALY_BACKEND_ERROR = 3,
	/** A tick arrived in the period the CPU is already in (timer fired early or twice). */
	MEMBW_ANOMALY_EARLY_TICK = 4,
	/** The backend said a counter overflowed (membw_overflow_channels()) and it read more than
	 *  half its range past the arm point, or below it (a whole wrap past it): the interrupt came
	 *  that late. Charged as counted, plus a whole counter range when it read below the arm
	 *  point, so the overshoot is reported, never hidden. `amount` is the raw counter value. */
	MEMBW_ANOMALY_LATE_WRAP = 5,
};

/**
 * @brief One trace record. Fields not listed for a type are 0. Counts are in events (cache lines).
 *
 * Not versioned: the policy builds it on its own stack and hands it to membw_env::trace for the
 * duration of the call; a new field would be added at the end in a minor version.
 */
struct membw_trace_record {
	uint32_t type;      /**< enum membw_trace_type (an enum's size is not fixed by C: uint32_t). */
	uint32_t cpu;       /**< The CPU the event happened on. */
	uint32_t domain;    /**< That CPU's domain, or ::MEMBW_NO_DOMAIN. */
	uint32_t channel;   /**< ::MEMBW_CH_READ or ::MEMBW_CH_WRITE where it applies. */
	uint64_t now_ns;    /**< The runtime's time passed to the entry point. */
	uint64_t epoch;     /**< The period number the CPU is in (after a rollover: the one that ended). */
	uint64_t used;      /**< Events counted in the period (so far). */
	uint64_t allowance; /**< Events the CPU may count in the period (so far). */
	uint64_t overshoot; /**< Events counted past the allowance. */
	uint64_t amount;    /**< Events granted or donated; anomaly detail. */
	uint64_t shortfall; /**< Take-back not covered by the reclaim pool (see ::MEMBW_TRACE_GRANT). */
	uint32_t source;    /**< Grant source, release reason or anomaly kind. */
	uint32_t periods;   /**< Periods covered by ::MEMBW_TRACE_PERIOD_END. */
};

/**
 * @brief The runtime's services. Versioned by `size`; only grows at the end.
 *
 * Fields after a version's end marker are read only when `size` covers them; a runtime built
 * against an older header passes its smaller `size` and the policy treats the newer fields as
 * NULL.
 */
struct membw_env {
	uint32_t size;     /**< sizeof(struct membw_env) the runtime was built with. */
	uint32_t reserved; /**< Must be 0. */
	void *ctx;         /**< Passed unchanged as the first argument of every hook. */

	/**
	 * @brief Stop @p cpu running throttled work until membw_env::unthrottle is called. Mandatory.
	 *
	 * Called on @p cpu itself, from an entry point. Must not block: the runtime arranges that, once
	 * the entry point returns, the CPU idles (WFI, an idle-priority wait) or runs only exempt work.
	 */
	void (*throttle)(void *ctx, uint32_t cpu);

	/** @brief Let @p cpu run again. Called on @p cpu itself. Mandatory. */
	void (*unthrottle)(void *ctx, uint32_t cpu);

	/**
	 * @brief Make every online CPU call membw_kick() soon, including @p from_cpu. Mandatory for
	 * sharing modes ::MEMBW_SHARE_SPARE and ::MEMBW_SHARE_PROPORTIONAL, unused otherwise.
	 *
	 * Must not call membw_kick() synchronously on @p from_cpu (defer it: an IPI, a softirq, or a
	 * flag checked after the current entry point returns). One call per period at most, except
	 * in the period a sharing-mode change lands, where CPUs on the old and the new mode may
	 * each make one. The kick must order the calling CPU's earlier stores before the kicked
	 * CPUs' loads (an IPI with the usual barriers does; at EL2, a DSB before a GIC SGI).
	 */
	void (*kick_all)(void *ctx, uint32_t from_cpu);

	/**
	 * @brief Optional trace hook (may be NULL). Called on the CPU the record is about, from inside
	 * an entry point: it must not block and must not call into the policy for that CPU.
	 */
	void (*trace)(void *ctx, const struct membw_trace_record *rec);
	/* --- end of version 1 (size 48 on LP64) --- */
};

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_ENV_H */
