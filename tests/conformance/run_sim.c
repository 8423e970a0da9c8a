/* SPDX-License-Identifier: MIT */
/*
 * The conformance suite run against the `sim` backend, in three shapes of simulated PMU: the
 * usual one (2 channels, 32-bit), a 64-bit one, and a narrow single-channel one (16-bit) whose
 * wrap comes quickly. The driver makes events happen by counting lines into the simulated PMU,
 * which is what the simulator's engine does as cores move data. The simulated PMU has no
 * privilege levels (it accepts any MEMBW_COUNT_* set and counts every line), so the
 * privilege-filter facts are skipped with that reason.
 */
#include <CUnit/Basic.h>
#include <stdio.h>

#include "cunit_run.h"

#include "conformance.h"
#include "pmu.h"

static int sim_count(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n)
{
	(void)ctx;
	(void)cpu;
	/* With the default events, channel ch counts traffic class ch. */
	sim_pmu_count(priv, ch == MEMBW_CH_READ ? SIM_CLASS_READ : SIM_CLASS_WRITE, n);
	return 0;
}

static uint64_t sim_overflows(void *ctx, unsigned int cpu, void *priv, unsigned int ch)
{
	const struct sim_pmu_cpu *pc = priv;

	(void)ctx;
	(void)cpu;
	return pc->ctr[ch].raised;
}

static void sim_set_absent(void *ctx, bool absent)
{
	struct sim_pmu *pmu = ctx;

	pmu->absent = absent;
}

static struct sim_pmu pmu32, pmu64, pmu16;

#define SIM_DRIVER(label, pmu)                                                                    \
	{                                                                                          \
		.name = label, .backend = &membw_sim_backend, .backend_ctx = &pmu, .ctx = &pmu,          \
		.count = sim_count, .overflows = sim_overflows, .set_absent = sim_set_absent,      \
		.no_level_why = "the simulated PMU counts lines moved, with no privilege levels",  \
	}

static const struct membw_conformance_driver drivers[] = {
	SIM_DRIVER("sim, 2 x 32-bit", pmu32),
	SIM_DRIVER("sim, 2 x 64-bit", pmu64),
	SIM_DRIVER("sim, 1 x 16-bit", pmu16),
};

int main(void)
{
	unsigned int i;

	sim_pmu_defaults(&pmu32);
	sim_pmu_defaults(&pmu64);
	pmu64.counter_bits = 64;
	sim_pmu_defaults(&pmu16);
	pmu16.counter_bits = 16;
	pmu16.channels = 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		if (conformance_register(&drivers[i])) {
			fprintf(stderr, "cannot register %s: %s\n", drivers[i].name,
				CU_get_error_msg());
			return 2;
		}
	}
	return cunit_run("conformance");
}
