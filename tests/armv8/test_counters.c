/* SPDX-License-Identifier: MIT */
/*
 * arm / read / stop / overflow_ack as register sequences, on the simulated register file.
 * Presets follow backend.h's counting model: arm(n) writes 2^w - n, so the n-th event wraps the
 * counter (Arm ARM: the overflow flag is set on the unsigned wrap of bits [31:0], or [63:0] with
 * PMCR_EL0.LP / MDCR_EL2.HLP). Worked values: 2^32 - 100 = 4294967196 = 0xFFFFFF9C;
 * 2^64 - 100 = 0xFFFFFFFFFFFFFF9C; one more event later: 2^32 - 101 = 0xFFFFFF9B.
 */
#include <CUnit/CUnit.h>

#include "helpers.h"

#define EV 0x17u /* L2D_CACHE_REFILL */

static int arm(unsigned int ch, uint64_t n)
{
	return membw_armv8_backend.arm(priv, ch, n);
}

static uint64_t rd(unsigned int ch)
{
	uint64_t v = 0xDEADull;

	CHECK(membw_armv8_backend.read(priv, ch, &v) == 0, "read succeeds");
	return v;
}

/*
 * A read as the policy makes it on an ABI version 3 backend: through the direct reader the
 * backend hands for @ch (asked for again here, as the policy asks after each cpu_init).
 */
static uint64_t direct(unsigned int ch)
{
	struct membw_direct_reader r = { 0 };

	CHECK_FATAL(membw_armv8_backend.direct_reader != NULL, "armv8 hands direct readers");
	CHECK_FATAL(membw_armv8_backend.direct_reader(priv, ch, &r) == 0 && r.read != NULL,
		    "direct_reader(channel %u) succeeds", ch);
	return r.read(r.ctx);
}

/* Log index of the @k-th access matching, -1 if none. */
static int at(enum fake_reg reg, bool write, unsigned int from)
{
	return fake_find(from, reg, write);
}

static void test_arm_sequence(void)
{
	int clr, isb0, cnt, ovs, isb1, inten, en, isb2;

	t_reset_el1(2, 2);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0x18))
		return;
	fake_log_clear();
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100) succeeds");
	CHECK(fake.evcntr[2] == 0xFFFFFF9Cu, "counter 2 is preset to 2^32 - 100 = 0xFFFFFF9C");
	clr = at(FR_PMCNTENCLR, true, 0);
	isb0 = clr >= 0 ? at(FR_ISB, true, (unsigned int)clr) : -1;
	cnt = fake_find_index(0, FR_PMEVCNTR, true, 2);
	ovs = at(FR_PMOVSCLR, true, 0);
	isb1 = ovs >= 0 ? at(FR_ISB, true, (unsigned int)ovs) : -1;
	inten = at(FR_PMINTENSET, true, 0);
	en = at(FR_PMCNTENSET, true, 0);
	isb2 = en >= 0 ? at(FR_ISB, true, (unsigned int)en) : -1;
	CHECK(clr >= 0 && cnt > clr, "the counter is disabled before its preset is written");
	/* Arm ARM: a disabled counter stops counting only after a context synchronization event. */
	CHECK(isb0 > clr && isb0 < cnt, "an ISB between PMCNTENCLR and the preset: the stop is in force");
	CHECK(ovs > cnt, "the overflow flag is cleared after the preset");
	CHECK(isb1 > ovs, "an ISB follows the flag clear");
	CHECK(inten > isb1, "PMINTENSET comes after that ISB");
	CHECK(en > isb1, "PMCNTENSET comes after that ISB");
	CHECK(inten >= 0 && ovs < inten, "PMOVSCLR comes before PMINTENSET");
	CHECK(en >= 0 && ovs < en, "PMOVSCLR comes before PMCNTENSET");
	CHECK(isb2 > en, "an ISB follows the enable, so counting has begun when arm returns");
	CHECK(clr >= 0 && fake.log[clr].value == BIT(2), "PMCNTENCLR names counter 2 only");
	CHECK(ovs >= 0 && fake.log[ovs].value == BIT(2), "PMOVSCLR names counter 2 only");
	CHECK(inten >= 0 && fake.log[inten].value == BIT(2), "PMINTENSET names counter 2 only");
	CHECK(en >= 0 && fake.log[en].value == BIT(2), "PMCNTENSET names counter 2 only");
	CHECK(fake.pmcr & 0x1u, "PMCR_EL0.E is on after arm");
	CHECK(!(fake.pmcr & 0x80u), "PMCR_EL0.LP stays 0 on PMUv3");
	CHECK(fake.cnten == BIT(2) && fake.inten == BIT(2), "only counter 2 counts and interrupts");
	CHECK(fake.undefined == 0, "no access the hardware would trap");
}

