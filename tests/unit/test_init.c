/* SPDX-License-Identifier: MIT */
/* Creating a policy: storage sizing and validation of everything membw_init() is handed. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static struct fx f;
static struct membw_backend be;
static _Alignas(64) unsigned char storage[1 << 16];

static int init_with(const struct membw_config *cfg, const struct membw_backend *b,
		     const struct membw_env *env)
{
	struct membw *m = (struct membw *)(uintptr_t)0x1234;
	int err = membw_init(&m, storage, sizeof(storage), cfg, b, &f.tb, env);

	/* "On error *out is unchanged" */
	if (err)
		CU_ASSERT_PTR_EQUAL(m, (struct membw *)(uintptr_t)0x1234);
	return err;
}

static void setup(void)
{
	fx_config(&f, 4, 2);
	be = tb_backend;
}

static void test_storage_size_function_matches_macro(void)
{
	CU_ASSERT_EQUAL(membw_storage_size(4, 2, 100), MEMBW_STORAGE_SIZE(4, 2, 100));
	CU_ASSERT_EQUAL(membw_storage_size(1024, 8, 0), MEMBW_STORAGE_SIZE(1024, 8, 0));
	/* header + 4 * (512 + 128) + 2 * 128 */
	CU_ASSERT_EQUAL(MEMBW_STORAGE_SIZE(4, 2, 100), 640u + 4 * (512 + 128) + 2 * 128);
}

static void test_storage_size_refuses_impossible_counts(void)
{
	CU_ASSERT_EQUAL(membw_storage_size(0, 1, 0), 0);
	CU_ASSERT_EQUAL(membw_storage_size(MEMBW_MAX_CPUS + 1, 1, 0), 0);
	CU_ASSERT_EQUAL(membw_storage_size(1, MEMBW_MAX_DOMAINS + 1, 0), 0);
}

static void test_defaults(void)
{
	struct membw_config cfg;

	membw_config_init(&cfg);
	CU_ASSERT_EQUAL(cfg.size, sizeof(cfg));
	CU_ASSERT_EQUAL(cfg.period_ns, 1000000);
	CU_ASSERT_EQUAL(cfg.levels, MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL);
	CU_ASSERT_EQUAL(cfg.sharing, MEMBW_SHARE_NONE);
	CU_ASSERT_EQUAL(cfg.reclaim, 0);
	CU_ASSERT_EQUAL(cfg.ncpus, 1);
}

static void test_good_config_is_accepted(void)
{
	setup();
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), 0);
}

#define BAD_CONFIG(field, value)                                                                  \
	do {                                                                                      \
		setup();                                                                          \
		f.cfg.field = value;                                                              \
		CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);                   \
	} while (0)

static void test_bad_config_fields(void)
{
	BAD_CONFIG(ncpus, 0);
	BAD_CONFIG(ncpus, MEMBW_MAX_CPUS + 1);
	BAD_CONFIG(ndomains, MEMBW_MAX_DOMAINS + 1);
	BAD_CONFIG(period_ns, MEMBW_PERIOD_MIN_NS - 1);
	BAD_CONFIG(period_ns, MEMBW_PERIOD_MAX_NS + 1);
	BAD_CONFIG(sharing, 3);
	BAD_CONFIG(reclaim, 2);
	BAD_CONFIG(levels, 0);
	BAD_CONFIG(levels, 1u << 3);
	BAD_CONFIG(chunk_divisor, 0);
	BAD_CONFIG(chunk_divisor, 65);
	BAD_CONFIG(min_chunk_events, 0);
	BAD_CONFIG(min_chunk_events, (1u << 20) + 1);
	BAD_CONFIG(size, sizeof(struct membw_config) - 1);
}

static void test_period_limits_are_inclusive(void)
{
	setup();
	f.cfg.period_ns = MEMBW_PERIOD_MIN_NS;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), 0);
	setup();
	f.cfg.period_ns = MEMBW_PERIOD_MAX_NS;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), 0);
}

