#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything CI runs: dependencies, generated-code drift, W=1 + sparse builds
# on the three kernels, checkpatch, kernel-doc, plinkctl's own tests, then
# KUnit and the kselftests in QEMU on the three kernels.  Each step is one
# TAP line; the VM runs add one per test, and selftests/manifest says which
# tests each kernel must have run (scripts/check-manifest.sh).  Any SKIP the
# manifest does not allow fails.  Ends with "check: N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# secs (scripts/lib.sh)
. "$top/scripts/lib.sh"

# check.sh decides what runs: nothing left in the caller's environment may
# narrow it (PLINK_KERNELS=stock-6.12, PLINK_ONLY=dev), size the VMs,
# swap the programs under test or drop -Werror.  PLINK_CACHE only says
# where the builds are kept.
for v in $(compgen -v PLINK_) PLINKCTL JSON_TEST NL_TEST WARNFLAGS BENCH \
	 BENCH_ARGS BENCH_TIMEOUT; do
	[ "$v" = PLINK_CACHE ] && continue
	[ -n "${!v+set}" ] && echo "# check: ignoring $v=${!v} from the environment" >&2
	unset "$v"
done
unset MAKEFLAGS MAKEOVERRIDES MFLAGS MAKELEVEL
mkdir -p build
passed=0
failed=0
n=0
t_check=$EPOCHREALTIME
timing=$top/build/timing-check.txt
: > "$timing"


# run NAME CMD...: run one step, its output in build/step-NAME.log, its
# time in $timing; exit status CMD's.
run() {
	local name=$1 t rc=0
	shift
	t=$EPOCHREALTIME
	"$@" >"$top/build/step-${name// /-}.log" 2>&1 || rc=$?
	echo "$(secs "$t") check step:${name// /-}" >> "$timing"
	return "$rc"
}

