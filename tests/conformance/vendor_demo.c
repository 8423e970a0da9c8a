/* SPDX-License-Identifier: MIT */
/*
 * The vendor route, as a vendor takes it: a counter backend of "their own" linked against the
 * installed <membw/conformance.h> and libmembw-conformance.a, a small driver, one call.
 *
 * The "hardware" is a software model of one PMU counter as the Arm ARM and the Intel SDM
 * describe one: w bits wide, counting up, an overflow status flag set when it wraps, and a
 * level-sensitive interrupt line that is high while the flag is set and the interrupt enabled
 * (the driver's "interrupt handler" counts each rising edge, records the counter then and masks
 * the counter's interrupt until the next arm, leaving the flag for the backend to clear).
 * The backend presets 2^w - n, clears the flag before enabling the interrupt, and stops by
 * disabling counting and the interrupt.
 *
 * `vendor-demo FAULT [--json]` breaks the backend on purpose, to show that the suite catches
 * what it claims (tests/conformance/vendor-tests names the facts each fault must fail):
 *   none          the backend as it should be: conforms
 *   preset        arm(n) presets 2^w - n - 1 (off by one)
 *   cleared-late  arm enables the interrupt before clearing a pending overflow flag
 *   stop-ignored  stop disables the interrupt but leaves the counter counting
 *   late          the interrupt is raised one event after the wrap
 *   filter-ignored   the counter counts every privilege level, whatever cpu_init selected
 *   direct-stale  the direct reader (backend ABI version 3) returns the value one event behind
 *
 * `vendor-demo none --v1` fills the driver as one built against the first version of the header
 * would (size MEMBW_CONFORMANCE_DRIVER_V1_SIZE, no count_at): the library must still run it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <membw/conformance.h>

enum fault { NONE, PRESET, CLEARED_LATE, STOP_IGNORED, LATE, FILTER_IGNORED, DIRECT_STALE };

/* The modelled hardware (one channel). */
struct pmu {
	unsigned int bits;
	uint64_t value, mask;
	bool counting, irq_enabled, flag, line, late_pending;
	uint64_t interrupts, value_at_irq;
	bool have_irq_value;
	bool absent;
	uint32_t levels; /* MEMBW_COUNT_* counted, as cpu_init selected (the PMU's filter bits) */
	enum fault fault;
};

/* 16 bits: the full-range fact (2^w - 1 events) runs in a moment. */
static struct pmu hw = { .bits = 16 };

/* The interrupt controller: a rising edge of the line is one interrupt taken. */
static void update_line(struct pmu *p)
{
	bool high = p->flag && p->irq_enabled;

	if (high && !p->line) {
		p->interrupts++;
		if (!p->have_irq_value) {
			p->value_at_irq = p->value;
			p->have_irq_value = true;
		}
		/* The handler masks the counter's interrupt; the backend's next arm unmasks it. */
		p->irq_enabled = false;
		high = false;
	}
	p->line = high;
}

/* One event at privilege level @level (a MEMBW_COUNT_* bit). */
static void hw_event(struct pmu *p, uint32_t level)
{
	if (!p->counting || (!(p->levels & level) && p->fault != FILTER_IGNORED))
		return;
	if (p->late_pending) { /* the LATE fault: the wrap is signalled one event on */
		p->late_pending = false;
		p->flag = true;
	}
	p->value = (p->value + 1) & p->mask;
	if (p->value == 0) {
		if (p->fault == LATE)
			p->late_pending = true;
		else
			p->flag = true;
	}
	update_line(p);
}

/* ---- the vendor's backend ---- */

static int v_probe(void *ctx, struct membw_backend_info *info)
{
	struct pmu *p = ctx;

	if (p->absent)
		return -MEMBW_ENODEV;
	info->channels = 1;
	info->counter_bits = p->bits;
	info->line_size = 64;
	info->levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL;
	info->caps = 0;
	return 0;
}

static int v_cpu_init(void *ctx, uint32_t cpu, void *priv, const struct membw_counter_setup *s)
{
	struct pmu *p = ctx;

	(void)cpu;
	if (!s->levels || (s->levels & ~(uint32_t)(MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL)))
		return -MEMBW_EOPNOTSUPP;
	p->levels = s->levels;
	*(struct pmu **)priv = p;
	p->mask = p->bits >= 64 ? ~0ull : (1ull << p->bits) - 1;
	p->value = 0;
	p->counting = p->irq_enabled = p->flag = p->line = p->late_pending = false;
	p->interrupts = 0;
	p->have_irq_value = false;
	return 0;
}

static int v_arm(void *priv, uint32_t ch, uint64_t n)
{
	struct pmu *p = *(struct pmu **)priv;

	if (ch != MEMBW_CH_READ)
		return -MEMBW_EIO;
	p->value = (p->mask - n + 1 - (p->fault == PRESET)) & p->mask;
	p->have_irq_value = false;
	p->late_pending = false;
	if (p->fault == CLEARED_LATE) {
		p->irq_enabled = true;
		update_line(p); /* a stale flag raises an interrupt here */
		p->flag = false;
	} else {
		p->flag = false;
		p->irq_enabled = true;
	}
	p->counting = true;
	update_line(p);
	return 0;
}

