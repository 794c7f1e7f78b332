#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check a log of the VM runs against the manifest of what must run:
#   check-manifest.sh [--manifest FILE] [--files DIR] LOG
# LOG is selftests/qemu/run-all.sh's build/tap-all.log (the TAP of each
# kernel, as selftests/qemu/run.sh names it: "ok 3 [stock-6.12] selftest:
# dev: ...").  FILE is selftests/manifest, whose header describes it; DIR
# (default selftests) holds the kselftest files, which it must list, the
# Makefile, whose TEST_PROGS must list the same files, and config, whose
# options qemu/debug.config must all have.
# Every kernel of the manifest must have finished, with as many TAP lines
# as its guest sent; every kselftest file, KUnit and each harness step must
# have run there with at least its minimum of lines; no file may run that
# the manifest does not name; and a SKIP fails unless the manifest allows
# it.  Prints TAP (one line per kernel and check) and exits non-zero when
# one is "not ok".  It only counts: run-all.sh reports the tests' own
# failures.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
manifest=$top/selftests/manifest
files=$top/selftests
while [ $# -gt 1 ]; do
	case "$1" in
	--manifest) manifest=$2; shift 2 ;;
	--files) files=$2; shift 2 ;;
	*) break ;;
	esac
done
log=${1:?usage: check-manifest.sh [--manifest FILE] [--files DIR] LOG}
[ -r "$log" ] || { echo "check-manifest: cannot read $log" >&2; exit 2; }
[ -r "$manifest" ] || { echo "check-manifest: cannot read $manifest" >&2; exit 2; }
# The guest's TAP comes through a serial port: lines may end in CR LF.
tmplog=$(mktemp)
trap 'rm -f "$tmplog"' EXIT
tr -d '\r' < "$log" > "$tmplog"

n=0
bad=0
ok() { n=$((n + 1)); echo "ok $n manifest: $*"; }
notok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok $n manifest: $*"; }