static void test_count_to_overflow_32(void)
{
	t_reset_el1(0, 2);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0x18))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	fake_events(EV, 0, 99);
	CHECK(rd(MEMBW_CH_READ) == 0xFFFFFFFFu, "after 99 of 100 events the counter reads 2^32 - 1");
	CHECK(!fake_irq(), "no interrupt after 99 of 100 events");
	fake_events(EV, 0, 1);
	CHECK(rd(MEMBW_CH_READ) == 0, "the 100th event wraps the counter to 0");
	CHECK(fake_irq(), "the 100th event raises the overflow interrupt");
	CHECK(armv8_overflow_ack(priv) == BIT(MEMBW_CH_READ), "ack reports the read channel");
	CHECK(!fake_irq(), "after the ack the interrupt line is low");
	CHECK(armv8_overflow_ack(priv) == 0, "a second ack finds nothing");
}

static void test_64bit(void)
{
	t_reset_el1(0, 2);
	fake_set_pmu_version(6);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0x18))
		return;
	CHECK(fake.pmcr & 0x80u, "PMUv3p5: PMCR_EL0.LP is set");
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	CHECK(fake.evcntr[0] == 0xFFFFFFFFFFFFFF9Cull, "64-bit preset 2^64 - 100");
	fake_events(EV, 0, 99);
	CHECK(!fake_irq(), "no interrupt after 99 of 100 events (64-bit)");
	fake_events(EV, 0, 1);
	CHECK(fake_irq(), "the 100th event raises the interrupt (64-bit)");
	CHECK(rd(MEMBW_CH_READ) == 0, "and the counter reads 0");
	CHECK(arm(MEMBW_CH_READ, (uint64_t)1 << 40) == 0, "2^40 events can be armed on 64 bits");
	CHECK(fake.evcntr[0] == (uint64_t)0 - ((uint64_t)1 << 40), "preset 2^64 - 2^40");
	CHECK(arm(MEMBW_CH_READ, ~(uint64_t)0) == 0, "2^64 - 1 events can be armed");
	CHECK(fake.evcntr[0] == 1, "preset 2^64 - (2^64 - 1) = 1");
	fake.evcntr[0] = 0x123456789ABCDEF0ull;
	CHECK(direct(MEMBW_CH_READ) == 0x123456789ABCDEF0ull,
	      "the direct reader returns all 64 bits with 64-bit counters");
}

static void test_v3p5_with_32bit_counters(void)
{
	t_reset_el1(0, 2);
	fake_set_pmu_version(6);
	fake.pmcr = 0x80u; /* someone left LP set */
	ctx.flags = ARMV8_FLAG_COUNTERS_32BIT;
	if (!t_ready(MEMBW_COUNT_USER, EV, 0x18))
		return;
	CHECK(!(fake.pmcr & 0x80u), "COUNTERS_32BIT clears PMCR_EL0.LP");
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	CHECK(fake.evcntr[0] == 0xFFFFFF9Cu, "preset 2^32 - 100, upper half 0");
	fake_events(EV, 0, 105);
	CHECK(fake.evcntr[0] == 0x100000005ull,
	      "2^32 - 100 + 105 events: the 64-bit register counts on past 2^32 (raw 2^32 + 5)");
	CHECK(fake_irq(), "overflow flagged at the 32-bit wrap");
	CHECK(rd(MEMBW_CH_READ) == 5, "read masks to 32 bits: 5 events past the wrap");
	CHECK(direct(MEMBW_CH_READ) == 5, "the direct reader masks to 32 bits too");
	fake.pmcr |= 0x80u; /* someone sets LP again behind our back */
	CHECK(arm(MEMBW_CH_READ, 10) == 0, "re-arm");
	CHECK(!(fake.pmcr & 0x80u), "arm puts PMCR_EL0.LP back to 0");
}

