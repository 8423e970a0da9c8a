/* SPDX-License-Identifier: MIT */
/* The rare paths of counter.h: a backend hook failed, or a counter reading made no sense. */
#include "counter.h"

static void note_anomaly(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			 uint32_t kind, uint64_t detail)
{
	stat_add(&c->stats.anomalies, 1);
	if (tracing(m))
		trace_anomaly(m, c, ch, now, kind, detail);
}

int counter_failed(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now, int err)
{
	note_anomaly(m, c, ch, now, MEMBW_ANOMALY_BACKEND_ERROR, (uint64_t)(int64_t)err);
	return err < 0 ? err : -MEMBW_EIO;
}

/*
 * A counter known to have overflowed reads @since events after its arm: more than half the range
 * past the arm point (kept as it is), or below the arm point, which means a whole range more (on
 * a 64-bit counter that cannot happen in practice: at least the arm is charged). The anomaly's
 * detail is the raw reading (to the counter's width), worked back from @since (since = (raw +
 * armed) mod 2^w), so that the caller does not keep it in a register for this call (make
 * bench-armv8: 1 instruction).
 */
uint64_t counter_late_wrap(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			   uint64_t since)
{
	uint64_t armed = c->ch[ch].armed;

	/* Exactly half the range past the arm point: on time (counter_since_past()'s one compare
	 * sends it here too). */
	if (since >= armed && since - armed == m->counter_half)
		return since;
	note_anomaly(m, c, ch, now, MEMBW_ANOMALY_LATE_WRAP, (since - armed) & m->counter_mask);
	if (since >= armed)
		return since;
	return m->counter_mask == U64_ALL ? armed : since + m->counter_mask + 1;
}

/* The stretch since the arm counts 0; re-arm for the same point so counting resumes from here. */
uint64_t counter_jumped(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			uint64_t raw)
{
	struct channel *chan = &c->ch[ch];

	note_anomaly(m, c, ch, now, MEMBW_ANOMALY_COUNTER_JUMP, raw);
	chan->fresh = false;
	if (m->arm(c->priv, ch, chan->armed))
		chan->armed = 0;
	return 0;
}
