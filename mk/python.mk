# The Python binding (bindings/python/, package `membw`, ctypes over libmembw.so.0) and the
# simulator library it loads (bindings/simlib/: build/libmembw-sim.so.0, a build-tree library).
# Included by the top-level Makefile (which defines B, CC, HOST_WARN, TEST_CFLAGS, ...).
#
#   make check-python   the libmembw-sim C suite, then the pytest suite (units, policy with a
#                       Python backend, memtalk, simulator, the example's plot, an offline
#                       `pip install` into a scratch directory)

PYTHON_PACKAGES := python3 python3-pytest python3-matplotlib python3-setuptools python3-pip \
	libinih-dev libcunit1-dev
CHECK_PACKAGES += $(PYTHON_PACKAGES)
CHECK_TARGETS += check-python

.PHONY: check-python python-libs

# Debian's interpreter, never one found first on PATH.
PYTHON := /usr/bin/python3

SIMLIB_SRCS := $(wildcard sim/*.c) $(wildcard backends/sim/*.c) tools/membw/text.c \
	tools/membw/sim/scenario.c tools/membw/sim/experiment.c bindings/simlib/membw_sim.c
SIMLIB_OBJS := $(SIMLIB_SRCS:%.c=$(B)/simlib-obj/%.o)
SIMLIB_CFLAGS := $(CPPFLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L $(HOST_WARN) -O2 -g $(CFLAGS) \
	-fPIC -Iinclude -Isim -Ibackends/sim -Itools/membw -Itools/membw/sim -Ibindings/simlib

$(B)/simlib-obj/%.o: %.c $(wildcard sim/*.h backends/sim/*.h tools/membw/*.h tools/membw/sim/*.h) \
		bindings/simlib/membw_sim.h $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(SIMLIB_CFLAGS) -c $< -o $@

# Only membw_sim_* is exported (bindings/simlib/libmembw-sim.map); libmembw.so.0 is a dependency.
$(B)/libmembw-sim.so.0: $(SIMLIB_OBJS) bindings/simlib/libmembw-sim.map $(B)/libmembw.so
	$(CC) -shared -Wl,-soname,libmembw-sim.so.0 \
		-Wl,--version-script=bindings/simlib/libmembw-sim.map -Wl,-z,defs -o $@ \
		$(SIMLIB_OBJS) -L$(B) -lmembw -linih -lm $(LDFLAGS)

$(B)/tests/simlib-tests: bindings/simlib/test_membw_sim.c $(B)/libmembw-sim.so.0 \
		tests/support/check.c tests/support/cunit_run.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Ibindings/simlib bindings/simlib/test_membw_sim.c \
		tests/support/check.c tests/support/cunit_run.c -L$(B) -lmembw-sim -lmembw -lcunit \
		-o $@
# -lmembw-sim needs the unversioned name at link time.
$(B)/libmembw-sim.so: $(B)/libmembw-sim.so.0
	ln -sf libmembw-sim.so.0 $@
$(B)/tests/simlib-tests: $(B)/libmembw-sim.so

python-libs: $(B)/libmembw.so $(B)/libmembw-sim.so.0

# The guest-agent library (include/membw/agent.h, mk/agent.mk), when this tree has it: membw.agent
# is tested against it; without it tests/test_agent.py is skipped and says why.
ifneq ($(wildcard include/membw/agent.h),)
PYTHON_AGENT_ENV := MEMBW_AGENT_LIBRARY=$(abspath $(B))/libmembw-agent.so.0
python-libs: $(B)/libmembw-agent.so
endif

# The binding finds the libraries through MEMBW_LIBRARY and MEMBW_SIM_LIBRARY; no bytecode or
# pytest cache is written into the source tree.
check-python: python-libs $(B)/tests/simlib-tests
	@LD_LIBRARY_PATH=$(abspath $(B)) $(B)/tests/simlib-tests
	@cd bindings/python && MEMBW_LIBRARY=$(abspath $(B))/libmembw.so.0 \
		MEMBW_SIM_LIBRARY=$(abspath $(B))/libmembw-sim.so.0 MEMBW_SRCDIR=$(CURDIR) \
		MEMBW_SCRATCH=$(abspath $(B))/python PYTHONDONTWRITEBYTECODE=1 MPLBACKEND=Agg \
		$(PYTHON_AGENT_ENV) $(PYTHON) -m pytest -q -rs -p no:cacheprovider tests
