# The armv8 (PMUv3) counter backend: freestanding aarch64 library, its build check, and its host
# tests on a simulated register file. Included by the top-level Makefile (which defines B, CC,
# LIB_SRCS, HEADERS, TEST_CFLAGS, SAN_FLAGS, the freestanding object rules FS_OBJS, ...).
#
#   make armv8                  build/armv8/libmembw-armv8.a (aarch64, freestanding)
#   make check-armv8-host       CUnit suites: the backend's logic against a simulated register file
#   make check-armv8-freestanding  the backend links with nothing but membw_* symbols
#
# To build the backend into something else (e.g. the QEMU bare-metal tests): link
# $(ARMV8_LIB) and compile with $(ARMV8_INCLUDES) to include "armv8.h".

# Sources: mk/sources.mk's ARMV8_BACKEND_SRCS. Objects: the top Makefile's freestanding
# aarch64 rule (BAREMETAL_aarch64, CORE_WARN), the same build as the core's.
ARMV8_BACKEND_HDRS := $(wildcard backends/armv8/*.h) backends/event_names.h \
	$(wildcard include/membw/*.h)
ARMV8_INCLUDES := -Iinclude -Ibackends/armv8
ARMV8_BACKEND_OBJS := $(call FS_OBJS,aarch64,$(ARMV8_BACKEND_SRCS))
ARMV8_LIB := $(B)/armv8/libmembw-armv8.a

CHECK_PACKAGES += gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libcunit1-dev
CHECK_TARGETS += check-armv8-host check-armv8-freestanding

.PHONY: armv8 check-armv8-host check-armv8-freestanding

$(ARMV8_LIB): $(ARMV8_BACKEND_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AARCH64_CROSS)ar rcs $@ $(ARMV8_BACKEND_OBJS)

armv8: $(ARMV8_LIB)

# Linked into one object, the backend may need only membw_* symbols (from libmembw.a) and must
# hold no mutable global state; its only inline assembly is in sysreg.h.
check-armv8-freestanding: $(ARMV8_BACKEND_OBJS)
	@if grep -n 'asm' $(ARMV8_BACKEND_SRCS); then \
		echo "FAIL armv8 freestanding: inline assembly outside backends/armv8/sysreg.h" >&2; exit 1; fi
	@scripts/check-object --allow '^membw_' "armv8 backend aarch64 (asm only in sysreg.h)" \
		$(AARCH64_CROSS) $(B)/armv8/backend.o $(ARMV8_BACKEND_OBJS)

# Host tests: the backend's logic with ARMV8_FAKE_REGS (tests/armv8/fake_sysreg.c is the register
# file). armv8-host uses the tests' own event-table lookup (fake_events.c) and runs the policy on
# top; armv8-host-tables links the real tables (events.c) instead.
ARMV8_TEST_COMMON := tests/armv8/helpers.c tests/armv8/fake_sysreg.c backends/armv8/armv8.c \
	tests/support/cunit_run.c tests/support/check.c
ARMV8_TEST_SRCS := $(filter-out $(ARMV8_TEST_COMMON),$(wildcard tests/armv8/*.c)) $(ARMV8_TEST_COMMON)
ARMV8_TEST_DEPS := $(wildcard tests/armv8/*.h) tests/support/check.h $(ARMV8_BACKEND_HDRS) \
	$(HEADERS)
ARMV8_TEST_CFLAGS := $(TEST_CFLAGS) -DARMV8_FAKE_REGS -Ibackends/armv8 -Itests/armv8

$(B)/tests/armv8-host: $(ARMV8_TEST_SRCS) $(LIB_SRCS) $(ARMV8_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ARMV8_TEST_CFLAGS) $(SAN_FLAGS) $(ARMV8_TEST_SRCS) $(LIB_SRCS) -lcunit -o $@

$(B)/tests/armv8-host-tables: tests/armv8/tables/backend_main.c $(ARMV8_TABLE_SRCS) \
		$(ARMV8_TEST_COMMON) $(ARMV8_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ARMV8_TEST_CFLAGS) $(SAN_FLAGS) tests/armv8/tables/backend_main.c \
		$(ARMV8_TABLE_SRCS) $(ARMV8_TEST_COMMON) -lcunit -o $@

check-armv8-host: $(B)/tests/armv8-host $(B)/tests/armv8-host-tables
	@$(B)/tests/armv8-host
	@$(B)/tests/armv8-host-tables
