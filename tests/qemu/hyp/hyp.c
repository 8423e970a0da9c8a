/* SPDX-License-Identifier: MIT */
/*
 * The test hypervisor (see hyp.h for what it is and is not): boot on CPU 0, bring up CPU 1 with
 * PSCI CPU_ON, run the libmembw policy on the armv8 backend in EL2 mode with one domain per VM,
 * answer memtalk calls from the guests, park throttled CPUs in WFI, and judge the run.
 *
 * Time: the policy's clock is the physical count (timer_now_ns()), shared by both CPUs; each CPU's
 * period timer is its own CNTHP (PPI 26). Under -icount shift=0 one instruction (at any EL, on
 * either CPU: QEMU runs the two vCPUs in turn on one virtual clock) is one nanosecond.
 */
#include <membw/membw.h>
#include <membw/memtalk_host.h>

#include "armv8.h"
#include "el2.h"
#include "hyp.h"

/* Event counters the hypervisor keeps (MDCR_EL2.HPMN = PMCR_EL0.N - this): two channels, each with
 * the backend's shadow counter for QEMU's late overflow interrupt
 * (docs/qemu.md#qemu-late-overflow). */
#define HYP_EL2_COUNTERS 4u
/* INST_RETIRED (0x08) and CPU_CYCLES (0x11), Arm ARM common events: the only memory-traffic
 * stand-ins QEMU counts exactly under -icount (docs/qemu.md#qemu-events). */
#define EVENT_INST_RETIRED 0x08u
#define EVENT_CPU_CYCLES 0x11u
/* PSCI (Arm DEN0022) CPU_ON, SMC64 function ID; SUCCESS is 0. With virtualization=on QEMU's
 * virt answers PSCI on SMC (an HVC would come to this hypervisor itself); CPU 1 then starts at
 * EL2, which test_main's check of CPU_ON and CPU 1's EL2-only setup rely on. */
#define PSCI_CPU_ON_64 0xC4000003ull
#define SMCCC_NOT_SUPPORTED ((uint64_t)-1)

#define PERIOD_LOG_MAX 512u
#define STORAGE_BYTES 16384u

struct period_entry {
	uint64_t epoch, used, allowance, overshoot;
	bool other_cpu_done; /* the other CPU's guest had finished when this period ended */
};

struct hyp_cpu {
	unsigned int index;
	volatile bool throttled;
	volatile bool done;
	uint64_t guest_failed, guest_passed;
	int first_error;
	uint64_t ticks, overflow_irqs, throttles, wfi_wakeups;
	unsigned int nperiods, lost_periods;
	struct period_entry period[PERIOD_LOG_MAX];
	unsigned int hpmn;       /* MDCR_EL2.HPMN: the guest's counters are 0 .. hpmn - 1 */
	uint64_t guest_pmcr;     /* the guest's view of PMCR_EL0's writable bits (E D X DP LC LP) */
	uint64_t guest_pmselr;   /* the guest's PMSELR_EL0 (the real one is the hypervisor's) */
	uint64_t pmu_traps;      /* guest PMU register accesses emulated */
	uint64_t undefs_injected; /* unexpected traps answered with an undefined instruction */
};

struct hyp_shared hyp_shared;

/* Tells the platform's start code to stay at EL2 (platform.h). */
const unsigned int platform_boot_el = 2;

static struct hyp_cpu cpus[HYP_NCPUS];
static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char policy_storage[STORAGE_BYTES];
static _Alignas(MEMBW_MEMTALK_ALIGN) unsigned char host_storage[MEMBW_MEMTALK_HOST_SIZE(HYP_NCPUS)];
static _Alignas(16) unsigned char stack_cpu1[16384];
static _Alignas(16) unsigned char guest_stack[HYP_NCPUS][16384];
static struct membw *policy;
static struct membw_memtalk_host *host;
static struct armv8_ctx backend_ctx;
static unsigned int run_mode;

/* Faults injected on purpose (command line), so that configurations expecting FAIL prove the
 * checks can fail. The one test-only mechanism of this hypervisor. */
enum fault { FAULT_NONE, FAULT_NO_PARK, FAULT_COUNT_EL2, FAULT_NO_TPMCR };
static const char *const fault_names[] = { "none", "no-park", "count-el2", "no-tpmcr" };
static enum fault fault;
static unsigned int hyp_passed, hyp_failed;

static void format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static struct hyp_cpu *this_cpu(void)
{
	return (struct hyp_cpu *)(uintptr_t)read_tpidr_el2();
}

static void note_error(struct hyp_cpu *c, int err)
{
	if (err && !c->first_error)
		c->first_error = err;
}

/* ---- the hypervisor's own assertions ------------------------------------------------------ */

