/* SPDX-License-Identifier: MIT */
/*
 * Reading and arming one channel's counter through the backend, and making sense of what it says.
 *
 * After arm(n) the counter holds 2^w - n, so (raw + n) mod 2^w is the number of events since the
 * arm for 32-bit and 64-bit counters alike, across the wrap. A reading more than half the counter
 * range past the arm point cannot come from interrupt latency: the counter went backwards or was
 * overwritten by someone else. That stretch counts as 0 events; the next arm resynchronises.
 */
#include "internal.h"

static void note_anomaly(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			 uint32_t kind, uint64_t detail)
{
	stat_add(&c->stats.anomalies, 1);
	if (tracing(m))
		trace_anomaly(m, c, ch, now, kind, detail);
}

int counter_read(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now, uint64_t *counted)
{
	struct channel *chan = &c->ch[ch];
	uint64_t raw, since;
	int err;

	*counted = chan->base;
	if (!chan->armed)
		return 0;
	err = m->be->read(c->priv, ch, &raw);
	if (err) {
		note_anomaly(m, c, ch, now, MEMBW_ANOMALY_BACKEND_ERROR, (uint64_t)(int64_t)err);
		return err < 0 ? err : -MEMBW_EIO;
	}
	since = (raw + chan->armed) & m->counter_mask;
	if (chan->armed <= m->counter_half && since > chan->armed &&
	    since - chan->armed > m->counter_half) {
		note_anomaly(m, c, ch, now, MEMBW_ANOMALY_COUNTER_JUMP, raw);
		since = 0;
	}
	*counted = chan->base + since;
	return 0;
}

int counter_arm(struct membw *m, struct cpu *c, unsigned int ch, uint64_t counted, uint64_t events,
		uint64_t now)
{
	struct channel *chan = &c->ch[ch];
	int err;

	if (events > m->counter_mask)
		events = m->counter_mask;
	chan->base = counted;
	err = m->be->arm(c->priv, ch, events);
	if (err) {
		/* Unarmed: no overflow will come, reads return base until the next period re-arms. */
		chan->armed = 0;
		note_anomaly(m, c, ch, now, MEMBW_ANOMALY_BACKEND_ERROR, (uint64_t)(int64_t)err);
		return err < 0 ? err : -MEMBW_EIO;
	}
	chan->armed = events;
	return 0;
}
