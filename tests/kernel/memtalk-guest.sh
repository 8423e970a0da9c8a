# Guest script (tests/kernel/boot): the memtalk guest driver in a kernel where no hypervisor
# answers memtalk (QEMU TCG, no virtualization). membw_memtalk.ko must load anyway, say
# "memtalk not present (reason)", refuse budget writes with ENODEV and a readable reason, refuse
# malformed writes with EINVAL first, show its files without crashing, and unload cleanly; the
# harness fails the run on any kernel warning or oops. `membw guest` is checked against it.
# Needs /membw_memtalk.ko, /membw-guest (a static `membw guest`) and /guest-lib.sh.
. /guest-lib.sh
DIR=/sys/kernel/debug/membw_memtalk
MG=/membw-guest

# "sh: write error: No such device" is how busybox reports a write(2) refused with ENODEV, and
# "Invalid argument" is strerror(EINVAL): the errno values are the test, not the wording.
write_says() { # write_says TEXT ERRNO-TEXT: the write fails and the shell reports ERRNO-TEXT
	out=$(sh -c "echo '$1' > $DIR/budget" 2>&1) && return 1
	case "$out" in *"$2"*) return 0 ;; *) echo "  got: $out"; return 1 ;; esac
}
status_line() { sed -n "s/^$1//p" "$DIR/status"; }

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

# Two writers and two readers at once: the mutex serialises them, nothing crashes.
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

expect_ok "rmmod membw_memtalk succeeds" "rmmod membw_memtalk"
check "the debugfs directory is gone after rmmod" [ ! -e $DIR ]
out=$($MG status 2>&1); rc=$?
check "membw guest status exits 1 with the module unloaded" [ $rc = 1 ]
check "membw guest status says the module is not loaded" sh -c "echo \"\$1\" | grep -q 'membw_memtalk module is not loaded'" _ "$out"
expect_ok "the module loads a second time" "insmod /membw_memtalk.ko"
expect_ok "and unloads a second time" "rmmod membw_memtalk"
finish
