/* SPDX-License-Identifier: MIT */
/*
 * Guest 1 (VM 1, CPU 1, EL1): an untrusted guest. It asks for more than its cap and for
 * nonsense, while guest 0 runs regulated on CPU 0, and checks that every request is refused with
 * the status docs/memtalk.md and memtalk.h define, and that a refusal changes nothing. Guest 0
 * and the hypervisor then check that guest 0's regulation is unchanged.
 *
 * Expected statuses are the ABI's (memtalk.h "Statuses"); the values asked for are derived from
 * the host's settings in hyp.h (cap, floor, period, line size), not from what the host answers.
 *
 * Besides memtalk, guest 1 attacks the hypervisor's traps and its PMU:
 *   - SVE: enables it in CPACR_EL1 and runs RDVL (once trapped to EL2 and panicked the machine);
 *   - a trap the hypervisor does not emulate (a pointer-authentication key register, trapped by
 *     HCR_EL2.APK = 0): must come back as an undefined instruction to this guest only;
 *   - PMCR_EL0 = E 0, P 1: must neither silence the hypervisor's overflow interrupt (which
 *     throttles this guest) nor reset its counters: the guest is parked as often as the bound
 *     says over the same loop.
 */
#include "guest.h"

#define FID(n) ((uint64_t)MEMBW_MEMTALK_FID(MEMBW_MEMTALK_BASE_DEFAULT, (n)))
#define FID_SET FID(MEMBW_MEMTALK_FN_SET_BUDGET)
#define FID_GET FID(MEMBW_MEMTALK_FN_GET_BUDGET)
#define FID_STATS FID(MEMBW_MEMTALK_FN_GET_STATS)
#define CTL MEMBW_MEMTALK_CTL_V1
#define CAP HYP_BPS(HYP_VM1_CAP_EVENTS)
#define FLOOR HYP_BPS(HYP_VM1_FLOOR_EVENTS)

static struct guest_report report = { .name = "vm1" };

/* One raw call, and a check of its status. */
static void expect(int64_t status, const char *what, uint64_t x0, uint64_t x1, uint64_t x2,
		   uint64_t x3, uint64_t x4)
{
	struct membw_memtalk_regs regs;

	g_call(&regs, x0, x1, x2, x3, x4);
	g_check_eq(&report, (uint64_t)g_status(&regs), (uint64_t)status, "%s", what);
}

static uint64_t current_read_budget(void)
{
	struct membw_memtalk_regs regs;

	g_call(&regs, FID_GET, CTL, MEMBW_MEMTALK_CH_READ, 0, 0);
	return g_status(&regs) == MEMBW_MEMTALK_OK ? regs.r[1] : ~0ull;
}

