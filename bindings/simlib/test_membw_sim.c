/* SPDX-License-Identifier: MIT */
/*
 * libmembw-sim, the simulator library the Python binding loads: a scenario loads from a file and
 * from text, runs, and reports per core what `membw sim` reports; bad input is refused with the
 * loader's reason and changes nothing. Linked against build/libmembw-sim.so, the library itself.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cunit_run.h"
#include "membw_sim.h"

static const char two_cores[] = "[sim]\ncores = 2\nduration = 100ms\n"
				"[core 0]\nname = rt\nrealtime = yes\nphase = read 500MB/s 1s\n"
				"[core 1]\nname = hog\nphase = read 4GB/s 1s\nbudget = 100MB/s\n";

static void result(struct membw_sim *s, uint32_t v, uint32_t core, struct membw_sim_core_result *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	CHECK_FATAL(membw_sim_core_result(s, v, core, r) == 0, "result of variant %u core %u", v,
		    core);
}

static void test_text_run(void)
{
	struct membw_sim_core_result none, reg, rt;
	struct membw_sim *s = NULL;
	char err[256] = "";

	CHECK_FATAL(membw_sim_load_string(&s, "t.ini", ".", two_cores, err, sizeof(err)) == 0,
		    "two-core scenario loads: %s", err);
	CHECK_EQ(membw_sim_ncores(s), 2, "two cores");
	none.size = sizeof(none);
	CHECK_EQ(membw_sim_core_result(s, MEMBW_SIM_NONE, 1, &none), -MEMBW_ENOENT,
		 "no results before a run");
	CHECK_FATAL(membw_sim_run(s, err, sizeof(err)) == 0, "runs: %s", err);
	result(s, MEMBW_SIM_NONE, 1, &none);
	result(s, MEMBW_SIM_BUDGETS, 1, &reg);
	result(s, MEMBW_SIM_BUDGETS, 0, &rt);
	CHECK(!strcmp(reg.name, "hog"), "core 1 is called hog, not '%s'", reg.name);
	CHECK_EQ(reg.regulated, 1, "the hog is regulated");
	CHECK_EQ(rt.regulated, 0, "the real-time core is not");
	CHECK_EQ(reg.budget_bps[MEMBW_CH_READ], 100000000, "hog budget 100 MB/s");
	CHECK_EQ(reg.duration_ns, 100000000, "runs 100 ms");
	/* 100 MB/s over 100 ms is 10 MB; the overshoot of interrupt latency 0 is a few lines a
	 * period at most, so the hog moves at most 10 MB plus 100 periods of overshoot. */
	CHECK(reg.bytes[MEMBW_CH_READ] <= 10000000 + 100 * reg.max_overshoot_bytes,
	      "hog within budget: %llu bytes", (unsigned long long)reg.bytes[MEMBW_CH_READ]);
	CHECK(none.bytes[MEMBW_CH_READ] > 10 * reg.bytes[MEMBW_CH_READ],
	      "unregulated hog moves far more");
	CHECK(reg.throttled_ns > 0 && none.throttled_ns == 0, "throttled only when regulated");
	CHECK_EQ(reg.periods, 100, "100 periods of 1 ms");
	CHECK(rt.solo_work_ns >= rt.work_ns && rt.work_ns > 0, "rt works, not more than alone");
	membw_sim_free(s);
}

static void test_set_budget(void)
{
	struct membw_sim_core_result r;
	struct membw_sim *s = NULL;
	char err[256] = "";

	CHECK_FATAL(membw_sim_load_string(&s, "t.ini", ".", two_cores, err, sizeof(err)) == 0,
		    "loads: %s", err);
	CHECK_EQ(membw_sim_set_core_budget(s, 0, 1, 1), -MEMBW_EINVAL, "real-time core refused");
	CHECK_EQ(membw_sim_set_core_budget(s, 2, 1, 1), -MEMBW_EINVAL, "core 2 does not exist");
	CHECK_EQ(membw_sim_set_core_budget(s, 1, 200000000, MEMBW_UNLIMITED), 0, "hog to 200 MB/s");
	CHECK_FATAL(membw_sim_run(s, err, sizeof(err)) == 0, "runs: %s", err);
	result(s, MEMBW_SIM_BUDGETS, 1, &r);
	CHECK_EQ(r.budget_bps[MEMBW_CH_READ], 200000000, "new budget reported");
	CHECK_EQ(membw_sim_set_core_budget(s, 1, MEMBW_UNLIMITED, MEMBW_UNLIMITED), 0, "unlimited");
	r.size = sizeof(r);
	CHECK_EQ(membw_sim_core_result(s, MEMBW_SIM_BUDGETS, 1, &r), -MEMBW_ENOENT,
		 "a change drops the results");
	CHECK_FATAL(membw_sim_run(s, err, sizeof(err)) == 0, "runs: %s", err);
	result(s, MEMBW_SIM_BUDGETS, 1, &r);
	CHECK_EQ(r.regulated, 0, "an unlimited core is not regulated");
	membw_sim_free(s);
}

static void test_refusals(void)
{
	struct membw_sim_core_result r = { .size = 8 };
	struct membw_sim *s = NULL;
	char err[256] = "";

	CHECK_EQ(membw_sim_load_string(&s, "bad.ini", ".", "[sim]\ncores = zero\n", err,
				       sizeof(err)), -MEMBW_EINVAL, "bad count refused");
	CHECK(s == NULL, "nothing handed out");
	CHECK(strstr(err, "bad.ini:2") != NULL, "message names file and line: %s", err);
	CHECK_EQ(membw_sim_load_file(&s, "/nonexistent/x.ini", err, sizeof(err)), -MEMBW_ENOENT,
		 "missing file");
	CHECK(strstr(err, "/nonexistent/x.ini") != NULL, "message names the file: %s", err);
	CHECK_FATAL(membw_sim_load_string(&s, "t.ini", ".", two_cores, err, sizeof(err)) == 0,
		    "loads");
	CHECK_FATAL(membw_sim_run(s, err, sizeof(err)) == 0, "runs");
	CHECK_EQ(membw_sim_core_result(s, MEMBW_SIM_NVARIANTS, 0, &r), -MEMBW_EINVAL, "variant");
	r.size = sizeof(r);
	CHECK_EQ(membw_sim_core_result(s, 0, 2, &r), -MEMBW_EINVAL, "core out of range");
	r.size = 8;
	CHECK_EQ(membw_sim_core_result(s, 0, 0, &r), -MEMBW_EINVAL, "size too small");
	CHECK_EQ(membw_sim_ncores(NULL), 0, "NULL has no cores");
	membw_sim_free(s);
	membw_sim_free(NULL);
}

static int suite(void)
{
	CU_pSuite s = CU_add_suite("libmembw-sim: load, run, per-core results", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "a scenario from text runs and reports each core", test_text_run);
	CU_add_test(s, "a core's budget changes from the API", test_set_budget);
	CU_add_test(s, "bad input is refused with the reason", test_refusals);
	return 0;
}

static int (*const suites[])(void) = { suite };

int main(void)
{
	int err = cunit_register(suites, 1);

	return err ? err : cunit_run("libmembw-sim");
}