static void test_arm_limits(void)
{
	struct membw_direct_reader r = { 0 };
	uint64_t v;

	t_reset_el1(0, 1);
	CHECK(arm(MEMBW_CH_READ, 1) == -MEMBW_EIO, "arm before cpu_init: -EIO");
	CHECK(membw_armv8_backend.read(priv, MEMBW_CH_READ, &v) == -MEMBW_EIO, "read before cpu_init: -EIO");
	CHECK(membw_armv8_backend.direct_reader(priv, MEMBW_CH_READ, &r) == -MEMBW_EIO && !r.read,
	      "no direct reader before cpu_init: -EIO");
	CHECK(armv8_overflow_ack(priv) == 0, "ack before cpu_init: nothing");
	if (!t_ready(MEMBW_COUNT_USER, EV, 0))
		return;
	fake_log_clear();
	CHECK(arm(MEMBW_CH_READ, 0) == -MEMBW_EIO, "arm(0): -EIO");
	CHECK(arm(MEMBW_CH_READ, 1ull << 32) == -MEMBW_EIO, "arm(2^32) on 32 bits: -EIO");
	CHECK(arm(MEMBW_CH_WRITE, 5) == -MEMBW_EIO, "arm of a channel not run: -EIO");
	CHECK(membw_armv8_backend.direct_reader(priv, MEMBW_CH_WRITE, &r) == -MEMBW_EIO && !r.read,
	      "no direct reader for a channel not run: -EIO");
	CHECK(membw_armv8_backend.direct_reader(priv, MEMBW_NCHANNELS, &r) == -MEMBW_EIO && !r.read,
	      "no direct reader for a channel out of range: -EIO");
	CHECK(fake.nlog == 0, "refused arms and direct readers touch no register");
	CHECK(arm(MEMBW_CH_READ, 0xFFFFFFFFu) == 0, "arm(2^32 - 1) on 32 bits");
	CHECK(fake.evcntr[0] == 1, "preset 2^32 - (2^32 - 1) = 1");
	CHECK(arm(MEMBW_CH_READ, 1) == 0, "arm(1)");
	CHECK(fake.evcntr[0] == 0xFFFFFFFFu, "preset 2^32 - 1");
	fake_events(EV, 0, 1);
	CHECK(fake_irq(), "arm(1): the first event raises the interrupt");
}

static void test_rearm_clears_pending_overflow(void)
{
	t_reset_el1(0, 1);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 3) == 0, "arm(3)");
	fake_events(EV, 0, 3);
	CHECK(fake_irq(), "overflow pending");
	CHECK(arm(MEMBW_CH_READ, 50) == 0, "re-arm(50)");
	CHECK(!fake_irq(), "re-arming clears the pending overflow");
	CHECK(rd(MEMBW_CH_READ) == 0xFFFFFFCEu, "re-armed preset 2^32 - 50 = 0xFFFFFFCE");
}

static int rearm(unsigned int ch, uint64_t n)
{
	CHECK_FATAL(membw_armv8_backend.rearm != NULL, "armv8 implements the fused rearm hook");
	return membw_armv8_backend.rearm(priv, ch, n);
}

/* backend.h: rearm(n) raises the interrupt n events after the value the last read returned. */
static void test_rearm_counts_from_read(void)
{
	uint64_t v;

	t_reset_el1(0, 1);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	fake_events(EV, 0, 30);
	v = rd(MEMBW_CH_READ);
	CHECK(v == 0xFFFFFFBAu, "after 30 of 100 events the counter reads 2^32 - 70 = 0xFFFFFFBA");
	fake_events(EV, 0, 7); /* counted after the read, before the re-arm */
	CHECK_FATAL(rearm(MEMBW_CH_READ, 50) == 0, "rearm(50)");
	CHECK(fake.evcntr[0] == 0xFFFFFFD5u,
	      "preset 2^32 - (50 - 7) = 0xFFFFFFD5: the 7 unread events belong to the new period");
	fake_events(EV, 0, 42);
	CHECK(!fake_irq(), "no interrupt after 7 + 42 of 50 events since the read");
	fake_events(EV, 0, 1);
	CHECK(fake_irq(), "the 50th event since the read raises the interrupt");
	CHECK(fake.cnten == BIT(0) && fake.inten == BIT(0), "the counter counts and interrupts again");
	CHECK(fake_find(0, FR_PMCNTENCLR, true) >= 0, "rearm stops the counter before reading it");
	CHECK(fake.undefined == 0, "no access the hardware would trap");
}

