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
X86_BACKEND_HDRS := $(wildcard backends/x86/*.h) $(wildcard include/membw/*.h)
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
	tests/support/cunit_run.c
X86_TEST_DEPS := $(wildcard tests/x86/*.h) $(X86_BACKEND_HDRS) $(HEADERS)
X86_TEST_CFLAGS := $(TEST_CFLAGS) -DX86_FAKE_REGS -Ibackends/x86 -Itests/x86

$(B)/tests/x86-host: $(X86_TEST_SRCS) $(LIB_SRCS) $(X86_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(X86_TEST_CFLAGS) $(SAN_FLAGS) $(X86_TEST_SRCS) $(LIB_SRCS) -lcunit -o $@

check-x86-host: $(B)/tests/x86-host
	@$(B)/tests/x86-host

X86_CONF_SRCS := tests/conformance/run_x86.c tests/conformance/conformance.c \
	tests/conformance/conf_cunit.c tests/x86/fake_msr.c backends/x86/x86.c $(X86_TABLE_SRCS) \
	tests/support/cunit_run.c

$(B)/tests/conformance-x86: $(X86_CONF_SRCS) $(wildcard tests/conformance/*.h) $(X86_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(X86_TEST_CFLAGS) $(SAN_FLAGS) -Itests/conformance $(X86_CONF_SRCS) -lcunit -o $@

check-x86-conformance: $(B)/tests/conformance-x86
	@$(B)/tests/conformance-x86
