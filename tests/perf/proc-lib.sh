# Shell helpers of tests/perf/kill-storm and tests/perf/sentinel-race (sourced): processes of a
# `membw run` as /proc shows them.

# Wait (bounded at 20 s) until COMMAND succeeds; 1 if it never did.
until_true() {
	i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -ge 2000 ] && return 1
		sleep 0.01
	done
}
# membw's child that is the program (not the watchdog); with "exec" as $2, only once it has
# exec'd (its name is no longer membw's).
program() {
	for c in $(cat /proc/$1/task/*/children 2>/dev/null); do
		case "$(cat /proc/$c/comm 2>/dev/null)" in
		membw-watchdog|"") ;;
		membw) [ "${2:-}" = exec ] || echo $c ;;
		*) echo $c ;;
		esac
	done | head -1
}
# The scheduler state of process $1 (R, S, T, Z, ...), empty once it is gone.
state() { awk '{ print $3 }' /proc/$1/stat 2>/dev/null; }
