# The Linux perf_event backend, `membw run` and `membw events`, their tests and benchmark.
# Included by the top-level Makefile (which defines B, CC, TEST_CFLAGS, SAN_FLAGS, ...).
#
#   make membw-perf   build/membw-perf: `membw` with run and events (sim included)
#   make check-perf   backend conformance on a software event, `membw run` tests (host)
#   make bench-perf   membw's CPU time per second of regulation, overshoot per period
#
# tools/membw/run/ holds the commands that need the backend. mk/sim.mk links build/membw
# without them (they are weak in tools/membw/commands.h); appending $(PERF_TOOL_LINK) to its
# link line puts them in build/membw too.

PERF_PACKAGES := libpfm4-dev util-linux procps
CHECK_PACKAGES += $(PERF_PACKAGES)
CHECK_TARGETS += check-perf
BENCH_TARGETS += bench-perf

.PHONY: membw-perf check-perf bench-perf

PERF_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PERF_CFLAGS := -std=c11 $(PERF_WARN) -O2 -g -Iinclude -Ibackends/perf -Itools/membw \
	-Itools/membw/run
PERF_SRCS := $(wildcard backends/perf/*.c)
PERF_HDRS := $(wildcard backends/perf/*.h) $(wildcard include/membw/*.h)
PERF_OBJS := $(PERF_SRCS:backends/perf/%.c=$(B)/perf/%.o)
PERF_TOOL_SRCS := $(wildcard tools/membw/run/*.c)
PERF_TOOL_HDRS := $(wildcard tools/membw/run/*.h) tools/membw/commands.h
PERF_TOOL_OBJS := $(PERF_TOOL_SRCS:tools/membw/run/%.c=$(B)/tools/membw/run/%.o)
PERF_LDLIBS := -lpfm -pthread
# What a link of `membw` appends to have run and events in it.
PERF_TOOL_LINK := $(PERF_OBJS) $(PERF_TOOL_OBJS) $(PERF_LDLIBS)

$(B)/perf/%.o: backends/perf/%.c $(PERF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(PERF_CFLAGS) -c $< -o $@

$(B)/tools/membw/run/%.o: tools/membw/run/%.c $(PERF_TOOL_HDRS) $(PERF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(PERF_CFLAGS) -c $< -o $@

# TOOL_OBJS comes from mk/sim.mk, read after this file: second expansion sees it.
$(B)/membw-perf: $$(TOOL_OBJS) $(PERF_OBJS) $(PERF_TOOL_OBJS) $(B)/libmembw-sim.a $(B)/libmembw.a
	$(CC) -o $@ $(TOOL_OBJS) $(PERF_TOOL_LINK) $(B)/libmembw-sim.a $(B)/libmembw.a -linih -lm

membw-perf: $(B)/membw-perf

# ---------------------------------------------------------------------------------------------
# Tests.

PERF_CONF_SRCS := tests/perf/conformance_perf.c tests/conformance/conformance.c \
	tests/conformance/conf_cunit.c tests/support/cunit_run.c $(PERF_SRCS)

$(B)/tests/conformance-perf: $(PERF_CONF_SRCS) $(PERF_HDRS) $(wildcard tests/conformance/*.h) \
		$(wildcard tests/conformance/*.c)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Ibackends/perf -Itests/conformance \
		$(PERF_CONF_SRCS) -lcunit -lpfm -o $@

$(B)/tests/touch-pages: tests/perf/touch_pages.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(PERF_WARN) -O2 $< -o $@

check-perf: $(B)/tests/conformance-perf $(B)/membw-perf $(B)/tests/touch-pages
	@$(B)/tests/conformance-perf
	@tests/perf/run-tests $(B)/membw-perf $(B)/tests/touch-pages

# ---------------------------------------------------------------------------------------------

bench-perf: $(B)/membw-perf $(B)/tests/touch-pages
	@tests/perf/bench-perf $(B)/membw-perf $(B)/tests/touch-pages
