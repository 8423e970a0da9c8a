# Guest script (tests/kernel/boot): membw.ko regulating real work in an arm64 guest with a PMU.
# Arguments: EVENT COUNT [exact]: EVENT cpu-cycles, or instructions under -icount shift=0; COUNT
# the module's count= (user, kernel, user,kernel); "exact" when guest time is exact (-icount), which
# adds tight bounds on overshoot. With 3 CPUs or more it also checks an unregulated CPU and a
# two-CPU group (cpus 1-2); with 2 it checks cpu1 only. (Under -icount, QEMU runs the vCPUs in turn
# on one host thread: with 3 busy vCPUs a CPU's interrupts wait for its turn, so the exact checks
# are meant for 2 CPUs.) The module is loaded with qemu_nudge=1
# (kmod/perf_backend.c: without it QEMU raises the overflow interrupt up to a period late).
#
# ASSUMPTION (QEMU, docs/qemu.md#qemu-icount): on -cpu max the cycle counter advances one per
# nanosecond of guest time, and under -icount shift=0 one instruction takes one nanosecond; so a CPU
# that runs all the time counts period_ns events per period. Budgets below are fractions of that.
#
# Each check compares the module's statistics (per-period use against the budget) and, as a
# measure independent of the PMU, the scheduler's CPU-time accounting of the pinned loops.
. /guest-lib.sh
event=${1:?usage: kmod-regulate.sh EVENT COUNT [exact]}
count=${2:?usage: kmod-regulate.sh EVENT COUNT [exact]}
exact=${3:-}
window=1
taskset -p -c 0 $$ >/dev/null
# Budgets below 5% of a CPU would leak through the kernel's RT throttling (kmod/README.md).
echo -1 >/proc/sys/kernel/sched_rt_runtime_us

expect_ok "insmod read_event=$event count=$count loads" \
	"insmod /membw.ko read_event=$event count=$count qemu_nudge=1"
grep -q '^membw ' /proc/modules || { finish; exit 1; }
line=$(awk '$1 == "line_size_bytes" { print $2 }' "$MEMBW/control")
period=$(awk '$1 == "period_ns" { print $2 }' "$MEMBW/control")
# A budget of FRACTION of a period's events, as a rate in B/s: events * line * 10^9 / period.
rate_for() { awk -v f="$1" -v l="$line" -v p="$period" 'BEGIN { printf "%.0f\n", int(p * f) * l * 1e9 / p }'; }
# cpu1_limit RATE: the read_limit line giving cpu1 RATE and every other CPU no limit.
cpu1_limit() {
	v=unlimited
	for c in $(seq 1 $((ncpu - 1))); do
		if [ "$c" = 1 ]; then v="$v $1"; else v="$v unlimited"; fi
	done
	echo "$v"
}
events_for() { awk -v f="$1" -v p="$period" 'BEGIN { printf "%d\n", int(p * f) }'; }

# Not nproc: it counts this shell's affinity, which is cpu0 only.
ncpu=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
p1=$(spin_on 1)
p2=
[ "$ncpu" -ge 3 ] && p2=$(spin_on 2)

# snapshot NAME: remember periods/used/throttles/overshoot of cpus 1, 2, group 0, and CPU time
# (one awk pass over usage: each awk start costs guest time).
snapshot() {
	eval "$(awk -v s="$1" '
		$1 == "cpu=1" || $1 == "cpu=2" || $1 == "group=0" {
			who = substr($1, index($1, "=") + 1); if ($1 == "group=0") who = "g"
			for (i = 2; i <= NF; i++) { n = index($i, "="); k = substr($i, 1, n - 1)
				if (k ~ /^(periods|missed_periods|throttle_count|read_used_events|read_overshoot_events|thread_holds|thread_wakeups)$/)
					printf "%s_%s_%s=%s\n", s, who, k, substr($i, n + 1) } }' "$MEMBW/usage")"
	eval "${1}_t=$(uptime_ticks) ${1}_cpu1=$(cpu_ticks "$p1")"
	[ -n "$p2" ] && eval "${1}_cpu2=$(cpu_ticks "$p2")"
	return 0
}
# delta CPU KEY: change of KEY on CPU between snapshots a and b.
delta() { eval "echo \$((b_${1}_$2 - a_${1}_$2))"; }
measure() { snapshot a; sleep "$window"; snapshot b; }
share() { eval "ratio \$((b_cpu$1 - a_cpu$1)) \$((b_t - a_t))"; }

