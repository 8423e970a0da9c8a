# libmembw — memory-bandwidth regulation as a portable C library.
#
#   make            build build/libmembw.a and build/libmembw.so
#   make check      every test (installs the Debian packages it needs)
#   make demo       a regulation run on the simulator, with a table and a plot
#   make bench      cost of the policy's hot paths (reported, never asserted)
#   make docs       API reference with Doxygen (warnings are errors)
#   make install    PREFIX=/usr/local DESTDIR= : libraries, headers, membw.pc, the CMake
#                   package, the membw command, man pages, bash completion, docs, dkms source
#   make uninstall  remove what install put there
#
# Everything is built under build/.

# The version is defined once, in include/membw/version.h.
VERSION_MAJOR := $(shell sed -n 's/^\#define MEMBW_VERSION_MAJOR \([0-9]*\)$$/\1/p' include/membw/version.h)
VERSION := $(shell sed -n 's/^\#define MEMBW_VERSION "\(.*\)"$$/\1/p' include/membw/version.h)
SONAME := libmembw.so.$(VERSION_MAJOR)

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# CC from the environment or the command line wins; make's built-in default "cc" becomes gcc.
ifeq ($(origin CC),default)
CC := gcc
endif
CFLAGS ?= -O2 -g
# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line (a distribution's, e.g.
# Debian's dpkg-buildflags hardening flags) reach every hosted compile and link: the libraries,
# build/membw, the examples, the tests and benchmarks built for this machine. CPPFLAGS and CFLAGS
# come first, so that the flags a build cannot do without (the freestanding core's
# -fno-stack-protector, the sanitizer builds' -O1) still win; LDFLAGS goes on every link. The
# bare-metal and cross builds (BAREMETAL_*, AARCH64_CROSS, kernel modules, the static programs for
# the QEMU guests) take none of them: they are flags for this machine's compiler and C library.
# The libFuzzer targets (FUZZ_CC, clang) keep their own fixed flags too. scripts/check-buildflags
# checks every $(CC) command.
B := build

# ---------------------------------------------------------------------------------------------
# Definitions every fragment shares: made here, before the fragments are read, so that the order
# in which mk/*.mk are included does not matter (check-make-order proves it).

# AARCH64_CROSS, the cross toolchain prefix (also read by the shell scripts).
include mk/toolchain.conf
# MEMBW_CORE_SRCS, MEMTALK_*_SRCS, ARMV8_*_SRCS: what each library is built from.
include mk/sources.mk

