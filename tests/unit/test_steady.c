/* SPDX-License-Identifier: MIT */
/*
 * The steady period steps (lib/period.h) against the general one: the same scenario run twice,
 * once as it comes (a tick may take a steady step, the releasing one for a CPU throttled in the
 * period ending included) and once with a control change that alters nothing before every round
 * of ticks (membw_cpu_set_domain() to the domain CPU 0 is in already), which sends every tick
 * down the general path. Everything a runtime can see must come out the same: each CPU's and
 * each domain's statistics and state after every period, and the sequence of throttle and
 * unthrottle calls. No trace hook: with one, no tick takes a steady step.
 */
#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "check.h"
#include "fixture.h"

#define RATE_1000 64000000ull /* bytes/s that make 1000 lines per 1 ms period */
#define PERIODS 300
#define NCPUS 8
#define MAX_CALLS (2 * NCPUS * PERIODS + 16)

/* What one run left behind. */
struct run {
	struct membw_cpu_stats cpu[PERIODS][NCPUS];
	struct membw_domain_stats dom[PERIODS][NCPUS];
	uint32_t call[MAX_CALLS]; /* (cpu << 1) | 1 for throttle, | 0 for unthrottle */
	unsigned int ncalls;
	bool overflowed;
};

static struct run runs[2];
static struct run *rec;
static struct fx f;
/* A backend of one channel instead of the test backend's two (the releasing step has a copy for
 * each count: period.h, period_step()). */
static bool one_channel;
/* Domain 0 with a read budget of zero: its CPUs start every period throttled. */
static bool zero_budget;
/* The second run with a trace hook instead of control changes: its ticks take the general step
 * and its throttles throttle_hold()'s general path, where the first run's take its plain copy
 * (lib/throttle.h, the mode word's MODE_THROTTLE_GENERAL). */
static bool second_traced;

static void ignore_trace(void *ctx, const struct membw_trace_record *ev)
{
	(void)ctx;
	(void)ev;
}

static void on_throttle(void *ctx, uint32_t cpu)
{
	(void)ctx;
	if (rec->ncalls < MAX_CALLS)
		rec->call[rec->ncalls++] = cpu << 1 | 1;
	else
		rec->overflowed = true;
}

static void on_unthrottle(void *ctx, uint32_t cpu)
{
	(void)ctx;
	if (rec->ncalls < MAX_CALLS)
		rec->call[rec->ncalls++] = cpu << 1;
	else
		rec->overflowed = true;
}

/* The policy without a trace hook, its throttle calls recorded in @r. */
static void start(struct run *r, unsigned int ncpus, unsigned int ndomains)
{
	memset(r, 0, sizeof(*r));
	rec = r;
	fx_config(&f, ncpus, ndomains);
	if (one_channel)
		f.tb.channels = 1;
	f.env.trace = second_traced && r == &runs[1] ? ignore_trace : NULL;
	f.env.throttle = on_throttle;
	f.env.unthrottle = on_unthrottle;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
}

/* A deterministic spread of uses, some under the budget and some over, per CPU and period. */
static uint64_t use_of(unsigned int cpu, unsigned int period, unsigned int ch)
{
	uint32_t x = (cpu + 1) * 2654435761u ^ (period + 1) * 40503u ^ (ch + 1) * 97u;

	x ^= x >> 13;
	x *= 0x5bd1e995u;
	x ^= x >> 15;
	return x % 1700u; /* of a 1000-line budget per CPU (shared by the domain's CPUs) */
}

/*
 * @ncpus CPUs in domains of @dsize (read budget 1000 lines per CPU of the domain; writes limited
 * too when @writes), reclaim @reclaim, sharing @sharing; a control change before every round of
 * ticks when @force_general. Every 37th period is missed (a late tick: general in both runs).
 */
static void run(struct run *r, unsigned int ncpus, unsigned int dsize, bool reclaim,
		enum membw_sharing sharing, bool writes, bool force_general)
{
	unsigned int cpu, p, ch, d, part;