static void hyp_check(bool ok, const char *fact, unsigned long long got, unsigned long long want)
{
	if (ok) {
		hyp_passed++;
		con_printf("PASS hyp: %s\n", fact);
	} else {
		hyp_failed++;
		con_printf("FAIL hyp: %s (got %llu, expected %llu)\n", fact, got, want);
	}
}

/* ---- policy environment ----------------------------------------------------------------- */

static void env_throttle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	cpus[cpu].throttled = true;
	cpus[cpu].throttles++;
}

static void env_unthrottle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	cpus[cpu].throttled = false;
}

static void env_trace(void *ctx, const struct membw_trace_record *ev)
{
	struct hyp_cpu *c = &cpus[ev->cpu];
	struct period_entry *p;

	(void)ctx;
	if (ev->type != MEMBW_TRACE_PERIOD_END || ev->channel != MEMBW_CH_READ)
		return;
	if (c->nperiods == PERIOD_LOG_MAX) {
		c->lost_periods++;
		return;
	}
	p = &c->period[c->nperiods++];
	p->epoch = ev->epoch;
	p->used = ev->used;
	p->allowance = ev->allowance;
	p->overshoot = ev->overshoot;
	p->other_cpu_done = cpus[ev->cpu ^ 1u].done;
}

/* ---- interrupts and parking --------------------------------------------------------------- */

static void on_tick(struct hyp_cpu *c)
{
	uint64_t next = 0;
	int err;

	c->ticks++;
	err = membw_tick(policy, c->index, timer_now_ns(), &next);
	note_error(c, err);
	if (next)
		timer_set_deadline_ns(next);
	else
		timer_cancel();
}

static void on_pmu_overflow(struct hyp_cpu *c)
{
	uint32_t overflowed;

	c->overflow_irqs++;
	overflowed = armv8_overflow_ack(membw_cpu_get_priv(policy, c->index));
	note_error(c, membw_overflow_channels(policy, c->index, timer_now_ns(), overflowed));
}

static void handle_pending_irqs(struct hyp_cpu *c)
{
	for (;;) {
		uint32_t intid = gic_cpu_ack();

		if (intid >= 1020u)
			return;
		if (intid == PLATFORM_INTID_PMU)
			on_pmu_overflow(c);
		else if (intid == PLATFORM_INTID_HYP_TIMER)
			on_tick(c);
		else
			platform_panic("hyp: CPU %u: unexpected interrupt %u", c->index, intid);
		gic_cpu_eoi(intid);
	}
}

/* A CPU the policy throttled stays here, idle in WFI with interrupts masked (a pending interrupt
 * still ends WFI), until a tick releases it: its guest does not run while throttled. */
static void park_while_throttled(struct hyp_cpu *c)
{
	if (fault == FAULT_NO_PARK)
		return;
	while (c->throttled) {
		wfi();
		c->wfi_wakeups++;
		handle_pending_irqs(c);
	}
}

/* A physical IRQ taken from the guest (HCR_EL2.IMO): handle it, then park if it throttled us. */
void hyp_trap_irq(struct platform_frame *frame)
{
	struct hyp_cpu *c = this_cpu();

	(void)frame;
	handle_pending_irqs(c);
	park_while_throttled(c);
}

/* ---- hypercalls --------------------------------------------------------------------------- */

static void memtalk_call(struct hyp_cpu *c, struct platform_frame *frame)
{
	struct membw_memtalk_regs regs;
	unsigned int i;

	for (i = 0; i < MEMBW_MEMTALK_NREGS; i++)
		regs.r[i] = frame->x[i];
	/* VM id = CPU index: one VM per CPU, fixed by the hypervisor, never taken from the guest. */
	if (membw_memtalk_host_dispatch(host, c->index, &regs, timer_now_ns()) == 0) {
		for (i = 0; i < 4; i++)
			frame->x[i] = regs.r[i];
	} else {
		/* -MEMBW_ENOENT: not memtalk's; this hypervisor has no other service (SMCCC) */
		frame->x[0] = SMCCC_NOT_SUPPORTED;
	}
}

static void __attribute__((noreturn)) finish(void);

static void __attribute__((noreturn)) guest_done(struct hyp_cpu *c, uint64_t failed, uint64_t passed)
{
	timer_cancel();
	note_error(c, membw_cpu_offline(policy, c->index, timer_now_ns()));
	c->guest_failed = failed;
	c->guest_passed = passed;
	__asm__ volatile("dmb sy" ::: "memory");
	c->done = true;
	cpu_publish();
	if (c->index == 0)
		finish();
	for (;;)
		wfi();
}

/*
 * A trap this hypervisor has no emulation for: the guest gets what an undefined instruction would
 * have given it (Arm ARM D1.10 "exception entry", taken to EL1): ESR_EL1 = EC 0 (unknown reason)
 * with the trap's IL, ELR_EL1 = the trapped instruction, SPSR_EL1 = its PSTATE, then EL1h at the
 * synchronous vector of VBAR_EL1 for where it came from, D A I F masked. Only that guest is
 * affected; the machine and the other VM go on.
 */
