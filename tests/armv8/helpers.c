/* SPDX-License-Identifier: MIT */
#include "helpers.h"

#include <CUnit/CUnit.h>
#include <string.h>

const struct armv8_core *fake_core;
struct armv8_ctx ctx;
struct membw_backend_info info;
static _Alignas(16) unsigned char priv_storage[256];
void *priv = priv_storage;

static void reset_common(void)
{
	fake_reset();
	fake_core = NULL;
	memset(priv_storage, 0, sizeof(priv_storage));
	memset(&ctx, 0, sizeof(ctx));
	ctx.size = sizeof(ctx);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
}

void t_reset_el1(unsigned int first, unsigned int n)
{
	reset_common();
	ctx.mode = ARMV8_MODE_EL1;
	ctx.first_counter = first;
	ctx.ncounters = n;
}

void t_reset_el2(unsigned int n, unsigned int hpmn)
{
	reset_common();
	fake.el = 2;
	fake.n = n;
	fake.mdcr_el2 = hpmn;
	ctx.mode = ARMV8_MODE_EL2;
}

int t_probe(void)
{
	return membw_armv8_backend.probe(&ctx, &info);
}

int t_init(uint32_t levels, uint64_t read, uint64_t write)
{
	struct membw_counter_setup setup = { .size = sizeof(setup), .levels = levels,
					     .event = { read, write } };

	return membw_armv8_backend.cpu_init(&ctx, 0, priv, &setup);
}

bool t_ready(uint32_t levels, uint64_t read, uint64_t write)
{
	int err = t_probe();

	CU_ASSERT_EQUAL(err, 0);
	if (err)
		return false;
	err = t_init(levels, read, write);
	CU_ASSERT_EQUAL(err, 0);
	return err == 0;
}
