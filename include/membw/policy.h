/* SPDX-License-Identifier: MIT */
/**
 * @file policy.h
 * @brief The regulation policy: storage, setup, the entry points a runtime calls, and changes
 *        (budgets, domains, modes) that may be made at any time.
 *
 * ## Model
 * Time is cut into periods of `period_ns`. Period number `e` of every CPU spans
 * `[offset + e * period_ns, offset + (e + 1) * period_ns)` on one clock shared by all CPUs (the
 * kernel's monotonic clock, the Arm generic timer); `offset` starts at 0 and moves only when
 * proportional sharing starts a period early. A *domain* (a VM, a container, or a single CPU) has a
 * budget per channel in bytes per second, converted to events per period by membw_bps_to_events().
 * A CPU in no domain (::MEMBW_NO_DOMAIN, where every CPU starts) is counted but never throttled:
 * that is how a real-time CPU is kept out of regulation.
 *
 * ## Who may call what
 * - Entry points (membw_tick(), membw_overflow(), membw_kick(), membw_cpu_online(),
 *   membw_cpu_offline()): only on the CPU named by `cpu`, with preemption disabled, never two at
 *   once for the same CPU. Each is O(1) in the number of CPUs.
 * - Changes (membw_domain_set_budget(), membw_cpu_set_domain(), membw_set_sharing(),
 *   membw_set_reclaim()): from any CPU or thread, any time, concurrently with entry points. Each
 *   CPU picks a change up atomically at its next period start; in the period a change lands, CPUs
 *   whose periods started before it still use the old value.
 *
 * ## Names
 * Functions are `membw_[object_]verb[_what]`: the object (`cpu`, `domain`) comes first and is
 * left out for the policy instance itself (membw_set_sharing(), membw_get_config()). The entry
 * points are named after what happened (membw_tick(), membw_overflow(), membw_kick()). Indices
 * (CPU, domain, channel) are `uint32_t` everywhere.
 * - Reading (statistics, getters): from anywhere, any time.
 *
 * ## Budget hand-out
 * - Reclaim off: a domain's budget sits in an atomic pool refilled once per period; its CPUs take
 *   chunks (`budget / (n * chunk_divisor)` events for n online members; the whole budget for a
 *   domain of one). At period start a CPU of a shared domain takes no more than its predicted use
 *   (see the predictor below), so an idle member leaves nearly all of its part in the pool. A CPU is throttled only when the pool of its period is empty (or already
 *   refilled for a later period: the CPU's own tick is late), so a busy CPU of a VM uses what an
 *   idle one leaves.
 * - Reclaim on (MemGuard style): each online member's *share* is `budget / n`, taken from the
 *   domain's pool like a chunk (so a member joining mid-period gets what is left). At period
 *   start a CPU predicts its use (see below) and donates the share minus the prediction to a
 *   global pool.
 *   On overflow it first takes back its own donation, then borrows chunks from the pool, and only
 *   then is throttled. Guarantees: a CPU is never throttled before it has used its whole share in
 *   that period, and never counts more than share + borrowed (plus the overshoot the interrupt
 *   latency allows). A take-back is granted even if borrowers already emptied the pool; the
 *   uncovered part is reported as `shortfall` so the over-commit is visible.
 * - Predictor: `p = p + (use - p) / 4` per period (exponentially weighted, integer), keep
 *   `p + max(p / 8, min_chunk_events)` (at most the share), donate the rest. Borrowed chunks are
 *   `max(share / 4, min_chunk_events)` events. With reclaim off, a CPU alone in its domain
 *   keeps no prediction (nothing uses it); once the domain has other members again, the
 *   prediction restarts from the CPU's latest period.
 * - A zero budget blocks the CPU from the start of each period: it is not released by spare
 *   sharing, and with reclaim on it borrows only what was donated before its own period started
 *   (donations made later do not wake it).
 */
#ifndef MEMBW_POLICY_H
#define MEMBW_POLICY_H

#include <membw/backend.h>
#include <membw/config.h>
#include <membw/env.h>
#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A policy instance, living in storage supplied by the caller. Opaque. */
struct membw;

