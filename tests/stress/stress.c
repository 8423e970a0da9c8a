/* SPDX-License-Identifier: MIT */
/*
 * Multi-threaded stress test of the policy, meant to run under ThreadSanitizer.
 *
 * One thread per simulated CPU calls that CPU's entry points (online, offline, tick, overflow,
 * kick) and nobody else does; one control thread advances the shared clock and, at random
 * moments, changes budgets, assignments, reclaim and sharing, and reads statistics. Every thread
 * draws its choices from its own PRNG seeded from the scenario's fixed seed: the interleaving is
 * the scheduler's, the choices are reproducible.
 *
 * The test backend (tests/support/test_backend.c) counts what a CPU thread tells it to count. The
 * CPU thread therefore knows exactly how many events it counted in each period, how many went past
 * the arm point before the overflow was delivered, and how many it counted while throttled; the
 * policy's trace hook (membw_env::trace, called on the CPU's own thread) tells it what the policy
 * did. After every entry-point call the thread checks the local facts; each CPU keeps compact
 * records of its periods that the main thread merges after joining for the global facts (domain
 * pools, the reclaim pool, kick_all once per period, statistics against trace sums).
 *
 * Usage: stress [-s steps] [-S seed] [-n name] [-l] [-q]
 *   -s steps  steps per CPU thread per scenario (default 60000)
 *   -S seed   mixed into every scenario's fixed seed (default 0: the fixed seeds)
 *   -n name   run only the scenarios whose name contains this string
 *   -l        list the scenarios
 *   -q        print only violations and the final line
 * Exit status: 0 if every invariant held, 1 if one did not, 2 on a usage or setup error
 * (ThreadSanitizer itself exits with TSAN_OPTIONS' exitcode on a report).
 */
#include <membw/membw.h>

#include "grow.h"
#include "test_backend.h"

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS 1000000ull
#define LINE_SIZE 64u
#define BPS_PER_EVENT 64000ull /* bytes per second that make one line per 1 ms period */
#define START_EPOCH 1000ull     /* the clock starts in period 1000, not at 0 */
#define MAX_CPUS 8u
#define MAX_DOMAINS 4u
#define NCH MEMBW_NCHANNELS
#define ROUND_STEPS 4u          /* CPU steps per advance of the clock */
#define MAX_CALL_EVENTS 64u
#define MAX_CAND 16u
#define UNLIM UINT64_MAX        /* "no limit" in the test's budget log */
#define DEFAULT_STEPS 60000u
#define PRINT_PER_KIND 3u

/* ------------------------------------------------------------------------------------------- */
/* Violations */

#define KINDS(X)                                                                                  \
	X(RET, "an entry point or change returned an undocumented or unexpected value")           \
	X(HOOK_THREAD, "a runtime hook ran on another CPU's thread or outside an entry point")    \
	X(HOOK_PAIRING, "throttle while held, or unthrottle while not held")                      \
	X(EV_OVERFLOW, "more trace records in one call than any call can produce")                 \
	X(EV_WHERE, "a trace event the entry point cannot produce, or a wrong source")            \
	X(EV_EPOCH, "a trace event with an unexpected epoch or domain")                           \
	X(USED, "the period's used count differs from the events the test counted")              \
	X(ALLOWANCE, "the allowance differs from the grants minus donations of the period")       \
	X(OVERSHOOT, "overshoot is not used - allowance (used <= allowance + overshoot fails)")   \
	X(OVERSHOOT_BOUND, "overshoot above the events counted past the arm point or stopped")   \
	X(OVERRUN, "counted more than allowance + events past the arm point (not enforced)")    \
	X(THROTTLE_BELOW, "throttled while its used count was below its allowance")              \
	X(THROTTLE_SHARE, "reclaim: throttled before using its share, or with donation left")    \
	X(THROTTLE_TWICE, "a THROTTLE event for a CPU already throttled in the period")           \
	X(HELD_AT_START, "held at a period start without a throttle at that start")              \
	X(HELD_STATE, "held (hook calls) disagrees with MEMBW_CPU_THROTTLED")                     \
	X(HELD_OFFLINE, "still held after going offline")                                         \
	X(GRANT_ORDER, "a grant or donation impossible in the period's mode or order")            \
	X(TAKEBACK, "take-back above the donation, or shortfall above the take-back")            \
	X(SPURIOUS_REAL, "a pending overflow interrupt was treated as spurious (ignored)")        \
	X(SPURIOUS_MISSING, "an overflow without pending interrupt was not reported spurious")     \
	X(ANOMALY, "an anomaly the test never provokes (counter jump, backend error)")            \
	X(EARLY, "a due tick did not start a new period")                                         \
	X(PERIODS, "periods of PERIOD_END differ from the periods the CPU advanced")             \
	X(STATE, "CPU state bits or epoch disagree with the test's view")                        \
	X(STATS_MONO, "a statistics field decreased between two reads")                          \
	X(STATS_SUM, "final statistics differ from the sums of the trace records")                \
	X(STATS_IDENTITY, "allowance != budget - donated + reclaimed + borrowed")                 \
	X(POOL_OVER, "a domain's pool grants in a period exceed the budget in force")            \
	X(POOL_EXACT, "a CPU was throttled but its domain's pool grants are not the budget")     \
	X(RECLAIM_POOL, "borrowed more than donated minus covered take-backs in a period")      \
	X(KICK_ALL, "kick_all (release-all or restart) more than once in a period")              \
	X(CONTROL, "a change, getter or statistics read misbehaved")                              \
	X(COVERAGE, "a path the scenario must exercise never ran")

#define KIND_ENUM(name, text) V_##name,
#define KIND_NAME(name, text) #name,
#define KIND_TEXT(name, text) text,
enum kind { KINDS(KIND_ENUM) NKINDS };
static const char *const kind_name[] = { KINDS(KIND_NAME) };
static const char *const kind_text[] = { KINDS(KIND_TEXT) };

/* ------------------------------------------------------------------------------------------- */
/* Scenarios */

enum need {
	N_THROTTLE = 1u << 0,
	N_LATE = 1u << 1,
	N_EARLY = 1u << 2,
	N_SPURIOUS = 1u << 3,
	N_HOTPLUG = 1u << 4,
	N_LATENCY = 1u << 5,
	N_BUDGET = 1u << 6,
	N_ASSIGN = 1u << 7,
	N_MODES = 1u << 8,
	N_POOL_EXACT = 1u << 9,
	N_DONATE = 1u << 10,
	N_TAKEBACK = 1u << 11,
	N_BORROW = 1u << 12,
	N_SPARE = 1u << 13,
	N_RESTART = 1u << 14,
	N_MULTIARM = 1u << 15,
	N_START_THROTTLE = 1u << 16,
	N_KICK = 1u << 17,
};
#define N_BASIC (N_THROTTLE | N_LATE | N_EARLY | N_SPURIOUS | N_HOTPLUG | N_LATENCY | N_BUDGET)

struct scenario {
	const char *name;
	const char *what;
	uint64_t seed;
	unsigned int ncpus, ndomains;   /* CPU i starts in domain i % ndomains */
	unsigned int counter_bits, channels;
	uint32_t reclaim, sharing;      /* initial modes */
	uint64_t bmin, bmax;            /* a domain's read budget, events per period */
	bool write_limited;             /* write budgets finite too (two channels only) */
	bool assign_free;               /* assignments may be MEMBW_NO_DOMAIN or real-time */
	uint32_t burst;                 /* most events a busy CPU counts per step */
	unsigned int busy;              /* per mille of workload phases that are busy */
	unsigned int p_budget, p_assign, p_reclaim, p_sharing; /* per mille per clock round */
	unsigned int need;              /* N_*: paths that must have run */
};

