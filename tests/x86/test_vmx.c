/* SPDX-License-Identifier: MIT */
/*
 * MEMBW_COUNT_HYP and guest-only counting in a VMX hypervisor, on the model. VM entry and exit
 * are simulated the way the "load IA32_PERF_GLOBAL_CTRL" VM-entry and VM-exit controls do it: the
 * CPU loads IA32_PERF_GLOBAL_CTRL from the VMCS guest field on entry and from the host field on
 * exit (SDM vol. 3C; docs/x86-perfmon.md#x86-perfmon-vmx). The hypervisor fills those fields with
 * x86_vmx_global_ctrl(). IA32_PERFEVTSELx's USR/OS cannot tell VMX root from non-root, so only
 * GLOBAL_CTRL separates host time from guest time.
 */
#include <CUnit/CUnit.h>

#include "helpers.h"

#define OTHERS (BIT(6) | BIT(32)) /* someone else's counter 6 and fixed counter 0 */

static uint64_t vmcs_guest, vmcs_host;

static void fill_vmcs(void)
{
	vmcs_guest = x86_vmx_global_ctrl(priv, OTHERS, 1);
	vmcs_host = x86_vmx_global_ctrl(priv, OTHERS, 0);
}

static void vm_entry(void)
{
	fx.global_ctrl = vmcs_guest;
}

static void vm_exit(void)
{
	fx.global_ctrl = vmcs_host;
}

static void test_guest_only(void)
{
	t_reset(0, 1);
	ctx.flags = X86_FLAG_VMX;
	fx.global_ctrl = OTHERS;
	CHECK_FATAL(t_probe() == 0, "probe in VMX mode");
	CHECK(info.levels == MEMBW_COUNT_ALL, "VMX mode offers USER, KERNEL and HYP");
	CHECK_FATAL(t_init(MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL, 0, 0) == 0, "guest levels only");
	/* 0x2E | 0x41 << 8 | USR | OS | INT */
	CHECK(fx.evtsel[0] == 0x13412Eu, "IA32_PERFEVTSEL0 = 0x13412E");
	CHECK(fx.global_ctrl == OTHERS, "the live (host) GLOBAL_CTRL keeps bit 0 clear");
	fill_vmcs();
	CHECK(vmcs_guest == (OTHERS | BIT(0)), "guest value: others' bits and bit 0");
	CHECK(vmcs_host == OTHERS, "host value: others' bits only");
	CHECK_FATAL(membw_x86_backend.arm(priv, MEMBW_CH_READ, 100) == 0, "arm(100) in the host");
	CHECK(fx.global_ctrl == OTHERS, "arm in the host does not enable the counter");

	fx_events(EV_LLC_MISS, 0, 500); /* host kernel */
	fx_events(EV_LLC_MISS, 3, 500); /* host user (VMX root, ring 3) */
	vm_entry();
	fx_events(EV_LLC_MISS, 0, 40); /* guest kernel */
	fx_events(EV_LLC_MISS, 3, 30); /* guest user */
	vm_exit();
	fx_events(EV_LLC_MISS, 0, 1000);
	CHECK(fx.pmc[0] == (1ull << 48) - 100 + 70, "only the 70 guest events counted");
	CHECK(fx.pmis == 0, "no PMI yet");
	vm_entry();
	fx_events(EV_LLC_MISS, 3, 30);
	vm_exit();
	CHECK(fx.pmis == 1 && t_acked == BIT(MEMBW_CH_READ), "the 100th guest event raises the PMI");
	CHECK(fx.global_ctrl == OTHERS, "the ack (in the host) leaves the host value");
	CHECK(fx.gp == 0, "no #GP");
}

static void test_host_only_and_all(void)
{
	t_reset(0, 1);
	ctx.flags = X86_FLAG_VMX;
	fx.global_ctrl = OTHERS;
	CHECK_FATAL(t_ready(MEMBW_COUNT_HYP, 0, 0), "HYP only");
	CHECK(fx.evtsel[0] == 0x13412Eu, "VMX root at every ring: USR and OS");
	fill_vmcs();
	CHECK(vmcs_guest == OTHERS && vmcs_host == (OTHERS | BIT(0)), "guest value without bit 0, host with");
	CHECK_FATAL(membw_x86_backend.arm(priv, MEMBW_CH_READ, 100) == 0, "arm");
	CHECK(fx.global_ctrl == (OTHERS | BIT(0)), "the live host value has bit 0");
	vm_entry();
	fx_events(EV_LLC_MISS, 3, 77);
	vm_exit();
	fx_events(EV_LLC_MISS, 0, 9);
	CHECK(fx.pmc[0] == (1ull << 48) - 100 + 9, "only the 9 host events counted");

	t_reset(0, 1);
	ctx.flags = X86_FLAG_VMX;
	CHECK_FATAL(t_ready(MEMBW_COUNT_ALL, 0, 0), "every level");
	fill_vmcs();
	CHECK((vmcs_guest & BIT(0)) && (vmcs_host & BIT(0)), "bit 0 in both values");

	t_reset(0, 1);
	ctx.flags = X86_FLAG_VMX;
	CHECK_FATAL(t_probe() == 0, "probe");
	CHECK(t_init(MEMBW_COUNT_HYP | MEMBW_COUNT_USER, 0, 0) == -MEMBW_EOPNOTSUPP,
	       "HYP with USER only: one IA32_PERFEVTSELx cannot filter the guest's rings alone");
	CHECK(x86_vmx_global_ctrl(NULL, 0x55, 1) == 0x55, "no state: the value is returned unchanged");
}

int x86_vmx_suite(void);
int x86_vmx_suite(void)
{
	CU_pSuite s = CU_add_suite("x86 in a VMX hypervisor", NULL, NULL);

	if (!s || !CU_add_test(s, "guest-only counting by GLOBAL_CTRL loads", test_guest_only) ||
	    !CU_add_test(s, "host-only and everything", test_host_only_and_all))
		return CU_get_error();
	return 0;
}
