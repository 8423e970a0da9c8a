/* SPDX-License-Identifier: MIT */
/*
 * Per-core PMUv3 event tables: the memory-traffic events each core's Technical Reference Manual
 * documents, plus the three events the tests use as stand-ins (SW_INCR, INST_RETIRED, CPU_CYCLES),
 * and a fallback of architectural common events for cores we do not know.
 *
 * Where the numbers come from. Every row names the manual table it is taken from in `source`.
 * Rows were checked against at least two of: the TRM table text, Arm's machine-readable PMU data
 * (ARM-software/data, pmu/<core>.json, which cites the TRM), Linux's
 * tools/perf/pmu-events/arch/arm64/arm/<core>/ lists, and libpfm4's arm_ac53 / arm_ac57 / arm_n1
 * tables. tests/armv8/tables/ compares the numbers at run time with libpfm4 (A53, A57, N1) and with
 * Linux perf's lists as Debian's linux-source ships them (A55, A57, A72, A76, N1), so every table
 * but the generic one has at least one machine-readable independent check. A row whose TRM text
 * was not read directly says so in an ASSUMPTION comment, naming the rows.
 *
 * Names are Arm's architectural mnemonics (the Arm ARM's), also where an older TRM spells them
 * differently (Cortex-A53/A57/A72 TRMs say BUS_ACCESS_LD/_ST, L1D_CACHE_REFILL_LD/_ST, ...); the
 * description then gives the TRM's own name.
 *
 * Choosing the default events. The regulator counts one event per cache line moved between the
 * core and DRAM (docs/memguard.md#memguard-scheme): reads are last-level refills, writes are
 * last-level write-backs.
 * - Cortex-A53/A57/A72: L2 is the last cache level in the cluster, so L2D_CACHE_REFILL (0x17) and
 *   L2D_CACHE_WB (0x18). These are MemGuard's events on these cores; Bao's prototype used
 *   L1D_CACHE_REFILL (0x03) on the A53, which also counts L1 misses that hit in L2.
 * - Cortex-A55/A76, Neoverse N1: there is a level beyond the core's L2 (the DSU's L3, or the
 *   interconnect's system cache on N1 systems), so L2 refills would count L3 hits as DRAM
 *   traffic. LL_CACHE_MISS_RD (0x37) is described for these cores as the miss of whatever the
 *   last level is in the configuration at hand (and, with CPUECTLR.EXTLLC set, of the
 *   interconnect cache), so it counts reads from DRAM on every configuration; and the refill
 *   events it duplicates count the ReadUnique of a store miss as a read, so write-allocate
 *   refills are in it (each core's default says where that was read). None of these cores has a
 *   last-level write-back event (no L3D_CACHE_WB), so writes use L2D_CACHE_WB (0x18): lines
 *   leaving the core. That over-counts when the L3 absorbs a write-back, which errs on the safe
 *   side (the core is throttled early, never late).
 * - Unknown cores: L2D_CACHE_REFILL / L2D_CACHE_WB, the refill and write-back events beyond L1
 *   that ARMv8.0 already defines and nearly every core with an L2 implements; on deeper
 *   hierarchies they over-count, again on the safe side. The backend must still check PMCEID.
 */
#include "events.h"

#include <stddef.h>

#define ARM_IMPLEMENTER 0x41u /* MIDR_EL1.Implementer for Arm Limited ('A'). */

/* Implementer 0x41 and the part number from each TRM's MIDR_EL1 description. */
#define ARM_PART(part) ((ARM_IMPLEMENTER << 24) | ((uint32_t)(part) << 4))

#define COUNT(rows) ((unsigned int)(sizeof(rows) / sizeof((rows)[0])))

/* ------------------------------------------------------------------------------------------- */
/* Cortex-A53: MIDR part number 0xD03. */

#define A53_TRM "Cortex-A53 MPCore TRM (ARM DDI 0500D), Table 12-28 PMU events"

/*
 * ASSUMPTION: rows 0x16 and 0x1D were not in the TRM text read, so their citation of Table 12-28
 * is unverified; libpfm4's arm_ac53 table gives them the same numbers (L2D_CACHE_ACCESS,
 * BUS_CYCLES), which tests/armv8/tables/test_libpfm.c checks at run time.
 */
static const struct armv8_event cortex_a53_events[] = {
	{ "SW_INCR", 0x00, "Software increment (write to PMSWINC_EL0)", A53_TRM, 0 },
	{ "L1D_CACHE_REFILL", 0x03, "L1 data cache refill", A53_TRM, 0 },
	{ "INST_RETIRED", 0x08, "Instruction architecturally executed", A53_TRM, 0 },
	{ "CPU_CYCLES", 0x11, "Cycle", A53_TRM, 0 },
	{ "MEM_ACCESS", 0x13, "Data memory access", A53_TRM, 0 },
	{ "L1D_CACHE_WB", 0x15, "L1 data cache write-back", A53_TRM, 0 },
	{ "L2D_CACHE", 0x16, "L2 data cache access (libpfm4: L2D_CACHE_ACCESS)", A53_TRM, 0 },
	{ "L2D_CACHE_REFILL", 0x17, "L2 data cache refill", A53_TRM, 0 },
	{ "L2D_CACHE_WB", 0x18, "L2 data cache write-back", A53_TRM, 0 },
	{ "BUS_ACCESS", 0x19, "Bus access", A53_TRM, 0 },
	{ "BUS_CYCLES", 0x1D, "Bus cycle", A53_TRM, 0 },
	{ "BUS_ACCESS_RD", 0x60, "Bus access, read (TRM: BUS_ACCESS_LD)", A53_TRM, 0 },
	{ "BUS_ACCESS_WR", 0x61, "Bus access, write (TRM: BUS_ACCESS_ST)", A53_TRM, 0 },
	/*
	 * ASSUMPTION: the TRM gives 0xC0/0xC1 a description but no mnemonic; the two names are ours.
	 */
	{ "EXT_MEM_REQ", 0xC0, "External memory request (IMPLEMENTATION DEFINED)", A53_TRM, 1 },
	{ "EXT_MEM_REQ_NC", 0xC1,
	  "Non-cacheable external memory request (IMPLEMENTATION DEFINED)", A53_TRM, 1 },
};

