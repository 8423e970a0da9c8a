/* SPDX-License-Identifier: MIT */
/*
 * The whole policy (lib/) on the armv8 backend on the simulated register file: one CPU at EL1,
 * one domain, a read budget of 64 MB/s at 1 ms periods with 64-byte lines
 * = 64e6 B/s * 1e-3 s / 64 B = 1000 lines per period (policy.h: a domain of one CPU takes its
 * whole budget at once). One period: arm, 1000 events, overflow interrupt, ack, throttle; the
 * next tick releases the CPU and presets the counter for 1000 again.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>

#include "helpers.h"

#define RATE_1000 64000000ull
#define PERIOD_NS 1000000ull

static unsigned int throttles, unthrottles;

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

static void test_one_period(void)
{
	static const struct membw_env env = { .size = sizeof(env), .throttle = on_throttle,
					      .unthrottle = on_unthrottle };
	struct membw_config cfg;
	struct membw_cpu_stats st = { .size = sizeof(st) };
	struct membw *m = NULL;
	size_t size;
	void *storage, *cpu_priv;
	uint64_t next = 0;

	t_reset_el1(0, 2);
	throttles = unthrottles = 0;
	membw_config_init(&cfg);
	cfg.ndomains = 1;
	cfg.period_ns = PERIOD_NS;
	size = membw_storage_size(1, 1, membw_armv8_backend.priv_size);
	storage = aligned_alloc(MEMBW_STORAGE_ALIGN, MEMBW_ALIGN_UP(size));
	CHECK_FATAL(storage != NULL, "storage allocated");
	CHECK_FATAL(membw_init(&m, storage, MEMBW_ALIGN_UP(size), &cfg, &membw_armv8_backend, &ctx,
			       &env) == 0,
		    "membw_init on the armv8 backend");
	CHECK_FATAL(membw_domain_set_budget(m, 0, RATE_1000, MEMBW_UNLIMITED) == 0, "read budget 64 MB/s");
	CHECK_FATAL(membw_cpu_set_domain(m, 0, 0) == 0, "CPU 0 in domain 0");
	CHECK_FATAL(membw_cpu_online(m, 0, 0, &next) == 0, "CPU 0 online");
	CHECK(next == PERIOD_NS, "the next tick is at 1 ms");
	CHECK(fake.evcntr[0] == 0x100000000ull - 1000, "the read counter is preset for 1000 lines");
	CHECK(fake.cnten & BIT(0), "the read counter counts");

	fake_events(0x17, 0, 999);
	CHECK(!fake_irq(), "999 lines: no interrupt");
	fake_events(0x17, 0, 1);
	CHECK_FATAL(fake_irq(), "the 1000th line raises the interrupt");
	cpu_priv = membw_cpu_get_priv(m, 0);
	CHECK(armv8_overflow_ack(cpu_priv) == BIT(MEMBW_CH_READ), "the runtime's ack names the read channel");
	CHECK(!fake_irq(), "the interrupt line is low before EOI");
	CHECK(membw_overflow(m, 0, 500000) == 0, "membw_overflow");
	CHECK(throttles == 1, "the CPU is throttled: budget used, nothing left in the domain");

	CHECK(membw_tick(m, 0, PERIOD_NS, &next) == 0, "tick at 1 ms");
	CHECK(unthrottles == 1, "the tick releases the CPU");
	CHECK(fake.evcntr[0] == 0x100000000ull - 1000, "the counter is preset for 1000 lines again");
	CHECK(membw_cpu_get_stats(m, 0, &st) == 0, "stats");
	CHECK(st.totals.periods == 1, "one period closed");
	CHECK(st.totals.ch[MEMBW_CH_READ].used == 1000, "1000 lines used in it");
	CHECK(st.totals.throttle_count == 1, "throttled in one period");
	CHECK(st.totals.ch[MEMBW_CH_READ].overshoot == 0, "no overshoot: the interrupt came with line 1000");

	CHECK(membw_cpu_offline(m, 0, PERIOD_NS + 1000) == 0, "CPU 0 offline");
	CHECK((fake.cnten & (BIT(0) | BIT(1))) == 0, "offline stops both counters");
	CHECK(fake.undefined == 0, "no access the hardware would trap");
	free(storage);
}

int armv8_policy_suite(void);
int armv8_policy_suite(void)
{
	CU_pSuite s = CU_add_suite("armv8 under the policy", NULL, NULL);

	if (!s || !CU_add_test(s, "one period: arm, overflow, throttle, tick", test_one_period))
		return CU_get_error();
	return 0;
}
