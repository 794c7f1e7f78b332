#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot Debian's stock 6.12 kernel in QEMU with plink and run
# selftests/qemu/demo-guest.sh: one provider, three targets, three
# consumers on the provider's own CIDR, 30 requests each, who answered,
# the flow table and the counters.  Exit status 0 when the demo worked and
# the kernel log has no splat.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${PLINK_DEMO_KERNEL:-stock-6.12}

eval "$("$top/scripts/kernels.sh" "$kernel")"
work=$top/build/demo-$kernel
mkdir -p "$work"

"$top/scripts/build-module.sh" "$kernel" >&2
make -s -C "$top/tools/plinkctl" >&2
"$top/selftests/qemu/mkinitramfs.sh" "$kernel" "$work/initramfs.cpio.gz"

mem=1G
[ "$kernel" = debug ] && mem=2G
console=$work/console.log
log=$work/demo.log
rm -f "$console" "$log"
echo "demo: booting $kernel in QEMU (TCG); the kernel log goes to $console" >&2
rc=0
timeout --foreground 900 qemu-system-x86_64 -M pc -cpu max -smp 2 -m "$mem" \
	-nodefaults -no-reboot -display none -nic none \
	-kernel "$VMLINUZ" -initrd "$work/initramfs.cpio.gz" \
	-serial "file:$console" -serial stdio \
	-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 plink.mode=demo" \
	</dev/null | tr -d '\r' | tee "$log" || rc=$?

status=0
if ! grep -q '^# plink-demo: ok' "$log"; then
	echo "demo: FAILED (qemu exit $rc)" >&2
	grep -q '^# plink-demo:' "$log" || tail -n 40 "$console" >&2
	status=1
fi
if grep -qE -f "$top/selftests/qemu/splats.re" "$console"; then
	echo "demo: the kernel log has a splat:" >&2
	grep -nE -A 40 -f "$top/selftests/qemu/splats.re" "$console" | head -n 100 >&2
	status=1
fi
exit $status
