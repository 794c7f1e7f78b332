#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything CI runs: dependencies, generated-code drift, W=1 + sparse builds
# on the three kernels, checkpatch, plinkctl's own tests, then KUnit and the
# kselftests in QEMU on the three kernels.  Each step is one TAP line; the
# VM runs add one per test.  Ends with "check: N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mkdir -p build
passed=0
failed=0
n=0

step() {
	local name=$1 log
	shift
	log=$top/build/step-${name// /-}.log
	n=$((n + 1))
	echo "# step: $name" >&2
	if "$@" >"$log" 2>&1; then
		echo "ok $n $name"
		passed=$((passed + 1))
		return 0
	fi
	echo "not ok $n $name"
	sed 's/^/# /' "$log" | tail -n 100
	failed=$((failed + 1))
	return 1
}

echo "TAP version 13"
step "install dependencies" scripts/install-deps.sh || {
	echo "check: $passed passed, $((failed)) failed"
	exit 1
}
step "generated code is up to date" scripts/regen.sh --check
step "debug kernel is built" selftests/qemu/build-debug-kernel.sh
for k in stock-6.1 stock-6.12 debug; do
	step "build $k W=1 C=1 clean" scripts/build-module.sh "$k" W=1 C=1
done
step "checkpatch --strict clean" scripts/check-style.sh
step "plinkctl host tests" make -C tools/plinkctl check

vmlog=$top/build/vm.log
selftests/qemu/run-all.sh | tee "$vmlog" | grep -vE '^vm: [0-9]+ passed'
vm_passed=$(grep -cE '^ok ' "$vmlog")
vm_skipped=$(grep -cE '^ok .*# SKIP' "$vmlog")
vm_failed=$(grep -cE '^not ok ' "$vmlog")
passed=$((passed + vm_passed - vm_skipped))
failed=$((failed + vm_failed))
if [ "$vm_passed" -eq 0 ]; then
	echo "not ok vm ran no test"
	failed=$((failed + 1))
fi

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
