/* SPDX-License-Identifier: MIT */
/*
 * A program built only from what `make install` put in place, found through pkg-config: it embeds
 * the policy with a one-counter backend of its own and checks that a CPU is throttled after exactly
 * its budget. Prints "consumer: ok (<how it was linked>)" and exits 0 on success.
 */
#include <membw/membw.h>
#include <stdio.h>
#include <stdlib.h>

struct counter {
	uint64_t value, armed;
	int throttled;
};

static struct counter counters[2];

static int probe(void *ctx, struct membw_backend_info *info)
{
	(void)ctx;
	info->channels = 1;
	info->counter_bits = 32;
	info->line_size = 64;
	info->levels = MEMBW_COUNT_ALL;
	return 0;
}

static int cpu_init(void *ctx, unsigned int cpu, void *priv, const struct membw_counter_setup *s)
{
	(void)ctx;
	(void)s;
	*(struct counter **)priv = &counters[cpu];
	return 0;
}

static int arm(void *priv, unsigned int ch, uint64_t n)
{
	struct counter *c = *(struct counter **)priv;

	(void)ch;
	c->value = (1ull << 32) - n;
	c->armed = n;
	return 0;
}

static int read_counter(void *priv, unsigned int ch, uint64_t *v)
{
	(void)ch;
	*v = (*(struct counter **)priv)->value & 0xFFFFFFFFu;
	return 0;
}

static void stop(void *priv, unsigned int ch)
{
	(void)priv;
	(void)ch;
}

static const struct membw_backend backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "consumer",
	.priv_size = sizeof(struct counter *),
	.probe = probe,
	.cpu_init = cpu_init,
	.arm = arm,
	.read = read_counter,
	.stop = stop,
};

static void throttle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	counters[cpu].throttled = 1;
}

static void unthrottle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	counters[cpu].throttled = 0;
}

static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char storage[MEMBW_STORAGE_SIZE(2, 1, sizeof(void *))];

int main(int argc, char **argv)
{
	struct membw_env env = { .size = sizeof(env), .throttle = throttle, .unthrottle = unthrottle };
	struct membw_config cfg;
	struct membw *m;
	uint64_t bps;
	int err;

	membw_config_init(&cfg);
	cfg.ncpus = 2;
	cfg.ndomains = 1;
	err = membw_init(&m, storage, sizeof(storage), &cfg, &backend, NULL, &env);
	if (!err)
		err = membw_parse_rate("64MB/s", &bps, NULL); /* 64000 B per 1 ms = 1000 lines */
	if (!err)
		err = membw_domain_set_budget(m, 0, bps, MEMBW_UNLIMITED);
	if (!err)
		err = membw_cpu_set_domain(m, 0, 0);
	if (!err)
		err = membw_cpu_online(m, 0, 0, NULL);
	if (err) {
		fprintf(stderr, "consumer: setup failed: %s\n", membw_strerror(err));
		return 1;
	}
	counters[0].value += 999; /* one short of the budget: no overflow yet */
	if (counters[0].armed != 1000 || counters[0].throttled) {
		fprintf(stderr, "consumer: armed for %llu, expected 1000\n",
			(unsigned long long)counters[0].armed);
		return 1;
	}
	counters[0].value += 1;
	membw_overflow(m, 0, 500000);
	if (!counters[0].throttled) {
		fprintf(stderr, "consumer: not throttled after 1000 lines\n");
		return 1;
	}
	membw_tick(m, 0, 1000000, NULL);
	if (counters[0].throttled) {
		fprintf(stderr, "consumer: still throttled in the next period\n");
		return 1;
	}
	printf("consumer: ok (%s)\n", argc > 1 ? argv[1] : "linked");
	return 0;
}
