/* SPDX-License-Identifier: MIT */
/* memtalk, guest side: find memtalk, issue calls through the caller's hook, decode the answers. */
#include <membw/errors.h>
#include <membw/memtalk_guest.h>

/* The Call UID answer is four 32-bit words; SMC32 results leave bits 63:32 unspecified. */
static bool uid_is_memtalk(const struct membw_memtalk_regs *regs)
{
	return (uint32_t)regs->r[0] == MEMBW_MEMTALK_UID_0 &&
	       (uint32_t)regs->r[1] == MEMBW_MEMTALK_UID_1 &&
	       (uint32_t)regs->r[2] == MEMBW_MEMTALK_UID_2 && (uint32_t)regs->r[3] == MEMBW_MEMTALK_UID_3;
}

int membw_memtalk_guest_probe(struct membw_memtalk_guest *g, membw_memtalk_call_fn call,
			      uint32_t base)
{
	struct membw_memtalk_regs regs;

	if (!g || !call || (base != MEMBW_MEMTALK_BASE_AUTO && base > MEMBW_MEMTALK_BASE_MAX))
		return -MEMBW_EINVAL;
	if (base == MEMBW_MEMTALK_BASE_AUTO) {
		regs.r[0] = MEMBW_MEMTALK_FID_CALL_UID;
		regs.r[1] = regs.r[2] = regs.r[3] = regs.r[4] = 0;
		call(&regs);
		if (!uid_is_memtalk(&regs))
			return -MEMBW_ENODEV;
		base = MEMBW_MEMTALK_BASE_DEFAULT;
	}
	membw_memtalk_encode_version(&regs, base);
	call(&regs);
	if (regs.r[0] != MEMBW_MEMTALK_OK || regs.r[2] != MEMBW_MEMTALK_MAGIC ||
	    regs.r[1] > 0xFFFFFFFFu)
		return -MEMBW_ENODEV;
	if ((regs.r[1] >> 16) != MEMBW_MEMTALK_VERSION_MAJOR)
		return -MEMBW_EOPNOTSUPP;
	g->call = call;
	g->base = base;
	g->version = (uint32_t)regs.r[1];
	g->functions = (uint32_t)regs.r[3];
	g->reserved = 0;
	return 0;
}

static bool probed(const struct membw_memtalk_guest *g)
{
	return g && g->call && (g->version >> 16) == MEMBW_MEMTALK_VERSION_MAJOR &&
	       g->base <= MEMBW_MEMTALK_BASE_MAX;
}

int membw_memtalk_guest_set_budget(const struct membw_memtalk_guest *g, uint64_t read_bps,
			     uint64_t write_bps)
{
	struct membw_memtalk_regs regs;

	if (!probed(g))
		return -MEMBW_EINVAL;
	membw_memtalk_encode_set_budget(&regs, g->base, read_bps, write_bps);
	g->call(&regs);
	return membw_memtalk_status_to_errno(regs.r[0]);
}

int membw_memtalk_guest_get_budget(const struct membw_memtalk_guest *g, uint32_t channel,
			     struct membw_memtalk_budget *out)
{
	struct membw_memtalk_regs regs;
	int err;

	if (!probed(g) || !out || out->size < sizeof(*out) || channel >= MEMBW_NCHANNELS)
		return -MEMBW_EINVAL;
	membw_memtalk_encode_get_budget(&regs, g->base, channel);
	g->call(&regs);
	err = membw_memtalk_status_to_errno(regs.r[0]);
	if (err)
		return err;
	out->reserved = 0;
	out->current_bps = regs.r[1];
	out->cap_bps = regs.r[2];
	out->floor_bps = regs.r[3];
	return 0;
}

/* Page @page into @r (r[0..2] = the page's three values); 0 or an error code. */
static int read_page(const struct membw_memtalk_guest *g, uint32_t page, uint64_t r[3])
{
	struct membw_memtalk_regs regs;
	int err;

	membw_memtalk_encode_get_stats(&regs, g->base, page);
	g->call(&regs);
	err = membw_memtalk_status_to_errno(regs.r[0]);
	if (err)
		return err;
	r[0] = regs.r[1];
	r[1] = regs.r[2];
	r[2] = regs.r[3];
	return 0;
}

int membw_memtalk_guest_get_stats(const struct membw_memtalk_guest *g, struct membw_memtalk_stats *out)
{
	uint64_t page[MEMBW_MEMTALK_STATS_PAGES][3];
	uint32_t p;
	unsigned int ch;

	if (!probed(g) || !out || out->size < sizeof(*out))
		return -MEMBW_EINVAL;
	for (p = 0; p < MEMBW_MEMTALK_STATS_PAGES; p++) {
		int err = read_page(g, p, page[p]);

		if (err)
			return err;
	}
	out->reserved = 0;
	out->sequence = page[MEMBW_MEMTALK_STATS_SNAPSHOT][0];
	out->periods = page[MEMBW_MEMTALK_STATS_SNAPSHOT][1];
	out->period_ns = page[MEMBW_MEMTALK_STATS_SNAPSHOT][2];
	out->throttled_ns = page[MEMBW_MEMTALK_STATS_TIME][0];
	out->throttle_count = page[MEMBW_MEMTALK_STATS_TIME][1];
	out->missed_periods = page[MEMBW_MEMTALK_STATS_TIME][2];
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
		const uint64_t *v = page[MEMBW_MEMTALK_STATS_READ + ch];

		out->used_bytes[ch] = v[0];
		out->allowance_bytes[ch] = v[1];
		out->overshoot_bytes[ch] = v[2];
	}
	return 0;
}
