# Guest script for tests/xen/linux-run: a Debian arm64 Linux domU under Xen. Argument: MODE.
#   regulated    Xen with libmembw, membw= names this domain (domain id 1): the driver finds
#                memtalk over HVC, `membw guest status` shows membw='s numbers, a budget set with
#                `membw guest set` throttles a workload, `membw guest stats` is printed for
#                tests/xen/linux-run to compare with Xen's answers (CLI-STATS lines)
#   unregulated  the same Xen, a domain membw= does not name: memtalk is present, its budget
#                is refused (the host regulates nothing for it)
#   stock        Xen without our hooks: the driver says "memtalk not present" and why
# Every mode first runs /spin (tests/xen/spin.c) for the overhead figure docs/xen.md reports.
# Needs /membw_memtalk.ko, /membw-guest, /spin and /guest-lib.sh (tests/kernel/guest-lib.sh).
#
# The Xen side (tests/xen/linux-run): a 1 ms period, INST_RETIRED as the read event (64 bytes a
# "line"), domain 1's budget and cap 10^6 lines per period (64 GB/s: never reached, QEMU retires
# at most 10^6 instructions per ms at -icount shift=0) and floor 1000 lines (64 MB/s).
. /guest-lib.sh
MG=/membw-guest
DIR=/sys/kernel/debug/membw_memtalk
mode=${1:-regulated}
OUT=/tmp/out
# has TEXT: the last command's output (in $OUT) has TEXT (grep's basic regular expression)
has() { grep -q "$1" $OUT; }
has_rc() { [ "$rc" = "$1" ] && has "$2"; } # has_rc STATUS TEXT: also exited with STATUS
# A fixed CPU-bound workload (busybox sh arithmetic); prints the guest time it took in ns
# (/proc/uptime: 10 ms resolution).
work() {
	t0=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
	i=0
	while [ $i -lt "$1" ]; do i=$((i + 1)); done
	t1=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
	echo $(((t1 - t0) * 10000000))
}

echo "mode $mode; init after $(cut -d' ' -f1 /proc/uptime) s of guest time; psci: $(tr '\0' ' ' </proc/device-tree/psci/compatible) method=$(tr -d '\0' </proc/device-tree/psci/method)"
dmesg | grep 'psci: \(PSCIv\|SMC Calling\)'
check "Xen's PSCI node for the domU says method = hvc" grep -q '^hvc' /proc/device-tree/psci/method
# Xen gives a domU no PMU: its device tree has no arm,armv8-pmuv3 node (the driver never needs one)
check "no arm,armv8-pmuv3 node in the domU's device tree" sh -c '! grep -rqs armv8-pmuv3 /proc/device-tree'
check "spin runs" sh -c '/spin | sed "s/^/'"$mode"' /"'
expect_ok "insmod membw_memtalk.ko" "insmod /membw_memtalk.ko"
cat $DIR/status
case $mode in
stock)
	# the driver issued its first call (Call UID) over HVC and Xen answered NOT_SUPPORTED (-1)
	check "the driver's status: not present, with the reason" \
		grep -qF 'memtalk not present (the hypervisor answered Call UID with NOT_SUPPORTED over hvc)' $DIR/status
	$MG status >$OUT 2>&1; rc=$?
	cat $OUT
	check "membw guest status: exit 1, 'memtalk not present'" has_rc 1 'memtalk not present' 
	finish
	exit
	;;
esac
check "the driver's status: present, version 1.0, conduit hvc" \
	grep -q '^memtalk present version=1.0 .*conduit=hvc' $DIR/status
$MG status >$OUT 2>&1; rc=$?
cat $OUT
if [ "$mode" = unregulated ]; then
	check "membw guest status: exit 1, the host denies a budget to this domain" \
		has_rc 1 'denied by the host.*(DENIED)'

	finish
	exit
fi
check "membw guest status: exit 0" [ "$rc" = 0 ]
check "membw guest status: budget 64 GB/s, cap 64 GB/s, floor 64 MB/s (membw= d1)" \
	has 'read *budget 64 GB/s, host cap 64 GB/s, floor 64 MB/s' 
WORK=20000
free=$(work "$WORK")
echo "workload: $WORK iterations in $free ns of guest time at the initial budget"
$MG set 3.2GB/s >$OUT 2>&1; rc=$?
cat $OUT
check "membw guest set 3.2GB/s: exit 0" [ "$rc" = 0 ]
check "membw guest set: the read budget is now 3.2 GB/s" has 'read *budget 3.2 GB/s, host cap 64 GB/s' 
slow=$(work "$WORK")
echo "workload: $WORK iterations in $slow ns of guest time at 3.2 GB/s (50000 lines per 1 ms)"
# Unthrottled, the vCPU retires up to 10^6 instructions per 1 ms period (-icount shift=0); at
# 50000 lines (INST_RETIRED events) per period it gets at most 50000 plus the overflow's skid: a
# slow-down of about 20. Bound: 10.
check "the workload is throttled: $slow ns >= 10 x $free ns" \
	sh -c "[ $free -gt 0 ] && [ $slow -ge $((free * 10)) ]"
out=$($MG stats 2>&1); rc=$?
echo "$out" | sed 's/^/CLI-STATS: /'
check "membw guest stats: exit 0" [ "$rc" = 0 ]
tp=$(echo "$out" | sed -n 's/.*throttled_periods=\([0-9]*\).*/\1/p')
check "membw guest stats: periods with throttling (${tp:-none}) > 0" sh -c "[ '${tp:-0}' -gt 0 ]"
finish
