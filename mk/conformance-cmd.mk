# The backend conformance suite as a deliverable: the library libmembw-conformance.a (the suite's
# facts, tests/conformance/conformance.c, with conformance/: the runner, the measured facts, the
# report), `membw conformance` (tools/membw/conformance/: the suite through the perf backend on
# this machine's PMU), their tests. docs/conformance.md explains both routes.
#
#   make check-conformance-cmd     its parser of the online CPUs file, then `membw conformance` on
#                                  this host's software events (page faults exact, cpu-clock by
#                                  workload, an event with no workload)
#   make check-conformance-vendor  the vendor route from an installed package: a backend of our
#                                  own passes, and each deliberately broken variant fails the
#                                  facts it breaks
#   make check-conformance-guest   `membw conformance` in Debian's arm64 kernel under QEMU -icount
#                                  with INST_RETIRED and CPU_CYCLES (QEMU's late overflow shows
#                                  as the measured skid)

# What the command and the guest run need (mk/perf.mk asks for the same; listed here too so that
# this fragment stands on its own).
CONFORMANCE_PACKAGES := libpfm4-dev qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
	cpio gzip
CHECK_PACKAGES += $(CONFORMANCE_PACKAGES)
CHECK_TARGETS += check-conformance-cmd check-conformance-vendor check-conformance-guest

.PHONY: check-conformance-cmd check-conformance-vendor check-conformance-guest

CONFLIB_SRCS := tests/conformance/conformance.c $(wildcard conformance/*.c)
CONFLIB_HDRS := $(wildcard conformance/*.h tests/conformance/*.h include/membw/*.h) \
	tests/support/check.h
CONFLIB_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(HOST_WARN) -fPIC \
	-fvisibility=hidden -Iinclude -Itests/support -Itests/conformance -Iconformance
CONFLIB_OBJS := $(CONFLIB_SRCS:%.c=$(B)/conflib-obj/%.o)

$(B)/conflib-obj/%.o: %.c $(CONFLIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CONFLIB_CFLAGS) -c $< -o $@

# One relocatable object with its hidden symbols made local, as libmembw.a is built: linking it
# brings in only the membw_conformance_ functions (the suite's check_at() & co. stay inside).
$(B)/libmembw-conformance.a: $(CONFLIB_OBJS)
	$(LD) -r -o $(B)/membw-conformance.o $(CONFLIB_OBJS)
	objcopy --localize-hidden $(B)/membw-conformance.o
	rm -f $@
	$(AR) rcs $@ $(B)/membw-conformance.o

lib: $(B)/libmembw-conformance.a

# Installed through mk/pkg.mk's one list.
INSTALL_FILES += 644:$(B)/libmembw-conformance.a:$(LIBDIR)

# `membw conformance`: built like the perf commands (mk/perf.mk's flags, read when the recipe
# runs), joined to build/membw with the library.
CONFCMD_SRCS := $(wildcard tools/membw/conformance/*.c)
CONFCMD_HDRS := $(wildcard tools/membw/conformance/*.h backends/perf/*.h include/membw/*.h) \
	tools/membw/cli.h tools/membw/commands.h tools/membw/text.h
CONFCMD_OBJS := $(CONFCMD_SRCS:%.c=$(B)/confcmd-obj/%.o)

$(B)/confcmd-obj/%.o: %.c $(CONFCMD_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PERF_CFLAGS) $(CFLAGS) -Itools/membw/conformance -c $< -o $@

MEMBW_TOOL_OBJS += $(CONFCMD_OBJS) $(B)/libmembw-conformance.a

# ---------------------------------------------------------------------------------------------
# Tests.

# The command line's parsers alone (nothing is run): tests/conformance/test_args.c.
CONFARGS_TEST_SRCS := tests/conformance/test_args.c tools/membw/conformance/conformance_args.c \
	tools/membw/cli.c tools/membw/text.c tests/support/cunit_run.c tests/support/check.c

$(B)/tests/conformance-args: $(CONFARGS_TEST_SRCS) tools/membw/conformance/conformance_args.h \
		tools/membw/cli.h tools/membw/text.h tools/membw/commands.h $(wildcard tests/support/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Itools/membw -Itools/membw/conformance \
		$(CONFARGS_TEST_SRCS) -lcunit -o $@

check-conformance-cmd: $(B)/tests/conformance-args $(B)/membw
	@$(B)/tests/conformance-args
	@tests/conformance/cmd-tests $(B)/membw

check-conformance-vendor: $(B)/libmembw-conformance.a $(B)/libmembw.a
	@tests/conformance/vendor-tests $(B)

# The guest: a static aarch64 membw with `conformance` (and the perf backend it drives) only.
CONFCMD_A64_SRCS := tools/membw/main.c tools/membw/cli.c tools/membw/text.c $(CONFCMD_SRCS) $(CONFLIB_SRCS) \
	$(wildcard backends/perf/*.c) $(ARMV8_TABLE_SRCS) $(X86_TABLE_SRCS) $(LIB_SRCS)
CONF_GUEST_TIMEOUT := 500

$(B)/aarch64/membw-conformance: $(CONFCMD_A64_SRCS) $(CONFCMD_HDRS) $(CONFLIB_HDRS) \
		| deps-perf-arm64
	@mkdir -p $(@D)/include
	@ln -sfn /usr/include/perfmon $(@D)/include/perfmon
	$(AARCH64_CROSS)gcc -static -std=c11 $(HOST_WARN) -O2 -g -Iinclude \
		-Ibackends -Ibackends/perf -Itools/membw -Itools/membw/conformance -Itests/support \
		-Itests/conformance -Iconformance -isystem $(@D)/include $(CONFCMD_A64_SRCS) \
		-L/usr/lib/aarch64-linux-gnu -lpfm -pthread -o $@

check-conformance-guest: $(B)/aarch64/membw-conformance
	@tests/kernel/fetch arm64
	@tests/kernel/boot --arch arm64 --icount --quiet --timeout $(CONF_GUEST_TIMEOUT) \
		--script tests/conformance/guest-run.sh \
		--file $(B)/aarch64/membw-conformance:/membw \
		--file tests/kernel/guest-lib.sh:/guest-lib.sh \
		--log $(B)/kernel/logs/conformance-guest-arm64.log; \
	status=$$?; tr -d '\r' <$(B)/kernel/logs/conformance-guest-arm64.log | \
		grep -E '^(PASS|FAIL|SKIP|BENCH|SUMMARY|  (PASS|FAIL|SKIP|overflow|cost))' ; \
	if [ $$status -eq 0 ]; then echo "PASS conformance-guest: membw conformance in the arm64 kernel"; \
	else echo "FAIL conformance-guest: exit $$status, log $(B)/kernel/logs/conformance-guest-arm64.log"; \
		exit 1; fi
