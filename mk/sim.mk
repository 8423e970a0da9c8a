# The simulator (sim/: the model; backends/sim/: its `sim` counter backend), `membw sim`, their
# tests, the simulator benchmark and `make demo`.
#
#   make demo             install what is needed, build, run the default scenario, draw the plot
#   make check-sim        model and regulation suites, scenario/CLI error tests
#   make check-conformance  the backend conformance suite, run against the sim backend
#   make bench-sim        simulated seconds per wall second at 4, 64 and 1024 cores

# libpfm4-dev: build/membw also carries `membw run` / `membw events` (mk/perf.mk); `make demo`
# builds it, so it installs it too.
SIM_PACKAGES := libinih-dev gnuplot-nox libpfm4-dev
CHECK_PACKAGES += $(SIM_PACKAGES)
CHECK_TARGETS += check-sim check-conformance
BENCH_TARGETS += bench-sim

.PHONY: demo check-sim check-conformance bench-sim membw

SIM_INCLUDES := -Iinclude -Isim -Ibackends/sim
SIM_CFLAGS := $(HOST_CFLAGS) $(SIM_INCLUDES)
# The model and its counter backend: one library, libmembw-sim.a.
SIM_SRCS := $(wildcard sim/*.c) $(wildcard backends/sim/*.c)
SIM_HDRS := $(wildcard sim/*.h backends/sim/*.h) $(wildcard include/membw/*.h)
SIM_OBJS := $(SIM_SRCS:%.c=$(B)/sim-obj/%.o)
# `membw sim`: tools/membw/sim/, and the command's front end tools/membw/*.c.
SIM_TOOL_SRCS := $(wildcard tools/membw/*.c tools/membw/sim/*.c)
SIM_TOOL_HDRS := $(wildcard tools/membw/*.h tools/membw/sim/*.h)
SIM_TOOL_CFLAGS := $(SIM_CFLAGS) -Itools/membw -Itools/membw/sim
SIM_TOOL_OBJS := $(SIM_TOOL_SRCS:%.c=$(B)/sim-obj/%.o) $(B)/sim-obj/default_scenario.o

$(B)/sim-obj/%.o: %.c $(SIM_HDRS) $(SIM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SIM_TOOL_CFLAGS) -c $< -o $@

$(B)/libmembw-sim.a: $(SIM_OBJS)
	rm -f $@
	$(AR) rcs $@ $(SIM_OBJS)

# The default scenario is compiled into the command, so `membw sim` works from any directory and
# scenarios/default.ini stays the one source of truth.
$(B)/sim-obj/default_scenario.c: scenarios/default.ini mk/sim.mk
	@mkdir -p $(@D)
	{ echo '/* Generated from scenarios/default.ini by mk/sim.mk: do not edit. */'; \
	  echo 'extern const char membw_default_scenario[];'; \
	  echo 'const char membw_default_scenario[] = {'; \
	  od -An -v -tx1 $< | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0 };'; } > $@

$(B)/sim-obj/default_scenario.o: $(B)/sim-obj/default_scenario.c
	$(CC) $(SIM_CFLAGS) -c $< -o $@

# build/membw is linked by the top Makefile from what each fragment adds here.
MEMBW_TOOL_OBJS += $(SIM_TOOL_OBJS) $(B)/libmembw-sim.a
MEMBW_TOOL_LIBS += -linih -lm

membw: $(B)/membw

# ---------------------------------------------------------------------------------------------
# Tests. The suites link the core's and the simulator's sources directly, with the sanitizers.

SIM_TEST_SRCS := $(wildcard tests/sim/*.c)
SIM_TEST_TOOL_SRCS := tools/membw/sim/scenario.c tools/membw/sim/experiment.c tools/membw/text.c
SIM_TEST_CFLAGS := $(TEST_CFLAGS) -O2 $(SIM_INCLUDES) -Itools/membw -Itools/membw/sim -Itests/sim
CONF_SRCS := tests/conformance/conformance.c tests/conformance/conf_cunit.c \
	tests/conformance/run_sim.c backends/sim/pmu.c tests/support/cunit_run.c \
	tests/support/check.c

SIM_TEST_SUPPORT := tests/support/cunit_run.c tests/support/check.c tests/support/trace_log.c

$(B)/tests/sim-tests: $(SIM_TEST_SRCS) $(wildcard tests/sim/*.h) $(SIM_SRCS) $(SIM_HDRS) \
		$(SIM_TEST_SUPPORT) $(wildcard tests/support/*.h) $(SIM_TEST_TOOL_SRCS) \
		$(SIM_TOOL_HDRS) $(LIB_SRCS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(SIM_TEST_CFLAGS) $(SAN_FLAGS) $(SIM_TEST_SRCS) $(SIM_SRCS) $(SIM_TEST_TOOL_SRCS) \
		$(SIM_TEST_SUPPORT) $(LIB_SRCS) -lcunit -linih -lm -o $@

$(B)/tests/conformance-sim: $(CONF_SRCS) $(wildcard tests/conformance/*.h) tests/support/check.h \
		$(SIM_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Ibackends/sim -Itests/conformance $(CONF_SRCS) \
		-lcunit -o $@

check-sim: $(B)/tests/sim-tests $(B)/membw
	@$(B)/tests/sim-tests
	@tests/sim/cli-tests $(B)/membw

check-conformance: $(B)/tests/conformance-sim
	@$(B)/tests/conformance-sim

# ---------------------------------------------------------------------------------------------

$(B)/bench/bench-sim: bench/bench_sim.c $(B)/libmembw-sim.a $(B)/libmembw.a $(SIM_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) bench/bench_sim.c $(B)/libmembw-sim.a $(B)/libmembw.a $(LDFLAGS) -o $@

bench-sim: $(B)/bench/bench-sim
	@$(B)/bench/bench-sim

# ---------------------------------------------------------------------------------------------

demo:
	@scripts/ensure-packages $(BUILD_PACKAGES) $(SIM_PACKAGES)
	@$(MAKE) --no-print-directory -s lib $(B)/membw
	@echo
	@$(B)/membw sim --plot $(CURDIR)/$(B)/demo.png