/* Already past the budget at the re-arm: the interrupt at once, the counter past its wrap. */
static void test_rearm_already_spent(void)
{
	t_reset_el1(0, 1);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 1000) == 0, "arm(1000)");
	(void)rd(MEMBW_CH_READ);
	fake_events(EV, 0, 60);
	CHECK_FATAL(rearm(MEMBW_CH_READ, 50) == 0, "rearm(50) after 60 unread events");
	CHECK(fake_irq(), "60 >= 50 events since the read: the interrupt is pending at once");
	CHECK(rd(MEMBW_CH_READ) == 10, "the counter reads 10, as if it had wrapped with the 50th event");
}

/* Arm ARM PMUSERENR_EL0: EN (bit 0) gives EL0 every PMU register, SW (1) PMSWINC, CR (2) the cycle
 * counter, ER (3) the event counters; reset value UNKNOWN, so the test starts with all four set. */
static void test_el1_closes_el0_access(void)
{
	t_reset_el1(0, 2);
	fake.pmuserenr = 0xF;
	if (!t_ready(MEMBW_COUNT_USER, EV, 0))
		return;
	CHECK_EQ(fake.pmuserenr & 0xFu, 0,
		 "EL1 mode: cpu_init clears PMUSERENR_EL0.EN/SW/CR/ER, EL0 cannot stop or rewind the counters");
	CHECK(fake.undefined == 0, "no access the hardware would trap");
}

static void test_el0_access_open_refused(void)
{
	t_reset_el1(0, 2);
	fake.pmuserenr = 0x1;
	ctx.flags |= ARMV8_FLAG_EL0_ACCESS_OPEN;
	CHECK_FATAL(t_probe() == 0, "probe accepts the flag");
	CHECK_EQ(t_init(MEMBW_COUNT_USER, EV, 0), -MEMBW_EPERM,
		 "cpu_init refuses to regulate with EL0 access to the PMU kept open");
	CHECK(armv8_cpu_reason(priv) != NULL, "with a reason");
	CHECK_EQ(fake.pmuserenr, 1, "PMUSERENR_EL0 left as it was");
	CHECK_EQ(fake.cnten, 0, "no counter started");
}

/* A foreign counter left pending (PMINTEN and PMOVS set after a warm reset, both UNKNOWN there):
 * once arm() sets PMCR_EL0.E it asserts the level-triggered PMU interrupt, and ack leaves it. */
static void foreign_pending(void)
{
	fake.cnten = BIT(0);
	fake.inten = BIT(0);
	fake.ovs = BIT(0);
	fake.evcntr[0] = 1234;
}

static void test_claim_stops_foreign_storm(void)
{
	t_reset_el1(2, 2);
	foreign_pending();
	CHECK_FATAL(t_probe() == 0, "probe");
	CHECK_EQ(armv8_claim_pmu(&ctx), 0, "claim the PMU");
	CHECK_FATAL(t_init(MEMBW_COUNT_USER, EV, 0) == 0, "cpu_init");
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100) sets PMCR_EL0.E");
	CHECK(!fake_irq(), "with the claim step the foreign counter raises no interrupt");
	CHECK_EQ(fake.inten & BIT(0), 0, "its interrupt enable is cleared");
	CHECK_EQ(fake.ovs & BIT(0), 0, "its overflow flag is cleared");
	CHECK_EQ(fake.cnten & BIT(0), BIT(0), "its enable is left alone");
	CHECK_EQ(fake.evcntr[0], 1234, "its value is left alone");
	CHECK_EQ(fake.inten, BIT(2), "the backend's own interrupt is enabled");
}

