/* SPDX-License-Identifier: MIT */
/*
 * The x86 counter backend: Intel architectural performance monitoring (v2+) through the
 * accessors of msr.h, with the names of msr_fields.h; the facts and their sources are in
 * docs/x86-perfmon.md. Only membw_x86_backend, x86_overflow_ack(), x86_vmx_global_ctrl(),
 * x86_channel_counters() and x86_cpu_reason() leave this file. Every hook runs on the CPU it
 * programs, at ring 0, with interrupts off (backend.h).
 *
 * Ownership. The backend owns general-purpose counters first_counter .. + channels - 1: their
 * IA32_PERFEVTSELx and IA32_PMCx, their bits of IA32_PERF_GLOBAL_CTRL (read-modify-write) and of
 * IA32_PERF_GLOBAL_STATUS (cleared one bit at a time through the reset MSR). Every other counter,
 * enable and overflow bit is left as found.
 *
 * Start and stop. A channel is started and stopped with its own IA32_PERFEVTSELx.EN (one WRMSR,
 * no shared state); the owned IA32_PERF_GLOBAL_CTRL bits stay set (checked on each arm) so that
 * a VMX hypervisor can switch them on VM entry/exit (x86_vmx_global_ctrl()). The SDM requires EN
 * to be clear while IA32_PMCx is written (docs/x86-perfmon.md#x86-perfmon-programming).
 *
 * Counter width (docs/x86-perfmon.md#x86-perfmon-writes). With IA32_PERF_CAPABILITIES.FW_WRITE
 * the presets go through IA32_A_PMCx, all w bits. Without it a write to IA32_PMCx sets bits
 * [31:0] and copies bit 31 into bits [w-1:32]: a preset 2^w - n comes out exact only when its
 * bit 31 is set, i.e. n <= 2^31. The backend then reports 31-bit counters: every arm the policy
 * can ask for (n < 2^31) is exact, reads are masked to 31 bits, and the counter still overflows
 * (and interrupts) at the hardware wrap, which is exactly where a 31-bit counter preset to
 * 2^31 - n wraps.
 */
#include <membw/membw.h>

#include "events.h"
#include "msr.h"
#include "msr_fields.h"
#include "x86.h"

#define LEGACY_WRITE_MASK 0xFFFFFFFFull /* what a WRMSR to IA32_PMCx takes: EAX */
#define LEGACY_BITS 31u

/* Per-CPU private state (membw_backend::priv_size bytes, zeroed before the first cpu_init). */
struct x86_cpu {
	uint32_t ready;
	const char *reason; /* why this CPU's last cpu_init refused, NULL if it did not */
	uint32_t nch;
	uint32_t full_width; /* presets through IA32_A_PMCx */
	uint32_t apic;
	uint32_t flags;
	uint32_t version;
	uint32_t host_on, guest_on; /* owned GLOBAL_CTRL bits set while the host / a guest runs */
	uint32_t froze_debugctl;    /* cpu_init set Freeze_PerfMon_On_PMI (cpu_exit clears it) */
	uint32_t lvt;               /* the LVT entry, unmasked: vector | delivery mode */
	uintptr_t xapic_base;
	uint64_t mask;  /* 2^counter_bits - 1: the counter as the policy sees it */
	uint64_t owned; /* GLOBAL_CTRL / GLOBAL_STATUS bits of our counters */
	uint32_t counter[MEMBW_NCHANNELS];
	uint64_t evtsel[MEMBW_NCHANNELS]; /* IA32_PERFEVTSELx with EN clear */
	uint64_t last[MEMBW_NCHANNELS];   /* value the last read() returned */
	uint64_t bias[MEMBW_NCHANNELS];   /* read() = (IA32_PMCx + bias) & mask; see rearm */
};

/* What one CPU's CPUID says (probe and cpu_init each read their own). */
struct x86_pmu {
	uint32_t intel;
	uint32_t hypervisor;
	uint32_t pdcm;
	uint32_t family, model, stepping;
	uint32_t version, n, width;
	uint32_t ebx, ebx_len;
	uint32_t line_size;
	uint32_t full_width;
	uint32_t bits;
};

static int refuse(const char **slot, int err, const char *why)
{
	*slot = why;
	return err;
}

