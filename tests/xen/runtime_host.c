/* SPDX-License-Identifier: MIT */
/*
 * integrations/xen/runtime.c on the host: the armv8 backend on the simulated register file of
 * tests/armv8 (ARMV8_FAKE_REGS) stands in for a pCPU under Xen, with the MDCR_EL2.HPMN that
 * membw_xen_mdcr() sets; the Xen side's throttle hooks are counted here. Runs in a second, where
 * tests/xen/run needs a Xen build and QEMU. One process, one membw= (the runtime initialises once):
 *
 *   membw=period-us:600000,events:0x08/0x11,d1:50000/100000/1000
 *
 * A 600 ms period does not divide one second, so the option's lines per period are no whole
 * number of bytes per second. Derived by hand, 64-byte lines (CTR_EL0.DminLine 4 in the fake):
 *   budget 50000 lines = 3 200 000 B per 0.6 s = 5 333 333.3 B/s, so at least 5 333 334 B/s
 *     (5 333 333 B/s is 3 199 999.8 B per period: 49 999 lines);
 *   cap 100000 lines = 6 400 000 B per 0.6 s = 10 666 666.6 B/s -> 10 666 667 B/s;
 *   floor 1000 lines = 64 000 B per 0.6 s = 106 666.6 B/s -> 106 667 B/s.
 * And the policy must arm the read counter for exactly 50000 lines: a 32-bit PMUv3 counter
 * preset to 2^32 - 50000.
 *
 * Then a domain's numbers from its device-tree node (membw_xen_rt_set_vm(), bytes per second):
 * one line per 0.6 s period is 64 / 0.6 = 106.7 B/s, so 106 B/s is less than a line per period
 * (refused) and 107 B/s is one line.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include <membw/membw.h>
#include <membw/memtalk_abi.h>

#include "check.h"
#include "cunit_run.h"
#include "fake_sysreg.h"
#include "membw_xen.h"

#define OPTION "period-us:600000,events:0x08/0x11,d1:50000/100000/1000"
#define PERIOD_NS 600000000ull
#define FAKE_N 6u /* PMCR_EL0.N of the fake CPU */

static unsigned int throttles, unthrottles;

void membw_xen_throttle(unsigned int cpu)
{
	(void)cpu;
	throttles++;
}

void membw_xen_unthrottle(unsigned int cpu)
{
	(void)cpu;
	unthrottles++;
}

/* The enabled event counter that counts event @event, or -1. */
static int counter_of(unsigned int event)
{
	unsigned int i;

	for (i = 0; i < FAKE_N; i++)
		if ((fake.cnten & (1u << i)) && (fake.evtyper[i] & 0xFFFFu) == event)
			return (int)i;
	return -1;
}

static void test_period_not_dividing_a_second(void)
{
	struct membw_memtalk_regs regs;
	unsigned long long r[5], next = 0;
	const char *why = "";
	unsigned int i;
	int rd;

	fake_reset();
	fake.el = 2;
	fake.n = FAKE_N;
	fake.mdcr_el2 = FAKE_N - MEMBW_XEN_EL2_COUNTERS; /* HPMN, as membw_xen_mdcr() sets it */
	CHECK_FATAL(membw_xen_rt_init(OPTION, 1, &why) == 0, "membw=" OPTION " is accepted (%s)", why);
	CHECK_FATAL(membw_xen_rt_set_cpu_vm(0, 1) == 0, "pCPU 0 runs domain 1");
	CHECK_FATAL(membw_xen_rt_cpu_online(0, 0, &next, &why) == 0, "pCPU 0 online (%s)", why);
	CHECK_EQ(next, PERIOD_NS, "the first tick is one 600 ms period later");

	rd = counter_of(0x08);
	CHECK_FATAL(rd >= 0, "an EL2 counter counts INST_RETIRED (0x08), the read channel");
	CHECK_EQ(fake.evcntr[rd], 0x100000000ull - 50000, "the read counter is armed for 50000 lines");

	membw_memtalk_encode_get_budget(&regs, MEMBW_MEMTALK_BASE_DEFAULT, MEMBW_MEMTALK_CH_READ);
	for (i = 0; i < 5; i++)
		r[i] = regs.r[i];
	CHECK_FATAL(membw_xen_rt_call(1, r, 0) == 0, "memtalk answers domain 1's GET_BUDGET");
	CHECK_EQ(r[0], MEMBW_MEMTALK_OK, "GET_BUDGET: OK");
	CHECK_EQ(r[1], 5333334, "budget: 50000 lines per 0.6 s, rounded up to 5333334 B/s");
	CHECK_EQ(r[2], 10666667, "cap: 100000 lines per 0.6 s, rounded up to 10666667 B/s");
	CHECK_EQ(r[3], 106667, "floor: 1000 lines per 0.6 s, rounded up to 106667 B/s");
	CHECK_EQ(fake.undefined, 0, "no access the hardware would trap");
}

