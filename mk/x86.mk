# The x86 (Intel architectural perfmon) counter backend: its freestanding build check, its host
# tests on a simulated PMU and local APIC, the conformance suite on that model, the event tables
# against libpfm4 and Linux perf's lists, a bare-metal image under qemu-system-x86_64, and its
# benchmark. Included by the top-level Makefile (which defines B, CC, LIB_SRCS, HEADERS,
# TEST_CFLAGS, SAN_FLAGS, the freestanding object rules FS_OBJS, ...).
#
#   make check-x86-host          CUnit suites: the backend's logic against the simulated PMU
#   make check-x86-conformance   the backend conformance suite on that model (three shapes)
#   make check-x86-freestanding  x86-64 objects need nothing but membw_*, hold no mutable
#                                globals; inline assembly only in backends/x86/msr.h
#   make check-x86-events        every table row against libpfm4 4.13 and Linux 6.1's lists
#   make check-x86-baremetal     our own x86-64 image under QEMU TCG: probe refuses cleanly, the
#                                LVT entry can be programmed, and QEMU still has no perfmon
#   make bench-x86               MSR accesses per hook, instructions per tick/overflow (callgrind)

X86_INCLUDES := -Iinclude -Ibackends/x86
# Every CUnit build links the runner and the CHECK/SKIP helpers (tests/support/README.md).
X86_TEST_SUPPORT := tests/support/cunit_run.c tests/support/check.c
X86_BACKEND_HDRS := $(wildcard backends/x86/*.h) backends/event_names.h \
	$(wildcard include/membw/*.h)
X86_BACKEND_OBJS := $(call FS_OBJS,x86_64,$(X86_BACKEND_SRCS))

CHECK_PACKAGES += libcunit1-dev
CHECK_TARGETS += check-x86-host check-x86-conformance check-x86-freestanding

.PHONY: check-x86-host check-x86-conformance check-x86-freestanding

# Linked into one object, the backend may need only membw_* symbols and hold no mutable global
# state; its only inline assembly is in msr.h (the accessor header).
check-x86-freestanding: $(X86_BACKEND_OBJS)
	@if grep -n -E '\b(__)?asm(__)?\b' $(filter-out backends/x86/msr.h,$(wildcard backends/x86/*.c backends/x86/*.h)); then \
		echo "FAIL x86 freestanding: inline assembly outside backends/x86/msr.h" >&2; exit 1; fi
	@scripts/check-object --allow '^membw_' "x86 backend x86-64 (asm only in msr.h)" "" \
		$(B)/x86/backend.o $(X86_BACKEND_OBJS)

# Host tests: the backend with X86_FAKE_REGS (tests/x86/fake_msr.c is the PMU and APIC), the
# real event tables, and the policy on top.
X86_TEST_SRCS := $(wildcard tests/x86/*.c) backends/x86/x86.c $(X86_TABLE_SRCS) \
	$(X86_TEST_SUPPORT)
X86_TEST_DEPS := $(wildcard tests/x86/*.h) $(X86_BACKEND_HDRS) $(HEADERS)
X86_TEST_CFLAGS := $(TEST_CFLAGS) -DX86_FAKE_REGS -Ibackends/x86 -Itests/x86

$(B)/tests/x86-host: $(X86_TEST_SRCS) $(LIB_SRCS) $(X86_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(X86_TEST_CFLAGS) $(SAN_FLAGS) $(X86_TEST_SRCS) $(LIB_SRCS) -lcunit -o $@

check-x86-host: $(B)/tests/x86-host
	@$(B)/tests/x86-host

X86_CONF_SRCS := tests/conformance/run_x86.c tests/conformance/conformance.c \
	tests/conformance/conf_cunit.c tests/x86/fake_msr.c backends/x86/x86.c $(X86_TABLE_SRCS) \
	$(X86_TEST_SUPPORT)

$(B)/tests/conformance-x86: $(X86_CONF_SRCS) $(wildcard tests/conformance/*.h) $(X86_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(X86_TEST_CFLAGS) $(SAN_FLAGS) -Itests/conformance $(X86_CONF_SRCS) -lcunit -o $@

check-x86-conformance: $(B)/tests/conformance-x86
	@$(B)/tests/conformance-x86

# ---- event tables: libpfm4 (amd64, LIBPFM_FORCE_PMU per generation) and Linux perf's lists ----
# The amd64 libpfm4 is named with its architecture: with the arm64 one installed too (mk/
# armv8-events.mk), a bare "libpfm4-dev" is satisfied by either.
X86_EVENTS_PACKAGES := libpfm4-dev:amd64 libjansson-dev linux-source
CHECK_PACKAGES += $(X86_EVENTS_PACKAGES)
CHECK_TARGETS += check-x86-events
.PHONY: check-x86-events

X86_EVENTS_CFLAGS := $(TEST_CFLAGS) -D_DEFAULT_SOURCE -Ibackends/x86 -Itests/x86/tables
X86_EVENTS_HDRS := backends/x86/events.h backends/event_names.h tests/x86/tables/x86_refs.h \
	tests/support/cunit_run.h
X86_EVENTS_PMUS := skx clx icx spr
X86_EVENTS_LINUX_TARBALL = $(firstword $(wildcard /usr/src/linux-source-*.tar.xz))
X86_EVENTS_LINUX_DIR := $(B)/x86-events/linux-pmu-events

$(B)/tests/x86-events-libpfm: tests/x86/tables/test_libpfm.c $(X86_TEST_SUPPORT) \
		$(X86_TABLE_SRCS) $(X86_EVENTS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(X86_EVENTS_CFLAGS) $(SAN_FLAGS) tests/x86/tables/test_libpfm.c $(X86_TEST_SUPPORT) \
		$(X86_TABLE_SRCS) -lcunit -lpfm -o $@

$(B)/tests/x86-events-linux: tests/x86/tables/test_linux.c tests/x86/tables/test_tables.c \
		$(X86_TEST_SUPPORT) $(X86_TABLE_SRCS) $(X86_EVENTS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(X86_EVENTS_CFLAGS) $(SAN_FLAGS) tests/x86/tables/test_linux.c \
		tests/x86/tables/test_tables.c $(X86_TEST_SUPPORT) $(X86_TABLE_SRCS) \
		-lcunit -ljansson -o $@

# Linux perf's x86 event lists (data files only), from Debian's linux-source tarball.
$(X86_EVENTS_LINUX_DIR)/x86/mapfile.csv: $(X86_EVENTS_LINUX_TARBALL)
	@tarball='$(X86_EVENTS_LINUX_TARBALL)'; \
	if [ -z "$$tarball" ]; then \
		echo "FAIL x86-events: no /usr/src/linux-source-*.tar.xz; install Debian's" \
			"linux-source: scripts/ensure-packages linux-source" >&2; \
		exit 1; \
	fi; \
	rm -rf $(X86_EVENTS_LINUX_DIR) && mkdir -p $(X86_EVENTS_LINUX_DIR) && \
	tar -xJf "$$tarball" -C $(X86_EVENTS_LINUX_DIR) --strip-components=5 \
		--wildcards '*/tools/perf/pmu-events/arch/x86/*' && touch $@

check-x86-events: $(B)/tests/x86-events-libpfm $(B)/tests/x86-events-linux \
		$(X86_EVENTS_LINUX_DIR)/x86/mapfile.csv
	@for pmu in $(X86_EVENTS_PMUS); do \
		LIBPFM_FORCE_PMU=$$pmu $(B)/tests/x86-events-libpfm $$pmu || exit 1; done
	@MEMBW_LINUX_PMU_EVENTS=$(X86_EVENTS_LINUX_DIR)/x86 $(B)/tests/x86-events-linux

# ---- bare-metal x86-64 image under qemu-system-x86_64 (TCG): no PMU there, docs/qemu.md ----
X86_BM_PACKAGES := qemu-system-x86 binutils
CHECK_PACKAGES += $(X86_BM_PACKAGES)
CHECK_TARGETS += check-x86-baremetal
.PHONY: check-x86-baremetal

XB := $(B)/x86-baremetal
# BAREMETAL_x86_64 for the backend, the core and the image; the image's own code may use inline
# assembly (port I/O, LIDT): the accessor rule is the backend's.
X86_BM_CFLAGS := $(BAREMETAL_x86_64) $(CORE_WARN) -O2 -g -Iinclude -Ibackends/x86
X86_BM_SRCS := tests/x86/baremetal/main.c backends/x86/x86.c $(X86_TABLE_SRCS) $(LIB_SRCS)
X86_BM_OBJS := $(patsubst %.c,$(XB)/obj/%.o,$(X86_BM_SRCS)) $(XB)/obj/boot.o

$(XB)/obj/%.o: %.c $(X86_BACKEND_HDRS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(X86_BM_CFLAGS) -c $< -o $@

$(XB)/obj/boot.o: tests/x86/baremetal/boot.S
	@mkdir -p $(@D)
	$(CC) -m64 -c $< -o $@

$(XB)/image.elf: $(X86_BM_OBJS) tests/x86/baremetal/image.ld
	$(CC) -m64 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-Wl,-T,tests/x86/baremetal/image.ld $(X86_BM_OBJS) -o $@

# QEMU's multiboot loader takes no 64-bit ELF; the header's a.out kludge loads a flat image.
$(XB)/image.bin: $(XB)/image.elf
	objcopy -O binary $< $@

# Two CPU models: TCG's max, and a named Intel model (GenuineIntel, family 6 model 0x55).
check-x86-baremetal: $(XB)/image.bin
	@tests/x86/baremetal/run $(XB)/image.bin max Skylake-Server

# ---- bench-x86 ----------------------------------------------------------------------------------
BENCH_PACKAGES += valgrind libcunit1-dev
BENCH_TARGETS += bench-x86
.PHONY: bench-x86

$(B)/bench/bench-x86: bench/bench_x86.c bench/bench_args.h tests/x86/fake_msr.c backends/x86/x86.c $(X86_TABLE_SRCS) \
		$(LIB_SRCS) $(X86_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -DX86_FAKE_REGS -Iinclude -Ibackends/x86 -Itests/x86 bench/bench_x86.c \
		tests/x86/fake_msr.c backends/x86/x86.c $(X86_TABLE_SRCS) $(LIB_SRCS) $(LDFLAGS) -o $@

bench-x86: $(B)/bench/bench-x86
	@bench/run-x86-bench $(B)/bench/bench-x86
