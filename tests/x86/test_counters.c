/* SPDX-License-Identifier: MIT */
/*
 * arm / read / rearm / stop / ack / cpu_exit as MSR sequences and as counting, on the model.
 * Presets follow backend.h: arm(n) makes the counter read 2^w - n, so the n-th event wraps it.
 * Worked values: 2^48 - 100 = 0xFFFFFFFFFF9C; 2^32 - 100 = 0xFFFFFF9C, which a legacy IA32_PMCx
 * write sign-extends from bit 31 to 0xFFFFFFFFFF9C on 48 bits; 2^31 - 100 = 0x7FFFFF9C (the
 * 31-bit view); 2^32 - (2^31 - 1) = 0x80000001, sign-extended 0xFFFF80000001.
 */
#include <CUnit/CUnit.h>

#include "helpers.h"

static int arm(unsigned int ch, uint64_t n)
{
	return membw_x86_backend.arm(priv, ch, n);
}

static int rearm(unsigned int ch, uint64_t n)
{
	return membw_x86_backend.rearm(priv, ch, n);
}

static uint64_t rd(unsigned int ch)
{
	uint64_t v = 0xDEAD;

	CHECK(membw_x86_backend.read(priv, ch, &v) == 0, "read succeeds");
	return v;
}

static void test_arm_sequence(void)
{
	int stop, preset, reset, start;

	t_reset(1, 2);
	if (!t_ready(MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL, 0, 0))
		return;
	fx_log_clear();
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	stop = fx_find(0, M_EVTSEL(1), true);
	preset = fx_find(0, M_A_PMC(1), true);
	reset = fx_find(0, M_GOVF, true);
	start = stop >= 0 ? fx_find((unsigned int)stop + 1, M_EVTSEL(1), true) : -1;
	CHECK(stop >= 0 && fx.log[stop].value == 0x13412Eu, "first IA32_PERFEVTSEL1 = 0x13412E: EN clear");
	CHECK(preset > stop, "the counter is written only after EN is clear (SDM)");
	CHECK(preset >= 0 && fx.log[preset].value == 0xFFFFFFFFFF9Cull, "IA32_A_PMC1 = 2^48 - 100");
	CHECK(fx.pmc[1] == 0xFFFFFFFFFF9Cull, "the counter holds 2^48 - 100");
	CHECK(reset > preset && fx.log[reset].value == BIT(1), "OVF_CTRL/STATUS_RESET names counter 1 only");
	/* 0x13412E | EN (1 << 22) = 0x53412E */
	CHECK(start > reset && fx.log[start].value == 0x53412Eu, "last: IA32_PERFEVTSEL1 = 0x53412E (EN)");
	CHECK(fx_count(M_PMC(1), true) == 0, "no legacy write with FW_WRITE");
	CHECK(fx.gp == 0, "no #GP");
}

static void test_count_to_overflow(void)
{
	t_reset(0, 2);
	fx.evtsel[3] = 0x53412E; /* someone else counts LLC misses on counter 3 too */
	fx.global_ctrl = BIT(3);
	fx.pmc[3] = 0xFFFFFFFFFFF0ull; /* ... and wraps in 16 events */
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	t_acked = 0;
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	fx.on_pmi = NULL; /* look at the delivery before any handler runs */
	fx_events(EV_LLC_MISS, 3, 99);
	CHECK(fx.pmis == 1, "the foreign counter 3 wrapped first and raised its own PMI");
	CHECK(rd(MEMBW_CH_READ) == 0xFFFFFFFFFFFFull, "after 99 of 100 events: 2^48 - 1");
	fx.lvt &= ~(1u << 16);
	fx_events(EV_LLC_MISS, 3, 1);
	CHECK(fx.pmis == 2, "the 100th event raises the PMI");
	CHECK(fx.lvt & (1u << 16), "delivery set the LVT mask bit");
	CHECK(fx.global_status & BIT(0), "GLOBAL_STATUS bit 0 is set");
	CHECK(rd(MEMBW_CH_READ) == 0, "and the counter wrapped to 0");
	CHECK(x86_overflow_ack(priv) == BIT(MEMBW_CH_READ), "ack reports the read channel");
	CHECK(fx.global_status == BIT(3), "ack cleared bit 0 only: the foreign overflow (bit 3) stays");
	CHECK(fx.lvt == 0xEE, "ack unmasked the LVT entry");
	CHECK(x86_overflow_ack(priv) == 0, "a second ack finds nothing of ours");
	fx_events(EV_LLC_MISS, 3, 5);
	CHECK(rd(MEMBW_CH_READ) == 5, "the counter counts on past the wrap");
	CHECK(fx.gp == 0, "no #GP");
}

