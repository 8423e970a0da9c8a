/* SPDX-License-Identifier: MIT */
/*
 * The measured facts of libmembw-conformance.a, for what real hardware adds to the counting model
 * of include/membw/backend.h: how late the overflow interrupt comes (the skid), whether a
 * counter counts a workload that is not exact (instructions, cycles, cache refills), whether a
 * stopped counter holds its value under such a workload, and what a read and an arm cost.
 * Written in check.h's CHECK/SKIP like the exact facts (tests/conformance/conformance.c), which
 * every backend passes on exact substrates; these add what a workload can show. Timing is
 * reported (record_note, the report's fields), never checked.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "check.h"
#include "internal.h"

struct membw_conformance_report *measure_report;

/* A fresh CPU (probe, cpu_init) for one measured fact. */
struct cpu {
	const struct membw_conformance_driver *d;
	const struct membw_backend *b;
	struct membw_backend_info info;
	uint64_t mask;
	void *priv;
};

static bool fresh_cpu(struct cpu *c)
{
	c->d = conformance_driver();
	c->b = c->d->backend;
	c->priv = conformance_fresh(&c->info, &c->mask);
	return c->priv != NULL;
}

/* Events armed where no overflow is expected during a fact: far away, within the policy's
 * half range. */
static uint64_t far(const struct cpu *c)
{
	uint64_t half = c->mask >> 1;

	return half > ((uint64_t)1 << 40) ? (uint64_t)1 << 40 : half;
}

/* Make events: exactly @n with the driver's count, else about @n with count_about. *@sure is
 * how many are sure to have happened. False (the fact skipped) if the driver can do neither. */
static bool make(const struct cpu *c, uint64_t n, uint64_t *sure)
{
	const struct membw_conformance_driver *d = c->d;

	if (d->count && d->count(d->ctx, 0, c->priv, MEMBW_CH_READ, n) == 0) {
		*sure = n;
		return true;
	}
	if (d->count_about && d->count_about(d->ctx, 0, c->priv, MEMBW_CH_READ, n, sure) == 0)
		return true;
	SKIP("the driver can make no events of this kind happen (no count or workload for it)");
	return false;
}

static uint64_t rd(const struct cpu *c)
{
	uint64_t v = 0;

	CHECK_EQ(c->b->read(c->priv, MEMBW_CH_READ, &v), 0, "read succeeds");
	return v;
}

static uint64_t ovf(const struct cpu *c)
{
	return c->d->overflows(c->d->ctx, 0, c->priv, MEMBW_CH_READ);
}

/* Most rounds of extra events while waiting for a late interrupt. */
#define SKID_ROUNDS 40

static void measure_overflow_skid(void)
{
	struct cpu c;
	uint64_t n, sure, since, raw, step = 1, total = 0;
	unsigned int round;
	bool seen, exact;

	if (!fresh_cpu(&c))
		return;
	n = c.d->skid_events ? c.d->skid_events : 1000;
	if (n > far(&c))
		n = far(&c);
	if (!CHECK_EQ(c.b->arm(c.priv, MEMBW_CH_READ, n), 0, "arm(%llu) succeeds",
		      (unsigned long long)n))
		return;
	/* Exact drivers make the n events; a workload makes 2n, so that an interrupt that comes
	 * late has events to come late by (with n, the workload's end would hide it). */
	if (!make(&c, c.d->count ? n : 2 * n, &sure))
		return;
	total = sure;
	/* Until the interrupt is seen, more events: exact drivers 1, 1, 2, 4, ... at a time, so
	 * the skid is bounded tightly; workloads another n each time. */
	for (round = 0; !(seen = ovf(&c) != 0) && round < SKID_ROUNDS; round++) {
		if (!make(&c, c.d->count ? step : n, &sure))
			return;
		total += sure;
		if (c.d->count && round)
			step *= 2;
	}
	since = (rd(&c) + n) & c.mask;
	if (!CHECK(seen, "an overflow interrupt comes after arm(%llu): none after %llu events",
		   (unsigned long long)n, (unsigned long long)since))
		return;
	if (c.d->overflow_raw && c.d->overflow_raw(c.d->ctx, 0, c.priv, MEMBW_CH_READ, &raw) == 0) {
		since = (raw + n) & c.mask;
		exact = true;
		if (!CHECK(since >= n, "the overflow interrupt comes no earlier than the %llu-th "
			   "event: it came %llu events early", (unsigned long long)n,
			   (unsigned long long)(n - since)))
			return;
	} else {
		/* The interrupt came while the last events were made: at most this late. */
		exact = round == 0 && total == n && c.d->count;
	}
	if (since < n)
		since = n;
	measure_report->skid_measured = true;
	measure_report->skid_exact = exact;
	measure_report->skid_armed = n;
	measure_report->skid_events = since - n;
	if (since == n) {
		record_note("the overflow interrupt came with the %llu-th event after arm(%llu), on "
			    "time", (unsigned long long)n, (unsigned long long)n);
	} else if (CHECK(c.info.caps & MEMBW_CAP_LATE_OVERFLOW,
			 "the overflow interrupt arrived %s%llu event(s) late after arm(%llu), and the "
			 "backend does not report MEMBW_CAP_LATE_OVERFLOW",
			 exact ? "" : "up to ", (unsigned long long)(since - n),
			 (unsigned long long)n)) {
		record_note("overflow interrupt arrived %s%llu event(s) late after arm(%llu): budgets "
			    "on this part overshoot by that much (MEMBW_CAP_LATE_OVERFLOW is reported)",
			    exact ? "" : "up to ", (unsigned long long)(since - n),
			    (unsigned long long)n);
	}
	c.b->stop(c.priv, MEMBW_CH_READ);
}

