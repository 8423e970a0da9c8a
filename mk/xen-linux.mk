# A Debian arm64 Linux domU under Xen with libmembw (tests/xen/linux-run, docs/xen.md): Debian's
# 6.1 cloud kernel (tests/kernel/fetch) with a busybox initramfs, membw_memtalk.ko and a static
# `membw guest` (mk/kmod-guest.mk), booted dom0less under QEMU TCG -icount, under timeout.
#
#   make check-xen-linux   memtalk present over HVC, a budget set from the guest is enforced on
#                          its vCPU, `membw guest stats` shows the numbers Xen answered

CHECK_PACKAGES += qemu-system-arm device-tree-compiler cpio gzip python3 gcc-aarch64-linux-gnu \
	libc6-dev-arm64-cross dpkg-dev
CHECK_TARGETS += check-xen-linux

.PHONY: check-xen-linux

# Paths spelled out (not xen.mk's variables): fragments may be read in any order.
check-xen-linux: $(B)/xen/membw/xen $(B)/kmod-guest/arm64/membw_memtalk.ko \
		$(B)/kmod-guest/arm64/membw-guest $(B)/kmod-guest/arm64/spin
	@tests/kernel/fetch arm64 --dir $(B)/kernel
	@tests/xen/linux-run $(B)/xen $(B)/kernel/arm64 $(B)/kmod-guest/arm64

# The fixed workload the domU times (tests/xen/spin.c), static like membw-guest.
$(B)/kmod-guest/arm64/spin: tests/xen/spin.c
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc -static -std=c11 -D_POSIX_C_SOURCE=200809L $(HOST_WARN) -O2 $< -o $@
