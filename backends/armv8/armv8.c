/* SPDX-License-Identifier: MIT */
/*
 * The armv8 counter backend: PMUv3 event counters programmed through the accessors of sysreg.h,
 * with the field names of pmu_fields.h. Only membw_armv8_backend, armv8_overflow_ack(),
 * armv8_channel_counters() and armv8_cpu_reason() leave this file. Every hook runs on the CPU it programs, with
 * interrupts off (backend.h).
 *
 * Counters of one CPU (a documented contract, armv8.h): channel c uses counter first + c; with the
 * QEMU workaround its shadow is first + channels + c (same event and filter, preset one event
 * later, interrupt disabled).
 */
#include <stddef.h>

#include <membw/membw.h>

#include "armv8.h"
#include "events.h"
#include "pmu_fields.h"
#include "sysreg.h"

#define NO_COUNTER 0xFFu

struct armv8_cpu;

/*
 * Per-counter code (docs/armv8-pmu.md#armv8-pmu-accessors). PMEVCNTR<n>_EL0 is a different system
 * register for every n, and an MRS/MSR names its register in the instruction: reaching counter n
 * from a run-time n takes a 31-way switch. cpu_init, which knows n, picks a tiny function per
 * channel for that n instead (one per counter, generated below), so that read(), arm() and
 * rearm() reach their counter through one indirect branch, with every bit mask a constant.
 *   read:   store the counter (mask applied) in *value and in the channel's last value;
 *   direct: the same, returning the value: the direct reader the policy calls instead of read()
 *           (backend.h, ABI version 3), with the channel's last value as its argument;
 *   start:  write the preset (and the shadow's, one event later), clear the overflow flags
 *           @clear, ISB, enable the interrupt and the counter(s), ISB;
 *   reread: read the counter again for rearm() and go on in rearm_from().
 * The hooks call them last (a tail call: a branch, no stack frame).
 */
typedef int armv8_read_fn(uint64_t *last, unsigned int ch, uint64_t *value);
typedef uint64_t armv8_direct_fn(void *last);
typedef int armv8_start_fn(struct armv8_cpu *pc, uint64_t preset, uint64_t clear, uint64_t mask);
typedef int armv8_reread_fn(struct armv8_cpu *pc, unsigned int ch, uint64_t events);

/* Per-CPU private state (membw_backend::priv_size bytes, zeroed before the first cpu_init). */
struct armv8_cpu {
	/* The hot part, per channel. A channel is ready (cpu_init succeeded and the backend runs
	 * it) when its mask is not 0, and then its functions are set: read() checks its function,
	 * arm() and rearm() the mask, which their range check of @events reads anyway. */
	uint64_t last[MEMBW_NCHANNELS]; /* what read() last returned: rearm() counts from it */
	armv8_read_fn *read_fn[MEMBW_NCHANNELS];
	armv8_start_fn *start_fn[MEMBW_NCHANNELS];
	armv8_reread_fn *reread_fn[MEMBW_NCHANNELS];
	uint64_t ch_bits[MEMBW_NCHANNELS]; /* counter | shadow, as PMCNTEN/PMINTEN/PMOVS bits */
	uint64_t mask[MEMBW_NCHANNELS]; /* 2^w - 1, or 0: not ready */
	/* Control bits arm() keeps as they must be (someone else may have changed them): a
	 * register is right when (value & mask) == want. Mask 0: the register is not checked
	 * (MDCR_EL2's is 0 in EL1 mode, where the register is out of reach). */
	uint64_t pmcr_mask, pmcr_want;
	uint64_t mdcr_mask, mdcr_want;
	/* The cold part. */
	uint32_t live;  /* nch once cpu_init succeeded, else 0 (not ready) */
	const char *reason; /* why this CPU's last cpu_init refused, NULL if it did not */
	uint32_t mode;
	uint32_t nch;
	uint32_t first; /* channel c's counter is first + c */
	uint32_t all_bits;
	uint8_t counter[MEMBW_NCHANNELS]; /* the counter whose interrupt is armed */
	uint8_t shadow[MEMBW_NCHANNELS];  /* workaround counter, or NO_COUNTER */
};

/* What one CPU's PMU offers, read from its registers (probe and cpu_init each read their own). */
struct armv8_pmu {
	uint32_t version; /* PMUVer */
	uint32_t el2;     /* EL2 implemented */
	uint32_t n;       /* PMCR_EL0.N */
	uint32_t first;   /* first counter the backend may use */
	uint32_t avail;   /* counters from first it may use */
	uint32_t hpmn;    /* EL2 mode: MDCR_EL2.HPMN */
	uint64_t pmceid0, pmceid1;
};

static const char *const REASON_NO_PMU =
	"no PMUv3 on this CPU (ID_AA64DFR0_EL1.PMUVer is 0 or 0xF): use another counter backend";

