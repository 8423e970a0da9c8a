/* SPDX-License-Identifier: MIT */
/*
 * Changes, getters, statistics and entry points validate every input, and an error leaves
 * everything as it was. Changes made while a CPU is mid-period reach it at its next period.
 *
 * Budgets at 1 ms with 64-byte lines: lines = floor(bps * 1e-3 / 64), so
 * 64 MB/s = 1000 lines, 128 MB/s = 2000 lines.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "fixture.h"

#define RATE_1000 64000000ull  /* 1000 lines per period */
#define RATE_2000 128000000ull /* 2000 lines per period */

static struct fx f;

/* 2 CPUs, 2 domains: CPU i in domain i, domain 0 at 1000 / 2000 lines, domain 1 at 2000 / no
 * limit; all online. */
static void start(void)
{
	fx_config(&f, 2, 2);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 0, RATE_1000, RATE_2000), 0);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f.m, 1, RATE_2000, MEMBW_UNLIMITED), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f.m, 1, 1), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
}

/* Both domains still have the budgets start() gave them, as read back and as enforced. */
static void budgets_unchanged(void)
{
	uint64_t r = 0, w = 0;

	CU_ASSERT_EQUAL(membw_domain_get_budget(f.m, 0, &r, &w), 0);
	CU_ASSERT_EQUAL(r, RATE_1000);
	CU_ASSERT_EQUAL(w, RATE_2000);
	CU_ASSERT_EQUAL(membw_domain_get_budget(f.m, 1, &r, &w), 0);
	CU_ASSERT_EQUAL(r, RATE_2000);
	CU_ASSERT_EQUAL(w, MEMBW_UNLIMITED);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_WRITE], 2000);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 2000);
}

static void test_set_budget_domain_out_of_range(void)
{
	start();
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 2, RATE_1000, RATE_1000), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, MEMBW_NO_DOMAIN, RATE_1000, RATE_1000),
			-MEMBW_EINVAL);
	budgets_unchanged();
	fx_stop(&f);
}

static void test_set_budget_rate_below_one_line(void)
{
	start();
	/* 63999 B/s * 1e-3 s = 63.999 B < 64 B: 0 lines, but not 0 */
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 63999, RATE_1000), -MEMBW_ERANGE);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, 63999), -MEMBW_ERANGE);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 1, 1), -MEMBW_ERANGE);
	budgets_unchanged();
	fx_stop(&f);
}

static void test_one_line_and_zero_are_fine(void)
{
	uint64_t r = 1, w = 1;

	start();
	/* 64000 B/s * 1e-3 s = 64 B = 1 line; 0 blocks everything and is allowed */
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 64000, 0), 0);
	CU_ASSERT_EQUAL(membw_domain_get_budget(f.m, 0, &r, &w), 0);
	CU_ASSERT_EQUAL(r, 64000);
	CU_ASSERT_EQUAL(w, 0);
	fx_stop(&f);
}

/* MEMBW_MAX_EVENTS_PER_PERIOD = 4294967294 lines. 4294967295 lines need
 * 4294967295 * 64 B / 1e-3 s = 274877906880000 B/s; one byte/s less gives
 * floor(274877906879.999 B / 64) = floor(4294967294.98) = 4294967294 lines. */
static void test_set_budget_rate_above_max(void)
{
	struct membw_domain_stats d;

	start();
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 274877906880000ull, RATE_1000),
			-MEMBW_ERANGE);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_1000, 274877906880000ull),
			-MEMBW_ERANGE);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, MEMBW_UNLIMITED - 1, RATE_1000),
			-MEMBW_ERANGE);
	budgets_unchanged();
	/* the largest that fits */
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 1, 274877906879999ull, MEMBW_UNLIMITED), 0);
	d = fx_domain_stats(&f, 1);
	CU_ASSERT_EQUAL(d.budget_events[MEMBW_CH_READ], 4294967294ull);
	CU_ASSERT_EQUAL(d.budget_bps[MEMBW_CH_READ], 274877906879999ull);
	fx_stop(&f);
}

static void test_set_budget_null_instance(void)
{
	uint64_t r, w;

	start();
	CU_ASSERT_EQUAL(membw_domain_set_budget(NULL, 0, RATE_2000, RATE_2000), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_get_budget(NULL, 0, &r, &w), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_get_budget(f.m, 0, NULL, &w), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_get_budget(f.m, 0, &r, NULL), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_get_budget(f.m, 2, &r, &w), -MEMBW_EINVAL);
	budgets_unchanged();
	fx_stop(&f);
}