static const struct scenario scenarios[] = {
	{ "solo-off-32", "reclaim off, 4 CPUs each alone in a domain, 32-bit counters, 2 channels",
	  0x5eed0001, 4, 4, 32, 2, 0, MEMBW_SHARE_NONE, 300, 3000, true, false, 200, 500, 40, 0, 0,
	  0, N_BASIC | N_START_THROTTLE },
	{ "solo-off-16", "reclaim off, 4 CPUs each alone in a domain, 16-bit counters (multi-arm)",
	  0x5eed0002, 4, 4, 16, 2, 0, MEMBW_SHARE_NONE, 20000, 200000, true, false, 8000, 500, 40,
	  0, 0, 0, N_BASIC | N_MULTIARM },
	{ "vm-off-32", "reclaim off, 6 CPUs in 2 domains of 3 (shared pools), reassignments",
	  0x5eed0003, 6, 2, 32, 2, 0, MEMBW_SHARE_NONE, 1500, 9000, true, false, 200, 500, 30, 20,
	  0, 0, N_BASIC | N_ASSIGN | N_POOL_EXACT },
	{ "reclaim-32", "reclaim on, 6 CPUs in 2 domains of 3, donors and borrowers", 0x5eed0004, 6,
	  2, 32, 2, 1, MEMBW_SHARE_NONE, 1500, 9000, true, false, 200, 400, 20, 10, 0, 0,
	  N_BASIC | N_DONATE | N_TAKEBACK | N_BORROW },
	{ "spare-32", "spare sharing, reclaim off, 4 CPUs in 2 domains, 1 channel", 0x5eed0005, 4,
	  2, 32, 1, 0, MEMBW_SHARE_SPARE, 400, 2400, false, false, 200, 900, 20, 0, 0, 0,
	  N_BASIC | N_SPARE | N_KICK },
	{ "proportional-32", "proportional sharing, reclaim off, 4 CPUs each alone in a domain",
	  0x5eed0006, 4, 4, 32, 2, 0, MEMBW_SHARE_PROPORTIONAL, 300, 2000, true, false, 200, 900,
	  20, 0, 0, 0, N_BASIC | N_RESTART | N_KICK },
	{ "mix-16", "8 CPUs in 3 domains, 16-bit counters; the control thread flips every mode",
	  0x5eed0007, 8, 3, 16, 2, 0, MEMBW_SHARE_NONE, 5000, 150000, true, true, 6000, 600, 30,
	  20, 10, 10, N_BASIC | N_ASSIGN | N_MODES | N_DONATE | N_TAKEBACK | N_BORROW |
	  N_SPARE | N_RESTART | N_KICK | N_MULTIARM },
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* ------------------------------------------------------------------------------------------- */
/* State */

/* What one CPU's thread knows about one channel in its current period. */
struct chstate {
	uint64_t used;        /* events the test counted while the counter ran */
	uint64_t allow;       /* grants minus donations, from trace records */
	uint64_t past;        /* events counted past the arm point or while stopped */
	uint64_t share, donated, takeback, covered, borrowed, pooled;
	uint64_t pool_ticket; /* lowest call ticket of the period's POOL grants, 0 for none */
	uint64_t thr_ticket;  /* ticket of the THROTTLE event on this channel, 0 for none */
	uint64_t g0, g1;      /* budget log window of the call that opened the period */
	uint32_t domain;
	bool limited, reclaim, pool_mode, throttled;
};

/* One CPU's one period on one limited channel, for the global checks. */
struct prec {
	uint64_t epoch, g0, g1, pooled, donated, covered, borrowed, pool_ticket, thr_ticket;
	uint32_t cpu, domain;
	uint8_t ch, pool_mode, reclaim, throttled;
};

struct counts {
	uint64_t calls, events, ticks, late_ticks, missed, early_ticks, kicks, kick_rollovers,
		overflows, delayed, spurious, throttles, start_throttles, unthrottles, pool_grants,
		shares, donations, takebacks, shortfalls, borrows, spare_releases, release_all,
		restarts, kick_alls, offlines, probes, multiarm;
};

enum call {
	C_ONLINE, C_ONLINE_BUSY, C_OFFLINE, C_OFFLINE_NODEV, C_TICK, C_TICK_DUP, C_TICK_EARLY,
	C_TICK_NODEV, C_KICK, C_KICK_NODEV, C_OVERFLOW, C_OVERFLOW_SPURIOUS, C_OVERFLOW_OFFLINE,
};

static const char *const call_name[] = {
	"online", "online (already online)", "offline", "offline (already offline)", "tick",
	"duplicate tick", "early tick", "tick (offline)", "kick", "kick (offline)", "overflow",
	"spurious overflow", "overflow (offline)",
};

enum phase { PH_IDLE, PH_LIGHT, PH_BUSY };

/* A RELEASE_ALL or RESTART event (each comes with one kick_all call). */
struct kickrec {
	uint64_t epoch, now, ticket;
	uint32_t cpu, type;
};

struct run;

struct tcpu {
	struct run *r;
	unsigned int id;
	uint64_t rng;
	bool online, held, released, in_call, thr_period;
	bool exact; /* counted exactly up to an arm point: deliver the overflow now */
	uint64_t epoch, next_tick, call_ticket;
	uint32_t domain;
	unsigned int late, latency, offline_for, kick_delay, phase, phase_left;
	unsigned int throttle_calls, unthrottle_calls;
	struct chstate ch[NCH];
	unsigned int nev, kick_all_in_call;
	bool ev_lost;
	struct membw_trace_record ev[MAX_CALL_EVENTS];
	uint64_t evt[MAX_CALL_EVENTS];
	struct prec *rec;
	size_t nrec, caprec;
	struct kickrec *kickep; /* this CPU's RELEASE_ALL and RESTART events */
	size_t nkick, capkick;
	struct membw_totals sum;   /* the same counters, summed from trace records */
	uint64_t counted[NCH];     /* every event counted while the counter ran */
	struct counts n;
};

struct budget_change {
	uint32_t domain;
	uint64_t events[NCH]; /* UNLIM for none */
};

struct ccounts {
	uint64_t rounds, budget_changes, assigns, reclaim_flips, sharing_changes, refused,
		stats_reads, getter_reads;
};

struct run {
	const struct scenario *sc;
	uint64_t seed, steps;
	struct membw *m;
	void *storage;
	struct tb tb;
	struct membw_env env;
	unsigned int ncpus, ndomains, nch;
	_Atomic uint64_t now;
	_Atomic uint64_t round;
	_Atomic uint64_t ticket;
	_Atomic uint64_t bseq;  /* budget log entries published */
	_Atomic uint64_t progress[MAX_CPUS];
	_Atomic unsigned int kick[MAX_CPUS];
	_Atomic unsigned int viol[NKINDS];
	struct tcpu cpu[MAX_CPUS];
	/* control thread (and main before the threads start) */
	uint64_t crng;
	struct budget_change *blog;
	size_t nblog, capblog;
	uint64_t set_events[MAX_DOMAINS][NCH];
	uint32_t sharing, reclaim;
	struct membw_cpu_stats last[MAX_CPUS];
	struct ccounts cn;
	/* main, after the join */
	uint64_t pool_checked, pool_exact, pool_excused, pool_excused_zero, pool_many;
	uint64_t reclaim_checked, kick_mixed;
	uint64_t emin, emax;
};

static _Thread_local struct tcpu *self;
static bool quiet;

/* ------------------------------------------------------------------------------------------- */
/* Helpers */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

static uint64_t range(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + below(s, hi - lo + 1);
}

static bool chance(uint64_t *s, unsigned int permille)
{
	return below(s, 1000) < permille;
}

static uint64_t seed_for(uint64_t seed, unsigned int who)
{
	uint64_t x = seed ^ ((uint64_t)(who + 1) * 0xd1b54a32d192ed03ull);
	uint64_t v = splitmix(&x);

	return v ? v : 1;
}

static uint64_t ld(_Atomic uint64_t *p)
{
	return atomic_load_explicit(p, memory_order_relaxed);
}

static uint64_t next_ticket(struct run *r)
{
	return atomic_fetch_add_explicit(&r->ticket, 1, memory_order_relaxed) + 1;
}

static void violation(struct run *r, enum kind k, int cpu, uint64_t epoch, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void violation(struct run *r, enum kind k, int cpu, uint64_t epoch, const char *fmt, ...)
{
	unsigned int n = atomic_fetch_add_explicit(&r->viol[k], 1, memory_order_relaxed);
	char msg[600];
	va_list ap;

	if (n >= PRINT_PER_KIND)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "VIOLATION %s: scenario %s seed %#" PRIx64 " cpu %d period %" PRIu64
		": %s\n", kind_name[k], r->sc->name, r->seed, cpu, epoch, msg);
}

static uint64_t to_bps(uint64_t events)
{
	return events == UNLIM ? MEMBW_UNLIMITED : events * BPS_PER_EVENT;
}

/* ------------------------------------------------------------------------------------------- */
/* Runtime hooks: all on the calling CPU's thread, inside one of its entry points */

static struct tcpu *hook_cpu(struct run *r, unsigned int cpu, const char *what)
{
	struct tcpu *t = self;

	if (!t || t->r != r || t->id != cpu || !t->in_call) {
		violation(r, V_HOOK_THREAD, (int)cpu, 0,
			  "%s for cpu %u ran on the thread of %s %d, %s an entry point", what, cpu,
			  t ? "cpu" : "the control/main thread", t ? (int)t->id : -1,
			  t && t->in_call ? "inside" : "outside");
		return NULL;
	}
	return t;
}

static void on_throttle(void *ctx, unsigned int cpu)
{
	struct tcpu *t = hook_cpu(ctx, cpu, "throttle");

	if (!t)
		return;
	if (t->held)
		violation(t->r, V_HOOK_PAIRING, (int)cpu, t->epoch, "throttle while held");
	t->held = true;
	t->throttle_calls++;
}

static void on_unthrottle(void *ctx, unsigned int cpu)
{
	struct tcpu *t = hook_cpu(ctx, cpu, "unthrottle");

	if (!t)
		return;
	if (!t->held)
		violation(t->r, V_HOOK_PAIRING, (int)cpu, t->epoch, "unthrottle while not held");
	t->held = false;
	t->unthrottle_calls++;
}

/* Defer: set every CPU's flag; each CPU's thread polls its own and calls membw_kick(). */
static void on_kick_all(void *ctx, unsigned int from_cpu)
{
	struct run *r = ctx;
	struct tcpu *t = hook_cpu(r, from_cpu, "kick_all");
	unsigned int i;

	if (t) {
		t->kick_all_in_call++;
		t->n.kick_alls++;
	}
	for (i = 0; i < r->ncpus; i++)
		atomic_store_explicit(&r->kick[i], 1, memory_order_relaxed);
}

/*
 * Not tests/support/trace_log.c: the records of one entry-point call go into the calling CPU
 * thread's own fixed buffer, each stamped with a ticket of the global order (next_ticket), and are
 * checked and dropped when the call returns; more than MAX_CALL_EVENTS in one call is itself a
 * violation. No allocation and no shared array inside the hook, so ThreadSanitizer sees only the
 * library's own synchronisation. What the thread keeps for after the join grows with grow_array().
 */
static void on_trace(void *ctx, const struct membw_trace_record *ev)
{
	struct run *r = ctx;
	struct tcpu *t = hook_cpu(r, ev->cpu, "event");
	uint64_t tk = next_ticket(r);

	if (!t)
		return;
	if (t->nev == MAX_CALL_EVENTS) {
		t->ev_lost = true;
		return;
	}
	t->ev[t->nev] = *ev;
	t->evt[t->nev++] = tk;
}

/* ------------------------------------------------------------------------------------------- */
/* Checking one call on a CPU's thread */

static int expected_ret(enum call k)
{
	switch (k) {
	case C_ONLINE_BUSY:
		return -MEMBW_EBUSY;
	case C_OFFLINE_NODEV:
	case C_TICK_NODEV:
	case C_KICK_NODEV:
		return -MEMBW_ENODEV;
	default:
		return 0;
	}
}

static void push_record(struct tcpu *t, unsigned int ch, uint64_t epoch)
{
	struct chstate *c = &t->ch[ch];
	struct prec *p;

	t->rec = grow_array(t->rec, &t->caprec, t->nrec, sizeof(*t->rec));
	p = &t->rec[t->nrec++];
	*p = (struct prec){ .epoch = epoch,
			    .g0 = c->g0,
			    .g1 = c->g1,
			    .pooled = c->pooled,
			    .donated = c->donated,
			    .covered = c->covered,
			    .borrowed = c->borrowed,
			    .pool_ticket = c->pool_ticket,
			    .thr_ticket = c->thr_ticket,
			    .cpu = t->id,
			    .domain = c->domain,
			    .ch = (uint8_t)ch,
			    .pool_mode = c->pool_mode,
			    .reclaim = c->reclaim,
			    .throttled = c->throttled };
}

/* MEMBW_TRACE_PERIOD_END: invariant 2 and the exact use, then start the channel afresh. */
static void close_channel(struct tcpu *t, const struct membw_trace_record *ev)
{
	struct run *r = t->r;
	unsigned int ch = ev->channel;
	struct chstate *c = &t->ch[ch];
	bool limited = c->limited || ev->allowance || ev->overshoot;
	int cpu = (int)t->id;

	if (ev->used != c->used)
		violation(r, V_USED, cpu, ev->epoch,
			  "ch %u: PERIOD_END used %" PRIu64 ", the test counted %" PRIu64
			  " (allowance %" PRIu64 ", overshoot %" PRIu64
			  ", periods %u, %u-bit counter)",
			  ch, ev->used, c->used, ev->allowance, ev->overshoot, ev->periods,
			  r->tb.counter_bits);
	if (limited) {
		uint64_t over = ev->used > ev->allowance ? ev->used - ev->allowance : 0;

		if (ev->allowance != c->allow)
			violation(r, V_ALLOWANCE, cpu, ev->epoch,
				  "ch %u: PERIOD_END allowance %" PRIu64
				  ", grants - donations %" PRIu64,
				  ch, ev->allowance, c->allow);
		if (ev->overshoot != over || ev->used > ev->allowance + ev->overshoot)
			violation(r, V_OVERSHOOT, cpu, ev->epoch,
				  "ch %u: used %" PRIu64 " allowance %" PRIu64
				  " overshoot %" PRIu64,
				  ch, ev->used, ev->allowance, ev->overshoot);
	}
	/* Enforcement, by the test's own count: every event beyond the allowance was counted after
	 * an arm point was reached (latency) or while the CPU was throttled or released. */
	if (limited && c->used > c->allow + c->past)
		violation(r, V_OVERRUN, cpu, ev->epoch,
			  "ch %u: the test counted %" PRIu64
			  " events against an allowance of %" PRIu64 " with only %" PRIu64
			  " past an arm point or while stopped (%u-bit counter)",
			  ch, c->used, c->allow, c->past, r->tb.counter_bits);
	if (ev->overshoot > c->past)
		violation(r, V_OVERSHOOT_BOUND, cpu, ev->epoch,
			  "ch %u: overshoot %" PRIu64 " but only %" PRIu64
			  " events were counted past the arm point or while throttled/released"
			  " (used %" PRIu64 ", allowance %" PRIu64 ")",
			  ch, ev->overshoot, c->past, ev->used, ev->allowance);
	if (c->takeback > c->donated)
		violation(r, V_TAKEBACK, cpu, ev->epoch,
			  "ch %u: took back %" PRIu64 " of a donation of %" PRIu64, ch, c->takeback,
			  c->donated);
	t->sum.ch[ch].used += ev->used;
	t->sum.ch[ch].allowance += ev->allowance;
	t->sum.ch[ch].overshoot += ev->overshoot;
	if (ch == 0) {
		t->sum.periods += ev->periods;
		t->sum.missed_periods += ev->periods - 1;
	}
	if (c->limited)
		push_record(t, ch, ev->epoch);
	memset(c, 0, sizeof(*c));
}

static void on_grant(struct tcpu *t, const struct membw_trace_record *ev)
{
	struct run *r = t->r;
	unsigned int ch = ev->channel;
	struct chstate *c = &t->ch[ch];
	uint64_t amt = ev->amount;
	int cpu = (int)t->id;

	c->limited = true;
	/* Trace allowance: after a pool or share grant, before a take-back or borrow is added. */
	if (ev->allowance != c->allow && ev->allowance != c->allow + amt)
		violation(r, V_ALLOWANCE, cpu, ev->epoch,
			  "ch %u: GRANT (source %u, %" PRIu64 ") shows allowance %" PRIu64
			  ", the test has %" PRIu64, ch, ev->source, amt, ev->allowance, c->allow);
	switch (ev->source) {
	case MEMBW_GRANT_POOL:
		if (c->reclaim)
			violation(r, V_GRANT_ORDER, cpu, ev->epoch,
				  "ch %u: pool grant in a reclaim period", ch);
		c->pool_mode = true;
		c->pooled += amt;
		if (!c->pool_ticket || t->call_ticket < c->pool_ticket)
			c->pool_ticket = t->call_ticket;
		t->sum.ch[ch].budget += amt;
		t->n.pool_grants++;
		break;
	case MEMBW_GRANT_SHARE:
		if (c->reclaim || c->pool_mode || c->allow)
			violation(r, V_GRANT_ORDER, cpu, ev->epoch,
				  "ch %u: share grant not first in its period", ch);
		c->reclaim = true;
		c->share = amt;
		/* shares come out of the domain pool like chunks */
		c->pooled += amt;
		if (!c->pool_ticket || t->call_ticket < c->pool_ticket)
			c->pool_ticket = t->call_ticket;
		t->sum.ch[ch].budget += amt;
		t->n.shares++;
		break;
	case MEMBW_GRANT_TAKEBACK:
		if (!c->reclaim)
			violation(r, V_GRANT_ORDER, cpu, ev->epoch,
				  "ch %u: take-back without a share", ch);
		if (amt > c->donated - c->takeback || ev->shortfall > amt)
			violation(r, V_TAKEBACK, cpu, ev->epoch,
				  "ch %u: take-back %" PRIu64 " (shortfall %" PRIu64
				  ") of a donation of %" PRIu64 " with %" PRIu64
				  " taken back already",
				  ch, amt, ev->shortfall, c->donated, c->takeback);
		c->takeback += amt;
		c->covered += amt - (ev->shortfall > amt ? amt : ev->shortfall);
		t->sum.ch[ch].reclaimed += amt;
		t->sum.ch[ch].shortfall += ev->shortfall;
		t->n.takebacks++;
		if (ev->shortfall)
			t->n.shortfalls++;
		break;
	case MEMBW_GRANT_BORROW:
		if (!c->reclaim)
			violation(r, V_GRANT_ORDER, cpu, ev->epoch, "ch %u: borrow without a share",
				  ch);
		c->borrowed += amt;
		t->sum.ch[ch].borrowed += amt;
		t->n.borrows++;
		break;
	default:
		violation(r, V_GRANT_ORDER, cpu, ev->epoch, "ch %u: unknown grant source %u", ch,
			  ev->source);
		break;
	}
	c->allow += amt;
}

static void on_donate(struct tcpu *t, const struct membw_trace_record *ev)
{
	struct chstate *c = &t->ch[ev->channel];

	c->limited = true;
	if (!c->reclaim || c->donated || ev->amount > c->allow) {
		violation(t->r, V_GRANT_ORDER, (int)t->id, ev->epoch,
			  "ch %u: donation of %" PRIu64 " (share seen %d, allowance %" PRIu64
			  ", donated before %" PRIu64 ")",
			  ev->channel, ev->amount, c->reclaim, c->allow, c->donated);
		return;
	}
	c->allow -= ev->amount;
	c->donated += ev->amount;
	t->sum.ch[ev->channel].donated += ev->amount;
	t->n.donations++;
}

/* Invariants 3 and 5 (local part). */
static void on_throttle_event(struct tcpu *t, const struct membw_trace_record *ev, uint64_t tk)
{
	struct run *r = t->r;
	unsigned int ch = ev->channel;
	struct chstate *c = &t->ch[ch];
	int cpu = (int)t->id;

	c->limited = true;
	if (ev->used < ev->allowance)
		violation(r, V_THROTTLE_BELOW, cpu, ev->epoch,
			  "ch %u: throttled at used %" PRIu64 " < allowance %" PRIu64, ch, ev->used,
			  ev->allowance);
	if (ev->used != c->used)
		violation(r, V_USED, cpu, ev->epoch,
			  "ch %u: THROTTLE used %" PRIu64 ", the test counted %" PRIu64, ch,
			  ev->used, c->used);
	if (ev->allowance != c->allow)
		violation(r, V_ALLOWANCE, cpu, ev->epoch,
			  "ch %u: THROTTLE allowance %" PRIu64 ", grants - donations %" PRIu64, ch,
			  ev->allowance, c->allow);
	if (c->reclaim && (ev->used < c->share || c->takeback != c->donated))
		violation(r, V_THROTTLE_SHARE, cpu, ev->epoch,
			  "ch %u: throttled at used %" PRIu64 " with share %" PRIu64 ", donated %"
			  PRIu64 ", taken back %" PRIu64, ch, ev->used, c->share, c->donated,
			  c->takeback);
	if (!c->reclaim)
		c->pool_mode = true;
	if (t->thr_period)
		violation(r, V_THROTTLE_TWICE, cpu, ev->epoch,
			  "ch %u: second THROTTLE in the period without a release in between"
			  " (counted twice as throttled for sharing, throttle_count +2)", ch);
	t->thr_period = true;
	c->throttled = true;
	if (!c->thr_ticket)
		c->thr_ticket = tk;
	t->sum.throttle_count++;
	t->n.throttles++;
}

static void note_kick(struct tcpu *t, const struct membw_trace_record *ev, uint64_t tk)
{
	t->kickep = grow_array(t->kickep, &t->capkick, t->nkick, sizeof(*t->kickep));
	t->kickep[t->nkick++] = (struct kickrec){ ev->epoch, ev->now_ns, tk, t->id, ev->type };
}

static bool pending(struct tcpu *t, unsigned int ch)
{
	return tb_cpu(t->r->m, t->id)->pending[ch];
}

/* membw_overflow() called a pending overflow spurious: it ignored a real interrupt. */
static void real_overflow_ignored(struct tcpu *t, const struct membw_trace_record *ev, const bool *pend)
{
	struct tb_cpu *b = tb_cpu(t->r->m, t->id);

	violation(t->r, V_SPURIOUS_REAL, (int)t->id, ev->epoch,
		  "overflow pending on ch0 %d ch1 %d reported spurious; arm ch0 %" PRIu64
		  " ch1 %" PRIu64 ", raw ch0 %" PRIu64 " ch1 %" PRIu64 ", test counted ch0 %" PRIu64
		  " ch1 %" PRIu64 " this period (allowance %" PRIu64 "/%" PRIu64 ")", pend[0],
		  pend[1], b->armed[0], b->armed[1], b->value[0], b->value[1], t->ch[0].used,
		  t->ch[1].used, t->ch[0].allow, t->ch[1].allow);
}

static void process(struct tcpu *t, enum call k, int ret, uint64_t now, uint64_t next,
		    uint64_t g0, uint64_t g1, const bool *pend, const uint64_t *arms)
{
	struct run *r = t->r;
	struct membw_cpu_stats st = { .size = sizeof(st) };
	uint64_t old = t->epoch, cur, periods = 0;
	bool closed = false, in_open = k == C_ONLINE, open_throttle = false, spurious = false;
	bool ch_touched[NCH] = { false, false };
	unsigned int i, ch, sharing_events = 0;
	int cpu = (int)t->id;

	if (ret != expected_ret(k))
		violation(r, V_RET, cpu, old, "%s returned %d (%s), expected %d", call_name[k], ret,
			  membw_strerror(ret), expected_ret(k));
	if (membw_cpu_get_stats(r->m, t->id, &st))
		violation(r, V_CONTROL, cpu, old, "membw_cpu_get_stats failed on the CPU's own thread");
	cur = st.epoch;
	if (t->ev_lost)
		violation(r, V_EV_OVERFLOW, cpu, old, "%s produced more than %u trace records",
			  call_name[k], MAX_CALL_EVENTS);
	t->n.calls++;
	t->n.events += t->nev;

	for (i = 0; i < t->nev; i++) {
		const struct membw_trace_record *ev = &t->ev[i];
		uint64_t tk = t->evt[i];

		ch = ev->channel;
		if (ch >= r->nch &&
		    (ev->type == MEMBW_TRACE_PERIOD_END || ev->type == MEMBW_TRACE_GRANT ||
		     ev->type == MEMBW_TRACE_DONATE || ev->type == MEMBW_TRACE_THROTTLE)) {
			violation(r, V_EV_WHERE, cpu, ev->epoch, "event %u on channel %u of %u",
				  ev->type, ch, r->nch);
			continue;
		}
		if (ev->type == MEMBW_TRACE_PERIOD_END) {
			if (ev->epoch != old || ev->domain != t->domain)
				violation(r, V_EV_EPOCH, cpu, ev->epoch,
					  "PERIOD_END for period %" PRIu64
					  " domain %u; the CPU was in %" PRIu64 " domain %u",
					  ev->epoch, ev->domain, old, t->domain);
		} else if (ev->epoch != cur || ev->domain != st.domain) {
			violation(r, V_EV_EPOCH, cpu, ev->epoch,
				  "event %u (source %u) for period %" PRIu64
				  " domain %u during %s; the CPU"
				  " is in %" PRIu64 " domain %u",
				  ev->type, ev->source, ev->epoch, ev->domain, call_name[k], cur,
				  st.domain);
		}
		switch (ev->type) {
		case MEMBW_TRACE_PERIOD_END:
			if (k != C_TICK && k != C_TICK_DUP && k != C_TICK_EARLY && k != C_KICK &&
			    k != C_OFFLINE)
				violation(r, V_EV_WHERE, cpu, ev->epoch, "PERIOD_END during %s",
					  call_name[k]);
			if (closed && ev->periods != periods)
				violation(r, V_PERIODS, cpu, ev->epoch,
					  "channels closed %" PRIu64 " and %u periods", periods,
					  ev->periods);
			closed = true;
			periods = ev->periods;
			close_channel(t, ev);
			t->thr_period = false;
			in_open = k != C_OFFLINE;
			break;
		case MEMBW_TRACE_GRANT:
			ch_touched[ch] = true;
			on_grant(t, ev);
			break;
		case MEMBW_TRACE_DONATE:
			on_donate(t, ev);
			break;
		case MEMBW_TRACE_THROTTLE:
			ch_touched[ch] = true;
			if (k != C_ONLINE && k != C_TICK && k != C_TICK_DUP && k != C_TICK_EARLY &&
			    k != C_KICK && k != C_OVERFLOW)
				violation(r, V_EV_WHERE, cpu, ev->epoch, "THROTTLE during %s",
					  call_name[k]);
			on_throttle_event(t, ev, tk);
			if (in_open) {
				open_throttle = true;
				t->n.start_throttles++;
			}
			break;
		case MEMBW_TRACE_UNTHROTTLE: {
			bool ok;

			switch (ev->source) {
			case MEMBW_RELEASE_PERIOD:
				ok = closed && k != C_OFFLINE;
				break;
			case MEMBW_RELEASE_RESTART:
				ok = closed && k == C_KICK;
				break;
			case MEMBW_RELEASE_SPARE:
				ok = !closed && k == C_KICK;
				t->n.spare_releases++;
				break;
			case MEMBW_RELEASE_OFFLINE:
				ok = k == C_OFFLINE;
				break;
			default:
				ok = false;
				break;
			}
			if (!ok)
				violation(r, V_EV_WHERE, cpu, ev->epoch,
					  "UNTHROTTLE with reason %u during %s", ev->source,
					  call_name[k]);
			t->thr_period = false;
			t->n.unthrottles++;
			break;
		}
		case MEMBW_TRACE_RELEASE_ALL:
		case MEMBW_TRACE_RESTART:
			sharing_events++;
			note_kick(t, ev, tk);
			if (ev->type == MEMBW_TRACE_RELEASE_ALL)
				t->n.release_all++;
			else
				t->n.restarts++;
			break;
		case MEMBW_TRACE_ANOMALY:
			switch (ev->source) {
			case MEMBW_ANOMALY_SPURIOUS_OVERFLOW:
				spurious = true;
				t->sum.spurious_overflows++;
				t->n.spurious++;
				if (k == C_OVERFLOW) {
					real_overflow_ignored(t, ev, pend);
				} else if (k != C_OVERFLOW_SPURIOUS && k != C_OVERFLOW_OFFLINE) {
					violation(r, V_EV_WHERE, cpu, ev->epoch,
						  "spurious overflow during %s", call_name[k]);
				}
				break;
			case MEMBW_ANOMALY_EARLY_TICK:
				t->sum.early_ticks++;
				t->n.early_ticks++;
				if (k != C_TICK_DUP && k != C_TICK_EARLY)
					violation(r, V_EARLY, cpu, ev->epoch,
						  "%s at now %" PRIu64 " (next tick %" PRIu64
						  ") was early",
						  call_name[k], now, t->next_tick);
				break;
			default:
				t->sum.anomalies++;
				violation(r, V_ANOMALY, cpu, ev->epoch,
					  "anomaly %u (detail %" PRIu64 ") on ch %u during %s",
					  ev->source, ev->amount, ch, call_name[k]);
				break;
			}
			break;
		default:
			violation(r, V_EV_WHERE, cpu, ev->epoch, "unknown event type %u", ev->type);
			break;
		}
	}

	if (t->kick_all_in_call != sharing_events)
		violation(r, V_KICK_ALL, cpu, cur,
			  "%u kick_all calls but %u RELEASE_ALL/RESTART events during %s",
			  t->kick_all_in_call, sharing_events, call_name[k]);
	if ((k == C_OVERFLOW_SPURIOUS || k == C_OVERFLOW_OFFLINE) && !spurious)
		violation(r, V_SPURIOUS_MISSING, cpu, cur, "%s not counted as spurious",
			  call_name[k]);
	if (k == C_TICK && !closed)
		violation(r, V_EARLY, cpu, cur,
			  "tick at now %" PRIu64 " >= next tick %" PRIu64
			  " stayed in period %" PRIu64,
			  now, t->next_tick, cur);
	if (closed && k != C_OFFLINE && (cur <= old || cur - old != periods))
		violation(r, V_PERIODS, cpu, cur,
			  "%s moved from period %" PRIu64 " to %" PRIu64 " but closed %" PRIu64
			  " periods", call_name[k], old, cur, periods);
	if (closed && k == C_OFFLINE && periods != 1)
		violation(r, V_PERIODS, cpu, cur, "offline closed %" PRIu64 " periods", periods);
	if (!closed && k != C_ONLINE && cur != old)
		violation(r, V_STATE, cpu, cur,
			  "%s moved from period %" PRIu64 " without PERIOD_END", call_name[k], old);

	/* Invariant 1: entry-point state. */
	if (k == C_ONLINE && ret == 0)
		t->online = true;
	if (k == C_OFFLINE && ret == 0) {
		t->online = false;
		if (t->held)
			violation(r, V_HELD_OFFLINE, cpu, cur, "held after offline");
	}
	if (((k == C_ONLINE && ret == 0) || (closed && k != C_OFFLINE))) {
		if (t->held && !open_throttle)
			violation(r, V_HELD_AT_START, cpu, cur,
				  "held at the start of period %" PRIu64
				  " (after %s) without a throttle"
				  " at that start",
				  cur, call_name[k]);
		for (ch = 0; ch < r->nch; ch++) {
			t->ch[ch].g0 = g0;
			t->ch[ch].g1 = g1;
			t->ch[ch].domain = st.domain;
		}
		if (k == C_KICK)
			t->n.kick_rollovers++;
		if (k != C_ONLINE) {
			t->n.ticks += k != C_KICK;
			if (periods > 1) {
				t->n.late_ticks++;
				t->n.missed += periods - 1;
			}
		}
	}
	if (!!(st.state & MEMBW_CPU_ONLINE) != t->online)
		violation(r, V_STATE, cpu, cur, "state %#x after %s, the test thinks %s", st.state,
			  call_name[k], t->online ? "online" : "offline");
	if (!!(st.state & MEMBW_CPU_THROTTLED) != t->held)
		violation(r, V_HELD_STATE, cpu, cur, "state %#x after %s but %s", st.state,
			  call_name[k], t->held ? "held" : "not held");
	t->released = st.state & MEMBW_CPU_RELEASED;
	if (!t->online)
		t->released = false;
	t->epoch = cur;
	t->domain = st.domain;
	if (ret == 0 && (k == C_ONLINE || k == C_TICK || k == C_TICK_DUP || k == C_TICK_EARLY ||
			 k == C_KICK))
		t->next_tick = next;

	/* A real overflow that re-armed without granting or throttling and left the allowance
	 * ahead: the budget did not fit the counter and is being handed out in several arms. */
	if (k == C_OVERFLOW) {
		for (ch = 0; ch < r->nch; ch++) {
			struct chstate *c = &t->ch[ch];

			if (pend[ch] && tb_cpu(r->m, t->id)->arms[ch] != arms[ch] &&
			    !ch_touched[ch] && c->limited && !t->held && !t->released &&
			    c->used < c->allow)
				t->n.multiarm++;
		}
	}
}

/* One entry-point call on the CPU's own thread, checked. */
static int call(struct tcpu *t, enum call k, uint64_t now)
{
	struct run *r = t->r;
	uint64_t next = 0, g0, g1;
	bool pend[NCH] = { false, false };
	uint64_t arms[NCH] = { 0, 0 };
	unsigned int ch;
	int ret;

	if (k == C_OVERFLOW || k == C_OVERFLOW_SPURIOUS || k == C_OVERFLOW_OFFLINE) {
		for (ch = 0; ch < NCH; ch++) {
			pend[ch] = pending(t, ch);
			arms[ch] = tb_cpu(r->m, t->id)->arms[ch];
		}
		tb_take_overflow(r->m, t->id);
		t->latency = 0;
		t->exact = false;
		if (k == C_OVERFLOW)
			t->n.overflows++;
	}
	if (k == C_ONLINE) {
		for (ch = 0; ch < NCH; ch++)
			memset(&t->ch[ch], 0, sizeof(t->ch[ch]));
		t->thr_period = false;
	}
	if (k == C_ONLINE_BUSY || k == C_OFFLINE_NODEV || k == C_TICK_NODEV ||
	    k == C_KICK_NODEV || k == C_OVERFLOW_OFFLINE)
		t->n.probes++;
	g0 = atomic_load_explicit(&r->bseq, memory_order_relaxed);
	t->nev = 0;
	t->ev_lost = false;
	t->kick_all_in_call = 0;
	t->call_ticket = next_ticket(r);
	t->in_call = true;
	switch (k) {
	case C_ONLINE:
	case C_ONLINE_BUSY:
		ret = membw_cpu_online(r->m, t->id, now, &next);
		break;
	case C_OFFLINE:
	case C_OFFLINE_NODEV:
		ret = membw_cpu_offline(r->m, t->id, now);
		break;
	case C_TICK:
	case C_TICK_DUP:
	case C_TICK_EARLY:
	case C_TICK_NODEV:
		ret = membw_tick(r->m, t->id, now, &next);
		break;
	case C_KICK:
	case C_KICK_NODEV:
		ret = membw_kick(r->m, t->id, now, &next);
		break;
	default:
		ret = membw_overflow(r->m, t->id, now);
		break;
	}
	t->in_call = false;
	g1 = atomic_load_explicit(&r->bseq, memory_order_relaxed);
	process(t, k, ret, now, next, g0, g1, pend, arms);
	return ret;
}

/* ------------------------------------------------------------------------------------------- */
/* The CPU threads */

static void count(struct tcpu *t, unsigned int ch, uint64_t n)
{
	struct run *r = t->r;
	struct tb_cpu *b = tb_cpu(r->m, t->id);
	struct chstate *c = &t->ch[ch];
	uint64_t u;

	if (!n)
		return;
	if (!b->running[ch]) {
		if (!b->tb) /* never initialised: nothing to count on */
			return;
		tb_count(r->m, t->id, ch, n); /* a stopped counter must ignore it */
		if (b->pending[ch])
			violation(r, V_STATE, (int)t->id, t->epoch,
				  "stopped counter ch %u raised an overflow", ch);
		return;
	}
	u = tb_until_overflow(r->m, t->id, ch);
	if (b->pending[ch] || t->held || t->released || (c->limited && c->used >= c->allow))
		c->past += n;
	else if (n >= u)
		c->past += n - u;
	tb_count(r->m, t->id, ch, n);
	c->used += n;
	t->counted[ch] += n;
}

static uint64_t amount(struct tcpu *t)
{
	uint32_t burst = t->r->sc->burst;

	if (t->latency) /* interrupt latency: a few more events */
		return below(&t->rng, 65);
	if (t->held) /* exempt work while throttled */
		return chance(&t->rng, 500) ? below(&t->rng, burst / 8 + 1) : 0;
	switch (t->phase) {
	case PH_BUSY:
		return range(&t->rng, burst / 2, burst);
	case PH_LIGHT:
		return below(&t->rng, burst / 10 + 1);
	default:
		return below(&t->rng, 3);
	}
}

static bool pending_any(struct tcpu *t)
{
	return pending(t, 0) || pending(t, 1);
}

static void step_online(struct tcpu *t, uint64_t now)
{
	struct run *r = t->r;
	unsigned int ch;

	/* Kicks: usually answered at once, sometimes a few steps late. */
	if (atomic_load_explicit(&r->kick[t->id], memory_order_relaxed)) {
		if (t->kick_delay)
			t->kick_delay--;
		else if (chance(&t->rng, 200))
			t->kick_delay = (unsigned int)range(&t->rng, 1, 4);
		if (!t->kick_delay) {
			atomic_store_explicit(&r->kick[t->id], 0, memory_order_relaxed);
			t->n.kicks++;
			call(t, C_KICK, now);
		}
	}
	/* Period timer: on time, late by up to several periods, or early / twice. */
	if (now >= t->next_tick) {
		if (t->late) {
			t->late--;
		} else if (chance(&t->rng, 30)) {
			t->late = (unsigned int)range(&t->rng, 1, 120);
		} else {
			call(t, C_TICK, now);
			if (chance(&t->rng, 20))
				call(t, C_TICK_DUP, now);
		}
	} else if (chance(&t->rng, 5)) {
		call(t, C_TICK_EARLY, now);
	}
	/* Workload. */
	if (!t->phase_left--) {
		uint64_t x = below(&t->rng, 1000);

		if (x < r->sc->busy)
			t->phase = PH_BUSY;
		else if (x < r->sc->busy + (1000 - r->sc->busy) * 3 / 5)
			t->phase = PH_LIGHT;
		else
			t->phase = PH_IDLE;
		t->phase_left = (unsigned int)range(&t->rng, 20, 200);
	}
	for (ch = 0; ch < NCH; ch++) {
		uint64_t n = amount(t), u;

		if (ch)
			n /= 2;
		/* Sometimes stop exactly at the arm point and take that interrupt at once (a
		 * precise PMU): a budget armed in pieces re-arms correctly only from there. */
		if (n && !t->latency && tb_cpu(r->m, t->id)->running[ch] && !pending(t, ch)) {
			u = tb_until_overflow(r->m, t->id, ch);
			if (u <= n && chance(&t->rng, 150)) {
				n = u;
				t->exact = true;
			}
		}
		count(t, ch, n);
	}
	/* Overflow interrupts: at once, or after 1-3 steps of latency; sometimes a spurious one. */
	if (pending_any(t)) {
		if (t->exact) {
			call(t, C_OVERFLOW, now);
		} else if (t->latency) {
			if (--t->latency == 0)
				call(t, C_OVERFLOW, now);
		} else if (chance(&t->rng, 300)) {
			t->latency = (unsigned int)range(&t->rng, 1, 3);
			t->n.delayed++;
		} else {
			call(t, C_OVERFLOW, now);
		}
	} else {
		t->latency = 0;
		if (chance(&t->rng, 5))
			call(t, C_OVERFLOW_SPURIOUS, now);
	}
	/* Contract probes and hotplug. */
	if (chance(&t->rng, 2))
		call(t, C_ONLINE_BUSY, now);
	if (chance(&t->rng, 3)) {
		if (t->latency)
			call(t, C_OVERFLOW, now);
		call(t, C_OFFLINE, now);
		t->offline_for = (unsigned int)range(&t->rng, 1, 150);
		t->n.offlines++;
	}
}

static void step_offline(struct tcpu *t, uint64_t now)
{
	struct run *r = t->r;
	static const enum call probes[] = { C_TICK_NODEV, C_OFFLINE_NODEV, C_OVERFLOW_OFFLINE };

	if (atomic_exchange_explicit(&r->kick[t->id], 0, memory_order_relaxed) &&
	    chance(&t->rng, 500))
		call(t, C_KICK_NODEV, now);
	if (chance(&t->rng, 20))
		call(t, probes[below(&t->rng, 3)], now);
	count(t, 0, below(&t->rng, 100));
	if (t->offline_for) {
		t->offline_for--;
	} else {
		t->late = 0;
		t->latency = 0;
		call(t, C_ONLINE, now);
	}
}

static void *cpu_main(void *arg)
{
	struct tcpu *t = arg;
	struct run *r = t->r;
	uint64_t s;

	self = t;
	t->offline_for = (unsigned int)below(&t->rng, 4);
	for (s = 0; s < r->steps; s++) {
		uint64_t now;

		while (s >= (ld(&r->round) + 2) * ROUND_STEPS)
			sched_yield();
		now = ld(&r->now);
		if (t->online)
			step_online(t, now);
		else
			step_offline(t, now);
		atomic_store_explicit(&r->progress[t->id], s + 1, memory_order_relaxed);
	}
	/* Wind down: take the last interrupt, go offline so that every period is closed. */
	if (t->online) {
		uint64_t now = ld(&r->now);

		if (pending_any(t))
			call(t, C_OVERFLOW, now);
		call(t, C_OFFLINE, now);
	}
	self = NULL;
	return NULL;
}

/* ------------------------------------------------------------------------------------------- */
/* The control thread */

static const char *const total_names[] = {
	"periods", "missed_periods", "throttle_count", "throttled_ns", "spurious_overflows",
	"early_ticks", "anomalies",
	"ch0.used", "ch0.budget", "ch0.allowance", "ch0.donated", "ch0.reclaimed", "ch0.borrowed",
	"ch0.overshoot", "ch0.shortfall",
	"ch1.used", "ch1.budget", "ch1.allowance", "ch1.donated", "ch1.reclaimed", "ch1.borrowed",
	"ch1.overshoot", "ch1.shortfall",
};
#define NTOTALS (sizeof(struct membw_totals) / sizeof(uint64_t))
_Static_assert(NTOTALS == sizeof(total_names) / sizeof(total_names[0]), "totals are all u64");

/* Invariant 6: every counter read from this thread never decreases. */
static void check_stats(struct run *r, unsigned int cpu)
{
	struct membw_cpu_stats s = { .size = sizeof(s) };
	uint64_t a[NTOTALS], b[NTOTALS];
	unsigned int i;

	if (membw_cpu_get_stats(r->m, cpu, &s)) {
		violation(r, V_CONTROL, (int)cpu, 0, "membw_cpu_get_stats failed");
		return;
	}
	r->cn.stats_reads++;
	memcpy(a, &r->last[cpu].totals, sizeof(a));
	memcpy(b, &s.totals, sizeof(b));
	for (i = 0; i < NTOTALS; i++)
		if (b[i] < a[i])
			violation(r, V_STATS_MONO, (int)cpu, s.epoch,
				  "%s went from %" PRIu64 " to %" PRIu64, total_names[i], a[i],
				  b[i]);
	if (s.epoch < r->last[cpu].epoch)
		violation(r, V_STATS_MONO, (int)cpu, s.epoch, "epoch went from %" PRIu64 " to %"
			  PRIu64, r->last[cpu].epoch, s.epoch);
	r->last[cpu] = s;
}

static uint64_t pick_budget(struct run *r)
{
	uint64_t x = below(&r->crng, 100);

	if (x < 4)
		return 0;
	if (x < 8)
		return UNLIM;
	return range(&r->crng, r->sc->bmin, r->sc->bmax);
}

static void set_budget(struct run *r, uint32_t d, uint64_t rd, uint64_t wr)
{
	uint64_t got_r, got_w;
	int ret;

	if (r->nblog == r->capblog)
		return;
	r->blog[r->nblog] = (struct budget_change){ d, { rd, wr } };
	ret = membw_domain_set_budget(r->m, d, to_bps(rd), to_bps(wr));
	if (ret) {
		violation(r, V_RET, -1, 0, "membw_domain_set_budget(%u, %" PRIu64 ", %" PRIu64
			  ") returned %d", d, to_bps(rd), to_bps(wr), ret);
		return;
	}
	r->nblog++;
	atomic_store_explicit(&r->bseq, r->nblog, memory_order_relaxed);
	r->set_events[d][0] = rd;
	r->set_events[d][1] = wr;
	if (membw_domain_get_budget(r->m, d, &got_r, &got_w) || got_r != to_bps(rd) ||
	    got_w != to_bps(wr))
		violation(r, V_CONTROL, -1, 0, "domain %u budget reads back %" PRIu64 "/%" PRIu64,
			  d, got_r, got_w);
}

static void random_budget(struct run *r)
{
	uint32_t d = (uint32_t)below(&r->crng, r->ndomains);
	uint64_t rd = pick_budget(r), wr = UNLIM;

	if (r->nch == 2 && r->sc->write_limited && !chance(&r->crng, 300))
		wr = pick_budget(r);
	set_budget(r, d, rd, wr);
	r->cn.budget_changes++;
}

/* Changes that must be refused, with nothing changed. */
static void refused(struct run *r)
{
	struct membw_backend_info info;
	struct membw_config cfg;
	int ret;

	r->cn.refused++;
	switch (below(&r->crng, 5)) {
	case 0: /* 1000 B/s is less than one line per period */
		ret = membw_domain_set_budget(r->m, 0, 1000, MEMBW_UNLIMITED);
		if (ret != -MEMBW_ERANGE)
			violation(r, V_RET, -1, 0, "set_budget(1000 B/s) returned %d", ret);
		break;
	case 1:
		ret = membw_cpu_set_domain(r->m, 0, r->ndomains);
		if (ret != -MEMBW_EINVAL)
			violation(r, V_RET, -1, 0, "assign to domain %u returned %d", r->ndomains,
				  ret);
		break;
	case 2:
		ret = membw_set_sharing(r->m, 3);
		if (ret != -MEMBW_EINVAL)
			violation(r, V_RET, -1, 0, "set_sharing(3) returned %d", ret);
		break;
	case 3:
		if (r->nch == 2)
			break; /* a finite write budget is fine with two channels */
		ret = membw_domain_set_budget(r->m, 0, MEMBW_UNLIMITED, BPS_PER_EVENT * 100);
		if (ret != -MEMBW_EOPNOTSUPP)
			violation(r, V_RET, -1, 0, "finite write budget with 1 channel returned %d",
				  ret);
		break;
	default:
		info.size = sizeof(info);
		ret = membw_get_backend_info(r->m, &info);
		if (ret || info.channels != r->nch || info.counter_bits != r->tb.counter_bits ||
		    info.line_size != LINE_SIZE)
			violation(r, V_CONTROL, -1, 0,
				  "get_backend_info: ret %d channels %u bits %u", ret,
				  info.channels, info.counter_bits);
		memset(&cfg, 0, sizeof(cfg));
		cfg.size = sizeof(cfg);
		ret = membw_get_config(r->m, &cfg);
		if (ret || cfg.sharing != r->sharing || cfg.reclaim != r->reclaim ||
		    cfg.ncpus != r->ncpus || cfg.period_ns != PERIOD_NS)
			violation(r, V_CONTROL, -1, 0, "get_config: ret %d sharing %u reclaim %u",
				  ret, cfg.sharing, cfg.reclaim);
		r->cn.getter_reads++;
		break;
	}
}

static void control_actions(struct run *r)
{
	const struct scenario *sc = r->sc;
	int ret;

	if (chance(&r->crng, sc->p_budget))
		random_budget(r);
	if (chance(&r->crng, sc->p_assign)) {
		unsigned int cpu = (unsigned int)below(&r->crng, r->ncpus);
		uint32_t d = (uint32_t)below(&r->crng, r->ndomains);
		uint64_t x = below(&r->crng, 100);

		if (sc->assign_free && x < 15)
			d = MEMBW_NO_DOMAIN;
		ret = membw_cpu_set_domain(r->m, cpu, d);
		if (ret)
			violation(r, V_RET, (int)cpu, 0, "assign returned %d", ret);
		r->cn.assigns++;
	}
	if (chance(&r->crng, sc->p_reclaim)) {
		r->reclaim ^= 1;
		ret = membw_set_reclaim(r->m, r->reclaim);
		if (ret)
			violation(r, V_RET, -1, 0, "set_reclaim returned %d", ret);
		r->cn.reclaim_flips++;
	}
	if (chance(&r->crng, sc->p_sharing)) {
		r->sharing = (uint32_t)below(&r->crng, 3);
		ret = membw_set_sharing(r->m, r->sharing);
		if (ret)
			violation(r, V_RET, -1, 0, "set_sharing returned %d", ret);
		r->cn.sharing_changes++;
	}
	if (chance(&r->crng, 10))
		refused(r);
	if (chance(&r->crng, 60)) {
		unsigned int d;

		for (d = 0; d < r->ndomains; d++) {
			struct membw_domain_stats ds = { .size = sizeof(ds) };

			if (membw_domain_get_stats(r->m, d, &ds) || ds.nonline > ds.ncpus + r->ncpus ||
			    ds.ncpus > r->ncpus)
				violation(r, V_CONTROL, -1, 0,
					  "domain %u stats: ncpus %u nonline %u", d, ds.ncpus,
					  ds.nonline);
			r->cn.getter_reads++;
		}
	}
}

static void *control_main(void *arg)
{
	struct run *r = arg;
	unsigned int i, peek = 0;

	for (;;) {
		uint64_t want = (ld(&r->round) + 1) * ROUND_STEPS, now;
		bool all = true, finished = true;

		if (want > r->steps)
			want = r->steps;
		for (i = 0; i < r->ncpus; i++) {
			uint64_t p = ld(&r->progress[i]);

			if (p < want)
				all = false;
			if (p < r->steps)
				finished = false;
		}
		if (finished)
			break;
		if (!all) {
			/* Statistics may be read any time: do it while the CPUs run. */
			check_stats(r, peek++ % r->ncpus);
			sched_yield();
			continue;
		}
		now = ld(&r->now) + range(&r->crng, PERIOD_NS / 16, PERIOD_NS / 4);
		atomic_store_explicit(&r->now, now, memory_order_relaxed);
		atomic_store_explicit(&r->round, ld(&r->round) + 1, memory_order_relaxed);
		r->cn.rounds++;
		control_actions(r);
		for (i = 0; i < r->ncpus; i++)
			check_stats(r, i);
	}
	return NULL;
}

/* ------------------------------------------------------------------------------------------- */
/* Global checks, after the join */

struct agg {
	uint64_t pooled, pool_ticket, later, cand_max;
	uint64_t cand[MAX_CAND];
	unsigned int ncand;
	bool seen, many, exact_counted;
};

static void add_cand(struct agg *a, uint64_t v)
{
	unsigned int i;

	if (v == UNLIM)
		return;
	if (v > a->cand_max)
		a->cand_max = v;
	for (i = 0; i < a->ncand; i++)
		if (a->cand[i] == v)
			return;
	if (a->ncand == MAX_CAND)
		a->many = true;
	else
		a->cand[a->ncand++] = v;
}

/*
 * The budgets of @d a CPU may have latched in a call that started when @g0 log entries were
 * published and ended when @g1 were: the one in force at @g0, and every later one up to @g1
 * (entry @g1 itself may have been stored but not yet published).
 */
static void add_window(const struct run *r, struct agg *a, uint32_t d, unsigned int ch,
		       uint64_t g0, uint64_t g1)
{
	uint64_t prev = UNLIM;
	size_t i;

	for (i = 0; i < r->nblog && i < g0; i++)
		if (r->blog[i].domain == d)
			prev = r->blog[i].events[ch];
	add_cand(a, prev);
	for (i = g0; i <= g1 && i < r->nblog; i++)
		if (r->blog[i].domain == d)
			add_cand(a, r->blog[i].events[ch]);
}

static bool is_cand(const struct agg *a, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < a->ncand; i++)
		if (a->cand[i] == v)
			return true;
	return false;
}

