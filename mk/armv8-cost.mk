# The armv8 backend's hot hooks as a cost regression test (bench/README.md, "armv8 hooks").
#
#   make check-armv8-cost   arm, read and rearm instructions under QEMU -icount against bounds
#                           (tests/qemu/images/cost_armv8.c; SKIP unless GCC 12 built it)
#
# Uses mk/qemu.mk's image build (QB, QEMU_LDFLAGS, QEMU_PLATFORM_ALWAYS, QEMU_BACKEND_LIBS),
# expanded a second time in the prerequisites: this fragment may be read before mk/qemu.mk.

CHECK_TARGETS += check-armv8-cost

.PHONY: check-armv8-cost

$(B)/qemu/cost_armv8.elf: $$(QB)/obj/tests/qemu/images/cost_armv8.o $$(QEMU_PLATFORM_ALWAYS) \
		$$(QEMU_BACKEND_LIBS) tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_PLATFORM_ALWAYS) $< -Wl,--start-group \
		$(QEMU_BACKEND_LIBS) -Wl,--end-group -o $@

check-armv8-cost: $(B)/qemu/cost_armv8.elf
	@tests/qemu/run --images $(B)/qemu --configs tests/qemu/cost.configs --group check
