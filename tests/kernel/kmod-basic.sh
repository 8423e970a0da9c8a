# Guest script (tests/kernel/boot): load membw.ko, configure it through debugfs, read its
# statistics, refuse bad input without changing anything, unload.
# Arguments: EVENT (read_event for the module, e.g. cpu-clock on a guest without a PMU).
# Needs 2 CPUs, /membw.ko, /guest-lib.sh and /kmod-names.sh.
. /guest-lib.sh
event=${1:?usage: kmod-basic.sh EVENT}
taskset -p -c 0 $$ >/dev/null

expect_fail "insmod refuses an unknown event name" "insmod /membw.ko read_event=no-such-event"
expect_fail "insmod refuses period_us=50 (below 100)" "insmod /membw.ko read_event=$event period_us=50"
# Event names against the CPU's tables (x86 names, `default`, Arm names, unknown names), each
# refusal leaving no module behind: kmod-names.sh, whose PASS/FAIL lines appear above its own.
check "event names: kmod-names.sh passes" sh /kmod-names.sh
check "no module is left behind by refused loads" sh -c "! grep -q '^membw ' /proc/modules"
expect_ok "insmod read_event=$event loads" "insmod /membw.ko read_event=$event"
check "debugfs has read_limit, write_limit, control, domains, usage" sh -c \
	"for f in read_limit write_limit control domains usage; do [ -f $MEMBW/\$f ] || exit 1; done"
check "usage lists cpu 0 online" [ "$(field 0 state)" = online ]
check "usage lists cpu 1 online" [ "$(field 1 state)" = online ]
check "usage states the period as 1000000 ns (period_us default 1000)" \
	grep -q '^# period_ns=1000000 ' "$MEMBW/usage"
check "control names the read event" grep -qx "read_event $event" "$MEMBW/control"
line=$(awk '$1 == "line_size_bytes" { print $2 }' "$MEMBW/control")

# MemGuard syntax: "mb" values are MiB/s (docs/memguard.md#memguard-units). 100 MiB/s = 100 * 2^20 =
# 104857600 B/s; per 1 ms period that is 104857.6 bytes, i.e. floor(104857.6 / line) events.
expect_ok "read_limit accepts 'mb 100 200'" "echo mb 100 200 > $MEMBW/read_limit"
check "cpu0 read limit is 104857600 B/s (100 * 2^20)" [ "$(limit_field read_limit 0 bytes_per_s)" = 104857600 ]
check "cpu1 read limit is 209715200 B/s (200 * 2^20)" [ "$(limit_field read_limit 1 bytes_per_s)" = 209715200 ]
want=$(awk -v l="$line" 'BEGIN { printf "%d\n", 104857600 / 1000 / l }')
check "cpu0 budget is floor(104857.6 / $line) = $want events per period" \
	[ "$(limit_field read_limit 0 events_per_period)" = "$want" ]
# Units: 500MB/s is 5 * 10^8 B/s (MB = 10^6 in libmembw), "unlimited" lifts the limit.
expect_ok "read_limit accepts '500MB/s unlimited'" "echo 500MB/s unlimited > $MEMBW/read_limit"
usleep 20000 # a budget takes effect at the next period start
check "cpu0 read limit is 500000000 B/s" [ "$(limit_field read_limit 0 bytes_per_s)" = 500000000 ]
check "cpu1 read limit is unlimited" [ "$(limit_field read_limit 1 bytes_per_s)" = unlimited ]
# Regulated, and throttled or not: with the hold floor the shell also runs in a held CPU's free
# slice, where the state reads online,regulated,throttled.
check "cpu0 is regulated (state $(field 0 state))" state_is 0 '^online,regulated\(,throttled\)\{0,1\}$'
check "cpu1 (unlimited) is not regulated" [ "$(field 1 state)" = online ]
before=$(cat "$MEMBW/read_limit")
for bad in "mb abc" "mb 1 2 3" "5GB/s bogus" "mb" "-5MB/s" "1b/s" "mb 0x10"; do
	expect_fail "read_limit refuses '$bad'" "echo '$bad' > $MEMBW/read_limit"
