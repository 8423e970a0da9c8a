/* SPDX-License-Identifier: MIT */
/* Shared state and steps of the armv8 host tests: a context, probe, cpu_init, on `fake`. */
#ifndef MEMBW_TEST_ARMV8_HELPERS_H
#define MEMBW_TEST_ARMV8_HELPERS_H

#include <CUnit/CUnit.h>
#include <membw/membw.h>

#include "armv8.h"
#include "check.h" /* CHECK, CHECK_FATAL: one assertion, one fact */
#include "events.h"
#include "fake_sysreg.h"

/* The core armv8_core_lookup() returns; NULL: a generic table (read 0x17, write 0x18). */
extern const struct armv8_core *fake_core;

extern struct armv8_ctx ctx;
extern struct membw_backend_info info;
extern void *priv; /* membw_armv8_backend.priv_size bytes, 16-byte aligned, zeroed by t_reset() */

/* Fresh fake CPU (fake_reset()), generic core, zeroed priv, ctx for EL1 with counters
 * [first, first + n). */
void t_reset_el1(unsigned int first, unsigned int n);
/* Fresh fake CPU running at EL2 with N = @n and MDCR_EL2.HPMN = @hpmn, ctx for EL2 mode. */
void t_reset_el2(unsigned int n, unsigned int hpmn);
int t_probe(void);
/* cpu_init with @levels and event codes @read, @write. */
int t_init(uint32_t levels, uint64_t read, uint64_t write);
/* t_probe() then t_init(); CU_FAIL and false if either refuses. */
bool t_ready(uint32_t levels, uint64_t read, uint64_t write);

#define BIT(n) (1u << (n))

#endif
