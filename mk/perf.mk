# The Linux perf_event backend, `membw run` and `membw events`, their tests and benchmark.
# Included by the top-level Makefile (which defines B, CC, TEST_CFLAGS, SAN_FLAGS, ...).
#
#   make check-perf   event names through the armv8 and x86 tables (made-up MIDRs and CPUIDs),
#                     rearm and backend conformance on a software event, `membw run` tests (host)
#   make check-emulated-counter  the emulated raw counter both perf backends share (host)
#   make check-perf-guest  a static aarch64 membw in Debian's arm64 kernel under QEMU -icount,
#                     regulating by INST_RETIRED and CPU_CYCLES (tests/kernel/boot)
#   make bench-perf   membw's CPU time per second of regulation, overshoot per period
#
# tools/membw/run/ holds the commands that need the backend; they join build/membw through
# MEMBW_TOOL_OBJS. They are weak in tools/membw/commands.h, so a membw built without another
# fragment's commands (the static aarch64 one has no `sim`) still links.

PERF_PACKAGES := libpfm4-dev util-linux procps strace qemu-system-arm gcc-aarch64-linux-gnu \
	libc6-dev-arm64-cross cpio gzip
CHECK_PACKAGES += $(PERF_PACKAGES)
CHECK_TARGETS += check-perf check-perf-guest check-emulated-counter
BENCH_TARGETS += bench-perf

.PHONY: check-perf check-perf-guest check-emulated-counter bench-perf deps-perf-arm64

PERF_CFLAGS := -std=c11 $(HOST_WARN) -O2 -g -Iinclude -Ibackends -Ibackends/perf -Itools/membw \
	-Itools/membw/run