/*
 * Record why a hook refused in @slot: probe's refusals in armv8_ctx::reason, a CPU's cpu_init
 * refusals in that CPU's private state (armv8_cpu_reason()), so CPUs failing at once never
 * overwrite each other's reason.
 */
static int refuse(const char **slot, int err, const char *why)
{
	*slot = why;
	return err;
}

static int check_ctx(struct armv8_ctx *ctx, const char **why)
{
	const uint32_t known = ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND | ARMV8_FLAG_COUNTERS_32BIT |
			       ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E | ARMV8_FLAG_EL0_ACCESS_OPEN;

	if (!ctx || ctx->size < sizeof(*ctx))
		return -MEMBW_EINVAL;
	if (ctx->mode != ARMV8_MODE_EL1 && ctx->mode != ARMV8_MODE_EL2)
		return refuse(why, -MEMBW_EINVAL, "armv8_ctx.mode must be ARMV8_MODE_EL1 or ARMV8_MODE_EL2");
	if (ctx->flags & ~known)
		return refuse(why, -MEMBW_EINVAL, "armv8_ctx.flags has bits no ARMV8_FLAG_ names");
	if (ctx->want_channels > 2)
		return refuse(why, -MEMBW_EINVAL, "armv8_ctx.want_channels must be 0 (automatic), 1 or 2");
	return 0;
}

static uint32_t field(uint64_t reg, uint64_t mask, unsigned int shift)
{
	return (uint32_t)((reg & mask) >> shift);
}

static uint32_t per_channel(const struct armv8_ctx *ctx)
{
	return ctx->flags & ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND ? 2u : 1u;
}

static uint32_t width_of(const struct armv8_ctx *ctx, uint32_t version)
{
	return version >= ARMV8_PMUVER_V3P5 && !(ctx->flags & ARMV8_FLAG_COUNTERS_32BIT) ? 64u : 32u;
}

/*
 * Read this CPU's PMU: version, counters, the range the mode gives the backend, PMCEID. Touches
 * no PMU register before PMUVer says there is a PMU, and no EL2 register below EL2.
 */
static int read_pmu(struct armv8_ctx *ctx, struct armv8_pmu *pmu, const char **why)
{
	uint64_t dfr0 = armv8_read_id_aa64dfr0_el1();

	/* Field by field: a struct assignment may become a memcpy call, which freestanding code lacks. */
	pmu->version = field(dfr0, ARMV8_DFR0_PMUVER_MASK, ARMV8_DFR0_PMUVER_SHIFT);
	pmu->el2 = 0;
	pmu->n = 0;
	pmu->first = 0;
	pmu->avail = 0;
	pmu->hpmn = 0;
	pmu->pmceid0 = 0;
	pmu->pmceid1 = 0;
	if (pmu->version == ARMV8_PMUVER_NONE || pmu->version == ARMV8_PMUVER_IMPDEF)
		return refuse(why, -MEMBW_ENODEV, REASON_NO_PMU);
	pmu->el2 = field(armv8_read_id_aa64pfr0_el1(), ARMV8_PFR0_EL2_MASK, ARMV8_PFR0_EL2_SHIFT) != 0;
	pmu->n = field(armv8_read_pmcr_el0(), ARMV8_PMCR_N_MASK, ARMV8_PMCR_N_SHIFT);
	pmu->pmceid0 = armv8_read_pmceid0_el0();
	pmu->pmceid1 = armv8_read_pmceid1_el0();
	if (ctx->mode == ARMV8_MODE_EL1) {
		if (ctx->ncounters == 0)
			return refuse(why, -MEMBW_ENODEV,
				      "ARMV8_MODE_EL1 uses only counters handed over: set armv8_ctx.first_counter and ncounters");
		if (ctx->first_counter >= pmu->n || ctx->ncounters > pmu->n - ctx->first_counter)
			return refuse(why, -MEMBW_ENODEV,
				      "the counters handed over (armv8_ctx.first_counter, ncounters) go beyond PMCR_EL0.N on this CPU");
		pmu->first = ctx->first_counter;
		pmu->avail = ctx->ncounters;
		return 0;
	}
	if (field(armv8_read_currentel(), ARMV8_CURRENTEL_MASK, ARMV8_CURRENTEL_SHIFT) != 2)
		return refuse(why, -MEMBW_ENODEV,
			      "ARMV8_MODE_EL2 but this code is not running at EL2: use ARMV8_MODE_EL1");
	pmu->hpmn = (uint32_t)armv8_read_mdcr_el2() & ARMV8_MDCR_HPMN_MASK;
	if (pmu->hpmn >= pmu->n)
		return refuse(why, -MEMBW_ENODEV,
			      "MDCR_EL2.HPMN reserves no counter for EL2: set HPMN below PMCR_EL0.N before membw_init()");
	if (pmu->hpmn == 0 &&
	    !field(dfr0, ARMV8_DFR0_HPMN0_MASK, ARMV8_DFR0_HPMN0_SHIFT))
		return refuse(why, -MEMBW_ENODEV,
			      "MDCR_EL2.HPMN is 0, which is CONSTRAINED UNPREDICTABLE without FEAT_HPMN0: leave EL1 at least one counter");
	pmu->first = pmu->hpmn;
	pmu->avail = pmu->n - pmu->hpmn;
	return 0;
}

