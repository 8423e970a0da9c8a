# membw.ko, the Linux kernel runtime (kmod/), and its tests in real Debian kernels under QEMU.
# Included by the top-level Makefile (which defines B, LIB_SRCS, HEADERS, CHECK_TARGETS, ...).
#
#   make kmod               build membw.ko for Debian's cloud kernels, amd64 and arm64
#   make check-kmod         boot each configuration of tests/kernel/kmod-tests.cfg (QEMU, timeout)
#   make bench-kmod         module overhead under -icount shift=0 (reported, never asserted)
#   make kmod-dkms-source   the tree dkms builds from, in build/dkms/membw-<version>
#
# The kernel images and headers are fetched with apt-get download by tests/kernel/fetch (cached
# in build/kernel/), never installed on the host.

KMOD_PACKAGES := qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu gcc-12 cpio gzip \
	busybox-static util-linux dkms dpkg-dev
CHECK_PACKAGES += $(KMOD_PACKAGES)
BENCH_PACKAGES += $(KMOD_PACKAGES)
CHECK_TARGETS += check-kmod
BENCH_TARGETS += bench-kmod

.PHONY: kmod check-kmod bench-kmod kmod-dkms-source

# What a kernel-module source tree holds, the one list scripts/kmod-stage stages from (for
# membw.ko, its dkms tree, and the memtalk guest driver of mk/kmod-guest.mk): the module's own
# directory, then the files it compiles from the rest of the tree at their paths.
KMOD_STAGE_COMMON := mk/sources.mk $(wildcard include/membw/*.h lib/*.h) $(MEMBW_CORE_SRCS)
KMOD_STAGE_membw := kmod/Kbuild $(wildcard kmod/*.c kmod/*.h) $(KMOD_STAGE_COMMON) \
	$(ARMV8_TABLE_SRCS) backends/armv8/events.h backends/armv8/pmu_fields.h $(X86_TABLE_SRCS) \
	backends/x86/events.h backends/event_names.h backends/perf/emulated_counter.h
KMOD_STAGE_memtalk := kmod/guest/Kbuild $(wildcard kmod/guest/*.c kmod/guest/*.h) \
	$(KMOD_STAGE_COMMON) $(MEMTALK_SRCS)

.PHONY: kmod-stage-list-membw kmod-stage-list-memtalk
kmod-stage-list-membw kmod-stage-list-memtalk: kmod-stage-list-%:
	@echo $(KMOD_STAGE_$*)

$(B)/kmod/%/membw.ko: $(KMOD_STAGE_membw) scripts/kmod-stage scripts/kmod-build
	@scripts/kmod-build membw $*

kmod: $(B)/kmod/amd64/membw.ko $(B)/kmod/arm64/membw.ko

check-kmod: kmod
	@scripts/kernel-dkms-check $(VERSION)
	@tests/kernel/run-kmod-tests

bench-kmod: $(B)/kmod/arm64/membw.ko
	@tests/kernel/bench-kmod

kmod-dkms-source:
	@scripts/kernel-dkms-source $(B)/dkms $(VERSION)
