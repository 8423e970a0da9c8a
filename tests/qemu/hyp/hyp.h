/* SPDX-License-Identifier: MIT */
/*
 * A static-partitioning test hypervisor at EL2 on QEMU virt (virtualization=on, GICv3, 2 CPUs):
 * one bare-metal guest at EL1 per CPU, the libmembw policy on the armv8 backend in EL2 mode, and
 * the memtalk host dispatcher answering the guests' HVCs.
 *
 * What it is and is not:
 *   - Stage-2 translation is OFF: the guests share the physical address space with the
 *     hypervisor and each other. They are NOT memory-isolated; this test proves the bandwidth
 *     path (trap, dispatcher, policy, PMU, timer, throttling), not isolation.
 *   - Physical IRQs go to EL2 (HCR_EL2.IMO); the guests take no interrupts.
 *   - A throttled CPU is parked in WFI at EL2 (interrupts masked, woken by the pending ones)
 *     until the period tick (CNTHP, PPI 26) unthrottles it.
 *
 * Files: hyp.c (boot, policy, traps), gic_cpu.c (per-CPU GICv3 ack/EOI), vectors.S (EL2 vectors, CPU 1
 * entry, guest entry), console.c (the console lock), guest_*.c (the guests).
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#define HYP_NCPUS 2u

/* ---- test hypercalls: HVC #HYP_TEST_HVC_IMM (outside SMCCC, which uses HVC #0) -------------
 * ASSUMPTION: SMCCC (Arm DEN0028) leaves HVC immediates other than 0 to the hypervisor; this
 * test-only call never reaches the memtalk dispatcher either way (the handler sorts by the
 * immediate in ESR_EL2.ISS first). */
#define HYP_TEST_HVC_IMM 0x7e57u
/* x0 = HYP_TEST_DONE, x1 = assertions failed, x2 = assertions passed: the guest is finished;
 * its CPU leaves the policy and idles. Does not return. */
#define HYP_TEST_DONE 1u

/* ---- per-CPU GICv3 (gic_cpu.c; the setup is the platform's gicv3_cpu_init) ---------------- */
/* Acknowledge the highest-priority pending interrupt: its INTID, or >= 1020 if none. */
uint32_t gic_cpu_ack(void);
void gic_cpu_eoi(uint32_t intid);

/* ---- vectors.S ------------------------------------------------------------------------------ */
extern char hyp_vectors[];
extern char vectors_el1[]; /* the platform's EL1 table: a guest's own exception is fatal, loudly */
/* PSCI CPU_ON entry of CPU 1: x0 (context id) is its stack top. */
void hyp_secondary_entry(void);
/* Enter the guest at EL1: ELR_EL2 = @entry, SP_EL1 = @stack_top, x0 = @arg. Does not return. */
void __attribute__((noreturn)) hyp_enter_guest(uint64_t entry, uint64_t stack_top, uint64_t arg);

/* The C side of the vectors (struct platform_frame is the saved guest state). */
void hyp_trap_sync(struct platform_frame *frame);
void hyp_trap_irq(struct platform_frame *frame);
void hyp_trap_bad(struct platform_frame *frame);
void __attribute__((noreturn)) hyp_secondary_main(void);

/* ---- console (console.c): lines from both CPUs, never interleaved ------------------------- */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- the guests ----------------------------------------------------------------------------- */
/* Guest entry points (EL1). @arg: the run mode (HYP_MODE_*). */
#define HYP_MODE_CHECK 0u
#define HYP_MODE_BENCH 1u
void guest_regulated_main(uint64_t mode);
void guest_hostile_main(uint64_t mode);
void guest_bench_main(uint64_t mode);

/* What the hypervisor sets up and the guests' expectations are built from (one place, so the
 * two ends cannot drift apart). Period 1 ms; the read channel counts INST_RETIRED (0x08) as the
 * stand-in for line transfers (QEMU emulates no cache or bus event: docs/qemu.md#qemu-events), the
 * write channel CPU_CYCLES (0x11); line size 64 bytes (-cpu max: CTR_EL0.DminLine = 4, 4 << 4). */
#define HYP_PERIOD_NS 1000000ull
#define HYP_LINE_BYTES 64ull
#define HYP_PERIODS_PER_S (1000000000ull / HYP_PERIOD_NS)
/* bytes/s for @events lines per period */
#define HYP_BPS(events) ((uint64_t)(events) * HYP_LINE_BYTES * HYP_PERIODS_PER_S)
/* VM 0: its cap and the initial budget the host gives it; the budget guest 0 then asks for. */
#define HYP_VM0_CAP_EVENTS 100000ull
#define HYP_VM0_INITIAL_EVENTS 50000ull
#define HYP_VM0_BUDGET_EVENTS 20000ull
/* VM 1: cap, floor and initial budget. */
#define HYP_VM1_CAP_EVENTS 30000ull
#define HYP_VM1_FLOOR_EVENTS 1000ull
#define HYP_VM1_INITIAL_EVENTS 30000ull
/* The throttle's skid: how many events a guest running alone can add in one period past its
 * allowance, between its counter reaching the allowance and the throttle taking effect. With
 * ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND the overflow interrupt is raised at the wrap itself, so
 * the skid is what the guest retires after the wrap before QEMU takes the pending interrupt (at
 * the end of the translation block it is in), plus nothing at EL2 (not counted). The per-period
 * checks (hyp.c check_periods, guest_regulated.c) assert use <= allowance + this.
 * Measured once (QEMU 7.2, -icount shift=0, guest 0 alone: the 26 periods of phases B and C):
 * largest use past the allowance 0 events, largest run between parking gaps 19984 of 20000
 * (so QEMU took the interrupt within the instruction that wrapped). The bound allows one
 * translation block more: 512 = TCG_MAX_INSNS, QEMU's largest block. ASSUMPTION: QEMU checks
 * for a pending interrupt at least once per block. Without throttling a period holds about
 * 10^6 instructions (1 ms at shift=0), far above 20000 + 512. */
#define HYP_SKID_EVENTS 512ull

/* Rate limit (check mode): one costly call per ms on average, bursts of up to 4. */
#define HYP_RATE_INTERVAL_NS 1000000ull
#define HYP_RATE_BURST 4u

/* Waiting for the other CPU. A waiter calls cpu_wait_step() in its loop; the CPU that sets what
 * it waits for calls cpu_publish() after the store. WFE matters on QEMU: under -icount the two
 * vCPUs run in turn on one thread, and WFE makes TCG yield to the other vCPU at once (seen here:
 * with a DMB spin loop on CPU 0 waiting for CPU 1, CPU 1 made no progress until the timeout).
 * On hardware SEV ends the other CPU's WFE. */
static inline void cpu_wait_step(void)
{
	__asm__ volatile("wfe\n\tdmb sy" ::: "memory");
}
static inline void cpu_publish(void)
{
	__asm__ volatile("dsb sy\n\tsev" ::: "memory");
}

/* Guest-to-guest orchestration in shared memory (possible only because there is no stage 2;
 * it sequences the test, it is not part of the protocol). */
struct hyp_shared {
	volatile uint32_t vm0_budget_set; /* guest 0 has set its budget */
	volatile uint32_t vm1_finished;   /* guest 1 has made all of its requests */
};
extern struct hyp_shared hyp_shared;

#endif /* HYP_HYP_H */
