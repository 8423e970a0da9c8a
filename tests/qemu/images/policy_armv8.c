/* SPDX-License-Identifier: MIT */
/*
 * The whole policy at EL1 on QEMU: libmembw + the armv8 backend + the bare-metal runtime
 * (membw_rt.h). One CPU, one domain, 1 ms periods of guest time (under -icount shift=0 one
 * instruction is 1 ns; `sleep=off` so that idle time in WFI jumps to the next timer deadline instead
 * of following the host clock, which keeps the guest time exact), a read budget of BUDGET events per period on INST_RETIRED at EL0 (QEMU
 * emulates no memory events, docs/qemu.md#qemu-events), and a workload loop at EL0 that wants far
 * more. Throttling is WFI until the next tick.
 *
 * An independent witness: the last event counter, which the backend is not given, counts the
 * same event at EL0 through raw registers. Facts checked:
 *   - each period counts at most BUDGET events, plus the overshoot the interrupt latency allows:
 *     0 here, since armv8_facts shows the interrupt exactly at the budget with the workaround
 *     and the throttle holds the CPU before it returns to EL0;
 *   - a period the CPU was throttled in counted exactly BUDGET;
 *   - the periods' counts add up to the witness's count;
 *   - membw_cpu_get_stats agrees with the periods the runtime saw;
 *   - the workload took at least floor(total / BUDGET) period boundaries of guest time.
 */
#include "cmdline.h"
#include "membw_rt.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"
#include "workload.h"

#define PERIOD_NS 1000000ull
#define BUDGET 100000ull
#define ITERATIONS 1000000ull /* 2,000,000 instructions at EL0: about 20 budgets */
#define EL0_STACK_BYTES 4096

static _Alignas(16) unsigned char el0_stack[EL0_STACK_BYTES];
static unsigned int witness;
static uint64_t witness_count, elapsed_ns;
static bool started;

static void run_workload(void)
{
	struct rt_setup s = {
		.period_ns = PERIOD_NS,
		.budget_events = BUDGET,
		.reclaim = 0,
		.levels = MEMBW_COUNT_USER,
		.event = ARMV8_EVENT(PMU_EVENT_INST_RETIRED),
		.armv8_flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND,
	};
	uint64_t t0;
	int err;

	witness = pmu_raw_counters() - 1;
	s.ncounters = witness;
	pmu_raw_set_type(witness, PMU_EVENT_INST_RETIRED | PMEVTYPER_EXCLUDE_EL1);
	pmu_raw_set_count(witness, 0);
	err = rt_start(&s);
	started = CHECK(err == 0, "the runtime starts: membw_init, budget, cpu_online (%d)", err);
	if (!started)
		return;
	/* PMCR_EL0.E is the backend's (it sets it when arming); the witness only needs its enable
	 * bit. */
	pmu_write_pmcntenset(1ull << witness);
	t0 = timer_now_ns();
	platform_run_el0(workload_spin, ITERATIONS, el0_stack + sizeof(el0_stack));
	elapsed_ns = timer_now_ns() - t0;
	pmu_write_pmcntenclr(1ull << witness);
	witness_count = pmu_raw_count(witness) & 0xffffffffull;
	CHECK_EQ(rt_stop(), 0, "membw_cpu_offline succeeds");
}

static void test_periods_within_budget(void)
{
	const struct rt_log *log = rt_log();
	unsigned int i, over = 0, exact = 0;
	uint64_t max_used = 0;

	if (!started)
		return;
	CHECK_EQ(log->last_error, 0, "no entry point returned an error");
	CHECK_EQ(log->lost, 0, "the log kept every period");
	CHECK(log->nperiods >= ITERATIONS * 2 / BUDGET,
	      "at least %llu periods closed (%u)", ITERATIONS * 2 / BUDGET, log->nperiods);
	for (i = 0; i < log->nperiods; i++) {
		const struct rt_period *p = &log->period[i];

		if (p->used > max_used)
			max_used = p->used;
		if (p->used > BUDGET * p->periods)
			over++;
		if (p->used == BUDGET)
			exact++;
	}
	report_note("%llu ticks, %llu overflow interrupts", (unsigned long long)log->ticks,
		    (unsigned long long)log->overflow_irqs);
	report_note("%u periods, %llu throttles, largest period count %llu events, guest time %llu ns",
		    log->nperiods, (unsigned long long)log->throttles, (unsigned long long)max_used,
		    (unsigned long long)elapsed_ns);
	CHECK_EQ(over, 0, "no period counted more than its budget of %llu events plus the "
		 "measured overshoot (0)", BUDGET);
	CHECK_EQ(exact, log->throttles,
		 "every period the CPU was throttled in counted exactly the budget");
	CHECK(log->throttles >= ITERATIONS * 2 / BUDGET - 1,
	      "the workload was throttled in at least %llu periods (%llu)",
	      ITERATIONS * 2 / BUDGET - 1, (unsigned long long)log->throttles);
	CHECK(log->wfi_wakeups >= log->throttles,
	      "a throttled CPU waited in WFI (%llu wake-ups for %llu throttles)",
	      (unsigned long long)log->wfi_wakeups, (unsigned long long)log->throttles);
	CHECK_EQ(log->unthrottles, log->throttles,
		 "every throttle was released (by a tick, or by going offline)");
}

