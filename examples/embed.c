/* SPDX-License-Identifier: MIT */
/*
 * The README's "Embedding the policy" example as a complete program. The block between the two
 * "README" markers below is the README's code, verbatim (make check-examples compares them); the
 * rest is what the README leaves to the runtime: a counter backend (my_pmu, a software counter
 * this program advances itself, in place of a PMU), the throttle hooks, a clock, and the loop
 * that plays the timer and the overflow interrupt.
 *
 * Four CPUs; CPUs 2 and 3 form domain 0, a VM with 500 MB/s between them; CPUs 0 and 1 are in no
 * domain and run free. Each CPU wants to move 1 GB/s. Ten periods of 1 ms are simulated in steps
 * of 10 us, and the program prints what each CPU moved and how long it was throttled.
 *
 * Build against an installed libmembw:  cc -std=c11 embed.c $(pkg-config --cflags --libs membw)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One CPU's counter, kept by the policy in its storage (the backend's priv). */
struct my_pmu {
	uint32_t count;   /* a 32-bit up-counter of cache lines */
	bool running;     /* armed, counting toward an overflow */
	bool overflowed;  /* passed 2^32 since it was armed: the "interrupt" is pending */
};
extern const struct membw_backend my_pmu_backend;
void park_cpu(void *ctx, unsigned int cpu);
void unpark_cpu(void *ctx, unsigned int cpu);
int regulate(void);

/* ---- README: begin ------------------------------------------------------------------------ */
#include <membw/membw.h>

static _Alignas(MEMBW_STORAGE_ALIGN)
	unsigned char storage[MEMBW_STORAGE_SIZE(4, 1, sizeof(struct my_pmu))];
static struct membw *m;

int regulate(void)
{
	struct membw_env env = { .size = sizeof(env), .throttle = park_cpu,
				 .unthrottle = unpark_cpu };
	struct membw_config cfg;
	uint64_t bps;

	membw_config_init(&cfg);            /* 1 ms period, user + kernel counted */
	cfg.ncpus = 4;
	cfg.ndomains = 1;                   /* one VM of CPUs 2 and 3 */
	membw_init(&m, storage, sizeof(storage), &cfg, &my_pmu_backend, NULL, &env);
	membw_parse_rate("500MB/s", &bps, NULL);
	membw_domain_set_budget(m, 0, bps, MEMBW_UNLIMITED);
	membw_cpu_set_domain(m, 2, 0);
	return membw_cpu_set_domain(m, 3, 0);
}
/* on each CPU c:   membw_cpu_online(m, c, now, &next);  arm a timer for next
 * timer on c:      membw_tick(m, c, now, &next);        re-arm for next
 * PMU IRQ on c:    membw_overflow(m, c, now);                               */
/* ---- README: end -------------------------------------------------------------------------- */

#define NCPUS 4u
#define LINE_BYTES 64u
#define STEP_NS 10000ull                 /* the simulation's step: 10 us */
#define RUN_NS 10000000ull               /* ten periods of 1 ms */
#define WANT_LINES_PER_STEP 156u         /* 156 lines of 64 B per 10 us: about 1 GB/s */

static bool parked[NCPUS];
static uint64_t parked_ns[NCPUS], moved_bytes[NCPUS];

void park_cpu(void *ctx, unsigned int cpu)
{
	(void)ctx;
	parked[cpu] = true;     /* a real runtime stops scheduling work on the CPU here */
}

void unpark_cpu(void *ctx, unsigned int cpu)
{
	(void)ctx;
	parked[cpu] = false;
}

/* ---- my_pmu: the counter backend (include/membw/backend.h) ------------------------------- */

static int my_probe(void *ctx, struct membw_backend_info *info)
{
	(void)ctx;
	info->channels = 1;             /* reads only */
	info->counter_bits = 32;
	info->line_size = LINE_BYTES;
	info->levels = MEMBW_COUNT_ALL;
	info->caps = 0;
	return 0;
}

static int my_cpu_init(void *ctx, uint32_t cpu, void *priv, const struct membw_counter_setup *s)
{
	struct my_pmu *p = priv;

	(void)ctx;
	(void)cpu;
	(void)s;
	*p = (struct my_pmu){ 0 };
	return 0;
}

