# Helpers for guest scripts run by tests/kernel/boot (sourced; busybox sh and awk).
#   check MESSAGE COMMAND...   runs COMMAND; prints "PASS: MESSAGE" or "FAIL: MESSAGE"
#   expect_ok / expect_fail    check that a command succeeds / fails
#   field CPU KEY              value of KEY on the "cpu=CPU" line of membw's usage file
#   group_field G KEY          same for the "group=G" line
#   limit_field FILE CPU KEY   value of KEY on CPU's line of read_limit / write_limit
#   ratio A B                  A / B with 4 decimals (awk)
#   le / ge / gt X Y           numeric comparisons that also work on decimals
#   irq_counts                 guest uptime and per-CPU interrupt and softirq counts, one line
#   irq_delta A B              what changed per CPU between two irq_counts lines
#   finish                     prints the summary line and returns 0 only if nothing failed
MEMBW=/sys/kernel/debug/membw
PASSES=0
FAILS=0

check() {
	msg=$1
	shift
	if "$@"; then
		echo "PASS: $msg"
		PASSES=$((PASSES + 1))
	else
		echo "FAIL: $msg"
		FAILS=$((FAILS + 1))
	fi
}

expect_ok() { check "$1" sh -c "$2" ; }
expect_fail() { check "$1" sh -c "! { $2 ; }" ; }

kv() { # kv PREFIX KEY < file
	awk -v p="$1" -v k="$2" '$1 == p { for (i = 2; i <= NF; i++) { n = index($i, "=");
		if (n && substr($i, 1, n - 1) == k) { print substr($i, n + 1); exit } } }'
}
field() { kv "cpu=$1" "$2" <"$MEMBW/usage"; }
# state_is CPU REGEX: the CPU's usage state (online, regulated, throttled, ...) matches REGEX.
state_is() { field "$1" state | grep -q "$2"; }
group_field() { kv "group=$1" "$2" <"$MEMBW/usage"; }
limit_field() { kv "cpu=$2" "$3" <"$MEMBW/$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.4f\n", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }

# CPU time (user + system, in clock ticks of 1/100 s) a process has had: the scheduler's own
# accounting, independent of the PMU counts membw regulates on.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Guest time since boot in 1/100 s.
uptime_ticks() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# A CPU-bound loop pinned to CPU $1; prints its pid.
spin_on() {
	taskset -c "$1" sh -c 'while :; do :; done' >/dev/null 2>&1 &
	echo $!
}

# irq_counts: one line, "uptime:SECONDS NAME:C0,C1,..." for the timer (arch_timer), PMU (arm-pmu) and
# IPI interrupts of /proc/interrupts and the TIMER, HRTIMER, RCU and SCHED softirqs of
# /proc/softirqs, per CPU. With irq_delta, the guest's own record of what ran on each CPU (an
# interrupt storm shows as a count that grows by far more than the period ticks).
irq_counts() {
	awk 'FILENAME == "/proc/uptime" { printf "uptime:%s", $1; next }
		FNR == 1 { n = NF; next }
		{ name = $1; sub(/:$/, "", name)
		  if (FILENAME == "/proc/interrupts") {
			if ($NF == "arch_timer" || $NF == "arm-pmu") name = $NF
			else if (name !~ /^IPI[0-6]$/) next
		  } else if (name !~ /^(TIMER|HRTIMER|RCU|SCHED)$/) next
		  v = $2; for (i = 3; i <= n + 1; i++) v = v "," $i
		  printf " %s:%s", name, v }
		END { print "" }' /proc/uptime /proc/interrupts /proc/softirqs
}
# irq_delta A B: "guest S s: NAME d0/d1/..." from two irq_counts lines taken with the same CPUs online.
irq_delta() {
	awk -v a="$1" -v b="$2" 'BEGIN { na = split(a, A, " "); split(b, B, " ")
		for (i = 1; i <= na; i++) { split(A[i], x, ":"); split(B[i], y, ":")
			if (x[1] == "uptime") { printf "guest %.2f s:", y[2] - x[2]; continue }
			nx = split(x[2], u, ","); split(y[2], w, ","); d = ""
			for (j = 1; j <= nx; j++) d = d (j > 1 ? "/" : "") (w[j] - u[j])
			printf " %s %s", x[1], d }
		print "" }'
}

finish() {
	echo "SUMMARY: $PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
