/* SPDX-License-Identifier: MIT */
/*
 * The backend with the real event tables (backends/armv8/events.c) instead of the tests' own
 * lookup: a known MIDR selects its core's table, an unknown one the generic table. MIDR values
 * from the cores' TRMs (MIDR_EL1: implementer 0x41 Arm, part number 0xD07 Cortex-A57, 0xD03
 * Cortex-A53); their refill/write-back defaults are the common events 0x17 L2D_CACHE_REFILL and
 * 0x18 L2D_CACHE_WB (Arm ARM common events; docs/armv8-pmu.md#armv8-pmu-events: MemGuard's choice
 * on A53/A57).
 */
#include <string.h>

#include "cunit_run.h"
#include "helpers.h"

static void test_known_cores(void)
{
	static const struct {
		uint32_t midr;
		const char *name;
	} cores[] = { { 0x411FD070u, "Cortex-A57" }, { 0x410FD034u, "Cortex-A53" } };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		t_reset_el1(0, 2);
		fake.midr = cores[i].midr;
		fake.pmceid0 = BIT(0x17) | BIT(0x18);
		CHECK_FATAL(t_probe() == 0, "probe succeeds");
		CHECK(ctx.core_name && strcmp(ctx.core_name, cores[i].name) == 0,
		      "the MIDR selects its core's table by name");
		CHECK(ctx.fell_back == 0, "a known core with its events implemented does not fall back");
		CHECK(ctx.default_event[0] == 0x17 && ctx.default_event[1] == 0x18,
		      "A53/A57 defaults: L2D_CACHE_REFILL 0x17, L2D_CACHE_WB 0x18");
	}
}

static void test_unknown_core(void)
{
	t_reset_el1(0, 2);
	fake.midr = 0x4E0F0000u; /* implementer 0x4E (NVIDIA), part 0x000: in no table */
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(strcmp(ctx.core_name, "generic (architectural events)") == 0, "unknown MIDR: generic");
	CHECK(ctx.fell_back == 1, "unknown MIDR: fell_back = 1");
}

/* The A53 TRM documents 0xC0 (external memory request) as IMPLEMENTATION DEFINED; on a
 * Cortex-A57 (MIDR part 0xD07) the same number means something else, or nothing. */
static void test_impdef_only_on_its_core(void)
{
	t_reset_el1(0, 2);
	fake.midr = 0x410FD034u; /* Cortex-A53 r0p4 */
	CHECK_FATAL(t_probe() == 0, "probe on the A53");
	CHECK_EQ(t_init(MEMBW_COUNT_USER, ARMV8_EVENT(0xC0), 0), 0,
		 "the A53 accepts its own IMPLEMENTATION DEFINED event 0xC0");
	t_reset_el1(0, 2);
	fake.midr = 0x411FD070u; /* Cortex-A57 r1p0 */
	CHECK_FATAL(t_probe() == 0, "probe on the A57");
	CHECK_EQ(t_init(MEMBW_COUNT_USER, ARMV8_EVENT(0xC0), 0), -MEMBW_EOPNOTSUPP,
		 "the A57 refuses the A53's IMPLEMENTATION DEFINED event 0xC0");
	CHECK(armv8_cpu_reason(priv) != NULL, "with a reason");
}

static int tables_suite(void)
{
	CU_pSuite s = CU_add_suite("armv8 with the real event tables", NULL, NULL);

	if (!s || !CU_add_test(s, "known cores by MIDR", test_known_cores) ||
	    !CU_add_test(s, "unknown core", test_unknown_core) ||
	    !CU_add_test(s, "IMPLEMENTATION DEFINED events only on their core", test_impdef_only_on_its_core))
		return CU_get_error();
	return 0;
}

int main(void)
{
	static int (*const suites[])(void) = { tables_suite };
	int err = cunit_register(suites, 1);

	return err ? err : cunit_run("armv8 host, real tables");
}
