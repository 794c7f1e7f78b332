#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the tests in QEMU on every test kernel (stock 6.1, stock 6.12 and the
# debug kernel, or those in $PLINK_KERNELS) and print one TAP stream and a
# summary line "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernels=${PLINK_KERNELS:-stock-6.1 stock-6.12 debug}
all=$top/build/tap-all.log
: > "$all"
status=0
for k in $kernels; do
	echo "# ---- $k ----"
	if ! "$top/selftests/qemu/run.sh" --kernel "$k" | tee -a "$all"; then
		status=1
	fi
done

passed=$(grep -cE '^ok ' "$all")
failed=$(grep -cE '^not ok ' "$all")
skipped=$(grep -cE '^ok .*# SKIP' "$all")
for k in $kernels; do
	echo "# $k: $(grep -cE "^ok [0-9]+ \[$k\]" "$all") passed, $(grep -cE "^not ok ([0-9]+ )?\[$k\]" "$all") failed"
done
[ "$failed" -gt 0 ] && status=1
echo "vm: $((passed - skipped)) passed, $failed failed, $skipped skipped"
exit $status
