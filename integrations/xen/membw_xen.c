/* SPDX-License-Identifier: MIT */
/*
 * Xen's side of libmembw (membw_xen.h, docs/xen.md): copied into xen/arch/arm/ by
 * scripts/xen-build and compiled with Xen's own headers and flags. It makes Xen a libmembw
 * runtime with Xen's primitives:
 *   - "membw=..." on Xen's command line turns it on (without it Xen behaves as before: owner 6
 *     answers "unknown function", MDCR_EL2 is Xen's own value);
 *   - MDCR_EL2.HPMN keeps the top MEMBW_XEN_EL2_COUNTERS event counters for EL2 on every pCPU
 *     (membw_xen_mdcr(), applied at each write of MDCR_EL2 by init_traps() and by the context
 *     switch); the guests' PMU accesses stay trapped (Xen's TPM | TPMCR, RAZ/WI);
 *   - one Xen timer per pCPU (init_timer()/set_timer(), run in the timer softirq on that pCPU)
 *     brings the pCPU into the policy on its first expiry and is the policy's period tick after;
 *   - the PMU overflow interrupt (the arm,armv8-pmuv3 node's PPI) is requested on each pCPU and
 *     goes to the policy;
 *   - throttling pauses the vCPU last seen running on that pCPU (vcpu_pause_nosync(); the
 *     scheduler then runs the idle vCPU at EL2, which is not counted) until the unthrottle of
 *     the next period (vcpu_unpause());
 *   - SMCCC owner 6 (vendor-specific hypervisor calls) goes to memtalk's dispatcher
 *     (membw_xen_vsmc(), called from vsmccc_handle_call()), with VM id = domain id; one more
 *     function there, MEMBW_XEN_FID_ADMIN_SET, lets the hardware domain set any domain's
 *     budget, cap and floor (DENIED for every other caller);
 *   - a dom0less domain node's membw,read-* properties regulate it (membw_xen_domain_dt(),
 *     called from create_domUs());
 * The pCPU -> domain mapping follows the guest seen on the pCPU at each tick; it is exact when
 * each vCPU stays on one pCPU (Xen's null scheduler, sched=null).
 */
#include <xen/cpumask.h>
#include <xen/device_tree.h>
#include <xen/init.h>
#include <xen/irq.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/percpu.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/time.h>
#include <xen/timer.h>
#include <asm/regs.h>
#include <asm/sysregs.h>

#include <asm/membw.h>

#include "membw_xen.h"

/* MDCR_EL2 fields (Arm ARM, register MDCR_EL2; backends/armv8/pmu_fields.h has the same):
 * HPMN [4:0], HPME bit 7, HLP bit 26. */
#define MEMBW_MDCR_HPMN_MASK 0x1fUL
#define MEMBW_MDCR_HPME (1UL << 7)
#define MEMBW_MDCR_HLP (1UL << 26)
/* PMCR_EL0.N [15:11]: event counters implemented. */
#define MEMBW_PMCR_N(v) (((v) >> 11) & 0x1fUL)

/* Read at every MDCR_EL2 write, so not __initdata. */
static char opt_membw[128];
string_param("membw", opt_membw);

/* membw= was given: MDCR_EL2 is ours to partition (set by the first membw_xen_mdcr() that sees
 * the option; init_traps() on the boot CPU can come before the command line is parsed, which
 * membw_xen_init() makes up for). */
static bool membw_on;

struct membw_pcpu {
    struct timer timer;
    bool online;
    struct vcpu *last;    /* the guest vCPU last seen running on this pCPU */
    struct vcpu *paused;  /* the vCPU the throttle paused, until the unthrottle */
};

static DEFINE_PER_CPU(struct membw_pcpu, membw_pcpu);
static int membw_pmu_irq = -1;

register_t membw_xen_mdcr(register_t val)
{
    register_t live, n;

    if ( !membw_on && !opt_membw[0] )
        return val;
    membw_on = true;
    n = MEMBW_PMCR_N(READ_SYSREG(PMCR_EL0));
    if ( n <= MEMBW_XEN_EL2_COUNTERS )
        return val;
    /* HPME and HLP are the backend's (it sets them on this pCPU): keep what is live. */
    live = READ_SYSREG(MDCR_EL2);
    return (val & ~(MEMBW_MDCR_HPMN_MASK | MEMBW_MDCR_HPME | MEMBW_MDCR_HLP)) |
           (n - MEMBW_XEN_EL2_COUNTERS) | (live & (MEMBW_MDCR_HPME | MEMBW_MDCR_HLP));
}

static void note_guest(struct membw_pcpu *p)
{
    if ( !is_idle_vcpu(current) )
        p->last = current;
}

