#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the tests in QEMU on every test kernel (stock 6.1, stock 6.12 and the
# debug kernel, or those in $PLINK_KERNELS) and print one TAP stream and a
# summary line "N passed, N failed".  The VMs boot two at a time, one per
# core, the longest first (the debug kernel's, in two parts: see the
# manifest's "part2"); their output is printed in the kernels' order.
# PLINK_VM_JOBS sets how many VMs run at once (2).
# PLINK_DKMS_READY=FILE (make check): before a stock kernel's VM, wait for
# FILE, which the packaging step writes when it ends ("ok" when DKMS built
# build/dkms/KREL/plink.ko); then that kernel's whole run boots the module
# DKMS built instead of the harness's own build (run.sh --module).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# secs (scripts/lib.sh)
. "$top/scripts/lib.sh"
kernels=${PLINK_KERNELS:-debug stock-6.1 stock-6.12}
all=$top/build/tap-all.log
mkdir -p "$top/build"
: > "$all"
t_all=$EPOCHREALTIME

# Build and unpack what the runs share before they start side by side
# (each kernel's module is built before its first VM starts, below).
make -s -C "$top/tools/plinkctl" >&2 || exit 1
"$top/scripts/ksrc.sh" >/dev/null || exit 1
t_shared=$(secs "$t_all")

# The VMs, two at a time (one per core), the longest first: a kernel with
# a "part2" line in the manifest is two VMs (run.sh --part 1 and 2), whose
# logs are then put together as one run of that kernel.  When the debug
# kernel is still being built (a cold make check), its VMs go last, so the
# stock kernels' run while it builds.
order=$kernels
if [[ " $kernels " == *" debug "* ]] &&
   ! "$top/selftests/qemu/build-debug-kernel.sh" --ready; then
	order="$(echo " $kernels " | sed 's/ debug / /') debug"
	echo "# run-all: the debug kernel is not built yet: its VMs go last" >&2
fi
jobs=()
for k in $order; do
	if awk -v k="$k" '$1 == "part2" && $2 == k { f = 1 } END { exit !f }' \
	       "$top/selftests/manifest"; then
		jobs+=("$k:1" "$k:2")
	else
		jobs+=("$k:0")
	fi
done
width=${PLINK_VM_JOBS:-2}

# dkms_module K: the plink.ko DKMS built for stock kernel K, once the
# packaging step says it is there (waits up to 30 minutes for it); nothing
# when that step failed: the harness's own build then runs, and the step's
# own failure is what make check reports.
dkms_module() {
	local k=$1 i KNAME KREL VMLINUZ KDIR KMODS
	for ((i = 0; i < 900; i++)); do
		[ -e "$PLINK_DKMS_READY" ] && break
		sleep 2
	done
	[ "$(cat "$PLINK_DKMS_READY" 2>/dev/null)" = ok ] || return 0
	eval "$("$top/scripts/kernels.sh" "$k")"
	[ -s "$top/build/dkms/$KREL/plink.ko" ] && echo "$top/build/dkms/$KREL/plink.ko"
}
declare -A rcof=()
declare -A jobof=()
declare -A built=()
running=0
for j in "${jobs[@]}" ""; do
	while [ "$running" -ge "$width" ] ||
	      { [ -z "$j" ] && [ "$running" -gt 0 ]; }; do
		pid=
		rc=0
		wait -n -p pid || rc=$?
		[ -n "$pid" ] || break
		rcof[${jobof[$pid]}]=$rc
		running=$((running - 1))
	done
	[ -n "$j" ] || break
	k=${j%:*}
	p=${j#*:}
	if [ -z "${built[$k]:-}" ]; then
		built[$k]=ok
		"$top/scripts/build-module.sh" "$k" >&2 || built[$k]=failed
	fi
	if [ "${built[$k]}" != ok ]; then
		echo "not ok [$k] build-module.sh $k failed" >"$top/build/run-$k-$p.log"
		: >"$top/build/run-$k-$p.err"
		rcof[$j]=1
		continue
	fi
	args=(--kernel "$k" --part "$p")
	if [ -n "${PLINK_DKMS_READY:-}" ] && [ "${k#stock-}" != "$k" ]; then
		ko=$(dkms_module "$k")
		[ -n "$ko" ] && args+=(--module "$ko")
	fi
	"$top/selftests/qemu/run.sh" "${args[@]}" \
		>"$top/build/run-$k-$p.log" 2>"$top/build/run-$k-$p.err" &
	jobof[$!]=$j
	running=$((running + 1))
done

# merge K: build/run-K.log and .err from its VMs' logs; its status.
merge() {
	local k=$1 p rc=0 tests=0 failed=0 ndone=0 d
	: >"$top/build/run-$k.err"
	for p in 0 1 2; do
		[ -n "${rcof[$k:$p]+set}" ] || continue
		[ "${rcof[$k:$p]}" -ne 0 ] && rc=${rcof[$k:$p]}
		cat "$top/build/run-$k-$p.err" >>"$top/build/run-$k.err"
		# run.sh reports its own failures; one that died (a build
		# failed, or it was killed) must not pass for a kernel whose
		# tests all passed.
		if [ "${rcof[$k:$p]}" -ne 0 ] &&
		   ! grep -q '^not ok ' "$top/build/run-$k-$p.log"; then
			echo "not ok [$k] run.sh --part $p exited with status ${rcof[$k:$p]}" \
				>>"$top/build/run-$k-$p.log"
		fi
		d=$(sed -nE "s/^# plink-vm-done \[$k\] tests=([0-9]+) failed=([0-9]+).*/\1 \2/p" \
			"$top/build/run-$k-$p.log")
		if [ -n "$d" ]; then
			ndone=$((ndone + 1))
			tests=$((tests + ${d% *}))
			failed=$((failed + ${d#* }))
		else
			ndone=-99
		fi
	done
	for p in 0 1 2; do
		[ -n "${rcof[$k:$p]+set}" ] || continue
		grep -vE $'^# plink-vm-done |^1\\.\\.[0-9]+\r?$' "$top/build/run-$k-$p.log"
	done | awk '/^(not )?ok [0-9]+ / { n++; sub(/^ok [0-9]+ /, "ok " n " ");
					    sub(/^not ok [0-9]+ /, "not ok " n " ") }
		    { print }' >"$top/build/run-$k.log"
	# One "done" line for the kernel, only if each of its VMs finished.
	if [ "$ndone" -gt 0 ]; then
		echo "# plink-vm-done [$k] tests=$tests failed=$failed" >>"$top/build/run-$k.log"
	fi
	return "$rc"
}

status=0
for k in $kernels; do
	rc=0
	merge "$k" || rc=$?
	echo "# ---- $k ----"
	grep -v '^build-module:' "$top/build/run-$k.err" | sed 's/^/# /'
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
	sed -nE "s/^# time: ([^ ]+) ([0-9.]+)\r?\$/\2 $k \1/p" "$top/build/run-$k.log"
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