static int check_ctx(const struct x86_ctx *ctx, const char **why)
{
	const uint32_t known = X86_FLAG_FREEZE_ON_PMI | X86_FLAG_VMX | X86_FLAG_EXIT_MASKS_LVT;

	if (ctx->flags & ~known)
		return refuse(why, -MEMBW_EINVAL, "x86_ctx.flags has bits no X86_FLAG_ names");
	if (ctx->want_channels > 2)
		return refuse(why, -MEMBW_EINVAL, "x86_ctx.want_channels must be 0 (automatic), 1 or 2");
	if (ctx->apic > X86_APIC_X2APIC)
		return refuse(why, -MEMBW_EINVAL, "x86_ctx.apic must be X86_APIC_NONE, _XAPIC or _X2APIC");
	if (ctx->apic == X86_APIC_XAPIC && !ctx->xapic_base)
		return refuse(why, -MEMBW_EINVAL, "X86_APIC_XAPIC needs x86_ctx.xapic_base, the mapped APIC page");
	if (ctx->lvt_delivery > X86_LVT_NMI)
		return refuse(why, -MEMBW_EINVAL, "x86_ctx.lvt_delivery must be X86_LVT_FIXED or X86_LVT_NMI");
	if (ctx->apic != X86_APIC_NONE && ctx->lvt_delivery == X86_LVT_FIXED &&
	    (ctx->lvt_vector < X86_LVT_MIN_VECTOR || ctx->lvt_vector > X86_LVT_VECTOR_MASK))
		return refuse(why, -MEMBW_EINVAL, "x86_ctx.lvt_vector must be 16..255 for fixed delivery");
	return 0;
}

static uint32_t field(uint32_t reg, unsigned int shift, uint32_t mask)
{
	return (reg >> shift) & mask;
}

/*
 * Read this CPU's CPUID (and, if CPUID says it exists, IA32_PERF_CAPABILITIES), and refuse what
 * the backend cannot use. No MSR is touched before CPUID has said the perfmon is there.
 */
