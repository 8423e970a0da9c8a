# memtalk: the guest->host bandwidth ABI (memtalk/, part of libmembw), its unit tests and its fuzz
# target.
# Included by the top-level Makefile (which defines B, CC, HEADERS, LIB_SRCS, SAN_FLAGS, ...).
#
#   make check-memtalk        CUnit suites (encoder, discovery, every refusal path) under
#                             ASan+UBSan, a ThreadSanitizer race test, and the default
#                             HVC/VMCALL hooks compiled for aarch64 and x86-64
#   make check-fuzz-memtalk   a short fixed-seed libFuzzer pass over the host dispatcher (make
#                             check runs it as part of check-fuzz, mk/fuzz.mk)
#   make fuzz FUZZ_RUNS=N     the same fuzz target for N executions (default 1000000)
#   make bench-memtalk        instructions per dispatch, counted by valgrind (callgrind)

# clang-14 compiles the fuzz target; libclang-rt-14-dev (only "recommended" by it) has libFuzzer.
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
# check-hooks compiles the AArch64 HVC hook with the cross compiler (objdump from binutils).
MEMTALK_PACKAGES := gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
CHECK_PACKAGES += $(FUZZ_PACKAGES) $(MEMTALK_PACKAGES)
BENCH_PACKAGES += valgrind
CHECK_TARGETS += check-memtalk
BENCH_TARGETS += bench-memtalk

.PHONY: check-memtalk check-fuzz-memtalk fuzz bench-memtalk

MEMTALK_TEST_SRCS := $(wildcard tests/memtalk/*.c)
MEMTALK_SUPPORT := tests/support/fixture.c tests/support/test_backend.c tests/support/cunit_run.c \
	tests/support/check.c tests/support/trace_log.c

$(B)/tests/memtalk-tests: $(MEMTALK_TEST_SRCS) tests/memtalk/world.h $(MEMTALK_SUPPORT) \
		$(LIB_SRCS) $(HEADERS) $(wildcard tests/support/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Itests/memtalk $(MEMTALK_TEST_SRCS) $(MEMTALK_SUPPORT) \
		$(LIB_SRCS) -lcunit -o $@

# -Wno-tsan: ThreadSanitizer does not model the seqlock's fences (lib/atomic.h); every access they
# order is itself atomic, so it still sees no data race there.
$(B)/tests/memtalk-race: tests/memtalk/race/race.c tests/support/test_backend.c $(LIB_SRCS) \
		$(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -O2 -fsanitize=thread -Wno-tsan -pthread tests/memtalk/race/race.c \
		tests/support/test_backend.c $(LIB_SRCS) -o $@

# The suites, the concurrency test under ThreadSanitizer, a compile-only check of the
# inline-assembly call hooks for both architectures, and of the budget seqlock's aarch64 barrier.
MEMTALK_HOOK_OBJS := $(call FS_OBJS,aarch64,tests/memtalk/hooks/hooks.c) \
	$(call FS_OBJS,x86_64,tests/memtalk/hooks/hooks.c)

check-memtalk: $(B)/tests/memtalk-tests $(B)/tests/memtalk-race $(MEMTALK_HOOK_OBJS) \
		$(call FS_OBJS,aarch64,lib/control.c)
	@$(B)/tests/memtalk-tests
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(B)/tests/memtalk-race
	@tests/memtalk/hooks/check-hooks $(MEMTALK_HOOK_OBJS)
	@tests/memtalk/seqlock/check-seqlock $(call FS_OBJS,aarch64,lib/control.c)

# The core's sources are built into the target with the same sanitizers (FUZZ_CC, FUZZ_FLAGS:
# mk/fuzz.mk).
FUZZ_RUNS ?= 1000000
FUZZ_CHECK_RUNS := 200000

$(B)/fuzz/fuzz-memtalk: tests/fuzz/fuzz_memtalk.c tests/support/test_backend.c $(LIB_SRCS) \
		$(HEADERS) $$(FUZZ_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_memtalk.c tests/support/test_backend.c \
		$(LIB_SRCS) -o $@

# Fixed seed, fixed number of runs, no corpus written: the same inputs every time.
check-fuzz-memtalk: $(B)/fuzz/fuzz-memtalk
	@tests/fuzz/run $(B)/fuzz/fuzz-memtalk $(FUZZ_CHECK_RUNS) 1

fuzz:
	@scripts/ensure-packages $(FUZZ_PACKAGES)
	@$(MAKE) --no-print-directory $(B)/fuzz/fuzz-memtalk
	@tests/fuzz/run $(B)/fuzz/fuzz-memtalk $(FUZZ_RUNS) 0

$(B)/bench/bench-memtalk: tests/memtalk/bench/bench_memtalk.c $(B)/libmembw.a \
		tests/support/test_backend.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinclude -Itests/support tests/memtalk/bench/bench_memtalk.c \
		tests/support/test_backend.c $(B)/libmembw.a $(LDFLAGS) -o $@

bench-memtalk: $(B)/bench/bench-memtalk
	@tests/memtalk/bench/run-bench $(B)/bench/bench-memtalk