static void refusals(void)
{
	uint64_t before = current_read_budget();

	g_check_eq(&report, before, HYP_BPS(HYP_VM1_INITIAL_EVENTS),
		   "GET_BUDGET: the host's initial read budget, bytes/s");
	expect(MEMBW_MEMTALK_DENIED, "SET_BUDGET one byte/s above the read cap: DENIED", FID_SET,
	       CTL, CAP + 1, MEMBW_UNLIMITED, 0);
	expect(MEMBW_MEMTALK_DENIED, "SET_BUDGET of no read limit under a finite cap: DENIED",
	       FID_SET, CTL, MEMBW_UNLIMITED, MEMBW_UNLIMITED, 0);
	expect(MEMBW_MEMTALK_DENIED, "SET_BUDGET below the read floor: DENIED", FID_SET, CTL,
	       FLOOR - 1, MEMBW_UNLIMITED, 0);
	expect(MEMBW_MEMTALK_NOT_SUPPORTED, "function 4 (in memtalk's window, not in v1): NOT_SUPPORTED",
	       FID(4), CTL, 0, 0, 0);
	expect(MEMBW_MEMTALK_NOT_SUPPORTED, "function 15 (last of the window): NOT_SUPPORTED",
	       FID(MEMBW_MEMTALK_WINDOW - 1), CTL, 0, 0, 0);
	expect(MEMBW_MEMTALK_NOT_SUPPORTED, "function 0x100 of the vendor hypervisor range: NOT_SUPPORTED",
	       MEMBW_MEMTALK_FID_PREFIX | 0x100u, CTL, 0, 0, 0);
	/* SMCCC: bits 23:17 of a fast call's ID must be zero, so it is no function: NOT_SUPPORTED */
	expect(MEMBW_MEMTALK_NOT_SUPPORTED, "SET_BUDGET with FID bit 17 (must be zero) set",
	       FID_SET | (1u << 17), CTL, HYP_BPS(HYP_VM1_FLOOR_EVENTS), MEMBW_UNLIMITED, 0);
	/* SMCCC: the ID is W0; X0 bits 63:32 do not change the call (a GET, so nothing changes) */
	expect(MEMBW_MEMTALK_OK, "GET_BUDGET with X0 bit 32 set: OK (the ID is W0)",
	       FID_GET | (1ull << 32), CTL, MEMBW_MEMTALK_CH_READ, 0, 0);
	expect(MEMBW_MEMTALK_INVALID_PARAMETER, "SET_BUDGET with control-word bit 8 (reserved) set",
	       FID_SET, CTL | (1u << 8), FLOOR, MEMBW_UNLIMITED, 0);
	expect(MEMBW_MEMTALK_INVALID_PARAMETER, "SET_BUDGET with the unused X4 not 0", FID_SET, CTL,
	       FLOOR, MEMBW_UNLIMITED, 1);
	expect(MEMBW_MEMTALK_BAD_VERSION, "SET_BUDGET speaking ABI major version 2: BAD_VERSION",
	       FID_SET, 2, FLOOR, MEMBW_UNLIMITED, 0);
	expect(MEMBW_MEMTALK_BAD_VERSION, "GET_BUDGET speaking ABI major version 0: BAD_VERSION",
	       FID_GET, 0, MEMBW_MEMTALK_CH_READ, 0, 0);
	expect(MEMBW_MEMTALK_INVALID_PARAMETER, "GET_BUDGET of channel 2 (there are two)", FID_GET,
	       CTL, 2, 0, 0);
	expect(MEMBW_MEMTALK_INVALID_PARAMETER, "GET_STATS page 4 (v1 has pages 0..3)", FID_STATS,
	       CTL, MEMBW_MEMTALK_STATS_PAGES, 0, 0);
	/* 2^32 lines per period is beyond MEMBW_MAX_EVENTS_PER_PERIOD (0xFFFFFFFE), what a 32-bit
	 * counter can count in one period; the write cap is unlimited, so only the width refuses. */
	expect(MEMBW_MEMTALK_RANGE, "SET_BUDGET of 2^32 write-back lines per period: RANGE", FID_SET,
	       CTL, FLOOR, HYP_BPS(1ull << 32), 0);
	/* 1 byte/s is less than one 64-byte line per 1 ms period */
	expect(MEMBW_MEMTALK_RANGE, "SET_BUDGET of 1 byte/s write-back (under a line per period): RANGE",
	       FID_SET, CTL, FLOOR, 1, 0);
	g_check_eq(&report, current_read_budget(), before,
		   "after 15 refused calls and a GET_BUDGET the read budget is unchanged, bytes/s");
}

/* Rate limit: HYP_RATE_BURST calls back to back pass, the next one within the interval does
 * not (the host allows one per HYP_RATE_INTERVAL_NS on average, bursts of HYP_RATE_BURST). The
 * whole burst takes far less than one interval of guest time. */
