/* SPDX-License-Identifier: MIT */
/*
 * The instruction witness of bench_armv8 and cost_armv8, and the armv8 hooks' cost measured with
 * it. The witness: the last event counter (not handed to
 * the backend) counts INST_RETIRED (0x08) at EL1 only (the EL0 filter bit set), read through
 * PMXEVCNTR_EL0 with PMSELR_EL0 selecting it for the whole run (the backend never uses
 * PMSELR_EL0, backends/armv8/README.md). Under QEMU -icount shift=0 these counts are exact and
 * repeatable.
 */
#ifndef MEMBW_QEMU_WITNESS_H
#define MEMBW_QEMU_WITNESS_H

#include <stdint.h>

#include <membw/backend.h>

#include "armv8.h"
#include "pmu_raw.h"

/* Instructions retired at EL1 so far (32 bits: PMUv3's counter width). */
static inline uint64_t witness_read(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, pmxevcntr_el0" : "=r"(v));
	return v & 0xffffffffull;
}

/* Start the witness on the last counter, which it returns; leaves PMSELR_EL0 selecting it. */
static inline unsigned int witness_start(void)
{
	unsigned int w = pmu_raw_counters() - 1;

	pmu_raw_set_type(w, PMU_EVENT_INST_RETIRED | PMEVTYPER_EXCLUDE_EL0);
	pmu_raw_set_count(w, 0); /* leaves PMSELR_EL0 = w */
	pmu_write_pmcr(pmu_read_pmcr() | PMCR_E);
	pmu_write_pmcntenset(1ull << w);
	return w;
}

/* What two back-to-back witness_read() calls count between them (subtracted from every span). */
static inline uint64_t witness_pair_cost(void)
{
	uint64_t t0 = witness_read(), t1 = witness_read();

	return t1 - t0;
}

/*
 * EL1 instructions of one call of each hook, the call included (pointer load, arguments, BLR).
 * `read` is a read as the policy makes it: through the direct reader the backend handed for the
 * channel (backend.h, ABI version 3), its function and argument loaded from memory as the policy
 * loads them from its per-CPU state. `read_hook` is the read() hook, which the policy calls only
 * for a backend without a direct reader.
 */
struct hook_cost {
	uint64_t arm, read, rearm;
	uint64_t read_hook;
	uint64_t empty; /* an empty hook with read()'s signature, called the same way */
};

static __attribute__((unused)) int hook_cost_empty_read(void *priv, unsigned int ch, uint64_t *value)
{
	(void)priv;
	(void)ch;
	(void)value;
	return 0;
}

/*
 * arm(2^30), a direct read and rearm() (as a tick calls them), then the read() hook, of the armv8
 * backend's read channel on @priv, each alone between two witness reads (interrupts masked, the
 * counter far from a wrap), then stop(). @pair_cost: witness_pair_cost(). Returns false if a hook
 * failed or the backend handed no direct reader.
 */
static __attribute__((noipa, unused)) bool hook_cost_measure(void *priv, uint64_t pair_cost, struct hook_cost *c)
{
	static const struct membw_backend empty = { .read = hook_cost_empty_read };
	const struct membw_backend *volatile empty_be = &empty;
	const struct membw_backend *be = empty_be;
	struct membw_direct_reader reader = { 0 };
	struct membw_direct_reader *volatile reader_at = &reader;
	const struct membw_direct_reader *r;
	uint64_t v, a, b, d, e, f, g;
	int e0, e1, e2, e3;

	e0 = membw_armv8_backend.direct_reader(priv, MEMBW_CH_READ, &reader);
	r = reader_at;
	if (e0 || !reader.read)
		return false;
	a = witness_read();
	e1 = membw_armv8_backend.arm(priv, MEMBW_CH_READ, 1ull << 30);
	b = witness_read();
	/* The policy loads the reader from its state at each read: keep the compiler from loading
	 * it before the witness read (the empty asm emits no instruction). */
	__asm__ volatile("" ::: "memory");
	v = r->read(r->ctx);
	d = witness_read();
	e3 = membw_armv8_backend.rearm(priv, MEMBW_CH_READ, 1ull << 30);
	e = witness_read();
	e2 = membw_armv8_backend.read(priv, MEMBW_CH_READ, &v);
	f = witness_read();
	be->read(priv, MEMBW_CH_READ, &v);
	g = witness_read();
	membw_armv8_backend.stop(priv, MEMBW_CH_READ);
	c->arm = b - a - pair_cost;
	c->read = d - b - pair_cost;
	c->rearm = e - d - pair_cost;
	c->read_hook = f - e - pair_cost;
	c->empty = g - f - pair_cost;
	return !e1 && !e2 && !e3;
}

#endif /* MEMBW_QEMU_WITNESS_H */