static void test_legacy_writes(void)
{
	t_reset(0, 1);
	fx.perf_capabilities = 0;
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK(info.counter_bits == 31, "31-bit view");
	fx_log_clear();
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	CHECK(fx_find(0, M_PMC(0), true) >= 0 && fx.log[fx_find(0, M_PMC(0), true)].value == 0xFFFFFF9Cull,
	       "legacy IA32_PMC0 write of 0xFFFFFF9C (bits 31:0 only)");
	CHECK(fx.pmc[0] == 0xFFFFFFFFFF9Cull, "sign-extended by the CPU: 2^48 - 100 exactly");
	CHECK(rd(MEMBW_CH_READ) == 0x7FFFFF9Cu, "read: 2^31 - 100 in the 31-bit view");
	fx_events(EV_LLC_MISS, 3, 99);
	CHECK(fx.pmis == 0, "no PMI after 99 events");
	fx_events(EV_LLC_MISS, 3, 1);
	CHECK(fx.pmis == 1 && t_acked == BIT(MEMBW_CH_READ), "the 100th event: PMI, acked");
	CHECK_FATAL(arm(MEMBW_CH_READ, 0x7FFFFFFFu) == 0, "arm(2^31 - 1), the largest 31-bit arm");
	CHECK(fx.pmc[0] == 0xFFFF80000001ull, "legacy write 0x80000001 sign-extended: 2^48 - (2^31 - 1)");
	CHECK(rd(MEMBW_CH_READ) == 1, "read 1 = 2^31 - (2^31 - 1)");
	fx_events(EV_LLC_MISS, 3, 0x7FFFFFFEu);
	CHECK(fx.pmis == 1, "no PMI after 2^31 - 2 events");
	fx_events(EV_LLC_MISS, 3, 1);
	CHECK(fx.pmis == 2, "PMI with event 2^31 - 1");
	fx_log_clear();
	CHECK(arm(MEMBW_CH_READ, 0x80000000u) == -MEMBW_EIO, "arm(2^31): beyond the 31-bit view, -EIO");
	CHECK(fx.nlog == 0, "and nothing written");
	CHECK(fx_count(M_A_PMC(0), true) == 0 && fx.gp == 0, "IA32_A_PMCx never touched (it would #GP)");
}

static void test_arm_limits(void)
{
	uint64_t v;

	t_reset(0, 1);
	CHECK(arm(MEMBW_CH_READ, 1) == -MEMBW_EIO, "arm before cpu_init: -EIO");
	CHECK(membw_x86_backend.read(priv, MEMBW_CH_READ, &v) == -MEMBW_EIO, "read before cpu_init: -EIO");
	CHECK(x86_overflow_ack(priv) == 0, "ack before cpu_init: 0");
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	fx_log_clear();
	CHECK(arm(MEMBW_CH_READ, 0) == -MEMBW_EIO, "arm(0): -EIO");
	CHECK(arm(MEMBW_CH_READ, 1ull << 48) == -MEMBW_EIO, "arm(2^48) on 48 bits: -EIO");
	CHECK(arm(MEMBW_CH_WRITE, 5) == -MEMBW_EIO, "a channel not run: -EIO");
	CHECK(rearm(MEMBW_CH_READ, 0) == -MEMBW_EIO, "rearm(0): -EIO");
	CHECK(fx.nlog == 0, "refused arms touch nothing");
	CHECK(arm(MEMBW_CH_READ, (1ull << 48) - 1) == 0 && fx.pmc[0] == 1, "arm(2^48 - 1) presets 1");
	CHECK(arm(MEMBW_CH_READ, 1) == 0 && fx.pmc[0] == 0xFFFFFFFFFFFFull, "arm(1) presets 2^48 - 1");
	fx_events(EV_LLC_MISS, 3, 1);
	CHECK(fx.pmis == 1, "arm(1): the first event interrupts");
}

