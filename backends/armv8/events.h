/* SPDX-License-Identifier: MIT */
/**
 * @file events.h
 * @brief Per-core PMUv3 event tables for the ARMv8 backend, selected by MIDR_EL1.
 *
 * Each supported core is a const descriptor with a const table of the memory-traffic events its
 * Technical Reference Manual documents; every row names the manual table it was taken from.
 * A core the tables do not know gets the architectural common-event table (`generic` = 1), whose
 * numbers come from the Arm ARM's common-event list; whether a given event is implemented must
 * still be checked against PMCEID0/1_EL0 by the caller.
 *
 * Everything here is const data and pure functions: no libc, no global state, callable from any
 * CPU and any exception level, at any time.
 */
#ifndef MEMBW_ARMV8_EVENTS_H
#define MEMBW_ARMV8_EVENTS_H

#include <stdint.h>

#include "../event_names.h"

/** @brief One PMU event of one core. */
struct armv8_event {
	const char *name;        /**< Arm's mnemonic, e.g. "L2D_CACHE_REFILL". Unique per table. */
	uint16_t code;           /**< Event number written to PMEVTYPER<n>_EL0.evtCount. */
	const char *description; /**< One line: what one count means. */
	const char *source;      /**< Manual and table the row comes from, e.g. "Cortex-A53 TRM r0p4, Table 12-28". */
	/**
	 * 1: an IMPLEMENTATION DEFINED event number (ARMV8_IMPDEF_FIRST .. ARMV8_IMPDEF_LAST), whose
	 * meaning is this core's only: the backend accepts it only on a CPU whose MIDR_EL1 selects
	 * this table. 0: an architectural (common) event.
	 */
	uint8_t impdef;
};

/** @brief First IMPLEMENTATION DEFINED event number of the 10-bit space (Arm ARM, PMU event numbers). */
#define ARMV8_IMPDEF_FIRST 0x00C0u
/** @brief Last IMPLEMENTATION DEFINED event number of the 10-bit space. */
#define ARMV8_IMPDEF_LAST 0x03FFu

/** @brief One CPU core model: how to recognise it and which events it documents. */
struct armv8_core {
	const char *name; /**< Marketing name, e.g. "Cortex-A53"; "generic" for the fallback. */
	/**
	 * The core matches a MIDR_EL1 value `midr` when `(midr & midr_mask) == midr_value`.
	 * The mask keeps implementer [31:24] and part number [15:4], so variant [23:20],
	 * architecture [19:16] and revision [3:0] are ignored. The generic table has mask 0.
	 */
	uint32_t midr_value, midr_mask;
	/** Default event counting cache-line refills from the DRAM side (reads); never 0 in a table. */
	uint16_t read_event;
	/** Default event counting cache-line write-backs towards DRAM; 0 = the core has none. */
	uint16_t write_event;
	const struct armv8_event *events; /**< The core's event rows. */
	unsigned int nevents;             /**< Number of rows in @ref events. */
	const char *source;               /**< The manual (and its table) the rows come from. */
	uint32_t generic; /**< 1 for the architectural-common-events fallback table, else 0. */
};

/** @brief MIDR_EL1 field masks (Arm ARM, MIDR_EL1). */
#define ARMV8_MIDR_IMPLEMENTER_MASK 0xff000000u /**< Implementer, bits [31:24]. */
#define ARMV8_MIDR_VARIANT_MASK 0x00f00000u     /**< Variant (major revision), bits [23:20]. */
#define ARMV8_MIDR_ARCH_MASK 0x000f0000u        /**< Architecture, bits [19:16]. */
#define ARMV8_MIDR_PARTNUM_MASK 0x0000fff0u     /**< Primary part number, bits [15:4]. */
#define ARMV8_MIDR_REVISION_MASK 0x0000000fu    /**< Revision (minor), bits [3:0]. */
/** Implementer and part number: what identifies a core model. */
#define ARMV8_MIDR_MODEL_MASK (ARMV8_MIDR_IMPLEMENTER_MASK | ARMV8_MIDR_PARTNUM_MASK)

/**
 * @brief The event table for the core whose MIDR_EL1 reads @p midr.
 * @param midr the raw MIDR_EL1 value.
 * @return the matching core's descriptor, or the generic fallback (`generic` = 1) when no table
 *         matches. Never NULL.
 */
const struct armv8_core *armv8_core_lookup(uint32_t midr);

/**
 * @brief An event of @p core by its name, compared without regard to ASCII case.
 * @param core a descriptor from armv8_core_lookup(); NULL gives NULL.
 * @param name the event's mnemonic, e.g. "l2d_cache_refill"; NULL gives NULL.
 * @return the row, or NULL when @p core's table has no such event.
 */
const struct armv8_event *armv8_event_by_name(const struct armv8_core *core, const char *name);

/**
 * @brief The row of @p core whose event number is @p code.
 * @param core a descriptor from armv8_core_lookup(); NULL gives NULL.
 * @param code the event number, e.g. a table's read_event.
 * @return the row, or NULL when @p core's table has no such number.
 */
const struct armv8_event *armv8_event_by_code(const struct armv8_core *core, uint16_t code);

/** @brief What armv8_event_resolve() made of a name. */
enum armv8_resolved {
	/** An event of the core's table: armv8_resolution::row, whose code is the raw config. */
	ARMV8_RESOLVED_EVENT,
	/** A default name, and the core's table has no default for armv8_resolution::channel. */
	ARMV8_RESOLVED_NO_DEFAULT,
	/** Not in the core's table. */
	ARMV8_RESOLVED_UNKNOWN,
};

/** @brief The details of an armv8_event_resolve() outcome, for the caller's own message. */
struct armv8_resolution {
	const char *name;               /**< The name without its optional "armv8::" prefix. */
	const struct armv8_core *core;  /**< The core's table (armv8_core_lookup()). */
	const struct armv8_event *row;  /**< ARMV8_RESOLVED_EVENT: the event. Else NULL. */
	unsigned int channel; /**< The channel a default name stands for (0 reads, 1 write-backs). */
	int is_default;       /**< 1 when the name is a default name (event_name_default()). */
};

/**
 * @brief Resolve an event name the way every user of the tables does (the perf backend,
 *        membw.ko): optional "armv8::" prefix, then "default" / "default-read" /
 *        "default-write" (the table's read or write-back default), or a mnemonic of the core's
 *        table.
 * @param name    The name, any ASCII case; not NULL.
 * @param midr    The core's MIDR_EL1 value (selects the table, armv8_core_lookup()).
 * @param channel The channel whose setting holds the name: 0 reads, 1 write-backs.
 * @param res     Receives the details; the caller words its own message from them.
 * @return The outcome.
 */
enum armv8_resolved armv8_event_resolve(const char *name, uint32_t midr, unsigned int channel,
					struct armv8_resolution *res);

#endif /* MEMBW_ARMV8_EVENTS_H */