static void cand_text(const struct agg *a, char *buf, size_t size)
{
	unsigned int i;
	size_t len = 0;

	buf[0] = 0;
	for (i = 0; i < a->ncand && len + 24 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%" PRIu64, i ? ", " : "",
					a->cand[i]);
}

static int cmp_kick(const void *a, const void *b)
{
	const struct kickrec *x = a, *y = b;

	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	return x->ticket < y->ticket ? -1 : x->ticket > y->ticket;
}

/*
 * A throttled CPU found its period's pool empty: the grants add up to the budget -- unless the CPU
 * itself latched a budget of 0 (a change landed: its refill is 0, others refill with the old
 * budget), or another CPU had already taken from a later period's pool (the throttled CPU's tick
 * was late; pool_take() refuses an older period).
 */
static void check_exact(struct run *r, const struct prec *p, struct agg *a)
{
	struct agg own;
	char text[200];

	if (a->many) {
		r->pool_many++;
		return;
	}
	if (is_cand(a, a->pooled)) {
		if (!a->exact_counted)
			r->pool_exact++;
		a->exact_counted = true;
		return;
	}
	memset(&own, 0, sizeof(own));
	add_window(r, &own, p->domain, p->ch, p->g0, p->g1);
	if (is_cand(&own, 0)) {
		r->pool_excused_zero++;
	} else if (a->later < p->thr_ticket) {
		r->pool_excused++;
	} else {
		cand_text(a, text, sizeof(text));
		violation(r, V_POOL_EXACT, (int)p->cpu, p->epoch,
			  "domain %u ch %u: throttled but the domain's CPUs took %" PRIu64
			  " from the pool; budgets in force: %s; this CPU's window %" PRIu64
			  "..%" PRIu64 ", it took %" PRIu64 "; throttle ticket %" PRIu64
			  ", first later-period pool use %" PRIu64, p->domain, p->ch, a->pooled,
			  text, p->g0, p->g1, p->pooled, p->thr_ticket, a->later);
	}
}