static void test_longer_config_needs_zero_tail(void)
{
	struct {
		struct membw_config cfg;
		uint64_t future;
	} longer;

	setup();
	memset(&longer, 0, sizeof(longer));
	longer.cfg = f.cfg;
	longer.cfg.size = sizeof(longer);
	CU_ASSERT_EQUAL(init_with(&longer.cfg, &be, &f.env), 0);
	longer.future = 1;
	CU_ASSERT_EQUAL(init_with(&longer.cfg, &be, &f.env), -MEMBW_EINVAL);
}

static void test_storage_checks(void)
{
	struct membw *m = NULL;
	size_t need;

	setup();
	need = membw_storage_size(f.cfg.ncpus, f.cfg.ndomains, be.priv_size);
	CU_ASSERT_EQUAL(membw_init(&m, storage, need - 1, &f.cfg, &be, &f.tb, &f.env),
			-MEMBW_ENOSPC);
	CU_ASSERT_EQUAL(membw_init(&m, storage + 8, need, &f.cfg, &be, &f.tb, &f.env),
			-MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_init(&m, storage, need, &f.cfg, &be, &f.tb, &f.env), 0);
	CU_ASSERT_PTR_NOT_NULL(m);
}

static void test_null_arguments(void)
{
	struct membw *m = NULL;

	setup();
	CU_ASSERT_EQUAL(membw_init(NULL, storage, sizeof(storage), &f.cfg, &be, &f.tb, &f.env),
			-MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_init(&m, NULL, sizeof(storage), &f.cfg, &be, &f.tb, &f.env),
			-MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_init(&m, storage, sizeof(storage), NULL, &be, &f.tb, &f.env),
			-MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_init(&m, storage, sizeof(storage), &f.cfg, NULL, &f.tb, &f.env),
			-MEMBW_EINVAL);
	CU_ASSERT_EQUAL(membw_init(&m, storage, sizeof(storage), &f.cfg, &be, &f.tb, NULL),
			-MEMBW_EINVAL);
}

static void test_backend_checked_at_registration(void)
{
	setup();
	be.abi_version = MEMBW_BACKEND_ABI_VERSION + 1;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.size = offsetof(struct membw_backend, stop);
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.reserved = 1;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.name = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.probe = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.cpu_init = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.arm = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.read = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	be.stop = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
}

static void test_env_checked_at_registration(void)
{
	setup();
	f.env.throttle = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	f.env.unthrottle = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	f.env.kick_all = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), 0);
	f.cfg.sharing = MEMBW_SHARE_SPARE;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);
	setup();
	f.env.trace = NULL;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), 0);
}

static void test_probe_refusal_passes_through(void)
{
	setup();
	f.tb.probe_err = -MEMBW_ENODEV;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_ENODEV);
}

#define BAD_PROBE(field, value)                                                                   \
	do {                                                                                      \
		setup();                                                                          \
		f.tb.field = value;                                                               \
		CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EINVAL);                   \
	} while (0)

static void test_impossible_probe_facts_refused(void)
{
	BAD_PROBE(channels, 0);
	BAD_PROBE(channels, 3);
	BAD_PROBE(counter_bits, 7);
	BAD_PROBE(counter_bits, 65);
	BAD_PROBE(line_size, 4);
	BAD_PROBE(line_size, 48);
	BAD_PROBE(line_size, 8192);
	BAD_PROBE(levels, 1u << 5);
}

static void test_levels_the_backend_cannot_count(void)
{
	setup();
	f.tb.levels = MEMBW_COUNT_USER;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), -MEMBW_EOPNOTSUPP);
	f.cfg.levels = MEMBW_COUNT_USER;
	CU_ASSERT_EQUAL(init_with(&f.cfg, &be, &f.env), 0);
}

static void test_getters_report_what_was_set(void)
{
	struct membw_backend_info info = { .size = sizeof(info) };
	struct membw_config cfg = { .size = sizeof(cfg) };

	fx_config(&f, 3, 1);
	f.tb.counter_bits = 48;
	f.tb.line_size = 128;
	f.cfg.period_ns = 2000000;
	f.cfg.reclaim = 1;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL(membw_get_backend_info(f.m, &info), 0);
	CU_ASSERT_EQUAL(info.counter_bits, 48);
	CU_ASSERT_EQUAL(info.line_size, 128);
	CU_ASSERT_EQUAL(info.channels, 2);
	CU_ASSERT_EQUAL(membw_get_config(f.m, &cfg), 0);
	CU_ASSERT_EQUAL(cfg.ncpus, 3);
	CU_ASSERT_EQUAL(cfg.period_ns, 2000000);
	CU_ASSERT_EQUAL(cfg.reclaim, 1);
	CU_ASSERT_EQUAL(membw_set_reclaim(f.m, 0), 0);
	CU_ASSERT_EQUAL(membw_get_config(f.m, &cfg), 0);
	CU_ASSERT_EQUAL(cfg.reclaim, 0);
	info.size = 4;
	CU_ASSERT_EQUAL(membw_get_backend_info(f.m, &info), -MEMBW_EINVAL);
	fx_stop(&f);
}

