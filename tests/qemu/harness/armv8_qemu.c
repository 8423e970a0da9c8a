/* SPDX-License-Identifier: MIT */
#include "armv8_qemu.h"
#include "platform.h"
#include "pmu_raw.h"
#include "report.h"

void armv8_qemu_ctx(struct armv8_ctx *ctx, uint32_t flags, uint32_t want_channels)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->size = sizeof(*ctx);
	ctx->mode = ARMV8_MODE_EL1;
	ctx->first_counter = 0;
	/* PMCR_EL0.N is UNDEFINED-free to read only with a PMU: without one (pmu=off) QEMU still
	 * answers, and the backend must refuse from ID_AA64DFR0_EL1.PMUVer. */
	ctx->ncounters = pmu_raw_version() ? pmu_raw_counters() : 0;
	ctx->flags = flags;
	ctx->want_channels = want_channels;
}

bool armv8_qemu_probe(struct armv8_qemu_subject *t)
{
	const struct membw_backend *be = &membw_armv8_backend;

	memset(&t->info, 0, sizeof(t->info));
	t->info.size = sizeof(t->info);
	memset(t->priv, 0, sizeof(t->priv));
	if (!CHECK_EQ(be->probe(&t->ctx, &t->info), 0, "probe accepts the PMU in %s mode (%s)",
		      t->ctx.mode == ARMV8_MODE_EL2 ? "EL2" : "EL1",
		      t->ctx.reason ? t->ctx.reason : "no reason"))
		return false;
	return CHECK(be->priv_size <= sizeof(t->priv), "priv_size %u fits in %u bytes",
		     be->priv_size, (unsigned int)sizeof(t->priv));
}

bool armv8_qemu_setup(struct armv8_qemu_subject *t, uint64_t event, uint32_t levels)
{
	struct membw_counter_setup s = { .size = sizeof(s), .levels = levels };

	if (!armv8_qemu_probe(t))
		return false;
	s.event[MEMBW_CH_READ] = event;
	return CHECK_EQ(membw_armv8_backend.cpu_init(&t->ctx, 0, t->priv, &s), 0,
			"cpu_init accepts event 0x%llx at levels 0x%x",
			(unsigned long long)(event & 0xffff), levels);
}

void armv8_qemu_irq_reset(struct armv8_qemu_subject *t)
{
	t->irq_count = 0;
	t->irq_value = ~0ull;
	t->irq_acked = 0;
}

void armv8_qemu_on_overflow(unsigned int intid, void *arg)
{
	struct armv8_qemu_subject *t = arg;
	uint64_t v = ~0ull;

	(void)intid;
	t->irq_acked = armv8_overflow_ack(t->priv);
	membw_armv8_backend.read(t->priv, MEMBW_CH_READ, &v);
	t->irq_value = v;
	t->irq_count++;
	membw_armv8_backend.stop(t->priv, MEMBW_CH_READ);
}

void armv8_qemu_check_exact_overflow(const struct armv8_qemu_subject *t, uint64_t budget)
{
	unsigned long long b = (unsigned long long)budget;

	CHECK_EQ(t->irq_count, 1, "arm(%llu): one overflow interrupt", b);
	CHECK_EQ(t->irq_acked, 1u << MEMBW_CH_READ,
		 "arm(%llu): armv8_overflow_ack() names the read channel", b);
	CHECK_EQ(t->irq_value, 0,
		 "arm(%llu): the handler reads 0: the interrupt came with event number %llu, "
		 "none past the wrap", b, b);
}
