/* SPDX-License-Identifier: MIT */
/*
 * The backend conformance suite: one suite that any counter backend (struct membw_backend)
 * is run through, on whatever substrate it needs -- the simulator here, QEMU for armv8, a real
 * machine. It calls the backend's hooks directly (probe, cpu_init, arm, read, stop), as the policy
 * does, and checks the counting model of include/membw/backend.h:
 *   - probe reports possible facts, and refuses cleanly when the hardware is absent;
 *   - a counter armed for n counts exactly: it reads 2^w - n + k after k events;
 *   - the overflow interrupt comes with the n-th event after arm(n), not before;
 *   - re-arming presets the counter again and clears a pending overflow;
 *   - a stopped counter does not count and raises nothing; arming starts it again;
 *   - two channels count independently;
 *   - reads are raw, within 0 .. 2^w - 1, across the wrap;
 *   - a counter set up for one privilege level counts events there and none at the others.
 *
 * A substrate provides a driver: how to make events happen on a CPU and how to see an overflow
 * interrupt. Everything else is the backend under test.
 *
 * The bodies (conformance.c) use the assertions of tests/support/check.h and no libc, so they run
 * hosted under CUnit (conf_cunit.c, tests/support/check.c) and on bare metal under QEMU
 * (tests/qemu/harness/report.c).
 */
#ifndef MEMBW_TEST_CONFORMANCE_H
#define MEMBW_TEST_CONFORMANCE_H

#include <membw/conformance.h>

/*
 * The driver is the public one of include/membw/conformance.h (the suite is also the library
 * libmembw-conformance.a, conformance/): how to make events happen, how to see an overflow.
 * The hosted and bare-metal runners here use its mandatory part, `count` and, where the substrate
 * can make events at a chosen privilege level, `count_at`.
 */

/* One test of the suite: a name and a body written in check.h's CHECK, CHECK_EQ and SKIP. */
struct conformance_test {
	const char *name;
	void (*fn)(void);
};

/* The suite, in the order it runs (conformance.c). */
extern const struct conformance_test conformance_tests[];
extern const unsigned int conformance_ntests;

/* Make @drv the driver the test bodies use from now on (runners call this before each test). */
void conformance_use(const struct membw_conformance_driver *drv);
/* The driver in use. */
const struct membw_conformance_driver *conformance_driver(void);

/*
 * For facts outside this file (the library's measured facts, conformance/measure.c): probe and
 * cpu_init on CPU 0, as every test starts. Returns the CPU's private state and fills @info and
 * @mask (2^w - 1), or NULL after a failed check.
 */
void *conformance_fresh(struct membw_backend_info *info, uint64_t *mask);

/* Stop every channel and call cpu_exit (if the backend has it) on the state the last test set up,
 * if any: the library runs many facts on many CPUs and gives back what each took. */
void conformance_release(void);

/*
 * Hosted (CUnit, conf_cunit.c): register the suite for @drv in the current CUnit registry. @drv
 * must outlive the run. Returns 0, or a CUnit error code.
 */
int conformance_register(const struct membw_conformance_driver *drv);

/*
 * Bare metal (tests/qemu/harness/conformance_run.c): run every test against @drv, reporting each
 * assertion on the console. Returns the number of failed tests.
 */
unsigned int conformance_run(const struct membw_conformance_driver *drv);

#endif /* MEMBW_TEST_CONFORMANCE_H */
