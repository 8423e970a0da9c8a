# Bare-metal tests on QEMU (qemu-system-aarch64 -M virt): the platform (tests/qemu/platform), the
# test images (tests/qemu/images), the runner (tests/qemu/run) and its configurations
# (tests/qemu/configs). Included by the top-level Makefile (which defines B, CC, HEADERS, ...).
#
#   make check-qemu-baremetal  build every image, run every configuration under timeout
#   make bench-armv8           cost of the overflow interrupt, full policy vs a bare re-arm
#   make qemu-images           only build the images (build/qemu/*.elf)

QEMU_PACKAGES := qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
CHECK_PACKAGES += $(QEMU_PACKAGES)
CHECK_TARGETS += check-qemu-baremetal
BENCH_PACKAGES += $(QEMU_PACKAGES)
BENCH_TARGETS += bench-armv8

.PHONY: check-qemu-baremetal bench-armv8 qemu-images

QB := $(B)/qemu
# The top Makefile's freestanding aarch64 build (BAREMETAL_aarch64, CORE_WARN) for the platform,
# the harness and the images; the core and the armv8 backend are linked from their own builds
# (the top Makefile's $(FS)/aarch64 objects, mk/armv8.mk's library), not compiled again here.
QEMU_CFLAGS := $(BAREMETAL_aarch64) $(CORE_WARN) -O2 -g -Iinclude -Itests/qemu/platform \
	-Itests/qemu/harness -Itests/conformance -Itests/support -Ibackends/armv8 -DCHECK_BARE_METAL
QEMU_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,tests/qemu/platform/image.ld

QEMU_PLATFORM_SRCS := $(filter-out tests/qemu/platform/boot_el2.c,\
	$(wildcard tests/qemu/platform/*.c tests/qemu/platform/*.S))
QEMU_HARNESS_SRCS := $(wildcard tests/qemu/harness/*.c tests/qemu/harness/*.S) \
	tests/conformance/conformance.c
QEMU_HDRS := $(wildcard tests/qemu/platform/*.h tests/qemu/harness/*.h tests/conformance/*.h) \
	tests/support/check.h \
	$(HEADERS)
QEMU_ARMV8_HDRS := $(wildcard backends/armv8/*.h)

qemu_obj = $(patsubst %,$(QB)/obj/%.o,$(basename $(1)))

$(QB)/obj/%.o: %.c $(QEMU_HDRS) $(QEMU_ARMV8_HDRS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(QEMU_CFLAGS) -c $< -o $@

$(QB)/obj/%.o: %.S tests/qemu/platform/frame.h
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(QEMU_CFLAGS) -c $< -o $@

# The start code and vectors are always linked; the rest comes from archives as needed.
QEMU_PLATFORM_ALWAYS := $(call qemu_obj,tests/qemu/platform/start.S tests/qemu/platform/vectors.S)

$(QB)/libplatform.a: $(call qemu_obj,$(QEMU_PLATFORM_SRCS))
	rm -f $@ && $(AARCH64_CROSS)ar rcs $@ $^
$(QB)/libharness.a: $(call qemu_obj,$(QEMU_HARNESS_SRCS))
	rm -f $@ && $(AARCH64_CROSS)ar rcs $@ $^
$(QB)/libmembw.a: $(call FS_OBJS,aarch64,$(LIB_SRCS))
	@mkdir -p $(@D)
	rm -f $@ && $(AARCH64_CROSS)ar rcs $@ $^

# Images that need only the platform and the harness (raw substrate checks) ...
QEMU_RAW_IMAGES := pmu_raw platform_check harness_selftest
# ... and those that run the armv8 backend (and the policy).
QEMU_BACKEND_IMAGES := conformance_armv8 armv8_facts policy_armv8 rearm_armv8 claim_armv8 el0_armv8
QEMU_IMAGES := $(QEMU_RAW_IMAGES) $(QEMU_BACKEND_IMAGES) bench_armv8

QEMU_LIBS := $(QB)/libharness.a $(QB)/libplatform.a
QEMU_BACKEND_LIBS := $(QB)/libharness.a $(B)/armv8/libmembw-armv8.a $(QB)/libmembw.a \
	$(QB)/libplatform.a

$(addprefix $(QB)/,$(addsuffix .elf,$(QEMU_RAW_IMAGES))): $(QB)/%.elf: \
		$(QB)/obj/tests/qemu/images/%.o $(QEMU_PLATFORM_ALWAYS) $(QEMU_LIBS) \
		tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_PLATFORM_ALWAYS) $< $(QEMU_LIBS) $(QEMU_LIBS) -o $@

$(addprefix $(QB)/,$(addsuffix .elf,$(QEMU_BACKEND_IMAGES))): $(QB)/%.elf: \
		$(QB)/obj/tests/qemu/images/%.o $(QEMU_PLATFORM_ALWAYS) $(QEMU_BACKEND_LIBS) \
		tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_PLATFORM_ALWAYS) $< -Wl,--start-group \
		$(QEMU_BACKEND_LIBS) -Wl,--end-group -o $@

# platform_check once more, linked with boot_el2.o so that it stays at EL2.
$(QB)/platform_check_el2.elf: $(QB)/obj/tests/qemu/images/platform_check.o \
		$(QB)/obj/tests/qemu/platform/boot_el2.o $(QEMU_PLATFORM_ALWAYS) $(QEMU_LIBS) \
		tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_PLATFORM_ALWAYS) $(filter-out \
		$(QEMU_PLATFORM_ALWAYS),$(filter %.o,$^)) $(QEMU_LIBS) $(QEMU_LIBS) -o $@

# The benchmark links the vectors with IRQ stamps (platform.h) instead of the plain ones.
$(QB)/obj/tests/qemu/platform/vectors_stamp.o: tests/qemu/platform/vectors.S tests/qemu/platform/frame.h
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(QEMU_CFLAGS) -DPLATFORM_IRQ_STAMPS -c $< -o $@

QEMU_BENCH_ALWAYS := $(call qemu_obj,tests/qemu/platform/start.S) \
	$(QB)/obj/tests/qemu/platform/vectors_stamp.o

$(QB)/bench_armv8.elf: $(QB)/obj/tests/qemu/images/bench_armv8.o $(QEMU_BENCH_ALWAYS) \
		$(QEMU_BACKEND_LIBS) tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_BENCH_ALWAYS) $< -Wl,--start-group \
		$(QEMU_BACKEND_LIBS) -Wl,--end-group -o $@

# The armv8 backend in ARMV8_MODE_EL2: a backend image linked with boot_el2.o (stays at EL2).
$(QB)/armv8_el2.elf: $(QB)/obj/tests/qemu/images/armv8_el2.o \
		$(QB)/obj/tests/qemu/platform/boot_el2.o $(QEMU_PLATFORM_ALWAYS) $(QEMU_BACKEND_LIBS) \
		tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_PLATFORM_ALWAYS) $(QB)/obj/tests/qemu/images/armv8_el2.o \
		$(QB)/obj/tests/qemu/platform/boot_el2.o -Wl,--start-group $(QEMU_BACKEND_LIBS) \
		-Wl,--end-group -o $@

qemu-images: $(QB)/platform_check_el2.elf $(QB)/armv8_el2.elf $(addprefix $(QB)/,$(addsuffix .elf,$(QEMU_IMAGES)))

check-qemu-baremetal: qemu-images
	@tests/qemu/run --images $(QB) --configs tests/qemu/configs --group check

bench-armv8: qemu-images
	@tests/qemu/run --images $(QB) --configs tests/qemu/configs --group bench
