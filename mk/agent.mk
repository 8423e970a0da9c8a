# The guest-agent API: libmembw-agent.so (agent/, include/membw/agent.h), a Linux userspace
# library over the memtalk guest driver's device (kmod/guest/, include/membw/memtalk_dev.h), and
# its host tests against a fake device.
# Included by the top-level Makefile (which defines B, CC, VERSION, HOST_WARN, TEST_CFLAGS, ...).
#
#   make agent          build/libmembw-agent.so (and build/membw-agent.pc)
#   make check-agent    CUnit suite under ASan+UBSan against a fake device (open and ioctl
#                       wrapped by the linker), `membw guest`'s refusals without a device, the
#                       exports of the .so, and a program built against an installed copy with
#                       pkg-config membw-agent
#   make install        also installs the .so, its header and membw-agent.pc; uninstall removes them

CHECK_TARGETS += check-agent

.PHONY: agent check-agent

AGENT_SONAME := libmembw-agent.so.$(VERSION_MAJOR)
AGENT_HDRS := include/membw/agent.h include/membw/memtalk_dev.h
AGENT_CFLAGS := $(HOST_CFLAGS) -fPIC \
	-fvisibility=hidden -Iinclude
AGENT_OBJS := $(MEMBW_AGENT_SRCS:%.c=$(B)/agent-obj/%.o)

$(B)/agent-obj/%.o: %.c $(AGENT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(AGENT_CFLAGS) -c $< -o $@

$(B)/libmembw-agent.so.$(VERSION): $(AGENT_OBJS) agent/libmembw-agent.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(AGENT_SONAME) -Wl,--version-script=agent/libmembw-agent.map \
		-Wl,-z,defs -o $@ $(AGENT_OBJS)

$(B)/libmembw-agent.so: $(B)/libmembw-agent.so.$(VERSION)
	ln -sf libmembw-agent.so.$(VERSION) $(B)/$(AGENT_SONAME)
	ln -sf $(AGENT_SONAME) $@

# Written like membw.pc: replaced only when its text changes.
$(B)/membw-agent.pc: agent/membw-agent.pc.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

agent: $(B)/libmembw-agent.so $(B)/membw-agent.pc
lib: agent

# `membw guest` is the library's front end: build/membw links its object.
MEMBW_TOOL_OBJS += $(AGENT_OBJS)

# Installed through mk/pkg.mk's one list; the headers go with the core's (include/membw/*.h).
INSTALL_FILES += 755:$(B)/libmembw-agent.so.$(VERSION):$(LIBDIR) \
	644:$(B)/membw-agent.pc:$(PKGCONFIGDIR)
INSTALL_LINKS += $(LIBDIR)/$(AGENT_SONAME):libmembw-agent.so.$(VERSION) \
	$(LIBDIR)/libmembw-agent.so:$(AGENT_SONAME)

# The suite links the library's sources with open() and ioctl() wrapped (tests/agent/fake_dev.c).
AGENT_TEST_SRCS := $(wildcard tests/agent/*.c)
$(B)/tests/agent-tests: $(AGENT_TEST_SRCS) $(wildcard tests/agent/*.h) $(MEMBW_AGENT_SRCS) \
		$(AGENT_HDRS) tests/support/cunit_run.c tests/support/check.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Itests/agent $(AGENT_TEST_SRCS) $(MEMBW_AGENT_SRCS) \
		tests/support/cunit_run.c tests/support/check.c -Wl,--wrap=open -Wl,--wrap=ioctl \
		-lcunit -o $@

check-agent: $(B)/tests/agent-tests $(B)/libmembw-agent.so $(B)/libmembw.so $(B)/membw
	@$(B)/tests/agent-tests
	@tests/agent/guest-cli-run $(B)
	@scripts/check-exports $(B)/libmembw-agent.so.$(VERSION) - $(AGENT_SONAME) \
		agent/libmembw-agent.map MEMBW_AGENT_API include/membw/agent.h
	@tests/agent/consumer-run $(B)
