#!/usr/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: loads plink, runs the KUnit suites (if the kernel
# has KUnit) and every kselftest, then unloads plink and checks the kernel
# log (and kmemleak, where the kernel has it).  Writes TAP to /dev/ttyS1;
# the kernel console stays on /dev/ttyS0.

# secs, time_line (scripts/lib.sh)
# shellcheck source=scripts/lib.sh
. /plink/lib.sh

out=/dev/ttyS1
[ -c "$out" ] || out=/dev/console
exec 3>"$out"

n=0
fails=0
tap() {
	# tap STATUS NAME [DIAG_FILE]
	local status=$1 name=$2 diag=${3:-}

	n=$((n + 1))
	case "$status" in
	ok) echo "ok $n $name" >&3 ;;
	skip) echo "ok $n $name # SKIP" >&3 ;;
	*) echo "not ok $n $name" >&3; fails=$((fails + 1)) ;;
	esac
	if [ -n "$diag" ] && [ -s "$diag" ]; then
		sed 's/^/# /' "$diag" >&3
	fi
}

# timed NAME START: a TAP diagnostic "# time: NAME S.s", the guest's
# seconds since START (an $EPOCHREALTIME).  run-all.sh sums them up.
timed() {
	time_line "$1" "$2" >&3
}

echo "TAP version 13" >&3
echo "# kernel: $(cat /plink/kernel) ($(uname -r))" >&3
read -r up _ </proc/uptime
echo "# time: boot $up" >&3
t_all=$EPOCHREALTIME

# The kernel's own modules first (absent where built in).
for m in /lib/modules/*.ko; do
	[ -e "$m" ] && insmod "$m"
done

# Which plink.ko this is (run.sh --module checks it).
echo "# module: plink.ko sha256 $(sha256sum </lib/modules/plink/plink.ko | cut -d' ' -f1)" >&3
if insmod /lib/modules/plink/plink.ko 2>/tmp/insmod.err; then
	tap ok "module: load plink.ko" /tmp/insmod.err
else
	tap fail "module: load plink.ko" /tmp/insmod.err
fi

# KUnit: each suite in plink_kunit.ko runs at load; debugfs keeps the KTAP.
# On a kernel with KUnit (debugfs has kunit/), a plink_kunit.ko that is
# missing, does not load or reports no case fails; the host's manifest
# (selftests/manifest) says how many cases each kernel must report.
# plink.part=1|2 (run.sh --part): this VM is one of a kernel's two, booted
# side by side; the second runs the manifest's "part2" kselftests for this
# kernel and nothing else, the first everything else.
part=$(sed -n 's/.*plink\.part=\([12]\).*/\1/p' /proc/cmdline)
kname=$(cut -d' ' -f1 /plink/kernel)
part2=$(awk -v k="$kname" '$1 == "part2" && $2 == k {
	for (i = 3; i <= NF; i++) print $i }' /plink/manifest)
if [ "$part" != 2 ] &&
   { [ -e /lib/modules/plink/plink_kunit.ko ] || [ -d /sys/kernel/debug/kunit ]; }; then
	t0=$EPOCHREALTIME
	cases=0
	if [ ! -e /lib/modules/plink/plink_kunit.ko ]; then
		echo "the kernel has KUnit but plink_kunit.ko was not built" >/tmp/kunit.err
		tap fail "kunit: plink_kunit.ko is present" /tmp/kunit.err
	elif ! insmod /lib/modules/plink/plink_kunit.ko 2>/tmp/kunit.err; then
		tap fail "kunit: load plink_kunit.ko" /tmp/kunit.err
	fi
	for results in /sys/kernel/debug/kunit/*/results; do
		[ -e "$results" ] || continue
		suite=$(basename "$(dirname "$results")")
		# debugfs files report size 0: copy before reading.
		cat "$results" > /tmp/kunit.res
		while read -r line; do
			case "$line" in
			"ok "*|"not ok "*)
				status=ok
				case "$line" in "not ok "*) status=fail ;; esac
				case "$line" in *"# SKIP"*) status=skip ;; esac
				tcase=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ //; s/ # .*//')
				[ "$tcase" = "$suite" ] && continue
				cases=$((cases + 1))
				if [ "$status" = fail ]; then
					tap fail "kunit: $suite: $tcase" /tmp/kunit.res
				else
					tap "$status" "kunit: $suite: $tcase"
				fi
				;;
			esac
		done < /tmp/kunit.res
	done
	if [ -e /lib/modules/plink/plink_kunit.ko ] && [ "$cases" -eq 0 ]; then
		{ echo "no results in /sys/kernel/debug/kunit/*/results (KUNIT_DEBUGFS?)"
		  dmesg | tail -n 40; } >/tmp/kunit.err
		tap fail "kunit: plink_kunit.ko reported its cases" /tmp/kunit.err
	fi
	rmmod plink_kunit 2>/dev/null
	timed kunit "$t0"