/* Is event @ev implemented? Common events 0x00-0x3F (and 0x4000-0x403F from PMUv3p1) are in
 * PMCEID0/1; other numbers cannot be checked there and are taken on trust (a core's TRM, the
 * caller), except beyond the 10-bit field of PMUv3. */
static bool event_implemented(const struct armv8_pmu *pmu, uint32_t ev)
{
	unsigned int reg, bit;

	if (pmu->version < ARMV8_PMUVER_V3P1 && ev > ARMV8_PMEVTYPER_EVENT_MASK_V3)
		return false;
	if (!armv8_pmceid_bit(ev, &reg, &bit))
		return true;
	return ((reg ? pmu->pmceid1 : pmu->pmceid0) >> bit) & 1u;
}

/* The core's default event for @ch, else the architectural fallback; ARMV8_NO_EVENT if none is
 * implemented. *fell_back is set when the result is not the core table's own choice. */
static uint32_t default_event(const struct armv8_pmu *pmu, const struct armv8_core *core,
			      unsigned int ch, uint32_t *fell_back)
{
	static const uint16_t fallback[MEMBW_NCHANNELS][2] = {
		[MEMBW_CH_READ] = { ARMV8_EV_L2D_CACHE_REFILL, ARMV8_EV_L1D_CACHE_REFILL },
		[MEMBW_CH_WRITE] = { ARMV8_EV_L2D_CACHE_WB, ARMV8_EV_L1D_CACHE_WB },
	};
	uint16_t own = ch == MEMBW_CH_READ ? core->read_event : core->write_event;
	unsigned int i;

	if (own && event_implemented(pmu, own)) {
		if (core->generic)
			*fell_back = 1;
		return own;
	}
	*fell_back = 1;
	for (i = 0; i < 2; i++)
		if (event_implemented(pmu, fallback[ch][i]))
			return fallback[ch][i];
	return ARMV8_NO_EVENT;
}

static int armv8_probe(void *vctx, struct membw_backend_info *info)
{
	struct armv8_ctx *ctx = vctx;
	const struct armv8_core *core;
	struct armv8_pmu pmu;
	uint32_t need, channels, fell_back = 0, midr, ev[MEMBW_NCHANNELS];
	unsigned int ch;
	int err;

	if (!ctx || ctx->size < sizeof(*ctx))
		return -MEMBW_EINVAL; /* no reason: there is no context to leave it in */
	err = check_ctx(ctx, &ctx->reason);
	if (err)
		return err;
	if (!info || info->size < sizeof(*info))
		return refuse(&ctx->reason, -MEMBW_EINVAL, "membw_backend_info.size is smaller than this backend's version");
	ctx->channels = 0; /* cpu_init refuses until a probe succeeds */
	err = read_pmu(ctx, &pmu, &ctx->reason);
	if (err) {
		ctx->pmu_version = pmu.version;
		return err;
	}
	midr = (uint32_t)armv8_read_midr_el1();
	core = armv8_core_lookup(midr);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		ev[ch] = default_event(&pmu, core, ch, &fell_back);
	need = per_channel(ctx);
	if (ctx->want_channels)
		channels = ctx->want_channels;
	else
		channels = pmu.avail >= 2 * need && ev[MEMBW_CH_WRITE] != ARMV8_NO_EVENT ? 2 : 1;
	if (pmu.avail < channels * need)
		return refuse(&ctx->reason, -MEMBW_ENODEV,
			      channels == 1 ? "not enough event counters: one channel needs 1 (2 with ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND)"
					    : "not enough event counters for two channels: hand over more, or set armv8_ctx.want_channels = 1");

	ctx->pmu_version = pmu.version;
	ctx->midr = midr;
	ctx->counters_total = pmu.n;
	ctx->core_name = core->generic ? "generic (architectural events)" : core->name;
	ctx->fell_back = fell_back;
	ctx->channels = channels;
	ctx->counter_bits = width_of(ctx, pmu.version);
	ctx->line_size = 4u << field(armv8_read_ctr_el0(), ARMV8_CTR_DMINLINE_MASK,
				     ARMV8_CTR_DMINLINE_SHIFT);
	ctx->first_used = pmu.first;
	ctx->nused = channels * need;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		ctx->default_event[ch] = ev[ch];
	ctx->reason = NULL;

	info->channels = channels;
	info->counter_bits = ctx->counter_bits;
	info->line_size = ctx->line_size;
	/* NSH is RES0 without EL2: EL2 traffic can only be selected where EL2 exists. */
	info->levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL | (pmu.el2 ? MEMBW_COUNT_HYP : 0u);
	/* The overflow interrupt is asynchronous: events keep counting until the handler reads. */
	info->caps = MEMBW_CAP_LINE_SIZE_PROBED | MEMBW_CAP_LATE_OVERFLOW;
	if (ctx->fell_back)
		info->caps |= MEMBW_CAP_GENERIC_EVENTS;
	return 0;
}