/**
 * @name Storage sizes
 * Fixed so that a caller can size static storage at compile time; membw_storage_size() gives the
 * same number at run time.
 *
 * These constants are part of the ABI: a program compiled against this header sizes its storage
 * with them, so a library that needed more would overrun it. Raising one is an incompatible
 * change (a new major version and SONAME); lowering one is not.
 * @{
 */
#define MEMBW_STORAGE_ALIGN 64u   /**< Required alignment of the storage, in bytes. */
#define MEMBW_HEADER_BYTES 640u   /**< Bytes for the instance itself. */
#define MEMBW_CPU_BYTES 512u      /**< Bytes per CPU, before the backend's private state. */
#define MEMBW_DOMAIN_BYTES 128u   /**< Bytes per domain. */
/** Round @p n up to a multiple of ::MEMBW_STORAGE_ALIGN. */
#define MEMBW_ALIGN_UP(n) (((size_t)(n) + MEMBW_STORAGE_ALIGN - 1) & ~(size_t)(MEMBW_STORAGE_ALIGN - 1))
/** Bytes of storage for @p ncpus CPUs, @p ndomains domains and @p priv_size bytes of backend state
 *  per CPU (membw_backend::priv_size). */
#define MEMBW_STORAGE_SIZE(ncpus, ndomains, priv_size)                                            \
	(MEMBW_HEADER_BYTES + (size_t)(ncpus) * (MEMBW_CPU_BYTES + MEMBW_ALIGN_UP(priv_size)) +     \
	 (size_t)(ndomains) * MEMBW_DOMAIN_BYTES)
/** @} */

/**
 * @brief How many times a budget setter or getter retries while another setter of the same domain
 *        holds it, before it gives up with -MEMBW_EAGAIN.
 *
 * A setter holds a domain for a handful of stores, so a caller only sees -MEMBW_EAGAIN when
 * another thread sets the same domain's budget in a tight loop (or a setter was preempted in the
 * middle of its stores for that long).
 */
#define MEMBW_BUSY_TRIES 1000u

/**
 * @brief Bytes of storage membw_init() needs. Same value as MEMBW_STORAGE_SIZE().
 * @param ncpus     CPUs to manage.
 * @param ndomains  Domains to manage.
 * @param priv_size The backend's private state per CPU (membw_backend::priv_size).
 * @return The size, or 0 if @p ncpus is 0 or above ::MEMBW_MAX_CPUS, or @p ndomains is above
 *         ::MEMBW_MAX_DOMAINS.
 */
MEMBW_API size_t membw_storage_size(uint32_t ncpus, uint32_t ndomains, uint32_t priv_size);

/**
 * @brief Create a policy in caller-supplied storage. Probes the backend; touches no CPU.
 *
 * All CPUs start offline, unassigned (::MEMBW_NO_DOMAIN); all domains start with unlimited budgets.
 * Nothing is allocated; @p storage belongs to the policy until the caller stops using it (there is
 * no destructor: take every CPU offline, then reuse the memory).
 *
 * @param out          Receives the instance (a pointer into @p storage) on success.
 * @param storage      At least membw_storage_size() bytes, aligned to ::MEMBW_STORAGE_ALIGN.
 * @param storage_size Size of @p storage in bytes.
 * @param cfg          Configuration (membw_config_init() then edits); copied.
 * @param backend      Counter backend; must outlive the instance.
 * @param backend_ctx  Passed to the backend's `probe` and `cpu_init` hooks.
 * @param env          Runtime services; copied.
 * @retval 0 Created; `*out` set.
 * @retval -MEMBW_EINVAL A NULL pointer, misaligned storage, a configuration field out of range, a
 *         backend of unknown ABI version or too small a size or missing a mandatory hook, an env
 *         missing `throttle`/`unthrottle` (or `kick_all` when sharing is set), or a backend whose
 *         probe reported impossible facts (width, line size, channels).
 * @retval -MEMBW_ENOSPC @p storage_size is too small.
 * @retval -MEMBW_EOPNOTSUPP The backend cannot count the requested levels.
 * @return Any error returned by the backend's `probe` (typically -MEMBW_ENODEV).
 * On error `*out` is unchanged; @p storage may have been written and holds no instance.
 */
