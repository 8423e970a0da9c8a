# The armv8 (PMUv3) counter backend: freestanding aarch64 library, its build check, and its host
# tests on a simulated register file. Included by the top-level Makefile (which defines B, CC,
# LIB_SRCS, HEADERS, TEST_CFLAGS, SAN_FLAGS, ...).
#
#   make armv8                  build/armv8/libmembw-armv8.a (aarch64, freestanding)
#   make check-armv8-host       CUnit suites: the backend's logic against a simulated register file
#   make check-armv8-freestanding  the backend links with nothing but membw_* symbols
#
# To build the backend into something else (e.g. the QEMU bare-metal tests): link
# $(ARMV8_LIB) and compile with $(ARMV8_INCLUDES) to include "armv8.h".

ARMV8_CROSS := aarch64-linux-gnu-
ARMV8_BACKEND_SRCS := backends/armv8/armv8.c backends/armv8/events.c
ARMV8_BACKEND_HDRS := $(wildcard backends/armv8/*.h) $(wildcard include/membw/*.h)
ARMV8_INCLUDES := -Iinclude -Ibackends/armv8
# The one definition of "freestanding aarch64" for everything that runs without an OS (this
# backend, the event tables in mk/armv8-events.mk, the QEMU images in mk/qemu.mk). Recursively
# expanded (=), so a fragment included before this one (they are included in sorted order:
# armv8-events.mk comes first) still sees it when its rules run.
#   -ffreestanding -fno-builtin -nostdlib: no libc; -fno-tree-loop-distribute-patterns: GCC must
#   not turn loops into memset/memcpy calls; -mno-outline-atomics: atomics inline, no libgcc
#   helpers; -fno-stack-protector -fno-pic -fno-pie: no runtime support to lean on;
#   -mgeneral-regs-only: no FP/SIMD (no floats, and a kernel/EL2 need not save them);
#   -mstrict-align: bare metal with the MMU off is Device memory, where unaligned access faults.
ARMV8_FREESTANDING = -std=c11 -ffreestanding -fno-builtin -nostdlib -fno-tree-loop-distribute-patterns \
	-fno-stack-protector -fno-pic -fno-pie -mgeneral-regs-only -mstrict-align -mno-outline-atomics
ARMV8_WARN = -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes
ARMV8_CFLAGS = $(ARMV8_FREESTANDING) $(ARMV8_WARN) -O2 -g $(ARMV8_INCLUDES)
ARMV8_BACKEND_OBJS := $(ARMV8_BACKEND_SRCS:backends/armv8/%.c=$(B)/armv8/%.o)
ARMV8_LIB := $(B)/armv8/libmembw-armv8.a

CHECK_PACKAGES += gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libcunit1-dev
CHECK_TARGETS += check-armv8-host check-armv8-freestanding

.PHONY: armv8 check-armv8-host check-armv8-freestanding

$(B)/armv8/%.o: backends/armv8/%.c $(ARMV8_BACKEND_HDRS)
	@mkdir -p $(@D)
	$(ARMV8_CROSS)gcc $(ARMV8_CFLAGS) -c $< -o $@

$(ARMV8_LIB): $(ARMV8_BACKEND_OBJS)
	rm -f $@
	$(ARMV8_CROSS)ar rcs $@ $(ARMV8_BACKEND_OBJS)

armv8: $(ARMV8_LIB)

# Linked into one object, the backend may need only membw_* symbols (from libmembw.a) and must
# hold no mutable global state; its only inline assembly is in sysreg.h.
check-armv8-freestanding: $(ARMV8_BACKEND_OBJS)
	@if grep -n 'asm' $(ARMV8_BACKEND_SRCS); then \
		echo "FAIL armv8 freestanding: inline assembly outside backends/armv8/sysreg.h" >&2; exit 1; fi
	@$(ARMV8_CROSS)ld -r -o $(B)/armv8/backend.o $(ARMV8_BACKEND_OBJS)
	@undefined=$$($(ARMV8_CROSS)nm -u $(B)/armv8/backend.o | awk '{print $$2}' | grep -v '^membw_' || true); \
	mutable=$$($(ARMV8_CROSS)nm $(B)/armv8/backend.o | awk '$$2 ~ /^[BbDdCGgSsVv]$$/'); \
	if [ -n "$$undefined" ]; then \
		echo "FAIL armv8 freestanding: the backend needs symbols from outside libmembw:" >&2; \
		echo "$$undefined" >&2; exit 1; fi; \
	if [ -n "$$mutable" ]; then \
		echo "FAIL armv8 freestanding: the backend holds mutable global state:" >&2; \
		echo "$$mutable" >&2; exit 1; fi; \
	echo "PASS armv8 freestanding aarch64: $(words $(ARMV8_BACKEND_SRCS)) sources, no undefined symbols but membw_*, no mutable globals, asm only in sysreg.h"

# Host tests: the backend's logic with ARMV8_FAKE_REGS (tests/armv8/fake_sysreg.c is the register
# file). armv8-host uses the tests' own event-table lookup (fake_events.c) and runs the policy on
# top; armv8-host-tables links the real tables (events.c) instead.
ARMV8_TEST_COMMON := tests/armv8/helpers.c tests/armv8/fake_sysreg.c backends/armv8/armv8.c \
	tests/support/cunit_run.c
ARMV8_TEST_SRCS := $(filter-out $(ARMV8_TEST_COMMON),$(wildcard tests/armv8/*.c)) $(ARMV8_TEST_COMMON)
ARMV8_TEST_DEPS := $(wildcard tests/armv8/*.h) $(ARMV8_BACKEND_HDRS) $(HEADERS)
ARMV8_TEST_CFLAGS := $(TEST_CFLAGS) -DARMV8_FAKE_REGS -Ibackends/armv8 -Itests/armv8

$(B)/tests/armv8-host: $(ARMV8_TEST_SRCS) $(LIB_SRCS) $(ARMV8_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ARMV8_TEST_CFLAGS) $(SAN_FLAGS) $(ARMV8_TEST_SRCS) $(LIB_SRCS) -lcunit -o $@

$(B)/tests/armv8-host-tables: tests/armv8/tables/main.c backends/armv8/events.c $(ARMV8_TEST_COMMON) \
		$(ARMV8_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ARMV8_TEST_CFLAGS) $(SAN_FLAGS) tests/armv8/tables/main.c backends/armv8/events.c \
		$(ARMV8_TEST_COMMON) -lcunit -o $@

check-armv8-host: $(B)/tests/armv8-host $(B)/tests/armv8-host-tables
	@$(B)/tests/armv8-host
	@$(B)/tests/armv8-host-tables
