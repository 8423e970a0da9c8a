# Guest script (tests/kernel/boot) for the memtalk guest driver. Argument: MODE.
#
# absent (default): a kernel where no hypervisor answers memtalk (QEMU TCG, no virtualization).
#   membw_memtalk.ko must load anyway, say "memtalk not present (reason)", refuse budget writes
#   with ENODEV and a readable reason, refuse malformed writes with EINVAL first, show its files
#   without crashing, and unload cleanly. Needs /membw_memtalk.ko.
# loopback: the test build membw_memtalk_loopback.ko, whose calls reach lib/'s host dispatcher
#   inside the module (kmod/guest/loopback.c): the "present" path. Needs /membw_memtalk_loopback.ko.
#
# Both need /membw-guest (a static `membw guest`) and /guest-lib.sh. The harness fails the run on
# any kernel warning or oops.
. /guest-lib.sh
DIR=/sys/kernel/debug/membw_memtalk
MG=/membw-guest
mode=${1:-absent}

# "sh: write error: No such device" is how busybox reports a write(2) refused with ENODEV, and
# "Invalid argument" is strerror(EINVAL): the errno values are the test, not the wording.
write_says() { # write_says TEXT ERRNO-TEXT: the write fails and the shell reports ERRNO-TEXT
	out=$(sh -c "echo '$1' > $DIR/budget" 2>&1) && return 1
	case "$out" in *"$2"*) return 0 ;; *) echo "  got: $out"; return 1 ;; esac
}
status_line() { sed -n "s/^$1//p" "$DIR/status"; }
has_line() { grep -qxF "$1" "$2"; }