static void inject_undef(struct hyp_cpu *c, struct platform_frame *frame, uint64_t ec)
{
	uint64_t from = frame->spsr & SPSR_M_MASK, offset;

	offset = (frame->spsr & SPSR_M_AARCH32) ? VECTOR_LOWER_A32 :
		 from == SPSR_M_EL1H ? VECTOR_CURRENT_SPX :
		 from == SPSR_M_EL1T ? VECTOR_CURRENT_SP0 : VECTOR_LOWER_A64;
	c->undefs_injected++;
	con_printf("NOTE hyp: CPU %u: guest trap EC 0x%llx at 0x%llx has no emulation: undefined "
		   "instruction injected into the guest\n", c->index, (unsigned long long)ec,
		   (unsigned long long)frame->elr);
	/* IL as the trap reported it: a 16-bit T32 instruction from an AArch32 EL0 has IL 0 */
	write_esr_el1((ESR_EC_UNKNOWN << ESR_EC_SHIFT) | (frame->esr & ESR_IL));
	write_elr_el1(frame->elr);
	write_spsr_el1(frame->spsr);
	frame->elr = read_vbar_el1() + offset;
	frame->spsr = SPSR_EL1H_MASKED;
}

/*
 * The guest's PMU accesses (MDCR_EL2.TPM: every PMU register; TPMCR alone would be enough for
 * PMCR_EL0 by the Arm ARM, but QEMU 7.2 does not implement TPMCR: seen here, a guest's write of
 * PMCR_EL0 reached the register with TPMCR set). The hypervisor's counters (HPMN and above)
 * must be out of the guest's reach, and PMCR_EL0 is one register for both sides:
 *   - PMCR_EL0: the guest sees and sets a shadow of E, D, X, DP, LC, LP; the real register keeps
 *     E = 1 (QEMU 7.2 raises the hypervisor's overflow interrupt only while E = 1:
 *     ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E) and takes only the cycle-counter controls D, X, DP, LC.
 *     P resets the guest's event counters 0 .. HPMN - 1 here, one by one (QEMU 7.2's P resets
 *     every counter); C resets the cycle counter, which the hypervisor does not use. N reads as
 *     HPMN (what EL0/EL1 see with EL2 implemented, Arm ARM PMCR_EL0.N).
 *   - bit-mask registers (PMCNTEN*, PMOVS*, PMSWINC): only the guest's counters and the cycle
 *     counter (bit 31) are read or written;
 *   - PMSELR_EL0 is shadowed (the hypervisor uses the real one); PMXEV*, PMEVCNTR<n>,
 *     PMEVTYPER<n> reach counter n only if n < HPMN (or the cycle counter's filter);
 *   - PMCCNTR, PMCCFILTR, PMCEID0/1, PMUSERENR: passed through;
 *   - PMINTENSET/CLR_EL1: read as 0, writes ignored: the guests take no interrupts, and a
 *     guest counter's overflow would raise the hypervisor's PMU interrupt (PPI 23).
 * Anything else, and a counter n >= HPMN, is an undefined instruction for the guest.
 * ASSUMPTION: LP is kept virtual because QEMU may take the width of the counters >= HPMN from
 * PMCR_EL0.LP as well as MDCR_EL2.HLP; the guest's own counters then stay 32 bits wide.
 * Not emulated: the guest's E = 0 does not stop its own counters.
 */
#define PMCR_GUEST_BITS (PMCR_E | PMCR_D | PMCR_X | PMCR_DP | PMCR_LC | PMCR_LP)
#define PMCR_PASSED_BITS (PMCR_D | PMCR_X | PMCR_DP | PMCR_LC)

static uint64_t guest_counter_mask(const struct hyp_cpu *c)
{
	return ((1ull << c->hpmn) - 1) | (1ull << PMU_CYCLE_COUNTER);
}

static uint64_t pmcr_read(const struct hyp_cpu *c)
{
	uint64_t real = read_pmcr_el0();

	return (real & ~(PMCR_GUEST_BITS | (PMCR_N_MASK << PMCR_N_SHIFT))) | c->guest_pmcr |
	       ((uint64_t)c->hpmn << PMCR_N_SHIFT);
}

static void pmcr_write(struct hyp_cpu *c, uint64_t v)
{
	uint64_t real = read_pmcr_el0();
	unsigned int i;

	c->guest_pmcr = v & PMCR_GUEST_BITS;
	if (v & PMCR_P) {
		for (i = 0; i < c->hpmn; i++) {
			write_pmselr_el0(i);
			isb();
			write_pmxevcntr_el0(0);
		}
	}
	if (v & PMCR_C)
		write_pmccntr_el0(0);
	write_pmcr_el0((real & ~(PMCR_PASSED_BITS | PMCR_P | PMCR_C)) | (v & PMCR_PASSED_BITS) |
		       PMCR_E);
}

