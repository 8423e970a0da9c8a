# membw.ko's control-file parser and apply layer (kmod/control_parse.c, kmod/control_apply.c) on
# the host: the same source files Kbuild compiles, unchanged, with the host compiler.
# Included by the top-level Makefile (which defines B, CC, TEST_CFLAGS, SAN_FLAGS, ...).
#
#   make check-kmod-parse   CUnit suites (tests/kmod/) under ASan+UBSan, and both files built
#                           freestanding for aarch64 and x86-64 and checked as objects (no libc,
#                           no mutable globals; only lib/'s membw_ functions from outside)

CHECK_TARGETS += check-kmod-parse

.PHONY: check-kmod-parse

KMOD_PARSE_SRCS := kmod/control_parse.c kmod/control_apply.c
KMOD_PARSE_TESTS := $(wildcard tests/kmod/*.c)
KMOD_PARSE_SUPPORT := tests/support/cunit_run.c tests/support/check.c

$(B)/tests/kmod-parse: $(KMOD_PARSE_TESTS) $(KMOD_PARSE_SRCS) kmod/control_parse.h \
		$(KMOD_PARSE_SUPPORT) $(LIB_SRCS) $(HEADERS) $(wildcard tests/support/*.h)
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
