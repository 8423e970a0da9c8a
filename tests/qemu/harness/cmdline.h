/* SPDX-License-Identifier: MIT */
/*
 * key=value words from the QEMU command line (-append, read with semihosting SYS_GET_CMDLINE).
 * tests/qemu/run passes every config's facts this way, e.g. "icount=shift=0 counter_bits=32".
 */
#ifndef QEMU_CMDLINE_H
#define QEMU_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy the value of @key into @val (NUL-terminated). False if @key is absent. */
bool cmdline_get(const char *key, char *val, size_t size);
/* The value of @key (decimal, or hexadecimal after 0x), or @fallback if absent; a non-number
 * panics with a clear message. */
uint64_t cmdline_u64(const char *key, uint64_t fallback);
/* True if the run is under -icount with a fixed shift (the runner passes icount=shift=N). */
bool cmdline_icount(void);

#endif /* QEMU_CMDLINE_H */