/* PMEVTYPER filter bits for MEMBW_COUNT_* @levels (Arm ARM, PMEVTYPER<n>_EL0). NSK, NSU and M
 * stay 0: Non-secure EL1/EL0 then follow P/U like Secure EL1/EL0, and EL3 counts with EL1. */
static uint32_t filter_bits(uint32_t levels)
{
	uint32_t bits = 0;

	if (!(levels & MEMBW_COUNT_KERNEL))
		bits |= ARMV8_PMEVTYPER_EXCLUDE_EL1;
	if (!(levels & MEMBW_COUNT_USER))
		bits |= ARMV8_PMEVTYPER_EXCLUDE_EL0;
	if (levels & MEMBW_COUNT_HYP)
		bits |= ARMV8_PMEVTYPER_INCLUDE_EL2;
	return bits;
}

/* Does @core's table list IMPLEMENTATION DEFINED event @ev as its own? */
static bool core_impdef(const struct armv8_core *core, uint32_t ev)
{
	unsigned int i;

	for (i = 0; i < core->nevents; i++)
		if (core->events[i].code == ev && core->events[i].impdef)
			return true;
	return false;
}

/* The event number channel @ch counts, from the caller's code or the core's default. */
static int pick_event(const char **why, const struct armv8_pmu *pmu,
		      const struct armv8_core *core, unsigned int ch, uint64_t code, uint32_t *ev)
{
	uint32_t fell_back = 0;

	if (code == 0) {
		*ev = default_event(pmu, core, ch, &fell_back);
		if (*ev == ARMV8_NO_EVENT)
			return refuse(why, -MEMBW_EOPNOTSUPP,
				      ch == MEMBW_CH_READ ? "this core implements no default read event (L2D/L1D_CACHE_REFILL): name one in membw_config.event[0]"
							  : "this core implements no default write-back event (L2D/L1D_CACHE_WB): name one in membw_config.event[1]");
		return 0;
	}
	if (code & ~(ARMV8_EVENT_EXPLICIT | ARMV8_PMEVTYPER_EVENT_MASK))
		return refuse(why, -MEMBW_EOPNOTSUPP,
			      "an armv8 event code is a 16-bit event number, optionally with ARMV8_EVENT_EXPLICIT; other bits are set");
	*ev = (uint32_t)(code & ARMV8_PMEVTYPER_EVENT_MASK);
	if (*ev >= ARMV8_IMPDEF_FIRST && *ev <= ARMV8_IMPDEF_LAST && !core_impdef(core, *ev))
		return refuse(why, -MEMBW_EOPNOTSUPP,
			      "the requested event number is IMPLEMENTATION DEFINED and this core's table (by MIDR_EL1) does not list it: its meaning differs between cores");
	if (!event_implemented(pmu, *ev))
		return refuse(why, -MEMBW_EOPNOTSUPP,
			      "the requested event is not implemented on this CPU (PMCEID0/1_EL0, or beyond PMUv3's 10-bit event numbers)");
	return 0;
}

/* Bring PMCR_EL0 and (EL2 mode) MDCR_EL2 to what the counters need; write only on a change.
 * Read every time: Linux's perf driver (EL1) or a hypervisor's context switch (EL2) may have
 * rewritten them since the last arm. */
static inline __attribute__((always_inline)) void keep_control(const struct armv8_cpu *pc)
{
	uint64_t v, mask = pc->pmcr_mask, want = pc->pmcr_want;

	if (mask) {
		v = armv8_read_pmcr_el0();
		if (__builtin_expect((v & mask) != want, 0))
			armv8_write_pmcr_el0((v & ~mask) | want);
	}
	mask = pc->mdcr_mask;
	want = pc->mdcr_want;
	if (mask) {
		v = armv8_read_mdcr_el2();
		if (__builtin_expect((v & mask) != want, 0))
			armv8_write_mdcr_el2((v & ~mask) | want);
	}
}

