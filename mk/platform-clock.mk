# The bare-metal platform's tick/ns conversions (tests/qemu/platform/clock.h), tested on the host
# (tests/qemu/clock/test_clock.c). Included by the top-level Makefile.
#
#   make check-platform-clock   every conversion path against hand-computed values

CHECK_TARGETS += check-platform-clock
CHECK_PACKAGES += libcunit1-dev

.PHONY: check-platform-clock

PLATFORM_CLOCK_TEST_SRCS := tests/qemu/clock/test_clock.c tests/support/cunit_run.c \
	tests/support/check.c

$(B)/tests/platform-clock: $(PLATFORM_CLOCK_TEST_SRCS) tests/qemu/platform/clock.h \
		tests/support/check.h tests/support/cunit_run.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Itests/qemu/platform $(PLATFORM_CLOCK_TEST_SRCS) -lcunit \
		-o $@

check-platform-clock: $(B)/tests/platform-clock
	@$(B)/tests/platform-clock