static void test_without_claim_storm(void)
{
	t_reset_el1(2, 2);
	foreign_pending();
	if (!t_ready(MEMBW_COUNT_USER, EV, 0))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	CHECK(fake_irq(), "without the claim the foreign counter asserts the interrupt");
	CHECK_EQ(armv8_overflow_ack(priv), 0, "ack finds none of the backend's flags");
	CHECK(fake_irq(), "and the interrupt stays asserted: a storm");
}

static void test_claim_el2_leaves_el1_counters(void)
{
	t_reset_el2(6, 2);
	fake.inten = BIT(0) | BIT(5);
	fake.ovs = BIT(0) | BIT(5);
	CHECK_FATAL(t_probe() == 0, "probe");
	CHECK_EQ(armv8_claim_pmu(&ctx), 0, "claim the PMU at EL2");
	CHECK_EQ(fake.inten & BIT(5), 0, "an EL2 counter the backend does not use: interrupt cleared");
	CHECK_EQ(fake.ovs & BIT(5), 0, "and its flag");
	CHECK_EQ(fake.inten & BIT(0), BIT(0), "a counter below HPMN (EL1's) is left alone");
	CHECK_EQ(fake.ovs & BIT(0), BIT(0), "with its flag");
	CHECK(fake.undefined == 0, "no access the hardware would trap");
}

static void test_claim_refusals(void)
{
	t_reset_el1(2, 2);
	CHECK_EQ(armv8_claim_pmu(NULL), -MEMBW_EINVAL, "NULL context refused");
	CHECK_EQ(armv8_claim_pmu(&ctx), -MEMBW_EINVAL, "an unprobed context refused");
}

static void test_stop(void)
{
	int a, b, c;

	t_reset_el1(0, 2);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0x18))
		return;
	CHECK_FATAL(arm(MEMBW_CH_READ, 5) == 0, "arm the read channel");
	CHECK_FATAL(arm(MEMBW_CH_WRITE, 5) == 0, "arm the write channel");
	fake_events(EV, 0, 5);
	fake_log_clear();
	membw_armv8_backend.stop(priv, MEMBW_CH_READ);
	a = fake_find(0, FR_PMCNTENCLR, true);
	b = fake_find(0, FR_PMINTENCLR, true);
	c = fake_find(0, FR_PMOVSCLR, true);
	CHECK(a >= 0 && fake.log[a].value == BIT(0), "stop disables counter 0 (PMCNTENCLR)");
	CHECK(b >= 0 && fake.log[b].value == BIT(0), "stop disables its interrupt (PMINTENCLR)");
	CHECK(c >= 0 && fake.log[c].value == BIT(0), "stop clears its overflow flag (PMOVSCLR)");
	CHECK(!fake_irq(), "no interrupt pending after stop");
	fake_events(EV, 0, 7);
	CHECK(fake.evcntr[0] == 0, "a stopped counter does not count");
	CHECK(fake.cnten == BIT(1), "the write channel still counts");
	fake_events(0x18, 0, 5);
	CHECK(armv8_overflow_ack(priv) == BIT(MEMBW_CH_WRITE), "the write channel overflows on its own");
	CHECK(arm(MEMBW_CH_READ, 5) == 0, "arm of a stopped channel succeeds");
	CHECK(fake.cnten & BIT(0), "arm starts a stopped channel's counter again");
}

static void test_ack_leaves_other_owners(void)
{
	t_reset_el1(2, 2);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0x18))
		return;
	fake.ovs = BIT(0) | BIT(3) | BIT(31); /* someone else's counter 0 and the cycle counter */
	fake_log_clear();
	CHECK(armv8_overflow_ack(priv) == BIT(MEMBW_CH_WRITE), "counter 3 is the write channel");
	CHECK(fake.ovs == (BIT(0) | BIT(31)), "other owners' overflow flags are left set");
	CHECK(fake_find(0, FR_PMOVSCLR, true) >= 0 &&
		      fake.log[fake_find(0, FR_PMOVSCLR, true)].value == BIT(3),
	      "PMOVSCLR names counter 3 only");
	CHECK(fake_find(0, FR_ISB, true) > fake_find(0, FR_PMOVSCLR, true), "an ISB follows the flag clear");
}

