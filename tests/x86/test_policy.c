/* SPDX-License-Identifier: MIT */
/*
 * The whole policy (lib/) on the x86 backend on the model: one CPU, one domain, a read budget of
 * 64 MB/s at 1 ms periods with 64-byte lines = 1000 lines per period. Arm, 1000 events, PMI,
 * ack, throttle; the next tick releases the CPU and presets the counter for 1000 again.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>

#include "helpers.h"

#define RATE_1000 64000000ull
#define PERIOD_NS 1000000ull

static unsigned int throttles, unthrottles;
static struct membw *m;

static void on_throttle(void *c, unsigned int cpu)
{
	(void)c;
	(void)cpu;
	throttles++;
}

static void on_unthrottle(void *c, unsigned int cpu)
{
	(void)c;
	(void)cpu;
	unthrottles++;
}

/* The runtime's PMI handler: ack first, then the policy. */
static void pmi(void *arg)
{
	(void)arg;
	t_acked |= x86_overflow_ack(membw_cpu_get_priv(m, 0));
	membw_overflow(m, 0, 500000);
}

static void test_one_period(void)
{
	static const struct membw_env env = { .size = sizeof(env), .throttle = on_throttle,
					      .unthrottle = on_unthrottle };
	struct membw_config cfg;
	struct membw_cpu_stats st = { .size = sizeof(st) };
	size_t size;
	void *storage;
	uint64_t next = 0;

	t_reset(0, 2);
	fx.on_pmi = pmi;
	throttles = unthrottles = 0;
	membw_config_init(&cfg);
	cfg.ndomains = 1;
	cfg.period_ns = PERIOD_NS;
	size = membw_storage_size(1, 1, membw_x86_backend.priv_size);
	storage = aligned_alloc(MEMBW_STORAGE_ALIGN, MEMBW_ALIGN_UP(size));
	CHECK_FATAL(storage != NULL, "storage");
	CHECK_FATAL(membw_init(&m, storage, MEMBW_ALIGN_UP(size), &cfg, &membw_x86_backend, &ctx, &env) == 0,
		     "membw_init on the x86 backend");
	CHECK_FATAL(membw_domain_set_budget(m, 0, RATE_1000, MEMBW_UNLIMITED) == 0, "budget");
	CHECK_FATAL(membw_cpu_set_domain(m, 0, 0) == 0, "domain");
	CHECK_FATAL(membw_cpu_online(m, 0, 0, &next) == 0, "CPU 0 online");
	CHECK(fx.pmc[0] == (1ull << 48) - 1000, "the read counter is preset for 1000 lines");
	CHECK(fx.evtsel[0] == 0x53412Eu, "and counts LLC misses at USR and OS: 0x53412E");
	fx_events(EV_LLC_MISS, 3, 999);
	CHECK(fx.pmis == 0 && throttles == 0, "999 lines: nothing");
	fx_events(EV_LLC_MISS, 3, 1);
	CHECK(fx.pmis == 1 && t_acked == BIT(MEMBW_CH_READ), "line 1000: PMI, acked");
	CHECK(throttles == 1, "throttled");
	CHECK(fx.lvt == 0xEE, "the LVT entry is unmasked for the next PMI");
	CHECK(membw_tick(m, 0, PERIOD_NS, &next) == 0 && unthrottles == 1, "the tick releases the CPU");
	CHECK(fx.pmc[0] == (1ull << 48) - 1000, "preset for 1000 again");
	CHECK(membw_cpu_get_stats(m, 0, &st) == 0 && st.totals.ch[MEMBW_CH_READ].used == 1000,
	       "1000 lines used in the period");
	CHECK(st.totals.ch[MEMBW_CH_READ].overshoot == 0, "no overshoot");
	CHECK(membw_cpu_offline(m, 0, PERIOD_NS + 1000) == 0, "offline");
	CHECK(fx.evtsel[0] == 0 && fx.evtsel[1] == 0, "offline: cpu_exit left both counters at 0");
	CHECK((fx.global_ctrl & (BIT(0) | BIT(1))) == 0, "and their GLOBAL_CTRL bits clear");
	CHECK(fx.gp == 0, "no #GP");
	free(storage);
}

int x86_policy_suite(void);
int x86_policy_suite(void)
{
	CU_pSuite s = CU_add_suite("x86 under the policy", NULL, NULL);

	if (!s || !CU_add_test(s, "one period: arm, PMI, throttle, tick", test_one_period))
		return CU_get_error();
	return 0;
}
