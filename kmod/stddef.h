/* SPDX-License-Identifier: MIT */
/*
 * <stddef.h> for backends/armv8/events.c (NULL, size_t): the kernel builds with -nostdinc and
 * spells it <linux/stddef.h> plus <linux/types.h>. See kmod/stdint.h.
 */
#ifndef KMEMBW_STDDEF_H
#define KMEMBW_STDDEF_H
#include <linux/types.h>
#include <linux/stddef.h>
#endif