	start(r, ncpus, ncpus / dsize);
	for (d = 0; d < ncpus / dsize; d++)
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, d,
							      zero_budget && d == 0 ? 0
										: dsize * RATE_1000,
							      writes ? dsize * RATE_1000 / 2
								     : MEMBW_UNLIMITED),
				      0);
	for (cpu = 0; cpu < ncpus; cpu++)
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, cpu, cpu / dsize), 0);
	CU_ASSERT_EQUAL_FATAL(membw_set_reclaim(f.m, reclaim), 0);
	CU_ASSERT_EQUAL_FATAL(membw_set_sharing(f.m, sharing), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	/*
	 * The CPUs came online one after the other, so the first of each domain started alone and
	 * finds company at its first tick without a control change: the steady run takes the steady
	 * step there, the other the general step, and both must start the shared period from the
	 * same prediction (period.h, close_channel()).
	 */
	for (p = 0; p < PERIODS; p++) {
		/* Each CPU's use in three parts, overflows delivered after each. */
		for (part = 0; part < 3; part++) {
			for (cpu = 0; cpu < ncpus; cpu++) {
				for (ch = 0; ch < (writes ? 2u : 1u); ch++)
					tb_count(f.m, cpu, ch, use_of(cpu, p, ch) / 3);
				CU_ASSERT_EQUAL(fx_deliver(&f, cpu), 0);
			}
			CU_ASSERT_EQUAL(fx_deliver_kicks(&f), 0);
			/* Every 7th period one CPU goes offline and back online early in the
			 * period: what it left in the shared counts (its throttle weight with
			 * sharing on) must be the same. */
			if (part == 0 && p % 7 == 3) {
				cpu = p % ncpus;
				CU_ASSERT_EQUAL(membw_cpu_offline(f.m, cpu, f.now), 0);
				CU_ASSERT_EQUAL(membw_cpu_online(f.m, cpu, f.now,
								 &f.cpu[cpu].next_tick),
						0);
			}
		}
		if (force_general)
			CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 0, 0), 0);
		if (p % 37 == 36)
			f.now += f.cfg.period_ns;
		CU_ASSERT_EQUAL(fx_next_period(&f), 0);
		for (cpu = 0; cpu < ncpus; cpu++)
			r->cpu[p][cpu] = fx_stats(&f, cpu);
		for (d = 0; d < ncpus / dsize; d++) {
			r->dom[p][d].size = sizeof(r->dom[p][d]);
			CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, d, &r->dom[p][d]), 0);
		}
	}
	fx_stop(&f);
}

/* Both runs of one configuration, compared period by period. */
static void compare(unsigned int ncpus, unsigned int dsize, bool reclaim,
		    enum membw_sharing sharing, bool writes)
{
	unsigned int p, cpu, i, released = 0;

	run(&runs[0], ncpus, dsize, reclaim, sharing, writes, false);
	run(&runs[1], ncpus, dsize, reclaim, sharing, writes, !second_traced);
	for (p = 0; p < PERIODS; p++) {
		for (i = 0; i < ncpus + ncpus / dsize; i++) {
			bool cpus = i < ncpus;
			const void *a = cpus ? (const void *)&runs[0].cpu[p][i]
					     : (const void *)&runs[0].dom[p][i - ncpus];
			const void *b = cpus ? (const void *)&runs[1].cpu[p][i]
					     : (const void *)&runs[1].dom[p][i - ncpus];

			if (!CHECK(!memcmp(a, b, cpus ? sizeof(runs[0].cpu[p][0])
						      : sizeof(runs[0].dom[p][0])),
				   "%u CPUs, domains of %u, reclaim %d, sharing %d, writes %d: %s %u's "
				   "statistics after period %u are the general step's",
				   ncpus, dsize, reclaim, (int)sharing, writes, cpus ? "CPU" : "domain",
				   cpus ? i : i - ncpus, p))
				return;
		}
	}
	CHECK(!runs[0].overflowed && !runs[1].overflowed, "the callback log was long enough");
	CHECK_EQ(runs[0].ncalls, runs[1].ncalls, "%u CPUs, domains of %u, reclaim %d, sharing %d, "
		 "writes %d: throttle and unthrottle calls", ncpus, dsize, reclaim, (int)sharing,
		 writes);
	for (i = 0; i < runs[0].ncalls && i < runs[1].ncalls; i++)
		if (!CHECK_EQ(runs[0].call[i], runs[1].call[i],
			      "%u CPUs, domains of %u, reclaim %d, sharing %d, writes %d: callback %u "
			      "((CPU << 1) | throttle)", ncpus, dsize, reclaim, (int)sharing, writes,
			      i))
			return;
	/* The scenario must exercise what it is about: CPUs throttled, then released by ticks. */
	for (i = 0; i < runs[0].ncalls; i++)
		released += !(runs[0].call[i] & 1);
	CHECK(released >= PERIODS / 4, "%u CPUs, domains of %u: %u unthrottle calls, at least %u",
	      ncpus, dsize, released, PERIODS / 4);
	for (cpu = 0; cpu < ncpus; cpu++)
		CHECK(runs[0].cpu[PERIODS - 1][cpu].totals.throttled_ns > 0,
		      "%u CPUs, domains of %u: CPU %u was throttled for a time", ncpus, dsize, cpu);
}