# report NAME RC: the step's TAP line (and its log's tail when it failed).
report() {
	local name=$1 rc=$2
	n=$((n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $n $name"
		passed=$((passed + 1))
		return 0
	fi
	echo "not ok $n $name"
	sed 's/^/# /' "$top/build/step-${name// /-}.log" | tail -n 100
	failed=$((failed + 1))
	return 1
}

step() {
	local name=$1 rc=0
	echo "# step: $1" >&2
	run "$@" || rc=$?
	report "$name" "$rc"
}

# bgstep NAME CMD...: start a step in the background; collect [NAME...]
# waits for those (all when none is named) and reports them in the order
# they were started.
bg_names=()
bg_pids=()
bgstep() {
	echo "# step: $1 (in the background)" >&2
	run "$@" &
	bg_pids+=($!)
	bg_names+=("$1")
}
collect() {
	local i rc name
	for i in "${!bg_pids[@]}"; do
		if [ $# -gt 0 ]; then
			for name in "$@"; do
				[ "$name" = "${bg_names[$i]}" ] && break
			done
			[ "$name" = "${bg_names[$i]}" ] || continue
		fi
		rc=0
		wait "${bg_pids[$i]}" || rc=$?
		report "${bg_names[$i]}" "$rc"
		unset "bg_pids[$i]" "bg_names[$i]"
	done
}

echo "TAP version 13"
step "install build dependencies" scripts/install-deps.sh build || {
	echo "check: $passed passed, $((failed)) failed"
	exit 1
}
# The test dependencies download, and the drift check and the stock
# kernels' module builds run, while the debug kernel builds (the builds are
# skipped when nothing changed since the last good one; the debug module's
# build waits for its kernel).  The VMs need only the first ones: a cold
# run (no debug kernel yet) starts the stock kernels' VMs while the debug
# kernel builds (run-all.sh), and the debug steps are collected at the end.
bgstep "debug kernel is built" selftests/qemu/build-debug-kernel.sh
bgstep "build debug W=1 C=1 clean" scripts/build-module.sh debug W=1 C=1
bgstep "install test dependencies" scripts/install-deps.sh test
bgstep "generated code is up to date" scripts/regen.sh --check
for k in stock-6.1 stock-6.12; do
	bgstep "build $k W=1 C=1 clean" scripts/build-module.sh "$k" W=1 C=1
done
collect "install test dependencies" "generated code is up to date" \
	"build stock-6.1 W=1 C=1 clean" "build stock-6.12 W=1 C=1 clean"

# The VM runs (the longest part) start now, in the background; checkpatch
# and plinkctl's host tests run meanwhile.  plinkctl is built first: the
# VM runs and the host tests both use it.
vmlog=$top/build/vm.log
dkms_ready=$top/build/dkms-ready
rm -f "$dkms_ready"
rm -f "$top/build/timing-vm.txt"
# An old tap-all.log must not stand in for a run that never started.
: > "$vmlog"
: > "$top/build/tap-all.log"
if make -s -C tools/plinkctl plinkctl >"$top/build/plinkctl-build.log" 2>&1; then
	# The stock kernels' runs boot the plink.ko DKMS builds below.
	PLINK_DKMS_READY=$dkms_ready selftests/qemu/run-all.sh >"$vmlog" &
	vmpid=$!
else
	cat "$top/build/plinkctl-build.log" >&2
	vmpid=
fi
# Each stock kernel's test VM boots the plink.ko DKMS builds for it here
# (run-all.sh waits for this step's end): it starts first.
packaging() {
	local rc=0
	nice -n 5 scripts/check-packaging.sh || rc=$?
	if [ "$rc" = 0 ]; then echo ok; else echo failed; fi > "$dkms_ready"
	return "$rc"
}
bgstep "packaging: make deb, lintian, make install, dkms build" packaging
# Every benchmark still runs: one VM under -icount, whose figures do not
# depend on the CPU it gets, so it runs beside the test VMs at a lower
# priority and takes the core the last test VM leaves idle.
bgstep "bench smoke" nice -n 10 bench/run.sh --smoke
step "checkpatch --strict clean" scripts/check-style.sh
step "kernel-doc clean" scripts/check-kdoc.sh
step "check-manifest.sh fails short runs" scripts/check-manifest-test.sh
step "plinkctl host tests" make -C tools/plinkctl check
# dkms_ran: each stock kernel's VM booted the plink.ko DKMS built for it.
dkms_ran() {
	local k
	for k in stock-6.1 stock-6.12; do
		grep -qxF "ok [$k] module: the guest loaded the plink.ko given" "$vmlog" ||
			{ echo "$k: the tests did not run on DKMS's plink.ko"; return 1; }
	done
}
vmrc=1
if [ -n "$vmpid" ]; then
	vmrc=0
	wait "$vmpid" || vmrc=$?
fi
collect
grep -vE '^vm: [0-9]+ passed|^# timing' "$vmlog"
# A SKIP counts neither as passed nor as failed here: the manifest check
# below fails each one the manifest does not allow.
vm_passed=$(grep -cE '^ok ' "$vmlog")
vm_skipped=$(grep -cE '^ok .*# SKIP' "$vmlog")
vm_failed=$(grep -cE '^not ok ' "$vmlog")
passed=$((passed + vm_passed - vm_skipped))
failed=$((failed + vm_failed))
# run-all.sh's status: non-zero when a test failed (counted above), but
# also when it died or never started.
vmstep="run-all.sh exit status 0"
if [ -n "$vmpid" ]; then
	echo "run-all.sh exited with status $vmrc" > "$top/build/step-${vmstep// /-}.log"
else
	cp "$top/build/plinkctl-build.log" "$top/build/step-${vmstep// /-}.log"
fi
report "$vmstep" "$vmrc"
step "the stock kernels' tests ran on the plink.ko DKMS built" dkms_ran
step "every test in the manifest ran" \
	scripts/check-manifest.sh "$top/build/tap-all.log"

# Where the time went, slowest first: check.sh's steps, the VM runs
# ("host:" names) and, per kernel, boot, KUnit and each kselftest file.
echo "$(secs "$t_check") all check:total" >> "$timing"
echo "# timing, slowest first (seconds, kernel, step):"
cat "$timing" "$top/build/timing-vm.txt" 2>/dev/null | sort -rn -k1,1 |
	awk '{ printf "# timing: %7.1f  %-10s %s\n", $1, $2, $3 }'

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
