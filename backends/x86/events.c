/* SPDX-License-Identifier: MIT */
/*
 * Per-generation event tables of the x86 backend: the events that count a core's cache-line
 * traffic towards DRAM on Intel Xeon generations from Skylake-SP on, and the architectural
 * events for every other Intel CPU (docs/x86-perfmon.md#x86-perfmon-events).
 *
 * Where the numbers come from. Every row's `source` names the event list it was read in: Intel's
 * published perfmon event lists (the intel/perfmon repository, <GEN>/events/<name>_core.json,
 * version as named), and for the architectural events the SDM's table of architectural
 * performance events. `checked` says which independent list tests/x86/tables compares it with at
 * run time: libpfm4 4.13 as Debian ships it (its skx, clx, icx and spr tables:
 * lib/events/intel_skx_events.h, intel_icx_events.h, intel_spr_events.h) and Linux 6.1 perf's
 * JSON lists (tools/perf/pmu-events/arch/x86/{skylakex,cascadelakex,icelakex,sapphirerapids}).
 * Emerald Rapids, Granite Rapids and Sierra Forest are in neither: their rows were read in
 * Intel's lists only and carry checked = 0.
 *
 * Choosing the defaults (docs/x86-perfmon.md#x86-perfmon-defaults). The regulator counts one
 * event per cache line moved between a core and DRAM.
 * - Reads: LONGEST_LAT_CACHE.MISS (0x2E/0x41, architectural): core-originated cacheable requests
 *   that miss the L3, demand and L1/L2 hardware prefetches included (Intel's descriptions). That
 *   is a line from DRAM (or from another socket's cache, which errs on the safe side). The
 *   alternatives over-count: L2_LINES_IN.ALL and OFFCORE_REQUESTS.ALL_DATA_RD also count lines
 *   the L3 supplies. It is MemGuard's choice on Intel too.
 * - Write-backs: no per-core event counts lines written to DRAM (the memory controller's
 *   CAS_COUNT.WR is an uncore event, per channel, not per core). L2_LINES_OUT.NON_SILENT counts
 *   lines the L2 evicts non-silently: modified lines (written back to the L3 or to memory) and,
 *   on Skylake-SP/Cascade Lake, also clean lines sent to the non-inclusive L3. It over-counts
 *   DRAM writes (the L3 absorbs some), which errs on the safe side: a core is throttled early,
 *   never late.
 * - Unknown Intel CPUs: LLC Misses, architectural (CPUID.0AH:EBX bit 4), and no write-back
 *   default (there is no architectural write-back event): one channel.
 */
#include "events.h"

#include <stddef.h>

#define COUNT(rows) ((unsigned int)(sizeof(rows) / sizeof((rows)[0])))
#define CODE(ev, umask) ((uint16_t)((ev) | ((umask) << 8)))
#define BOTH (X86_CHECKED_LIBPFM4 | X86_CHECKED_LINUX)

#define SDM_ARCH "Intel SDM vol. 3B, architectural performance events (table of pre-defined events)"

/* ------------------------------------------------------------------------------------------- */
/* Skylake-SP and Cascade Lake: family 6, model 0x55; steppings 0-4 Skylake-SP, 5-F Cascade Lake
 * (and Cooper Lake), as Intel's and Linux's mapfile.csv split them. Same core events. */

#define SKX_LIST "Intel perfmon SKX/events/skylakex_core.json V1.37"
#define CLX_LIST "Intel perfmon CLX/events/cascadelakex_core.json V1.25"

#define SKL_SERVER_ROWS(list)                                                                       \
	{ "LONGEST_LAT_CACHE.MISS", CODE(0x2E, 0x41),                                              \
	  "Core-originated cacheable requests that miss the L3 (demand and L1/L2 prefetch)", list, \
	  BOTH },                                                                                  \
	{ "L2_LINES_IN.ALL", CODE(0xF1, 0x1F), "Lines filling the L2 (from L3 or memory)", list,  \
	  BOTH },                                                                                  \
	{ "L2_LINES_OUT.SILENT", CODE(0xF2, 0x01), "Lines the L2 drops silently (clean)", list,   \
	  BOTH },                                                                                  \
	{ "L2_LINES_OUT.NON_SILENT", CODE(0xF2, 0x02),                                            \
	  "Lines the L2 evicts non-silently: modified (written back) or clean sent to the L3",    \
	  list, BOTH },                                                                            \
	{ "OFFCORE_REQUESTS.DEMAND_DATA_RD", CODE(0xB0, 0x01), "Demand data reads sent to uncore", \
	  list, BOTH },                                                                            \
	{ "OFFCORE_REQUESTS.ALL_DATA_RD", CODE(0xB0, 0x08),                                       \
	  "Demand and L2-prefetch data reads sent to uncore", list, BOTH },                        \
	{ "OFFCORE_REQUESTS.L3_MISS_DEMAND_DATA_RD", CODE(0xB0, 0x10),                            \
	  "Demand data reads that miss the L3", list, BOTH },                                      \
	{ "INST_RETIRED.ANY_P", CODE(0xC0, 0x00), "Instructions retired (architectural)", SDM_ARCH, \
	  BOTH }