/* Counter @n's count or type (@type) for the guest: false if @n is not the guest's. */
static bool guest_counter_access(struct hyp_cpu *c, unsigned int n, bool type, bool is_read,
				 uint64_t *v)
{
	if (type && n == PMU_CYCLE_COUNTER) {
		if (is_read)
			*v = read_pmccfiltr_el0();
		else
			write_pmccfiltr_el0(*v);
		return true;
	}
	if (n >= c->hpmn)
		return false;
	write_pmselr_el0(n);
	isb();
	if (type && is_read)
		*v = read_pmxevtyper_el0();
	else if (type)
		write_pmxevtyper_el0(*v);
	else if (is_read)
		*v = read_pmxevcntr_el0();
	else
		write_pmxevcntr_el0(*v);
	return true;
}

/* Emulate one trapped PMU register access; false if it is not one (or not the guest's). */
static bool emulate_pmu(struct hyp_cpu *c, struct platform_frame *frame, uint64_t iss)
{
	unsigned int rt = ESR_SYSREG_RT(iss), crm = ESR_SYSREG_CRM(iss);
	bool rd = ESR_SYSREG_IS_READ(iss), ok = true;
	uint64_t id = iss & ESR_SYSREG_ID_MASK, mask = guest_counter_mask(c);
	uint64_t v = rd || rt == 31 ? 0 : frame->x[rt];

	switch (id) {
	case ID_PMCR_EL0:
		if (rd)
			v = pmcr_read(c);
		else
			pmcr_write(c, v);
		break;
	case ID_PMCNTENSET_EL0:
		if (rd)
			v = read_pmcntenset_el0() & mask;
		else
			write_pmcntenset_el0(v & mask);
		break;
	case ID_PMCNTENCLR_EL0:
		if (rd)
			v = read_pmcntenclr_el0() & mask;
		else
			write_pmcntenclr_el0(v & mask);
		break;
	case ID_PMOVSSET_EL0:
		if (rd)
			v = read_pmovsset_el0() & mask;
		else
			write_pmovsset_el0(v & mask);
		break;
	case ID_PMOVSCLR_EL0:
		if (rd)
			v = read_pmovsclr_el0() & mask;
		else
			write_pmovsclr_el0(v & mask);
		break;
	case ID_PMSWINC_EL0:
		if (!rd)
			write_pmswinc_el0(v & mask & ~(1ull << PMU_CYCLE_COUNTER));
		else
			ok = false;
		break;
	case ID_PMSELR_EL0:
		if (rd)
			v = c->guest_pmselr;
		else
			c->guest_pmselr = v & 0x1f;
		break;
	case ID_PMXEVTYPER_EL0:
	case ID_PMXEVCNTR_EL0:
		ok = guest_counter_access(c, (unsigned int)c->guest_pmselr,
					  id == ID_PMXEVTYPER_EL0, rd, &v);
		break;
	case ID_PMCCNTR_EL0:
		if (rd)
			v = read_pmccntr_el0();
		else
			write_pmccntr_el0(v);
		break;
	case ID_PMCEID0_EL0:
	case ID_PMCEID1_EL0:
		if (!rd)
			ok = false;
		else
			v = id == ID_PMCEID0_EL0 ? read_pmceid0_el0() : read_pmceid1_el0();
		break;
	case ID_PMUSERENR_EL0:
		if (rd)
			v = read_pmuserenr_el0();
		else
			write_pmuserenr_el0(v);
		break;
	case ID_PMINTENSET_EL1:
	case ID_PMINTENCLR_EL1:
		v = 0;
		break;
	default:
		/* PMEVCNTR<n>_EL0 / PMEVTYPER<n>_EL0: Op0 3, Op1 3, CRn 14, CRm 8..15 */
		if (ESR_SYSREG_OP0(iss) == 3 && ESR_SYSREG_OP1(iss) == 3 && ESR_SYSREG_CRN(iss) == 14 &&
		    crm >= 8)
			ok = guest_counter_access(c, ((crm & 3u) << 3) | ESR_SYSREG_OP2(iss),
						  crm >= 12, rd, &v);
		else
			ok = false;
		break;
	}
	if (!ok)
		return false;
	isb();
	if (rd && rt != 31)
		frame->x[rt] = v;
	c->pmu_traps++;
	frame->elr += 4;
	return true;
}

