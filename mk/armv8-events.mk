# The ARMv8 PMU event tables (backends/armv8/events.[ch]) and their tests (tests/armv8/tables/).
# Included by the top-level Makefile (which defines B, CC, TEST_CFLAGS, SAN_FLAGS, ...).
#
#   make check-armv8-events   the table suite on the host (with sanitizers), then again on aarch64
#                             under qemu-aarch64 together with the comparison against libpfm4's
#                             Arm tables (Debian ships those only in its arm64 libpfm4), and the
#                             event numbers against Linux perf's arm64 JSON event lists
#
# The aarch64 half links the arm64 builds of CUnit and libpfm4 statically; they come from Debian
# multiarch, which scripts/ensure-arm64-cunit sets up (scripts/ensure-packages does native only).

# linux-source and libjansson-dev: the comparison with Linux perf's arm64 event lists (JSON data
# in Debian's kernel source tarball), the independent source for the A55, A72 and A76 rows.
ARMV8_EVENTS_PACKAGES := qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross libcunit1-dev \
	linux-source libjansson-dev
CHECK_PACKAGES += $(ARMV8_EVENTS_PACKAGES)
CHECK_TARGETS += check-armv8-events

.PHONY: check-armv8-events deps-armv8-events-arm64

# (Their freestanding build is checked with the backend's, mk/armv8.mk.)
ARMV8_EVENTS_SRCS := $(ARMV8_TABLE_SRCS)
ARMV8_EVENTS_HDRS := backends/armv8/events.h backends/armv8/pmu_fields.h backends/event_names.h \
	tests/support/cunit_run.h tests/support/check.h
ARMV8_EVENTS_TABLE_TESTS := tests/armv8/tables/test_tables.c tests/support/cunit_run.c \
	tests/support/check.c
ARMV8_EVENTS_CFLAGS := $(TEST_CFLAGS) -D_DEFAULT_SOURCE -Ibackends/armv8
# A run is well under a second; the bound only stops a hung emulator.
ARMV8_EVENTS_TIMEOUT := 120

$(B)/tests/armv8-events-host: $(ARMV8_EVENTS_TABLE_TESTS) tests/armv8/tables/host_main.c \
		$(ARMV8_EVENTS_SRCS) $(ARMV8_EVENTS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ARMV8_EVENTS_CFLAGS) $(SAN_FLAGS) $(ARMV8_EVENTS_TABLE_TESTS) \
		tests/armv8/tables/host_main.c $(ARMV8_EVENTS_SRCS) -lcunit -o $@

deps-armv8-events-arm64:
	@scripts/ensure-arm64-cunit libpfm4-dev

# Static, so qemu-aarch64 needs no arm64 sysroot at run time.
$(B)/tests/armv8-events-aarch64: $(ARMV8_EVENTS_TABLE_TESTS) tests/armv8/tables/test_libpfm.c \
		tests/armv8/tables/arm64_main.c $(ARMV8_EVENTS_SRCS) $(ARMV8_EVENTS_HDRS) \
		| deps-armv8-events-arm64
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(ARMV8_EVENTS_CFLAGS) -static $(ARMV8_EVENTS_TABLE_TESTS) \
		tests/armv8/tables/test_libpfm.c tests/armv8/tables/arm64_main.c $(ARMV8_EVENTS_SRCS) \
		-lcunit -lpfm -o $@

ARMV8_EVENTS_LINUX_TARBALL = $(firstword $(wildcard /usr/src/linux-source-*.tar.xz))
ARMV8_EVENTS_LINUX_DIR := $(B)/armv8-events/linux-pmu-events

# Linux perf's arm64 event lists (data files only), from Debian's linux-source tarball.
$(ARMV8_EVENTS_LINUX_DIR)/arm64/mapfile.csv: $(ARMV8_EVENTS_LINUX_TARBALL)
	@tarball='$(ARMV8_EVENTS_LINUX_TARBALL)'; \
	if [ -z "$$tarball" ]; then \
		echo "FAIL armv8-events: no /usr/src/linux-source-*.tar.xz; install Debian's" \
			"linux-source: scripts/ensure-packages linux-source" >&2; \
		exit 1; \
	fi; \
	rm -rf $(ARMV8_EVENTS_LINUX_DIR) && mkdir -p $(ARMV8_EVENTS_LINUX_DIR) && \
	tar -xJf "$$tarball" -C $(ARMV8_EVENTS_LINUX_DIR) --strip-components=5 \
		--wildcards '*/tools/perf/pmu-events/arch/arm64/*' && touch $@

$(B)/tests/armv8-events-linux: tests/armv8/tables/test_linux_pmu_events.c \
		tests/armv8/tables/linux_main.c tests/support/cunit_run.c tests/support/check.c \
		$(ARMV8_EVENTS_SRCS) $(ARMV8_EVENTS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ARMV8_EVENTS_CFLAGS) $(SAN_FLAGS) tests/armv8/tables/test_linux_pmu_events.c \
		tests/armv8/tables/linux_main.c tests/support/cunit_run.c tests/support/check.c \
		$(ARMV8_EVENTS_SRCS) -lcunit -ljansson -o $@

check-armv8-events: $(B)/tests/armv8-events-host \
		$(B)/tests/armv8-events-aarch64 $(B)/tests/armv8-events-linux \
		$(ARMV8_EVENTS_LINUX_DIR)/arm64/mapfile.csv
	@$(B)/tests/armv8-events-host
	@timeout $(ARMV8_EVENTS_TIMEOUT) qemu-aarch64 $(B)/tests/armv8-events-aarch64
	@MEMBW_LINUX_PMU_EVENTS=$(ARMV8_EVENTS_LINUX_DIR)/arm64 $(B)/tests/armv8-events-linux