static void test_rearm(void)
{
	t_reset(0, 1);
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 1000) == 0, "arm(1000)");
	fx_events(EV_LLC_MISS, 3, 300);
	CHECK(rd(MEMBW_CH_READ) == (1ull << 48) - 700, "read 2^48 - 700");
	fx_events(EV_LLC_MISS, 3, 10); /* between the read and the rearm */
	CHECK_FATAL(rearm(MEMBW_CH_READ, 50) == 0, "rearm(50)");
	CHECK(rd(MEMBW_CH_READ) == (1ull << 48) - 40, "the 10 events since the read count: 2^48 - 50 + 10");
	fx_events(EV_LLC_MISS, 3, 39);
	CHECK(fx.pmis == 0, "no PMI 49 events after the read");
	fx_events(EV_LLC_MISS, 3, 1);
	CHECK(fx.pmis == 1, "PMI with the 50th event after the read");

	/* More events since the read than the rearm asks for: due at once. */
	CHECK(rd(MEMBW_CH_READ) == 0, "read 0");
	fx_events(EV_LLC_MISS, 3, 7);
	CHECK_FATAL(rearm(MEMBW_CH_READ, 5) == 0, "rearm(5) with 7 events since the read");
	CHECK(rd(MEMBW_CH_READ) == 2, "the counter reads 2^48 - 5 + 7 = 2 (mod 2^48)");
	CHECK(fx.pmis == 1, "no PMI yet: software cannot raise one");
	fx_events(EV_LLC_MISS, 3, 1);
	CHECK(fx.pmis == 2 && t_acked == BIT(MEMBW_CH_READ), "the PMI comes with the very next event");
	CHECK(rd(MEMBW_CH_READ) == 3, "and reads stay exact: 3");
	CHECK_FATAL(arm(MEMBW_CH_READ, 10) == 0, "a plain arm");
	CHECK(rd(MEMBW_CH_READ) == (1ull << 48) - 10, "drops the bias: 2^48 - 10");

	t_reset(0, 1);
	fx.perf_capabilities = 0; /* legacy writes: the same in the 31-bit view */
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100), legacy");
	CHECK(rd(MEMBW_CH_READ) == 0x7FFFFF9Cu, "read");
	fx_events(EV_LLC_MISS, 3, 3);
	CHECK_FATAL(rearm(MEMBW_CH_READ, 0x7FFFFFFFu) == 0, "rearm(2^31 - 1) with 3 since the read");
	CHECK(rd(MEMBW_CH_READ) == 4, "2^31 - (2^31 - 1) + 3 = 4");
	CHECK(fx.pmc[0] == 0xFFFF80000004ull, "hardware: 2^48 - 2^31 + 4, exact through a legacy write");
	CHECK(fx.gp == 0, "no #GP");
}