static void test_cpu_assign_invalid(void)
{
	struct membw_cpu_stats s;

	start();
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 2, 0), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, ~0u, 0), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, 2), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, MEMBW_NO_DOMAIN - 1), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_set_domain(NULL, 0, 1), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	s = fx_stats(&f, 0);
	CU_ASSERT_EQUAL(s.domain, 0);
	CU_ASSERT_TRUE(s.state & MEMBW_CPU_REGULATED);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 1000);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).domain, 1);
	fx_stop(&f);
}

static void test_cpu_assign_no_domain_is_valid(void)
{
	start();
	CU_ASSERT_EQUAL(membw_cpu_set_domain(f.m, 0, MEMBW_NO_DOMAIN), 0);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).domain, MEMBW_NO_DOMAIN);
	CU_ASSERT_FALSE(fx_stats(&f, 0).state & MEMBW_CPU_REGULATED);
	fx_stop(&f);
}

static void test_modes_invalid(void)
{
	struct membw_config before = { .size = sizeof(before) };
	struct membw_config after = { .size = sizeof(after) };

	fx_config(&f, 2, 2);
	f.cfg.sharing = MEMBW_SHARE_SPARE;
	f.cfg.reclaim = 1;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_get_config(f.m, &before), 0);
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, 4), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, 3), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_set_sharing(f.m, ~0u), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_set_sharing(NULL, MEMBW_SHARE_NONE), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_set_reclaim(NULL, 0), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_get_config(f.m, &after), 0);
	CU_ASSERT_EQUAL(after.sharing, MEMBW_SHARE_SPARE);
	CU_ASSERT_EQUAL(after.reclaim, 1);
	CU_ASSERT_EQUAL(memcmp(&before, &after, sizeof(before)), 0);
	fx_stop(&f);
}

static void test_get_config_invalid(void)
{
	struct membw_config cfg;

	start();
	memset(&cfg, 0xA5, sizeof(cfg));
	cfg.size = sizeof(cfg) - 1;
	CU_ASSERT_EQUAL(membw_get_config(f.m, &cfg), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(cfg.ncpus, 0xA5A5A5A5u);
	CU_ASSERT_EQUAL(membw_get_config(f.m, NULL), -MEMBW_EINVAL);
	cfg.size = sizeof(cfg);
	CU_ASSERT_EQUAL(membw_get_config(NULL, &cfg), -MEMBW_EINVAL);
	fx_stop(&f);
}

/* Fill @p with the pattern 0xA5, then set its leading size field. */
static void poison(void *p, size_t n, uint32_t size)
{
	memset(p, 0xA5, n);
	memcpy(p, &size, sizeof(size));
}

static bool poisoned(const void *p, size_t from, size_t n)
{
	const unsigned char *b = p;

	for (; from < n; from++)
		if (b[from] != 0xA5)
			return false;
	return true;
}

static void test_cpu_stats_invalid(void)
{
	struct membw_cpu_stats s;

	start();
	poison(&s, sizeof(s), sizeof(s));
	CU_ASSERT_EQUAL(membw_cpu_get_stats(NULL, 0, &s), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_get_stats(f.m, 2, &s), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_get_stats(f.m, ~0u, &s), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_get_stats(f.m, 0, NULL), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(s.size, sizeof(s));
	CU_ASSERT_TRUE(poisoned(&s, sizeof(s.size), sizeof(s)));
	poison(&s, sizeof(s), sizeof(s) - 1);
	CU_ASSERT_EQUAL(membw_cpu_get_stats(f.m, 0, &s), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(s.size, sizeof(s) - 1);
	CU_ASSERT_TRUE(poisoned(&s, sizeof(s.size), sizeof(s)));
	poison(&s, sizeof(s), 0);
	CU_ASSERT_EQUAL(membw_cpu_get_stats(f.m, 0, &s), -MEMBW_EINVAL);
	CU_ASSERT_TRUE(poisoned(&s, sizeof(s.size), sizeof(s)));
	fx_stop(&f);
}

static void test_domain_stats_invalid(void)
{
	struct membw_domain_stats d;

	start();
	poison(&d, sizeof(d), sizeof(d));
	CU_ASSERT_EQUAL(membw_domain_get_stats(NULL, 0, &d), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, 2, &d), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, MEMBW_NO_DOMAIN, &d), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, 0, NULL), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(d.size, sizeof(d));
	CU_ASSERT_TRUE(poisoned(&d, sizeof(d.size), sizeof(d)));
	poison(&d, sizeof(d), sizeof(d) - 1);
	CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, 0, &d), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(d.size, sizeof(d) - 1);
	CU_ASSERT_TRUE(poisoned(&d, sizeof(d.size), sizeof(d)));
	poison(&d, sizeof(d), 0);
	CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, 0, &d), -MEMBW_EINVAL);
	CU_ASSERT_TRUE(poisoned(&d, sizeof(d.size), sizeof(d)));
	fx_stop(&f);
}

