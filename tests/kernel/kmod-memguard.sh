# Guest script (tests/kernel/boot): membw.ko with memguard_compat=1. The command lines of
# MemGuard's README (both versions: limit/share/maxbw, then read_limit/write_limit) run unchanged
# against /sys/kernel/debug/memguard/ and have the documented effect, read back through both
# interfaces (membw/ in bytes/s, memguard/ in MemGuard's format); bad input is refused with
# nothing changed. Expected values: MemGuard's MB is 2^20 bytes (mb 900 = 943718400 B/s), maxbw
# starts at 1200 MiB/s = 1258291200 B/s; events per 1 ms period = floor(B/s / 1000 / line).
# Arguments: EVENT (read and write event: cpu-clock on a guest without a PMU, CPU_CYCLES on arm64).
# Needs 4 CPUs, /membw.ko and /guest-lib.sh.
. /guest-lib.sh
event=${1:?usage: kmod-memguard.sh EVENT}
MG=/sys/kernel/debug/memguard
taskset -p -c 0 $$ >/dev/null

# memguard/FILE: the events column ($2) and the MB/s column of CPU N's line
mg_events() { awk -v c="CPU$2:" '$1 == c { print $2; exit }' "$MG/$1"; }
mg_mb() { awk -v c="CPU$2:" '$1 == c { v = $3; sub(/^\(/, "", v); sub(/MB\/s.*/, "", v); print v; exit }' "$MG/$1"; }
mg_pct() { awk -v c="CPU$2:" '$1 == c { print $4; exit }' "$MG/$1"; }
mg_control() { grep -v '^throttle:' "$MG/control"; } # without the CPUs throttled right now
mg_row() { awk -v k="$2:" -v n="$3" '$1 == k { print $(n + 2); exit }' "$MG/$1"; } # FILE KEY CPU
per_period() { awk -v b="$1" -v l="$line" 'BEGIN { printf "%d\n", b / 1000 / l }'; }
# membw/read_limit (or write_limit) of CPUs 0-3 in B/s, as one line
membw_all() { echo "$(limit_field "$1" 0 bytes_per_s) $(limit_field "$1" 1 bytes_per_s) $(limit_field "$1" 2 bytes_per_s) $(limit_field "$1" 3 bytes_per_s)"; }

expect_ok "insmod without memguard_compat loads" "insmod /membw.ko read_event=$event"
check "without memguard_compat there is no memguard/ directory" [ ! -e "$MG" ]
expect_ok "rmmod" "rmmod membw"
expect_ok "insmod memguard_compat=1 read_event=$event write_event=$event loads" \
	"insmod /membw.ko read_event=$event write_event=$event memguard_compat=1"
check "memguard/ has limit, read_limit, write_limit, share, control, usage, failcnt" sh -c \
	"for f in limit read_limit write_limit share control usage failcnt; do [ -f $MG/\$f ] || exit 1; done"
check "membw/ is there beside it" [ -f "$MEMBW/read_limit" ]
line=$(awk '$1 == "line_size_bytes" { print $2 }' "$MEMBW/control")
# The script's CPU is counted but never throttled, whatever budget the commands give it.
expect_ok "membw/control: realtime 0 on (the script's CPU)" "echo realtime 0 on > $MEMBW/control"
check "memguard/control shows maxbw 1200 (MemGuard's default)" grep -qx "maxbw: 1200 (MB/s)" "$MG/control"
check "memguard/control: active is 0-3" grep -qx "active: 0-3" "$MG/control"

# ---- MemGuard's first README ----
expect_ok "README: echo mb 900 100 100 100 > /sys/kernel/debug/memguard/limit" \
	"echo mb 900 100 100 100 > /sys/kernel/debug/memguard/limit"
check "membw/read_limit: 943718400 104857600 104857600 104857600 B/s (mb = MiB/s)" \
	[ "$(membw_all read_limit)" = "943718400 104857600 104857600 104857600" ]
check "memguard/limit: CPU0 900MB/s, $(per_period 943718400) events per period" \
	[ "$(mg_mb limit 0)/$(mg_events limit 0)" = "900/$(per_period 943718400)" ]
check "memguard/limit: CPU3 100MB/s" [ "$(mg_mb limit 3)" = 100 ]
want=$(awk -v a="$(per_period 943718400)" -v b="$(per_period 1258291200)" \
	'BEGIN { p = a * 100 / b; printf "%d\n", (p == int(p)) ? p : int(p) + 1 }')
check "memguard/limit: CPU0 is $want pct of maxbw (ceil of events * 100 / maxbw events)" \
	[ "$(mg_pct limit 0)" = "$want" ]
check "memguard/limit ends with g_budget_max_bw: 1200 MB/s" \
	grep -q "^g_budget_max_bw: 1200 MB/s, ($(per_period 1258291200))$" "$MG/limit"

expect_ok "README: echo 70 10 10 10 > /sys/kernel/debug/memguard/limit" \
	"echo 70 10 10 10 > /sys/kernel/debug/memguard/limit"