/* Control bits for counters of width @bits in @ctx's mode. */
static void plan_control(struct armv8_cpu *pc, const struct armv8_ctx *ctx,
			 const struct armv8_pmu *pmu, uint32_t bits)
{
	uint32_t lp = bits == 64 ? ARMV8_PMCR_LONG_EVENT_COUNTERS : 0;
	uint32_t lp_clear = bits == 32 && pmu->version >= ARMV8_PMUVER_V3P5 ?
				    ARMV8_PMCR_LONG_EVENT_COUNTERS : 0;
	uint32_t pmcr_set = 0, pmcr_clear = 0, mdcr_set = 0, mdcr_clear = 0;

	if (ctx->mode == ARMV8_MODE_EL1) {
		pmcr_set = ARMV8_PMCR_ENABLE | lp;
		pmcr_clear = lp_clear;
	} else {
		mdcr_set = ARMV8_MDCR_EL2_COUNTERS_ENABLE | (lp ? ARMV8_MDCR_EL2_LONG_COUNTERS : 0u);
		mdcr_clear = lp_clear ? ARMV8_MDCR_EL2_LONG_COUNTERS : 0u;
		if (ctx->flags & ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E)
			pmcr_set |= ARMV8_PMCR_ENABLE;
		/* HPMN 0 (FEAT_HPMN0): every counter is EL2's; QEMU then takes the width from PMCR.LP. */
		if (pmu->hpmn == 0) {
			pmcr_set |= lp;
			pmcr_clear |= lp_clear;
		}
	}
	pc->pmcr_mask = pmcr_set | pmcr_clear;
	pc->pmcr_want = pmcr_set;
	pc->mdcr_mask = mdcr_set | mdcr_clear;
	pc->mdcr_want = mdcr_set;
}

static void disable_counters(uint32_t bits)
{
	armv8_write_pmcntenclr_el0(bits);
	armv8_write_pmintenclr_el1(bits);
	armv8_write_pmovsclr_el0(bits);
}

/*
 * Stop the counters @bits, and make the stop take effect before anything is written: that a
 * disabled counter no longer counts is an indirect effect of the PMCNTENCLR write, which the Arm
 * ARM guarantees only after a context synchronization event (ISB); until then the counter may
 * still count events of the instructions that follow. Without this ISB an event could land on the
 * fresh preset (with a budget of 1 it wraps the counter, and the PMOVSCLR of start() then clears
 * the overflow it raised: the budget would be lost silently).
 */
static inline __attribute__((always_inline)) void stop_counting(uint64_t bits)
{
	armv8_write_pmcntenclr_el0(bits);
	armv8_isb();
}

/* The end of every start function: with the presets written, clear the overflow flags @clear,
 * enable the interrupt of @irq and the counters @run. */
static inline __attribute__((always_inline)) int start(uint64_t clear, uint64_t irq,
							uint64_t run)
{
	armv8_write_pmovsclr_el0(clear);
	/* Preset, flags and control bits must be in force before the counter may count. */
	armv8_isb();
	armv8_write_pmintenset_el1(irq);
	armv8_write_pmcntenset_el0(run);
	/* Counting has started when arm() returns: the budget covers what the caller runs next. */
	armv8_isb();
	return 0;
}

static int rearm_from(struct armv8_cpu *pc, unsigned int ch, uint64_t events, uint64_t now);

#define ARMV8_BIT(n) ((uint64_t)1 << (n))

/*
 * The code of counter @n: read with 32-bit and 64-bit counters (bits [63:32] are masked off for
 * 32-bit counters: PMUv3p5 with LP/HLP 0 still counts on in them), start without a shadow and
 * with the shadow @n + 1 or @n + 2 (the shadow is first + channels + c, so one or two counters
 * above), and the rearm reread. A shadow reaches its wrap one event later than the real counter:
 * QEMU's wake-up for it (scheduled one event early) lands on the real counter's wrap.
 */
#define ARMV8_READ_CODE(name, counter_value)                                                    \
	static int name(uint64_t *last, unsigned int ch, uint64_t *value)                       \
	{                                                                                       \
		uint64_t v = (counter_value);                                                   \
                                                                                                \
		(void)ch;                                                                       \
		*last = v;                                                                      \
		*value = v;                                                                     \
		return 0;                                                                       \
	}
#define ARMV8_DIRECT_CODE(name, counter_value)                                                  \
	static uint64_t name(void *last)                                                        \
	{                                                                                       \
		uint64_t v = (counter_value);                                                   \
                                                                                                \
		*(uint64_t *)last = v;                                                          \
		return v;                                                                       \
	}
#define ARMV8_START_SHADOW_CODE(name, n, s)                                                     \
	static int name(struct armv8_cpu *pc, uint64_t preset, uint64_t clear, uint64_t mask)   \
	{                                                                                       \
		(void)pc;                                                                       \
		armv8_write_pmevcntr_el0(n, preset);                                            \
		armv8_write_pmevcntr_el0((n) + (s), (preset - 1) & mask);                       \
		return start(clear, ARMV8_BIT(n), ARMV8_BIT(n) | ARMV8_BIT((n) + (s)));         \
	}