/* Invariants 4 and 5 (global part), and kick_all once per period. */
static void check_pools(struct run *r)
{
	uint64_t emin = UINT64_MAX, emax = 0, span, e;
	struct agg *pool;
	uint64_t (*rec)[3];
	struct kickrec *kicks;
	size_t nkicks = 0, i;
	unsigned int c, d, ch;
	char text[200];

	for (c = 0; c < r->ncpus; c++) {
		for (i = 0; i < r->cpu[c].nrec; i++) {
			e = r->cpu[c].rec[i].epoch;
			emin = e < emin ? e : emin;
			emax = e > emax ? e : emax;
		}
		nkicks += r->cpu[c].nkick;
	}
	if (emin > emax)
		return;
	r->emin = emin;
	r->emax = emax;
	span = emax - emin + 1;
	pool = calloc(r->ndomains * NCH * span, sizeof(*pool));
	rec = calloc(NCH * span, sizeof(*rec)); /* reclaim: donated, covered, borrowed */
	kicks = calloc(nkicks + 1, sizeof(*kicks));
	if (!pool || !rec || !kicks) {
		fprintf(stderr, "stress: out of memory\n");
		exit(2);
	}
#define AGG(d, ch, e) (&pool[((d) * NCH + (ch)) * span + ((e) - emin)])
	/* Sum each (domain, channel, period)'s pool grants over every CPU that was there. */
	for (c = 0; c < r->ncpus; c++) {
		for (i = 0; i < r->cpu[c].nrec; i++) {
			const struct prec *p = &r->cpu[c].rec[i];

			if (p->reclaim) {
				uint64_t *x = rec[p->ch * span + (p->epoch - emin)];

				x[0] += p->donated;
				x[1] += p->covered;
				x[2] += p->borrowed;
			}
			if ((p->pool_mode || p->reclaim) && p->domain < r->ndomains) {
				struct agg *a = AGG(p->domain, p->ch, p->epoch);

				a->seen = true;
				a->pooled += p->pooled;
				if (p->pool_ticket &&
				    (!a->pool_ticket || p->pool_ticket < a->pool_ticket))
					a->pool_ticket = p->pool_ticket;
				add_window(r, a, p->domain, p->ch, p->g0, p->g1);
			}
		}
	}
	/* Never more than the budget in force; note when later periods' pools were first used. */
	for (d = 0; d < r->ndomains; d++) {
		for (ch = 0; ch < NCH; ch++) {
			uint64_t later = UINT64_MAX;

			for (e = emax + 1; e-- > emin;) {
				struct agg *a = AGG(d, ch, e);

				a->later = later;
				if (!a->seen)
					continue;
				r->pool_checked++;
				if (!a->ncand || a->pooled > a->cand_max) {
					cand_text(a, text, sizeof(text));
					violation(r, V_POOL_OVER, -1, e,
						  "domain %u ch %u: pool grants %" PRIu64
						  " > every budget in"
						  " force (%s)",
						  d, ch, a->pooled, text);
				}
				if (a->pool_ticket && a->pool_ticket < later)
					later = a->pool_ticket;
			}
		}
	}
	for (c = 0; c < r->ncpus; c++)
		for (i = 0; i < r->cpu[c].nrec; i++) {
			const struct prec *p = &r->cpu[c].rec[i];

			if (p->pool_mode && p->throttled && p->domain < r->ndomains)
				check_exact(r, p, AGG(p->domain, p->ch, p->epoch));
		}
	for (ch = 0; ch < NCH; ch++) {
		for (e = emin; e <= emax; e++) {
			uint64_t *x = rec[ch * span + (e - emin)];

			if (!x[0] && !x[1] && !x[2])
				continue;
			r->reclaim_checked++;
			if (x[1] > x[0] || x[2] > x[0] - x[1])
				violation(r, V_RECLAIM_POOL, -1, e,
					  "ch %u: donated %" PRIu64
					  ", take-backs covered by the pool %" PRIu64
					  ", borrowed %" PRIu64,
					  ch, x[0], x[1], x[2]);
		}
	}
	nkicks = 0;
	for (c = 0; c < r->ncpus; c++)
		for (i = 0; i < r->cpu[c].nkick; i++)
			kicks[nkicks++] = r->cpu[c].kickep[i];
	qsort(kicks, nkicks, sizeof(*kicks), cmp_kick);
	for (i = 1; i < nkicks; i++) {
		const struct kickrec *a = &kicks[i - 1], *b = &kicks[i];

		if (a->epoch != b->epoch)
			continue;
		/* A spare release and a restart in one period: CPUs latched different sharing modes
		 * while a change was taking effect. Reported (an edge of "one call per period"). */
		if (a->type != b->type)
			r->kick_mixed++;
		else
			violation(r, V_KICK_ALL, -1, b->epoch,
				  "two kick_all calls in the period: %s by cpu %u at now %" PRIu64
				  " (ticket %" PRIu64 "), then %s by cpu %u at now %" PRIu64
				  " (ticket %" PRIu64 ")",
				  a->type == MEMBW_TRACE_RESTART ? "restart" : "release-all", a->cpu,
				  a->now, a->ticket,
				  b->type == MEMBW_TRACE_RESTART ? "restart" : "release-all", b->cpu,
				  b->now, b->ticket);
	}
#undef AGG
	free(pool);
	free(rec);
	free(kicks);
}

