/* SPDX-License-Identifier: MIT */
/**
 * @file conformance.h
 * @brief The backend conformance suite as a library: check that a counter backend counts,
 *        overflows, stops and filters privilege levels as the policy needs, on your hardware,
 *        and get a report.
 *
 * Hosted C (it prints, and times the hooks with `clock_gettime`); link
 * `libmembw-conformance.a` (installed next to libmembw by `make install`). A vendor links its
 * `struct membw_backend`, fills a driver (how to make n events happen on the counted CPU, how
 * many overflow interrupts were seen) and calls membw_conformance_check():
 *
 * @code
 * struct membw_conformance_driver d = { .size = sizeof(d), .name = "my-pmu",
 *     .backend = &my_pmu_backend, .count = my_count, .overflows = my_overflows };
 * return membw_conformance_check(&d, 1, 0);   // report on stdout; 0: the backend conforms
 * @endcode
 *
 * Every fact, the manual rule behind it and how `membw conformance` drives the suite through
 * Linux perf are described in docs/conformance.md (@ref conformance). The suite calls the
 * backend's hooks directly, as the policy does, on policy CPU 0: the driver decides which
 * physical CPU that is.
 */
#ifndef MEMBW_CONFORMANCE_H
#define MEMBW_CONFORMANCE_H

#include <stddef.h>

#include <membw/membw.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks the functions libmembw-conformance.a exports (it is built with hidden visibility). */
#define MEMBW_CONFORMANCE_API __attribute__((visibility("default")))

/**
 * @brief How the suite makes events happen and sees overflow interrupts: the substrate's part.
 *
 * Set `size` to `sizeof(struct membw_conformance_driver)`; fields past the size a caller knows are
 * taken as 0/NULL. Everything optional may be 0/NULL: the facts that need it are then SKIPped
 * with the reason, never passed.
 */
struct membw_conformance_driver {
	uint32_t size;                       /**< sizeof(struct membw_conformance_driver). */
	const char *name;                    /**< Shown in reports, e.g. "sim" or "perf, CPU 2". */
	const struct membw_backend *backend; /**< The backend under test. */
	/** Event code per channel handed to `cpu_init` (0: the backend's default). */
	uint64_t event[MEMBW_NCHANNELS];
	void *backend_ctx;                   /**< The `backend_ctx` for `probe` and `cpu_init`. */
	void *ctx;                           /**< Driver state, passed to every hook below. */

	/**
	 * @brief Make exactly @p n events of the kind channel @p ch counts happen on @p cpu, whose
	 * backend state is @p priv. Optional.
	 * @return 0, or -MEMBW_EOPNOTSUPP if it cannot make exactly @p n (the exact facts are
	 *         then skipped, with `no_exact_why` as the reason).
	 */
	int (*count)(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n);

	/** @brief How many overflow interrupts @p cpu's channel @p ch raised since `cpu_init`.
	 *  Mandatory. */
	uint64_t (*overflows)(void *ctx, unsigned int cpu, void *priv, unsigned int ch);

	/** @brief Make the counters absent (true) or present again (false), so that `probe` must
	 *  refuse. Optional. */
	void (*set_absent)(void *ctx, bool absent);

	/**
	 * @brief Make at least about @p n events happen, not exactly (a workload: a loop, a memory
	 * stream). Optional; drivers with `count` need not set it.
	 * @param guaranteed Out: how many events the workload is sure to cause (0 if it cannot
	 *        promise any, e.g. cache refills that a prefetcher may hide).
	 * @return 0, or a negative -MEMBW_ error.
	 */
	int (*count_about)(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n,
			   uint64_t *guaranteed);

	/**
	 * @brief The raw counter value the driver's overflow handler read when it took the first
	 * overflow interrupt since the last arm: how far past the wrap the counter was when the
	 * interrupt arrived. Optional; without it the skid is bounded by counting in steps.
	 * @return 0, or -MEMBW_ENOENT if no overflow was taken since the last arm.
	 */
	int (*overflow_raw)(void *ctx, unsigned int cpu, void *priv, unsigned int ch,
			    uint64_t *raw);

	/** Events armed for the skid measurement (0: 1000). */
	uint64_t skid_events;
	/** Why `count` cannot make exact counts (shown with the skipped facts); NULL for a generic
	 *  reason. */
	const char *no_exact_why;

	/* ---- Added after the first version of this struct (::MEMBW_CONFORMANCE_DRIVER_V1_SIZE):
	 * a driver built against the older header sets a smaller `size` and these read as NULL. */

	/**
	 * @brief Make exactly @p n events of the kind channel @p ch counts happen on @p cpu at
	 * privilege level @p level: ::MEMBW_COUNT_USER (EL0, ring 3) or ::MEMBW_COUNT_KERNEL (EL1,
	 * ring 0). Optional: without it the privilege-filter facts are SKIPped.
	 *
	 * Events "at" a level are those the hardware attributes to it: a user-mode write that
	 * faults is a user-level page fault, a fault taken while the kernel copies to user memory
	 * a kernel-level one (docs/conformance.md, @ref conformance-facts).
	 * @return 0, or -MEMBW_EOPNOTSUPP if it cannot make exactly @p n at @p level.
	 */
	int (*count_at)(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint32_t level,
			uint64_t n);
	/** Why `count_at` cannot make events at some level (shown with the skipped facts); NULL for
	 *  a generic reason. */
	const char *no_level_why;
};