void hyp_trap_sync(struct platform_frame *frame)
{
	struct hyp_cpu *c = this_cpu();
	uint64_t esr = read_esr_el2();
	uint64_t ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	frame->esr = esr;
	if (ec == ESR_EC_HVC64 && (esr & ESR_IMM16_MASK) == 0) {
		memtalk_call(c, frame); /* SMCCC: HVC #0; ELR already points past the HVC */
		return;
	}
	if (ec == ESR_EC_HVC64 && (esr & ESR_IMM16_MASK) == HYP_TEST_HVC_IMM &&
	    frame->x[0] == HYP_TEST_DONE)
		guest_done(c, frame->x[1], frame->x[2]);
	if (ec == ESR_EC_HVC64) {
		frame->x[0] = SMCCC_NOT_SUPPORTED;
		return;
	}
	if (ec == ESR_EC_SMC64) {
		/* HCR_EL2.TSC: a trapped SMC returns to the SMC itself; the guests get no firmware. */
		frame->x[0] = SMCCC_NOT_SUPPORTED;
		frame->elr += 4;
		return;
	}
	if (ec == ESR_EC_SYSREG && emulate_pmu(c, frame, esr))
		return;
	/* Anything else a guest can make trap (an SVE/SME/FP trap if CPTR_EL2 ever set one, a
	 * pointer-authentication key register under HCR_EL2.APK = 0, ...) is that guest's fault
	 * and that guest's problem, never the machine's. */
	inject_undef(c, frame, ec);
}

void hyp_trap_bad(struct platform_frame *frame)
{
	platform_panic("hyp: unexpected exception at EL2 or from AArch32: ESR 0x%llx ELR 0x%llx "
		       "SPSR 0x%llx", (unsigned long long)read_esr_el2(),
		       (unsigned long long)frame->elr, (unsigned long long)frame->spsr);
}

/* ---- per-CPU setup ------------------------------------------------------------------------ */

static unsigned int pmu_counters(void)
{
	return (unsigned int)((read_pmcr_el0() >> PMCR_N_SHIFT) & PMCR_N_MASK);
}

/* EL2 state for running a guest on this CPU. */
static void cpu_setup(struct hyp_cpu *c, unsigned int index)
{
	unsigned int n = pmu_counters();

	c->index = index;
	write_tpidr_el2((uint64_t)(uintptr_t)c);
	write_vbar_el2((uint64_t)(uintptr_t)hyp_vectors);
	write_vmpidr_el2(read_mpidr());
	write_cptr_el2(CPTR_EL2_NO_TRAPS);
	write_hstr_el2(0);
	write_cnthctl_el2(CNTHCTL_EL1_PHYS_ACCESS);
	write_cntvoff_el2(0);
	write_hcr_el2(HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TSC);
	if (n <= HYP_EL2_COUNTERS)
		platform_panic("hyp: PMCR_EL0.N = %u: need more than %u event counters", n,
			       HYP_EL2_COUNTERS);
	/* Counters HPMN.. are the hypervisor's; HPME is the backend's to set. TPMCR and TPM: the
	 * guest's PMU accesses come here (emulate_pmu), so it cannot clear PMCR_EL0.E or reset or
	 * reprogram our counters. */
	c->hpmn = n - HYP_EL2_COUNTERS;
	c->guest_pmcr = read_pmcr_el0() & PMCR_GUEST_BITS;
	write_mdcr_el2(c->hpmn | (fault == FAULT_NO_TPMCR ? 0 : MDCR_TPMCR | MDCR_TPM));
	isb();
	gicv3_cpu_init();
	gicv3_cpu_enable_ppi(PLATFORM_INTID_PMU);
	gicv3_cpu_enable_ppi(PLATFORM_INTID_HYP_TIMER);
}

static uint64_t read_counter(unsigned int n)
{
	write_pmselr_el0(n);
	isb();
	return read_pmxevcntr_el0();
}

/* Fact (Arm ARM, PMEVTYPER<n>_EL0.NSH = 0): a counter the backend programmed for the guest's
 * EL0 + EL1 does not count instructions the hypervisor retires at EL2. */
static void check_el2_not_counted(void)
{
	uint32_t bits = armv8_channel_counters(membw_cpu_get_priv(policy, 0), MEMBW_CH_READ);
	unsigned int n = (unsigned int)__builtin_ctz(bits);
	uint64_t before, after;
	volatile unsigned int spin;

	before = read_counter(n);
	for (spin = 0; spin < 10000; spin++)
		;
	after = read_counter(n);
	hyp_check(bits != 0 && n >= (read_mdcr_el2() & MDCR_HPMN_MASK),
		  "the read channel's counter is one of the hypervisor's (index >= MDCR_EL2.HPMN)",
		  n, read_mdcr_el2() & MDCR_HPMN_MASK);
	hyp_check(after == before,
		  "the hypervisor's INST_RETIRED counter did not move over 10000 loop iterations at EL2",
		  after - before, 0);
	hyp_check((read_mdcr_el2() & MDCR_HPME) != 0,
		  "MDCR_EL2.HPME is set once the CPU is online (the counters >= HPMN run)",
		  (read_mdcr_el2() & MDCR_HPME) != 0, 1);
}

