/* SPDX-License-Identifier: MIT */
/*
 * Sharing modes: what happens once every regulated online CPU is throttled in a period. A tagged
 * counter of throttled CPUs per period is compared with the number of regulated online CPUs; the
 * CPU that completes the set acts for everyone through one membw_env::kick_all call.
 * - Spare: record the period as released; kicked CPUs (and any CPU about to be throttled in it)
 *   run free until it ends.
 * - Proportional: move the period origin so that a new period starts now; kicked CPUs roll over.
 */
#include "internal.h"

/* A zero budget means "no traffic at all": spare sharing does not release such a CPU. */
static bool blocked(const struct membw *m, const struct cpu *c)
{
	unsigned int ch;

	for (ch = 0; ch < m->nch; ch++)
		if (c->ch[ch].limited && c->ch[ch].budget == 0)
			return true;
	return false;
}

bool sharing_released(const struct membw *m, const struct cpu *c)
{
	return (c->mode & MODE_SHARING_MASK) == MEMBW_SHARE_SPARE &&
	       load_relaxed((uint64_t *)&m->spare_epoch) == c->epoch + 1 && !blocked(m, c);
}

static void all_throttled(struct membw *m, struct cpu *c, uint64_t now)
{
	uint64_t old;

	if ((c->mode & MODE_SHARING_MASK) == MEMBW_SHARE_SPARE) {
		old = load_relaxed(&m->spare_epoch);
		do {
			if (old >= c->epoch + 1)
				return;
		} while (!cas(&m->spare_epoch, &old, c->epoch + 1));
		if (tracing(m))
			trace_state(m, c, MEMBW_EV_RELEASE_ALL, 0, now, 0, 0);
	} else {
		old = load_relaxed(&m->offset_ns);
		if ((now - old) / m->period_ns != c->epoch)
			return; /* the period already ended or restarted */
		if (!cas(&m->offset_ns, &old, now - (c->epoch + 1) * m->period_ns))
			return;
		if (tracing(m))
			trace_state(m, c, MEMBW_EV_RESTART, 0, now, 0, 0);
	}
	m->env.kick_all(m->env.ctx, c->cpu);
}

static void check_all_throttled(struct membw *m, struct cpu *c, uint64_t now, uint64_t count)
{
	uint32_t regulated = load32_relaxed(&m->nregulated);

	if (regulated && count >= regulated)
		all_throttled(m, c, now);
}

void sharing_note_throttle(struct membw *m, struct cpu *c, uint64_t now)
{
	uint64_t count;

	if (!(c->mode & MODE_SHARING_MASK) || !(c->state & MEMBW_CPU_REGULATED))
		return;
	if (pool_add(&m->throttled, c->epoch, 1, &count))
		check_all_throttled(m, c, now, count);
}

/* The CPU has left the regulated set (offline); the others may now all be throttled. */
void sharing_note_leave(struct membw *m, struct cpu *c, uint64_t now, bool was_throttled)
{
	uint64_t word;

	if (!(c->mode & MODE_SHARING_MASK))
		return;
	if (was_throttled)
		pool_take(&m->throttled, c->epoch, 1, 0);
	word = load_relaxed(&m->throttled);
	if (pool_current(word, c->epoch))
		check_all_throttled(m, c, now, pool_amount(word));
}
