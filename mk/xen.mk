# libmembw inside Xen 4.17 on Arm (integrations/xen, docs/xen.md): Debian's Xen source, our hooks,
# the core + memtalk host + armv8 backend + the runtime linked into the hypervisor, and a QEMU
# test with two dom0less bare-metal domUs of ours (tests/xen).
#
#   make xen          build/xen/membw/xen: Xen with libmembw (fetches Debian's xen source once)
#   make xen-stock    build/xen/stock/xen: the same Xen without it (the comparison build)
#   make check-xen    both, then tests/xen/run: boots each under QEMU TCG (-icount), under timeout
#   make check-xen-runtime  runtime.c on the host, over tests/armv8's simulated PMU (seconds)

XEN_PACKAGES := qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu flex bison \
	python3 device-tree-compiler dpkg-dev patch
CHECK_PACKAGES += $(XEN_PACKAGES) libcunit1-dev
CHECK_TARGETS += check-xen check-xen-runtime

.PHONY: xen xen-stock check-xen check-xen-runtime

XEN_B := $(B)/xen
XEN_CORE_SRCS := $(MEMBW_CORE_SRCS) $(MEMTALK_HOST_SRCS) $(ARMV8_BACKEND_SRCS)
XEN_RT_OBJ := $(XEN_B)/obj/runtime.o
XEN_LIB_OBJ := $(XEN_B)/membw_lib.o
XEN_INTEG := $(wildcard integrations/xen/*.c integrations/xen/*.h integrations/xen/config \
	integrations/xen/patches/*/*.patch)

