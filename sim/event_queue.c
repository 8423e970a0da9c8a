/* SPDX-License-Identifier: MIT */
#include "event_queue.h"

#include <stdlib.h>

static int before(const struct sim_event *a, const struct sim_event *b)
{
	return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

int sim_queue_push(struct sim_queue *q, uint64_t key, uint32_t cpu, uint32_t kind, uint32_t gen,
		   uint32_t arg)
{
	struct sim_event e = { .key = key, .seq = q->seq++, .cpu = cpu, .kind = kind, .gen = gen,
			       .arg = arg };
	size_t i;

	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct sim_event *v = realloc(q->v, cap * sizeof(*v));

		if (!v)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	for (i = q->n++; i > 0; i = (i - 1) / 2) {
		size_t parent = (i - 1) / 2;

		if (!before(&e, &q->v[parent]))
			break;
		q->v[i] = q->v[parent];
	}
	q->v[i] = e;
	return 0;
}

const struct sim_event *sim_queue_top(const struct sim_queue *q)
{
	return q->n ? &q->v[0] : NULL;
}

/* Move @e down from slot @i to its place among the first q->n entries. */
static void sift_down(struct sim_queue *q, size_t i, struct sim_event last)
{
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= q->n)
			break;
		if (child + 1 < q->n && before(&q->v[child + 1], &q->v[child]))
			child++;
		if (!before(&q->v[child], &last))
			break;
		q->v[i] = q->v[child];
		i = child;
	}
	q->v[i] = last;
}

void sim_queue_pop(struct sim_queue *q)
{
	if (!q->n)
		return;
	q->n--;
	if (q->n)
		sift_down(q, 0, q->v[q->n]);
}

void sim_queue_rebuild(struct sim_queue *q, size_t n)
{
	size_t i;

	q->n = n;
	for (i = n / 2; i-- > 0;)
		sift_down(q, i, q->v[i]);
}

void sim_queue_free(struct sim_queue *q)
{
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
}