static void test_counts_match_the_witness(void)
{
	const struct rt_log *log = rt_log();
	uint64_t sum = 0;
	unsigned int i;

	if (!started)
		return;
	for (i = 0; i < log->nperiods; i++)
		sum += log->period[i].used;
	CHECK(witness_count >= ITERATIONS * WORKLOAD_INSNS_PER_ITERATION,
	      "the witness counted the whole workload (%llu >= %llu instructions)",
	      (unsigned long long)witness_count, ITERATIONS * WORKLOAD_INSNS_PER_ITERATION);
	CHECK_EQ(sum, witness_count,
		 "the periods' counts add up to the independent counter's count at EL0");
}

static void test_stats_consistent(void)
{
	struct membw_cpu_stats st = { .size = sizeof(st) };
	const struct rt_log *log = rt_log();
	uint64_t used = 0, allowance = 0, overshoot = 0, periods = 0;
	unsigned int i;

	if (!started)
		return;
	for (i = 0; i < log->nperiods; i++) {
		used += log->period[i].used;
		allowance += log->period[i].allowance;
		overshoot += log->period[i].overshoot;
		periods += log->period[i].periods;
	}
	if (!CHECK_EQ(membw_cpu_get_stats(rt_policy(), 0, &st), 0, "membw_cpu_get_stats succeeds"))
		return;
	CHECK_EQ(st.totals.ch[MEMBW_CH_READ].used, used, "stats: used is the periods' sum");
	CHECK_EQ(st.totals.ch[MEMBW_CH_READ].allowance, allowance,
		 "stats: allowance is the periods' sum");
	CHECK_EQ(st.totals.ch[MEMBW_CH_READ].overshoot, overshoot,
		 "stats: overshoot is the periods' sum");
	CHECK(st.totals.ch[MEMBW_CH_READ].used <=
		      st.totals.ch[MEMBW_CH_READ].allowance + st.totals.ch[MEMBW_CH_READ].overshoot,
	      "stats: used <= allowance + overshoot");
	CHECK_EQ(st.totals.periods, periods, "stats: periods is the periods' sum");
	CHECK_EQ(st.totals.throttle_count, log->throttles,
		 "stats: throttle_count is the number of env.throttle calls");
	CHECK(st.totals.throttled_ns > 0, "stats: time spent throttled is counted (%llu ns)",
	      (unsigned long long)st.totals.throttled_ns);
	CHECK(st.totals.throttled_ns <= elapsed_ns + PERIOD_NS,
	      "stats: throttled time (%llu ns) fits in the run (%llu ns)",
	      (unsigned long long)st.totals.throttled_ns, (unsigned long long)elapsed_ns);
	CHECK_EQ(st.totals.spurious_overflows, 0, "stats: no spurious overflow");
	CHECK_EQ(st.totals.anomalies, 0, "stats: no anomaly");
	CHECK_EQ(st.state & MEMBW_CPU_ONLINE, 0, "stats: the CPU is offline after rt_stop");
}

static bool streq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && !memcmp(a, b, n);
}

/*
 * The default events the probe chose, from the configuration's facts: core=unknown (MIDR_EL1
 * names no core the tables know: QEMU's -cpu max has implementer 0), or core=<name> with
 * table_read/table_write = the events its table defaults to (events.c: L2D_CACHE_REFILL 0x17 and
 * L2D_CACHE_WB 0x18 on Cortex-A53/A57). The probe falls back to architectural events, and the
 * policy reports MEMBW_CAP_GENERIC_EVENTS, when the core is unknown or PMCEID0_EL0 says one of
 * its table's defaults is not implemented (QEMU emulates no cache events,
 * docs/qemu.md#qemu-events).
 */
