/* SPDX-License-Identifier: MIT */
/*
 * The fused re-arm (backend ABI v2 `rearm`) of the armv8 backend, under the whole policy at EL1:
 * events the counter counts between the policy's read and its re-arm belong to the next period
 * with `rearm`, and are lost with `arm` (docs/armv8-pmu.md#armv8-pmu-rearm).
 *
 * The read channel counts SW_INCR at EL1; the test loop makes the events itself by writing
 * PMSWINC_EL0 (one event per write on every enabled SW_INCR counter, Arm ARM PMSWINC_EL0), so
 * every count is exact. The backend is wrapped: its reads make LATE more events right after the
 * real read, on the channel's counters and on the witness (the last event counter, not handed to
 * the backend, counting SW_INCR too) -- the events a real interrupt path counts between its read
 * and its re-arm. The policy reads through the backend's direct reader (ABI version 3), so that is
 * wrapped; a third run takes the direct reader away and wraps read(). Facts checked, each run
 * under -icount shift=0,sleep=off:
 *   - with the backend's rearm hook the periods' counts add up exactly to the witness's count,
 *     reading through the direct reader and through read();
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
static struct membw_backend fused, fused_read, plain;

/* LATE events on @ch's counters and the witness. */
static void late_events(void *priv, uint32_t ch)
{
	unsigned int i;

	for (i = 0; i < LATE; i++)
		pmu_write_pmswinc(armv8_channel_counters(priv, ch) | (1ull << witness));
}

/* The real read, then LATE events before the policy may re-arm. */
static int read_then_late_events(void *priv, uint32_t ch, uint64_t *value)
{
	int err = membw_armv8_backend.read(priv, ch, value);

	if (err)
		return err;
	late_events(priv, ch);
	return 0;
}

/* The backend's direct reader of one channel (one CPU), wrapped the same way. */
static struct wrapped_reader {
	struct membw_direct_reader real;
	void *priv;
	uint32_t ch;
} wrapped[MEMBW_NCHANNELS];

static uint64_t direct_then_late_events(void *ctx)
{
	struct wrapped_reader *w = ctx;
	uint64_t v = w->real.read(w->real.ctx);

	late_events(w->priv, w->ch);
	return v;
}

static int direct_reader_late(void *priv, uint32_t ch, struct membw_direct_reader *reader)
{
	int err;

	if (ch >= MEMBW_NCHANNELS)
		return -MEMBW_EIO;
	err = membw_armv8_backend.direct_reader(priv, ch, &wrapped[ch].real);
	if (err || !wrapped[ch].real.read)
		return err ? err : -MEMBW_EIO;
	wrapped[ch].priv = priv;
	wrapped[ch].ch = ch;
	reader->read = direct_then_late_events;
	reader->ctx = &wrapped[ch];
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

/* @be with rearm: the periods add up to the witness. */
static void fused_rearm_exact(const struct membw_backend *be)
{
	uint64_t witnessed, sum;

	sum = run(be, &witnessed);
	CHECK(witnessed >= EVENTS, "the witness counted every PMSWINC write (%llu >= %llu)",
	      (unsigned long long)witnessed, EVENTS);
	CHECK_EQ(sum, witnessed,
		 "with rearm the periods' counts add up to the witness's count, events between read "
		 "and re-arm included");
}

static void test_fused_rearm_exact(void)
{
	if (!CHECK(membw_armv8_backend.rearm != NULL, "the armv8 backend has a rearm hook") ||
	    !CHECK(membw_armv8_backend.direct_reader != NULL, "the armv8 backend has direct readers"))
		return;
	fused = membw_armv8_backend;
	fused.read = read_then_late_events;
	fused.direct_reader = direct_reader_late;
	fused_rearm_exact(&fused);
}

/* The same through read(): a backend without direct readers. */
static void test_fused_rearm_exact_read_hook(void)
{
	fused_read = membw_armv8_backend;
	fused_read.read = read_then_late_events;
	fused_read.direct_reader = NULL;
	fused_rearm_exact(&fused_read);
}

static void test_plain_arm_loses(void)
{
	uint64_t witnessed, sum;

	plain = membw_armv8_backend;
	plain.read = read_then_late_events;
	plain.direct_reader = direct_reader_late;
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
	report_test("rearm, read through read(): periods add up to the witness",
		    test_fused_rearm_exact_read_hook);
	report_test("arm instead: events between read and re-arm are lost", test_plain_arm_loses);
	return report_finish("rearm_armv8");
}