/** `size` of a driver built against the first version of struct membw_conformance_driver, which
 *  ends with `no_exact_why` (no `count_at`): the library still accepts it. */
#define MEMBW_CONFORMANCE_DRIVER_V1_SIZE \
	(offsetof(struct membw_conformance_driver, no_exact_why) + sizeof(const char *))

/** @brief The outcome of one fact. */
enum membw_conformance_result {
	MEMBW_CONFORMANCE_PASS = 0, /**< Every check of the fact held. */
	MEMBW_CONFORMANCE_FAIL = 1, /**< A check failed; the reason says which. */
	MEMBW_CONFORMANCE_SKIP = 2, /**< The substrate cannot show the fact; the reason says why. */
};

/** Most facts a report holds. */
#define MEMBW_CONFORMANCE_MAX_FACTS 32u
/** Longest reason kept per fact, bytes with the terminating NUL. */
#define MEMBW_CONFORMANCE_REASON_MAX 256u

/** @brief One fact of the suite and how it came out. */
struct membw_conformance_fact {
	const char *name;                            /**< e.g. "counts exactly". */
	enum membw_conformance_result result;        /**< PASS, FAIL or SKIP. */
	unsigned int checks;                         /**< Checks made. */
	char reason[MEMBW_CONFORMANCE_REASON_MAX];   /**< First failure, skip reason or a note. */
};

/** @brief What membw_conformance_run() found. */
struct membw_conformance_report {
	uint32_t size;                   /**< In: sizeof(struct membw_conformance_report). */
	const char *name;                /**< The driver's name. */
	unsigned int nfacts;             /**< Entries of `fact`. */
	unsigned int passed;             /**< Facts that passed. */
	unsigned int failed;             /**< Facts that failed. */
	unsigned int skipped;            /**< Facts skipped. */
	/** The facts, in the order they ran. */
	struct membw_conformance_fact fact[MEMBW_CONFORMANCE_MAX_FACTS];
	bool skid_measured;              /**< The skid fields hold a measurement. */
	bool skid_exact;                 /**< skid_events is exact (else an upper bound). */
	uint64_t skid_armed;             /**< n of the arm(n) measured, events. */
	/** Events counted past the n-th before the overflow interrupt was seen (0: on time). */
	uint64_t skid_events;
	bool cost_measured;              /**< The cost fields hold a measurement. */
	uint64_t read_ps;                /**< Mean cost of one `read`, picoseconds. */
	uint64_t arm_ps;                 /**< Mean cost of one `arm`, picoseconds. */
	unsigned int cost_calls;         /**< Calls each mean is taken over. */
};

/** Flag of membw_conformance_print() and membw_conformance_check(): JSON instead of text. */
#define MEMBW_CONFORMANCE_JSON (1u << 0)

/**
 * @brief Run every fact of the suite against @p drv.
 * @param drv    The driver (size, backend, overflows and name set).
 * @param report Filled in; its `size` must be set by the caller.
 * @retval 0 The backend conforms: no fact failed (skipped ones are listed with their reason).
 * @retval 1 At least one fact failed.
 * @retval -MEMBW_EINVAL @p drv or @p report is incomplete (nothing ran).
 */
MEMBW_CONFORMANCE_API int membw_conformance_run(const struct membw_conformance_driver *drv,
						struct membw_conformance_report *report);

/**
 * @brief Write @p report to file descriptor @p fd: one line per fact (PASS/FAIL/SKIP, name,
 * reason) and the measurements with their units, or one JSON object with ::MEMBW_CONFORMANCE_JSON.
 * @param report A report filled by membw_conformance_run().
 * @param fd     Where to write (1 for standard output).
 * @param flags  0 (text) or ::MEMBW_CONFORMANCE_JSON.
 * @return 0, or -MEMBW_EIO if the write failed (-MEMBW_EINVAL for a malformed report).
 */
MEMBW_CONFORMANCE_API int membw_conformance_print(const struct membw_conformance_report *report,
						  int fd, unsigned int flags);

/**
 * @brief The one call for a vendor: run the suite against @p drv and print the report on @p fd.
 * @param drv   The driver, as for membw_conformance_run().
 * @param fd    Where the report goes (1 for standard output).
 * @param flags 0 or ::MEMBW_CONFORMANCE_JSON.
 * @return An exit status: 0 conforms, 1 a fact failed, 2 the driver is incomplete.
 */
MEMBW_CONFORMANCE_API int membw_conformance_check(const struct membw_conformance_driver *drv,
						  int fd, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_CONFORMANCE_H */