# --- A workload on a regulated CPU is held to its budget; an unregulated CPU is not touched.
budget=$(events_for 0.3)
expect_ok "cpu1 takes a budget of 30% of a period ($budget events)" \
	"echo $(cpu1_limit "$(rate_for 0.3)") > $MEMBW/read_limit"
check "read_limit shows cpu1's budget as $budget events per period" \
	[ "$(limit_field read_limit 1 events_per_period)" = "$budget" ]
sleep 1
measure
n=$(delta 1 periods)
use=$(ratio "$(delta 1 read_used_events)" "$n")
ovs=$(ratio "$(delta 1 read_overshoot_events)" "$n")
echo "cpu1: $n periods, mean use $use events/period, mean overshoot $ovs, budget $budget, loop CPU share $(share 1)"
check "cpu1 is throttled in most periods ($(delta 1 throttle_count) of $n)" \
	ge "$(delta 1 throttle_count)" "$((n / 2))"
# Lower bound loose on purpose: with 3 vCPUs taking turns (icount) a throttled vCPU's tick waits
# for its turn, and the period's start is lost to it (measured: 55% of the budget used).
check "cpu1 uses at least a quarter of its budget per period ($use >= $budget / 4)" ge "$use" "$((budget / 4))"
check "cpu1's mean overshoot is at most 5% of the budget ($ovs <= $((budget / 20)))" le "$ovs" "$((budget / 20))"
maxshare=$(awk -v b="$budget" -v o="$ovs" -v p="$period" 'BEGIN { printf "%.4f\n", (b + o) / p + 0.05 }')
check "cpu1's loop gets at most (budget + overshoot) / period + 0.05 of the CPU ($(share 1) <= $maxshare)" \
	le "$(share 1)" "$maxshare"
# The throttle thread idles: it waits for an interrupt (WFI) and wakes at the ones that come
# (the period tick, the scheduler tick), instead of looping. A spinning thread would count none.
holds=$(delta 1 thread_holds)
wakeups=$(delta 1 thread_wakeups)
check "cpu1's throttle thread waited in WFI while holding ($wakeups exits in $holds holds)" gt "$wakeups" 0
check "cpu1's throttle thread woke at most 4 times per hold ($wakeups <= 4 * $holds)" \
	le "$wakeups" "$((4 * holds))"
if [ "$exact" = exact ]; then
	# Guest time is exact: every tick is on time and the interrupt comes within a few events.
	check "no period was missed on cpu1 (exact guest time)" [ "$(delta 1 missed_periods)" = 0 ]
	check "cpu1 is throttled in every period but at most one ($(delta 1 throttle_count) of $n)" \
		ge "$(delta 1 throttle_count)" "$((n - 1))"
	check "cpu1's mean overshoot is at most 1% of the budget ($ovs <= $((budget / 100)))" \
		le "$ovs" "$((budget / 100))"
	check "cpu1 uses at least 99% of its budget per period ($use)" ge "$use" "$((budget * 99 / 100))"
fi
if [ -n "$p2" ]; then
n2=$(delta 2 periods)
check "cpu2 (unlimited) is never throttled" [ "$(delta 2 throttle_count)" = 0 ]
use2=$(ratio "$(delta 2 read_used_events)" "$n2")
check "cpu2 (unlimited) uses more per period than cpu1's budget ($use2 > $budget)" gt "$use2" "$budget"
check "cpu2's loop gets at least 0.8 of its CPU ($(share 2))" ge "$(share 2)" 0.8
fi

# --- Budgets change at runtime.
budget2=$(events_for 0.6)
expect_ok "cpu1's budget changes to 60% of a period ($budget2 events) under load" \
	"echo $(cpu1_limit "$(rate_for 0.6)") > $MEMBW/read_limit"
sleep 1
measure
n=$(delta 1 periods)
use=$(ratio "$(delta 1 read_used_events)" "$n")
ovs=$(ratio "$(delta 1 read_overshoot_events)" "$n")
echo "cpu1: $n periods, mean use $use events/period, mean overshoot $ovs, budget $budget2, loop CPU share $(share 1)"
check "cpu1 now uses more per period than the old budget ($use > $budget)" gt "$use" "$budget"
check "cpu1 is still throttled ($(delta 1 throttle_count) of $n periods)" gt "$(delta 1 throttle_count)" 0