static void __attribute__((noreturn)) cpu_run_guest(struct hyp_cpu *c, void (*entry)(uint64_t))
{
	uint64_t next = 0;
	int err;

	err = membw_cpu_online(policy, c->index, timer_now_ns(), &next);
	if (err)
		platform_panic("hyp: CPU %u: membw_cpu_online: %d (%s)", c->index, err,
			       armv8_cpu_reason(membw_cpu_get_priv(policy, c->index))
				       ? armv8_cpu_reason(membw_cpu_get_priv(policy, c->index))
				       : "");
	timer_set_deadline_ns(next);
	if (c->index == 0 && run_mode == HYP_MODE_CHECK)
		check_el2_not_counted();
	/* membw_cpu_online throttles at once if the domain has nothing left this period */
	park_while_throttled(c);
	write_sctlr_el1(SCTLR_EL1_RES1);
	write_vbar_el1((uint64_t)(uintptr_t)vectors_el1);
	isb();
	hyp_enter_guest((uint64_t)(uintptr_t)entry,
			(uint64_t)(uintptr_t)(guest_stack[c->index] + sizeof(guest_stack[0])),
			run_mode);
}

void hyp_secondary_main(void)
{
	struct hyp_cpu *c = &cpus[1];

	if (platform_el() != 2)
		platform_panic("hyp: CPU 1 started at EL%u, not EL2: PSCI CPU_ON from EL2 should start "
			       "it at EL2", platform_el());
	cpu_setup(c, 1);
	cpu_run_guest(c, guest_hostile_main);
}

/* ---- boot on CPU 0 ------------------------------------------------------------------------ */

static uint64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_64;
	register uint64_t x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = entry;
	register uint64_t x3 __asm__("x3") = context;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

static int policy_setup(void)
{
	static const struct membw_env env = {
		.size = sizeof(struct membw_env),
		.throttle = env_throttle,
		.unthrottle = env_unthrottle,
		.trace = env_trace,
	};
	struct membw_config cfg;
	int err;

	backend_ctx.size = sizeof(backend_ctx);
	backend_ctx.mode = ARMV8_MODE_EL2;
	backend_ctx.flags = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND | ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E;
	backend_ctx.want_channels = 2;
	membw_config_init(&cfg);
	cfg.ncpus = HYP_NCPUS;
	cfg.ndomains = HYP_NCPUS;
	cfg.period_ns = HYP_PERIOD_NS;
	cfg.levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL; /* the guest's EL0 + EL1, never EL2 */
	if (fault == FAULT_COUNT_EL2)
		cfg.levels |= MEMBW_COUNT_HYP;
	cfg.event[MEMBW_CH_READ] = ARMV8_EVENT(EVENT_INST_RETIRED);
	cfg.event[MEMBW_CH_WRITE] = ARMV8_EVENT(EVENT_CPU_CYCLES);
	if (membw_storage_size(HYP_NCPUS, HYP_NCPUS, membw_armv8_backend.priv_size) >
	    sizeof(policy_storage)) {
		con_printf("hyp: the policy needs more than %u bytes of storage\n", STORAGE_BYTES);
		return -MEMBW_ENOSPC;
	}
	err = membw_init(&policy, policy_storage, sizeof(policy_storage), &cfg,
			 &membw_armv8_backend, &backend_ctx, &env);
	if (err) {
		con_printf("hyp: membw_init: %d (%s)\n", err,
			   backend_ctx.reason ? backend_ctx.reason : "");
		return err;
	}
	err = membw_domain_set_budget(policy, 0, HYP_BPS(HYP_VM0_INITIAL_EVENTS), MEMBW_UNLIMITED);
	if (!err)
		err = membw_domain_set_budget(policy, 1, HYP_BPS(HYP_VM1_INITIAL_EVENTS),
					      MEMBW_UNLIMITED);
	if (!err)
		err = membw_cpu_set_domain(policy, 0, 0);
	if (!err)
		err = membw_cpu_set_domain(policy, 1, 1);
	if (err)
		con_printf("hyp: budgets or CPU assignment refused: %d\n", err);
	return err;
}

