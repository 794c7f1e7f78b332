#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one test kernel in QEMU (TCG) with plink and its tests:
#   run.sh --kernel stock-6.1|stock-6.12|debug [--interactive] [--timeout SEC]
# Builds the module for that kernel and the initramfs, boots, and prints the
# guest's TAP with the kernel's name in each test's name.  The console log is
# kept in build/KERNEL/console.log; any splat in it fails the run and is
# printed.  Exit status: 0 when every test passed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=stock-6.12
interactive=0
tmo=${PLINK_VM_TIMEOUT:-1800}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--timeout) tmo=$2; shift 2 ;;
	*) echo "run.sh: unknown argument \"$1\"" >&2; exit 2 ;;
	esac
done

eval "$("$top/scripts/kernels.sh" "$kernel")"
work=$top/build/$kernel
mkdir -p "$work"

"$top/scripts/build-module.sh" "$kernel" >&2
make -s -C "$top/tools/plinkctl" >&2
"$top/selftests/qemu/mkinitramfs.sh" "$kernel" "$work/initramfs.cpio.gz"

mem=1G
[ "$kernel" = debug ] && mem=2G
append="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 loglevel=7"
# PLINK_ONLY=dev,endpoint runs only those kselftests (KUnit always runs).
[ -n "${PLINK_ONLY:-}" ] && append="$append plink.only=$PLINK_ONLY"
qemu=(qemu-system-x86_64 -M pc -cpu max -smp 2 -m "$mem" -nodefaults
      -no-reboot -display none -nic none
      -kernel "$VMLINUZ" -initrd "$work/initramfs.cpio.gz")

if [ "$interactive" = 1 ]; then
	exec "${qemu[@]}" -serial mon:stdio -append "$append plink.mode=shell"
fi

console=$work/console.log
results=$work/tap.log
rm -f "$console" "$results"
start=$(date +%s)
rc=0
timeout --foreground "$tmo" "${qemu[@]}" \
	-serial "file:$console" -serial "file:$results" \
	-append "$append plink.mode=test" </dev/null >&2 || rc=$?
echo "# $kernel: VM ran $(( $(date +%s) - start ))s (qemu exit $rc)" >&2

touch "$results"
# Name each test after its kernel: "ok 3 [stock-6.12] selftest: dev".
sed -E "s/^((not )?ok [0-9]+) /\1 [$kernel] /" "$results"

status=0
if ! grep -q '^# plink-vm-done' "$results"; then
	echo "not ok [$kernel] the VM did not finish its tests (timeout, panic or crash); console tail:"
	tail -n 80 "$console" | sed 's/^/# /'
	status=1
fi
if grep -q '^not ok ' "$results"; then
	status=1
fi
if grep -qE -f "$top/selftests/qemu/splats.re" "$console"; then
	echo "not ok [$kernel] kernel console has a splat:"
	grep -nE -A 40 -f "$top/selftests/qemu/splats.re" "$console" |
		head -n 200 | sed 's/^/# /'
	status=1
fi
exit $status
