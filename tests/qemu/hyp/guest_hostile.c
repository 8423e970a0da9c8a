/* SPDX-License-Identifier: MIT */
/*
 * Guest 1 (VM 1, CPU 1, EL1): an untrusted guest. It asks for more than its cap and for
 * nonsense, while guest 0 runs regulated on CPU 0, and checks that every request is refused with
 * the status docs/memtalk.md and memtalk.h define, and that a refusal changes nothing. Guest 0
 * and the hypervisor then check that guest 0's regulation is unchanged.
 *
 * Expected statuses are the ABI's (memtalk.h "Statuses"); the values asked for are derived from
 * the host's settings in hyp.h (cap, floor, period, line size), not from what the host answers.
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
	expect(MEMBW_MEMTALK_INVALID_PARAMETER, "SET_BUDGET with FID bit 17 (must be zero) set",
	       FID_SET | (1u << 17), CTL, HYP_BPS(HYP_VM1_FLOOR_EVENTS), MEMBW_UNLIMITED, 0);
	expect(MEMBW_MEMTALK_INVALID_PARAMETER, "SET_BUDGET with X0 bit 32 set", FID_SET | (1ull << 32),
	       CTL, FLOOR, MEMBW_UNLIMITED, 0);
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
		   "after 16 refused calls the read budget is unchanged, bytes/s");
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
	__asm__ volatile("dmb sy" ::: "memory");
	hyp_shared.vm1_finished = 1;
	cpu_publish();
	g_done(&report);
}
