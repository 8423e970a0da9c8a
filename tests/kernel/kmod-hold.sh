# Guest script (tests/kernel/boot): what the throttle thread does when no CPU is idle, and the hold
# floor that keeps a zero budget from locking out the shell (kmod/README.md "The hold floor").
# Arguments: EVENT COUNT [busy2|untimed]: the module's read_event and count=; "busy2" (arm64,
# INST_RETIRED under -icount shift=0) first runs the two-busy-CPU checks; "untimed" (a guest
# without -icount, whose clock follows the host's) reports the times of part 2 without bounding
# them: there the boot's timeout is the bound. Under -icount guest time is exact, so the time
# bounds below are guest time, independent of the host's load.
#
# Part 1, busy2: a loop on each of the two vCPUs, cpu1 regulated to 30% of a period. Under -icount
# QEMU runs the vCPUs in turn on one host thread (docs/qemu.md#qemu-icount-round-robin): cpu1 takes
# the overflow interrupt at the budget, then waits for its turn in EL1 while cpu0 runs, and its
# overflow handler runs only just before its next period tick, which releases the CPU before the
# throttle thread gets to hold it. The checks pin this down with the module's own accounting
# ("threads": decided = held + released before held) and assert the regulated share in guest time:
# cpu1's user-mode share of each period (INST_RETIRED counts guest time at EL0 under -icount).
#
# Part 2: a zero budget on every CPU, the shell's cpu0 included, with sched_rt_runtime_us=-1 (no
# RT throttling to fall back on). With the floor the shell still runs a command, a task pinned to
# a zero-budget CPU is killed, and `unlimited` is written back, each within a bounded guest time.
# Without it the guest hangs here and the boot times out.
. /guest-lib.sh
event=${1:?usage: kmod-hold.sh EVENT COUNT [busy2|untimed]}
count=${2:?usage: kmod-hold.sh EVENT COUNT [busy2|untimed]}
mode=${3:-}
taskset -p -c 0 $$ >/dev/null
echo -1 >/proc/sys/kernel/sched_rt_runtime_us
nudge=
[ "$(uname -m)" = aarch64 ] && nudge=qemu_nudge=1
tfield() { kv "cpu=$1" "$2" <"$MEMBW/threads"; }

expect_ok "insmod read_event=$event count=$count loads with the default hold floor" \
	"insmod /membw.ko read_event=$event count=$count $nudge"
grep -q '^membw ' /proc/modules || { finish; exit 1; }
check "the default hold floor is 50 us (threads: hold_floor_ns=50000)" \
	sh -c "head -n 1 $MEMBW/threads | grep -q 'hold_floor_ns=50000 hold_cap_ns=950000'"
period=$(awk '$1 == "period_ns" { print $2 }' "$MEMBW/control")
line=$(awk '$1 == "line_size_bytes" { print $2 }' "$MEMBW/control")