static void test_workaround_presets(void)
{
	int inten;

	t_reset_el1(0, 4);
	ctx.flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND;
	if (!t_ready(MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL, EV, 0x18))
		return;
	CHECK(fake.evtyper[2] == fake.evtyper[0], "read shadow (counter 2) has the read counter's type");
	CHECK(fake.evtyper[3] == fake.evtyper[1], "write shadow (counter 3) has the write counter's type");
	fake_log_clear();
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100)");
	CHECK(fake.evcntr[0] == 0xFFFFFF9Cu, "real counter: 2^32 - 100");
	CHECK(fake.evcntr[2] == 0xFFFFFF9Bu, "shadow: 2^32 - 101, one event later");
	inten = fake_find(0, FR_PMINTENSET, true);
	CHECK(inten >= 0 && fake.log[inten].value == BIT(0), "only the real counter's interrupt is enabled");
	CHECK(fake.cnten == (BIT(0) | BIT(2)), "real counter and shadow both count");
	CHECK(fake.inten == BIT(0), "the shadow's interrupt stays disabled");
	fake_events(EV, 1, 100);
	CHECK(fake.ovs == BIT(0), "100 events: the real counter wrapped, the shadow not yet");
	CHECK(fake_irq(), "the real counter's interrupt after exactly 100 events");
	fake_events(EV, 1, 1);
	CHECK(fake.ovs == (BIT(0) | BIT(2)), "the 101st event wraps the shadow");
	CHECK(armv8_overflow_ack(priv) == BIT(MEMBW_CH_READ), "ack reports the read channel");
	CHECK(fake.ovs == 0, "ack clears the shadow's flag too");
	CHECK(arm(MEMBW_CH_READ, 0xFFFFFFFFu) == 0, "arm(2^32 - 1) with the workaround");
	CHECK(fake.evcntr[2] == 0, "shadow preset 2^32 - 2^32 = 0: wraps one event after the real one");
	membw_armv8_backend.stop(priv, MEMBW_CH_READ);
	CHECK(fake.cnten == 0, "stop disables the shadow too");
	CHECK(armv8_channel_counters(priv, MEMBW_CH_READ) == (BIT(0) | BIT(2)),
	      "read channel: counter 0 and its shadow 2");
	CHECK(armv8_channel_counters(priv, MEMBW_CH_WRITE) == (BIT(1) | BIT(3)),
	      "write channel: counter 1 and its shadow 3");
}

/*
 * Every counter number reaches its own PMEVCNTR<n>_EL0 through the per-counter code cpu_init picks
 * (docs/armv8-pmu.md#armv8-pmu-accessors): for each first counter, with 1 and 2 channels, with and
 * without the shadow (first + channels + c), arm presets exactly the channel's counters, starts
 * and interrupts exactly them, read returns the channel's counter and rearm counts from it.
 */
