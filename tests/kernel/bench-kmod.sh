# Guest script (tests/kernel/bench-kmod): cost of membw.ko to a fixed workload, in exact guest time
# (-icount shift=0: one instruction per nanosecond). The workload (an awk loop of ITER iterations)
# runs pinned to cpu1: without the module, then with it loaded and cpu1 given a budget it never
# reaches (twice a period's events), for each period in PERIODS (microseconds).
# Prints "BENCH key=value ..." lines for the host to tabulate.
iter=${1:-1000000}
periods=${2:-1000}
reps=3
MEMBW=/sys/kernel/debug/membw
taskset -p -c 0 $$ >/dev/null

now_ns() { awk '$1 == "now" && $2 == "at" { print $3; exit }' /proc/timer_list; }
workload_ns() {
	t0=$(now_ns)
	taskset -c 1 awk -v n="$iter" 'BEGIN { for (i = 0; i < n; i++) s += i * 2; print s }' >/dev/null
	t1=$(now_ns)
	echo $((t1 - t0))
}
# Best of $reps: in exact guest time the spread is interrupts landing in the window or not.
best_ns() {
	best=""
	for r in $(seq $reps); do
		t=$(workload_ns)
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	echo "$best"
}
thread_ticks() { # CPU time of the membw/1 throttle thread, in 1/100 s
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = membw/1 ] && awk '{ print $14 + $15 }' "$d/stat" && return
	done
	echo 0
}
field() { awk -v c="cpu=$1" -v k="$2" '$1 == c { for (i = 2; i <= NF; i++) { n = index($i, "=");
	if (substr($i, 1, n - 1) == k) print substr($i, n + 1) } }' "$MEMBW/usage"; }

base=$(best_ns)
echo "BENCH mode=without_module period_us=- workload_ns=$base"
for p in $periods; do
	insmod /membw.ko read_event=instructions period_us="$p" || { echo "BENCH error=insmod"; exit 1; }
	line=$(awk '$1 == "line_size_bytes" { print $2 }' "$MEMBW/control")
	rate=$(awk -v l="$line" -v p="$p" 'BEGIN { printf "%.0f\n", 2 * p * 1000 * l * 1e6 / p }')
	echo "unlimited $rate" >"$MEMBW/read_limit" || { echo "BENCH error=read_limit"; exit 1; }
	sleep 1
	c0=$(field 1 handler_calls) h0=$(field 1 handler_ns) th0=$(field 1 throttle_count) tt0=$(thread_ticks)
	with=$(best_ns)
	c1=$(field 1 handler_calls) h1=$(field 1 handler_ns) th1=$(field 1 throttle_count) tt1=$(thread_ticks)
	echo "BENCH mode=with_module period_us=$p workload_ns=$with handler_calls=$((c1 - c0)) handler_ns=$((h1 - h0)) throttles=$((th1 - th0)) thread_cpu_ticks=$((tt1 - tt0))"
	rmmod membw
done
again=$(best_ns)
echo "BENCH mode=without_module_again period_us=- workload_ns=$again"