static int memtalk_setup(void)
{
	struct membw_memtalk_host_config cfg = {
		.size = sizeof(cfg),
		.nvms = HYP_NCPUS,
		.base = MEMBW_MEMTALK_BASE_DEFAULT,
		.flags = MEMBW_MEMTALK_HOST_OWNS_RANGE,
		/* the benchmark repeats SET_BUDGET back to back: no rate limit there */
		.min_interval_ns = run_mode == HYP_MODE_BENCH ? 0 : HYP_RATE_INTERVAL_NS,
		.burst = HYP_RATE_BURST,
	};
	struct membw_memtalk_vm_limits vms[HYP_NCPUS] = {
		{
			.domain = 0,
			.cap_bps = { HYP_BPS(HYP_VM0_CAP_EVENTS), MEMBW_UNLIMITED },
			.floor_bps = { HYP_BPS(HYP_VM1_FLOOR_EVENTS), 0 },
		},
		{
			.domain = 1,
			.cap_bps = { HYP_BPS(HYP_VM1_CAP_EVENTS), MEMBW_UNLIMITED },
			.floor_bps = { HYP_BPS(HYP_VM1_FLOOR_EVENTS), 0 },
		},
	};
	int err = membw_memtalk_host_init(&host, host_storage, sizeof(host_storage), policy, &cfg,
					  vms);

	if (err)
		con_printf("hyp: membw_memtalk_host_init: %d\n", err);
	return err;
}

static bool word_is(const char *w, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(w, want, len) == 0;
}

/*
 * The command line (QEMU -append, after the image name): words separated by spaces.
 *   icount=...                  the runner's note of the QEMU setting (ignored)
 *   mode=check | mode=bench     the test (default) or the benchmark
 *   fault=no-park | fault=count-el2 | fault=no-tpmcr
 *                               break the hypervisor on purpose, to prove the checks can fail:
 *                               never park a throttled CPU / count EL2 in the policy's counters /
 *                               let the guests write PMCR_EL0 (MDCR_EL2.TPMCR, TPM clear)
 * Anything else is refused, with a message that says what is accepted.
 */
static int parse_cmdline(const char *line)
{
	const char *w = line, *end;

	while (*w && *w != ' ')
		w++; /* the image name */
	for (;;) {
		size_t len;

		while (*w == ' ')
			w++;
		if (!*w)
			return 0;
		for (end = w; *end && *end != ' '; end++)
			;
		len = (size_t)(end - w);
		if (len >= 7 && memcmp(w, "icount=", 7) == 0)
			;
		else if (word_is(w, len, "mode=check"))
			run_mode = HYP_MODE_CHECK;
		else if (word_is(w, len, "mode=bench"))
			run_mode = HYP_MODE_BENCH;
		else if (word_is(w, len, "fault=no-park"))
			fault = FAULT_NO_PARK;
		else if (word_is(w, len, "fault=count-el2"))
			fault = FAULT_COUNT_EL2;
		else if (word_is(w, len, "fault=no-tpmcr"))
			fault = FAULT_NO_TPMCR;
		else {
			char word[48];
			size_t n = len < sizeof(word) - 1 ? len : sizeof(word) - 1;

			memcpy(word, w, n);
			word[n] = 0;
			pf_printf("FAIL hyp: unknown command-line word '%s': use mode=check or "
				  "mode=bench, and optionally fault=no-park, fault=count-el2 or "
				  "fault=no-tpmcr\n",
				  word);
			return -1;
		}
		w = end;
	}
}

int test_main(void)
{
	char cmdline[256];
	uint64_t rc;

	if (platform_el() != 2 || gic_version() != 3) {
		pf_printf("FAIL hyp: needs -M virt,virtualization=on,gic-version=3 (EL %u, GICv%u)\n",
			  platform_el(), gic_version());
		pf_printf("RESULT hyp_memtalk: FAIL\n");
		return 1;
	}
	if (semihost_cmdline(cmdline, sizeof(cmdline)) != 0 || parse_cmdline(cmdline) != 0) {
		pf_printf("RESULT hyp_memtalk: FAIL\n");
		return 1;
	}
	cpu_setup(&cpus[0], 0);
	con_printf("hyp: EL2, GICv3, PMCR_EL0.N = %u, MDCR_EL2.HPMN = %llu, mode %s, fault %s\n",
		   pmu_counters(), (unsigned long long)(read_mdcr_el2() & MDCR_HPMN_MASK),
		   run_mode == HYP_MODE_BENCH ? "bench" : "check", fault_names[fault]);
	if (policy_setup() || memtalk_setup())
		return 1;
	rc = psci_cpu_on(1, (uint64_t)(uintptr_t)hyp_secondary_entry,
			 (uint64_t)(uintptr_t)(stack_cpu1 + sizeof(stack_cpu1)));
	hyp_check(rc == 0, "PSCI CPU_ON (SMC conduit) started CPU 1", rc, 0);
	if (rc)
		return 1;
	cpu_run_guest(&cpus[0], run_mode == HYP_MODE_BENCH ? guest_bench_main : guest_regulated_main);
}

/* ---- the verdict, on CPU 0 after its guest is done ---------------------------------------- */