# runtime.c: libmembw's freestanding aarch64 flags (the top Makefile's BAREMETAL_aarch64, as for
# the core), plus the backend's header.
$(XEN_RT_OBJ): integrations/xen/runtime.c integrations/xen/membw_xen.h $$(FS_DEPS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(BAREMETAL_aarch64) $(CORE_WARN) -O2 -Iinclude -Ibackends/armv8 \
		-c $< -o $@

# One relocatable object whose only global definitions are the runtime's membw_xen_rt_* entry
# points: nothing of libmembw can clash with a Xen symbol. Its only undefined symbols are the Xen
# side's membw_xen_throttle/unthrottle (the core and the backend call no memcpy/memset).
$(XEN_LIB_OBJ): $(XEN_RT_OBJ) $$(call FS_OBJS,aarch64,$$(XEN_CORE_SRCS))
	$(AARCH64_CROSS)ld -r -o $@.tmp $^
	$(AARCH64_CROSS)objcopy --wildcard --keep-global-symbol='membw_xen_rt_*' $@.tmp $@
	@rm -f $@.tmp

# Debian's source, fetched once (both builds copy it; fetching it from one rule only keeps two
# apt runs from sharing the cache under make -j).
XEN_SRC_TREE := $(B)/xen-src/tree
$(XEN_SRC_TREE):
	scripts/xen-fetch $(B)/xen-src

$(XEN_B)/membw/xen: $(XEN_LIB_OBJ) $(XEN_INTEG) scripts/xen-build $(XEN_SRC_TREE)
	scripts/xen-build membw $(XEN_B)/membw $(XEN_LIB_OBJ)

# After the other build (order only): each Xen build already runs make -j2.
$(XEN_B)/stock/xen: integrations/xen/config $(wildcard integrations/xen/patches/both/*.patch) \
		scripts/xen-build $(XEN_SRC_TREE) | $(XEN_B)/membw/xen
	scripts/xen-build stock $(XEN_B)/stock

xen: $(XEN_B)/membw/xen
xen-stock: $(XEN_B)/stock/xen

# ---- the test: two bare-metal dom0less domUs of ours (tests/xen) ----------------------------
# Same freestanding flags as the core; memtalk's guest side linked in; a flat Image (the domU
# kernel format Xen's dom0less loader takes).
XEN_DOMU_GUEST_SRCS := $(MEMTALK_GUEST_SRCS) tests/qemu/platform/format.c tests/qemu/platform/mem.c
XEN_DOMU_GUEST_OBJS = $(patsubst %.c,$(XEN_B)/domu/%.o,$(XEN_DOMU_GUEST_SRCS))
XEN_DOMU_CFLAGS = $(BAREMETAL_aarch64) $(CORE_WARN) -O2 -Iinclude -Itests/xen -Itests/qemu/platform

$(XEN_B)/domu/%.o: %.c $$(FS_DEPS) tests/xen/domu.h
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(XEN_DOMU_CFLAGS) -c $< -o $@

$(XEN_B)/domu/regulated.o: tests/xen/domu.c tests/xen/domu.h $$(FS_DEPS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(XEN_DOMU_CFLAGS) -DDOMU_ROLE_REGULATED=1 -c $< -o $@

$(XEN_B)/domu/free.o: tests/xen/domu.c tests/xen/domu.h $$(FS_DEPS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(XEN_DOMU_CFLAGS) -DDOMU_ROLE_REGULATED=0 -c $< -o $@

# the regulated domain of the "dt" case: two vCPUs, its numbers from the device tree
$(XEN_B)/domu/pair.o: tests/xen/domu.c tests/xen/domu.h $$(FS_DEPS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(XEN_DOMU_CFLAGS) -DDOMU_ROLE_REGULATED=1 -DDOMU_PAIR=1 -c $< -o $@

# domain 1 of the "dom0" case, beside the hardware domain of tests/xen/dom0.c
$(XEN_B)/domu/admined.o: tests/xen/domu.c tests/xen/domu.h $$(FS_DEPS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(XEN_DOMU_CFLAGS) -DDOMU_ROLE_REGULATED=0 -DDOMU_ADMINED=1 -c $< -o $@

$(XEN_B)/domu/start.o: tests/xen/domu_start.S
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(XEN_DOMU_CFLAGS) -c $< -o $@

# Linked at 0x40080000 like the QEMU platform's images: Xen's dom0less domU RAM starts at
# 0x40000000 (GUEST_RAM0_BASE) and the Image header's text_offset is 0x80000.
$(XEN_B)/domu-%.bin: $(XEN_B)/domu/start.o $(XEN_B)/domu/%.o \
		$$(XEN_DOMU_GUEST_OBJS) tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,tests/qemu/platform/image.ld \
		$(filter %.o,$^) -o $(@:.bin=.elf)
	$(AARCH64_CROSS)objcopy -O binary $(@:.bin=.elf) $@

# The bare-metal hardware domain: Xen loads it at the start of dom0's memory (mapped 1:1,
# wherever it was found) + text_offset, so it must run at any address. Linked as a static PIE,
# it is refused if it needs a single relocation: then every address in it is PC-relative and the
# flat image runs wherever it is put.
$(XEN_B)/dom0.bin: $(XEN_B)/domu/start.o $(XEN_B)/domu/dom0.o \
		$(XEN_B)/domu/tests/qemu/platform/format.o tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,-T,tests/qemu/platform/image.ld \
		$(filter %.o,$^) -o $(@:.bin=.elf)
	@if $(AARCH64_CROSS)readelf -r $(@:.bin=.elf) | grep -q 'R_AARCH64'; then \
		echo "FAIL xen: $(@:.bin=.elf) needs relocations: dom0 must be position-independent" \
			"(no pointers in initialised data)" >&2; \
		$(AARCH64_CROSS)readelf -r $(@:.bin=.elf) >&2; rm -f $(@:.bin=.elf); exit 1; fi
	$(AARCH64_CROSS)objcopy -O binary $(@:.bin=.elf) $@

$(XEN_B)/domu/dom0.o: tests/xen/dom0.c tests/xen/domu.h $$(FS_DEPS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(XEN_DOMU_CFLAGS) -c $< -o $@

XEN_DOMUS := $(XEN_B)/domu-regulated.bin $(XEN_B)/domu-free.bin $(XEN_B)/domu-pair.bin \
	$(XEN_B)/domu-admined.bin $(XEN_B)/dom0.bin

check-xen: $(XEN_B)/membw/xen $(XEN_B)/stock/xen $(XEN_DOMUS)
	@tests/xen/run $(XEN_B)

# ---- runtime.c on the host (tests/xen/runtime_host.c) -----------------------------------------
# The armv8 backend on tests/armv8's simulated register file (ARMV8_FAKE_REGS), the core and
# memtalk's host, with the sanitizers.
XEN_RT_HOST_SRCS := tests/xen/runtime_host.c integrations/xen/runtime.c tests/armv8/fake_sysreg.c \
	$(ARMV8_BACKEND_SRCS) $(MEMBW_CORE_SRCS) $(MEMTALK_HOST_SRCS) tests/support/check.c \
	tests/support/cunit_run.c

$(B)/tests/xen-runtime-host: $(XEN_RT_HOST_SRCS) integrations/xen/membw_xen.h $(HEADERS) \
		$(wildcard backends/armv8/*.h tests/armv8/*.h tests/support/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -DARMV8_FAKE_REGS -Ibackends/armv8 -Itests/armv8 \
		-Iintegrations/xen $(XEN_RT_HOST_SRCS) -lcunit -o $@

check-xen-runtime: $(B)/tests/xen-runtime-host
	@$(B)/tests/xen-runtime-host