/* GET_BUDGET of the read channel for VM @vm: memtalk's status, and the budget, cap, floor. */
static long long get_budget(unsigned int vm, unsigned long long out[3])
{
	struct membw_memtalk_regs regs;
	unsigned long long r[5];
	unsigned int i;

	membw_memtalk_encode_get_budget(&regs, MEMBW_MEMTALK_BASE_DEFAULT, MEMBW_MEMTALK_CH_READ);
	for (i = 0; i < 5; i++)
		r[i] = regs.r[i];
	if (membw_xen_rt_call(vm, r, 0) != 0)
		return 1; /* not answered: no MEMBW_MEMTALK_* status */
	for (i = 0; i < 3; i++)
		out[i] = r[i + 1];
	return (long long)r[0];
}

/* VM @vm's GET_BUDGET answers OK with read budget @b, cap @c and floor @f (B/s), after @when. */
static void expect_budget(unsigned int vm, unsigned long long b, unsigned long long c,
			  unsigned long long f, const char *when)
{
	unsigned long long got[3];

	CHECK_EQ(get_budget(vm, got), MEMBW_MEMTALK_OK, "%s: domain %u's GET_BUDGET: OK", when, vm);
	CHECK_EQ(got[0], b, "%s: budget %llu B/s", when, b);
	CHECK_EQ(got[1], c, "%s: cap %llu B/s", when, c);
	CHECK_EQ(got[2], f, "%s: floor %llu B/s", when, f);
}

/* After test_period_not_dividing_a_second (the runtime is up, d1 from the option). */
static void test_device_tree_numbers(void)
{
	unsigned long long got[3];
	const char *why = "";

	CHECK_EQ(get_budget(2, got), MEMBW_MEMTALK_DENIED, "domain 2 is not regulated yet: DENIED");
	CHECK_EQ(membw_xen_rt_set_vm(1, 5333334, 10666667, 0, &why), -MEMBW_EINVAL,
		 "domain 1 already has membw=d1:...: refused");
	CHECK(strstr(why, "give it in one place") != NULL, "why: %s", why);
	CHECK_EQ(membw_xen_rt_set_vm(MEMBW_XEN_MAX_VMS, 5333334, 10666667, 0, &why), -MEMBW_EINVAL,
		 "domain id 8: refused");
	CHECK_EQ(membw_xen_rt_set_vm(2, 5333334, 5333333, 0, &why), -MEMBW_EINVAL,
		 "a budget one B/s above the cap: refused");
	CHECK(strstr(why, "membw,read-floor <= membw,read-budget <= membw,read-cap") != NULL,
	      "why: %s", why);
	CHECK_EQ(membw_xen_rt_set_vm(2, 5333334, 10666667, 5333335, &why), -MEMBW_EINVAL,
		 "a floor one B/s above the budget: refused");
	CHECK_EQ(membw_xen_rt_set_vm(2, 106, 10666667, 0, &why), -MEMBW_ERANGE,
		 "a budget of 106 B/s, less than a line per 0.6 s: refused");
	CHECK(strstr(why, "membw,read-budget is below one line per period") != NULL, "why: %s", why);
	CHECK_EQ(membw_xen_rt_set_vm(2, 107, 107, 106, &why), -MEMBW_ERANGE,
		 "a floor of 106 B/s, less than a line per period: refused");
	CHECK(strstr(why, "membw,read-floor is below one line per period") != NULL, "why: %s", why);
	CHECK_EQ(membw_xen_rt_set_vm(2, 5333334, 0x100000000ull * 64 * 10 / 6, 0, &why),
		 -MEMBW_ERANGE, "a cap of 2^32 lines per period (over 4294967294): refused");
	CHECK(strstr(why, "membw,read-cap is") != NULL, "why: %s", why);
	CHECK_EQ(get_budget(2, got), MEMBW_MEMTALK_DENIED, "after the refusals: still DENIED");

	CHECK_EQ(membw_xen_rt_set_vm(2, 107, 10666667, 0, &why), 0,
		 "107 B/s (one line per period), cap 10666667 B/s, floor 0: accepted (%s)", why);
	expect_budget(2, 107, 10666667, 0, "the device tree's numbers");
	CHECK_EQ(membw_xen_rt_set_vm(2, 107, 10666667, 0, &why), -MEMBW_EINVAL,
		 "domain 2 a second time: refused");
}

