# The bare-metal platform's interrupt path as a cost regression test (docs/porting.md, "The
# interrupt path on bare metal").
#
#   make check-platform-cost   vectors + GIC + dispatch, clock read and timer re-arm, the whole
#                              period tick and overflow interrupt, in EL1 instructions under
#                              QEMU -icount, against bounds (bench-armv8's figures; SKIP unless
#                              GCC 12 built the images)
#
# Uses mk/qemu.mk's images (qemu-images, QB); this fragment may be read before mk/qemu.mk.

CHECK_TARGETS += check-platform-cost

.PHONY: check-platform-cost

check-platform-cost: qemu-images
	@tests/qemu/check-platform-cost $(QB) $(AARCH64_CROSS)