static void test_stats_from_newer_header(void)
{
	struct {
		struct membw_cpu_stats s;
		unsigned char tail[64];
	} c;
	struct {
		struct membw_domain_stats s;
		unsigned char tail[64];
	} d;

	start();
	fx_count(&f, 0, MEMBW_CH_READ, 300);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	poison(&c, sizeof(c), sizeof(c));
	CU_ASSERT_EQUAL(membw_cpu_get_stats(f.m, 0, &c.s), 0);
	/* the known part is filled ... */
	CU_ASSERT_EQUAL(c.s.domain, 0);
	CU_ASSERT_EQUAL(c.s.reserved, 0);
	CU_ASSERT_EQUAL(c.s.state, MEMBW_CPU_ONLINE | MEMBW_CPU_REGULATED);
	CU_ASSERT_EQUAL(c.s.epoch, 1001);
	CU_ASSERT_EQUAL(c.s.totals.periods, 1);
	CU_ASSERT_EQUAL(c.s.totals.ch[MEMBW_CH_READ].used, 300);
	/* ... and nothing past it */
	CU_ASSERT_TRUE(poisoned(&c, sizeof(c.s), sizeof(c)));
	poison(&d, sizeof(d), sizeof(d));
	CU_ASSERT_EQUAL(membw_domain_get_stats(f.m, 0, &d.s), 0);
	CU_ASSERT_EQUAL(d.s.ncpus, 1);
	CU_ASSERT_EQUAL(d.s.nonline, 1);
	CU_ASSERT_EQUAL(d.s.reserved, 0);
	CU_ASSERT_EQUAL(d.s.budget_events[MEMBW_CH_READ], 1000);
	CU_ASSERT_EQUAL(d.s.budget_events[MEMBW_CH_WRITE], 2000);
	CU_ASSERT_EQUAL(d.s.totals.ch[MEMBW_CH_READ].used, 300);
	CU_ASSERT_TRUE(poisoned(&d, sizeof(d.s), sizeof(d)));
	fx_stop(&f);
}

static void test_entry_points_invalid(void)
{
	uint64_t next = 7;

	start();
	CU_ASSERT_EQUAL(membw_tick(NULL, 0, f.now, &next), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_tick(f.m, 2, f.now, &next), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_overflow(NULL, 0, f.now), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_overflow(f.m, 2, f.now), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_kick(NULL, 0, f.now, &next), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_kick(f.m, 2, f.now, &next), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_online(NULL, 0, f.now, &next), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_online(f.m, 2, f.now, &next), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_offline(NULL, 0, f.now), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_cpu_offline(f.m, 2, f.now), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_tick(f.m, ~0u, f.now, &next), -MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_overflow(f.m, ~0u, f.now), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NULL(membw_cpu_get_priv(f.m, 2));
	CU_ASSERT_PTR_NULL(membw_cpu_get_priv(NULL, 0));
	/* the next tick is not reported on error */
	CU_ASSERT_EQUAL(next, 7);
	/* the valid CPUs saw none of it */
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 1).totals.spurious_overflows, 0);
	CU_ASSERT_EQUAL(fx_stats(&f, 0).totals.early_ticks, 0);
	fx_stop(&f);
}