static void measure_counts_workload(void)
{
	struct cpu c;
	uint64_t n, sure, r0, r1, counted;

	if (!fresh_cpu(&c))
		return;
	n = c.d->skid_events ? c.d->skid_events : 1000;
	if (!CHECK_EQ(c.b->arm(c.priv, MEMBW_CH_READ, far(&c)), 0, "arm(%llu) succeeds",
		      (unsigned long long)far(&c)))
		return;
	r0 = rd(&c);
	if (!make(&c, n, &sure))
		return;
	r1 = rd(&c);
	counted = (r1 - r0) & c.mask;
	CHECK(counted > 0, "the counter moves while a workload of about %llu events runs (it "
	      "read %llu before and after)", (unsigned long long)n, (unsigned long long)r0);
	CHECK(counted >= sure, "the counter counts at least the %llu events the workload is sure "
	      "to cause (it counted %llu)", (unsigned long long)sure, (unsigned long long)counted);
	CHECK_EQ(ovf(&c), 0, "no overflow interrupt %llu events before the arm point",
		 (unsigned long long)(far(&c) - counted));
	record_note("counted %llu events for a workload sure to cause %llu (asked for about %llu)",
		    (unsigned long long)counted, (unsigned long long)sure, (unsigned long long)n);
	c.b->stop(c.priv, MEMBW_CH_READ);
}

static void measure_stop_holds(void)
{
	struct cpu c;
	uint64_t n, sure, r1, r2;

	if (!fresh_cpu(&c))
		return;
	n = c.d->skid_events ? c.d->skid_events : 1000;
	c.b->arm(c.priv, MEMBW_CH_READ, far(&c));
	if (!make(&c, n, &sure))
		return;
	c.b->stop(c.priv, MEMBW_CH_READ);
	r1 = rd(&c);
	if (!make(&c, n, &sure))
		return;
	r2 = rd(&c);
	CHECK_EQ(r2, r1, "a stopped counter keeps its value while a workload of about %llu events "
		 "runs", (unsigned long long)n);
	CHECK_EQ(ovf(&c), 0, "a stopped counter raises no overflow interrupt");
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Calls timed for each mean. */
#define COST_CALLS 1000u

static void measure_cost(void)
{
	struct cpu c;
	uint64_t t0, t1, t2, v;
	unsigned int i, bad_arm = 0, bad_read = 0;

	if (!fresh_cpu(&c))
		return;
	t0 = now_ns();
	for (i = 0; i < COST_CALLS; i++)
		bad_arm += c.b->arm(c.priv, MEMBW_CH_READ, far(&c)) != 0;
	t1 = now_ns();
	for (i = 0; i < COST_CALLS; i++)
		bad_read += c.b->read(c.priv, MEMBW_CH_READ, &v) != 0;
	t2 = now_ns();
	c.b->stop(c.priv, MEMBW_CH_READ);
	CHECK_EQ(bad_arm, 0, "%u arm calls in a row succeed", COST_CALLS);
	CHECK_EQ(bad_read, 0, "%u read calls in a row succeed", COST_CALLS);
	measure_report->cost_measured = true;
	measure_report->cost_calls = COST_CALLS;
	measure_report->arm_ps = (t1 - t0) * 1000u / COST_CALLS;
	measure_report->read_ps = (t2 - t1) * 1000u / COST_CALLS;
	record_note("read %llu.%01llu ns, arm %llu.%01llu ns per call (mean of %u calls each; "
		    "measured, not checked)",
		    (unsigned long long)(measure_report->read_ps / 1000),
		    (unsigned long long)(measure_report->read_ps % 1000 / 100),
		    (unsigned long long)(measure_report->arm_ps / 1000),
		    (unsigned long long)(measure_report->arm_ps % 1000 / 100), COST_CALLS);
}

const struct conformance_test measure_tests[] = {
	{ "overflow interrupt arrives, skid measured", measure_overflow_skid },
	{ "counts a workload", measure_counts_workload },
	{ "stopped counter holds under a workload", measure_stop_holds },
	{ "read and arm cost", measure_cost },
};
const unsigned int measure_ntests = sizeof(measure_tests) / sizeof(measure_tests[0]);
