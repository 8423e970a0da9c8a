/* SPDX-License-Identifier: MIT */
#include "helpers.h"

#include <string.h>

struct x86_ctx ctx;
struct membw_backend_info info;
static _Alignas(16) unsigned char priv_storage[512];
void *priv = priv_storage;
unsigned int t_acked, t_handler_runs;

void t_ack_handler(void *arg)
{
	(void)arg;
	t_handler_runs++;
	t_acked |= x86_overflow_ack(priv);
}

void t_reset(unsigned int first, unsigned int n)
{
	fx_reset();
	memset(priv_storage, 0, sizeof(priv_storage));
	memset(&ctx, 0, sizeof(ctx));
	ctx.size = sizeof(ctx);
	ctx.first_counter = first;
	ctx.ncounters = n;
	ctx.apic = X86_APIC_XAPIC;
	ctx.xapic_base = FX_XAPIC_BASE;
	ctx.lvt_vector = 0xEE;
	ctx.lvt_delivery = X86_LVT_FIXED;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	t_acked = t_handler_runs = 0;
	fx.on_pmi = t_ack_handler;
}

int t_probe(void)
{
	return membw_x86_backend.probe(&ctx, &info);
}

int t_init(uint32_t levels, uint64_t read, uint64_t write)
{
	struct membw_counter_setup setup = { .size = sizeof(setup), .levels = levels,
					     .event = { read, write } };

	return membw_x86_backend.cpu_init(&ctx, 0, priv, &setup);
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