static void test_cpu_init_gets_events_and_levels(void)
{
	fx_config(&f, 2, 0);
	f.cfg.levels = MEMBW_COUNT_ALL;
	f.cfg.event[MEMBW_CH_READ] = 0x17;
	f.cfg.event[MEMBW_CH_WRITE] = 0x18;
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_EQUAL_FATAL(fx_online_all(&f), 0);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->inits, 1);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->cpu, 1);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->setup.levels, MEMBW_COUNT_ALL);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->setup.event[MEMBW_CH_READ], 0x17);
	CU_ASSERT_EQUAL(tb_cpu(f.m, 1)->setup.event[MEMBW_CH_WRITE], 0x18);
	fx_stop(&f);
}

static void test_priv_is_per_cpu_and_aligned(void)
{
	fx_config(&f, 3, 0);
	CU_ASSERT_EQUAL_FATAL(fx_start(&f), 0);
	CU_ASSERT_PTR_NOT_EQUAL(membw_cpu_get_priv(f.m, 0), membw_cpu_get_priv(f.m, 1));
	CU_ASSERT_EQUAL((uintptr_t)membw_cpu_get_priv(f.m, 2) % 16, 0);
	CU_ASSERT_PTR_NULL(membw_cpu_get_priv(f.m, 3));
	fx_stop(&f);
}

static void test_strerror(void)
{
	CU_ASSERT_STRING_EQUAL(membw_strerror(0), "success");
	CU_ASSERT_STRING_EQUAL(membw_strerror(-MEMBW_EINVAL), "invalid argument");
	CU_ASSERT_STRING_EQUAL(membw_strerror(MEMBW_ENODEV), membw_strerror(-MEMBW_ENODEV));
	CU_ASSERT_STRING_EQUAL(membw_strerror(-9999), "unknown error");
}

int suite_init(void)
{
	CU_pSuite s = CU_add_suite("init", NULL, NULL);

	if (!s || !CU_add_test(s, "storage size function = macro", test_storage_size_function_matches_macro) ||
	    !CU_add_test(s, "storage size refuses", test_storage_size_refuses_impossible_counts) ||
	    !CU_add_test(s, "config defaults", test_defaults) ||
	    !CU_add_test(s, "good config", test_good_config_is_accepted) ||
	    !CU_add_test(s, "bad config fields", test_bad_config_fields) ||
	    !CU_add_test(s, "period limits inclusive", test_period_limits_are_inclusive) ||
	    !CU_add_test(s, "longer config", test_longer_config_needs_zero_tail) ||
	    !CU_add_test(s, "storage checks", test_storage_checks) ||
	    !CU_add_test(s, "NULL arguments", test_null_arguments) ||
	    !CU_add_test(s, "backend checked", test_backend_checked_at_registration) ||
	    !CU_add_test(s, "env checked", test_env_checked_at_registration) ||
	    !CU_add_test(s, "probe refusal", test_probe_refusal_passes_through) ||
	    !CU_add_test(s, "impossible probe facts", test_impossible_probe_facts_refused) ||
	    !CU_add_test(s, "levels not countable", test_levels_the_backend_cannot_count) ||
	    !CU_add_test(s, "getters", test_getters_report_what_was_set) ||
	    !CU_add_test(s, "cpu_init gets setup", test_cpu_init_gets_events_and_levels) ||
	    !CU_add_test(s, "priv per CPU", test_priv_is_per_cpu_and_aligned) ||
	    !CU_add_test(s, "strerror", test_strerror))
		return -1;
	return 0;
}
