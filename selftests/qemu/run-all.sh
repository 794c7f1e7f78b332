#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the tests in QEMU on every test kernel (stock 6.1, stock 6.12 and the
# debug kernel, or those in $PLINK_KERNELS) and print one TAP stream and a
# summary line "N passed, N failed".  The kernels boot side by side (the
# debug kernel's run is the longest); their output is printed in order.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernels=${PLINK_KERNELS:-debug stock-6.1 stock-6.12}
all=$top/build/tap-all.log
mkdir -p "$top/build"
: > "$all"
t_all=$EPOCHREALTIME
# secs START: seconds since START (an $EPOCHREALTIME), one decimal.
secs() {
	local d=$(( (${EPOCHREALTIME/./} - ${1/./}) / 100000 ))
	echo "$((d / 10)).$((d % 10))"
}

# Build and unpack what the runs share before they start side by side.
make -s -C "$top/tools/plinkctl" >&2 || exit 1
"$top/scripts/ksrc.sh" >/dev/null || exit 1
for k in $kernels; do
	"$top/scripts/build-module.sh" "$k" >&2 || exit 1
done
t_shared=$(secs "$t_all")

pids=()
for k in $kernels; do
	"$top/selftests/qemu/run.sh" --kernel "$k" \
		>"$top/build/run-$k.log" 2>"$top/build/run-$k.err" &
	pids+=($!)
done
status=0
i=0
for k in $kernels; do
	rc=0
	wait "${pids[$i]}" || rc=$?
	i=$((i + 1))
	echo "# ---- $k ----"
	grep -v '^build-module:' "$top/build/run-$k.err" | sed 's/^/# /'
	# run.sh reports its own failures; one that died (a build failed, or
	# it was killed) must not pass for a kernel whose tests all passed.
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$top/build/run-$k.log"; then
		echo "not ok [$k] run.sh exited with status $rc" >> "$top/build/run-$k.log"
	fi
	[ "$rc" -ne 0 ] && status=1
	tee -a "$all" < "$top/build/run-$k.log"
done

passed=$(grep -cE '^ok ' "$all")
failed=$(grep -cE '^not ok ' "$all")
skipped=$(grep -cE '^ok .*# SKIP' "$all")
for k in $kernels; do
	echo "# $k: $(grep -cE "^ok [0-9]+ \[$k\]" "$all") passed, $(grep -cE "^not ok ([0-9]+ )?\[$k\]" "$all") failed"
done
[ "$failed" -gt 0 ] && status=1
# Where the time went, slowest first: the host's builds and VM runs
# ("host:" names), and each kernel's boot, KUnit step and kselftest files
# (guest time under TCG).  check.sh merges build/timing-vm.txt into its own.
for k in $kernels; do
	sed -nE "s/^# time: ([^ ]+) ([0-9.]+)\$/\2 $k \1/p" "$top/build/run-$k.log"
done > "$top/build/timing-vm.txt.tmp"
{
	echo "$t_shared all host:shared-builds"
	echo "$(secs "$t_all") all host:run-all"
	cat "$top/build/timing-vm.txt.tmp"
} | sort -rn -k1,1 > "$top/build/timing-vm.txt"
rm -f "$top/build/timing-vm.txt.tmp"
echo "# timing, slowest first (seconds, kernel, step):"
awk '{ printf "# timing: %7.1f  %-10s %s\n", $1, $2, $3 }' "$top/build/timing-vm.txt"
echo "vm: $((passed - skipped)) passed, $failed failed, $skipped skipped"
exit $status