# --- A domain of two CPUs shares one budget.
if [ -n "$p2" ]; then
gbudget=$(events_for 0.4)
expect_ok "group 0 = cpus 1-2 with one budget of 40% of a period ($gbudget events)" \
	"echo group 0 cpus 1-2 read $(rate_for 0.4) > $MEMBW/domains"
check "usage shows group 0 with 2 CPUs" [ "$(group_field 0 ncpus)" = 2 ]
check "usage shows group 0's budget as $gbudget events" [ "$(group_field 0 read_budget_events)" = "$gbudget" ]
sleep 1
measure
n=$(delta 1 periods)
guse=$(ratio "$(delta g read_used_events)" "$n")
govs=$(ratio "$(delta g read_overshoot_events)" "$n")
both=$(awk -v a="$(share 1)" -v b="$(share 2)" 'BEGIN { print a + b }')
echo "group 0: $n periods, mean use of both CPUs $guse events/period, overshoot $govs, budget $gbudget, loops' CPU shares $(share 1) + $(share 2)"
# A CPU's use is booked when its period closes and the two CPUs' ticks are not simultaneous, so
# between two snapshots cpu2 may have closed one period more than cpu1 (whose count is n): allow
# one extra period's budget over the window.
gbound=$(awk -v b="$gbudget" -v o="$govs" -v n="$n" 'BEGIN { printf "%.6f\n", b * (n + 1) / n + o }')
check "cpus 1 and 2 together use no more than the group budget + overshoot per period ($guse <= $gbound)" \
	le "$guse" "$gbound"
check "cpus 1 and 2 together use at least half the group budget ($guse >= $gbudget / 2)" \
	ge "$guse" "$((gbudget / 2))"
check "cpu1 is throttled in the group" gt "$(delta 1 throttle_count)" 0
check "cpu2 is throttled in the group" gt "$(delta 2 throttle_count)" 0
gmax=$(awk -v b="$gbudget" -v o="$govs" -v p="$period" 'BEGIN { printf "%.4f\n", (b + o) / p + 0.1 }')
check "both loops together get at most (group budget + overshoot) / period + 0.1 of a CPU ($both <= $gmax)" \
	le "$both" "$gmax"
expect_ok "group 0 is dissolved" "echo group 0 none > $MEMBW/domains"
fi

# --- A throttled CPU goes offline and comes back.
expect_ok "cpu1 takes a budget of 10% of a period" "echo $(cpu1_limit "$(rate_for 0.1)") > $MEMBW/read_limit"
sleep 1
t0=$(field 1 throttle_count)
check "cpu1's throttle thread membw/1 exists" sh -c "ps | grep -q '[m]embw/1\\]'"
expect_ok "cpu1 goes offline while throttled under load" \
	"timeout 60 sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online'"
check "usage shows cpu1 offline" [ "$(field 1 state)" = offline ]
check "cpu1's throttle thread is gone" sh -c "! ps | grep -q '[m]embw/1\\]'"
expect_ok "cpu1 comes back online" "timeout 60 sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'"
taskset -p -c 1 "$p1" >/dev/null
sleep 1
check "usage shows cpu1 online and regulated again" state_is 1 '^online,regulated'

check "cpu1 is throttled again after coming back" gt "$(field 1 throttle_count)" "$t0"

# --- rmmod while CPUs are throttled leaves every CPU schedulable.
vals=unlimited
for c in $(seq 1 $((ncpu - 1))); do vals="$vals $(rate_for 0.05)"; done
# The guest's own record of this step (docs/kmod-stall.md): guest time and per-CPU
# interrupt counts (cpu0/cpu1/...) with the 5% budgets on, and during rmmod; printed in every run.
irq0=$(irq_counts)
expect_ok "cpus 1 and up take budgets of 5% of a period" "echo $vals > $MEMBW/read_limit"
sleep 1
irq1=$(irq_counts)
awk '$1 ~ /^cpu=[0-9]+$/ { printf "INFO: membw usage before rmmod: %s", $1
	for (i = 2; i <= NF; i++) if ($i ~ /^(periods|missed_periods|throttle_count|spurious_overflows|thread_holds|handler_calls)=/) printf " %s", $i
	print "" }' "$MEMBW/usage"