if [ "$mode" = loopback ]; then
	# The loopback host's settings (kmod/guest/loopback.c): reads only, read cap 10^9 B/s, read
	# floor 10^6 B/s, write cap unlimited, initial read budget = the cap, rate limit burst 20 at
	# one call per 1000 s (so within this boot exactly 20 SET_BUDGET / statistics snapshots pass:
	# docs/memtalk.md's GCRA with T = 10^12 ns, tau = 19 T). MB = 10^6 B (include/membw/units.h).
	limited=0 # SET_BUDGET calls and statistics snapshots accepted so far

	# base= skips the Call UID query (docs/memtalk.md §2.1). This host owns the range with base 0,
	# so VERSION at base 16 is an unknown function of the range: NOT_SUPPORTED (-1).
	expect_ok "insmod the loopback build with base=16" "insmod /membw_memtalk_loopback.ko base=16"
	check "base=16: not present, VERSION answered -1 without the magic" has_line \
		"memtalk not present (VERSION at base 16 answered status -1 without memtalk's magic)" $DIR/status
	check "base=16: one call (VERSION), no Call UID" has_line "calls: issued=1 faulted=0" $DIR/status
	expect_ok "rmmod it" "rmmod membw_memtalk_loopback"
	expect_ok "insmod the loopback build with base=0" "insmod /membw_memtalk_loopback.ko base=0"
	check "base=0: present at base 0" grep -q '^memtalk present version=1.0 base=0 ' $DIR/status
	check "base=0: one call (VERSION), no Call UID" has_line "calls: issued=1 faulted=0" $DIR/status
	expect_ok "rmmod it" "rmmod membw_memtalk_loopback"

	expect_ok "insmod the loopback build" "insmod /membw_memtalk_loopback.ko"
	# docs/memtalk.md: version word 0x00010000 is 1.0; v1 implements functions 0..3 (0xf); a
	# host that owns the range uses base 0.
	check "status: present, version 1.0, base 0, functions 0xf, conduit loopback" \
		has_line "memtalk present version=1.0 base=0 functions=0xf conduit=loopback" $DIR/status
	check "the probe issued two calls (Call UID, VERSION)" has_line "calls: issued=2 faulted=0" $DIR/status
	check "read budget 10^9 B/s, cap 10^9 B/s, floor 10^6 B/s" has_line \
		"read budget_bytes_per_s=1000000000 cap_bytes_per_s=1000000000 floor_bytes_per_s=1000000" $DIR/budget
	check "write budget and cap unlimited, floor 0" has_line \
		"write budget_bytes_per_s=unlimited cap_bytes_per_s=unlimited floor_bytes_per_s=0" $DIR/budget
	expect_ok "budget accepts '500MB/s'" "echo 500MB/s > $DIR/budget"
	limited=$((limited + 1))
	check "read budget is 500000000 B/s (500 * 10^6)" grep -q '^read budget_bytes_per_s=500000000 ' $DIR/budget
	check "write budget kept unlimited by a read-only request" grep -q '^write budget_bytes_per_s=unlimited ' $DIR/budget
	check "last_error is none after an accepted write" has_line "last_error: none" $DIR/status
	before=$(cat $DIR/budget)
	check "'2GB/s' (above the cap) is refused with EPERM" write_says 2GB/s "Operation not permitted"
	check "last_error says the host denied it" sh -c "grep -q '^last_error: setting the budget: denied by the host' $DIR/status"
	check "'500kB/s' (below the floor) is refused with EPERM" write_says 500kB/s "Operation not permitted"
	check "'unlimited' (the cap is finite) is refused with EPERM" write_says unlimited "Operation not permitted"
	check "'write=100MB/s' (no write-back counter) is refused with ERANGE" \
		write_says write=100MB/s "Numerical result out of range"
	check "last_error says the host cannot enforce it" sh -c "grep -q '^last_error: setting the budget: the host cannot enforce' $DIR/status"
	check "'abc' is refused with EINVAL" write_says abc "Invalid argument"
	check "the budget is unchanged after the refusals" [ "$(cat $DIR/budget)" = "$before" ]
	expect_ok "budget accepts 'write=unlimited read=250MB/s'" "echo write=unlimited read=250MB/s > $DIR/budget"
	limited=$((limited + 1))
	check "read budget is 250000000 B/s" grep -q '^read budget_bytes_per_s=250000000 ' $DIR/budget

	out=$($MG set 300MB/s 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	limited=$((limited + 1))
	check "membw guest set 300MB/s exits 0" [ $rc = 0 ]
	# membw_format_rate: three significant digits, decimal prefixes (include/membw/units.h).
	check "membw guest set prints the read budget, cap and floor with units" \
		sh -c "echo \"\$1\" | grep -qxF 'read   budget 300 MB/s, host cap 1 GB/s, floor 1 MB/s'" _ "$out"
	check "membw guest set prints the write budget, cap and floor with units" \
		sh -c "echo \"\$1\" | grep -qxF 'write  budget unlimited, host cap unlimited, floor 0 B/s'" _ "$out"
	out=$($MG set 2GB/s 2>&1); rc=$?
	check "membw guest set 2GB/s exits 1" [ $rc = 1 ]
	check "membw guest set 2GB/s says the host denied it" \
		sh -c "echo \"\$1\" | grep -q 'not changed: Operation not permitted: setting the budget: denied by the host'" _ "$out"
	check "the read budget is still 300000000 B/s" grep -q '^read budget_bytes_per_s=300000000 ' $DIR/budget
	$MG status >/dev/null 2>&1
	check "membw guest status exits 0 when memtalk is present" [ $? = 0 ]

	# docs/memtalk.md: page 0 returns the snapshot sequence number, 1 for the first. No CPU of
	# the loopback policy is online, so no period has closed.
	s1=$(cat $DIR/stats) s2=$(cat $DIR/stats)
	echo "$s1" | sed 's/^/  1| /'
	echo "$s2" | sed 's/^/  2| /'
	check "the first statistics read is snapshot 1 with 0 periods of 1000000 ns (1 ms default)" \
		sh -c "echo \"\$1\" | grep -q '^sequence=1 periods=0 period_ns=1000000 '" _ "$s1"
	check "the first statistics read has read and write lines in bytes" sh -c \
		"echo \"\$1\" | grep -q '^read used_bytes=0 allowance_bytes=[0-9]* overshoot_bytes=0$' &&
		 echo \"\$1\" | grep -q '^write used_bytes=0 allowance_bytes=[0-9]* overshoot_bytes=0$'" _ "$s1"
	check "the second is snapshot 2" sh -c "echo \"\$1\" | grep -q '^sequence=2 '" _ "$s2"
	# grep's stdio seeks back over unread input when it exits: still one open, one snapshot.
	check "a grep of stats sees snapshot 3" grep -q '^sequence=3 ' $DIR/stats
	out=$($MG stats 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	check "membw guest stats exits 0 and shows snapshot 4" sh -c "[ $rc = 0 ] && echo \"\$1\" | grep -q '^sequence=4 '" _ "$out"
	limited=$((limited + 4))

	# The rate limit: exactly 20 - $limited more SET_BUDGET calls pass, then EAGAIN.
	n=0
	while [ $n -lt 30 ] && echo "$((10 + n))MB/s" >$DIR/budget 2>/dev/null; do n=$((n + 1)); done
	check "exactly $((20 - limited)) more SET_BUDGET calls pass the burst of 20 (got $n)" [ $n = $((20 - limited)) ]
	check "the next one is refused with EAGAIN" write_says 5MB/s "Resource temporarily unavailable"
	check "last_error says try again later" sh -c "grep -q '^last_error: setting the budget: the host is busy or limits how often this is asked: try again later' $DIR/status"
	check "the budget is the last accepted one, $((10 + n - 1)) * 10^6 B/s" \
		grep -q "^read budget_bytes_per_s=$(((10 + n - 1) * 1000000)) " $DIR/budget
	check "a statistics read is refused with EAGAIN too" sh -c "! cat $DIR/stats >/dev/null 2>&1"
	expect_ok "rmmod the loopback build" "rmmod membw_memtalk_loopback"
	check "the debugfs directory is gone" [ ! -e $DIR ]
	finish
	exit
fi

status_calls() { sed -n "s/^calls: issued=\([0-9]*\) faulted=\([0-9]*\)$/\1 \2/p" "$DIR/status"; }
arch=$(uname -m)
echo "INFO: $(uname -r) $arch"
hyp_flag=0
grep -q -E '^flags.* hypervisor( |$)' /proc/cpuinfo && hyp_flag=1
smccc=$(dmesg | sed -n 's/.*psci: SMC Calling Convention v\([0-9.]*\).*/\1/p' | tail -n 1)
[ "$arch" = aarch64 ] && echo "INFO: the kernel's PSCI driver found SMCCC v$smccc, DT method" \
	"$(cat /sys/firmware/devicetree/base/psci/method 2>/dev/null | tr -d '\0')"
[ "$arch" = x86_64 ] && echo "INFO: /proc/cpuinfo hypervisor flag: $hyp_flag, vendor" \
	"$(sed -n 's/^vendor_id[^:]*: //p' /proc/cpuinfo | head -n 1)"

# A base out of range is refused at load (it would name no memtalk function).
expect_fail "insmod refuses base=65265 (above 0xFF00 - 16)" "insmod /membw_memtalk.ko base=65265"
check "the refused load leaves no module behind" sh -c "! grep -q '^membw_memtalk ' /proc/modules"

expect_ok "insmod loads with no hypervisor answering" "insmod /membw_memtalk.ko"
check "debugfs has status, budget and stats" sh -c \
	"for f in status budget stats; do [ -f $DIR/\$f ] || exit 1; done"
reason=$(dmesg | sed -n 's/.*membw_memtalk: memtalk not present (\(.*\)); writes.*/\1/p' | tail -n 1)
echo "INFO: reason logged: $reason"
check "the kernel log says 'memtalk not present (reason)'" [ -n "$reason" ]
check "status says 'memtalk not present (reason)' with the logged reason" \
	[ "$(sed -n 1p $DIR/status)" = "memtalk not present ($reason)" ]
check "status says writes are refused with ENODEV" grep -qx "writes to budget are refused with ENODEV" $DIR/status
check "status shows last_error: none before any write" [ "$(status_line 'last_error: ')" = none ]
calls=$(status_calls)
echo "INFO: calls issued, faulted: $calls"

# What the probe may do follows from what the kernel itself knows (its PSCI log, CPUID flags):
# no call at all without an SMCCC v1.1 HVC conduit or the CPUID hypervisor bit; with one, only
# the Call UID query, since QEMU does not answer it with memtalk's UID.
case "$arch:$smccc:$hyp_flag" in
aarch64:1.0:*)
	check "SMCCC v1.0: the reason is the missing v1.1 conduit" \
		[ "$reason" = "no SMCCC v1.1 conduit: firmware reports SMCCC v1.0" ]
	check "SMCCC v1.0: no HVC was issued" [ "$calls" = "0 0" ] ;;
aarch64:*)
	check "SMCCC v$smccc over HVC: the reason is Call UID answered NOT_SUPPORTED" \
		[ "$reason" = "the hypervisor answered Call UID with NOT_SUPPORTED over hvc" ]
	check "SMCCC v$smccc over HVC: exactly one call (Call UID), no VERSION" [ "$calls" = "1 0" ] ;;