done
check "read_limit is unchanged after the refused writes" [ "$(cat "$MEMBW/read_limit")" = "$before" ]
# One command per write, whole, in lib/units.c's number grammar (no sign; no NUL byte inside).
expect_fail "read_limit refuses 'mb +5' (no sign, as membw_parse_rate)" "echo 'mb +5' > $MEMBW/read_limit"
expect_fail "read_limit refuses 'mb 100<NUL>garbage'" "printf 'mb 100\\000garbage' > $MEMBW/read_limit"
check "cpu0 read limit is still 500000000 B/s after the NUL write" \
	[ "$(limit_field read_limit 0 bytes_per_s)" = 500000000 ]
# "mb 1" then "00" on one open file: the second write continues the first and is refused (it
# used to be parsed alone as "00": cpu0 blocked).
expect_fail "read_limit refuses a command continued in a second write" \
	"{ printf 'mb 1'; printf '00'; } > $MEMBW/read_limit"
check "cpu0 read limit is 1 MiB/s (1048576 B/s) from the first write, not 0" \
	[ "$(limit_field read_limit 0 bytes_per_s)" = 1048576 ]
check "the refusal of the continued write is logged" \
	sh -c "dmesg | grep -q 'read_limit: one command per write'"
expect_ok "read_limit takes '500MB/s unlimited' back" "echo 500MB/s unlimited > $MEMBW/read_limit"
check "read_limit is back as before" [ "$(cat "$MEMBW/read_limit")" = "$before" ]
expect_fail "write_limit refuses a finite rate without a write event" "echo 100MB/s > $MEMBW/write_limit"
expect_ok "write_limit accepts 'unlimited unlimited'" "echo unlimited unlimited > $MEMBW/write_limit"

expect_ok "control accepts 'reclaim on'" "echo reclaim on > $MEMBW/control"
check "control shows reclaim on" grep -qx "reclaim on" "$MEMBW/control"
expect_ok "control accepts MemGuard's 'exclusive 2'" "echo exclusive 2 > $MEMBW/control"
check "exclusive 2 is proportional sharing" grep -qx "sharing proportional" "$MEMBW/control"
expect_ok "control accepts 'sharing none'" "echo sharing none > $MEMBW/control"
expect_ok "control accepts 'realtime 1 on'" "echo realtime 1 on > $MEMBW/control"
check "control lists cpu 1 as real-time" grep -qx "realtime_cpus 1" "$MEMBW/control"
expect_ok "control accepts 'realtime 1 off'" "echo realtime 1 off > $MEMBW/control"
before=$(cat "$MEMBW/control")
for bad in "reclaim maybe" "sharing all" "exclusive 7" "realtime 9 on" "bogus" "reclaim on extra"; do
	expect_fail "control refuses '$bad'" "echo '$bad' > $MEMBW/control"
done
check "control is unchanged after the refused writes" [ "$(cat "$MEMBW/control")" = "$before" ]
expect_ok "control accepts 'reclaim off'" "echo reclaim off > $MEMBW/control"

expect_ok "domains accepts 'group 0 cpus 0-1 read 300MB/s'" \
	"echo group 0 cpus 0-1 read 300MB/s > $MEMBW/domains"
check "domains lists group 0 with cpus 0,1" sh -c "grep -q '^group=0 cpus=0,1 read: bytes_per_s=300000000 ' $MEMBW/domains"
check "read_limit marks cpu0 as in group 0" sh -c "grep -q '^cpu=0 .* in_group=0' $MEMBW/read_limit"
before=$(cat "$MEMBW/domains")
for bad in "group 0 cpus 0-5 read 1GB/s" "group 99 cpus 0 read 1GB/s" "group 0 cpus 0" \
	"group 0 read 1GB/s" "group 0 cpus 0 read 1GB/s write 1GB/s" "group 0 cpus x read 1GB/s" \
	"group 0 none cpus 1"; do
	expect_fail "domains refuses '$bad'" "echo '$bad' > $MEMBW/domains"
done
check "domains is unchanged after the refused writes" [ "$(cat "$MEMBW/domains")" = "$before" ]
expect_ok "domains accepts 'group 0 none'" "echo group 0 none > $MEMBW/domains"
check "domains is empty after 'group 0 none'" [ -z "$(cat "$MEMBW/domains")" ]

