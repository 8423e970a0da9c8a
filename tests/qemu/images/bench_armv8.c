/* SPDX-License-Identifier: MIT */
/*
 * bench-armv8: what the overflow interrupt costs with the whole policy, against a floor handler
 * that only acknowledges and re-arms the counter, and what a period tick costs. Reported, never
 * asserted on numbers (only that the measurement itself worked).
 *
 * Measure: instructions retired at EL1 (PMU INST_RETIRED, 0x08, with the EL0 filter bit set),
 * counted by the last event counter, which the backend is not given. Under -icount shift=0 these
 * counts are exact and repeatable. The workload runs at EL0, so every EL1 instruction belongs to
 * an interrupt (or to the fixed EL0 entry and return, measured by a run without interrupts).
 *   - per interrupt, entry to return (vectors, GIC acknowledge/EOI, dispatch, handler):
 *       (EL1 instructions of a run - those of the run without interrupts) / interrupts,
 *     for the floor handler (every interrupt is an overflow);
 *   - the handlers alone: the witness read before and after the handler call (the cost of the
 *     read pair, measured back to back, subtracted);
 *   - so full policy, entry to return (derived) = floor entry-to-return - floor handler + policy
 *     handler.
 * And measured directly: the image links the vectors with IRQ stamps (platform.h), which read the
 * witness (PMSELR_EL0 selects it) at vector entry and just before ERET. Two more runs with plain
 * handlers (no witness reads inside) give floor and full policy entry to return as measured;
 * the same 20 instructions of the stamp code lie outside both spans (vectors.S).
 * In the policy run every period is: an overflow that throttles (the workload is busy), WFI,
 * the tick that releases and re-arms. The WFI wait itself is idle time, not counted work: the
 * direct measurement moves the entry stamp past it (bench_hold), so a tick handled during the wait
 * is not in the overflow's figure either.
 */
#include "armv8_qemu.h"
#include "cmdline.h"
#include "membw_rt.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"
#include "witness.h"
#include "workload.h"

#define PERIOD_NS 1000000ull
#define BUDGET 10000ull
#define ITERATIONS 250000ull /* 500,000 instructions at EL0: 50 budgets */
#define EL0_STACK_BYTES 4096

static _Alignas(16) unsigned char el0_stack[EL0_STACK_BYTES];
static _Alignas(16) unsigned char floor_priv[512];
static _Alignas(16) unsigned char plain_priv[512];
static struct armv8_ctx floor_ctx, plain_ctx;
static unsigned int witness;
static uint64_t read_pair_cost;

/* Handler-only measurements: sum of instructions and number of calls. */
struct tally {
	uint64_t insns, calls;
};
static struct tally floor_handler, policy_overflow, policy_tick;
/* The policy's overflow handler in parts: ack, clock read, membw_overflow. */
static struct tally part_ack, part_clock, part_overflow;
/* The tick handler in parts: clock read, membw_tick, timer re-arm. */
static struct tally tick_clock, tick_policy, tick_timer;

static void stamps_reset(void)
{
	memset(&platform_irq_stamps, 0, sizeof(platform_irq_stamps));
}

static void tally_add(struct tally *t, uint64_t before, uint64_t after)
{
	t->insns += after - before - read_pair_cost;
	t->calls++;
}

/* The hooks alone on @priv, reported. */
static void hooks_alone(void *priv, const char *what)
{
	struct hook_cost c;

	if (!CHECK(hook_cost_measure(priv, read_pair_cost, &c), "the hooks succeed (%s)", what))
		return;
	pf_printf("BENCH armv8 backend hooks alone (%s): arm %llu, read %llu (direct reader; the "
		  "read hook: %llu), rearm %llu instructions, call included (an empty hook called "
		  "the same way: %llu)\n",
		  what, (unsigned long long)c.arm, (unsigned long long)c.read,
		  (unsigned long long)c.read_hook, (unsigned long long)c.rearm,
		  (unsigned long long)c.empty);
}

