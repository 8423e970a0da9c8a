/* SPDX-License-Identifier: MIT */
/*
 * The `sim` counter backend: the policy's hooks on a simulated PMU (model in pmu.h). Only
 * `membw_sim_backend` and the hardware-side functions of pmu.h leave this file.
 */
#include "pmu.h"

static uint64_t mask_of(const struct sim_pmu *pmu)
{
	return pmu->counter_bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << pmu->counter_bits) - 1;
}

/* Counts must be current before a register is read or written, as on hardware. */
static void sync_cpu(struct sim_pmu_cpu *pc)
{
	if (pc->pmu->sync)
		pc->pmu->sync(pc->pmu->owner, pc->cpu);
}

static void changed(struct sim_pmu_cpu *pc)
{
	if (pc->pmu->changed)
		pc->pmu->changed(pc->pmu->owner, pc->cpu);
}

static int sim_probe(void *ctx, struct membw_backend_info *info)
{
	struct sim_pmu *pmu = ctx;

	if (!pmu || pmu->absent)
		return -MEMBW_ENODEV;
	info->channels = pmu->channels;
	info->counter_bits = pmu->counter_bits;
	info->line_size = pmu->line_size;
	info->levels = MEMBW_COUNT_ALL;
	/* Interrupts are delivered after a configurable latency: counts can pass the arm point. */
	info->caps = MEMBW_CAP_LATE_OVERFLOW;
	return 0;
}

static int event_class(uint64_t event, unsigned int ch, uint32_t *cls)
{
	if (event == 0)
		*cls = ch;
	else if (event == SIM_EVENT_LINE_REFILL)
		*cls = SIM_CLASS_READ;
	else if (event == SIM_EVENT_LINE_WB)
		*cls = SIM_CLASS_WRITE;
	else
		return -MEMBW_EOPNOTSUPP;
	return 0;
}

static int sim_cpu_init(void *ctx, unsigned int cpu, void *priv,
			const struct membw_counter_setup *setup)
{
	struct sim_pmu *pmu = ctx;
	struct sim_pmu_cpu *pc = priv;
	uint32_t cls[MEMBW_NCHANNELS];
	unsigned int ch;

	if (!pmu || pmu->absent)
		return -MEMBW_ENODEV;
	if (setup->levels & ~(uint32_t)MEMBW_COUNT_ALL)
		return -MEMBW_EOPNOTSUPP;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		if (event_class(setup->event[ch], ch, &cls[ch]))
			return -MEMBW_EOPNOTSUPP;
	*pc = (struct sim_pmu_cpu){ .pmu = pmu, .cpu = cpu, .ready = true };
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		pc->ctr[ch].source = cls[ch];
		pc->ctr[ch].cpu = pc;
	}
	changed(pc);
	return 0;
}

/*
 * The read-to-arm window (sim_pmu::arm_window_lines): the running counter counts those lines
 * before the hook writes it. No wrap is raised for them: the write that follows replaces the value.
 */
static void count_window(struct sim_pmu_cpu *pc, struct sim_pmu_counter *c)
{
	uint64_t n = pc->pmu->arm_window_lines;

	if (!n || !c->running || !c->read_since_arm)
		return;
	c->value = (c->value + n) & mask_of(pc->pmu);
	c->window_lines += n;
}

/* Write the preset for @events more, @since of which have been counted already. */
static int program(struct sim_pmu_cpu *pc, unsigned int ch, uint64_t events, uint64_t since)
{
	uint64_t mask = mask_of(pc->pmu);
	struct sim_pmu_counter *c = &pc->ctr[ch];

	c->value = (mask - events + 1 + since) & mask;
	c->running = true;
	c->irq = true;
	c->overflowed = false;
	c->read_since_arm = false;
	c->arms++;
	if (since >= events) {
		/* Already past the new arm point: the interrupt is raised at once. */
		c->overflowed = true;
		c->raised++;
		if (pc->pmu->raised)
			pc->pmu->raised(pc->pmu->owner, pc->cpu, ch);
	}
	changed(pc);
	return 0;
}

static int check_arm(const struct sim_pmu_cpu *pc, unsigned int ch, uint64_t events)
{
	if (!pc->ready || ch >= pc->pmu->channels || events == 0 || events > mask_of(pc->pmu))
		return -MEMBW_EIO;
	return 0;
}

static int sim_arm(void *priv, unsigned int ch, uint64_t events)
{
	struct sim_pmu_cpu *pc = priv;

	if (check_arm(pc, ch, events))
		return -MEMBW_EIO;
	sync_cpu(pc);
	count_window(pc, &pc->ctr[ch]);
	return program(pc, ch, events, 0);
}

