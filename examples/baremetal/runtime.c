/* SPDX-License-Identifier: MIT */
/* The bare-metal runtime both skeletons share (runtime.h). */
#include "runtime.h"
#include "platform.h"

static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char storage[MEMBW_STORAGE_SIZE(1, 1, 512)];
static struct membw *m;
static volatile bool throttled;
static int first_error;

static void note(int err)
{
	if (err && !first_error)
		first_error = err;
}

/* The policy's hooks: a throttled CPU is held in on_irq_exit() until unthrottle. */
static void throttle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
	throttled = true;
}

static void unthrottle(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
	throttled = false;
}

/* PMU overflow interrupt: acknowledge first (armv8.h), then the policy. */
static void on_pmu_irq(unsigned int intid, void *arg)
{
	(void)intid;
	(void)arg;
	note(membw_overflow_channels(m, 0, timer_now_ns(),
				     armv8_overflow_ack(membw_cpu_get_priv(m, 0))));
}

/* Period timer: close the period, re-arm for the next one. */
static void on_tick(unsigned int intid, void *arg)
{
	uint64_t next = 0;

	(void)intid;
	(void)arg;
	note(membw_tick(m, 0, timer_now_ns(), &next));
	if (next)
		timer_set_deadline_ns(next);
}

/* After every interrupt: while throttled, the CPU idles; only the tick can release it. */
static void on_irq_exit(void)
{
	while (throttled) {
		wfi();
		platform_irq_poll();
	}
}

/* Start regulating this CPU (membw_init, budget, interrupts, membw_cpu_online, first tick).
 * Returns 0 or a negative MEMBW_E* code, after printing why. */
static int example_start(struct example_setup *s)
{
	static const struct membw_env env = {
		.size = sizeof(struct membw_env),
		.throttle = throttle,
		.unthrottle = unthrottle,
	};
	struct membw_config cfg;
	uint64_t bps, next = 0;
	const char *why;
	int err;

	if (membw_armv8_backend.priv_size > 512) {
		pf_printf("example: the backend needs %u bytes per CPU, the storage has 512\n",
			  membw_armv8_backend.priv_size);
		return -MEMBW_ENOSPC;
	}
	membw_config_init(&cfg);
	cfg.ncpus = 1;
	cfg.ndomains = 1;
	cfg.levels = s->levels;
	cfg.event[MEMBW_CH_READ] = s->event;
	err = membw_init(&m, storage, sizeof(storage), &cfg, &membw_armv8_backend, &s->ctx, &env);
	if (err) {
		pf_printf("example: membw_init: %s (%s)\n", membw_strerror(err),
			  s->ctx.reason ? s->ctx.reason : "");
		return err;
	}
	err = membw_parse_rate(s->budget, &bps, NULL);
	if (!err)
		err = membw_domain_set_budget(m, 0, bps, MEMBW_UNLIMITED);
	if (!err)
		err = membw_cpu_set_domain(m, 0, 0);
	if (err) {
		pf_printf("example: budget %s: %s\n", s->budget, membw_strerror(err));
		return err;
	}
	platform_irq_set_handler(PLATFORM_INTID_PMU, on_pmu_irq, NULL);
	platform_irq_set_handler(timer_intid(), on_tick, NULL);
	platform_irq_set_exit_hook(on_irq_exit);
	err = membw_cpu_online(m, 0, timer_now_ns(), &next);
	if (err) {
		why = armv8_cpu_reason(membw_cpu_get_priv(m, 0));
		pf_printf("example: membw_cpu_online: %s (%s)\n", membw_strerror(err), why ? why : "");
		return err;
	}
	pf_printf("example: regulating CPU 0 at EL%u: %s on %s, %u-bit counters, %u-byte lines\n",
		  platform_el(), s->budget, s->ctx.core_name, s->ctx.counter_bits, s->ctx.line_size);
	timer_set_deadline_ns(next);
	irq_enable();
	return 0;
}

/* Stop (membw_cpu_offline), print the CPU's statistics. Returns 0 or a negative MEMBW_E* code. */
static int example_stop(void)
{
	struct membw_cpu_stats st = { .size = sizeof(st) };
	int err;

	irq_disable();
	timer_cancel();
	err = membw_cpu_offline(m, 0, timer_now_ns());
	platform_irq_set_exit_hook(NULL);
	platform_irq_clear_handler(PLATFORM_INTID_PMU);
	platform_irq_clear_handler(timer_intid());
	membw_cpu_get_stats(m, 0, &st);
	pf_printf("example: %llu periods, throttled in %llu for %llu us, %llu events counted\n",
		  (unsigned long long)st.totals.periods, (unsigned long long)st.totals.throttle_count,
		  (unsigned long long)(st.totals.throttled_ns / 1000u),
		  (unsigned long long)st.totals.ch[MEMBW_CH_READ].used);
	if (!err)
		err = first_error;
	if (!err && st.totals.throttle_count == 0) {
		pf_printf("example: the CPU was never throttled: the budget did not act\n");
		err = -MEMBW_EIO;
	}
	return err;
}

int example_run(struct example_setup *s, const char *name, uint64_t iterations)
{
	uint64_t t0, i;
	int err;

	err = example_start(s);
	if (err)
		return 1;
	t0 = timer_now_ns();
	for (i = 0; i < iterations; i++)
		__asm__ volatile("" ::: "memory");
	t0 = timer_now_ns() - t0;
	err = example_stop();
	pf_printf("example %s: work took %llu us; %s\n", name, (unsigned long long)(t0 / 1000u),
		  err ? membw_strerror(err) : "PASS");
	return err ? 1 : 0;
}