fi

# kselftests, run the kernel's way: its kselftest/runner.sh runs each file
# of TEST_PROGS (selftests/Makefile; kselftest-list.txt lists them) with the
# time limit of selftests/settings, prefixes the file's output with "# " and
# ends with the file's own TAP line.  ksft_tap makes that our TAP: one line
# per check, then the file's.
BASE_DIR=/plink/ksft
# shellcheck source=/dev/null # the kernel's, in the VM only
. "$BASE_DIR/kselftest/runner.sh"

# runner.sh times a test out with coreutils' timeout (/usr/bin/timeout):
# the VM has busybox's, the tests' own, which has no --foreground and
# leaves the killed test's status (143, SIGTERM); runner.sh knows a time
# out by 124.
tap_timeout()
{
	local rc=0 t=$SECONDS

	# runner.sh's variables; its command line, split as runner.sh does
	# shellcheck disable=SC2154,SC2086
	timeout "$kselftest_timeout" $1 || rc=$?
	if [ "$rc" = 143 ] && [ $((SECONDS - t)) -ge "$kselftest_timeout" ]; then
		rc=124
	fi
	return "$rc"
}

# ksft_tap NAME <OUTPUT: runner.sh's output for the file NAME.sh, as TAP.
# Each "TEST: DESC [ OK ]" line of lib.sh's log_test becomes the TAP line
# "selftest: NAME: DESC" (OK and XFAIL pass, SKIP skips, FAIL fails); its
# diagnostics are the lines before it since the previous one and the
# tab-indented lines after it (lib.sh's reason for a failure).  runner.sh's
# result for the file ("ok 1 selftests: plink: NAME.sh", "# SKIP" for exit
# status 4, "# TIMEOUT", "# exit=N") becomes "selftest: NAME", and its
# header lines pass through as diagnostics.
ksft_tap()
{
	local name=$1 line pending='' result='' st

	: >/tmp/t.diag
	while IFS= read -r line; do
		case "$line" in
		"# selftests: "*|"# timeout set to "*|"# overriding timeout to "*)
			echo "$line" >&3
			continue
			;;
		"ok "*|"not ok "*)
			result=$line
			continue
			;;
		"#") line= ;;
		"# "*) line=${line#"# "} ;;
		esac
		if [ -n "$pending" ] && [[ "$line" == $'\t'* ]]; then
			echo "$line" >>/tmp/t.diag
			continue
		fi
		if [ -n "$pending" ]; then
			tap "${pending%%|*}" "selftest: $name: ${pending#*|}" /tmp/t.diag
			: >/tmp/t.diag
			pending=
		fi
		if [[ "$line" =~ ^TEST:\ (.*[^ ])\ +\[\ ?(OK|FAIL|SKIP|XFAIL)\ ?\]$ ]]; then
			case "${BASH_REMATCH[2]}" in
			OK|XFAIL) st=ok ;;
			SKIP) st=skip ;;
			*) st=fail ;;
			esac
			pending="$st|${BASH_REMATCH[1]}"
		else
			echo "$line" >>/tmp/t.diag
		fi
	done
	if [ -n "$pending" ]; then
		tap "${pending%%|*}" "selftest: $name: ${pending#*|}" /tmp/t.diag
		: >/tmp/t.diag
	fi
	case "$result" in
	"ok "*" # SKIP"*) tap skip "selftest: $name" /tmp/t.diag ;;
	"ok "*) tap ok "selftest: $name" /tmp/t.diag ;;
	*" # TIMEOUT "*)
		echo "timed out after ${result##* # TIMEOUT }" >>/tmp/t.diag
		tap fail "selftest: $name" /tmp/t.diag
		;;
	*" # exit="*)
		echo "exit status ${result##* # exit=}" >>/tmp/t.diag
		tap fail "selftest: $name" /tmp/t.diag
		;;
	*)
		echo "runner.sh gave no result: ${result:-none}" >>/tmp/t.diag
		tap fail "selftest: $name" /tmp/t.diag
		;;
	esac
}

