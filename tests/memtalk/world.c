/* SPDX-License-Identifier: MIT */
#include "world.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

struct world w;

void world_start(uint32_t flags, uint64_t interval_ns, uint32_t burst)
{
	struct fx *f = &w.f;

	memset(&w, 0, sizeof(w));
	fx_config(f, 4, 3);
	CU_ASSERT_EQUAL_FATAL(fx_start(f), 0);
	w.policy_size = membw_storage_size(4, 3, tb_backend.priv_size);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f->m, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f->m, 1, 0), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f->m, 2, 1), 0);
	CU_ASSERT_EQUAL_FATAL(membw_cpu_set_domain(f->m, 3, 2), 0);
	CU_ASSERT_EQUAL_FATAL(membw_domain_set_budget(f->m, 0, CAP0_READ, CAP0_WRITE), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(f), 0);

	w.lim[0] = (struct membw_memtalk_vm_limits){
		.domain = 0,
		.cap_bps = {CAP0_READ, CAP0_WRITE},
		.floor_bps = {FLOOR0_READ, 0},
	};
	w.lim[1] = (struct membw_memtalk_vm_limits){
		.domain = 1,
		.cap_bps = {MEMBW_UNLIMITED, MEMBW_UNLIMITED},
	};
	w.lim[2] = (struct membw_memtalk_vm_limits){.domain = MEMBW_NO_DOMAIN};
	w.cfg = (struct membw_memtalk_host_config){
		.size = sizeof(w.cfg),
		.nvms = NVMS,
		.base = MEMBW_MEMTALK_BASE_DEFAULT,
		.flags = flags,
		.min_interval_ns = interval_ns,
		.burst = burst,
	};
	w.storage_size = membw_memtalk_host_size(NVMS);
	CU_ASSERT_EQUAL_FATAL(w.storage_size, MEMBW_MEMTALK_HOST_SIZE(NVMS));
	w.storage = aligned_alloc(MEMBW_MEMTALK_ALIGN, w.storage_size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.storage);
	CU_ASSERT_EQUAL_FATAL(membw_memtalk_host_init(&w.h, w.storage, w.storage_size, f->m, &w.cfg,
						      w.lim),
			      0);
	w.now = f->now;
}

void world_stop(void)
{
	free(w.storage);
	w.storage = NULL;
	fx_stop(&w.f);
}

int dispatch(unsigned int vm, struct membw_memtalk_regs *regs)
{
	return membw_memtalk_host_dispatch(w.h, vm, regs, w.now);
}

void world_call(struct membw_memtalk_regs *regs)
{
	w.calls++;
	w.last_dispatch = dispatch(w.vm, regs);
	if (w.last_dispatch != 0)
		regs->r[0] = (uint64_t)(int64_t)MEMBW_MEMTALK_NOT_SUPPORTED;
}

struct snapshot snapshot_take(void)
{
	struct snapshot s = {malloc(w.storage_size), malloc(w.policy_size)};

	memcpy(s.host, w.storage, w.storage_size);
	memcpy(s.policy, w.f.storage, w.policy_size);
	return s;
}

bool snapshot_same(struct snapshot s)
{
	bool same = memcmp(s.host, w.storage, w.storage_size) == 0 &&
		    memcmp(s.policy, w.f.storage, w.policy_size) == 0;

	free(s.host);
	free(s.policy);
	return same;
}

int add_suite(const char *name, const struct named_test *tests, size_t n)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < n; i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
