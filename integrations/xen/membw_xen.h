/* SPDX-License-Identifier: MIT */
/*
 * The boundary between Xen and libmembw (docs/xen.md). Two files meet here:
 *   - membw_xen.c is compiled inside Xen's tree with Xen's headers and flags; it owns the Xen
 *     primitives (per-pCPU timers, the PMU interrupt, vCPU pausing, the SMCCC hook, MDCR_EL2);
 *   - runtime.c is compiled with libmembw's freestanding flags and headers, linked with the core,
 *     memtalk's host dispatcher and the armv8 backend into one object (membw_lib.o) whose only
 *     global symbols are the membw_xen_rt_* functions below.
 * Neither side includes the other's headers, so this file uses plain C types only.
 */
#ifndef MEMBW_XEN_H
#define MEMBW_XEN_H

/* Xen domain ids 0 .. MEMBW_XEN_MAX_VMS - 1 are memtalk VMs and policy domains of the same
 * number; a domain with a higher id gets SMCCC "unknown function" from owner 6. */
#define MEMBW_XEN_MAX_VMS 8u
/* pCPUs the policy manages (0 .. MEMBW_XEN_MAX_CPUS - 1); higher ones are left alone. */
#define MEMBW_XEN_MAX_CPUS 8u
/* Event counters kept for EL2 on each pCPU: MDCR_EL2.HPMN = PMCR_EL0.N - this. Two channels,
 * each with the backend's shadow counter (the QEMU late-overflow workaround). */
#define MEMBW_XEN_EL2_COUNTERS 4u
/* "No VM" for membw_xen_rt_set_cpu_vm(): the pCPU runs no guest we know (idle, or a domain id
 * of MEMBW_XEN_MAX_VMS or more). */
#define MEMBW_XEN_NO_VM 0xFFFFFFFFu

/* ---- runtime.c: called by the Xen side --------------------------------------------------- */

/* Parse the Xen command-line option "membw=..." (@opt, docs/xen.md lists its words) and set up
 * the policy for @ncpus pCPUs and the memtalk host. Runs on the boot CPU, after every pCPU has
 * set MDCR_EL2.HPMN. 0, or a negative libmembw error with *@why saying what to do. */
int membw_xen_rt_init(const char *opt, unsigned int ncpus, const char **why);
/* Domain id @vm is regulated with a read budget, cap and floor in bytes per second (from its
 * dom0less device-tree node, docs/xen.md "Budgets in the device tree"), after
 * membw_xen_rt_init() succeeded. 0, or a negative libmembw error with *@why saying what to do;
 * then nothing changed and the domain is not regulated. */
int membw_xen_rt_set_vm(unsigned int vm, unsigned long long budget_bps,
			unsigned long long cap_bps, unsigned long long floor_bps, const char **why);
/* The hardware domain's admin call (docs/xen.md "Run-time control by dom0"): SMCCC fast SMC64,
 * owner 6, function number 0x100 (outside memtalk's window of 16 from its base 0). X1 = domain
 * id, X2 = read budget, X3 = cap, X4 = floor, bytes per second; X0 answers memtalk's status:
 * OK, DENIED (the caller is not the hardware domain), INVALID_PARAMETER (numbers refused),
 * BUSY (the domain's own memtalk call was in progress: retry). */
#define MEMBW_XEN_FID_ADMIN_SET 0xC6000100u
/* If @r (X0..X4 in, X0..X3 out) is the admin call: answer it (the domain's numbers change only
 * if @from_hardware_domain and they pass membw_xen_rt_set_vm()'s checks; *@why says why not)
 * and return 0. Otherwise -MEMBW_ENOENT (a negative number): not this call. Callers serialise. */
int membw_xen_rt_admin(int from_hardware_domain, unsigned long long r[5], const char **why);
/* The pCPU we run on joins the policy (its counters are programmed). @next_ns: its first tick. */
int membw_xen_rt_cpu_online(unsigned int cpu, unsigned long long now_ns,
			    unsigned long long *next_ns, const char **why);
/* The period timer of this pCPU fired. @next_ns: the next tick (0: none). */
int membw_xen_rt_tick(unsigned int cpu, unsigned long long now_ns, unsigned long long *next_ns);
/* The PMU overflow interrupt of this pCPU. */
int membw_xen_rt_overflow(unsigned int cpu, unsigned long long now_ns);
/* The guest this pCPU runs is VM @vm (a domain id) or MEMBW_XEN_NO_VM; the pCPU is then in
 * that domain if it is regulated, else in none; takes effect at the pCPU's next period. */
int membw_xen_rt_set_cpu_vm(unsigned int cpu, unsigned int vm);
/* One SMCCC call in the vendor-specific hypervisor range (owner 6) from VM @vm: @r holds
 * X0..X4 in and X0..X3 out. 0: answered (copy r[0..3] back); otherwise not memtalk's. */
int membw_xen_rt_call(unsigned int vm, unsigned long long r[5], unsigned long long now_ns);
/* After membw_xen_rt_call() answered: the page (0 .. 3) if the call was a GET_STATS the host
 * answered with OK (@fid and @page: X0 and X2 it was given; @r0: the status it returned), else
 * -1. The Xen side prints those answers, so that a test can compare them with the guest's. */
int membw_xen_rt_stats_page(unsigned long long fid, unsigned long long page,
			    unsigned long long r0);
/* Whether the option regulates anything at all (membw_xen_rt_init() succeeded). */
int membw_xen_rt_active(void);

/* ---- membw_xen.c: called by the runtime (the policy's environment) ------------------------ */

/* Stop / resume the guest of pCPU @cpu (the policy's throttle and unthrottle). */
void membw_xen_throttle(unsigned int cpu);
void membw_xen_unthrottle(unsigned int cpu);

#endif /* MEMBW_XEN_H */
