# Guest script (tests/kernel/boot) for the memtalk guest driver. Argument: MODE.
#
# absent (default): a kernel where no hypervisor answers memtalk (QEMU TCG, no virtualization).
#   membw_memtalk.ko must load anyway, say "memtalk not present (reason)", refuse budget writes
#   with ENODEV and a readable reason, refuse malformed writes with EINVAL first, show its files
#   without crashing, and unload cleanly. Needs /membw_memtalk.ko.
# loopback: the test build membw_memtalk_loopback.ko, whose calls reach lib/'s host dispatcher
#   inside the module (kmod/guest/loopback.c): the "present" path. Needs /membw_memtalk_loopback.ko.
#
# Both need /membw-guest (a static `membw guest`), /membw-agent-probe (tests/kernel/agent_probe.c:
# one call of the agent library, include/membw/agent.h, per run) and /guest-lib.sh. The harness
# fails the run on any kernel warning or oops.
. /guest-lib.sh
DIR=/sys/kernel/debug/membw_memtalk
MG=/membw-guest
DEV=/dev/membw_memtalk
AP=/membw-agent-probe
mode=${1:-absent}

# "sh: write error: No such device" is how busybox reports a write(2) refused with ENODEV, and
# "Invalid argument" is strerror(EINVAL): the errno values are the test, not the wording.
write_says() { # write_says TEXT ERRNO-TEXT: the write fails and the shell reports ERRNO-TEXT
	out=$(sh -c "echo '$1' > $DIR/budget" 2>&1) && return 1
	case "$out" in *"$2"*) return 0 ;; *) echo "  got: $out"; return 1 ;; esac
}
status_line() { sed -n "s/^$1//p" "$DIR/status"; }
# probe_says PREFIX ARGS...: membw-agent-probe ARGS prints a line starting with PREFIX. Its codes
# are include/membw/agent.h's: -2 no driver, -3 no access, -4 memtalk not present, 100 - status
# for each memtalk status (docs/memtalk.md §4).
probe_says() {
	want=$1
	shift
	out=$($AP "$@" 2>&1)
	case "$out" in "$want"*) return 0 ;; *) echo "  got: $out"; return 1 ;; esac
}
# The device's mode, owner and group as ls -ln shows them.
dev_mode() { ls -ln "$DEV" | awk '{ print $1, $3, $4 }'; }
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
		sh -c "echo \"\$1\" | grep -q 'the budget was not changed: denied by the host: outside'" _ "$out"
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

	# ---- /dev/membw_memtalk and the agent library. A new load is a new loopback host, so the
	# rate limit's burst of 20 starts again.
	limited=0
	check "no device node once unloaded" [ ! -e $DEV ]
	check "agent: no driver is -2 (MEMBW_AGENT_ENODEV)" probe_says "error -2 " status
	expect_ok "insmod the loopback build again" "insmod /membw_memtalk_loopback.ko"
	PARAMS=/sys/module/membw_memtalk_loopback/parameters
	check "the device is a character device" [ -c $DEV ]
	check "its mode is 0660, owner root, group root" [ "$(dev_mode)" = "crw-rw---- 0 0" ]
	check "agent status as root: present 1.0, base 0, functions 0xf, budgets, caps, floors" \
		probe_says "ok present=1 version=1.0 base=0 functions=0xf conduit=loopback read_budget=1000000000 read_cap=1000000000 read_floor=1000000 write_budget=unlimited write_cap=unlimited write_floor=0" status

	# Permission by file mode and group: what the udev rule of docs/memtalk.md does, by hand.
	chgrp 4242 $DEV
	check "chgrp gives the device group 4242" [ "$(dev_mode)" = "crw-rw---- 0 4242" ]
	check "uid 1000 in group 4242 reads the budget" \
		probe_says "ok read_bytes_per_s=1000000000 write_bytes_per_s=unlimited" --as 1000:4242 get
	check "uid 1000 in group 4242 sets 400 MB/s, write kept" probe_says "ok" --as 1000:4242 set 400000000 keep
	limited=$((limited + 1))
	check "debugfs shows the agent's 400000000 B/s" grep -q '^read budget_bytes_per_s=400000000 ' $DIR/budget
	check "uid 1001 outside the group: -3 (MEMBW_AGENT_EACCES) reading" probe_says "error -3 " --as 1001:1001 get
	check "uid 1001 outside the group: -3 setting" probe_says "error -3 " --as 1001:1001 set 5000000 keep
	check "the refused user changed nothing" grep -q '^read budget_bytes_per_s=400000000 ' $DIR/budget
	out=$($AP --as 1000:4242 exec $MG status 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	check "membw guest status as uid 1000 in the group exits 0" [ $rc = 0 ]
	check "membw guest status shows presence and the budget with units" sh -c \
		"echo \"\$1\" | grep -qxF 'memtalk present: version 1.0, base 0, functions 0xf, over loopback' &&
		 echo \"\$1\" | grep -qxF 'read   budget 400 MB/s, host cap 1 GB/s, floor 1 MB/s'" _ "$out"
	out=$($AP --as 1001:1001 exec $MG status 2>&1); rc=$?
	check "membw guest status as uid 1001 exits 1 and says permission denied" sh -c \
		"[ $rc = 1 ] && echo \"\$1\" | grep -q 'permission denied on /dev/membw_memtalk'" _ "$out"

	# The driver's own checks, on requests the library never makes (errno values of Linux's
	# asm-generic/errno-base.h and errno.h: E2BIG 7, EBADF 9, EINVAL 22, ENOTTY 25, EPROTO 71).
	check "raw SET_BUDGET naming no channel: EINVAL" probe_says "errno 22:" raw noflags
	check "last_error says no channel was named" sh -c "grep -q '^last_error: a budget request names no channel' $DIR/status"
	check "raw SET_BUDGET with an unknown flag: EINVAL" probe_says "errno 22:" raw badflag
	check "raw SET_BUDGET with reserved not 0: EINVAL" probe_says "errno 22:" raw reserved
	check "raw SET_BUDGET of interface version 2: EPROTO" probe_says "errno 71:" raw version
	check "raw SET_BUDGET 8 bytes short: EINVAL" probe_says "errno 22:" raw small
	check "raw SET_BUDGET of a newer caller with an unknown field set: E2BIG" probe_says "errno 7:" raw big
	check "raw SET_BUDGET on a read-only descriptor: EBADF" probe_says "errno 9:" raw rdonly
	check "an unknown command: ENOTTY" probe_says "errno 25:" raw badcmd
	check "none of them changed the budget" grep -q '^read budget_bytes_per_s=400000000 ' $DIR/budget

	# Every memtalk status reaches the agent as its own code, 100 - status. The host gives
	# DENIED and RANGE (and RATE_LIMITED, below) itself ...
	check "above the cap: -105 (DENIED -5)" probe_says "error -105 detail=0:" set 2000000000 keep
	check "below the floor: -105 (DENIED -5)" probe_says "error -105 detail=0:" set 500000 keep
	check "a finite write budget without a write-back counter: -106 (RANGE -6)" \
		probe_says "error -106 detail=0:" set keep 100000000
	check "the budget is unchanged after the refusals" grep -q '^read budget_bytes_per_s=400000000 ' $DIR/budget
	# ... the others are injected into the loopback conduit's next answer (r1 = 7).
	echo 7 >$PARAMS/inject_detail
	for pair in "-1 -101 0" "-3 -103 0" "-4 -104 7" "-5 -105 0" "-6 -106 0" "-7 -107 7" \
		"-8 -108 0" "-9 -109 7" "-2 -110 18446744073709551614" "-10 -110 18446744073709551606"; do
		set -- $pair
		echo "$1" >$PARAMS/inject_status
		check "status $1 reaches the agent as $2 with detail $3" probe_says "error $2 detail=$3:" get
	done
	check "an injected answer is used once: the next GET_BUDGET is ok" probe_says "ok read_bytes_per_s=400000000 " get
	echo -8 >$PARAMS/inject_status
	check "SET_BUDGET answered BUSY: -108" probe_says "error -108 " set 300000000 unlimited
	check "BUSY changed nothing" grep -q '^read budget_bytes_per_s=400000000 ' $DIR/budget
	echo -8 >$PARAMS/inject_status
	out=$($MG set 300MB/s --write unlimited 2>&1); rc=$?
	check "membw guest set answered BUSY exits 1 and names it" sh -c \
		"[ $rc = 1 ] && echo \"\$1\" | grep -q 'the budget was not changed: .*(BUSY)'" _ "$out"

	# A newer caller's larger structure (its ioctl number encodes the larger size) with its new
	# fields 0 reaches SET_BUDGET and is applied.
	check "raw SET_BUDGET of a newer caller, new fields 0: accepted" probe_says "ok status=0" raw newer
	limited=$((limited + 1))
	check "it set the read budget to 100000000 B/s" grep -q '^read budget_bytes_per_s=100000000 ' $DIR/budget

	# A concurrent agent (uid 1000) and administrator (root: debugfs and membw guest): the
	# driver's lock serialises them; every call is answered, accepted ones land.
	rm -f /tmp/agent.out /tmp/admin.out
	( n=0; while [ $n -lt 50 ]; do $AP --as 1000:4242 get | grep -q '^ok ' || echo "get $n failed"
	  n=$((n + 1)); done
	  n=1; while [ $n -le 5 ]; do $AP --as 1000:4242 set $((10 + n))000000 keep | grep -qx ok ||
	  echo "set $n failed"; n=$((n + 1)); done ) >/tmp/agent.out 2>&1 &
	( n=0; while [ $n -lt 50 ]; do cat $DIR/budget >/dev/null || echo "read $n failed"
	  $MG status >/dev/null || echo "membw guest status $n failed"
	  echo abc >$DIR/budget 2>/dev/null && echo "abc accepted"; n=$((n + 1)); done
	  n=1; while [ $n -le 5 ]; do echo "$((20 + n))MB/s" >$DIR/budget || echo "write $n failed"
	  n=$((n + 1)); done ) >/tmp/admin.out 2>&1 &
	wait
	sed 's/^/  agent| /' /tmp/agent.out
	sed 's/^/  admin| /' /tmp/admin.out
	check "the agent's 50 reads and 5 sets all answered ok" [ ! -s /tmp/agent.out ]
	check "the administrator's 50 rounds and 5 writes all answered as expected" [ ! -s /tmp/admin.out ]
	limited=$((limited + 10))
	final=$(sed -n 's/^read budget_bytes_per_s=\([0-9]*\) .*/\1/p' $DIR/budget)
	check "the budget in force ($final B/s) is one of the ten set" \
		sh -c "echo ' 11 12 13 14 15 21 22 23 24 25 ' | grep -q \" \$((\$1 / 1000000)) \" && [ \$((\$1 % 1000000)) = 0 ]" _ "$final"

	# The rate limit from the agent's side: RATE_LIMITED is -107 and its detail the wait in ns:
	# after a burst at about the same time t0, GCRA's r1 = TAT - tau - t = T - (t - t0), at most
	# T = 10^12 ns and more than 5 * 10^11 ns within this boot's 480 s timeout.
	n=0
	while [ $n -lt 30 ] && $AP set $((30 + n))000000 keep >/dev/null; do n=$((n + 1)); done
	check "exactly $((20 - limited)) more agent SET_BUDGET calls pass the burst of 20 (got $n)" [ $n = $((20 - limited)) ]
	out=$($AP set 5000000 keep)
	echo "  | $out"
	detail=$(echo "$out" | sed -n 's/^error -107 detail=\([0-9]*\):.*/\1/p')
	check "the next is -107 (RATE_LIMITED -7)" [ -n "$detail" ]
	check "its detail, $detail ns, is within (5 * 10^11, 10^12]" \
		sh -c "[ \${#1} -ge 12 ] && awk -v d=\"\$1\" 'BEGIN { exit !(d > 5e11 && d <= 1e12) }'" _ "$detail"
	check "a statistics snapshot is -107 too" probe_says "error -107 " stats
	out=$($MG set 5MB/s 2>&1); rc=$?
	echo "$out" | sed 's/^/  | /'
	check "membw guest set exits 1 and says when to retry" sh -c \
		"[ $rc = 1 ] && echo \"\$1\" | grep -q '(RATE_LIMITED); the host accepts the next one in '" _ "$out"

	# The driver under an open descriptor: the descriptor holds the module (its fops owner), so
	# rmmod is refused and the descriptor keeps working; closed, the module goes and every call
	# fails cleanly with "no driver".
	exec 3<>$DEV
	expect_fail "rmmod is refused while an agent holds the device open" "rmmod membw_memtalk_loopback 2>/dev/null"
	check "the held descriptor still answers GET_BUDGET" probe_says "ok status=0 read_budget=$((30 + n - 1))000000" fd 3
	check "a new agent call still works" probe_says "ok read_bytes_per_s=" get
	exec 3>&-
	expect_ok "rmmod works once it is closed" "rmmod membw_memtalk_loopback"
	check "the device node is gone" [ ! -e $DEV ]
	check "the agent library then answers -2 (no driver)" probe_says "error -2 " set 5000000 keep
	out=$($MG status 2>&1); rc=$?
	check "membw guest status exits 1 saying the module is not loaded" sh -c \
		"[ $rc = 1 ] && echo \"\$1\" | grep -q 'membw_memtalk module is not loaded'" _ "$out"
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

# The device and the agent library: memtalk not present is -4 for every call, judged after the
# request itself (a malformed one is EINVAL first), and nothing is issued.
check "the device is a character device, mode 0660, root:root" \
	sh -c "[ -c $DEV ] && [ \"\$(ls -ln $DEV | awk '{ print \$1, \$3, \$4 }')\" = 'crw-rw---- 0 0' ]"
check "agent status: present=0 with the logged reason" probe_says "ok present=0 conduit=" status
check "agent status carries the reason" sh -c "$AP status | grep -qF 'reason=$reason'"
check "agent set: -4 (memtalk not present)" probe_says "error -4 " set 500000000 keep
check "agent get: -4" probe_says "error -4 " get
check "agent stats: -4" probe_says "error -4 " stats
check "a raw request naming no channel is EINVAL even so" probe_says "errno 22:" raw noflags
check "a well-formed raw SET_BUDGET is ENODEV (19)" probe_says "errno 19:" raw good
check "a newer caller's larger SET_BUDGET reaches the command: ENODEV (19), not ENOTTY" \
	probe_says "errno 19:" raw newer
check "no agent call issued an instruction (calls still $calls)" [ "$(status_calls)" = "$calls" ]

# An open file holds the module (fops owner): rmmod waits for the reader to close it.
exec 3<$DIR/budget
expect_fail "rmmod is refused while budget is open" "rmmod membw_memtalk 2>/dev/null"
exec 3<&-
exec 4<>$DEV
expect_fail "rmmod is refused while the device is open" "rmmod membw_memtalk 2>/dev/null"
check "the held descriptor answers ENODEV (not present), no crash" probe_says "errno 19:" fd 4
exec 4>&-
expect_ok "rmmod membw_memtalk succeeds once it is closed" "rmmod membw_memtalk"
check "the debugfs directory is gone after rmmod" [ ! -e $DIR ]
check "the device node is gone after rmmod" [ ! -e $DEV ]
check "the agent library then answers -2 (no driver)" probe_says "error -2 " status
out=$($MG status 2>&1); rc=$?
check "membw guest status exits 1 with the module unloaded" [ $rc = 1 ]
check "membw guest status says the module is not loaded" sh -c "echo \"\$1\" | grep -q 'membw_memtalk module is not loaded'" _ "$out"
expect_ok "the module loads a second time" "insmod /membw_memtalk.ko"
expect_ok "and unloads a second time" "rmmod membw_memtalk"
finish
