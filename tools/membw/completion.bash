# bash completion for membw(1). Installed as /usr/share/bash-completion/completions/membw.
# tests/pkg/coverage-test checks that every option of `membw COMMAND --help` is offered here.

_membw()
{
	local cur prev cmd opts
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "sim run events guest conformance help --help --version" -- "$cur"))
		return 0
	fi
	cmd=${COMP_WORDS[1]}

	# After `membw run ... --`, complete the program and its arguments.
	if [ "$cmd" = run ]; then
		local i
		for ((i = 2; i < COMP_CWORD; i++)); do
			if [ "${COMP_WORDS[i]}" = "--" ]; then
				if [ $((i + 1)) -eq "$COMP_CWORD" ]; then
					COMPREPLY=($(compgen -c -- "$cur"))
				else
					COMPREPLY=($(compgen -f -- "$cur"))
				fi
				return 0
			fi
		done
	fi

	case $cmd in
	sim)
		case $prev in
		--csv|--plot) COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
		--period|--duration|--seed) return 0 ;;
		esac
		opts="--period --duration --seed --csv --json --plot --quiet -q --help -h"
		if [[ $cur != -* ]]; then
			COMPREPLY=($(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur"))
			return 0
		fi ;;
	run)
		case $prev in
		--trace) COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
		--event|--write-event)
			COMPREPLY=($(compgen -W "default page-faults cache-misses" -- "$cur"))
			return 0 ;;
		--cpu)
			COMPREPLY=($(compgen -W "$(seq 0 $(($(getconf _NPROCESSORS_CONF) - 1)))" -- "$cur"))
			return 0 ;;
		--budget|--write-budget|--period|--sample-period|--duration|--interval|--max-pids)
			return 0 ;;
		esac
		opts="--budget --write-budget --period --event --write-event --sample-period
			--max-pids --user-only --signals --cpu --duration --stats --interval --trace
			--quiet -q
			--help -h --" ;;
	events)
		case $prev in
		--x86-table) COMPREPLY=($(compgen -W "all" -- "$cur")); return 0 ;;
		esac
		opts="--all --memory --x86-table --help -h" ;;
	guest)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "status set stats --help -h" -- "$cur"))
			return 0
		fi
		opts="--write" ;;
	conformance)
		case $prev in
		--event)
			COMPREPLY=($(compgen -W "default page-faults instructions cycles raw:" -- "$cur"))
			return 0 ;;
		--cpus|--skid-events) return 0 ;;
		esac
		opts="--event --cpus --skid-events --json --help -h" ;;
	help)
		[ "$COMP_CWORD" -eq 2 ] &&
			COMPREPLY=($(compgen -W "sim run events guest conformance" -- "$cur"))
		return 0 ;;
	*)
		return 0 ;;
	esac
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _membw membw
