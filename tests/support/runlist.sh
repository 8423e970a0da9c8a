# shellcheck shell=sh
# Run lists: the QEMU runs a test runner makes, as data. Sourced (POSIX sh) by tests/qemu/run
# (tests/qemu/configs, tests/qemu/hyp/configs) and tests/kernel/run-kmod-tests
# (tests/kernel/kmod-tests.cfg, tests/kernel/memtalk-guest.cfg), so that every run list is read,
# and refused, the same way. The format:
#
#   # a comment: why this run exists, and why it expects what it expects
#   [run-name]            letters, digits, - and _; unique in the file
#   key = value           one per line; the keys, their defaults and their values are the runner's
#
# runlist_read FILE SPEC
#   SPEC lists the runner's keys, one line each, in the order their values are printed:
#     KEY DEFAULT PATTERN MESSAGE...
#   DEFAULT   "required" (the key must be given), or "=VALUE" for the value when it is not ("="
#             alone: empty); one word
#   PATTERN   an awk regular expression the whole value must match, or "-" for any value; one
#             word (a blank in a value is [[:blank:]])
#   MESSAGE   the rest of the line: what is wrong with a value that does not match
#   Prints one line per run, in file order: "name|value1|value2|..." (values in SPEC's order;
#   white space around a value is dropped). On the first error it prints "FILE:LINE: what" on
#   stderr and returns 2: a bad section header, a duplicate section, a key outside a section, a
#   line that is not "key = value", a value containing "|" (the field separator), an unknown or
#   duplicate key, a value that does not match its pattern, a required key that is missing.
runlist_read() {
	RUNLIST_SPEC=$2 awk '
function fail(msg) { printf "%s:%d: %s\n", FILENAME, NR, msg > "/dev/stderr"; bad = 1; exit 2 }
function flush(   i, k, line) {
	if (name == "") return
	line = name
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		if (!(k in v)) {
			if (def[k] == "required") {
				NR = start
				fail("[" name "] has no " k " = line" (msg[k] == "" ? "" : " (" msg[k] ")"))
			}
			v[k] = substr(def[k], 2)
		}
		line = line "|" v[k]
	}
	print line
}
BEGIN {
	n = split(ENVIRON["RUNLIST_SPEC"], speclines, "\n")
	for (i = 1; i <= n; i++) {
		s = speclines[i]
		sub(/^[ \t]+/, "", s)
		if (s == "") continue
		if (split(s, f, /[ \t]+/) < 3 || (f[2] != "required" && f[2] !~ /^=/)) {
			printf "runlist_read: bad SPEC line \"%s\" (KEY required|=DEFAULT PATTERN MESSAGE)\n", \
				s > "/dev/stderr"
			bad = 1; exit 2
		}
		k = f[1]
		keys[++nkeys] = k
		def[k] = f[2]
		pat[k] = f[3]
		m = s; sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", m)
		msg[k] = m
	}
}
/^[ \t]*(#|$)/ { next }
/^\[/ {
	flush()
	if ($0 !~ /^\[[A-Za-z0-9_-]+\][ \t]*$/) fail("bad section header (want [name] of letters, digits, - and _)")
	name = $0; sub(/^\[/, "", name); sub(/\][ \t]*$/, "", name)
	if (name in seen) fail("duplicate section [" name "]")
	seen[name] = 1; start = NR; split("", v); next
}
{
	if (name == "") fail("key outside a section")
	if ($0 !~ /=/) fail("expected key = value")
	key = $0; sub(/[ \t]*=.*/, "", key); sub(/^[ \t]*/, "", key)
	val = $0; sub(/^[^=]*=[ \t]*/, "", val); sub(/[ \t]*$/, "", val)
	if (val ~ /\|/) fail("values may not contain |")
	if (!(key in def)) fail("unknown key \"" key "\"")
	if (pat[key] != "-" && val !~ pat[key]) fail(msg[key] == "" ? "bad value for " key : msg[key])
	if (key in v) fail("duplicate key \"" key "\"")
	v[key] = val
}
END { if (!bad) flush() }
' "$1"
}
