# libmembw — memory-bandwidth regulation as a portable C library.
#
#   make            build build/libmembw.a and build/libmembw.so
#   make check      every test (installs the Debian packages it needs)
#   make demo       a regulation run on the simulator, with a table and a plot
#   make bench      cost of the policy's hot paths (reported, never asserted)
#   make docs       API reference with Doxygen (warnings are errors)
#   make install    PREFIX=/usr/local DESTDIR= : headers, both libraries, membw.pc
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

CC := gcc
CFLAGS ?= -O2 -g
B := build

# The core is freestanding C11 wherever it is built: no libc, no builtins turned into calls.
CORE_FLAGS := -std=c11 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-stack-protector
WARN := -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes
LIB_CFLAGS := $(CORE_FLAGS) $(WARN) $(CFLAGS) -fPIC -fvisibility=hidden -Iinclude

HEADERS := $(wildcard include/membw/*.h) $(wildcard lib/*.h)
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(B)/lib/%.o)

# Debian packages each target needs; scripts/ensure-packages installs them (as root) or says how.
BUILD_PACKAGES := gcc make binutils libc6-dev
CHECK_PACKAGES := $(BUILD_PACKAGES) libcunit1-dev doxygen gcc-aarch64-linux-gnu \
	binutils-aarch64-linux-gnu pkgconf coreutils
BENCH_PACKAGES := $(BUILD_PACKAGES) valgrind

.SECONDEXPANSION:
.PHONY: all lib check check-all check-freestanding check-exports check-unit check-stress \
	check-consumer docs bench bench-all bench-policy install uninstall clean deps-build \
	deps-check deps-bench

all: lib

lib: $(B)/libmembw.a $(B)/libmembw.so $(B)/membw.pc

$(B)/lib/%.o: lib/%.c $(HEADERS)
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
	$(CC) -shared -nostdlib -Wl,-soname,$(SONAME) -Wl,--version-script=lib/libmembw.map \
		-Wl,-z,defs -o $@ $(LIB_OBJS)

$(B)/libmembw.so: $(B)/libmembw.so.$(VERSION)
	ln -sf libmembw.so.$(VERSION) $(B)/$(SONAME)
	ln -sf $(SONAME) $@

$(B)/membw.pc: membw.pc.in Makefile
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

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
CHECK_TARGETS := check-freestanding check-exports check-unit check-stress check-consumer docs \
	check-self-contained

check-all: $$(CHECK_TARGETS)
	@echo "make check: all passed"

check-freestanding:
	@scripts/check-freestanding $(B)/freestanding

# No tracked file points outside the repository (notes, shared folders, the issue tracker).
.PHONY: check-self-contained
check-self-contained:
	@scripts/check-self-contained

check-exports: $(B)/libmembw.so $(B)/libmembw.a
	@scripts/check-exports $(B)/libmembw.so.$(VERSION) $(B)/libmembw.a $(SONAME) lib/libmembw.map

TEST_SUPPORT := $(wildcard tests/support/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)
TEST_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Wall -Wextra -Werror -Wshadow \
	-Iinclude -Itests/support -fno-omit-frame-pointer
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
	$(CC) $(TEST_CFLAGS) -O2 -fsanitize=thread -pthread tests/stress/stress.c \
		tests/support/test_backend.c $(LIB_SRCS) -o $@

$(B)/tests/budget-race: tests/stress/budget_race.c $(LIB_SRCS) $(HEADERS) tests/support/test_backend.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -O2 -fsanitize=thread -pthread tests/stress/budget_race.c \
		tests/support/test_backend.c $(LIB_SRCS) -o $@

check-stress: $(B)/tests/stress $(B)/tests/budget-race
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(B)/tests/stress
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(B)/tests/budget-race

check-consumer: $(B)/libmembw.a $(B)/libmembw.so
	@tests/consumer/run $(B)

docs:
	@mkdir -p $(B)/docs
	@doxygen docs/Doxyfile > $(B)/docs/doxygen.log
	@echo "PASS docs: Doxygen reference in $(B)/docs/html/index.html, no warnings"

# ---------------------------------------------------------------------------------------------

$(B)/bench/bench-policy: bench/bench_policy.c $(B)/libmembw.a
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Iinclude -Itests/support \
		bench/bench_policy.c $(B)/libmembw.a -o $@

# Benchmarks report numbers and never fail on timing. Fragments add to BENCH_TARGETS.
BENCH_TARGETS := bench-policy

bench: deps-bench
	@$(MAKE) --no-print-directory bench-all

bench-all: $$(BENCH_TARGETS)

bench-policy: $(B)/bench/bench-policy
	@bench/run-policy-bench $(B)/bench/bench-policy

# ---------------------------------------------------------------------------------------------

install: lib
	install -d $(DESTDIR)$(INCLUDEDIR)/membw $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/membw/*.h $(DESTDIR)$(INCLUDEDIR)/membw/
	install -m 644 $(B)/libmembw.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libmembw.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libmembw.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmembw.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' membw.pc.in \
		> $(DESTDIR)$(PKGCONFIGDIR)/membw.pc

uninstall:
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/membw/,$(notdir $(wildcard include/membw/*.h)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/membw 2>/dev/null
	rm -f $(DESTDIR)$(LIBDIR)/libmembw.a $(DESTDIR)$(LIBDIR)/libmembw.so \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libmembw.so.$(VERSION) \
		$(DESTDIR)$(PKGCONFIGDIR)/membw.pc

clean:
	rm -rf $(B)

-include $(sort $(wildcard mk/*.mk))
