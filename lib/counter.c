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

uint64_t counter_jumped(struct membw *m, struct cpu *c, unsigned int ch, uint64_t now,
			uint64_t raw)
{
	note_anomaly(m, c, ch, now, MEMBW_ANOMALY_COUNTER_JUMP, raw);
	return 0;
}
