/* SPDX-License-Identifier: MIT */
/*
 * The fused re-arm (backend ABI v2 `rearm`) of the armv8 backend, under the whole policy at EL1:
 * events the counter counts between the policy's read and its re-arm belong to the next period
 * with `rearm`, and are lost with `arm` (docs/armv8-pmu.md#armv8-pmu-rearm).
 *
 * The read channel counts SW_INCR at EL1; the test loop makes the events itself by writing
 * PMSWINC_EL0 (one event per write on every enabled SW_INCR counter, Arm ARM PMSWINC_EL0), so
 * every count is exact. The backend is wrapped: its read() makes LATE more events right after the
 * real read, on the channel's counters and on the witness (the last event counter, not handed to
 * the backend, counting SW_INCR too) -- the events a real interrupt path counts between its read
 * and its re-arm. Facts checked, each run under -icount shift=0,sleep=off:
 *   - with the backend's rearm hook the periods' counts add up exactly to the witness's count;
 *   - with rearm removed (the policy then calls arm) they fall short of it by LATE per re-arm
 *     that followed a read: the run shows that the first fact is not trivially true.
 */
#include "cmdline.h"
#include "membw_rt.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"

#define PERIOD_NS 1000000ull
#define BUDGET 1000ull
#define EVENTS 20000ull /* about 20 budgets */
#define LATE 3u

static unsigned int witness;
static struct membw_backend fused, plain;

/* The real read, then LATE events before the policy may re-arm. */
static int read_then_late_events(void *priv, uint32_t ch, uint64_t *value)
{
	int err = membw_armv8_backend.read(priv, ch, value);
	unsigned int i;

	if (err)
		return err;
	for (i = 0; i < LATE; i++)
		pmu_write_pmswinc(armv8_channel_counters(priv, ch) | (1ull << witness));
	return 0;
}

/* Run the policy on @be; return the periods' sum and set *@witnessed to the witness's count. */
static uint64_t run(const struct membw_backend *be, uint64_t *witnessed)
{
	struct rt_setup s = {
		.period_ns = PERIOD_NS,
		.budget_events = BUDGET,
		.levels = MEMBW_COUNT_KERNEL,
		.event = ARMV8_EVENT(PMU_EVENT_SW_INCR),
		.armv8_flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND,
		.backend = be,
	};
	const struct rt_log *log;
	uint64_t i, sum = 0;
	unsigned int p;
	int err;

	*witnessed = 0;
	witness = pmu_raw_counters() - 1;
	s.ncounters = witness;
	pmu_raw_set_type(witness, PMU_EVENT_SW_INCR | PMEVTYPER_EXCLUDE_EL0);
	pmu_raw_set_count(witness, 0);
	err = rt_start(&s);
	if (!CHECK(err == 0, "the runtime starts: membw_init, budget, cpu_online (%d)", err))
		return 0;
	pmu_write_pmcntenset(1ull << witness);
	irq_enable();
	for (i = 0; i < EVENTS; i++)
		pmu_write_pmswinc(armv8_channel_counters(rt_priv(), MEMBW_CH_READ) |
				  (1ull << witness));
	/* The witness stops first: offline's own read then makes LATE events that neither it nor a
	 * period sees. */
	irq_disable();
	pmu_write_pmcntenclr(1ull << witness);
	*witnessed = pmu_raw_count(witness) & 0xffffffffull;
	CHECK_EQ(rt_stop(), 0, "membw_cpu_offline succeeds");
	log = rt_log();
	CHECK_EQ(log->last_error, 0, "no entry point returned an error");
	CHECK_EQ(log->lost, 0, "the log kept every period");
	CHECK(log->nperiods >= EVENTS / BUDGET, "at least %llu periods closed (%u)",
	      EVENTS / BUDGET, log->nperiods);
	for (p = 0; p < log->nperiods; p++)
		sum += log->period[p].used;
	report_note("%u periods, %llu ticks, %llu overflow interrupts, witness %llu events, "
		    "periods' sum %llu events", log->nperiods, (unsigned long long)log->ticks,
		    (unsigned long long)log->overflow_irqs, (unsigned long long)*witnessed,
		    (unsigned long long)sum);
	return sum;
}

static void test_fused_rearm_exact(void)
{
	uint64_t witnessed, sum;

	if (!CHECK(membw_armv8_backend.rearm != NULL, "the armv8 backend has a rearm hook"))
		return;
	fused = membw_armv8_backend;
	fused.read = read_then_late_events;
	sum = run(&fused, &witnessed);
	CHECK(witnessed >= EVENTS, "the witness counted every PMSWINC write (%llu >= %llu)",
	      (unsigned long long)witnessed, EVENTS);
	CHECK_EQ(sum, witnessed,
		 "with rearm the periods' counts add up to the witness's count, events between read "
		 "and re-arm included");
}

static void test_plain_arm_loses(void)
{
	uint64_t witnessed, sum;

	plain = membw_armv8_backend;
	plain.read = read_then_late_events;
	plain.rearm = NULL;
	sum = run(&plain, &witnessed);
	CHECK(sum < witnessed, "with arm the periods' counts fall short of the witness's "
	      "(%llu < %llu): the events between read and re-arm are overwritten",
	      (unsigned long long)sum, (unsigned long long)witnessed);
	CHECK(witnessed - sum >= LATE * (EVENTS / BUDGET - 1),
	      "short by at least %u events per overflow re-arm (%llu)", LATE,
	      (unsigned long long)(witnessed - sum));
}

int test_main(void)
{
	pf_printf("rearm_armv8: EL%u, GICv%u, PMUVer %u\n", platform_el(), gic_version(),
		  pmu_raw_version());
	if (!cmdline_icount()) {
		report_test_begin("rearm");
		SKIP("periods are exact guest time only under -icount shift=N");
		report_test_end();
		return report_finish("rearm_armv8");
	}
	report_test("rearm: periods add up to the witness", test_fused_rearm_exact);
	report_test("arm instead: events between read and re-arm are lost", test_plain_arm_loses);
	return report_finish("rearm_armv8");
}