# The Arm and Intel event tables (freestanding, mk/sources.mk's ARMV8_TABLE_SRCS and
# X86_TABLE_SRCS) resolve names on arm64 and x86-64.
PERF_SRCS := $(wildcard backends/perf/*.c) $(ARMV8_TABLE_SRCS) $(X86_TABLE_SRCS)
PERF_HDRS := $(wildcard backends/perf/*.h) $(wildcard include/membw/*.h) backends/armv8/events.h \
	backends/x86/events.h backends/event_names.h
PERF_TOOL_SRCS := $(wildcard tools/membw/run/*.c)
PERF_TOOL_HDRS := $(wildcard tools/membw/run/*.h) tools/membw/commands.h tools/membw/cli.h
PERF_OBJS := $(PERF_SRCS:%.c=$(B)/perf-obj/%.o)
PERF_TOOL_OBJS := $(PERF_TOOL_SRCS:%.c=$(B)/perf-obj/%.o)
PERF_LDLIBS := -lpfm -pthread

# Position-independent: the same objects go into build/membw and into libmembw-perf.a, which a
# user may link into a shared object (mk/backends-install.mk).
$(B)/perf-obj/%.o: %.c $(PERF_HDRS) $(PERF_TOOL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PERF_CFLAGS) $(CFLAGS) -fPIC -c $< -o $@

# build/membw is linked by the top Makefile from what each fragment adds here.
MEMBW_TOOL_OBJS += $(PERF_OBJS) $(PERF_TOOL_OBJS)
MEMBW_TOOL_LIBS += $(PERF_LDLIBS)

# ---------------------------------------------------------------------------------------------
# Tests.

PERF_CONF_SRCS := tests/perf/conformance_perf.c tests/conformance/conformance.c \
	tests/conformance/conf_cunit.c tests/support/cunit_run.c tests/support/check.c $(PERF_SRCS) \
	tools/membw/conformance/perf_driver.c tools/membw/conformance/workload.c

$(B)/tests/conformance-perf: $(PERF_CONF_SRCS) $(PERF_HDRS) $(wildcard tests/conformance/*.h) \
		$(wildcard tests/conformance/*.c) tests/support/check.h \
		$(wildcard tools/membw/conformance/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Ibackends -Ibackends/perf -Itests/conformance \
		-Itools/membw/conformance \
		$(PERF_CONF_SRCS) -lcunit -lpfm -o $@

# Name resolution through the armv8 tables, the core picked by a made-up MIDR (any host).
PERF_NAMES_SRCS := tests/perf/test_event_names.c tests/support/cunit_run.c tests/support/check.c \
	$(PERF_SRCS)

$(B)/tests/perf-event-names: $(PERF_NAMES_SRCS) $(PERF_HDRS) tests/support/cunit_run.h \
		tests/support/check.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Ibackends -Ibackends/perf -Itests/support \
		$(PERF_NAMES_SRCS) -lcunit -lpfm -o $@

$(B)/tests/touch-pages: tests/perf/touch_pages.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(HOST_WARN) -O2 $(CFLAGS) $< $(LDFLAGS) -o $@

# The kill storm's fork bomb and child subreaper.
$(B)/tests/fork-bomb $(B)/tests/subreaper: $(B)/tests/%: tests/perf/$$(subst -,_,%).c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(HOST_WARN) -O2 $(CFLAGS) $< $(LDFLAGS) -o $@

# tests/perf/sentinel-race's preload library: the watchdog forks its sentinel 300 ms late.
$(B)/tests/slow-sentinel.so: tests/perf/slow_sentinel.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=c11 $(HOST_WARN) -O2 $(CFLAGS) -shared -fPIC $< $(LDFLAGS) -ldl -o $@

# The emulated raw counter both perf backends share (backends/perf/emulated_counter.h): host.
$(B)/tests/emulated-counter: tests/perf/test_emulated_counter.c backends/perf/emulated_counter.h \
		tests/support/cunit_run.c tests/support/check.c tests/support/check.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Ibackends/perf -Itests/support \
		tests/perf/test_emulated_counter.c tests/support/cunit_run.c tests/support/check.c \
		-lcunit -o $@

check-emulated-counter: $(B)/tests/emulated-counter
	@$<

# rearm of the perf backend on the host kernel's page-faults count of the test process.
PERF_REARM_SRCS := tests/perf/test_perf_rearm.c tests/support/cunit_run.c tests/support/check.c \
	$(PERF_SRCS)

$(B)/tests/perf-rearm: $(PERF_REARM_SRCS) $(PERF_HDRS) tests/support/cunit_run.h \
		tests/support/check.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Ibackends -Ibackends/perf -Itests/support \
		$(PERF_REARM_SRCS) -lcunit -lpfm -o $@

check-perf: $(B)/tests/conformance-perf $(B)/tests/perf-event-names $(B)/membw \
		$(B)/tests/touch-pages $(B)/tests/perf-rearm $(B)/tests/fork-bomb $(B)/tests/subreaper \
		$(B)/tests/slow-sentinel.so
	@$(B)/tests/perf-event-names
	@$(B)/tests/perf-rearm
	@$(B)/tests/conformance-perf
	@tests/perf/run-tests $(B)/membw $(B)/tests/touch-pages
	@tests/perf/sentinel-race $(B)/membw $(B)/tests/touch-pages $(B)/tests/slow-sentinel.so
	@$(call KILL_STORM,cgroup) & pid=$$!; $(call KILL_STORM,signals); signals=$$?; \
		wait $$pid; cgroup=$$?; \
		cat $(B)/tests/kill-storm-cgroup.log $(B)/tests/kill-storm-signals.log; \
		[ $$cgroup -eq 0 ] && [ $$signals -eq 0 ]

# KILL_STORM(mode): the kill storm of one mode, its output in $(B)/tests/kill-storm-MODE.log.
# check-perf runs the two modes at once: each round waits for states, not for times, and runs in
# a session of its own, so the modes do not see each other; mostly waiting for processes to start
# and end, the two together take about the time of one.
KILL_STORM = MODES=$(1) tests/perf/kill-storm $(B)/membw $(B)/tests/touch-pages \
	$(B)/tests/fork-bomb $(B)/tests/subreaper >$(B)/tests/kill-storm-$(1).log 2>&1

# The guest test: a static aarch64 membw with run and events only (no simulator: libinih has no
# static arm64 build here), libpfm4 from Debian multiarch (libpfm4-dev:arm64).
PERF_A64_SRCS := tools/membw/main.c tools/membw/cli.c tools/membw/text.c $(PERF_TOOL_SRCS) $(PERF_SRCS) $(LIB_SRCS)
PERF_GUEST_TIMEOUT := 500

deps-perf-arm64:
	@scripts/ensure-arm64-cunit libpfm4-dev

$(B)/aarch64/membw: $(PERF_A64_SRCS) $(PERF_HDRS) $(PERF_TOOL_HDRS) $(HEADERS) | deps-perf-arm64
	@mkdir -p $(@D)/include
	@ln -sfn /usr/include/perfmon $(@D)/include/perfmon
	$(AARCH64_CROSS)gcc -static $(PERF_CFLAGS) -isystem $(@D)/include $(PERF_A64_SRCS) \
		-L/usr/lib/aarch64-linux-gnu -lpfm -pthread -o $@

$(B)/aarch64/touch-pages: tests/perf/touch_pages.c
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc -static -std=c11 $(HOST_WARN) -O2 $< -o $@

check-perf-guest: $(B)/aarch64/membw $(B)/aarch64/touch-pages
	@tests/kernel/fetch arm64
	@tests/kernel/boot --arch arm64 --icount --quiet --timeout $(PERF_GUEST_TIMEOUT) \
		--script tests/perf/guest-run.sh --file $(B)/aarch64/membw:/membw \
		--file $(B)/aarch64/touch-pages:/touch-pages \
		--file tests/kernel/guest-lib.sh:/guest-lib.sh \
		--log $(B)/kernel/logs/perf-guest-arm64.log; \
	status=$$?; tr -d '\r' <$(B)/kernel/logs/perf-guest-arm64.log | \
		grep -E '^(PASS|FAIL|BENCH|SUMMARY)' | grep -v '^PASS' ; \
	if [ $$status -eq 0 ]; then echo "PASS perf-guest: membw run in the arm64 kernel"; else \
		echo "FAIL perf-guest: exit $$status, log $(B)/kernel/logs/perf-guest-arm64.log"; \
		exit 1; fi

# ---------------------------------------------------------------------------------------------

bench-perf: $(B)/membw $(B)/tests/touch-pages
	@tests/perf/bench-perf $(B)/membw $(B)/tests/touch-pages