/* EL1 instructions while the workload runs at EL0 (interrupts are taken from EL0). */
static uint64_t el1_insns_of_workload(void)
{
	uint64_t before = witness_read(), after;

	platform_run_el0(workload_spin, ITERATIONS, el0_stack + sizeof(el0_stack));
	after = witness_read();
	return after - before;
}

static void on_floor_irq(unsigned int intid, void *arg)
{
	uint64_t t0 = witness_read();

	(void)intid;
	(void)arg;
	armv8_overflow_ack(floor_priv);
	membw_armv8_backend.arm(floor_priv, MEMBW_CH_READ, BUDGET);
	tally_add(&floor_handler, t0, witness_read());
}

static void on_policy_pmu(unsigned int intid, void *arg)
{
	uint64_t t0 = witness_read();

	rt_on_pmu_irq(intid, arg);
	tally_add(&policy_overflow, t0, witness_read());
}

/* A second policy run with the same steps as rt_on_pmu_irq(), timed part by part. */
static void on_policy_pmu_parts(unsigned int intid, void *arg)
{
	uint64_t t0, t1, t2, t3, now;
	uint32_t overflowed;

	(void)intid;
	(void)arg;
	t0 = witness_read();
	overflowed = armv8_overflow_ack(rt_priv());
	t1 = witness_read();
	now = timer_now_ns();
	t2 = witness_read();
	membw_overflow_channels(rt_policy(), 0, now, overflowed);
	t3 = witness_read();
	tally_add(&part_ack, t0, t1);
	tally_add(&part_clock, t1, t2);
	tally_add(&part_overflow, t2, t3);
}

/* The same steps as rt_on_tick(), timed part by part (in the run above). */
static void on_policy_tick_parts(unsigned int intid, void *arg)
{
	uint64_t t0, t1, t2, t3, now, next = 0;

	(void)intid;
	(void)arg;
	t0 = witness_read();
	now = timer_now_ns();
	t1 = witness_read();
	membw_tick(rt_policy(), 0, now, &next);
	t2 = witness_read();
	if (next)
		timer_set_deadline_ns(next);
	t3 = witness_read();
	tally_add(&tick_clock, t0, t1);
	tally_add(&tick_policy, t1, t2);
	tally_add(&tick_timer, t2, t3);
}

/* Plain handlers for the directly measured runs: what production runs, plus the bucket store. */
static void on_floor_irq_plain(unsigned int intid, void *arg)
{
	(void)intid;
	(void)arg;
	platform_irq_stamps.bucket = 0;
	armv8_overflow_ack(floor_priv);
	membw_armv8_backend.arm(floor_priv, MEMBW_CH_READ, BUDGET);
}

static void on_policy_pmu_plain(unsigned int intid, void *arg)
{
	platform_irq_stamps.bucket = 0;
	rt_on_pmu_irq(intid, arg);
}

static void on_policy_tick_plain(unsigned int intid, void *arg)
{
	platform_irq_stamps.bucket = 1;
	rt_on_tick(intid, arg);
}

/* The runtime's exit hook with the idle wait left out of the stamped span: the entry stamp moves
 * forward by the instructions of the wait (and of the ticks handled in it). */
static void bench_hold(void)
{
	uint64_t bucket = platform_irq_stamps.bucket, t0, t1;

	t0 = witness_read();
	rt_hold_while_throttled();
	t1 = witness_read();
	platform_irq_stamps.entry += t1 - t0;
	platform_irq_stamps.bucket = bucket;
}

static void on_policy_tick(unsigned int intid, void *arg)
{
	uint64_t t0 = witness_read();

	rt_on_tick(intid, arg);
	tally_add(&policy_tick, t0, witness_read());
}

static uint64_t per(uint64_t total, uint64_t n)
{
	return n ? total / n : 0;
}

