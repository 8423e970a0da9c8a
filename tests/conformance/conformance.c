/* SPDX-License-Identifier: MIT */
/*
 * The conformance suite (contract in conformance.h). Each test starts from a fresh CPU state:
 * probe, cpu_init on CPU 0, then arms, counts and reads through the backend's own hooks. Golden
 * values come from the counting model of include/membw/backend.h: arm(n) presets 2^w - n.
 *
 * The bodies are written in tests/support/check.h's CHECK, CHECK_EQ and SKIP (never CHECK_FATAL,
 * which bare metal has not) and need nothing from libc, so the same file runs hosted under CUnit
 * and on bare metal (tests/qemu).
 */
#include "check.h"
#include "conformance.h"

/* The driver of the suite running now. */
static const struct membw_conformance_driver *drv;

static struct membw_backend_info info;
/* The CPU's private state; big enough for every backend we have (checked in fresh()). */
static _Alignas(16) unsigned char priv_storage[1024];
static void *const priv = priv_storage;
static uint64_t mask; /* 2^w - 1 */
static bool live;     /* cpu_init succeeded and no cpu_exit since */

void conformance_use(const struct membw_conformance_driver *d)
{
	drv = d;
}

const struct membw_conformance_driver *conformance_driver(void)
{
	return drv;
}

/* Fresh state: probe, then cpu_init on CPU 0 counting @levels (0: user and kernel, or whatever
 * the backend can count). False (with a failed assertion) if the backend refuses or the state
 * does not fit. */
static bool fresh_at(uint32_t levels)
{
	struct membw_counter_setup setup = { .size = sizeof(setup) };
	unsigned int i;
	int err;

	for (i = 0; i < sizeof(info); i++)
		((unsigned char *)&info)[i] = 0;
	info.size = sizeof(info);
	err = drv->backend->probe(drv->backend_ctx, &info);
	if (!CHECK(err == 0, "probe accepts the counters (got %d)", err))
		return false;
	mask = info.counter_bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << info.counter_bits) - 1;
	if (!CHECK(drv->backend->priv_size <= sizeof(priv_storage),
		   "priv_size %u fits the suite's %u bytes", (unsigned int)drv->backend->priv_size,
		   (unsigned int)sizeof(priv_storage)))
		return false;
	for (i = 0; i < sizeof(priv_storage); i++)
		priv_storage[i] = 0;
	setup.levels = levels ? levels : info.levels & (MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL);
	if (!setup.levels)
		setup.levels = info.levels;
	for (i = 0; i < MEMBW_NCHANNELS; i++)
		setup.event[i] = drv->event[i];
	err = drv->backend->cpu_init(drv->backend_ctx, 0, priv, &setup);
	live = err == 0;
	return CHECK(err == 0, "cpu_init on CPU 0 accepts the events and levels 0x%x (got %d)",
		     setup.levels, err);
}

static bool fresh(void)
{
	return fresh_at(0);
}

void conformance_release(void)
{
	const struct membw_backend *b = drv->backend;
	unsigned int ch;

	if (!live)
		return;
	live = false;
	for (ch = 0; ch < info.channels && ch < MEMBW_NCHANNELS; ch++)
		b->stop(priv, ch);
	if (b->abi_version >= 2 && b->cpu_exit)
		b->cpu_exit(drv->backend_ctx, 0, priv);
}

void *conformance_fresh(struct membw_backend_info *out, uint64_t *out_mask)
{
	if (!fresh())
		return NULL;
	*out = info;
	*out_mask = mask;
	return priv;
}

static uint64_t rd(unsigned int ch)
{
	uint64_t v = ~(uint64_t)0;

	CHECK_EQ(drv->backend->read(priv, ch, &v), 0, "read(channel %u) succeeds", ch);
	return v;
}

/* Make exactly @n events happen on channel @ch. False, with the running test skipped, if the
 * driver cannot (no `count` hook, or it refuses: too many, or events it cannot make exactly). */
