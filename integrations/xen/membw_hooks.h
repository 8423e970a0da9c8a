/* SPDX-License-Identifier: MIT */
/*
 * The hooks Xen's own code calls (installed as xen/arch/arm/include/asm/membw.h by
 * scripts/xen-build; the calls are added by integrations/xen/patches/). Defined in membw_xen.c.
 */
#ifndef __ASM_ARM_MEMBW_H__
#define __ASM_ARM_MEMBW_H__

#include <xen/types.h>

struct cpu_user_regs;
struct domain;
struct dt_device_node;

/* vsmccc_handle_call(), SMCCC owner 6: true if memtalk answered the call in @regs. */
bool membw_xen_vsmc(struct cpu_user_regs *regs);
/* Every write of MDCR_EL2: @val as Xen would write it, with HPMN (and the backend's live HPME,
 * HLP) applied when membw= is on the command line; @val itself otherwise. */
register_t membw_xen_mdcr(register_t val);
/* create_domUs(), each dom0less domain after domain_create(): the budget, cap and floor of its
 * device-tree node's membw,read-* properties, if it has them (panics on a bad one). */
void membw_xen_domain_dt(const struct domain *d, const struct dt_device_node *node);

#endif /* __ASM_ARM_MEMBW_H__ */