static void check_sum(struct run *r, unsigned int cpu, const char *what, uint64_t stat,
		      uint64_t sum)
{
	if (stat != sum)
		violation(r, V_STATS_SUM, (int)cpu, 0, "%s: statistics %" PRIu64 ", trace records %"
			  PRIu64, what, stat, sum);
}

static void check_final(struct run *r)
{
	struct membw_totals dom, all;
	unsigned int c, d, ch;

	memset(&dom, 0, sizeof(dom));
	memset(&all, 0, sizeof(all));
	for (c = 0; c < r->ncpus; c++) {
		struct tcpu *t = &r->cpu[c];
		struct membw_cpu_stats s = { .size = sizeof(s) };
		const struct membw_totals *x = &s.totals, *y = &t->sum;

		if (membw_cpu_get_stats(r->m, c, &s)) {
			violation(r, V_CONTROL, (int)c, 0, "final membw_cpu_get_stats failed");
			continue;
		}
		if (s.state || t->online || t->held || t->throttle_calls != t->unthrottle_calls)
			violation(r, V_STATE, (int)c, s.epoch,
				  "at the end: state %#x, held %d, throttle calls %u,"
				  " unthrottle calls %u", s.state, t->held, t->throttle_calls,
				  t->unthrottle_calls);
		check_sum(r, c, "periods", x->periods, y->periods);
		check_sum(r, c, "missed_periods", x->missed_periods, y->missed_periods);
		check_sum(r, c, "throttle_count", x->throttle_count, y->throttle_count);
		check_sum(r, c, "spurious_overflows", x->spurious_overflows, y->spurious_overflows);
		check_sum(r, c, "early_ticks", x->early_ticks, y->early_ticks);
		check_sum(r, c, "anomalies", x->anomalies, y->anomalies);
		for (ch = 0; ch < NCH; ch++) {
			const struct membw_channel_stats *a = &x->ch[ch], *b = &y->ch[ch];

			check_sum(r, c, ch ? "ch1.used" : "ch0.used", a->used, b->used);
			check_sum(r, c, ch ? "ch1.budget" : "ch0.budget", a->budget, b->budget);
			check_sum(r, c, ch ? "ch1.allowance" : "ch0.allowance", a->allowance,
				  b->allowance);
			check_sum(r, c, ch ? "ch1.donated" : "ch0.donated", a->donated, b->donated);
			check_sum(r, c, ch ? "ch1.reclaimed" : "ch0.reclaimed", a->reclaimed,
				  b->reclaimed);
			check_sum(r, c, ch ? "ch1.borrowed" : "ch0.borrowed", a->borrowed,
				  b->borrowed);
			check_sum(r, c, ch ? "ch1.overshoot" : "ch0.overshoot", a->overshoot,
				  b->overshoot);
			check_sum(r, c, ch ? "ch1.shortfall" : "ch0.shortfall", a->shortfall,
				  b->shortfall);
			if (a->used != t->counted[ch])
				violation(r, V_USED, (int)c, s.epoch,
					  "ch %u: statistics used %" PRIu64
					  ", the test counted %" PRIu64 " in all (%+" PRId64 ")",
					  ch, a->used, t->counted[ch],
					  (int64_t)(a->used - t->counted[ch]));
			if (a->allowance != a->budget - a->donated + a->reclaimed + a->borrowed)
				violation(r, V_STATS_IDENTITY, (int)c, s.epoch,
					  "ch %u: allowance %" PRIu64 ", budget %" PRIu64
					  " donated %" PRIu64 " reclaimed %" PRIu64
					  " borrowed %" PRIu64,
					  ch, a->allowance, a->budget, a->donated, a->reclaimed,
					  a->borrowed);
			all.ch[ch].used += a->used;
			if (s.domain == MEMBW_NO_DOMAIN)
				dom.ch[ch].used += a->used;
		}
		all.periods += x->periods;
		if (s.domain == MEMBW_NO_DOMAIN)
			dom.periods += x->periods;
	}
	for (d = 0; d < r->ndomains; d++) {
		struct membw_domain_stats ds = { .size = sizeof(ds) };

		if (membw_domain_get_stats(r->m, d, &ds)) {
			violation(r, V_CONTROL, -1, 0, "final membw_domain_get_stats(%u) failed", d);
			continue;
		}
		if (ds.nonline)
			violation(r, V_STATE, -1, 0,
				  "domain %u: %u CPUs online after all went offline", d,
				  ds.nonline);
		dom.periods += ds.totals.periods;
		for (ch = 0; ch < NCH; ch++)
			dom.ch[ch].used += ds.totals.ch[ch].used;
	}
	if (dom.periods != all.periods || dom.ch[0].used != all.ch[0].used ||
	    dom.ch[1].used != all.ch[1].used)
		violation(r, V_STATS_SUM, -1, 0, "domain statistics do not add up to the CPUs'");
	check_pools(r);
}