static bool made(unsigned int ch, uint64_t n)
{
	if (drv->count && drv->count(drv->ctx, 0, priv, ch, n) == 0)
		return true;
	SKIP("the driver cannot make exactly %llu events happen%s%s", (unsigned long long)n,
	     drv->no_exact_why ? ": " : "", drv->no_exact_why ? drv->no_exact_why : "");
	return false;
}

static uint64_t ovf(unsigned int ch)
{
	return drv->overflows(drv->ctx, 0, priv, ch);
}

/* 2^w - n, the preset of arm(n), modulo 2^w. */
static uint64_t preset(uint64_t n)
{
	return (mask - n + 1) & mask;
}

static void test_probe_reports_possible_facts(void)
{
	if (!fresh())
		return;
	CHECK(info.channels == 1 || info.channels == 2, "channels is 1 or 2 (got %u)",
	      info.channels);
	CHECK(info.counter_bits >= 8 && info.counter_bits <= 64,
	      "counter_bits is 8..64 (got %u)", info.counter_bits);
	CHECK(info.line_size >= 8 && info.line_size <= 4096, "line_size is 8..4096 (got %u)",
	      info.line_size);
	CHECK_EQ(info.line_size & (info.line_size - 1), 0, "line_size %u is a power of two",
		 info.line_size);
	CHECK(info.levels != 0, "at least one privilege level can be counted");
	CHECK_EQ(info.levels & ~(uint32_t)MEMBW_COUNT_ALL, 0,
		 "levels has only MEMBW_COUNT_* bits (0x%x)", info.levels);
}

static void test_probe_refuses_absent_hardware(void)
{
	struct membw_backend_info absent = { .size = sizeof(absent) };
	int err;

	if (!drv->set_absent) {
		SKIP("the driver cannot make the counters absent");
		return;
	}
	drv->set_absent(drv->ctx, true);
	err = drv->backend->probe(drv->backend_ctx, &absent);
	drv->set_absent(drv->ctx, false);
	CHECK(err == -MEMBW_ENODEV || err == -MEMBW_EOPNOTSUPP,
	      "probe refuses absent counters with -ENODEV or -EOPNOTSUPP (got %d)", err);
	CHECK_EQ(drv->backend->probe(drv->backend_ctx, &absent), 0,
		 "probe accepts again once the counters are back");
}

static void test_arm_presets_two_to_the_w_minus_n(void)
{
	if (!fresh())
		return;
	CHECK_EQ(drv->backend->arm(priv, MEMBW_CH_READ, 1000), 0, "arm(1000) succeeds");
	CHECK_EQ(rd(MEMBW_CH_READ), preset(1000), "arm(1000) presets 2^w - 1000");
}

static void test_counts_exactly(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 1000);
	if (!made(MEMBW_CH_READ, 100))
		return;
	CHECK_EQ(rd(MEMBW_CH_READ), preset(900),
		 "after arm(1000) and 100 events the counter reads 2^w - 900");
	if (!made(MEMBW_CH_READ, 250))
		return;
	CHECK_EQ(rd(MEMBW_CH_READ), preset(650),
		 "after arm(1000) and 350 events the counter reads 2^w - 650");
}

static void test_no_overflow_one_event_short(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	if (!made(MEMBW_CH_READ, 99))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 0, "no overflow interrupt after arm(100) and 99 events");
}

static void test_overflow_with_the_nth_event(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	if (!made(MEMBW_CH_READ, 99))
		return;
	if (!made(MEMBW_CH_READ, 1))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 1, "one overflow interrupt with the 100th event after arm(100)");
	CHECK_EQ(rd(MEMBW_CH_READ), 0, "2^w - 100 + 100 events wraps the counter to 0");
}

static void test_counts_on_past_the_wrap(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	if (!made(MEMBW_CH_READ, 105))
		return;
	CHECK_EQ(rd(MEMBW_CH_READ), 5, "the raw counter reads 5 after 105 events past arm(100)");
	CHECK_EQ(ovf(MEMBW_CH_READ), 1, "one overflow interrupt for one wrap");
}

