# Fuzzing: every libFuzzer target of the project, run the same way by tests/fuzz/run.
# Included by the top-level Makefile.
#
#   make check-fuzz                   every target, a short fixed-seed pass (part of make check)
#   make fuzz-long FUZZ_SECONDS=N [FUZZ_TARGET=name]
#                                     every target (or one) for N seconds each (default 600),
#                                     under nice -n 19; new inputs go to build/fuzz/corpus-NAME/
#
# Build variant (any fuzz target; check-fuzz and fuzz-long alike):
#   FUZZ_SANITIZE=LIST  the sanitizers beside libFuzzer (default address,undefined; empty: none)
#   FUZZ_OPT=-On        the optimisation level (default -O1)
# A long campaign trades ASan for executions: on the memtalk target, CPU time per execution is
# about 1.6x lower with FUZZ_SANITIZE=undefined FUZZ_OPT=-O2 and 4x lower with FUZZ_SANITIZE=
# FUZZ_OPT=-O2 (libFuzzer alone: only the target's own invariants are checked). For example
#   make fuzz-long FUZZ_TARGET=memtalk FUZZ_SECONDS=36000 FUZZ_SANITIZE=undefined FUZZ_OPT=-O2
# The binaries stay in $(B)/fuzz/ and are rebuilt whenever the variant changes ($(B)/fuzz/flags
# holds the last one), so check-fuzz after such a run rebuilds the default.
#
# A fragment adds a target NAME with FUZZ_TARGETS += NAME and a rule for $(B)/fuzz/fuzz-NAME built
# with $(FUZZ_CC) $(FUZZ_FLAGS), with $$(FUZZ_STAMP) among its prerequisites; FUZZ_CHECK_RUNS_NAME
# sets its check-fuzz count (default FUZZ_CHECK_RUNS) and FUZZ_MAX_LEN_NAME its largest input
# (default 512 bytes). Its seed corpus is tests/fuzz/corpus/NAME/.

# memtalk's target and its rule are in mk/memtalk.mk.
FUZZ_TARGETS += memtalk units scenario trace-csv cli
CHECK_TARGETS += check-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGET ?=

.PHONY: check-fuzz fuzz-long

# libFuzzer needs clang (FUZZ_PACKAGES, mk/memtalk.mk).
FUZZ_CC := clang-14
FUZZ_SANITIZE ?= address,undefined
FUZZ_OPT ?= -O1
FUZZ_COMMA := ,
FUZZ_FLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -g $(FUZZ_OPT) -Wall -Wextra -Werror -Iinclude \
	-Itests/support -fsanitize=fuzzer$(if $(FUZZ_SANITIZE),$(FUZZ_COMMA)$(FUZZ_SANITIZE)) \
	-fno-sanitize-recover=all

# The variant the binaries were last built with, rewritten only when it changes.
FUZZ_STAMP = $(B)/fuzz/flags
$(B)/fuzz/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CC) $(FUZZ_FLAGS)' | cmp -s - $@ || echo '$(FUZZ_CC) $(FUZZ_FLAGS)' >$@