#define ARMV8_COUNTER_CODE(n)                                                                   \
	ARMV8_READ_CODE(read32_##n, (uint32_t)armv8_read_pmevcntr_el0(n))                       \
	ARMV8_READ_CODE(read64_##n, armv8_read_pmevcntr_el0(n))                                 \
	ARMV8_DIRECT_CODE(direct32_##n, (uint32_t)armv8_read_pmevcntr_el0(n))                   \
	ARMV8_DIRECT_CODE(direct64_##n, armv8_read_pmevcntr_el0(n))                             \
	static int start_##n(struct armv8_cpu *pc, uint64_t preset, uint64_t clear,            \
			     uint64_t mask)                                                     \
	{                                                                                       \
		(void)pc;                                                                       \
		(void)mask;                                                                     \
		armv8_write_pmevcntr_el0(n, preset);                                            \
		return start(clear, ARMV8_BIT(n), ARMV8_BIT(n));                                \
	}                                                                                       \
	ARMV8_START_SHADOW_CODE(start_##n##_shadow1, n, 1)                                      \
	ARMV8_START_SHADOW_CODE(start_##n##_shadow2, n, 2)                                      \
	static int reread_##n(struct armv8_cpu *pc, unsigned int ch, uint64_t events)          \
	{                                                                                       \
		return rearm_from(pc, ch, events, armv8_read_pmevcntr_el0(n));                 \
	}
ARMV8_PMEVN_CASES(ARMV8_COUNTER_CODE)
#undef ARMV8_COUNTER_CODE
#undef ARMV8_START_SHADOW_CODE
#undef ARMV8_DIRECT_CODE
#undef ARMV8_READ_CODE

/* The code of each counter, indexed by n. Shadows above counter 30 do not exist (cpu_init only
 * picks a shadow below PMCR_EL0.N). */
#define ARMV8_CODE_OF(n) { read32_##n, read64_##n, direct32_##n, direct64_##n,                  \
			   { start_##n, start_##n##_shadow1, start_##n##_shadow2 }, reread_##n },
static const struct armv8_counter_code {
	armv8_read_fn *read32, *read64;
	armv8_direct_fn *direct32, *direct64;
	armv8_start_fn *start[3]; /* by the shadow's distance: none, +1, +2 */
	armv8_reread_fn *reread;
} counter_code[] = { ARMV8_PMEVN_CASES(ARMV8_CODE_OF) };
#undef ARMV8_CODE_OF

static int armv8_cpu_init(void *vctx, unsigned int cpu, void *priv,
			  const struct membw_counter_setup *setup)
{
	struct armv8_ctx *ctx = vctx;
	struct armv8_cpu *pc = priv;
	const struct armv8_core *core;
	struct armv8_pmu pmu;
	uint32_t need, ev[MEMBW_NCHANNELS] = { 0 }, evtyper[MEMBW_NCHANNELS], filter, bits;
	unsigned int ch;
	int err;

	(void)cpu;
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
	bits = width_of(ctx, pmu.version);
	if (bits != ctx->counter_bits)
		return refuse(&pc->reason, -MEMBW_ENODEV,
			      "this CPU's counters are not as wide as the probed CPU's (a different PMU version)");
	need = per_channel(ctx);
	if (pmu.avail < ctx->channels * need)
		return refuse(&pc->reason, -MEMBW_ENODEV, "not enough event counters on this CPU for the probed channels");
	if (!setup->levels || (setup->levels & ~(uint32_t)MEMBW_COUNT_ALL))
		return refuse(&pc->reason, -MEMBW_EOPNOTSUPP, "the counted levels must be a nonzero set of MEMBW_COUNT_*");
	if ((setup->levels & MEMBW_COUNT_HYP) && !pmu.el2)
		return refuse(&pc->reason, -MEMBW_EOPNOTSUPP, "MEMBW_COUNT_HYP asked for, but this CPU has no EL2");
	if (ctx->mode == ARMV8_MODE_EL1 && (ctx->flags & ARMV8_FLAG_EL0_ACCESS_OPEN))
		return refuse(&pc->reason, -MEMBW_EPERM,
			      "ARMV8_FLAG_EL0_ACCESS_OPEN: EL0 code could stop or rewind the regulating counters (PMUSERENR_EL0); close EL0 access to the PMU or regulate from EL2");
	core = armv8_core_lookup((uint32_t)armv8_read_midr_el1());
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		if (ch >= ctx->channels) {
			if (setup->event[ch])
				return refuse(&pc->reason, -MEMBW_EOPNOTSUPP,
					      "an event was named for a channel the backend does not run: set armv8_ctx.want_channels = 2");
			continue;
		}
		err = pick_event(&pc->reason, &pmu, core, ch, setup->event[ch], &ev[ch]);
		if (err)
			return err;
	}

	/* Everything checked: nothing below can fail. Program the hardware, counters left stopped. */
	pc->live = 0;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		pc->mask[ch] = 0;
		pc->read_fn[ch] = NULL;
		pc->start_fn[ch] = NULL;
		pc->reread_fn[ch] = NULL;
	}
	pc->mode = ctx->mode;
	pc->nch = ctx->channels;
	pc->first = pmu.first;
	pc->all_bits = 0;
	filter = filter_bits(setup->levels);
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		pc->counter[ch] = pc->shadow[ch] = NO_COUNTER;
		pc->ch_bits[ch] = 0;
		evtyper[ch] = 0;
		if (ch >= pc->nch)
			continue;
		pc->counter[ch] = (uint8_t)(pmu.first + ch);
		pc->ch_bits[ch] = ARMV8_BIT(pc->counter[ch]);
		if (need == 2) {
			pc->shadow[ch] = (uint8_t)(pmu.first + pc->nch + ch);
			pc->ch_bits[ch] |= ARMV8_BIT(pc->shadow[ch]);
		}
		pc->all_bits |= (uint32_t)pc->ch_bits[ch];
		evtyper[ch] = filter | ev[ch];
	}
	plan_control(pc, ctx, &pmu, bits);
	/* EL1 mode: EL0 must not reach the counters (EN, SW, CR, ER; reset value UNKNOWN). */
	if (pc->mode == ARMV8_MODE_EL1) {
		uint64_t el0 = armv8_read_pmuserenr_el0();

		if (el0 & ARMV8_PMUSERENR_EL0_ACCESS)
			armv8_write_pmuserenr_el0(el0 & ~(uint64_t)ARMV8_PMUSERENR_EL0_ACCESS);
	}
	disable_counters(pc->all_bits);
	for (ch = 0; ch < pc->nch; ch++) {
		armv8_write_pmevtyper_el0(pc->counter[ch], evtyper[ch]);
		if (pc->shadow[ch] != NO_COUNTER)
			armv8_write_pmevtyper_el0(pc->shadow[ch], evtyper[ch]);
	}
	keep_control(pc);
	/* The event types and widths must be in force before the first arm() starts counting. */
	armv8_isb();
	for (ch = 0; ch < pc->nch; ch++) {
		const struct armv8_counter_code *code = &counter_code[pc->counter[ch]];

		pc->read_fn[ch] = bits == 64 ? code->read64 : code->read32;
		/* The shadow, if any, is first + nch + ch: nch (1 or 2) above the counter. */
		pc->start_fn[ch] = code->start[need == 2 ? pc->nch : 0];
		pc->reread_fn[ch] = code->reread;
		pc->mask[ch] = bits == 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
	}
	pc->live = pc->nch;
	pc->reason = NULL;
	return 0;
}

/*
 * The hooks. Each checks what the backend contract makes it refuse (a channel out of range or not
 * run, a hook before cpu_init: -EIO; arm/rearm: 0 or more events than the counter holds) and ends
 * in its counter's code.
 */
static int armv8_arm(void *priv, unsigned int ch, uint64_t events)
{
	struct armv8_cpu *pc = priv;
	armv8_start_fn *go;
	uint64_t mask, bits, preset;

	/* events - 1 >= mask: events is 0 or more than the counter holds, or the channel is not
	 * ready (mask 0). */
	if (ch >= MEMBW_NCHANNELS || events - 1 >= (mask = pc->mask[ch]))
		return -MEMBW_EIO;
	go = pc->start_fn[ch];
	preset = (0 - events) & mask;
	bits = pc->ch_bits[ch];
	stop_counting(bits);
	keep_control(pc);
	return go(pc, preset, bits, mask);
}

/*
 * arm() counting from the last read() (backend.h, docs/armv8-pmu.md#armv8-pmu-rearm): stop, read the
 * counter again, and charge what it counted since that read to the new period. Exact for what the
 * counter counts: every event it counted after read() is in `now - last`, and between the stop
 * and the restart it counts nothing, so the per-period sums add up to the counter's own total.
 * The only events the counter misses are those of the stop window itself (PMCNTENCLR .. the ISB
 * after PMCNTENSET), the same window arm() has; at EL1 with EL1 excluded from the filter it
 * counts none of them.
 */
static int armv8_rearm(void *priv, unsigned int ch, uint64_t events)
{
	struct armv8_cpu *pc = priv;
	armv8_reread_fn *reread;

	/* As in arm(): events out of range, or the channel not ready. */
	if (ch >= MEMBW_NCHANNELS || events - 1 >= pc->mask[ch])
		return -MEMBW_EIO;
	reread = pc->reread_fn[ch];
	stop_counting(pc->ch_bits[ch]);
	return reread(pc, ch, events);
}

/* rearm() once the counter was stopped and read again (@now). Not inlined: one copy for all the
 * counters' reread functions. */
static __attribute__((noinline)) int rearm_from(struct armv8_cpu *pc, unsigned int ch,
						 uint64_t events, uint64_t now)
{
	uint64_t mask = pc->mask[ch], bits = pc->ch_bits[ch];
	uint64_t since = (now - pc->last[ch]) & mask;

	/*
	 * Preset 2^w - (events - since). If @events or more were already counted, that is
	 * since - events: the counter reads as if it had wrapped with the events-th event after the
	 * read, and its flag, set here and left set by start(), raises the interrupt at once.
	 */
	if (since >= events) {
		armv8_write_pmovsset_el0(ARMV8_BIT(pc->counter[ch]));
		bits &= ~ARMV8_BIT(pc->counter[ch]);
	}
	keep_control(pc);
	return pc->start_fn[ch](pc, (0 - ((events - since) & mask)) & mask, bits, mask);
}

static int armv8_read(void *priv, unsigned int ch, uint64_t *value)
{
	struct armv8_cpu *pc = priv;
	armv8_read_fn *rd;
	uint64_t *last;

	/* @value is the caller's own variable (backend.h): not checked. */
	if (ch >= MEMBW_NCHANNELS)
		return -MEMBW_EIO;
	/* pc->read_fn[ch], reached from &pc->last[ch]: one address computation, not two. */
	last = &pc->last[ch];
	rd = *(armv8_read_fn **)((char *)last + offsetof(struct armv8_cpu, read_fn) -
				 offsetof(struct armv8_cpu, last));
	if (!rd)
		return -MEMBW_EIO;
	return rd(last, ch, value);
}

/*
 * The direct reader of channel @ch (backend.h, ABI version 3): its counter's direct function for
 * the width cpu_init found, with the channel's last value as its argument, so that a direct read
 * leaves what rearm() counts from exactly as read() does. Valid until the next cpu_init, which is
 * the only place that picks the counter and its functions; the policy asks after each one.
 */
static int armv8_direct_reader(void *priv, unsigned int ch, struct membw_direct_reader *reader)
{
	struct armv8_cpu *pc = priv;
	const struct armv8_counter_code *code;

	if (ch >= pc->live)
		return -MEMBW_EIO;
	code = &counter_code[pc->counter[ch]];
	reader->read = pc->mask[ch] == ~(uint64_t)0 ? code->direct64 : code->direct32;
	reader->ctx = &pc->last[ch];
	return 0;
}

static void armv8_stop(void *priv, unsigned int ch)
{
	struct armv8_cpu *pc = priv;

	if (ch >= pc->live)
		return;
	disable_counters((uint32_t)pc->ch_bits[ch]);
	/* No overflow interrupt of this channel may be taken once stop() has returned. */
	armv8_isb();
}

unsigned int armv8_overflow_ack(void *priv)
{
	struct armv8_cpu *pc = priv;
	uint32_t flags;

	if (!pc || !pc->live)
		return 0;
	flags = (uint32_t)armv8_read_pmovsset_el0() & pc->all_bits;
	if (!flags)
		return 0;
	armv8_write_pmovsclr_el0(flags);
	/* The cleared flags must have taken effect, so the level-triggered PPI drops, before EOI. */
	armv8_isb();
	/* Channel c's interrupting counter is first + c (armv8.h): bit c of the result. */
	return (flags >> pc->first) & ((1u << pc->nch) - 1u);
}

int armv8_claim_pmu(const struct armv8_ctx *ctx)
{
	uint32_t n, lo, hi, foreign, i;

	if (!ctx || ctx->size < sizeof(*ctx) || ctx->channels == 0)
		return -MEMBW_EINVAL;
	n = field(armv8_read_pmcr_el0(), ARMV8_PMCR_N_MASK, ARMV8_PMCR_N_SHIFT);
	if (ctx->mode == ARMV8_MODE_EL1) {
		lo = ctx->first_counter;
		hi = ctx->first_counter + ctx->ncounters;
	} else {
		/* Counters below HPMN are not EL2's: PMCR_EL0.N read at EL2 is every counter. */
		lo = ctx->first_used;
		hi = ctx->first_used + ctx->nused;
	}
	foreign = ARMV8_CYCLE_COUNTER_BIT;
	for (i = 0; i < n && i < 31; i++)
		if ((i < lo || i >= hi) && (ctx->mode == ARMV8_MODE_EL1 || i >= ctx->first_used))
			foreign |= 1u << i;
	armv8_write_pmintenclr_el1(foreign);
	armv8_write_pmovsclr_el0(foreign);
	/* The interrupt line must have dropped before the caller unmasks interrupts. */
	armv8_isb();
	return 0;
}

const char *armv8_cpu_reason(const void *priv)
{
	return priv ? ((const struct armv8_cpu *)priv)->reason : NULL;
}

uint32_t armv8_channel_counters(const void *priv, unsigned int channel)
{
	const struct armv8_cpu *pc = priv;

	if (!pc || channel >= pc->live)
		return 0;
	return (uint32_t)pc->ch_bits[channel];
}

const struct membw_backend membw_armv8_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "armv8",
	.priv_size = sizeof(struct armv8_cpu),
	.probe = armv8_probe,
	.cpu_init = armv8_cpu_init,
	.arm = armv8_arm,
	.read = armv8_read,
	.stop = armv8_stop,
	.rearm = armv8_rearm,
	.direct_reader = armv8_direct_reader,
};
