# The counter backends a user links, as installed libraries: each a static archive with its public
# headers (in $(INCLUDEDIR)/membw/), a pkg-config file of its own and a target of the CMake
# package. mk/pkg.mk's install and uninstall take them from INSTALL_FILES.
#
#   make backend-libs   build them: build/libmembw-perf.a, build/libmembw-sim.a (mk/sim.mk),
#                       build/baremetal/aarch64/libmembw-armv8.a, build/baremetal/x86_64/libmembw-x86.a
#
# Hosted (Linux userspace), linked with libmembw (their .pc files require membw):
#   perf   libmembw-perf.a: backends/perf/ and the Arm and Intel event tables; needs libpfm4
#   sim    libmembw-sim.a: the simulator model (sim/) and its `sim` backend (backends/sim/)
# Bare metal (kernels, hypervisors, firmware), each built with BAREMETAL_<arch> and complete: the
# backend, the core and memtalk in one archive, since the hosted libmembw.a (-fPIC, red zone,
# host architecture) is not what ring 0 or EL1/EL2 code may link. Installed under
# $(LIBDIR)/membw/<arch>/, apart from the host's libraries: an aarch64 archive on an x86-64
# machine is for the cross compiler only, and no host link may pick either up by accident.
#   armv8  libmembw-armv8.a (aarch64): backends/armv8/ + core + memtalk
#   x86    libmembw-x86.a (x86-64):    backends/x86/ + core + memtalk
#
# The simulator library the Python binding loads (build/libmembw-sim.so.0, mk/python.mk) is not
# installed: its header calls it a build-tree library, it exports only the flat scenario API of
# membw_sim.h (no backend, no model), and it needs the scenario loader of tools/membw/sim/. The
# installed libmembw-sim.a is the model and the backend a program embeds.

BACKENDS_PACKAGES := gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libpfm4-dev
# mk/pkg.mk's install installs them too.
.PHONY: backend-libs

# Fixed below LIBDIR: the CMake package (cmake/membw-config.cmake.in) looks there.
BAREMETAL_LIBDIR := $(LIBDIR)/membw
BMLIB := $(B)/baremetal

# ---- the archives ------------------------------------------------------------------------------
BACKEND_ARMV8_LIB := $(BMLIB)/aarch64/libmembw-armv8.a
BACKEND_X86_LIB := $(BMLIB)/x86_64/libmembw-x86.a
# Objects: the top Makefile's freestanding rules (BAREMETAL_<arch>, CORE_WARN).
BACKEND_ARMV8_OBJS := $(call FS_OBJS,aarch64,$(ARMV8_BACKEND_SRCS) $(LIB_SRCS))
BACKEND_X86_OBJS := $(call FS_OBJS,x86_64,$(X86_BACKEND_SRCS) $(LIB_SRCS))

$(BACKEND_ARMV8_LIB): $(BACKEND_ARMV8_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AARCH64_CROSS)ar rcs $@ $(BACKEND_ARMV8_OBJS)

$(BACKEND_X86_LIB): $(BACKEND_X86_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(BACKEND_X86_OBJS)

# The perf backend: mk/perf.mk's objects, built position-independent so that the archive may go
# into a user's shared object too (second expansion: any fragment order).
$(B)/libmembw-perf.a: $$(PERF_OBJS)
	rm -f $@
	$(AR) rcs $@ $(PERF_OBJS)

BACKEND_LIBS := $(B)/libmembw-perf.a $(B)/libmembw-sim.a $(BACKEND_ARMV8_LIB) $(BACKEND_X86_LIB)
backend-libs: $(BACKEND_LIBS)

# ---- pkg-config: one file per library (pkg-config has no components; each library has its own
# link line, and the bare-metal ones must not pull in the hosted libmembw) ----------------------
BACKEND_NAMES := armv8 perf sim x86
BACKEND_PC := $(BACKEND_NAMES:%=$(B)/pkgconfig/membw-%.pc)
PC_armv8_DESC := armv8 (Arm PMUv3) counter backend of libmembw with the policy core, freestanding aarch64 (link with the aarch64 cross compiler and -nostdlib)
PC_armv8_LIBDIR := $(BAREMETAL_LIBDIR)/aarch64
PC_armv8_LIBS := -lmembw-armv8
PC_x86_DESC := x86 (Intel architectural perfmon) counter backend of libmembw with the policy core, freestanding x86-64 (link with -nostdlib)
PC_x86_LIBDIR := $(BAREMETAL_LIBDIR)/x86_64
PC_x86_LIBS := -lmembw-x86
PC_perf_DESC := Linux perf_event counter backend of libmembw
PC_perf_LIBDIR := $(LIBDIR)
PC_perf_LIBS := -lmembw-perf -lpfm -pthread
PC_perf_REQUIRES := membw = $(VERSION)
PC_sim_DESC := Simulated machine and its counter backend for libmembw
PC_sim_LIBDIR := $(LIBDIR)
PC_sim_LIBS := -lmembw-sim -lm
PC_sim_REQUIRES := membw = $(VERSION)

# Made on every run, replaced only when the text changes (as membw.pc).
$(B)/pkgconfig/membw-%.pc: FORCE
	@mkdir -p $(@D)
	@{ echo 'prefix=$(PREFIX)'; echo 'libdir=$(PC_$*_LIBDIR)'; echo 'includedir=$(INCLUDEDIR)'; \
	   echo; echo 'Name: membw-$*'; echo 'Description: $(PC_$*_DESC)'; \
	   echo 'Version: $(VERSION)'; \
	   $(if $(PC_$*_REQUIRES),echo 'Requires: $(PC_$*_REQUIRES)';) \
	   echo 'Libs: -L$${libdir} $(PC_$*_LIBS)'; echo 'Cflags: -I$${includedir}'; } > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

# ---- install / uninstall: entries of mk/pkg.mk's INSTALL_FILES ------------------------------
# Public headers, installed as: the backend's own API, and the headers it includes. Not the
# register accessors (sysreg.h, msr.h, *_fields.h) nor the event tables, which are internal.
# backends/sim/pmu.h becomes membw/sim_pmu.h: a bare pmu.h would not say whose PMU it is.
INSTALL_FILES += 644:backends/armv8/armv8.h:$(INCLUDEDIR)/membw \
	644:backends/x86/x86.h:$(INCLUDEDIR)/membw \
	644:backends/perf/perf_backend.h:$(INCLUDEDIR)/membw \
	644:backends/perf/emulated_counter.h:$(INCLUDEDIR)/membw \
	644:sim/sim.h:$(INCLUDEDIR)/membw 644:backends/sim/pmu.h:$(INCLUDEDIR)/membw:sim_pmu.h \
	644:$(B)/libmembw-perf.a:$(LIBDIR) 644:$(B)/libmembw-sim.a:$(LIBDIR) \
	644:$(BACKEND_ARMV8_LIB):$(BAREMETAL_LIBDIR)/aarch64 \
	644:$(BACKEND_X86_LIB):$(BAREMETAL_LIBDIR)/x86_64 \
	$(BACKEND_PC:%=644:%:$(PKGCONFIGDIR))
INSTALL_OWN_DIRS += $(BAREMETAL_LIBDIR)/aarch64 $(BAREMETAL_LIBDIR)/x86_64 $(BAREMETAL_LIBDIR)

# tests/consumer/run installs them: built first (and so seen by check-buildflags's dry run).
check-consumer: $$(BACKEND_LIBS)
