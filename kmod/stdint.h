/* SPDX-License-Identifier: MIT */
/*
 * <stdint.h> for the objects that share freestanding headers with the other runtimes
 * (backends/armv8/events.{h,c}, and kmod/events.c which includes events.h). The kernel builds with
 * -nostdinc and has no <stdint.h>; <linux/types.h> defines the same fixed-width names (uint16_t,
 * uint32_t, ...). Kbuild puts this directory on the include path of those objects only.
 */
#ifndef KMEMBW_STDINT_H
#define KMEMBW_STDINT_H
#include <linux/types.h>
#endif
