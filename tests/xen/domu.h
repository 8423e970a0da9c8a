/* SPDX-License-Identifier: MIT */
/*
 * What tests/xen/run gives Xen on its command line (membw=...) and what the domUs expect: one
 * place for both ends. "Lines" are the policy's events: INST_RETIRED (0x08) stands in for line
 * refills on QEMU, which emulates no cache or bus event (docs/qemu.md), 64 bytes each
 * (-cpu max: CTR_EL0.DminLine = 4).
 */
#ifndef TESTS_XEN_DOMU_H
#define TESTS_XEN_DOMU_H

#define DOMU_PERIOD_NS 1000000ull
#define DOMU_LINE_BYTES 64ull
#define DOMU_BPS(lines) ((unsigned long long)(lines) * DOMU_LINE_BYTES * (1000000000ull / DOMU_PERIOD_NS))

/* membw=d1:INITIAL/CAP/FLOOR (the regulated domU is domain 1, the first dom0less domU) */
#define DOMU_INITIAL_LINES 50000ull
#define DOMU_CAP_LINES 100000ull
#define DOMU_FLOOR_LINES 1000ull
/* the budget the regulated domU sets for itself through memtalk */
#define DOMU_BUDGET_LINES 20000ull
/* The throttle's skid allowed per period: one QEMU translation block (TCG_MAX_INSNS = 512),
 * as in tests/qemu/hyp (HYP_SKID_EVENTS). */
#define DOMU_SKID_LINES 512ull

/* The device-tree case (tests/xen/run "dt"): membw= names no domain; domain 1 ("pair") has
 * DOMU_PAIR_CPUS vCPUs on as many pCPUs and its numbers from its node's membw,read-budget,
 * membw,read-cap and membw,read-floor, which tests/xen/run writes as these lines per period in
 * bytes per second (the cap above 2^32 B/s, so that the two-cell form is read too). */
#define DOMU_DT_INITIAL_LINES 40000ull
#define DOMU_DT_CAP_LINES 80000ull
#define DOMU_DT_FLOOR_LINES 2000ull
#define DOMU_PAIR_CPUS 2ull
/* Each vCPU of the pair runs this many iterations (about half the single vCPU's: the domain's
 * budget is shared by both; a multiple of the guest's chunk of 256). */
#define DOMU_PAIR_ITERATIONS 512000ull

/* Xen's admin call (docs/xen.md "Run-time control by dom0"): SMCCC fast call (bit 31), SMC64
 * (bit 30), owner 6 (bits 29:24), function number 0x100. Only the hardware domain may make it. */
#define DOMU_FID_ADMIN_SET 0xC6000100ull

/* The "dom0" case: a bare-metal hardware domain (tests/xen/dom0.c) beside one dom0less domU
 * ("admined"), which membw= gives DOMU_INITIAL/CAP/FLOOR as in the "membw" case. At
 * DOM0_ADMIN_AT_NS of its guest time dom0 gives domain 1 these with the admin call: a cap below
 * the option's and a floor above it, so that SET_BUDGET between the two caps (or floors) is
 * DENIED only under dom0's numbers. */
#define DOMU_ADMIN_BUDGET_LINES 30000ull
#define DOMU_ADMIN_CAP_LINES 60000ull
#define DOMU_ADMIN_FLOOR_LINES 3000ull
#define DOM0_ADMIN_AT_NS 20000000ull
/* ... then the sets Xen must refuse, with numbers of their own (valid ones for another domain),
 * so that the domU would see any of them land */
#define DOMU_REFUSED_BUDGET_LINES 40000ull
#define DOMU_REFUSED_CAP_LINES 80000ull
#define DOMU_REFUSED_FLOOR_LINES 4000ull
/* The domU waits this long for dom0's numbers (guest time), and after seeing them this long more
 * before it reads them again: dom0 sends the refused sets right after its accepted one. */
#define DOMU_ADMIN_WAIT_NS 2000000000ull
#define DOMU_ADMIN_SETTLE_NS 10000000ull

/* The workload: this many iterations of a 2-instruction loop. */
#define DOMU_WORK_ITERATIONS 1000000ull
/* The regulated domU starts its measured workload at this guest time, after the free domU's. */
#define DOMU_START_NS 50000000ull
/* The free domU's workload must end within this much guest time: at one instruction per ns
 * (-icount shift=0) it is 2 ms alone, up to about twice that with the other vCPU running in turn;
 * at the regulated budget it would take about 100 ms. */
#define DOMU_FREE_MAX_NS 10000000ull

#endif /* TESTS_XEN_DOMU_H */
