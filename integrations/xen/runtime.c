/* SPDX-License-Identifier: MIT */
/*
 * libmembw's side of the Xen integration (membw_xen.h): the policy on the armv8 backend in EL2
 * mode and memtalk's host dispatcher, in static storage, configured from Xen's command line.
 * Compiled with libmembw's freestanding flags, never with Xen's headers; the Xen side
 * (membw_xen.c) owns timers, interrupts and vCPUs. docs/xen.md explains both.
 *
 * VM = Xen domain id = policy domain, for ids 0 .. MEMBW_XEN_MAX_VMS - 1. A domain the option
 * does not name is not regulated (its VM has no domain: memtalk answers DENIED except VERSION,
 * and a pCPU running it is counted, never throttled).
 */
#include <membw/membw.h>
#include <membw/memtalk_host.h>

#include "armv8.h"
#include "membw_xen.h"

/* Storage for the policy: enough for MEMBW_XEN_MAX_CPUS and MEMBW_XEN_MAX_VMS (checked at init
 * against membw_storage_size()). */
#define RT_POLICY_BYTES 32768u

struct rt_vm {
	int option;       /* membw= gave this domain dN:B/C/F (the numbers below) */
	int named;        /* the domain is regulated (from the option or its device-tree node) */
	uint64_t budget;  /* lines per period, from the option */
	uint64_t cap;
	uint64_t floor;
};

struct rt_cpu {
	/* the policy domain this pCPU was last put in: its guest's domain id if that domain is
	 * regulated, else MEMBW_NO_DOMAIN. Any number of pCPUs may be in one domain (a domain's
	 * vCPUs, one per pCPU under the null scheduler): the policy shares its budget among them. */
	uint32_t domain;
};

static _Alignas(MEMBW_STORAGE_ALIGN) unsigned char policy_storage[RT_POLICY_BYTES];
static _Alignas(MEMBW_MEMTALK_ALIGN) unsigned char
	host_storage[MEMBW_MEMTALK_HOST_SIZE(MEMBW_XEN_MAX_VMS)];
static struct membw *policy;
static struct membw_memtalk_host *host;
static struct armv8_ctx backend_ctx;
static struct rt_vm vms[MEMBW_XEN_MAX_VMS];
static struct rt_cpu cpus[MEMBW_XEN_MAX_CPUS];
static uint32_t rt_ncpus;
static uint32_t line_bytes = 64;
static uint64_t period_ns = 1000000;

static void env_throttle(void *ctx, uint32_t cpu)
{
	(void)ctx;
	membw_xen_throttle(cpu);
}

static void env_unthrottle(void *ctx, uint32_t cpu)
{
	(void)ctx;
	membw_xen_unthrottle(cpu);
}

/*
 * Lines per period -> bytes per second, the library's unit, rounded up: the one rate that
 * membw_bps_to_events(), which rounds down, turns back into exactly @lines, also for a period
 * that does not divide a second (10^9 / period_ns truncated made 50000 lines at 600 ms 30000).
 * No overflow: lines < 2^32 (the option's C is checked) and lines of at most 4096 bytes (what
 * membw_bps_to_events() takes) make bytes < 2^44; the remainder below period_ns <= 10^9 times
 * 10^9 stays below 10^18.
 */
static uint64_t lines_to_bps(uint64_t lines)
{
	uint64_t bytes = lines * line_bytes;

	return bytes / period_ns * 1000000000ull +
	       (bytes % period_ns * 1000000000ull + period_ns - 1) / period_ns;
}

