/* SPDX-License-Identifier: MIT */
#include "armv8_qemu.h"
#include "platform.h"
#include "pmu_raw.h"

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

/*
 * ASSUMPTION: the counter layout documented at the top of backends/armv8/armv8.c: channel c
 * uses counter first_used + c, and with ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND its shadow is
 * first_used + channels + c (nused = 2 * channels). armv8.h does not state it; if it changes,
 * the SW_INCR driver increments the wrong counters and the conformance suite fails loudly.
 */
uint32_t armv8_qemu_channel_bits(const struct armv8_ctx *ctx, unsigned int ch)
{
	uint32_t bits = 1u << (ctx->first_used + ch);

	if (ctx->nused == 2 * ctx->channels)
		bits |= 1u << (ctx->first_used + ctx->channels + ch);
	return bits;
}
