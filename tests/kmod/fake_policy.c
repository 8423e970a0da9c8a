/* SPDX-License-Identifier: MIT */
/* The recording, failing policy of fake_policy.h. */
#include <membw/errors.h>

#include "fake_policy.h"

struct fake_policy fake_policy;

static int change(void)
{
	return ++fake_policy.changes == fake_policy.fail_at ? -MEMBW_EAGAIN : 0;
}

static int get_budget(void *ctx, uint32_t d, uint64_t *r, uint64_t *w)
{
	(void)ctx;
	*r = fake_policy.budget[d][0];
	*w = fake_policy.budget[d][1];
	return 0;
}

static int set_budget(void *ctx, uint32_t d, uint64_t r, uint64_t w)
{
	int err = change();

	(void)ctx;
	if (!err) {
		fake_policy.budget[d][0] = r;
		fake_policy.budget[d][1] = w;
	}
	return err;
}

static int set_domain(void *ctx, uint32_t cpu, uint32_t d)
{
	int err = change();

	(void)ctx;
	if (!err)
		fake_policy.domain[cpu] = d;
	return err;
}

static int set_reclaim(void *ctx, bool on)
{
	int err = change();

	(void)ctx;
	if (!err)
		fake_policy.reclaim = on;
	return err;
}

static int set_sharing(void *ctx, unsigned int sharing)
{
	int err = change();

	(void)ctx;
	if (!err)
		fake_policy.sharing = sharing;
	return err;
}

const struct kctl_ops fake_ops = {
	NULL, get_budget, set_budget, set_domain, set_reclaim, set_sharing,
};