only=$(sed -n 's/.*plink\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
# The debug kernel (KASAN, lockdep, kmemleak under TCG) runs the same tests
# three to five times slower: three times settings' limit, as runner.sh's
# --override-timeout would.
case "$(cat /plink/kernel)" in
debug*)
	kselftest_override_timeout=$(sed -n 's/^timeout=//p' "$BASE_DIR/plink/settings")
	kselftest_override_timeout=$((kselftest_override_timeout * 3))
	;;
esac
# plink.timeout=SEC (scripts/fuzz.sh's long runs): each file's limit.
t=$(sed -n 's/.*plink\.timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$t" ] && kselftest_override_timeout=$t
# The manifest's "-" for this kernel: files that must not run here (the
# debug kernel leaves out the long behavioural ones; see the manifest).
notrun=$(awk -v k="$kname" '
	$1 == "kernels" { for (i = 2; i <= NF; i++) if ($i == k) c = i }
	$1 == "selftest" && c && $c == "-" { print $NF }' /plink/manifest)
# Read the list first: the tests must not inherit it as their stdin.
mapfile -t ksft_list < "$BASE_DIR/kselftest-list.txt"
for entry in "${ksft_list[@]}"; do
	collection=${entry%%:*}
	prog=${entry#*:}
	name=${prog%.sh}
	if grep -qx "$name" <<<"$notrun"; then
		continue
	fi
	if [ "$part" = 2 ] && ! grep -qx "$name" <<<"$part2"; then
		continue
	fi
	if [ "$part" = 1 ] && grep -qx "$name" <<<"$part2"; then
		continue
	fi
	# plink.only=a,b (PLINK_ONLY on the host) runs only those kselftests.
	if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then
		continue
	fi
	t0=$EPOCHREALTIME
	# runner.sh writes the test's output to its $logfile (/dev/stdout)
	# through a descriptor of its own: both must append.
	: >/tmp/t.out
	(cd "$BASE_DIR" && run_one "$collection" "$collection/$prog" 1) >>/tmp/t.out 2>&1
	timed "selftest:$name" "$t0"
	ksft_tap "$name" </tmp/t.out
done

# Unload; nothing of plink may remain.
t0=$EPOCHREALTIME
t_unload=$t0
if rmmod plink 2>/tmp/rmmod.err; then
	tap ok "module: unload plink.ko"
else
	tap fail "module: unload plink.ko" /tmp/rmmod.err
fi
timed unload "$t0"

# kmemleak: objects must have been unreferenced for a while and seen by two
# scans before they are reported: the second scan starts at least 6 s after
# the unload (the first scan, about that long on the debug kernel under TCG,
# counts towards the wait).
if [ -e /sys/kernel/debug/kmemleak ]; then
	t0=$EPOCHREALTIME
	echo scan > /sys/kernel/debug/kmemleak
	timed kmemleak-scan1 "$t0"
	left=$(( 6000000 - (${EPOCHREALTIME/./} - ${t_unload/./}) ))
	if [ "$left" -gt 0 ]; then
		sleep "$((left / 1000000)).$(printf %06d $((left % 1000000)))"
	fi
	t2=$EPOCHREALTIME
	echo scan > /sys/kernel/debug/kmemleak
	timed kmemleak-scan2 "$t2"
	cat /sys/kernel/debug/kmemleak > /tmp/kmemleak
	if [ -s /tmp/kmemleak ]; then
		tap fail "kernel: kmemleak reports no leak" /tmp/kmemleak
	else
		tap ok "kernel: kmemleak reports no leak"
	fi
	timed kmemleak "$t0"
fi

# Any splat in the kernel log fails the run.
t0=$EPOCHREALTIME
dmesg > /tmp/dmesg
if grep -nE -A 40 -f /plink/splats.re /tmp/dmesg > /tmp/splats; then
	tap fail "kernel: log has no splat" /tmp/splats
else
	tap ok "kernel: log has no splat"
fi

timed splat-check "$t0"
timed guest-total "$t_all"
echo "1..$n" >&3
echo "# plink-vm-done tests=$n failed=$fails" >&3
exec 3>&-
sync
reboot -f