static void check_periods(const struct hyp_cpu *c)
{
	uint64_t budget = HYP_VM0_BUDGET_EVENTS, max_overshoot = 0, throttled_periods = 0;
	uint64_t worst_alone = 0;
	unsigned int i, at_budget = 0, over = 0, alone = 0;

	for (i = 0; i < c->nperiods; i++) {
		const struct period_entry *p = &c->period[i];

		/* The skid bound holds for periods CPU 0 ran alone: the other guest had finished
		 * before the period began (the previous one ended after it). See HYP_SKID_EVENTS. */
		if (i > 0 && c->period[i - 1].other_cpu_done) {
			alone++;
			if (p->used > p->allowance + HYP_SKID_EVENTS)
				over++;
			if (p->used > p->allowance && p->used - p->allowance > worst_alone)
				worst_alone = p->used - p->allowance;
		}
		if (p->allowance == budget) {
			at_budget++;
			if (p->used >= budget)
				throttled_periods++;
		}
		if (p->overshoot > max_overshoot)
			max_overshoot = p->overshoot;
	}
	con_printf("NOTE hyp: CPU 0: %u periods logged (%u lost), %u at guest 0's budget of %llu "
		   "events, %llu of them used up; largest overshoot %llu events, %llu in the %u "
		   "periods run alone; %llu ticks, "
		   "%llu PMU interrupts, %llu throttles, %llu WFI wake-ups\n",
		   c->nperiods, c->lost_periods, at_budget, (unsigned long long)budget,
		   (unsigned long long)throttled_periods, (unsigned long long)max_overshoot,
		   (unsigned long long)worst_alone, alone,
		   (unsigned long long)c->ticks, (unsigned long long)c->overflow_irqs,
		   (unsigned long long)c->throttles, (unsigned long long)c->wfi_wakeups);
	hyp_check(alone >= 5, "CPU 0 ran at least 5 periods alone (guest 1 finished)", alone, 5);
	hyp_check(over == 0, "every period CPU 0 ran alone: used <= allowance + HYP_SKID_EVENTS "
		  "(the throttle's skid)", over, 0);
	hyp_check(at_budget >= 5,
		  "CPU 0 ran at least 5 periods with an allowance of exactly guest 0's budget "
		  "(a domain of one CPU gets the whole budget)", at_budget, 5);
	hyp_check(throttled_periods >= 5 && c->throttles >= 5 && c->wfi_wakeups >= 5,
		  "CPU 0 was throttled and parked in WFI in at least 5 periods", c->throttles, 5);
}

static void __attribute__((noreturn)) finish(void)
{
	uint64_t rd, wr;
	unsigned int i;
	int err;

	while (!cpus[1].done)
		cpu_wait_step();
	for (i = 0; i < HYP_NCPUS; i++) {
		char fact[96];

		format(fact, sizeof(fact), "guest %u reported every assertion passed", i);
		hyp_check(cpus[i].guest_failed == 0 && cpus[i].guest_passed > 0, fact,
			  cpus[i].guest_failed, 0);
		format(fact, sizeof(fact), "no policy entry point failed on CPU %u", i);
		hyp_check(cpus[i].first_error == 0, fact, (unsigned long long)-cpus[i].first_error, 0);
	}
	for (i = 0; i < HYP_NCPUS; i++)
		con_printf("NOTE hyp: CPU %u: %llu ticks, %llu PMU interrupts, %llu throttles, %llu "
			   "PMU register accesses emulated, %llu undefined instructions injected\n", i,
			   (unsigned long long)cpus[i].ticks, (unsigned long long)cpus[i].overflow_irqs,
			   (unsigned long long)cpus[i].throttles, (unsigned long long)cpus[i].pmu_traps,
			   (unsigned long long)cpus[i].undefs_injected);
	if (run_mode == HYP_MODE_CHECK) {
		err = membw_domain_get_budget(policy, 0, &rd, &wr);
		hyp_check(err == 0 && rd == HYP_BPS(HYP_VM0_BUDGET_EVENTS),
			  "domain 0 (VM 0) still has the read budget guest 0 set", rd,
			  HYP_BPS(HYP_VM0_BUDGET_EVENTS));
		err = membw_domain_get_budget(policy, 1, &rd, &wr);
		hyp_check(err == 0 && rd <= HYP_BPS(HYP_VM1_CAP_EVENTS),
			  "domain 1 (VM 1) is within its cap", rd, HYP_BPS(HYP_VM1_CAP_EVENTS));
		check_periods(&cpus[0]);
	}
	con_printf("SUMMARY hyp_memtalk: hypervisor %u passed, %u failed; guest 0 %llu passed, "
		   "%llu failed; guest 1 %llu passed, %llu failed\n",
		   hyp_passed, hyp_failed, (unsigned long long)cpus[0].guest_passed,
		   (unsigned long long)cpus[0].guest_failed, (unsigned long long)cpus[1].guest_passed,
		   (unsigned long long)cpus[1].guest_failed);
	con_printf("RESULT hyp_memtalk: %s\n", hyp_failed ? "FAIL" : "PASS");
	semihost_exit(hyp_failed ? 1 : 0);
}
