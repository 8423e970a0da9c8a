# The portable core's unit tests (tests/unit) cross-built for aarch64 and run under qemu-aarch64
# user mode, to catch what only shows on the other architecture: plain char is unsigned there,
# long double differs, and undefined behaviour such as a misaligned access is made to trap.
# Included by the top-level Makefile (which defines B, TEST_CFLAGS, UNIT_SRCS, LIB_SRCS, ...).
#
#   make check-unit-aarch64   build build/tests/unit-tests-aarch64, run it under qemu-aarch64
#
# The ASan/UBSan runtimes are not used (no cross runtime to run under qemu-user); instead UBSan's
# checks compile to trap instructions, which need no runtime: a failed check stops the run with
# SIGTRAP. CUnit for arm64 comes from Debian multiarch (scripts/ensure-arm64-cunit) and is
# linked statically, so qemu-aarch64 needs no arm64 sysroot at run time.

UNIT_AARCH64_PACKAGES := qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
CHECK_PACKAGES += $(UNIT_AARCH64_PACKAGES)
CHECK_TARGETS += check-unit-aarch64

.PHONY: check-unit-aarch64 deps-unit-aarch64-arm64

UNIT_AARCH64_UB := -fsanitize=undefined -fsanitize-undefined-trap-on-error
# The whole run takes about two seconds under emulation; the bound only stops a hung emulator.
UNIT_AARCH64_TIMEOUT := 300

deps-unit-aarch64-arm64:
	@scripts/ensure-arm64-cunit

$(B)/tests/unit-tests-aarch64: $(UNIT_SRCS) $(TEST_SUPPORT) $(LIB_SRCS) $(HEADERS) \
		$(wildcard tests/support/*.h) | deps-unit-aarch64-arm64
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(TEST_OWN_CFLAGS) $(UNIT_AARCH64_UB) -static \
		'-DUNIT_RUN_NAME="unit (aarch64, qemu-user)"' $(UNIT_SRCS) \
		$(TEST_SUPPORT) $(LIB_SRCS) -lcunit -o $@

# qemu-user dumps a core on a trap: none wanted in the work tree.
check-unit-aarch64: $(B)/tests/unit-tests-aarch64
	@ulimit -c 0; timeout $(UNIT_AARCH64_TIMEOUT) qemu-aarch64 $< || { status=$$?; \
	case $$status in \
	124) echo "FAIL unit-aarch64: no result within $(UNIT_AARCH64_TIMEOUT) s" >&2 ;; \
	133) echo "FAIL unit-aarch64: undefined behaviour trapped (SIGTRAP), e.g. a misaligned" \
		"access or an overflow; find it with 'make check-unit' (full UBSan messages) or" \
		"qemu-aarch64 -g 1234 $< and gdb-multiarch" >&2 ;; \
	esac; exit $$status; }