static void too_fast(void)
{
	struct membw_memtalk_regs regs;
	uint64_t accepted = 0;
	unsigned int i;

	for (i = 0; i < HYP_RATE_BURST; i++) {
		uint64_t bps = HYP_BPS(HYP_VM1_CAP_EVENTS - 1000u * (i + 1));

		g_call(&regs, FID_SET, CTL, bps, MEMBW_UNLIMITED, 0);
		if (g_check_eq(&report, (uint64_t)g_status(&regs), MEMBW_MEMTALK_OK,
			       "SET_BUDGET %u of a burst of %u, within the cap: OK", i + 1,
			       HYP_RATE_BURST))
			accepted = bps;
	}
	g_call(&regs, FID_SET, CTL, FLOOR, MEMBW_UNLIMITED, 0);
	g_check_eq(&report, (uint64_t)g_status(&regs), (uint64_t)MEMBW_MEMTALK_RATE_LIMITED,
		   "SET_BUDGET %u, in the same interval: RATE_LIMITED", HYP_RATE_BURST + 1);
	g_check(&report, regs.r[1] > 0 && regs.r[1] <= HYP_RATE_INTERVAL_NS,
		"RATE_LIMITED says how long to wait: 0 < %llu ns <= the interval",
		(unsigned long long)regs.r[1]);
	g_check_eq(&report, current_read_budget(), accepted,
		   "the rate-limited call left the last accepted budget, bytes/s");
}

/* ---- attacks on the hypervisor's traps -------------------------------------------------------- */

/* This guest's own synchronous exceptions (the platform's EL1 vectors call this): counted and
 * skipped, so that an injected undefined instruction can be checked instead of ending the run. */
static volatile uint64_t undef_count, undef_esr, undef_elr;

static bool on_sync(struct platform_frame *frame, bool from_lower_el)
{
	(void)from_lower_el;
	undef_count++;
	undef_esr = frame->esr;
	undef_elr = frame->elr;
	frame->elr += 4;
	return true;
}

/* CPACR_EL1: FPEN [21:20] and ZEN [17:16] = 0b11, no EL0/EL1 trap of FP/SIMD and SVE */
#define CPACR_FPEN_ZEN ((3ull << 20) | (3ull << 16))
/* RDVL X0, #1 (SVE): X0 = the vector length in bytes. Encoded by hand: the guests are built
 * for plain ARMv8.0 with -mgeneral-regs-only. */
#define INSN_RDVL_X0_1 ".inst 0x04bf5020"
/* Arm ARM: an SVE vector length is a multiple of 128 bits, at most 2048 bits. */
#define SVE_VL_MIN_BYTES 16u
#define SVE_VL_MAX_BYTES 256u

static void attack_sve(void)
{
	uint64_t v, x0, before = undef_count;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(v));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(v | CPACR_FPEN_ZEN) : "memory");
	__asm__ volatile("mov x0, xzr\n\t" INSN_RDVL_X0_1 "\n\tmov %0, x0" : "=r"(x0) : : "x0",
			 "memory");
	g_check_eq(&report, undef_count - before, 0,
		   "SVE RDVL with CPACR_EL1.ZEN set runs without an exception (CPTR_EL2.TZ clear)");
	g_check(&report, x0 >= SVE_VL_MIN_BYTES && x0 <= SVE_VL_MAX_BYTES && x0 % 16 == 0,
		"RDVL gives a vector length of 16..256 bytes in steps of 16 (got %llu)",
		(unsigned long long)x0);
}

/* APIAKeyLo_EL1 is S3_0_C2_C1_0 (Arm ARM); HCR_EL2.APK = 0 traps EL1 accesses to it to EL2. */
static void attack_unemulated_trap(void)
{
	uint64_t before = undef_count, at;

	__asm__ volatile("adr %0, 1f\n\t"
			 "1: msr s3_0_c2_c1_0, xzr" : "=&r"(at) : : "memory");
	g_check_eq(&report, undef_count - before, 1,
		   "a write of APIAKeyLo_EL1 (trapped, not emulated) comes back to the guest as one "
		   "exception");
	g_check_eq(&report, (undef_esr >> 26) & 0x3f, 0,
		   "its ESR_EL1.EC is 0 (unknown reason: an undefined instruction)");
	g_check_eq(&report, undef_elr, at, "its ELR_EL1 is the address of the trapped MSR");
}

/* PMEVCNTR5_EL0 is the highest counter of -cpu max (PMCR_EL0.N = 6 on QEMU 7.2, see configs),
 * one of the hypervisor's (it keeps the counters from HPMN up): zeroing it would erase the
 * count that throttles this guest. It must be an undefined instruction to the guest. */
