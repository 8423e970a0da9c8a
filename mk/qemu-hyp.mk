# The test hypervisor at EL2 on QEMU (tests/qemu/hyp): two CPUs, one bare-metal guest at EL1
# each, libmembw + the armv8 backend in EL2 mode, the memtalk dispatcher on the guests' HVCs.
# It reuses mk/qemu.mk's object rule, flags and libraries (QEMU_LDFLAGS, QEMU_PLATFORM_ALWAYS,
# libplatform.a, libmembw.a) and mk/armv8.mk's backend library. Fragments may be read in any
# order, so the ones defined there are used only in recipes and in secondary expansion ($$),
# both of which expand after every fragment has been read.
#
#   make check-qemu-hyp      build the image, run tests/qemu/hyp/configs (group check) under timeout
#   make bench-memtalk-hvc   instructions for a SET_BUDGET hypercall round trip (group bench)

HYP_PACKAGES := qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
CHECK_PACKAGES += $(HYP_PACKAGES)
CHECK_TARGETS += check-qemu-hyp
BENCH_PACKAGES += $(HYP_PACKAGES)
BENCH_TARGETS += bench-memtalk-hvc

.PHONY: check-qemu-hyp bench-memtalk-hvc

HYP_SRCS := $(wildcard tests/qemu/hyp/*.c tests/qemu/hyp/*.S)
HYP_QB := $(B)/qemu
HYP_OBJS := $(patsubst %,$(HYP_QB)/obj/%.o,$(basename $(HYP_SRCS)))
HYP_LIBS := $(B)/armv8/libmembw-armv8.a $(HYP_QB)/libmembw.a $(HYP_QB)/libplatform.a
HYP_IMAGE := $(HYP_QB)/hyp_memtalk.elf

$(HYP_OBJS): $(wildcard tests/qemu/hyp/*.h)

# The platform's start code stays at EL2 because hyp.c defines platform_boot_el = 2; the
# platform's vectors.S is linked for its EL1 table (the guests' VBAR_EL1).
$(HYP_IMAGE): $(HYP_OBJS) $$(QEMU_PLATFORM_ALWAYS) $(HYP_LIBS) tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_PLATFORM_ALWAYS) $(HYP_OBJS) -Wl,--start-group \
		$(HYP_LIBS) -Wl,--end-group -o $@

check-qemu-hyp: $(HYP_IMAGE)
	@tests/qemu/run --images $(HYP_QB) --configs tests/qemu/hyp/configs --group check

bench-memtalk-hvc: $(HYP_IMAGE)
	@tests/qemu/run --images $(HYP_QB) --configs tests/qemu/hyp/configs --group bench