static unsigned int vm_of(const struct vcpu *v)
{
    if ( !v || v->domain->domain_id >= MEMBW_XEN_MAX_VMS )
        return MEMBW_XEN_NO_VM;
    return v->domain->domain_id;
}

void membw_xen_throttle(unsigned int cpu)
{
    struct membw_pcpu *p = &per_cpu(membw_pcpu, cpu);

    if ( p->last && !p->paused )
    {
        p->paused = p->last;
        vcpu_pause_nosync(p->paused);
    }
}

void membw_xen_unthrottle(unsigned int cpu)
{
    struct membw_pcpu *p = &per_cpu(membw_pcpu, cpu);
    struct vcpu *v = p->paused;

    if ( v )
    {
        p->paused = NULL;
        vcpu_unpause(v);
    }
}

static void cf_check membw_pmu_interrupt(int irq, void *dev_id,
                                         struct cpu_user_regs *regs)
{
    struct membw_pcpu *p = &this_cpu(membw_pcpu);
    int rc;

    note_guest(p);
    rc = membw_xen_rt_overflow(smp_processor_id(), NOW());
    if ( rc )
        printk(XENLOG_ERR "membw: CPU%u: overflow handling failed: %d\n",
               smp_processor_id(), rc);
}

static void cf_check membw_timer_fn(void *data)
{
    struct membw_pcpu *p = &this_cpu(membw_pcpu);
    unsigned int cpu = smp_processor_id();
    unsigned long long next = 0;
    const char *why;
    int rc;

    note_guest(p);
    if ( !p->online )
    {
        rc = request_irq(membw_pmu_irq, 0, membw_pmu_interrupt, "membw-pmu",
                         NULL);
        if ( !rc )
            rc = membw_xen_rt_cpu_online(cpu, NOW(), &next, &why);
        else
            why = "request_irq of the PMU interrupt failed";
        if ( rc )
        {
            printk(XENLOG_ERR "membw: CPU%u: not regulated: %d (%s)\n", cpu,
                   rc, why);
            return;
        }
        p->online = true;
        printk(XENLOG_INFO "membw: CPU%u online, MDCR_EL2 %#lx, PMU IRQ %d\n",
               cpu, (unsigned long)READ_SYSREG(MDCR_EL2), membw_pmu_irq);
    }
    else
    {
        membw_xen_rt_set_cpu_vm(cpu, vm_of(p->last));
        rc = membw_xen_rt_tick(cpu, NOW(), &next);
        if ( rc )
            printk(XENLOG_ERR "membw: CPU%u: tick failed: %d\n", cpu, rc);
    }
    if ( next )
        set_timer(&p->timer, next);
}

/*
 * create_domUs(), for each dom0less domain node, after domain_create(): the node's
 * membw,read-budget, membw,read-cap and membw,read-floor (bytes per second, one or two 32-bit
 * cells each; all three or none; docs/xen.md "Budgets in the device tree") regulate domain @d.
 * A node without them is left alone. Anything wrong stops the boot with a panic that names the
 * node and what to do, as create_domUs() does for its own properties: a domain meant to be
 * capped never runs uncapped or with other numbers.
 */
/* panic() keeps 128 characters of its message: the reason is printed before. */
static void __init noreturn membw_dt_refused(const struct domain *d,
                                             const struct dt_device_node *node)
{
    panic("membw: %pd (node %s): bad membw,read-* properties (see above)\n", d,
          dt_node_name(node));
}

void __init membw_xen_domain_dt(const struct domain *d, const struct dt_device_node *node)
{
    static const char *const names[3] = {
        "membw,read-budget", "membw,read-cap", "membw,read-floor",
    };
    unsigned long long v[3] = { 0, 0, 0 };
    unsigned int i, found = 0;
    const char *why;
    int rc;

    for ( i = 0; i < 3; i++ )
    {
        u32 len;
        const __be32 *cell = dt_get_property(node, names[i], &len);

        if ( !cell )
            continue;
        found++;
        if ( len != 4 && len != 8 )
        {
            printk(XENLOG_ERR "membw: %pd (node %s): %s has %u bytes: give bytes per second as "
                   "one 32-bit cell, or two (/bits/ 64 <N>)\n",
                   d, dt_node_name(node), names[i], len);
            membw_dt_refused(d, node);
        }
        v[i] = dt_read_number(cell, len / 4);
    }
    if ( !found )
        return;
    if ( found != 3 )
    {
        printk(XENLOG_ERR "membw: %pd (node %s): give membw,read-budget, membw,read-cap and "
               "membw,read-floor together\n", d, dt_node_name(node));
        membw_dt_refused(d, node);
    }
    if ( !membw_xen_rt_active() )
    {
        printk(XENLOG_ERR "membw: %pd (node %s) has membw,read-* properties but regulation is "
               "off: %s\n", d, dt_node_name(node),
               opt_membw[0] ? "membw= was refused or the PMU was not found (see above)"
                            : "add membw= to Xen's command line (e.g. membw=period-us:1000)");
        membw_dt_refused(d, node);
    }
    rc = membw_xen_rt_set_vm(d->domain_id, v[0], v[1], v[2], &why);
    if ( rc )
    {
        printk(XENLOG_ERR "membw: %pd (node %s): read budget %llu, cap %llu, floor %llu B/s "
               "refused: %d (%s)\n", d, dt_node_name(node), v[0], v[1], v[2], rc, why);
        membw_dt_refused(d, node);
    }
    printk(XENLOG_INFO "membw: %pd (node %s): read budget %llu B/s, cap %llu B/s, floor %llu "
           "B/s from the device tree\n", d, dt_node_name(node), v[0], v[1], v[2]);
}

