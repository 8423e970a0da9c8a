/* SPDX-License-Identifier: MIT */
/**
 * @file events.h
 * @brief Per-generation event tables of the x86 backend, selected by CPUID family/model/stepping.
 *
 * Each supported generation is a const descriptor with a const table of the events that count
 * a core's cache-line traffic towards DRAM; every row names where its numbers come from and
 * which independent check covers it (tests/x86/tables). An Intel CPU the tables do not know gets
 * the architectural events (`generic` = 1), whose availability the caller must still check in
 * CPUID.0AH:EBX.
 *
 * Everything here is const data and pure functions: no libc, no global state.
 */
#ifndef MEMBW_X86_EVENTS_H
#define MEMBW_X86_EVENTS_H

#include <stdint.h>

#include "../event_names.h"

/** @name Which independent source checks a row at test time (x86_event::checked)
 * @{ */
#define X86_CHECKED_LIBPFM4 (1u << 0) /**< Debian's libpfm4 4.13 encodes it the same. */
#define X86_CHECKED_LINUX (1u << 1)   /**< Linux 6.1 perf's JSON list has the same numbers. */
/** @} */

/** @brief One event of one generation. */
struct x86_event {
	const char *name;        /**< Intel's name, "EVENT.UMASK", e.g. "L2_LINES_IN.ALL". */
	uint16_t code;           /**< event select | unit mask << 8, e.g. 0x1FF1. */
	const char *description; /**< One line: what one count means. */
	const char *source;      /**< Where the numbers were read. */
	/** X86_CHECKED_* of the tests that compare it; 0 = not checked by any test (read only). */
	uint32_t checked;
};

/** @brief One processor generation: how to recognise it and which events it has. */
struct x86_core {
	const char *name; /**< e.g. "Sapphire Rapids"; "generic" for the fallback. */
	/** Matches a GenuineIntel CPU of this display family and model, stepping in [min, max]. */
	uint32_t family, model, stepping_min, stepping_max;
	/** Default event counting line fills from beyond the core (reads); never 0 in a table. */
	uint16_t read_event;
	/** Default event counting line write-backs out of the core; 0 = none. */
	uint16_t write_event;
	const struct x86_event *events; /**< The generation's rows. */
	unsigned int nevents;           /**< Number of rows. */
	const char *source;             /**< The event list the rows come from. */
	uint32_t generic; /**< 1 for the architectural-events fallback, else 0. */
};

/**
 * @brief The event table for a CPU.
 * @param intel    1 if the vendor is GenuineIntel (other vendors always get the generic table).
 * @param family   Display family (CPUID.01H per the SDM rule).
 * @param model    Display model.
 * @param stepping Stepping.
 * @return The matching generation, or the generic fallback. Never NULL.
 */
const struct x86_core *x86_core_lookup(uint32_t intel, uint32_t family, uint32_t model,
				       uint32_t stepping);

/**
 * @brief An event of @p core by name, without regard to ASCII case; NULL if absent or an
 *        argument is NULL.
 */
const struct x86_event *x86_event_by_name(const struct x86_core *core, const char *name);

/**
 * @brief The row of @p core whose code is @p code (`event | umask << 8`); NULL if absent or
 *        @p core is NULL. A table's default events are codes: this finds their rows.
 */
const struct x86_event *x86_event_by_code(const struct x86_core *core, uint16_t code);

/** @brief Every table, the generic one last; *@p n receives the count. */
const struct x86_core *const *x86_core_tables(unsigned int *n);

/**
 * @brief The first table (in x86_core_tables() order) that has an event named @p name, any case;
 *        NULL if none has. Says whether a name is one of Intel's, whatever the running CPU.
 */
const struct x86_core *x86_core_with_event(const char *name);

/** @brief What x86_event_resolve() made of a name. */
enum x86_resolved {
	/** An event of the CPU's table: x86_resolution::row, whose code is the raw config. */
	X86_RESOLVED_EVENT,
	/** A default name, and the CPU's table has no default for x86_resolution::channel. */
	X86_RESOLVED_NO_DEFAULT,
	/** A default name or an Intel table's name on a CPU that is not GenuineIntel. */
	X86_RESOLVED_NOT_INTEL,
	/** In no table that applies (none applies when the CPU is not GenuineIntel). */
	X86_RESOLVED_UNKNOWN,
};

/** @brief The details of an x86_event_resolve() outcome, for the caller's own message. */
struct x86_resolution {
	const char *name; /**< The name without its optional "x86::" prefix. */
	/**
	 * The CPU's table (NULL in X86_RESOLVED_UNKNOWN when the CPU is not GenuineIntel); in
	 * X86_RESOLVED_NOT_INTEL the first table that has the name (NULL for a default name).
	 */
	const struct x86_core *core;
	const struct x86_event *row; /**< X86_RESOLVED_EVENT: the event. Else NULL. */
	unsigned int channel; /**< The channel a default name stands for (0 reads, 1 write-backs). */
	int is_default;       /**< 1 when the name is a default name (event_name_default()). */
};

/**
 * @brief Resolve an event name the way every user of the tables does (the perf backend,
 *        membw.ko): optional "x86::" prefix, then "default" / "default-read" / "default-write"
 *        (the table's read or write-back default), or an event name of the CPU's table. On a CPU
 *        that is not GenuineIntel no table applies: Intel event numbers mean other events there.
 * @param name     The name, any ASCII case; not NULL.
 * @param intel    1 if the vendor is GenuineIntel.
 * @param family   Display family (CPUID.01H per the SDM rule).
 * @param model    Display model.
 * @param stepping Stepping.
 * @param channel  The channel whose setting holds the name: 0 reads, 1 write-backs.
 * @param res      Receives the details; the caller words its own message from them.
 * @return The outcome.
 */
enum x86_resolved x86_event_resolve(const char *name, uint32_t intel, uint32_t family,
				    uint32_t model, uint32_t stepping, unsigned int channel,
				    struct x86_resolution *res);

#endif /* MEMBW_X86_EVENTS_H */