static void test_rearm_presets_again(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	if (!made(MEMBW_CH_READ, 100))
		return;
	CHECK_EQ(drv->backend->arm(priv, MEMBW_CH_READ, 50), 0, "re-arm(50) succeeds");
	CHECK_EQ(rd(MEMBW_CH_READ), preset(50), "re-arm(50) presets 2^w - 50");
	if (!made(MEMBW_CH_READ, 49))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 1, "no second overflow 49 events after re-arm(50)");
	if (!made(MEMBW_CH_READ, 1))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 2, "the second overflow comes with the 50th event");
}

static void test_arm_one_overflows_at_once(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 1);
	CHECK_EQ(rd(MEMBW_CH_READ), mask, "arm(1) presets 2^w - 1");
	if (!made(MEMBW_CH_READ, 1))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 1, "arm(1) overflows with the next event");
}

static void test_full_range_arm(void)
{
	if (!fresh())
		return;
	CHECK_EQ(drv->backend->arm(priv, MEMBW_CH_READ, mask), 0,
		 "arm(2^w - 1), the largest the contract allows, succeeds");
	CHECK_EQ(rd(MEMBW_CH_READ), 1, "arm(2^w - 1) presets 1");
	if (!made(MEMBW_CH_READ, mask - 1))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 0, "no overflow after 2^w - 2 events");
	CHECK_EQ(rd(MEMBW_CH_READ), mask, "the counter reads 2^w - 1 after 2^w - 2 events");
	if (!made(MEMBW_CH_READ, 1))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 1, "the overflow comes with event 2^w - 1");
}

static void test_stopped_counter_does_not_count(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 1000);
	if (!made(MEMBW_CH_READ, 10))
		return;
	drv->backend->stop(priv, MEMBW_CH_READ);
	if (!made(MEMBW_CH_READ, 500))
		return;
	CHECK_EQ(rd(MEMBW_CH_READ), preset(990),
		 "a counter stopped after 10 events still reads 2^w - 1000 + 10");
}

static void test_stopped_counter_raises_nothing(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 10);
	if (!made(MEMBW_CH_READ, 5))
		return;
	drv->backend->stop(priv, MEMBW_CH_READ);
	if (!made(MEMBW_CH_READ, 100))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 0, "a stopped counter raises no overflow interrupt");
}

static void test_arm_after_stop_counts_again(void)
{
	if (!fresh())
		return;
	drv->backend->arm(priv, MEMBW_CH_READ, 10);
	drv->backend->stop(priv, MEMBW_CH_READ);
	CHECK_EQ(drv->backend->arm(priv, MEMBW_CH_READ, 20), 0, "arm(20) after stop succeeds");
	if (!made(MEMBW_CH_READ, 19))
		return;
	CHECK_EQ(rd(MEMBW_CH_READ), preset(1), "19 events after arm(20) read 2^w - 1");
	if (!made(MEMBW_CH_READ, 1))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 1, "the 20th event after arm(20) overflows");
}

static void test_two_counters_count_independently(void)
{
	if (!fresh())
		return;
	if (info.channels < 2) {
		SKIP("the backend has one channel");
		return;
	}
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	drv->backend->arm(priv, MEMBW_CH_WRITE, 200);
	if (!made(MEMBW_CH_READ, 100))
		return;
	CHECK_EQ(ovf(MEMBW_CH_READ), 1, "the read channel overflows after its 100 events");
	CHECK_EQ(ovf(MEMBW_CH_WRITE), 0, "read events do not overflow the write channel");
	CHECK_EQ(rd(MEMBW_CH_WRITE), preset(200), "read events leave the write channel at 2^w - 200");
	if (!made(MEMBW_CH_WRITE, 199))
		return;
	CHECK_EQ(ovf(MEMBW_CH_WRITE), 0, "no write overflow after 199 of 200 events");
	if (!made(MEMBW_CH_WRITE, 1))
		return;
	CHECK_EQ(ovf(MEMBW_CH_WRITE), 1, "the write channel overflows with its 200th event");
	CHECK_EQ(rd(MEMBW_CH_READ), 0, "write events leave the read channel at 0");
}