static void test_stop(void)
{
	t_reset(0, 2);
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 5) == 0 && arm(MEMBW_CH_WRITE, 5) == 0, "arm both");
	fx.on_pmi = NULL;
	fx_events(EV_LLC_MISS, 3, 5);
	CHECK(fx.global_status & BIT(0), "read channel overflowed");
	membw_x86_backend.stop(priv, MEMBW_CH_READ);
	CHECK(fx.evtsel[0] == 0x11412Eu, "stop clears EN: IA32_PERFEVTSEL0 = 0x11412E");
	CHECK(!(fx.global_status & BIT(0)), "stop clears the pending overflow");
	fx_events(EV_LLC_MISS, 3, 7);
	CHECK(fx.pmc[0] == 0, "a stopped counter does not count");
	CHECK(fx.evtsel[1] & (1u << 22), "the write channel still runs");
	CHECK(fx.global_ctrl == (BIT(0) | BIT(1)), "GLOBAL_CTRL bits stay (start/stop is EN)");
}

static void test_global_ctrl_gates(void)
{
	t_reset(0, 1);
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	fx.global_ctrl = 0; /* someone cleared every enable */
	fx_events(EV_LLC_MISS, 3, 50);
	CHECK(rd(MEMBW_CH_READ) == (1ull << 48) - 100, "GLOBAL_CTRL bit clear: nothing counted");
	fx_log_clear();
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm again");
	CHECK(fx.global_ctrl == BIT(0), "arm sets the owned bit back, and only it");
	CHECK(fx_count(M_GCTRL, true) == 1, "one GLOBAL_CTRL write");
	fx_log_clear();
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm again");
	CHECK(fx_count(M_GCTRL, true) == 0, "no GLOBAL_CTRL write when it is already right");
	fx_events(EV_LLC_MISS, 0, 100);
	CHECK(rd(MEMBW_CH_READ) == (1ull << 48) - 100, "ring 0 events are not counted with USER only");
	fx_events(EV_LLC_MISS, 3, 100);
	CHECK(fx.pmis == 1, "ring 3 events are");
}

static void test_freeze_legacy(void)
{
	t_reset(0, 1);
	fx_set_perfmon(3, 4, 48, 0);
	fx.global_ctrl = BIT(2);
	ctx.flags = X86_FLAG_FREEZE_ON_PMI;
	fx.debugctl = 0x1; /* LBR on: must be kept */
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK(fx.debugctl == (0x1u | (1u << 12)), "cpu_init sets Freeze_PerfMon_On_PMI, keeps LBR");
	CHECK_FATAL(arm(MEMBW_CH_READ, 10) == 0, "arm(10)");
	fx.on_pmi = NULL;
	fx_events(EV_LLC_MISS, 3, 10);
	CHECK(fx.pmis == 1 && fx.global_ctrl == 0, "v3 freeze: the PMI cleared GLOBAL_CTRL");
	fx_events(EV_LLC_MISS, 3, 10);
	CHECK(fx.pmc[0] == 0, "frozen: nothing counted");
	CHECK(x86_overflow_ack(priv) == BIT(MEMBW_CH_READ), "ack");
	CHECK(fx.global_ctrl == BIT(0), "ack re-enables the owned bit (counter 2's owner must do its own)");
	CHECK(fx.gp == 0, "no #GP: OVF_CTRL got no v4-only bit");
	membw_x86_backend.cpu_exit(&ctx, 0, priv);
	CHECK(fx.debugctl == 0x1, "cpu_exit puts Freeze_PerfMon_On_PMI back");
}

static void test_freeze_v4(void)
{
	t_reset(0, 2);
	ctx.flags = X86_FLAG_FREEZE_ON_PMI;
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 10) == 0 && arm(MEMBW_CH_WRITE, 100) == 0, "arm both");
	fx.on_pmi = NULL;
	fx_events(EV_LLC_MISS, 3, 10);
	CHECK(fx.global_status & BIT(59), "v4+ freeze: CTR_FRZ set");
	CHECK(fx.global_ctrl == (BIT(0) | BIT(1)), "GLOBAL_CTRL is not touched by the v4 freeze");
	fx_events(EV_SPR_L2_OUT_NS, 3, 10);
	CHECK(fx.pmc[1] == (1ull << 48) - 100, "frozen: the write channel counted nothing");
	CHECK(x86_overflow_ack(priv) == BIT(MEMBW_CH_READ), "ack");
	CHECK(!(fx.global_status & BIT(59)), "ack clears CTR_FRZ");
	fx_events(EV_SPR_L2_OUT_NS, 3, 10);
	CHECK(fx.pmc[1] == (1ull << 48) - 90, "counting again");
	CHECK(fx.gp == 0, "no #GP");
}