static void attack_hypervisor_counter(void)
{
	uint64_t before = undef_count;

	__asm__ volatile("msr pmevcntr5_el0, xzr" : : : "memory");
	g_check_eq(&report, undef_count - before, 1,
		   "a write of PMEVCNTR5_EL0 (a hypervisor counter, >= HPMN) is refused as an "
		   "undefined instruction");
}

/* How many times this guest is parked over a loop of @events of its own EL1 instructions. A
 * jump of the virtual count by more than half a period between two iterations is a parking gap
 * (as in guest_regulated.c). */
static unsigned int parked_over(uint64_t events)
{
	uint64_t freq, gap_ticks, start, count, vct, last_vct;
	unsigned int gaps = 0;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	gap_ticks = freq * (HYP_PERIOD_NS / 2) / 1000000000ull;
	g_pmu_start(0, G_PMEVTYPER_EXCLUDE_EL0 | G_EVENT_INST_RETIRED);
	start = g_pmu_read(0);
	last_vct = g_cntvct();
	do {
		count = g_pmu_read(0);
		vct = g_cntvct();
		if (vct - last_vct > gap_ticks)
			gaps++;
		last_vct = vct;
	} while (count - start < events);
	return gaps;
}

/*
 * PMCR_EL0 = 0b10 (E = 0, P = 1) then the same loop as before the attack. A loop of W events at
 * no more than B + skid per period (B = this VM's budget, HYP_SKID_EVENTS from hyp.h) is parked
 * at least ceil(W / (B + skid)) - 1 times; a PMCR write that silenced the hypervisor's overflow
 * interrupt lets it run whole periods (seen with the guest PMU accesses untrapped, fault=no-tpmcr:
 * 30 gaps before the write, 0 after).
 */
static void attack_pmcr(uint64_t budget_events)
{
	uint64_t w = 30 * budget_events, per = budget_events + HYP_SKID_EVENTS;
	uint64_t min_gaps = (w + per - 1) / per - 1, pmcr;
	unsigned int before, after;

	before = parked_over(w);
	__asm__ volatile("msr pmcr_el0, %0\n\tisb" : : "r"((uint64_t)2) : "memory");
	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
	g_check_eq(&report, pmcr & 1, 0, "PMCR_EL0.E reads back as the 0 this guest wrote");
	after = parked_over(w);
	g_note(&report, "parked %u times over %llu instructions before PMCR_EL0 = 0b10, %u after; "
	       "bound %llu", before, (unsigned long long)w, after, (unsigned long long)min_gaps);
	g_check(&report, before >= min_gaps,
		"before the PMCR attack: parked >= %llu times over %llu instructions (got %u)",
		(unsigned long long)min_gaps, (unsigned long long)w, before);
	g_check(&report, after >= min_gaps,
		"after writing PMCR_EL0 = 0b10 (E 0, P 1): still parked >= %llu times over %llu "
		"instructions (got %u)", (unsigned long long)min_gaps, (unsigned long long)w, after);
}

void guest_hostile_main(uint64_t mode)
{
	struct membw_memtalk_guest g;
	int err;

	if (mode == HYP_MODE_CHECK)
		while (!hyp_shared.vm0_budget_set)
			cpu_wait_step();
	err = membw_memtalk_guest_probe(&g, membw_memtalk_call_hvc, MEMBW_MEMTALK_BASE_AUTO);
	g_check_eq(&report, (uint64_t)(int64_t)err, 0, "memtalk found (VM 1)");
	if (mode == HYP_MODE_BENCH) {
		/* the benchmark measures guest 0 alone (see guest_regulated.c on QEMU's icount) */
		hyp_shared.vm1_finished = 1;
		cpu_publish();
		g_done(&report);
	}
	refusals();
	too_fast();
	platform_set_sync_handler(on_sync);
	attack_sve();
	attack_unemulated_trap();
	attack_hypervisor_counter();
	attack_pmcr(current_read_budget() / HYP_BPS(1));
	platform_set_sync_handler(NULL);
	__asm__ volatile("dmb sy" ::: "memory");
	hyp_shared.vm1_finished = 1;
	cpu_publish();
	g_done(&report);
}
