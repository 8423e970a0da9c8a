/* SPDX-License-Identifier: MIT */
/* Host tests of backends/x86 on a simulated MSR file and local APIC (X86_FAKE_REGS). */
#include "cunit_run.h"

int x86_probe_suite(void);
int x86_counters_suite(void);
int x86_vmx_suite(void);
int x86_policy_suite(void);

int main(void)
{
	static int (*const suites[])(void) = { x86_probe_suite, x86_counters_suite, x86_vmx_suite,
					       x86_policy_suite };
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("x86 host");
}