/* The admin call: @hw as the caller's hardware-domain bit; r[0] as answered, or 1 if the
 * runtime did not take the call. */
static long long admin(int hw, unsigned long long vm, unsigned long long b, unsigned long long c,
		       unsigned long long f)
{
	unsigned long long r[5] = { MEMBW_XEN_FID_ADMIN_SET, vm, b, c, f };
	const char *why;

	if (membw_xen_rt_admin(hw, r, &why) != 0)
		return 1;
	return (long long)r[0];
}

/* After test_device_tree_numbers (domain 2 regulated at 107 / 10666667 / 0 B/s). */
static void test_admin_call(void)
{
	unsigned long long r[5] = { MEMBW_MEMTALK_FID(MEMBW_MEMTALK_BASE_DEFAULT,
						      MEMBW_MEMTALK_FN_GET_BUDGET) };
	const char *why;

	CHECK_EQ(membw_xen_rt_admin(1, r, &why), -MEMBW_ENOENT,
		 "memtalk's GET_BUDGET is not the admin call: left to memtalk");
	CHECK_EQ(admin(0, 2, 5333334, 10666667, 0), MEMBW_MEMTALK_DENIED,
		 "from a domain that is not the hardware domain: DENIED");
	expect_budget(2, 107, 10666667, 0, "after DENIED");
	CHECK_EQ(admin(1, 2, 5333334, 5333333, 0), MEMBW_MEMTALK_INVALID_PARAMETER,
		 "from the hardware domain, a budget above the cap: INVALID_PARAMETER");
	CHECK_EQ(admin(1, MEMBW_XEN_MAX_VMS, 5333334, 10666667, 0),
		 MEMBW_MEMTALK_INVALID_PARAMETER, "domain id 8: INVALID_PARAMETER");
	expect_budget(2, 107, 10666667, 0, "after INVALID_PARAMETER");
	CHECK_EQ(admin(1, 2, 5333334, 6000000, 1000000), MEMBW_MEMTALK_OK,
		 "from the hardware domain, 5333334 / 6000000 / 1000000 B/s for domain 2: OK");
	expect_budget(2, 5333334, 6000000, 1000000, "after the hardware domain's call");
	CHECK_EQ(admin(1, 3, 107, 107, 107), MEMBW_MEMTALK_OK,
		 "from the hardware domain, an unregulated domain 3 becomes regulated: OK");
	expect_budget(3, 107, 107, 107, "after the hardware domain's call");
}

static int runtime_suite(void)
{
	CU_pSuite s = CU_add_suite("xen runtime.c on the fake PMU", NULL, NULL);

	if (!s || !CU_add_test(s, "lines per period at a period that does not divide 1 s",
			       test_period_not_dividing_a_second) ||
	    !CU_add_test(s, "a domain's budget, cap and floor from its device-tree node",
			 test_device_tree_numbers) ||
	    !CU_add_test(s, "the hardware domain's admin call", test_admin_call))
		return CU_get_error();
	return 0;
}

int main(void)
{
	static int (*const suites[])(void) = { runtime_suite };
	int err = cunit_register(suites, 1);

	return err ? err : cunit_run("xen runtime host");
}