/* Interrupt after @events more: preset the counter so that it wraps after that many. */
static int my_arm(void *priv, uint32_t ch, uint64_t events)
{
	struct my_pmu *p = priv;

	(void)ch;
	if (events == 0 || events > UINT32_MAX)
		return -MEMBW_EINVAL;
	p->count = (uint32_t)(0x100000000ull - events);
	p->running = true;
	p->overflowed = false;
	return 0;
}

static int my_read(void *priv, uint32_t ch, uint64_t *value)
{
	(void)ch;
	*value = ((const struct my_pmu *)priv)->count;
	return 0;
}

static void my_stop(void *priv, uint32_t ch)
{
	(void)ch;
	((struct my_pmu *)priv)->running = false;
}

const struct membw_backend my_pmu_backend = {
	.abi_version = MEMBW_BACKEND_ABI_VERSION,
	.size = sizeof(struct membw_backend),
	.name = "my_pmu",
	.priv_size = sizeof(struct my_pmu),
	.probe = my_probe,
	.cpu_init = my_cpu_init,
	.arm = my_arm,
	.read = my_read,
	.stop = my_stop,
};

/* The CPU moves @lines cache lines: the counter counts them, and may overflow. */
static void transfer(unsigned int cpu, uint32_t lines)
{
	struct my_pmu *p = membw_cpu_get_priv(m, cpu);
	uint32_t before = p->count;

	moved_bytes[cpu] += (uint64_t)lines * LINE_BYTES;
	p->count += lines;
	if (p->running && p->count < before)
		p->overflowed = true;
}

int main(void)
{
	uint64_t now = 0, next[NCPUS];
	unsigned int c;
	int err;

	printf("libmembw %s (headers %s)\n", membw_version(), MEMBW_VERSION);
	err = regulate();
	if (err) {
		fprintf(stderr, "embed: regulate: %s\n", membw_strerror(err));
		return 1;
	}
	for (c = 0; c < NCPUS; c++) {
		err = membw_cpu_online(m, c, now, &next[c]);
		if (err) {
			fprintf(stderr, "embed: cpu %u online: %s\n", c, membw_strerror(err));
			return 1;
		}
	}
	for (now = STEP_NS; now <= RUN_NS; now += STEP_NS) {
		for (c = 0; c < NCPUS; c++) {
			struct my_pmu *p = membw_cpu_get_priv(m, c);

			if (parked[c])
				parked_ns[c] += STEP_NS;
			else
				transfer(c, WANT_LINES_PER_STEP);
			if (p->overflowed) {            /* the PMU interrupt */
				p->overflowed = false;
				err = membw_overflow(m, c, now);
			}
			if (!err && now >= next[c])     /* the period timer */
				err = membw_tick(m, c, now, &next[c]);
			if (err) {
				fprintf(stderr, "embed: cpu %u: %s\n", c, membw_strerror(err));
				return 1;
			}
		}
	}
	printf("cpu  domain  moved (MB/s)  throttled (ms)  periods throttled\n");
	for (c = 0; c < NCPUS; c++) {
		struct membw_cpu_stats st = { .size = sizeof(st) };

		membw_cpu_get_stats(m, c, &st);
		printf("%3u  %6s  %12llu  %14llu  %17llu\n", c, c >= 2 ? "0" : "-",
		       (unsigned long long)(moved_bytes[c] * 1000000000ull / RUN_NS / 1000000u),
		       (unsigned long long)(parked_ns[c] / 1000000u),
		       (unsigned long long)st.totals.throttle_count);
		membw_cpu_offline(m, c, now);
	}
	/* The VM's two CPUs share 500 MB/s, give or take the step in which each one's counter
	 * overflowed (this loop notices an overflow only after a whole step); the others run
	 * free. */
	if (moved_bytes[2] + moved_bytes[3] > 500000000ull * RUN_NS / 1000000000ull +
		    2 * (RUN_NS / 1000000u) * WANT_LINES_PER_STEP * LINE_BYTES ||
	    moved_bytes[0] <= moved_bytes[2]) {
		fprintf(stderr, "embed: the VM's CPUs were not held to their budget\n");
		return 1;
	}
	return 0;
}