static void test_default_events(void)
{
	struct membw_backend_info info = { .size = sizeof(info) };
	const struct armv8_ctx *bctx = rt_backend_ctx();
	char core[32] = "";
	uint64_t table_read, table_write;
	bool unknown, expect_generic, generic;

	if (!started)
		return;
	if (!CHECK(cmdline_get("core", core, sizeof(core)),
		   "the configuration names the core (append core=<name> or core=unknown)"))
		return;
	unknown = streq(core, "unknown");
	table_read = cmdline_u64("table_read", 0);
	table_write = cmdline_u64("table_write", 0);
	if (!unknown && !CHECK(table_read && table_write,
			       "the configuration names the %s table's defaults (table_read, "
			       "table_write)", core))
		return;
	expect_generic = unknown || !pmu_raw_implements((unsigned int)table_read) ||
			 !pmu_raw_implements((unsigned int)table_write);
	if (!CHECK_EQ(membw_get_backend_info(rt_policy(), &info), 0,
		      "membw_get_backend_info succeeds"))
		return;
	generic = (info.caps & MEMBW_CAP_GENERIC_EVENTS) != 0;
	if (unknown)
		CHECK(streq(bctx->core_name, "generic (architectural events)"),
		      "MIDR_EL1 0x%08x names no known core: the backend says \"generic "
		      "(architectural events)\" (says \"%s\")", (unsigned int)bctx->midr,
		      bctx->core_name);
	else
		CHECK(streq(bctx->core_name, core), "MIDR_EL1 0x%08x is the %s (says \"%s\")",
		      (unsigned int)bctx->midr, core, bctx->core_name);
	if (expect_generic)
		CHECK(generic, "membw_get_backend_info() has MEMBW_CAP_GENERIC_EVENTS: %s",
		      unknown ? "an unknown core gets architectural events" :
				"the table's defaults are missing from PMCEID0_EL0");
	else
		CHECK(!generic, "membw_get_backend_info() has no MEMBW_CAP_GENERIC_EVENTS: the "
		      "%s table's defaults 0x%llx/0x%llx are implemented", core,
		      (unsigned long long)table_read, (unsigned long long)table_write);
	if (unknown)
		report_note("core %s (MIDR_EL1 0x%08x): generic architectural events, "
			    "MEMBW_CAP_GENERIC_EVENTS %s", bctx->core_name, (unsigned int)bctx->midr,
			    generic ? "set" : "NOT set");
	else if (expect_generic)
		report_note("core %s: its table's defaults 0x%llx/0x%llx are not in PMCEID0_EL0 "
			    "(implemented: read %u, write %u), so generic architectural events here "
			    "too, MEMBW_CAP_GENERIC_EVENTS %s", bctx->core_name,
			    (unsigned long long)table_read, (unsigned long long)table_write,
			    pmu_raw_implements((unsigned int)table_read),
			    pmu_raw_implements((unsigned int)table_write), generic ? "set" : "NOT set");
	else
		report_note("core %s: its own table's events 0x%llx/0x%llx", bctx->core_name,
			    (unsigned long long)table_read, (unsigned long long)table_write);
}

static void test_guest_time_shows_regulation(void)
{
	uint64_t boundaries = witness_count / BUDGET;

	if (!started)
		return;
	CHECK(elapsed_ns >= (boundaries - 1) * PERIOD_NS,
	      "at %llu events per period, %llu events take at least %llu period boundaries "
	      "(%llu ns of guest time; took %llu ns)",
	      BUDGET, (unsigned long long)witness_count, (unsigned long long)(boundaries - 1),
	      (unsigned long long)((boundaries - 1) * PERIOD_NS),
	      (unsigned long long)elapsed_ns);
}

int test_main(void)
{
	pf_printf("policy_armv8: EL%u, GICv%u, PMUVer %u, timer %llu Hz\n", platform_el(),
		  gic_version(), pmu_raw_version(), (unsigned long long)timer_freq_hz());
	if (!cmdline_icount()) {
		report_test_begin("policy at EL1");
		SKIP("guest time and instruction counts are exact only under -icount shift=N");
		report_test_end();
		return report_finish("policy_armv8");
	}
	report_test_begin("policy at EL1: run");
	run_workload();
	report_test_end();
	report_test("per-period counts within budget", test_periods_within_budget);
	report_test("period counts match an independent counter", test_counts_match_the_witness);
	report_test("statistics consistent", test_stats_consistent);
	report_test("guest time shows the regulation", test_guest_time_shows_regulation);
	report_test("default events and MEMBW_CAP_GENERIC_EVENTS", test_default_events);
	return report_finish("policy_armv8");
}
