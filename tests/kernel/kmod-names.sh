# Guest script (tests/kernel/boot): membw.ko's read_event/write_event names against the running
# CPU's event tables (kmod/events.c), as the perf backend resolves them (backends/perf/*_table.c).
# Every refused load must say why and leave no module and no debugfs directory behind.
# Run on its own (kmod-tests.cfg) or from kmod-basic.sh. Needs /membw.ko and /guest-lib.sh.
#
# What the CPU is comes from /proc/cpuinfo (the kernel's CPUID decoding, independent of ours):
# - x86-64, GenuineIntel: QEMU's Skylake-Server-v1 model is family 6 model 85 (0x55) stepping 4,
#   which the x86 tables give to Skylake-SP. Golden raw configs: the Intel SDM's architectural
#   LLC-miss event is event 0x2E umask 0x41, i.e. config 0x412e (event | umask << 8); libpfm4
#   4.13 encodes skx::LONGEST_LAT_CACHE:MISS as 0x53412e and skx::L2_LINES_OUT:NON_SILENT as
#   0x5302f2, whose low 16 bits (event and umask; the rest are USR/OS/INT/EN) are 0x412e, 0x02f2.
# - x86-64, any other vendor (QEMU's TCG `max` model reports AuthenticAMD): no Intel table applies.
# - arm64: the Intel names are another architecture's; an Arm name this PMU does not implement
#   (PMCEID0/1_EL0) is refused.
. /guest-lib.sh

arch=$(uname -m)
vendor=$(awk -F': *' '/^vendor_id/ { print $2; exit }' /proc/cpuinfo)
echo "kmod-names: $arch, vendor '${vendor:-none}'"

clean() {
	check "after '$1': no membw module and no debugfs directory left" \
		sh -c "! grep -q '^membw ' /proc/modules && [ ! -e $MEMBW ]"
}

# logged TEXT...: some kernel log line holds every TEXT (fixed strings).
logged() {
	dmesg >/tmp/dmesg
	for t in "$@"; do
		grep -F -- "$t" /tmp/dmesg >/tmp/dmesg.next || return 1
		mv /tmp/dmesg.next /tmp/dmesg
	done
}

# refused PARAMS: insmod PARAMS must fail and leave nothing behind.
refused() {
	expect_fail "insmod /membw.ko $1 is refused" "insmod /membw.ko $1"
	clean "$1"
}

# resolved PARAMS: the load may fail afterwards (TCG has no PMU: perf refuses the raw event);
# only the resolution, logged before perf is asked, is checked by the caller. Unload if it loaded.
resolved() {
	insmod /membw.ko $1 2>/dev/null && rmmod membw
	clean "$1"
}

if [ "$arch" = x86_64 ] && [ "$vendor" != GenuineIntel ]; then
	check "the CPU is not GenuineIntel (QEMU's TCG max model); else point this test at the Intel branch" \
		[ -n "$vendor" ]
	refused "read_event=LONGEST_LAT_CACHE.MISS"
	check "an Intel table name is recognised, and refused because no Intel table applies to $vendor" \
		logged "read_event='LONGEST_LAT_CACHE.MISS' is an event of the Intel " \
		"no Intel event table applies on this CPU ($vendor family 0x" "not GenuineIntel" \
		"a raw code for its PMU (raw:0x17 or r17"
	check "... and not refused as an unknown name" \
		sh -c "! dmesg | grep -qF \"read_event='LONGEST_LAT_CACHE.MISS' is none of\""
	refused "read_event=default"
	check "read_event=default: no Intel table applies to $vendor, raw code named instead" \
		logged "read_event='default' has no event here: no Intel event table applies on this CPU ($vendor" \
		"raw:0x17"
	refused "read_event=cpu-clock write_event=x86::l2_lines_out.non_silent"
	check "write_event=x86::NAME (any case) is recognised as Intel's and refused the same way" \
		logged "write_event='l2_lines_out.non_silent' is an event of the Intel " \
		"no Intel event table applies on this CPU ($vendor"
	refused "read_event=L2D_CACHE_REFILL"
	check "an Arm mnemonic on x86-64 is recognised as Arm's, and refused as another architecture's" \
		logged "read_event='L2D_CACHE_REFILL' is an Arm PMU event: the armv8 tables apply on arm64 only" \
		"raw code"
	refused "read_event=remote_access"
	check "a lower-case name starting with r (remote_access) is a name, not a raw code: Arm's" \
		logged "read_event='remote_access' is an Arm PMU event"
	refused "read_event=no-such-event"
	check "an unknown name is refused as unknown" \
		logged "read_event='no-such-event' is none of" "none applies: this CPU is not GenuineIntel"
