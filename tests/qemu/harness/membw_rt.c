/* SPDX-License-Identifier: MIT */
/* The bare-metal libmembw runtime (contract in membw_rt.h). */
#include "armv8_qemu.h"
#include "membw_rt.h"
#include "platform.h"

#define RT_STORAGE_BYTES 8192u

static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char storage[RT_STORAGE_BYTES];
static struct armv8_ctx ctx;
/*
 * What the interrupt handlers touch, in one object: one address formed per handler, where each
 * variable took an ADRP and an ADD of its own and the overflow handler a saved register for the
 * second address (make bench-armv8: the overflow handler 140 -> 137, env.throttle inside it 1
 * fewer; the tick 360 -> 358).
 */
static struct {
	struct membw *policy;
	void *cpu0_priv; /* the backend's state of CPU 0, looked up once: the interrupt needs it */
	volatile bool throttled;
	struct rt_log log;
} rt;

struct membw *rt_policy(void)
{
	return rt.policy;
}

const struct armv8_ctx *rt_backend_ctx(void)
{
	return &ctx;
}

void *rt_priv(void)
{
	return rt.cpu0_priv;
}

const struct rt_log *rt_log(void)
{
	return &rt.log;
}

static void note_error(int err)
{
	if (err && !rt.log.last_error)
		rt.log.last_error = err;
}

static void env_throttle(void *c, unsigned int cpu)
{
	(void)c;
	(void)cpu;
	rt.throttled = true;
	rt.log.throttles++;
}

static void env_unthrottle(void *c, unsigned int cpu)
{
	(void)c;
	(void)cpu;
	rt.throttled = false;
	rt.log.unthrottles++;
}

static void env_trace(void *c, const struct membw_trace_record *ev)
{
	struct rt_period *p;

	(void)c;
	if (ev->type != MEMBW_TRACE_PERIOD_END || ev->channel != MEMBW_CH_READ)
		return;
	if (rt.log.nperiods == RT_MAX_PERIODS) {
		rt.log.lost++;
		return;
	}
	p = &rt.log.period[rt.log.nperiods++];
	p->epoch = ev->epoch;
	p->used = ev->used;
	p->allowance = ev->allowance;
	p->overshoot = ev->overshoot;
	p->periods = ev->periods;
}

/*
 * The acknowledge before the clock read: the channel mask then waits in a register through the
 * inline clock read, where the time, read first, had to be kept in a saved register across the
 * acknowledge's call (make bench-armv8: the overflow handler 144 -> 140 instructions). The time is
 * then the acknowledge's 24 instructions later, before the policy sees the overflow all the same;
 * the benchmark's handler in parts (tests/qemu/images/bench_armv8.c) took them in this order.
 */
void rt_on_pmu_irq(unsigned int intid, void *arg)
{
	uint32_t overflowed;

	(void)intid;
	(void)arg;
	rt.log.overflow_irqs++;
	overflowed = armv8_overflow_ack(rt_priv());
	note_error(membw_overflow_channels(rt.policy, 0, timer_now_ns(), overflowed));
}

void rt_on_tick(unsigned int intid, void *arg)
{
	uint64_t next = 0;

	(void)intid;
	(void)arg;
	rt.log.ticks++;
	note_error(membw_tick(rt.policy, 0, timer_now_ns(), &next));
	if (next)
		timer_set_deadline_ns(next);
}

/* After every interrupt: a throttled CPU waits here, idle, until a tick releases it. */
void rt_hold_while_throttled(void)
{
	while (rt.throttled) {
		wfi();
		rt.log.wfi_wakeups++;
		platform_irq_poll();
	}
}

int rt_start(const struct rt_setup *s)
{
	static const struct membw_env traced_env = {
		.size = sizeof(struct membw_env),
		.throttle = env_throttle,
		.unthrottle = env_unthrottle,
		.trace = env_trace,
	};
	static const struct membw_env untraced_env = {
		.size = sizeof(struct membw_env),
		.throttle = env_throttle,
		.unthrottle = env_unthrottle,
	};
	const struct membw_env *env = s->untraced ? &untraced_env : &traced_env;
	const struct membw_backend *be = s->backend ? s->backend : &membw_armv8_backend;
	struct membw_config cfg;
	uint64_t bps, next = 0;
	const char *reason;
	size_t need;
	int err;

	memset(&rt.log, 0, sizeof(rt.log));
	rt.throttled = false;
	armv8_qemu_ctx(&ctx, s->armv8_flags, 1);
	if (s->ncounters)
		ctx.ncounters = s->ncounters;
	membw_config_init(&cfg);
	cfg.ncpus = 1;
	cfg.ndomains = 1;
	cfg.period_ns = s->period_ns;
	cfg.reclaim = s->reclaim;
	cfg.levels = s->levels;
	cfg.event[MEMBW_CH_READ] = s->event;
	need = membw_storage_size(1, 1, be->priv_size);
	if (!need || need > sizeof(storage)) {
		pf_printf("rt_start: the policy needs %u bytes of storage, the runtime has %u\n",
			  (unsigned int)need, RT_STORAGE_BYTES);
		return -MEMBW_ENOSPC;
	}
	err = membw_init(&rt.policy, storage, sizeof(storage), &cfg, be, &ctx, env);
	if (err) {
		pf_printf("rt_start: membw_init: %d (%s)\n", err, ctx.reason ? ctx.reason : "");
		return err;
	}
	rt.cpu0_priv = membw_cpu_get_priv(rt.policy, 0);
	/* bytes/s that convert back to exactly budget_events per period (membw_bps_to_events) */
	bps = s->budget_events * ctx.line_size * (1000000000ull / s->period_ns);
	err = membw_domain_set_budget(rt.policy, 0, bps, MEMBW_UNLIMITED);
	if (!err)
		err = membw_cpu_set_domain(rt.policy, 0, 0);
	if (err) {
		pf_printf("rt_start: budget or assignment refused: %d\n", err);
		return err;
	}
	platform_irq_set_handler(PLATFORM_INTID_PMU, rt_on_pmu_irq, NULL);
	platform_irq_set_handler(timer_intid(), rt_on_tick, NULL);
	platform_irq_set_exit_hook(rt_hold_while_throttled);
	err = membw_cpu_online(rt.policy, 0, timer_now_ns(), &next);
	if (err) {
		reason = armv8_cpu_reason(membw_cpu_get_priv(rt.policy, 0));
		pf_printf("rt_start: membw_cpu_online: %d (%s)\n", err, reason ? reason : "");
		return err;
	}
	timer_set_deadline_ns(next);
	return 0;
}

int rt_stop(void)
{
	int err;

	irq_disable();
	timer_cancel();
	err = membw_cpu_offline(rt.policy, 0, timer_now_ns());
	platform_irq_set_exit_hook(NULL);
	platform_irq_clear_handler(PLATFORM_INTID_PMU);
	platform_irq_clear_handler(timer_intid());
	return err;
}
