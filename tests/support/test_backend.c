/* SPDX-License-Identifier: MIT */
#include "test_backend.h"

static uint64_t mask_of(const struct tb *tb)
{
	return tb->counter_bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << tb->counter_bits) - 1;
}

static int tb_probe(void *ctx, struct membw_backend_info *info)
{
	struct tb *tb = ctx;

	if (tb->probe_err)
		return tb->probe_err;
	info->channels = tb->channels;
	info->counter_bits = tb->counter_bits;
	info->line_size = tb->line_size;
	info->levels = tb->levels;
	info->caps = 0;
	return 0;
}

static int tb_cpu_init(void *ctx, unsigned int cpu, void *priv,
		       const struct membw_counter_setup *setup)
{
	struct tb *tb = ctx;
	struct tb_cpu *t = priv;

	if (tb->init_err)
		return tb->init_err;
	t->tb = tb;
	t->cpu = cpu;
	t->inits++;
	t->setup = *setup;
	return 0;
}

/*
 * Write the preset for @events more, @already of which have been counted since the reference
 * point (0 for arm, the events since the last read for rearm).
 */
static int program(struct tb_cpu *t, unsigned int ch, uint64_t events, uint64_t already)
{
	uint64_t mask = mask_of(t->tb);

	if (t->tb->arm_err)
		return t->tb->arm_err;
	if (events == 0 || events > mask)
		return -MEMBW_EINVAL; /* the policy must never ask for this */
	t->value[ch] = (mask - events + 1 + already) & mask;
	if (already >= events)
		t->pending[ch] = true; /* already past the point: interrupt at once */
	else
		t->pending[ch] = false;
	t->armed[ch] = events;
	t->arms[ch]++;
	t->running[ch] = true;
	if (t->tb->arm_fail_mask & (1u << ch))
		return -MEMBW_EIO;
	return 0;
}

/* The events the CPU counts while the hook runs (tb::arm_window), on the running counter. */
static void count_window(struct tb_cpu *t, unsigned int ch)
{
	if (!t->running[ch] || !t->tb->arm_window)
		return;
	t->value[ch] = (t->value[ch] + t->tb->arm_window) & mask_of(t->tb);
	t->tb->window_total += t->tb->arm_window;
}

static int tb_arm(void *priv, unsigned int ch, uint64_t events)
{
	struct tb_cpu *t = priv;

	count_window(t, ch);
	return program(t, ch, events, 0);
}

/* Stop, read again, preset relative to the last read: the window's events are kept. */
static int tb_rearm(void *priv, unsigned int ch, uint64_t events)
{
	struct tb_cpu *t = priv;
	uint64_t since_read;

	count_window(t, ch);
	since_read = (t->value[ch] - t->at_read[ch]) & mask_of(t->tb);
	t->rearms[ch]++;
	return program(t, ch, events, since_read);
}

static int tb_read(void *priv, unsigned int ch, uint64_t *value)
{
	struct tb_cpu *t = priv;

	if (t->tb->read_err)
		return t->tb->read_err;
	t->reads[ch]++;
	*value = t->value[ch];
	t->at_read[ch] = t->value[ch];
	return 0;
}

/* The direct reader's function: read() with tb::direct_extra counted first, and no error. */
static uint64_t tb_direct_read(void *ctx)
{
	struct tb_reader *r = ctx;
	struct tb_cpu *t = r->t;

	t->value[r->ch] = (t->value[r->ch] + t->tb->direct_extra) & mask_of(t->tb);
	t->direct_reads[r->ch]++;
	t->at_read[r->ch] = t->value[r->ch];
	return t->value[r->ch];
}

int tb_direct_reader(void *priv, uint32_t ch, struct membw_direct_reader *reader)
{
	struct tb_cpu *t = priv;

	t->direct_asks++;
	if (t->tb->direct_err)
		return t->tb->direct_err;
	if (t->tb->direct_none)
		return 0;
	t->reader[ch].t = t;
	t->reader[ch].ch = ch;
	reader->read = tb_direct_read;
	reader->ctx = &t->reader[ch];
	return 0;
}

static void tb_stop(void *priv, unsigned int ch)
{
	struct tb_cpu *t = priv;

	t->running[ch] = false;
	t->pending[ch] = false;
	t->stops[ch]++;
}

static void tb_cpu_exit(void *ctx, uint32_t cpu, void *priv)
{
	struct tb_cpu *t = priv;

	(void)ctx;
	(void)cpu;
	t->exits++;
}

const struct membw_backend tb_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "test",
	.priv_size = sizeof(struct tb_cpu),
	.probe = tb_probe,
	.cpu_init = tb_cpu_init,
	.arm = tb_arm,
	.read = tb_read,
	.stop = tb_stop,
	.cpu_exit = tb_cpu_exit,
	.rearm = tb_rearm,
};

void tb_defaults(struct tb *tb)
{
	*tb = (struct tb){ .channels = 2, .counter_bits = 32, .line_size = 64,
			   .levels = MEMBW_COUNT_ALL };
}

struct tb_cpu *tb_cpu(struct membw *m, unsigned int cpu)
{
	return membw_cpu_get_priv(m, cpu);
}

bool tb_count(struct membw *m, unsigned int cpu, unsigned int ch, uint64_t n)
{
	struct tb_cpu *t = tb_cpu(m, cpu);
	uint64_t mask = mask_of(t->tb);
	bool wrapped;

	if (!t->running[ch])
		return false;
	/* Wraps when n reaches the distance to 2^w (mask - value + 1). */
	wrapped = n > mask - t->value[ch];
	t->value[ch] = (t->value[ch] + n) & mask;
	if (wrapped)
		t->pending[ch] = true;
	return wrapped;
}

uint64_t tb_until_overflow(struct membw *m, unsigned int cpu, unsigned int ch)
{
	struct tb_cpu *t = tb_cpu(m, cpu);

	return mask_of(t->tb) - t->value[ch] + 1;
}

bool tb_take_overflow(struct membw *m, unsigned int cpu)
{
	struct tb_cpu *t = tb_cpu(m, cpu);
	bool any = false;
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		any |= t->pending[ch];
		t->pending[ch] = false;
	}
	return any;
}