elif [ "$arch" = x86_64 ]; then
	family=$(awk -F': *' '/^cpu family/ { print $2; exit }' /proc/cpuinfo)
	model=$(awk -F': *' '/^model[[:blank:]]/ { print $2; exit }' /proc/cpuinfo)
	check "the CPU is family 6 model 85 (QEMU's Skylake-Server-v1; got family $family model $model)" \
		[ "$family.$model" = 6.85 ]
	resolved "read_event=LONGEST_LAT_CACHE.MISS"
	check "read_event=LONGEST_LAT_CACHE.MISS is raw 0x412e (SDM: event 0x2E umask 0x41) of Skylake-SP" \
		logged "read_event=LONGEST_LAT_CACHE.MISS is LONGEST_LAT_CACHE.MISS (raw 0x412e) of the Intel Skylake-SP table (family 0x6 model 0x55 stepping 0x4)"
	resolved "read_event=default"
	check "read_event=default is LONGEST_LAT_CACHE.MISS, raw 0x412e" \
		logged "read_event=default is LONGEST_LAT_CACHE.MISS (raw 0x412e) of the Intel Skylake-SP table"
	resolved "read_event=cpu-clock write_event=default"
	check "write_event=default is L2_LINES_OUT.NON_SILENT, raw 0x02f2 (libpfm4 skx: 0x5302f2)" \
		logged "write_event=default is L2_LINES_OUT.NON_SILENT (raw 0x02f2) of the Intel Skylake-SP table"
	resolved "read_event=default-write"
	check "perf's default-write names the write-back event whatever the parameter (raw 0x02f2)" \
		logged "read_event=default-write is L2_LINES_OUT.NON_SILENT (raw 0x02f2) of the Intel Skylake-SP table"
	resolved "read_event=x86::l2_lines_out.non_silent"
	check "x86::NAME in any case resolves to the same row (raw 0x02f2)" \
		logged "read_event=l2_lines_out.non_silent is L2_LINES_OUT.NON_SILENT (raw 0x02f2) of the Intel Skylake-SP table"
	refused "read_event=L2D_CACHE_REFILL"
	check "an Arm mnemonic on x86-64 is refused as another architecture's" \
		logged "read_event='L2D_CACHE_REFILL' is an Arm PMU event: the armv8 tables apply on arm64 only"
	refused "read_event=NO_SUCH_EVENT"
	check "an unknown name is refused as unknown, naming this CPU's table" \
		logged "read_event='NO_SUCH_EVENT' is none of" "the Intel Skylake-SP table of this CPU"
else
	refused "read_event=LONGEST_LAT_CACHE.MISS"
	check "an Intel name on arm64 is recognised as Intel's, and refused as another architecture's" \
		logged "read_event='LONGEST_LAT_CACHE.MISS' is an event of the Intel " \
		"the x86 tables apply on x86-64 only, and this is an arm64 CPU (MIDR 0x"
	refused "read_event=x86::L2_LINES_OUT.NON_SILENT"
	check "x86::NAME on arm64 is refused the same way" \
		logged "read_event='L2_LINES_OUT.NON_SILENT' is an event of the Intel " "x86-64 only"
	refused "read_event=NO_SUCH_EVENT"
	check "an unknown name is refused as unknown" logged "read_event='NO_SUCH_EVENT' is none of"
	# A table event this PMU does not implement never counts (docs/linux-kernel.md
	# #linux-raw-events), so it is refused. QEMU implements INST_RETIRED (0x08, the Arm ARM's
	# common event number) only under -icount (docs/qemu.md#qemu-icount), which this run
	# (kmod-names-arm64) has not: PMCEID0_EL0 bit 8 is clear. CPU_CYCLES (0x11) is implemented.
	refused "read_event=INST_RETIRED"
	check "INST_RETIRED without -icount is refused, naming PMCEID0_EL0 bit 8" \
		logged "read_event=INST_RETIRED (raw 0x08): this CPU's PMU does not implement it (PMCEID0_EL0 bit 8 is clear)"
	refused "read_event=CPU_CYCLES write_event=INST_RETIRED"
	check "the write event is checked the same way" \
		logged "write_event=INST_RETIRED (raw 0x08): this CPU's PMU does not implement it"
	expect_ok "insmod read_event=CPU_CYCLES (PMCEID0_EL0 bit 17 set) loads" \
		"insmod /membw.ko read_event=CPU_CYCLES"
	expect_ok "rmmod" "rmmod membw"
fi
refused "read_event=raw:zz"
check "raw:zz is refused as a malformed raw code" logged "read_event='raw:zz': a raw code is raw:0x17"
finish