MEMBW_API int membw_init(struct membw **out, void *storage, size_t storage_size,
			 const struct membw_config *cfg, const struct membw_backend *backend,
			 void *backend_ctx, const struct membw_env *env);

/**
 * @brief Convert a rate to events per period: `floor(bps * period_ns / (10^9 * line_size))`.
 *
 * Rounding is downwards so the enforced rate never exceeds the requested one. Exact for every
 * input (no floating point, no intermediate overflow).
 * @param bps       Bytes per second; ::MEMBW_UNLIMITED gives UINT64_MAX events.
 * @param period_ns ::MEMBW_PERIOD_MIN_NS .. ::MEMBW_PERIOD_MAX_NS.
 * @param line_size Bytes per event, 1 .. 4096.
 * @param events    Receives the result.
 * @retval 0 Done.
 * @retval -MEMBW_EINVAL NULL @p events, period or line size out of range.
 * @retval -MEMBW_ERANGE @p bps is nonzero but rounds to 0 events (less than one line per period),
 *         or exceeds ::MEMBW_MAX_EVENTS_PER_PERIOD events.
 */
MEMBW_API int membw_bps_to_events(uint64_t bps, uint64_t period_ns, uint32_t line_size,
				  uint64_t *events);

/**
 * @brief Set a domain's budgets. Takes effect at each member CPU's next period start.
 * @param m         The policy.
 * @param domain    0 .. ndomains - 1.
 * @param read_bps  Read (line refill) budget, bytes per second; 0 blocks all traffic;
 *                  ::MEMBW_UNLIMITED counts without throttling.
 * @param write_bps Write-back budget, likewise. Must be ::MEMBW_UNLIMITED if the backend has one
 *                  channel only.
 * @retval 0 Stored.
 * @retval -MEMBW_EINVAL NULL @p m or domain out of range.
 * @retval -MEMBW_ERANGE A rate converts to 0 events but is not 0, or to more than
 *         ::MEMBW_MAX_EVENTS_PER_PERIOD events (see membw_bps_to_events()).
 * @retval -MEMBW_EOPNOTSUPP A finite write budget on a backend without a write-back counter.
 * @retval -MEMBW_EAGAIN Another setter held the same domain for ::MEMBW_BUSY_TRIES tries.
 * On error nothing changes.
 */
MEMBW_API int membw_domain_set_budget(struct membw *m, uint32_t domain, uint64_t read_bps,
				      uint64_t write_bps);

/**
 * @brief Read a domain's budgets as last set (both from the same membw_domain_set_budget()).
 * @param m         The policy.
 * @param domain    0 .. ndomains - 1.
 * @param read_bps  Receives the read budget, bytes per second (::MEMBW_UNLIMITED for none).
 * @param write_bps Receives the write-back budget, likewise.
 * @retval 0 Done. @retval -MEMBW_EINVAL NULL pointer or domain out of range.
 * @retval -MEMBW_EAGAIN A setter kept the budget changing for ::MEMBW_BUSY_TRIES tries.
 */
MEMBW_API int membw_domain_get_budget(const struct membw *m, uint32_t domain, uint64_t *read_bps,
				      uint64_t *write_bps);

/**
 * @brief Put @p cpu in @p domain, or in none (::MEMBW_NO_DOMAIN: counted, never throttled, takes
 *        no budget: a real-time CPU). Takes effect at the CPU's next period start (or when it
 *        comes online).
 * @param m      The policy.
 * @param cpu    0 .. ncpus - 1.
 * @param domain 0 .. ndomains - 1, or ::MEMBW_NO_DOMAIN.
 * @retval 0 Stored.
 * @retval -MEMBW_EINVAL NULL @p m, CPU or domain out of range. Nothing changes.
 */
MEMBW_API int membw_cpu_set_domain(struct membw *m, uint32_t cpu, uint32_t domain);

/**
 * @brief Change the sharing mode. Takes effect at each CPU's next period.
 * @param m       The policy.
 * @param sharing ::MEMBW_SHARE_NONE, ::MEMBW_SHARE_SPARE or ::MEMBW_SHARE_PROPORTIONAL.
 * @retval 0 Stored.
 * @retval -MEMBW_EINVAL NULL @p m or unknown mode.
 * @retval -MEMBW_EOPNOTSUPP A sharing mode was asked for but the env has no `kick_all`.
 */