# The units target: lib/units.c's parsers against a reference written in the target itself.
$(B)/fuzz/fuzz-units: tests/fuzz/fuzz_units.c lib/units.c $(HEADERS) $$(FUZZ_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_units.c lib/units.c -o $@
FUZZ_CHECK_RUNS_units := 300000
FUZZ_MAX_LEN_units := 64

# The scenario loader (inih) and the validation `membw sim` runs next, with the simulator it
# validates against; the target stands in for sim/trace_csv.c (fuzzed on its own, below).
FUZZ_SIM_FLAGS = $(FUZZ_FLAGS) -Isim -Ibackends/sim -Itools/membw -Itools/membw/sim
FUZZ_SCENARIO_SRCS = tests/fuzz/fuzz_scenario.c tools/membw/sim/scenario.c tools/membw/text.c \
	tools/membw/sim/experiment.c $(filter-out sim/trace_csv.c,$(SIM_SRCS)) $(LIB_SRCS)
$(B)/fuzz/fuzz-scenario: $$(FUZZ_SCENARIO_SRCS) $(HEADERS) $$(SIM_HDRS) $$(SIM_TOOL_HDRS) \
		$$(FUZZ_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_SIM_FLAGS) $(FUZZ_SCENARIO_SRCS) -linih -lm -o $@
FUZZ_CHECK_RUNS_scenario := 20000
FUZZ_MAX_LEN_scenario := 2048

# The trace CSV reader (sim/trace_csv.c), which `membw sim` reads phases from.
$(B)/fuzz/fuzz-trace-csv: tests/fuzz/fuzz_trace_csv.c sim/trace_csv.c lib/units.c $(HEADERS) \
		$$(SIM_HDRS) $$(FUZZ_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_SIM_FLAGS) tests/fuzz/fuzz_trace_csv.c sim/trace_csv.c lib/units.c \
		-o $@
FUZZ_CHECK_RUNS_trace-csv := 50000
FUZZ_MAX_LEN_trace-csv := 1024

# The command lines: what `membw sim`, `run`, `conformance` and `guest` parse before they act
# (tools/membw/sim/sim_args.c, run/run_args.c, conformance/conformance_args.c, guest_args.c),
# which runs nothing. tests/fuzz/cli_harness.c catches a file opened or a process started while
# a parser runs, through the linker's --wrap of the calls that would do it.
FUZZ_CLI_WRAP := $(patsubst %,-Wl$(FUZZ_COMMA)--wrap=%,open openat fopen fork execve execvp \
	posix_spawn popen system socket)
FUZZ_CLI_COMMON = tests/fuzz/cli_harness.c tests/fuzz/cli_harness.h tools/membw/cli.c \
	tools/membw/text.c lib/units.c
FUZZ_CLI_SRCS_cli = tests/fuzz/fuzz_cli.c tools/membw/sim/sim_args.c
FUZZ_CLI_SRCS_cli-run = tests/fuzz/fuzz_cli_run.c tools/membw/run/run_args.c
FUZZ_CLI_SRCS_cli-conformance = tests/fuzz/fuzz_cli_conformance.c \
	tools/membw/conformance/conformance_args.c
FUZZ_CLI_SRCS_cli-guest = tests/fuzz/fuzz_cli_guest.c tools/membw/guest_args.c
FUZZ_TARGETS += cli-run cli-conformance cli-guest
$(patsubst %,$(B)/fuzz/fuzz-%,cli cli-run cli-conformance cli-guest): $(B)/fuzz/fuzz-%: \
		$$(FUZZ_CLI_SRCS_%) $$(FUZZ_CLI_COMMON) $(HEADERS) $$(wildcard tools/membw/*.h \
		tools/membw/*/*.h) $$(FUZZ_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_SIM_FLAGS) -Itools/membw/run -Itools/membw/conformance $(FUZZ_CLI_WRAP) \
		$(filter %.c,$^) -o $@
FUZZ_CHECK_RUNS_cli := 50000
FUZZ_MAX_LEN_cli := 256
FUZZ_CHECK_RUNS_cli-run := 30000
FUZZ_MAX_LEN_cli-run := 256
FUZZ_CHECK_RUNS_cli-conformance := 30000
FUZZ_MAX_LEN_cli-conformance := 256
FUZZ_CHECK_RUNS_cli-guest := 50000
FUZZ_MAX_LEN_cli-guest := 256

FUZZ_BINS = $(patsubst %,$(B)/fuzz/fuzz-%,$(sort $(FUZZ_TARGETS)))

# FUZZ_RUN(name, runs, seed, seconds[, wrapper]): one target through tests/fuzz/run; a failure
# marks fail.
FUZZ_RUN = FUZZ_MAX_LEN=$(or $(FUZZ_MAX_LEN_$(1)),512) $(5) tests/fuzz/run $(B)/fuzz/fuzz-$(1) $(2) \
	$(3) $(1) $(4) || fail=1;

# Fixed seed, fixed count: the same inputs every time.
check-fuzz: $$(FUZZ_BINS)
	@fail=0; $(foreach t,$(sort $(FUZZ_TARGETS)),$(call FUZZ_RUN,$(t),$(or \
		$(FUZZ_CHECK_RUNS_$(t)),$(FUZZ_CHECK_RUNS)),1,0)) exit $$fail

FUZZ_LONG = $(or $(FUZZ_TARGET),$(sort $(FUZZ_TARGETS)))

# A random seed, no execution limit, FUZZ_SECONDS per target, at the lowest priority.
fuzz-long: $$(patsubst %,$(B)/fuzz/fuzz-%,$$(FUZZ_LONG))
	@$(if $(filter-out $(FUZZ_TARGETS),$(FUZZ_TARGET)),echo "fuzz-long: no fuzz target \
		'$(FUZZ_TARGET)'; use one of: $(sort $(FUZZ_TARGETS))" >&2; exit 2;) \
	fail=0; $(foreach t,$(FUZZ_LONG),$(call FUZZ_RUN,$(t),-1,0,$(FUZZ_SECONDS),nice -n 19)) \
	exit $$fail