static int v_read(void *priv, uint32_t ch, uint64_t *v)
{
	struct pmu *p = *(struct pmu **)priv;

	if (ch != MEMBW_CH_READ)
		return -MEMBW_EIO;
	*v = p->value;
	return 0;
}

/* The direct reader (ABI version 3): the counter, with the PMU as its argument. */
static uint64_t v_direct(void *ctx)
{
	struct pmu *p = ctx;

	return (p->value - (p->fault == DIRECT_STALE)) & p->mask;
}

static int v_direct_reader(void *priv, uint32_t ch, struct membw_direct_reader *r)
{
	if (ch != MEMBW_CH_READ)
		return -MEMBW_EIO;
	r->read = v_direct;
	r->ctx = *(struct pmu **)priv;
	return 0;
}

static void v_stop(void *priv, uint32_t ch)
{
	struct pmu *p = *(struct pmu **)priv;

	(void)ch;
	if (p->fault != STOP_IGNORED)
		p->counting = false;
	p->irq_enabled = false;
	p->flag = false;
	p->late_pending = false;
	update_line(p);
}

static const struct membw_backend vendor_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "vendor-demo",
	.priv_size = sizeof(struct pmu *),
	.probe = v_probe,
	.cpu_init = v_cpu_init,
	.arm = v_arm,
	.read = v_read,
	.stop = v_stop,
	.direct_reader = v_direct_reader,
};

/* ---- the vendor's driver ---- */

static int d_count(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n)
{
	struct pmu *p = ctx;

	(void)cpu;
	(void)priv;
	if (ch != MEMBW_CH_READ || n > 100000000u)
		return -MEMBW_EOPNOTSUPP;
	while (n--)
		hw_event(p, MEMBW_COUNT_USER);
	return 0;
}

/* Events at a chosen level: the modelled CPU runs them there. */
static int d_count_at(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint32_t level,
		      uint64_t n)
{
	struct pmu *p = ctx;

	(void)cpu;
	(void)priv;
	if (ch != MEMBW_CH_READ || n > 100000000u ||
	    (level != MEMBW_COUNT_USER && level != MEMBW_COUNT_KERNEL))
		return -MEMBW_EOPNOTSUPP;
	while (n--)
		hw_event(p, level);
	return 0;
}

/* Set past a v1 driver's size: the library reading it there is a defect. */
static int d_count_at_past_size(void *ctx, unsigned int cpu, void *priv, unsigned int ch,
				uint32_t level, uint64_t n)
{
	(void)ctx;
	(void)cpu;
	(void)priv;
	(void)ch;
	(void)level;
	(void)n;
	fprintf(stderr, "vendor-demo: count_at was called on a driver whose size ends before it\n");
	_exit(3);
}

static uint64_t d_overflows(void *ctx, unsigned int cpu, void *priv, unsigned int ch)
{
	(void)cpu;
	(void)priv;
	(void)ch;
	return ((struct pmu *)ctx)->interrupts;
}

static int d_overflow_raw(void *ctx, unsigned int cpu, void *priv, unsigned int ch,
			  uint64_t *raw)
{
	struct pmu *p = ctx;

	(void)cpu;
	(void)priv;
	(void)ch;
	if (!p->have_irq_value)
		return -MEMBW_ENOENT;
	*raw = p->value_at_irq;
	return 0;
}

static void d_set_absent(void *ctx, bool absent)
{
	((struct pmu *)ctx)->absent = absent;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "none", "preset", "cleared-late", "stop-ignored",
					     "late", "filter-ignored", "direct-stale" };
	bool json = false, v1 = false;
	int a;
	unsigned int i;

	if (argc < 2) {
		fprintf(stderr, "usage: vendor-demo none|preset|cleared-late|stop-ignored|late|"
				"filter-ignored|direct-stale [--json] [--v1]\n");
		return 2;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(argv[1], names[i]))
			hw.fault = (enum fault)i;
	if (strcmp(argv[1], names[hw.fault])) {
		fprintf(stderr, "vendor-demo: unknown fault '%s'\n", argv[1]);
		return 2;
	}

	struct membw_conformance_driver d = {
		.size = sizeof(d), .name = "vendor-demo", .backend = &vendor_backend,
		.backend_ctx = &hw, .ctx = &hw, .count = d_count, .overflows = d_overflows,
		.set_absent = d_set_absent, .overflow_raw = d_overflow_raw, .count_at = d_count_at,
	};
	for (a = 2; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			json = true;
		} else if (!strcmp(argv[a], "--v1")) {
			v1 = true;
		} else {
			fprintf(stderr, "vendor-demo: unknown option '%s'\n", argv[a]);
			return 2;
		}
	}
	if (v1) {
		/* What a driver of the first version holds: nothing past no_exact_why. */
		d.size = MEMBW_CONFORMANCE_DRIVER_V1_SIZE;
		d.count_at = d_count_at_past_size; /* past the size: the library must not call it */
	}
	return membw_conformance_check(&d, STDOUT_FILENO, json ? MEMBW_CONFORMANCE_JSON : 0);
}