# Regulation on the configured event: a budget of a tenth of a period's worth of events on cpu1,
# with a loop pinned there, must throttle it (and, for cpu-clock, must not hang:
# docs/linux-kernel.md#linux-cpu-clock-hang).
pid=$(spin_on 1)
bps=$(awk -v l="$line" 'BEGIN { printf "%.0f\n", 100000 * l * 1000 }')
expect_ok "read_limit accepts a budget of 100000 events per period on cpu1" \
	"echo unlimited $bps > $MEMBW/read_limit"
t0=$(field 1 throttle_count)
p0=$(field 1 periods)
sleep 2
t1=$(field 1 throttle_count)
p1=$(field 1 periods)
check "cpu1 periods advance while regulated ($p0 -> $p1)" gt "$p1" "$p0"
check "cpu1 is throttled under load ($t0 -> $t1 throttles)" gt "$t1" "$t0"
check "cpu1's throttle thread held the CPU" gt "$(field 1 thread_held_ns)" 0

# A real-time CPU is counted, never throttled.
expect_ok "control accepts 'realtime 1 on' under load" "echo realtime 1 on > $MEMBW/control"
sleep 1
t0=$(field 1 throttle_count)
sleep 1
check "real-time cpu1 is not throttled any more ($t0 -> $(field 1 throttle_count))" \
	[ "$(field 1 throttle_count)" = "$t0" ]
check "usage marks cpu1 real-time" sh -c "grep '^cpu=1 ' $MEMBW/usage | grep -q 'state=[a-z,]*realtime'"
expect_ok "control accepts 'realtime 1 off'" "echo realtime 1 off > $MEMBW/control"

# Sharing modes kick every CPU through IPIs and irq_work: with both CPUs regulated and throttled,
# spare sharing releases them and proportional sharing restarts the period early. The guest must
# keep running and periods keep advancing.
expect_ok "both CPUs take a budget of 100000 events per period" \
	"echo $bps $bps > $MEMBW/read_limit"
for mode in spare proportional none; do
	expect_ok "control accepts 'sharing $mode' under load" "echo sharing $mode > $MEMBW/control"
	p0=$(field 1 periods)
	k0=$(field 1 kicks)
	sleep 1
	check "cpu1 periods advance with sharing $mode" gt "$(field 1 periods)" "$p0"
	if [ "$mode" = none ]; then
		sleep 1 # the last kicks of the old mode may land just after the change
		k0=$(field 1 kicks)
		sleep 1
		check "cpu1 gets no kick with sharing none" [ "$(field 1 kicks)" = "$k0" ]
	else
		check "cpu1 is kicked with sharing $mode ($k0 -> $(field 1 kicks))" gt "$(field 1 kicks)" "$k0"
	fi
done
expect_ok "cpu0's limit is lifted" "echo unlimited > $MEMBW/read_limit"
cat "$MEMBW/usage"
expect_ok "rmmod under load succeeds" "rmmod membw"
kill "$pid"
check "debugfs directory is gone after rmmod" [ ! -e "$MEMBW" ]
check "cpu1 runs a new task after rmmod" sh -c "timeout 10 taskset -c 1 true"

# Two channels: with a write-back event the write budget exists and is regulated too.
expect_ok "insmod with read_event=$event write_event=$event loads" \
	"insmod /membw.ko read_event=$event write_event=$event"
check "control names the write event" grep -qx "write_event $event" "$MEMBW/control"
expect_ok "write_limit accepts a finite rate with a write event" "echo unlimited $bps > $MEMBW/write_limit"
check "cpu1's write limit reads back as $bps B/s" [ "$(limit_field write_limit 1 bytes_per_s)" = "$bps" ]
pid=$(spin_on 1)
sleep 1
w0=$(field 1 write_used_events) t0=$(field 1 throttle_count)
sleep 1
check "cpu1 counts write events ($w0 -> $(field 1 write_used_events))" gt "$(field 1 write_used_events)" "$w0"
check "cpu1 is throttled on its write budget ($t0 -> $(field 1 throttle_count))" gt "$(field 1 throttle_count)" "$t0"
expect_ok "rmmod with two channels under load succeeds" "rmmod membw"
kill "$pid"
finish
