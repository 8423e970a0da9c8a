/* SPDX-License-Identifier: MIT */
/*
 * Scenario files: the shipped ones load as documented; every kind of bad input is refused with an
 * error naming file, line and what was expected, and a refused file changes nothing.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "check.h"
#include "experiment.h"
#include "scenario.h"

static struct scenario sc;
static char err[SCENARIO_ERR_MAX];

/* Load @text as "t.ini"; returns the result. */
static int load(const char *text)
{
	return scenario_load_string("t.ini", ".", text, &sc, err, sizeof(err));
}

/* @text is refused and the message contains @where and @what. */
static void refused(const char *text, const char *where, const char *what)
{
	int ret = load(text);

	CU_ASSERT_NOT_EQUAL(ret, 0);
	if (!strstr(err, where) || !strstr(err, what))
		printf("\n    for:\n%s    message was: %s ", text, ret ? err : "(accepted)");
	CU_ASSERT_PTR_NOT_NULL(strstr(err, where));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, what));
	if (!ret)
		scenario_free(&sc);
}

static const char *const minimal = "[core 0]\nphase = read 1GB/s 1ms\n";

static void test_default_scenario_loads_as_documented(void)
{
	CU_ASSERT_EQUAL_FATAL(scenario_load_file("scenarios/default.ini", &sc, err, sizeof(err)),
			      0);
	CU_ASSERT_EQUAL(sc.ncores, 4);
	CU_ASSERT_EQUAL(sc.sim.peak_bps, 6000000000ull);
	CU_ASSERT_EQUAL(sc.sim.guaranteed_bps, 1200000000ull);
	CU_ASSERT_EQUAL(sc.sim.period_ns, 1000000);
	CU_ASSERT_EQUAL(sc.core[0].budget[MEMBW_CH_READ], 600000000ull);
	CU_ASSERT_EQUAL(sc.core[3].budget[MEMBW_CH_READ], 100000000ull);
	CU_ASSERT_PTR_EQUAL(sc.core[1].phases, sc.core[3].phases);
	/* MemGuard's rule: 600 + 3 x 100 MB/s within the guaranteed 1.2 GB/s */
	CU_ASSERT_TRUE(scenario_budget_sum(&sc, MEMBW_CH_READ) <= sc.sim.guaranteed_bps);
	scenario_free(&sc);
}