static void bench(void)
{
	struct membw_counter_setup s = { .size = sizeof(s), .levels = MEMBW_COUNT_USER };
	struct membw_backend_info info = { .size = sizeof(info) };
	struct rt_setup rs = {
		.period_ns = PERIOD_NS,
		.budget_events = BUDGET,
		.levels = MEMBW_COUNT_USER,
		.event = ARMV8_EVENT(PMU_EVENT_INST_RETIRED),
		.armv8_flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND,
		.untraced = 1,
	};
	uint64_t base, floor_total, policy_total, entry_floor, entry_policy, tick_entry, periods;
	uint64_t direct_floor, direct_policy, direct_floor_n, direct_policy_n, direct_tick_n;
	uint64_t direct_tick, hook_extra, h0, h1, h2;
	const struct rt_log *log;

	witness = witness_start();
	read_pair_cost = witness_pair_cost();

	/* 1. No interrupts: the fixed cost of entering EL0 and coming back. */
	base = el1_insns_of_workload();

	s.event[MEMBW_CH_READ] = ARMV8_EVENT(PMU_EVENT_INST_RETIRED);
	/* The backend hooks alone without the QEMU shadow counter, as on hardware (not interrupt
	 * timing, so the workaround is not needed for this), then with it, as every run below. */
	armv8_qemu_ctx(&plain_ctx, 0, 1);
	plain_ctx.ncounters = witness;
	if (!CHECK_EQ(membw_armv8_backend.probe(&plain_ctx, &info), 0, "probe, no shadow") ||
	    !CHECK_EQ(membw_armv8_backend.cpu_init(&plain_ctx, 0, plain_priv, &s), 0,
		      "cpu_init, no shadow"))
		return;
	hooks_alone(plain_priv, "no shadow counter, as on hardware");

	/* 2. The floor: acknowledge and re-arm, nothing else. */
	armv8_qemu_ctx(&floor_ctx, ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND, 1);
	floor_ctx.ncounters = witness;
	info.size = sizeof(info);
	if (!CHECK_EQ(membw_armv8_backend.probe(&floor_ctx, &info), 0, "probe") ||
	    !CHECK_EQ(membw_armv8_backend.cpu_init(&floor_ctx, 0, floor_priv, &s), 0,
		      "cpu_init"))
		return;
	hooks_alone(floor_priv, "with the QEMU shadow counter");
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_floor_irq, NULL);
	membw_armv8_backend.arm(floor_priv, MEMBW_CH_READ, BUDGET);
	floor_total = el1_insns_of_workload();
	membw_armv8_backend.stop(floor_priv, MEMBW_CH_READ);
	platform_irq_clear_handler(PLATFORM_INTID_PMU);

	/* 3. The whole policy: overflow -> throttle -> WFI -> tick -> release, every period. */
	rs.ncounters = witness;
	if (!CHECK_EQ(rt_start(&rs), 0, "the runtime starts"))
		return;
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_policy_pmu, NULL);
	platform_irq_set_handler(timer_intid(), on_policy_tick, NULL);
	policy_total = el1_insns_of_workload();
	rt_stop();
	log = rt_log();
	periods = log->ticks;
	CHECK_EQ(log->last_error, 0, "no policy entry point failed");

	if (!CHECK_EQ(rt_start(&rs), 0, "the runtime starts again"))
		return;
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_policy_pmu_parts, NULL);
	platform_irq_set_handler(timer_intid(), on_policy_tick_parts, NULL);
	el1_insns_of_workload();
	rt_stop();

	/* 4. Measured directly: the floor again, plain handler, stamped vectors. */
	stamps_reset();
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_floor_irq_plain, NULL);
	membw_armv8_backend.arm(floor_priv, MEMBW_CH_READ, BUDGET);
	el1_insns_of_workload();
	membw_armv8_backend.stop(floor_priv, MEMBW_CH_READ);
	platform_irq_clear_handler(PLATFORM_INTID_PMU);
	direct_floor_n = platform_irq_stamps.count[0];
	direct_floor = per(platform_irq_stamps.total[0], direct_floor_n);

	/* bench_hold's own instructions beyond the runtime's hook, not throttled (both return at
	 * once): in the stamped span of every policy interrupt, so reported next to the figure. */
	h0 = witness_read();
	bench_hold();
	h1 = witness_read();
	rt_hold_while_throttled();
	h2 = witness_read();
	hook_extra = (h1 - h0) - (h2 - h1);

	/* 5. ... and the whole policy, plain handlers, the idle wait left out. */
	if (!CHECK_EQ(rt_start(&rs), 0, "the runtime starts a third time"))
		return;
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_policy_pmu_plain, NULL);
	platform_irq_set_handler(timer_intid(), on_policy_tick_plain, NULL);
	platform_irq_set_exit_hook(bench_hold);
	stamps_reset();
	el1_insns_of_workload();
	direct_policy_n = platform_irq_stamps.count[0];
	direct_policy = per(platform_irq_stamps.total[0], direct_policy_n);
	direct_tick_n = platform_irq_stamps.count[1];
	direct_tick = per(platform_irq_stamps.total[1], direct_tick_n);
	rt_stop();
	CHECK_EQ(pmu_read_pmselr(), witness,
		 "PMSELR_EL0 still selects the witness (counter %u): the stamps read it", witness);
	CHECK(direct_floor_n >= ITERATIONS * 2 / BUDGET - 1,
	      "the stamped floor run took an interrupt per budget (%llu)",
	      (unsigned long long)direct_floor_n);
	CHECK(direct_policy_n >= ITERATIONS * 2 / BUDGET - 1,
	      "the stamped policy run took an overflow per period (%llu)",
	      (unsigned long long)direct_policy_n);

	CHECK(floor_handler.calls >= ITERATIONS * 2 / BUDGET - 1,
	      "the floor run took an interrupt per budget (%llu)",
	      (unsigned long long)floor_handler.calls);
	CHECK(policy_overflow.calls >= ITERATIONS * 2 / BUDGET - 1,
	      "the policy run took an overflow per period (%llu)",
	      (unsigned long long)policy_overflow.calls);
	CHECK(policy_tick.calls > 0, "the policy run took ticks (%llu)",
	      (unsigned long long)policy_tick.calls);
	if (!floor_handler.calls || !policy_overflow.calls || !policy_tick.calls)
		return;

	entry_floor = per(floor_total - base, floor_handler.calls);
	entry_policy = entry_floor - per(floor_handler.insns, floor_handler.calls) +
		       per(policy_overflow.insns, policy_overflow.calls);
	tick_entry = entry_floor - per(floor_handler.insns, floor_handler.calls) +
		     per(policy_tick.insns, policy_tick.calls);
	pf_printf("BENCH armv8 overflow interrupt, entry to return, floor (ack + re-arm): %llu "
		  "instructions (handler %llu)\n",
		  (unsigned long long)entry_floor,
		  (unsigned long long)per(floor_handler.insns, floor_handler.calls));
	pf_printf("BENCH armv8 overflow interrupt, entry to return, full policy (ack + "
		  "membw_overflow, throttling): %llu instructions (handler %llu)\n",
		  (unsigned long long)entry_policy,
		  (unsigned long long)per(policy_overflow.insns, policy_overflow.calls));
	pf_printf("BENCH armv8 policy overflow handler in parts: armv8_overflow_ack %llu, "
		  "timer_now_ns %llu, membw_overflow %llu instructions\n",
		  (unsigned long long)per(part_ack.insns, part_ack.calls),
		  (unsigned long long)per(part_clock.insns, part_clock.calls),
		  (unsigned long long)per(part_overflow.insns, part_overflow.calls));
	pf_printf("BENCH armv8 ratio full / floor (derived): %llu.%02llux (target <= 1.3x: %s)\n",
		  (unsigned long long)(entry_policy * 100 / entry_floor / 100),
		  (unsigned long long)(entry_policy * 100 / entry_floor % 100),
		  entry_policy * 10 <= entry_floor * 13 ? "met" : "NOT met");
	pf_printf("BENCH armv8 overflow interrupt, vector entry to ERET, measured (stamps): floor %llu, "
		  "full policy %llu instructions (%llu and %llu interrupts)\n",
		  (unsigned long long)direct_floor, (unsigned long long)direct_policy,
		  (unsigned long long)direct_floor_n, (unsigned long long)direct_policy_n);
	if (direct_floor && direct_policy > hook_extra) {
		/* The wrapper exists only in this benchmark (it keeps the idle wait out of the span):
		 * its instructions, measured above, are taken out of the figure the target judges. */
		uint64_t policy_net = direct_policy - hook_extra;

		pf_printf("BENCH armv8 ratio full / floor (measured): %llu.%02llux with the benchmark's "
			  "exit-hook wrapper (%llu instructions: bench_hold beyond "
			  "rt_hold_while_throttled, measured unthrottled)\n",
			  (unsigned long long)(direct_policy * 100 / direct_floor / 100),
			  (unsigned long long)(direct_policy * 100 / direct_floor % 100),
			  (unsigned long long)hook_extra);
		pf_printf("BENCH armv8 ratio full / floor (measured, the wrapper taken out): %llu / %llu "
			  "= %llu.%02llux (target <= 1.3x: %s)\n",
			  (unsigned long long)policy_net, (unsigned long long)direct_floor,
			  (unsigned long long)(policy_net * 100 / direct_floor / 100),
			  (unsigned long long)(policy_net * 100 / direct_floor % 100),
			  policy_net * 10 <= direct_floor * 13 ? "met" : "NOT met");
	}
	if (direct_tick_n)
		pf_printf("BENCH armv8 period tick, vector entry to ERET, measured: %llu instructions "
			  "(%llu ticks not taken inside a throttle wait)\n",
			  (unsigned long long)direct_tick, (unsigned long long)direct_tick_n);
	pf_printf("BENCH armv8 period tick (membw_tick + timer re-arm), entry to return: %llu "
		  "instructions (handler %llu; target <= 400: %s)\n",
		  (unsigned long long)tick_entry,
		  (unsigned long long)per(policy_tick.insns, policy_tick.calls),
		  tick_entry <= 400 ? "met" : "NOT met");
	pf_printf("BENCH armv8 period tick handler in parts: timer_now_ns %llu, membw_tick %llu "
		  "(backend read and rearm inside), timer_set_deadline_ns %llu instructions\n",
		  (unsigned long long)per(tick_clock.insns, tick_clock.calls),
		  (unsigned long long)per(tick_policy.insns, tick_policy.calls),
		  (unsigned long long)per(tick_timer.insns, tick_timer.calls));
	pf_printf("BENCH armv8 whole regulation per period (overflow, WFI loop, tick; all EL1 "
		  "work): %llu instructions over %llu periods\n",
		  (unsigned long long)per(policy_total - base, periods), (unsigned long long)periods);
	pf_printf("BENCH armv8 measured with: PMU INST_RETIRED at EL1 on counter %u, -icount "
		  "shift=0,sleep=off; read pair cost %llu instructions subtracted\n",
		  witness, (unsigned long long)read_pair_cost);
}

int test_main(void)
{
	pf_printf("bench_armv8: EL%u, GICv%u, PMUVer %u\n", platform_el(), gic_version(),
		  pmu_raw_version());
	report_test_begin("overflow interrupt cost");
	if (cmdline_icount())
		bench();
	else
		SKIP("instruction counts need -icount shift=N");
	report_test_end();
	return report_finish("bench_armv8");
}
