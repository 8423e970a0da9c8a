/* SPDX-License-Identifier: MIT */
/**
 * @file backend.h
 * @brief The counter-backend interface: how line transfers are counted and how "interrupt me after
 *        N more events" is armed.
 *
 * A backend (ARMv8 PMUv3, x86 perfmon, the simulator, Linux perf) exports one `const struct
 * membw_backend`. The policy calls its hooks; it never touches counter hardware itself.
 *
 * Calling context, for every hook except `probe`: on the CPU the private state belongs to, from one
 * of the policy's entry points, which the runtime calls with preemption (or interrupts) disabled.
 * `probe` runs once, from membw_init(), on any CPU.
 *
 * Counting model: a counter is `counter_bits` wide and counts up. `arm(n)` presets it to
 * `2^counter_bits - n` and enables its overflow interrupt, so the interrupt is raised by the
 * n-th event after the call. `read()` returns the raw register value. The policy derives
 * "events since arm" as `(raw + n) mod 2^counter_bits` and copes with values that are implausible
 * (see membw_overflow()). It never arms more than 2^(counter_bits - 1) events at a time, so a
 * counter read up to half its range past the arm point is still understood.
 *
 * After the overflow the counter goes on counting from 0, as PMU counters do; the next interrupt
 * is due at the next wrap. The policy relies on this when it throttles a CPU: with counters of
 * 32 bits or more it leaves the counter running instead of re-arming it (one register write less
 * per throttle). A backend that interrupts again sooner (one that reloads the count, like Linux
 * perf's sample period) is still correct: the repeat is counted as a spurious overflow and the
 * channel is re-armed count-only.
 */
#ifndef MEMBW_BACKEND_H
#define MEMBW_BACKEND_H

#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief ABI version of struct membw_backend described by this header.
 *
 * - Version 1: identity, probe, cpu_init, arm, read, stop.
 * - Version 2: adds the optional hooks cpu_exit (release what cpu_init took) and rearm (re-arm
 *   relative to the last read, so that nothing counted between a read and the next arm is lost).
 * - Version 3: adds the optional hook direct_reader (hand the policy a function that reads one
 *   channel's counter with no dispatch and no error path, which its ticks and overflows then call
 *   instead of `read`).
 *
 * The policy accepts every version from 1 to this one. A backend sets `abi_version` to the
 * version it was written for and `size` to `sizeof(struct membw_backend)` as its header had it;
 * hooks of a later version than its own are taken as NULL.
 */
#define MEMBW_BACKEND_ABI_VERSION 3u

/**
 * @name Privilege levels whose traffic is counted (bit mask)
 * On Arm: EL0, EL1 and EL2. On x86: ring 3, ring 0 and VMX root operation.
 * @{
 */
#define MEMBW_COUNT_USER (1u << 0)   /**< Count user-mode (EL0, ring 3) traffic. */
#define MEMBW_COUNT_KERNEL (1u << 1) /**< Count kernel-mode (EL1, ring 0) traffic. */
#define MEMBW_COUNT_HYP (1u << 2)    /**< Count hypervisor (EL2, VMX root) traffic. */
#define MEMBW_COUNT_ALL (MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL | MEMBW_COUNT_HYP) /**< Every level. */
/** @} */

/**
 * @name Backend capability flags (membw_backend_info::caps)
 * @{
 */
/** The line size was read from the hardware (e.g. CTR_EL0), not assumed. */
#define MEMBW_CAP_LINE_SIZE_PROBED (1u << 0)
/** The overflow interrupt can arrive late (after more events than armed); overshoot is expected. */
#define MEMBW_CAP_LATE_OVERFLOW (1u << 1)
/**
 * The default events are generic fallbacks (e.g. Arm's architectural common events on a core the
 * backend has no table for): they may count more or less than the core's own DRAM-traffic events,
 * so budgets are approximate. Shown by tools next to the statistics.
 */
#define MEMBW_CAP_GENERIC_EVENTS (1u << 2)
/** @} */

/**
 * @brief Facts about the counters, filled in by the backend's `probe` hook.
 *
 * The caller sets `size` to `sizeof(struct membw_backend_info)` before calling `probe`; a backend
 * fills only the fields that fit in `size`.
 */
struct membw_backend_info {
	uint32_t size;         /**< In: sizeof(struct membw_backend_info) as the caller knows it. */
	uint32_t channels;     /**< 1 (reads only) or 2 (reads and write-backs, ::MEMBW_CH_WRITE). */
	uint32_t counter_bits; /**< Width of each counter: 8..64 bits. */
	uint32_t line_size;    /**< Bytes moved per counted event: a power of two, 8..4096. */
	uint32_t levels;       /**< MEMBW_COUNT_* levels the backend can select or exclude. */
	uint32_t caps;         /**< MEMBW_CAP_* flags. */
};