static void test_alone_reclaim_off(void)
{
	compare(1, 1, false, MEMBW_SHARE_NONE, false);
	compare(4, 1, false, MEMBW_SHARE_NONE, true);
}

static void test_alone_reclaim_on(void)
{
	compare(1, 1, true, MEMBW_SHARE_NONE, false);
	compare(4, 1, true, MEMBW_SHARE_NONE, true);
}

static void test_shared_reclaim_off(void)
{
	compare(NCPUS, 4, false, MEMBW_SHARE_NONE, false);
	compare(NCPUS, 2, false, MEMBW_SHARE_NONE, true);
}

static void test_shared_reclaim_on(void)
{
	compare(NCPUS, 4, true, MEMBW_SHARE_NONE, false);
	compare(NCPUS, 2, true, MEMBW_SHARE_NONE, true);
}

/* A backend with the read channel only: the steps' copies for one channel. */
static void test_one_channel(void)
{
	one_channel = true;
	compare(1, 1, false, MEMBW_SHARE_NONE, false);
	compare(4, 1, true, MEMBW_SHARE_NONE, false);
	compare(NCPUS, 4, false, MEMBW_SHARE_NONE, false);
	compare(NCPUS, 2, true, MEMBW_SHARE_SPARE, false);
	/* The releasing step throttles again at once, and must not release (period.h). */
	zero_budget = true;
	compare(4, 1, false, MEMBW_SHARE_NONE, false);
	compare(NCPUS, 4, true, MEMBW_SHARE_NONE, false);
	zero_budget = false;
	one_channel = false;
}

/*
 * Reclaim on, one channel, and a CPU in no domain next to a regulated one: its channel is not
 * limited, so its ticks take the steady step with reclaim off (membership.c, steady_keys()): the
 * one-channel step with reclaim on takes its channel as limited and would grant it a share from a
 * domain it does not have. Over 50 periods of 3000 lines each it is counted in full, never given
 * a budget or throttled, and its statistics are the general step's.
 */
static void test_unregulated_reclaim_on(void)
{
	struct membw_cpu_stats st[2];
	int general;
	unsigned int p;

	one_channel = true;
	for (general = 0; general < 2; general++) {
		start(&runs[general], 2, 1);
		CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, RATE_1000, MEMBW_UNLIMITED), 0);
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 0, 0), 0);
		CU_ASSERT_EQUAL_FATAL(membw_set_reclaim(f.m, true), 0);
		CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
		for (p = 0; p < 50; p++) {
			CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 500), 0);
			CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 3000), 0);
			if (general)
				CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 0, 0), 0);
			CU_ASSERT_EQUAL(fx_next_period(&f), 0);
		}
		st[general] = fx_stats(&f, 1);
		fx_stop(&f);
	}
	one_channel = false;
	CHECK_EQ(st[0].totals.ch[MEMBW_CH_READ].used, 50 * 3000, "CPU 1 counted every line");
	CHECK_EQ(st[0].totals.ch[MEMBW_CH_READ].budget, 0, "CPU 1 was given no budget");
	CHECK_EQ(st[0].totals.ch[MEMBW_CH_READ].allowance, 0, "CPU 1 had no allowance");
	CHECK_EQ(st[0].totals.ch[MEMBW_CH_READ].overshoot, 0, "CPU 1 overshot no allowance");
	CHECK_EQ(st[0].totals.throttle_count, 0, "CPU 1 was never throttled");
	CHECK(!memcmp(&st[0], &st[1], sizeof(st[0])), "CPU 1's statistics are the general step's");
}

/* Sharing modes: throttle weights to zero, CPUs released mid-period (general in both runs). */
static void test_sharing(void)
{
	compare(NCPUS, 4, false, MEMBW_SHARE_SPARE, false);
	compare(NCPUS, 4, true, MEMBW_SHARE_SPARE, true);
	compare(NCPUS, 1, false, MEMBW_SHARE_PROPORTIONAL, true);
	compare(NCPUS, 4, true, MEMBW_SHARE_PROPORTIONAL, false);
}

/* Untraced against traced: the plain throttle against the general one (and the steady steps
 * against the general step once more), reclaim off and on, one channel and two. */