if [ "$mode" = busy2 ]; then
	p0=$(spin_on 0)
	p1=$(spin_on 1)
	budget=$((period * 3 / 10))
	rate=$(awk -v e="$budget" -v l="$line" -v p="$period" 'BEGIN { printf "%.0f", e * l * 1e9 / p }')
	expect_ok "cpu1 takes a budget of 30% of a period ($budget events), cpu0 none" \
		"echo unlimited $rate > $MEMBW/read_limit"
	sleep 1
	# The throttle thread of cpu1, for its CPU time (what membw itself took from cpu1's loop).
	tpid=
	for t in /proc/[0-9]*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = membw/1 ] && tpid=${t#/proc/}
	done
	check "cpu1's throttle thread membw/1 is found" [ -n "$tpid" ]
	snap() { # snap NAME: usage and threads counters of cpus 0 and 1, guest time, CPU times
		for c in 0 1; do
			for k in periods throttle_count read_used_events read_overshoot_events; do
				eval "${1}_${c}_$k=$(field $c $k)"
			done
			for k in throttles holds released_unheld throttle_offset_ns held_ns wakeups; do
				eval "${1}_${c}_$k=$(tfield $c $k)"
			done
		done
		eval "${1}_t=$(uptime_ticks) ${1}_p1=$(cpu_ticks "$p1") ${1}_th=$(cpu_ticks "$tpid")"
		# cpu1's line of /proc/stat: user nice system idle iowait irq softirq (1/100 s)
		# shellcheck disable=SC2046 # split the line into its fields
		set -- "$1" $(grep '^cpu1 ' /proc/stat)
		eval "${1}_su=$3 ${1}_ss=$5 ${1}_si=$6 ${1}_sq=$(($8 + $9))"
	}
	d() { eval "echo \$((b_${1}_$2 - a_${1}_$2))"; }
	snap a
	sleep 2
	snap b
	n=$(d 1 periods)
	use1=$(ratio "$(d 1 read_used_events)" "$n")
	use0=$(ratio "$(d 0 read_used_events)" "$n")
	ovs=$(ratio "$(d 1 read_overshoot_events)" "$n")
	share1=$(ratio "$(d 1 read_used_events)" "$((n * period))")
	share0=$(ratio "$(d 0 read_used_events)" "$((n * period))")
	# shellcheck disable=SC2154 # a_* and b_* are set by snap through eval
	sched1=$(ratio $((b_p1 - a_p1)) $((b_t - a_t)))
	thr=$(d 1 throttles) held=$(d 1 holds) unheld=$(d 1 released_unheld)
	offset=$(ratio "$(d 1 throttle_offset_ns)" "$thr")
	echo "INFO: two busy CPUs, $n periods: cpu1 user-mode share $share1 ($use1 events/period, budget $budget, overshoot $ovs), cpu0 $share0 ($use0); cpu1 throttles decided $thr, held $held, released before held $unheld, decided on average $offset ns into the period; the scheduler's CPU time of cpu1's loop $sched1"
	# Where cpu1's time went by the guest's own accounting, to tell apart a run in which cpu1's
	# loop was not current (docs/qemu.md#qemu-icount-round-robin, "Not the same from boot to boot").
	# shellcheck disable=SC2154 # a_* and b_* are set by snap through eval
	echo "INFO: cpu1 in /proc/stat over $((b_t - a_t))/100 s: user $((b_su - a_su)), system $((b_ss - a_ss)), idle $((b_si - a_si)), irq and softirq $((b_sq - a_sq)); throttle thread membw/1 $((b_th - a_th)), cpu1's loop $((b_p1 - a_p1)) (1/100 s); the thread's own count: held $(d 1 held_ns) ns, $(d 1 wakeups) wakeups"
	# Not "every period": in QEMU's turns cpu1 does not always reach its budget (measured 0.85 of
	# the periods throttled, user-mode share 0.26 and 0.29 in two runs).
	check "cpu1 is throttled in most periods ($(d 1 throttle_count) of $n)" \
		ge "$(d 1 throttle_count)" "$((n / 2))"
	check "cpu1's mean overshoot is at most 1% of the budget ($ovs)" le "$ovs" "$((budget / 100))"
	check "cpu1's user-mode share of guest time is at most 0.30 + 1% of the budget ($share1)" \
		le "$share1" 0.303
	# What membw itself took from cpu1: its throttle thread's own count of the time it held it.
	window=$(((b_t - a_t) * 10000000))
	heldf=$(ratio "$(d 1 held_ns)" "$window")
	check "membw/1 held cpu1 for at most 0.1 of guest time by its own count ($heldf)" \
		le "$heldf" 0.1
	# The lower bound on cpu1's share holds in the regime where the guest charges cpu1's waits
	# for its QEMU turn to the loop (its CPU time above 0.8). In another regime, seen in about
	# 1 boot in 8 (docs/qemu.md#qemu-icount-round-robin), the guest charges them to membw/1
	# instead and cpu1 gets fewer turns in user mode (share 0.17), while the thread's own count
	# is the same as in the first regime (held 98 ms in 2.38 s, 72 wakeups, both times): there
	# the check is that the thread was charged far more than it held, i.e. it was not holding.
	if [ "$((b_p1 - a_p1))" -ge "$(((b_t - a_t) * 8 / 10))" ]; then
		check "cpu1's user-mode share of guest time is at least 0.2 ($share1)" ge "$share1" 0.2
	else
		echo "INFO: the guest charged cpu1's waits to membw/1, not to the loop (docs/qemu.md#qemu-icount-round-robin): cpu1's share $share1 is not bounded below in this boot"
		check "membw/1 was charged at least 3 times the time it held cpu1 ($((b_th - a_th))/100 s against $(d 1 held_ns) ns)" \
			[ "$(((b_th - a_th) * 10000000))" -ge "$(($(d 1 held_ns) * 3))" ]
	fi
	check "cpu0 (unlimited) is never throttled" [ "$(d 0 throttle_count)" = 0 ]
	check "cpu0 (unlimited) spends at least 0.9 of guest time in user mode ($share0)" ge "$share0" 0.9
	# The QEMU behaviour (docs/qemu.md#qemu-icount-round-robin): the overflow handler runs late
	# in the period and the tick releases the CPU first. Worded to FAIL once QEMU lets cpu1 run
	# its overflow handler when the interrupt is taken (then most throttles are held).
	check "QEMU round robin: most throttles are released before the thread holds ($unheld of $thr)" \
		gt "$((unheld * 2))" "$thr"
	check "QEMU round robin: the scheduler charges cpu1's wait in EL1 to its loop (CPU time $sched1 > user-mode share $share1 + 0.3)" \
		gt "$sched1" "$(awk -v a="$share1" 'BEGIN { print a + 0.3 }')"
	check "QEMU round robin: throttles are decided late in the period ($offset ns > 0.9 * $period)" \
		gt "$offset" "$((period * 9 / 10))"
	kill "$p0"
	sleep 1
	snap a
	sleep 1
	snap b
	thr=$(d 1 throttles) held=$(d 1 holds)
	echo "INFO: cpu0 idle: cpu1 throttles decided $thr, held $held, released before held $(d 1 released_unheld), decided on average $(ratio "$(d 1 throttle_offset_ns)" "$thr") ns into the period"
	check "with cpu0 idle the thread holds every throttle but at most two ($held of $thr)" \
		ge "$held" "$((thr - 2))"
	kill "$p1"
	expect_ok "cpu1's budget is lifted" "echo unlimited unlimited > $MEMBW/read_limit"
	# Every decided throttle is held by the thread or released before it held. Checked on the
	# totals since insmod, from one read of the threads file, once cpu1 is idle and unlimited:
	# then no throttle is in flight and the three counters are exact. (The windows above read
	# each counter with its own awk, and under QEMU's round robin cpu1 can decide and resolve
	# throttles between those reads: the window's sum was off by 3 in one of 14 boots.)
	sleep 1
	line=$(grep '^cpu=1 ' "$MEMBW/threads")
	tot() { echo "$line" | kv cpu=1 "$1"; }
	check "throttles decided = held + released before held, totals on cpu1 at rest ($(tot throttles) = $(tot holds) + $(tot released_unheld))" \
		[ "$(tot throttles)" -eq $(($(tot holds) + $(tot released_unheld))) ]
fi

# --- Part 2: a zero budget everywhere, the shell's CPU included.
p1=$(spin_on 1)
sleep 1
ncpu=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
zeros=$(for c in $(seq 1 "$ncpu"); do printf '0 '; done)
t0=$(uptime_ticks)
echo "$zeros" > "$MEMBW/read_limit"
t1=$(uptime_ticks)
cat "$MEMBW/read_limit" >/dev/null
t2=$(uptime_ticks)
kill -9 "$p1"
# Dead once it is a zombie or gone (its parent, spin_on's subshell, has exited: nobody reaps it).
while [ -d "/proc/$p1" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$p1/stat" 2>/dev/null; do
	usleep 1000
done
t3=$(uptime_ticks)
free0=$(tfield 0 free_slices) free1=$(tfield 1 free_slices)
th0=$(field 0 throttle_count)
echo "unlimited unlimited" > "$MEMBW/read_limit"
t4=$(uptime_ticks)
echo "INFO: zero budget on every CPU: writing it $((t1 - t0)), a command $((t2 - t1)), kill and reap the pinned loop $((t3 - t2)), writing unlimited $((t4 - t3)) (1/100 s of guest time); free slices cpu0 $free0, cpu1 $free1"
check "the shell's cpu0 was throttled under the zero budget ($th0 throttles)" gt "$th0" 0
if [ "$mode" = untimed ]; then
	echo "INFO: no -icount: the times above follow the host's load and are not bounded here"
else
	# The floor promises progress, not speed: cpu0's tasks get hold_floor_us of every period at
	# least. How much more they get depends on when QEMU delivers the zero budget's overflow
	# (count=user: only after the shell's next user-mode instructions), which is not the same
	# from boot to boot even under -icount with two vCPUs. Measured in 14 boots of this script
	# (1/100 s): the command 2-4 in ten, 34, 45, 103 and 128 in the others, when cpu0 was held
	# to the cap in most periods and its tasks ran mostly in the free slices; the kill 4-6, and
	# 25 and 34. The bounds are about 4x the slowest: a floor that does not work still hangs
	# here until the boot's timeout, and one ten times smaller (5 us) would, by the same
	# arithmetic, need about ten times the slowest run.
	check "the shell completes a command under a zero budget within 5 s of guest time ($((t2 - t1))/100 s)" \
		le $((t2 - t1)) 500
	check "a loop pinned to a zero-budget CPU is killed and reaped within 5 s of guest time ($((t3 - t2))/100 s)" \
		le $((t3 - t2)) 500
	check "the shell writes unlimited back within 1 s of guest time ($((t4 - t3))/100 s)" \
		le $((t4 - t3)) 100
fi
check "read_limit shows cpu0 unlimited again" [ "$(limit_field read_limit 0 bytes_per_s)" = unlimited ]
check "the floor gave free slices on cpu0 ($free0) and cpu1 ($free1)" sh -c "[ $free0 -gt 0 ] && [ $free1 -gt 0 ]"
expect_ok "rmmod succeeds" "timeout 60 rmmod membw"

# --- The floor can be set and is validated.
expect_fail "insmod refuses hold_floor_us=1000 with period_us=1000" \
	"insmod /membw.ko read_event=$event count=$count hold_floor_us=1000"
check "the refusal says why" sh -c "dmesg | grep -q 'hold_floor_us=1000 must be below period_us=1000'"
expect_ok "insmod hold_floor_us=0 (no floor) loads" "insmod /membw.ko read_event=$event count=$count hold_floor_us=0 $nudge"
check "hold_floor_us=0 shows no cap" sh -c "head -n 1 $MEMBW/threads | grep -q 'hold_floor_ns=0 hold_cap_ns=0'"
expect_ok "rmmod succeeds" "timeout 60 rmmod membw"
finish