echo "INFO: interrupts per CPU in 'sleep 1' with 5% budgets, $(irq_delta "$irq0" "$irq1")"
expect_ok "rmmod under load succeeds" "timeout 60 rmmod membw"
irq2=$(irq_counts)
echo "INFO: interrupts per CPU during rmmod, $(irq_delta "$irq1" "$irq2")"
check "the module is gone" sh -c "! grep -q '^membw ' /proc/modules"
for c in $(seq 0 $((ncpu - 1))); do
	check "cpu$c runs a new task after rmmod" sh -c "timeout 10 taskset -c $c true"
done
a_t=$(uptime_ticks) a_cpu1=$(cpu_ticks "$p1")
sleep 1
b_t=$(uptime_ticks) b_cpu1=$(cpu_ticks "$p1")
check "cpu1's loop runs freely after rmmod ($(share 1) >= 0.8)" ge "$(share 1)" 0.8

# --- Events named by the armv8 backend's table for the boot CPU's MIDR_EL1 (kmod/events.c).
# QEMU's -cpu max reports implementer 0, which no core table matches, so the generic table of the
# Arm ARM's common events applies. Golden: the Arm ARM (DDI 0487, "Common event numbers") numbers
# INST_RETIRED 0x0008. Same regulation as "instructions" above, with the exact bounds.
if [ "$exact" = exact ]; then
	expect_fail "insmod refuses read_event=NO_SUCH_EVENT" "insmod /membw.ko read_event=NO_SUCH_EVENT"
	check "the refusal names where event names come from (perf names, raw codes, default, the generic table)" \
		sh -c "dmesg | grep \"read_event='NO_SUCH_EVENT' is none of\" | grep 'raw code' | grep -q 'default, or an event of the generic table'"
	# "default": the generic table's read and write-back events, L2D_CACHE_REFILL and L2D_CACHE_WB,
	# which the Arm ARM numbers 0x0017 and 0x0018. Whether QEMU's PMU counts them decides whether
	# the load succeeds, so only the resolution (logged before perf is asked) is checked.
	# (A read event perf refuses ends the load before write_event is looked at: two loads.)
	insmod /membw.ko read_event=default count=$count 2>/dev/null && rmmod membw
	insmod /membw.ko read_event=INST_RETIRED write_event=default count=$count 2>/dev/null && rmmod membw
	check "read_event=default resolves to L2D_CACHE_REFILL, raw 0x17, and says the generic fallback is used" \
		sh -c "dmesg | grep 'read_event=default is L2D_CACHE_REFILL (raw 0x17) of the generic table' | grep -q 'generic fallback'"
	check "write_event=default resolves to L2D_CACHE_WB, raw 0x18, of the generic table" \
		sh -c "dmesg | grep -q 'write_event=default is L2D_CACHE_WB (raw 0x18) of the generic table'"
	expect_ok "insmod read_event=INST_RETIRED count=$count loads" \
		"insmod /membw.ko read_event=INST_RETIRED count=$count qemu_nudge=1"
	check "read_event=INST_RETIRED resolves to raw 0x08 of the generic table (kernel log)" \
		sh -c "dmesg | grep -q 'read_event=INST_RETIRED is raw 0x08 of the generic table'"
	dmesg | grep 'read_event=INST_RETIRED is raw'
	budget=$(events_for 0.3)
	expect_ok "cpu1 takes a budget of 30% of a period ($budget events) counted as INST_RETIRED" \
		"echo $(cpu1_limit "$(rate_for 0.3)") > $MEMBW/read_limit"
	sleep 1
	measure
	n=$(delta 1 periods)
	use=$(ratio "$(delta 1 read_used_events)" "$n")
	echo "INST_RETIRED cpu1: $n periods, mean use $use events/period, budget $budget, throttled $(delta 1 throttle_count)"
	check "INST_RETIRED counts cpu1's loop ($use events per period > 0)" gt "$use" 0
	check "with INST_RETIRED cpu1 is throttled in every period but at most one ($(delta 1 throttle_count) of $n)" \
		ge "$(delta 1 throttle_count)" "$((n - 1))"
	check "with INST_RETIRED cpu1 uses at least 99% of its budget per period ($use)" \
		ge "$use" "$((budget * 99 / 100))"
	expect_ok "rmmod after INST_RETIRED succeeds" "timeout 60 rmmod membw"
fi
kill "$p1" $p2
finish