static void test_every_counter_number(void)
{
	unsigned int first, nch, need, ch, c;
	uint64_t v;

	for (need = 1; need <= 2; need++) {
		for (nch = 1; nch <= 2; nch++) {
			for (first = 0; first + nch * need <= FAKE_COUNTERS; first++) {
				t_reset_el1(first, nch * need);
				fake.n = FAKE_COUNTERS;
				fake.mdcr_el2 = FAKE_COUNTERS;
				ctx.want_channels = nch;
				ctx.flags = need == 2 ? ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND : 0;
				if (!t_ready(MEMBW_COUNT_USER, EV, nch == 2 ? 0x18 : 0))
					return;
				for (ch = 0; ch < nch; ch++) {
					unsigned int own = first + ch, shadow = first + nch + ch;
					uint32_t bits = BIT(own) | (need == 2 ? BIT(shadow) : 0);

					for (c = 0; c < FAKE_COUNTERS; c++)
						fake.evcntr[c] = 7;
					fake.cnten = fake.inten = 0;
					CHECK(arm(ch, 100) == 0, "arm (counter %u)", own);
					for (c = 0; c < FAKE_COUNTERS; c++)
						CHECK(fake.evcntr[c] == (c == own ? 0xFFFFFF9Cu :
									 need == 2 && c == shadow ? 0xFFFFFF9Bu : 7u),
						      "after arm of counter %u (shadow %d): counter %u holds %llu",
						      own, need == 2 ? (int)shadow : -1, c,
						      (unsigned long long)fake.evcntr[c]);
					CHECK(fake.cnten == bits, "counter %u: exactly its counters run", own);
					CHECK(fake.inten == BIT(own), "counter %u: only it interrupts", own);
					fake.evcntr[own] = 0xFFFFFFA0u;
					v = 0;
					CHECK(membw_armv8_backend.read(priv, ch, &v) == 0 && v == 0xFFFFFFA0u,
					      "read of channel %u returns counter %u", ch, own);
					fake.evcntr[own] = 0xFFFFFFA5u; /* 5 more since the read */
					CHECK(rearm(ch, 50) == 0 && fake.evcntr[own] == 0xFFFFFFD3u,
					      "rearm of counter %u counts from the read: 2^32 - 45", own);
					/* The same through the direct reader: it reads counter own and
					 * nothing else, and rearm counts from what it returned (from
					 * the read above instead: 0x1C since, preset 2^32 - 22). */
					fake.evcntr[own] = 0xFFFFFFB0u;
					fake_log_clear();
					v = direct(ch);
					CHECK(v == 0xFFFFFFB0u, "direct reader of channel %u returns counter %u",
					      ch, own);
					CHECK(fake_count_accesses(FR_PMEVCNTR, false) == 1 &&
					      fake_find_index(0, FR_PMEVCNTR, false, own) >= 0 &&
					      fake_count_accesses(FR_PMEVCNTR, true) == 0,
					      "direct reader of channel %u: one read of counter %u, no write",
					      ch, own);
					fake.evcntr[own] = 0xFFFFFFB5u; /* 5 more since the direct read */
					CHECK(rearm(ch, 50) == 0 && fake.evcntr[own] == 0xFFFFFFD3u,
					      "rearm of counter %u counts from the direct read: 2^32 - 45",
					      own);
				}
				CHECK(fake.undefined == 0, "first counter %u: no access the hardware would trap",
				      first);
			}
		}
	}
}

static void test_channel_counters(void)
{
	t_reset_el1(3, 2);
	CHECK(armv8_channel_counters(priv, MEMBW_CH_READ) == 0, "before cpu_init: no counters");
	if (!t_ready(MEMBW_COUNT_USER, EV, 0x18))
		return;
	CHECK(armv8_channel_counters(priv, MEMBW_CH_READ) == BIT(3), "read channel: counter 3");
	CHECK(armv8_channel_counters(priv, MEMBW_CH_WRITE) == BIT(4), "write channel: counter 4");
	CHECK(armv8_channel_counters(priv, 2) == 0, "no third channel");
}

static void test_control_bits_kept(void)
{
	t_reset_el1(0, 1);
	if (!t_ready(MEMBW_COUNT_USER, EV, 0))
		return;
	fake.pmcr = 0x40u; /* LC set by someone, E cleared by someone (perf stopping the PMU) */
	fake_log_clear();
	CHECK(arm(MEMBW_CH_READ, 10) == 0, "arm(10)");
	CHECK(fake.pmcr == 0x41u, "arm sets PMCR_EL0.E back and keeps the other bits");
	CHECK(fake_count_accesses(FR_PMCR, true) == 1, "one PMCR write");
	fake_log_clear();
	CHECK(arm(MEMBW_CH_READ, 10) == 0, "arm(10) again");
	CHECK(fake_count_accesses(FR_PMCR, true) == 0, "no PMCR write when it is already right");
	CHECK(fake_find(0, FR_PMCR, true) < 0 || !(fake.log[fake_find(0, FR_PMCR, true)].value & 0x6u),
	      "PMCR.P/C (reset all counters) are never written");
}

