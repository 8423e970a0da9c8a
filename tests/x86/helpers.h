/* SPDX-License-Identifier: MIT */
/* Shared state and steps of the x86 host tests: a context, probe, cpu_init, on the model `fx`. */
#ifndef MEMBW_TEST_X86_HELPERS_H
#define MEMBW_TEST_X86_HELPERS_H

#include <CUnit/CUnit.h>

#include "check.h"
#include <membw/membw.h>

#include "events.h"
#include "fake_msr.h"
#include "x86.h"

extern struct x86_ctx ctx;
extern struct membw_backend_info info;
extern void *priv; /* membw_x86_backend.priv_size bytes, 16-byte aligned, zeroed by t_reset() */

/* Event codes (event | umask << 8) the tests use, from Intel's lists and the SDM. */
#define EV_LLC_MISS 0x412Eu      /* LONGEST_LAT_CACHE.MISS 0x2E/0x41, architectural */
#define EV_SPR_L2_OUT_NS 0x0226u /* L2_LINES_OUT.NON_SILENT on Sapphire Rapids: 0x26/0x02 */
#define EV_INST 0x00C0u          /* INST_RETIRED.ANY_P 0xC0/0x00, architectural */

/* Fresh model (fx_reset(): Sapphire Rapids-like, v5, 8 x 48-bit counters, FW_WRITE, xAPIC),
 * zeroed priv, ctx with counters [first, first + n), xAPIC at FX_XAPIC_BASE, fixed vector 0xEE. */
void t_reset(unsigned int first, unsigned int n);
int t_probe(void);
int t_init(uint32_t levels, uint64_t read, uint64_t write);
bool t_ready(uint32_t levels, uint64_t read, uint64_t write);

/* A PMI handler for fx.on_pmi: x86_overflow_ack(priv), its result OR-ed into t_acked. */
extern unsigned int t_acked, t_handler_runs;
void t_ack_handler(void *arg);

#define BIT(n) (1ull << (n))

/* MSR numbers the tests name, from the SDM (not from msr_fields.h). */
#define M_PMC(x) (0xC1u + (x))
#define M_EVTSEL(x) (0x186u + (x))
#define M_A_PMC(x) (0x4C1u + (x))
#define M_GSTATUS 0x38Eu
#define M_GCTRL 0x38Fu
#define M_GOVF 0x390u
#define M_DEBUGCTL 0x1D9u
#define M_PERF_CAP 0x345u

#endif