static int read_pmu(const struct x86_ctx *ctx, struct x86_pmu *pmu, const char **why)
{
	uint32_t r[4], max_leaf, sig, base_family, base_model;

	x86_cpuid(X86_CPUID_VENDOR, 0, r);
	max_leaf = r[0];
	pmu->intel = r[1] == X86_VENDOR_INTEL_EBX && r[3] == X86_VENDOR_INTEL_EDX &&
		     r[2] == X86_VENDOR_INTEL_ECX;
	pmu->hypervisor = 0;
	pmu->pdcm = 0;
	pmu->family = pmu->model = pmu->stepping = 0;
	pmu->version = pmu->n = pmu->width = pmu->ebx = pmu->ebx_len = 0;
	pmu->full_width = 0;
	pmu->bits = 0;
	pmu->line_size = 0;
	if (r[1] == X86_VENDOR_AMD_EBX)
		return refuse(why, -MEMBW_ENODEV,
			      "an AMD CPU: its counters are PerfEvtSel/PerfCtr MSRs, not Intel's architectural perfmon; the x86 backend does not drive them yet (backends/x86/README.md)");
	if (max_leaf < X86_CPUID_PERFMON)
		return refuse(why, -MEMBW_ENODEV,
			      "CPUID has no leaf 0x0A: no architectural performance monitoring on this CPU");
	x86_cpuid(X86_CPUID_SIGNATURE, 0, r);
	sig = r[0];
	base_family = field(sig, X86_SIG_FAMILY_SHIFT, X86_SIG_NIBBLE_MASK);
	base_model = field(sig, X86_SIG_MODEL_SHIFT, X86_SIG_NIBBLE_MASK);
	pmu->stepping = sig & X86_SIG_STEPPING_MASK;
	/* SDM: DisplayFamily adds the extended family only for family 0xF; DisplayModel adds the
	 * extended model (shifted left 4) for families 6 and 0xF. */
	pmu->family = base_family;
	if (base_family == 0xF)
		pmu->family += field(sig, X86_SIG_EXT_FAMILY_SHIFT, X86_SIG_EXT_FAMILY_MASK);
	pmu->model = base_model;
	if (base_family == 0x6 || base_family == 0xF)
		pmu->model |= field(sig, X86_SIG_EXT_MODEL_SHIFT, X86_SIG_NIBBLE_MASK) << 4;
	pmu->line_size = field(r[1], X86_CPUID1_EBX_CLFLUSH_SHIFT, X86_CPUID1_EBX_CLFLUSH_MASK) * 8u;
	pmu->hypervisor = (r[2] & X86_CPUID1_ECX_HYPERVISOR) != 0;
	pmu->pdcm = (r[2] & X86_CPUID1_ECX_PDCM) != 0;

	x86_cpuid(X86_CPUID_PERFMON, 0, r);
	pmu->version = r[0] & X86_PERFMON_EAX_VERSION_MASK;
	pmu->n = field(r[0], X86_PERFMON_EAX_NGP_SHIFT, X86_PERFMON_EAX_FIELD_MASK);
	pmu->width = field(r[0], X86_PERFMON_EAX_WIDTH_SHIFT, X86_PERFMON_EAX_FIELD_MASK);
	pmu->ebx_len = field(r[0], X86_PERFMON_EAX_EBX_LEN_SHIFT, X86_PERFMON_EAX_FIELD_MASK);
	pmu->ebx = r[1];
	if (pmu->version == 0)
		return refuse(why, -MEMBW_ENODEV,
			      pmu->hypervisor ? "a hypervisor hides the performance counters: CPUID.1:ECX[31] is set and leaf 0x0A reports no perfmon version (QEMU TCG, or a VM without vPMU); run on the host or enable the guest PMU"
					      : "no architectural performance monitoring: CPUID leaf 0x0A reports version 0");
	if (pmu->version < 2)
		return refuse(why, -MEMBW_ENODEV,
			      "architectural perfmon version 1 has no IA32_PERF_GLOBAL_STATUS to tell which counter overflowed: the backend needs version 2 or later");
	if (pmu->width < 8 || pmu->width > 64)
		return refuse(why, -MEMBW_ENODEV, "CPUID.0AH:EAX[23:16] gives a counter width outside 8..64");
	if (ctx->ncounters == 0)
		return refuse(why, -MEMBW_ENODEV,
			      "the backend uses only counters handed over: set x86_ctx.first_counter and ncounters");
	if (ctx->first_counter >= pmu->n || ctx->ncounters > pmu->n - ctx->first_counter)
		return refuse(why, -MEMBW_ENODEV,
			      "the counters handed over (x86_ctx.first_counter, ncounters) go beyond CPUID.0AH:EAX[15:8] on this CPU");
	if (pmu->pdcm)
		pmu->full_width = (x86_rdmsr(X86_MSR_IA32_PERF_CAPABILITIES) & X86_PERF_CAP_FW_WRITE) != 0;
	pmu->bits = pmu->width;
	if (!pmu->full_width && pmu->width > 32)
		pmu->bits = LEGACY_BITS;
	if (ctx->apic != X86_APIC_NONE) {
		uint64_t base = x86_rdmsr(X86_MSR_IA32_APIC_BASE);
		uint32_t x2 = (base & X86_APIC_BASE_EXTD) != 0;

		if (!(base & X86_APIC_BASE_ENABLE))
			return refuse(why, -MEMBW_ENODEV, "the local APIC is disabled (IA32_APIC_BASE.EN is 0)");
		if (x2 != (ctx->apic == X86_APIC_X2APIC))
			return refuse(why, -MEMBW_ENODEV,
				      x2 ? "the local APIC is in x2APIC mode: set x86_ctx.apic = X86_APIC_X2APIC"
					 : "the local APIC is in xAPIC mode: set x86_ctx.apic = X86_APIC_XAPIC and xapic_base");
	}
	return 0;
}

/* Which architectural event (EBX bit) @code is, or X86_ARCH_EV_COUNT if none. */
static uint32_t arch_index(uint32_t code)
{
	static const uint16_t arch[X86_ARCH_EV_COUNT] = {
		[X86_ARCH_EV_CORE_CYCLES] = X86_ARCH_CODE_CORE_CYCLES,
		[X86_ARCH_EV_INST_RETIRED] = X86_ARCH_CODE_INST_RETIRED,
		[X86_ARCH_EV_REF_CYCLES] = X86_ARCH_CODE_REF_CYCLES,
		[X86_ARCH_EV_LLC_REFERENCE] = X86_ARCH_CODE_LLC_REFERENCE,
		[X86_ARCH_EV_LLC_MISSES] = X86_ARCH_CODE_LLC_MISSES,
		[X86_ARCH_EV_BRANCHES] = X86_ARCH_CODE_BRANCHES,
		[X86_ARCH_EV_BRANCH_MISSES] = X86_ARCH_CODE_BRANCH_MISSES,
	};
	uint32_t i;

	for (i = 0; i < X86_ARCH_EV_COUNT; i++)
		if (arch[i] == code)
			return i;
	return X86_ARCH_EV_COUNT;
}

