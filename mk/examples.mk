# examples/: the README's embedding example as a complete program (embed.c), and a runtime
# skeleton per environment: bare metal at EL1 and a hypervisor at EL2 (examples/baremetal/, on the
# QEMU test platform of tests/qemu/platform and the armv8 backend) and a Linux program
# (examples/linux/, on the perf backend). Included by the top-level Makefile.
#
#   make examples         build them all (build/examples/)
#   make check-examples   the README's code is embed.c's, verbatim; embed and the Linux skeleton
#                         run on this machine, the EL1 and EL2 skeletons on qemu-system-aarch64
#                         (-icount: guest time is instructions)
#
# embed.c is also built against an installed libmembw: by tests/consumer/run (make install into a
# scratch DESTDIR) and by mk/deb.mk's check-deb (the Debian packages).

EXAMPLES_PACKAGES := qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libpfm4-dev
CHECK_PACKAGES += $(EXAMPLES_PACKAGES)
CHECK_TARGETS += check-examples
.PHONY: examples check-examples

# Installed with the docs (mk/pkg.mk): what builds against the installed library alone.
EXAMPLE_FILES := examples/README.md examples/embed.c

EX := $(B)/examples
EXAMPLES_HOSTED := $(EX)/embed $(EX)/linux-user
EXAMPLES_BAREMETAL := $(EX)/aarch64/el1.elf $(EX)/aarch64/el2.elf

$(EX)/embed: examples/embed.c $(B)/libmembw.so $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinclude $< -L$(B) -lmembw \
		$(LDFLAGS) -o $@

# The perf backend's objects are mk/perf.mk's (second expansion: any fragment order).
$(EX)/linux-user: examples/linux/user.c $$(PERF_OBJS) $(B)/libmembw.a $(HEADERS) \
		$(wildcard backends/perf/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinclude -Ibackends/perf $< \
		$(PERF_OBJS) $(B)/libmembw.a -lpfm -pthread $(LDFLAGS) -o $@

# Bare metal: the freestanding aarch64 build of the core (BAREMETAL_aarch64), linked with the
# platform, the armv8 backend and the core's archive of mk/qemu.mk and mk/armv8.mk.
EXAMPLES_BM_CFLAGS := $(BAREMETAL_aarch64) $(CORE_WARN) -O2 -g -Iinclude -Ibackends/armv8 \
	-Itests/qemu/platform -Iexamples/baremetal
EXAMPLES_BM_LIBS = $(ARMV8_LIB) $(QB)/libmembw.a $(QB)/libplatform.a

$(EX)/aarch64/%.o: examples/baremetal/%.c examples/baremetal/runtime.h $(HEADERS) \
		$(wildcard backends/armv8/*.h tests/qemu/platform/*.h)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(EXAMPLES_BM_CFLAGS) -c $< -o $@

# el2 also links the platform's boot_el2.o, which keeps the image at EL2.
$(EX)/aarch64/el1.elf: $(EX)/aarch64/el1.o
$(EX)/aarch64/el2.elf: $(EX)/aarch64/el2.o $$(QB)/obj/tests/qemu/platform/boot_el2.o
$(EXAMPLES_BAREMETAL): $(EX)/aarch64/runtime.o $$(QEMU_PLATFORM_ALWAYS) $$(EXAMPLES_BM_LIBS) \
		tests/qemu/platform/image.ld
	$(AARCH64_CROSS)gcc $(QEMU_LDFLAGS) $(QEMU_PLATFORM_ALWAYS) \
		$(filter-out $(QEMU_PLATFORM_ALWAYS) $(EXAMPLES_BM_LIBS),$(filter %.o,$^)) \
		-Wl,--start-group $(EXAMPLES_BM_LIBS) -Wl,--end-group -o $@

examples: $(EXAMPLES_HOSTED) $(EXAMPLES_BAREMETAL)

check-examples: examples
	@tests/pkg/examples-test $(EX)