/* ------------------------------------------------------------------------------------------- */
/* Scenarios */

static void add_counts(struct counts *a, const struct counts *b)
{
	const uint64_t *y = (const uint64_t *)b;
	uint64_t *x = (uint64_t *)a;
	size_t i;

	for (i = 0; i < sizeof(*a) / sizeof(uint64_t); i++)
		x[i] += y[i];
}

static void check_coverage(struct run *r, const struct counts *n)
{
	const struct scenario *sc = r->sc;
	const struct {
		unsigned int need;
		uint64_t got;
		const char *what;
	} paths[] = {
		{ N_THROTTLE, n->throttles, "throttles" },
		{ N_LATE, n->late_ticks, "late ticks" },
		{ N_EARLY, n->early_ticks, "early ticks" },
		{ N_SPURIOUS, n->spurious, "spurious overflows" },
		{ N_HOTPLUG, n->offlines, "offline/online cycles" },
		{ N_LATENCY, n->delayed, "delayed overflow deliveries" },
		{ N_BUDGET, r->cn.budget_changes, "budget changes" },
		{ N_ASSIGN, r->cn.assigns, "assignments" },
		{ N_MODES, r->cn.reclaim_flips && r->cn.sharing_changes, "mode changes" },
		{ N_POOL_EXACT, r->pool_exact, "throttles with an exhausted domain pool" },
		{ N_DONATE, n->donations, "donations" },
		{ N_TAKEBACK, n->takebacks, "take-backs" },
		{ N_BORROW, n->borrows, "borrows" },
		{ N_SPARE, n->spare_releases, "spare releases" },
		{ N_RESTART, n->restarts, "proportional restarts" },
		{ N_MULTIARM, n->multiarm, "multi-arm re-arms" },
		{ N_START_THROTTLE, n->start_throttles, "throttles at period start" },
		{ N_KICK, n->kicks, "kicks" },
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if ((sc->need & paths[i].need) && !paths[i].got)
			violation(r, V_COVERAGE, -1, 0, "no %s (raise -s)", paths[i].what);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned int run_scenario(const struct scenario *sc, uint64_t steps, uint64_t seed)
{
	struct run *r = calloc(1, sizeof(*r));
	struct membw_config cfg;
	pthread_t th[MAX_CPUS], ctl;
	struct counts n;
	size_t size;
	unsigned int i, total = 0;
	double t0;
	int ret;

	if (!r) {
		fprintf(stderr, "stress: out of memory\n");
		exit(2);
	}
	r->sc = sc;
	r->seed = sc->seed ^ seed;
	r->steps = steps;
	r->ncpus = sc->ncpus;
	r->ndomains = sc->ndomains;
	r->nch = sc->channels;
	tb_defaults(&r->tb);
	r->tb.counter_bits = sc->counter_bits;
	r->tb.channels = sc->channels;
	r->tb.line_size = LINE_SIZE;
	membw_config_init(&cfg);
	cfg.ncpus = sc->ncpus;
	cfg.ndomains = sc->ndomains;
	cfg.period_ns = PERIOD_NS;
	cfg.reclaim = sc->reclaim;
	cfg.sharing = sc->sharing;
	r->reclaim = sc->reclaim;
	r->sharing = sc->sharing;
	r->env = (struct membw_env){ .size = sizeof(r->env), .ctx = r, .throttle = on_throttle,
				     .unthrottle = on_unthrottle, .kick_all = on_kick_all,
				     .trace = on_trace };
	size = membw_storage_size(sc->ncpus, sc->ndomains, tb_backend.priv_size);
	r->storage = aligned_alloc(MEMBW_STORAGE_ALIGN, (size + 63) & ~(size_t)63);
	if (!size || !r->storage) {
		fprintf(stderr, "stress: no storage\n");
		exit(2);
	}
	ret = membw_init(&r->m, r->storage, size, &cfg, &tb_backend, &r->tb, &r->env);
	if (ret) {
		fprintf(stderr, "stress: membw_init failed: %d\n", ret);
		exit(2);
	}
	r->crng = seed_for(r->seed, MAX_CPUS);
	r->capblog = sc->ndomains + steps / ROUND_STEPS + 64;
	r->blog = calloc(r->capblog, sizeof(*r->blog));
	if (!r->blog)
		exit(2);
	atomic_store(&r->now, START_EPOCH * PERIOD_NS + below(&r->crng, PERIOD_NS));
	for (i = 0; i < sc->ndomains; i++)
		set_budget(r, i, range(&r->crng, sc->bmin, sc->bmax),
			   r->nch == 2 && sc->write_limited ? range(&r->crng, sc->bmin, sc->bmax)
							  : UNLIM);
	for (i = 0; i < sc->ncpus; i++) {
		r->cpu[i].r = r;
		r->cpu[i].id = i;
		r->cpu[i].rng = seed_for(r->seed, i);
		r->cpu[i].next_tick = UINT64_MAX;
		r->cpu[i].domain = MEMBW_NO_DOMAIN;
		r->last[i].size = sizeof(r->last[i]);
		if (membw_cpu_set_domain(r->m, i, i % sc->ndomains))
			exit(2);
	}

	t0 = seconds();
	for (i = 0; i < sc->ncpus; i++)
		if (pthread_create(&th[i], NULL, cpu_main, &r->cpu[i]))
			exit(2);
	if (pthread_create(&ctl, NULL, control_main, r))
		exit(2);
	for (i = 0; i < sc->ncpus; i++)
		pthread_join(th[i], NULL);
	pthread_join(ctl, NULL);
	t0 = seconds() - t0;

	check_final(r);
	memset(&n, 0, sizeof(n));
	for (i = 0; i < sc->ncpus; i++)
		add_counts(&n, &r->cpu[i].n);
	check_coverage(r, &n);
	for (i = 0; i < NKINDS; i++)
		total += atomic_load(&r->viol[i]);

	if (!quiet) {
		printf("%s %s: %s\n", total ? "FAIL" : "ok  ", sc->name, sc->what);
		printf("  seed %#" PRIx64 ", %u CPU threads + 1 control thread, %" PRIu64
		       " steps per CPU, %" PRIu64 " clock rounds, periods %" PRIu64 "..%" PRIu64
		       ", %.1f s\n", r->seed, sc->ncpus, steps, r->cn.rounds, r->emin, r->emax, t0);
		printf("  calls %" PRIu64 " (trace records %" PRIu64 "): ticks %" PRIu64
		       " (late %" PRIu64 ", missed periods %" PRIu64 ", early/duplicate %" PRIu64
		       "), overflows %" PRIu64 " (delayed %" PRIu64 ", spurious %" PRIu64
		       "), offline/online %" PRIu64 ", contract probes %" PRIu64 "\n",
		       n.calls, n.events, n.ticks, n.late_ticks, n.missed, n.early_ticks,
		       n.overflows, n.delayed, n.spurious, n.offlines, n.probes);
		printf("  throttles %" PRIu64 " (at period start %" PRIu64 "), unthrottles %" PRIu64
		       ", pool grants %" PRIu64 ", multi-arm re-arms %" PRIu64 "\n", n.throttles,
		       n.start_throttles, n.unthrottles, n.pool_grants, n.multiarm);
		printf("  reclaim: shares %" PRIu64 ", donations %" PRIu64 ", take-backs %" PRIu64
		       " (with shortfall %" PRIu64 "), borrows %" PRIu64 "\n",
		       n.shares, n.donations, n.takebacks, n.shortfalls, n.borrows);
		printf("  sharing: kick_all %" PRIu64 ", spare release-alls %" PRIu64
		       " (CPUs released %" PRIu64 "), proportional restarts %" PRIu64
		       ", kicks answered %" PRIu64 " (of which started a new period %" PRIu64 ")"
		       ", periods with both a release-all and a restart (mode change) %" PRIu64
		       "\n",
		       n.kick_alls, n.release_all, n.spare_releases, n.restarts, n.kicks,
		       n.kick_rollovers, r->kick_mixed);
		printf("  control: budget changes %" PRIu64 ", assignments %" PRIu64
		       ", reclaim flips %" PRIu64 ", sharing changes %" PRIu64 ", refused changes %"
		       PRIu64 ", stats reads %" PRIu64 ", getter reads %" PRIu64 "\n",
		       r->cn.budget_changes, r->cn.assigns, r->cn.reclaim_flips,
		       r->cn.sharing_changes, r->cn.refused, r->cn.stats_reads, r->cn.getter_reads);
		printf("  global checks: domain-pool periods %" PRIu64
		       " (throttled with exhausted pool %" PRIu64
		       ", throttles excused: late period %" PRIu64 ", own budget 0 %" PRIu64
		       ", too many budgets %" PRIu64 "), reclaim-pool periods %" PRIu64 "\n",
		       r->pool_checked, r->pool_exact, r->pool_excused, r->pool_excused_zero,
		       r->pool_many, r->reclaim_checked);
		for (i = 0; i < NKINDS; i++) {
			unsigned int v = atomic_load(&r->viol[i]);

			if (v)
				printf("  violated %-16s %6u times: %s\n", kind_name[i], v,
				       kind_text[i]);
		}
		fflush(stdout);
	}

	for (i = 0; i < sc->ncpus; i++) {
		free(r->cpu[i].rec);
		free(r->cpu[i].kickep);
	}
	free(r->blog);
	free(r->storage);
	free(r);
	return total;
}

int main(int argc, char **argv)
{
	uint64_t steps = DEFAULT_STEPS, seed = 0;
	const char *only = NULL;
	unsigned int failed = 0, ran = 0;
	size_t i;
	double t0 = seconds();
	int opt;

	while ((opt = getopt(argc, argv, "s:S:n:lqh")) != -1) {
		switch (opt) {
		case 's':
			steps = strtoull(optarg, NULL, 0);
			break;
		case 'S':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			only = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'l':
			for (i = 0; i < NSCENARIOS; i++)
				printf("%-16s seed %#" PRIx64 "  %s\n", scenarios[i].name,
				       scenarios[i].seed, scenarios[i].what);
			return 0;
		default:
			fprintf(stderr, "usage: %s [-s steps] [-S seed] [-n name] [-l] [-q]\n",
				argv[0]);
			return 2;
		}
	}
	if (steps < ROUND_STEPS) {
		fprintf(stderr, "stress: -s must be at least %u\n", ROUND_STEPS);
		return 2;
	}
	for (i = 0; i < NSCENARIOS; i++) {
		unsigned int v;

		if (only && !strstr(scenarios[i].name, only))
			continue;
		v = run_scenario(&scenarios[i], steps, seed);
		ran++;
		if (v)
			failed++;
	}
	if (!ran) {
		fprintf(stderr, "stress: no scenario matches '%s'\n", only);
		return 2;
	}
	printf("%s stress: %u scenarios, %" PRIu64 " steps per CPU thread, %u failed, %.1f s\n",
	       failed ? "FAIL" : "PASS", ran, steps, failed, seconds() - t0);
	return failed ? 1 : 0;
}