static const struct armv8_core cortex_a53 = {
	.name = "Cortex-A53",
	.midr_value = ARM_PART(0xD03),
	.midr_mask = ARMV8_MIDR_MODEL_MASK,
	.read_event = 0x17,  /* L2D_CACHE_REFILL: L2 is the last level (see the top of this file). */
	.write_event = 0x18, /* L2D_CACHE_WB */
	.events = cortex_a53_events,
	.nevents = COUNT(cortex_a53_events),
	.source = A53_TRM,
	.generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Cortex-A57: MIDR part number 0xD07. */

#define A57_TRM "Cortex-A57 MPCore TRM (ARM DDI 0488D), Table 11-24 PMU events"

/*
 * ASSUMPTION: the TRM table text read covers events 0x00..0x42 except CPU_CYCLES (0x11); rows
 * 0x16 and 0x1D are in that range but were added later without reading it again; rows 0x11,
 * 0x43, 0x46, 0x47, 0x52, 0x53, 0x56, 0x57, 0x60, 0x61, 0x66 and 0x67 were not in the text
 * seen, so their citation of Table 11-24 is unverified. Their numbers agree with libpfm4's
 * arm_ac57 table and with Linux perf's cortex-a57-a72 list (tests/armv8/tables checks both at run time),
 * and CPU_CYCLES is an event every PMUv3 must implement (Arm ARM, required common events).
 */
static const struct armv8_event cortex_a57_events[] = {
	{ "SW_INCR", 0x00, "Software increment (write to PMSWINC_EL0)", A57_TRM, 0 },
	{ "L1D_CACHE_REFILL", 0x03, "L1 data cache refill", A57_TRM, 0 },
	{ "INST_RETIRED", 0x08, "Instruction architecturally executed", A57_TRM, 0 },
	{ "CPU_CYCLES", 0x11, "Cycle", A57_TRM, 0 },
	{ "MEM_ACCESS", 0x13, "Data memory access", A57_TRM, 0 },
	{ "L1D_CACHE_WB", 0x15, "L1 data cache write-back", A57_TRM, 0 },
	{ "L2D_CACHE", 0x16, "L2 data cache access", A57_TRM, 0 },
	{ "L2D_CACHE_REFILL", 0x17, "L2 data cache refill", A57_TRM, 0 },
	{ "L2D_CACHE_WB", 0x18, "L2 data cache write-back", A57_TRM, 0 },
	{ "BUS_ACCESS", 0x19, "Bus access", A57_TRM, 0 },
	{ "BUS_CYCLES", 0x1D, "Bus cycle", A57_TRM, 0 },
	{ "L1D_CACHE_REFILL_RD", 0x42, "L1 data cache refill, read (TRM: L1D_CACHE_REFILL_LD)",
	  A57_TRM, 0 },
	{ "L1D_CACHE_REFILL_WR", 0x43, "L1 data cache refill, write (TRM: L1D_CACHE_REFILL_ST)",
	  A57_TRM, 0 },
	{ "L1D_CACHE_WB_VICTIM", 0x46, "L1 data cache write-back, victim", A57_TRM, 0 },
	{ "L1D_CACHE_WB_CLEAN", 0x47, "L1 data cache write-back, cleaning and coherency", A57_TRM, 0 },
	{ "L2D_CACHE_REFILL_RD", 0x52, "L2 data cache refill, read (TRM: L2D_CACHE_REFILL_LD)",
	  A57_TRM, 0 },
	{ "L2D_CACHE_REFILL_WR", 0x53, "L2 data cache refill, write (TRM: L2D_CACHE_REFILL_ST)",
	  A57_TRM, 0 },
	{ "L2D_CACHE_WB_VICTIM", 0x56, "L2 data cache write-back, victim", A57_TRM, 0 },
	{ "L2D_CACHE_WB_CLEAN", 0x57, "L2 data cache write-back, cleaning and coherency", A57_TRM, 0 },
	{ "BUS_ACCESS_RD", 0x60, "Bus access, read (TRM: BUS_ACCESS_LD)", A57_TRM, 0 },
	{ "BUS_ACCESS_WR", 0x61, "Bus access, write (TRM: BUS_ACCESS_ST)", A57_TRM, 0 },
	{ "MEM_ACCESS_RD", 0x66, "Data memory access, read (TRM: MEM_ACCESS_LD)", A57_TRM, 0 },
	{ "MEM_ACCESS_WR", 0x67, "Data memory access, write (TRM: MEM_ACCESS_ST)", A57_TRM, 0 },
};

static const struct armv8_core cortex_a57 = {
	.name = "Cortex-A57",
	.midr_value = ARM_PART(0xD07),
	.midr_mask = ARMV8_MIDR_MODEL_MASK,
	.read_event = 0x17,  /* L2D_CACHE_REFILL: L2 is the last level; MemGuard's choice too. */
	.write_event = 0x18, /* L2D_CACHE_WB */
	.events = cortex_a57_events,
	.nevents = COUNT(cortex_a57_events),
	.source = A57_TRM,
	.generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Cortex-A72: MIDR part number 0xD08. */

#define A72_TRM "Cortex-A72 MPCore TRM r0p3 (Arm 100095_0003), Table 11-24 PMU events"

/*
 * Rows 0x00..0x19 were read in Table 11-24 (issue 100095_0003, whose text covers 0x00..0x1E);
 * 0x16 and 0x1D were added later from Arm's machine-readable PMU data for the Cortex-A72
 * (ARM-software/data, pmu/cortex-a72.json) without reading the table again.
 * ASSUMPTION: rows 0x42, 0x43, 0x46, 0x47, 0x52, 0x53, 0x56, 0x57, 0x60, 0x61, 0x66 and 0x67 were
 * not in the text seen, so their citation of Table 11-24 is unverified. Their numbers (and the
 * TRM's _LD/_ST names) are those of Arm's machine-readable PMU data for the Cortex-A72
 * (ARM-software/data, pmu/cortex-a72.json, which cites this TRM), and tests/armv8/tables checks them at
 * run time against Linux perf's cortex-a57-a72 list (Linux lists the A57 and A72 as one).
 */
static const struct armv8_event cortex_a72_events[] = {
	{ "SW_INCR", 0x00, "Software increment (write to PMSWINC_EL0)", A72_TRM, 0 },
	{ "L1D_CACHE_REFILL", 0x03, "L1 data cache refill", A72_TRM, 0 },
	{ "INST_RETIRED", 0x08, "Instruction architecturally executed", A72_TRM, 0 },
	{ "CPU_CYCLES", 0x11, "Cycle", A72_TRM, 0 },
	{ "MEM_ACCESS", 0x13, "Data memory access", A72_TRM, 0 },
	{ "L1D_CACHE_WB", 0x15, "L1 data cache write-back", A72_TRM, 0 },
	{ "L2D_CACHE", 0x16, "L2 data cache access", A72_TRM, 0 },
	{ "L2D_CACHE_REFILL", 0x17, "L2 data cache refill", A72_TRM, 0 },
	{ "L2D_CACHE_WB", 0x18, "L2 data cache write-back", A72_TRM, 0 },
	{ "BUS_ACCESS", 0x19, "Bus access", A72_TRM, 0 },
	{ "BUS_CYCLES", 0x1D, "Bus cycle", A72_TRM, 0 },
	{ "L1D_CACHE_REFILL_RD", 0x42, "L1 data cache refill, read (TRM: L1D_CACHE_REFILL_LD)",
	  A72_TRM, 0 },
	{ "L1D_CACHE_REFILL_WR", 0x43, "L1 data cache refill, write (TRM: L1D_CACHE_REFILL_ST)",
	  A72_TRM, 0 },
	{ "L1D_CACHE_WB_VICTIM", 0x46, "L1 data cache write-back, victim", A72_TRM, 0 },
	{ "L1D_CACHE_WB_CLEAN", 0x47, "L1 data cache write-back, cleaning and coherency", A72_TRM, 0 },
	{ "L2D_CACHE_REFILL_RD", 0x52, "L2 data cache refill, read (TRM: L2D_CACHE_REFILL_LD)",
	  A72_TRM, 0 },
	{ "L2D_CACHE_REFILL_WR", 0x53, "L2 data cache refill, write (TRM: L2D_CACHE_REFILL_ST)",
	  A72_TRM, 0 },
	{ "L2D_CACHE_WB_VICTIM", 0x56, "L2 data cache write-back, victim", A72_TRM, 0 },
	{ "L2D_CACHE_WB_CLEAN", 0x57, "L2 data cache write-back, cleaning and coherency", A72_TRM, 0 },
	{ "BUS_ACCESS_RD", 0x60, "Bus access, read (TRM: BUS_ACCESS_LD)", A72_TRM, 0 },
	{ "BUS_ACCESS_WR", 0x61, "Bus access, write (TRM: BUS_ACCESS_ST)", A72_TRM, 0 },
	{ "MEM_ACCESS_RD", 0x66, "Data memory access, read (TRM: MEM_ACCESS_LD)", A72_TRM, 0 },
	{ "MEM_ACCESS_WR", 0x67, "Data memory access, write (TRM: MEM_ACCESS_ST)", A72_TRM, 0 },
};

static const struct armv8_core cortex_a72 = {
	.name = "Cortex-A72",
	.midr_value = ARM_PART(0xD08),
	.midr_mask = ARMV8_MIDR_MODEL_MASK,
	.read_event = 0x17,  /* L2D_CACHE_REFILL: L2 is the last level; MemGuard's choice too. */
	.write_event = 0x18, /* L2D_CACHE_WB */
	.events = cortex_a72_events,
	.nevents = COUNT(cortex_a72_events),
	.source = A72_TRM,
	.generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Cortex-A55: MIDR part number 0xD05. */

#define A55_TRM "Cortex-A55 Core TRM r2p0 (Arm 100442_0200), C2.4 PMU events, Table C2-3"
/*
 * The common events 0x11..0x19: the TRM's PMCEID0 description lists them by bit, and bit n of
 * PMCEID0 is common event n (Arm ARM, PMCEID0_EL0). Read in issue r1p0 (100442_0100, bits only)
 * and in the current issue (bits with event numbers 0x17..0x1F).
 */
#define A55_TRM_PMCEID "Cortex-A55 Core TRM (Arm 100442_0100 and current), D4 PMCEID0, Table D4-2"

/*
 * Rows read in the TRM: 0x00 and 0x03 in Table C2-3; 0x11, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19
 * and 0x1D in Table D4-2, which also says that L2D_CACHE_WB (0x18) is not implemented by a core
 * configured without an L2, and that with only an L3 the L2D_CACHE_REFILL event counts the L3:
 * the backend must check PMCEID before using the default write event.
 * ASSUMPTION: rows 0x08, 0x20, 0x29, 0x2A, 0x2B, 0x36, 0x37, 0x38, 0x42, 0x43, 0x52, 0x53, 0x60,
 * 0x61, 0x66, 0x67 and 0xA2 were not in the TRM text seen, so their citation of Table C2-3 is
 * unverified. Their numbers come from Arm's machine-readable PMU data for the Cortex-A55
 * (ARM-software/data, pmu/cortex-a55.json, which cites this TRM), and tests/armv8/tables checks
 * them at run time against Linux perf's cortex-a55 list.
 */
static const struct armv8_event cortex_a55_events[] = {
	{ "SW_INCR", 0x00, "Software increment (write to PMSWINC_EL0)", A55_TRM, 0 },
	{ "L1D_CACHE_REFILL", 0x03, "L1 data cache refill", A55_TRM, 0 },
	{ "INST_RETIRED", 0x08, "Instruction architecturally executed", A55_TRM, 0 },
	{ "CPU_CYCLES", 0x11, "Cycle", A55_TRM_PMCEID, 0 },
	{ "MEM_ACCESS", 0x13, "Data memory access", A55_TRM_PMCEID, 0 },
	{ "L1D_CACHE_WB", 0x15, "L1 data cache write-back", A55_TRM_PMCEID, 0 },
	{ "L2D_CACHE", 0x16, "L2 cache access (the cluster L3 when the core has no private L2)",
	  A55_TRM_PMCEID, 0 },
	{ "L2D_CACHE_REFILL", 0x17,
	  "L2 cache refill (counts the cluster L3 when the core has no private L2)",
	  A55_TRM_PMCEID, 0 },
	{ "L2D_CACHE_WB", 0x18, "L2 cache write-back: lines written out of the core",
	  A55_TRM_PMCEID, 0 },
	{ "BUS_ACCESS", 0x19, "Bus access: data beats between the core and the SCU",
	  A55_TRM_PMCEID, 0 },
	{ "BUS_CYCLES", 0x1D, "Bus cycle (duplicates CPU_CYCLES)", A55_TRM_PMCEID, 0 },
	{ "L2D_CACHE_ALLOCATE", 0x20, "L2 allocation without refill: full-line writes into the L2",
	  A55_TRM, 0 },
	{ "L3D_CACHE_ALLOCATE", 0x29, "L3 allocation without refill: full-line writes into the L3",
	  A55_TRM, 0 },
	{ "L3D_CACHE_REFILL", 0x2A, "L3 (DSU cluster cache) refill", A55_TRM, 0 },
	{ "L3D_CACHE", 0x2B, "L3 access: cacheable reads from and writes to the SCU", A55_TRM, 0 },
	{ "LL_CACHE_RD", 0x36, "Last level cache access, read", A55_TRM, 0 },
	{ "LL_CACHE_MISS_RD", 0x37, "Last level cache miss, read", A55_TRM, 0 },
	{ "REMOTE_ACCESS_RD", 0x38, "Read whose data came from another socket", A55_TRM, 0 },
	{ "L1D_CACHE_REFILL_RD", 0x42, "L1 data cache refill, read", A55_TRM, 0 },
	{ "L1D_CACHE_REFILL_WR", 0x43, "L1 data cache refill, write", A55_TRM, 0 },
	{ "L2D_CACHE_REFILL_RD", 0x52, "L2 cache refill, read", A55_TRM, 0 },
	{ "L2D_CACHE_REFILL_WR", 0x53, "L2 cache refill, write", A55_TRM, 0 },
	{ "BUS_ACCESS_RD", 0x60, "Bus access, read", A55_TRM, 0 },
	{ "BUS_ACCESS_WR", 0x61, "Bus access, write", A55_TRM, 0 },
	{ "MEM_ACCESS_RD", 0x66, "Data memory access, read", A55_TRM, 0 },
	{ "MEM_ACCESS_WR", 0x67, "Data memory access, write", A55_TRM, 0 },
	{ "L3D_CACHE_REFILL_RD", 0xA2, "L3 cache refill, read", A55_TRM, 0 },
};

static const struct armv8_core cortex_a55 = {
	.name = "Cortex-A55",
	.midr_value = ARM_PART(0xD05),
	.midr_mask = ARMV8_MIDR_MODEL_MASK,
	/*
	 * LL_CACHE_MISS_RD, decided from the A55's event descriptions
	 * (docs/armv8-pmu.md#armv8-pmu-ll-rd). ASSUMPTION: the TRM page of these rows (C2.4, Table
	 * C2-3) was not readable; the text read is Arm's machine-readable copy of it
	 * (ARM-software/data, pmu/cortex-a55.json, whose reference is the Cortex-A55 TRM). There,
	 * 0x37 with CPUECTLR.EXTLLC clear duplicates the last level's *_REFILL_RD: with a private L2
	 * and a DSU L3, L3D_CACHE_REFILL_RD (0xA2, itself a duplicate of L3D_CACHE_REFILL 0x2A),
	 * else L2D_CACHE_REFILL_RD (0x52). Both count ReadUnique, which a store miss issues to
	 * allocate, as a read (0x53, _WR, excludes it); with EXTLLC set 0x37 counts cacheable reads
	 * served by DRAM, a remote socket or a peer cluster. So write-allocate refills are counted.
	 * 0x17 would count L3 hits as DRAM traffic, and 0x2A is not implemented unless the core has
	 * both a private L2 and an L3. Exception: with neither, 0x37 is L1D_CACHE_REFILL_RD, which
	 * counts loads only: name L1D_CACHE_REFILL (0x03) on such a core.
	 */
	.read_event = 0x37,
	/* L2D_CACHE_WB: no last-level write-back event; absent without a private L2 (PMCEID). */
	.write_event = 0x18,
	.events = cortex_a55_events,
	.nevents = COUNT(cortex_a55_events),
	.source = A55_TRM,
	.generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Cortex-A76: MIDR part number 0xD0B. */

/*
 * The PMU events table in section C2.3 (pages C2-374..C2-380 of issue 100798_0300) shows no table
 * number in the text of that issue read, so the section and page are cited. Every row below but
 * 0x08, 0x11 and 0x13 was read there; those three sit on page C2-375, which was not in the text
 * seen, and are cited from two other tables of the same TRM that give the same numbers: Table C3-1
 * (AMU fixed events: 0x11 cycles, 0x08 instructions retired, page C3-389) and Table D5-2
 * (PMCEID0_EL0, bit n = common event n: [17] CPU_CYCLES, [19] MEM_ACCESS; read in issue
 * 100798_0301).
 */
#define A76_TRM "Cortex-A76 Core TRM r3p0 (Arm 100798_0300), C2.3 PMU events, p. C2-374"
#define A76_TRM_AMU "Cortex-A76 Core TRM r3p0 (Arm 100798_0300), Table C3-1 AMU fixed events"
#define A76_TRM_PMCEID "Cortex-A76 Core TRM r3p1 (Arm 100798_0301), Table D5-2 PMCEID0_EL0 bits"
/*
 * ASSUMPTION: L3D_CACHE (0x2B) sits on a page of C2.3 that was not in the text seen; its number
 * is that of Arm's machine-readable PMU data for the Cortex-A76 (ARM-software/data,
 * pmu/cortex-a76.json, which cites this TRM), and tests/armv8/tables checks it at run time
 * against Linux perf's cortex-a76-n1 list. 0x16 (p. C2-376), 0x20 and 0x29 (p. C2-377) and 0x31
 * (p. C2-378) were read in C2.3; BUS_CYCLES (0x1D) is bit 29 of Table D5-2.
 */
#define A76_DATA "Arm PMU data for the Cortex-A76 (from its TRM, C2.3), page not read"

static const struct armv8_event cortex_a76_events[] = {
	{ "SW_INCR", 0x00, "Software increment (write to PMSWINC_EL0)", A76_TRM, 0 },
	{ "L1D_CACHE_REFILL", 0x03, "L1 data cache refill", A76_TRM, 0 },
	{ "INST_RETIRED", 0x08, "Instruction architecturally executed", A76_TRM_AMU, 0 },
	{ "CPU_CYCLES", 0x11, "Cycle", A76_TRM_AMU, 0 },
	{ "MEM_ACCESS", 0x13, "Data memory access", A76_TRM_PMCEID, 0 },
	{ "L1D_CACHE_WB", 0x15, "L1 data cache write-back", A76_TRM, 0 },
	{ "L2D_CACHE", 0x16, "L2 cache access: lookups from L1 and L1 write-backs", A76_TRM, 0 },
	{ "L2D_CACHE_REFILL", 0x17, "L2 cache refill: data read from outside the core", A76_TRM, 0 },
	{ "L2D_CACHE_WB", 0x18, "L2 cache write-back: data written out of the core", A76_TRM, 0 },
	{ "BUS_ACCESS", 0x19, "Bus access: data beats between the core and the SCU", A76_TRM, 0 },
	{ "BUS_CYCLES", 0x1D, "Bus cycle", A76_TRM_PMCEID, 0 },
	{ "L2D_CACHE_ALLOCATE", 0x20, "L2 allocation without refill: full-line writes into the L2",
	  A76_TRM, 0 },
	{ "L3D_CACHE_ALLOCATE", 0x29, "L3 allocation without refill: full-line writes into the L3",
	  A76_TRM, 0 },
	{ "L3D_CACHE_REFILL", 0x2A, "L3 cache refill: data from outside the cluster", A76_TRM, 0 },
	{ "L3D_CACHE", 0x2B, "L3 access: cacheable reads from and writes to the SCU", A76_DATA, 0 },
	{ "REMOTE_ACCESS", 0x31, "Access to another socket", A76_TRM, 0 },
	{ "LL_CACHE_RD", 0x36, "Last level cache access, read", A76_TRM, 0 },
	{ "LL_CACHE_MISS_RD", 0x37, "Last level cache miss, read", A76_TRM, 0 },
	{ "L1D_CACHE_REFILL_RD", 0x42, "L1 data cache refill, read", A76_TRM, 0 },
	{ "L1D_CACHE_REFILL_WR", 0x43, "L1 data cache refill, write", A76_TRM, 0 },
	{ "L1D_CACHE_WB_VICTIM", 0x46, "L1 data cache write-back, victim", A76_TRM, 0 },
	{ "L1D_CACHE_WB_CLEAN", 0x47, "L1 data cache write-back, cleaning and coherency", A76_TRM, 0 },
	{ "L2D_CACHE_REFILL_RD", 0x52, "L2 cache refill, read", A76_TRM, 0 },
	{ "L2D_CACHE_REFILL_WR", 0x53, "L2 cache refill, write", A76_TRM, 0 },
	{ "L2D_CACHE_WB_VICTIM", 0x56, "L2 cache write-back, victim", A76_TRM, 0 },
	{ "L2D_CACHE_WB_CLEAN", 0x57, "L2 cache write-back, cleaning and coherency", A76_TRM, 0 },
	{ "BUS_ACCESS_RD", 0x60, "Bus access, read", A76_TRM, 0 },
	{ "BUS_ACCESS_WR", 0x61, "Bus access, write", A76_TRM, 0 },
	{ "MEM_ACCESS_RD", 0x66, "Data memory access, read", A76_TRM, 0 },
	{ "MEM_ACCESS_WR", 0x67, "Data memory access, write", A76_TRM, 0 },
};

static const struct armv8_core cortex_a76 = {
	.name = "Cortex-A76",
	.midr_value = ARM_PART(0xD0B),
	.midr_mask = ARMV8_MIDR_MODEL_MASK,
	/*
	 * LL_CACHE_MISS_RD: follows the configured last level (see top). Store misses are in it too:
	 * the A76 TRM (C2.3, PMU events) counts ReadUnique, which stores issue for a write-allocate
	 * refill, as a read in L2D_CACHE_REFILL_RD (0x52) and not in _WR (0x53), and 0x37 without
	 * CPUECTLR.EXTLLC duplicates the last level's *_REFILL_RD. docs/armv8-pmu.md#armv8-pmu-ll-rd.
	 */
	.read_event = 0x37,
	.write_event = 0x18, /* L2D_CACHE_WB: no last-level write-back event on this core. */
	.events = cortex_a76_events,
	.nevents = COUNT(cortex_a76_events),
	.source = A76_TRM,
	.generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Neoverse N1: MIDR part number 0xD0C. */

/*
 * ASSUMPTION: no text of the N1 TRM's PMU events table was found, so no row below is verified
 * against it and its section number is not known; the citation names the document only. The
 * numbers are checked at run time against two independent lists, libpfm4's arm_n1 table and
 * Linux perf's cortex-a76-n1 list (Linux maps MIDR part 0xD0C to the A76's list). Arm's
 * machine-readable PMU data for the N1 (ARM-software/data, pmu/neoverse-n1.json, which cites the
 * N1 TRM) gives these rows the same numbers as the Cortex-A76 TRM's table, and for the rows whose
 * bus positions were compared (0x03, 0x17, 0x18, 0x19) the same event-bus positions too,
 * consistent with the N1 being derived from the A76.
 */
#define N1_TRM "Neoverse N1 Core TRM (Arm 100616), PMU events table (section not verified)"

static const struct armv8_event neoverse_n1_events[] = {
	{ "SW_INCR", 0x00, "Software increment (write to PMSWINC_EL0)", N1_TRM, 0 },
	{ "L1D_CACHE_REFILL", 0x03, "L1 data cache refill", N1_TRM, 0 },
	{ "INST_RETIRED", 0x08, "Instruction architecturally executed", N1_TRM, 0 },
	{ "CPU_CYCLES", 0x11, "Cycle", N1_TRM, 0 },
	{ "MEM_ACCESS", 0x13, "Data memory access", N1_TRM, 0 },
	{ "L1D_CACHE_WB", 0x15, "L1 data cache write-back", N1_TRM, 0 },
	{ "L2D_CACHE", 0x16, "L2 cache access (libpfm4: L2D_CACHE_ACCESS)", N1_TRM, 0 },
	{ "L2D_CACHE_REFILL", 0x17, "L2 cache refill: data read from outside the core", N1_TRM, 0 },
	{ "L2D_CACHE_WB", 0x18, "L2 cache write-back: data written out of the core", N1_TRM, 0 },
	{ "BUS_ACCESS", 0x19, "Bus access", N1_TRM, 0 },
	{ "BUS_CYCLES", 0x1D, "Bus cycle (duplicates CPU_CYCLES)", N1_TRM, 0 },
	{ "L2D_CACHE_ALLOCATE", 0x20, "L2 allocation without refill: full-line writes into the L2",
	  N1_TRM, 0 },
	{ "L3D_CACHE_ALLOCATE", 0x29, "L3 allocation without refill: full-line writes into the L3",
	  N1_TRM, 0 },
	{ "L3D_CACHE_REFILL", 0x2A, "L3 cache refill", N1_TRM, 0 },
	{ "L3D_CACHE", 0x2B, "L3 access: cacheable reads from and writes to the SCU", N1_TRM, 0 },
	{ "REMOTE_ACCESS", 0x31, "Access to another socket", N1_TRM, 0 },
	{ "LL_CACHE_RD", 0x36, "Last level cache access, read", N1_TRM, 0 },
	{ "LL_CACHE_MISS_RD", 0x37, "Last level cache miss, read", N1_TRM, 0 },
	{ "L1D_CACHE_REFILL_RD", 0x42, "L1 data cache refill, read", N1_TRM, 0 },
	{ "L1D_CACHE_REFILL_WR", 0x43, "L1 data cache refill, write", N1_TRM, 0 },
	{ "L1D_CACHE_WB_VICTIM", 0x46, "L1 data cache write-back, victim", N1_TRM, 0 },
	{ "L1D_CACHE_WB_CLEAN", 0x47, "L1 data cache write-back, cleaning and coherency", N1_TRM, 0 },
	{ "L2D_CACHE_REFILL_RD", 0x52, "L2 cache refill, read", N1_TRM, 0 },
	{ "L2D_CACHE_REFILL_WR", 0x53, "L2 cache refill, write", N1_TRM, 0 },
	{ "L2D_CACHE_WB_VICTIM", 0x56, "L2 cache write-back, victim", N1_TRM, 0 },
	{ "L2D_CACHE_WB_CLEAN", 0x57, "L2 cache write-back, cleaning and coherency", N1_TRM, 0 },
	{ "BUS_ACCESS_RD", 0x60, "Bus access, read", N1_TRM, 0 },
	{ "BUS_ACCESS_WR", 0x61, "Bus access, write", N1_TRM, 0 },
	{ "MEM_ACCESS_RD", 0x66, "Data memory access, read", N1_TRM, 0 },
	{ "MEM_ACCESS_WR", 0x67, "Data memory access, write", N1_TRM, 0 },
};

static const struct armv8_core neoverse_n1 = {
	.name = "Neoverse N1",
	.midr_value = ARM_PART(0xD0C),
	.midr_mask = ARMV8_MIDR_MODEL_MASK,
	/*
	 * LL_CACHE_MISS_RD, decided from the N1's event descriptions
	 * (docs/armv8-pmu.md#armv8-pmu-ll-rd). ASSUMPTION: no text of the N1 TRM was found (see
	 * N1_TRM); the text read is Arm's machine-readable copy of its event table
	 * (ARM-software/data, pmu/neoverse-n1.json, whose reference is the Neoverse N1 TRM). There,
	 * 0x37 with CPUECTLR.EXTLLC set counts cacheable reads served by DRAM, a remote socket or a
	 * peer cluster (the system cache's misses: DRAM reads); with it clear it duplicates the last
	 * level's *_REFILL_RD, and both L2D_CACHE_REFILL_RD (0x52) and L3D_CACHE_REFILL (0x2A) count
	 * ReadUnique, which a store miss issues, as a read. So write-allocate refills are counted.
	 * (The copy has no L3D_CACHE_REFILL_RD row; that it counts ReadUnique as 0x2A does is
	 * inferred.) 0x17 would count system-cache and L3 hits as DRAM traffic.
	 */
	.read_event = 0x37,
	.write_event = 0x18, /* L2D_CACHE_WB: no last-level write-back event on this core. */
	.events = neoverse_n1_events,
	.nevents = COUNT(neoverse_n1_events),
	.source = N1_TRM,
	.generic = 0,
};

/* ------------------------------------------------------------------------------------------- */
/* Any other core: the architectural common events. */

/*
 * ASSUMPTION: the section number is the one Linux's common-event list cites for Arm ARM DDI 0487
 * revision F.c; the numbers agree with Linux's ARMV8_PMUV3_PERFCTR_* definitions.
 */
#define ARM_ARM "Arm ARM (DDI 0487F.c), D7.11 common architectural and microarchitectural events"
/* Events 0x40..0xBF are numbers the Arm ARM recommends for IMPLEMENTATION DEFINED events. */
#define ARM_ARM_REC "Arm ARM (DDI 0487F.c), D7.11 recommended IMPLEMENTATION DEFINED events"

static const struct armv8_event generic_events[] = {
	{ "SW_INCR", 0x00, "Software increment (write to PMSWINC_EL0)", ARM_ARM, 0 },
	{ "L1D_CACHE_REFILL", 0x03, "L1 data cache refill", ARM_ARM, 0 },
	{ "INST_RETIRED", 0x08, "Instruction architecturally executed", ARM_ARM, 0 },
	{ "CPU_CYCLES", 0x11, "Cycle", ARM_ARM, 0 },
	{ "MEM_ACCESS", 0x13, "Data memory access", ARM_ARM, 0 },
	{ "L1D_CACHE_WB", 0x15, "L1 data cache write-back", ARM_ARM, 0 },
	{ "L2D_CACHE", 0x16, "L2 data cache access", ARM_ARM, 0 },
	{ "L2D_CACHE_REFILL", 0x17, "L2 data cache refill", ARM_ARM, 0 },
	{ "L2D_CACHE_WB", 0x18, "L2 data cache write-back", ARM_ARM, 0 },
	{ "BUS_ACCESS", 0x19, "Bus access", ARM_ARM, 0 },
	{ "BUS_CYCLES", 0x1D, "Bus cycle", ARM_ARM, 0 },
	{ "L2D_CACHE_ALLOCATE", 0x20, "L2 data cache allocation without refill", ARM_ARM, 0 },
	{ "L3D_CACHE_ALLOCATE", 0x29, "L3 data cache allocation without refill", ARM_ARM, 0 },
	{ "L3D_CACHE_REFILL", 0x2A, "L3 data cache refill", ARM_ARM, 0 },
	{ "L3D_CACHE", 0x2B, "L3 data cache access", ARM_ARM, 0 },
	{ "L3D_CACHE_WB", 0x2C, "L3 data cache write-back", ARM_ARM, 0 },
	{ "REMOTE_ACCESS", 0x31, "Access to another socket", ARM_ARM, 0 },
	{ "LL_CACHE", 0x32, "Last level cache access", ARM_ARM, 0 },
	{ "LL_CACHE_MISS", 0x33, "Last level cache miss", ARM_ARM, 0 },
	{ "LL_CACHE_RD", 0x36, "Last level cache access, read", ARM_ARM, 0 },
	{ "LL_CACHE_MISS_RD", 0x37, "Last level cache miss, read", ARM_ARM, 0 },
	{ "REMOTE_ACCESS_RD", 0x38, "Access to another socket, read", ARM_ARM, 0 },
	{ "L1D_CACHE_REFILL_RD", 0x42, "L1 data cache refill, read", ARM_ARM_REC, 0 },
	{ "L1D_CACHE_REFILL_WR", 0x43, "L1 data cache refill, write", ARM_ARM_REC, 0 },
	{ "L1D_CACHE_WB_VICTIM", 0x46, "L1 data cache write-back, victim", ARM_ARM_REC, 0 },
	{ "L2D_CACHE_REFILL_RD", 0x52, "L2 data cache refill, read", ARM_ARM_REC, 0 },
	{ "L2D_CACHE_REFILL_WR", 0x53, "L2 data cache refill, write", ARM_ARM_REC, 0 },
	{ "L2D_CACHE_WB_VICTIM", 0x56, "L2 data cache write-back, victim", ARM_ARM_REC, 0 },
	{ "BUS_ACCESS_RD", 0x60, "Bus access, read", ARM_ARM_REC, 0 },
	{ "BUS_ACCESS_WR", 0x61, "Bus access, write", ARM_ARM_REC, 0 },
	{ "MEM_ACCESS_RD", 0x66, "Data memory access, read", ARM_ARM_REC, 0 },
	{ "MEM_ACCESS_WR", 0x67, "Data memory access, write", ARM_ARM_REC, 0 },
};

static const struct armv8_core generic_core = {
	.name = "generic",
	.midr_value = 0,
	.midr_mask = 0, /* Matches every MIDR; it is looked at last. */
	.read_event = 0x17,  /* L2D_CACHE_REFILL: see the top of this file. */
	.write_event = 0x18, /* L2D_CACHE_WB */
	.events = generic_events,
	.nevents = COUNT(generic_events),
	.source = ARM_ARM,
	.generic = 1,
};

/* ------------------------------------------------------------------------------------------- */

static const struct armv8_core *const known_cores[] = {
	&cortex_a53, &cortex_a55, &cortex_a57, &cortex_a72, &cortex_a76, &neoverse_n1,
};

const struct armv8_core *armv8_core_lookup(uint32_t midr)
{
	unsigned int i;

	for (i = 0; i < COUNT(known_cores); i++)
		if ((midr & known_cores[i]->midr_mask) == known_cores[i]->midr_value)
			return known_cores[i];
	return &generic_core;
}

const struct armv8_event *armv8_event_by_name(const struct armv8_core *core, const char *name)
{
	unsigned int i;

	if (!core || !name)
		return NULL;
	for (i = 0; i < core->nevents; i++)
		if (event_name_equal(core->events[i].name, name))
			return &core->events[i];
	return NULL;
}

const struct armv8_event *armv8_event_by_code(const struct armv8_core *core, uint16_t code)
{
	unsigned int i;

	if (!core)
		return NULL;
	for (i = 0; i < core->nevents; i++)
		if (core->events[i].code == code)
			return &core->events[i];
	return NULL;
}

enum armv8_resolved armv8_event_resolve(const char *name, uint32_t midr, unsigned int channel,
					struct armv8_resolution *res)
{
	uint16_t code;

	res->name = event_name_after_prefix(name, "armv8::");
	res->core = armv8_core_lookup(midr);
	res->channel = channel;
	res->is_default = event_name_default(res->name, &res->channel);
	if (!res->is_default) {
		res->row = armv8_event_by_name(res->core, res->name);
		return res->row ? ARMV8_RESOLVED_EVENT : ARMV8_RESOLVED_UNKNOWN;
	}
	code = res->channel ? res->core->write_event : res->core->read_event;
	res->row = code ? armv8_event_by_code(res->core, code) : NULL; /* 0: none (0 is SW_INCR) */
	return res->row ? ARMV8_RESOLVED_EVENT : ARMV8_RESOLVED_NO_DEFAULT;
}
