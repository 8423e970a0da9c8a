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
 *   - reads are raw, within 0 .. 2^w - 1, across the wrap.
 *
 * A substrate provides a driver: how to make events happen on a CPU and how to see an overflow
 * interrupt. Everything else is the backend under test.
 *
 * The bodies (conformance.c) use the assertions of tests/support/check.h and no libc, so they run
 * hosted under CUnit (conf_cunit.c, tests/support/check.c) and on bare metal under QEMU
 * (tests/qemu/harness/report.c).
 */
#ifndef MEMBW_CONFORMANCE_H
#define MEMBW_CONFORMANCE_H

#include <membw/membw.h>

struct conformance_driver {
	/* Shown in suite and test names, e.g. "sim" or "armv8-qemu". */
	const char *name;
	const struct membw_backend *backend;
	/* Event code per channel handed to cpu_init (0: the backend's default). On QEMU, where no
	 * memory event is emulated, a driver names an event it can make happen (SW_INCR). */
	uint64_t event[MEMBW_NCHANNELS];
	/* The backend_ctx for probe and cpu_init. */
	void *backend_ctx;
	/* Driver state, passed to every hook below. */
	void *ctx;

	/* Make @n events of the kind channel @ch counts happen on @cpu, whose backend state is
	 * @priv. Returns 0, or -MEMBW_EOPNOTSUPP if it cannot (the test is then skipped). */
	int (*count)(void *ctx, unsigned int cpu, void *priv, unsigned int ch, uint64_t n);

	/* How many overflow interrupts @cpu's channel @ch has raised since cpu_init. */
	uint64_t (*overflows)(void *ctx, unsigned int cpu, void *priv, unsigned int ch);

	/* Make the counters absent (true) or present again (false), so that probe must refuse.
	 * NULL if the substrate cannot: the refusal test is skipped. */
	void (*set_absent)(void *ctx, bool absent);
};

/* One test of the suite: a name and a body written in check.h's CHECK, CHECK_EQ and SKIP. */
struct conformance_test {
	const char *name;
	void (*fn)(void);
};

/* The suite, in the order it runs (conformance.c). */
extern const struct conformance_test conformance_tests[];
extern const unsigned int conformance_ntests;

/* Make @drv the driver the test bodies use from now on (runners call this before each test). */
void conformance_use(const struct conformance_driver *drv);
/* The driver in use. */
const struct conformance_driver *conformance_driver(void);

/*
 * Hosted (CUnit, conf_cunit.c): register the suite for @drv in the current CUnit registry. @drv
 * must outlive the run. Returns 0, or a CUnit error code.
 */
int conformance_register(const struct conformance_driver *drv);

/*
 * Bare metal (tests/qemu/harness/conformance_run.c): run every test against @drv, reporting each
 * assertion on the console. Returns the number of failed tests.
 */
unsigned int conformance_run(const struct conformance_driver *drv);

#endif /* MEMBW_CONFORMANCE_H */
