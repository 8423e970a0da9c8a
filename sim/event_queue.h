/* SPDX-License-Identifier: MIT */
/*
 * A binary min-heap of simulator events, ordered by key, then by insertion order (so events at
 * the same instant run first-come first-served, which keeps runs deterministic). Entries are never
 * removed from the middle: an entry carries its core's generation number and is ignored when popped
 * if the core has moved on since ("lazy deletion").
 */
#ifndef MEMBW_SIM_EVENT_QUEUE_H
#define MEMBW_SIM_EVENT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct sim_event {
	uint64_t key;  /* time in ns, or progress in solo units (engine.c) */
	uint64_t seq;  /* insertion order */
	uint32_t cpu;
	uint32_t kind;
	uint32_t gen;
	uint32_t arg;
};

struct sim_queue {
	struct sim_event *v;
	size_t n, cap;
	uint64_t seq;
};

/* Returns 0 or -MEMBW_ENOSPC-like -1 when memory runs out. */
int sim_queue_push(struct sim_queue *q, uint64_t key, uint32_t cpu, uint32_t kind, uint32_t gen,
		   uint32_t arg);
/* The smallest entry, or NULL if empty. */
const struct sim_event *sim_queue_top(const struct sim_queue *q);
void sim_queue_pop(struct sim_queue *q);
/* Keep the first @n entries of q->v (in any order) and restore the heap order: O(n). */
void sim_queue_rebuild(struct sim_queue *q, size_t n);
void sim_queue_free(struct sim_queue *q);

#endif /* MEMBW_SIM_EVENT_QUEUE_H */