/* A decimal or 0x-hex number of at most 12 digits at *@s, which is advanced past it. */
static int parse_num(const char **s, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;
	unsigned int base = 10, digits = 0;

	if (p[0] == '0' && p[1] == 'x') {
		base = 16;
		p += 2;
	}
	for (;; p++, digits++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else
			break;
		if (digits == 12)
			return -MEMBW_ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -MEMBW_EINVAL;
	*s = p;
	*out = v;
	return 0;
}

static int word_is(const char *w, const char *end, const char *lit)
{
	while (w < end && *lit && *w == *lit) {
		w++;
		lit++;
	}
	return w == end && !*lit;
}

static int prefix_is(const char **w, const char *lit)
{
	const char *p = *w;

	while (*lit && *p == *lit) {
		p++;
		lit++;
	}
	if (*lit)
		return 0;
	*w = p;
	return 1;
}

/*
 * The option: words separated by commas (docs/xen.md):
 *   qemu              the QEMU 7.2 workarounds of the armv8 backend (late overflow interrupt,
 *                     PMCR_EL0.E gating the EL2 interrupt)
 *   period-us:N       period, 100 .. 1000000 microseconds (default 1000)
 *   events:R/W        the read and write channels' PMU event numbers (default: the backend's)
 *   dN:B/C/F          domain id N (0 .. 7): budget B, cap C, floor F, in lines (the backend's bytes per
 *                     event, 64 on QEMU) per period (B within F .. C)
 */
static int parse_option(const char *opt, struct membw_config *cfg, const char **why)
{
	const char *w = opt;

	while (*w) {
		const char *end = w, *p;
		uint64_t a, b, c;

		while (*end && *end != ',')
			end++;
		p = w;
		if (word_is(w, end, "qemu")) {
			backend_ctx.flags |= ARMV8_FLAG_LATE_OVERFLOW_WORKAROUND |
					     ARMV8_FLAG_EL2_IRQ_NEEDS_PMCR_E;
		} else if (prefix_is(&p, "period-us:")) {
			/* the library's period range, in microseconds */
			if (parse_num(&p, &a) || p != end || a < MEMBW_PERIOD_MIN_NS / 1000 ||
			    a > MEMBW_PERIOD_MAX_NS / 1000) {
				*why = "membw=: period-us:N needs N in 100 .. 1000000 (microseconds)";
				return -MEMBW_EINVAL;
			}
			period_ns = a * 1000;
		} else if (prefix_is(&p, "events:")) {
			if (parse_num(&p, &a) || *p++ != '/' || parse_num(&p, &b) || p != end ||
			    a > 0xffff || b > 0xffff) {
				*why = "membw=: events:R/W needs two PMU event numbers (0 .. 0xffff)";
				return -MEMBW_EINVAL;
			}
			cfg->event[MEMBW_CH_READ] = ARMV8_EVENT(a);
			cfg->event[MEMBW_CH_WRITE] = ARMV8_EVENT(b);
		} else if (*p == 'd' && (p++, parse_num(&p, &a) == 0) && *p == ':') {
			p++;
			if (a >= MEMBW_XEN_MAX_VMS || parse_num(&p, &b) || *p++ != '/' ||
			    parse_num(&p, &c) || *p++ != '/' || parse_num(&p, &vms[a].floor) ||
			    p != end || b > c || b < vms[a].floor || c > MEMBW_MAX_EVENTS_PER_PERIOD) {
				*why = "membw=: dN:B/C/F needs a domain id N of 0 .. 7 and lines per "
				       "period with F <= B <= C <= 4294967294";
				return -MEMBW_EINVAL;
			}
			vms[a].option = 1;
			vms[a].budget = b;
			vms[a].cap = c;
		} else {
			*why = "membw=: unknown word; use qemu, period-us:N, events:R/W, dN:B/C/F";
			return -MEMBW_EINVAL;
		}
		w = *end ? end + 1 : end;
	}
	return 0;
}

/*
 * Domain @vm is regulated from now on: its read budget in the policy, its read cap and floor in
 * memtalk (the write channel unlimited), in bytes per second. The option's dN:B/C/F, a domain's
 * device-tree node (membw_xen_rt_set_vm()) and the hardware domain's admin call
 * (membw_xen_rt_admin()) come here. On error *@why says what was refused and nothing changed.
 */
static int regulate_vm(uint32_t vm, uint64_t budget_bps, uint64_t cap_bps, uint64_t floor_bps,
		       const char **why)
{
	struct membw_memtalk_vm_limits lim = { .domain = vm }, old;
	int err;

	lim.cap_bps[MEMBW_CH_READ] = cap_bps;
	lim.floor_bps[MEMBW_CH_READ] = floor_bps;
	lim.cap_bps[MEMBW_CH_WRITE] = MEMBW_UNLIMITED;
	err = membw_memtalk_host_get_limits(host, vm, &old);
	if (!err)
		err = membw_memtalk_host_set_limits(host, vm, &lim);
	if (err) {
		*why = "membw: memtalk refused a domain's cap or floor, or was busy with its call";
		return err;
	}
	err = membw_domain_set_budget(policy, vm, budget_bps, MEMBW_UNLIMITED);
	if (err) {
		/* the limits as they were: nothing changed */
		membw_memtalk_host_set_limits(host, vm, &old);
		*why = "membw: a domain's budget was refused by the policy";
		return err;
	}
	vms[vm].named = 1;
	return 0;
}

int membw_xen_rt_init(const char *opt, unsigned int ncpus, const char **why)
{
	static const struct membw_env env = {
		.size = sizeof(struct membw_env),
		.throttle = env_throttle,
		.unthrottle = env_unthrottle,
	};
	struct membw_memtalk_host_config hcfg = {
		.size = sizeof(hcfg),
		.nvms = MEMBW_XEN_MAX_VMS,
		.base = MEMBW_MEMTALK_BASE_DEFAULT,
		.flags = MEMBW_MEMTALK_HOST_OWNS_RANGE,
		.min_interval_ns = 1000000, /* one costly call per ms on average ... */
		.burst = 4,                 /* ... bursts of up to 4 */
	};
	struct membw_memtalk_vm_limits lim[MEMBW_XEN_MAX_VMS];
	struct membw_config cfg;
	uint32_t i;
	int err;

	*why = "";
	if (policy)
		return -MEMBW_EINVAL;
	backend_ctx.size = sizeof(backend_ctx);
	backend_ctx.mode = ARMV8_MODE_EL2;
	backend_ctx.want_channels = 2;
	membw_config_init(&cfg);
	err = parse_option(opt, &cfg, why);
	if (err)
		return err;
	rt_ncpus = ncpus < MEMBW_XEN_MAX_CPUS ? ncpus : MEMBW_XEN_MAX_CPUS;
	cfg.ncpus = rt_ncpus;
	cfg.ndomains = MEMBW_XEN_MAX_VMS;
	cfg.period_ns = period_ns;
	cfg.levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL; /* the guests' EL0 + EL1, never EL2 */
	if (membw_storage_size(rt_ncpus, MEMBW_XEN_MAX_VMS, membw_armv8_backend.priv_size) >
	    sizeof(policy_storage)) {
		*why = "membw: the policy needs more static storage than RT_POLICY_BYTES";
		return -MEMBW_ENOSPC;
	}
	err = membw_init(&policy, policy_storage, sizeof(policy_storage), &cfg,
			 &membw_armv8_backend, &backend_ctx, &env);
	if (err) {
		*why = backend_ctx.reason ? backend_ctx.reason : "membw_init refused the configuration";
		policy = 0;
		return err;
	}
	{
		struct membw_backend_info info = { .size = sizeof(info) };

		/* the option's lines are the backend's bytes per event */
		if (membw_get_backend_info(policy, &info) == 0 && info.line_size)
			line_bytes = info.line_size;
	}
	for (i = 0; i < MEMBW_XEN_MAX_VMS; i++)
		lim[i] = (struct membw_memtalk_vm_limits){ .domain = MEMBW_NO_DOMAIN };
	for (i = 0; i < rt_ncpus; i++) {
		cpus[i].domain = MEMBW_NO_DOMAIN;
		membw_cpu_set_domain(policy, i, MEMBW_NO_DOMAIN);
	}
	err = membw_memtalk_host_init(&host, host_storage, sizeof(host_storage), policy, &hcfg, lim);
	if (err) {
		*why = "membw: membw_memtalk_host_init refused the limits";
		policy = 0;
		return err;
	}
	for (i = 0; i < MEMBW_XEN_MAX_VMS; i++) {
		if (!vms[i].option)
			continue;
		err = regulate_vm(i, lines_to_bps(vms[i].budget), lines_to_bps(vms[i].cap),
				  lines_to_bps(vms[i].floor), why);
		if (err) {
			policy = 0;
			host = 0;
			return err;
		}
	}
	return 0;
}

/* The checks a domain's numbers must pass, whoever gives them (the device tree, the admin call). */
static int check_numbers(uint64_t vm, uint64_t budget_bps, uint64_t cap_bps, uint64_t floor_bps,
			 const char **why)
{
	static const char *const range[3] = {
		"membw,read-budget is below one line per period (but not 0) or above 4294967294 "
		"lines per period: give bytes per second within that range",
		"membw,read-cap is below one line per period (but not 0) or above 4294967294 "
		"lines per period: give bytes per second within that range",
		"membw,read-floor is below one line per period (but not 0) or above 4294967294 "
		"lines per period: give bytes per second within that range",
	};
	const uint64_t bps[3] = { budget_bps, cap_bps, floor_bps };
	uint64_t events;
	unsigned int i;

	if (!policy) {
		*why = "regulation is off (see membw='s messages above)";
		return -MEMBW_EINVAL;
	}
	if (vm >= MEMBW_XEN_MAX_VMS) {
		*why = "only domain ids 0 .. 7 can be regulated";
		return -MEMBW_EINVAL;
	}
	if (floor_bps > budget_bps || budget_bps > cap_bps) {
		*why = "needs membw,read-floor <= membw,read-budget <= membw,read-cap";
		return -MEMBW_EINVAL;
	}
	for (i = 0; i < 3; i++) {
		if (membw_bps_to_events(bps[i], period_ns, line_bytes, &events) != 0) {
			*why = range[i];
			return -MEMBW_ERANGE;
		}
	}
	return 0;
}

int membw_xen_rt_set_vm(unsigned int vm, unsigned long long budget_bps,
			unsigned long long cap_bps, unsigned long long floor_bps, const char **why)
{
	int err;

	*why = "";
	err = check_numbers(vm, budget_bps, cap_bps, floor_bps, why);
	if (err)
		return err;
	if (vms[vm].named) {
		*why = "the domain already has a budget (membw=dN:B/C/F names it): give it in one place";
		return -MEMBW_EINVAL;
	}
	return regulate_vm(vm, budget_bps, cap_bps, floor_bps, why);
}

int membw_xen_rt_admin(int from_hardware_domain, unsigned long long r[5], const char **why)
{
	int err;

	*why = "";
	if (!host || (uint32_t)r[0] != MEMBW_XEN_FID_ADMIN_SET)
		return -MEMBW_ENOENT;
	if (!from_hardware_domain) {
		*why = "only the hardware domain may set a domain's budget, cap and floor";
		err = -MEMBW_EPERM;
	} else {
		err = check_numbers(r[1], r[2], r[3], r[4], why);
		if (!err)
			err = regulate_vm((uint32_t)r[1], r[2], r[3], r[4], why);
	}
	/* memtalk's status codes (docs/memtalk.md, section 4) */
	r[0] = (unsigned long long)(err == 0		    ? MEMBW_MEMTALK_OK
				    : err == -MEMBW_EPERM  ? MEMBW_MEMTALK_DENIED
				    : err == -MEMBW_EAGAIN ? MEMBW_MEMTALK_BUSY
							   : MEMBW_MEMTALK_INVALID_PARAMETER);
	r[1] = r[2] = r[3] = 0;
	return 0;
}

int membw_xen_rt_active(void)
{
	return policy != 0;
}

int membw_xen_rt_cpu_online(unsigned int cpu, unsigned long long now_ns,
			    unsigned long long *next_ns, const char **why)
{
	uint64_t next = 0;
	int err;

	*why = "";
	if (!policy || cpu >= rt_ncpus)
		return -MEMBW_EINVAL;
	err = membw_cpu_online(policy, cpu, now_ns, &next);
	if (err) {
		const char *r = armv8_cpu_reason(membw_cpu_get_priv(policy, cpu));

		*why = r ? r : "membw_cpu_online refused";
	}
	*next_ns = next;
	return err;
}

int membw_xen_rt_tick(unsigned int cpu, unsigned long long now_ns, unsigned long long *next_ns)
{
	uint64_t next = 0;
	int err;

	if (!policy || cpu >= rt_ncpus)
		return -MEMBW_EINVAL;
	err = membw_tick(policy, cpu, now_ns, &next);
	*next_ns = next;
	return err;
}

int membw_xen_rt_overflow(unsigned int cpu, unsigned long long now_ns)
{
	uint32_t overflowed;

	if (!policy || cpu >= rt_ncpus)
		return -MEMBW_EINVAL;
	overflowed = armv8_overflow_ack(membw_cpu_get_priv(policy, cpu));
	return membw_overflow_channels(policy, cpu, now_ns, overflowed);
}

int membw_xen_rt_set_cpu_vm(unsigned int cpu, unsigned int vm)
{
	uint32_t domain;
	int err;

	if (!policy || cpu >= rt_ncpus)
		return -MEMBW_EINVAL;
	/* a domain that became regulated after its pCPU was first seen joins at the next tick */
	domain = vm < MEMBW_XEN_MAX_VMS && vms[vm].named ? vm : MEMBW_NO_DOMAIN;
	if (cpus[cpu].domain == domain)
		return 0;
	err = membw_cpu_set_domain(policy, cpu, domain);
	if (!err)
		cpus[cpu].domain = domain;
	return err;
}

int membw_xen_rt_call(unsigned int vm, unsigned long long r[5], unsigned long long now_ns)
{
	struct membw_memtalk_regs regs;
	unsigned int i;

	if (!host || vm >= MEMBW_XEN_MAX_VMS)
		return -MEMBW_ENOENT;
	for (i = 0; i < MEMBW_MEMTALK_NREGS; i++)
		regs.r[i] = r[i];
	if (membw_memtalk_host_dispatch(host, vm, &regs, now_ns) != 0)
		return -MEMBW_ENOENT;
	for (i = 0; i < 4; i++)
		r[i] = regs.r[i];
	return 0;
}

int membw_xen_rt_stats_page(unsigned long long fid, unsigned long long page, unsigned long long r0)
{
	/* docs/memtalk.md, §3 GET_STATS and §4; this host owns the range at base
	 * MEMBW_MEMTALK_BASE_DEFAULT. */
	if (!host || r0 != MEMBW_MEMTALK_OK || page >= MEMBW_MEMTALK_STATS_PAGES ||
	    ((uint32_t)fid & ~MEMBW_MEMTALK_FID_SVE_HINT) !=
		    MEMBW_MEMTALK_FID(MEMBW_MEMTALK_BASE_DEFAULT, MEMBW_MEMTALK_FN_GET_STATS))
		return -1;
	return (int)page;
}
