/* SPDX-License-Identifier: MIT */
/* membw_memtalk.ko: what its files share (conduit detection, request parsing). */
#ifndef MEMBW_MEMTALK_KMOD_H
#define MEMBW_MEMTALK_KMOD_H

#include <membw/memtalk_guest.h>

/* What the architecture's detection found: a hook to issue calls with, or why there is none. */
struct mtk_conduit {
	membw_memtalk_call_fn call; /* NULL: no hypervisor can be called safely. */
	const char *name;           /* "hvc", "vmcall", "vmmcall", or "none". */
	char why[96];               /* When call is NULL: the reason, for the log and status file. */
};

/*
 * Decide whether a memtalk call can be issued at all, without issuing one (arm64: the SMCCC v1.1
 * conduit is HVC; x86: CPUID.1:ECX[31]). Fills @c either way. One file per architecture.
 */
void mtk_conduit_detect(struct mtk_conduit *c);

/*
 * Calls whose instruction trapped in the guest instead of reaching a hypervisor (x86: #UD caught
 * by the exception table, answered NOT_SUPPORTED). Defined in main.c; the hooks run under its
 * lock, so a plain counter is enough.
 */
extern unsigned int mtk_call_faults;

/* A parsed write to the budget file: which channels it names, and their rates in bytes/s. */
struct mtk_request {
	bool has_read;
	bool has_write;
	uint64_t read_bps;
	uint64_t write_bps;
};

/* Longest text the budget file accepts in one write, newline included. */
#define MTK_REQUEST_MAX 127

/*
 * Parse "RATE", "read=RATE", "write=RATE" or "read=RATE write=RATE" (either order, spaces or tabs
 * between, one trailing newline allowed; RATE as membw_parse_rate() reads it). @text is modified.
 * 0 and *@req filled, or -EINVAL with the reason in @why (@why_len bytes) and *@req unchanged.
 */
int mtk_request_parse(char *text, struct mtk_request *req, char *why, size_t why_len);

/*
 * A SET_BUDGET ioctl of /dev/membw_memtalk (struct membw_memtalk_dev_set) as the request the budget
 * file's text would make: @flags names the channels (MEMBW_MEMTALK_DEV_SET_READ, _WRITE, at least
 * one, no other bit) and @reserved must be 0. 0 and *@req filled, or -EINVAL with the reason in
 * @why (@why_len bytes) and *@req unchanged.
 */
int mtk_request_from_flags(u32 flags, u32 reserved, u64 read_bps, u64 write_bps,
			   struct mtk_request *req, char *why, size_t why_len);

#endif /* MEMBW_MEMTALK_KMOD_H */
