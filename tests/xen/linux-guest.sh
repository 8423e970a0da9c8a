# Guest script for tests/xen/linux-run: a Debian arm64 Linux domU under Xen with libmembw
# (membw= regulates this domain, domain id 1). Needs /membw_memtalk.ko, /membw-guest and
# /guest-lib.sh (tests/kernel/guest-lib.sh). Prints PASS:/FAIL: lines and a SUMMARY.
#
# The Xen side (tests/xen/linux-run): a 1 ms period, INST_RETIRED as the read event (64 bytes a
# "line"), this domain's budget and cap 10^6 lines per period (64 GB/s: never reached, QEMU
# retires at most 10^6 instructions per ms at -icount shift=0) and floor 1000 lines (64 MB/s).
. /guest-lib.sh
MG=/membw-guest
DIR=/sys/kernel/debug/membw_memtalk
# A fixed CPU-bound workload (busybox sh arithmetic); prints the guest time it took in ns
# (/proc/uptime: 10 ms resolution).
work() {
	t0=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
	i=0
	while [ $i -lt "$1" ]; do i=$((i + 1)); done
	t1=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
	echo $(((t1 - t0) * 10000000))
}

echo "psci: $(cat /proc/device-tree/psci/compatible 2>/dev/null | tr '\0' ' ') method=$(cat /proc/device-tree/psci/method 2>/dev/null)"
dmesg | grep -i 'psci\|smccc\|xen' | head -n 20
expect_ok "insmod membw_memtalk.ko" "insmod /membw_memtalk.ko"
cat $DIR/status
check "the driver's status: present, version 1.0, conduit hvc" \
	grep -q '^memtalk present version=1.0 .*conduit=hvc' $DIR/status
out=$($MG status 2>&1); rc=$?
echo "$out"
check "membw guest status: exit 0" [ "$rc" = 0 ]
check "membw guest status: budget 64 GB/s, cap 64 GB/s, floor 64 MB/s (membw= d1)" \
	sh -c "echo '$out' | grep -q 'read.*64.*GB/s.*64.*GB/s.*64.*MB/s'"
WORK=${1:-20000}
free=$(work "$WORK")
echo "workload: $WORK iterations in $free ns of guest time at the initial budget"
out=$($MG set 3.2GB/s 2>&1); rc=$?
echo "$out"
check "membw guest set 3.2GB/s: exit 0" [ "$rc" = 0 ]
check "membw guest set: the read budget is now 3.2 GB/s" sh -c "echo '$out' | grep -q 'read.*budget 3.2 GB/s'"
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