check "membw/read_limit: 70% and 10% of 1258291200 B/s: 880803840 125829120 x3" \
	[ "$(membw_all read_limit)" = "880803840 125829120 125829120 125829120" ]

expect_ok "README: echo maxbw 1200 > /sys/kernel/debug/memguard/control" \
	"echo maxbw 1200 > /sys/kernel/debug/memguard/control"
expect_ok "maxbw 2400" "echo maxbw 2400 > $MG/control"
check "memguard/control shows maxbw: 2400 (MB/s)" grep -qx "maxbw: 2400 (MB/s)" "$MG/control"
expect_ok "then 50 > limit" "echo 50 > $MG/limit"
check "cpu0 is 50% of 2400 MiB/s = 1258291200 B/s, the others as before" \
	[ "$(membw_all read_limit)" = "1258291200 125829120 125829120 125829120" ]
expect_ok "maxbw back to 1200" "echo maxbw 1200 > $MG/control"

expect_ok "README: echo 1 2 4 8 > /sys/kernel/debug/memguard/share" \
	"echo 1 2 4 8 > /sys/kernel/debug/memguard/share"
check "membw/read_limit: 1200 MiB/s in 15 parts: 80, 160, 320, 640 MiB/s" \
	[ "$(membw_all read_limit)" = "83886080 167772160 335544320 671088640" ]
check "memguard/share reads as limit: CPU3 640MB/s" [ "$(mg_mb share 3)" = 640 ]

before=$(mg_control)
expect_fail "README: echo taskprio 1 > .../control is refused (per-task mode not implemented)" \
	"echo taskprio 1 > /sys/kernel/debug/memguard/control"
expect_fail "README: echo taskprio 0 > .../control is refused too" \
	"echo taskprio 0 > /sys/kernel/debug/memguard/control"
check "the refusal is logged with its reason" \
	sh -c "dmesg | grep -q 'memguard/control: taskprio (task priorities as weights) is not implemented'"
expect_fail "README: echo exclusive 1 > .../control is refused (last exclusive not implemented)" \
	"echo exclusive 1 > /sys/kernel/debug/memguard/control"
check "memguard/control is unchanged after the refusals" [ "$(mg_control)" = "$before" ]

# ---- both READMEs: reclaim and exclusive ----
expect_ok "README: echo reclaim 1 > /sys/kernel/debug/memguard/control" \
	"echo reclaim 1 > /sys/kernel/debug/memguard/control"
check "membw/control: reclaim on; memguard/control: reclaim: 1" sh -c \
	"grep -qx 'reclaim on' $MEMBW/control && grep -qx 'reclaim: 1' $MG/control"
expect_ok "README: echo reclaim 0 > /sys/kernel/debug/memguard/control" \
	"echo reclaim 0 > /sys/kernel/debug/memguard/control"
check "membw/control: reclaim off; memguard/control: reclaim: 0" sh -c \
	"grep -qx 'reclaim off' $MEMBW/control && grep -qx 'reclaim: 0' $MG/control"
