# membw.ko's control-file parser and apply layer (kmod/control_parse.c, kmod/control_apply.c) on
# the host: the same source files Kbuild compiles, unchanged, with the host compiler.
# Included by the top-level Makefile (which defines B, CC, TEST_CFLAGS, SAN_FLAGS, ...).
#
#   make check-kmod-parse   CUnit suites (tests/kmod/) under ASan+UBSan, and both files built
#                           freestanding for aarch64 and x86-64 and checked as objects (no libc,
#                           no mutable globals; only lib/'s membw_ functions from outside)
#
# Its fuzz target, kmod-control, is below; check-fuzz runs it (mk/fuzz.mk).

CHECK_TARGETS += check-kmod-parse
FUZZ_TARGETS += kmod-control

.PHONY: check-kmod-parse

KMOD_PARSE_SRCS := kmod/control_parse.c kmod/control_apply.c
KMOD_PARSE_TESTS := $(wildcard tests/kmod/*.c)
KMOD_PARSE_SUPPORT := tests/support/cunit_run.c tests/support/check.c

$(B)/tests/kmod-parse: $(KMOD_PARSE_TESTS) tests/kmod/fake_policy.h $(KMOD_PARSE_SRCS) \
		kmod/control_parse.h $(KMOD_PARSE_SUPPORT) $(LIB_SRCS) $(HEADERS) \
		$(wildcard tests/support/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -iquote kmod $(KMOD_PARSE_TESTS) $(KMOD_PARSE_SRCS) \
		$(KMOD_PARSE_SUPPORT) $(LIB_SRCS) -lcunit -o $@

KMOD_PARSE_FS_OBJS = $(call FS_OBJS,x86_64,$(KMOD_PARSE_SRCS)) \
	$(call FS_OBJS,aarch64,$(KMOD_PARSE_SRCS))

check-kmod-parse: $(B)/tests/kmod-parse $$(KMOD_PARSE_FS_OBJS)
	@$(B)/tests/kmod-parse
	@scripts/check-object --allow '^membw_' "kmod control x86-64" "" \
		$(FS)/x86_64/kmod-control.o $(call FS_OBJS,x86_64,$(KMOD_PARSE_SRCS))
	@scripts/check-object --allow '^membw_' "kmod control aarch64" $(AARCH64_CROSS) \
		$(FS)/aarch64/kmod-control.o $(call FS_OBJS,aarch64,$(KMOD_PARSE_SRCS))

# The fuzz target: the parser, the renderer and the apply layer against invariants written in
# the target (tests/fuzz/fuzz_kmod_control.c).
# The policy it applies to is the suites' recording one (tests/kmod/fake_policy.c).
$(B)/fuzz/fuzz-kmod-control: tests/fuzz/fuzz_kmod_control.c tests/kmod/fake_policy.c \
		tests/kmod/fake_policy.h $(KMOD_PARSE_SRCS) kmod/control_parse.h lib/units.c \
		lib/convert.c $(HEADERS) $$(FUZZ_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -iquote kmod -iquote tests/kmod tests/fuzz/fuzz_kmod_control.c \
		tests/kmod/fake_policy.c $(KMOD_PARSE_SRCS) lib/units.c lib/convert.c -o $@
FUZZ_CHECK_RUNS_kmod-control := 200000
FUZZ_MAX_LEN_kmod-control := 256