static DEFINE_SPINLOCK(membw_admin_lock);

bool membw_xen_vsmc(struct cpu_user_regs *regs)
{
    unsigned long long r[5], fid, target, page;
    const char *why;
    unsigned int i;
    int p;

    if ( !membw_xen_rt_active() )
        return false;
    for ( i = 0; i < 5; i++ )
        r[i] = get_user_reg(regs, i);
    fid = r[0];
    target = r[1];
    page = r[2];
    /* The hardware domain's admin call (membw_xen.h), serialised: memtalk's limits take one
     * change at a time. */
    spin_lock(&membw_admin_lock);
    p = membw_xen_rt_admin(is_hardware_domain(current->domain), r, &why);
    spin_unlock(&membw_admin_lock);
    if ( p == 0 )
    {
        for ( i = 0; i < 4; i++ )
            set_user_reg(regs, i, r[i]);
        printk(XENLOG_G_INFO "membw: %pd admin call for domain %llu: %lld%s%s\n",
               current->domain, target, (long long)r[0], why[0] ? ": " : "", why);
        return true;
    }
    if ( membw_xen_rt_call(vm_of(current), r, NOW()) )
        return false;
    for ( i = 0; i < 4; i++ )
        set_user_reg(regs, i, r[i]);
    /* The statistics Xen answered, for comparison with what the guest shows (tests/xen). A
     * guest-rate-limited message: memtalk's rate limit already bounds page 0. */
    p = membw_xen_rt_stats_page(fid, page, r[0]);
    if ( p >= 0 )
        printk(XENLOG_G_INFO "membw: %pd GET_STATS page %d: %llu %llu %llu\n",
               current->domain, p, r[1], r[2], r[3]);
    return true;
}

/* on_selected_cpus(): this pCPU's MDCR_EL2 with HPMN applied now (init_traps() may have run
 * before the command line was parsed). */
static void cf_check membw_apply_mdcr(void *unused)
{
    WRITE_SYSREG(membw_xen_mdcr(READ_SYSREG(MDCR_EL2)), MDCR_EL2);
    isb();
}

static int __init membw_xen_init(void)
{
    const struct dt_device_node *pmu;
    const char *why;
    unsigned int cpu;
    int rc;

    if ( !opt_membw[0] )
    {
        printk(XENLOG_INFO "membw: off (no membw= on the command line)\n");
        return 0;
    }
    pmu = dt_find_compatible_node(NULL, NULL, "arm,armv8-pmuv3");
    if ( pmu )
        membw_pmu_irq = platform_get_irq(pmu, 0);
    if ( membw_pmu_irq < 0 )
    {
        printk(XENLOG_ERR "membw: no arm,armv8-pmuv3 interrupt in the device tree: not regulating\n");
        return 0;
    }
    on_selected_cpus(&cpu_online_map, membw_apply_mdcr, NULL, 1);
    rc = membw_xen_rt_init(opt_membw, nr_cpu_ids, &why);
    if ( rc )
    {
        printk(XENLOG_ERR "membw: not regulating: %d (%s)\n", rc, why);
        return 0;
    }
    printk(XENLOG_INFO "membw: policy up (membw=%s), PMU IRQ %d\n", opt_membw,
           membw_pmu_irq);
    for_each_online_cpu ( cpu )
    {
        if ( cpu >= MEMBW_XEN_MAX_CPUS )
            break;
        init_timer(&per_cpu(membw_pcpu, cpu).timer, membw_timer_fn, NULL, cpu);
        set_timer(&per_cpu(membw_pcpu, cpu).timer, NOW());
    }
    return 0;
}
__initcall(membw_xen_init);