/* Can this CPU count @code? Architectural events must be enumerated and not marked unavailable
 * in CPUID.0AH:EBX; model-specific ones cannot be checked and are taken on trust. */
static bool event_available(const struct x86_pmu *pmu, uint32_t code)
{
	uint32_t i = arch_index(code);

	if (i == X86_ARCH_EV_COUNT)
		return true;
	return i < pmu->ebx_len && !(pmu->ebx & (1u << i));
}

static uint32_t default_event(const struct x86_pmu *pmu, const struct x86_core *core,
			      unsigned int ch, uint32_t *fell_back)
{
	uint32_t own = ch == MEMBW_CH_READ ? core->read_event : core->write_event;

	if (own && event_available(pmu, own)) {
		if (core->generic)
			*fell_back = 1;
		return own;
	}
	*fell_back = 1;
	if (ch == MEMBW_CH_READ && event_available(pmu, X86_ARCH_CODE_LLC_MISSES))
		return X86_ARCH_CODE_LLC_MISSES;
	return X86_NO_EVENT;
}

static uint64_t mask_of(uint32_t bits)
{
	return bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
}

static int x86_probe(void *vctx, struct membw_backend_info *info)
{
	struct x86_ctx *ctx = vctx;
	const struct x86_core *core;
	struct x86_pmu pmu;
	uint32_t channels, fell_back = 0, ev[MEMBW_NCHANNELS];
	unsigned int ch;
	int err;

	if (!ctx || ctx->size < sizeof(*ctx))
		return -MEMBW_EINVAL; /* no reason: there is no context to leave it in */
	ctx->channels = 0; /* cpu_init refuses until a probe succeeds */
	err = check_ctx(ctx, &ctx->reason);
	if (err)
		return err;
	if (!info || info->size < sizeof(*info))
		return refuse(&ctx->reason, -MEMBW_EINVAL, "membw_backend_info.size is smaller than this backend's version");
	err = read_pmu(ctx, &pmu, &ctx->reason);
	ctx->version = pmu.version;
	if (err)
		return err;
	core = x86_core_lookup(pmu.intel, pmu.family, pmu.model, pmu.stepping);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		ev[ch] = default_event(&pmu, core, ch, &fell_back);
	if (ctx->want_channels)
		channels = ctx->want_channels;
	else
		channels = ctx->ncounters >= 2 && ev[MEMBW_CH_WRITE] != X86_NO_EVENT ? 2 : 1;
	if (ctx->ncounters < channels)
		return refuse(&ctx->reason, -MEMBW_ENODEV,
			      "not enough counters handed over for two channels: hand over two, or set x86_ctx.want_channels = 1");

	ctx->family = pmu.family;
	ctx->model = pmu.model;
	ctx->stepping = pmu.stepping;
	ctx->counters_total = pmu.n;
	ctx->counter_width = pmu.width;
	ctx->full_width_writes = pmu.full_width;
	ctx->counter_bits = pmu.bits;
	ctx->channels = channels;
	ctx->core_name = core->generic ? "generic (architectural events)" : core->name;
	ctx->fell_back = fell_back;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		ctx->default_event[ch] = ev[ch];
	ctx->reason = NULL;

	info->channels = channels;
	info->counter_bits = pmu.bits;
	info->line_size = pmu.line_size ? pmu.line_size : 64u;
	info->levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL |
		       (ctx->flags & X86_FLAG_VMX ? MEMBW_COUNT_HYP : 0u);
	/* The PMI is asynchronous (skid): events go on counting until the handler reads. */
	info->caps = MEMBW_CAP_LATE_OVERFLOW | (pmu.line_size ? MEMBW_CAP_LINE_SIZE_PROBED : 0u);
	if (fell_back)
		info->caps |= MEMBW_CAP_GENERIC_EVENTS;
	return 0;
}

