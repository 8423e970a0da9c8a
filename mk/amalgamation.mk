# The amalgamation: libmembw's core, memtalk's host dispatcher and the armv8 backend as one C file
# and one header (build/membw-amalgamation.c, .h), the way SQLite ships, for a kernel or
# hypervisor to drop into its tree (docs/hypervisors.md). Written by scripts/amalgamate from the
# lists of mk/sources.mk. Included by the top-level Makefile (which defines B, CC, FS,
# BAREMETAL_*, CORE_WARN, TEST_CFLAGS, SAN_FLAGS, UNIT_SRCS, TEST_SUPPORT, ...).
#
#   make amalgamation        build/membw-amalgamation.c and build/membw-amalgamation.h
#   make check-amalgamation  (a) it builds freestanding for x86-64 and aarch64 with the core's
#                            flags and object checks, from the two files alone (no -I);
#                            (b) the unit suite and the armv8 backend's table suite pass
#                            against it instead of the separate sources; and the generator
#                            refuses a .c file's macro reaching a later file, and a public
#                            header the amalgamated header lacks

# The core and the host side of memtalk (a hypervisor answers guests' calls; memtalk/guest.c is
# the guest's side and stays out), then the armv8 backend, compiled only for aarch64 (its
# sysreg.h is inline assembly) or for the host tests' simulated registers (ARMV8_FAKE_REGS).
AMALG_CORE_SRCS := $(MEMBW_CORE_SRCS) $(MEMTALK_HOST_SRCS)
AMALG_ARMV8_GUARD := defined(__aarch64__) || defined(ARMV8_FAKE_REGS)
AMALG_PUBLIC := include/membw/membw.h include/membw/memtalk_host.h backends/armv8/armv8.h
AMALG_C := $(B)/membw-amalgamation.c
AMALG_H := $(B)/membw-amalgamation.h

CHECK_PACKAGES += python3 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libcunit1-dev
CHECK_TARGETS += check-amalgamation

.PHONY: amalgamation check-amalgamation

# What scripts/amalgamate is given after its two output files (also tests/amalgamation/refusals).
AMALG_ARGS = $(AMALG_PUBLIC) -- $(AMALG_CORE_SRCS) --backend armv8 '$(AMALG_ARMV8_GUARD)' \
	$(ARMV8_BACKEND_SRCS)

$(AMALG_C) $(AMALG_H) &: scripts/amalgamate mk/sources.mk mk/amalgamation.mk $(AMALG_CORE_SRCS) \
		$(ARMV8_BACKEND_SRCS) $(HEADERS) \
		$(wildcard backends/armv8/*.h)
	@mkdir -p $(@D)
	scripts/amalgamate $(AMALG_C) $(AMALG_H) $(AMALG_ARGS)

amalgamation: $(AMALG_C) $(AMALG_H)

# (a) The library's freestanding build (BAREMETAL_<arch>, CORE_WARN, -O2) of the one file, with
# no include path: the .c and the .h need nothing but the compiler's own headers.
AMALG_FS_X86 := $(FS)/x86_64/amalgamation/membw-amalgamation.o
AMALG_FS_ARM := $(FS)/aarch64/amalgamation/membw-amalgamation.o

$(AMALG_FS_X86): $(AMALG_C) $(AMALG_H)
	@mkdir -p $(@D)
	$(CC) $(BAREMETAL_x86_64) $(CORE_WARN) -O2 -c $(AMALG_C) -o $@

$(AMALG_FS_ARM): $(AMALG_C) $(AMALG_H)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(BAREMETAL_aarch64) $(CORE_WARN) -O2 -c $(AMALG_C) -o $@

# (b) The unit suite (check-unit's sources and flags) linked with the amalgamation in place of
# $(LIB_SRCS); the armv8 backend's suite over its real event tables (check-armv8-host's
# armv8-host-tables) with the amalgamation in place of armv8.c and events.c.
$(B)/tests/unit-tests-amalgamation: $(UNIT_SRCS) $(TEST_SUPPORT) $(AMALG_C) $(AMALG_H) \
		$(wildcard tests/support/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) '-DUNIT_RUN_NAME="unit (amalgamation)"' $(UNIT_SRCS) \
		$(TEST_SUPPORT) $(AMALG_C) -lcunit -o $@

# Recursive (=) and, in the prerequisites, expanded a second time: mk/armv8.mk may be read after
# this fragment.
AMALG_ARMV8_TEST_SRCS = tests/armv8/tables/backend_main.c \
	$(filter-out backends/armv8/%,$(ARMV8_TEST_COMMON)) $(AMALG_C)

$(B)/tests/armv8-host-tables-amalgamation: $$(AMALG_ARMV8_TEST_SRCS) $(AMALG_H) $$(ARMV8_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ARMV8_TEST_CFLAGS) $(SAN_FLAGS) $(AMALG_ARMV8_TEST_SRCS) -lcunit -o $@

check-amalgamation: $(AMALG_FS_X86) $(AMALG_FS_ARM) $(B)/tests/unit-tests-amalgamation \
		$(B)/tests/armv8-host-tables-amalgamation
	@scripts/check-object "amalgamation x86-64 (core, memtalk host)" "" \
		$(AMALG_FS_X86:.o=-linked.o) $(AMALG_FS_X86)
	@scripts/check-object "amalgamation aarch64 (core, memtalk host, armv8 backend)" \
		$(AARCH64_CROSS) $(AMALG_FS_ARM:.o=-linked.o) $(AMALG_FS_ARM)
	@$(B)/tests/unit-tests-amalgamation
	@$(B)/tests/armv8-host-tables-amalgamation
	@tests/amalgamation/refusals $(B)/amalgamation-refusals $(AMALG_ARGS)