static void test_vm_scenario_has_two_domains_of_two(void)
{
	CU_ASSERT_EQUAL_FATAL(scenario_load_file("scenarios/vm.ini", &sc, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(sc.ndomains, 2);
	CU_ASSERT_EQUAL(sc.core[0].domain, 0);
	CU_ASSERT_EQUAL(sc.core[1].domain, 0);
	CU_ASSERT_EQUAL(sc.core[2].domain, 1);
	CU_ASSERT_EQUAL(sc.core[3].domain, 1);
	scenario_free(&sc);
}

static void test_mixed_scenario_loads_its_trace(void)
{
	CU_ASSERT_EQUAL_FATAL(scenario_load_file("scenarios/mixed.ini", &sc, err, sizeof(err)), 0);
	/* scenarios/trace-example.csv has 4 rows */
	CU_ASSERT_EQUAL(sc.core[3].nphases, 4);
	CU_ASSERT_EQUAL(sc.core[2].budget[MEMBW_CH_WRITE], 150000000ull);
	CU_ASSERT_EQUAL(experiment_validate(&sc, err, sizeof(err)), 0);
	scenario_free(&sc);
}

static void test_defaults_apply(void)
{
	CU_ASSERT_EQUAL_FATAL(load(minimal), 0);
	CU_ASSERT_EQUAL(sc.ncores, 1);
	CU_ASSERT_EQUAL(sc.sim.period_ns, 1000000);
	CU_ASSERT_EQUAL(sc.sim.duration_ns, 2000000000ull);
	CU_ASSERT_EQUAL(sc.sim.line_size, 64);
	CU_ASSERT_EQUAL(sc.core[0].budget[MEMBW_CH_READ], MEMBW_UNLIMITED);
	CU_ASSERT_TRUE(sc.core[0].repeat);
	scenario_free(&sc);
}

static void test_refused_file_changes_nothing(void)
{
	CU_ASSERT_EQUAL_FATAL(load("[sim]\ncores = 3\n[core 0]\nphase = compute 1ms\n"), 0);
	CU_ASSERT_NOT_EQUAL(load("[sim]\ncores = 5\nperiod = soon\n"), 0);
	CU_ASSERT_EQUAL(sc.ncores, 3);
	scenario_free(&sc);
}

static void test_missing_file(void)
{
	CU_ASSERT_EQUAL(scenario_load_file("no/such.ini", &sc, err, sizeof(err)), -MEMBW_ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no/such.ini: cannot open"));
}

static void test_bad_units(void)
{
	refused("[sim]\nperiod = 1 fortnight\n", "t.ini:2:", "expected a duration");
	refused("[dram]\npeak = 6 GB/h\n", "t.ini:2:", "expected a rate");
	refused("[dram]\npeak = -6GB/s\n", "t.ini:2:", "expected a rate");
	refused("[core 0]\nphase = read 1Gb/s 1ms\n", "t.ini:2:", "expected a rate above 0");
	refused("[core 0]\nbudget = lots\n", "t.ini:2:", "or unlimited");
	refused("[sim]\ncores = four\n", "t.ini:2:", "expected a whole number 1 .. 4096");
	refused("[pmu]\nline_size = 48\n", "t.ini:2:", "power of two");
}

static void test_bad_structure(void)
{
	refused("cores = 4\n", "t.ini:1:", "before any section");
	refused("[sim]\nthis line has no equals sign\n", "t.ini:2:", "expected '[section]'");
	refused("[cpu 0]\nphase = compute 1ms\n", "t.ini:1:", "unknown section [cpu 0]");
	refused("[sim]\ncpus = 4\n", "t.ini:2:", "unknown key 'cpus'; expected cores,");
	refused("[sim]\nseed = 1\nseed = 2\n", "t.ini:3:", "'seed' set twice (first at line 2)");
	refused("[sim]\nseed = 1\n[dram]\npeak = 6GB/s\n[sim]\nseed = 2\n", "t.ini:5:",
		"section [sim] appears twice (first at line 1)");
	refused("[core 3-1]\nphase = compute 1ms\n", "t.ini:1:", "expected [core N] or [core N-M]");
}

/* A domain's cpus: the list reader of tools/membw/text.c, with spaces after a comma. */
static void test_domain_cpus(void)
{
	static const char *const head = "[core 0-3]\nphase = compute 1ms\n[domain a]\nbudget = 1GB/s\n";
	char text[300];
	unsigned int c;

	snprintf(text, sizeof(text), "%scpus = 0-1, 3\n", head);
	CU_ASSERT_EQUAL_FATAL(load(text), 0);
	for (c = 0; c < 4; c++)
		CHECK_EQ(sc.core[c].domain, c == 2 ? MEMBW_NO_DOMAIN : 0,
			 "cpus = 0-1, 3: CPU %u's domain", c);
	scenario_free(&sc);
	/* Empty elements were skipped before: a missing number is an error. */
	refused("[domain a]\ncpus = 0,,1\n", "t.ini:2:",
		"cpus = '0,,1': an empty element at byte 3; expected CPU numbers and ranges such "
		"as 0-1,4 (below 4096)");
	refused("[domain a]\ncpus = 0,\n", "t.ini:2:", "an empty element at byte 3");
	refused("[domain a]\ncpus = ,0\n", "t.ini:2:", "an empty element at byte 1");
	refused("[domain a]\ncpus = 0-9999\n", "t.ini:2:", "'0-9999': CPU 9999 is not below 4096");
	refused("[domain a]\ncpus = 2-1\n", "t.ini:2:", "'2-1' runs backwards");
	refused("[domain a]\ncpus = 0 ,1\n", "t.ini:2:", "unexpected ' '");
	/* In the list's order: the first CPU named that does not exist. */
	snprintf(text, sizeof(text), "%scpus = 9,5\n", head);
	refused(text, "t.ini:3:", "CPU 9 does not exist");
	/* A CPU twice in one list is not "already in" its own domain. */
	snprintf(text, sizeof(text), "%scpus = 1,0-1\n", head);
	refused(text, "t.ini:3:", "[domain a]: CPU 1 is named twice in its cpus; expected each CPU "
		"once");
}

static void test_long_line(void)
{
	char text[1200];

	snprintf(text, sizeof(text), "[core 0]\nname = %0900d\n", 7);
	refused(text, "t.ini:2:", "line longer than");
}

static void test_bad_phases(void)
{
	refused("[core 0]\nphase = stream 1GB/s 1ms\n", "t.ini:2:", "expected KIND [RATE [RATE]]");
	refused("[core 0]\nphase = read 1ms\n", "t.ini:2:", "expected KIND");
	refused("[core 0]\nphase = mixed 1GB/s 1ms\n", "t.ini:2:", "expected KIND");
	refused("[core 0]\nphase = compute 0ms\n", "t.ini:2:", "expected a duration above 0");
	refused("[core 0]\nname = rt\n", "t.ini:1:", "no workload");
	refused("[core 0]\nphase = compute 1ms\ntrace = x.csv\n", "t.ini:1:",
		"both phases and a trace");
	refused("[core 0]\ntrace = no-such.csv\n", "t.ini:1:", "cannot open");
}

static void test_impossible_configurations(void)
{
	refused("[sim]\ncores = 2\n[core 2]\nphase = compute 1ms\n", "t.ini:3:",
		"core 2 does not exist");
	refused("[core 0-1]\nphase = compute 1ms\n[core 1]\nphase = compute 1ms\n", "t.ini:3:",
		"core 1 is already described in [core 0-1] (line 1)");
	refused("[dram]\npeak = 1GB/s\nguaranteed = 2GB/s\n[core 0]\nphase = compute 1ms\n",
		"t.ini:3:",
		"expected guaranteed <= peak");
	refused("[sim]\nrt_core = 3\n[core 0]\nphase = compute 1ms\n", "t.ini:2:",
		"rt_core = 3 does not exist");
	refused("[core 0-1]\nphase = compute 1ms\n[domain a]\ncpus = 0-1\nbudget = 1GB/s\n"
		"[domain b]\ncpus = 1\nbudget = 1GB/s\n", "t.ini:6:",
		"CPU 1 is already in [domain a]");
	refused("[core 0]\nphase = compute 1ms\nbudget = 1GB/s\n[domain a]\ncpus = 0\n"
		"budget = 1GB/s\n", "t.ini:4:", "has a budget of its own");
	refused("[core 0]\nphase = compute 1ms\n[domain a]\ncpus = 0\n", "t.ini:3:", "no budget");
	refused("[core 0]\nphase = compute 1ms\n[fault f]\nkind = late_tick\ncore = 0\nat = 1ms\n",
		"t.ini:3:", "needs 'delay'");
	refused("[core 0]\nphase = compute 1ms\n[fault f]\nkind = melt\n", "t.ini:4:",
		"expected lost_overflow, late_tick, missed_tick or clobber");
	refused("[sim]\n", "t.ini", "no cores");
}

/*
 * A section header without keys: inih tells the handler nothing of it, and each of these passed
 * unseen (the scenario ran without a word); a header with text after it lost that text.
 */
static void test_keyless_sections_and_header_lines(void)
{
	char text[300];

	refused("[core 0]\nphase = compute 1ms\n[bogus]\n", "t.ini:3:",
		"unknown section [bogus]; expected [sim]");
	refused("[sim]\ncores = 1\n[core 0]\nphase = compute 1ms\n[core 5]\n", "t.ini:5:",
		"[core 5]: core 5 does not exist");
	refused("[sim]\n[core 0]\nphase = compute 1ms\n[sim]\nseed = 2\n", "t.ini:4:",
		"section [sim] appears twice (first at line 1)");
	refused("[core 0]\nphase = compute 1ms\n[sim]\n[sim]\n", "t.ini:4:",
		"section [sim] appears twice (first at line 3)");
	refused("[core 0]\nphase = compute 1ms\n[core 1]\n", "t.ini:3:", "[core 1]: no workload");
	refused("[core 0]\nphase = compute 1ms\n[domain a]\n", "t.ini:3:", "[domain a]: no 'cpus'");
	refused("[core 0]\nphase = compute 1ms\n[fault f]\n", "t.ini:3:",
		"[fault f]: expected 'kind', 'core' and 'at'");
	/* Sections that need no key may still stand empty, comments and all. */
	CU_ASSERT_EQUAL_FATAL(load("[pmu]\n; defaults\n[dram]   # defaults\n[core 0] ; the one\n"
				   "phase = compute 1ms\n[sim]\n"), 0);
	scenario_free(&sc);
	CU_ASSERT_EQUAL_FATAL(load("\xEF\xBB\xBF[core 0]\nphase = compute 1ms\n"), 0);
	scenario_free(&sc);
	/* inih reads "[sim] cores = 3" as [sim] and drops the rest: 1 core ran, not 3. */
	refused("[sim] cores = 3\n[core 0]\nphase = compute 1ms\n", "t.ini:1:",
		"[sim]: 'cores = 3' after the section header; expected a header alone on its line");
	refused("[core 0]] x\nphase = compute 1ms\n", "t.ini:1:", "'] x' after the section header");
	/* A domain's name is checked on its header's line, not on the line of its first key. */
	refused("[core 0]\nphase = compute 1ms\n[domain a\"b]\ncpus = 0\nbudget = 1GB/s\n",
		"t.ini:3:", "domain name = 'a\"b'");
	/* inih cuts names at 49 characters: two faults alike that far were one, "twice". */
	snprintf(text, sizeof(text), "[core 0]\nphase = compute 1ms\n[fault %s1]\nkind = "
		 "missed_tick\ncore = 0\nat = 1ms\n[fault %s2]\nkind = missed_tick\ncore = 0\n"
		 "at = 2ms\n", "a-fault-name-of-many-words-and-many-more-words-still",
		 "a-fault-name-of-many-words-and-many-more-words-still");
	refused(text, "t.ini:3:", "section name longer than 49 characters");
}

/*
 * `delay` belongs to late_tick, `channel` and `value` to clobber: set for another kind they did
 * nothing, and on a late_tick `value` overwrote the delay (both are the fault's value).
 */
static void test_fault_keys_of_another_kind(void)
{
	static const char head[] = "[core 0]\nphase = compute 1ms\n[fault f]\ncore = 0\nat = 1ms\n";
	char text[300];

	snprintf(text, sizeof(text), "%skind = missed_tick\nchannel = write\n", head);
	refused(text, "t.ini:3:", "[fault f]: 'channel' is for clobber only");
	snprintf(text, sizeof(text), "%skind = late_tick\ndelay = 200us\nvalue = 5\n", head);
	refused(text, "t.ini:3:", "[fault f]: 'value' is for clobber only");
	snprintf(text, sizeof(text), "%skind = clobber\nchannel = write\nvalue = 5\n", head);
	CU_ASSERT_EQUAL_FATAL(load(text), 0);
	CU_ASSERT_EQUAL(sc.fault[0].channel, MEMBW_CH_WRITE);
	CU_ASSERT_EQUAL(sc.fault[0].value, 5);
	scenario_free(&sc);
}

/* What only the run itself can judge, checked before it: experiment_validate(). */
static void test_budget_below_a_line_per_period(void)
{
	CU_ASSERT_EQUAL_FATAL(load("[core 0]\nphase = read 1GB/s 1ms\nbudget = 32kB/s\n"), 0);
	/* 32 kB/s x 1 ms = 32 B, less than one 64-byte line */
	CU_ASSERT_EQUAL(experiment_validate(&sc, err, sizeof(err)), -MEMBW_ERANGE);
	/* Named by the file's line and section, not by the simulator's domain number. */
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.ini:3: [core 0]: read budget 32000 B/s is below one"));
	scenario_free(&sc);
}

static void test_latency_not_below_the_period(void)
{
	CU_ASSERT_EQUAL_FATAL(load("[sim]\nperiod = 1ms\ninterrupt_latency = 1ms\n[core 0]\n"
				   "phase = compute 1ms\n"), 0);
	CU_ASSERT_EQUAL(experiment_validate(&sc, err, sizeof(err)), -MEMBW_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "must be below the period"));
	scenario_free(&sc);
}

int suite_scenario(void)
{
	CU_pSuite s = CU_add_suite("scenario files: shipped ones, bad input", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "default scenario loads as documented",
		    test_default_scenario_loads_as_documented);
	CU_add_test(s, "vm scenario has two domains of two",
		    test_vm_scenario_has_two_domains_of_two);
	CU_add_test(s, "mixed scenario loads its trace", test_mixed_scenario_loads_its_trace);
	CU_add_test(s, "defaults apply", test_defaults_apply);
	CU_add_test(s, "a refused file changes nothing", test_refused_file_changes_nothing);
	CU_add_test(s, "missing file", test_missing_file);
	CU_add_test(s, "bad units", test_bad_units);
	CU_add_test(s, "bad structure", test_bad_structure);
	CU_add_test(s, "domain cpus", test_domain_cpus);
	CU_add_test(s, "line too long", test_long_line);
	CU_add_test(s, "bad phases", test_bad_phases);
	CU_add_test(s, "impossible configurations", test_impossible_configurations);
	CU_add_test(s, "keyless sections and header lines", test_keyless_sections_and_header_lines);
	CU_add_test(s, "fault keys of another kind", test_fault_keys_of_another_kind);
	CU_add_test(s, "budget below a line per period", test_budget_below_a_line_per_period);
	CU_add_test(s, "latency not below the period", test_latency_not_below_the_period);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
