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