trim() { sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//' <<<"$1"; }

# The manifest: kernels, then one entry per line (see its header).
kernels=()
entries=()	# "KIND|MIN1 MIN2 ...|NAME"
skips=()	# "KERNEL|TAP NAME"
parts=()	# the files of the "part2" lines
partk=()	# and their kernels
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	line=${line%%#*}
	read -r kind rest <<<"$line" || true
	[ -n "${kind:-}" ] || continue
	case "$kind" in
	kernels)
		read -r -a kernels <<<"$rest"
		;;
	selftest|kunit|step)
		[ ${#kernels[@]} -gt 0 ] ||
			{ echo "check-manifest: $manifest:$lineno: '$kind' before 'kernels'" >&2; exit 2; }
		read -r -a f <<<"$rest"
		k=${#kernels[@]}
		mins=("${f[@]:0:k}")
		name="${f[*]:k}"
		for m in "${mins[@]}"; do
			[[ "$m" =~ ^([0-9]+|-)$ ]] ||
				{ echo "check-manifest: $manifest:$lineno: '$m' is not a count or '-'" >&2; exit 2; }
		done
		if [ ${#mins[@]} -ne "$k" ] || { [ "$kind" != kunit ] && [ -z "$name" ]; }; then
			echo "check-manifest: $manifest:$lineno: want '$kind', $k counts (one per kernel) and a name" >&2
			exit 2
		fi
		entries+=("$kind|${mins[*]}|$name")
		;;
	part2)
		read -r -a f <<<"$rest"
		[ ${#f[@]} -ge 2 ] ||
			{ echo "check-manifest: $manifest:$lineno: want 'part2 KERNEL FILE...'" >&2; exit 2; }
		parts+=("${f[@]:1}")
		partk+=("${f[0]}")
		;;
	skip)
		IFS='|' read -r _ kern tname feature <<<"|$rest"
		kern=$(trim "$kern")
		tname=$(trim "$tname")
		feature=$(trim "${feature:-}")
		if [ -z "$kern" ] || [ -z "$tname" ] || [ -z "$feature" ]; then
			echo "check-manifest: $manifest:$lineno: want 'skip KERNEL | TAP NAME | MISSING FEATURE'" >&2
			exit 2
		fi
		skips+=("$kern|$tname")
		;;
	*)
		echo "check-manifest: $manifest:$lineno: unknown entry '$kind'" >&2
		exit 2
		;;
	esac
done < "$manifest"
[ ${#kernels[@]} -gt 0 ] || { echo "check-manifest: $manifest: no 'kernels' line" >&2; exit 2; }

# The manifest and the kselftest files name the same tests.
declare -A listed=()
for e in "${entries[@]}"; do
	IFS='|' read -r kind _ name <<<"$e"
	[ "$kind" = selftest ] && listed[$name]=1
done
for f in "$files"/*.sh; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .sh)
	[ -n "${listed[$name]:-}" ] ||
		notok "selftests/$name.sh is not in the manifest; add: selftest $(printf '%s ' "${kernels[@]/*/N}")$name (N: its TEST lines on each kernel)"
done
for name in "${parts[@]+"${parts[@]}"}"; do
	[ -n "${listed[$name]:-}" ] ||
		notok "part2 names $name, which has no selftest line"
done
for k in "${partk[@]+"${partk[@]}"}"; do
	[[ " ${kernels[*]} " == *" $k "* ]] ||
		notok "part2 names the kernel $k, which the kernels line does not"
done
for name in "${!listed[@]}"; do
	[ -e "$files/$name.sh" ] ||
		notok "the manifest names selftest $name, but selftests/$name.sh does not exist"
done

# The Makefile's TEST_PROGS (what the VM runs) and the manifest (what each
# kernel must have run) name the same files.
declare -A progs=()
if ! emitted=$(make -s --no-print-directory -C "$files" emit_tests 2>&1); then
	notok "make -C $files emit_tests failed: $emitted"
	emitted=
fi
while IFS= read -r p; do
	[ -n "$p" ] || continue
	p=${p#*:}
	name=${p%.sh}
	progs[$name]=1
	[ -n "${listed[$name]:-}" ] ||
		notok "TEST_PROGS (selftests/Makefile) has $p, which the manifest does not name; add: selftest $(printf '%s ' "${kernels[@]/*/N}")$name (N: its TEST lines on each kernel)"
done <<<"$emitted"
for name in "${!listed[@]}"; do
	[ -n "${progs[$name]:-}" ] ||
		notok "the manifest names selftest $name, but TEST_PROGS (selftests/Makefile) lacks it; add: TEST_PROGS += $name.sh"
done

# The kernel options the tests need (selftests/config) are all in the
# debug kernel's (selftests/qemu/debug.config, which adds the checks).
while IFS= read -r opt; do
	case "$opt" in
	CONFIG_*=*)
		grep -qx -- "$opt" "$files/qemu/debug.config" ||
			notok "selftests/config has $opt, which selftests/qemu/debug.config lacks"
		;;
	esac
done < "$files/config"

# tap KERNEL: that kernel's TAP lines, with "[KERNEL] " and the numbers off:
# "ok selftest: dev: ...", "not ok kunit: ...", "ok selftest: userns # SKIP".
tap() {
	sed -nE "s/^(not ok|ok) [0-9]+ \[$1\] /\1 /p" "$tmplog"
}
# count PATTERN <TAP: lines whose name (after ok/not ok) matches the ERE.
count() {
	sed -E 's/^(not )?ok //' | grep -cE -- "$1" || true
}
# re STRING: STRING as an ERE that matches only itself.
re() {
	sed -E 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"
}
declare -A tapof=()
# counts <TAP: one line per count the entries need, from one pass over the
# kernel's lines: "S NAME N" (TEST lines of selftest NAME), "R NAME N" (its
# own line, "selftest: NAME" or a SKIP), "L N LINE" (lines exactly LINE) and
# "K N" (KUnit cases).
counts() {
	awk '{ sub(/^(not )?ok /, "") }
	     /^kunit: [^:]+: / { kunit++ }
	     /^selftest: [^: ]+: / { split($0, f, /[: ]+/); have[f[2]]++ }
	     /^selftest: [^: ]+( # SKIP.*)?$/ { split($0, f, /[: ]+/); ran[f[2]]++ }
	     { line[$0]++ }
	     END { for (x in have) print "S", x, have[x]
		   for (x in ran) print "R", x, ran[x]
		   for (x in line) print "L", line[x], x
		   print "K", kunit + 0 }'
}

for ki in "${!kernels[@]}"; do
	k=${kernels[$ki]}
	tapof[$k]=$(tap "$k")
	t=${tapof[$k]}
	declare -A have=() ran=() lines=()
	kunit=0
	while read -r kind a b; do
		case "$kind" in
		S) have[$a]=$b ;;
		R) ran[$a]=$b ;;
		L) [ -n "$b" ] && lines[$b]=$a ;;
		K) kunit=$a ;;
		esac
	done < <(counts <<<"$t")
	done_line=$(grep -E "^# plink-vm-done \[$k\] " "$tmplog" || true)
	if [ -z "$done_line" ]; then
		notok "[$k] is missing or did not finish (no '# plink-vm-done [$k]' in $log)"
		continue
	fi
	if [ "$(wc -l <<<"$done_line")" -ne 1 ]; then
		notok "[$k] ran more than once in $log"
		continue
	fi
	sent=$(sed -nE 's/.*tests=([0-9]+).*/\1/p' <<<"$done_line")
	got=$(grep -cE "^(not )?ok [0-9]+ \[$k\] " "$tmplog" || true)
	if [ "$sent" = "$got" ]; then
		ok "[$k] finished; all $got TAP lines arrived"
	else
		notok "[$k] the guest sent tests=$sent, the log has $got TAP lines"
	fi

	# SKIPs: only those the manifest allows.
	while IFS= read -r s; do
		[ -n "$s" ] || continue
		name=$(sed -E 's/^ok //; s/ # SKIP.*//' <<<"$s")
		allowed=0
		for a in "${skips[@]+"${skips[@]}"}"; do
			[ "$a" = "$k|$name" ] && allowed=1
		done
		if [ "$allowed" = 1 ]; then
			ok "[$k] $name: SKIP allowed by the manifest"
		else
			notok "[$k] $name: SKIP (a test that cannot run fails; if the kernel lacks a feature, add: skip $k | $name | FEATURE)"
		fi
	done < <(grep -E '^ok .* # SKIP' <<<"$t" || true)

	# Each entry's lines.
	for e in "${entries[@]}"; do
		IFS='|' read -r kind mins name <<<"$e"
		read -r -a m <<<"$mins"
		min=${m[$ki]}
		case "$kind" in
		selftest)
			what="selftest $name"
			r=${ran[$name]:-0}
			h=${have[$name]:-0}
			unit="TEST lines"
			;;
		kunit)
			what="kunit"
			h=$kunit
			r=$h
			unit="cases"
			;;
		step)
			what="step '$name'"
			h=${lines[$name]:-0}
			r=$h
			unit="lines"
			;;
		esac
		if [ "$min" = - ]; then
			if [ "$r" -gt 0 ]; then
				notok "[$k] $what ran ($h $unit) where the manifest says '-'; change its $k column"
			fi
			continue
		fi
		if [ "$r" -eq 0 ]; then
			notok "[$k] $what did not run (the manifest wants at least $min $unit)"
		elif [ "$kind" = selftest ] && [ "$r" -gt 1 ]; then
			notok "[$k] $what ran $r times"
		elif [ "$h" -lt "$min" ]; then
			notok "[$k] $what: $h $unit, the manifest wants at least $min (a test went missing; if it was removed on purpose, lower the minimum)"
		else
			ok "[$k] $what: $h $unit (at least $min)"
		fi
	done
done

# kselftest files that ran but are not in the manifest (on any kernel).
declare -A unlisted=()
for k in "${kernels[@]}"; do
	while IFS= read -r name; do
		[ -n "$name" ] && [ -z "${listed[$name]:-}" ] && unlisted[$name]=1
	done < <(sed -nE 's/^(not )?ok selftest: ([^: ]+)(: .*| # SKIP.*)?$/\2/p' <<<"${tapof[$k]:-}" | sort -u)
done
for name in "${!unlisted[@]}"; do
	c=()
	for k in "${kernels[@]}"; do
		if grep -qE "^# plink-vm-done \[$k\] " "$tmplog"; then
			c+=("$(count "^selftest: $(re "$name"): " <<<"${tapof[$k]}")")
		else
			c+=("?")
		fi
	done
	notok "selftest $name ran but is not in the manifest; add: selftest ${c[*]} $name"
done

echo "1..$n"
if [ "$bad" -gt 0 ]; then
	echo "# check-manifest: $bad of $n not ok (manifest: $manifest)"
	exit 1
fi
echo "# check-manifest: all $n ok"