static void test_stopping_one_counter_leaves_the_other(void)
{
	if (!fresh())
		return;
	if (info.channels < 2) {
		SKIP("the backend has one channel");
		return;
	}
	drv->backend->arm(priv, MEMBW_CH_READ, 100);
	drv->backend->arm(priv, MEMBW_CH_WRITE, 100);
	drv->backend->stop(priv, MEMBW_CH_READ);
	if (!made(MEMBW_CH_WRITE, 30))
		return;
	CHECK_EQ(rd(MEMBW_CH_WRITE), preset(70),
		 "stopping the read channel leaves the write channel counting: 2^w - 100 + 30");
}

/* The levels the filter facts select one at a time: the two every counting backend can tell
 * apart (backend.h, MEMBW_COUNT_*). */
static const struct {
	uint32_t bit;
	const char *name;
} filter_levels[] = {
	{ MEMBW_COUNT_USER, "user (EL0, ring 3)" },
	{ MEMBW_COUNT_KERNEL, "kernel (EL1, ring 0)" },
};
#define NFILTER_LEVELS (sizeof(filter_levels) / sizeof(filter_levels[0]))

/* Events made per level in the filter facts. */
#define FILTER_EVENTS 100u

/* Make exactly @n events at @level on the read channel; false if the driver cannot. */
static bool made_at(uint32_t level, uint64_t n)
{
	return drv->count_at && drv->count_at(drv->ctx, 0, priv, MEMBW_CH_READ, level, n) == 0;
}

static void skip_no_level(const char *what)
{
	SKIP("the driver cannot make events at a chosen level%s%s%s", what,
	     drv->no_level_why ? ": " : "", drv->no_level_why ? drv->no_level_why : "");
}

/* With the counter set up for one level only, events made at every other level the backend can
 * select add nothing. */
static void test_filter_excludes_other_levels(void)
{
	unsigned int a, b, pairs = 0;
	uint32_t selectable;

	if (!drv->count_at) {
		skip_no_level("");
		return;
	}
	if (!fresh())
		return;
	selectable = info.levels;
	for (a = 0; a < NFILTER_LEVELS; a++) {
		if (!(selectable & filter_levels[a].bit))
			continue;
		conformance_release();
		if (!fresh_at(filter_levels[a].bit))
			return;
		CHECK_EQ(drv->backend->arm(priv, MEMBW_CH_READ, 1000), 0, "arm(1000) succeeds");
		for (b = 0; b < NFILTER_LEVELS; b++) {
			if (b == a || !(selectable & filter_levels[b].bit) ||
			    !made_at(filter_levels[b].bit, FILTER_EVENTS))
				continue;
			pairs++;
			CHECK_EQ(rd(MEMBW_CH_READ), preset(1000),
				 "counting %s only, %u events at %s add nothing: the counter still "
				 "reads 2^w - 1000", filter_levels[a].name, FILTER_EVENTS,
				 filter_levels[b].name);
		}
		CHECK_EQ(ovf(MEMBW_CH_READ), 0, "events at other levels raise no overflow interrupt");
	}
	if (!pairs)
		skip_no_level(" other than the counted one");
}

/* With the counter set up for one level only, events made at that level are counted exactly. */
static void test_filter_counts_its_level(void)
{
	unsigned int a, levels = 0;

	if (!drv->count_at) {
		skip_no_level("");
		return;
	}
	if (!fresh())
		return;
	for (a = 0; a < NFILTER_LEVELS; a++) {
		uint32_t level = filter_levels[a].bit;

		if (!(info.levels & level))
			continue;
		conformance_release();
		if (!fresh_at(level))
			return;
		CHECK_EQ(drv->backend->arm(priv, MEMBW_CH_READ, 1000), 0, "arm(1000) succeeds");
		if (!made_at(level, FILTER_EVENTS))
			continue;
		levels++;
		CHECK_EQ(rd(MEMBW_CH_READ), preset(1000 - FILTER_EVENTS),
			 "counting %s only, %u events at that level are counted: 2^w - 1000 + %u",
			 filter_levels[a].name, FILTER_EVENTS, FILTER_EVENTS);
	}
	if (!levels)
		skip_no_level(" the backend can select");
}

