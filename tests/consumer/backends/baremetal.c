/* SPDX-License-Identifier: MIT */
/*
 * A bare-metal program on an installed freestanding backend archive: libmembw-armv8.a (built
 * with -DCONSUMER_ARMV8 by the aarch64 cross compiler) or libmembw-x86.a (-DCONSUMER_X86, the
 * x86-64 compiler), each carrying the policy core. Linked with -nostdlib and nothing else: every
 * symbol must come from the archive. Never run (it needs the hardware at EL1 or ring 0);
 * tests/consumer/run checks the linked image's symbols.
 */
#include <membw/membw.h>
#if defined(CONSUMER_ARMV8)
#include <membw/armv8.h>
#define BACKEND membw_armv8_backend
#define ACK armv8_overflow_ack
typedef struct armv8_ctx backend_ctx;
#elif defined(CONSUMER_X86)
#include <membw/x86.h>
#define BACKEND membw_x86_backend
#define ACK x86_overflow_ack
typedef struct x86_ctx backend_ctx;
#else
#error "define CONSUMER_ARMV8 or CONSUMER_X86"
#endif

void consumer_entry(void);

static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char storage[16384];
static backend_ctx ctx;
static struct membw *m;

static void hook(void *c, unsigned int cpu)
{
	(void)c;
	(void)cpu;
}

static const struct membw_env env = {
	.size = sizeof(struct membw_env), .throttle = hook, .unthrottle = hook,
};

/* The entry point: init, one CPU online, the overflow path. */
void consumer_entry(void)
{
	struct membw_config cfg;
	uint64_t next;

	ctx.size = sizeof(ctx);
	membw_config_init(&cfg);
	cfg.ncpus = 1;
	cfg.ndomains = 1;
	if (membw_init(&m, storage, sizeof(storage), &cfg, &BACKEND, &ctx, &env) == 0 &&
	    membw_cpu_online(m, 0, 0, &next) == 0)
		(void)membw_overflow_channels(m, 0, next, ACK(membw_cpu_get_priv(m, 0)));
	for (;;)
		;
}