static void test_budget_change_mid_period(void)
{
	uint64_t n = 0;
	unsigned int i;

	/* two CPUs sharing domain 0, 1000 lines: chunks 1000 / (2 * 4) = 125, each CPU starting a
	 * period with its predicted need (16 after the idle first period: policy.h) */
	fx_config(&f, 2, 1);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	fx_one_domain(&f, RATE_1000);
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 16);
	/* CPU 0 is 300 into its period when "another CPU" doubles the budget */
	for (i = 0; i < 12; i++)
		CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 25), 0);
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, RATE_2000, MEMBW_UNLIMITED), 0);
	/* the running period keeps the pool of 1000: CPU 0 stops at 1000 - 16 (CPU 1) = 984 */
	while (!f.cpu[0].held && n < 10000) {
		CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 4), 0);
		n += 4;
	}
	CU_ASSERT_EQUAL(300 + n, 984);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_THROTTLE, 0, MEMBW_CH_READ)->used, 984);
	/* CPU 1's pool is empty too */
	CU_ASSERT_EQUAL(fx_count(&f, 1, MEMBW_CH_READ, 16), 0);
	CU_ASSERT_TRUE(f.cpu[1].held);
	/* the next period: 2000 lines, chunks 2000 / 8 = 250. CPU 0 used 984: p = 984 / 4 = 246,
	 * need 246 + 30 = 276 > 250, so it starts with a chunk; CPU 1 used 16: p = 16 / 4 = 4,
	 * need 4 + 16 = 20. CPU 0 then gets 2000 - 20 = 1980 */
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 0)->armed[MEMBW_CH_READ], 250);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->armed[MEMBW_CH_READ], 20);
	n = 0;
	while (!f.cpu[0].held && n < 10000) {
		CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 4), 0);
		n += 4;
	}
	CU_ASSERT_EQUAL(n, 1980);
	fx_stop(&f);
}

static void test_budget_change_mid_period_domain_of_one(void)
{
	start();
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 400), 0);
	/* to zero mid-period: the running period keeps its 1000 */
	CU_ASSERT_EQUAL(membw_domain_set_budget(f.m, 0, 0, RATE_2000), 0);
	CU_ASSERT_EQUAL(tb_until_overflow(f.m, 0, MEMBW_CH_READ), 600);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 599), 0);
	CU_ASSERT_FALSE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_count(&f, 0, MEMBW_CH_READ, 1), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	/* the next period has none */
	CU_ASSERT_EQUAL(fx_next_period(&f), 0);
	CU_ASSERT_TRUE(f.cpu[0].held);
	CU_ASSERT_EQUAL(fx_must_last(&f, MEMBW_TRACE_PERIOD_END, 0, MEMBW_CH_READ)->allowance, 1000);
	fx_stop(&f);
}

int suite_control(void)
{
	CU_pSuite s = CU_add_suite("control", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "set_budget: domain out of range",
			 test_set_budget_domain_out_of_range) ||
	    !CU_add_test(s, "set_budget: rate below one line",
			 test_set_budget_rate_below_one_line) ||
	    !CU_add_test(s, "set_budget: one line and zero are fine",
			 test_one_line_and_zero_are_fine) ||
	    !CU_add_test(s, "set_budget: rate above the maximum", test_set_budget_rate_above_max) ||
	    !CU_add_test(s, "set/get_budget: NULL pointers", test_set_budget_null_instance) ||
	    !CU_add_test(s, "cpu_assign: invalid arguments", test_cpu_assign_invalid) ||
	    !CU_add_test(s, "cpu_assign: no domain is valid", test_cpu_assign_no_domain_is_valid) ||
	    !CU_add_test(s, "set_sharing / set_reclaim: invalid modes", test_modes_invalid) ||
	    !CU_add_test(s, "get_config: invalid arguments", test_get_config_invalid) ||
	    !CU_add_test(s, "cpu_stats: invalid arguments", test_cpu_stats_invalid) ||
	    !CU_add_test(s, "domain_stats: invalid arguments", test_domain_stats_invalid) ||
	    !CU_add_test(s, "stats for a newer header", test_stats_from_newer_header) ||
	    !CU_add_test(s, "entry points: invalid CPU or instance", test_entry_points_invalid) ||
	    !CU_add_test(s, "budget change mid-period (shared domain)",
			 test_budget_change_mid_period) ||
	    !CU_add_test(s, "budget change mid-period (domain of one)",
			 test_budget_change_mid_period_domain_of_one))
		return -1;
	return 0;
}