/**
 * @brief What one CPU's counters should count, handed to the backend's `cpu_init` hook.
 */
struct membw_counter_setup {
	uint32_t size;   /**< sizeof(struct membw_counter_setup). */
	uint32_t levels; /**< MEMBW_COUNT_* levels to count; a subset of membw_backend_info::levels. */
	/** Backend-specific event code per channel; 0 selects the backend's default event. */
	uint64_t event[MEMBW_NCHANNELS];
};

/**
 * @brief A direct reader's function: the raw value of one channel's counter,
 * `0 .. 2^counter_bits - 1`, with the same effect as a successful `read` of that channel.
 * @param ctx membw_direct_reader::ctx as the backend handed it.
 */
typedef uint64_t membw_direct_read_fn(void *ctx);

/**
 * @brief One CPU's channel as a function and its argument, filled in by the backend's
 * `direct_reader` hook (ABI version 3).
 *
 * The policy reads the counter as `raw = reader.read(reader.ctx)`: one indirect call with the
 * channel already chosen, where `read` needs the channel dispatched and a value and an error
 * returned. The layout is fixed for ABI version 3; a later version that needs more adds a hook.
 */
struct membw_direct_reader {
	membw_direct_read_fn *read; /**< Reads the counter; NULL: there is no direct reader. */
	void *ctx;                  /**< Its only argument, typically inside the CPU's `priv`. */
};

/**
 * @brief A counter backend: identity, per-CPU state size, and hooks. Implemented outside the core.
 *
 * Versioning: the struct starts with its ABI version and size and only grows at the end. The policy
 * checks once, in membw_init(), that `abi_version` is one it knows (1 .. ::MEMBW_BACKEND_ABI_VERSION),
 * that `size` covers every field of that version, and that every mandatory hook is set.
 *
 * Naming: a backend exports exactly one descriptor, `membw_<name>_backend`, where `<name>` is its
 * `name` field (`membw_armv8_backend`, `membw_sim_backend`, `membw_perf_backend`,
 * `membw_kperf_backend` in the kernel module).
 */
struct membw_backend {
	uint32_t abi_version; /**< ::MEMBW_BACKEND_ABI_VERSION the backend was built against. */
	uint32_t size;        /**< sizeof(struct membw_backend) the backend was built with. */
	const char *name;     /**< Short lowercase name ("sim", "armv8", "x86", "perf"). */
	uint32_t priv_size;   /**< Bytes of private state per CPU, kept by the policy's storage. */
	uint32_t reserved;    /**< Must be 0. */

	/**
	 * @brief Is the hardware there? Fill @p info with its facts. Mandatory.
	 * @param ctx  The `backend_ctx` given to membw_init() (NULL for most hardware backends).
	 * @param info Facts to fill; `info->size` is set by the caller.
	 * @retval 0 The counters are usable.
	 * @retval -MEMBW_ENODEV No suitable counters on this machine (absent PMU, not enough counters).
	 * @retval -MEMBW_EOPNOTSUPP Counters exist but cannot raise overflow interrupts.
	 */
	int (*probe)(void *ctx, struct membw_backend_info *info);

	/**
	 * @brief Prepare one CPU's counters (select events and levels, leave them stopped). Mandatory.
	 * @param ctx   The `backend_ctx` given to membw_init().
	 * @param cpu   The CPU being brought online; the hook runs on that CPU.
	 * @param priv  This CPU's private state, `priv_size` bytes, zeroed before the first call,
	 *              16-byte aligned.
	 * @param setup Events and levels to count.
	 * @retval 0 Ready; `arm` may be called.
	 * @retval -MEMBW_ENODEV The CPU's counters are missing or taken.
	 * @retval -MEMBW_EOPNOTSUPP An event or a level filter is not supported.
	 */
	int (*cpu_init)(void *ctx, uint32_t cpu, void *priv, const struct membw_counter_setup *setup);

	/**
	 * @brief Start counting @p channel and raise the overflow interrupt after @p events more events.
	 * Mandatory.
	 * @param priv    The CPU's private state.
	 * @param channel ::MEMBW_CH_READ or ::MEMBW_CH_WRITE (only if `channels` is 2).
	 * @param events  1 .. 2^counter_bits - 1.
	 * @retval 0 Armed. @retval -MEMBW_EIO The hardware refused.
	 */
	int (*arm)(void *priv, uint32_t channel, uint64_t events);