/*
 * ABI version 3 (backend.h): a channel's direct reader returns what read would, and leaves what
 * rearm counts from. Between a read and the direct read 20 events, after it 7: rearm(50) from the
 * direct read presets 2^w - 43 (from the read before it: 2^w - 23). A backend may refuse the
 * reader for a channel; one without the hook is skipped (the policy calls its read).
 */
static void test_direct_reader_is_read(void)
{
	const struct membw_backend *b = drv->backend;
	struct membw_direct_reader r;
	unsigned int ch, handed = 0;

	if (!fresh())
		return;
	if (b->abi_version < 3 || !b->direct_reader) {
		SKIP("the backend hands no direct reader (ABI version %u): the policy calls its read",
		     b->abi_version);
		return;
	}
	for (ch = 0; ch < info.channels && ch < MEMBW_NCHANNELS; ch++) {
		r.read = NULL;
		r.ctx = NULL;
		if (b->direct_reader(priv, ch, &r) != 0 || !r.read)
			continue;
		handed++;
		CHECK_EQ(b->arm(priv, ch, 1000), 0, "arm(1000) of channel %u succeeds", ch);
		if (!made(ch, 100))
			return;
		CHECK_EQ(rd(ch), preset(900), "read of channel %u: 2^w - 900 after 100 events", ch);
		if (!made(ch, 20))
			return;
		CHECK_EQ(r.read(r.ctx), preset(880),
			 "the direct reader of channel %u: 2^w - 880 after 120 events", ch);
		if (b->abi_version < 2 || !b->rearm)
			continue;
		if (!made(ch, 7))
			return;
		CHECK_EQ(b->rearm(priv, ch, 50), 0, "rearm(50) of channel %u succeeds", ch);
		CHECK_EQ(rd(ch), preset(43),
			 "rearm(50) of channel %u counts from the direct read: 7 events since, "
			 "2^w - 43", ch);
	}
	if (!handed)
		SKIP("the backend refused a direct reader for every channel (allowed)");
}

const struct conformance_test conformance_tests[] = {
	{ "probe reports possible facts", test_probe_reports_possible_facts },
	{ "probe refuses absent hardware", test_probe_refuses_absent_hardware },
	{ "arm(n) presets 2^w - n", test_arm_presets_two_to_the_w_minus_n },
	{ "counts exactly", test_counts_exactly },
	{ "no overflow one event short", test_no_overflow_one_event_short },
	{ "overflow with the n-th event", test_overflow_with_the_nth_event },
	{ "counts on past the wrap", test_counts_on_past_the_wrap },
	{ "re-arm presets again", test_rearm_presets_again },
	{ "arm(1) overflows with the next event", test_arm_one_overflows_at_once },
	{ "arm(2^w - 1), the full range", test_full_range_arm },
	{ "stopped counter does not count", test_stopped_counter_does_not_count },
	{ "stopped counter raises nothing", test_stopped_counter_raises_nothing },
	{ "arm after stop counts again", test_arm_after_stop_counts_again },
	{ "two counters count independently", test_two_counters_count_independently },
	{ "stopping one counter leaves the other", test_stopping_one_counter_leaves_the_other },
	{ "filter excludes other levels", test_filter_excludes_other_levels },
	{ "filter counts its level", test_filter_counts_its_level },
	{ "direct reader reads what read reads", test_direct_reader_is_read },
};
const unsigned int conformance_ntests = sizeof(conformance_tests) / sizeof(conformance_tests[0]);