static void test_traced(void)
{
	second_traced = true;
	compare(1, 1, false, MEMBW_SHARE_NONE, false);
	compare(4, 1, true, MEMBW_SHARE_NONE, true);
	compare(NCPUS, 4, false, MEMBW_SHARE_NONE, true);
	compare(NCPUS, 2, true, MEMBW_SHARE_NONE, false);
	one_channel = true;
	compare(4, 1, false, MEMBW_SHARE_NONE, false);
	zero_budget = true;
	compare(NCPUS, 4, false, MEMBW_SHARE_NONE, false);
	zero_budget = false;
	one_channel = false;
	second_traced = false;
}

/*
 * Company that arrives without a control change (a CPU of the domain coming online) after a
 * period in which the CPU, then alone with reclaim off, read little: with @throttled it was
 * throttled by its write channel (the next tick takes the releasing step), else it ran on (the
 * running step). A steady step keeps such a CPU's latest use as its prediction, and the general
 * step learns it from none, so either way the first shared period starts from it (read budget
 * taken: the predicted need, not a whole chunk). Returns CPU 0's read budget statistic after that
 * period; *@unthrottled its unthrottle count.
 */
static uint64_t company_after(bool throttled, bool force_general, uint64_t *unthrottled)
{
	struct run *r = &runs[force_general];
	uint64_t budget;
	unsigned int i;

	start(r, 2, 1);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, 2 * RATE_1000, RATE_1000), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 1, 0), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_online(f.m, 0, f.now, &f.cpu[0].next_tick), 0);
	fx_count(&f, 0, MEMBW_CH_READ, 100);
	fx_count(&f, 0, MEMBW_CH_WRITE, throttled ? 1000 : 10);
	CHECK_EQ(fx_stats(&f, 0).state & MEMBW_CPU_THROTTLED, throttled ? MEMBW_CPU_THROTTLED : 0,
		 "CPU 0 is throttled by its write channel (or not)");
	CU_ASSERT_EQUAL_FATAL(membw_cpu_online(f.m, 1, f.now, &f.cpu[1].next_tick), 0);
	if (force_general)
		CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	budget = fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].budget;
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	budget = fx_stats(&f, 0).totals.ch[MEMBW_CH_READ].budget - budget;
	*unthrottled = 0;
	for (i = 0; i < r->ncalls; i++)
		*unthrottled += r->call[i] == 0;
	fx_stop(&f);
	return budget;
}

static void check_company_after(bool throttled)
{
	uint64_t general_unthrottled, steady_unthrottled;
	uint64_t general = company_after(throttled, true, &general_unthrottled);
	uint64_t steady = company_after(throttled, false, &steady_unthrottled);

	/*
	 * A chunk is 2000 / (2 CPUs * divisor 4) = 250 lines; the prediction of 100 lines keeps it
	 * below: 100 + max(100 / 8, min_chunk 16) = 116 (reclaim.h, predicted_need()).
	 */
	CHECK_EQ(general, 116, "the general step starts CPU 0 from its prediction (lines)");
	CHECK_EQ(steady, general, "read budget CPU 0 takes in its first period with company");
	CHECK_EQ(general_unthrottled, throttled ? 1 : 0, "CPU 0's unthrottles (general step)");
	CHECK_EQ(steady_unthrottled, throttled ? 1 : 0, "CPU 0's unthrottles (steady step possible)");
}

static void test_company_after_throttle(void)
{
	check_company_after(true);
}

static void test_company_after_running(void)
{
	check_company_after(false);
}

int suite_steady(void)
{
	CU_pSuite s = CU_add_suite("steady steps", NULL, NULL);

	if (!s || !CU_add_test(s, "alone, reclaim off", test_alone_reclaim_off) ||
	    !CU_add_test(s, "alone, reclaim on", test_alone_reclaim_on) ||
	    !CU_add_test(s, "domains of several, reclaim off", test_shared_reclaim_off) ||
	    !CU_add_test(s, "domains of several, reclaim on", test_shared_reclaim_on) ||
	    !CU_add_test(s, "sharing modes", test_sharing) ||
	    !CU_add_test(s, "one channel", test_one_channel) ||
	    !CU_add_test(s, "traced: the general throttle", test_traced) ||
	    !CU_add_test(s, "reclaim on, a CPU in no domain", test_unregulated_reclaim_on) ||
	    !CU_add_test(s, "company after a throttled period", test_company_after_throttle) ||
	    !CU_add_test(s, "company after a running period", test_company_after_running))
		return -1;
	return 0;
}