	/**
	 * @brief Read @p channel's raw counter value, `0 .. 2^counter_bits - 1`. Mandatory.
	 *
	 * @p value is the caller's own variable, never NULL: the policy passes one, and a backend
	 * need not check it.
	 * @retval 0 @p value holds the count. @retval -MEMBW_EIO The hardware refused.
	 */
	int (*read)(void *priv, uint32_t channel, uint64_t *value);

	/**
	 * @brief Stop @p channel and disable its overflow interrupt; pending overflows are cleared.
	 * Mandatory. Called when a CPU goes offline.
	 */
	void (*stop)(void *priv, uint32_t channel);
	/* --- end of ABI version 1 --- */

	/**
	 * @brief Release what `cpu_init` took for this CPU (descriptors, kernel objects). Optional:
	 * NULL when there is nothing to release.
	 *
	 * Called by membw_cpu_offline() after every channel was stopped, and by membw_cpu_online()
	 * when the CPU could not be brought online after `cpu_init` succeeded. Same context as
	 * `cpu_init` (on that CPU, from the entry point): it must not sleep if the runtime calls
	 * membw_cpu_offline() with interrupts disabled. The policy does not touch @p priv again until
	 * the next `cpu_init`.
	 * @param ctx  The `backend_ctx` given to membw_init().
	 * @param cpu  The CPU going offline; the hook runs on that CPU.
	 * @param priv This CPU's private state.
	 */
	void (*cpu_exit)(void *ctx, uint32_t cpu, void *priv);

	/**
	 * @brief Like `arm`, but counting from the channel's last `read`: the overflow interrupt is
	 * raised after @p events events counted since the value that read returned. Optional: NULL
	 * makes the policy call `arm` instead.
	 *
	 * Events counted between that read and this call are neither lost nor counted twice (with
	 * `arm` they are lost: the preset overwrites them). If @p events or more have been counted
	 * since the read, the interrupt is raised at once. The policy calls it only right after a
	 * successful `read` of the same channel in the same entry point, while the channel is armed;
	 * everywhere else it calls `arm`. A backend typically stops the counter, reads it again,
	 * presets it to `2^counter_bits - events + (now - then)` and restarts it.
	 * @param priv    The CPU's private state.
	 * @param channel As for `arm`.
	 * @param events  1 .. 2^(counter_bits - 1).
	 * @retval 0 Armed. @retval -MEMBW_EIO The hardware refused.
	 */
	int (*rearm)(void *priv, uint32_t channel, uint64_t events);
	/* --- end of ABI version 2 --- */

	/**
	 * @brief Hand the policy a direct reader of @p channel on this CPU: a function and its
	 * argument that it calls instead of `read`. Optional: NULL makes the policy call `read`.
	 *
	 * When: the policy asks once per channel the backend runs (below membw_backend_info::channels),
	 * right after each successful `cpu_init` of the CPU, on that CPU, before its first `arm`.
	 * cpu_init is where a backend picks a channel's counter, so the reader can be the code of that
	 * very counter; arm only presets it.
	 *
	 * How long: the reader stays valid until the CPU's next `cpu_exit` or `cpu_init`, whichever
	 * comes first; the policy never calls it after either (after a new `cpu_init` it asks again).
	 * `ctx` may point into @p priv, which the policy keeps in place for that long.
	 *
	 * Calls: the policy calls `reader->read(reader->ctx)` only on this CPU, from one of its entry
	 * points (the calling context of `read`), and only while the channel is armed: after a
	 * successful `arm` or `rearm` of the channel and before its `stop`. The function cannot fail
	 * there, so it has no error to return. Each call must have exactly the effect of a successful
	 * `read` of the channel, including what `rearm` counts from: the policy calls `rearm` right
	 * after a direct read as it does after a `read`.
	 *
	 * Errors: a nonzero return, or 0 with `reader->read` left NULL, means "no direct reader for
	 * this channel on this CPU": the policy calls `read` for it until the next `cpu_init`, and the
	 * CPU comes online as usual (this hook never makes membw_cpu_online() fail). The policy sets
	 * `*reader` to NULLs before the call.
	 * @param priv    The CPU's private state, as `cpu_init` left it.
	 * @param channel ::MEMBW_CH_READ or ::MEMBW_CH_WRITE (only if `channels` is 2).
	 * @param reader  Out: the function and its argument.
	 * @retval 0 @p reader is filled in. @retval <0 No direct reader (e.g. -MEMBW_EOPNOTSUPP).
	 */
	int (*direct_reader)(void *priv, uint32_t channel, struct membw_direct_reader *reader);
	/* --- end of ABI version 3 --- */
};

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_BACKEND_H */