/* The fused read and re-arm: the events since the last read belong to the new arm. */
static int sim_rearm(void *priv, unsigned int ch, uint64_t events)
{
	struct sim_pmu_cpu *pc = priv;
	struct sim_pmu_counter *c;
	uint64_t since;

	if (check_arm(pc, ch, events))
		return -MEMBW_EIO;
	sync_cpu(pc);
	c = &pc->ctr[ch];
	count_window(pc, c);
	since = pc->pmu->rearm_as_arm ? 0 : (c->value - c->at_read) & mask_of(pc->pmu);
	return program(pc, ch, events, since);
}

/* A read of counter @ctx: the direct reader's function (backend ABI version 3), and read()'s. */
static uint64_t sim_direct_read(void *ctx)
{
	struct sim_pmu_counter *c = ctx;

	sync_cpu(c->cpu);
	c->at_read = c->value;
	c->read_since_arm = true;
	return c->value;
}

static int sim_read(void *priv, unsigned int ch, uint64_t *value)
{
	struct sim_pmu_cpu *pc = priv;

	if (!pc->ready || ch >= pc->pmu->channels)
		return -MEMBW_EIO;
	*value = sim_direct_read(&pc->ctr[ch]);
	return 0;
}

/* The direct reader of @ch: the counter itself is the argument; valid until the next cpu_init. */
static int sim_direct_reader(void *priv, unsigned int ch, struct membw_direct_reader *reader)
{
	struct sim_pmu_cpu *pc = priv;

	if (!pc->ready || ch >= pc->pmu->channels)
		return -MEMBW_EIO;
	reader->read = sim_direct_read;
	reader->ctx = &pc->ctr[ch];
	return 0;
}

static void sim_stop(void *priv, unsigned int ch)
{
	struct sim_pmu_cpu *pc = priv;
	struct sim_pmu_counter *c;

	if (!pc->ready || ch >= pc->pmu->channels)
		return;
	sync_cpu(pc);
	c = &pc->ctr[ch];
	c->running = false;
	c->irq = false;
	c->overflowed = false;
	changed(pc);
}

const struct membw_backend membw_sim_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "sim",
	.priv_size = sizeof(struct sim_pmu_cpu),
	.probe = sim_probe,
	.cpu_init = sim_cpu_init,
	.arm = sim_arm,
	.read = sim_read,
	.stop = sim_stop,
	.rearm = sim_rearm,
	.direct_reader = sim_direct_reader,
};

void sim_pmu_defaults(struct sim_pmu *pmu)
{
	*pmu = (struct sim_pmu){ .channels = 2, .counter_bits = 32, .line_size = 64 };
}

bool sim_pmu_count(struct sim_pmu_cpu *pc, unsigned int cls, uint64_t n)
{
	uint64_t mask = mask_of(pc->pmu);
	bool any = false;
	unsigned int ch;

	if (!n)
		return false;
	for (ch = 0; ch < pc->pmu->channels; ch++) {
		struct sim_pmu_counter *c = &pc->ctr[ch];
		bool wrapped;

		if (!c->running || c->source != cls)
			continue;
		/* The wrap comes with the (mask - value + 1)-th event. */
		wrapped = n > mask - c->value;
		c->value = (c->value + n) & mask;
		if (!wrapped)
			continue;
		c->overflowed = true;
		if (!c->irq)
			continue;
		c->raised++;
		any = true;
		if (pc->pmu->raised)
			pc->pmu->raised(pc->pmu->owner, pc->cpu, ch);
	}
	return any;
}

uint64_t sim_pmu_until_overflow(const struct sim_pmu_cpu *pc, unsigned int cls)
{
	uint64_t mask = mask_of(pc->pmu), best = UINT64_MAX;
	unsigned int ch;

	for (ch = 0; ch < pc->pmu->channels; ch++) {
		const struct sim_pmu_counter *c = &pc->ctr[ch];
		uint64_t left;

		if (!c->running || !c->irq || c->source != cls)
			continue;
		/* Distance to the wrap is mask - value + 1; a full 64-bit range saturates. */
		left = mask - c->value;
		left = left == UINT64_MAX ? UINT64_MAX : left + 1;
		if (left < best)
			best = left;
	}
	return best;
}

uint32_t sim_pmu_take_overflow(struct sim_pmu_cpu *pc)
{
	uint32_t mask = 0;
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		if (pc->ctr[ch].overflowed)
			mask |= 1u << ch;
		pc->ctr[ch].overflowed = false;
	}
	return mask;
}

void sim_pmu_clobber(struct sim_pmu_cpu *pc, unsigned int channel, uint64_t value)
{
	if (channel >= pc->pmu->channels)
		return;
	sync_cpu(pc);
	pc->ctr[channel].value = value & mask_of(pc->pmu);
	changed(pc);
}