/*
 * USR/OS for @levels and where the owned GLOBAL_CTRL bits are set (host: the live MSR; guest:
 * the value loaded on VM entry). Without X86_FLAG_VMX there is only the "host".
 */
static int plan_levels(struct x86_cpu *pc, const struct x86_ctx *ctx, uint32_t levels,
		       uint64_t *filter)
{
	uint32_t rings = levels & (MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL);

	if (!levels || (levels & ~(uint32_t)MEMBW_COUNT_ALL))
		return refuse(&pc->reason, -MEMBW_EOPNOTSUPP, "the counted levels must be a nonzero set of MEMBW_COUNT_*");
	if (!(ctx->flags & X86_FLAG_VMX)) {
		if (levels & MEMBW_COUNT_HYP)
			return refuse(&pc->reason, -MEMBW_EOPNOTSUPP,
				      "MEMBW_COUNT_HYP needs X86_FLAG_VMX: the backend must run in a VMX hypervisor");
		pc->host_on = 1;
		pc->guest_on = 0;
	} else if (levels & MEMBW_COUNT_HYP) {
		/* One IA32_PERFEVTSELx serves host and guest: USR/OS cannot differ between them. */
		if (rings && rings != (MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL))
			return refuse(&pc->reason, -MEMBW_EOPNOTSUPP,
				      "MEMBW_COUNT_HYP with only one of USER/KERNEL: the guest's rings cannot be filtered apart from the host's; count both or neither");
		rings = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL; /* VMX root at any ring */
		pc->host_on = 1;
		pc->guest_on = (levels & MEMBW_COUNT_USER) != 0;
	} else {
		pc->host_on = 0;
		pc->guest_on = 1;
	}
	*filter = X86_EVTSEL_INT;
	if (rings & MEMBW_COUNT_USER)
		*filter |= X86_EVTSEL_USR;
	if (rings & MEMBW_COUNT_KERNEL)
		*filter |= X86_EVTSEL_OS;
	return 0;
}

static int pick_event(const char **why, const struct x86_pmu *pmu, const struct x86_core *core,
		      unsigned int ch, uint64_t code, uint32_t *ev)
{
	uint32_t fell_back = 0;

	if (code == 0) {
		*ev = default_event(pmu, core, ch, &fell_back);
		if (*ev == X86_NO_EVENT)
			return refuse(why, -MEMBW_EOPNOTSUPP,
				      ch == MEMBW_CH_READ ? "no default read event: the architectural LLC Misses event is not available (CPUID.0AH:EBX bit 4); name one in membw_config.event[0]"
							  : "no default write-back event on this CPU: name one in membw_config.event[1]");
		return 0;
	}
	if (code & ~(X86_EVENT_EXPLICIT | X86_EVTSEL_EVENT_MASK | X86_EVTSEL_UMASK_MASK))
		return refuse(why, -MEMBW_EOPNOTSUPP,
			      "an x86 event code is event | umask << 8 (bits 15:0), optionally with X86_EVENT_EXPLICIT; other bits are set");
	*ev = (uint32_t)(code & (X86_EVTSEL_EVENT_MASK | X86_EVTSEL_UMASK_MASK));
	if (!event_available(pmu, *ev))
		return refuse(why, -MEMBW_EOPNOTSUPP,
			      "the requested architectural event is not available on this CPU (CPUID.0AH:EBX)");
	return 0;
}

/* Counter @c's IA32_PERF_GLOBAL_CTRL / _STATUS bit. */
static uint64_t bit_of(uint32_t c)
{
	return (uint64_t)1 << c;
}

/* The owned GLOBAL_CTRL bits as they must be while the host runs; write only on a change. */
static void keep_global_ctrl(const struct x86_cpu *pc)
{
	uint64_t v = x86_rdmsr(X86_MSR_IA32_PERF_GLOBAL_CTRL);
	uint64_t want = pc->host_on ? v | pc->owned : v & ~pc->owned;

	if (want != v)
		x86_wrmsr(X86_MSR_IA32_PERF_GLOBAL_CTRL, want);
}

/* The reset MSR has one address under two names: IA32_PERF_GLOBAL_OVF_CTRL (v2, v3) and
 * IA32_PERF_GLOBAL_STATUS_RESET (v4+). */