x86_64:*:0)
	check "no CPUID hypervisor bit: the reason says so" \
		[ "$reason" = "no hypervisor: CPUID.1:ECX[31] is clear" ]
	check "no CPUID hypervisor bit: no VMCALL/VMMCALL was issued" [ "$calls" = "0 0" ] ;;
x86_64:*:1)
	insn=vmcall
	grep -q -E '^vendor_id.*(AuthenticAMD|HygonGenuine)' /proc/cpuinfo && insn=vmmcall
	check "CPUID hypervisor bit: exactly one $insn (Call UID), no VERSION" \
		sh -c "[ '$calls' = '1 1' ] || [ '$calls' = '1 0' ]"
	if [ "$calls" = "1 1" ]; then
		check "$insn raised #UD: the reason says the hypervisor does not trap it" \
			[ "$reason" = "$insn raised an undefined-instruction exception: CPUID.1:ECX[31] says a hypervisor is there, but it does not trap $insn" ]
	else
		check "$insn returned: the reason is Call UID answered NOT_SUPPORTED" \
			[ "$reason" = "the hypervisor answered Call UID with NOT_SUPPORTED over $insn" ]
	fi ;;
*)
	check "architecture $arch is one this test knows" false ;;
esac
check "budget reads 'memtalk not present' instead of numbers" \
	grep -qxF "memtalk not present ($reason): no budget to show" $DIR/budget
