# What each library is built from: the one list, read by the Makefile, by kmod/Kbuild and
# kmod/guest/Kbuild (staged next to them by scripts/kmod-stage), and named by docs/porting.md.
# Paths are relative to the top of the tree. `make check-sources` fails when a .c file in lib/,
# memtalk/, backends/armv8/ or backends/x86/ is in no list.

# The policy core: freestanding C11, every file needed, none optional.
MEMBW_CORE_SRCS := lib/control.c lib/convert.c lib/counter.c lib/entry.c lib/errors.c \
	lib/grant.c lib/init.c lib/membership.c lib/period.c lib/reclaim.c lib/sharing.c \
	lib/stats.c lib/throttle.c lib/trace.c lib/units.c lib/version.c

# memtalk, the guest-to-hypervisor call (optional): the wire format both ends use, the guest's
# calls, the host's dispatcher. A guest needs abi + guest (and lib/units.c if it parses rates); a
# hypervisor needs abi + host with the core.
MEMTALK_ABI_SRCS := memtalk/abi.c
MEMTALK_GUEST_SRCS := $(MEMTALK_ABI_SRCS) memtalk/guest.c
MEMTALK_HOST_SRCS := $(MEMTALK_ABI_SRCS) memtalk/host.c
MEMTALK_SRCS := $(MEMTALK_ABI_SRCS) memtalk/guest.c memtalk/host.c

# The armv8 (PMUv3) counter backend, freestanding; its event tables alone are also used to
# resolve event names (the perf backend, membw.ko).
ARMV8_TABLE_SRCS := backends/armv8/events.c
ARMV8_BACKEND_SRCS := backends/armv8/armv8.c $(ARMV8_TABLE_SRCS)

# The x86 (Intel architectural perfmon) counter backend, freestanding; its event tables alone.
X86_TABLE_SRCS := backends/x86/events.c
X86_BACKEND_SRCS := backends/x86/x86.c $(X86_TABLE_SRCS)

# The guest-agent API (libmembw-agent.so, Linux userspace only; mk/agent.mk): not freestanding.
MEMBW_AGENT_SRCS := agent/agent.c
