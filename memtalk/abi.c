/* SPDX-License-Identifier: MIT */
/* memtalk's wire format, both ends: encoding a call's registers and decoding a status. */
#include <membw/memtalk_abi.h>

static void encode(struct membw_memtalk_regs *regs, uint32_t base, uint32_t fn, uint64_t a1,
		   uint64_t a2, uint64_t a3)
{
	regs->r[0] = MEMBW_MEMTALK_FID(base, fn);
	regs->r[1] = a1;
	regs->r[2] = a2;
	regs->r[3] = a3;
	regs->r[4] = 0;
}

void membw_memtalk_encode_version(struct membw_memtalk_regs *regs, uint32_t base)
{
	encode(regs, base, MEMBW_MEMTALK_FN_VERSION, 0, 0, 0);
}

void membw_memtalk_encode_set_budget(struct membw_memtalk_regs *regs, uint32_t base,
				     uint64_t read_bps, uint64_t write_bps)
{
	encode(regs, base, MEMBW_MEMTALK_FN_SET_BUDGET, MEMBW_MEMTALK_CTL_V1, read_bps, write_bps);
}

void membw_memtalk_encode_get_budget(struct membw_memtalk_regs *regs, uint32_t base,
				     uint32_t channel)
{
	encode(regs, base, MEMBW_MEMTALK_FN_GET_BUDGET, MEMBW_MEMTALK_CTL_V1, channel, 0);
}

void membw_memtalk_encode_get_stats(struct membw_memtalk_regs *regs, uint32_t base, uint32_t page)
{
	encode(regs, base, MEMBW_MEMTALK_FN_GET_STATS, MEMBW_MEMTALK_CTL_V1, page, 0);
}

int membw_memtalk_status_to_errno(uint64_t status)
{
	switch ((int64_t)status) {
	case MEMBW_MEMTALK_OK:
		return 0;
	case MEMBW_MEMTALK_NOT_SUPPORTED:
		return -MEMBW_EOPNOTSUPP;
	case MEMBW_MEMTALK_INVALID_PARAMETER:
		return -MEMBW_EINVAL;
	case MEMBW_MEMTALK_BAD_VERSION:
		return -MEMBW_ENODEV;
	case MEMBW_MEMTALK_DENIED:
		return -MEMBW_EPERM;
	case MEMBW_MEMTALK_RANGE:
		return -MEMBW_ERANGE;
	case MEMBW_MEMTALK_RATE_LIMITED:
	case MEMBW_MEMTALK_BUSY:
		return -MEMBW_EAGAIN;
	default:
		return -MEMBW_EIO;
	}
}
