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
			trace_state(m, c, MEMBW_TRACE_RELEASE_ALL, 0, now, 0, 0);
	} else {
		old = load_relaxed(&m->offset_ns);
		if ((now - old) / m->period_ns != c->epoch)
			return; /* the period already ended or restarted */
		if (!cas(&m->offset_ns, &old, now - (c->epoch + 1) * m->period_ns))
			return;
		if (tracing(m))
			trace_state(m, c, MEMBW_TRACE_RESTART, 0, now, 0, 0);
	}
	m->env.kick_all(m->env.ctx, c->cpu);
}

/*
 * The throttled count of a period packs two numbers: CPUs throttled (low 16 bits) and, of those,
 * CPUs that ran out of a budget they had (high 16 bits). Sharing acts only when every regulated
 * CPU is throttled and at least one of them used something: if all are blocked from the start
 * (budgets of 0, shares rounded to 0) there is nothing to share, and a proportional restart would
 * only restart again at once.
 */
#define THROTTLED_ONE 1ull
#define THROTTLED_AFTER_USE (1ull << 16)
#define THROTTLED_COUNT(word) ((word) & 0xFFFFull)
#define THROTTLED_USED(word) ((word) >> 16)

static void check_all_throttled(struct membw *m, struct cpu *c, uint64_t now, uint64_t total)
{
	uint32_t regulated = load32_relaxed(&m->nregulated);

	if (regulated && THROTTLED_COUNT(total) >= regulated && THROTTLED_USED(total))
		all_throttled(m, c, now);
}

void sharing_note_throttle(struct membw *m, struct cpu *c, uint64_t now, bool after_use)
{
	uint64_t weight = THROTTLED_ONE | (after_use ? THROTTLED_AFTER_USE : 0), total;

	if (!(c->mode & MODE_SHARING_MASK) || !(c->state & MEMBW_CPU_REGULATED))
		return;
	if (pool_add(&m->throttled, c->epoch, weight, &total)) {
		c->throttle_weight = weight;
		check_all_throttled(m, c, now, total);
	}
}

/* The CPU is leaving the regulated set (offline): take it out of its period's count first. */
void sharing_forget(struct membw *m, struct cpu *c)
{
	if (c->throttle_weight)
		pool_take(&m->throttled, c->epoch, c->throttle_weight, 0);
	c->throttle_weight = 0;
}

/* After a CPU left the regulated set, the others may all be throttled now. */
void sharing_recheck(struct membw *m, struct cpu *c, uint64_t now)
{
	uint64_t word;

	if (!(c->mode & MODE_SHARING_MASK))
		return;
	word = load_relaxed(&m->throttled);
	if (pool_current(word, c->epoch))
		check_all_throttled(m, c, now, pool_amount(word));
}