MEMBW_API int membw_set_sharing(struct membw *m, enum membw_sharing sharing);

/**
 * @brief Turn reclaim on or off. Takes effect at each CPU's next period.
 * @param m  The policy.
 * @param on true for reclaim, false for none.
 * @retval 0 Stored. @retval -MEMBW_EINVAL NULL @p m.
 */
MEMBW_API int membw_set_reclaim(struct membw *m, bool on);

/**
 * @brief Copy the configuration in force (sharing and reclaim as last set) into @p cfg.
 * @param m   The policy.
 * @param cfg Receives the configuration; `cfg->size` must be set by the caller.
 * @retval 0 Done. @retval -MEMBW_EINVAL NULL pointer, or `cfg->size` smaller than version 1.
 */
MEMBW_API int membw_get_config(const struct membw *m, struct membw_config *cfg);

/**
 * @brief Copy the backend facts found by `probe` into @p info (up to `info->size` bytes).
 * @param m    The policy.
 * @param info Receives the facts; `info->size` must be set by the caller.
 * @retval 0 Done. @retval -MEMBW_EINVAL NULL pointer, or `info->size` smaller than version 1.
 */
MEMBW_API int membw_get_backend_info(const struct membw *m, struct membw_backend_info *info);

/**
 * @brief The backend's private state of a CPU, for runtimes and tests that need to reach their
 *        own backend state.
 * @param m   The policy.
 * @param cpu 0 .. ncpus - 1.
 * @return membw_backend::priv_size bytes of state, or NULL for a bad @p m or @p cpu.
 */
MEMBW_API void *membw_cpu_get_priv(struct membw *m, uint32_t cpu);

/**
 * @brief Bring @p cpu under the policy: initialise its counters, join the current period, arm.
 *
 * Call on @p cpu. The CPU is throttled at once (membw_env::throttle) if its domain has nothing left
 * for the current period.
 * @param m           The policy.
 * @param cpu         The CPU coming online (the caller runs on it).
 * @param now_ns      The shared clock, nanoseconds.
 * @param next_tick_ns If not NULL, receives the time of the next period start: arm the period
 *                    timer for it.
 * @retval 0 Online.
 * @retval -MEMBW_EINVAL NULL @p m or CPU out of range.
 * @retval -MEMBW_EBUSY The CPU is already online.
 * @return An error from the backend's `cpu_init` or `arm`; the CPU stays offline.
 */
MEMBW_API int membw_cpu_online(struct membw *m, uint32_t cpu, uint64_t now_ns,
			       uint64_t *next_tick_ns);

/**
 * @brief Take @p cpu out from under the policy: account what it counted, stop its counters, and
 *        release it if throttled (membw_env::unthrottle is called before this returns).
 * @param m      The policy, as membw_init() accepted it (NULL and zeroed storage are refused,
 *               other garbage is not detected).
 * @param cpu    The CPU going offline (the caller runs on it).
 * @param now_ns The shared clock, nanoseconds.
 * @retval 0 Offline.
 * @retval -MEMBW_EINVAL NULL @p m or CPU out of range.
 * @retval -MEMBW_ENODEV The CPU was not online.
 */
MEMBW_API int membw_cpu_offline(struct membw *m, uint32_t cpu, uint64_t now_ns);

/**
 * @brief Period timer on @p cpu: close the ended period(s), start the current one, re-arm, and
 *        release the CPU if it was throttled and has budget now.
 *
 * A late tick (several periods passed) closes them all at once: they are counted in `periods` and
 * `missed_periods`, the use is spread evenly over them for prediction, and the CPU starts the
 * current period. A tick inside the period the CPU is already in (early, or twice) changes nothing
 * but `early_ticks`.
 * @param m            The policy, as membw_init() accepted it (a hot path: NULL and zeroed storage
 *                     are refused, other garbage is not detected).
 * @param cpu          The CPU whose period timer fired (the caller runs on it).
 * @param now_ns       The shared clock, nanoseconds.
 * @param next_tick_ns If not NULL, receives the next period start (arm the timer for it).
 * @retval 0 Done (including the early-tick case).
 * @retval -MEMBW_EINVAL NULL @p m or CPU out of range.
 * @retval -MEMBW_ENODEV The CPU is offline.
 * @retval -MEMBW_EIO The backend failed; the period was still started and the CPU left running.
 */