static uint32_t status_reset_msr(const struct x86_cpu *pc)
{
	return pc->version >= 4 ? X86_MSR_IA32_PERF_GLOBAL_STATUS_RESET
				: X86_MSR_IA32_PERF_GLOBAL_OVF_CTRL;
}

static void write_lvt(const struct x86_cpu *pc, uint32_t v)
{
	if (pc->apic == X86_APIC_XAPIC)
		x86_xapic_write_lvt_pmc(pc->xapic_base, v);
	else if (pc->apic == X86_APIC_X2APIC)
		x86_x2apic_write_lvt_pmc(v);
}

static uint32_t read_lvt(const struct x86_cpu *pc)
{
	if (pc->apic == X86_APIC_XAPIC)
		return x86_xapic_read_lvt_pmc(pc->xapic_base);
	if (pc->apic == X86_APIC_X2APIC)
		return x86_x2apic_read_lvt_pmc();
	return 0;
}

static int x86_cpu_init(void *vctx, unsigned int cpu, void *priv,
			const struct membw_counter_setup *setup)
{
	struct x86_ctx *ctx = vctx;
	struct x86_cpu *pc = priv;
	const struct x86_core *core;
	struct x86_pmu pmu;
	uint32_t ev[MEMBW_NCHANNELS] = { 0 };
	uint64_t filter = 0;
	unsigned int ch;
	int err;

	(void)cpu;
	if (!ctx || ctx->size < sizeof(*ctx))
		return refuse(&pc->reason, -MEMBW_EINVAL, "x86_ctx is missing or its size is too small");
	err = check_ctx(ctx, &pc->reason);
	if (err)
		return err;
	if (ctx->channels == 0)
		return refuse(&pc->reason, -MEMBW_ENODEV, "cpu_init before a successful probe");
	if (!setup || setup->size < sizeof(*setup))
		return refuse(&pc->reason, -MEMBW_EOPNOTSUPP, "membw_counter_setup.size is too small");
	err = read_pmu(ctx, &pmu, &pc->reason);
	if (err)
		return err;
	if (pmu.bits != ctx->counter_bits)
		return refuse(&pc->reason, -MEMBW_ENODEV,
			      "this CPU's counters do not have the probed CPU's width (or full-width writes)");
	if (ctx->ncounters < ctx->channels)
		return refuse(&pc->reason, -MEMBW_ENODEV, "not enough counters on this CPU for the probed channels");
	err = plan_levels(pc, ctx, setup->levels, &filter);
	if (err)
		return err;
	core = x86_core_lookup(pmu.intel, pmu.family, pmu.model, pmu.stepping);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		if (ch >= ctx->channels) {
			if (setup->event[ch])
				return refuse(&pc->reason, -MEMBW_EOPNOTSUPP,
					      "an event was named for a channel the backend does not run: set x86_ctx.want_channels = 2");
			continue;
		}
		err = pick_event(&pc->reason, &pmu, core, ch, setup->event[ch], &ev[ch]);
		if (err)
			return err;
	}

	/* Everything checked: nothing below can fail. Program the hardware, counters stopped. */
	pc->ready = 0;
	pc->nch = ctx->channels;
	pc->full_width = pmu.full_width;
	pc->apic = ctx->apic;
	pc->xapic_base = ctx->xapic_base;
	pc->flags = ctx->flags;
	pc->version = pmu.version;
	pc->mask = mask_of(pmu.bits);
	pc->owned = 0;
	pc->lvt = ctx->lvt_delivery == X86_LVT_NMI ? X86_LVT_DELIVERY_NMI
						   : X86_LVT_DELIVERY_FIXED | (ctx->lvt_vector & X86_LVT_VECTOR_MASK);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		pc->counter[ch] = 0;
		pc->evtsel[ch] = 0;
		pc->last[ch] = 0;
		pc->bias[ch] = 0;
		if (ch >= pc->nch)
			continue;
		pc->counter[ch] = ctx->first_counter + ch;
		pc->owned |= bit_of(pc->counter[ch]);
		pc->evtsel[ch] = filter | ev[ch];
		x86_wrmsr(X86_MSR_IA32_PERFEVTSEL0 + pc->counter[ch], pc->evtsel[ch]);
	}
	x86_wrmsr(status_reset_msr(pc), pc->owned);
	keep_global_ctrl(pc);
	if ((pc->flags & X86_FLAG_FREEZE_ON_PMI) && !pc->froze_debugctl) {
		uint64_t dbg = x86_rdmsr(X86_MSR_IA32_DEBUGCTL);

		if (!(dbg & X86_DEBUGCTL_FREEZE_PERFMON_ON_PMI)) {
			x86_wrmsr(X86_MSR_IA32_DEBUGCTL, dbg | X86_DEBUGCTL_FREEZE_PERFMON_ON_PMI);
			pc->froze_debugctl = 1;
		}
	}
	write_lvt(pc, pc->lvt);
	pc->ready = 1;
	pc->reason = NULL;
	return 0;
}