for pair in 2:spare 5:proportional 0:none; do
	n=${pair%%:*} mode=${pair#*:}
	expect_ok "README: echo exclusive $n > /sys/kernel/debug/memguard/control" \
		"echo exclusive $n > /sys/kernel/debug/memguard/control"
	check "exclusive $n: membw/control sharing $mode, memguard/control exclusive: $n" sh -c \
		"grep -qx 'sharing $mode' $MEMBW/control && grep -qx 'exclusive: $n' $MG/control"
done

# ---- MemGuard's current README ----
expect_ok "README: echo mb 500 500 500 500 > /sys/kernel/debug/memguard/read_limit" \
	"echo mb 500 500 500 500 > /sys/kernel/debug/memguard/read_limit"
check "membw/read_limit: 524288000 B/s on CPUs 0-3" \
	[ "$(membw_all read_limit)" = "524288000 524288000 524288000 524288000" ]
check "memguard/read_limit: CPU1 $(per_period 524288000) (500MB/s), RT? No" \
	grep -q "^CPU1: $(per_period 524288000) (500MB/s)	 No$" "$MG/read_limit"
check "memguard/read_limit: CPU0 (real-time) RT? Yes" grep -q "^CPU0: .*	 Yes$" "$MG/read_limit"
expect_ok "README: echo mb 100 100 100 100 > /sys/kernel/debug/memguard/write_limit" \
	"echo mb 100 100 100 100 > /sys/kernel/debug/memguard/write_limit"
check "membw/write_limit: 104857600 B/s on CPUs 0-3" \
	[ "$(membw_all write_limit)" = "104857600 104857600 104857600 104857600" ]
check "memguard/write_limit: CPU2 $(per_period 104857600) (100MB/s) No" \
	grep -q "^CPU2: $(per_period 104857600) (100MB/s) No$" "$MG/write_limit"
# MemGuard's current source: "rt CPU 1" never throttles the CPU (membw's realtime).
expect_ok "control 'rt 2 1'" "echo rt 2 1 > $MG/control"
check "memguard/read_limit: CPU2 RT? Yes; membw/control: realtime_cpus 0 2" sh -c \
	"grep -q '^CPU2: .*	 Yes$' $MG/read_limit && grep -qx 'realtime_cpus 0 2' $MEMBW/control"
expect_ok "control 'rt 2 0'" "echo rt 2 0 > $MG/control"
check "membw/control: realtime_cpus 0" grep -qx "realtime_cpus 0" "$MEMBW/control"
# Without "mb", MemGuard's current source reads events per period.
expect_ok "read_limit '1000' (events per period, MemGuard's source)" "echo 1000 > $MG/read_limit"
check "memguard/read_limit: CPU0 reads back 1000 events" [ "$(mg_events read_limit 0)" = 1000 ]
check "membw/read_limit: cpu0 is 1000 * $line B * 1000 per s = $((1000 * line * 1000)) B/s" \
	[ "$(limit_field read_limit 0 bytes_per_s)" = $((1000 * line * 1000)) ]

# ---- bad input: refused, nothing changed in either interface ----
# "mb 1" then "00" on one open file: the first write is a command, the second continues it and
# is refused (parsed alone, "00" would be another command).
expect_fail "memguard/limit refuses a command continued in a second write" \
	"{ printf 'mb 1'; printf '00'; } > $MG/limit"
check "cpu0 is 1 MiB/s (1048576 B/s) from the first write, not 100 MiB/s" \
	[ "$(limit_field read_limit 0 bytes_per_s)" = 1048576 ]
mg_before=$(cat "$MG/limit") membw_before=$(cat "$MEMBW/read_limit") ctl_before=$(mg_control)
for bad in "mb 0 100" "101" "0 10" "mb 1 2 3 4 5" "mb abc" "mb -5" "7.5"; do
	expect_fail "memguard/limit refuses '$bad'" "echo '$bad' > $MG/limit"
done
for bad in "0" "mb 0" "4294967295" "1 2 3 4 5"; do
	expect_fail "memguard/read_limit refuses '$bad'" "echo '$bad' > $MG/read_limit"
done
for bad in "1 0" "1 2 x" "1 1000000"; do
	expect_fail "memguard/share refuses '$bad'" "echo '$bad' > $MG/share"
done
for bad in "bogus 1" "exclusive 7" "reclaim 2" "maxbw 0" "exclusive 2 5" "rt 9 1"; do
	expect_fail "memguard/control refuses '$bad'" "echo '$bad' > $MG/control"
done
check "memguard/limit reads as before" [ "$(cat "$MG/limit")" = "$mg_before" ]
check "membw/read_limit reads as before" [ "$(cat "$MEMBW/read_limit")" = "$membw_before" ]
check "memguard/control reads as before" [ "$(mg_control)" = "$ctl_before" ]

# ---- usage and failcnt under load: cpu1 spins against a small budget ----
expect_ok "cpu1 gets 1 MiB/s (mb 1000 1)" "echo mb 1000 1 > $MG/read_limit"
pid=$(spin_on 1)
sleep 1
cat "$MG/usage" >/dev/null # EWMA rows count from here
p0=$(mg_row failcnt total_periods 1) t0=$(mg_row failcnt throttled 1)
sleep 1
check "memguard/usage has EWMA[0..2] and <overall>---- lines" sh -c \
	"grep -q '^EWMA\\[0\\]: ' $MG/usage && grep -q '^EWMA\\[2\\]: ' $MG/usage && grep -qx '<overall>----' $MG/usage"
overall=$(awk 'f { print $2; exit } /^<overall>----$/ { f = 1 }' "$MG/usage")
check "memguard/usage: cpu1's overall read utilisation is above 0 ($overall %)" gt "$overall" 0
check "memguard/failcnt: cpu1's total_periods advance ($p0 -> $(mg_row failcnt total_periods 1))" \
	gt "$(mg_row failcnt total_periods 1)" "$p0"
check "memguard/failcnt: cpu1 is throttled ($t0 -> $(mg_row failcnt throttled 1))" \
	gt "$(mg_row failcnt throttled 1)" "$t0"
u=$(field 1 throttle_count)
check "failcnt's throttled is membw/usage's throttle_count (>= $u read before it)" \
	ge "$(mg_row failcnt throttled 1)" "$u"
check "memguard/failcnt has throttle_error and total_periods rows" sh -c \
	"grep -q '^throttle_error: ' $MG/failcnt && grep -q '^total_periods: ' $MG/failcnt"
expect_fail "a write to memguard/failcnt (MemGuard: reset) is refused" "echo 0 > $MG/failcnt"
cat "$MG/usage" "$MG/failcnt" "$MG/control" "$MG/limit"
expect_ok "rmmod under load succeeds" "rmmod membw"
kill "$pid"
check "memguard/ is gone after rmmod" [ ! -e "$MG" ]
finish