MEMBW_API int membw_tick(struct membw *m, uint32_t cpu, uint64_t now_ns, uint64_t *next_tick_ns);

/**
 * @brief Counter overflow interrupt on @p cpu: find more budget or throttle.
 *
 * Reads every channel. A channel at its arm point gets budget in this order: its domain's pool
 * (reclaim off), its own donation, borrowing (reclaim on); if none is left the CPU is throttled
 * until its next period and its counters keep counting (for statistics). Events already counted
 * past the allowance are charged against what is granted, and what remains is reported as
 * overshoot. An overflow while no channel is at its arm point (not armed, offline, spurious
 * interrupt, or a counter that reads less than expected) changes nothing but `spurious_overflows`.
 * @param m      The policy, as membw_init() accepted it (a hot path: NULL and zeroed storage are
 *               refused, other garbage is not detected).
 * @param cpu    The CPU that took the overflow interrupt (the caller runs on it).
 * @param now_ns The shared clock, nanoseconds.
 * @retval 0 Done (including the spurious case and an offline CPU).
 * @retval -MEMBW_EINVAL NULL @p m or CPU out of range.
 * @retval -MEMBW_EIO The backend failed; the CPU was left running unthrottled.
 */
MEMBW_API int membw_overflow(struct membw *m, uint32_t cpu, uint64_t now_ns);

/**
 * @name Channel bits for membw_overflow_channels()
 * @{
 */
#define MEMBW_CH_READ_BIT (1u << MEMBW_CH_READ)   /**< The read channel's counter overflowed. */
#define MEMBW_CH_WRITE_BIT (1u << MEMBW_CH_WRITE) /**< The write channel's counter overflowed. */
/** @} */

/**
 * @brief Counter overflow interrupt on @p cpu when the backend knows which counters overflowed
 *        (e.g. armv8_overflow_ack() returns them): membw_overflow() for those channels only.
 *
 * Reads only the channels in @p channels. A channel in @p channels that is armed has overflowed,
 * so it is never taken for a spurious interrupt: a counter that reads more than half its range
 * past the arm point (an interrupt that late) is charged as counted, and one that reads below
 * the arm point has wrapped a whole range past it and is charged that much more; both are
 * counted as ::MEMBW_ANOMALY_LATE_WRAP. Prefer this entry point whenever the overflow status is
 * at hand: membw_overflow() must guess from the readings, and on a narrow counter a very late
 * interrupt is indistinguishable from an overwritten counter there.
 * @param m        As for membw_overflow().
 * @param cpu      The CPU that took the overflow interrupt (the caller runs on it).
 * @param now_ns   The shared clock, nanoseconds.
 * @param channels MEMBW_CH_*_BIT of the counters that overflowed; bits of channels the backend
 *                 does not have are ignored. 0 changes nothing but `spurious_overflows`.
 * @return As for membw_overflow().
 */
MEMBW_API int membw_overflow_channels(struct membw *m, uint32_t cpu, uint64_t now_ns,
				      uint32_t channels);

/**
 * @brief Answer to membw_env::kick_all on @p cpu: apply spare sharing's release or proportional
 *        sharing's early period start, if one happened; otherwise nothing changes.
 * @param m            The policy, as membw_init() accepted it (NULL and zeroed storage are
 *                     refused, other garbage is not detected).
 * @param cpu          The kicked CPU (the caller runs on it).
 * @param now_ns       The shared clock, nanoseconds.
 * @param next_tick_ns If not NULL, receives the next period start (it may have moved: re-arm).
 * @retval 0 Done. @retval -MEMBW_EINVAL NULL @p m or CPU out of range.
 * @retval -MEMBW_ENODEV CPU offline.
 */
MEMBW_API int membw_kick(struct membw *m, uint32_t cpu, uint64_t now_ns, uint64_t *next_tick_ns);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_POLICY_H */