/* Stop channel @ch: EN clear. The SDM wants this before IA32_PMCx is written. */
static void stop_counter(const struct x86_cpu *pc, unsigned int ch)
{
	x86_wrmsr(X86_MSR_IA32_PERFEVTSEL0 + pc->counter[ch], pc->evtsel[ch]);
}

/* Raw hardware value of @ch's counter as the policy sees it (bias applied, masked). */
static uint64_t counter_value(const struct x86_cpu *pc, unsigned int ch)
{
	return (x86_rdmsr(X86_MSR_IA32_PMC0 + pc->counter[ch]) + pc->bias[ch]) & pc->mask;
}

/*
 * Write @value (a w-bit hardware value whose low 31 bits the policy sees) to @ch's counter,
 * stopped: all bits through IA32_A_PMCx, or bits [31:0] through IA32_PMCx, which the CPU
 * sign-extends. The callers only ask for values that come out exact (bit 31 set without
 * full-width writes; see the top of this file).
 */
static void write_counter(const struct x86_cpu *pc, unsigned int ch, uint64_t value)
{
	if (pc->full_width)
		x86_wrmsr(X86_MSR_IA32_A_PMC0 + pc->counter[ch], value & pc->mask);
	else
		x86_wrmsr(X86_MSR_IA32_PMC0 + pc->counter[ch], value & LEGACY_WRITE_MASK);
}

/* Clear @ch's stale overflow, keep the enables, start counting. */
static void start_counter(const struct x86_cpu *pc, unsigned int ch)
{
	x86_wrmsr(status_reset_msr(pc), bit_of(pc->counter[ch]));
	keep_global_ctrl(pc);
	x86_wrmsr(X86_MSR_IA32_PERFEVTSEL0 + pc->counter[ch], pc->evtsel[ch] | X86_EVTSEL_EN);
}

static int x86_arm(void *priv, unsigned int ch, uint64_t events)
{
	struct x86_cpu *pc = priv;

	if (!pc->ready || ch >= pc->nch || events == 0 || events > pc->mask)
		return -MEMBW_EIO;
	stop_counter(pc, ch);
	/* 2^w - n. Without full-width writes the mask is 2^31 - 1, so n < 2^31 and the low 32 bits
	 * of 2^32 - n have bit 31 set: the sign extension gives exactly 2^w - n. */
	write_counter(pc, ch, 0 - events);
	pc->bias[ch] = 0;
	start_counter(pc, ch);
	return 0;
}

/*
 * Like arm, counting from the last read: stop, read again, preset 2^w - n + (now - then), start.
 * When n or more events came since the read, the overflow is already due; software cannot make
 * the counter raise a PMI, so the counter is set to overflow with the very next event (all ones)
 * and the difference kept in bias, so that reads stay exact (README.md, "rearm").
 */
static int x86_rearm(void *priv, unsigned int ch, uint64_t events)
{
	struct x86_cpu *pc = priv;
	uint64_t now, since;

	if (!pc->ready || ch >= pc->nch || events == 0 || events > pc->mask)
		return -MEMBW_EIO;
	stop_counter(pc, ch);
	now = counter_value(pc, ch);
	since = (now - pc->last[ch]) & pc->mask;
	if (since < events) {
		write_counter(pc, ch, since - events);
		pc->bias[ch] = 0;
	} else {
		write_counter(pc, ch, ~(uint64_t)0);
		pc->bias[ch] = (since - events + 1) & pc->mask;
	}
	start_counter(pc, ch);
	return 0;
}

