# Guest script (tests/kernel/boot, arm64 under -icount): the static aarch64 membw regulates a
# workload by hardware events of QEMU's emulated PMUv3, counted by the real arm64 kernel's
# armv8_pmuv3 driver. Needs /membw, /touch-pages and /guest-lib.sh.
# Events by raw code (Arm ARM D17.11, common architectural event numbers): 0x08 INST_RETIRED,
# 0x11 CPU_CYCLES. Under -icount shift=0 one instruction takes one ns of guest time, so the
# instruction counts are deterministic (docs/qemu.md#qemu-icount).
. /guest-lib.sh
mkdir -p /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null

/membw events --all >/tmp/events 2>&1
check "membw events does not report a missing PMU (armv8_pmuv3 is there)" \
	sh -c "! grep -q 'No hardware PMU' /tmp/events"
# The armv8 table of the running core. QEMU's -cpu max reports implementer 0x00, which the Arm
# ARM (MIDR_EL1.Implementer) reserves for software use: no vendor table can match, so the
# generic table of common events applies. INST_RETIRED is common event 0x08, L2D_CACHE_REFILL
# 0x17 (Arm ARM D17.11), and an L2 refill is memory traffic.
sed -n '/^armv8 event table/,/table events listed/p' /tmp/events
midr=$(cat /sys/devices/system/cpu/cpu0/regs/identification/midr_el1)
midr32=$(printf '0x%08x' $((midr & 0xffffffff)))
check "membw events names the core and its MIDR_EL1 ($midr32, from sysfs)" \
	grep -q "^armv8 event table: .* (MIDR_EL1 $midr32)" /tmp/events
if [ $(((midr >> 24) & 0xff)) = 0 ]; then
	check "membw events: implementer 0x00 gets the generic table, with a note" \
		grep -q "^armv8 event table: generic " /tmp/events
	check "membw events: the generic table comes with a note saying so" \
		grep -q "^Note: libmembw has no table for this core" /tmp/events
fi
check "membw events lists INST_RETIRED as event 0x0008" \
	grep -Eq "^INST_RETIRED +0x0008 " /tmp/events
check "membw events marks L2D_CACHE_REFILL (0x0017) as memory traffic" \
	grep -Eq "^L2D_CACHE_REFILL +0x0017 +mem " /tmp/events
check "membw events: PMCEID says the PMU implements INST_RETIRED (QEMU's PMUv3 counts it)" \
	grep -Eq "^INST_RETIRED +0x0008 +yes " /tmp/events
check "membw events then lists libpfm4's events" grep -q "^libpfm4 events:" /tmp/events

# 12.8 GB/s at 64 bytes per event and 10 ms periods: 12.8e9 * 0.01 / 64 = 2000000 events per
# period. touch-pages needs far more instructions than that for 20000 pages, so it is held.
regulate() { # NAME EVENT OPTIONS...
	name=$1 event=$2
	shift 2
	/membw run --event "$event" --budget 12.8GB/s --period 10ms --stats --trace /tmp/t.csv "$@" \
		-- /touch-pages 20000 >/tmp/out 2>/tmp/err
	rc=$?
	cat /tmp/err
	check "$name: the workload ran to its end (exit 0, 20000 pages)" \
		sh -c "[ $rc = 0 ] && grep -q 'touched 20000 pages' /tmp/out"
	check "$name: the line size is 64 bytes, so the budget is 2000000 events per period" \
		grep -q "budget  *12.8 GB/s = 2000000 events per period" /tmp/err
	check "$name: the event counted (above zero: an unsupported raw event counts 0)" \
		awk -F, 'NR > 1 { t += $5 } END { exit !(t > 0) }' /tmp/t.csv
	check "$name: every period's allowance is at most the budget" \
		awk -F, 'NR > 1 && $6 > $8 * $4 { bad = 1 } END { exit bad }' /tmp/t.csv
	check "$name: every period's use is at most budget + overshoot" \
		awk -F, 'NR > 1 && $5 > $8 * $4 + $7 { bad = 1 } END { exit bad }' /tmp/t.csv
	check "$name: some period reached the budget (the workload was held)" \
		awk -F, 'NR > 1 && $5 >= $8 * $4 { n++ } END { exit !(n > 0) }' /tmp/t.csv
	check "$name: --stats shows throttled periods" grep -q "throttled  *[1-9][0-9]* periods" /tmp/err
	awk -F, -v name="$name" 'NR > 1 { n += $4; o += $7; if ($7 > m) m = $7 }
		END { printf "BENCH %s: %d periods, overshoot %d events in all, at most %d in one period, %.1f per period\n", name, n, o, m, n ? o / n : 0 }' /tmp/t.csv
	grep "CPU time" /tmp/err | sed "s/^/BENCH $name: /"
}
regulate "INST_RETIRED (r08), cgroup freezer" r08
regulate "INST_RETIRED (by name, armv8 table)" INST_RETIRED
check "INST_RETIRED by name: resolved by the armv8 table, not libpfm4 or a raw code" \
	grep -q "read event: armv8/.*::INST_RETIRED (raw 0x8)" /tmp/err
/membw run --event default --budget 12.8GB/s --period 10ms --stats -- /touch-pages 100 \
	>/tmp/out 2>/tmp/err
cat /tmp/err
check "--event default: the table's read default, L2D_CACHE_REFILL (0x17)" \
	grep -q "read event: armv8/.*::L2D_CACHE_REFILL (raw 0x17)" /tmp/err
regulate "INST_RETIRED (r08), signals" r08 --signals
regulate "CPU_CYCLES (r11)" r11
finish