# Warnings: HOST_WARN for hosted tools and tests, CORE_WARN (adds -Wconversion) for the
# freestanding code that runs in kernels and hypervisors.
HOST_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CORE_WARN := $(HOST_WARN) -Wconversion
# Hosted programs for this machine (the membw command, the simulator, benchmarks): the user's
# CPPFLAGS, then ours, then the user's CFLAGS (its -O wins over our -O2).
HOST_CFLAGS := $(CPPFLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(HOST_WARN) -O2 -g $(CFLAGS)
# Freestanding C11 wherever the core is built: no libc, no builtins turned into library calls
# (-fno-tree-loop-distribute-patterns: GCC must not turn loops into memset/memcpy calls), no
# stack protector runtime. The shared library adds -fPIC to this.
FREESTANDING := -std=c11 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-stack-protector
# ... and without any OS (kernel, EL2, bare metal): no libc at link time, no position-independent
# code, no FP/SIMD registers (no floats, and a kernel or hypervisor need not save them), plus
# each architecture's own: aarch64 -mstrict-align (MMU off means Device memory, where unaligned
# access faults) and -mno-outline-atomics (atomics inline, no libgcc helpers); x86-64
# -mno-red-zone (interrupts at ring 0 use the stack below the stack pointer).
BAREMETAL := $(FREESTANDING) -nostdlib -fno-pic -fno-pie -mgeneral-regs-only
BAREMETAL_aarch64 := $(BAREMETAL) -mstrict-align -mno-outline-atomics
BAREMETAL_x86_64 := $(BAREMETAL) -m64 -mno-red-zone

LIB_CFLAGS := $(CPPFLAGS) $(CFLAGS) $(FREESTANDING) $(CORE_WARN) -fPIC -fvisibility=hidden -Iinclude

HEADERS := $(wildcard include/membw/*.h) $(wildcard lib/*.h)
# libmembw: the core and memtalk.
LIB_SRCS := $(MEMBW_CORE_SRCS) $(MEMTALK_SRCS)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)

# Debian packages each target needs; scripts/ensure-packages installs them (as root) or says how.
BUILD_PACKAGES := gcc make binutils libc6-dev
CHECK_PACKAGES := $(BUILD_PACKAGES) libcunit1-dev doxygen gcc-aarch64-linux-gnu \
	binutils-aarch64-linux-gnu pkgconf coreutils
BENCH_PACKAGES := $(BUILD_PACKAGES) valgrind

.SECONDEXPANSION:
.PHONY: FORCE all lib check check-sources check-make-order check-all check-freestanding check-exports check-unit check-stress \
	check-consumer docs bench bench-all bench-policy clean deps-build \
	deps-check deps-bench

all: lib

lib: $(B)/libmembw.a $(B)/libmembw.so $(B)/membw.pc

$(B)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

# The static library is one relocatable object whose internal (hidden) symbols are made local,
# so linking libmembw.a brings in only membw_ names, as the shared library does.
$(B)/libmembw.a: $(LIB_OBJS)
	$(LD) -r -o $(B)/membw-core.o $(LIB_OBJS)
	objcopy --localize-hidden $(B)/membw-core.o
	rm -f $@
	$(AR) rcs $@ $(B)/membw-core.o

$(B)/libmembw.so.$(VERSION): $(LIB_OBJS) lib/libmembw.map
	$(CC) $(LDFLAGS) -shared -nostdlib -Wl,-soname,$(SONAME) -Wl,--version-script=lib/libmembw.map \
		-Wl,-z,defs -o $@ $(LIB_OBJS)

$(B)/libmembw.so: $(B)/libmembw.so.$(VERSION)
	ln -sf libmembw.so.$(VERSION) $(B)/$(SONAME)
	ln -sf $(SONAME) $@

# The one place membw.pc is written. Made on every run but replaced only when its text changes, so
# `make install PREFIX=...` installs a file that names the prefix it was installed to.
$(B)/membw.pc: membw.pc.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

FORCE:

# ---------------------------------------------------------------------------------------------
# Tests. `make check` first makes sure its Debian packages are there, then runs everything.

deps-build:
	@scripts/ensure-packages $(BUILD_PACKAGES)
deps-check:
	@scripts/ensure-packages $(CHECK_PACKAGES)
deps-bench:
	@scripts/ensure-packages $(BENCH_PACKAGES)

check: deps-check
	@$(MAKE) --no-print-directory check-all

# Fragments in mk/ (one per component, included at the end) add their tests to CHECK_TARGETS
# and their packages to CHECK_PACKAGES; recipes and check-all's prerequisites (second
# expansion) see those additions.
CHECK_TARGETS := check-sources check-freestanding check-exports check-unit check-stress \
	check-consumer docs check-self-contained check-make-order

check-all: $$(CHECK_TARGETS)
	@echo "make check: all passed"

# The core and memtalk built the way a kernel or hypervisor builds them (BAREMETAL_<arch>), for
# both architectures, and checked as objects: nothing needed from outside, no mutable globals.
# Fragments reuse these rules for other freestanding code (the armv8 backend).
FS := $(B)/freestanding
FS_DEPS := $(HEADERS) $(wildcard backends/*.h backends/*/*.h)
FS_OBJS = $(patsubst %.c,$(FS)/$(1)/%.o,$(2))

$(FS)/x86_64/%.o: %.c $(FS_DEPS)
	@mkdir -p $(@D)
	$(CC) $(BAREMETAL_x86_64) $(CORE_WARN) -O2 -Iinclude -c $< -o $@

$(FS)/aarch64/%.o: %.c $(FS_DEPS)
	@mkdir -p $(@D)
	$(AARCH64_CROSS)gcc $(BAREMETAL_aarch64) $(CORE_WARN) -O2 -Iinclude -c $< -o $@

check-freestanding: $(call FS_OBJS,x86_64,$(LIB_SRCS)) $(call FS_OBJS,aarch64,$(LIB_SRCS))
	@scripts/check-object "libmembw x86-64" "" $(FS)/x86_64/libmembw.o \
		$(call FS_OBJS,x86_64,$(LIB_SRCS))
	@scripts/check-object "libmembw aarch64" $(AARCH64_CROSS) $(FS)/aarch64/libmembw.o \
		$(call FS_OBJS,aarch64,$(LIB_SRCS))

# The fragments may be read in any order (scripts/check-make-order says how that is checked).
# MAKE_DRY, not $(MAKE): make runs any recipe line naming MAKE even under -n, and this target is
# one of those the script's dry runs list.
MAKE_DRY = $(MAKE)
check-make-order:
	@MAKE="$(MAKE_DRY)" scripts/check-make-order $(B)

# Every .c of lib/, memtalk/ and backends/armv8/ is in a list of mk/sources.mk.
check-sources:
	@missing=$$(for f in $(wildcard lib/*.c memtalk/*.c backends/armv8/*.c backends/x86/*.c agent/*.c); do \
		case " $(LIB_SRCS) $(ARMV8_BACKEND_SRCS) $(X86_BACKEND_SRCS) $(MEMBW_AGENT_SRCS) " in *" $$f "*) ;; *) echo $$f ;; esac; \
	done); if [ -n "$$missing" ]; then \
		echo "FAIL sources: in no list of mk/sources.mk:" $$missing >&2; exit 1; fi; \
	echo "PASS sources: mk/sources.mk lists every source of lib/, memtalk/, backends/armv8/, backends/x86/, agent/"

# No tracked file points outside the repository (notes, shared folders, the issue tracker).
.PHONY: check-self-contained
check-self-contained:
	@scripts/check-self-contained

check-exports: $(B)/libmembw.so $(B)/libmembw.a
	@scripts/check-exports $(B)/libmembw.so.$(VERSION) $(B)/libmembw.a $(SONAME) lib/libmembw.map

TEST_SUPPORT := $(wildcard tests/support/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)
# TEST_OWN_CFLAGS: the tests' own flags, for any compiler (the aarch64 cross build uses them);
# TEST_CFLAGS adds the user's flags for this machine's compiler (every build with it links too).
TEST_OWN_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Wall -Wextra -Werror -Wshadow \
	-Iinclude -Itests/support -fno-omit-frame-pointer
TEST_CFLAGS := $(CPPFLAGS) $(CFLAGS) $(TEST_OWN_CFLAGS) $(LDFLAGS)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all

# The unit suites link the core's sources directly, built with the sanitizers too.
$(B)/tests/unit-tests: $(UNIT_SRCS) $(TEST_SUPPORT) $(LIB_SRCS) $(HEADERS) \
		$(wildcard tests/support/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) $(UNIT_SRCS) $(TEST_SUPPORT) $(LIB_SRCS) -lcunit -o $@

check-unit: $(B)/tests/unit-tests
	@$(B)/tests/unit-tests

$(B)/tests/stress: tests/stress/stress.c $(LIB_SRCS) $(HEADERS) tests/support/test_backend.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -O2 -fsanitize=thread -Wno-tsan -pthread tests/stress/stress.c \
		tests/support/test_backend.c $(LIB_SRCS) -o $@

$(B)/tests/budget-race: tests/stress/budget_race.c $(LIB_SRCS) $(HEADERS) tests/support/test_backend.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -O2 -fsanitize=thread -Wno-tsan -pthread tests/stress/budget_race.c \
		tests/support/test_backend.c $(LIB_SRCS) -o $@

check-stress: $(B)/tests/stress $(B)/tests/budget-race
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(B)/tests/stress
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(B)/tests/budget-race

# The bare-metal consumers build with the flags the archives were built with.
check-consumer: $(B)/libmembw.a $(B)/libmembw.so
	@MEMBW_BAREMETAL_aarch64="$(BAREMETAL_aarch64)" MEMBW_BAREMETAL_x86_64="$(BAREMETAL_x86_64)" \
		tests/consumer/run $(B)

docs:
	@mkdir -p $(B)/docs
	@MEMBW_VERSION=$(VERSION) doxygen docs/Doxyfile > $(B)/docs/doxygen.log
	@echo "PASS docs: Doxygen reference in $(B)/docs/html/index.html, no warnings"

# ---------------------------------------------------------------------------------------------

$(B)/bench/bench-policy: bench/bench_policy.c bench/bench_args.h $(B)/libmembw.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinclude -Itests/support bench/bench_policy.c $(B)/libmembw.a \
		$(LDFLAGS) -o $@

# Benchmarks report numbers and never fail on timing. Fragments add to BENCH_TARGETS.
BENCH_TARGETS := bench-policy

bench: deps-bench
	@$(MAKE) --no-print-directory bench-all

bench-all: $$(BENCH_TARGETS)

bench-policy: $(B)/bench/bench-policy
	@bench/run-policy-bench $(B)/bench/bench-policy

# ---------------------------------------------------------------------------------------------

# install and uninstall: mk/pkg.mk (the layout and its directories).

clean:
	rm -rf $(B)

# The fragments, one per component. Their order must not matter: check-make-order includes them
# in reverse (MK_ORDER=reverse) and compares what make would run.
MK_FRAGMENTS := $(filter-out mk/sources.mk,$(sort $(wildcard mk/*.mk)))
ifeq ($(MK_ORDER),reverse)
MK_FRAGMENTS := $(shell printf '%s\n' $(MK_FRAGMENTS) | sort -r)
endif
include $(MK_FRAGMENTS)

# Linked here, after every fragment has added its part (MEMBW_TOOL_OBJS: objects, then the
# fragments' archives, which use libmembw.a; MEMBW_TOOL_LIBS: system libraries), in sorted order
# so that the command does not depend on the order the fragments were read in.
$(B)/membw: $(MEMBW_TOOL_OBJS) $(B)/libmembw.a
	$(CC) $(LDFLAGS) -o $@ $(sort $(filter %.o,$(MEMBW_TOOL_OBJS))) \
		$(sort $(filter %.a,$(MEMBW_TOOL_OBJS))) $(B)/libmembw.a $(sort $(MEMBW_TOOL_LIBS))
