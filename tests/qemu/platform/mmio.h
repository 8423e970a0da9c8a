/* SPDX-License-Identifier: MIT */
/* 32/64-bit MMIO accessors. Device registers are accessed with their natural width only. */
#ifndef PLATFORM_MMIO_H
#define PLATFORM_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}
static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}
static inline uint64_t mmio_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

#endif /* PLATFORM_MMIO_H */