check "stats reads 'memtalk not present' instead of numbers" \
	grep -qxF "memtalk not present ($reason): no statistics to show" $DIR/stats

# Well-formed budgets: refused with ENODEV, and the reason is readable from the status file.
for good in "500MB/s" "read=500MB/s write=200MB/s" "write=1GiB/s" "unlimited"; do
	check "budget refuses '$good' with ENODEV (No such device)" write_says "$good" "No such device"
done
check "status last_error says not present and that nothing was sent" \
	[ "$(status_line 'last_error: ')" = "memtalk not present ($reason): nothing was sent" ]

# Malformed budgets: EINVAL, judged before presence, with the parser's reason.
for bad in "abc" "500Mb/s" "-5MB/s" "read=1MB/s read=2MB/s" "speed=1MB/s" "500MB/s 200MB/s" \
	"read=1MB/s 5MB/s" "" "read=" "5 MB/s"; do
	check "budget refuses '$bad' with EINVAL (Invalid argument)" write_says "$bad" "Invalid argument"
done
check "status last_error names the unit rule after '500Mb/s'" sh -c \
	"echo 500Mb/s > $DIR/budget 2>/dev/null; grep -q '^last_error: read rate .500Mb/s.: rates are in bytes: use B, not b' $DIR/status"
long=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "1"; print "MB/s" }')
check "budget refuses a 205-byte write with EINVAL" write_says "$long" "Invalid argument"
check "status last_error says the input is too long" \
	[ "$(status_line 'last_error: ')" = "input longer than 127 bytes" ]
check "status, budget and stats still read after the refusals" sh -c \
	"cat $DIR/status $DIR/budget $DIR/stats >/dev/null"

# Four shells writing and reading at once: the mutex serialises them, nothing crashes.
i=0
while [ $i -lt 4 ]; do
	( n=0; while [ $n -lt 50 ]; do echo 1MB/s >$DIR/budget 2>/dev/null; cat $DIR/status >/dev/null
	  n=$((n + 1)); done ) &
	i=$((i + 1))
done
wait
check "status still reads after 200 concurrent writes and reads" grep -q '^memtalk not present' $DIR/status
check "no refused write issued a call (calls still $calls)" [ "$(status_calls)" = "$calls" ]

# membw guest against the loaded module.
out=$($MG status 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
check "membw guest status exits 1 when memtalk is not present" [ $rc = 1 ]
check "membw guest status prints the reason" sh -c "echo \"\$1\" | grep -qF 'membw guest: memtalk not present ($reason)'" _ "$out"
out=$($MG set 500MB/s 2>&1); rc=$?
echo "$out" | sed 's/^/  | /'
check "membw guest set 500MB/s exits 1 when memtalk is not present" [ $rc = 1 ]
check "membw guest set says memtalk is not present" sh -c "echo \"\$1\" | grep -q 'memtalk not present'" _ "$out"
out=$($MG set 500Mb/s 2>&1); rc=$?
check "membw guest set 500Mb/s exits 2 (bad rate, checked before the module)" [ $rc = 2 ]
check "membw guest set 500Mb/s says bytes, not bits" sh -c "echo \"\$1\" | grep -q 'use B, not b'" _ "$out"
$MG set 1MB/s --write >/dev/null 2>&1
check "membw guest set RATE --write without a rate exits 2" [ $? = 2 ]
$MG stats >/dev/null 2>&1
check "membw guest stats exits 1 when memtalk is not present" [ $? = 1 ]
$MG frobnicate >/dev/null 2>&1
check "membw guest frobnicate exits 2" [ $? = 2 ]
check "membw guest --help exits 0 and shows the usage" sh -c "$MG --help | grep -q '^Usage: membw guest status'"

# An open file holds the module (fops owner): rmmod waits for the reader to close it.
exec 3<$DIR/budget
expect_fail "rmmod is refused while budget is open" "rmmod membw_memtalk 2>/dev/null"
exec 3<&-
expect_ok "rmmod membw_memtalk succeeds once it is closed" "rmmod membw_memtalk"
check "the debugfs directory is gone after rmmod" [ ! -e $DIR ]
out=$($MG status 2>&1); rc=$?
check "membw guest status exits 1 with the module unloaded" [ $rc = 1 ]
check "membw guest status says the module is not loaded" sh -c "echo \"\$1\" | grep -q 'membw_memtalk module is not loaded'" _ "$out"
expect_ok "the module loads a second time" "insmod /membw_memtalk.ko"
expect_ok "and unloads a second time" "rmmod membw_memtalk"
finish