static void test_cpu_exit(void)
{
	t_reset(0, 2);
	fx.global_ctrl = BIT(5);
	ctx.flags = X86_FLAG_EXIT_MASKS_LVT;
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 10) == 0, "arm");
	membw_x86_backend.stop(priv, MEMBW_CH_READ);
	membw_x86_backend.cpu_exit(&ctx, 0, priv);
	CHECK(fx.evtsel[0] == 0 && fx.evtsel[1] == 0, "cpu_exit leaves IA32_PERFEVTSEL0/1 at 0");
	CHECK(fx.global_ctrl == BIT(5), "owned GLOBAL_CTRL bits cleared, others' kept");
	CHECK(fx.lvt == (0xEEu | (1u << 16)), "X86_FLAG_EXIT_MASKS_LVT: the entry is masked");
	CHECK(arm(MEMBW_CH_READ, 10) == -MEMBW_EIO, "after cpu_exit arm refuses");

	t_reset(0, 1);
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	membw_x86_backend.cpu_exit(&ctx, 0, priv);
	CHECK(fx.lvt == 0xEE, "without the flag the LVT entry is left as the runtime wants it");
	CHECK(fx.gp == 0, "no #GP");
}

static void test_version2_msrs(void)
{
	t_reset(0, 2);
	fx_set_perfmon(2, 2, 40, 0);
	fx.cpuid1[2] &= ~(1u << 15);
	if (!t_ready(MEMBW_COUNT_USER, 0, 0))
		return;
	CHECK(info.counter_bits == 31, "v2, 40-bit, no PDCM: 31 bits");
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0 && arm(MEMBW_CH_WRITE, 7) == 0, "arm both");
	fx_events(EV_LLC_MISS, 3, 100);
	fx_events(EV_SPR_L2_OUT_NS, 3, 7);
	CHECK(t_acked == (BIT(MEMBW_CH_READ) | BIT(MEMBW_CH_WRITE)), "both overflowed and were acked");
	membw_x86_backend.stop(priv, MEMBW_CH_WRITE);
	membw_x86_backend.cpu_exit(&ctx, 0, priv);
	CHECK(fx.gp == 0, "perfmon v2: no STATUS_SET, PERF_CAPABILITIES or A_PMC access (#GP)");
}

int x86_counters_suite(void);
int x86_counters_suite(void)
{
	CU_pSuite s = CU_add_suite("x86 arm, read, rearm, stop, ack", NULL, NULL);

	if (!s || !CU_add_test(s, "arm: MSR sequence", test_arm_sequence) ||
	    !CU_add_test(s, "PMI with the n-th event, ack", test_count_to_overflow) ||
	    !CU_add_test(s, "legacy writes: sign extension", test_legacy_writes) ||
	    !CU_add_test(s, "arm limits", test_arm_limits) ||
	    !CU_add_test(s, "rearm counts from the read", test_rearm) ||
	    !CU_add_test(s, "stop", test_stop) ||
	    !CU_add_test(s, "GLOBAL_CTRL gating", test_global_ctrl_gates) ||
	    !CU_add_test(s, "freeze on PMI, v3", test_freeze_legacy) ||
	    !CU_add_test(s, "freeze on PMI, v4+", test_freeze_v4) ||
	    !CU_add_test(s, "cpu_exit", test_cpu_exit) ||
	    !CU_add_test(s, "perfmon v2 MSRs only", test_version2_msrs))
		return CU_get_error();
	return 0;
}