static void test_el2_control(void)
{
	t_reset_el2(6, 4);
	fake_set_pmu_version(6);
	if (!t_ready(MEMBW_COUNT_HYP, EV, 0x18))
		return;
	CHECK(fake.mdcr_el2 & 0x80u, "EL2 mode sets MDCR_EL2.HPME");
	CHECK(fake.mdcr_el2 & (1u << 26), "EL2 mode on PMUv3p5 sets MDCR_EL2.HLP");
	CHECK((fake.mdcr_el2 & 0x1Fu) == 4, "HPMN is left as the hypervisor set it");
	CHECK(!(fake.pmcr & 0x1u), "EL2 mode leaves PMCR_EL0.E (the guest's) alone");
	fake_log_clear();
	CHECK_FATAL(arm(MEMBW_CH_READ, 100) == 0, "arm(100) at EL2");
	CHECK(fake_find(0, FR_PMCR, true) < 0 && fake_find(0, FR_PMCR, false) < 0,
	      "arm in EL2 mode neither reads nor writes PMCR_EL0");
	CHECK(fake.evcntr[4] == 0xFFFFFFFFFFFFFF9Cull, "counter 4 preset to 2^64 - 100");
	fake_events(EV, 2, 100);
	CHECK(fake_irq(), "100 EL2 events raise the interrupt (HPME, not PMCR.E)");
	CHECK(armv8_overflow_ack(priv) == BIT(MEMBW_CH_READ), "ack at EL2");
	fake.mdcr_el2 &= ~(uint64_t)0x80u; /* HPME cleared behind our back */
	CHECK(arm(MEMBW_CH_READ, 10) == 0 && (fake.mdcr_el2 & 0x80u), "arm sets HPME back");

	t_reset_el2(6, 4);
	ctx.flags = ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E;
	if (!t_ready(MEMBW_COUNT_HYP, EV, 0x18))
		return;
	CHECK(fake.pmcr & 0x1u, "EL2_IRQ_NEEDS_PMCR_E also sets PMCR_EL0.E");
}

int armv8_counters_suite(void);
int armv8_counters_suite(void)
{
	CU_pSuite s = CU_add_suite("armv8 arm, read, stop, ack", NULL, NULL);

	if (!s || !CU_add_test(s, "arm: register sequence", test_arm_sequence) ||
	    !CU_add_test(s, "32-bit: interrupt with the n-th event", test_count_to_overflow_32) ||
	    !CU_add_test(s, "64-bit counters (PMUv3p5, LP)", test_64bit) ||
	    !CU_add_test(s, "PMUv3p5 with 32-bit overflow: read masks", test_v3p5_with_32bit_counters) ||
	    !CU_add_test(s, "arm limits and refusals", test_arm_limits) ||
	    !CU_add_test(s, "every counter number reaches its own register", test_every_counter_number) ||
	    !CU_add_test(s, "re-arm clears a pending overflow", test_rearm_clears_pending_overflow) ||
	    !CU_add_test(s, "rearm counts from the last read", test_rearm_counts_from_read) ||
	    !CU_add_test(s, "rearm after the budget was spent", test_rearm_already_spent) ||
	    !CU_add_test(s, "EL1 mode closes EL0 access (PMUSERENR_EL0)", test_el1_closes_el0_access) ||
	    !CU_add_test(s, "EL0 access kept open: refused", test_el0_access_open_refused) ||
	    !CU_add_test(s, "claim: no storm from a pending foreign counter", test_claim_stops_foreign_storm) ||
	    !CU_add_test(s, "no claim: the foreign counter storms", test_without_claim_storm) ||
	    !CU_add_test(s, "claim at EL2 leaves EL1's counters", test_claim_el2_leaves_el1_counters) ||
	    !CU_add_test(s, "claim refusals", test_claim_refusals) ||
	    !CU_add_test(s, "stop", test_stop) ||
	    !CU_add_test(s, "ack leaves other owners' flags", test_ack_leaves_other_owners) ||
	    !CU_add_test(s, "QEMU workaround: shadow presets", test_workaround_presets) ||
	    !CU_add_test(s, "armv8_channel_counters", test_channel_counters) ||
	    !CU_add_test(s, "control bits kept by arm", test_control_bits_kept) ||
	    !CU_add_test(s, "EL2 mode: HPME/HLP", test_el2_control))
		return CU_get_error();
	return 0;
}