static int x86_read(void *priv, unsigned int ch, uint64_t *value)
{
	struct x86_cpu *pc = priv;

	/* @value is the caller's own variable (backend.h): not checked. */
	if (!pc->ready || ch >= pc->nch)
		return -MEMBW_EIO;
	*value = pc->last[ch] = counter_value(pc, ch);
	return 0;
}

static void x86_stop(void *priv, unsigned int ch)
{
	struct x86_cpu *pc = priv;

	if (!pc->ready || ch >= pc->nch)
		return;
	stop_counter(pc, ch);
	x86_wrmsr(status_reset_msr(pc), bit_of(pc->counter[ch]));
}

static void x86_cpu_exit(void *vctx, uint32_t cpu, void *priv)
{
	struct x86_cpu *pc = priv;
	unsigned int ch;
	uint64_t v;

	(void)vctx;
	(void)cpu;
	if (!pc->ready)
		return;
	/* IA32_PERFEVTSELx = 0: stopped, no PMI, and free (GLOBAL_INUSE reads evtsel[7:0] != 0). */
	for (ch = 0; ch < pc->nch; ch++)
		x86_wrmsr(X86_MSR_IA32_PERFEVTSEL0 + pc->counter[ch], 0);
	x86_wrmsr(status_reset_msr(pc), pc->owned);
	v = x86_rdmsr(X86_MSR_IA32_PERF_GLOBAL_CTRL);
	if (v & pc->owned)
		x86_wrmsr(X86_MSR_IA32_PERF_GLOBAL_CTRL, v & ~pc->owned);
	if (pc->froze_debugctl) {
		v = x86_rdmsr(X86_MSR_IA32_DEBUGCTL);
		x86_wrmsr(X86_MSR_IA32_DEBUGCTL, v & ~X86_DEBUGCTL_FREEZE_PERFMON_ON_PMI);
		pc->froze_debugctl = 0;
	}
	if ((pc->flags & X86_FLAG_EXIT_MASKS_LVT) && pc->apic != X86_APIC_NONE)
		write_lvt(pc, read_lvt(pc) | X86_LVT_MASKED);
	pc->ready = 0;
}

unsigned int x86_overflow_ack(void *priv)
{
	struct x86_cpu *pc = priv;
	uint64_t status, clear;
	unsigned int ch, channels = 0;

	if (!pc || !pc->ready)
		return 0;
	status = x86_rdmsr(X86_MSR_IA32_PERF_GLOBAL_STATUS);
	clear = status & pc->owned;
	if (pc->flags & X86_FLAG_FREEZE_ON_PMI) {
		if (pc->version >= 4)
			clear |= status & X86_GLOBAL_STATUS_CTR_FRZ; /* unfreeze (v4 streamlined) */
		else
			keep_global_ctrl(pc); /* legacy freeze cleared GLOBAL_CTRL */
	}
	if (clear)
		x86_wrmsr(status_reset_msr(pc), clear);
	for (ch = 0; ch < pc->nch; ch++)
		if (status & bit_of(pc->counter[ch]))
			channels |= 1u << ch;
	/* Last: delivering the PMI masked the entry; with the status cleared it may come again. */
	if (pc->apic != X86_APIC_NONE)
		write_lvt(pc, pc->lvt);
	return channels;
}

uint64_t x86_vmx_global_ctrl(const void *priv, uint64_t others, unsigned int guest)
{
	const struct x86_cpu *pc = priv;
	uint32_t on;

	if (!pc || !pc->ready)
		return others;
	on = guest ? pc->guest_on : pc->host_on;
	return on ? others | pc->owned : others & ~pc->owned;
}

uint64_t x86_channel_counters(const void *priv, unsigned int channel)
{
	const struct x86_cpu *pc = priv;

	if (!pc || !pc->ready || channel >= pc->nch)
		return 0;
	return bit_of(pc->counter[channel]);
}

const char *x86_cpu_reason(const void *priv)
{
	return priv ? ((const struct x86_cpu *)priv)->reason : NULL;
}

const struct membw_backend membw_x86_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "x86",
	.priv_size = sizeof(struct x86_cpu),
	.probe = x86_probe,
	.cpu_init = x86_cpu_init,
	.arm = x86_arm,
	.read = x86_read,
	.stop = x86_stop,
	.cpu_exit = x86_cpu_exit,
	.rearm = x86_rearm,
};