static const struct x86_event skx_events[] = { SKL_SERVER_ROWS(SKX_LIST) };
static const struct x86_event clx_events[] = { SKL_SERVER_ROWS(CLX_LIST) };

static const struct x86_core skylake_sp = {
	.name = "Skylake-SP",
	.family = 6, .model = 0x55, .stepping_min = 0, .stepping_max = 4,
	.read_event = CODE(0x2E, 0x41),  /* LONGEST_LAT_CACHE.MISS (top of this file) */
	.write_event = CODE(0xF2, 0x02), /* L2_LINES_OUT.NON_SILENT */
	.events = skx_events, .nevents = COUNT(skx_events), .source = SKX_LIST, .generic = 0,
};

static const struct x86_core cascade_lake = {
	.name = "Cascade Lake",
	.family = 6, .model = 0x55, .stepping_min = 5, .stepping_max = 0xF,
	.read_event = CODE(0x2E, 0x41),
	.write_event = CODE(0xF2, 0x02),
	.events = clx_events, .nevents = COUNT(clx_events), .source = CLX_LIST, .generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Ice Lake-SP (model 0x6A) and Ice Lake-D (0x6C): one list for both. */

#define ICX_LIST "Intel perfmon ICX/events/icelakex_core.json V1.30"

static const struct x86_event icx_events[] = {
	{ "LONGEST_LAT_CACHE.MISS", CODE(0x2E, 0x41),
	  "Core-originated cacheable requests that miss the L3 (demand and L1/L2 prefetch)", ICX_LIST,
	  BOTH },
	{ "L2_LINES_IN.ALL", CODE(0xF1, 0x1F), "Lines filling the L2", ICX_LIST, BOTH },
	{ "L2_LINES_OUT.SILENT", CODE(0xF2, 0x01), "Lines the L2 drops silently", ICX_LIST, BOTH },
	{ "L2_LINES_OUT.NON_SILENT", CODE(0xF2, 0x02),
	  "Lines the L2 evicts to the L3 on a fill (modified ones are written back)", ICX_LIST, BOTH },
	{ "OFFCORE_REQUESTS.DEMAND_DATA_RD", CODE(0xB0, 0x01), "Demand data reads sent to uncore",
	  ICX_LIST, BOTH },
	{ "OFFCORE_REQUESTS.ALL_DATA_RD", CODE(0xB0, 0x08),
	  "Demand and L2-prefetch data reads sent to uncore", ICX_LIST, BOTH },
	{ "OFFCORE_REQUESTS.L3_MISS_DEMAND_DATA_RD", CODE(0xB0, 0x10),
	  "Demand data reads that miss the L3", ICX_LIST, BOTH },
	{ "INST_RETIRED.ANY_P", CODE(0xC0, 0x00), "Instructions retired (architectural)", SDM_ARCH,
	  BOTH },
};

#define ICX_CORE(label, m)                                                                          \
	{                                                                                          \
		.name = label, .family = 6, .model = m, .stepping_min = 0, .stepping_max = 0xF,    \
		.read_event = CODE(0x2E, 0x41), .write_event = CODE(0xF2, 0x02),                   \
		.events = icx_events, .nevents = COUNT(icx_events), .source = ICX_LIST,            \
		.generic = 0,                                                                      \
	}

static const struct x86_core ice_lake_sp = ICX_CORE("Ice Lake-SP", 0x6A);
static const struct x86_core ice_lake_d = ICX_CORE("Ice Lake-D", 0x6C);

/* ------------------------------------------------------------------------------------------- */
/* Golden Cove and its successors: Sapphire Rapids (0x8F), Emerald Rapids (0xCF), Granite Rapids
 * (0xAD X, 0xAE D). L2_LINES_IN/OUT moved to 0x25/0x26 and OFFCORE_REQUESTS to 0x21; the
 * all-data-reads event is named OFFCORE_REQUESTS.DATA_RD (umask 0x08). */

#define SPR_LIST "Intel perfmon SPR/events/sapphirerapids_core.json V1.39"
#define EMR_LIST "Intel perfmon EMR/events/emeraldrapids_core.json V1.24"
#define GNR_LIST "Intel perfmon GNR/events/graniterapids_core.json V1.20"

#define GLC_ROWS(list, checks)                                                                      \
	{ "LONGEST_LAT_CACHE.MISS", CODE(0x2E, 0x41),                                              \
	  "Core-originated cacheable requests that miss the L3 (except L3 prefetches)", list,      \
	  checks },                                                                                \
	{ "L2_LINES_IN.ALL", CODE(0x25, 0x1F), "Lines filling the L2", list, checks },             \
	{ "L2_LINES_OUT.SILENT", CODE(0x26, 0x01), "Non-modified lines the L2 drops silently",     \
	  list, checks },                                                                          \
	{ "L2_LINES_OUT.NON_SILENT", CODE(0x26, 0x02),                                            \
	  "Modified lines the L2 evicts on a fill (written back)", list, checks },                 \
	{ "OFFCORE_REQUESTS.DEMAND_DATA_RD", CODE(0x21, 0x01), "Demand data reads sent to uncore", \
	  list, checks },                                                                          \
	{ "OFFCORE_REQUESTS.DATA_RD", CODE(0x21, 0x08), "Demand and prefetch data reads", list,   \
	  checks },                                                                                \
	{ "INST_RETIRED.ANY_P", CODE(0xC0, 0x00), "Instructions retired (architectural)", SDM_ARCH, \
	  checks }

static const struct x86_event spr_events[] = { GLC_ROWS(SPR_LIST, BOTH) };
/* Not in libpfm4 4.13 nor in Linux 6.1's lists: read in Intel's lists only (checked = 0). */
static const struct x86_event emr_events[] = { GLC_ROWS(EMR_LIST, 0) };
static const struct x86_event gnr_events[] = { GLC_ROWS(GNR_LIST, 0) };

#define GLC_CORE(label, m, rows, list)                                                              \
	{                                                                                          \
		.name = label, .family = 6, .model = m, .stepping_min = 0, .stepping_max = 0xF,    \
		.read_event = CODE(0x2E, 0x41), .write_event = CODE(0x26, 0x02), .events = rows,   \
		.nevents = COUNT(rows), .source = list, .generic = 0,                              \
	}

static const struct x86_core sapphire_rapids = GLC_CORE("Sapphire Rapids", 0x8F, spr_events, SPR_LIST);
static const struct x86_core emerald_rapids = GLC_CORE("Emerald Rapids", 0xCF, emr_events, EMR_LIST);
static const struct x86_core granite_rapids_x = GLC_CORE("Granite Rapids", 0xAD, gnr_events, GNR_LIST);
static const struct x86_core granite_rapids_d = GLC_CORE("Granite Rapids-D", 0xAE, gnr_events, GNR_LIST);

/* ------------------------------------------------------------------------------------------- */
/* Sierra Forest (0xAF), E-cores (Crestmont): the L2 is shared by a module of four cores, so its
 * fill and eviction events are the module's; LONGEST_LAT_CACHE.MISS is counted per core
 * (Intel's description). No OFFCORE_REQUESTS event. */

#define SRF_LIST "Intel perfmon SRF/events/sierraforest_core.json V1.18"

static const struct x86_event srf_events[] = {
	{ "LONGEST_LAT_CACHE.MISS", CODE(0x2E, 0x41),
	  "Cacheable memory requests that miss the LLC, per core", SRF_LIST, 0 },
	{ "L2_REQUEST.MISS", CODE(0x24, 0x01), "L2 accesses that miss (front-door requests)",
	  SRF_LIST, 0 },
	{ "L2_LINES_OUT.SILENT", CODE(0x26, 0x01), "L2 lines silently dropped on a fill", SRF_LIST,
	  0 },
	{ "L2_LINES_OUT.NON_SILENT", CODE(0x26, 0x02), "L2 lines evicted on a fill (module-wide)",
	  SRF_LIST, 0 },
	{ "INST_RETIRED.ANY_P", CODE(0xC0, 0x00), "Instructions retired (architectural)", SDM_ARCH,
	  0 },
};

static const struct x86_core sierra_forest = {
	.name = "Sierra Forest",
	.family = 6, .model = 0xAF, .stepping_min = 0, .stepping_max = 0xF,
	.read_event = CODE(0x2E, 0x41),
	/* L2_LINES_OUT.NON_SILENT counts the module's shared L2: it over-counts one core's
	 * write-backs by its neighbours' (the safe side). ASSUMPTION: "evicted" lines include every
	 * modified line written back, as on the P-cores; Intel's text does not say "modified". */
	.write_event = CODE(0x26, 0x02),
	.events = srf_events, .nevents = COUNT(srf_events), .source = SRF_LIST, .generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Any other CPU: the architectural events (available when CPUID.0AH:EBX says so). */

static const struct x86_event generic_events[] = {
	{ "CPU_CLK_UNHALTED.THREAD_P", CODE(0x3C, 0x00), "Core cycles while not halted", SDM_ARCH, 0 },
	{ "INST_RETIRED.ANY_P", CODE(0xC0, 0x00), "Instructions retired", SDM_ARCH, 0 },
	{ "CPU_CLK_UNHALTED.REF_XCLK", CODE(0x3C, 0x01), "Reference cycles while not halted",
	  SDM_ARCH, 0 },
	{ "LONGEST_LAT_CACHE.REFERENCE", CODE(0x2E, 0x4F), "Requests referring to the LLC",
	  SDM_ARCH, 0 },
	{ "LONGEST_LAT_CACHE.MISS", CODE(0x2E, 0x41), "Requests that miss the LLC", SDM_ARCH, 0 },
	{ "BR_INST_RETIRED.ALL_BRANCHES", CODE(0xC4, 0x00), "Branch instructions retired", SDM_ARCH,
	  0 },
	{ "BR_MISP_RETIRED.ALL_BRANCHES", CODE(0xC5, 0x00), "Mispredicted branches retired",
	  SDM_ARCH, 0 },
};

static const struct x86_core generic_core = {
	.name = "generic",
	.read_event = CODE(0x2E, 0x41), /* LLC Misses */
	.write_event = 0,               /* no architectural write-back event */
	.events = generic_events, .nevents = COUNT(generic_events), .source = SDM_ARCH, .generic = 1,
};

/* ------------------------------------------------------------------------------------------- */

static const struct x86_core *const all_cores[] = {
	&skylake_sp,	   &cascade_lake,     &ice_lake_sp,	 &ice_lake_d,	 &sapphire_rapids,
	&emerald_rapids, &granite_rapids_x, &granite_rapids_d, &sierra_forest, &generic_core,
};

const struct x86_core *x86_core_lookup(uint32_t intel, uint32_t family, uint32_t model,
				       uint32_t stepping)
{
	unsigned int i;

	if (!intel)
		return &generic_core;
	for (i = 0; i + 1 < COUNT(all_cores); i++) {
		const struct x86_core *c = all_cores[i];

		if (c->family == family && c->model == model && stepping >= c->stepping_min &&
		    stepping <= c->stepping_max)
			return c;
	}
	return &generic_core;
}

const struct x86_core *const *x86_core_tables(unsigned int *n)
{
	if (n)
		*n = COUNT(all_cores);
	return all_cores;
}

const struct x86_event *x86_event_by_name(const struct x86_core *core, const char *name)
{
	unsigned int i;

	if (!core || !name)
		return NULL;
	for (i = 0; i < core->nevents; i++)
		if (event_name_equal(core->events[i].name, name))
			return &core->events[i];
	return NULL;
}

const struct x86_event *x86_event_by_code(const struct x86_core *core, uint16_t code)
{
	unsigned int i;

	if (!core)
		return NULL;
	for (i = 0; i < core->nevents; i++)
		if (core->events[i].code == code)
			return &core->events[i];
	return NULL;
}

const struct x86_core *x86_core_with_event(const char *name)
{
	unsigned int i;

	for (i = 0; i < COUNT(all_cores); i++)
		if (x86_event_by_name(all_cores[i], name))
			return all_cores[i];
	return NULL;
}

enum x86_resolved x86_event_resolve(const char *name, uint32_t intel, uint32_t family,
				    uint32_t model, uint32_t stepping, unsigned int channel,
				    struct x86_resolution *res)
{
	const struct x86_core *core = intel ? x86_core_lookup(1, family, model, stepping) : NULL;
	uint16_t code;

	res->name = event_name_after_prefix(name, "x86::");
	res->channel = channel;
	res->is_default = event_name_default(res->name, &res->channel);
	res->row = NULL;
	if (!core) {
		res->core = res->is_default ? NULL : x86_core_with_event(res->name);
		if (res->is_default || res->core)
			return X86_RESOLVED_NOT_INTEL;
		return X86_RESOLVED_UNKNOWN;
	}
	res->core = core;
	if (!res->is_default) {
		res->row = x86_event_by_name(core, res->name);
		return res->row ? X86_RESOLVED_EVENT : X86_RESOLVED_UNKNOWN;
	}
	code = res->channel ? core->write_event : core->read_event; /* 0: none */
	res->row = code ? x86_event_by_code(core, code) : NULL;
	return res->row ? X86_RESOLVED_EVENT : X86_RESOLVED_NO_DEFAULT;
}
