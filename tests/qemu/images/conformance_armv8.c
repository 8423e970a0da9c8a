/* SPDX-License-Identifier: MIT */
/*
 * The backend conformance suite (tests/conformance) run against the armv8 backend on QEMU's
 * emulated PMU, at EL1, with the late-overflow workaround, both channels counting SW_INCR.
 *
 * The driver makes n events happen by n writes to PMSWINC_EL0 (Arm ARM: SW_INCR counts each
 * write of 1 to bit n on counter n), on the counters armv8_channel_counters() names for the
 * channel (its counter and, with the workaround, its shadow). Overflows are the
 * PMU interrupts (PPI 23) the driver's handler sees: it calls armv8_overflow_ack() and counts the
 * channels it returns. The backend hooks are called with interrupts masked, as backend.h
 * promises; the driver opens a window for pending interrupts after each event and before it
 * reports the overflow count.
 *
 * For the privilege-filter facts it makes SW_INCR events at a chosen level: at EL1 (the image's
 * own level, "kernel") as above, and at EL0 ("user") by the same writes from code run at EL0
 * (platform_run_el0), with PMUSERENR_EL0.SW set only while that code runs (the backend closes EL0
 * access in cpu_init; SW lets EL0 write PMSWINC_EL0). Arm ARM: SW_INCR counts a write only if the
 * counter counts at the Exception level the write is made at (the PMEVTYPER<n>_EL0 filters).
 *
 * The runner passes the expected counter width from the CPU's manual (counter_bits=32 for
 * Cortex-A57/A53, PMUv3; 64 for -cpu max, PMUv3p5 with PMCR_EL0.LP), and flags=32bit to ask
 * for 32-bit counters on a PMUv3p5 CPU.
 */
#include "armv8_qemu.h"
#include "cmdline.h"
#include "conformance.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"

/* More SW_INCR writes than this take too long under emulation: the test is then skipped. */
#define MAX_EVENTS_PER_COUNT 100000u

/* PMUSERENR_EL0.SW (Arm ARM): EL0 may write PMSWINC_EL0. */
#define PMUSERENR_SW (1ull << 1)
#define EL0_STACK_BYTES 4096
static _Alignas(16) unsigned char el0_stack[EL0_STACK_BYTES];

static struct armv8_ctx ctx;
static struct membw_backend wrapped;
static void *irq_priv;
static uint64_t overflows[MEMBW_NCHANNELS];

static void open_irq_window(void)
{
	irq_enable();
	__asm__ volatile("isb" ::: "memory");
	irq_disable();
}

/* cpu_init starts a fresh CPU: the overflow counts start again with it. */
static int counting_cpu_init(void *bctx, unsigned int cpu, void *priv,
			     const struct membw_counter_setup *setup)
{
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		overflows[ch] = 0;
	irq_priv = priv;
	return membw_armv8_backend.cpu_init(bctx, cpu, priv, setup);
}

static void on_pmu_irq(unsigned int intid, void *arg)
{
	unsigned int ch, acked;

	(void)intid;
	(void)arg;
	if (!irq_priv)
		platform_panic("PMU interrupt before cpu_init");
	acked = armv8_overflow_ack(irq_priv);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		if (acked & (1u << ch))
			overflows[ch]++;
}

static int qemu_count(void *dctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n)
{
	uint32_t bits = armv8_channel_counters(priv, ch);
	uint64_t i;

	(void)dctx;
	(void)cpu;
	if (n > MAX_EVENTS_PER_COUNT)
		return -MEMBW_EOPNOTSUPP;
	for (i = 0; i < n; i++) {
		pmu_write_pmswinc(bits);
		open_irq_window();
	}
	return 0;
}

/* At EL0: the low 32 bits of @arg are the counters to increment, the high ones how many times. */
static uint64_t el0_swinc(uint64_t arg)
{
	uint64_t bits = arg & 0xFFFFFFFFu, n = arg >> 32;

	while (n--)
		__asm__ volatile("msr pmswinc_el0, %0\n\tisb" ::"r"(bits) : "memory");
	return 0;
}

static int qemu_count_at(void *dctx, unsigned int cpu, void *priv, unsigned int ch,
			 uint32_t level, uint64_t n)
{
	uint64_t saved;

	if (platform_el() != 1 || n > MAX_EVENTS_PER_COUNT)
		return -MEMBW_EOPNOTSUPP;
	if (level == MEMBW_COUNT_KERNEL)
		return qemu_count(dctx, cpu, priv, ch, n);
	if (level != MEMBW_COUNT_USER)
		return -MEMBW_EOPNOTSUPP;
	__asm__ volatile("mrs %0, pmuserenr_el0" : "=r"(saved));
	__asm__ volatile("msr pmuserenr_el0, %0\n\tisb" ::"r"(saved | PMUSERENR_SW) : "memory");
	platform_run_el0(el0_swinc, armv8_channel_counters(priv, ch) | n << 32,
			 el0_stack + sizeof(el0_stack));
	__asm__ volatile("msr pmuserenr_el0, %0\n\tisb" ::"r"(saved) : "memory");
	open_irq_window();
	return 0;
}

static uint64_t qemu_overflows(void *dctx, unsigned int cpu, void *priv, unsigned int ch)
{
	(void)dctx;
	(void)cpu;
	(void)priv;
	open_irq_window();
	return overflows[ch];
}

static void test_width_is_the_manuals(void)
{
	struct membw_backend_info info = { .size = sizeof(info) };
	uint64_t bits = cmdline_u64("counter_bits", 0);

	if (!bits) {
		SKIP("the configuration names no counter_bits");
		return;
	}
	CHECK_EQ(membw_armv8_backend.probe(&ctx, &info), 0, "probe accepts the PMU");
	CHECK_EQ(info.counter_bits, bits, "counters are %llu bits wide on this CPU",
		 (unsigned long long)bits);
}

int test_main(void)
{
	struct membw_conformance_driver drv = {
		.name = "armv8-qemu",
		.backend = &wrapped,
		.event = { ARMV8_EVENT(0), ARMV8_EVENT(0) },
		.backend_ctx = &ctx,
		.count = qemu_count,
		.count_at = qemu_count_at,
		.no_level_why = "EL0 and EL1 only, from an image running at EL1",
		.overflows = qemu_overflows,
		/* Refusal is proven on a CPU without a PMU (the pmu=off configuration). */
		.set_absent = NULL,
	};
	char flags[16] = "";

	cmdline_get("flags", flags, sizeof(flags));
	armv8_qemu_ctx(&ctx,
		       ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND |
			       (!memcmp(flags, "32bit", 6) ? ARMV8_FLAG_COUNTERS_32BIT : 0u),
		       2);
	wrapped = membw_armv8_backend;
	wrapped.cpu_init = counting_cpu_init;
	pf_printf("conformance_armv8: EL%u, GICv%u, %u event counters, flags 0x%x\n", platform_el(),
		  gic_version(), ctx.ncounters, ctx.flags);
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_pmu_irq, NULL);
	report_test("counter width is the manual's", test_width_is_the_manuals);
	conformance_run(&drv);
	return report_finish("conformance_armv8");
}
