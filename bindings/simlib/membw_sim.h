/* SPDX-License-Identifier: MIT */
/**
 * @file membw_sim.h
 * @brief libmembw-sim: the simulator behind `membw sim` as a shared library with a flat C API, for
 *        language bindings (the Python package's `membw.sim`).
 *
 * Built from sim/, backends/sim/ and the scenario loader and experiment of tools/membw/sim/ into
 * build/libmembw-sim.so.0, linked against libmembw.so.0. It is a build-tree library for bindings
 * and tests, not installed by `make install`. A run is the one `membw sim` reports: the scenario
 * once per policy variant and each workload once alone, so that every core's slowdown is known.
 */
#ifndef MEMBW_SIM_LIB_H
#define MEMBW_SIM_LIB_H

#include <membw/membw.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A loaded scenario and, after membw_sim_run(), its results. Opaque. */
struct membw_sim;

/** @brief Policy variants, cumulative, as `membw sim` reports them side by side. */
enum membw_sim_variant {
	MEMBW_SIM_NONE = 0,    /**< No regulation: every core counted, none throttled. */
	MEMBW_SIM_BUDGETS = 1, /**< Per-core and per-domain budgets. */
	MEMBW_SIM_RECLAIM = 2, /**< Budgets and reclaim. */
	MEMBW_SIM_SPARE = 3,   /**< Budgets, reclaim and spare sharing. */
	MEMBW_SIM_NVARIANTS = 4 /**< Number of variants. */
};

/** @brief Bytes membw_sim_core_result::name holds, the NUL included. */
#define MEMBW_SIM_NAME_MAX 32u

/** @brief What one core did in one variant. */
struct membw_sim_core_result {
	uint32_t size;      /**< In: sizeof(struct membw_sim_core_result). */
	uint32_t regulated; /**< 1 if the core has a finite budget and is not real-time. */
	char name[MEMBW_SIM_NAME_MAX]; /**< The core's name in the scenario. */
	uint64_t budget_bps[MEMBW_NCHANNELS]; /**< Budget that applies to it, bytes/s per channel
					           (::MEMBW_UNLIMITED: none). */
	uint64_t bytes[MEMBW_NCHANNELS]; /**< Bytes moved over the run, per channel. */
	uint64_t duration_ns;    /**< Simulated time of the run, nanoseconds. */
	uint64_t work_ns;        /**< Work completed, in nanoseconds of running alone. */
	uint64_t solo_work_ns;   /**< Work the same core completes alone in the same time (0: idle). */
	uint64_t throttled_ns;   /**< Time spent throttled, nanoseconds. */
	uint64_t max_overshoot_bytes; /**< Largest per-period overshoot the policy reported, bytes. */
	uint64_t periods;        /**< Periods the policy closed on the core. */
	uint64_t throttle_count; /**< Periods in which the core was throttled. */
};

/**
 * @brief Load a scenario file (scenarios/README.md documents every key).
 * @param out    Receives the scenario; free it with membw_sim_free().
 * @param path   The file; trace paths in it are relative to its directory.
 * @param err    Receives "FILE:LINE: what is wrong; what is expected" on error.
 * @param errlen Size of @p err.
 * @retval 0 Loaded. @return A negative MEMBW_E* code (-MEMBW_EINVAL for a bad file or pointer,
 *         -MEMBW_ENOENT for a file that cannot be read, -MEMBW_ENOSPC out of memory).
 */
int membw_sim_load_file(struct membw_sim **out, const char *path, char *err, size_t errlen);

/**
 * @brief Load a scenario from INI text in memory.
 * @param out    Receives the scenario; free it with membw_sim_free().
 * @param name   What messages call it.
 * @param dir    Directory trace paths are relative to.
 * @param text   The INI text, NUL-terminated.
 * @param err    Receives the reason on error.
 * @param errlen Size of @p err.
 * @retval 0 Loaded. @return A negative MEMBW_E* code as for membw_sim_load_file().
 */
int membw_sim_load_string(struct membw_sim **out, const char *name, const char *dir,
			  const char *text, char *err, size_t errlen);

/**
 * @brief Cores of the loaded scenario.
 * @param s The scenario.
 * @return The number of cores; 0 for NULL.
 */
uint32_t membw_sim_ncores(const struct membw_sim *s);

/**
 * @brief Give @p core a budget of its own (a domain of one CPU), as its `budget` and `write_budget`
 *        keys would. Drops the results of an earlier run.
 * @param s         The scenario.
 * @param core      0 .. ncores - 1; must be in no `[domain]` and not real-time.
 * @param read_bps  Read budget, bytes/s; ::MEMBW_UNLIMITED for none.
 * @param write_bps Write-back budget, bytes/s; ::MEMBW_UNLIMITED for none.
 * @retval 0 Set. @retval -MEMBW_EINVAL NULL @p s, @p core out of range, in a domain, or real-time;
 *         nothing changes.
 */
int membw_sim_set_core_budget(struct membw_sim *s, uint32_t core, uint64_t read_bps,
			      uint64_t write_bps);

/**
 * @brief Run every variant and each workload alone.
 * @param s      The scenario.
 * @param err    Receives the reason on error.
 * @param errlen Size of @p err.
 * @retval 0 Done; results readable with membw_sim_core_result().
 * @return A negative MEMBW_E* code (a configuration the simulator refuses: -MEMBW_EINVAL or
 *         -MEMBW_ERANGE); no results then.
 */
int membw_sim_run(struct membw_sim *s, char *err, size_t errlen);

/**
 * @brief One core's results in one variant of the last membw_sim_run().
 * @param s       The scenario.
 * @param variant enum membw_sim_variant.
 * @param core    0 .. ncores - 1.
 * @param out     Filled; `out->size` must be set by the caller.
 * @retval 0 Done. @retval -MEMBW_EINVAL NULL pointer, @p variant or @p core out of range, or
 *         `out->size` too small. @retval -MEMBW_ENOENT No results: not run since loaded or
 *         changed.
 */
int membw_sim_core_result(const struct membw_sim *s, uint32_t variant, uint32_t core,
			  struct membw_sim_core_result *out);

/**
 * @brief Free a scenario and its results.
 * @param s The scenario, or NULL.
 */
void membw_sim_free(struct membw_sim *s);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_SIM_LIB_H */
