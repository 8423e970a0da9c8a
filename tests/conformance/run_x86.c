/* SPDX-License-Identifier: MIT */
/*
 * The conformance suite run against the `x86` backend on the simulated PMU and local APIC of
 * tests/x86/fake_msr.c (X86_FAKE_REGS), in three shapes: perfmon v5 with full-width writes
 * (48-bit counters), the same without full-width writes (31-bit view through legacy IA32_PMCx
 * writes), and perfmon v3 with 40-bit counters, one counter handed over (one channel).
 *
 * The driver makes events happen with fx_events() at ring 3 (at ring 0 or 3 for the
 * privilege-filter facts: the model honours IA32_PERFEVTSELx.USR/OS) and plays the runtime's
 * PMI handler: each delivered PMI runs x86_overflow_ack(), whose channel mask it counts. The
 * backend is wrapped only so that the driver's overflow counts start at 0 with every cpu_init.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"
#include "cunit_run.h"
#include "fake_msr.h"
#include "x86.h"

struct x86_drv {
	struct x86_ctx ctx;
	uint32_t perfmon, counters, width, fw_write;
	void *priv;
	uint64_t overflows[MEMBW_NCHANNELS];
};

static struct x86_drv *current;

/* Configure the model for @d (every driver shares the one model `fx`). */
static void model_for(struct x86_drv *d)
{
	if (current == d)
		return;
	fx_reset();
	fx_set_perfmon(d->perfmon, d->counters, d->width, 0);
	if (!d->fw_write)
		fx.perf_capabilities = 0;
	current = d;
}

static void on_pmi(void *arg)
{
	struct x86_drv *d = arg;
	unsigned int acked = x86_overflow_ack(d->priv), ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		if (acked & (1u << ch))
			d->overflows[ch]++;
}

static struct x86_drv *of_ctx(void *ctx)
{
	return (struct x86_drv *)((char *)ctx - offsetof(struct x86_drv, ctx));
}

static int wrap_probe(void *ctx, struct membw_backend_info *info)
{
	model_for(of_ctx(ctx));
	return membw_x86_backend.probe(ctx, info);
}

static int wrap_cpu_init(void *ctx, uint32_t cpu, void *priv, const struct membw_counter_setup *s)
{
	struct x86_drv *d = of_ctx(ctx);

	model_for(d);
	d->priv = priv;
	memset(d->overflows, 0, sizeof(d->overflows));
	fx.on_pmi = on_pmi;
	fx.pmi_arg = d;
	return membw_x86_backend.cpu_init(ctx, cpu, priv, s);
}

static struct membw_backend wrapped;

/* With the default events on the Sapphire Rapids-like model: LLC misses, L2_LINES_OUT.NON_SILENT
 * (0x26/0x02, Intel's Sapphire Rapids list). */
static const uint16_t channel_event[MEMBW_NCHANNELS] = { 0x412E, 0x0226 };

static int drv_count(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	fx_events(channel_event[ch], 3, n);
	return 0;
}

/* Events at a privilege level: ring 3 for user, ring 0 for kernel. VMX root (MEMBW_COUNT_HYP) is
 * not modelled. */
static int drv_count_at(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint32_t level,
			uint64_t n)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	if (level != MEMBW_COUNT_USER && level != MEMBW_COUNT_KERNEL)
		return -MEMBW_EOPNOTSUPP;
	fx_events(channel_event[ch], level == MEMBW_COUNT_USER ? 3 : 0, n);
	return 0;
}

static uint64_t drv_overflows(void *ctx, unsigned int cpu, void *priv, unsigned int ch)
{
	(void)cpu;
	(void)priv;
	return ((struct x86_drv *)ctx)->overflows[ch];
}

static uint32_t saved_leaf_a;

static void drv_set_absent(void *ctx, bool absent)
{
	model_for(ctx);
	if (absent) {
		saved_leaf_a = fx.cpuida[0];
		fx.cpuida[0] = 0;
	} else {
		fx.cpuida[0] = saved_leaf_a;
	}
}

#define DRV(v, n, w, fw, counters_given)                                                           \
	{                                                                                          \
		.ctx = { .size = sizeof(struct x86_ctx), .first_counter = 0,                       \
			 .ncounters = counters_given, .apic = X86_APIC_XAPIC,                      \
			 .xapic_base = FX_XAPIC_BASE, .lvt_delivery = X86_LVT_NMI },               \
		.perfmon = v, .counters = n, .width = w, .fw_write = fw,                           \
	}

static struct x86_drv d48 = DRV(5, 8, 48, 1, 2), d31 = DRV(5, 8, 48, 0, 2), d40 = DRV(3, 4, 40, 1, 1);

#define CONF(label, d)                                                                             \
	{                                                                                          \
		.name = label, .backend = &wrapped, .backend_ctx = &d.ctx, .ctx = &d,              \
		.count = drv_count, .overflows = drv_overflows, .set_absent = drv_set_absent,      \
		.count_at = drv_count_at,                                                          \
	}

static const struct membw_conformance_driver drivers[] = {
	CONF("x86 model, v5, 48-bit, full-width writes", d48),
	CONF("x86 model, v5, legacy writes (31-bit view)", d31),
	CONF("x86 model, v3, 40-bit, one channel", d40),
};

int main(void)
{
	unsigned int i;

	wrapped = membw_x86_backend;
	wrapped.probe = wrap_probe;
	wrapped.cpu_init = wrap_cpu_init;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		if (conformance_register(&drivers[i])) {
			fprintf(stderr, "cannot register %s: %s\n", drivers[i].name, CU_get_error_msg());
			return 2;
		}
	}
	return cunit_run("conformance x86");
}
